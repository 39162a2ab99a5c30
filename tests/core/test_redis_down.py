"""With Redis unreachable the portal keeps working; only /health/ says so."""

import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.models import User

DEAD_REDIS = "redis://127.0.0.1:6391/0"


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.FailOpenRedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.CELERY_BROKER_URL = DEAD_REDIS


def test_a_supplier_signs_in_while_redis_is_down(redis_down, client, personas):
    started = time.monotonic()
    response = client.post(
        reverse("account_login"),
        {"login": personas.supplier_a_admin.email, "password": "correct-horse-battery-staple"},
    )

    assert response.status_code == 302
    assert client.get(reverse("core:supplier-home")).status_code == 200
    # One failed connection, then the cache is left alone for a while.
    assert time.monotonic() - started < 5


def test_registration_and_password_reset_work_while_redis_is_down(redis_down, client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": "Grace Hopper",
            "email": "grace@compilers.example",
            "password1": "a-long-enough-secret-2026",
            "password2": "a-long-enough-secret-2026",
            "organisation_name": "Compilers CIC",
            "companies_house_number": "",
            "is_sme": "yes",
            "is_vcse": "yes",
            "region": "TLJ",
            "postcode": "OX1 2JD",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(email="grace@compilers.example").exists()

    response = client.post(reverse("account_reset_password"), {"email": "grace@compilers.example"})
    assert response.status_code == 302


def test_public_pages_load_and_health_reports_the_cache_down(redis_down, client, db):
    assert client.get(reverse("core:home")).status_code == 200
    assert client.get(reverse("account_login")).status_code == 200

    response = client.get(reverse("health"), {"format": "json"})

    assert response.status_code == 500
    failing = [name for name, result in response.json().items() if result != "OK"]
    assert any("Cache" in name for name in failing)


def test_the_cache_answers_empty_rather_than_failing(redis_down, db):
    assert cache.add("lock", True) is True  # callers spinning on add() go ahead
    assert cache.get("anything", "default") == "default"
    cache.set("key", "value")
    assert cache.get("key") is None
