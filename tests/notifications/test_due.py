import datetime as dt

import pytest
from sqlalchemy import func, select

from marketplace.bids.states import BidState
from marketplace.extensions import db
from marketplace.notifications.due import send_due
from marketplace.notifications.models import Notification, OutboxMessage
from marketplace.scenarios.states import ScenarioState
from tests import factories

NOW = dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)


def count(kind=None, user=None):
    stmt = select(func.count(Notification.id))
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    if user:
        stmt = stmt.where(Notification.user_id == user.id)
    return db.session.scalar(stmt)


def outbox():
    return db.session.scalar(select(func.count(OutboxMessage.id)))


@pytest.fixture
def setting(time_machine):
    """A scenario closing at NOW + 40 h: a founder with a draft bid, one with a submitted bid."""
    time_machine.move_to(NOW)
    buyer = factories.create_buyer()
    scenario = factories.create_scenario(buyer.organisation,
                                         deadline=NOW + dt.timedelta(hours=40))
    drafting = factories.create_founder()
    factories.create_bid(scenario, drafting.organisation, state=BidState.DRAFT)
    submitted = factories.create_founder()
    factories.create_bid(scenario, submitted.organisation)
    return scenario, buyer, drafting, submitted


def test_48h_reminder_goes_to_draft_bidders_once(setting):
    _scenario, buyer, drafting, submitted = setting
    assert send_due(NOW).reminders == 1
    db.session.commit()
    assert count("deadline_reminder", drafting) == 1
    assert count("deadline_reminder", submitted) == 0 and count(user=buyer) == 0
    mails = outbox()
    assert mails == 1
    assert send_due(NOW).reminders == 0
    assert send_due(NOW + dt.timedelta(hours=1)).reminders == 0
    assert count("deadline_reminder", drafting) == 1 and outbox() == mails


def test_2h_reminder_then_closed_notice(setting, time_machine):
    scenario, buyer, drafting, submitted = setting
    send_due(NOW)
    two_hours_before = scenario.bid_deadline - dt.timedelta(hours=1, minutes=30)
    time_machine.move_to(two_hours_before)
    assert send_due().reminders == 1
    assert send_due().reminders == 0
    notes = db.session.scalars(select(Notification).where(
        Notification.user_id == drafting.id).order_by(Notification.id)).all()
    assert [n.title.split(":")[0] for n in notes] == ["Less than 48 hours left",
                                                       "Less than 2 hours left"]
    after = scenario.bid_deadline + dt.timedelta(minutes=5)
    time_machine.move_to(after)
    report = send_due()
    assert report.reminders == 0 and report.closed == 2  # the bidder and the buyer
    assert count("scenario_closed", submitted) == 1 and count("scenario_closed", buyer) == 1
    assert count("scenario_closed", drafting) == 0
    assert send_due().closed == 0


def test_first_run_inside_2h_sends_only_the_2h_reminder(setting):
    scenario, _buyer, drafting, _ = setting
    send_due(scenario.bid_deadline - dt.timedelta(minutes=30))
    titles = db.session.scalars(select(Notification.title).where(
        Notification.user_id == drafting.id)).all()
    assert len(titles) == 1 and titles[0].startswith("Less than 2 hours")


def test_a_moved_deadline_is_reminded_again(setting):
    scenario, _buyer, drafting, _ = setting
    send_due(NOW)
    scenario.bid_deadline = NOW + dt.timedelta(hours=45)
    db.session.commit()
    assert send_due(NOW).reminders == 1
    assert count("deadline_reminder", drafting) == 2


def test_no_reminder_too_early_or_for_closed_or_cancelled(setting):
    scenario, *_ = setting
    assert send_due(NOW - dt.timedelta(hours=10)).reminders == 0  # 50 h before
    scenario.state = ScenarioState.CANCELLED
    scenario.cancelled_at = NOW
    db.session.commit()
    assert send_due(NOW).reminders == 0
    assert send_due(scenario.bid_deadline + dt.timedelta(minutes=1)).closed == 0


def test_old_deadlines_are_not_announced(setting):
    scenario, *_ = setting
    assert send_due(scenario.bid_deadline + dt.timedelta(days=8)).closed == 0


def test_opted_out_of_email_still_gets_the_inbox_notification(setting):
    from marketplace.notifications.inbox import set_email_preferences

    _scenario, _buyer, drafting, _ = setting
    set_email_preferences(drafting, set(), actor=drafting)
    send_due(NOW)
    assert count("deadline_reminder", drafting) == 1 and outbox() == 0


def test_flask_notify_due_twice_sends_once(app, setting):
    _scenario, _buyer, _drafting, _submitted = setting
    runner = app.test_cli_runner()
    first = runner.invoke(args=["notify", "due"])
    assert first.exit_code == 0, first.output
    assert "deadline reminders 1" in first.output
    second = runner.invoke(args=["notify", "due"])
    assert "deadline reminders 0, closed notices 0" in second.output
    assert count() == 1 and outbox() == 1
