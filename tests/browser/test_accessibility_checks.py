"""The accessibility checker itself catches what it must (so a green journey means something)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser.accessibility import assert_accessible, axe_path

pytestmark = pytest.mark.browser

BAD = """<!doctype html><html><head><title>t</title></head><body>
<h1>One</h1><h1>Two</h1><form><input name="q"></form><img src="x.png"></body></html>"""
AXE_ONLY = """<!doctype html><html lang="en"><head><title>t</title></head><body><main>
<h1>Contrast</h1><p class="x" style="color:#bbb;background:#fff">low contrast text</p>
<ul><div>not a list item</div></ul></main></body></html>"""


@pytest.fixture
def blank(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_playwright_checks_catch_missing_labels_h1_lang_and_alt(blank):
    blank.goto("data:text/html," + quote(BAD))
    with pytest.raises(AssertionError) as caught:
        assert_accessible(blank, axe=False)
    message = str(caught.value)
    for problem in ("no lang", "2 <h1>", "unlabelled input", "img without alt"):
        assert problem in message


def test_axe_catches_what_the_playwright_checks_do_not(blank):
    if axe_path() is None:
        pytest.skip("axe-core is not installed (scripts/system-deps.sh --browser)")
    blank.goto("data:text/html," + quote(AXE_ONLY))
    assert_accessible(blank, axe=False)
    with pytest.raises(AssertionError, match="axe-core found"):
        assert_accessible(blank)
