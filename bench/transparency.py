"""Server time of the transparency pages (not a test) on the load benchmark's data set, with a
share of it closed, awarded and priced so that every red flag fires somewhere.

    python -m bench.transparency                     # 10,000 scenarios, 50,000 bids
    python -m bench.transparency --scenarios 2000 --bids 10000 --repeat 5 --check

Prints the median and the worst of `--repeat` requests through Flask's test client, per page;
with `--check`, also whether the paginated flagged list is exactly the brute force's.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import environ, generate  # noqa: E402

PAGES = ["/transparency", "/transparency/red-flags", "/transparency/red-flags?page=20"]


def close_some(app) -> dict:
    """Close a quarter of the scenarios (some with short periods), vary the bid prices, award
    half of the closed ones; returns how many of each there are."""
    from sqlalchemy import text

    from marketplace.core.time import utcnow
    from marketplace.extensions import db

    now = utcnow().replace(tzinfo=None)  # SQLite stores UTC without an offset
    with app.app_context():
        run = db.session.execute
        # closed 1 to 30 days ago, open for 3 to 12 days (under 7 days raises R003)
        run(text("UPDATE scenarios SET state = 'closed', "
                 "bid_deadline = datetime(:now, '-' || (1 + id % 30) || ' days'), "
                 "questions_deadline = datetime(:now, '-' || (1 + id % 30) || ' days'), "
                 "published_at = datetime(:now, '-' || (4 + id % 30 + id % 10) || ' days') "
                 "WHERE id % 4 = 0"), {"now": now})
        # mostly distinct prices; every 9th closed scenario keeps two equal ones (R028)
        run(text("UPDATE bids SET price = 100000 + (id * 7919) % 200000 "
                 "WHERE scenario_id % 36 != 0"))
        # every 12th scenario: one bid left (R018)
        run(text("DELETE FROM bids WHERE scenario_id % 12 = 0 AND id NOT IN "
                 "(SELECT min(id) FROM bids GROUP BY scenario_id)"))
        # award the cheapest bid of every 8th scenario; the others lose, or are disqualified
        # in every 24th (R035); R024 fires where the runner-up happens to be close
        run(text("INSERT INTO awards (scenario_id, bid_id, state, justification, awarded_at, "
                 "standstill_ends_at) SELECT scenario_id, min(id), 'active', 'Best value.', "
                 ":now, :now FROM bids WHERE scenario_id % 8 = 0 GROUP BY scenario_id"),
            {"now": now})
        run(text("UPDATE bids SET state = CASE WHEN scenario_id % 24 = 0 THEN 'disqualified' "
                 "ELSE 'unsuccessful' END WHERE scenario_id % 8 = 0 "
                 "AND id NOT IN (SELECT bid_id FROM awards)"))
        run(text("UPDATE bids SET state = 'awarded' WHERE id IN (SELECT bid_id FROM awards)"))
        db.session.commit()
        run(text("ANALYZE"))
        db.session.commit()
        count = lambda sql: db.session.scalar(text(sql))  # noqa: E731
        return {"closed": count("SELECT count(*) FROM scenarios WHERE id % 4 = 0"),
                "awarded": count("SELECT count(*) FROM awards")}


def admin_client(app):
    from marketplace.accounts import services as accounts
    from marketplace.accounts.models import Role
    from marketplace.extensions import db

    with app.app_context():
        admin = accounts.create_user("bench-admin@example.org", "Bench Admin",
                                     "bench-password-long", roles=[Role.ADMIN], organisation=None)
        db.session.commit()
        user_id = admin.get_id()
    # a session made here has no "strong" protection identifier: the bench skips that check
    app.login_manager.session_protection = None
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user_id
        session["_fresh"] = True
    return client


def timed(client, path: str, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return times


def check(app) -> str:
    """Whether every page of the flagged list, end to end, is what judging every public
    process gives (the brute force the pages used to run on each visit)."""
    from marketplace.core.time import utcnow
    from marketplace.extensions import db
    from marketplace.transparency import flagged, ocds, redflags

    with app.test_request_context():
        now = utcnow()
        scenarios = db.session.scalars(ocds.public_scenarios_stmt()).all()
        expected = {p.scenario.id: [(r.flag.code, r.detail) for r in redflags.flags_for(p)]
                    for p in ocds.load_processes(scenarios, now)}
        expected = {sid: raised for sid, raised in expected.items() if raised}
        found, number = {}, 1
        while True:
            page = flagged.page(number, 100, now)
            found.update((p.scenario.id, [(r.flag.code, r.detail) for r in raised])
                         for p, raised in page.items)
            if not page.has_next:
                break
            number += 1
        same = found == expected and page.total == len(expected)
        return f"{len(expected)} flagged, {page.total} candidates: " + (
            "the same as judging every process" if same else "DIFFERENT from brute force")


def arguments(description: str, check_help: str, argv=None) -> argparse.Namespace:
    """The options the benchmarks on this data set share."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--scenarios", type=int, default=10_000)
    parser.add_argument("--bids", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--check", action="store_true", help=check_help)
    return parser.parse_args(argv)


@contextlib.contextmanager
def varied_app(args, prefix: str):
    """An app on a throw-away copy of the load benchmark's data, a share of it closed and
    awarded (`close_some`); says what the data is."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        os.environ.update(environ(Path(tmp)))
        generate(args.scenarios, args.bids)
        from marketplace import create_app

        app = create_app()
        shape = close_some(app)
        print(f"data: {args.scenarios} scenarios ({shape['closed']} closed, "
              f"{shape['awarded']} awarded), {args.bids} bids")
        yield app


def main(argv=None) -> int:
    args = arguments(__doc__.split("\n\n")[0],
                     "also compare every page with judging every process", argv)
    with varied_app(args, "marketplace-transparency-") as app:
        client = admin_client(app)
        client.get(PAGES[0])  # warm up: templates, statement cache
        for path in PAGES:
            times = timed(client, path, args.repeat)
            body = client.get(path).get_data(as_text=True)
            print(f"{path:36} median {statistics.median(times):8.1f} ms  "
                  f"max {max(times):8.1f} ms  {body.count('/transparency/scenarios/')} links")
        if args.check:
            print(check(app))
    return 0

if __name__ == "__main__":
    raise SystemExit(main())
