"""Hamroh settings: one file, every knob from the environment (see the README's table).

The defaults make `make run` work on a laptop with nothing installed but Python:
SQLite and a folder-based Celery broker under var/. Production sets DATABASE_URL,
CELERY_BROKER_URL and the secrets; a missing or bad value stops start-up with a message
that names the variable.
"""

from __future__ import annotations

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEV_SECRET_KEY = "dev-insecure-key-never-use-in-production"  # noqa: S105
# A Fernet key for development only; production must set FIELD_ENCRYPTION_KEYS.
DEV_ENCRYPTION_KEY = "ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZCE="

# GENERAL
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default=DEV_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Comma-separated Fernet keys, newest first: the first encrypts, all decrypt (rotation).
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[DEV_ENCRYPTION_KEY])
# The public base URL used in links sent to migrants (SMS, Telegram, QR codes).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

if not DEBUG and not env.bool("ALLOW_DEV_SECRETS", default=False):
    if SECRET_KEY == DEV_SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: production (DEBUG off) refuses the development default."
        )
    if FIELD_ENCRYPTION_KEYS == [DEV_ENCRYPTION_KEY]:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS is not set: production refuses the development key."
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "django_celery_beat",
    "django_htmx",
    "simple_history",
    "ops",
    "accounts",
    "audit",
    "content",
    "cases",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "advisor.urls"
WSGI_APPLICATION = "advisor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cases.context_processors.organisation",
            ],
        },
    },
]

# DATABASES
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'hamroh.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: WAL plus immediate transactions and a busy
    # timeout keep "database is locked" away under concurrent writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# AUTH
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:dashboard"
LOGOUT_REDIRECT_URL = "login"

# I18N — English is the source language; Russian complete for the caseworker UI,
# all five for the migrant portal.
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("tg", _("Tajik")),
    ("uz", _("Uzbek")),
    ("ky", _("Kyrgyz")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Moscow")
USE_I18N = True
USE_TZ = True

# STATIC
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# EMAIL
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Hamroh <noreply@hamroh.local>")

# CELERY — the database is the source of truth; the broker only carries work.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # Broadcast (worker control) messages; the default is ./control in the working directory.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # A task not acknowledged within an hour is redelivered (acks_late); see docs/operations.md.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# With acks_late, a task running when the broker connection drops can no longer be acked:
# cancel it (it is redelivered, and the reminder ledger makes the rerun harmless).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "ops.tasks.heartbeat", "schedule": 60.0},
    "dispatch-reminders": {"task": "cases.tasks.dispatch_reminders", "schedule": 60.0},
}
# How old the last heartbeat may be before /healthz/ reports the workers as down.
HEARTBEAT_MAX_AGE_SECONDS = env.int("HEARTBEAT_MAX_AGE_SECONDS", default=180)

# REMINDERS — see docs/operations.md. Channel → backend: outbox (var/outbox/, one JSON file per
# message, the development default), django (email through EMAIL_URL), smsru (SMS.ru HTTP API),
# telegram (Bot API sendMessage).
REMINDER_BACKENDS = env.dict(
    "REMINDER_BACKENDS", default={"sms": "outbox", "telegram": "outbox", "email": "outbox"}
)
REMINDER_OUTBOX_DIR = Path(env.str("REMINDER_OUTBOX_DIR", default=str(VAR_DIR / "outbox")))
# Local hour (organisation time zone) at which a day's reminders are planned.
REMINDER_SEND_HOUR = env.int("REMINDER_SEND_HOUR", default=10)
REMINDER_BATCH_SIZE = env.int("REMINDER_BATCH_SIZE", default=500)
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", default=5)
# Backoff after a transient provider error: base × 2^(attempt − 1) seconds.
REMINDER_RETRY_BASE_SECONDS = env.int("REMINDER_RETRY_BASE_SECONDS", default=60)
# A claim older than this was abandoned by a dead worker and is taken up again.
REMINDER_CLAIM_TIMEOUT_SECONDS = env.int("REMINDER_CLAIM_TIMEOUT_SECONDS", default=300)
SMSRU_API_ID = env.str("SMSRU_API_ID", default="")
SMSRU_API_URL = env.str("SMSRU_API_URL", default="https://sms.ru")
SMSRU_FROM = env.str("SMSRU_FROM", default="")
SMSRU_TEST = env.bool("SMSRU_TEST", default=False)
TELEGRAM_BOT_TOKEN = env.str("TELEGRAM_BOT_TOKEN", default="")
TELEGRAM_API_URL = env.str("TELEGRAM_API_URL", default="https://api.telegram.org")
# Seconds to wait for an SMS or Telegram provider before the attempt counts as a transient failure.
PROVIDER_TIMEOUT_SECONDS = env.float("PROVIDER_TIMEOUT_SECONDS", default=10.0)

# DRF
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hamroh API",
    "DESCRIPTION": "Case management for NGOs helping labour migrants.",
    "VERSION": "1.0.0",
}

# SECURITY
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# LOGGING — messages name ids, never people.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
