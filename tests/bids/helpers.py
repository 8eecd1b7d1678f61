"""Shared bits for the bid tests: files, a complete bid payload."""

from __future__ import annotations

import io

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
CSV = b"site,minutes\nA,12\nB,14\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def upload(data: bytes, name: str):
    return (io.BytesIO(data), name)


def complete_payload(scenario, *, price="250000.00", approach="A queue model."):
    return {
        "price": price,
        "approach": approach,
        "milestones": [
            {"name": "Set-up", "duration_days": 14, "share_percent": "40"},
            {"name": "Pilot", "duration_days": 46, "share_percent": "60"},
        ],
        "results": [
            {"kpi_id": kpi.id, "value": "20.5", "unit": kpi.unit,
             "conditions": "District hospital, March 2026", "method": "Time stamps"}
            for kpi in scenario.kpis
        ],
        "declares_no_conflict": True,
        "accepts_terms": True,
    }
