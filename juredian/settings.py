"""Settings for 聚热点 juredian, read from the environment in this one module (12-factor).

See `.env.example` for every variable. Development defaults are safe; nothing secret is
hard-coded: without `SECRET_KEY` one is generated once into `var/secret_key`.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from juredian.database import embedded_database, parse_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no), got {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from None


def stored_secret_key(path: Path) -> str:
    """A key generated once per checkout: sessions survive restarts, no secret is committed."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG")
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
# A server on a shared database is one of several: a key made here would differ from the
# others', and reads' fingerprints and signed takedown links would disagree between them.
# So only the embedded database (one machine) or DEBUG makes one; see the check below.
KEY_MUST_BE_GIVEN = bool(DATABASE_URL) and not DEBUG
SECRET_KEY_FILE = VAR_DIR / "secret_key"
SECRET_KEY_FROM_ENVIRONMENT = bool(os.environ.get("SECRET_KEY"))
SECRET_KEY = os.environ.get("SECRET_KEY") or (
    "" if KEY_MUST_BE_GIVEN else stored_secret_key(SECRET_KEY_FILE)
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "juredian.views.csrf_failure"  # in Chinese, inside the site frame
# The public address, for links in emails (sent where no request is at hand).
SITE_URL = (
    os.environ.get("SITE_URL") or f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
).rstrip("/")

# Behind a reverse proxy that terminates TLS (see README, "Production").
if env_bool("BEHIND_HTTPS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# Features no page of ours uses, refused for every frame (Permissions-Policy).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), browsing-topics=()"
)
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST")

INSTALLED_APPS = [
    "juredian",  # first: its `runserver` (which starts the background runner) wins
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",
    "taggit",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "articles",
    "articles.takedown.apps.TakedownConfig",
    "trending",
    "search",
]

MIDDLEWARE = [
    # Outermost: compression and HEAD/304 rules apply to stored pages as to fresh ones.
    "juredian.compression.TransferMiddleware",
    "juredian.traditional.TraditionalMiddleware",  # /zh-hant/…: the page, in Traditional
    # Readers' stored pages are served before anything else runs (they were stored with
    # every header below); the replica's marker first, as the page's version is read there.
    "juredian.replica.ReplicaMiddleware",
    "articles.page_cache.ReaderPagesMiddleware",
    "juredian.middleware.MethodsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "juredian.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "juredian.middleware.NulCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

# Content-Security-Policy (django-csp): our own scripts, styles and images only; no inline
# script anywhere (JSON-LD is data, which browsers do not run).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Admin sign-in (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account, or
# from one address, sign-in is refused for SIGNIN_LOCKOUT_MINUTES. A 主编 lifts it in the
# admin (访问尝试), or `manage.py axes_reset_username NAME` / `axes_reset_ip ADDRESS`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("SIGNIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGNIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]  # each on its own
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "articles.clients.client_address"
AXES_LOCKOUT_CALLABLE = "juredian.views.signin_locked"
AXES_VERBOSE = False

ROOT_URLCONF = "juredian.urls"
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"  # widgets may use templates/
WSGI_APPLICATION = "juredian.wsgi.application"

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
                "juredian.context_processors.languages",
            ],
        },
    },
]

CONN_MAX_AGE = env_int("CONN_MAX_AGE", 60)
DATABASES = {
    "default": parse_database_url(DATABASE_URL, conn_max_age=CONN_MAX_AGE)
    if DATABASE_URL
    else embedded_database(VAR_DIR / "postgres", conn_max_age=CONN_MAX_AGE)
}
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set: with DATABASE_URL and DEBUG off, every server needs the same "
        "SECRET_KEY in its environment"
    )
# An optional streaming replica for readers' pages (see juredian/replica.py).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **parse_database_url(DATABASE_REPLICA_URL, conn_max_age=CONN_MAX_AGE),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["juredian.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "").strip()
# Seconds to wait for Redis: a dead one then costs each process one such wait every few
# seconds (see juredian/cache.py), not one per request.
REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT") or 1)
# Whole pages kept for anonymous readers in this process when there is no Redis (bytes).
PAGE_CACHE_MAX_BYTES = env_int("PAGE_CACHE_MAX_MB", 48) * 1024 * 1024


def redis_cache(*, degrade: bool) -> dict:
    return {
        "BACKEND": "juredian.cache.NewsroomRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "juredian"),
        "OPTIONS": {
            "socket_connect_timeout": REDIS_TIMEOUT,
            "socket_timeout": REDIS_TIMEOUT,
            "degrade": degrade,
        },
    }


# Three aliases: `default` (navigation, 热传, suggestions, sessions, rate limits) and `pages`
# (whole pages) answer as an empty cache while Redis is down; `reads` (the read buffer)
# raises instead, so that reads wait in the process until they have really arrived.
if REDIS_URL:
    CACHES = {
        "default": redis_cache(degrade=True),
        "pages": redis_cache(degrade=True),
        "reads": redis_cache(degrade=False),
    }
else:
    local = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "juredian",  # `default` and `reads` share it
        # Room for 30 minutes of reader fingerprints and unflushed reads in one process.
        "OPTIONS": {"MAX_ENTRIES": 300_000},
    }
    CACHES = {
        "default": local,
        "reads": local,
        "pages": {
            "BACKEND": "juredian.cache.BoundedMemoryCache",
            "LOCATION": "juredian-pages",
            "OPTIONS": {"max_bytes": PAGE_CACHE_MAX_BYTES},
        },
    }
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]  # what Django's own zh-hans catalogue leaves in English
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads: on this server's disk (make run), or in an S3-compatible object store shared by
# every app server (S3_ENDPOINT_URL; the cluster runs SeaweedFS) through django-storages.
# Takedown attachments go to their own private bucket: never public, no URL serves them.
S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL", "").strip()
S3_OPTIONS = {
    "endpoint_url": S3_ENDPOINT_URL,
    "access_key": os.environ.get("S3_ACCESS_KEY", ""),
    "secret_key": os.environ.get("S3_SECRET_KEY", ""),
    "region_name": os.environ.get("S3_REGION", "us-east-1"),
    "file_overwrite": False,
    "default_acl": None,
}
if S3_ENDPOINT_URL:  # fail fast when the store is down: the upload is refused, not hung
    from botocore.config import Config

    S3_OPTIONS["client_config"] = Config(
        connect_timeout=1, read_timeout=5, retries={"max_attempts": 1}
    )
STORAGES = {
    "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **S3_OPTIONS,
            "bucket_name": os.environ.get("S3_MEDIA_BUCKET", "juredian-media"),
            "querystring_auth": False,  # public: readers fetch /media/… through the edge
            "custom_domain": os.environ.get("S3_MEDIA_DOMAIN") or None,
        },
    }
    if S3_ENDPOINT_URL
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **S3_OPTIONS,
            "bucket_name": os.environ.get("S3_PRIVATE_BUCKET", "juredian-private"),
            "querystring_auth": True,
        },
    }
    if S3_ENDPOINT_URL
    else {"BACKEND": "articles.takedown.storage.PrivateStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = os.environ.get("MEDIA_URL") or "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or VAR_DIR / "media")
# Django serves uploads itself unless the proxy does (production: SERVE_MEDIA=0, nginx /media/).
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "聚热点 <noreply@juredian.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TAGGIT_CASE_INSENSITIVE = True

LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (403, 400, 404…) is one line in the log, not a traceback.
    "filters": {"one_line_refusals": {"()": "juredian.middleware.OneLineRefusals"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["one_line_refusals"],
            # On the handler too: Django's own loggers pass INFO records up to it.
            "level": LOG_LEVEL,
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

# 热传: reads weigh half as much every TRENDING_HALF_LIFE_HOURS, over TRENDING_WINDOW_DAYS.
TRENDING_HALF_LIFE_HOURS = float(os.environ.get("TRENDING_HALF_LIFE_HOURS") or 12)
TRENDING_WINDOW_DAYS = env_int("TRENDING_WINDOW_DAYS", 3)
TRENDING_DEDUPE_SECONDS = env_int("TRENDING_DEDUPE_SECONDS", 30 * 60)  # one reader, one read
TRENDING_FLUSH_SECONDS = env_int("TRENDING_FLUSH_SECONDS", 5)
# A batch of reads not confirmed in the database this long after it was sent is sent again
# (the cache lost it); then at doubling intervals.
TRENDING_RESEND_SECONDS = env_int("TRENDING_RESEND_SECONDS", 20)
TRENDING_RECOMPUTE_SECONDS = env_int("TRENDING_RECOMPUTE_SECONDS", 60)
TRENDING_COUNT_READS = env_bool("TRENDING_COUNT_READS", True)
# Shared background jobs (flushing reads, 热传) in `manage.py worker` instead of the web
# processes (see juredian/background.py). The worker must see the web processes' reads.
BACKGROUND_WORKER = env_bool("BACKGROUND_WORKER")
if BACKGROUND_WORKER and not REDIS_URL:
    raise ImproperlyConfigured(
        "BACKGROUND_WORKER=1 needs REDIS_URL: the worker reads the buffered reads from Redis"
    )  # off only to measure its cost
# Where a visitor's address is: REMOTE_ADDR, or e.g. HTTP_X_REAL_IP behind nginx or Varnish.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "REMOTE_ADDR")
# Review before publishing: with EDITORIAL_REVIEW on, 编辑 submit articles for review and only
# 主编 (the review permission) publish them; off, 编辑 publish directly.
EDITORIAL_REVIEW = env_bool("EDITORIAL_REVIEW")

# Background tasks (django-tasks): run at once in the process that enqueues them (make run,
# one process), or, with BACKGROUND_WORKER, stored in PostgreSQL and run by `manage.py worker`
# (django-tasks-db), so web processes only enqueue.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if BACKGROUND_WORKER
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}

# Edge caches (Varnish with xkey) to purge by surrogate key after each change, e.g.
# "http://10.0.0.5:6081/,http://10.0.0.6:6081/" (see articles/purging.py); none: no purging.
EDGE_PURGE_URLS = env_list("EDGE_PURGE_URLS")

# Takedown requests (notice and counter-notice).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT") or VAR_DIR / "private")
TAKEDOWN_COUNTER_NOTICE_DAYS = env_int("TAKEDOWN_COUNTER_NOTICE_DAYS", 15)
# Working days within which a complete notice normally gets a decision (stated on the policy page).
TAKEDOWN_DECISION_DAYS = env_int("TAKEDOWN_DECISION_DAYS", 3)
TAKEDOWN_NOTICES_PER_HOUR = env_int("TAKEDOWN_NOTICES_PER_HOUR", 5)
TAKEDOWN_ATTEMPTS_PER_HOUR = env_int("TAKEDOWN_ATTEMPTS_PER_HOUR", 30)  # posts, accepted or not
TAKEDOWN_ATTACHMENT_MAX_BYTES = env_int("TAKEDOWN_ATTACHMENT_MAX_MB", 10) * 1024 * 1024
TAKEDOWN_CONTACT_EMAIL = os.environ.get("TAKEDOWN_CONTACT_EMAIL", "takedown@juredian.example")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # form fields; files are limited per file

# The site's own facts, shown to readers and used in feeds and structured data.
SITE_NAME = "聚热点"
SITE_BRAND = "聚热点 juredian"
SITE_DESCRIPTION = "聚热点：汇集网络上值得一读的新闻与评论，分节细读，热传速览。"
SITE_CONTACT_EMAIL = os.environ.get("SITE_CONTACT_EMAIL", "editors@juredian.example")  # corrections
