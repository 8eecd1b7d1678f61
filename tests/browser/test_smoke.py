"""Short journeys on what every branch has: log in, see the home page, log out; API docs."""

from __future__ import annotations

import os
import re

import pytest

from tests.browser.accessibility import assert_accessible
from tests.browser.server import live_server

pytestmark = pytest.mark.browser
try:
    from playwright.sync_api import expect
except ImportError:  # locally optional; in CI the browser tests must run
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("playwright is not installed", allow_module_level=True)


def test_founder_logs_in_sees_home_and_logs_out(new_page):
    with live_server("founder") as (server, founder):
        page = new_page(server)
        page.goto("/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)

        page.get_by_role("link", name="Log in").first.click()
        expect(page).to_have_url(re.compile(r"/login"))
        assert_accessible(page)
        page.get_by_label("E-mail").fill(founder["email"])
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("alert")).to_contain_text("Wrong e-mail or password")
        expect(page.get_by_label("E-mail")).to_have_value(founder["email"])
        assert_accessible(page, axe=False)  # the same page as above, with a message

        page.get_by_label("E-mail").fill(founder["email"])
        page.get_by_label("Password").fill(founder["password"])
        page.get_by_role("button", name="Log in").click()

        expect(page).to_have_url(server.url + "/")
        expect(page.get_by_role("alert")).to_contain_text(f"Welcome, {founder['name']}")
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        assert_accessible(page)

        page.get_by_role("button", name="Log out").click()
        expect(page.get_by_role("alert")).to_contain_text("You have logged out")
        expect(page.get_by_role("link", name="Log in").first).to_be_visible()


def test_api_documentation_renders(new_page):
    with live_server() as (server, _):
        page = new_page(server)
        page.goto("/")
        page.get_by_role("link", name="API").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Scenario Marketplace API")
        expect(page.get_by_text("/api/v1/me", exact=True)).to_be_visible()
        assert_accessible(page)
        response = page.request.get("/api/v1/openapi.json")
        assert response.ok and "/api/v1/tokens" in response.json()["paths"]
