"""A Redis cache that keeps pages working while Redis is unreachable.

The cache holds nothing the portal cannot do without (allauth's rate-limit
counters, used TOTP codes, cached fragments), so when Redis is down each call
answers as if the cache were empty, logs a warning, and stops trying for a
few seconds so pages do not wait on a dead server call after call. Sign-in
lockouts are kept in the database by django-axes, not here. ``/health/`` still
reports the cache as down: its write-then-read check finds nothing.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class FailOpenRedisCacheClient(RedisCacheClient):
    retry_after_seconds = 10.0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._down_until = 0.0

    def _call(self, method: str, fallback, *args):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return getattr(super(), method)(*args)
        except UNREACHABLE as exc:
            self._down_until = time.monotonic() + self.retry_after_seconds
            logger.warning("Cache unreachable (%s); carrying on without it for now", exc)
            return fallback

    # add() answers True so callers that spin on add() as a lock (allauth's
    # rate limiter) go ahead instead of waiting for ever.
    def add(self, key, value, timeout):
        return self._call("add", True, key, value, timeout)

    def get(self, key, default):
        return self._call("get", default, key, default)

    def set(self, key, value, timeout):
        return self._call("set", None, key, value, timeout)

    def touch(self, key, timeout):
        return self._call("touch", False, key, timeout)

    def delete(self, key):
        return self._call("delete", False, key)

    def get_many(self, keys):
        return self._call("get_many", {}, keys)

    def has_key(self, key):
        return self._call("has_key", False, key)

    def incr(self, key, delta):
        return self._call("incr", delta, key, delta)

    def set_many(self, data, timeout):
        return self._call("set_many", [], data, timeout)

    def delete_many(self, keys):
        return self._call("delete_many", None, keys)

    def clear(self):
        return self._call("clear", False)


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache with :class:`FailOpenRedisCacheClient`."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FailOpenRedisCacheClient
