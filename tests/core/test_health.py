import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CLOSED_PORT_BROKER = "redis://127.0.0.1:6390/0"


def test_health_reports_database_cache_storage_and_broker_as_working(client):
    response = client.get(reverse("health"), HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    results = response.json()
    assert set(results.values()) == {"OK"}
    checks = " ".join(results)
    for name in ("Database", "Cache", "Storage", "Redis"):
        assert name in checks


def test_health_answers_500_naming_the_broker_when_redis_is_down(client, settings):
    settings.CELERY_BROKER_URL = CLOSED_PORT_BROKER

    response = client.get(reverse("health"), {"format": "json"})

    assert response.status_code == 500
    failing = {check: result for check, result in response.json().items() if result != "OK"}
    assert list(failing) == ["Redis(db=0, host='127.0.0.1', port=6390)"]
    assert "Unable to connect to Redis" in failing["Redis(db=0, host='127.0.0.1', port=6390)"]


def test_health_is_open_to_load_balancers_without_signing_in(client):
    response = client.get(reverse("health"), {"format": "text"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Cache-Control" in response and "no-cache" in response["Cache-Control"]
