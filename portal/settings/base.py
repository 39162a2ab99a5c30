"""Settings shared by every environment, configured from the environment.

Every variable read here is listed in README.md ("Configuration").
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


SECRET_KEY = env("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "guardian",
    "csp",
    "govuk_frontend_django",
    "health_check",
    "core",
    "procurements",
    "partners",
    "stages",
    "ip_rights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "core.middleware.OfficerMFARequiredMiddleware",
    # Axes must be last: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
# Every form renders as GOV.UK Design System form groups (templates/forms/).
FORM_RENDERER = "core.forms_rendering.GOVUKFormRenderer"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "core.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out account or address before any check.
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"  # sends each kind of person to their home

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static" / "build"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# The largest evidence file a supplier may upload (partners/evidence.py), in bytes.
EVIDENCE_MAX_BYTES = int(env("EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024)))

# The master key of the tender box (core.sealing): 32 bytes, URL-safe base64
# (`manage.py new_sealing_key` makes one). Without it no proposal is accepted.
SEALING_MASTER_KEY = env("SEALING_MASTER_KEY", "")

REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- e-mail -------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Innovation Partnerships <no-reply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- allauth: e-mail sign-in, mandatory verification, TOTP --------------
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_ADAPTER = "core.adapters.PortalAccountAdapter"
ACCOUNT_FORMS = {
    "signup": "core.forms.SupplierSignupForm",
    "login": "core.forms.PortalLoginForm",
    "reset_password": "core.forms.PortalResetPasswordForm",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Innovation Partnerships: "
ACCOUNT_RATE_LIMITS = {"login_failed": None}  # django-axes owns lockouts
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Innovation Partnerships"
MFA_ADAPTER = "core.adapters.PortalMFAAdapter"

# --- django-axes: lock the account and the address ----------------------
AXES_ENABLED = True
AXES_VERBOSE = False
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_HOURS", "1"))
AXES_USERNAME_FORM_FIELD = "email"
# Every sign-in form (allauth's "login", the credentials' "email", Django's
# "username") counts against the same lower-cased account.
AXES_USERNAME_CALLABLE = "core.axes.sign_in_account"
# Reverse proxies in front of the portal, each appending to X-Forwarded-For;
# 0 means none, and REMOTE_ADDR is the person signing in. Behind a proxy,
# without this every failure would count against the proxy's address.
PORTAL_PROXY_COUNT = int(env("DJANGO_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "core.axes.client_ip_address"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# The lockout page (templates/account/lockout.html) says how long the lock lasts.
AXES_LOCKOUT_CALLABLE = "core.views.accounts.lockout_response"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

# --- django-guardian ----------------------------------------------------
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# --- Celery: tasks that must not be lost --------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged only when it finishes, so a worker killed mid-task
# leaves it on the broker to be delivered again.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis redelivers an unacknowledged task after the visibility timeout; a
# task still running then would run twice, so the hard time limit stays well
# below it.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2}
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TIMEZONE = TIME_ZONE
# Publishing must not hang a web request when Redis is down: a document
# request stays pending and a periodic sweep re-enqueues it.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY = False
# Documents left pending that long (requested while the broker was down) are
# enqueued again by the beat task below.
DOCUMENT_REQUEUE_AFTER_MINUTES = int(env("DOCUMENT_REQUEUE_AFTER_MINUTES", "5"))
CELERY_BEAT_SCHEDULE = {
    "document-requeue-pending": {
        "task": "core.tasks.document_requeue_pending_task",
        "schedule": 60.0 * DOCUMENT_REQUEUE_AFTER_MINUTES,
    },
    # Every minute: a call closes within a minute of its deadline even with nobody visiting
    # (the server refuses late submissions at the deadline itself, whatever this does).
    "participation-close-due": {
        "task": "procurements.tasks.participation_close_due_task",
        "schedule": 60.0,
    },
}
# /health/ pings the broker unless tasks run in the web process (dev).
HEALTH_CHECK_BROKER = env_bool("HEALTH_CHECK_BROKER", True)

# --- Content Security Policy with nonces --------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": ["'none'"],
        "base-uri": [SELF],
        "object-src": ["'none'"],
    }
}

# --- security defaults (prod tightens) ----------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- the portal ---------------------------------------------------------
PORTAL_NAME = env("PORTAL_NAME", "Innovation Partnerships")
# Where the phase banner's "feedback" link sends people.
FEEDBACK_EMAIL = env("FEEDBACK_EMAIL", "feedback@example.org")
# Absolute links in e-mails sent outside a request (invitations).
PORTAL_BASE_URL = env("PORTAL_BASE_URL", "http://127.0.0.1:8000")
DEMO_PASSWORD = env("DEMO_PASSWORD", "demo-partnerships-2026")
DEMO_TOTP_SECRET = env("DEMO_TOTP_SECRET", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
DEMO_ACCOUNTS_ENABLED = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every rendering step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Successful sign-ins are in the audit trail; keep warnings (lockouts).
        "axes": {"level": "WARNING"},
    },
}
