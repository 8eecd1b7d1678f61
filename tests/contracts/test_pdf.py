"""The generated PDF: its content, page numbering, stored hash and what it may fetch."""

import hashlib
import re
from pathlib import Path

import pytest

from marketplace.contracts import pdf, rendering
from marketplace.contracts.pdf import StaticOnlyFetcher
from marketplace.extensions import db
from tests import factories
from tests.contracts.conftest import pdf_text, stored


@pytest.fixture
def contract():
    return factories.create_contract()


def test_pdf_text_has_parties_price_kpis_and_milestones(contract):
    version = contract.current_version
    text = " ".join(pdf_text(stored(version.storage_key)).split())
    assert contract.agency.name in text
    assert contract.company.name in text
    assert contract.agency.registration_number in text
    assert contract.company.registration_number in text
    assert "250,000.00 CNY" in text
    assert "two hundred fifty thousand yuan and 00/100" in text
    for kpi in contract.scenario.kpis:
        assert kpi.name in text
    assert "Median wait to triage minutes 45 15" in text
    assert "Correct urgency level % 80 95" in text
    for milestone in contract.milestones:
        assert milestone.name in text
        assert milestone.due_date.isoformat() in text
    assert "100,000.00" in text and "150,000.00" in text
    assert contract.number in text
    for clause in ("Intellectual property", "Data protection", "Confidentiality",
                   "Acceptance of milestones", "Termination", "Liability"):
        assert clause in text
    assert "Annex A" in text and "Two-week pilot at a district hospital" in text


def test_every_page_says_page_x_of_y(contract):
    version = contract.current_version
    pages = pdf_text(stored(version.storage_key)).split("\f")
    pages = [p for p in pages if p.strip()]
    assert version.pages >= 3
    assert len(pages) == version.pages
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {version.pages}" in page
        assert f"Contract {contract.number}" in page  # the running header


def test_long_contract_numbers_pages_right():
    scenario = factories.create_scenario(
        state="awarded", deadline=factories_now_minus_days(5),
        problem="\n\n".join(f"Paragraph {i}: " + "the queue is long. " * 40 for i in range(12)),
    )
    award = factories.create_award(scenario=scenario)
    contract = factories.create_contract(award)
    version = contract.current_version
    pages = [p for p in pdf_text(stored(version.storage_key)).split("\f") if p.strip()]
    assert version.pages >= 5 and len(pages) == version.pages
    assert all(f"Page {n} of {version.pages}" in p for n, p in enumerate(pages, start=1))


def factories_now_minus_days(days):
    import datetime as dt

    from marketplace.core.time import utcnow

    return utcnow() - dt.timedelta(days=days)


def test_stored_sha256_matches_the_file(contract):
    version = contract.current_version
    data = stored(version.storage_key)
    assert hashlib.sha256(data).hexdigest() == version.sha256
    assert version.size == len(data) and data.startswith(b"%PDF-")


def test_fonts_are_embedded(contract):
    import subprocess

    from marketplace.core.files import storage_path

    path = Path(storage_path(contract.current_version.storage_key))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts)
    assert any("DejaVu" in line for line in fonts)


HOSTILE_TITLE = ('<img src="file:///etc/passwd"><style>body{background:url(file:///etc/passwd)}'
                 '</style>Evil & co')


def test_html_and_css_in_fields_are_text_and_fetch_nothing(monkeypatch):
    fetchers = []

    def recording_fetcher():
        fetcher = StaticOnlyFetcher(pdf.static_dir())
        fetchers.append(fetcher)
        return fetcher

    monkeypatch.setattr(pdf, "make_fetcher", recording_fetcher)
    scenario = factories.create_scenario(
        state="awarded", deadline=factories_now_minus_days(5), title=HOSTILE_TITLE,
        summary="url(file:///etc/passwd) <link rel=stylesheet href=http://example.com/x.css>",
        problem="![x](file:///etc/passwd) <img src=http://example.com/p.png> [a](file:///etc/x)",
    )
    contract = factories.create_contract(factories.create_award(scenario=scenario))
    text = "".join(pdf_text(stored(contract.current_version.storage_key)).split())
    assert '<imgsrc="file:///etc/passwd">' in text  # shown as text, not an image
    assert "<style>body{background:url(file:///etc/passwd)}</style>Evil&co" in text
    assert "<imgsrc=http://example.com/p.png>" in text
    assert "root:x:0:0" not in text
    static = pdf.static_dir().as_uri()
    assert fetchers
    for fetcher in fetchers:
        outside = [u for u in fetcher.requested
                   if not (u.startswith("data:") or u.startswith(static + "/"))]
        assert outside == [], outside


def test_fetcher_serves_static_files_and_data_urls_only(app):
    fetcher = StaticOnlyFetcher(pdf.static_dir())
    css = (pdf.static_dir() / "css" / "app.css").as_uri()
    assert fetcher.fetch(css).read()
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    escape = pdf.static_dir().as_uri() + "/../marketplace/config.py"
    for url in ("file:///etc/passwd", "http://example.com/x.css", "https://example.com/",
                escape, "ftp://example.com/x", "file://evil.example/etc/passwd"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 6


def test_a_raw_reference_in_html_is_refused_by_the_fetcher(app):
    fetcher = StaticOnlyFetcher(pdf.static_dir())
    html = ('<p>x</p><img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">'
            '<div style="background:url(file:///etc/hostname)">y</div>')
    rendered = pdf.render_pdf(html, fetcher=fetcher)
    assert rendered.data.startswith(b"%PDF-")
    assert set(fetcher.refused) == {"file:///etc/passwd", "http://127.0.0.1:9/x.png",
                                    "file:///etc/hostname"}


def test_same_terms_render_once(contract, monkeypatch):
    """A version whose terms hash equals a rendered one reuses that PDF."""
    from marketplace.contracts.models import ContractVersion

    version = contract.current_version
    twin = ContractVersion(contract=contract, number=99, terms=version.terms,
                           content_sha256=version.content_sha256, reason="test")
    db.session.add(twin)
    db.session.commit()
    monkeypatch.setattr(pdf, "render_pdf", lambda *a, **k: pytest.fail("rendered again"))
    rendering.render_version(twin)
    assert twin.sha256 == version.sha256 and twin.storage_key == version.storage_key


def test_a_version_is_never_rendered_again(contract, monkeypatch):
    monkeypatch.setattr(pdf, "render_pdf", lambda *a, **k: pytest.fail("rendered again"))
    sha = contract.current_version.sha256
    rendering.render_version(contract.current_version)
    rendering.render_pending(contract)
    assert contract.current_version.sha256 == sha


def test_contract_number_format(contract):
    assert re.fullmatch(r"CTR-\d{4}-\d{5}", contract.number)
