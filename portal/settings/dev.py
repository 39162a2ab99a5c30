"""The embedded default: SQLite, Celery run eagerly, console e-mail, demo accounts."""

from .base import *  # noqa: F403
from .base import env

DEBUG = True
SECRET_KEY = env("DJANGO_SECRET_KEY", "dev-only-not-secret-innovation-partnerships")
# A fixed key so the embedded default can seal proposals; never use it in production.
SEALING_MASTER_KEY = env("SEALING_MASTER_KEY", "ZGV2LW9ubHktbm90LXNlY3JldC1zZWFsaW5nLWtleSE=")
ALLOWED_HOSTS = ["*"]
CELERY_TASK_ALWAYS_EAGER = True
HEALTH_CHECK_BROKER = False  # tasks run in the web process: no broker to report
CELERY_TASK_EAGER_PROPAGATES = False
DEMO_ACCOUNTS_ENABLED = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files come from the finders (no collectstatic in development).
STATIC_ROOT = None
