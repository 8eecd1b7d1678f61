"""Clarification questions: companies ask, the agency answers or clarifies unprompted."""

from __future__ import annotations

from flask import url_for

from marketplace.audit.services import record
from marketplace.core.errors import DeadlinePassed, PermissionDenied, ValidationFailed
from marketplace.core.time import utcnow
from marketplace.extensions import db
from marketplace.notifications.services import notify
from marketplace.scenarios.models import Question, Scenario
from marketplace.scenarios.services import close_if_due, require_open
from marketplace.scenarios.validation import no_nul

MAX_TEXT = 5000


def _text(value: str | None, field: str, what: str) -> str:
    text = no_nul(value).strip()
    if not text:
        raise ValidationFailed(f"Write the {what}.", errors={field: [f"Write the {what}."]})
    if len(text) > MAX_TEXT:
        raise ValidationFailed(f"The {what} is too long.",
                               errors={field: [f"At most {MAX_TEXT} characters."]})
    return text


def questions_open(scenario: Scenario, now=None) -> bool:
    """Whether companies may still ask: open for bids and before the questions deadline."""
    now = now or utcnow()
    if not scenario.is_open(now):
        return False
    return scenario.questions_deadline is None or now < scenario.questions_deadline


def ask_question(scenario: Scenario, text: str, *, actor) -> Question:
    """A company's question; its identity stays with the agency."""
    organisation = actor.organisation
    if organisation is None or not organisation.is_company:
        raise PermissionDenied("Only companies ask clarification questions.")
    now = utcnow()
    close_if_due(scenario, now)
    require_open(scenario, now)
    if not questions_open(scenario, now):
        raise DeadlinePassed("The deadline for questions has passed.")
    question = Question(scenario=scenario, asked_by_id=actor.id, company_id=organisation.id,
                        text=_text(text, "text", "question"), asked_at=now)
    db.session.add(question)
    db.session.flush()
    record("question.asked", question, actor=actor, scenario_id=scenario.id)
    for buyer in _agency_buyers(scenario):
        notify(buyer, "question_asked", f"New question on {scenario.reference}",
               question.text[:500], link=_questions_link(scenario))
    return question


def _questions_link(scenario: Scenario) -> str:
    return url_for("scenarios.detail", reference=scenario.reference, _anchor="questions")


def _agency_buyers(scenario: Scenario):
    from sqlalchemy import select

    from marketplace.accounts.models import Role, User, UserRole

    return db.session.scalars(
        select(User).join(UserRole).where(User.organisation_id == scenario.agency_id,
                                          UserRole.role == Role.BUYER, User.active.is_(True))
    ).all()


def answer_question(question: Question, answer: str, *, actor) -> Question:
    """Publish the agency's answer with the question, for every company to read."""
    scenario = question.scenario
    close_if_due(scenario)
    require_open(scenario)
    answer = _text(answer, "answer", "answer")
    first = question.answered_at is None
    question.answer = answer
    question.answered_by_id = actor.id
    question.answered_at = utcnow()
    record("question.answered", question, actor=actor, scenario_id=scenario.id, public=True)
    if first and question.asked_by is not None:
        notify(question.asked_by, "question_answered",
               f"Your question on {scenario.reference} was answered", answer[:500],
               link=_questions_link(scenario))
    return question


def publish_clarification(scenario: Scenario, title: str, text: str, *, actor) -> Question:
    """An unprompted clarification by the agency, published at once."""
    close_if_due(scenario)
    require_open(scenario)
    now = utcnow()
    question = Question(scenario=scenario, text=_text(title, "title", "subject"),
                        answer=_text(text, "text", "clarification"), answered_by_id=actor.id,
                        asked_at=now, answered_at=now)
    db.session.add(question)
    db.session.flush()
    record("question.clarification", question, actor=actor, scenario_id=scenario.id, public=True)
    return question
