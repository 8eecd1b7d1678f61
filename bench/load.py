"""Load benchmark (not a test): the marketplace served by gunicorn (2 workers) on a database of
10,000 scenarios and 50,000 bids, driven by wrk on loopback, next to bench/reference_app.py.

    python -m bench.load                      # full size (10,000 scenarios, 50,000 bids)
    python -m bench.load --quick              # 1,000 / 5,000 and 5-second runs
    python -m bench.load --scenarios 2000 --bids 10000 --duration 10 --connections 4

Prints requests/s, p50 and p99 latency of the home page, the scenario list, a search (one
word, asked again and again; then 776 different searches in turn), a scenario page and an API
list (routes that do not exist yet are skipped, saying so), and the
ratio to the reference. Target: ratio >= 0.5 and p99 < 250 ms. Needs `wrk`
(scripts/system-deps.sh --bench); without it a small Python load generator is used.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.loadgen import python_load  # noqa: E402


def environ(base: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": f"sqlite:///{base / 'bench.db'}", "SECRET_KEY": "bench-only",
        "MARKETPLACE_ENV": "production", "MARKETPLACE_INSTANCE_DIR": str(base),
        "MARKETPLACE_STORAGE_DIR": str(base / "files"),
        "MARKETPLACE_INDEX_DIR": str(base / "index"), "RATELIMIT_ENABLED": "0",
        "PYTHONPATH": str(ROOT),
    })
    return env


def generate(n_scenarios: int, n_bids: int) -> dict:
    """Bulk-insert the data set; returns what the targets need (a reference, a token)."""
    from sqlalchemy import insert, text

    from marketplace import create_app
    from marketplace.accounts import services as accounts
    from marketplace.accounts.models import Organisation, Role
    from marketplace.bids.models import Bid
    from marketplace.core.time import utcnow
    from marketplace.extensions import db
    from marketplace.scenarios.models import SECTORS, Criterion, Kpi, Scenario

    app = create_app()
    with app.app_context():
        db.create_all()
        now = utcnow()
        n_agencies, n_companies = max(1, n_scenarios // 50), max(10, n_bids // 10)
        db.session.execute(insert(Organisation), [
            {"id": i + 1, "kind": "agency", "name": f"Agency {i}", "verified": True}
            for i in range(n_agencies)] + [
            {"id": n_agencies + i + 1, "kind": "company", "name": f"Company {i}",
             "verified": True} for i in range(n_companies)])
        words = ["triage", "queue", "logistics", "port", "waste", "energy", "school", "bus"]
        db.session.execute(insert(Scenario), [{
            "id": i + 1, "reference": f"SCN-2026-{i + 1:05d}", "agency_id": i % n_agencies + 1,
            "state": "published", "title": f"Scenario {i}: {words[i % 8]} {words[(i // 8) % 8]}",
            "summary": f"Improve the {words[i % 8]} of district {i % 97}.",
            "problem": "A **real** problem.", "sector": SECTORS[i % len(SECTORS)],
            "region": "Shenzhen", "currency": "CNY", "budget_min": Decimal(100000),
            "budget_max": Decimal(500000), "pilot_duration_days": 60,
            "published_at": now - dt.timedelta(minutes=i),
            "questions_deadline": now + dt.timedelta(days=5 + i % 20),
            "bid_deadline": now + dt.timedelta(days=7 + i % 20),
        } for i in range(n_scenarios)])
        db.session.execute(insert(Kpi), [{
            "scenario_id": i // 2 + 1, "position": i % 2, "name": f"KPI {i % 2}",
            "unit": "minutes", "baseline": Decimal(45), "target": Decimal(15),
            "direction": "lower", "weight": Decimal(1)} for i in range(n_scenarios * 2)])
        db.session.execute(insert(Criterion), [{
            "scenario_id": i // 4 + 1, "position": i % 4, "name": f"Criterion {i % 4}",
            "weight": Decimal(25), "method": "manual"} for i in range(n_scenarios * 4)])
        per = max(1, n_bids // n_scenarios)
        db.session.execute(insert(Bid), [{
            "scenario_id": i // per % n_scenarios + 1,
            "company_id": n_agencies + 1 + (i // per * 7 + i % per) % n_companies,
            "state": "submitted", "price": Decimal(250000), "currency": "CNY",
            "approach": "A queue model.", "declares_no_conflict": True, "accepts_terms": True,
            "version": 1, "submitted_at": now} for i in range(n_bids)])
        company = db.session.get(Organisation, n_agencies + 1)
        founder = accounts.create_user("bench@example.org", "Bench Founder",
                                       "bench-password-long", roles=[Role.FOUNDER],
                                       organisation=company)
        token, _ = accounts.issue_token(founder, lifetime=None)
        db.session.commit()
        # statistics for SQLite's planner, as `PRAGMA optimize` gives a long-running database;
        # without them "published, newest first" sorts every scenario on each request
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        return {"reference": "SCN-2026-00001", "scenario_id": 1, "token": token,
                "urls": targets(app)}


def targets(app) -> dict[str, str | None]:
    """The URL of each measured page, or None when its route does not exist yet."""
    from flask import url_for

    rules = [r for r in app.url_map.iter_rules() if "GET" in r.methods]
    by_endpoint = {r.endpoint: r for r in rules}

    def first(predicate):
        found = sorted((r for r in rules if predicate(r)), key=lambda r: len(r.rule))
        return found[0] if found else None

    scenario_page = first(lambda r: r.endpoint.startswith("scenarios.")
                          and set(r.arguments) in ({"ref"}, {"reference"}, {"scenario_id"}))
    search = by_endpoint.get("search.index") or first(
        lambda r: r.endpoint.startswith("search.") and not r.arguments)
    api_list = first(lambda r: r.rule == "/api/v1/scenarios")
    page_url = None
    if scenario_page is not None:
        with app.test_request_context():
            page_url = url_for(scenario_page.endpoint, **{
                arg: 1 if arg.endswith("_id") else "SCN-2026-00001"
                for arg in scenario_page.arguments})
    return {
        "home page": "/",
        "scenario list": by_endpoint["scenarios.index"].rule
        if "scenarios.index" in by_endpoint else None,
        # the scenario search is the list's `q` (through the search domain's provider)
        "search": "/scenarios?q=triage" if "scenarios.index" in by_endpoint
        and "search" in app.blueprints else (f"{search.rule}?q=triage" if search else None),
        "scenario page": page_url,
        "API list": api_list.rule if api_list is not None else None,
    }


@contextlib.contextmanager
def serve(app_path: str, env: dict, workers: int = 2):
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers",
         str(workers), "--log-level", "warning", app_path],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=1):  # noqa: S310
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"{app_path} did not start: {process.stderr.read()[-2000:]}")
        yield url
    finally:
        process.terminate()
        process.wait(10)


def _free_port() -> int:
    import socket

    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def wrk(url: str, duration: int, connections: int, headers: dict,
        paths: list[str] | None = None) -> dict:
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--latency"]
    for key, value in headers.items():
        command += ["-H", f"{key}: {value}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        if paths:  # each of them in turn, on each connection
            quoted = ", ".join(json.dumps(p) for p in paths)
            script.write(f"paths = {{{quoted}}}\ncounter = 0\n"
                         "request = function()\n  counter = counter + 1\n"
                         "  return wrk.format(nil, paths[counter % #paths + 1])\nend\n")
            script.flush()
            command += ["-s", script.name]
        out = subprocess.run([*command, url], capture_output=True, text=True,
                             check=True).stdout
    latency = {p: float(v) * UNITS[u] for p, v, u in
               re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": latency.get("50"), "p99": latency.get("99"),
            "errors": int(errors.group(1)) if errors else 0}


def measure(url, duration, connections, headers=None, paths=None) -> dict:
    headers = headers or {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers),  # noqa: S310
                                timeout=30) as response:
        response.read()  # warm up (and fail early on an error)
    if shutil.which("wrk"):
        return wrk(url, duration, connections, headers, paths)
    return python_load(url, duration, connections, headers, paths)


# The search line asks one word again and again, as the most popular search would be asked;
# this one asks VARIED different searches in turn (a word and a district's number: 8 x 97 of
# them, each page its own results, snippets and facets), so what is kept between requests
# (decoded postings, rendered cards and snippets) is measured against a spread of queries too.
VARIED = [f"/scenarios?q={word}+{n}" for n in range(97)
          for word in ("triage", "queue", "logistics", "port", "waste", "energy", "school",
                       "bus")]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenarios", type=int, default=10_000)
    parser.add_argument("--bids", type=int, default=50_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--quick", action="store_true", help="1,000 scenarios, 5-second runs")
    args = parser.parse_args(argv)
    if args.quick:
        args.scenarios, args.bids, args.duration = 1000, 5000, 5
    with tempfile.TemporaryDirectory(prefix="marketplace-bench-") as tmp:
        env = environ(Path(tmp))
        os.environ.update(env)
        started = time.monotonic()
        data = generate(args.scenarios, args.bids)
        generator = "wrk" if shutil.which("wrk") else "python"
        print(f"data: {args.scenarios} scenarios, {args.bids} bids in "
              f"{time.monotonic() - started:.1f}s; load: {generator}, {args.connections} "
              f"connections, {args.duration}s a page, 2 sync workers")
        _reindex(env)
        with serve("bench.reference_app:app", env) as url:
            reference = measure(url + "/", args.duration, args.connections)
        report("reference (20 rows, bare Jinja)", reference, reference)
        with serve("wsgi:app", env) as url:
            for name, path in data["urls"].items():
                if path is None:
                    print(f"{name:32} skipped: the route does not exist yet")
                    continue
                headers = {"Authorization": f"Bearer {data['token']}"} \
                    if path.startswith("/api/") else {}
                report(f"{name} {path}", measure(url + path, args.duration, args.connections,
                                                 headers), reference)
                if name == "search" and path.startswith("/scenarios?"):
                    report(f"search, {len(VARIED)} varied", measure(
                        url + VARIED[0], args.duration, args.connections, paths=VARIED),
                        reference)
    return 0


def _reindex(env) -> None:
    from marketplace import _load

    if _load("marketplace.search.cli:search") is None:
        return
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "flask", "search", "reindex"], cwd=ROOT,
                   env={**env, "FLASK_APP": "wsgi"}, check=False, capture_output=True)
    print(f"search index rebuilt in {time.monotonic() - started:.1f}s")


def report(name: str, result: dict, reference: dict) -> None:
    ratio = result["rps"] / reference["rps"] if reference["rps"] else 0
    verdict = "ok" if ratio >= 0.5 and (result["p99"] or 0) < 250 else "BELOW TARGET"
    errors = f"  {result['errors']} non-2xx!" if result["errors"] else ""
    print(f"{name[:32]:32} {result['rps']:8.1f} req/s  p50 {result['p50']:7.1f} ms  "
          f"p99 {result['p99']:7.1f} ms  ratio {ratio:4.2f}  {verdict}{errors}")


if __name__ == "__main__":
    raise SystemExit(main())
