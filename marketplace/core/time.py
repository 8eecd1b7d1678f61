"""Time is UTC and timezone-aware everywhere; shown in the viewer's or agency's zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = dt.UTC


def utcnow() -> dt.datetime:
    """The current time, aware, in UTC. Tests move it with time-machine."""
    return dt.datetime.now(UTC)


def ensure_aware(value: dt.datetime, tz: str = "UTC") -> dt.datetime:
    """Attach `tz` to a naive datetime (as entered in a form) and convert to UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(tz))
    return value.astimezone(UTC)


def zone(name: str | None) -> dt.tzinfo:
    """A time zone by IANA name, UTC when unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def local(value: dt.datetime | None, tz: str | None) -> dt.datetime | None:
    """`value` converted to the zone `tz` for display."""
    if value is None:
        return None
    return value.astimezone(zone(tz))


def isoformat(value: dt.datetime | None) -> str | None:
    """ISO 8601 with offset, as the API and OCDS publish it."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None
