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
        return self.allow_all([(client, per_minute or self.per_minute)])

    def allow_all(self, clients: list[tuple[str, int]]) -> bool:
        """Take one token from each (client, rate) bucket if every one has one, else none:
        a request refused for one bucket must not use up another's (one /64 refused by its
        own bucket drained its /48's, and shut out every host of the /48; a review)."""
        now = time.monotonic()
        buckets = [self._bucket(client, rate, now) for client, rate in clients]
        if any(bucket.tokens < 1 for bucket in buckets):
            return False
        for bucket in buckets:
            bucket.tokens -= 1
        return True

    def _bucket(self, client: str, rate: int, now: float) -> _Bucket:
        # Keyed by a hash: the limiter holds no client address in memory.
        key = hashlib.sha256(client.encode()).hexdigest()[:32]
        bucket = self.buckets.get(key) or _Bucket(float(rate), now)
        bucket.tokens = min(rate, bucket.tokens + (now - bucket.updated) * rate / 60)
        bucket.updated = now
        self.buckets[key] = bucket
        self.buckets.move_to_end(key)
        # Bounded memory under a flood of addresses. (It used to clear every bucket, which
        # gave every client, the flooding ones too, a full allowance again.)
        while len(self.buckets) > self.max_clients:
            self.buckets.popitem(last=False)
        return bucket
