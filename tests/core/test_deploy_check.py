"""The production settings pass Django's deployment checks and send the security headers."""

import json
import os
import secrets
import string
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

PROJECT = Path(settings.BASE_DIR)


def _prod_environment(**extra: str) -> dict[str, str]:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    keep = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "portal.settings.prod",
        "DJANGO_SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
        "DJANGO_ALLOWED_HOSTS": "portal.example.gov.uk",
        "DATABASE_URL": "postgres://portal:change-me@db:5432/portal",
        "REDIS_URL": "redis://redis:6379/0",
        **extra,
    }


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_with_the_production_settings_reports_no_issues():
    result = _run(["manage.py", "check", "--deploy"], _prod_environment())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_long_secret_key():
    env = _prod_environment(DJANGO_SECRET_KEY="short")

    result = _run(["manage.py", "check", "--deploy"], env)

    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_production_pages_send_hsts_secure_cookies_and_a_csp_with_a_nonce():
    db = connection.settings_dict
    database_url = (
        f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}"
        f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    script = textwrap.dedent(
        """
        import json, django
        django.setup()
        from django.conf import settings
        from django.test import Client, override_settings
        from django.test.utils import setup_test_environment
        setup_test_environment()
        # collectstatic has not run here; everything else is production as configured.
        override_settings(STORAGES={
            **settings.STORAGES,
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
            },
        }).enable()
        client = Client(HTTP_HOST="portal.example.gov.uk")
        plain = client.get("/accounts/login/")
        page = client.get("/accounts/login/", secure=True)
        health = client.get("/health/", {"format": "json"})
        print(json.dumps({
            "plain_status": plain.status_code,
            "plain_location": plain.get("Location", ""),
            "status": page.status_code,
            "hsts": page.get("Strict-Transport-Security", ""),
            "csp": page.get("Content-Security-Policy", ""),
            "cookies": {name: bool(c["secure"]) for name, c in page.cookies.items()},
            "body_has_nonce": 'nonce="' in page.content.decode(),
            "health_status": health.status_code,
        }))
        """
    )
    env = _prod_environment(
        DATABASE_URL=database_url,
        REDIS_URL=settings.REDIS_URL,
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )

    result = _run(["-c", script], env)

    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["plain_status"] == 301
    assert seen["plain_location"].startswith("https://portal.example.gov.uk/")
    assert seen["status"] == 200
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self' 'nonce-" in seen["csp"]
    assert "frame-ancestors 'none'" in seen["csp"]
    assert seen["body_has_nonce"]
    assert seen["cookies"] and all(seen["cookies"].values())
    assert seen["health_status"] == 200  # exempt from the HTTPS redirect for probes


# --- docker-compose.yml and the Dockerfile (Docker does not run here) ----


def _compose_services() -> dict[str, str]:
    """Each top-level service's block of docker-compose.yml, as text (no YAML parser needed)."""
    lines = (PROJECT / "docker-compose.yml").read_text().splitlines()
    start = lines.index("services:")
    services: dict[str, list[str]] = {}
    current = None
    for line in lines[start + 1 :]:
        if line and not line.startswith(" ") and not line.startswith("#"):
            break  # the next top-level key
        if line.startswith("  ") and not line.startswith("   ") and line.rstrip().endswith(":"):
            current = line.strip()[:-1]
            services[current] = []
        elif current:
            services[current].append(line)
    return {name: "\n".join(block) for name, block in services.items()}


def test_compose_runs_postgres_redis_web_worker_and_beat():
    services = _compose_services()

    assert set(services) == {"db", "redis", "web", "worker", "beat"}
    assert "image: postgres:15" in services["db"]
    assert "image: redis:7" in services["redis"]
    assert "migrate --noinput &&" in services["web"]
    assert "exec gunicorn portal.wsgi:application" in services["web"]
    assert "- worker" in services["worker"]
    assert "- beat" in services["beat"]
    for name in ("db", "redis", "web", "worker"):
        assert "healthcheck:" in services[name], name
    assert "/health/" in services["web"]


def test_compose_shares_media_and_waits_for_healthy_database_and_broker():
    compose = (PROJECT / "docker-compose.yml").read_text()
    services = _compose_services()

    assert "x-portal: &portal" in compose
    for name in ("web", "worker", "beat"):
        assert "<<: *portal" in services[name], name
    anchor = compose.split("x-portal: &portal", 1)[1].split("\nservices:", 1)[0]
    assert "- media:/app/media" in anchor
    assert anchor.count("condition: service_healthy") == 2
    assert "DJANGO_SECRET_KEY: ${DJANGO_SECRET_KEY:?" in compose
    assert "AWS_STORAGE_BUCKET_NAME" in compose


def test_dockerfile_builds_assets_installs_weasyprint_libraries_and_runs_as_a_user():
    dockerfile = (PROJECT / "Dockerfile").read_text()

    assert "FROM python:3.11-slim-bookworm" in dockerfile
    assert "npm ci --ignore-scripts" in dockerfile
    assert "node scripts/build-assets.mjs" in dockerfile
    for package in (
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "libharfbuzz-subset0",
        "fonts-liberation",
    ):
        assert package in dockerfile
    assert "--constraint requirements.lock" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    assert "\nUSER portal\n" in dockerfile
    assert '"gunicorn", "portal.wsgi:application"' in dockerfile
    for copied in (
        "package.json",
        "package-lock.json",
        "scripts/build-assets.mjs",
        "requirements.lock",
    ):
        assert (PROJECT / copied).exists(), copied
