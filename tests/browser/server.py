"""The app served by gunicorn on 127.0.0.1, on a fresh SQLite database, for browser journeys.

Objects a journey needs are built BEFORE the server starts, in a separate process with its own
app context (`python -m tests.browser.seeds NAME`), through the factories and services. The
same runner moves the clock of the world while the server runs (`run_seed(server, "expire",
...)`), since a browser test cannot use `time_machine`.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    base: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    kept_log: str | None = None  # the log, kept when the temporary folder goes

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.base / "server.log"

    def environ(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if k not in {"TEST_DATABASE_URL", "FLASK_RUN_FROM_CLI"}}
        env.update({
            "DATABASE_URL": f"sqlite:///{self.base / 'marketplace.db'}",
            "SECRET_KEY": "browser-tests-only",
            "MARKETPLACE_ENV": "testing",
            "MARKETPLACE_INSTANCE_DIR": str(self.base),
            "MARKETPLACE_STORAGE_DIR": str(self.base / "files"),
            "MARKETPLACE_INDEX_DIR": str(self.base / "index"),
            "MARKETPLACE_SIGNING_KEY": str(self.base / "signing" / "key.pem"),
            "MARKETPLACE_SIGNING_CERT": str(self.base / "signing" / "cert.pem"),
            "MARKETPLACE_BASE_URL": self.url,
            "MARKETPLACE_MIN_BID_PERIOD_HOURS": "0",
            "RATELIMIT_ENABLED": "0",
            "PYTHONPATH": str(ROOT),
        })
        return env

    def start(self, timeout: float = 30) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "1", "--threads", "4", "--worker-class", "gthread",
             "--timeout", "60", "--access-logfile", "-", "wsgi:app"],
            cwd=ROOT, env=self.environ(), stdout=log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)  # waiting for a server to start, not for application time
        raise RuntimeError(f"gunicorn did not answer in {timeout}s: {self.log_tail()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            text = self.kept_log or ""
        return "\n".join(text.splitlines()[-lines:])


def run_seed(server: LiveServer, name: str, *, fresh: bool = False, **kwargs) -> dict:
    """Run `tests.browser.seeds.<name>(**kwargs)` in its own process against the server's
    database (created first when `fresh`); returns what it returns (JSON)."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.browser.seeds", name, json.dumps(kwargs),
         *(["--fresh"] if fresh else [])],
        cwd=ROOT, env=server.environ(), capture_output=True, text=True, timeout=120,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"seed {name} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def live_server(seed: str | None = None, **kwargs):
    """A fresh database (+ the seed's objects), then gunicorn; yields (server, seeded)."""
    with tempfile.TemporaryDirectory(prefix="marketplace-browser-") as tmp:
        server = LiveServer(Path(tmp))
        seeded = run_seed(server, seed or "nothing", fresh=True, **kwargs)
        server.start()
        try:
            yield server, seeded
        finally:
            server.stop()
            server.kept_log = server.log_tail(2000)
