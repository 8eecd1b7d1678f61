"""Signals other domains subscribe to, so that scenarios never import them.

Each is sent inside the transaction that made the change, with the scenario as sender:

- `scenario_published.send(scenario)`
- `scenario_amended.send(scenario, amendment=amendment)`
- `scenario_closed.send(scenario)`
- `scenario_cancelled.send(scenario, reason=reason)`

A receiver that fails aborts the change (it runs in the same transaction); receivers that do
slow work (indexing, e-mail) should queue it for after the commit.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

scenario_published = _signals.signal("scenario-published")
scenario_amended = _signals.signal("scenario-amended")
scenario_closed = _signals.signal("scenario-closed")
scenario_cancelled = _signals.signal("scenario-cancelled")
