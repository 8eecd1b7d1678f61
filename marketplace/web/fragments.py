"""Fragments of a page rendered once per distinct content (a list's cards).

A card is a pure function of what it is given: the record's values (a row that compares by
value: a named tuple such as `ScenarioCard`, or a frozen dataclass), the values the page
computed for it (its effective state, a search snippet), the template, the application's
configuration (fixed for the app's life) and the script root its links are built under. The
rendered HTML is kept under exactly those inputs, so it cannot go stale: a changed record is a
different key, a reloaded template a different template object. Nothing is keyed on the URL
or the user, and nothing is invalidated. Rendering a card costs 40-50 us; finding it, 1-2 us.
The store is bounded (oldest out first)."""

from __future__ import annotations

from collections.abc import Hashable
from contextlib import suppress
from dataclasses import fields, is_dataclass
from enum import Enum

from flask import Flask, request
from markupsafe import Markup

SIZE = 4096  # cards of about 1 KB each: a few MB a worker at most


class Fragments:
    def __init__(self, app: Flask, size: int = SIZE):
        self.app = app
        self.size = size
        self.rendered: dict[tuple, Markup] = {}
        self.by_value: dict[type, bool] = {}  # whether a type's values may key a fragment

    def __call__(self, name: str, **context) -> Markup:
        return self._render(self.app.jinja_env.get_template(name), request.script_root,
                            context)

    def each(self, name: str, contexts) -> list[Markup]:
        """One fragment per context, of the same template (a list's cards): the template and
        the script root looked up once."""
        template, root, render = (self.app.jinja_env.get_template(name), request.script_root,
                                  self._render)
        return [render(template, root, context) for context in contexts]

    def _render(self, template, root: str, context: dict) -> Markup:
        key = (template, root, *context.items())
        html = None
        keyed = self._keyable(context)
        if keyed:
            try:
                html = self.rendered.get(key)
            except TypeError:  # an unhashable value inside
                keyed = False
        if html is None:
            html = Markup(template.render(context))  # noqa: S704 - Jinja output, autoescaped
            if keyed:
                if len(self.rendered) >= self.size:
                    with suppress(KeyError, RuntimeError, StopIteration):  # a thread beside
                        del self.rendered[next(iter(self.rendered))]
                self.rendered[key] = html
        return html

    def _keyable(self, context: dict) -> bool:
        """Whether every value compares and hashes by what it holds: a model instance, say,
        does not (its content can change under the same identity), and is rendered each
        time. Judged once a type, but for tuples; a frozen dataclass on its first value (its
        fields hold the same kinds of values)."""
        for value in context.values():
            kind = type(value)
            verdict = self.by_value.get(kind)
            if verdict is None:
                verdict = _by_value(value)
                if kind is not tuple:
                    self.by_value[kind] = verdict
            if not verdict:
                return False
        return True


def _by_value(value) -> bool:
    """Whether `value` compares and hashes by what it holds, not by identity."""
    if not isinstance(value, Hashable):
        return False
    if value is None or isinstance(value, str | int | float | bytes | Enum):
        return True
    if isinstance(value, tuple | frozenset):
        return all(_by_value(item) for item in value)
    if is_dataclass(value):
        params = type(value).__dataclass_params__
        return params.frozen and params.eq and all(
            _by_value(getattr(value, f.name)) for f in fields(value))
    # decimals, dates and the like define their own equality; a model instance does not
    return type(value).__eq__ is not object.__eq__


def register(app: Flask) -> None:
    app.add_template_global(Fragments(app), "fragment")
