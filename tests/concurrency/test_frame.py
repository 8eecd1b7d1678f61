"""Concurrency of the shared frame on PostgreSQL: the audit chain and references stay
consistent when many requests write at once."""

from __future__ import annotations

import pytest

from marketplace import audit
from marketplace.audit.services import verify_chain
from marketplace.core.references import next_reference
from tests.concurrency.harness import run_concurrently

pytestmark = pytest.mark.postgres_only


def test_audit_chain_holds_when_thirty_write_at_once(app, real_db):
    outcomes = run_concurrently(app, 30, lambda i: audit.record(
        "test.concurrent", None, object_type="test", object_id=i).id)
    assert all(o.ok for o in outcomes), [o.error for o in outcomes if not o.ok]
    report = verify_chain()
    assert report.ok and report.checked == 30


def test_references_are_unique_when_twenty_take_the_first_at_once(app, real_db):
    outcomes = run_concurrently(app, 20, lambda i: next_reference("TST"))
    assert all(o.ok for o in outcomes), [repr(o.error)[:200] for o in outcomes if not o.ok]
    assert len({o.result for o in outcomes}) == 20


def test_references_are_unique_when_twenty_take_one_at_once(app, real_db):
    run_concurrently(app, 1, lambda i: next_reference("TSU"))
    outcomes = run_concurrently(app, 20, lambda i: next_reference("TSU"))
    assert all(o.ok for o in outcomes), [repr(o.error)[:200] for o in outcomes if not o.ok]
    assert sorted(o.result for o in outcomes) == sorted(
        {o.result for o in outcomes}) and len(outcomes) == 20
