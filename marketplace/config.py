"""Configuration from the environment, with documented defaults.

Every setting can be overridden by an environment variable of the same name. `create_app`
accepts a mapping that wins over both (tests use it).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("MARKETPLACE_INSTANCE_DIR", ROOT / "instance"))


class ConfigError(RuntimeError):
    """The configuration cannot work; raised at start, never at request time."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc


def _database_url(url: str) -> str:
    # Accept the common `postgres://` and `postgresql://` forms and use psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def from_environment() -> dict:
    """Read every setting from the environment."""
    env = os.environ.get
    environment = env("MARKETPLACE_ENV", env("FLASK_ENV", "production"))
    secure_cookies = _bool(env("SESSION_COOKIE_SECURE"))
    return {
        "ENV_NAME": environment,
        "SECRET_KEY": env("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": _database_url(
            env("DATABASE_URL", f"sqlite:///{INSTANCE / 'marketplace.db'}")
        ),
        "MARKETPLACE_INDEX_DIR": env("MARKETPLACE_INDEX_DIR", str(INSTANCE / "index")),
        "MARKETPLACE_STORAGE_DIR": env("MARKETPLACE_STORAGE_DIR", str(INSTANCE / "files")),
        "MARKETPLACE_TIMEZONE": env("MARKETPLACE_TIMEZONE", "Asia/Shanghai"),
        "MARKETPLACE_BASE_URL": env("MARKETPLACE_BASE_URL", "http://127.0.0.1:5000"),
        "MARKETPLACE_MIN_BID_PERIOD_HOURS": _int("MARKETPLACE_MIN_BID_PERIOD_HOURS", 72),
        "MARKETPLACE_STANDSTILL_DAYS": _int("MARKETPLACE_STANDSTILL_DAYS", 10),
        "MARKETPLACE_OCID_PREFIX": env("MARKETPLACE_OCID_PREFIX", "ocds-scnmkt"),
        "MARKETPLACE_UPLOAD_MAX_BYTES": _int("MARKETPLACE_UPLOAD_MAX_BYTES", 10 * 1024 * 1024),
        "MARKETPLACE_SHORT_PERIOD_DAYS": _int("MARKETPLACE_SHORT_PERIOD_DAYS", 7),
        # what each search index keeps per worker, in MB, for each of: decoded postings and
        # concept scores (search/scoring.py, search/queries.py); 0 keeps none of them
        "MARKETPLACE_SEARCH_CACHE_MB": _int("MARKETPLACE_SEARCH_CACHE_MB", 16),
        "MARKETPLACE_SIGNING_KEY": env(
            "MARKETPLACE_SIGNING_KEY", str(INSTANCE / "signing" / "key.pem")
        ),
        "MARKETPLACE_SIGNING_CERT": env(
            "MARKETPLACE_SIGNING_CERT", str(INSTANCE / "signing" / "cert.pem")
        ),
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 25 * 1024 * 1024),
        # Mail: SMTP when MAIL_SERVER is set, otherwise messages are written to the log.
        "MAIL_SERVER": env("MAIL_SERVER"),
        "MAIL_PORT": _int("MAIL_PORT", 25),
        "MAIL_USE_TLS": _bool(env("MAIL_USE_TLS")),
        "MAIL_USERNAME": env("MAIL_USERNAME"),
        "MAIL_PASSWORD": env("MAIL_PASSWORD"),
        "MAIL_DEFAULT_SENDER": env("MAIL_DEFAULT_SENDER", "no-reply@marketplace.local"),
        # Security
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        # over TLS the __Host- prefix binds the cookies to this host (no Domain, Path=/, Secure)
        "SESSION_COOKIE_NAME": "__Host-session" if secure_cookies else "session",
        "REMEMBER_COOKIE_NAME": "__Host-remember" if secure_cookies else "remember_token",
        # "Remember me" lasts two weeks, not Flask-Login's year; a permanent session 12 hours
        "REMEMBER_COOKIE_DURATION": dt.timedelta(days=_int("MARKETPLACE_REMEMBER_DAYS", 14)),
        "PERMANENT_SESSION_LIFETIME": dt.timedelta(hours=_int("MARKETPLACE_SESSION_HOURS", 12)),
        "MARKETPLACE_HSTS": _bool(env("MARKETPLACE_HSTS")),
        "RATELIMIT_STORAGE_URI": env("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _bool(env("RATELIMIT_ENABLED"), True),
        "RATELIMIT_HEADERS_ENABLED": True,
        # a sliding window: a fixed one lets twice the limit through across its boundary
        # (and made the limit tests fail when a run straddled a minute)
        "RATELIMIT_STRATEGY": env("RATELIMIT_STRATEGY", "moving-window"),
        "WTF_CSRF_TIME_LIMIT": None,
        "BOOTSTRAP_SERVE_LOCAL": True,
        "BOOTSTRAP_BTN_STYLE": "primary",
        # API (flask-smorest)
        "API_TITLE": "Scenario Marketplace API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_REDOC_PATH": None,
        "OPENAPI_SWAGGER_UI_PATH": None,
        "API_SPEC_OPTIONS": {
            "components": {
                "securitySchemes": {
                    "bearerAuth": {"type": "http", "scheme": "bearer"},
                }
            },
            "info": {"description": "Open API of the Scenario Marketplace. Errors are "
                                    "application/problem+json (RFC 9457)."},
        },
    }


DEVELOPMENT_SECRET = "dev-only-not-secret"  # noqa: S105 - used only when ENV_NAME is development


def finalise(config: dict) -> dict:
    """Check the configuration; fail fast with a clear message."""
    env_name = config.get("ENV_NAME", "production")
    relaxed = env_name in {"development", "testing"} or config.get("TESTING")
    if not config.get("SECRET_KEY"):
        if not relaxed:
            raise ConfigError(
                "SECRET_KEY is not set. Set it in the environment (for example "
                "`export SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))')`), "
                "or set MARKETPLACE_ENV=development for a local demo."
            )
        config["SECRET_KEY"] = DEVELOPMENT_SECRET
    cache_mb = config.get("MARKETPLACE_SEARCH_CACHE_MB", 16)
    if not isinstance(cache_mb, int) or isinstance(cache_mb, bool) or not 0 <= cache_mb <= 4096:
        raise ConfigError("MARKETPLACE_SEARCH_CACHE_MB must be a whole number of megabytes from "
                          f"0 to 4096, got {cache_mb!r}")
    # a server's connections can drop between requests, a file's cannot: no ping for SQLite
    config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {
        "pool_pre_ping": not str(config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("sqlite")})
    return config
