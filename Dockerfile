# syntax=docker/dockerfile:1
# The portal's production image: gunicorn for the web, the same image for the
# Celery worker and beat (see docker-compose.yml).

# --- front-end assets: GOV.UK Frontend compiled from Sass -------------------
FROM node:22-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
# sass's optional file watcher has an install script; nothing here needs it.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY scripts/build-assets.mjs scripts/
COPY static/src static/src
RUN node scripts/build-assets.mjs

# --- the application ---------------------------------------------------------
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.prod \
    MEDIA_ROOT=/app/media

# WeasyPrint's libraries and a font for the generated PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --home-dir /app --shell /usr/sbin/nologin portal

WORKDIR /app
# Dependencies first (pinned by requirements.lock) so code changes reuse this layer.
COPY pyproject.toml requirements.lock README.md ./
RUN pip install --constraint requirements.lock .

COPY --chown=portal:portal . .
COPY --from=assets --chown=portal:portal /build/static/build static/build

# collectstatic needs settings, not secrets: a throwaway key for this step only.
RUN DJANGO_SECRET_KEY="collectstatic-only-$(python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
        python manage.py collectstatic --noinput \
    && mkdir -p /app/media \
    && chown -R portal:portal /app/media /app/staticfiles

USER portal
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--workers", "3", \
     "--forwarded-allow-ips", "*", \
     "--access-logfile", "-"]
