"""Settings for Framstegsarenan / Tekojen tori.

Every environment variable the portal reads is declared in the "Environment" block
below, once, with its type and default, and documented in `.env.example`.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """`postgresql://user:password@host:port/name?host=/socket/dir` → Django DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured("DATABASE_URL must be a postgresql:// URL.")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "postgres",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": query.pop("host", parts.hostname or ""),
        "PORT": str(parts.port or query.pop("port", "")),
        "CONN_MAX_AGE": env_int("CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": query,
    }


# --- Environment -------------------------------------------------------------------
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
DATABASE_URL = env_str("DATABASE_URL")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 63072000)
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
# How many proxies of our own stand in front of the app and append the address they saw to
# X-Forwarded-For (nginx in docker-compose: 1; a TLS proxy in front of it too: 2). 0: the header is
# ignored and the connection's address counts. Or the header such a proxy sets to the client's
# address alone (X-Real-IP, CF-Connecting-IP), which then wins over X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
TRUSTED_CLIENT_IP_HEADER = env_str("TRUSTED_CLIENT_IP_HEADER")
EMAIL_URL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Tekojen tori <noreply@tekojentori.fi>")
STAFF_EMAILS = env_list("STAFF_EMAILS")
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
# The shared cache (Redis or Valkey) as redis://host:6379/0 or unix:///path/redis.sock; unset: the
# database cache (development, tests, a small site).
REDIS_URL = env_str("REDIS_URL")
# Load the Finnish/Swedish lemmatiser dictionaries when the WSGI app starts (with gunicorn
# --preload: once per server, shared by the workers) instead of on the first search.
SEARCH_WARM_UP = env_bool("SEARCH_WARM_UP", not DEBUG)
# -----------------------------------------------------------------------------------

if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for development).")
    SECRET_KEY = "development-only-not-secret-" + "x" * 40

if not DATABASE_URL:
    raise ImproperlyConfigured(
        "Set DATABASE_URL=postgresql://user:password@host:5432/name "
        "(`make run` and `make test` start an embedded PostgreSQL and set it for you)."
    )
DATABASES = {"default": database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "modeltranslation",  # before django.contrib.admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "orgs",
    "arena",
    "campaigns",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files get the CSP and Permissions-Policy headers too.
    "csp.middleware.CSPMiddleware",
    "arena.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "arena.urls"
WSGI_APPLICATION = "arena.wsgi.application"

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
                "csp.context_processors.nonce",
                "arena.context_processors.portal",
            ],
        },
    },
]

AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Common and breached passwords, and common words padded with digits: the lists ship
    # with the project (orgs/data/passwords/) and include Django's own common-password list.
    {"NAME": "orgs.password_validation.BreachedPasswordValidator"},
    # Nothing built on the user's e-mail address or their organisation's name.
    {"NAME": "orgs.password_validation.PersonalPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: e-mail is the login; the address must be confirmed.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_SIGNUP_FORM_CLASS = "orgs.forms.SignupExtraForm"
ACCOUNT_ADAPTER = "orgs.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Sign-in throttles (allauth's rate limits, counted in the shared cache per client address, per
# e-mail address or both; README "Security: sign-in throttles"). A rate "n/period/per": at most n in
# the period. Several periods for one action make the wait grow: a minute after the first burst,
# up to an hour after a sustained one. Per-address limits leave room for an office or an event
# whose people share one address.
# - Wrong passwords: one address trying many accounts is slowed by the per-address limits; one
#   account tried from anywhere is paused by the per-account ("key") limits. That pause also
#   refuses the owner's right password, so the owner is offered a sign-in code by e-mail instead.
# - Sign-in codes: limited per address *and* e-mail first (orgs.login_throttle), so one address
#   cannot use up the owner's codes (using up an e-mail's 10 codes in 10 minutes takes 4 addresses),
#   then per address and per e-mail: a mailbox gets at most 20 codes an hour. A code works only in
#   the browser that asked for it: 3 tries within 3 minutes.
# - Password reset mails: same shape; a reset link works in any browser, so even when someone else
#   has used up an address's quota, the links they triggered reach its owner and still work.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_FORMS = {
    "login": "orgs.login_throttle.LoginForm",
    "request_login_code": "orgs.login_throttle.RequestLoginCodeForm",
}
ACCOUNT_RATE_LIMITS = {
    "login": "60/m/ip",
    "login_failed": "20/m/ip,60/h/ip,5/5m/key,20/h/key",
    "request_login_code": "10/m/ip,30/h/ip,10/10m/key,20/h/key",
    "request_login_code_address_email": "3/10m/key,5/h/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key,20/h/key",
    "confirm_email": "1/3m/key",
}
# The client address behind the proxy (see TRUSTED_PROXY_COUNT): allauth's own setting, read by
# its rate limits and by orgs.login_throttle.client_address.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = TRUSTED_CLIENT_IP_HEADER or None
if BEHIND_PROXY and not (TRUSTED_PROXY_COUNT or TRUSTED_CLIENT_IP_HEADER):
    raise ImproperlyConfigured(
        "BEHIND_PROXY is set: set TRUSTED_PROXY_COUNT (1 behind the bundled nginx) or "
        "TRUSTED_CLIENT_IP_HEADER, or every visitor shares the proxy's address and its limits."
    )

# Two-step verification (allauth.mfa): optional, offered to everyone from the account pages
# and recommended to KT staff and jurors. An authenticator app (TOTP) plus one-time
# recovery codes; no security keys (WebAuthn needs JavaScript we don't ship).
MFA_ADAPTER = "orgs.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Tekojen tori"
# Accept the code of the previous and the next 30-second period too (phone clocks drift);
# a code is still accepted only once.
MFA_TOTP_TOLERANCE = 1

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
MODELTRANSLATION_DEFAULT_LANGUAGE = "fi"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("fi", "sv", "en")}
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Helsinki"
USE_TZ = True
FORMAT_MODULE_PATH = ["arena.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
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
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# The shared cache of every worker and app server (allauth's rate limits and the sessions count on
# it): Django's RedisCache when REDIS_URL is set, else Django's database cache (its table is
# created by a migration: arena/migrations/0006_cache_table.py).
# Page data (whole pages, fragments and values of arena/cache.py) has a cache of its own, "pages",
# so that however many pages are kept, culling or evicting them never drops a rate-limit counter
# or a session: on Redis another database number of the same server (PAGE_CACHE_URL to put it on
# a server of its own), without Redis a second table (arena/migrations/0011_page_cache_table.py).
# With Redis unreachable, a command fails within the socket timeouts (no request hangs) and the
# site answers the 503 page (arena.views_errors.server_error); the pool reconnects on the next command.
REDIS_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "health_check_interval": 30}
PAGE_CACHE = "pages"


def redis_database(url: str, number: int) -> str:
    """The same Redis server's database `number`: redis://host:6379/<number>, or ?db=<number> on a socket."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.scheme == "unix":
        return url.split("?", 1)[0] + "?" + urlencode({**dict(parse_qsl(parts.query)), "db": str(number)})
    return urlunsplit(parts._replace(path=f"/{number}"))


PAGE_CACHE_URL = env_str("PAGE_CACHE_URL") or (redis_database(REDIS_URL, 1) if REDIS_URL else "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": REDIS_OPTIONS,
        },
        PAGE_CACHE: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": PAGE_CACHE_URL,
            "OPTIONS": REDIS_OPTIONS,
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "arena_cache",
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        },
        PAGE_CACHE: {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "arena_cache_pages",
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        },
    }

# Public content in the shared cache (arena/cache.py): pages for anonymous visitors and values such
# as the front-page figures and the filter choices, keyed on the versions of the scopes they show
# (an action, the published list, a campaign…), which the services renew when those change.
PUBLIC_CACHE = env_bool("PUBLIC_CACHE", True)

if EMAIL_URL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = EMAIL_URL_HOST
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Sessions: Django's `cached_db` engine, written to the database and the cache, read from the cache
# first (the database keeps them across a cleared or restarted cache).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Security: safe by default, relaxed only by DEBUG.
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "manifest-src": ["'self'"],
    },
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

# Uploads (checked before anything is kept: see arena/images.py).
IMAGE_MAX_BYTES = 10 * 1024 * 1024
# A baseline JPEG is decoded at a reduced scale, so it may be large: 52 MP lets a 48 or 50 MP
# phone photo (8000 × 6000, 8160 × 6120) through; larger photos rarely fit in 10 MB anyway.
IMAGE_MAX_PIXELS = 52_000_000
# PNG, WebP and progressive JPEG are decoded at full size (4 bytes a pixel, twice that while a
# transparent one is scaled): 16 MP takes a 5K screenshot or an A4 page scanned at 300 dpi, and
# keeps four worst-case uploads at once under 300 MB (measured by `python -m bench.uploads`).
IMAGE_MAX_PIXELS_UNSCALED = 16_000_000
# WebP's decoder keeps several full-size copies (its canvas, the frame, Pillow's image): less again.
IMAGE_MAX_PIXELS_WEBP = 5_000_000
# Uploads decoded and re-encoded at the same time per process (the others wait their turn).
IMAGE_MAX_PARALLEL = 2
# How long an upload waits for its turn before the user is asked to try again (not a hung request).
IMAGE_MAX_WAIT_SECONDS = 10
ACTION_MAX_IMAGES = 6
