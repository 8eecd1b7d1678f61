"""Rebuilding and checking the indexes against the database (the source of truth)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import func, select, true
from whoosh.writing import CLEAR

from marketplace.extensions import db
from marketplace.search.documents import company_document, scenario_document, store
from marketplace.search.index import (
    COMPANIES,
    OPEN,
    PUBLISHED,
    SCENARIOS,
    SCHEMAS,
    WRITE_TIMEOUT,
    codec,
)

BATCH = 500
LIMIT_MB = 1024
PARALLEL_FROM = 5000  # below this, one writer process is faster than forking


def _model(name: str):
    if name in (SCENARIOS, OPEN):
        from marketplace.scenarios.models import Scenario

        return Scenario, scenario_document
    from marketplace.companies.models import CompanyProfile

    return CompanyProfile, company_document


def _where(name: str, model):
    """The rows an index holds documents of (drafts get None documents, never indexed)."""
    if name == OPEN:
        return model.state == PUBLISHED
    return true()


def count_rows(name: str) -> int:
    model, _ = _model(name)
    return db.session.scalar(select(func.count(model.id)).where(_where(name, model))) or 0


def documents(name: str) -> Iterator[tuple[str, dict | None]]:
    """(id, document or None) for every row, in batches that keep memory flat."""
    model, build = _model(name)
    last = 0
    while True:
        rows = db.session.scalars(
            select(model).where(model.id > last, _where(name, model))
            .order_by(model.id).limit(BATCH)
        ).all()
        if not rows:
            return
        for row in rows:
            yield str(row.id), build(row)
        last = rows[-1].id  # the identity map holds rows weakly: memory stays flat


def reindex(name: str, progress: Callable[[int], None] | None = None,
            procs: int | None = None) -> int:
    """Rebuild one index from the database in one commit that replaces every old segment.

    Readers keep the old generation until the commit, so searches never see a half index."""
    total = count_rows(name)
    if procs is None:
        procs = min(2, os.cpu_count() or 1) if total >= PARALLEL_FROM else 1
    ix = store().index(name)
    upgrade = schema_outdated(name)
    if upgrade:  # Whoosh's worker processes would write with the old schema: one process
        procs = 1
    # Whoosh spills its posting pool to sorted runs on disk past `limitmb` and merges them at
    # commit; 1 GB (about 5,000,000 postings) a process keeps that to one or two runs.
    options = {"limitmb": LIMIT_MB, "compound": False, "codec": codec()}  # see index.py
    if procs > 1:  # segments are not merged: a merge of 100,000 documents costs minutes
        options.update(procs=procs, multisegment=True, batchsize=250)
    writer = ix.writer(timeout=WRITE_TIMEOUT * 6, **options)
    if upgrade:  # the documents and the new generation's table of contents use it
        writer.schema = SCHEMAS[name]()
    written = 0
    try:
        for _key, doc in documents(name):
            if doc is not None:
                writer.add_document(**doc)
                written += 1
            if progress:
                progress(1)
        writer.commit(mergetype=CLEAR)
    except BaseException:
        writer.cancel()
        raise
    return written


def schema_outdated(name: str) -> bool:
    """Whether the index was built with other fields or postings formats than this code's
    (an upgrade changed them): it still answers, but only a reindex brings the new one."""
    built, wanted = store().index(name).schema, SCHEMAS[name]()
    if sorted(built.names()) != sorted(wanted.names()):
        return True
    return any(type(built[n].format) is not type(wanted[n].format) for n in wanted.names())


@dataclass
class Report:
    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    outdated: bool = False  # built with an older schema: repaired by a reindex

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.extra or self.outdated)


def check(name: str) -> Report:
    """Documents missing from the index, stale (changed since), or extra (gone or drafts)."""
    searcher = store().searcher(name)
    indexed = {f["id"]: f.get("stamp") for f in searcher.all_stored_fields()}
    report = Report(outdated=schema_outdated(name))
    for key, doc in documents(name):
        if doc is None:
            if key in indexed:
                report.extra.append(key)
        elif key not in indexed:
            report.missing.append(key)
        elif indexed[key] != doc["stamp"]:
            report.stale.append(key)
        indexed.pop(key, None)
    report.extra.extend(sorted(indexed, key=int))
    return report


def repair(name: str, report: Report) -> int:
    """Write the missing and stale documents and delete the extra ones."""
    model, build = _model(name)
    keys = report.missing + report.stale
    docs: dict[str, dict | None] = {key: None for key in report.extra}
    for start in range(0, len(keys), BATCH):
        ids = [int(k) for k in keys[start:start + BATCH]]
        for row in db.session.scalars(select(model).where(model.id.in_(ids))):
            docs[str(row.id)] = build(row)
    if docs:
        store().write(name, docs)
    return len(docs)


INDEXES = (SCENARIOS, OPEN, COMPANIES)
