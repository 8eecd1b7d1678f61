"""Objects for browser journeys, built in their own process: `python -m tests.browser.seeds
NAME '{json kwargs}'` prints the function's result as JSON on its last line.

Add a function here for a journey that needs objects it does not create through the UI.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

from marketplace import create_app
from marketplace.extensions import db
from tests import factories


def nothing() -> dict:
    return {}


def founder() -> dict:
    user = factories.create_founder(name="Lin Wei")
    return {"email": user.email, "password": factories.PASSWORD, "name": user.name}


def journey_cast() -> dict:
    """The people of the full journey: an agency with a buyer, a panel chair and a second
    evaluator; the founder signs up through the UI. The platform's contract seal is set up,
    as `flask contracts init-signing-key` does on a deployment."""
    from marketplace.contracts import seal

    key_path, cert_path = seal.key_paths()
    if not key_path.exists():
        seal.init_signing_key(key_path, cert_path, common_name="Browser tests seal")
    agency = factories.create_agency("Shenzhen Health Commission")
    people = {
        "buyer": factories.create_buyer(agency=agency, name="Zhang Min"),
        "chair": factories.create_evaluator(agency=agency, name="Chen Jie"),
        "evaluator": factories.create_evaluator(agency=agency, name="Wang Fang"),
    }
    return {role: {"email": u.email, "password": factories.PASSWORD, "name": u.name, "id": u.id}
            for role, u in people.items()}


def confirmation_link(email: str) -> dict:
    """The newest e-mail confirmation link sent to `email` (read from the outbox, as the
    founder reads the mailbox)."""
    import re

    from marketplace.notifications.models import OutboxMessage

    bodies = db.session.scalars(db.select(OutboxMessage.body).where(
        OutboxMessage.recipient == email).order_by(OutboxMessage.id.desc()))
    for body in bodies:
        found = re.search(r"https?://\S+/account/confirm/\S+", body)
        if found:
            return {"link": found.group(0)}
    raise LookupError(f"no confirmation link was sent to {email}")


def pass_bid_deadline(reference: str) -> dict:
    """The deadline passes: move the scenario's deadlines into the past (the server's clock
    cannot be moved)."""
    from marketplace.core.time import utcnow
    from marketplace.scenarios.models import Scenario

    scenario = db.session.query(Scenario).filter_by(reference=reference).one()
    now = utcnow()
    if scenario.questions_deadline is not None:
        scenario.questions_deadline = now - dt.timedelta(minutes=2)
    scenario.bid_deadline = now - dt.timedelta(minutes=1)
    db.session.commit()
    from marketplace.scenarios.services import close_due

    close_due()  # as the scheduled `flask scenarios close-due` does
    return {"bid_deadline": scenario.bid_deadline.isoformat()}


def end_standstill(reference: str) -> dict:
    """The standstill period ends."""
    from marketplace.core.time import utcnow
    from marketplace.evaluation.models import Award, AwardState
    from marketplace.scenarios.models import Scenario

    scenario = db.session.query(Scenario).filter_by(reference=reference).one()
    award = db.session.query(Award).filter_by(scenario_id=scenario.id,
                                              state=AwardState.ACTIVE).one()
    award.standstill_ends_at = utcnow() - dt.timedelta(seconds=1)
    db.session.commit()
    return {"award_id": award.id}


def main(argv: list[str]) -> None:
    name = argv[1]
    kwargs = json.loads(argv[2]) if len(argv) > 2 else {}
    function = globals()[name]
    app = create_app()
    with app.app_context():
        if "--fresh" in argv:
            db.create_all()  # a fresh, empty database, as after `flask db upgrade`
        result = function(**kwargs)
        db.session.commit()
    print(json.dumps(result or {}))


if __name__ == "__main__":
    main(sys.argv)
