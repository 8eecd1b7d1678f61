"""PDF work that runs after the request's transaction has committed.

Views and API resources commit first, then call `render_pending(contract)`: a render holds no
database transaction open, a failure loses nothing (the version stays unrendered) and
`flask contracts render-pending` redoes it. PDFs are cached by the content hash of their
terms: the same terms never render twice.
"""

from __future__ import annotations

import logging

from sqlalchemy import select, update

from marketplace.contracts import pdf, seal
from marketplace.contracts.models import Contract, ContractVersion
from marketplace.contracts.states import ContractState
from marketplace.core.files import storage_path, write_bytes
from marketplace.core.time import isoformat, utcnow
from marketplace.extensions import db

log = logging.getLogger(__name__)


def _cached(version: ContractVersion) -> ContractVersion | None:
    return db.session.scalar(
        select(ContractVersion).where(
            ContractVersion.content_sha256 == version.content_sha256,
            ContractVersion.sha256.is_not(None),
            ContractVersion.id != version.id,
        ).limit(1)
    )


def render_version(version: ContractVersion, *, use_cache: bool = True) -> ContractVersion:
    """Render and store one version's PDF unless it already has one; commits."""
    if version.rendered:
        return version
    hit = _cached(version) if use_cache else None
    if hit is not None:
        key, sha, size, pages = hit.storage_key, hit.sha256, hit.size, hit.pages
    else:
        db.session.commit()  # hold no transaction open while rendering
        rendered = pdf.render_pdf(pdf.contract_html(version.terms))
        key, sha = write_bytes(rendered.data)
        size, pages = len(rendered.data), rendered.pages
    # only the first render wins: a version's PDF never changes once stored
    result = db.session.execute(
        update(ContractVersion)
        .where(ContractVersion.id == version.id, ContractVersion.sha256.is_(None))
        .values(storage_key=key, sha256=sha, size=size, pages=pages, rendered_at=utcnow())
    )
    db.session.commit()
    if result.rowcount == 0 and hit is None:
        storage_path(key).unlink(missing_ok=True)
    db.session.refresh(version)
    return version


def signature_rows(contract: Contract) -> list[dict]:
    """The signature page's rows: no IP addresses (the final PDF is public)."""
    version = contract.current_version
    return [
        {"party": s.party.value, "name": s.signer_name, "role": s.role.value,
         "signed_at": s.signed_at.strftime("%Y-%m-%d %H:%M:%S"), "sha256": s.sha256,
         "version": version.number}
        for s in contract.signatures if s.version_id == version.id
    ]


def contract_data(contract: Contract) -> dict:
    """The JSON attached to the final PDF: the terms and the signatures, nothing personal."""
    version = contract.current_version
    terms = {k: v for k, v in version.terms.items() if k != "overrides"}
    return {
        "number": contract.number,
        "version": version.number,
        "version_sha256": version.sha256,
        "terms": terms,
        "signatures": [
            {**row, "signed_at": isoformat(s.signed_at)}
            for row, s in zip(signature_rows(contract),
                              [s for s in contract.signatures if s.version_id == version.id],
                              strict=True)
        ],
    }


def finalise_contract(contract: Contract) -> Contract:
    """The signed, sealed PDF/A-3b with the signature page and contract.json; commits."""
    if contract.final_sha256 or contract.state == ContractState.DRAFT:
        return contract
    html = pdf.contract_html(contract.current_version.terms, signatures=signature_rows(contract))
    data = contract_data(contract)
    db.session.commit()
    rendered = pdf.render_pdf(html, attachment=data)
    sealed = seal.seal_pdf(rendered.data)
    key, sha = write_bytes(sealed)
    result = db.session.execute(
        update(Contract)
        .where(Contract.id == contract.id, Contract.final_sha256.is_(None))
        .values(final_storage_key=key, final_sha256=sha, final_size=len(sealed),
                sealed_at=utcnow())
    )
    db.session.commit()
    if result.rowcount == 0:
        storage_path(key).unlink(missing_ok=True)
    db.session.refresh(contract)
    return contract


def render_pending(contract: Contract) -> None:
    """Everything this contract still lacks; errors are logged and left for the command."""
    try:
        if contract.current_version is not None:
            render_version(contract.current_version)
        if contract.state != ContractState.DRAFT and contract.fully_signed:
            finalise_contract(contract)
    except Exception:  # the data is committed; `flask contracts render-pending` redoes it
        db.session.rollback()
        log.exception("rendering contract %s failed", contract.number)


def render_all_pending() -> int:
    """Every unrendered version and unsealed signed contract; returns how many were done."""
    done = 0
    ids = db.session.scalars(select(ContractVersion.id).where(
        ContractVersion.sha256.is_(None))).all()
    for version_id in ids:
        render_version(db.session.get(ContractVersion, version_id))
        done += 1
    ids = db.session.scalars(select(Contract.id).where(
        Contract.final_sha256.is_(None), Contract.state != ContractState.DRAFT)).all()
    for contract_id in ids:
        contract = db.session.get(Contract, contract_id)
        if contract.fully_signed:
            finalise_contract(contract)
            done += 1
    return done
