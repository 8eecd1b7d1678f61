"""Scenario Marketplace: business scenarios for one-person companies."""

from __future__ import annotations

import logging
from inspect import iscoroutinefunction
from pathlib import Path
from types import FunctionType, MethodType

from flask import Flask, g, request

from marketplace import config as config_module
from marketplace.extensions import bootstrap, csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent

# Every model module, so that metadata (and Alembic) sees every table.
MODEL_MODULES = (
    "marketplace.accounts.models",
    "marketplace.core.references",
    "marketplace.audit.models",
    "marketplace.notifications.models",
    "marketplace.scenarios.models",
    "marketplace.companies.models",
    "marketplace.bids.models",
    "marketplace.evaluation.models",
    "marketplace.contracts.models",
    "marketplace.search.models",
)

# Web blueprints, in the order the navigation reads.
WEB_BLUEPRINTS = (
    "marketplace.web.views:bp",
    "marketplace.accounts.views:bp",
    "marketplace.admin.views:bp",
    "marketplace.scenarios.views:bp",
    "marketplace.companies.views:bp",
    "marketplace.bids.views:bp",
    "marketplace.search.views:bp",
    "marketplace.evaluation.views:bp",
    "marketplace.contracts.views:bp",
    "marketplace.transparency.views:bp",
    "marketplace.notifications.views:bp",
)

# API blueprints under /api/v1.
API_BLUEPRINTS = (
    "marketplace.api.accounts:blp",
    "marketplace.api.scenarios:blp",
    "marketplace.api.companies:blp",
    "marketplace.api.bids:blp",
    "marketplace.api.search:blp",
    "marketplace.api.evaluation:blp",
    "marketplace.api.contracts:blp",
    "marketplace.api.ocds:blp",
)


def _load(path: str):
    import importlib

    module_name, _, attr = path.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):  # a domain not built yet
            return None
        raise
    return getattr(module, attr, None)


class Marketplace(Flask):
    """Flask, remembering which functions it has found plain (not `async def`).

    Flask asks `ensure_sync` of every view, hook, context processor and teardown function on
    every request (fourteen a page here), and each answer inspects the function's code flags
    (1-2 us). Whether a function is a coroutine function does not change, so the plain ones
    (and methods of plain functions) are remembered, up to PLAIN_KEPT; anything else is
    Flask's own answer each time."""

    PLAIN_KEPT = 4096

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._plain_functions: set = set()

    def ensure_sync(self, func):
        target = func.__func__ if type(func) is MethodType else func
        if type(target) is FunctionType:
            if target in self._plain_functions:
                return func
            if not iscoroutinefunction(func):
                if len(self._plain_functions) < self.PLAIN_KEPT:
                    self._plain_functions.add(target)
                return func
        return super().ensure_sync(func)


def create_app(config: dict | None = None) -> Flask:
    """Build the application. No I/O beyond reading the environment."""
    app = Marketplace(
        __name__,
        static_folder=str(ROOT / "static"),
        template_folder=str(ROOT / "templates"),
        instance_path=str(config_module.INSTANCE),
    )
    settings = config_module.from_environment()
    settings.update(config or {})
    app.config.update(config_module.finalise(settings))
    logging.basicConfig(level=logging.INFO if not app.testing else logging.WARNING)
    # WeasyPrint and fontTools narrate every render at INFO; keep the log for our own lines
    for noisy in ("weasyprint", "weasyprint.progress", "fontTools"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    bootstrap.init_app(app)
    limiter.init_app(app)
    _configure_sqlite(app)

    for module in MODEL_MODULES:
        _load(module + ":__name__")

    from marketplace.accounts.loader import configure_login

    configure_login(login_manager)

    _register_api(app)
    for path in WEB_BLUEPRINTS:
        blueprint = _load(path)
        if blueprint is not None:
            app.register_blueprint(blueprint)

    from marketplace.web import errors, filters, fragments, security, templating

    templating.register(app)
    errors.register(app)
    filters.register(app)
    fragments.register(app)
    security.register(app)

    from marketplace import cli

    cli.register(app)

    @app.before_request
    def _client_ip():
        g.client_ip = request.remote_addr

    return app


def _register_api(app: Flask) -> None:
    from marketplace.api import api

    api.init_app(app)
    for path in API_BLUEPRINTS:
        blp = _load(path)
        if blp is not None:
            api.register_blueprint(blp, url_prefix="/api/v1")
            csrf.exempt(blp)  # bearer tokens, never cookies: nothing for CSRF to forge
    from marketplace.api.docs import bp as docs_bp

    app.register_blueprint(docs_bp)


def _configure_sqlite(app: Flask) -> None:
    from marketplace.core import sqlite

    sqlite.configure(app)
