"""The kinds of notification, in the users' words; each can be switched off for e-mail.

Domains pass one of these as `kind` to `notify()`. A kind not listed here still works (and
can be switched off once received); list it here to offer it on the preferences page.
"""

from __future__ import annotations

KINDS: dict[str, str] = {
    "question_answered": "A question on a scenario you follow was answered",
    "amendment": "A scenario you bid on was amended",
    "deadline_reminder": "Reminders 48 hours and 2 hours before a deadline, for your draft bids",
    "scenario_closed": "A scenario you bid on (or your agency posted) closed for bids",
    "panel_appointment": "You were appointed to an evaluation panel",
    "award_result": "The result of a scenario you bid on",
    "debrief": "Your debrief after an award",
    "challenge": "An award was challenged",
    "challenge_answer": "The answer to a challenge",
    "contract_ready": "A contract is ready to sign",
    "milestone_decision": "A milestone was accepted or rejected",
    "saved_search": "New scenarios matching a saved search",
}


def label(kind: str) -> str:
    return KINDS.get(kind, kind.replace("_", " ").capitalize())
