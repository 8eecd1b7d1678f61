"""The API's scenario list as JSON, each scenario's summary rendered once per distinct row.

Dumping 20 summaries with their KPIs and encoding them was half the list's cost, for output
that only changes when a scenario does. A summary's JSON is a pure function of: its raw
values, its agency's and its KPIs' (`SummaryRow.key()`, with the dialect and driver that read
them, which decide how they are processed); its effective state, the one input that moves
with the clock (a published scenario closes at its deadline); and the app's JSON settings.
`_RENDERED` keeps, under a key of the raw values and the JSON settings, the summary's JSON
per effective state (and its processed state and deadline, which say which is due now), so
a row read again renders as it would anew. It is not a cache of responses or of query
results: every request still reads its rows (and its count) from the database.
"""

from __future__ import annotations

import datetime as dt
import threading

from flask import Response, current_app, jsonify
from flask.json.provider import DefaultJSONProvider

from marketplace.core.dumping import dump
from marketplace.core.pagination import Page
from marketplace.core.time import utcnow
from marketplace.scenarios.schemas import ScenarioPageSchema
from marketplace.scenarios.states import ScenarioState, effective_state
from marketplace.scenarios.summaries import summary

PAGE_SCHEMA = ScenarioPageSchema()
_ITEM_SCHEMA = PAGE_SCHEMA.fields["items"].inner.schema
_COMPACT = (",", ":")  # as Flask's provider encodes a response, unless it indents
_HEAD = '{"items":['

_RENDERED: dict[tuple, _Renderings] = {}
MAX_RENDERED = 2048  # some 2 kB each; the oldest go first
_LOCK = threading.Lock()


def summaries_response(page: Page) -> Response:
    """`jsonify` of the page of `SummaryRow`s as `ScenarioPageSchema` dumps it."""
    now = utcnow()
    provider = current_app.json
    envelope = dump(PAGE_SCHEMA, {"items": [], "page": page.page, "per_page": page.per_page,
                                  "total": page.total})
    head = None
    if type(provider) is DefaultJSONProvider and not (
            provider.compact is False or (provider.compact is None and current_app.debug)):
        head = provider.dumps(envelope, separators=_COMPACT)
    if head is None or not head.startswith(_HEAD + "]"):  # indented, or not Flask's own
        envelope["items"] = dump(_ITEM_SCHEMA, [summary(row, as_of=now) for row in page.items],
                                 many=True)
        return jsonify(envelope)
    settings = (provider.sort_keys, provider.ensure_ascii)
    items = []
    for row in page.items:
        key = (settings, row.key())
        kept = _RENDERED.get(key)
        if kept is None:
            kept = _remember(key, _Renderings(*row.state_and_deadline()))
        state = effective_state(kept.state, kept.deadline, now)
        text = kept.texts.get(state)
        if text is None:
            text = kept.texts[state] = provider.dumps(
                dump(_ITEM_SCHEMA, summary(row, as_of=now)), separators=_COMPACT)
        items.append(text)
    body = f"{_HEAD}{','.join(items)}{head[len(_HEAD):]}\n"
    return current_app.response_class(body, mimetype=provider.mimetype)


class _Renderings:
    """A summary's JSON per effective state (at most two: published and closed), and the
    (processed) state and deadline that say which one is due."""

    __slots__ = ("deadline", "state", "texts")

    def __init__(self, state: ScenarioState, deadline: dt.datetime | None):
        self.state, self.deadline, self.texts = state, deadline, {}


def _remember(key: tuple, renderings: _Renderings) -> _Renderings:
    with _LOCK:
        while len(_RENDERED) >= MAX_RENDERED:
            del _RENDERED[next(iter(_RENDERED))]
        return _RENDERED.setdefault(key, renderings)

