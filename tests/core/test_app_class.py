"""The application's Flask subclass remembers plain functions for `ensure_sync`; async ones
still run through Flask's own wrapper."""

from __future__ import annotations

import functools

from marketplace import Marketplace


def test_plain_functions_are_remembered_and_returned_as_they_are(app):
    assert isinstance(app, Marketplace)

    def view():
        return "plain"

    assert app.ensure_sync(view) is view
    assert view in app._plain_functions
    assert app.ensure_sync(view) is view  # the remembered answer


def _wrapper(monkeypatch, app):
    """Flask's async wrapper, stood in for (it needs asgiref, which the app does not use)."""
    wrapped = []
    monkeypatch.setattr(app, "async_to_sync", lambda func: wrapped.append(func) or "wrapped")
    return wrapped


def test_methods_are_judged_by_their_function(app, monkeypatch):
    wrapped = _wrapper(monkeypatch, app)

    class Hooks:
        def after(self, response):
            return response

        async def later(self, response):
            return response

    hooks = Hooks()
    assert app.ensure_sync(hooks.after) == hooks.after
    assert Hooks.after in app._plain_functions
    assert app.ensure_sync(hooks.later) == "wrapped" and wrapped == [hooks.later]
    assert Hooks.later not in app._plain_functions


def test_async_functions_still_go_through_flasks_wrapper(app, monkeypatch):
    wrapped = _wrapper(monkeypatch, app)

    async def view():
        return "awaited"

    assert app.ensure_sync(view) == "wrapped" and app.ensure_sync(view) == "wrapped"
    assert wrapped == [view, view] and view not in app._plain_functions


def test_other_callables_get_flasks_own_answer(app):
    def plain(x):
        return x

    partial = functools.partial(plain, 1)
    assert app.ensure_sync(partial) is partial and partial not in app._plain_functions


def test_the_memory_is_bounded(app, monkeypatch):
    monkeypatch.setattr(app, "_plain_functions", set())
    monkeypatch.setattr(Marketplace, "PLAIN_KEPT", 2)
    made = [eval("lambda: None") for _ in range(5)]  # noqa: S307 - five distinct functions
    for function in made:
        assert app.ensure_sync(function) is function
    assert len(app._plain_functions) == 2
