"""What /health/ checks: the database, the cache, file storage and the Celery broker.

Load balancers and ``docker compose`` poll it; it answers 200 when every check
passes and 500 naming the failing check otherwise (``?format=json`` or
``Accept: application/json`` for JSON).
"""

from django.conf import settings
from health_check.checks import Cache, Database, Storage
from health_check.contrib.redis import Redis
from redis.asyncio import Redis as RedisClient


def broker_client() -> RedisClient:
    """A fresh client for the broker, read from settings at check time; fails in two seconds."""
    return RedisClient.from_url(
        settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2
    )


def health_checks() -> list:
    checks: list = [Database, Cache, Storage]
    if settings.HEALTH_CHECK_BROKER:
        checks.append((Redis, {"client_factory": broker_client}))
    return checks
