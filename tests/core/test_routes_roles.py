"""Every page of accounts and admin x role: anonymous -> log-in page, wrong role -> 403."""

import pytest

from tests import factories

ROLES = ("admin", "buyer", "evaluator", "founder")
EVERYONE = set(ROLES)

# (method, path, roles allowed; None = public)
ROUTES = [
    ("GET", "/", None),
    ("GET", "/login", None),
    ("GET", "/signup", None),
    ("GET", "/signup/company", None),
    ("GET", "/signup/agency", None),
    ("GET", "/forgot-password", None),
    ("GET", "/account", EVERYONE),
    ("GET", "/agency/staff", {"buyer"}),
    ("POST", "/agency/staff/invite", {"buyer"}),
    ("POST", "/agency/staff/{user}/buyer", {"buyer"}),
    ("GET", "/admin/", {"admin"}),
    ("GET", "/admin/organisations", {"admin"}),
    ("GET", "/admin/domains", {"admin"}),
    ("POST", "/admin/domains", {"admin"}),
    ("POST", "/admin/domains/1/remove", {"admin"}),
    ("POST", "/admin/organisations/{org}/verify", {"admin"}),
    ("GET", "/admin/users", {"admin"}),
    ("POST", "/admin/users/{user}/active", {"admin"}),
]
ALLOWED_STATUS = {"GET": {200}, "POST": {200, 302, 404, 422}}


@pytest.fixture
def people(dummy_agency):
    return {
        "admin": factories.create_admin(),
        "buyer": factories.create_buyer(agency=dummy_agency),
        "evaluator": factories.create_evaluator(agency=dummy_agency),
        "founder": factories.create_founder(),
    }


def _path(template, people):
    return template.format(user=people["evaluator"].id, org=people["founder"].organisation_id)


@pytest.mark.parametrize("method,template,roles", ROUTES)
def test_anonymous(client, people, method, template, roles):
    response = client.open(_path(template, people), method=method)
    if roles is None:
        assert response.status_code == 200
        assert response.get_data(as_text=True).count("<h1") == 1
    else:
        assert response.status_code == 302
        assert "/login?next=" in response.headers["Location"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method,template,roles", [r for r in ROUTES if r[2] is not None])
def test_each_role(client, login, people, role, method, template, roles):
    login(people[role])
    response = client.open(_path(template, people), method=method)
    if role in roles:
        assert response.status_code in ALLOWED_STATUS[method], response.status_code
        if method == "GET":
            assert response.get_data(as_text=True).count("<h1") == 1
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_signed_in_users_skip_sign_up_and_log_in(client, login, people, role):
    login(people[role])
    for path in ["/signup", "/signup/company", "/signup/agency", "/login"]:
        assert client.get(path).status_code == 302


@pytest.mark.parametrize("role,links", [
    ("admin", ["/admin/"]),
    ("buyer", ["/agency/staff"]),
])
def test_home_page_links_by_role(client, login, people, role, links):
    login(people[role])
    page = client.get("/").get_data(as_text=True)
    for link in links:
        assert f'href="{link}"' in page


def test_home_page_for_visitors_offers_sign_up(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/signup/company"' in page and 'href="/signup/agency"' in page
    assert page.count("<h1") == 1
