"""THE FULL JOURNEY of issue 9, in a real browser, from a clean database:

  an agency buyer posts and publishes a scenario; a founder signs up, finds it by search, asks
  a question, bids with pilot results and an evidence file, and gets a receipt; the deadline
  passes; two evaluators declare and score; the chair moderates; the buyer awards; standstill
  passes; both parties sign; the contract PDF downloads and its text is checked.

HOW IT IS BUILT (and how to extend it). Each step names the blueprints it needs; when one of
them is not registered yet, the journey stops there with `pytest.skip` (never a step whose
blueprints exist: then the step must pass, in CI too). Steps navigate as a person would, by
link and button texts and form labels in the users' words, so when a page's words change,
change them HERE (one place per step). Every page visited is checked for accessibility once
(`Journey.seen`). The clock cannot be moved inside gunicorn: "the deadline passes" and
"standstill passes" move the scenario's dates in a separate process (tests/browser/seeds.py).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.browser.accessibility import assert_accessible
from tests.browser.server import live_server, run_seed

pytestmark = pytest.mark.browser
try:
    from playwright.sync_api import expect
except ImportError:  # locally optional; in CI the browser tests must run
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("playwright is not installed", allow_module_level=True)

TITLE = "Cut waiting time at the Futian triage desk"
FOUNDER = {"name": "Li Na", "email": "li.na@pilotlab.example", "password": "a-long-pass-phrase",
           "company": "PilotLab Triage", "registration": "91440300MA5TEST01"}
PRICE = "180000"


@dataclass
class Journey:
    app: object
    page: object
    server: object
    cast: dict
    seen: set = field(default_factory=set)
    reference: str | None = None

    def needs(self, *blueprints: str) -> None:
        missing = [b for b in blueprints if b not in self.app.blueprints]
        if missing:
            pytest.skip(f"the journey stops here: blueprint(s) {', '.join(missing)} not "
                        "registered yet")

    def check(self) -> None:
        """Accessibility of the current page, once per path."""
        self.page.wait_for_load_state()
        path = re.sub(r"\d+", "N", self.page.url.split("?")[0])
        if path not in self.seen:
            self.seen.add(path)
            assert_accessible(self.page)

    def click(self, name: str, role: str = "link") -> None:
        self.page.get_by_role(role, name=name).first.click()
        self.check()

    def press(self, name: str) -> None:
        self.click(name, role="button")

    def fill(self, values: dict[str, str]) -> None:
        for label, value in values.items():
            field_ = self.page.get_by_label(label, exact=False).first
            tag = field_.evaluate("el => el.tagName.toLowerCase() + ':' + (el.type || '')")
            if tag.startswith("select"):
                field_.select_option(label=value)
            elif tag in ("input:checkbox", "input:radio"):
                field_.check()
            elif tag == "input:file":
                field_.set_input_files(value)
            else:
                field_.fill(value)

    def log_in(self, person: dict) -> None:
        page = self.page
        if page.get_by_role("button", name="Log out").count():
            page.get_by_role("button", name="Log out").click()
        page.goto("/login")
        self.fill({"E-mail": person["email"], "Password": person["password"]})
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("alert").first).to_contain_text("Welcome")
        self.check()

    def flash(self, text: str) -> None:
        expect(self.page.get_by_role("alert").first).to_contain_text(text)


def local(minutes: int) -> str:
    """A datetime-local value `minutes` from now (the agency's zone is the default zone)."""
    from zoneinfo import ZoneInfo

    moment = dt.datetime.now(ZoneInfo("Asia/Shanghai")) + dt.timedelta(minutes=minutes)
    return moment.strftime("%Y-%m-%dT%H:%M")


# --- the steps, in order -----------------------------------------------------------------------

def buyer_posts_and_publishes_a_scenario(j: Journey) -> None:
    j.needs("scenarios")
    j.log_in(j.cast["buyer"])
    j.click("My agency")
    j.click("New scenario")
    j.fill({"Title": TITLE, "Summary": "Patients wait 45 minutes before triage.",
            "Problem": "The triage desk is a **bottleneck** at peak hours.",
            "Sector": "Health", "Region": "Shenzhen", "Minimum budget": "100000",
            "Maximum budget": "300000", "Pilot duration": "60",
            "KPI name (row 1)": "Median wait to triage", "Unit (row 1)": "minutes",
            "Baseline (row 1)": "45", "Target (row 1)": "15", "Better when (row 1)": "lower",
            "Questions deadline": local(60 * 24 * 5), "Bid deadline": local(60 * 24 * 7)})
    j.press("Save the draft")
    j.flash("saved")
    j.press("Publish")
    j.flash("published")
    j.reference = re.search(r"SCN-\d{4}-\d+", j.page.content()).group(0)


def founder_signs_up(j: Journey) -> None:
    j.needs("accounts")
    if "accounts.signup" not in j.app.view_functions:
        pytest.skip("the journey stops here: no sign-up page (accounts.signup) yet")
    j.page.get_by_role("button", name="Log out").click()
    j.click("Sign up")
    j.click("Sign up my company")
    j.fill({"Company name": FOUNDER["company"], "Registration number": FOUNDER["registration"],
            "Your name": FOUNDER["name"], "E-mail": FOUNDER["email"],
            "Password": FOUNDER["password"], "Repeat the password": FOUNDER["password"]})
    j.press("Sign up")
    j.flash("Welcome")
    # the founder opens the confirmation e-mail (its links use the server's base URL)
    j.page.goto(run_seed(j.server, "confirmation_link", email=FOUNDER["email"])["link"])
    j.flash("is confirmed")


def founder_finds_it_by_search(j: Journey) -> None:
    """By the search box of the scenario list (/scenarios?q=); the list alone without search."""
    j.click("Scenarios")
    if "search" in j.app.blueprints:
        j.page.get_by_role("searchbox").first.fill("triage Futian")
        j.page.keyboard.press("Enter")
        j.page.wait_for_url("**q=*")
        j.check()
    j.click(TITLE)
    expect(j.page.get_by_role("heading", level=1)).to_contain_text(TITLE)


def founder_asks_a_question(j: Journey) -> None:
    j.needs("scenarios")
    j.fill({"Your question": "Can we use anonymised triage logs from last year?"})
    j.press("Ask")
    j.flash("question")


def founder_bids_with_pilot_results_and_evidence(j: Journey, tmp: Path) -> None:
    j.needs("bids", "companies")
    evidence = tmp / "pilot-report.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% pilot report of PilotLab Triage\n")
    j.click("Start a bid")
    j.press("Start a draft bid")
    j.fill({"Price": PRICE, "Approach": "A queue model with an LLM intake assistant.",
            "Milestone": "Pilot", "Duration (days)": "60", "Share of the price (%)": "100",
            "Measured value": "18", "Conditions": "Two-week pilot, Luohu hospital",
            "Method": "Time stamps from the queue system"})
    j.press("Save draft")
    j.flash("saved")
    j.fill({"Evidence for Median wait to triage": str(evidence)})
    j.press("Upload")
    j.flash("uploaded")
    j.fill({"no conflict": "yes", "scenario's terms": "yes"})
    j.press("Save and submit")
    j.flash("submitted")
    expect(j.page.get_by_text(re.compile(r"^[0-9a-f]{64}$")).first).to_be_visible()  # receipt


def the_deadline_passes(j: Journey) -> None:
    run_seed(j.server, "pass_bid_deadline", reference=j.reference)


def buyer_appoints_the_panel(j: Journey) -> None:
    j.needs("evaluation")
    j.log_in(j.cast["buyer"])
    j.click("My panels")
    j.click(re.compile("^Panel$"))
    j.fill({"Chair": j.cast["chair"]["name"],
            "Evaluators from the agency's staff": j.cast["evaluator"]["name"]})
    j.press("Save the panel")
    j.flash("panel is saved")


def evaluators_declare_and_score(j: Journey) -> None:
    j.needs("evaluation")
    # far apart on the approach, so that the chair has something to moderate
    for person, approach in ((j.cast["chair"], "8"), (j.cast["evaluator"], "3")):
        j.log_in(person)
        j.click("My panels")
        j.click("Sign the declaration")
        j.fill({"No, I have no conflict of interest": "yes"})
        j.press("Sign the declaration")
        j.flash("declaration is signed")
        j.click(re.compile("^Score Bid"))
        for criterion, score in (("Pilot results", "7"), ("Approach", approach),
                                 ("Track record", "6")):
            group = j.page.get_by_role("group", name=re.compile("^" + criterion))
            field_ = group.get_by_label("Score (0 to 10)")
            if not field_.input_value():  # keep the score suggested from the pilot results
                field_.fill(score)
            group.get_by_label("Comment").fill(f"{criterion}: checked against the evidence.")
        j.press("Save my scores")
        j.flash("scores are saved")


def chair_moderates(j: Journey) -> None:
    j.needs("evaluation")
    j.log_in(j.cast["chair"])
    j.click("My panels")
    j.click("Score the bids")
    j.click("Moderation")
    j.fill({"Moderated score": "6", "Justification": "The approach is sound but unproven."})
    j.press("Record the moderated score")
    j.flash("moderated score is recorded")
    j.press("Lock the scores")
    j.flash("locked")


def buyer_awards(j: Journey) -> None:
    j.needs("evaluation")
    j.log_in(j.cast["buyer"])
    j.click("My panels")
    j.click(re.compile("^Award$"))
    j.fill({"Justification": "Best pilot results at a fair price."})
    j.press(re.compile("^Award$"))
    j.flash("awarded")


def standstill_passes(j: Journey) -> None:
    run_seed(j.server, "end_standstill", reference=j.reference)


def buyer_generates_the_contract(j: Journey) -> None:
    j.needs("contracts")
    j.log_in(j.cast["buyer"])
    j.click("My panels")
    j.click(re.compile("^Award$"))
    j.click("Generate the contract")
    j.fill({"Signatory's title": "Director"})
    j.press("Generate the contract")
    j.flash("generated")


def both_parties_sign(j: Journey) -> None:
    j.needs("contracts")
    for person in (j.cast["buyer"], FOUNDER):
        j.log_in(person)
        j.click("Contracts")
        j.click(TITLE)
        j.click("Review and sign")
        j.fill({"Type your full name": person["name"], "Your password": person["password"],
                "I have read this version": "yes"})
        j.press("Sign the contract")
        j.flash("signed")


def _contract_pdf_downloads(j: Journey) -> None:
    j.needs("contracts")
    from pypdf import PdfReader

    link = j.page.get_by_role("link", name="Download").first  # the signed PDF
    response = j.page.context.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.body())).pages)
    text = " ".join(text.split())  # lines wrap anywhere in a PDF
    for expected in (TITLE, FOUNDER["company"], "Shenzhen Health Commission", "180,000"):
        assert expected in text, f"{expected!r} is not in the contract's text:\n{text}"


STEPS = [
    buyer_posts_and_publishes_a_scenario, founder_signs_up, founder_finds_it_by_search,
    founder_asks_a_question, founder_bids_with_pilot_results_and_evidence, the_deadline_passes,
    buyer_appoints_the_panel, evaluators_declare_and_score, chair_moderates, buyer_awards,
    standstill_passes, buyer_generates_the_contract, both_parties_sign, _contract_pdf_downloads,
]


def test_from_scenario_to_signed_contract(app, new_page, tmp_path):
    if "scenarios" not in app.blueprints:  # do not start a server for nothing
        pytest.skip("the journey stops at its first step: blueprint scenarios not registered")
    with live_server("journey_cast") as (server, cast):
        journey = Journey(app=app, page=new_page(server), server=server, cast=cast)
        for step in STEPS:
            if "tmp" in step.__code__.co_varnames[:step.__code__.co_argcount]:
                step(journey, tmp_path)
            else:
                step(journey)
