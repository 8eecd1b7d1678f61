"""Create and restore backups.

A backup is a folder: the database (`database.sqlite3`, a consistent online copy made with
SQLite's backup API, or `database.pgdump`, `pg_dump` in custom format), the stored files under
`files/` (a copy of MARKETPLACE_STORAGE_DIR) and `manifest.json` with the SHA-256 of each.
A restore checks every hash first, and only writes into an empty database.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import func, inspect, select
from sqlalchemy.engine import URL

from marketplace.core.time import isoformat, utcnow
from marketplace.extensions import db

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
FILES = "files"
SQLITE_NAME = "database.sqlite3"
PG_NAME = "database.pgdump"
IGNORED_TABLES = {"alembic_version"}


class BackupError(RuntimeError):
    """The backup cannot be made or restored; the message says why and what to do."""


@dataclass
class BackupReport:
    path: Path
    dialect: str
    rows: dict[str, int]
    files: int


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def row_counts() -> dict[str, int]:
    """Rows per table of the current database (tables the models know and that exist)."""
    existing = set(inspect(db.engine).get_table_names())
    counts = {}
    for table in db.metadata.sorted_tables:
        if table.name in existing:
            counts[table.name] = db.session.scalar(select(func.count()).select_from(table))
    return counts


def _storage_dir() -> Path:
    return Path(current_app.config["MARKETPLACE_STORAGE_DIR"])


def _url() -> URL:
    return db.engine.url


def create_backup(target: Path) -> BackupReport:
    """Write a backup into the folder `target`, which must not exist or be empty."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty; give a new folder for the backup.")
    target.mkdir(parents=True, exist_ok=True)
    dialect = _url().get_backend_name()
    rows = row_counts()
    db.session.rollback()
    if dialect == "sqlite":
        _sqlite_backup(target / SQLITE_NAME)
    elif dialect == "postgresql":
        _pg_dump(target / PG_NAME)
    else:
        raise BackupError(f"Backups of {dialect} databases are not supported.")
    files = _copy_files(_storage_dir(), target / FILES)
    manifest = {
        "format_version": FORMAT_VERSION,
        "created_at": isoformat(utcnow()),
        "dialect": dialect,
        "database": SQLITE_NAME if dialect == "sqlite" else PG_NAME,
        "rows": rows,
        "sha256": {
            rel: sha256_file(target / rel)
            for rel in [SQLITE_NAME if dialect == "sqlite" else PG_NAME, *files]
        },
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return BackupReport(target, dialect, rows, len(files))


def _sqlite_path() -> Path:
    database = _url().database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(database)


def _sqlite_backup(destination: Path) -> None:
    # The backup API copies a consistent snapshot while the application keeps running.
    source = sqlite3.connect(_sqlite_path())
    copy = sqlite3.connect(destination)
    try:
        with copy:
            source.backup(copy)
    finally:
        copy.close()
        source.close()


def _pg_env() -> dict[str, str]:
    url = _url()
    env = dict(os.environ)
    env.update({
        key: str(value) for key, value in {
            "PGHOST": url.host, "PGPORT": url.port, "PGUSER": url.username,
            "PGPASSWORD": url.password, "PGDATABASE": url.database,
        }.items() if value is not None
    })
    return env


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"`{command[0]}` is not installed; install postgresql-client "
            "(scripts/system-deps.sh does it)."
        )
    result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


def _pg_dump(destination: Path) -> None:
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
          f"--file={destination}"])


def _copy_files(source: Path, destination: Path) -> list[str]:
    names = []
    if not source.is_dir():
        return names
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        if path.suffix == ".part":  # an upload still being written
            continue
        relative = path.relative_to(source)
        copy = destination / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, copy)
        names.append(f"{FILES}/{relative.as_posix()}")
    return names


def read_manifest(source: Path) -> dict:
    """The manifest, after checking that every file is there, unchanged and listed."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} has no readable {MANIFEST}: {exc}") from exc
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"Unknown backup format {manifest.get('format_version')!r}.")
    hashes = manifest.get("sha256") or {}
    for rel, expected in hashes.items():
        path = source / rel
        if ".." in Path(rel).parts or not path.is_file():
            raise BackupError(f"The backup is incomplete: {rel} is missing.")
        if sha256_file(path) != expected:
            raise BackupError(f"The backup is damaged: {rel} does not match its SHA-256.")
    present = {p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file()}
    extra = sorted(present - set(hashes) - {MANIFEST})
    if extra:
        raise BackupError(f"The backup holds files its manifest does not list: {extra[:5]}")
    return manifest


def check_empty() -> None:
    """Refuse to restore over data."""
    counts = {name: n for name, n in row_counts().items() if n and name not in IGNORED_TABLES}
    db.session.rollback()
    if counts:
        listed = ", ".join(f"{name} ({n})" for name, n in sorted(counts.items())[:5])
        raise BackupError(
            f"The database is not empty: {listed}. Restore into a new, empty database."
        )
    storage = _storage_dir()
    if storage.is_dir() and any(p.is_file() for p in storage.rglob("*")):
        raise BackupError(f"The file storage {storage} is not empty; use an empty folder.")


def restore_backup(source: Path) -> BackupReport:
    """Restore a backup into this (empty) database and file storage."""
    source = Path(source)
    manifest = read_manifest(source)
    dialect = _url().get_backend_name()
    if manifest["dialect"] != dialect:
        raise BackupError(
            f"This backup is of a {manifest['dialect']} database; this one is {dialect}."
        )
    check_empty()
    db.session.remove()
    db.engine.dispose()
    if dialect == "sqlite":
        _sqlite_restore(source / manifest["database"])
    else:
        _run(["pg_restore", "--no-owner", "--no-privileges", "--clean", "--if-exists",
              "--single-transaction", "--exit-on-error", f"--dbname={_url().database}",
              str(source / manifest["database"])])
    db.engine.dispose()  # no pooled connection may keep the old schema
    files = [rel for rel in manifest["sha256"] if rel.startswith(FILES + "/")]
    storage = _storage_dir()
    for rel in files:
        target = storage / Path(rel).relative_to(FILES)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / rel, target)
    return BackupReport(source, dialect, row_counts(), len(files))


def _sqlite_restore(backup_file: Path) -> None:
    backup = sqlite3.connect(backup_file)
    target = sqlite3.connect(_sqlite_path())
    try:
        with target:
            backup.backup(target)
    finally:
        target.close()
        backup.close()
