"""Settings from the environment, and refusal to start production without real secrets."""

import pytest

from tcloud import create_app
from tcloud.config import DEV_SECRET_KEY, ConfigurationError, load_config


def test_development_defaults_are_safe_to_run_locally(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("TCLOUD_DATABASE_URL", raising=False)
    config = load_config({"TCLOUD_ENV": "development"})
    assert config["SECRET_KEY"] == DEV_SECRET_KEY
    assert config["TCLOUD_DATABASE_URL"].startswith("sqlite:///")
    assert config["BABEL_DEFAULT_LOCALE"] == "zh_TW"
    assert config["SESSION_COOKIE_HTTPONLY"] and config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_production_refuses_to_start_without_a_real_secret_key(monkeypatch):
    monkeypatch.setenv("TCLOUD_ENV", "production")
    monkeypatch.setenv("TCLOUD_DATABASE_URL", "postgresql+psycopg://db/tcloud")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError):
        create_app()
    monkeypatch.setenv("SECRET_KEY", "too-short")
    with pytest.raises(ConfigurationError):
        create_app()


def _stripe_keys(monkeypatch):
    monkeypatch.setenv("TCLOUD_STRIPE_SECRET_KEY", "sk_live_x")
    monkeypatch.setenv("TCLOUD_STRIPE_PUBLISHABLE_KEY", "pk_live_x")
    monkeypatch.setenv("TCLOUD_STRIPE_WEBHOOK_SECRET", "whsec_x")


def test_production_with_secrets_starts_with_secure_cookies(monkeypatch):
    monkeypatch.setenv("TCLOUD_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 64)
    monkeypatch.setenv("TCLOUD_DATABASE_URL", "postgresql+psycopg://db/tcloud")
    _stripe_keys(monkeypatch)
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]


def test_production_refuses_to_start_without_stripe_keys(monkeypatch):
    monkeypatch.setenv("TCLOUD_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 64)
    monkeypatch.setenv("TCLOUD_DATABASE_URL", "postgresql+psycopg://db/tcloud")
    for name in ("TCLOUD_STRIPE_SECRET_KEY", "TCLOUD_STRIPE_PUBLISHABLE_KEY",
                 "TCLOUD_STRIPE_WEBHOOK_SECRET", "TCLOUD_STRIPE_API_BASE"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigurationError, match="Stripe"):
        create_app()
    _stripe_keys(monkeypatch)
    monkeypatch.setenv("TCLOUD_STRIPE_API_BASE", "http://127.0.0.1:8420")
    with pytest.raises(ConfigurationError, match="localstripe"):
        create_app()


def test_production_refuses_sqlite_unless_allowed(monkeypatch):
    monkeypatch.setenv("TCLOUD_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 64)
    _stripe_keys(monkeypatch)
    monkeypatch.setenv("TCLOUD_DATABASE_URL", "sqlite:////tmp/tcloud-prod.db")
    with pytest.raises(ConfigurationError):
        create_app()


def test_stripe_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("TCLOUD_STRIPE_SECRET_KEY", "sk_test_123")
    assert load_config({"TCLOUD_ENV": "testing"})["TCLOUD_STRIPE_SECRET_KEY"] == "sk_test_123"


def test_forwarded_addresses_count_only_behind_trusted_proxies(database_url):
    from flask import request

    from tcloud.accounts.access import PUBLIC, allow

    seen = {}
    for hops in (0, 1):
        app = create_app({"TCLOUD_ENV": "testing", "TCLOUD_DATABASE_URL": database_url,
                          "TCLOUD_TRUSTED_PROXIES": hops})
        app.add_url_rule("/__whoami", "whoami", allow(PUBLIC)(lambda: request.remote_addr))
        response = app.test_client().get("/__whoami", headers={"X-Forwarded-For": "203.0.113.9"},
                                         environ_base={"REMOTE_ADDR": "10.0.0.1"})
        seen[hops] = response.get_data(as_text=True)
    assert seen == {0: "10.0.0.1", 1: "203.0.113.9"}
