"""Two signatures for the same party at the same moment: the database keeps one."""

import threading

import pytest

from marketplace.contracts import services
from marketplace.contracts.models import Contract, Signature
from marketplace.core.errors import Conflict
from marketplace.extensions import db
from tests import factories


@pytest.mark.postgres_only
def test_simultaneous_signatures_by_one_party_keep_one(app, real_db, monkeypatch):
    award = factories.create_award()
    buyers = [factories.create_buyer(agency=award.scenario.agency) for _ in range(2)]
    contract = factories.create_contract(award, buyer=buyers[0])
    number, buyer_ids = contract.number, [b.id for b in buyers]
    db.session.remove()

    barrier = threading.Barrier(2, timeout=30)
    real_check = services.check_password_hash

    def check_then_wait(hashed, password):
        result = real_check(hashed, password)
        barrier.wait()  # both have passed every check before either writes
        return result

    monkeypatch.setattr(services, "check_password_hash", check_then_wait)
    outcomes = []

    def sign(user_id):
        from marketplace.accounts.models import User

        with app.app_context():
            user = db.session.get(User, user_id)
            target = db.session.query(Contract).filter_by(number=number).one()
            try:
                services.sign_contract(target, {"version": 1, "name": user.name,
                                                "password": factories.PASSWORD},
                                       actor=user, ip="192.0.2.1")
                db.session.commit()
                outcomes.append("signed")
            except Conflict:
                db.session.rollback()
                outcomes.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=sign, args=(uid,)) for uid in buyer_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["conflict", "signed"]
    assert db.session.query(Signature).count() == 1
