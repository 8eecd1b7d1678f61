"""Backups: a consistent copy of the database and the stored files, with a manifest of hashes."""
