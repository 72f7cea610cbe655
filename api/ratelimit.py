"""A token bucket per client for the public door, which anyone can reach."""

import hashlib
import time
from dataclasses import dataclass, field


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class RateLimiter:
    per_minute: int
    buckets: dict[str, _Bucket] = field(default_factory=dict)

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
        if len(self.buckets) > 100_000:
            self.buckets.clear()  # bounded memory under a flood; the limit restarts, nothing leaks
        if bucket.tokens < 1:
            return False
        bucket.tokens -= 1
        return True
