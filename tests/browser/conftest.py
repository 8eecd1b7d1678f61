"""Browser fixtures: Debian's Chromium through Playwright, a page per test with screenshots
on failure (into test-artifacts/), and a failing test for any CSP violation or JS error.

Locally a missing Chromium or Playwright skips the browser tests; with CI=true it fails."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.browser.accessibility import require_axe_in_ci

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
IN_CI = os.environ.get("CI") == "true"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if Path(item.fspath).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


# package scope: Playwright's sync API keeps an event loop running in the main thread while it
# is open, and code under test that calls asyncio.run() (pyHanko's seal) fails until it stops
@pytest.fixture(scope="package")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    if not os.path.exists(CHROMIUM):
        _unavailable(f"no Chromium at {CHROMIUM} (scripts/system-deps.sh --browser)")
    require_axe_in_ci()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, request):
    """`new_page(server)`: a page in a fresh context on the live server. On failure a
    screenshot, the page's HTML and the server's log go to test-artifacts/."""
    opened = []

    def _new_page(server):
        context = browser.new_context(base_url=server.url, locale="en-GB",
                                      viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.problems = []
        page.on("console", lambda msg: _console(page, msg))
        page.on("response", lambda response: _response(page, response))
        page.on("pageerror", lambda exc: page.problems.append(f"JavaScript error: {exc}"))
        page.on("dialog", lambda dialog: _dialog(page, dialog))
        opened.append((context, page, server))
        return page

    yield _new_page
    failed = getattr(request.node, "report_call", None)
    failed = failed is not None and failed.failed
    for n, (context, page, server) in enumerate(opened):
        if failed:
            _save_artifacts(request.node.nodeid, n, page, server)
        problems = list(page.problems)
        context.close()
        if problems and not failed:
            pytest.fail("the browser reported:\n  " + "\n  ".join(problems))


def _console(page, message) -> None:
    text = message.text
    if text.startswith("Failed to load resource"):
        return  # reported with its URL by `_response`
    if message.type == "error" or "Content Security Policy" in text:
        page.problems.append(f"console {message.type}: {text}")


def _dialog(page, dialog) -> None:
    # the app opens no dialogs: one means injected script ran (XSS)
    page.problems.append(f"a {dialog.type} dialog opened: {dialog.message!r}")
    dialog.dismiss()


def _response(page, response) -> None:
    # a missing asset is a bug; a page's own 4xx is the journey's business, and browsers ask
    # for /favicon.ico whether or not a page links one
    if (response.status >= 400 and response.request.resource_type != "document"
            and not response.url.endswith("/favicon.ico")):
        page.problems.append(f"{response.status} for {response.request.resource_type} "
                             f"{response.url}")


def _save_artifacts(nodeid: str, n: int, page, server) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid) + (f"-{n}" if n else "")
    try:
        page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
        (ARTIFACTS / f"{stem}.html").write_text(page.content())
    except Exception as exc:  # the page may be gone; the log still helps
        (ARTIFACTS / f"{stem}.error.txt").write_text(repr(exc))
    (ARTIFACTS / f"{stem}.server.log").write_text(server.log_tail(400))
