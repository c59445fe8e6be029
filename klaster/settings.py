"""Klaster settings: one file, read from the environment through small typed helpers that fail loudly.

SQLite by default (an embedded database under var/), PostgreSQL when DATABASE_URL is set.
"""

from __future__ import annotations

import datetime
import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("KLASTER_VAR_DIR", PROJECT_DIR / "var"))


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {value!r}")


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


DEBUG = envbool("KLASTER_DEBUG", "false")

# Keys that were ever published (this repository's old development default): anything signed
# with them can be forged, so they are refused even when given explicitly.
KNOWN_DEFAULT_SECRET_KEYS = frozenset({"dev-only-insecure-key-change-me-" + "x" * 20})
SECRET_KEY_FILE = VAR_DIR / "secret_key"


def persisted_secret_key(path: Path) -> str:
    """The key kept in `path` (mode 0600), generated there on first use.

    A fresh machine needs no configuration (README's `bin/run`), yet no two installations share
    a key. Written to a temporary file and hard-linked into place, so processes starting at once
    (gunicorn workers, test workers) never read a half-written key and all end up with one key.
    """
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    else:
        if len(key) < 50:
            raise ImproperlyConfigured(
                f"Plik klucza {path} jest uszkodzony (krótszy niż 50 znaków): usuń go, "
                "a Klaster wygeneruje nowy (wylogowuje to wszystkich)."
            )
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")  # created with mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_urlsafe(64) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:  # another process got there first: use its key
            pass
    finally:
        os.unlink(tmp)
    return persisted_secret_key(path)


def secret_key() -> str:
    given = os.environ.get("KLASTER_SECRET_KEY", "").strip()
    if not given:
        return persisted_secret_key(SECRET_KEY_FILE)
    if given in KNOWN_DEFAULT_SECRET_KEYS or given.startswith("django-insecure-"):
        raise ImproperlyConfigured(
            "KLASTER_SECRET_KEY to znany, opublikowany klucz domyślny — nie może podpisywać sesji ani tokenów. "
            "Ustaw własny (np. python -c 'import secrets; print(secrets.token_urlsafe(64))') albo usuń tę zmienną, "
            f"a Klaster wygeneruje klucz w {SECRET_KEY_FILE} (docs/deploy.md)."
        )
    return given


SECRET_KEY = secret_key()
ALLOWED_HOSTS = [
    h for h in envstr("KLASTER_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [
    o
    for o in envstr(
        "KLASTER_CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000"
    ).split(",")
    if o
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our own static files (no CDN; the CSP holds)
    "axes",
    "csp",
    "klaster.core",
    "klaster.members",
    "klaster.kkk",
    "klaster.governance",
    "klaster.groups",
    "klaster.money",  # dues, documents, bank statements, arrears (above governance)
    "klaster.aid",  # de minimis aid, lending of project equipment (above money)
    "klaster.people",  # invitations, passwords, access (PLT-1)
    "klaster.forum",  # a region's forum of clusters, benchmarking (FOR-1, FOR-2)
    "klaster.comms",  # newsletters, the outbox's pages, portal notices (PLT-2)
    "klaster.events",  # event invitations with RSVP, .ics and attendance (PLT-2)
    "klaster.documents",  # the document archive with versions and search (PLT-3)
    "klaster.offers",  # offers, competences and gaps, ideas, training needs (PLT-3)
    "klaster.exchange",  # import/export and the demo: above every domain app
    "klaster.office",  # the home (what to do now) and the global search: above every domain app
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "klaster.core.request_limits.RequestSizeLimitMiddleware",  # 413 before a body is read (issue 7)
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "klaster.core.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: turns a lockout into the 429 page
]

ROOT_URLCONF = "klaster.urls"
WSGI_APPLICATION = "klaster.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "klaster.core.templating.Backend",  # Django's, noting forms shown with errors
        "NAME": "django",  # the name Django's own backend has (drf-spectacular's Redoc asks for it)
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "klaster.core.context_processors.navigation",
            ],
        },
    }
]

# SQLite, however it is named (the embedded default or a sqlite:// DATABASE_URL), gets the same
# options: IMMEDIATE transactions take the write lock at BEGIN (a deferred one that reads and then
# writes fails at once with "database is locked" when another writer holds the lock, without
# waiting), a busy timeout makes writers queue, and WAL lets readers go on during a write.
SQLITE_OPTIONS = {
    "timeout": envint("KLASTER_SQLITE_TIMEOUT", "20"),
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL",
}
# A server database (PostgreSQL) keeps each thread's connection for KLASTER_DB_CONN_MAX_AGE seconds
# (0: a new connection per request, as Django's default) and checks a kept one before a request
# reuses it (CONN_HEALTH_CHECKS: one `SELECT 1`, so a restarted server costs no failed request).
# Opening a PostgreSQL connection forks a backend and authenticates: with a connection per request
# that cost a ballot about a third of its throughput (issue 8). Persistent connections, not psycopg's pool:
# gunicorn runs a fixed number of threads (workers × threads, `klaster serve`), each keeping one
# connection, so the count is bounded already and no new package (psycopg_pool) is needed; keep
# workers × threads under PostgreSQL's max_connections. SQLite opens a file: nothing to keep.
_database_url = os.environ.get("DATABASE_URL", "").strip()
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "klaster.sqlite3"),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # options given in the URL's query string win
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    DATABASES["default"]["CONN_MAX_AGE"] = envint("KLASTER_DB_CONN_MAX_AGE", "60")
    # the test database is the process's own: two test runs on one server never drop each other's
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = envbool("KLASTER_DB_CONN_HEALTH_CHECKS", "true")
# The few statements every ballot sends are prepared once per connection (governance.selectors.
# hot_cursor). Behind a pooler that hands a client's statements to another server connection
# (PgBouncer in transaction mode without max_prepared_statements) set this to false.
KLASTER_DB_PREPARED_BALLOTS = envbool("KLASTER_DB_PREPARED_BALLOTS", "true")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# `klaster import` runs one at a time (klaster.core.locks); how long a second one waits, in seconds
KLASTER_IMPORT_WAIT_SECONDS = envint("KLASTER_IMPORT_WAIT_SECONDS", "900")


def envsizes(name: str) -> dict[str, int]:
    """``kind=MB,kind=MB`` → {kind: bytes}; the kinds are klaster.core.uploads.KINDS."""
    out: dict[str, int] = {}
    for part in (p.strip() for p in os.environ.get(name, "").split(",")):
        if not part:
            continue
        kind, sep, mb = part.partition("=")
        try:
            value = float(mb.strip())
        except ValueError:
            value = -1
        if not sep or not kind.strip() or value <= 0:
            raise ImproperlyConfigured(f"{name}: expected kind=MB[,kind=MB…], got {part!r}")
        out[kind.strip()] = int(value * 1024 * 1024)
    return out


# Upload size limits per kind of file, in MB (klaster.core.uploads: member_import, group_material,
# kkk_attachment, proxy_csv, dataset), e.g. KLASTER_UPLOAD_LIMITS_MB="group_material=50".
KLASTER_UPLOAD_LIMITS = envsizes("KLASTER_UPLOAD_LIMITS_MB")

# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "klaster.core.auth.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", "Polski"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # also creates VAR_DIR for the SQLite file
WHITENOISE_USE_FINDERS = True  # static files served without a collectstatic step
MEDIA_ROOT = VAR_DIR / "media"

EMAIL_HOST = envstr("KLASTER_SMTP_HOST", "127.0.0.1")
EMAIL_PORT = envint("KLASTER_SMTP_PORT", "1025")
EMAIL_HOST_USER = envstr("KLASTER_SMTP_USER", "")
EMAIL_HOST_PASSWORD = envstr("KLASTER_SMTP_PASSWORD", "")
EMAIL_USE_TLS = envbool("KLASTER_SMTP_TLS", "false")
DEFAULT_FROM_EMAIL = envstr("KLASTER_FROM_EMAIL", "biuro@klaster.localhost")
# The demo mailbox (klaster.core.mailbox): `klaster serve` starts a local SMTP catcher at
# EMAIL_HOST:EMAIL_PORT and the office reads what it caught. bin/run turns it on; production
# leaves it off and sends through a real SMTP server (docs/deploy.md).
DEMO_MAILBOX = envbool("KLASTER_DEMO_MAILBOX", "false")
DEMO_MAILBOX_DIR = VAR_DIR / "mailbox"

# --- Background jobs (issue 12 point 6): Django's task framework (the django-tasks backport of
# Django 6's django.tasks) with its database backend (django-tasks-db): the queue is a table of the
# project's own database, so the embedded SQLite works and several PostgreSQL workers run side by
# side (a worker claims a task with SELECT ... FOR UPDATE SKIP LOCKED). `klaster run-scheduled`
# enqueues the day's jobs (klaster.core.jobs), `klaster worker` enqueues and runs them.
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "klaster.core.auth.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Klaster API",
    "DESCRIPTION": (
        "Klaster: rejestr członków, posiedzenia, pełnomocnictwa, głosowania, uchwały, przyjęcia, "
        "wersje statutu oraz dane i wnioski KKK. Te same uprawnienia i te same komunikaty o "
        "błędach co na stronach (błąd walidacji: 400 z komunikatami przy nazwach pól). "
        "Zmiana danych odczytanych wcześniej (członek, wersje statutu) wymaga nagłówka "
        "If-Match z ETagiem z odczytu (GET): bez niego 428, po cudzej zmianie 412. "
        "Czynności stron bez własnego punktu (finanse, pomoc de minimis, newslettery, "
        "wydarzenia, dokumenty, oferty, osoby, forum, importy): POST /api/actions/<ścieżka "
        "strony> z polami formularza strony; GET /api/actions/ je wymienia."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # one name for an enum that several serializers share (the KKK application's status)
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStatusEnum": "klaster.kkk.models.Application.Status",
        # a science sub-unit's category (MEM-3), not a member's
        "SubunitCategoryEnum": [("A+", "A+"), ("A", "A")],
        "MemberCategoryEnum": "klaster.members.models.Category",
    },
    # `check --deploy` checks the deployment; drf-spectacular's schema-completeness warnings
    # (views whose serializer it cannot guess) are about the API docs, not the deployment.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
}

# --- Brute force (issue 7 point 6): django-axes keeps failed logins in the database, so every
# gunicorn worker and every server sees the same counts. A login is refused (429) once either the
# account or the address has KLASTER_LOGIN_FAILURE_LIMIT failures within the cool-off; wrong API
# tokens count against their address (klaster.core.auth). Unknown usernames count like real ones.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = envint("KLASTER_LOGIN_FAILURE_LIMIT", "10")
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("KLASTER_LOGIN_COOLOFF_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = "klaster.core.auth.lockout_parameters"
AXES_LOCKOUT_CALLABLE = "klaster.core.auth.lockout_response"
AXES_CLIENT_IP_CALLABLE = "klaster.core.auth.client_ip"
AXES_RESET_ON_SUCCESS = False  # a right password must not wipe an attacker's count for the address
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_SENSITIVE_PARAMETERS = ["username"]  # logs name the address, never what was typed as a login
AXES_ENABLE_ADMIN = (
    False  # attempts name every tenant's users: for the operator's commands, not an office
)
# API tokens expire this many days after they were issued (0: never); POST /api/token/ issues a new one.
KLASTER_API_TOKEN_TTL_DAYS = envint("KLASTER_API_TOKEN_TTL_DAYS", "30")

# --- Deployment behind TLS (docs/deploy.md). KLASTER_HTTPS=true: Secure cookies, HSTS, redirect
# to https. KLASTER_BEHIND_PROXY=true: trust the proxy's X-Forwarded-Proto/-Host/-For (only when
# a proxy that sets them is the only way in).
KLASTER_HTTPS = envbool("KLASTER_HTTPS", "false")
KLASTER_BEHIND_PROXY = envbool("KLASTER_BEHIND_PROXY", "false")
KLASTER_PROXY_COUNT = envint(
    "KLASTER_PROXY_COUNT", "1"
)  # proxies in front that append to X-Forwarded-For
SESSION_COOKIE_SECURE = KLASTER_HTTPS
CSRF_COOKIE_SECURE = KLASTER_HTTPS
SECURE_SSL_REDIRECT = envbool("KLASTER_SSL_REDIRECT", "true" if KLASTER_HTTPS else "false")
SECURE_HSTS_SECONDS = envint("KLASTER_HSTS_SECONDS", "31536000" if KLASTER_HTTPS else "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool(
    "KLASTER_HSTS_INCLUDE_SUBDOMAINS", "true" if KLASTER_HTTPS else "false"
)
SECURE_HSTS_PRELOAD = envbool("KLASTER_HSTS_PRELOAD", "true" if KLASTER_HTTPS else "false")
if KLASTER_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = envstr("KLASTER_REFERRER_POLICY", "same-origin")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): only our own origin, no inline script anywhere (the
# pages' JavaScript is in static files). Inline style *attributes* stay allowed, and only they:
# the KKK dashboard draws its bars with a width computed from the data (style-src-attr, CSP 3).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],  # Swagger UI's icons are data: URIs in its CSS
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("KLASTER_LOG_LEVEL", "WARNING")},
    # issue 9 point 8: a refused page (403) logs one line, no traceback
    "filters": {"refusal": {"()": "klaster.core.logs.RefusalWithoutTraceback"}},
    "loggers": {"django.request": {"filters": ["refusal"]}},
}

# Backups (issue 12 point 8; klaster.core.backup): the nightly job writes klaster-YYYY-MM-DD.tar.gz
# here and keeps the newest KLASTER_BACKUP_KEEP; an empty KLASTER_BACKUP_DIR turns the job off.
# Keep a copy elsewhere too (another disk, another machine): docs/deploy.md.
KLASTER_BACKUP_DIR = envstr("KLASTER_BACKUP_DIR", str(VAR_DIR / "backups"))
KLASTER_BACKUP_KEEP = envint("KLASTER_BACKUP_KEEP", "14")
