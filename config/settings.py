"""Yuyue settings, read from the environment (see .env.example for every variable).

The defaults are the embedded mode: SQLite in ./var, mail kept as files in ./var/mail, the
cache in a database table, so a checkout runs at once. YUYUE_ENV=production tightens
everything and refuses unsafe values.
"""

import re
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

from yuyue.lib.email_url import parse_email_url
from yuyue.lib.env import envbool, envchoice, envint, envlist, envprefixed, envstr
from yuyue.lib.secret import check_production_key, embedded_key
from yuyue.lib.serving import DEFAULT_BIND, bind_url

BASE_DIR = Path(__file__).resolve().parent.parent

# A .env file in the working directory is read, but real environment variables win.
load_dotenv(Path.cwd() / ".env", override=False)

YUYUE_ENV = envstr("YUYUE_ENV", "embedded").strip().lower()
if YUYUE_ENV not in {"embedded", "production"}:
    raise ImproperlyConfigured(f"YUYUE_ENV must be 'embedded' or 'production', got {YUYUE_ENV!r}")
PRODUCTION = YUYUE_ENV == "production"

DATA_DIR = Path(envstr("YUYUE_DATA_DIR", str(Path.cwd() / "var")))

DEBUG = envbool("DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when YUYUE_ENV=production.")

SECRET_KEY = envstr("SECRET_KEY")
if SECRET_KEY:
    if PRODUCTION or not DEBUG:
        check_production_key(SECRET_KEY)
elif PRODUCTION:
    check_production_key(SECRET_KEY)  # raises: production must bring its own key
else:
    SECRET_KEY = embedded_key(DATA_DIR / "secret_key")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "yuyue.accounts",
    "yuyue.catalog",
    "yuyue.customers",
    "yuyue.scheduling",
    "yuyue.bookings",
    "yuyue.notifications",
    "yuyue.wechat",
    "yuyue.payments",
    "yuyue.cards",
    "yuyue.waitlist",
    "yuyue.api",
    "yuyue.webkit",
    "yuyue.web",
    "yuyue.seed",
    "yuyue.demo",
    "yuyue.backoffice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below whitenoise: static files stay cacheable.
    "yuyue.lib.middleware.personal_no_store",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "yuyue.lib.audit.audit_context",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "yuyue.web.middleware.permissions_policy",
    # A suspended business's pages: one "closed" answer (catalog.selectors.require_open).
    "yuyue.webkit.middleware.SuspendedBusinesses",
    # Last, so its 413 goes back out through all of the above and carries the same headers;
    # still before anything reads the body (views and CSRF's process_view run after the chain).
    "yuyue.lib.middleware.body_limit",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

# Databases ---------------------------------------------------------------------------------
SQLITE_BUSY_TIMEOUT_SECONDS = envint("SQLITE_BUSY_TIMEOUT", 20, minimum=1, maximum=600)
DATABASE_URL = envstr("DATABASE_URL")
if DATABASE_URL:
    try:
        DATABASES = {
            "default": dj_database_url.parse(
                DATABASE_URL,
                conn_max_age=envint("DB_CONN_MAX_AGE", 60, minimum=0),
                conn_health_checks=True,
            )
        }
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "yuyue.sqlite3"),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE makes every transaction take SQLite's write lock at BEGIN, which is what
    # serializes booking writers; WAL lets readers carry on meanwhile.
    # See docs/booking.md#begin-immediate-on-sqlite.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    # Tests use a file, not Django's shared in-memory database: threads in the concurrency
    # tests need real connections with SQLite's own locking and busy timeout.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-yuyue.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# Case-insensitive usernames, and every failed login counted against its address.
AUTHENTICATION_BACKENDS = ["yuyue.accounts.backends.AccountBackend"]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        # Django's rule, with a message our Chinese catalogue translates.
        "NAME": "yuyue.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Cache: shared by every app process, so rate limits hold however many there are ----------
# Redis when configured; else a table in the database (created by `migrate`), whose counters
# are atomic too (yuyue.lib.dbcache).
REDIS_URL = envstr("REDIS_URL")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "yuyue",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "yuyue.lib.dbcache.AtomicDatabaseCache",
            "LOCATION": "yuyue_cache",
            "KEY_PREFIX": "yuyue",
            # Culling drops random rows; a high ceiling keeps throttle counters from being
            # pushed out by a flood of other keys.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

# Seconds a listing of free times stays in that cache at most (0: never cached). Every write
# that changes a business's free times replaces its version, which stales its listings at once
# (yuyue/catalog/versions.py); this bound only matters if such a bump is lost.
AVAILABILITY_CACHE_SECONDS = envint("AVAILABILITY_CACHE_SECONDS", 300, minimum=0, maximum=86400)

# Language and time -------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
# Each language is named in itself, as language pickers do.
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "yuyue" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Static files are served by whitenoise from the app process ---------------------------------
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": envstr(
            "STATICFILES_BACKEND", "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Photos of services and staff, uploaded in the back office (yuyue/lib/photos.py): checked,
# resized and stored as JPEG here, served by the app itself under /photos/ (never a directory
# listing, only those files).
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(DATA_DIR / "media")))
PHOTO_MAX_UPLOAD_BYTES = envint("PHOTO_MAX_UPLOAD_BYTES", 5 * 1024 * 1024, minimum=1024)
# An upload goes to a temporary file above this size rather than memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Email ---------------------------------------------------------------------------------------
# Without EMAIL_URL, mail is kept as files under var/mail/ with one line per message on the
# terminal (yuyue/notifications/mail_files.py): readable, and nothing is lost.
EMAIL_BACKEND = envstr("EMAIL_BACKEND", "yuyue.notifications.mail_files.EmailBackend")
YUYUE_MAIL_DIR = Path(envstr("YUYUE_MAIL_DIR", str(DATA_DIR / "mail")))
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Yuyue <noreply@localhost>")

# Notifications ---------------------------------------------------------------------------------
# Outgoing mail: EMAIL_URL (smtp://user:pw@host:587, smtps://..., console://) wins over the
# separate EMAIL_* variables. A timeout is always set, so one dead mail server cannot hang the
# dispatcher forever.
EMAIL_URL = envstr("EMAIL_URL")
if EMAIL_URL:
    _email = parse_email_url(EMAIL_URL)
    EMAIL_BACKEND = _email.backend
    EMAIL_HOST, EMAIL_PORT = _email.host, _email.port
    EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = _email.user, _email.password
    EMAIL_USE_TLS, EMAIL_USE_SSL = _email.use_tls, _email.use_ssl
    EMAIL_TIMEOUT = _email.timeout or envint("EMAIL_TIMEOUT", 10, minimum=1)
else:
    EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
    EMAIL_PORT = envint("EMAIL_PORT", 25, minimum=1, maximum=65535)
    EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", default=False)
    EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", default=False)
    EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10, minimum=1)
# Where `yuyue serve` listens (gunicorn's --bind).
YUYUE_BIND = envstr("YUYUE_BIND", DEFAULT_BIND)
# The links in messages (view, cancel, reschedule) and the addresses `yuyue demo` and
# `make run` print start with this address: by default the one served.
YUYUE_PUBLIC_URL = envstr("YUYUE_PUBLIC_URL", bind_url(YUYUE_BIND)).rstrip("/")
# SMS and mini-program messages: "console" logs them, "webhook" POSTs them to a gateway.
NOTIFY_SMS_PROVIDER = envstr("NOTIFY_SMS_PROVIDER", "console").strip().lower()
NOTIFY_WEBHOOK_URL = envstr("NOTIFY_WEBHOOK_URL")
NOTIFY_WEBHOOK_SECRET = envstr("NOTIFY_WEBHOOK_SECRET")
NOTIFY_WEBHOOK_TIMEOUT = envint("NOTIFY_WEBHOOK_TIMEOUT", 5, minimum=1, maximum=120)
if NOTIFY_SMS_PROVIDER not in {"console", "webhook", "tencent"}:
    raise ImproperlyConfigured("NOTIFY_SMS_PROVIDER must be 'console', 'webhook' or 'tencent'.")
if NOTIFY_SMS_PROVIDER == "webhook" and not (NOTIFY_WEBHOOK_URL and NOTIFY_WEBHOOK_SECRET):
    raise ImproperlyConfigured(
        "NOTIFY_SMS_PROVIDER=webhook needs NOTIFY_WEBHOOK_URL and NOTIFY_WEBHOOK_SECRET."
    )
# Tencent Cloud SMS (NOTIFY_SMS_PROVIDER=tencent; yuyue/notifications/tencent.py): the API key,
# the SMS app, its approved signature, and per kind of message its approved template:
# TENCENT_SMS_TEMPLATE_<KIND>=<id>, or <id>:<field>,<field> to choose what fills {1}, {2}, ….
TENCENT_SMS_SECRET_ID = envstr("TENCENT_SMS_SECRET_ID")
TENCENT_SMS_SECRET_KEY = envstr("TENCENT_SMS_SECRET_KEY")
TENCENT_SMS_SDK_APP_ID = envstr("TENCENT_SMS_SDK_APP_ID")
TENCENT_SMS_SIGN_NAME = envstr("TENCENT_SMS_SIGN_NAME")
TENCENT_SMS_REGION = envstr("TENCENT_SMS_REGION", "ap-guangzhou")
TENCENT_SMS_ENDPOINT = envstr("TENCENT_SMS_ENDPOINT", "https://sms.tencentcloudapi.com")
TENCENT_SMS_TIMEOUT = envint("TENCENT_SMS_TIMEOUT", 5, minimum=1, maximum=60)
# Tencent's limit per template parameter: 12 characters on individually verified accounts;
# enterprise accounts may raise it (the whole text stays within 500 characters).
TENCENT_SMS_PARAM_MAX_LENGTH = envint("TENCENT_SMS_PARAM_MAX_LENGTH", 12, minimum=6, maximum=500)
TENCENT_SMS_TEMPLATES = envprefixed("TENCENT_SMS_TEMPLATE_")
if NOTIFY_SMS_PROVIDER == "tencent":
    _missing = [
        name
        for name in (
            "TENCENT_SMS_SECRET_ID",
            "TENCENT_SMS_SECRET_KEY",
            "TENCENT_SMS_SDK_APP_ID",
            "TENCENT_SMS_SIGN_NAME",
        )
        if not globals()[name]
    ]
    if _missing:
        raise ImproperlyConfigured(f"NOTIFY_SMS_PROVIDER=tencent needs {', '.join(_missing)}.")
    if not TENCENT_SMS_ENDPOINT.startswith(("https://", "http://")):
        raise ImproperlyConfigured("TENCENT_SMS_ENDPOINT must be an http(s):// address.")
    if PRODUCTION and not TENCENT_SMS_ENDPOINT.startswith("https://"):
        raise ImproperlyConfigured("TENCENT_SMS_ENDPOINT must be https:// in production.")
    for _kind, _value in TENCENT_SMS_TEMPLATES.items():
        if not re.fullmatch(r"[^:\s]+(:\s*[a-z_]+(\s*,\s*[a-z_]+)*)?", _value):
            raise ImproperlyConfigured(
                f"TENCENT_SMS_TEMPLATE_{_kind.upper()} must be <template id> or "
                "<template id>:<field>,<field> (e.g. 1234567:business,service,time)."
            )
# Hourly caps on text messages: per phone number, and per business.
NOTIFY_SMS_PER_PHONE_PER_HOUR = envint("NOTIFY_SMS_PER_PHONE_PER_HOUR", 5, minimum=1)
NOTIFY_SMS_PER_BUSINESS_PER_HOUR = envint("NOTIFY_SMS_PER_BUSINESS_PER_HOUR", 300, minimum=1)
# Temporary failures retry after base·2^(attempt−1) seconds (half of it as random jitter),
# at most NOTIFY_RETRY_MAX_SECONDS apart, until NOTIFY_MAX_ATTEMPTS attempts were made.
NOTIFY_MAX_ATTEMPTS = envint("NOTIFY_MAX_ATTEMPTS", 10, minimum=1, maximum=100)
NOTIFY_RETRY_BASE_SECONDS = envint("NOTIFY_RETRY_BASE_SECONDS", 30, minimum=1)
NOTIFY_RETRY_MAX_SECONDS = envint("NOTIFY_RETRY_MAX_SECONDS", 3600, minimum=1)
# The dispatcher (`yuyue worker`): how long a claimed row stays its own, how many rows it
# claims at once, and how long it sleeps when nothing is due. 100 rows a claim: each claim
# (and its mail session) costs about as much as several messages, so small batches showed in
# the drain benchmark (docs/performance.md#notifications-drain); a long batch renews its lease.
NOTIFY_LEASE_SECONDS = envint("NOTIFY_LEASE_SECONDS", 120, minimum=1)
NOTIFY_BATCH_SIZE = envint("NOTIFY_BATCH_SIZE", 100, minimum=1, maximum=1000)
NOTIFY_POLL_SECONDS = envint("NOTIFY_POLL_SECONDS", 5, minimum=1, maximum=3600)

# WeChat mini program -------------------------------------------------------------------------
# Off unless WECHAT_APPID and WECHAT_SECRET are set: then `POST /api/v1/auth/wechat` logs in
# with wx.login's code, and customers who accepted a subscription get mini-program messages.
WECHAT_APPID = envstr("WECHAT_APPID")
WECHAT_SECRET = envstr("WECHAT_SECRET")
if bool(WECHAT_APPID) != bool(WECHAT_SECRET):
    raise ImproperlyConfigured("WECHAT_APPID and WECHAT_SECRET go together: set both or neither.")
# Where WeChat's server API is; tests and staging point it at a stand-in.
WECHAT_API_BASE = envstr("WECHAT_API_BASE", "https://api.weixin.qq.com").rstrip("/")

# WeChat Pay API v3, direct merchant, public-key mode (docs/payments.md#wechat-pay). Off unless
# WECHATPAY_MCHID is set; then every one of these must be.
WECHATPAY_MCHID = envstr("WECHATPAY_MCHID")
WECHATPAY_APPID = envstr("WECHATPAY_APPID", WECHAT_APPID)
WECHATPAY_API_BASE = envstr("WECHATPAY_API_BASE", "https://api.mch.weixin.qq.com").rstrip("/")
WECHATPAY_PRIVATE_KEY_PATH = envstr("WECHATPAY_PRIVATE_KEY_PATH")
WECHATPAY_CERT_SERIAL = envstr("WECHATPAY_CERT_SERIAL")
WECHATPAY_APIV3_KEY = envstr("WECHATPAY_APIV3_KEY")
WECHATPAY_PUBLIC_KEY_PATH = envstr("WECHATPAY_PUBLIC_KEY_PATH")
WECHATPAY_PUBLIC_KEY_ID = envstr("WECHATPAY_PUBLIC_KEY_ID")
WECHATPAY_TIMEOUT = envint("WECHATPAY_TIMEOUT", 5, minimum=1, maximum=60)
_WECHATPAY = {
    "WECHATPAY_APPID": WECHATPAY_APPID,
    "WECHATPAY_PRIVATE_KEY_PATH": WECHATPAY_PRIVATE_KEY_PATH,
    "WECHATPAY_CERT_SERIAL": WECHATPAY_CERT_SERIAL,
    "WECHATPAY_APIV3_KEY": WECHATPAY_APIV3_KEY,
    "WECHATPAY_PUBLIC_KEY_PATH": WECHATPAY_PUBLIC_KEY_PATH,
    "WECHATPAY_PUBLIC_KEY_ID": WECHATPAY_PUBLIC_KEY_ID,
}
_WECHATPAY_PROBLEMS = [f"{name} is not set" for name, value in _WECHATPAY.items() if not value]
if WECHATPAY_APIV3_KEY and len(WECHATPAY_APIV3_KEY.encode()) != 32:
    _WECHATPAY_PROBLEMS.append("WECHATPAY_APIV3_KEY is not 32 characters")
if PRODUCTION and not WECHATPAY_API_BASE.startswith("https://"):
    _WECHATPAY_PROBLEMS.append("WECHATPAY_API_BASE is not https")
if WECHATPAY_MCHID and _WECHATPAY_PROBLEMS:
    raise ImproperlyConfigured(
        "WeChat Pay (WECHATPAY_MCHID is set): " + "; ".join(_WECHATPAY_PROBLEMS) + "."
    )
WECHAT_TIMEOUT = envint("WECHAT_TIMEOUT", 5, minimum=1, maximum=60)
# developer, trial or formal: which version of the mini program a message's card opens.
WECHAT_MINIPROGRAM_STATE = envstr("WECHAT_MINIPROGRAM_STATE", "formal")
# Subscribe-message templates (ids from the mini program's admin console), one per purpose, and
# for each kind of message the template's keys → what fills them
# (see yuyue/notifications/miniprogram.py).
WECHAT_TEMPLATE_IDS = {
    "confirmation": envstr("WECHAT_TEMPLATE_CONFIRMATION"),
    "reminder": envstr("WECHAT_TEMPLATE_REMINDER"),
    "change": envstr("WECHAT_TEMPLATE_CHANGE"),
}
WECHAT_TEMPLATE_FIELDS = {
    "booked": envstr(
        "WECHAT_FIELDS_BOOKED", "thing1=service,time2=start,thing3=location,phrase4=status"
    ),
    "confirmed": envstr(
        "WECHAT_FIELDS_CONFIRMED", "thing1=service,time2=start,thing3=location,phrase4=status"
    ),
    "reminder": envstr("WECHAT_FIELDS_REMINDER", "thing1=service,time2=start,thing3=location"),
    "rescheduled": envstr(
        "WECHAT_FIELDS_RESCHEDULED", "thing1=service,time2=start,time3=old_start,phrase4=status"
    ),
    "cancelled": envstr(
        "WECHAT_FIELDS_CANCELLED", "thing1=service,time2=start,thing3=reason,phrase4=status"
    ),
}

# Security ------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Production speaks HTTPS only: plain HTTP is redirected and browsers are told (HSTS) for a
# year. Behind a TLS proxy set BEHIND_TLS_PROXY; a proxy that redirects by itself may set
# SECURE_SSL_REDIRECT=false.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=PRODUCTION)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", default=False)
# Joining the browsers' preload list cannot be undone quickly: the owner of the domain
# decides (SECURE_HSTS_PRELOAD=true), so `check --deploy` does not nag about it.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if envbool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Every page loads scripts, styles, images and fonts from this server only, and no inline
# script runs (django-csp). Swagger UI's images are data: URLs, hence img-src data:.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# The login session lasts two weeks of inactivity; the language choice a year.
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 14 * 24 * 3600, minimum=300)
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LOGIN_URL = "/login"
# A refused form gets the site's own page, which says what to do next.
CSRF_FAILURE_VIEW = "yuyue.web.views.errors.csrf_failure"

# Product ---------------------------------------------------------------------------------------
# The business that the root URL and the seed routes act for.
YUYUE_DEFAULT_BUSINESS = envstr("YUYUE_DEFAULT_BUSINESS", "demo")
# Who may open a business: anyone ("open"), holders of a link from the platform operator
# ("invite"), or nobody but the operator ("closed").
YUYUE_SIGNUP = envchoice("YUYUE_SIGNUP", "open", ("open", "invite", "closed"))

# API -------------------------------------------------------------------------------------------
# django-ninja is an installed app for its templates and static files only: the interactive
# docs at /api/v1/docs load Swagger UI from this server, never from a CDN.
INSTALLED_APPS += ["ninja"]
# Days a bearer token lives; logout and a password change end it sooner.
API_TOKEN_TTL_DAYS = envint("API_TOKEN_TTL_DAYS", 30, minimum=1, maximum=365)
# Days an invitation to join a business as owner or staff stays usable.
INVITATION_TTL_DAYS = envint("INVITATION_TTL_DAYS", 7, minimum=1, maximum=90)
# Requests allowed per period: "count/period", the period in s, m, h or d with an optional
# multiple ("10/15m"). Counted in the cache, so shared by every process when REDIS_URL is set.
API_THROTTLE_RATES = {
    "login_ip": envstr("API_RATE_LOGIN_IP", "30/m"),
    # Failed logins: the (username, address) limit stops guessing one password; the address
    # limit stops spraying many usernames. Counted per address, so nobody elsewhere can lock
    # a real user out.
    "login_failures_user_ip": envstr("API_RATE_LOGIN_FAILURES", "10/15m"),
    "login_failures_ip": envstr("API_RATE_LOGIN_FAILURES_IP", "50/15m"),
    "register_ip": envstr("API_RATE_REGISTER_IP", "20/h"),
    "register_username": envstr("API_RATE_REGISTER_USERNAME", "10/h"),
    "booking_user": envstr("API_RATE_BOOKING_USER", "30/10m"),
    # Sign-in codes by text message: one per phone a minute, ten per phone a day, and a cap per
    # address so one client cannot text a whole directory. Wrong codes count as failed logins.
    "sms_resend_phone": envstr("API_RATE_SMS_RESEND", "1/m"),
    "sms_phone_day": envstr("API_RATE_SMS_PHONE_DAY", "10/d"),
    "sms_ip": envstr("API_RATE_SMS_IP", "20/h"),
    # Wrong check-in codes per staff member and business: six digits are too few to survive
    # guessing without a limit (docs/booking.md#check-in).
    "checkin_failures": envstr("API_RATE_CHECKIN_FAILURES", "10/10m"),
}
# How many reverse proxies in front of the app append to X-Forwarded-For. Throttling by IP
# trusts exactly that many entries; 0 uses the connection's own address (no proxy).
NINJA_NUM_PROXIES = envint("NUM_PROXIES", 0, minimum=0, maximum=10)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals_without_traceback": {"()": "yuyue.lib.logs.RefusalsWithoutTraceback"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["refusals_without_traceback"],
        }
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
}
