"""Template filters and globals shared by every page."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from urllib.parse import quote_plus

from flask import request, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from marketplace.core.money import format_money
from marketplace.core.text import render_markdown
from marketplace.core.time import local, utcnow
from marketplace.web.navigation import nav_links

_HEADING = re.compile(r"<(/?)h([1-6])>")
PLACEHOLDER = "--value--"
CRUMBS = '<nav aria-label="Breadcrumb"><ol class="breadcrumb small mb-2">%s</ol></nav>'
CRUMB_LINK = '<li class="breadcrumb-item"><a href="%s">%s</a></li>'
CRUMB_HERE = '<li class="breadcrumb-item active" aria-current="page">%s</li>'

STATE_BADGES = {
    "published": "bg-success", "draft": "bg-secondary", "closed": "bg-dark",
    "cancelled": "bg-danger", "evaluation": "bg-info text-dark", "awarded": "bg-primary",
    "contracted": "bg-primary", "completed": "bg-light text-dark",
}


@lru_cache(maxsize=64)  # a few states, each badge formatted once (8 us with Markup.format)
def _state_badge(state: str) -> Markup:
    state = "published" if state == "open" else state
    return Markup('<span class="badge {}">{}</span>').format(
        STATE_BADGES.get(state, "bg-secondary"), "open" if state == "published" else state)


def demote_headings(html: Markup) -> Markup:
    """Headings a user writes sit under the page's h1 and section h2: `#` becomes an h3."""
    return Markup(_HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 2, 6)}>", str(html)))  # noqa: S704 - input is already sanitised


def register(app) -> None:
    default_tz = app.config["MARKETPLACE_TIMEZONE"]

    @app.template_filter("markdown")
    def markdown_filter(source):
        return demote_headings(render_markdown(source))

    @app.template_filter("money")
    def money_filter(amount, currency=None):
        return format_money(_decimal(amount), currency)

    @app.template_filter("localtime")
    def localtime_filter(value, tz=None, fmt="%Y-%m-%d %H:%M %Z"):
        try:
            return _localtime(value, tz or default_tz, fmt)
        except TypeError:  # an unhashable value: shown as the function shows it
            return _localtime.__wrapped__(value, tz or default_tz, fmt)

    @app.template_filter("isotime")
    def isotime_filter(value):
        return value.isoformat() if value else ""

    built: dict[tuple, str] = {}

    @app.template_global()
    def plain_url(endpoint: str, filename: str | None = None) -> str:
        """`url_for` of a route without arguments (or of a static file), built once per
        script root: the links of the page frame are the same on every page."""
        key = (endpoint, filename, request.script_root)
        url = built.get(key)
        if url is None:
            url = built[key] = (url_for(endpoint, filename=filename) if filename
                                else url_for(endpoint))
        return url

    @app.template_global()
    def breadcrumbs(crumbs) -> Markup:
        """The trail above a page's heading: `crumbs` is a list of (label, url), the last
        one the page itself (its url None), after the home page. A global, not a macro
        imported with {% from %}, which runs its template anew on every render (a fifth of
        a scenario page's rendering)."""
        # escape() and joins, not Markup.format: formatting costs 10 us a call
        items = [CRUMB_LINK % (escape(plain_url("web.home")), "Home")]
        last = len(crumbs) - 1
        for n, (label, url) in enumerate(crumbs):
            items.append(CRUMB_LINK % (escape(url), escape(label)) if url and n < last
                         else CRUMB_HERE % escape(label))
        return Markup(CRUMBS % "".join(items))  # noqa: S704 - every value escaped

    @app.template_global()
    def record_url(endpoint: str, value) -> str:
        """`url_for(endpoint, <its one argument>=value)`, for the links of a long list (a
        card's title): the route's URL is built once per script root, with a placeholder,
        and each link quotes its value as the route's converter does (werkzeug's build
        costs 20 us a link, a quarter of a card)."""
        key = ("record", endpoint, request.script_root)
        parts = built.get(key)
        if parts is None:
            (rule,) = app.url_map.iter_rules(endpoint)
            (argument,) = rule.arguments
            if f"<{argument}>" not in rule.rule:  # a typed converter (int, path) quotes its own way
                raise ValueError(f"record_url serves routes of one plain argument, not {rule}")
            before, after = url_for(endpoint, **{argument: PLACEHOLDER}).split(PLACEHOLDER)
            parts = built[key] = (before, after, app.url_map.converters["default"](app.url_map))
        before, after, converter = parts
        return before + converter.to_url(value) + after

    @app.template_global()
    def query_url(endpoint: str, values: dict) -> str:
        """`url_for(endpoint, **values)` for a route without arguments, whose values all go
        to its query string (a list page's facet, suggestion and page links): the route's URL
        built once per script root, and the values encoded as werkzeug encodes them (its
        build costs 20 us a link, and a search page has twenty). Whatever url_for would read
        otherwise (its own keywords, lists, a URL default) goes to url_for itself."""
        pairs = _query_pairs(values)
        if pairs is None or not _plain_query_route(endpoint):
            return url_for(endpoint, **values)
        base = plain_url(endpoint)
        return f"{base}?{'&'.join(pairs)}" if pairs else base

    def _plain_query_route(endpoint: str) -> bool:
        key = ("query route", endpoint)
        plain = built.get(key)
        if plain is None:
            rules = list(app.url_map.iter_rules(endpoint))
            plain = built[key] = (len(rules) == 1 and not rules[0].arguments
                                  and not rules[0].defaults and not rules[0].build_only
                                  and not rules[0].redirect_to)
        return (plain and not app.url_map.sort_parameters
                and not any(app.url_default_functions.values()))

    @app.template_filter("state_badge")
    def state_badge(state) -> Markup:
        """A scenario's state as a coloured badge; a published scenario reads as open."""
        return _state_badge(str(getattr(state, "value", state)))

    @app.template_global()
    def bootstrap_tags(kind: str) -> Markup:
        """Bootstrap's stylesheet (`css`) or scripts (`js`) as `bootstrap.load_css()` and
        `load_js()` write them, built once per script root: they depend on the configuration
        alone, and the extension builds them again on every page."""
        key = ("bootstrap", kind, request.script_root)
        tags = built.get(key)
        if tags is None:
            extension = app.extensions["bootstrap"]  # both give Markup
            tags = built[key] = extension.load_css() if kind == "css" else extension.load_js()
        return tags

    @app.context_processor
    def inject():
        unread = 0
        if current_user.is_authenticated:
            from marketplace.notifications.queries import unread_count

            unread = unread_count(current_user)
        endpoints = app.view_functions.keys()
        return {
            "now": utcnow(),
            "unread_notifications": unread,
            "endpoints": endpoints,
            "nav_links": lambda: nav_links(current_user, endpoints),
        }


@lru_cache(maxsize=4096)
def _localtime(value, tz: str, fmt: str) -> str:
    """A moment as shown in a time zone: a function of its arguments alone (10 us a call, a
    scenario page shows four), kept per process. Equal aware moments show alike in `tz`."""
    shown = local(_datetime(value), tz)
    return shown.strftime(fmt) if shown else "—"


# url_for's own keywords: given as values, url_for reads them (or refuses them) itself
URL_FOR_KEYWORDS = frozenset({"endpoint", "_anchor", "_method", "_scheme", "_external"})


def carried_args(args, *, drop=("page",)) -> dict[str, str]:
    """The query arguments a page carries into its own links (filters, sort): those with a
    value, but `drop` and url_for's own keywords, which a visitor can type as well (url_for
    would read `?endpoint=...` as its endpoint: a 500)."""
    return {key: value for key, value in args.items()
            if value and key not in drop and key not in URL_FOR_KEYWORDS}


def _query_pairs(values: dict) -> list[str] | None:
    """`values` as werkzeug's build puts them in a query string (None values left out), or
    None when one is not a plain string or number (a list repeats its key, and so on)."""
    pairs = []
    for key, value in values.items():
        if value is None:
            continue
        if type(key) is not str or key in URL_FOR_KEYWORDS or (
                type(value) is not str and type(value) is not int):
            return None
        pairs.append(_query_pair(key, value))
    return pairs


@lru_cache(maxsize=4096)  # a pure function of the two: the same facet values on every page
def _query_pair(key: str, value: str | int) -> str:
    """`key=value` as urllib's urlencode writes it with werkzeug's safe characters."""
    return f"{quote_plus(key, QUERY_SAFE)}={quote_plus(str(value), QUERY_SAFE)}"


QUERY_SAFE = "!$'()*,/:;?@"  # werkzeug.urls._urlencode's: the WHATWG's percent-encode set


def _decimal(value):
    """Amounts stored as text (a bid version's JSON) shown like any other amount."""
    if value is None or isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _datetime(value):
    """Timestamps stored as ISO 8601 text (a bid version's JSON) shown in a time zone too."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return value
