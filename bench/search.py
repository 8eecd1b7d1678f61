"""Search speed on a synthetic corpus, with SQLite FTS5 as a reference.

    python -m bench.search --scenarios 100000 --companies 10000
    python -m bench.search --scenarios 5000 --companies 1000      # about a minute

Builds a throw-away SQLite database and index directory, inserts the corpus, reindexes with
`flask search reindex`'s code, then times single updates and four kinds of query (each at
least --queries times) through the same functions the pages and the API call, each kind warmed
up once first (as on a running server), and prints each figure against the issue's target.
`--reuse DIR` times updates and queries again on an earlier run's corpus and index (which must
have been built by this code: the index of published scenarios is part of it).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from bench.corpus import REGIONS, Vocabulary, insert_corpus
from bench.fts5 import Fts5Reference


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(fn, args_list) -> list[float]:
    out = []
    for args in args_list:
        started = time.perf_counter()
        fn(*args)
        out.append((time.perf_counter() - started) * 1000)
    return out


# The targets on a 2-core machine: (kind, statistic, limit in ms or s)
TARGETS = {"update": ("p50", 50.0), "a": ("p95", 25.0), "b": ("p95", 100.0),
           "c": ("p95", 50.0), "d": ("p95", 50.0)}
REINDEX_TARGET = 180.0  # seconds for 100,000 scenarios


def verdict(value: float, limit: float, unit: str = "") -> str:
    return f"target <= {limit:g}{unit}: {'met' if value <= limit else 'MISSED'}"


def line(label: str, ms: list[float], reference: list[float] | None = None,
         target: str | None = None) -> str:
    text = f"{label:<46} p50 {percentile(ms, .5):8.1f} ms   p95 {percentile(ms, .95):8.1f} ms"
    if reference:
        ratio = percentile(ms, .95) / max(percentile(reference, .95), 1e-6)
        text += f"   | FTS5 p95 {percentile(reference, .95):7.1f} ms  (x{ratio:.1f})"
    if target:
        stat, limit = TARGETS[target]
        value = percentile(ms, .5 if stat == "p50" else .95)
        text += f"   | {stat} {verdict(value, limit, ' ms')}"
    return text


def size_of(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=5000)
    parser.add_argument("--companies", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--open-share", type=float, default=0.05)
    parser.add_argument("--procs", type=int, default=None)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", type=Path, default=None,
                        help="the work directory of an earlier run: skip the corpus and the "
                             "reindex, time updates and queries only")
    args = parser.parse_args()

    from marketplace import create_app
    from marketplace.extensions import db

    work = args.reuse or Path(tempfile.mkdtemp(prefix="bench-search-"))
    app = create_app({
        "TESTING": False, "ENV_NAME": "development", "SECRET_KEY": "bench",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'bench.db'}",
        "MARKETPLACE_INDEX_DIR": str(work / "index"), "MARKETPLACE_SEARCH_SYNC": "inline",
    })
    print(f"work directory: {work}")
    with app.app_context():
        vocab = Vocabulary(args.seed)
        if args.reuse:
            print(line(UPDATE, single_updates(args), target="update"))
            queries(args, vocab, Fts5Reference(work / "fts.db"))
            return
        db.create_all()
        started = time.perf_counter()
        insert_corpus(db, vocab, args.scenarios, args.companies, args.open_share)
        print(f"corpus: {args.scenarios} scenarios, {args.companies} companies "
              f"inserted in {time.perf_counter() - started:.1f} s")
        run(args, vocab, work)


def run(args, vocab: Vocabulary, work: Path) -> None:
    from marketplace.search import maintenance
    from marketplace.search.index import COMPANIES, OPEN, SCENARIOS

    scenarios = 0.0
    for name in (SCENARIOS, OPEN, COMPANIES):
        started = time.perf_counter()
        count = maintenance.reindex(name, procs=args.procs)
        elapsed = time.perf_counter() - started
        scenarios += elapsed if name != COMPANIES else 0.0
        print(f"reindex {name:<10} {count:>7} docs in {elapsed:6.1f} s = "
              f"{count / elapsed:6.0f} docs/s; index {size_of(work / 'index' / name):6.1f} MB")
    # the scenarios' full reindex is both of their indexes (all, and the published ones)
    limit = REINDEX_TARGET * args.scenarios / 100_000
    print(f"reindex of {args.scenarios} scenarios (scenarios + open): {scenarios:.1f} s   | "
          f"{verdict(scenarios, round(limit), ' s')}")
    print(line(UPDATE, single_updates(args), target="update"))
    fts = Fts5Reference(work / "fts.db")
    fts.build()
    queries(args, vocab, fts)


UPDATE = "single update after commit (both indexes)"


def single_updates(args) -> list[float]:
    from marketplace.extensions import db
    from marketplace.scenarios.models import Scenario
    from marketplace.search.documents import scenario_document, store
    from marketplace.search.index import SCENARIOS

    rnd = random.Random(args.seed)
    out = []
    for _ in range(min(60, args.queries)):
        scenario = db.session.get(Scenario, rnd.randint(1, args.scenarios))
        doc = scenario_document(scenario) or {}
        started = time.perf_counter()
        if doc:
            store().write(SCENARIOS, {doc["id"]: doc})
        out.append((time.perf_counter() - started) * 1000)
    return out


def queries(args, vocab: Vocabulary, fts) -> None:
    from sqlalchemy import select

    from marketplace.companies.models import CompanyProfile
    from marketplace.extensions import db
    from marketplace.scenarios.models import SECTORS, Scenario
    from marketplace.search.matching import recommend_scenarios, suggest_companies
    from marketplace.search.queries import search_scenarios

    rnd, n = random.Random(args.seed + 1), args.queries
    two = [(vocab.two_words(),) for _ in range(n)]
    filters = []
    for _ in range(n):
        low = rnd.randrange(10_000, 500_000, 10_000)
        filters.append(({"sector": rnd.choice(SECTORS), "state": "published",
                         "budget_min": low, "budget_max": low * 4}, vocab.two_words()))
    # Warm up as a running server is: the first query of each kind after the index changed
    # builds the per-searcher caches (columns, length norms, facet codes). Not timed.
    search_scenarios(None, "warm up")
    search_scenarios(filters[0][0], "warm up")
    recommend_scenarios(db.session.get(CompanyProfile, 1))
    suggest_companies(db.session.get(Scenario, 1))
    a = timed(lambda q: search_scenarios(None, q), two)
    b = timed(lambda f, q: search_scenarios(f, q), filters)
    profile_ids = [rnd.randint(1, args.companies) for _ in range(n)]
    c = timed(lambda i: recommend_scenarios(db.session.get(CompanyProfile, i)),
              [(i,) for i in profile_ids])
    open_ids = db.session.scalars(select(Scenario.id).where(
        Scenario.state == "published")).all() or [1]
    d = timed(lambda i: suggest_companies(db.session.get(Scenario, i)),
              [(rnd.choice(open_ids),) for _ in range(n)])
    fa = timed(fts.two_words, two)
    fb = timed(lambda f, q: fts.filtered(q, f["sector"], f["budget_min"], f["budget_max"]),
               filters)
    fc = timed(lambda i: fts.profile(db.session.get(CompanyProfile, i)),
               [(i,) for i in profile_ids])
    print(f"queries: {n} of each kind; regions {len(REGIONS)}, sectors {len(SECTORS)}")
    print(line("(a) two-word search", a, fa, "a"))
    print(line("(b) sector + budget + open, with facet counts", b, fb, "b"))
    print(line("(c) recommendations for a company", c, fc, "c"))
    print(line("(d) companies to invite for a scenario", d, target="d"))


if __name__ == "__main__":
    main()
