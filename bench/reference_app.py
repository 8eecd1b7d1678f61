"""The reference the marketplace's pages are measured against: a minimal Flask +
Flask-SQLAlchemy app rendering 20 rows of the same `scenarios` table through a bare Jinja
template. Served like the app: `DATABASE_URL=sqlite:///... gunicorn -w 2 bench.reference_app:app`.
"""

from __future__ import annotations

import os

from flask import Flask, render_template
from flask_sqlalchemy import SQLAlchemy
from jinja2 import DictLoader
from sqlalchemy import select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Scenario(db.Model):
    __tablename__ = "scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str]
    title: Mapped[str]
    sector: Mapped[str]
    region: Mapped[str | None]
    state: Mapped[str]
    published_at: Mapped[str | None]


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Scenarios</title></head>
<body><h1>Scenarios</h1><table>
{% for s in scenarios %}<tr><td>{{ s.reference }}</td><td>{{ s.title }}</td>
<td>{{ s.sector }}</td><td>{{ s.region }}</td></tr>{% endfor %}
</table></body></html>"""


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    app.jinja_loader = DictLoader({"scenarios.html": PAGE})  # compiled once, like a file
    db.init_app(app)

    @app.route("/")
    def scenarios():
        rows = db.session.scalars(
            select(Scenario).where(Scenario.state == "published")
            .order_by(Scenario.published_at.desc()).limit(20)
        ).all()
        return render_template("scenarios.html", scenarios=rows)

    @app.route("/healthz")
    def healthz():
        return {"status": "ok"}

    return app


app = create_app() if "DATABASE_URL" in os.environ else None
