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


def _generation(version_id: int) -> tuple[tuple[float, float], int, int]:
    from sqlalchemy import update

    from marketplace.contracts.models import ContractVersion
    from marketplace.contracts.rendering import render_version
    from marketplace.extensions import db

    db.session.execute(update(ContractVersion).where(ContractVersion.id == version_id)
                       .values(sha256=None, storage_key=None))
    db.session.commit()
    db.session.expire_all()
    start, cpu = time.perf_counter(), time.process_time()
    version = render_version(db.session.get(ContractVersion, version_id), use_cache=False)
    elapsed = (time.perf_counter() - start, time.process_time() - cpu)
    return elapsed, version.size, version.pages


def _weasyprint_alone(html: str) -> tuple[float, float]:
    from weasyprint import HTML

    from marketplace.contracts import pdf

    start, cpu = time.perf_counter(), time.process_time()
    HTML(string=html, base_url=pdf.static_dir().as_uri() + "/",
         url_fetcher=pdf.make_fetcher()).write_pdf()
    return time.perf_counter() - start, time.process_time() - cpu


def _final(version_id: int) -> float:
    """The signed copy: PDF/A-3b with contract.json attached, then the PAdES seal."""
    from marketplace.contracts import pdf, seal
    from marketplace.contracts.models import ContractVersion
    from marketplace.extensions import db

    terms = db.session.get(ContractVersion, version_id).terms
    html = pdf.contract_html(terms, signatures=[
        {"party": p, "name": "Bench Signer", "role": r, "signed_at": "2026-01-01 00:00:00",
         "sha256": "0" * 64} for p, r in (("agency", "buyer"), ("company", "founder"))])
    start = time.perf_counter()
    seal.seal_pdf(pdf.render_pdf(html, attachment={"terms": terms}).data)
    return time.perf_counter() - start


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--final-runs", type=int, default=5,
                        help="runs of the sealed PDF/A-3b (0 to skip)")
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
            finals = []
            if args.final_runs:
                from marketplace.contracts import seal

                seal.init_signing_key(*seal.key_paths(), common_name="bench")
                _final(version_id)
                finals = [_final(version_id) for _ in range(args.final_runs)]
    print(f"runs: {args.runs}, pages: {pages}, PDF size: {size:,} bytes")
    for label, index in (("wall clock", 0), ("CPU time (steadier on a busy machine)", 1)):
        generation = statistics.median(run[index] for run in whole)
        weasy = statistics.median(run[index] for run in alone)
        print(f"{label}: whole generation (database to stored PDF) median "
              f"{generation * 1000:.1f} ms; WeasyPrint write_pdf alone on the same HTML "
              f"{weasy * 1000:.1f} ms; overhead {(generation / weasy - 1) * 100:+.1f}% "
              "(target: at most +10%)")
    if finals:
        print(f"signed copy (PDF/A-3b + contract.json + PAdES seal), median of {len(finals)}: "
              f"{statistics.median(finals) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
