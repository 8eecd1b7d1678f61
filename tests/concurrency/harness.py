"""Run the same work in N threads at once, each in its own app context and transaction,
released together by a barrier. For PostgreSQL tests with real commits (`real_db`):

    outcomes = run_concurrently(app, 50, lambda i: submit_bid(...))
    assert sum(o.ok for o in outcomes) == 1
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from marketplace.extensions import db


@dataclass
class Outcome:
    index: int
    result: object = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def run_concurrently(app, n: int, work: Callable[[int], object], *,
                     timeout: float = 120) -> list[Outcome]:
    """`work(i)` in n threads started together; each commits, or rolls back on an error."""
    barrier = threading.Barrier(n, timeout=timeout)
    outcomes = [Outcome(i) for i in range(n)]

    def run(i: int) -> None:
        with app.app_context():
            try:
                barrier.wait()
                outcomes[i].result = work(i)
                db.session.commit()
            except BaseException as exc:  # reported to the test, never lost
                db.session.rollback()
                outcomes[i].error = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if any(thread.is_alive() for thread in threads):
        raise TimeoutError(f"concurrent work did not finish in {timeout}s")
    return outcomes
