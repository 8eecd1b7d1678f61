"""Submission receipts: the canonical content of a bid and its SHA-256.

How to recompute a receipt's hash (anyone can, with the downloaded JSON and nothing else):

    import hashlib, json
    receipt = json.load(open("receipt.json", encoding="utf-8"))
    canonical = json.dumps(receipt["content"], sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False).encode("utf-8")
    assert hashlib.sha256(canonical).hexdigest() == receipt["sha256"]

The content holds no floats: amounts and measured values are decimal strings, so the bytes are
the same in every language. Each evidence file is represented by its own SHA-256, so the
company can also prove which files it submitted (`sha256sum file.pdf`).
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from marketplace.core.time import isoformat

ALGORITHM = "SHA-256 of the UTF-8 JSON of `content`, keys sorted, separators ',' and ':'"
HOW_TO_VERIFY = (
    "python3 -c \"import hashlib,json,sys; r=json.load(open(sys.argv[1],encoding='utf-8')); "
    "print(hashlib.sha256(json.dumps(r['content'],sort_keys=True,separators=(',',':'),"
    "ensure_ascii=False).encode()).hexdigest()==r['sha256'])\" receipt.json"
)


def decimal_text(value, places: int | None = None) -> str | None:
    """A Decimal as a plain string: fixed `places`, or without trailing zeros."""
    if value is None:
        return None
    value = Decimal(value)
    if places is not None:
        return f"{value.quantize(Decimal(1).scaleb(-places)):f}"
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "") else text


def canonical_content(bid, *, number: int, submitted_at) -> dict:
    """What the company submits, as JSON-safe values only (no floats)."""
    kpi_names = {kpi.id: kpi.name for kpi in bid.scenario.kpis}
    return {
        "bid_id": bid.id,
        "version": number,
        "submitted_at": isoformat(submitted_at),
        "scenario": {"id": bid.scenario.id, "reference": bid.scenario.reference},
        "company": {"id": bid.company.id, "name": bid.company.name},
        "price": decimal_text(bid.price, 2),
        "currency": bid.currency,
        "approach": bid.approach or "",
        "milestones": [
            {"position": m.position, "name": m.name, "duration_days": m.duration_days,
             "share_percent": decimal_text(m.share_percent, 2)}
            for m in sorted(bid.milestones, key=lambda m: m.position)
        ],
        "results": [
            {"kpi_id": r.kpi_id, "kpi": kpi_names.get(r.kpi_id, ""),
             "value": decimal_text(r.value), "unit": r.unit or "",
             "conditions": r.conditions or "", "method": r.method or ""}
            for r in sorted(bid.results, key=lambda r: r.kpi_id)
        ],
        "evidence": [
            {"id": f.id, "kpi_id": f.kpi_id, "file_name": f.original_name,
             "content_type": f.content_type, "size": f.size, "sha256": f.sha256}
            for f in sorted(bid.evidence, key=lambda f: f.id)
        ],
        "declarations": {
            "no_conflict_of_interest": bool(bid.declares_no_conflict),
            "accepts_terms": bool(bid.accepts_terms),
        },
    }


def canonical_bytes(content: dict) -> bytes:
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def content_hash(content: dict) -> str:
    return hashlib.sha256(canonical_bytes(content)).hexdigest()


def receipt_document(version) -> dict:
    """The downloadable receipt of one submission."""
    return {
        "receipt": "Scenario Marketplace bid submission receipt",
        "bid_id": version.bid_id,
        "version": version.number,
        "server_time": isoformat(version.submitted_at),
        "sha256": version.sha256,
        "algorithm": ALGORITHM,
        "how_to_verify": HOW_TO_VERIFY,
        "content": version.content,
    }
