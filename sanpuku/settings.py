"""The one settings file of sanpuku, driven by the environment.

Every value a deployment may change is read through the strict helpers below: a value that
cannot be understood stops the start-up with a message, rather than being silently ignored.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

# Lets the generic classes that django-stubs types be subscripted at run time: ModelAdmin[Case], …
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
# Runtime files (the SQLite database, the generated development key) live outside the code.
VAR_DIR = Path(os.environ.get("SANPUKU_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 0/1, true/false, yes/no or on/off, not {value!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    items = [item.strip() for item in value.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"{name} is set but lists nothing")
    return items


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    return number


def secret_key() -> str:
    """The key from the environment; otherwise one generated once and kept under var/.

    Keeping it in a file means a single-machine installation keeps its sessions across restarts
    without anyone having to invent a key.
    """
    if key := os.environ.get("SECRET_KEY"):
        if len(key) < 50:
            raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long")
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Behind TLS in production. A deployment on a closed network without TLS must say so with HTTPS=0.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# A municipal intranet host must never be put on the browsers' preload list, so the check that
# recommends it is silenced on purpose.
SECURE_HSTS_PRELOAD = False
SILENCED_SYSTEM_CHECKS = ["security.W021"]
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
# How many proxies of our own stand between the client and the app: the client's address is
# read from X-Forwarded-For that many places from the right (and never without BEHIND_PROXY).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)
if TRUSTED_PROXY_COUNT < 1:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 1 or more")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = 60 * 60 * 10  # one working day; shared office PCs must not stay logged in
# Sessions stay in the database, shared by every process (a login is never lost to another
# worker or a restart); only their read is written out by hand: worksheets/members/sessions.py.
SESSION_ENGINE = "worksheets.members.sessions"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_htmx",
    "simple_history",
    # The queue PDFs are rendered from (worksheets/handover/pdf_queue.py): Django's tasks with
    # a database backend, so a deployment runs a worker and nothing it does not already have.
    "django_tasks_db",
    "cases",
    "worksheets",
    "kpis",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A POST the database refused at the last moment (deadlock, a row gone) answers 409.
    "worksheets.conflicts.WriteConflictMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "sanpuku.urls"
WSGI_APPLICATION = "sanpuku.wsgi.application"
ASGI_APPLICATION = "sanpuku.asgi.application"

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
                "django.template.context_processors.csp",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sanpuku.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several people save into one worksheet at once: WAL lets readers run during a write, and
    # IMMEDIATE transactions queue writers instead of failing with "database is locked".
    # Connections are kept (DB_CONN_MAX_AGE) as on PostgreSQL: opening one runs these pragmas,
    # and closing a WAL database's last connection checkpoints it and deletes its -wal and -shm
    # files, so a connection per request cost each save a checkpoint and each idle check-in most
    # of its time (issue 16).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    VAR_DIR.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "worksheets.User"
AUTHENTICATION_BACKENDS = [
    "worksheets.members.backends.OrganizationModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (worksheets/members/login.py): 5 failures lock one account, from anywhere;
# one address is locked only after 50, since a whole town hall may share it behind a NAT.
LOGIN_ACCOUNT_FAILURE_LIMIT = env_int("LOGIN_ACCOUNT_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 50)
LOGIN_COOLOFF_MINUTES = env_int("LOGIN_COOLOFF_MINUTES", 15)

# Japanese only, whatever the browser asks for: there is no LocaleMiddleware, so LANGUAGE_CODE
# answers every request, and LANGUAGES lists nothing else to switch to. A few of Django's own
# messages read in the app's words (「欄」, 「選択してください」) through the catalogue in locale/.
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

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
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
# Uploads (evidence files, Excel imports) are limited in size so that one file cannot fill a disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Every asset is served by the app itself: municipal networks reach nothing outside.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Login failures and rate counts live in the cache. Files under var/ are shared by every
# worker process on the machine, which a per-process memory cache is not; a deployment on
# several machines sets CACHE_BACKEND=redis (CACHE_LOCATION: its URL) or points CACHE_LOCATION
# at a directory they share. A dotted path names any other Django cache backend. Presence
# (who has a worksheet open) has a store of its own: see presence_cache.
CACHE_BACKENDS = {
    "file": "django.core.cache.backends.filebased.FileBasedCache",
    "redis": "django.core.cache.backends.redis.RedisCache",
}
CACHE_LOCATIONS = {"file": str(VAR_DIR / "cache"), "redis": "redis://127.0.0.1:6379/0"}


def cache_backend(name: str, location: str | None) -> dict[str, str]:
    if name not in CACHE_BACKENDS and "." not in name:
        raise ImproperlyConfigured(
            f"CACHE_BACKEND must be file, redis or a backend's dotted path, not {name!r}"
        )
    if name == "redis" and location and not location.startswith(("redis://", "rediss://")):
        raise ImproperlyConfigured(f"CACHE_LOCATION for redis must be a redis:// URL: {location!r}")
    return {
        "BACKEND": CACHE_BACKENDS.get(name, name),
        "LOCATION": location or CACHE_LOCATIONS.get(name, CACHE_LOCATIONS["file"]),
    }


def presence_cache(name: str, location: str | None) -> dict[str, Any]:
    """Where presence lives (worksheets/sheet/presence.py): a memory store, never files.

    Every open page writes its entry every few seconds: on files that is a write and a rename
    per check-in, and the file cache keeps at most 300 entries (with 400 worksheets open, half
    of them showed 「nobody here」 seconds after a check-in). Redis when configured (shared by
    every process and machine); otherwise the process's own memory, with room for 200,000
    entries — shared by the threads of one process (runserver, `make run`), not by several
    gunicorn workers: `check --deploy` says so, and such a deployment sets CACHE_BACKEND=redis.
    """
    if name == "file":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "presence",
            "OPTIONS": {"MAX_ENTRIES": 200_000},
        }
    return {**cache_backend(name, location), "KEY_PREFIX": "presence"}


CACHES = {
    "default": cache_backend(
        os.environ.get("CACHE_BACKEND") or "file", os.environ.get("CACHE_LOCATION") or None
    ),
    "presence": presence_cache(
        os.environ.get("CACHE_BACKEND") or "file", os.environ.get("CACHE_LOCATION") or None
    ),
}

# An open worksheet page checks in this often (seconds); presence expires after three missed
# check-ins (worksheets/presence.py). 4 s: two cores sustain ~500 open pages at this rate.
PRESENCE_CHECKIN_SECONDS = env_int("PRESENCE_CHECKIN_SECONDS", 4)
if not 1 <= PRESENCE_CHECKIN_SECONDS <= 60:
    raise ImproperlyConfigured("PRESENCE_CHECKIN_SECONDS must be between 1 and 60")

# Push (worksheets/sheet/push.py): an open page hears of others' saves over a server-sent-events
# stream. Across app processes the announcements go through Redis pub/sub when the shared cache
# is Redis (PUSH_REDIS_URL names another server); otherwise they stay in the process, and the
# stream's heartbeat, which re-reads the revision, still carries a change within one beat.
PUSH_REDIS_URL = os.environ.get("PUSH_REDIS_URL") or (
    CACHES["default"]["LOCATION"] if CACHES["default"]["BACKEND"] == CACHE_BACKENDS["redis"] else ""
)
PUSH_CHANNEL_PREFIX = os.environ.get("PUSH_CHANNEL_PREFIX", "sanpuku:worksheet:")
# A heartbeat also re-checks the session and the membership: a logged-out or removed person's
# stream ends within one beat. A stream ends after its lifetime and the browser reconnects, so
# workers can be recycled. While the stream works, the page checks in PUSH_SLOWER times less often
# (presence still lasts: three missed check-ins); only where every process hears every save (Redis)
# by default — with the file cache and several workers, a save in another process reaches a
# stream only at its next heartbeat, and the usual poll is what keeps 「4 s」 true there.
PUSH_HEARTBEAT_SECONDS = env_int("PUSH_HEARTBEAT_SECONDS", 15)
PUSH_LIFETIME_SECONDS = env_int("PUSH_LIFETIME_SECONDS", 300)
PUSH_SLOWER = env_int("PUSH_SLOWER", 2 if PUSH_REDIS_URL else 1)
if not 1 <= PUSH_SLOWER <= 2:
    raise ImproperlyConfigured("PUSH_SLOWER must be 1 or 2 (presence lasts three check-ins)")
if not 1 <= PUSH_HEARTBEAT_SECONDS <= 60 or PUSH_LIFETIME_SECONDS < PUSH_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured(
        "PUSH_HEARTBEAT_SECONDS must be 1–60 and PUSH_LIFETIME_SECONDS at least that long"
    )

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Mail goes out only where an SMTP server is named (Django 6.1's MAILERS). Without one there is
# no mailer at all, on purpose (the check that asks for one is silenced): nothing is sent, and a
# forgotten password is reset through the organisation administrator's one-time link instead.
_smtp_host = os.environ.get("EMAIL_HOST", "")
MAILERS = (
    {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _smtp_host,
                "port": env_int("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
            },
        }
    }
    if _smtp_host
    else {}
)
if not _smtp_host:
    SILENCED_SYSTEM_CHECKS.append("mail.W001")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "sanpuku@localhost")
EMAIL_ENABLED = bool(_smtp_host)
PASSWORD_RESET_BY_EMAIL = EMAIL_ENABLED
# The address people reach sanpuku at, for the links in e-mails sent outside a request.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# A password link (by e-mail, or handed over by an administrator) holds this long.
PASSWORD_RESET_TIMEOUT = 60 * 60 * env_int("PASSWORD_RESET_HOURS", 72)

# Costly requests per person (worksheets/budgets.py): (how many, per how many seconds). Far
# above what anyone clicks by hand; a loop of them would hold every worker.
REQUEST_BUDGETS = {
    "import": (env_int("IMPORTS_PER_10_MINUTES", 20), 600),
    "pdf": (env_int("PDFS_PER_5_MINUTES", 20), 300),
}

# PDFs are rendered off the request path by `manage.py db_worker` (README: 本番). The queue
# lives in the database: SQLite and PostgreSQL alike, and no broker to run.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# One PDF's budget (worksheets/handover/pdf_budget.py). The largest project the list caps allow
# renders in about 5 s with ~250 MB; the budget stops a pathological one from holding the
# worker or the machine: wall time in seconds, and memory in MB beyond the worker's own size.
PDF_RENDER_SECONDS = env_int("PDF_RENDER_SECONDS", 30, minimum=1)
PDF_RENDER_MEMORY_MB = env_int("PDF_RENDER_MEMORY_MB", 1024, minimum=64)

# Invitation links stay valid this many days.
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7)

# The 回覧/決裁 box of the 引継書: one stamp column per post, in the order a file is passed on.
# A municipality's own chain (e.g. 担当,係長,課長補佐,課長) replaces the usual three.
HANDOVER_STAMP_COLUMNS = env_list("HANDOVER_STAMP_COLUMNS", ["担当", "係長", "課長"])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
