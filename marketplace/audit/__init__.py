"""Append-only audit events with a hash chain; any domain may write with `record()`."""

from marketplace.audit.services import record

__all__ = ["record"]
