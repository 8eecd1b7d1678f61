"""No N+1: the number of SQL statements a page or API list runs does not grow with its rows.

Generic: EVERY GET route without arguments (pages and API lists alike, so new ones are covered
without touching this file) is fetched with a few rows and with many, anonymously and as each
role, and must not run more statements the second time. `populate_marketplace` adds rows of
what most lists show; a list of other objects registers its own in `POPULATE` (endpoint ->
function(n) that adds n more rows), and a route that is not a list can be left out in
`NOT_LISTS`.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import url_for

from marketplace.extensions import db
from tests import factories
from tests.conftest import count_queries

FEW, MANY = 2, 12


def populate_marketplace(n: int) -> None:
    """n more scenarios (each of its own agency), with a bid each (of its own company with a
    profile), an award on every third (the first included, so that the few rows already hold
    every kind of row), and an answered question on each."""
    from marketplace.core.time import utcnow
    from marketplace.scenarios.models import Question

    for i in range(n):
        scenario = factories.create_scenario(factories.create_agency())
        company = factories.create_company()
        factories.create_profile(company)
        bid = factories.create_bid(scenario, company)
        db.session.add(Question(scenario=scenario, text="When?", answer="Now.",
                                answered_at=utcnow()))
        if i % 3 == 0:
            factories.create_award(bid=bid)
    db.session.commit()


# endpoint -> a function adding n more rows of what that list shows
POPULATE: dict[str, Callable[[int], None]] = {}

NOT_LISTS = {
    "static", "bootstrap.static", "web.healthz", "api-docs.openapi_json", "api_docs.docs",
    "accounts.login",
}


def list_rules(app):
    return sorted((rule for rule in app.url_map.iter_rules()
                   if "GET" in rule.methods and not rule.arguments
                   and rule.endpoint not in NOT_LISTS), key=lambda rule: rule.rule)


def _collect():
    from marketplace import create_app

    app = create_app({"TESTING": True, "ENV_NAME": "testing", "SECRET_KEY": "collect",
                      "SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_ENABLED": False})
    return [rule.endpoint for rule in list_rules(app)]


ENDPOINTS = _collect()


@pytest.fixture(autouse=True)
def fresh_search_index(app, monkeypatch, tmp_path):
    """An empty index per test: documents left by earlier tests (whose rows were rolled back)
    would change what a search page loads, and so its statement count."""
    monkeypatch.setitem(app.config, "MARKETPLACE_INDEX_DIR", str(tmp_path / "index"))


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch):
    """scrypt is slow by design; these tests log in many times and count statements only."""
    from werkzeug.security import generate_password_hash

    from marketplace.accounts import services as accounts

    monkeypatch.setattr(accounts, "hash_password",
                        lambda password: generate_password_hash(password, "pbkdf2:sha256:1"))


def count(client, url, headers) -> tuple[int, int, list[str]]:
    with count_queries() as statements:
        response = client.get(url, headers=headers)
    return response.status_code, len(statements), list(statements)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_statements_do_not_grow_with_rows(app, client, endpoint):
    populate = POPULATE.get(endpoint, populate_marketplace)
    users = {"anonymous": None, "founder": factories.create_founder(),
             "buyer": factories.create_buyer(), "evaluator": factories.create_evaluator(),
             "admin": factories.create_admin()}
    with app.test_request_context():
        url = url_for(endpoint)
    api = url.startswith("/api/")
    tokens = {role: factories.create_token(u) for role, u in users.items() if u and api}
    populate(FEW)
    few = {role: _fetch(client, url, user, tokens.get(role)) for role, user in users.items()}
    populate(MANY - FEW)
    for role, user in users.items():
        status, n_many, statements = _fetch(client, url, user, tokens.get(role))
        status_few, n_few, _ = few[role]
        assert status == status_few, f"{url} as {role}: {status_few} then {status}"
        assert n_many <= n_few, (
            f"{url} as {role}: {n_few} statements with {FEW} rows, {n_many} with {MANY}:\n  "
            + "\n  ".join(s.split("\n")[0][:150] for s in statements))


def _fetch(client, url, user, token):
    headers = {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    elif not url.startswith("/api/"):
        client.post("/logout")
        if user is not None:
            response = client.post("/login", data={"email": user.email,
                                                   "password": factories.PASSWORD})
            assert response.status_code == 302
    return count(client, url, headers)
