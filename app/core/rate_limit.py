"""Rate limits through the `limits` library: a moving window per (limit, key).

The storage comes from `RATE_LIMIT_STORAGE_URI`: `memory://` keeps counters in this process;
`redis://…` shares them between replicas. Each app instance owns its limiter (tests stay isolated).
"""

import math
import time

from limits import RateLimitItem, parse
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from app.core.errors import RateLimited


def _async_storage_uri(uri: str) -> str:
    return uri if uri.startswith("async+") else f"async+{uri}"


class RateLimiter:
    def __init__(self, storage_uri: str) -> None:
        storage = storage_from_string(_async_storage_uri(storage_uri))
        assert isinstance(storage, Storage)
        self._limiter = MovingWindowRateLimiter(storage)

    async def hit(self, limit: str | RateLimitItem, *key: str) -> None:
        """Count one event for `key`; raise RateLimited (with Retry-After) past the limit."""
        item = parse(limit) if isinstance(limit, str) else limit
        if await self._limiter.hit(item, *key):
            return
        stats = await self._limiter.get_window_stats(item, *key)
        retry_after = max(1, math.ceil(stats.reset_time - time.time()))
        raise RateLimited(retry_after, "Too many attempts; retry later.")

    async def clear(self, limit: str | RateLimitItem, *key: str) -> None:
        item = parse(limit) if isinstance(limit, str) else limit
        await self._limiter.clear(item, *key)
