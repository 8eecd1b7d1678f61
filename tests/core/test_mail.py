import logging
import socket

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.notifications.models import OutboxMessage
from marketplace.notifications.services import queue_mail, send_pending


def _refused_port() -> int:
    """A local port with nobody listening: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_down(app):
    saved = app.config["MAIL_SERVER"], app.config["MAIL_PORT"]
    app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = "127.0.0.1", _refused_port()
    yield
    app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = saved


def test_smtp_down_keeps_message_in_outbox_and_retry_sends_it(app, smtp_down):
    message = queue_mail("someone@example.org", "Hello", "Body")
    db.session.commit()
    assert send_pending() == (0, 1)
    stored = db.session.get(OutboxMessage, message.id)
    assert stored.sent_at is None and stored.attempts == 1
    assert "refused" in stored.last_error.lower()
    assert send_pending() == (0, 1)
    assert db.session.get(OutboxMessage, message.id).attempts == 2
    app.config["MAIL_SERVER"] = None  # the server is back (here: the log)
    assert send_pending() == (1, 0)
    stored = db.session.get(OutboxMessage, message.id)
    assert stored.sent_at is not None and stored.attempts == 3 and stored.last_error is None
    assert send_pending() == (0, 0)


def test_without_mail_server_the_message_goes_to_the_log(caplog):
    queue_mail("dev@example.org", "Dev subject", "Dev body")
    db.session.commit()
    with caplog.at_level(logging.INFO, logger="marketplace.notifications.services"):
        assert send_pending() == (1, 0)
    assert "dev@example.org" in caplog.text and "Dev body" in caplog.text


def test_send_pending_command_retries_and_reports(app, smtp_down):
    queue_mail("someone@example.org", "Hello", "Body")
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["mail", "send-pending"])
    assert result.exit_code == 1 and "sent 0, failed 1" in result.output
    app.config["MAIL_SERVER"] = None
    result = runner.invoke(args=["mail", "send-pending"])
    assert result.exit_code == 0 and "sent 1, failed 0" in result.output


def test_mail_queued_in_a_request_is_sent_after_commit(client, dummy_buyer):
    client.post("/forgot-password", data={"email": dummy_buyer.email})
    message = db.session.scalar(select(OutboxMessage))
    assert message.sent_at is not None and message.attempts == 1


def test_mail_of_a_request_stays_when_smtp_is_down(client, dummy_buyer, smtp_down):
    response = client.post("/forgot-password", data={"email": dummy_buyer.email})
    assert response.status_code == 302  # the user is not bothered
    message = db.session.scalar(select(OutboxMessage))
    assert message.sent_at is None and message.attempts == 1 and message.last_error
