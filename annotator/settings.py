"""Settings for annotator. Every difference between installations comes from the environment."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from annotator.database import database_config

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("ANNOTATOR_DATA_DIR", BASE_DIR / ".data"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


DEBUG = env_bool("DEBUG", False)
# Production means TLS in front of the app. `make run` serves plain HTTP on loopback and says so.
HTTPS = env_bool("HTTPS", True)


def read_secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "").strip()
    key_file = Path(os.environ.get("SECRET_KEY_FILE", DATA_DIR / "secret_key"))
    if not key and key_file.is_file():
        key = key_file.read_text().strip()
    if not key and DEBUG:
        key = "debug-only-insecure-key-" + "x" * 40
    weak = len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure")  # as check --deploy judges
    if weak or (key.startswith("debug-only") and not DEBUG):
        raise ImproperlyConfigured(
            "SECRET_KEY is missing or too weak: set SECRET_KEY (50+ random characters) "
            f"or put one in {key_file} (`make run` and `make test` create it)."
        )
    return key


SECRET_KEY = read_secret_key()
# The port `make run` serves on (gunicorn.conf.py reads it too).
PORT = env_int("PORT", 8000)
# Where the app is served, for the absolute links inside exports (W3C and ClaimReview IRIs).
SITE_URL = (os.environ.get("SITE_URL", "").strip() or f"http://127.0.0.1:{PORT}").rstrip("/")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "procrastinate.contrib.django",
    "annotator.accounts",
    "annotator.articles",
    "annotator.annotations",
    "annotator.reports",
    "annotator.api",
    "annotator.exports",
    "annotator.suggestions",
    "annotator.idempotency",
    "annotator.jobs",
]

MIDDLEWARE = [
    "annotator.middleware.RequestSizeLimitMiddleware",  # first: before anything reads the body
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "annotator.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "annotator.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "annotator.urls"
WSGI_APPLICATION = "annotator.wsgi.application"

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
                "annotator.context_processors.csp_nonce",
            ],
            # `lang_attr` marks article text with its language wherever it is shown.
            "builtins": ["annotator.articles.templatetags.articles"],
        },
    },
]

DATABASES = {"default": database_config(BASE_DIR)}
# The default cache is in PostgreSQL, so that every worker and host counts the same API throttle; its table
# is made by the migration accounts/0003_cache_table. "figures" is each process's own memory: what it holds
# (dashboard and suggestion figures) is checked against a version in the database before it is served.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "annotator_cache"},
    "figures": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "figures"},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT failed logins for one username from one address, that
# pair is refused for LOGIN_LOCKOUT_MINUTES (429, a page or a JSON error), on the login page, the admin's and
# POST /api/v1/auth/token/ alike; `manage.py axes_reset_username NAME` unlocks early. Attempts are kept in the
# database, so every worker sees them.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "annotator.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "annotator.accounts.lockout.client_ip"
AXES_VERBOSE = False

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The work queue gives an article back to the pool when its taker left it untouched this long.
QUEUE_TIMEOUT_HOURS = env_int("QUEUE_TIMEOUT_HOURS", 24)

# A create sent again with the same Idempotency-Key (or the same workspace form) within this many hours is
# answered as the first time and stores nothing new (annotator/idempotency).
IDEMPOTENCY_KEY_HOURS = env_int("IDEMPOTENCY_KEY_HOURS", 24)

# Suggesters pre-annotate articles (origin "suggested"): dotted paths of classes (made with no arguments)
# or objects with a `name` and a `suggest(body, title="")` method (annotator/suggestions/base.py).
# An empty SUGGESTERS turns suggestions off; SUGGEST_ON_IMPORT=false keeps them to the Suggest button.
SUGGESTERS = env_list(
    "SUGGESTERS", "annotator.suggestions.quotes.QuoteSuggester,annotator.suggestions.claims.ClaimSuggester"
)
SUGGEST_ON_IMPORT = env_bool("SUGGEST_ON_IMPORT", True)
# A suggester still working on an article after this many seconds is stopped and its work on that article
# dropped (counted as a failure), so that an import or the Suggest button always answers; 0: no limit.
SUGGEST_TIME_BUDGET_SECONDS = env_int("SUGGEST_TIME_BUDGET_SECONDS", 5)

# Jobs (docs/jobs.md): procrastinate's queue lives in the same PostgreSQL database. Its workers delete the queue
# rows of jobs that succeeded (our own Job rows keep the history); a job's tasks are found in <app>/tasks.py.
PROCRASTINATE_WORKER_DEFAULTS = {"delete_jobs": "successful"}
# Exports to a file are written here (a folder every web and worker host shares) and deleted this long after.
EXPORT_DIR = Path(os.environ.get("EXPORT_DIR", DATA_DIR / "exports"))
EXPORT_RETENTION_HOURS = env_int("EXPORT_RETENTION_HOURS", 24)
# An export job writes how far it has got at most this often (milliseconds; 0: after every article's chunk).
EXPORT_PROGRESS_MS = env_int("EXPORT_PROGRESS_MS", 1000)
# An import job stores this many records per transaction: the unit of its progress, of cancelling, and of what a
# worker killed midway leaves behind (whole batches only).
JOB_IMPORT_BATCH_SIZE = env_int("JOB_IMPORT_BATCH_SIZE", 500)

# Uploads: a whole file is read by the ingestion code, so refuse what it would refuse anyway.
ARTICLE_MAX_BODY_BYTES = env_int("ARTICLE_MAX_BODY_BYTES", 2_000_000)
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 200 * 1024 * 1024)
UPLOAD_MAX_UNZIPPED_BYTES = env_int("UPLOAD_MAX_UNZIPPED_BYTES", 1024 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Security headers. CSP is enforced, not report-only: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front of the app append to X-Forwarded-For: a client is the address the outermost of them
# saw, or with none the connection's. The header is otherwise the client's own word, and trusting it would let a
# script escape the API throttle and the login lockout by sending a new address each time.
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 1 if BEHIND_TLS_PROXY else 0)
if TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES must be 0 or more, not {TRUSTED_PROXIES}")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["annotator.api.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": [],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "annotator.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": env_list("TOKEN_THROTTLE", "20/minute")[0]},
    "NUM_PROXIES": TRUSTED_PROXIES,  # as annotator.accounts.lockout.client_ip counts them for the login lockout
    # `?format=` belongs to the export endpoint, not to DRF's renderer switch.
    "URL_FORMAT_OVERRIDE": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "annotator API",
    "DESCRIPTION": "Annotate news articles: quotes, claims and stances; review; export. "
    "Offsets count Unicode code points, half-open [start, end).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Jobs have a `kind` too: each choice set gets its own name.
    "ENUM_NAME_OVERRIDES": {
        "KindEnum": "annotator.annotations.kinds.Kind",
        "JobKindEnum": "annotator.jobs.models.JobKind",
        "JobStateEnum": "annotator.jobs.models.JobState",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
