"""What `make run` does before serving, as it does it: the `flask` commands in a fresh instance
directory, configured for development (no SERVER_NAME, no request), in a process of their own.

The suite's app is configured for tests (SERVER_NAME set, a request context at hand), which is
how a seeder that builds links with url_for once passed the tests and failed `make run`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _flask(instance: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("MARKETPLACE_", "DATABASE_URL", "TEST_DATABASE"))}
    env.update({"MARKETPLACE_ENV": "development", "MARKETPLACE_INSTANCE_DIR": str(instance),
                "FLASK_APP": "wsgi"})
    return subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_the_make_run_commands_work_on_a_fresh_instance(tmp_path):
    instance = tmp_path / "instance"
    outputs = []
    for args in (["db", "upgrade"], ["demo", "seed"], ["search", "check", "--repair"],
                 ["demo", "seed"]):  # the seed again: idempotent, as a second `make run` does
        result = _flask(instance, *args)
        assert result.returncode == 0, f"flask {' '.join(args)}:\n{result.stderr[-3000:]}"
        outputs.append(result.stdout)
    assert "CTR-2026-00001 signed and sealed" in outputs[1]
    check = _flask(instance, "search", "check")
    assert check.returncode == 0 and "0 missing, 0 stale, 0 extra" in check.stdout
    assert (instance / "marketplace.db").exists()
