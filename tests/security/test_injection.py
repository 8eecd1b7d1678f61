"""Injection: search and filters with SQL and Whoosh query metacharacters never fail.

Generic: every GET route without arguments (pages and API lists) gets each payload in every
query parameter a list commonly reads; the answer is a page or a clear 4xx, never a 5xx, and
the data is still there afterwards."""

from __future__ import annotations

from sqlalchemy import func, select

from marketplace.extensions import db
from tests.security.world import plain_get_rules

PAYLOADS = [
    "' OR 1=1 --", '"; DROP TABLE scenarios; --', "1 UNION SELECT password_hash FROM users",
    "title:* AND (", "*?~^", "NOT", "((((", "a AND OR", '"unclosed', "\\", "%", "_",
    "%00", "\u0000", "-1", "99999999999999999999", "1e400", "a" * 5000, "🦄", "<script>",
]
PARAMETERS = ("q", "query", "search", "sector", "region", "state", "status", "sort", "order",
              "page", "per_page", "budget_min", "budget_max", "deadline", "cursor", "limit")


def test_metacharacters_in_every_filter(app, client, dummy_founder, api_headers):
    from tests import factories

    factories.create_scenario()
    headers = api_headers(dummy_founder)
    before = db.session.scalar(select(func.count()).select_from(db.metadata.tables["scenarios"]))
    failures = []
    for rule in plain_get_rules(app):
        for payload in PAYLOADS:
            response = client.get(rule.rule, query_string={p: payload for p in PARAMETERS},
                                  headers=headers if rule.rule.startswith("/api/") else {})
            if response.status_code >= 500:
                failures.append(f"{rule.rule} with {payload[:40]!r}: {response.status_code}")
    assert not failures, "\n".join(failures)
    after = db.session.scalar(select(func.count()).select_from(db.metadata.tables["scenarios"]))
    assert after == before
