"""A token bucket per client for the public door, which anyone can reach."""

import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass, field

# Clients remembered at most: the least recently seen is forgotten first. One unseen for a
# minute has a full bucket again anyway, so forgetting it changes nothing.
MAX_CLIENTS = 100_000


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class RateLimiter:
    per_minute: int
    buckets: OrderedDict[str, _Bucket] = field(default_factory=OrderedDict)
    max_clients: int = MAX_CLIENTS

    def allow(self, client: str, per_minute: int | None = None) -> bool:
        """Take one token for `client`; False when its bucket is empty. `per_minute`: this
        client's own rate, if not the limiter's (a network of many clients)."""
        rate = per_minute or self.per_minute
        # Keyed by a hash: the limiter holds no client address in memory.
        key = hashlib.sha256(client.encode()).hexdigest()[:32]
        now = time.monotonic()
        bucket = self.buckets.get(key) or _Bucket(float(rate), now)
        bucket.tokens = min(rate, bucket.tokens + (now - bucket.updated) * rate / 60)
        bucket.updated = now
        self.buckets[key] = bucket
        self.buckets.move_to_end(key)
        # Bounded memory under a flood of addresses. (It used to clear every bucket, which
        # gave every client, the flooding ones too, a full allowance again.)
        while len(self.buckets) > self.max_clients:
            self.buckets.popitem(last=False)
        if bucket.tokens < 1:
            return False
        bucket.tokens -= 1
        return True
