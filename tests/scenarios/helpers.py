"""Shared inputs for the scenario tests."""

from __future__ import annotations

import datetime as dt

from marketplace.core.time import utcnow


def valid_data(**overrides) -> dict:
    now = utcnow()
    data = {
        "title": "Cut ambulance handover times",
        "summary": "Ambulances wait too long at the emergency department.",
        "problem": "Crews wait **40 minutes** on average.",
        "sector": "health",
        "cpv_codes": ["85100000-0"],
        "region": "Shenzhen",
        "currency": "CNY",
        "budget_min": "100000",
        "budget_max": "300000",
        "pilot_duration_days": 60,
        "questions_deadline": now + dt.timedelta(days=5),
        "bid_deadline": now + dt.timedelta(days=10),
        "kpis": [{"name": "Handover time", "unit": "minutes", "baseline": "40", "target": "15",
                  "direction": "lower", "weight": "1"}],
    }
    data.update(overrides)
    return data
