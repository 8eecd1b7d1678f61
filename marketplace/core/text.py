"""User-written Markdown rendered to safe HTML (markdown-it, then nh3)."""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}


def render_markdown(source: str | None) -> Markup:
    """Markdown to HTML that can be shown as is: raw HTML is escaped, then sanitised."""
    return _rendered(source or "")


@lru_cache(maxsize=128)
def _rendered(source: str) -> Markup:
    # the HTML is a function of the text alone (the parser and the allow-list are fixed), so a
    # scenario's problem read again and again is parsed and sanitised once per process; an
    # edited text is another key, so nothing shown can be stale
    html = _md.render(source)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above


def plain_text(source: str | None, limit: int | None = None) -> str:
    """Markdown without markup, for snippets and e-mails."""
    text = nh3.clean(_md.render(source or ""), tags=set()).strip()
    text = " ".join(text.split())
    if limit and len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return text
