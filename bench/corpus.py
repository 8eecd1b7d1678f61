"""A synthetic corpus seeded from the real tenders' vocabulary, inserted with SQL Core."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert

DATA = Path("/work/shared/data/real-tenders.jsonl")
for parent in Path(__file__).resolve().parents:
    if (parent / "shared" / "data" / "real-tenders.jsonl").exists():
        DATA = parent / "shared" / "data" / "real-tenders.jsonl"
        break

REGIONS = [f"Region {n}" for n in range(30)]
STATES = ["closed", "evaluation", "awarded", "contracted", "completed", "cancelled"]


class Vocabulary:
    """Words of the real tenders with their frequencies, and their CPV codes."""

    def __init__(self, seed: int = 7):
        self.random = random.Random(seed)
        counts: Counter = Counter()
        codes: list[str] = []
        for line in DATA.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            text = f"{row.get('title') or ''} {row.get('description') or ''}".lower()
            counts.update(w for w in re.findall(r"[a-z]{3,}", text))
            codes.extend(c for c in row.get("cpv_codes") or [] if c)
        self.words = [w for w, _ in counts.most_common()]
        self.weights = [counts[w] for w in self.words]
        self.codes = codes or ["72000000"]
        # mid-frequency words make realistic two-word queries
        self.query_words = self.words[200:3000]

    def text(self, n: int) -> str:
        return " ".join(self.random.choices(self.words, self.weights, k=n)).capitalize()

    def two_words(self) -> str:
        return " ".join(self.random.sample(self.query_words, 2))


def insert_corpus(db, vocab: Vocabulary, scenarios: int, companies: int,
                  open_share: float = 0.05) -> dict:
    """Agencies, scenarios (a share of them open), companies with profiles; returns ids."""
    from marketplace.accounts.models import Organisation
    from marketplace.companies.models import CompanyProfile, TrackRecord
    from marketplace.scenarios.models import SECTORS, Scenario

    rnd, now = vocab.random, dt.datetime.now(dt.UTC)
    db.session.execute(insert(Organisation), [
        {"kind": "agency", "name": f"Agency {n}", "region": rnd.choice(REGIONS)}
        for n in range(200)])
    rows = []
    for n in range(1, scenarios + 1):
        is_open = rnd.random() < open_share
        low = Decimal(rnd.randrange(10_000, 1_000_000, 1000))
        rows.append({
            "reference": f"SCN-B-{n:07d}", "agency_id": rnd.randint(1, 200),
            "state": "published" if is_open else rnd.choice(STATES),
            "title": vocab.text(rnd.randint(5, 10)), "summary": vocab.text(35),
            "problem": vocab.text(110), "sector": rnd.choice(SECTORS),
            "cpv_codes": rnd.sample(vocab.codes, 2), "region": rnd.choice(REGIONS),
            "budget_min": low, "budget_max": low * rnd.choice([2, 3, 5]),
            "bid_deadline": now + dt.timedelta(days=rnd.randint(3, 60)) if is_open
            else now - dt.timedelta(days=rnd.randint(1, 900)),
            "published_at": now - dt.timedelta(days=rnd.randint(1, 900)),
        })
        if len(rows) == 5000:
            db.session.execute(insert(Scenario), rows)
            rows = []
    if rows:
        db.session.execute(insert(Scenario), rows)
    orgs = [{"kind": "company", "name": f"Company {n}", "region": rnd.choice(REGIONS)}
            for n in range(companies)]
    db.session.execute(insert(Organisation), orgs)
    first = 201
    db.session.execute(insert(CompanyProfile), [{
        "organisation_id": first + n, "headline": vocab.text(6),
        "description": vocab.text(60), "sectors": rnd.sample(SECTORS, rnd.randint(1, 2)),
        "capabilities": [vocab.text(2).lower() for _ in range(rnd.randint(3, 5))],
        "ai_tools": ["LLM agents"],
    } for n in range(companies)])
    db.session.execute(insert(TrackRecord), [{
        "profile_id": 1 + n // 2, "title": vocab.text(6), "client": "A council",
        "year": 2024, "outcome": vocab.text(12),
    } for n in range(companies * 2)])
    db.session.commit()
    return {"scenarios": scenarios, "companies": companies}
