"""The migrations in migrations/ build exactly the schema of the models, on an empty database."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, create_engine, text
from sqlalchemy.engine import make_url

from marketplace.extensions import db
from tests.conftest import IS_POSTGRES

ROOT = Path(__file__).resolve().parents[2]


def _flask_db_upgrade(url: str, tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": url, "FLASK_APP": "wsgi", "MARKETPLACE_ENV": "testing",
           "SECRET_KEY": "migration-test", "MARKETPLACE_INSTANCE_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "flask", "db", "upgrade"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def _differences(url: str) -> list:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return compare_metadata(context, db.metadata)
    finally:
        engine.dispose()


@pytest.fixture
def empty_database(app, tmp_path):
    """A fresh empty database of the kind the suite runs on."""
    if not IS_POSTGRES:
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    name = f"migration_check_{uuid.uuid4().hex[:12]}"
    admin = create_engine(db.engine.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(db.engine.url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _expression_indexes() -> set[str]:
    return {
        index.name for table in db.metadata.tables.values() for index in table.indexes
        if any(not isinstance(expr, Column) for expr in index.expressions)
    }


def _index_names(url: str) -> set[str]:
    engine = create_engine(url)
    query = ("SELECT name FROM sqlite_master WHERE type = 'index'" if url.startswith("sqlite")
             else "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
    try:
        with engine.connect() as conn:
            return set(conn.execute(text(query)).scalars())
    finally:
        engine.dispose()


# SQLite cannot reflect expression indexes: they are checked by name below instead
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression")
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_upgrade_on_empty_database_matches_the_models(empty_database, tmp_path):
    assert list((ROOT / "migrations" / "versions").glob("*.py")), "no migrations"
    _flask_db_upgrade(empty_database, tmp_path)
    differences = _differences(empty_database)
    assert differences == [], "\n".join(map(str, differences))
    missing = _expression_indexes() - _index_names(empty_database)
    assert not missing, f"expression indexes missing from the migrations: {missing}"
