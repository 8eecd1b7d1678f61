"""Security misconfiguration and cryptographic failures: production fails fast without a
secret, never runs in debug mode, hides tracebacks, and stores passwords and tokens hashed."""

from __future__ import annotations

import pytest

from marketplace import create_app
from marketplace.config import ConfigError


def test_production_refuses_to_start_without_a_secret(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("MARKETPLACE_ENV", "production")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_ENABLED": False})


def test_production_is_not_in_debug_mode_and_hides_tracebacks(monkeypatch):
    monkeypatch.setenv("MARKETPLACE_ENV", "production")
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    # (rate limiting off: the extension object is shared with the session's app)
    app = create_app({"SECRET_KEY": "s" * 32, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "RATELIMIT_ENABLED": False})
    assert not app.debug and not app.testing
    response = app.test_client().get("/api/v1/openapi.json", headers={"Host": "bad host"})
    assert b"Traceback" not in response.data


def test_passwords_are_hashed_with_a_slow_function(dummy_founder):
    assert dummy_founder.password_hash.startswith("scrypt:")


def test_tokens_are_stored_as_hashes_only(dummy_founder):
    from marketplace.accounts.models import ApiToken
    from marketplace.extensions import db
    from tests import factories

    clear = factories.create_token(dummy_founder)
    stored = db.session.query(ApiToken).filter_by(user_id=dummy_founder.id).one()
    assert clear not in (stored.token_hash, stored.prefix) and len(stored.token_hash) == 64
