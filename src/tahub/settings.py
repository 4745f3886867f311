"""Settings for tahub, read only from ``TAHUB_*`` environment variables.

Every variable read here is listed, with its default, in ``SETTINGS_DOCUMENTED`` at the
bottom of this module and in the README's configuration table; a test keeps them in step.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent


def env(name, default=""):
    return os.environ.get(f"TAHUB_{name}", default)


def env_bool(name, default=False):
    value = env(name, "1" if default else "0").strip().lower()
    return value in {"1", "true", "yes", "on"}


def env_int(name, default):
    return int(env(name, str(default)))


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
DATA_DIR = Path(env("DATA_DIR", str(PROJECT_DIR / "var")))

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "TAHUB_SECRET_KEY must be set when TAHUB_DEBUG is off. "
            "Set TAHUB_DEBUG=1 for a local demo, or give a long random TAHUB_SECRET_KEY."
        )
    SECRET_KEY = "insecure-development-key-only-used-when-TAHUB_DEBUG-is-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "axes",
    "csp",
    "django_htmx",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "tahub.core",
    "tahub.reference",
    "tahub.accounts",
    "tahub.assessments",
    "tahub.offers",
    "tahub.assistance",
    "tahub.matching",
    "tahub.reports",
    "tahub.planning",
    "tahub.portal",
    "tahub.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "tahub.api.middleware.ApiErrorShapeMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tahub.urls"
WSGI_APPLICATION = "tahub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tahub.core.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite under DATA_DIR by default; any dj-database-url URL otherwise.
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'tahub.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets a web process and a task worker write at once; the busy timeout makes a
    # writer wait for the other instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env("REDIS_URL"):
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")}

# Accounts and sign-in
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"
# Inactivity timeout: every request renews the session, so it ends after this many idle seconds.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

AXES_FAILURE_LIMIT = env_int("SIGNIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGNIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "tahub.accounts.signin.lockout_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Languages: the six UN languages; Arabic is right-to-left.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", "العربية"),
    ("zh-hans", "中文"),
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("ru", "Русский"),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("TIME_ZONE", "Europe/Zurich")

# Static and uploaded files, served by the app itself (no asset from the internet).
STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(DATA_DIR / "static")))
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# E-mail
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "tahub <noreply@localhost>")
# The address people reach tahub at, for the links in e-mails.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Planning: how long after an activity ends its Parties are asked for a follow-up evaluation, and
# the IATI organisation identifier the activities are published under.
TAHUB_EVALUATION_AFTER_MONTHS = env_int("EVALUATION_AFTER_MONTHS", 6)
TAHUB_IATI_REPORTING_ORG = env("IATI_REPORTING_ORG", "XM-DAC-41116")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks: run at once in the demo; in production a worker (`tahub db_worker`).
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[env("TASKS_BACKEND", "immediate")]
    }
}

# Security headers and cookies. With TAHUB_DEBUG off everything is strict by default.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_MAX_PER_PAGE_SIZE = 200

SITE_NAME = _("tahub — Basel Convention technical assistance")

# Every TAHUB_* variable this module reads, with its default and meaning. The README's
# configuration table and this dict are kept equal by tests/test_docs.py.
SETTINGS_DOCUMENTED = {
    "TAHUB_DEBUG": "0",
    "TAHUB_SECRET_KEY": "(required when TAHUB_DEBUG is off)",
    "TAHUB_ALLOWED_HOSTS": "127.0.0.1,localhost in debug, empty otherwise",
    "TAHUB_CSRF_TRUSTED_ORIGINS": "(empty)",
    "TAHUB_DATA_DIR": "var/",
    "TAHUB_DATABASE_URL": "sqlite:///var/tahub.sqlite3",
    "TAHUB_DB_CONN_MAX_AGE": "0",
    "TAHUB_REDIS_URL": "(empty: in-process cache)",
    "TAHUB_SESSION_IDLE_TIMEOUT": "1800",
    "TAHUB_SIGNIN_FAILURE_LIMIT": "5",
    "TAHUB_SIGNIN_COOLOFF_MINUTES": "15",
    "TAHUB_PROXY_COUNT": "0",
    "TAHUB_BEHIND_PROXY": "0",
    "TAHUB_SSL_REDIRECT": "1",
    "TAHUB_HSTS_SECONDS": "31536000",
    "TAHUB_TIME_ZONE": "Europe/Zurich",
    "TAHUB_STATIC_ROOT": "var/static",
    "TAHUB_MEDIA_ROOT": "var/media",
    "TAHUB_EMAIL_BACKEND": "console in debug, SMTP otherwise",
    "TAHUB_EMAIL_HOST": "localhost",
    "TAHUB_EMAIL_PORT": "25",
    "TAHUB_EMAIL_HOST_USER": "(empty)",
    "TAHUB_EMAIL_HOST_PASSWORD": "(empty)",
    "TAHUB_EMAIL_USE_TLS": "0",
    "TAHUB_DEFAULT_FROM_EMAIL": "tahub <noreply@localhost>",
    "TAHUB_SITE_URL": "http://127.0.0.1:8000",
    "TAHUB_TASKS_BACKEND": "immediate",
    "TAHUB_LOG_LEVEL": "INFO",
    "TAHUB_EVALUATION_AFTER_MONTHS": "6",
    "TAHUB_IATI_REPORTING_ORG": "XM-DAC-41116",
}
