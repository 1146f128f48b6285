"""Settings, read from the environment with safe defaults for development and testing.

Outside development and testing the application refuses to start without a real SECRET_KEY:
a guessable key would let anyone forge a session cookie and spend somebody else's points.
"""

from __future__ import annotations

import os
from pathlib import Path

DEV_SECRET_KEY = "tcloud-development-only-not-secret"  # noqa: S105 - refused in production
PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"
SUPPORTED_LOCALES = ("zh_TW", "en")
STRIPE_KEYS = ("TCLOUD_STRIPE_SECRET_KEY", "TCLOUD_STRIPE_PUBLISHABLE_KEY",
               "TCLOUD_STRIPE_WEBHOOK_SECRET")
DEFAULT_LOCALE = "zh_TW"


class ConfigurationError(RuntimeError):
    """The environment does not hold what this mode of running needs."""


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_config(overrides: dict | None = None) -> dict:
    """Build the Flask config from the environment, then apply explicit overrides (tests)."""
    env = os.environ
    overrides = dict(overrides or {})
    mode = overrides.get("TCLOUD_ENV") or env.get("TCLOUD_ENV", "development")
    production = mode == "production"
    config = {
        "TCLOUD_ENV": mode,
        "TESTING": mode == "testing",
        "SECRET_KEY": env.get("SECRET_KEY") or env.get("TCLOUD_SECRET_KEY") or DEV_SECRET_KEY,
        "TCLOUD_DATABASE_URL": env.get(
            "TCLOUD_DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'tcloud.db'}"
        ),
        "TCLOUD_DB_ECHO": _bool(env.get("TCLOUD_DB_ECHO"), False),
        "TCLOUD_STRIPE_SECRET_KEY": env.get("TCLOUD_STRIPE_SECRET_KEY", ""),
        "TCLOUD_STRIPE_PUBLISHABLE_KEY": env.get("TCLOUD_STRIPE_PUBLISHABLE_KEY", ""),
        "TCLOUD_STRIPE_WEBHOOK_SECRET": env.get("TCLOUD_STRIPE_WEBHOOK_SECRET", ""),
        "TCLOUD_STRIPE_API_BASE": env.get("TCLOUD_STRIPE_API_BASE", ""),
        # Stripe.js for the card form; `make run` points it at localstripe's copy.
        "TCLOUD_STRIPE_JS_URL": env.get("TCLOUD_STRIPE_JS_URL", ""),
        "TCLOUD_SMTP_URL": env.get("TCLOUD_SMTP_URL", ""),
        "TCLOUD_INSTANCE_DIR": env.get("TCLOUD_INSTANCE_DIR", str(INSTANCE_DIR)),
        # Login throttling (accounts/throttling.py): failures over a sliding window, per
        # account from one address, and per address.
        "TCLOUD_LOGIN_WINDOW_MINUTES": int(env.get("TCLOUD_LOGIN_WINDOW_MINUTES", "15")),
        "TCLOUD_LOGIN_MAX_FAILURES_PER_ACCOUNT": int(
            env.get("TCLOUD_LOGIN_MAX_FAILURES_PER_ACCOUNT", "5")
        ),
        "TCLOUD_LOGIN_MAX_FAILURES_PER_IP": int(env.get("TCLOUD_LOGIN_MAX_FAILURES_PER_IP", "20")),
        # Guessing spread over many addresses; never refuses the owner's recent addresses.
        "TCLOUD_LOGIN_MAX_FAILURES_PER_ACCOUNT_EVERYWHERE": int(
            env.get("TCLOUD_LOGIN_MAX_FAILURES_PER_ACCOUNT_EVERYWHERE", "50")
        ),
        # Self-registrations (pages and API) per address per hour.
        "TCLOUD_SIGN_UPS_PER_IP_PER_HOUR": int(env.get("TCLOUD_SIGN_UPS_PER_IP_PER_HOUR", "10")),
        # Number of reverse proxies in front of the app whose X-Forwarded-For we trust.
        "TCLOUD_TRUSTED_PROXIES": int(env.get("TCLOUD_TRUSTED_PROXIES", "0")),
        "BABEL_DEFAULT_LOCALE": DEFAULT_LOCALE,
        "BABEL_DEFAULT_TIMEZONE": "Asia/Taipei",
        "BABEL_TRANSLATION_DIRECTORIES": "translations",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(env.get("TCLOUD_SECURE_COOKIES"), production),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _bool(env.get("TCLOUD_SECURE_COOKIES"), production),
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 8,
        # Above the 10 MB file limit, so a slightly-too-big file is explained next to its field.
        "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": 60 * 60 * 8,
        "JSON_AS_ASCII": False,
    }
    config.update(overrides)
    _refuse_unsafe_production(config)
    return config


def _refuse_unsafe_production(config: dict) -> None:
    if config["TCLOUD_ENV"] in ("development", "testing"):
        return
    key = config.get("SECRET_KEY") or ""
    if key == DEV_SECRET_KEY or len(key) < 32:
        raise ConfigurationError(
            "SECRET_KEY must be set to a random value of at least 32 characters outside "
            "development (for example: python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    missing = [name for name in STRIPE_KEYS if not config.get(name)]
    if missing or config.get("TCLOUD_STRIPE_API_BASE"):
        raise ConfigurationError(
            "Outside development, card payments need real Stripe keys: set "
            + ", ".join(STRIPE_KEYS) + " (and no TCLOUD_STRIPE_API_BASE, which is for "
            "localstripe only)."
        )
    if config["TCLOUD_DATABASE_URL"].startswith("sqlite") and not _bool(
        os.environ.get("TCLOUD_ALLOW_SQLITE"), False
    ):
        raise ConfigurationError(
            "Production runs on PostgreSQL: set TCLOUD_DATABASE_URL "
            "(or TCLOUD_ALLOW_SQLITE=1 for a single-host trial)."
        )
