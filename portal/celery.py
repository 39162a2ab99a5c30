"""The Celery application: tasks that must not be lost.

Settings live in Django settings under the ``CELERY_`` namespace; see
``portal.settings.base`` for why each reliability setting is there.
"""

import os

from celery import Celery

# An empty DJANGO_SETTINGS_MODULE counts as unset: fall back to the embedded default.
os.environ["DJANGO_SETTINGS_MODULE"] = os.environ.get("DJANGO_SETTINGS_MODULE") or (
    "portal.settings.dev"
)

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
