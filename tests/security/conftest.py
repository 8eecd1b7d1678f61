"""Requests as any member of the security world: a session for pages, a token for the API."""

from __future__ import annotations

import pytest
from flask import url_for

from tests import factories


@pytest.fixture
def world():
    from tests.security.world import build_world

    return build_world()


@pytest.fixture
def fetch(app, client):
    """`fetch(rule, args, user, method="GET")`: request the route as `user` (None: anonymous);
    writes send an empty form (pages) or an empty JSON object (API)."""
    tokens: dict[int, str] = {}
    state = {"logged_in": None}

    def _fetch(rule, args, user, method="GET"):
        with app.test_request_context():
            url = url_for(rule.endpoint, **{k: args[k] for k in rule.arguments})
        if rule.rule.startswith("/api/"):
            headers = {}
            if user is not None:
                if user.id not in tokens:
                    tokens[user.id] = factories.create_token(user)
                headers["Authorization"] = f"Bearer {tokens[user.id]}"
            if method in ("GET", "DELETE"):
                return client.open(url, method=method, headers=headers)
            return client.open(url, method=method, headers=headers, json={})
        wanted = user.id if user is not None else None
        if state["logged_in"] != wanted:
            client.post("/logout")
            if user is not None:
                response = client.post("/login", data={"email": user.email,
                                                       "password": factories.PASSWORD})
                assert response.status_code == 302, f"cannot log in as {user.email}"
            state["logged_in"] = wanted
        if method == "GET":
            return client.get(url)
        return client.open(url, method=method, data={})

    return _fetch
