"""Django settings, read from the environment (12-factor). The variables are documented in docs/configuration.md."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


PRODUCTION = _env_bool("KYNANGSO_PRODUCTION")
DATA_DIR = Path(
    os.environ.get("KYNANGSO_DATA_DIR")
    or Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "kynangso"
).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
# Frameworks, standards, the item bank and courses as data files (content/README.md), loaded by `kynangso load-content`.
CONTENT_DIR = Path(os.environ.get("KYNANGSO_CONTENT_DIR") or PACKAGE_DIR.parent.parent / "content").resolve()


def _secret(name: str) -> str:
    """A secret from the environment; outside production one is generated once and kept in the data folder."""
    value = os.environ.get(name, "")
    if value or PRODUCTION:
        return value
    path = DATA_DIR / f"{name.lower()}.txt"
    if not path.exists():
        # Written whole under another name, then linked into place: a second process starting at the same moment
        # (a test worker, the web server beside the worker) reads either nothing yet or the whole secret, and the
        # first link wins, so every process ends up with the same one.
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        draft.write_text(secrets.token_urlsafe(48))
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


SECRET_KEY = _secret("KYNANGSO_SECRET_KEY")
# Encrypts national IDs at rest and keys their lookup hash; never stored in the database.
DATA_KEY = _secret("KYNANGSO_DATA_KEY")
# Earlier data keys, newest first, while `kynangso rotate-data-key` moves everything to DATA_KEY (docs/deployment.md):
# national IDs and kept uploads still decrypt with them; lookups use DATA_KEY only.
DATA_KEYS_OLD = _env_list("KYNANGSO_DATA_KEYS_OLD")
DEBUG = _env_bool("KYNANGSO_DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = _env_list("KYNANGSO_ALLOWED_HOSTS") or (
    [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = _env_list("KYNANGSO_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("KYNANGSO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "ninja",  # serves the Swagger UI of /api/v1/docs from our own static files, not a CDN
    "django_rq",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "kynangso.orgs",
    "kynangso.accounts",
    "kynangso.people",
    "kynangso.oidc",
    "kynangso.jobs",
    "kynangso.frameworks",
    "kynangso.learning",
    "kynangso.assessment",
    "kynangso.credentials",
    "kynangso.plans",
    "kynangso.integration",
    "kynangso.survey",
    "kynangso.monitoring",
    "kynangso.reports",
    "kynangso.operations",
    "kynangso.web",
    "kynangso.demo",
]

MIDDLEWARE = [
    # first: the request id, the access line and the metrics see every answer, errors and redirects included
    "kynangso.operations.middleware.OperationsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "kynangso.web.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kynangso.web.middleware.PreferredLanguageMiddleware",
    "kynangso.rest_middleware.JsonErrorsForApiMiddleware",
    "kynangso.rest_middleware.RefuseNulForApiMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # after OTPMiddleware: the two-factor step, enrolment where required, a password that must change
    "kynangso.accounts.middleware.AccountSecurityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "kynangso.operations.routing.ReplicaReadsMiddleware",  # last: its process_view runs just before the view
]

ROOT_URLCONF = "kynangso.urls"
WSGI_APPLICATION = "kynangso.wsgi.application"
ASGI_APPLICATION = "kynangso.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kynangso.web.context_processors.preferences",
                "kynangso.web.context_processors.navigation",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{DATA_DIR / 'kynangso.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL") or _default_sqlite, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("KYNANGSO_TEST_DATABASE") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A PostgreSQL streaming replica for the read-only pages (operations/routing.py, ADR 0033); the primary when it lags.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["kynangso.operations.routing.ReplicaRouter"]
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("KYNANGSO_REPLICA_MAX_LAG_SECONDS", "10"))
REPLICA_CHECK_SECONDS = float(os.environ.get("KYNANGSO_REPLICA_CHECK_SECONDS", "2"))

# PostgreSQL work_mem of the roll-up's own transactions (hash aggregates over every person); the server's default stays
ROLLUP_WORK_MEM = os.environ.get("KYNANGSO_ROLLUP_WORK_MEM", "256MB")
REDIS_URL = os.environ.get("REDIS_URL", "")
# Without Redis (the embedded default) background jobs run inline in the request that starts them.
JOBS_INLINE = not REDIS_URL
RQ_QUEUES = {
    "default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 3600, "ASYNC": not JOBS_INLINE},
}
RQ = {"COMMIT_MODE": "on_db_commit"}
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }

# Where sessions are kept: "db" (the default: a table on the primary), "cached_db" (Redis in front of that table: a
# request reads its session from Redis, a login also writes the table, so a Redis restart logs nobody out) or "cache"
# (Redis only). With several app nodes any of them serves any request in every case; the Redis stores spare the
# primary one query per request (docs/deployment.md, docs/capacity.md).
_SESSION_STORES = {
    "db": "django.contrib.sessions.backends.db",
    "cached_db": "django.contrib.sessions.backends.cached_db",
    "cache": "django.contrib.sessions.backends.cache",
}
_session_store = os.environ.get("KYNANGSO_SESSION_STORE", "db").strip() or "db"
if _session_store not in _SESSION_STORES or (_session_store != "db" and not REDIS_URL):
    raise ImproperlyConfigured(
        f"KYNANGSO_SESSION_STORE must be one of {', '.join(_SESSION_STORES)}; cache and cached_db need REDIS_URL"
    )
SESSION_ENGINE = _SESSION_STORES[_session_store]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "kynangso.accounts.backends.IdentifierBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # 8 characters for residents, 12 for anyone who can see other people's data (ADR 0021)
    {
        "NAME": "kynangso.accounts.passwords.RoleMinimumLengthValidator",
        "OPTIONS": {"min_length": 8, "staff_min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A one-time password-reset code given by a helper or unit admin is valid this long (minutes).
PASSWORD_RESET_MINUTES = int(os.environ.get("KYNANGSO_PASSWORD_RESET_MINUTES", "30"))
# Province and system administrators must log in with a TOTP code (an authenticator app); on by default in production.
TWO_FACTOR_REQUIRED = _env_bool("KYNANGSO_REQUIRE_TWO_FACTOR", default=PRODUCTION)
OTP_TOTP_ISSUER = "Kỹ Năng Số"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the back office never shows a device's secret key
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:home"

# Lockout after repeated failed logins, counted per account whatever identifier (username, phone, ID) was typed.
AXES_FAILURE_LIMIT = int(os.environ.get("KYNANGSO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("KYNANGSO_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
# Locking by IP address would lock out a whole commune office or mobile carrier NAT, where many residents
# share one address (and a helper logs several of them in from one phone); the lockout is per account instead,
# and an address is only throttled, far above the account limit and never for accounts known there (ADR 0020).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_HANDLER = "kynangso.accounts.lockout.LoginAttemptHandler"
AXES_CLIENT_IP_CALLABLE = "kynangso.accounts.lockout.client_ip_address"
AXES_USERNAME_CALLABLE = "kynangso.accounts.backends.canonical_username"
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# A try refused during a lock is not a checked password: counting it would let an address throttle charge the
# accounts of innocent neighbours behind the same NAT.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("KYNANGSO_LOGIN_ADDRESS_FAILURE_LIMIT", "50"))  # 0: off
LOGIN_KNOWN_ADDRESS_DAYS = int(os.environ.get("KYNANGSO_LOGIN_KNOWN_ADDRESS_DAYS", "90"))
# How many reverse proxies we run in front of Django append to X-Forwarded-For (nginx: 1); 0 trusts REMOTE_ADDR.
LOGIN_TRUSTED_PROXY_COUNT = int(os.environ.get("KYNANGSO_TRUSTED_PROXY_COUNT", "0"))
API_TOKEN_DAYS = int(os.environ.get("KYNANGSO_API_TOKEN_DAYS", "90"))

# Sign-in with an OpenID Connect provider (VNeID or a provincial one), off unless the issuer and client id are set
# (docs/configuration.md, ADR 0041). Local passwords stay for staff, helpers and the demo.
OIDC_ISSUER = os.environ.get("KYNANGSO_OIDC_ISSUER", "").strip().rstrip("/")
OIDC_DISCOVERY_URL = os.environ.get("KYNANGSO_OIDC_DISCOVERY_URL", "").strip() or (
    OIDC_ISSUER + "/.well-known/openid-configuration" if OIDC_ISSUER else ""
)
OIDC_CLIENT_ID = os.environ.get("KYNANGSO_OIDC_CLIENT_ID", "").strip()
OIDC_CLIENT_SECRET = os.environ.get("KYNANGSO_OIDC_CLIENT_SECRET", "")
OIDC_SCOPES = os.environ.get("KYNANGSO_OIDC_SCOPES", "openid profile").strip()
OIDC_NATIONAL_ID_CLAIM = os.environ.get("KYNANGSO_OIDC_NATIONAL_ID_CLAIM", "sub").strip()
OIDC_BUTTON_LABEL = os.environ.get("KYNANGSO_OIDC_BUTTON_LABEL", "").strip()  # empty: «Đăng nhập bằng VNeID»
# An ID the register does not know: "refuse" it, or "hold" (register a resident in the holding unit to be placed).
OIDC_UNKNOWN_ID = os.environ.get("KYNANGSO_OIDC_UNKNOWN_ID", "refuse").strip().lower()
OIDC_HOLDING_UNIT = os.environ.get("KYNANGSO_OIDC_HOLDING_UNIT", "").strip()
OIDC_TIMEOUT_SECONDS = float(os.environ.get("KYNANGSO_OIDC_TIMEOUT_SECONDS", "10"))
if OIDC_UNKNOWN_ID not in {"refuse", "hold"}:
    raise ImproperlyConfigured("KYNANGSO_OIDC_UNKNOWN_ID must be 'refuse' or 'hold'")
if OIDC_UNKNOWN_ID == "hold" and OIDC_CLIENT_ID and not OIDC_HOLDING_UNIT:
    raise ImproperlyConfigured("KYNANGSO_OIDC_UNKNOWN_ID=hold needs KYNANGSO_OIDC_HOLDING_UNIT (a unit code)")

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
LANGUAGE_COOKIE_NAME = "kns_language"
FORMAT_MODULE_PATH = ["kynangso.formats"]

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
# Uploaded rosters can be large; files over this size go to disk rather than memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Limits of every uploaded spreadsheet (rosters, units, attendance, items, plans): refused before it is read.
UPLOAD_MAX_BYTES = int(os.environ.get("KYNANGSO_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
UPLOAD_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("KYNANGSO_UPLOAD_MAX_UNCOMPRESSED_BYTES", str(100 * 1024 * 1024)))
UPLOAD_MAX_COMPRESSION_RATIO = int(os.environ.get("KYNANGSO_UPLOAD_MAX_COMPRESSION_RATIO", "100"))
UPLOAD_MAX_ROWS = int(os.environ.get("KYNANGSO_UPLOAD_MAX_ROWS", "20000"))
UPLOAD_MAX_PROBLEMS = int(os.environ.get("KYNANGSO_UPLOAD_MAX_PROBLEMS", "200"))
# Uploaded files and error reports are deleted after this many hours (`kynangso clean-uploads`).
UPLOAD_RETENTION_HOURS = int(os.environ.get("KYNANGSO_UPLOAD_RETENTION_HOURS", "24"))
# A job still waiting or «đang chạy» this long after it was created is taken as abandoned (its worker died) and
# marked failed (`kynangso fail-stale-jobs`, and when its page is opened).
JOB_STALE_AFTER_SECONDS = int(os.environ.get("KYNANGSO_JOB_STALE_AFTER_SECONDS", str(2 * 3600)))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp 4): every script and style comes from our own static files; nothing inline
# (htmx's injected indicator style is turned off in base.html and its rules live in site.css). Images may also be
# data: URIs (the SVG charts) and https: (lesson and item images may link to an image by URL, docs/learning.md).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "https:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}


def csp_allowing_provider(policy: dict, issuer: str) -> dict:
    """The policy with the identity provider's origin added to form-action: logging out is a form whose answer
    redirects to the provider's end-session page, and browsers check that redirect against form-action."""
    from urllib.parse import urlsplit

    origin = urlsplit(issuer)
    directives = {name: list(values) for name, values in policy["DIRECTIVES"].items()}
    directives["form-action"].append(f"{origin.scheme}://{origin.netloc}")
    return {**policy, "DIRECTIVES": directives}


if OIDC_ISSUER and OIDC_CLIENT_ID:
    CONTENT_SECURITY_POLICY = csp_allowing_provider(CONTENT_SECURITY_POLICY, OIDC_ISSUER)

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _env_bool("KYNANGSO_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("KYNANGSO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = False
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    _problems = []
    if DEBUG:
        _problems.append("KYNANGSO_DEBUG must be off in production")
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
        _problems.append("KYNANGSO_SECRET_KEY must be set to a random value of at least 50 characters")
    if len(DATA_KEY) < 32:
        _problems.append("KYNANGSO_DATA_KEY must be set to a random value of at least 32 characters")
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        _problems.append("KYNANGSO_ALLOWED_HOSTS must list the site's host names (no '*')")
    if not os.environ.get("DATABASE_URL"):
        _problems.append("DATABASE_URL must point to PostgreSQL in production")
    if not REDIS_URL:
        _problems.append("REDIS_URL must be set in production so that long work runs in background jobs")
    if _problems:
        raise ImproperlyConfigured("Refusing to start with insecure settings: " + "; ".join(_problems))

EMAIL_BACKEND = os.environ.get("KYNANGSO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("KYNANGSO_FROM_EMAIL", "kynangso@localhost")

# Logs: one JSON object a line in production (KYNANGSO_LOG_FORMAT=json; "text" elsewhere), each with the request id.
LOG_FORMAT = os.environ.get("KYNANGSO_LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "kynangso.operations.logs.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("KYNANGSO_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "rq.worker": {"level": "WARNING"},
        # the access line of every request; set KYNANGSO_ACCESS_LOG_LEVEL=WARNING when nginx logs them
        "kynangso.access": {"level": os.environ.get("KYNANGSO_ACCESS_LOG_LEVEL", "INFO" if PRODUCTION else "WARNING")},
    },
}

NINJA_PAGINATION_PER_PAGE = 50
