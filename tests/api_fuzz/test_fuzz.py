"""The API under fuzzing: schemathesis against /api/v1/openapi.json, in-process (WSGI), with a
bearer token of each role and anonymously.

For every operation and role: no 5xx, every response matches its documented schema and
content type, errors are problem+json, and every status code is documented explicitly (not
only by `default`). One test per operation, collected from the OpenAPI document, so new API
blueprints are fuzzed without touching this file. Bounded: FUZZ_MAX_EXAMPLES examples per
operation (default 15), each sent as the five roles.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from tests import factories

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "15"))
FUZZ_ROLES = ("anonymous", "founder", "buyer", "evaluator", "admin")
METHODS = ("get", "post", "put", "patch", "delete")
# frame answers any route may give: a method the route lacks, rate limiting
FRAME_STATUSES = {"405", "429"}


def _operations() -> list[tuple[str, str]]:
    """(METHOD, path) of every operation, read from a throw-away app at collection."""
    from marketplace import create_app

    app = create_app({"TESTING": True, "ENV_NAME": "testing", "SECRET_KEY": "collect",
                      "SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_ENABLED": False})
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    return sorted((method.upper(), path) for path, item in spec["paths"].items()
                  for method in item if method in METHODS)


OPERATIONS = _operations()


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch):
    """scrypt costs ~0.3 s a check by design; the fuzzer checks passwords thousands of times."""
    from werkzeug.security import generate_password_hash

    from marketplace.accounts import services as accounts

    def cheap(password):
        return generate_password_hash(password, method="pbkdf2:sha256:1")

    monkeypatch.setattr(accounts, "hash_password", cheap)
    dummy = cheap("not-a-real-password-0000")
    monkeypatch.setattr(accounts, "_dummy_hash", lambda: dummy)


@pytest.fixture
def role_headers():
    """Authorization headers of a fresh user of each role (none for anonymous)."""
    users = {
        "founder": factories.create_founder(),
        "buyer": factories.create_buyer(),
        "evaluator": factories.create_evaluator(),
        "admin": factories.create_admin(),
    }
    headers = {"anonymous": {}}
    for role, user in users.items():
        headers[role] = {"Authorization": f"Bearer {factories.create_token(user)}"}
    return headers


def documented_statuses(case) -> set[str]:
    return {code for code in case.operation.definition.raw.get("responses", {})
            if code != "default"}


def _check_response(response, case) -> None:
    where = f"{case.method} {case.formatted_path}"
    assert response.status_code < 500, (
        f"{where} answered {response.status_code}: {response.text[:500]}")
    status = str(response.status_code)
    documented = documented_statuses(case)
    assert status in documented or status in FRAME_STATUSES, (
        f"{where} answered {status}, which is not documented (documented: "
        f"{sorted(documented)}); add @blp.alt_response({status}, ...)")
    if response.status_code >= 400:
        content_type = {k.lower(): v for k, v in response.headers.items()}.get(
            "content-type", [""])[0]
        assert content_type.startswith("application/problem+json"), (
            f"{where}: the {status} error is {content_type}, not problem+json")
    case.validate_response(response, checks=[response_schema_conformance,
                                             content_type_conformance])


@pytest.mark.parametrize(("method", "path"), OPERATIONS,
                         ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation_holds_under_fuzzing(app, role_headers, method, path):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema[path][method]

    @given(case=operation.as_strategy())
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
              print_blob=False)
    def fuzz(case):
        for role in FUZZ_ROLES:
            response = case.call(headers=role_headers[role])
            try:
                _check_response(response, case)
            except Exception as exc:
                exc.add_note(f"as {role}; reproduce: {case.as_curl_command()}")
                raise

    fuzz()
