from sqlalchemy import select

from marketplace.accounts.models import AllowedDomain, Organisation, User
from marketplace.audit.models import AuditEvent
from marketplace.extensions import db
from tests import factories


def actions():
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_admin_verifies_and_unverifies_an_organisation(client, login, dummy_admin):
    company = factories.create_company(verified=False)
    login(dummy_admin)
    page = client.get("/admin/organisations?status=unverified").get_data(as_text=True)
    assert company.name in page
    assert client.post(f"/admin/organisations/{company.id}/verify",
                       data={"verified": "1"}).status_code == 302
    org = db.session.get(Organisation, company.id)
    assert org.verified and org.verified_at is not None
    assert client.post(f"/admin/organisations/{company.id}/verify",
                       data={"verified": "0"}).status_code == 302
    assert not db.session.get(Organisation, company.id).verified
    assert actions()[-2:] == ["organisation.verified", "organisation.unverified"]


def test_verify_unknown_organisation_is_404(client, login, dummy_admin):
    login(dummy_admin)
    assert client.post("/admin/organisations/999999/verify").status_code == 404


def test_admin_adds_and_removes_a_domain(client, login, dummy_admin, dummy_agency):
    login(dummy_admin)
    response = client.post("/admin/domains", data={"domain": "@Water.Example.gov.cn",
                                                   "agency_id": dummy_agency.id})
    assert response.status_code == 302
    row = db.session.scalar(select(AllowedDomain))
    assert row.domain == "water.example.gov.cn" and row.agency_id == dummy_agency.id
    assert client.post(f"/admin/domains/{row.id}/remove").status_code == 302
    assert db.session.scalar(select(AllowedDomain)) is None
    assert actions()[-2:] == ["allowed_domain.added", "allowed_domain.removed"]


def test_bad_domains_are_refused(client, login, dummy_admin, dummy_agency):
    login(dummy_admin)
    company = factories.create_company()
    db.session.add(AllowedDomain(domain="taken.example", agency_id=dummy_agency.id))
    db.session.commit()
    cases = [
        ({"domain": "not a domain", "agency_id": dummy_agency.id}, 422),
        ({"domain": "http://x.example/", "agency_id": dummy_agency.id}, 422),
        ({"domain": "ok.example", "agency_id": company.id}, 422),  # not an agency
        ({"domain": "ok.example", "agency_id": "abc"}, 422),
        ({"domain": "TAKEN.example", "agency_id": dummy_agency.id}, 409),
    ]
    for data, status in cases:
        assert client.post("/admin/domains", data=data).status_code == status, data
    assert len(db.session.scalars(select(AllowedDomain)).all()) == 1


def test_admin_deactivates_and_reactivates_a_user(client, app, login, dummy_admin, dummy_buyer,
                                                  api_headers):
    headers = api_headers(dummy_buyer)
    buyer_client = app.test_client()
    buyer_client.post("/login", data={"email": dummy_buyer.email,
                                      "password": factories.PASSWORD})
    login(dummy_admin)
    assert client.post(f"/admin/users/{dummy_buyer.id}/active",
                       data={"active": "0"}).status_code == 302
    assert not db.session.get(User, dummy_buyer.id).active
    assert buyer_client.get("/account").status_code == 302  # session ended
    assert client.get("/api/v1/me", headers=headers).status_code == 401  # tokens stop
    assert client.post(f"/admin/users/{dummy_buyer.id}/active",
                       data={"active": "1"}).status_code == 302
    assert db.session.get(User, dummy_buyer.id).active
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert actions()[-2:] == ["user.deactivated", "user.reactivated"]


def test_admin_cannot_deactivate_themself(client, login, dummy_admin):
    login(dummy_admin)
    response = client.post(f"/admin/users/{dummy_admin.id}/active", data={"active": "0"},
                           follow_redirects=True)
    assert b"cannot deactivate your own account" in response.data
    assert db.session.get(User, dummy_admin.id).active
    assert "user.deactivated" not in actions()


def test_user_search(client, login, dummy_admin, dummy_buyer, dummy_founder):
    login(dummy_admin)
    page = client.get("/admin/users", query_string={"q": dummy_buyer.email[:8]})
    text = page.get_data(as_text=True)
    assert dummy_buyer.email in text and dummy_founder.email not in text
    assert client.get("/admin/users?q=%25_&page=zz").status_code == 200


def test_admin_index_counts(client, login, dummy_admin):
    factories.create_company(verified=False)
    login(dummy_admin)
    assert b"1 waiting for verification" in client.get("/admin/").data


def test_services_refuse_non_admins(dummy_buyer, dummy_founder):
    import pytest

    from marketplace.admin import services
    from marketplace.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.set_active(dummy_founder, False, actor=dummy_buyer)
    with pytest.raises(PermissionDenied):
        services.set_verified(dummy_founder.organisation, True, actor=dummy_buyer)


def test_organisation_without_region_shows_only_its_country(client, login, dummy_admin):
    factories.create_agency(name="Regionless Agency", region=None, country="GB")
    login(dummy_admin)
    body = client.get("/admin/organisations").get_data(as_text=True)
    row = body.split("Regionless Agency")[1].split("</tr>")[0]
    assert "<td>GB</td>" in row and "—, GB" not in row


def test_admin_pages_lead_back_to_administration(client, login, dummy_admin):
    login(dummy_admin)
    for path in ("/admin/organisations", "/admin/users", "/admin/domains"):
        body = client.get(path).get_data(as_text=True)
        assert 'aria-label="Breadcrumb"' in body and 'href="/admin/"' in body, path
