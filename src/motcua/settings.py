"""Django settings, read from environment variables.

DATABASE_URL        unset → SQLite file in WAL mode under MOTCUA_DATA_DIR.
MOTCUA_DATA_DIR     where the SQLite file and uploaded files live (default ./var).
MOTCUA_SECRET_KEY   required when MOTCUA_DEBUG is off in production.
MOTCUA_DEBUG        "1" for development.
MOTCUA_ENV          "production": debug off, secret key required, HTTPS settings on (docs/security.md).
MOTCUA_ALLOWED_HOSTS comma-separated.
CELERY_BROKER_URL   set to use a real queue (e.g. redis://127.0.0.1:6379/0); unset → tasks run in-process.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("MOTCUA_DATA_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# MOTCUA_ENV=production: debug off whatever MOTCUA_DEBUG says, the secret key must come from the environment (no
# start without one), HTTPS settings on by default (MOTCUA_HTTPS). `motcua check --deploy` is clean with it.
PRODUCTION = os.environ.get("MOTCUA_ENV", "").strip().lower() == "production"
DEBUG = env_bool("MOTCUA_DEBUG", False) and not PRODUCTION
SECRET_KEY = os.environ.get("MOTCUA_SECRET_KEY") or ("" if PRODUCTION else
                                                     "dev-insecure-motcua-key-change-me-" + "x" * 20)
if PRODUCTION and len(SECRET_KEY) < 50:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("MOTCUA_ENV=production needs MOTCUA_SECRET_KEY (50+ random characters).")
ALLOWED_HOSTS = [h for h in os.environ.get("MOTCUA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",  # staff two-factor sign-in (accounts/twofactor.py)
    "django_otp.plugins.otp_totp",
    "ninja",  # serves Swagger UI from static files (no CDN)
    "js_lib_htmx",  # htmx.min.js shipped as a static file (no CDN, no build step)
    "motcua.core",
    "motcua.audit",
    "motcua.agencies",
    "motcua.accounts",
    "motcua.worktime",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.feedback",
    "motcua.payments",
    "motcua.notifications",
    "motcua.ratings",
    "motcua.surveys",
    "motcua.reports",
    "motcua.backoffice",
    "motcua.portal",
    "motcua.forms",
    "motcua.scale",
    "motcua.indices",
    "motcua.reform",
    "motcua.privacy",
    "motcua.federation",
]

MIDDLEWARE = [
    "motcua.scale.shedding.LoadSheddingMiddleware",  # first: the excess of a burst is refused before any work
    "motcua.scale.db_router.ReplicaMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.core.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "motcua.accounts.twofactor.StaffTwoFactorMiddleware",
    "motcua.core.middleware.StaffIdleTimeoutMiddleware",
    "motcua.core.middleware.PostRateLimitMiddleware",
    "motcua.audit.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "motcua.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

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
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------------------
DATA_DIR.mkdir(parents=True, exist_ok=True)
_database_url = os.environ.get("DATABASE_URL", "").strip()
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "motcua.sqlite3",
            "OPTIONS": {
                # WAL lets readers run beside the single writer; IMMEDIATE takes the write lock at BEGIN so two
                # writers queue on busy_timeout instead of failing with "database is locked" on upgrade.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Kept open between requests like PostgreSQL's: a new connection costs the open, the three PRAGMAs
            # above and the close on every request, ~40 % of a bare one-SELECT request (bench.http_load floor).
            "CONN_MAX_AGE": 60,
            "TEST": {"NAME": os.environ.get("MOTCUA_TEST_SQLITE") or None},
        }
    }
# Read replica (streaming standby): reports and public lookups read from it, see scale/db_router.py.
_replica_url = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if _replica_url and _database_url:
    DATABASES["replica"] = dj_database_url.parse(_replica_url, conn_max_age=60, conn_health_checks=True)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["motcua.scale.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Login lockout (django-axes): 5 failures per username+IP lock for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("MOTCUA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("MOTCUA_AXES_ENABLED", True)
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"

# --- i18n -----------------------------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Caches ---------------------------------------------------------------------------------------------------
# "default" is Django's own default (the rate-limit counters; a deployment with several servers points it at Redis).
# Page fragments that are the same for every visitor of a language stay in each process (`{% memo %}`,
# core/templatetags/memo.py), never shared, so a new release never serves an old fragment.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}

# --- Static and uploaded files --------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Uploaded files live outside the web root and are served only through permission-checked views.
MEDIA_ROOT = DATA_DIR / "files"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Security -------------------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("MOTCUA_SESSION_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Staff sessions end after this many minutes without a request (citizens keep SESSION_COOKIE_AGE).
MOTCUA_STAFF_IDLE_MINUTES = int(os.environ.get("MOTCUA_STAFF_IDLE_MINUTES", "30"))
# Two-factor sign-in (TOTP, django-otp) for staff: "off", "optional" (those who enrolled) or "required" (every
# staff account; superusers included). See docs/security.md.
MOTCUA_STAFF_2FA = os.environ.get("MOTCUA_STAFF_2FA", "optional").strip().lower()
OTP_TOTP_ISSUER = "MotCua"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # no administrator can read a staff member's TOTP key or QR code
# Rate limits on anonymous write paths (POST, per client IP; django-ratelimit on the cache): login, registration,
# PAKN submission. The dossier lookup has its own limiter (portal/lookup.py).
MOTCUA_POST_RATE_LIMITS = {
    "/accounts/login/": os.environ.get("MOTCUA_LOGIN_RATE", "20/m"),
    "/dang-ky/": os.environ.get("MOTCUA_REGISTER_RATE", "20/h"),
    "/dang-ky/doanh-nghiep/": os.environ.get("MOTCUA_REGISTER_RATE", "20/h"),
    "/phan-anh-kien-nghi/gui/": os.environ.get("MOTCUA_PAKN_RATE", "20/h"),
    "/api/v1/feedback": os.environ.get("MOTCUA_PAKN_RATE", "20/h"),
}
if env_bool("MOTCUA_HTTPS", PRODUCTION):
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Background work ------------------------------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None  # e.g. the broker's Redis
CELERY_TASK_EAGER_PROPAGATES = True

# --- Outgoing mail (notifications app; SMS: MOTCUA["SMS_BACKEND"], see docs/portal-services.md) ----------------
EMAIL_BACKEND = os.environ.get("MOTCUA_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("MOTCUA_EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("MOTCUA_FROM_EMAIL", "MotCua <no-reply@motcua.local>")

# --- MotCua domain settings (configuration, not constants: several are marked [verify] in the domain guide) -----
MOTCUA = {
    # Province whose calendar and office hours apply by default.
    "PROVINCE_CODE": os.environ.get("MOTCUA_PROVINCE_CODE", "000.00.00.H27"),
    # Dossier code pattern (TT 03/2025 exact format is [verify]).
    "DOSSIER_CODE_PATTERN": os.environ.get("MOTCUA_DOSSIER_CODE_PATTERN", "{unit}-{yymmdd}-{seq:04d}"),
    # Agency electronic identifier (QĐ 20/2020 structure is [verify]); checked on save and on import.
    "AGENCY_CODE_PATTERN": os.environ.get("MOTCUA_AGENCY_CODE_PATTERN", r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$"),
    # Payment gateways (dotted paths, comma-separated); unset → the sandbox only, which `check --deploy` flags.
    "PAYMENT_GATEWAYS": [p for p in os.environ.get("MOTCUA_PAYMENT_GATEWAYS", "").split(",") if p.strip()],
    # Supplement deadline in calendar days when the officer sets none ([verify]: ThoiHanBoSung is set per province /
    # procedure in practice); expiry → status 8 (processing) or 3 (Form 02 before reception). See dossiers/reception.py.
    "SUPPLEMENT_DEADLINE_DAYS": int(os.environ.get("MOTCUA_SUPPLEMENT_DEADLINE_DAYS", "30")),
    "COMPLETION_DEADLINE_DAYS": int(os.environ.get("MOTCUA_COMPLETION_DEADLINE_DAYS", "30")),
    # Read replica (DATABASE_REPLICA_URL): paths whose reads may go to it, seconds a writer stays on the primary.
    "REPLICA_PATHS": ("/tra-cuu/", "/thong-ke/", "/backoffice/thong-ke/", "/api/v1/reports/"),
    "REPLICA_PIN_SECONDS": int(os.environ.get("MOTCUA_REPLICA_PIN_SECONDS", "10")),
    # Load shedding of public reads, per server process (scale/shedding.py); 0 turns it off. The default leaves
    # one of `motcua serve`'s 4 threads to the back office during a public burst.
    "SHED_PATHS": ("/tra-cuu/", "/thu-tuc/", "/api/v1/procedures"),
    "SHED_MAX_IN_FLIGHT": int(os.environ.get("MOTCUA_SHED_MAX_IN_FLIGHT", "3")),
    "SHED_RETRY_AFTER": int(os.environ.get("MOTCUA_SHED_RETRY_AFTER", "1")),
    "SHED_STATUS": int(os.environ.get("MOTCUA_SHED_STATUS", "503")),
    # Years to keep applicants' personal data after a dossier ends when no RetentionRule matches ([verify]: archive
    # periods per record type); `motcua purge-personal-data` applies it (privacy app, Law 91/2025).
    "RETENTION_DEFAULT_YEARS": int(os.environ.get("MOTCUA_RETENTION_DEFAULT_YEARS", "10")),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_ids": {"()": "motcua.core.logging.MaskPersonalIdFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_personal_ids"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("MOTCUA_LOG_LEVEL", "WARNING")},
}
