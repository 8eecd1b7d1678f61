"""Demo profiles for the demo companies of `marketplace.accounts.demo`."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.accounts.models import Organisation, OrgKind
from marketplace.companies.models import CompanyProfile, TrackRecord
from marketplace.extensions import db

PROFILES = {
    "TriageFlow AI": dict(
        headline="AI triage assistants for busy emergency departments",
        description="We build **queue-aware triage assistants** that cut waiting times "
                    "without changing how nurses work.\n\n- speech intake\n- urgency scoring",
        sectors=["health", "public safety"],
        capabilities=["triage", "queueing models", "speech recognition"],
        ai_tools=["llm agents", "whisper", "python"],
        track=[("Triage pilot, Futian district hospital", "Futian People's Hospital", 2025,
                "Median wait to triage from 41 to 19 minutes.")],
    ),
    "DockPilot": dict(
        headline="Berth and yard scheduling for small ports",
        description="Optimisation and forecasting for **container yards** and berths.",
        sectors=["logistics", "manufacturing"],
        capabilities=["scheduling", "forecasting", "computer vision"],
        ai_tools=["or-tools", "llm agents", "time-series models"],
        track=[("Yard re-handling pilot", "Ningbo Inland Port", 2024,
                "Re-handles down 23% over eight weeks.")],
    ),
    "GreenRoute Logistics": dict(
        headline="Low-emission routing for city deliveries",
        description="Route planning that counts **kilograms of CO₂**, not just kilometres.",
        sectors=["logistics", "environment", "mobility"],
        capabilities=["routing", "emissions accounting", "fleet telematics"],
        ai_tools=["llm agents", "graph models", "python"],
        track=[("Last-mile e-van routing", "Hangzhou Post", 2025,
                "Fuel and energy cost down 17% on 40 routes.")],
    ),
}


def seed() -> list[str]:
    """Create the profiles that are missing; never overwrite a founder's edits."""
    created = 0
    for name, spec in PROFILES.items():
        org = db.session.scalar(select(Organisation).where(
            Organisation.kind == OrgKind.COMPANY, Organisation.name == name))
        if org is None:
            continue
        exists = db.session.scalar(select(CompanyProfile.id).where(
            CompanyProfile.organisation_id == org.id))
        if exists:
            continue
        profile = CompanyProfile(
            organisation=org, headline=spec["headline"], description=spec["description"],
            sectors=spec["sectors"], capabilities=spec["capabilities"], ai_tools=spec["ai_tools"],
        )
        profile.track_record = [TrackRecord(title=t, client=c, year=y, outcome=o)
                                for t, c, y, o in spec["track"]]
        db.session.add(profile)
        created += 1
    db.session.flush()
    return [f"Company profiles: {created} created."] if created else []
