import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import AllowedDomain, Invitation, Organisation, Role, User
from marketplace.audit.models import AuditEvent
from marketplace.extensions import db
from marketplace.notifications.models import OutboxMessage
from tests import factories

PASSWORD = "a-long-enough-password"


def company_form(**overrides):
    data = {
        "company_name": "Queue Wizards", "registration_number": "91440300MA5F",
        "country": "CN", "region": "Shenzhen", "website": "queuewizards.example",
        "name": "Li Na", "email": "li@queuewizards.example", "password": PASSWORD,
        "confirm": PASSWORD,
    }
    data.update(overrides)
    return data


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_signup_chooser_links_both_kinds(client):
    page = client.get("/signup").get_data(as_text=True)
    assert "/signup/company" in page and "/signup/agency" in page


def test_company_signup_creates_company_and_founder_and_logs_in(client):
    response = client.post("/signup/company", data=company_form())
    assert response.status_code == 302
    founder = db.session.scalar(select(User).where(User.email == "li@queuewizards.example"))
    assert founder.roles == {Role.FOUNDER}
    company = founder.organisation
    assert company.is_company and company.name == "Queue Wizards"
    assert company.registration_number == "91440300MA5F" and company.region == "Shenzhen"
    assert company.website == "https://queuewizards.example"
    assert company.verified is False
    assert client.get("/account").status_code == 200  # signed in
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"user.created", "organisation.created"} <= actions


def test_duplicate_company_name_is_a_clear_error(client):
    factories.create_company(name="Queue Wizards")
    before = count(User)
    response = client.post("/signup/company", data=company_form(company_name="queue wizards"))
    assert response.status_code == 409
    assert "already registered" in response.get_data(as_text=True)
    assert count(User) == before


@pytest.mark.parametrize("field,value,message", [
    ("email", "not-an-email", "not a valid e-mail"),
    ("password", "short-pass", "between 12 and 512"),
    ("country", "China", "two"),
    ("company_name", "", "required"),
])
def test_company_signup_bad_input(client, field, value, message):
    data = company_form(**{field: value})
    if field == "password":
        data["confirm"] = value
    orgs = count(Organisation)
    response = client.post("/signup/company", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True).lower().replace("field is required",
                                                                        "required")
    assert count(Organisation) == orgs
    assert count(User) == 0
    assert db.session.scalar(select(User).where(User.email == "li@queuewizards.example")) is None


def test_passwords_must_match(client):
    response = client.post("/signup/company", data=company_form(confirm="something-else-long"))
    assert response.status_code == 422
    assert "The two passwords differ" in response.get_data(as_text=True)


def test_duplicate_email_is_case_insensitive(client, dummy_founder):
    orgs = count(Organisation)
    response = client.post("/signup/company", data=company_form(email=dummy_founder.email.upper()))
    assert response.status_code == 409
    assert "already exists" in response.get_data(as_text=True)
    assert count(Organisation) == orgs


def test_one_founder_per_company_in_the_service(dummy_founder):
    from marketplace.accounts import services
    from marketplace.core.errors import Conflict

    with pytest.raises(Conflict):
        services.create_user("second@example.org", "Second", PASSWORD, roles=[Role.FOUNDER],
                             organisation=dummy_founder.organisation)


# --- agency staff through the allow-list -----------------------------------------------------

DETAILS = {"name": "Zhang Min", "password": PASSWORD, "confirm": PASSWORD}


def list_domain(agency, domain="health.example.gov.cn"):
    row = AllowedDomain(domain=domain, agency_id=agency.id)
    db.session.add(row)
    db.session.commit()
    return row


def _signup_link(client, email):
    response = client.post("/signup/agency", data={"email": email})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert b"Check your e-mail" in response.data
    message = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.recipient == email.lower()).order_by(OutboxMessage.id.desc()))
    return re.search(r"(/signup/agency/\S+)", message.body).group(1)


def test_allow_listed_domain_signs_up_as_evaluator_of_that_agency(client, dummy_agency):
    list_domain(dummy_agency)
    link = _signup_link(client, "Zhang@Health.Example.gov.cn")
    assert count(User) == 0  # nothing before the address is proven
    page = client.get(link)
    assert page.status_code == 200 and b"zhang@health.example.gov.cn" in page.data
    assert client.post(link, data=DETAILS).status_code == 302
    user = db.session.scalar(select(User).where(User.email == "zhang@health.example.gov.cn"))
    assert user.organisation_id == dummy_agency.id
    assert user.roles == {Role.EVALUATOR}
    assert client.get("/account").status_code == 200


def test_sign_up_link_works_once(client, dummy_agency):
    list_domain(dummy_agency)
    link = _signup_link(client, "zhang@health.example.gov.cn")
    client.post(link, data=DETAILS)
    client.post("/logout")
    response = client.post(link, data=DETAILS)
    assert response.status_code == 409 and b"already been used" in response.data
    assert count(User) == 1


def test_sign_up_link_expires_after_a_day(client, dummy_agency, time_machine):
    list_domain(dummy_agency)
    time_machine.move_to("2027-04-01 08:00:00+00:00")
    link = _signup_link(client, "zhang@health.example.gov.cn")
    time_machine.move_to("2027-04-02 08:00:02+00:00")
    response = client.post(link, data=DETAILS)
    assert response.status_code == 409 and b"expired" in response.data
    assert count(User) == 0


def test_tampered_sign_up_link_is_404(client, dummy_agency):
    list_domain(dummy_agency)
    link = _signup_link(client, "zhang@health.example.gov.cn")
    assert client.post(link[:-4] + "abcd", data=DETAILS).status_code == 404
    assert client.get("/signup/agency/nonsense").status_code == 404
    assert count(User) == 0


def test_domain_removed_before_the_link_is_used(client, dummy_agency):
    row = list_domain(dummy_agency)
    link = _signup_link(client, "zhang@health.example.gov.cn")
    db.session.delete(row)
    db.session.commit()
    assert client.post(link, data=DETAILS).status_code == 403
    assert count(User) == 0


def test_sub_domain_of_a_listed_domain_is_allowed(client, dummy_agency):
    list_domain(dummy_agency, "example.gov.cn")
    _signup_link(client, "a@port.example.gov.cn")


def test_unlisted_domain_is_refused_and_nothing_sent(client, dummy_agency):
    list_domain(dummy_agency)
    for email in ["zhang@gmail.example", "zhang@evilhealth.example.gov.cn.attacker.example",
                  "zhang@xhealth.example.gov.cn"]:
        response = client.post("/signup/agency", data={"email": email})
        assert response.status_code == 403
        assert "not on the list" in response.get_data(as_text=True)
    assert db.session.scalar(select(OutboxMessage)) is None


def test_agency_sign_up_for_an_existing_account(client, dummy_agency):
    list_domain(dummy_agency)
    factories.create_evaluator(agency=dummy_agency, email="old@health.example.gov.cn")
    response = client.post("/signup/agency", data={"email": "OLD@health.example.gov.cn"})
    assert response.status_code == 409 and b"already exists" in response.data


# --- invitations -----------------------------------------------------------------------------

def _invite(client, login, buyer, email="new.colleague@example.org", role="buyer"):
    login(buyer)
    response = client.post("/agency/staff/invite", data={"email": email, "role": role})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    client.post("/logout")
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == email))
    return re.search(r"/invitations/(\S+)", message.body).group(1)


def test_invitation_creates_account_in_agency_with_role(client, login, dummy_buyer):
    token = _invite(client, login, dummy_buyer)
    invitation = db.session.scalar(select(Invitation))
    assert token not in invitation.token_hash  # stored hashed
    page = client.get(f"/invitations/{token}")
    assert page.status_code == 200 and b"new.colleague@example.org" in page.data
    response = client.post(f"/invitations/{token}", data={
        "name": "New Colleague", "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new.colleague@example.org"))
    assert user.organisation_id == dummy_buyer.organisation_id
    assert user.roles == {Role.BUYER}
    assert db.session.get(Invitation, invitation.id).accepted_at is not None


def test_invitation_used_twice_is_refused(client, login, dummy_buyer):
    token = _invite(client, login, dummy_buyer)
    client.post(f"/invitations/{token}", data={
        "name": "New Colleague", "password": PASSWORD, "confirm": PASSWORD})
    client.post("/logout")
    response = client.post(f"/invitations/{token}", data={
        "name": "Someone Else", "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 409
    assert "already been used" in response.get_data(as_text=True)
    assert count(User) == 2


def test_expired_invitation_is_refused(client, login, dummy_buyer, time_machine):
    time_machine.move_to("2027-03-01 09:00:00+00:00")
    token = _invite(client, login, dummy_buyer)
    time_machine.move_to("2027-03-08 09:00:01+00:00")
    response = client.post(f"/invitations/{token}", data={
        "name": "Late", "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 409
    assert "expired" in response.get_data(as_text=True)
    assert count(User) == 1


def test_wrong_invitation_token_is_404(client):
    assert client.get("/invitations/not-a-real-token").status_code == 404


def test_evaluator_cannot_invite(client, login, dummy_evaluator):
    login(dummy_evaluator)
    response = client.post("/agency/staff/invite", data={"email": "x@example.org",
                                                         "role": "buyer"})
    assert response.status_code == 403
    assert count(Invitation) == 0


def test_invite_bad_input(client, login, dummy_buyer, dummy_founder):
    login(dummy_buyer)
    for data, status in [({"email": "nope", "role": "buyer"}, 422),
                         ({"email": "a@example.org", "role": "founder"}, 422),
                         ({"email": dummy_founder.email.upper(), "role": "buyer"}, 409)]:
        assert client.post("/agency/staff/invite", data=data).status_code == status, data
    assert count(Invitation) == 0


def test_buyer_grants_buyer_role_to_colleague(client, login, dummy_buyer, dummy_evaluator):
    login(dummy_buyer)
    page = client.get("/agency/staff")
    assert dummy_evaluator.email in page.get_data(as_text=True)
    assert client.post(f"/agency/staff/{dummy_evaluator.id}/buyer").status_code == 302
    assert db.session.get(User, dummy_evaluator.id).has_role(Role.BUYER)


def test_buyer_cannot_grant_role_in_another_agency(client, login, dummy_buyer):
    other = factories.create_evaluator()
    login(dummy_buyer)
    assert client.post(f"/agency/staff/{other.id}/buyer").status_code == 404
    assert not db.session.get(User, other.id).has_role(Role.BUYER)


def test_invitation_expiry_is_seven_days(client, login, dummy_buyer):
    _invite(client, login, dummy_buyer)
    invitation = db.session.scalar(select(Invitation))
    lifetime = invitation.expires_at - invitation.created_at
    assert dt.timedelta(days=6, hours=23) < lifetime <= dt.timedelta(days=7)
