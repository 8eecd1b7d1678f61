"""SSRF through the PDF renderer: WeasyPrint fetches what a document links (images, styles),
so a user-written `<img src="http://169.254.169.254/...">` in a contract would make the server
fetch it. Every WeasyPrint document in the code must be built with a `url_fetcher` that
refuses the network; this test finds every `HTML(`/`CSS(` call of weasyprint in marketplace/
and checks that, and checks the fetchers it names refuse remote and file URLs."""

from __future__ import annotations

import ast
import contextlib
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "marketplace"
FORBIDDEN = ["http://169.254.169.254/latest/meta-data/", "https://example.org/x.png",
             "file:///etc/passwd", "ftp://example.org/x"]


def weasyprint_calls():
    """(module, call node) for each HTML(...)/CSS(...) imported from weasyprint."""
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        names = {alias.asname or alias.name for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module == "weasyprint"
                 for alias in node.names if alias.name in {"HTML", "CSS"}}
        modules = {alias.asname or alias.name for node in ast.walk(tree)
                   if isinstance(node, ast.Import) for alias in node.names
                   if alias.name == "weasyprint"}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if (isinstance(func, ast.Name) and func.id in names) or (
                    isinstance(func, ast.Attribute) and func.attr in {"HTML", "CSS"}
                    and isinstance(func.value, ast.Name) and func.value.id in modules):
                yield path, node


def test_every_weasyprint_document_has_a_url_fetcher():
    missing = [f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
               for path, node in weasyprint_calls()
               if not any(k.arg == "url_fetcher" for k in node.keywords)]
    assert not missing, "WeasyPrint documents without url_fetcher=: " + ", ".join(missing)


def _named_fetchers():
    """(module, name, called) of fetchers passed by name (`url_fetcher=fetch`) or built by a
    call without arguments (`url_fetcher=SafeFetcher()`)."""
    for path, node in weasyprint_calls():
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        for keyword in node.keywords:
            value = keyword.value
            if keyword.arg != "url_fetcher":
                continue
            if isinstance(value, ast.Name):
                yield module, value.id, False
            elif (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
                  and not value.args and not value.keywords):
                yield module, value.func.id, True


def test_the_url_fetchers_refuse_the_network_and_files(monkeypatch):
    fetchers = sorted(set(_named_fetchers()))
    if not fetchers:
        pytest.skip("no WeasyPrint rendering with a module-level url_fetcher yet")
    fetched = _no_real_fetching(monkeypatch)
    for module, name, called in fetchers:
        fetcher = getattr(importlib.import_module(module), name, None)
        if fetcher is None:
            continue  # a local variable; the first test still saw url_fetcher=
        if called:
            fetcher = fetcher()
        fetch = getattr(fetcher, "fetch", fetcher)
        for url in FORBIDDEN:
            with contextlib.suppress(Exception):  # refusing by raising is fine
                fetch(url)
    assert not fetched, f"the PDF renderer would fetch: {fetched}"


def _no_real_fetching(monkeypatch) -> list[str]:
    """Record (instead of making) every fetch through urllib, which WeasyPrint uses."""
    import urllib.request

    fetched: list[str] = []

    def record(self_or_url, url=None, *args, **kwargs):
        target = url if url is not None else self_or_url
        fetched.append(str(getattr(target, "full_url", target)))
        raise OSError("no network in this test")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", record)
    monkeypatch.setattr(urllib.request, "urlopen", record)
    return fetched
