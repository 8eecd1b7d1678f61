"""Every kind of notification the code sends is listed, so the preferences page covers it."""

import ast
from pathlib import Path

import marketplace
from marketplace.notifications.kinds import KINDS
from tests import factories

SENDERS = {"notify", "tell_company", "tell_agency", "tell_both"}
LOCAL_SENDERS = {"notifications/due.py": {"_send"}}  # a name other modules use for other things
ROOT = Path(marketplace.__file__).parent


def _name(func) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _sends():
    """(file:line, kind) for every call that sends a notification; kind None if not literal."""
    for path in sorted(ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        senders = SENDERS | LOCAL_SENDERS.get(path.relative_to(ROOT).as_posix(), set())
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _name(node.func) not in senders:
                continue
            kind = next((k.value for k in node.keywords if k.arg == "kind"), None)
            if kind is None and len(node.args) > 1:
                kind = node.args[1]
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            yield where, kind.value if isinstance(kind, ast.Constant) else kind


def test_every_kind_sent_is_listed():
    sends = list(_sends())
    literal = {where: kind for where, kind in sends if isinstance(kind, str)}
    assert len(literal) >= 15, "the scan found the calls"
    unlisted = {where: kind for where, kind in literal.items() if kind not in KINDS}
    assert unlisted == {}
    # the others only pass on a `kind` they were given (the contracts and reminder helpers)
    passed_on = {where for where, kind in sends if not isinstance(kind, str)}
    assert all(isinstance(k, ast.Name) and k.id == "kind" for w, k in sends if w in passed_on)


def test_preferences_page_offers_every_kind(client, login):
    founder = factories.create_founder()
    login(founder)
    page = client.get("/notifications/preferences").get_data(as_text=True)
    for label in KINDS.values():
        assert label.replace("'", "&#39;") in page


def test_a_bidder_who_asked_hears_of_an_amendment_once(dummy_buyer):
    from decimal import Decimal

    from marketplace.bids import views  # noqa: F401 - connects the signal
    from marketplace.extensions import db
    from marketplace.notifications.models import Notification
    from marketplace.scenarios import qa, services

    scenario = factories.create_scenario(agency=dummy_buyer.organisation)
    founder = factories.create_founder()
    qa.ask_question(scenario, "Is weekend data included?", actor=founder)
    factories.create_bid(scenario, founder.organisation, state="draft")
    services.amend_scenario(scenario, {"budget_max": Decimal("600000")}, "More budget",
                            actor=dummy_buyer)
    db.session.flush()
    notes = db.session.query(Notification).filter_by(user_id=founder.id, kind="amendment").all()
    assert len(notes) == 1
