"""Server time of the paginated OCDS releases endpoint (not a test) on the load benchmark's data
set, with a share of it closed and awarded (bench.transparency's `close_some`).

    python -m bench.ocds                              # 10,000 scenarios, 50,000 bids
    python -m bench.ocds --scenarios 2000 --bids 10000 --repeat 5 --check

Prints the median and the worst of `--repeat` requests through Flask's test client, per path;
with `--check`, also whether every page (per_page=1000) is the slice of the full list.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.transparency import arguments, timed, varied_app  # noqa: E402

PATHS = ["/api/v1/ocds/releases", "/api/v1/ocds/releases?page=10&per_page=100",
         "/api/v1/ocds/releases?per_page=1000",
         "/api/v1/ocds/releases?since=2020-01-01T00:00:00Z&page=3"]


def check(app, client) -> str:
    """Whether the pages, end to end, are the slices of every release built the full way."""
    from marketplace.transparency import ocds

    with app.test_request_context():
        expected = [r["id"] for r in ocds.all_releases()]
    found, page = [], 1
    while True:
        response = client.get(f"/api/v1/ocds/releases?per_page=1000&page={page}")
        found += [r["id"] for r in response.get_json()["releases"]]
        if 'rel="next"' not in response.headers.get("Link", ""):
            break
        page += 1
    same = found == expected and response.headers["X-Total-Count"] == str(len(expected))
    return f"{len(expected)} releases: " + ("the same as the full list" if same
                                            else "DIFFERENT from the full list")


def main(argv=None) -> int:
    args = arguments(__doc__.split("\n\n")[0], "also compare every page with the full list",
                     argv)
    with varied_app(args, "marketplace-ocds-") as app:
        client = app.test_client()
        client.get(PATHS[0])  # warm up: statement cache
        for path in PATHS:
            times = timed(client, path, args.repeat)
            response = client.get(path)
            print(f"{path:62} median {statistics.median(times):8.1f} ms  "
                  f"max {max(times):8.1f} ms  total {response.headers['X-Total-Count']}")
        if args.check:
            started = time.perf_counter()
            print(check(app, client), f"({time.perf_counter() - started:.0f} s)")
    return 0

if __name__ == "__main__":
    raise SystemExit(main())
