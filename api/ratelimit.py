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

    def allow(self, client: str) -> bool:
        """Take one token for `client`; False when its bucket is empty."""
        # Keyed by a hash: the limiter holds no client address in memory.
        key = hashlib.sha256(client.encode()).hexdigest()[:32]
        now = time.monotonic()
        bucket = self.buckets.get(key) or _Bucket(float(self.per_minute), now)
        bucket.tokens = min(
            self.per_minute, bucket.tokens + (now - bucket.updated) * self.per_minute / 60
        )
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
