import pytest
from sqlalchemy import func, select

from marketplace.companies import services
from marketplace.companies.models import CompanyProfile, PortfolioFile
from marketplace.core.errors import Conflict, PermissionDenied, ValidationFailed
from marketplace.extensions import db
from tests import factories
from tests.bids.helpers import EXE, PDF, upload


def test_profile_row_is_created_when_missing(client, login, dummy_founder):
    assert db.session.scalar(select(func.count()).select_from(CompanyProfile)) == 0
    login(dummy_founder)
    page = client.get("/company/profile")
    assert page.status_code == 200 and "Your company profile" in page.text
    assert db.session.scalar(select(func.count()).select_from(CompanyProfile)) == 1


def test_tags_are_normalised():
    assert services.normalise_tags(" Computer  Vision, triage,TRIAGE,, ", "capabilities") == [
        "computer vision", "triage"]
    with pytest.raises(ValidationFailed, match="at most 40"):
        services.normalise_tags(["x" * 41], "capabilities")
    with pytest.raises(ValidationFailed, match="at most 20"):
        services.normalise_tags([f"t{i}" for i in range(21)], "capabilities")


def test_update_profile_validates_and_changes_nothing_when_wrong(dummy_founder):
    profile = services.get_or_create_profile(dummy_founder.organisation)
    services.update_profile(profile, {"headline": "Triage", "sectors": ["health"],
                                      "ai_tools": "LLM Agents, Whisper"}, actor=dummy_founder)
    db.session.commit()
    assert profile.ai_tools == ["llm agents", "whisper"]
    with pytest.raises(ValidationFailed, match="Unknown sector"):
        services.update_profile(profile, {"headline": "X", "sectors": ["space"]},
                                actor=dummy_founder)
    with pytest.raises(ValidationFailed):
        services.update_profile(profile, {"headline": "X", "track_record": [{"title": "t"}]},
                                actor=dummy_founder)
    with pytest.raises(ValidationFailed, match="website"):
        services.update_profile(profile, {"website": "javascript:alert(1)"},
                                actor=dummy_founder)
    db.session.rollback()
    assert profile.headline == "Triage" and profile.sectors == ["health"]


def test_only_the_founder_edits(dummy_founder, dummy_buyer):
    profile = services.get_or_create_profile(dummy_founder.organisation)
    other = factories.create_founder()
    for user in (other, dummy_buyer):
        with pytest.raises(PermissionDenied):
            services.update_profile(profile, {"headline": "x"}, actor=user)


def test_company_name_clash_is_a_conflict(dummy_founder):
    taken = factories.create_company()
    profile = services.get_or_create_profile(dummy_founder.organisation)
    with pytest.raises(Conflict, match="already has this name"):
        services.update_profile(profile, {"name": taken.name}, actor=dummy_founder)


def test_edit_page_saves_and_public_page_shows(client, login, dummy_founder):
    login(dummy_founder)
    response = client.post("/company/profile", data={
        "name": "TriageFlow Test", "registration_number": "9144X", "region": "Shenzhen",
        "headline": "AI triage", "description": "We **triage**. <script>x()</script>",
        "sectors": ["health", "logistics"], "capabilities": "Triage, Queueing",
        "ai_tools": "LLM agents",
    })
    assert response.status_code == 302
    client.post("/company/track-record", data={"title": "Ward pilot", "client": "Futian",
                                               "year": "2025", "outcome": "Wait halved"})
    public = client.get(f"/companies/{dummy_founder.organisation_id}")
    assert public.status_code == 200
    text = public.text
    assert "TriageFlow Test" in text and "<strong>triage</strong>" in text
    assert "<script>x()" not in text and "queueing" in text and "Ward pilot" in text
    assert text.count("<h1") == 1


def test_bad_profile_form_rerenders_with_422(client, login, dummy_founder):
    login(dummy_founder)
    response = client.post("/company/profile", data={"name": "", "sectors": ["space"]})
    assert response.status_code == 422


def test_portfolio_upload_is_content_checked(client, login, dummy_founder):
    login(dummy_founder)
    ok = client.post("/company/portfolio", data={"title": "Case study",
                                                 "file": upload(PDF, "case.pdf")},
                     content_type="multipart/form-data", follow_redirects=True)
    assert "Portfolio file uploaded" in ok.text
    bad = client.post("/company/portfolio", data={"title": "Tool",
                                                  "file": upload(EXE, "tool.pdf")},
                      content_type="multipart/form-data", follow_redirects=True)
    assert "not an accepted type" in bad.text
    item = db.session.scalar(select(PortfolioFile))
    download = client.get(f"/companies/{dummy_founder.organisation_id}/portfolio/{item.id}")
    assert download.data == PDF and download.headers["Content-Disposition"].startswith(
        "attachment")
    assert db.session.scalar(select(func.count()).select_from(PortfolioFile)) == 1


def test_edit_pages_need_a_founder(client, login, dummy_buyer):
    assert "/login" in client.get("/company/profile").location
    login(dummy_buyer)
    assert client.get("/company/profile").status_code == 403
    assert client.post("/company/track-record", data={}).status_code == 403


def test_public_profile_of_an_agency_is_404(client, dummy_agency):
    assert client.get(f"/companies/{dummy_agency.id}").status_code == 404
    assert client.get(f"/api/v1/companies/{dummy_agency.id}").status_code == 404
    assert client.get("/companies/999999").status_code == 404


def test_api_public_and_own_profile(client, dummy_founder, dummy_buyer, api_headers):
    auth = api_headers(dummy_founder)
    own = client.get("/api/v1/me/company", headers=auth)
    assert own.status_code == 200 and own.get_json()["id"] == dummy_founder.organisation_id
    response = client.patch("/api/v1/me/company", headers=auth, json={
        "headline": "AI triage", "sectors": ["health"], "capabilities": ["Triage", "triage"],
        "track_record": [{"title": "Pilot", "client": "Hospital", "year": 2025}],
    })
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["capabilities"] == ["triage"]
    public = client.get(f"/api/v1/companies/{dummy_founder.organisation_id}").get_json()
    assert public["headline"] == "AI triage" and public["track_record"][0]["year"] == 2025
    assert "updated_at" not in public and "bids" not in public
    bad = client.patch("/api/v1/me/company", headers=auth, json={"sectors": ["space"]})
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    unknown = client.patch("/api/v1/me/company", headers=auth, json={"verified": True})
    assert unknown.status_code == 422
    assert client.get("/api/v1/me/company", headers=api_headers(dummy_buyer)).status_code == 403
    assert client.get("/api/v1/me/company").status_code == 401


def test_demo_seed_is_idempotent():
    from marketplace.accounts import demo as accounts_demo
    from marketplace.bids import demo as bids_demo
    from marketplace.bids.models import Bid
    from marketplace.companies import demo as companies_demo

    accounts_demo.seed()
    assert bids_demo.seed() == []  # no scenarios yet: nothing to do
    assert companies_demo.seed()
    agency = factories.create_agency()
    factories.create_scenario(agency)
    assert bids_demo.seed()
    counts = (db.session.scalar(select(func.count()).select_from(CompanyProfile)),
              db.session.scalar(select(func.count()).select_from(Bid)))
    assert counts == (3, 3)
    assert companies_demo.seed() == [] and bids_demo.seed() == []
    bid = db.session.scalar(select(Bid))
    assert bid.versions and bid.versions[0].sha256 and len(bid.results) == 2


def test_profile_changes_send_profile_updated(dummy_founder):
    from marketplace.companies.signals import profile_updated

    seen = []

    def receiver(sender, **_kw):
        seen.append(sender)

    profile_updated.connect(receiver)
    try:
        profile = services.get_or_create_profile(dummy_founder.organisation)
        services.update_profile(profile, {"headline": "x"}, actor=dummy_founder)
        services.add_track_record(profile, {"title": "t", "client": "c", "year": 2024},
                                  actor=dummy_founder)
    finally:
        profile_updated.disconnect(receiver)
    assert seen == [profile, profile]


def test_own_public_profile_offers_edit_only_to_its_founder(client, login, dummy_founder):
    factories.create_profile(dummy_founder.organisation)
    path = f"/companies/{dummy_founder.organisation_id}"
    assert "Edit your profile" not in client.get(path).get_data(as_text=True)
    login(factories.create_founder())
    assert "Edit your profile" not in client.get(path).get_data(as_text=True)
    login(dummy_founder)
    assert 'href="/company/profile">Edit your profile' in client.get(path).get_data(as_text=True)
