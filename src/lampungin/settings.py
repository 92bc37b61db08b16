"""Django settings, read from ``LAMPUNGIN_*`` environment variables.

Every variable is parsed with a type and a bad value stops the process with a message
that names the variable: an operator must never run with a silently ignored setting.
A secret may also be given as a file (``LAMPUNGIN_SECRET_KEY_FILE``), which is how
container orchestrators hand secrets over. The README lists every variable.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from corsheaders.defaults import default_headers as cors_default_headers
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
_checkout = PACKAGE_DIR.parents[1]
# In a checkout (editable install) runtime files live in <checkout>/var; an installed
# package uses the working directory instead of writing into site-packages.
PROJECT_DIR = _checkout if (_checkout / "pyproject.toml").exists() else Path.cwd()


def env_str(name: str, default: str | None = None) -> str:
    """The value of LAMPUNGIN_<name>, or of the file named by LAMPUNGIN_<name>_FILE."""
    key = f"LAMPUNGIN_{name}"
    file_key = f"{key}_FILE"
    if os.environ.get(file_key):
        try:
            return Path(os.environ[file_key]).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{file_key}: cannot read {os.environ[file_key]!r}: {exc}") from exc
    value = os.environ.get(key)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"{key} is required")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = env_str(name, "1" if default else "0").lower()
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"LAMPUNGIN_{name} must be true/false, got {raw!r}")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = env_str(name, str(default))
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"LAMPUNGIN_{name} must be an integer, got {raw!r}") from exc
    if value < minimum:
        raise ImproperlyConfigured(f"LAMPUNGIN_{name} must be >= {minimum}, got {value}")
    return value


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
VAR_DIR = Path(env_str("VAR_DIR", str(PROJECT_DIR / "var")))


def _checkout_secret() -> str | None:
    """In a source checkout (demo, development, tests) a random key kept in var/; elsewhere none."""
    if _checkout != PROJECT_DIR:
        return None
    path = VAR_DIR / "dev-secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


# An installed deployment must set LAMPUNGIN_SECRET_KEY (or _FILE): env_str raises otherwise.
SECRET_KEY = env_str("SECRET_KEY", os.environ.get("LAMPUNGIN_SECRET_KEY") or _checkout_secret())

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
OPEN311_JURISDICTION_ID = "lampungprov.go.id"  # the one jurisdiction that /open311/v2/ serves

# Field-level encryption of NIK (Fernet). Defaults to a key derived from SECRET_KEY so
# the demo works; production sets its own key so that rotating SECRET_KEY is safe.
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "corsheaders",
    "django_tasks",
    "django_tasks_db",
    "oauth2_provider",
    "js_lib_leaflet",  # static files only: Leaflet for the optional map pin on /lapor/
    "lampungin.core",
    "lampungin.regions",
    "lampungin.sla",
    "lampungin.accounts",
    "lampungin.agencies",
    "lampungin.catalog",
    "lampungin.cases",
    "lampungin.applications",
    "lampungin.notifications",
    "lampungin.analytics",
    "lampungin.integrations",
    "lampungin.integrations.oidc",
    "lampungin.integrations.webhooks",
    "lampungin.api",
    "lampungin.web",
    "lampungin.backoffice",
    "lampungin.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",  # early: its headers go on every answer, 429s included
    "lampungin.web.middleware.TextGZipMiddleware",  # pages a quarter of their size on weak links
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lampungin.web.middleware.ChosenLanguageMiddleware",  # id unless chosen (decision 0008)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lampungin.api.middleware.AnonymousRateLimitMiddleware",  # after auth: it asks who calls
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "lampungin.urls"
WSGI_APPLICATION = "lampungin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'lampungin.sqlite3'}")
_scheme = urlparse(DATABASE_URL).scheme
if _scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
    raise ImproperlyConfigured(f"LAMPUNGIN_DATABASE_URL: unsupported scheme {_scheme!r} (sqlite or postgres)")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo's web server and worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {
    "default": {
        "BACKEND": env_str("TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["lampungin.accounts.backends.EmailOrPhoneBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/akun/masuk/"
LOGIN_REDIRECT_URL = "/akun/"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"  # shown in WIB; stored in UTC (USE_TZ)
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # URLs carry a content hash (?v=…), so browsers keep static files for a year (decision 0008).
    "staticfiles": {"BACKEND": "lampungin.web.staticfiles.VersionedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # the demo serves static files without a collectstatic step
WHITENOISE_MAX_AGE = 365 * 24 * 3600

# The optional map on /lapor/ (loaded only when the citizen asks for it): a tile server URL
# template in Leaflet's {z}/{x}/{y} form and the attribution its licence requires.
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
if not MAP_TILE_URL.startswith(("https://", "http://")) or "{z}" not in MAP_TILE_URL:
    raise ImproperlyConfigured(
        "LAMPUNGIN_MAP_TILE_URL must be an http(s) URL template containing {z}/{x}/{y}"
    )
MAP_ATTRIBUTION = env_str(
    "MAP_ATTRIBUTION", '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)

# Uploads: a photo is at most this many bytes before re-encoding; a report has at most 5.
MAX_PHOTO_BYTES = env_int("MAX_PHOTO_BYTES", 10 * 1024 * 1024, minimum=1024)
MAX_PHOTOS_PER_REPORT = 5
# Reports one account may file per hour, on pages and API together (abuse and mistakes).
REPORT_RATE_LIMIT = env_int("REPORT_RATE_LIMIT", 20, minimum=1)
# Failed sign-ins per account name in 15 minutes before it must wait (ten times as many per
# client address), on every form that checks a password: pages, /admin/, the API token.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10, minimum=1)
# Requests per minute per client address on the machine-facing doors that need no account
# (Open311, the REST API without credentials, the OIDC token endpoint), and new accounts per
# hour per address.
PUBLIC_RATE_LIMIT = env_int("PUBLIC_RATE_LIMIT", 300, minimum=1)
SIGNUP_RATE_LIMIT = env_int("SIGNUP_RATE_LIMIT", 20, minimum=1)
# Cross-origin calls from other regional apps' pages: only the machine doors (REST API,
# Open311, OIDC token/userinfo/JWKS/discovery), never the pages, and never with cookies:
# those doors authenticate by bearer token, API key or client credentials, so a browser on
# another origin gains nothing from a visitor's session here. "*" lets every origin call.
# Not /api/v1/auth/ (password sign-in, sign-up): a hostile page must not make its visitors'
# browsers guess passwords from thousands of addresses; other apps sign people in by OIDC.
CORS_URLS_REGEX = (
    r"^/(api/v1/(?!auth/)|open311/v2/|oidc/(token|userinfo|jwks|revoke)/|\.well-known/openid-configuration)"
)
_cors_origins = env_list("CORS_ALLOWED_ORIGINS", "*")
CORS_ALLOW_ALL_ORIGINS = _cors_origins == ["*"]
CORS_ALLOWED_ORIGINS = [] if CORS_ALLOW_ALL_ORIGINS else _cors_origins
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_HEADERS = (*cors_default_headers, "idempotency-key")
CORS_EXPOSE_HEADERS = ["Retry-After"]
CORS_PREFLIGHT_MAX_AGE = 24 * 3600
# Reverse proxies in front of the app that append the client to X-Forwarded-For (0: none,
# REMOTE_ADDR is the client). Wrong here means every client shares one limit, or a forged one.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
    raise ImproperlyConfigured(f"LAMPUNGIN_LOG_LEVEL must be DEBUG/INFO/WARNING/ERROR, got {LOG_LEVEL!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"pii": {"()": "lampungin.core.logging.RedactPersonalData"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["pii"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Lampung In <noreply@lampungprov.go.id>")

NINJA_PAGINATION_MAX_LIMIT = 100

# Single sign-on: Lampung In is an OpenID Connect provider (django-oauth-toolkit); docs/oidc.md.
# Signing keys are not settings: they live in the database (lampungin oidc-rotate-key).
OIDC_RETIRED_KEY_DAYS = env_int("OIDC_RETIRED_KEY_DAYS", 7, minimum=1)
OIDC_REFRESH_TOKEN_DAYS = env_int("OIDC_REFRESH_TOKEN_DAYS", 30, minimum=1)
# Plain-http redirect URIs only where the platform itself runs on http (demo, development).
OIDC_HTTP_REDIRECTS = env_bool("OIDC_HTTP_REDIRECTS", SITE_URL.startswith("http://"))
OAUTH2_PROVIDER_APPLICATION_MODEL = "oidc.Application"
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_ISS_ENDPOINT": SITE_URL,
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OIDC_SUBJECT_TYPES_SUPPORTED": ["pairwise"],
    "OIDC_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED": ["client_secret_basic", "client_secret_post", "none"],
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS": True,
    "OIDC_JWKS_MAX_AGE_SECONDS": 600,
    "PKCE_REQUIRED": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "ID_TOKEN_EXPIRE_SECONDS": 3600,
    "REFRESH_TOKEN_EXPIRE_SECONDS": OIDC_REFRESH_TOKEN_DAYS * 24 * 3600,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"] if OIDC_HTTP_REDIRECTS else ["https"],
    "OAUTH2_VALIDATOR_CLASS": "lampungin.integrations.oidc.validators.LampungInValidator",
    "SCOPES_BACKEND_CLASS": "lampungin.integrations.oidc.scopes.ApplicationScopes",
    "APPLICATION_ADMIN_CLASS": "lampungin.integrations.oidc.admin.ApplicationAdmin",
    # RFC 9700 (OAuth 2.0 Security BCP): no implicit or password grant, S256 only, tokens in
    # headers only, `iss` in authorization responses, tokens stored as hashes.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
}

# Messaging (docs/messaging.md): SMS and WhatsApp through a JSON-over-HTTP gateway; a channel
# whose URL is empty is "not configured" and its deliveries are logged as skipped.
_GATEWAY_BODY = '{"to": "{to}", "text": "{text}", "reference": "{reference}"}'


def _json_object(name: str, default: str) -> str:
    raw = env_str(name, default)
    try:
        ok = isinstance(json.loads(raw), dict)
    except ValueError:
        ok = False
    if not ok:
        raise ImproperlyConfigured(f"LAMPUNGIN_{name} must be a JSON object, got {raw!r}")
    return raw


SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = env_str("SMS_GATEWAY_TOKEN", "")
SMS_GATEWAY_BODY = _json_object("SMS_GATEWAY_BODY", _GATEWAY_BODY)
WHATSAPP_GATEWAY_URL = env_str("WHATSAPP_GATEWAY_URL", "")
WHATSAPP_GATEWAY_TOKEN = env_str("WHATSAPP_GATEWAY_TOKEN", "")
WHATSAPP_GATEWAY_BODY = _json_object("WHATSAPP_GATEWAY_BODY", _GATEWAY_BODY)
# Web push: VAPID keys (generated into <var>/vapid-private.pem when unset).
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY", "")
VAPID_PUBLIC_KEY = env_str("VAPID_PUBLIC_KEY", "")
VAPID_SUBJECT = env_str("VAPID_SUBJECT", "mailto:noreply@lampungprov.go.id")
# Webhooks and push endpoints may target private/loopback addresses only when this is on
# (decision 0012): on in DEBUG, off otherwise.
WEBHOOK_ALLOW_PRIVATE = env_bool("WEBHOOK_ALLOW_PRIVATE", DEBUG)
