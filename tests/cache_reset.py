"""Empty this test process's part of the shared Redis cache.

Parallel test processes (pytest-xdist) share one Redis database, each under its own
``KEY_PREFIX`` (portal/settings/test.py): ``cache.clear()`` would flush the whole
database, another process's rate limits and sessions included, so only this
process's keys are deleted.
"""

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError


def clear_own_cache() -> None:
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    client_of = getattr(cache, "_cache", None)
    if not prefix or client_of is None or not hasattr(client_of, "get_client"):
        cache.clear()  # not a prefixed Redis cache: nothing else shares it
        return
    try:
        client = client_of.get_client(None, write=True)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    except (RedisError, OSError):
        pass  # Redis is down: there is nothing to clear (the cache fails open)
