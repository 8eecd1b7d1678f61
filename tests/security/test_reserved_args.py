"""Query arguments named like url_for's own keywords (`endpoint`, `_external`, `_anchor`,
`_method`, `_scheme`) are ordinary text to every page: a page that carries its filters into
its links must not hand them to url_for as keywords (a 500, or links to another scheme)."""

from __future__ import annotations

import pytest

from tests import factories
from tests.security.world import plain_get_rules

RESERVED = {"endpoint": "api_docs.docs", "_external": "1", "_anchor": "x", "_method": "POST",
            "_scheme": "javascript", "q": "triage", "sector": "health", "page": "1"}


@pytest.mark.parametrize("who", ["anonymous", "founder", "buyer", "admin"])
def test_reserved_names_in_the_query_are_plain_text(app, client, login, api_headers, who,
                                                    request):
    factories.create_scenario(title="Triage queue")
    user = None if who == "anonymous" else request.getfixturevalue(f"dummy_{who}")
    if user is not None:
        login(user)
    headers = api_headers(user) if user is not None else {}
    failures = []
    for rule in plain_get_rules(app):
        response = client.get(rule.rule, query_string=RESERVED,
                              headers=headers if rule.rule.startswith("/api/") else {})
        body = response.get_data(as_text=True)
        if response.status_code >= 500 or "javascript:" in body:
            failures.append(f"{rule.rule}: {response.status_code}")
    assert not failures, "\n".join(failures)
