"""Contract PDFs with WeasyPrint, fetching nothing but the project's own static files."""

from __future__ import annotations

import json
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app
from weasyprint import HTML, Attachment
from weasyprint.urls import URLFetcher, URLFetcherResponse

TEMPLATE = "contracts/contract.html"


class StaticOnlyFetcher(URLFetcher):
    """Serves `file:` URLs inside `static/` and `data:` URLs; refuses everything else.

    `requested` keeps every URL WeasyPrint asked for and `refused` those it did not get, so a
    test can prove that a contract fetched nothing from outside.
    """

    def __init__(self, static_dir: str | Path):
        super().__init__(timeout=5, allowed_protocols={"file", "data"}, allow_redirects=False)
        self.static_dir = Path(static_dir).resolve()
        self.requested: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        self.requested.append(url)
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = self._static_file(url)
            if path is not None:
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(
                    url, path.read_bytes(), headers={"Content-Type": content_type}
                )
        self.refused.append(url)
        raise ValueError(f"contracts fetch only the project's static files, not {url[:200]}")

    def _static_file(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        try:
            path = Path(unquote(parts.path)).resolve()
        except (OSError, ValueError):
            return None
        if not path.is_relative_to(self.static_dir) or not path.is_file():
            return None
        return path


def static_dir() -> Path:
    return Path(current_app.static_folder)


def make_fetcher() -> StaticOnlyFetcher:
    return StaticOnlyFetcher(static_dir())


def contract_html(terms: dict, *, signatures: list[dict] | None = None) -> str:
    """The print HTML of a contract from its terms snapshot (and, when final, signatures)."""
    # the bare Jinja environment: no request, no context processors, autoescaping on
    template = current_app.jinja_env.get_template(TEMPLATE)
    return template.render(terms=terms, signatures=signatures or [])


@dataclass
class RenderedPdf:
    data: bytes
    pages: int


def render_pdf(html: str, *, attachment: dict | None = None,
               fetcher: StaticOnlyFetcher | None = None) -> RenderedPdf:
    """HTML to PDF. With `attachment`, a PDF/A-3b file with that data as `contract.json`."""
    fetcher = fetcher or make_fetcher()
    base_url = static_dir().as_uri() + "/"
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render()
    options = {}
    if attachment is not None:
        payload = json.dumps(attachment, sort_keys=True, indent=2, ensure_ascii=False)
        options = {
            "pdf_variant": "pdf/a-3b",
            # an Attachment serves one render only: a fresh one every time
            "attachments": [Attachment(string=payload, name="contract.json",
                                       relationship="Data", url_fetcher=fetcher,
                                       description="The contract's data")],
        }
    return RenderedPdf(data=document.write_pdf(**options), pages=len(document.pages))
