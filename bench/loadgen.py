"""A small bounded load generator for when `wrk` is not installed: N keep-alive connections
in threads for a fixed duration; latencies in milliseconds."""

from __future__ import annotations

import http.client
import threading
import time
from urllib.parse import urlsplit


def python_load(url: str, duration: int, connections: int, headers: dict,
                paths: list[str] | None = None) -> dict:
    """`url`, or each of `paths` (on url's host) in turn on every connection."""
    parts = urlsplit(url)
    paths = paths or [parts.path + (f"?{parts.query}" if parts.query else "")]
    latencies: list[float] = []
    errors = [0]
    stop = time.monotonic() + duration
    lock = threading.Lock()

    def worker():
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        mine = []
        while time.monotonic() < stop:
            path = paths[len(mine) % len(paths)]
            started = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append((time.perf_counter() - started) * 1000)
            if response.status >= 400:
                errors[0] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else 0

    return {"rps": len(latencies) / duration, "p50": pct(0.50), "p99": pct(0.99),
            "errors": errors[0]}
