"""Generating from an award, versions, signing, the sealed final PDF."""

import datetime as dt
import io
import json

import pytest
from pypdf import PdfReader

from marketplace.contracts import rendering, seal, services
from marketplace.contracts.models import Contract, Party
from marketplace.contracts.states import ContractState
from marketplace.core.errors import (
    Conflict,
    InvalidTransition,
    PermissionDenied,
    ValidationFailed,
)
from marketplace.core.time import utcnow
from marketplace.evaluation.models import AwardState, Challenge
from marketplace.extensions import db
from marketplace.scenarios.states import ScenarioState
from tests import factories
from tests.contracts.conftest import pdf_text, stored


def _sign(contract, user, **over):
    data = {"version": contract.current_version.number, "name": user.name,
            "password": factories.PASSWORD, **over}
    return services.sign_contract(contract, data, actor=user, ip="198.51.100.23")


@pytest.fixture
def parties():
    award = factories.create_award()
    buyer = factories.create_buyer(agency=award.scenario.agency)
    founder = factories.founder_of(award.bid.company)
    contract = factories.create_contract(award, buyer=buyer)
    return contract, buyer, founder


# --- generation -------------------------------------------------------------------------------

def test_generation_takes_everything_from_the_award():
    award = factories.create_award()
    buyer = factories.create_buyer(agency=award.scenario.agency)
    contract = services.generate_contract(award, {"start_date": dt.date(2027, 1, 1)},
                                          actor=buyer)
    db.session.commit()
    assert contract.state == ContractState.DRAFT
    assert contract.price == award.bid.price and contract.company_id == award.bid.company_id
    assert [m.amount for m in contract.milestones] == [award.bid.price * 4 / 10,
                                                       award.bid.price * 6 / 10]
    assert sum(m.amount for m in contract.milestones) == contract.price
    assert contract.end_date == dt.date(2027, 3, 2)
    version = contract.current_version
    assert version.number == 1 and not version.rendered  # rendered after commit
    assert version.terms["agency"]["signatory_name"] == buyer.name


def test_generation_during_standstill_is_refused():
    award = factories.create_award(standstill_days=3)
    buyer = factories.create_buyer(agency=award.scenario.agency)
    with pytest.raises(Conflict, match="standstill"):
        services.generate_contract(award, {}, actor=buyer)
    assert db.session.query(Contract).count() == 0


def test_generation_allowed_once_standstill_ends(time_machine):
    award = factories.create_award(standstill_days=3)
    buyer = factories.create_buyer(agency=award.scenario.agency)
    time_machine.move_to(award.standstill_ends_at + dt.timedelta(minutes=1))
    assert services.generate_contract(award, {}, actor=buyer).number.startswith("CTR-")


def test_generation_with_an_open_challenge_is_refused():
    award = factories.create_award()
    loser = factories.create_bid(award.scenario)
    db.session.add(Challenge(award=award, bid=loser, reason="The price was not scored."))
    db.session.commit()
    buyer = factories.create_buyer(agency=award.scenario.agency)
    with pytest.raises(Conflict, match="challenge"):
        services.generate_contract(award, {}, actor=buyer)
    award.challenges[0].answered_at = utcnow()
    award.challenges[0].upheld = False
    db.session.commit()
    assert services.generate_contract(award, {}, actor=buyer)


def test_generation_of_a_revoked_award_or_twice_is_refused():
    award = factories.create_award()
    buyer = factories.create_buyer(agency=award.scenario.agency)
    services.generate_contract(award, {}, actor=buyer)
    with pytest.raises(Conflict, match="already has its contract"):
        services.generate_contract(award, {}, actor=buyer)
    revoked = factories.create_award()
    revoked.state = AwardState.REVOKED
    with pytest.raises(InvalidTransition):
        services.generate_contract(
            revoked, {}, actor=factories.create_buyer(agency=revoked.scenario.agency))


def test_generation_by_another_agency_or_the_company_is_refused():
    award = factories.create_award()
    for user in (factories.create_buyer(), factories.founder_of(award.bid.company),
                 factories.create_evaluator(agency=award.scenario.agency)):
        with pytest.raises(PermissionDenied):
            services.generate_contract(award, {}, actor=user)


# --- versions ---------------------------------------------------------------------------------

def test_changed_terms_make_a_new_version_and_keep_the_old(parties):
    contract, buyer, _founder = parties
    first = contract.current_version
    version = services.amend_terms(contract, {"start_date": dt.date(2027, 2, 1),
                                              "reason": "Later start"}, actor=buyer)
    db.session.commit()
    rendering.render_version(version)
    assert version.number == 2 and contract.current_version is version
    assert first.rendered and stored(first.storage_key)  # old version kept, unchanged
    assert "2027-02-01" in pdf_text(stored(version.storage_key))
    assert version.sha256 != first.sha256


def test_unchanged_terms_make_no_version(parties):
    contract, buyer, _founder = parties
    assert services.amend_terms(contract, {"reason": "nothing"}, actor=buyer) is None
    assert len(contract.versions) == 1


def test_company_cannot_change_terms(parties):
    contract, _buyer, founder = parties
    with pytest.raises(PermissionDenied):
        services.amend_terms(contract, {"special_conditions": "x"}, actor=founder)


# --- signing ----------------------------------------------------------------------------------

def test_both_signatures_activate_contract_and_contract_the_scenario(parties):
    contract, buyer, founder = parties
    first = _sign(contract, buyer)
    assert first.party == Party.AGENCY and first.sha256 == contract.current_version.sha256
    assert first.ip == "198.51.100.23" and first.signer_id == buyer.id
    assert contract.state == ContractState.DRAFT
    _sign(contract, founder)
    db.session.commit()
    assert contract.state == ContractState.ACTIVE and contract.active_at
    assert contract.scenario.state == ScenarioState.CONTRACTED


def test_signing_twice_is_refused(parties):
    contract, buyer, _founder = parties
    _sign(contract, buyer)
    other_buyer = factories.create_buyer(agency=contract.agency)
    with pytest.raises(Conflict, match="already signed"):
        _sign(contract, buyer)
    with pytest.raises(Conflict, match="already signed"):
        _sign(contract, other_buyer)  # the same party


def test_a_third_party_cannot_sign(parties):
    contract, _buyer, _founder = parties
    for stranger in (factories.create_buyer(), factories.create_founder(),
                     factories.create_evaluator(agency=contract.agency),
                     factories.create_admin()):
        with pytest.raises(PermissionDenied):
            _sign(contract, stranger)
    assert contract.signatures == []


def test_signing_an_old_version_is_refused(parties):
    contract, buyer, founder = parties
    services.amend_terms(contract, {"special_conditions": "Weekly reports."}, actor=buyer)
    db.session.commit()
    rendering.render_version(contract.current_version)
    with pytest.raises(Conflict, match="not the current version"):
        _sign(contract, founder, version=1)
    assert _sign(contract, founder, version=2)


def test_a_signature_on_an_old_version_does_not_count(parties):
    contract, buyer, founder = parties
    _sign(contract, buyer)
    services.amend_terms(contract, {"special_conditions": "Weekly reports."}, actor=buyer)
    db.session.commit()
    rendering.render_version(contract.current_version)
    _sign(contract, founder)
    assert contract.state == ContractState.DRAFT and not contract.fully_signed
    _sign(contract, buyer)
    assert contract.state == ContractState.ACTIVE


def test_wrong_password_or_name_is_refused(parties):
    contract, buyer, _founder = parties
    with pytest.raises(ValidationFailed, match="password"):
        _sign(contract, buyer, password="not-the-password")
    with pytest.raises(ValidationFailed, match="name"):
        _sign(contract, buyer, name="Somebody Else")
    with pytest.raises(Conflict, match="fingerprint"):
        _sign(contract, buyer, sha256="0" * 64)
    assert contract.signatures == []


def test_signing_before_the_pdf_exists_is_refused():
    contract = factories.create_contract(rendered=False)
    buyer = factories.create_buyer(agency=contract.agency)
    with pytest.raises(Conflict, match="being prepared"):
        _sign(contract, buyer)


# --- the final PDF ----------------------------------------------------------------------------

@pytest.fixture
def final(parties):
    contract, buyer, founder = parties
    _sign(contract, buyer)
    _sign(contract, founder)
    db.session.commit()
    rendering.render_pending(contract)
    return contract, stored(contract.final_storage_key)


def test_final_pdf_has_a_signature_page_and_no_ip(final):
    contract, data = final
    text = " ".join(pdf_text(data).split())
    assert "Signature page" in text
    for signature in contract.signatures:
        assert signature.signer_name in text
        assert signature.sha256 in text.replace(" ", "") or signature.sha256[:32] in text
    assert "198.51.100.23" not in text and b"198.51.100.23" not in data


def test_final_pdf_seal_verifies_and_a_changed_byte_fails(final):
    contract, data = final
    import hashlib

    assert hashlib.sha256(data).hexdigest() == contract.final_sha256
    check = seal.verify_seal(data)
    assert check.ok and check.intact and check.trusted and check.coverage == "ENTIRE_FILE"
    index = data.index(b"Signature page") if b"Signature page" in data else len(data) // 3
    tampered = bytearray(data)
    tampered[index] ^= 0x01
    bad = seal.verify_seal(bytes(tampered))
    assert not bad.ok and not bad.bottom_line
    tampered = bytearray(data)
    tampered[200] ^= 0x20
    assert not seal.verify_seal(bytes(tampered)).ok


def test_final_pdf_is_pdfa_3b_with_the_contract_json(final):
    contract, data = final
    reader = PdfReader(io.BytesIO(data))
    attachments = reader.attachments
    assert list(attachments) == ["contract.json"]
    payload = json.loads(attachments["contract.json"][0])
    assert payload["number"] == contract.number
    assert payload["terms"]["price"] == str(contract.price)
    assert {s["party"] for s in payload["signatures"]} == {"agency", "company"}
    assert "198.51.100.23" not in json.dumps(payload)
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "<pdfaid:part>3</pdfaid:part>" in raw or 'pdfaid:part="3"' in raw
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in raw or 'pdfaid:conformance="B"' in raw
    assert data.startswith(b"%PDF-1.7")


def test_sealing_without_a_key_says_how_to_make_one(app, parties, tmp_path):
    contract, buyer, founder = parties
    old = app.config["MARKETPLACE_SIGNING_KEY"]
    app.config["MARKETPLACE_SIGNING_KEY"] = str(tmp_path / "none.pem")
    try:
        _sign(contract, buyer)
        _sign(contract, founder)
        db.session.commit()
        rendering.render_pending(contract)  # logged, not raised: the signatures are kept
        assert contract.state == ContractState.ACTIVE and contract.final_sha256 is None
        with pytest.raises(seal.SealUnavailable, match="init-signing-key"):
            rendering.finalise_contract(contract)
    finally:
        app.config["MARKETPLACE_SIGNING_KEY"] = old
    assert rendering.render_all_pending() >= 1
    assert contract.final_sha256
