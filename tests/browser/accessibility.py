"""Accessibility checks of a page: Playwright checks always, axe-core (WCAG 2.x A and AA)
when its `axe.min.js` is installed locally (scripts/system-deps.sh --browser installs it with
npm; set AXE_CORE_JS to use another copy)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CACHE = Path(os.environ.get("MARKETPLACE_CACHE_DIR",
                            Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
                            / "scenario-marketplace"))
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

PLAYWRIGHT_CHECKS = """() => {
  const problems = [];
  const lang = document.documentElement.getAttribute('lang');
  if (!lang || !lang.trim()) problems.push('<html> has no lang');
  const h1 = document.querySelectorAll('h1').length;
  if (h1 !== 1) problems.push(`${h1} <h1> elements instead of one`);
  if (!document.title.trim()) problems.push('no <title>');
  for (const el of document.querySelectorAll('input, select, textarea')) {
    const type = (el.getAttribute('type') || '').toLowerCase();
    if (['hidden', 'submit', 'button', 'reset', 'image'].includes(type)) continue;
    const named = (el.labels && el.labels.length) || el.getAttribute('aria-label')
      || el.getAttribute('aria-labelledby') || el.getAttribute('title');
    if (!named) problems.push(`unlabelled ${el.tagName.toLowerCase()} name=${el.name}`);
  }
  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt')) problems.push(`img without alt: ${img.src}`);
  }
  for (const b of document.querySelectorAll('button, a[href]')) {
    const text = (b.innerText || '').trim() || b.getAttribute('aria-label')
      || b.getAttribute('title') || (b.querySelector('img[alt]') || {}).alt;
    if (!text) {
      problems.push(`${b.tagName.toLowerCase()} without a name: ${b.outerHTML.slice(0, 80)}`);
    }
  }
  return problems;
}"""


def axe_path() -> Path | None:
    candidate = Path(os.environ.get("AXE_CORE_JS",
                                    CACHE / "axe" / "node_modules" / "axe-core" / "axe.min.js"))
    return candidate if candidate.is_file() else None


def require_axe_in_ci() -> None:
    if os.environ.get("CI") == "true" and axe_path() is None and shutil.which("npm"):
        pytest.fail("axe-core is not installed although npm is: run "
                    "`bash scripts/system-deps.sh --browser`")


def assert_accessible(page, *, axe: bool = True) -> None:
    """One h1, labelled inputs, lang, alt texts; and no axe-core A/AA violations."""
    where = page.url
    problems = page.evaluate(PLAYWRIGHT_CHECKS)
    assert not problems, f"{where}: " + "; ".join(problems)
    path = axe_path() if axe else None
    if path is None:
        return
    # The app's CSP forbids injected script: run axe on the same page in a context that
    # bypasses CSP, with the same cookies, only for this check.
    context = page.context.browser.new_context(
        bypass_csp=True, storage_state=page.context.storage_state(),
        viewport=page.viewport_size,
    )
    try:
        checker = context.new_page()
        checker.goto(page.url)
        checker.add_script_tag(path=str(path))
        result = checker.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    finally:
        context.close()
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        for v in result["violations"]
    ]
    assert not violations, f"{where}: axe-core found\n  " + "\n  ".join(violations)
