"""The same corpus in an SQLite FTS5 table (porter stemming, bm25): the reference."""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path

from marketplace.extensions import db


def _match(words: list[str]) -> str:
    cleaned = [re.sub(r"[^\w]", "", w) for w in words]
    return " OR ".join(f'"{w}"' for w in cleaned if w) or '""'


class Fts5Reference:
    def __init__(self, path: Path):
        self.path = path
        self.conn = sqlite3.connect(str(path))

    def build(self) -> None:
        source = db.engine.url.database
        started = time.perf_counter()
        c = self.conn
        c.execute(f"ATTACH DATABASE '{source}' AS src")
        c.execute("CREATE VIRTUAL TABLE fts USING fts5(title, summary, body, "
                  "tokenize='porter unicode61')")
        c.execute("CREATE TABLE meta (id INTEGER PRIMARY KEY, sector TEXT, region TEXT, "
                  "state TEXT, budget REAL, deadline REAL)")
        c.execute("INSERT INTO fts (rowid, title, summary, body) "
                  "SELECT id, title, summary, problem FROM src.scenarios")
        c.execute("INSERT INTO meta SELECT id, sector, region, state, "
                  "CAST(budget_max AS REAL), strftime('%s', bid_deadline) FROM src.scenarios")
        c.execute("CREATE INDEX meta_state ON meta (state, sector)")
        c.commit()
        print(f"FTS5 reference built in {time.perf_counter() - started:.1f} s")

    def two_words(self, text: str):
        q = _match(text.split())
        rows = self.conn.execute("SELECT rowid FROM fts WHERE fts MATCH ? "
                                 "ORDER BY bm25(fts, 3.0, 1.5, 1.0) LIMIT 20", (q,)).fetchall()
        total = self.conn.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (q,)).fetchone()
        return rows, total

    def filtered(self, text: str, sector: str, low, high):
        q, now = _match(text.split()), time.time()
        where = ("FROM fts JOIN meta m ON m.id = fts.rowid WHERE fts MATCH ? AND m.sector = ? "
                 "AND m.budget BETWEEN ? AND ? AND m.state = 'published' AND m.deadline > ?")
        params = (q, sector, low, high, now)
        rows = self.conn.execute(f"SELECT fts.rowid {where} ORDER BY bm25(fts, 3.0, 1.5, 1.0) "
                                 "LIMIT 20", params).fetchall()
        facets = [self.conn.execute(f"SELECT m.{col}, count(*) {where} GROUP BY m.{col}",
                                    params).fetchall() for col in ("sector", "region", "state")]
        return rows, facets

    def profile(self, profile):
        from marketplace.search.analysis import SCENARIO_FIELDS
        from marketplace.search.facets import scenario_docsets
        from marketplace.search.matching import distinctive, profile_parts, weighted_concepts

        weighted, _ = weighted_concepts(profile_parts(profile))
        chosen = distinctive(scenario_docsets(), weighted, SCENARIO_FIELDS)
        words = [w for concept, _ in chosen for w in concept.words]
        q = _match(words)
        return self.conn.execute(
            "SELECT fts.rowid FROM fts JOIN meta m ON m.id = fts.rowid WHERE fts MATCH ? "
            "AND m.state = 'published' AND m.deadline > ? "
            "ORDER BY bm25(fts, 3.0, 1.5, 1.0) LIMIT 10", (q, time.time())).fetchall()
