"""Panel set-up, external evaluators, conflict declarations and what an undeclared member sees."""

import pytest
from sqlalchemy import select

from marketplace.accounts.models import Invitation, User
from marketplace.audit.models import AuditEvent
from marketplace.bids.queries import evaluable_bids_stmt
from marketplace.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from marketplace.evaluation import services
from marketplace.evaluation.models import PanelRole
from marketplace.evaluation.permissions import panel_for
from marketplace.extensions import db
from marketplace.notifications.models import Notification, OutboxMessage
from marketplace.scenarios.states import ScenarioState
from tests import factories
from tests.evaluation.conftest import closed_scenario


@pytest.fixture
def staff(dummy_agency):
    return [factories.create_evaluator(agency=dummy_agency) for _ in range(3)]


def _notes(user, kind):
    return db.session.scalars(select(Notification).where(
        Notification.user_id == user.id, Notification.kind == kind)).all()


def test_buyer_appoints_panel_opens_evaluation_and_notifies(dummy_agency, dummy_buyer, staff):
    scenario = closed_scenario(dummy_agency)
    panel = services.set_panel(scenario, {"chair_id": staff[0].id,
                                          "evaluator_ids": [staff[1].id]}, actor=dummy_buyer)
    db.session.commit()
    assert scenario.state == ScenarioState.EVALUATION
    assert {(m.user_id, m.role) for m in panel.active_members} == {
        (staff[0].id, PanelRole.CHAIR), (staff[1].id, PanelRole.EVALUATOR)}
    assert len(_notes(staff[1], "panel_appointment")) == 1


def test_published_past_deadline_opens_evaluation_too(dummy_agency, dummy_buyer, staff):
    from tests.evaluation.conftest import past

    scenario = factories.create_scenario(dummy_agency, deadline=past())
    services.set_panel(scenario, {"chair_id": staff[0].id, "evaluator_ids": [staff[1].id]},
                       actor=dummy_buyer)
    assert scenario.state == ScenarioState.EVALUATION


def test_panel_before_deadline_is_refused(dummy_agency, dummy_buyer, staff):
    scenario = factories.create_scenario(dummy_agency)  # deadline in 7 days
    with pytest.raises(InvalidTransition):
        services.set_panel(scenario, {"chair_id": staff[0].id, "evaluator_ids": [staff[1].id]},
                           actor=dummy_buyer)


def test_panel_needs_chair_and_evaluator_from_agency_staff(dummy_agency, dummy_buyer, staff):
    scenario = closed_scenario(dummy_agency)
    with pytest.raises(ValidationFailed):
        services.set_panel(scenario, {"chair_id": staff[0].id}, actor=dummy_buyer)
    outsider = factories.create_evaluator()  # another agency
    with pytest.raises(ValidationFailed):
        services.set_panel(scenario, {"chair_id": staff[0].id,
                                      "evaluator_ids": [outsider.id]}, actor=dummy_buyer)
    with pytest.raises(ValidationFailed):
        services.set_panel(scenario, {"chair_id": factories.create_founder().id,
                                      "evaluator_ids": [staff[1].id]}, actor=dummy_buyer)


def test_only_the_agency_buyer_appoints(dummy_agency, staff):
    scenario = closed_scenario(dummy_agency)
    for actor in (staff[0], factories.create_buyer()):
        with pytest.raises(PermissionDenied):
            services.set_panel(scenario, {"chair_id": staff[0].id,
                                          "evaluator_ids": [staff[1].id]}, actor=actor)


def test_changing_the_chair_keeps_one_chair(dummy_agency, dummy_buyer, staff):
    scenario = closed_scenario(dummy_agency)
    services.set_panel(scenario, {"chair_id": staff[0].id, "evaluator_ids": [staff[1].id]},
                       actor=dummy_buyer)
    panel = services.set_panel(scenario, {"chair_id": staff[1].id,
                                          "evaluator_ids": [staff[2].id]}, actor=dummy_buyer)
    db.session.commit()
    assert panel.chair.user_id == staff[1].id
    removed = next(m for m in panel.members if m.user_id == staff[0].id)
    assert not removed.active and removed.removed_reason


def test_external_evaluator_invited_by_email(dummy_agency, dummy_buyer, staff, client):
    scenario = closed_scenario(dummy_agency)
    services.set_panel(scenario, {"chair_id": staff[0].id, "externals": [
        {"email": "Prof.Li@University.example", "name": "Prof Li"}]}, actor=dummy_buyer)
    db.session.commit()
    user = db.session.scalar(select(User).where(User.email == "prof.li@university.example"))
    assert user.external and user.has_role(factories.Role.EVALUATOR)
    invitation = db.session.scalar(select(Invitation).where(Invitation.email == user.email))
    assert invitation.external and invitation.scenario_id == scenario.id
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == user.email)
                             .order_by(OutboxMessage.id))
    token = mail.body.split("/evaluation/invitations/")[1].split()[0]
    response = client.post(f"/evaluation/invitations/{token}",
                           data={"password": "a-long-new-password"})
    assert response.status_code == 302
    assert client.post("/login", data={"email": user.email,
                                       "password": "a-long-new-password"}).status_code == 302
    # the invitation works once
    client.post("/logout")
    again = client.post(f"/evaluation/invitations/{token}",
                        data={"password": "another-long-password"})
    assert b"not valid" in again.data


def test_external_evaluator_sees_only_their_panel(dummy_agency, dummy_buyer, staff, login):
    scenario = closed_scenario(dummy_agency)
    other = closed_scenario(dummy_agency)
    factories.create_bid(other)
    external = factories.create_evaluator(agency=dummy_agency, external=True)
    factories.create_panel(scenario, chair=staff[0], evaluators=[external])
    factories.create_panel(other, chair=staff[1], evaluators=[staff[2]])
    client = login(external)
    page = client.get("/evaluation/panels").get_data(as_text=True)
    assert scenario.reference in page and other.reference not in page
    for url in (f"/evaluation/scenarios/{other.reference}/bids",
                f"/evaluation/scenarios/{other.reference}/ranking",
                f"/evaluation/scenarios/{other.reference}/panel"):
        assert client.get(url).status_code == 403, url
    with pytest.raises(PermissionDenied):
        evaluable_bids_stmt(external, other)


def test_conflict_removes_member_notifies_chair_and_is_audited(setup):
    scenario = setup.scenario
    newcomer = factories.create_evaluator(agency=setup.agency)
    services.set_panel(scenario, {"chair_id": setup.chair.id,
                                  "evaluator_ids": [setup.evaluator.id, newcomer.id]},
                       actor=setup.buyer)
    declaration = services.declare_interests(
        scenario, {"has_conflict": True, "details": "I advised Beta Queue Ltd."},
        actor=newcomer)
    db.session.commit()
    assert declaration.companies == ["Alpha Triage Ltd", "Beta Queue Ltd", "Gamma Health Ltd"]
    member = setup.member(newcomer)
    assert not member.active and member.declaration.has_conflict
    assert _notes(setup.chair, "panel_conflict")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "panel.declaration")
                              .order_by(AuditEvent.id.desc()))
    assert event.after["has_conflict"] is True and "Beta Queue Ltd" in event.after["companies"]
    with pytest.raises(PermissionDenied):
        evaluable_bids_stmt(newcomer, scenario)
    # cannot be put back on the panel
    with pytest.raises(ValidationFailed):
        services.set_panel(scenario, {"chair_id": setup.chair.id,
                                      "evaluator_ids": [newcomer.id]}, actor=setup.buyer)


def test_declaration_once_and_needs_details_for_conflict(setup):
    newcomer = factories.create_evaluator(agency=setup.agency)
    services.set_panel(setup.scenario, {"chair_id": setup.chair.id,
                                        "evaluator_ids": [setup.evaluator.id, newcomer.id]},
                       actor=setup.buyer)
    with pytest.raises(ValidationFailed):
        services.declare_interests(setup.scenario, {"has_conflict": True}, actor=newcomer)
    with pytest.raises(ValidationFailed):
        services.declare_interests(setup.scenario, {}, actor=newcomer)
    with pytest.raises(InvalidTransition):
        services.declare_interests(setup.scenario, {"has_conflict": False},
                                   actor=setup.evaluator)
    with pytest.raises(PermissionDenied):
        services.declare_interests(setup.scenario, {"has_conflict": False},
                                   actor=factories.create_evaluator(agency=setup.agency))


def test_undeclared_member_sees_nothing(setup, login, api_headers, client):
    newcomer = factories.create_evaluator(agency=setup.agency)
    services.set_panel(setup.scenario, {"chair_id": setup.chair.id,
                                        "evaluator_ids": [setup.evaluator.id, newcomer.id]},
                       actor=setup.buyer)
    db.session.commit()
    ref = setup.scenario.reference
    bid = setup.bids[0]
    with pytest.raises(PermissionDenied):
        evaluable_bids_stmt(newcomer, setup.scenario)
    web = login(newcomer)
    response = web.get(f"/evaluation/scenarios/{ref}/bids")
    assert response.status_code == 302 and "/declaration" in response.headers["Location"]
    assert web.get(f"/evaluation/bids/{bid.id}/score").status_code == 403
    assert web.get(f"/evaluation/scenarios/{ref}/comparison").status_code == 403
    assert web.get(f"/evaluation/scenarios/{ref}/ranking/kpis.svg").status_code == 403
    page = web.get(f"/evaluation/scenarios/{ref}/declaration").get_data(as_text=True)
    assert "Alpha Triage Ltd" in page and bid.approach not in page
    headers = api_headers(newcomer)
    assert client.get(f"/api/v1/scenarios/{ref}/ranking", headers=headers).status_code == 403
    assert client.put(f"/api/v1/bids/{bid.id}/scores", headers=headers, json={"scores": [
        {"criterion_id": setup.manual[0].id, "score": 5, "comment": "x"}]}).status_code == 404


def test_declaration_page_then_bids(setup, login):
    newcomer = factories.create_evaluator(agency=setup.agency)
    services.set_panel(setup.scenario, {"chair_id": setup.chair.id,
                                        "evaluator_ids": [setup.evaluator.id, newcomer.id]},
                       actor=setup.buyer)
    db.session.commit()
    web = login(newcomer)
    ref = setup.scenario.reference
    response = web.post(f"/evaluation/scenarios/{ref}/declaration", data={"has_conflict": "no"})
    assert response.status_code == 302
    assert web.get(f"/evaluation/scenarios/{ref}/bids").status_code == 200


def test_panel_page_permissions(setup, login, client):
    url = f"/evaluation/scenarios/{setup.scenario.reference}/panel"
    assert client.get(url).status_code == 302  # anonymous -> log in
    assert login(setup.buyer).get(url).status_code == 200
    assert login(setup.chair).get(url).status_code == 403
    assert login(factories.create_buyer()).get(url).status_code == 403
    assert login(setup.founders[0]).get(url).status_code == 403


def test_panel_page_saves(setup, login):
    extra = factories.create_evaluator(agency=setup.agency)
    web = login(setup.buyer)
    response = web.post(f"/evaluation/scenarios/{setup.scenario.reference}/panel", data={
        "chair_id": setup.chair.id, "evaluator_ids": [setup.evaluator.id, extra.id],
        "externals": "outside@expert.example, Out Side"})
    assert response.status_code == 302
    panel = panel_for(setup.scenario)
    assert len(panel.active_members) == 4


def test_api_panel(setup, client, api_headers):
    ref = setup.scenario.reference
    body = {"chair_id": setup.chair.id, "evaluator_ids": [setup.evaluator.id]}
    assert client.put(f"/api/v1/scenarios/{ref}/panel", json=body).status_code == 401
    assert client.put(f"/api/v1/scenarios/{ref}/panel", json=body,
                      headers=api_headers(setup.chair)).status_code == 403
    assert client.put(f"/api/v1/scenarios/{ref}/panel", json={**body, "x": 1},
                      headers=api_headers(setup.buyer)).status_code == 422
    response = client.put(f"/api/v1/scenarios/{ref}/panel", json=body,
                          headers=api_headers(setup.buyer))
    assert response.status_code == 200
    assert {m["role"] for m in response.json["members"]} == {"chair", "evaluator"}
    assert client.put("/api/v1/scenarios/SCN-0000-00000/panel", json=body,
                      headers=api_headers(setup.buyer)).status_code == 404


def test_api_declaration(setup, client, api_headers):
    newcomer = factories.create_evaluator(agency=setup.agency)
    services.set_panel(setup.scenario, {"chair_id": setup.chair.id,
                                        "evaluator_ids": [setup.evaluator.id, newcomer.id]},
                       actor=setup.buyer)
    db.session.commit()
    url = f"/api/v1/scenarios/{setup.scenario.reference}/declaration"
    assert client.post(url, json={"has_conflict": False},
                       headers=api_headers(setup.founders[0])).status_code == 403
    response = client.post(url, json={"has_conflict": False}, headers=api_headers(newcomer))
    assert response.status_code == 201 and len(response.json["companies"]) == 3
    assert client.post(url, json={"has_conflict": False},
                       headers=api_headers(newcomer)).status_code == 409


def test_external_evaluator_cannot_be_appointed_elsewhere_by_id(dummy_agency, dummy_buyer,
                                                                  staff, client, api_headers):
    first, second = closed_scenario(dummy_agency), closed_scenario(dummy_agency)
    factories.create_bid(second)
    services.set_panel(first, {"chair_id": staff[0].id, "externals": [
        {"email": "ext@expert.example", "name": "Ext"}]}, actor=dummy_buyer)
    external = db.session.scalar(select(User).where(User.email == "ext@expert.example"))
    with pytest.raises(ValidationFailed, match="external"):
        services.set_panel(second, {"chair_id": staff[0].id, "evaluator_ids": [external.id]},
                           actor=dummy_buyer)
    db.session.commit()
    # and sees nothing of the second scenario, in the API either
    response = client.get(f"/api/v1/scenarios/{second.reference}/ranking",
                          headers=api_headers(external))
    assert response.status_code == 403
    # invited by e-mail to the second one, they may sit on it too
    services.set_panel(second, {"chair_id": staff[0].id, "externals": [
        {"email": "ext@expert.example"}]}, actor=dummy_buyer)
    assert panel_for(second).active_members[-1].user_id == external.id
