"""CPU cost per request of the load benchmark's routes, in process (not a test).

    python -m bench.cpu                   # 10,000 scenarios, 50,000 bids, in a temporary folder
    python -m bench.cpu --keep DIR        # build the data in DIR once, reuse it on later runs
    python -m bench.cpu --profile search  # cProfile of one route instead of timings
    SORT=tottime TOP=60 python -m bench.cpu --profile search   # its order and length

`bench.load` is the figure (gunicorn, wrk, requests per second); on a shared machine it moves
by a fifth from run to run. This calls the WSGI apps directly and reports the CPU time of a
request (process time, the best of several batches) for the reference and each route, the
batches interleaved so that a change of load falls on every route alike, and the ratio to the
reference. It moves less, and it shows where a change helps before a full run.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402


def _call(app, environ_for, path, headers):
    environ = environ_for(path, headers)
    status = []
    body = b"".join(app(environ, lambda s, _h, _e=None: status.append(s)))
    return status[0], body


def measure(base: Path, n: int, rounds: int, only: list[str] | None, profile: str | None,
            build: tuple[int, int]) -> None:
    env = load.environ(base)
    os.environ.update(env)
    marker = base / "bench-data.json"
    if not marker.exists():
        data = load.generate(*build)
        load._reindex(env)
        marker.write_text(json.dumps(data))
    data = json.loads(marker.read_text())

    from werkzeug.test import EnvironBuilder

    import wsgi
    from bench import reference_app

    reference = reference_app.create_app()

    def environ_for(path, headers):
        return EnvironBuilder(path=path, headers=headers).get_environ()

    routes = {"reference": (reference, "/", {})}
    for name, path in data["urls"].items():
        if path is None or (only and name not in only):
            continue
        headers = {"Authorization": f"Bearer {data['token']}"} if path.startswith("/api/") \
            else {}
        routes[name] = (wsgi.app, path, headers)
    sizes = {}
    for name, (app, path, headers) in routes.items():
        status, body = _call(app, environ_for, path, headers)
        if not status.startswith("200"):
            raise SystemExit(f"{name} {path}: {status}")
        sizes[name] = len(body)
        for _ in range(20):  # warm: templates compiled, statements cached
            _call(app, environ_for, path, headers)
    if profile:
        sort, top = os.environ.get("SORT", "cumulative"), int(os.environ.get("TOP", "40"))
        app, path, headers = routes[profile]
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(n):
            _call(app, environ_for, path, headers)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(sort).print_stats(top)
        return
    best = dict.fromkeys(routes, float("inf"))
    batch = max(1, n // rounds)
    for _ in range(rounds):
        for name, (app, path, headers) in routes.items():
            started = time.process_time()
            for _ in range(batch):
                _call(app, environ_for, path, headers)
            best[name] = min(best[name], (time.process_time() - started) / batch)
    for name, seconds in best.items():
        print(f"{name:16} {seconds * 1000:7.3f} ms CPU  ratio {best['reference'] / seconds:4.2f}"
              f"  {sizes[name]:6d} bytes")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenarios", type=int, default=10_000)
    parser.add_argument("--bids", type=int, default=50_000)
    parser.add_argument("-n", type=int, default=360, help="requests a route")
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--keep", type=Path, help="a folder for the data, reused when present")
    parser.add_argument("--only", help="routes to time, comma-separated (the reference always)")
    parser.add_argument("--profile", help="profile this route instead")
    args = parser.parse_args(argv)
    only = args.only.split(",") if args.only else None
    if args.profile and only is None:
        only = [args.profile]
    build = (args.scenarios, args.bids)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        measure(args.keep.resolve(), args.n, args.rounds, only, args.profile, build)
    else:
        with tempfile.TemporaryDirectory(prefix="marketplace-cpu-") as tmp:
            measure(Path(tmp), args.n, args.rounds, only, args.profile, build)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
