"""Pages are accessible: every visible input has a label; one h1; no inline script or style."""

from html.parser import HTMLParser

import pytest

from tests import factories


class _Form(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs, self.labels, self.inline = [], set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        visible = attrs.get("type") not in ("hidden", "submit", "button")
        if tag in ("input", "select", "textarea") and visible:
            self.inputs.append(attrs)
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        if "style" in attrs or (tag == "script" and "src" not in attrs):
            self.inline.append((tag, attrs))


def _check(html):
    parser = _Form()
    parser.feed(html)
    unlabelled = [i for i in parser.inputs
                  if i.get("id") not in parser.labels and not i.get("aria-label")]
    assert not unlabelled
    assert not parser.inline
    assert html.count("<h1") == 1


PAGES = {
    None: ["/", "/login", "/signup", "/signup/company", "/signup/agency", "/forgot-password"],
    "buyer": ["/account", "/agency/staff"],
    "admin": ["/admin/", "/admin/organisations", "/admin/domains", "/admin/users"],
}


@pytest.mark.parametrize("role,path", [(r, p) for r, paths in PAGES.items() for p in paths])
def test_page_is_accessible(client, login, dummy_agency, role, path):
    if role == "buyer":
        login(factories.create_buyer(agency=dummy_agency))
        factories.create_evaluator(agency=dummy_agency)
    elif role == "admin":
        login(factories.create_admin())
        factories.create_company(verified=False)
    response = client.get(path)
    assert response.status_code == 200
    _check(response.get_data(as_text=True))


def test_form_with_errors_is_accessible(client):
    response = client.post("/signup/company", data={"email": "bad"})
    assert response.status_code == 422
    _check(response.get_data(as_text=True))


def test_new_token_page_is_accessible(client, login, dummy_founder):
    login(dummy_founder)
    response = client.post("/account/tokens", data={"name": "x"})
    _check(response.get_data(as_text=True))
