"""Hamroh settings: one file, every knob from the environment (see the README's table).

The defaults make `make run` work on a laptop with nothing installed but Python:
SQLite and a folder-based Celery broker under var/. Production sets DATABASE_URL,
CELERY_BROKER_URL and the secrets; a missing or bad value stops start-up with a message
that names the variable.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

_BOOLEANS = {"true": True, "1": True, "yes": True, "on": True,
             "false": False, "0": False, "no": False, "off": False, "": False}  # fmt: skip


def env_bool(name: str, default: bool) -> bool:
    """A strict boolean: a typo such as DEBUG=ture stops start-up instead of meaning False."""
    raw = env.str(name, default=str(default)).strip().lower()
    if raw not in _BOOLEANS:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use true or false.")
    return _BOOLEANS[raw]


def env_db(name: str, default: str) -> dict:
    url = env.str(name, default=default)
    scheme = url.partition("://")[0]
    if scheme not in environ.Env.DB_SCHEMES:
        raise ImproperlyConfigured(
            f"{name} has an unknown scheme {scheme!r}: use postgres://… or sqlite:///…"
        )
    return environ.Env.db_url_config(url)


DEV_SECRET_KEY = "dev-insecure-key-never-use-in-production"  # noqa: S105
# A Fernet key for development only; production must set FIELD_ENCRYPTION_KEYS.
DEV_ENCRYPTION_KEY = "ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZCE="

# GENERAL
DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default=DEV_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Comma-separated Fernet keys, newest first: the first encrypts, all decrypt (rotation).
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[DEV_ENCRYPTION_KEY])
# HMAC key of the blind indexes (exact-match search on passport numbers). Kept apart from the
# encryption keys so rotating those leaves the indexes valid; empty = derive from the oldest key.
FIELD_HASH_KEY = env.str("FIELD_HASH_KEY", default="")
# Closed cases' migrants are anonymised this many days after the last case closed (nightly job).
RETENTION_DAYS = env.int("RETENTION_DAYS", default=730)
# Where generated export files are written; erasure scrubs them.
EXPORTS_DIR = Path(env.str("EXPORTS_DIR", default=str(VAR_DIR / "exports")))
# The public base URL used in links sent to migrants (SMS, Telegram, QR codes).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

if not DEBUG and not env_bool("ALLOW_DEV_SECRETS", default=False):
    if SECRET_KEY == DEV_SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: production (DEBUG off) refuses the development default. "
            "For development set DEBUG=true (as `make run` does)."
        )
    if FIELD_ENCRYPTION_KEYS == [DEV_ENCRYPTION_KEY]:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS is not set: production refuses the development key. "
            "For development set DEBUG=true (as `make run` does)."
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
    "drf_spectacular_sidecar",
    "corsheaders",
    "django_filters",
    "django_celery_beat",
    "django_htmx",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "rosetta",
    "ops",
    "accounts",
    "audit",
    "content",
    "cases",
    "portal",
    "stats",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "ops.middleware.RejectInvalidUTF8Middleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "cases.middleware.MFARequiredMiddleware",
    "accounts.middleware.NoStoreMiddleware",
    "accounts.middleware.AuthzFailureAuditMiddleware",
    "audit.reads.ReadAuditMiddleware",
    "csp.middleware.CSPMiddleware",
    "cases.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
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
DATABASES = {"default": env_db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'hamroh.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: WAL plus immediate transactions and a busy
    # timeout keep "database is locked" away under concurrent writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not memory, so a Celery worker process in the integration tests sees the same data.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
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
# Throttling first (django-axes per username, then per client IP), then the password check.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ThrottlingAxesBackend",
    "accounts.backends.IPThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# A username is refused from its 6th failed attempt within 15 minutes, known user or not.
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # per-IP counting below reads these rows
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# How many reverse proxies (each appending to X-Forwarded-For) stand in front of the app. Every
# per-address decision reads the client address through it (accounts.backends.client_ip): the
# sign-in throttle, the portal's rate limit, the API throttle and the audit log's addresses.
# 0: the socket address, so a client cannot pick its own.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.backends.client_ip"
AXES_VERBOSE = False
# One client address is refused after this many failed logins in the window (any usernames).
LOGIN_IP_FAILURE_LIMIT = env.int("LOGIN_IP_FAILURE_LIMIT", default=20)
LOGIN_IP_WINDOW_SECONDS = 60
# axes.W006 wants ip_address in the lockout parameters; per-IP throttling is done by
# accounts.backends.IPThrottleBackend instead, because one office NAT must not lock out everyone.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Two-factor authentication (django-otp): required for platform and organisation admins and
# for members of organisations that ask for it. MFA_ENFORCED=false only for the test suite.
MFA_ENFORCED = env_bool("MFA_ENFORCED", default=True)
OTP_TOTP_ISSUER = "Hamroh"
# Whose audit log a request may read (the organisation it administers, or None): the core's
# rule, passed to the audit app, which knows no memberships.
AUDIT_LOG_ORGANISATION = "cases.organisations.administered_organisation"
# Sessions end after 30 minutes idle and 12 hours in all (NIST SP 800-63B AAL2).
SESSION_IDLE_TIMEOUT_SECONDS = env.int("SESSION_IDLE_TIMEOUT_SECONDS", default=30 * 60)
SESSION_ABSOLUTE_TIMEOUT_SECONDS = env.int("SESSION_ABSOLUTE_TIMEOUT_SECONDS", default=12 * 3600)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT_SECONDS
# Sessions are read from the cache (written through to the database): one query less on every
# signed-in request. Several web processes need the shared cache (CACHE_URL=redis://…) so a
# sign-out in one is seen by all; revocation (User.sessions_revoked_at) is read from the user row.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
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
# Extra date formats (Uzbek in Cyrillic script, migrant portal); Django's own apply otherwise.
FORMAT_MODULE_PATH = ["portal.formats"]
# Volunteer translators edit the catalogues in the browser (django-rosetta at /translate/): only
# the translators group or a superuser, with 2FA (portal.review.can_translate). Saving an entry
# records who reviewed it (docs/portal.md).
ROSETTA_ACCESS_CONTROL_FUNCTION = "portal.review.can_translate"
ROSETTA_LANGUAGES = [
    ("ru", "Русский"),
    ("tg", "Тоҷикӣ"),
    ("uz", "Oʻzbekcha"),
    ("uz-cyrl", "Ўзбекча"),
    ("ky", "Кыргызча"),
]
ROSETTA_MESSAGES_SOURCE_LANGUAGE_CODE = "en"
ROSETTA_POFILE_WRAP_WIDTH = 79  # as makemessages writes them: no rewrap noise in the diffs
ROSETTA_EXCLUDED_APPLICATIONS = ("rosetta",)
ROSETTA_SHOW_AT_ADMIN_PANEL = True
# The working copy lives in the session, not a per-process cache: gunicorn runs several workers.
ROSETTA_STORAGE_CLASS = "rosetta.storage.SessionRosettaStorage"
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
    # kombu's filesystem transport with atomic writes and claims (several processes use it).
    CELERY_BROKER_TRANSPORT = "ops.broker:Transport"
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
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
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
    "heartbeat": {
        "task": "ops.tasks.heartbeat",
        "schedule": env.float("HEARTBEAT_INTERVAL_SECONDS", default=60.0),
    },
    "dispatch-reminders": {"task": "cases.tasks.dispatch_reminders", "schedule": 60.0},
    "webhooks-overdue": {"task": "api.tasks.emit_overdue_webhooks", "schedule": 15 * 60.0},
    "api-idempotency-purge": {"task": "api.tasks.purge_idempotency_records", "schedule": 3600.0},
    # Nightly: anonymise migrants whose cases closed more than RETENTION_DAYS ago.
    "retention": {"task": "cases.tasks.apply_retention", "schedule": crontab(hour=2, minute=30)},
}
# Finished export files are deleted after STATS_EXPORT_TTL_DAYS (stats.tasks).
CELERY_BEAT_SCHEDULE["stats-expire-exports"] = {
    "task": "stats.tasks.expire_exports",
    "schedule": 3600.0,
}
# Background exports whose worker died are started again (stats.services).
CELERY_BEAT_SCHEDULE["stats-recover-exports"] = {
    "task": "stats.tasks.recover_stalled_exports",
    "schedule": 120.0,
}
# How old the last heartbeat may be before /healthz/ reports the workers as down.
HEARTBEAT_MAX_AGE_SECONDS = env.int("HEARTBEAT_MAX_AGE_SECONDS", default=180)

# MIGRANT PORTAL (/m/)
# Days after a case closes during which the migrant's personal link still works.
PORTAL_LINK_DAYS_AFTER_CLOSE = env.int("PORTAL_LINK_DAYS_AFTER_CLOSE", default=30)
# The general hotline shown where the organisation is unknown (e.g. an invalid link).
PORTAL_HOTLINE = env.str("PORTAL_HOTLINE", default="+7 800 000-00-00")
# Where the quick-exit button leaves to: a neutral site.
PORTAL_QUICK_EXIT_URL = env.str("PORTAL_QUICK_EXIT_URL", default="https://www.google.com/")
# Wrong code/PIN tries free per code, address and device within the window; then backoff.
PORTAL_LOGIN_MAX_FAILURES = env.int("PORTAL_LOGIN_MAX_FAILURES", default=5)
PORTAL_LOGIN_WINDOW_MINUTES = env.int("PORTAL_LOGIN_WINDOW_MINUTES", default=15)
# After the free tries, each wrong one doubles the wait before the next (portal.throttle).
PORTAL_LOGIN_BACKOFF_SECONDS = env.int("PORTAL_LOGIN_BACKOFF_SECONDS", default=30)
# STATISTICS — counts below STATS_MIN_CELL are hidden in anything that leaves an organisation.
STATS_MIN_CELL = env.int("STATS_MIN_CELL", default=5)
# Case-level exports with more rows than this run as a Celery job with a progress page.
STATS_BACKGROUND_EXPORT_ROWS = env.int("STATS_BACKGROUND_EXPORT_ROWS", default=50_000)
# One folder for every export file, so erasure (cases.privacy) finds them all.
STATS_EXPORT_DIR = EXPORTS_DIR
STATS_EXPORT_TTL_DAYS = env.int("STATS_EXPORT_TTL_DAYS", default=7)

# REMINDERS — see docs/operations.md. Channel → backend: outbox (var/outbox/, one JSON file per
# message, the development default), django (email through EMAIL_URL), smsru (SMS.ru HTTP API),
# telegram (Bot API sendMessage).
REMINDER_BACKENDS = env.dict(
    "REMINDER_BACKENDS", default={"sms": "outbox", "telegram": "outbox", "email": "outbox"}
)
REMINDER_OUTBOX_DIR = Path(env.str("REMINDER_OUTBOX_DIR", default=str(VAR_DIR / "outbox")))
# Local hour (organisation time zone) at which a day's reminders are planned.
REMINDER_SEND_HOUR = env.int("REMINDER_SEND_HOUR", default=10)
# How long the caseworker who closed a case may undo it themself (cases.case_life).
CASE_CLOSE_UNDO_MINUTES = env.int("CASE_CLOSE_UNDO_MINUTES", default=10)
REMINDER_BATCH_SIZE = env.int("REMINDER_BATCH_SIZE", default=500)
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", default=5)
# Backoff after a transient provider error: base × 2^(attempt − 1) seconds.
REMINDER_RETRY_BASE_SECONDS = env.int("REMINDER_RETRY_BASE_SECONDS", default=60)
# A claim older than this was abandoned by a dead worker and is taken up again.
REMINDER_CLAIM_TIMEOUT_SECONDS = env.int("REMINDER_CLAIM_TIMEOUT_SECONDS", default=300)
SMSRU_API_ID = env.str("SMSRU_API_ID", default="")
SMSRU_API_URL = env.str("SMSRU_API_URL", default="https://sms.ru")
SMSRU_FROM = env.str("SMSRU_FROM", default="")
SMSRU_TEST = env_bool("SMSRU_TEST", default=False)
TELEGRAM_BOT_TOKEN = env.str("TELEGRAM_BOT_TOKEN", default="")
TELEGRAM_API_URL = env.str("TELEGRAM_API_URL", default="https://api.telegram.org")
# The bot's @username (without @) for t.me/<bot>?start=<code> links on handouts and the portal.
TELEGRAM_BOT_USERNAME = env.str("TELEGRAM_BOT_USERNAME", default="")
# Telegram sends it in X-Telegram-Bot-Api-Secret-Token (setWebhook secret_token); empty: no webhook.
TELEGRAM_WEBHOOK_SECRET = env.str("TELEGRAM_WEBHOOK_SECRET", default="")
# How long a start code on a handout keeps working.
TELEGRAM_START_CODE_DAYS = env.int("TELEGRAM_START_CODE_DAYS", default=30)
# Seconds to wait for an SMS or Telegram provider before the attempt counts as a transient failure.
PROVIDER_TIMEOUT_SECONDS = env.float("PROVIDER_TIMEOUT_SECONDS", default=10.0)


# DRF — the integration API under /api/v1/ (api/). Tokens come first so a request
# without credentials gets 401 with a WWW-Authenticate header, not 403.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.IPThrottle", "api.throttling.ClientThrottle"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.CursorPage",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.BoundedJSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # The per-address throttle reads X-Forwarded-For as client_ip does (same count).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
# Requests per period ("100/min", "1000/hour"); read at request time, so tests can override.
API_THROTTLE_RATES = {
    "ip": env.str("API_THROTTLE_IP", default="600/min"),
    "client": env.str("API_THROTTLE_CLIENT", default="300/min"),
    "token_obtain": env.str("API_THROTTLE_TOKEN_OBTAIN", default="10/min"),
    "preview": env.str("API_THROTTLE_PREVIEW", default="30/min"),
}
# Integration tokens expire this many days after they are issued.
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=90)
# A stored Idempotency-Key answer is replayed for this many hours, then forgotten.
API_IDEMPOTENCY_TTL_HOURS = env.int("API_IDEMPOTENCY_TTL_HOURS", default=24)
SPECTACULAR_SETTINGS = {
    "TITLE": "Hamroh API",
    "DESCRIPTION": "Case management for NGOs helping labour migrants.",
    "VERSION": "1.0.0",
    # Swagger UI and ReDoc are served from this server (drf-spectacular-sidecar), not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "cases.models.Case.Status",
        "ChecklistStateEnum": "cases.models.ChecklistItem.State",
        "DeadlineStateEnum": "cases.models.Deadline.State",
        "ReminderStateEnum": "cases.models.Reminder.State",
        "DeliveryStateEnum": "cases.models.Delivery.State",
        "ProblemTypeEnum": "cases.models.Case.ProblemType",
        "RuleUnitEnum": "content.models.DeadlineRule.Unit",
        "ConsentChannelEnum": "cases.models.Consent.Channel",
        "CallOutcomeEnum": "cases.models.Call.Outcome",
        "OutcomeEnum": "cases.models.Case.Outcome",  # the name it had before calls had one
        "CallLanguageEnum": "cases.models.Call.Language",
        "CallLineEnum": "cases.models.Call.Line",
    },
}
# CORS: closed unless origins are listed (comma-separated), and only for the API.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"

# SECURITY
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No page needs a camera, microphone, location, payment or USB: a script injected into any page
# cannot ask for them either. fullscreen stays for our own origin (PDF preview).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
} | {"fullscreen": ["self"]}
SESSION_COOKIE_SAMESITE = "Lax"
if SESSION_COOKIE_SECURE:
    # __Host- cookies: only over HTTPS, only for this exact host, path "/".
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
# HTTPS everywhere: one year of HSTS including subdomains (ASVS 3.4.1).
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    # Documented exception (docs/security.md): preloading binds the NGO's whole parent domain
    # and every subdomain to HTTPS for years; opt in with SECURE_HSTS_PRELOAD=true.
    SILENCED_SYSTEM_CHECKS += ["security.W021"]
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
if env_bool("BEHIND_TLS_PROXY", default=False):
    # Only behind a proxy that overwrites this header from clients.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Health probes come over plain HTTP from the orchestrator.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Content-Security-Policy (django-csp 4): scripts only from us or with the per-response nonce;
# no inline script, no eval, no plugins, no framing, no <base> tricks.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# LOGGING — messages name ids, never people.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # A backstop: phone numbers, passport-like numbers and e-mail addresses are masked.
    "filters": {"scrub_pii": {"()": "audit.logging.ScrubPersonalData"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["scrub_pii"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # fpdf2's font subsetting lists the glyphs of every PDF at INFO: noise, and a hint of content.
    "loggers": {"fontTools": {"level": "WARNING"}},
}
