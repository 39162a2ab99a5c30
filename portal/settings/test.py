"""Tests: real PostgreSQL and Redis, e-mail kept in the outbox."""

import os
from pathlib import Path

import dj_database_url

from .base import *  # noqa: F403
from .base import BASE_DIR, REDIS_URL, env, env_bool

SECRET_KEY = "test-only-not-secret"
SEALING_MASTER_KEY = "dGVzdC1vbmx5LW5vdC1zZWNyZXQtc2VhbGluZy1rZXk="
ALLOWED_HOSTS = ["*"]
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal"),
        conn_max_age=0,
    )
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The real-worker test starts a worker with CELERY_TASK_ALWAYS_EAGER=0.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)
CELERY_TASK_EAGER_PROPAGATES = True
MEDIA_ROOT = Path(
    env("MEDIA_ROOT", str(BASE_DIR / ".test-media" / os.environ.get("PYTEST_XDIST_WORKER", "main")))
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Real Redis; the key prefix keeps one run's rate-limit counters and cached
# values away from the next run and from parallel test processes.
CACHES = {
    "default": {
        "BACKEND": "core.cache.FailOpenRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        "KEY_PREFIX": f"test-{os.getpid()}",
    }
}
# Static files come from the finders (no collectstatic for tests).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
AXES_FAILURE_LIMIT = 5
