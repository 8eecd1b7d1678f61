"""Contract generation vs WeasyPrint alone: `python -m bench.contracts [--runs 20]`.

Renders the demo contract `runs` times and reports the median of the whole generation (version
loaded from the database, HTML from its terms, PDF, SHA-256, stored file, row updated and
committed) next to the median of WeasyPrint's `write_pdf` alone on the same HTML, and the PDF's
size. Runs are interleaved so that a busy machine slows both alike. A throw-away SQLite
database and storage folder are used.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path


def _app(base: Path):
    from marketplace import create_app

    return create_app({
        "ENV_NAME": "development", "SECRET_KEY": "bench", "TESTING": False,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{base / 'bench.db'}",
        "MARKETPLACE_STORAGE_DIR": str(base / "files"),
        "MARKETPLACE_INDEX_DIR": str(base / "index"),
        "MARKETPLACE_SIGNING_KEY": str(base / "signing" / "key.pem"),
        "MARKETPLACE_SIGNING_CERT": str(base / "signing" / "cert.pem"),
    })


def _demo_version_id() -> int:
    from marketplace.accounts import demo as accounts_demo
    from marketplace.accounts.models import Role
    from marketplace.contracts import demo, services
    from marketplace.extensions import db

    accounts_demo.seed()
    agency, company = demo._parties()
    award = demo.build_demo_award(agency, company)
    contract = services.generate_contract(award, {}, actor=demo._user(agency, Role.BUYER))
    db.session.commit()
    return contract.current_version.id


def _generation(version_id: int) -> tuple[float, int, int]:
    from sqlalchemy import update

    from marketplace.contracts.models import ContractVersion
    from marketplace.contracts.rendering import render_version
    from marketplace.extensions import db

    db.session.execute(update(ContractVersion).where(ContractVersion.id == version_id)
                       .values(sha256=None, storage_key=None))
    db.session.commit()
    db.session.expire_all()
    start = time.perf_counter()
    version = render_version(db.session.get(ContractVersion, version_id), use_cache=False)
    elapsed = time.perf_counter() - start
    return elapsed, version.size, version.pages


def _weasyprint_alone(html: str) -> float:
    from weasyprint import HTML

    from marketplace.contracts import pdf

    start = time.perf_counter()
    HTML(string=html, base_url=pdf.static_dir().as_uri() + "/",
         url_fetcher=pdf.make_fetcher()).write_pdf()
    return time.perf_counter() - start


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    import logging

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    from marketplace.contracts import pdf
    from marketplace.contracts.models import ContractVersion
    from marketplace.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        app = _app(Path(tmp))
        logging.getLogger().setLevel(logging.WARNING)
        with app.app_context():
            db.create_all()
            version_id = _demo_version_id()
            html = pdf.contract_html(db.session.get(ContractVersion, version_id).terms)
            _generation(version_id), _weasyprint_alone(html)  # warm up both
            whole, alone = [], []
            size = pages = 0
            for _ in range(args.runs):
                elapsed, size, pages = _generation(version_id)
                whole.append(elapsed)
                alone.append(_weasyprint_alone(html))
    generation, weasy = statistics.median(whole), statistics.median(alone)
    print(f"runs: {args.runs}, pages: {pages}, PDF size: {size:,} bytes")
    print(f"whole generation (database to stored PDF), median: {generation * 1000:.1f} ms")
    print(f"WeasyPrint write_pdf alone on the same HTML, median: {weasy * 1000:.1f} ms")
    print(f"overhead: {(generation / weasy - 1) * 100:+.1f}% (target: at most +10%)")


if __name__ == "__main__":
    main()
