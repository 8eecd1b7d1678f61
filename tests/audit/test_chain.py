import itertools

import pytest
from sqlalchemy import delete, text, update

from marketplace.audit import record
from marketplace.audit.models import AuditEvent, AuditImmutable
from marketplace.audit.services import GENESIS, verify_chain
from marketplace.extensions import db
from tests import factories


def _events(n=3, actor=None):
    scenario = factories.create_scenario()
    events = [record("scenario.test", scenario, actor=actor, after={"n": i},
                     scenario_id=scenario.id) for i in range(n)]
    db.session.commit()
    return events


def test_events_form_a_chain_from_genesis(dummy_buyer):
    events = _events(3, dummy_buyer)
    first = db.session.scalar(db.select(AuditEvent).order_by(AuditEvent.id))
    assert first.prev_hash == GENESIS
    for prev, event in itertools.pairwise(events):
        assert event.prev_hash == prev.hash
    report = verify_chain()
    assert report.ok and report.checked >= 3


@pytest.mark.parametrize("column, value", [
    ("action", "'scenario.innocent'"), ("after", "'{\"n\": 99}'"), ("ip", "'10.0.0.1'"),
    ("object_id", "'999'"), ("occurred_at", "'2020-01-01 00:00:00'"),
])
def test_editing_a_row_in_the_database_breaks_the_chain_there(column, value):
    events = _events(3)
    target = events[1]
    sql = f"UPDATE audit_events SET {column} = {value} WHERE id = :id"  # noqa: S608 - test data
    db.session.execute(text(sql),
                       {"id": target.id})
    db.session.expire_all()
    report = verify_chain()
    assert not report.ok
    assert report.broken_at == target.id
    assert report.reason == "content does not match its hash"


def test_rewriting_a_row_with_a_fresh_hash_breaks_the_next_link():
    from marketplace.audit.services import event_hash

    events = _events(3)
    target = db.session.get(AuditEvent, events[1].id)
    db.session.expunge(target)
    target.action = "scenario.forged"
    forged = event_hash(target)
    db.session.execute(text("UPDATE audit_events SET action = 'scenario.forged', hash = :h "
                            "WHERE id = :id"), {"h": forged, "id": target.id})
    db.session.expire_all()
    report = verify_chain()
    assert report.broken_at == events[2].id
    assert report.reason == "previous hash does not match"


def test_deleting_a_row_breaks_the_chain():
    events = _events(3)
    db.session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": events[1].id})
    db.session.expire_all()
    assert verify_chain().broken_at == events[2].id


def test_flask_audit_verify_reports_the_first_broken_link(app):
    events = _events(3)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "intact" in result.output
    db.session.execute(text("UPDATE audit_events SET object_id = 'x' WHERE id = :id"),
                       {"id": events[0].id})
    db.session.execute(text("UPDATE audit_events SET object_id = 'y' WHERE id = :id"),
                       {"id": events[2].id})
    db.session.expire_all()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at event {events[0].id}" in result.output


def test_the_orm_refuses_to_change_an_event():
    event = _events(1)[0]
    event.action = "scenario.rewritten"
    with pytest.raises(AuditImmutable):
        db.session.flush()
    db.session.rollback()


def test_the_orm_refuses_to_delete_an_event():
    event = _events(1)[0]
    db.session.delete(event)
    with pytest.raises(AuditImmutable):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("stmt", [
    update(AuditEvent).values(action="x"), delete(AuditEvent),
])
def test_the_orm_refuses_bulk_updates_and_deletes(stmt):
    _events(1)
    with pytest.raises(AuditImmutable):
        db.session.execute(stmt)
    db.session.rollback()
    assert verify_chain().ok


def test_other_models_still_update_and_delete():
    scenario = factories.create_scenario()
    scenario.title = "Changed"
    db.session.commit()
    assert db.session.get(type(scenario), scenario.id).title == "Changed"
