"""The kinds of notification, in the users' words; each can be switched off for e-mail.

Domains pass one of these as `kind` to `notify()`; every kind the code sends is listed here
(tests/wiring/test_notification_kinds.py checks it), so the preferences page offers them all.
"""

from __future__ import annotations

KINDS: dict[str, str] = {
    # scenarios
    "question_asked": "A company asked a question on your agency's scenario",
    "question_answered": "A question on a scenario you follow was answered",
    "amendment": "A scenario you bid on or asked about was amended",
    "deadline_reminder": "Reminders 48 hours and 2 hours before a deadline, for your draft bids",
    "scenario_closed": "A scenario you bid on (or your agency posted) closed for bids",
    # bids
    "bid_receipt": "The receipt of a bid you submitted",
    # evaluation
    "panel_appointment": "You were appointed to an evaluation panel",
    "panel_conflict": "A member of your panel declared a conflict of interest",
    "bid_disqualified": "Your bid was disqualified",
    "award_result": "The result of a scenario you bid on, with your debrief",
    "challenge": "An award was challenged",
    "challenge_answer": "The answer to a challenge",
    # contracts
    "contract_ready": "A contract is ready to sign, or the other party signed it",
    "contract_signed": "A contract was signed by both parties",
    "contract_terminated": "A contract was terminated",
    "milestone_delivered": "A milestone of your contract was delivered",
    "milestone_decision": "A milestone was accepted or rejected",
    # search
    "saved_search": "New scenarios matching a saved search",
    "invitation": "An agency invited your company to bid on a scenario",
}


def label(kind: str) -> str:
    return KINDS.get(kind, kind.replace("_", " ").capitalize())
