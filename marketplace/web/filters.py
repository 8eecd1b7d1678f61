"""Template filters and globals shared by every page."""

from __future__ import annotations

from flask_login import current_user

from marketplace.core.money import format_money
from marketplace.core.text import render_markdown
from marketplace.core.time import local, utcnow
from marketplace.web.navigation import nav_links


def register(app) -> None:
    default_tz = app.config["MARKETPLACE_TIMEZONE"]

    @app.template_filter("markdown")
    def markdown_filter(source):
        return render_markdown(source)

    @app.template_filter("money")
    def money_filter(amount, currency=None):
        return format_money(amount, currency)

    @app.template_filter("localtime")
    def localtime_filter(value, tz=None, fmt="%Y-%m-%d %H:%M %Z"):
        shown = local(value, tz or default_tz)
        return shown.strftime(fmt) if shown else "—"

    @app.template_filter("isotime")
    def isotime_filter(value):
        return value.isoformat() if value else ""

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
