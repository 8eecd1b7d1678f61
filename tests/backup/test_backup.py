"""`flask backup create` / `flask backup restore`: a restored copy holds every row and file.

These tests commit for real (`real_db`) into databases of their own: a temporary SQLite file on
both passes, and a second PostgreSQL database on the PostgreSQL pass.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import make_url, select, text

from marketplace import create_app
from marketplace.audit.services import verify_chain
from marketplace.backup.services import sha256_file
from marketplace.extensions import db
from tests import factories
from tests.conftest import IS_POSTGRES, TEST_DATABASE_URL


def make_app(url: str, base: Path):
    return create_app({
        "TESTING": True, "ENV_NAME": "testing", "SECRET_KEY": "backup-test",
        "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False,
        "MARKETPLACE_STORAGE_DIR": str(base / "files"),
        "MARKETPLACE_INDEX_DIR": str(base / "index"),
    })


def build_mid_evaluation():
    """Two agencies' staff, a closed scenario with three bids (one with an evidence file),
    an open scenario, audit events: the state of a marketplace in the middle of evaluation."""
    from marketplace.bids.models import EvidenceFile
    from marketplace.core.files import store_upload
    from marketplace.core.time import utcnow
    from marketplace.scenarios.states import ScenarioState

    agency = factories.create_agency()
    factories.create_buyer(agency=agency)
    factories.create_evaluator(agency=agency)
    factories.create_evaluator(agency=agency)
    closed = factories.create_scenario(agency, state=ScenarioState.EVALUATION,
                                       deadline=utcnow() - dt.timedelta(days=1))
    factories.create_scenario(agency)
    bids = [factories.create_bid(closed) for _ in range(3)]
    stored = store_upload(io.BytesIO(b"%PDF-1.4\n% pilot report\n"), "pilot.pdf",
                          allowed={"pdf"})
    db.session.add(EvidenceFile(bid=bids[0], storage_key=stored.storage_key,
                                original_name=stored.original_name,
                                content_type=stored.content_type, size=stored.size,
                                sha256=stored.sha256))
    factories.create_founder(company=bids[0].company)
    db.session.commit()


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    rows = {}
    for table in db.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        rows[table.name] = [tuple(r) for r in db.session.execute(
            select(table).order_by(*order)).all()]
    db.session.rollback()
    return rows


def stored_files(app) -> dict[str, str]:
    root = Path(app.config["MARKETPLACE_STORAGE_DIR"])
    return {p.relative_to(root).as_posix(): sha256_file(p)
            for p in root.rglob("*") if p.is_file()}


def run(app, *args):
    # inside the app's own context: a command runs in the current context when there is one
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def _backup_and_restore(source_app, target_app, folder: Path):
    with source_app.app_context():
        before = snapshot()
        files = stored_files(source_app)
    created = run(source_app, "backup", "create", str(folder))
    assert created.exit_code == 0, created.output
    restored = run(target_app, "backup", "restore", str(folder))
    assert restored.exit_code == 0, restored.output
    with target_app.app_context():
        after = snapshot()
        assert after == before
        assert stored_files(target_app) == files
        report = verify_chain()
        assert report.ok and report.checked == len(before["audit_events"]) > 0
    return before


def test_sqlite_backup_restores_every_row_file_and_audit_event(real_db, tmp_path):
    source = make_app(f"sqlite:///{tmp_path / 'source.db'}", tmp_path / "source")
    target = make_app(f"sqlite:///{tmp_path / 'target.db'}", tmp_path / "target")
    with source.app_context():
        db.create_all()
        build_mid_evaluation()
    with target.app_context():
        db.create_all()  # as after `flask db upgrade`: tables, no rows
    before = _backup_and_restore(source, target, tmp_path / "backup")
    assert len(before["bids"]) == 3 and len(before["evidence_files"]) == 1
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["rows"]["bids"] == 3
    assert any(name.startswith("files/") for name in manifest["sha256"])


def test_restore_refuses_a_database_with_rows(real_db, tmp_path):
    source = make_app(f"sqlite:///{tmp_path / 'source.db'}", tmp_path / "source")
    with source.app_context():
        db.create_all()
        build_mid_evaluation()
        before = snapshot()
    assert run(source, "backup", "create", str(tmp_path / "backup")).exit_code == 0
    result = run(source, "backup", "restore", str(tmp_path / "backup"))
    assert result.exit_code != 0
    assert "not empty" in result.output
    with source.app_context():
        assert snapshot() == before


def test_restore_refuses_a_damaged_backup_and_changes_nothing(real_db, tmp_path):
    source = make_app(f"sqlite:///{tmp_path / 'source.db'}", tmp_path / "source")
    target = make_app(f"sqlite:///{tmp_path / 'target.db'}", tmp_path / "target")
    with source.app_context():
        db.create_all()
        build_mid_evaluation()
    with target.app_context():
        db.create_all()
    assert run(source, "backup", "create", str(tmp_path / "backup")).exit_code == 0
    evidence = next((tmp_path / "backup" / "files").rglob("*"))
    while evidence.is_dir():
        evidence = next(evidence.iterdir())
    evidence.write_bytes(b"%PDF-1.4\n% tampered\n")
    result = run(target, "backup", "restore", str(tmp_path / "backup"))
    assert result.exit_code != 0
    assert "does not match its SHA-256" in result.output
    with target.app_context():
        assert all(not rows for rows in snapshot().values())
    assert stored_files(target) == {}


def test_backup_refuses_a_folder_that_is_not_empty(real_db, tmp_path):
    source = make_app(f"sqlite:///{tmp_path / 'source.db'}", tmp_path / "source")
    with source.app_context():
        db.create_all()
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "keep.txt").write_text("mine")
    result = run(source, "backup", "create", str(tmp_path / "backup"))
    assert result.exit_code != 0 and "not empty" in result.output


@pytest.mark.postgres_only
def test_postgresql_backup_restores_into_a_new_database(app, real_db, tmp_path):
    assert IS_POSTGRES
    url = make_url(TEST_DATABASE_URL)
    restore_name = f"{url.database}_restore"
    admin = db.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{restore_name}"'))
        conn.execute(text(f'CREATE DATABASE "{restore_name}"'))
    source = make_app(TEST_DATABASE_URL, tmp_path / "source")
    target = make_app(url.set(database=restore_name).render_as_string(hide_password=False),
                      tmp_path / "target")
    try:
        with source.app_context():
            build_mid_evaluation()
        with target.app_context():
            db.create_all()
        _backup_and_restore(source, target, tmp_path / "backup")
    finally:
        with target.app_context():
            db.session.remove()
            db.engine.dispose()
        with source.app_context():
            db.session.remove()
            db.engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{restore_name}"'))
        admin.dispose()
