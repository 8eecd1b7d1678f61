"""Offline OCDS 1.1.5 validation with the bid extension merge-patched in (../shared/ocds/)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from tests.shared import shared_path

SHARED = shared_path("ocds")
BASE = "https://standard.open-contracting.org/schema/1__1__5/"


def _load(path: Path) -> dict:
    text = path.read_text(encoding="utf-8").replace("{{lang}}", "en").replace("{{version}}", "1.1")
    return json.loads(text)


def merge_patch(target, patch):
    """RFC 7386 JSON Merge Patch."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


@functools.cache
def _registry() -> Registry:
    release = merge_patch(_load(SHARED / "schema-1.1.5" / "release-schema.json"),
                          _load(SHARED / "bid-extension-v1.1.5" / "release-schema.json"))
    versioned = _load(SHARED / "schema-1.1.5" / "versioned-release-validation-schema.json")
    return Registry().with_resources([
        (BASE + "release-schema.json", Resource.from_contents(release, DRAFT4)),
        (BASE + "versioned-release-validation-schema.json",
         Resource.from_contents(versioned, DRAFT4)),
    ])


RFC3339 = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", re.IGNORECASE
)


def format_checker() -> jsonschema.FormatChecker:
    """Draft 4's format checker; `date-time` and `uri` checked even without the optional
    packages jsonschema uses for them."""
    checker = jsonschema.FormatChecker(list(jsonschema.Draft4Validator.FORMAT_CHECKER.checkers))
    checker.checkers = dict(jsonschema.Draft4Validator.FORMAT_CHECKER.checkers)
    if "date-time" not in checker.checkers:
        @checker.checks("date-time", raises=ValueError)
        def _date_time(value):
            if not isinstance(value, str):
                return True
            if not RFC3339.match(value):
                return False
            dt.datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
            return True
    if "uri" not in checker.checkers:
        @checker.checks("uri")
        def _uri(value):
            if not isinstance(value, str):
                return True
            parts = urlsplit(value)
            return bool(parts.scheme) and (bool(parts.netloc) or bool(parts.path)) \
                and " " not in value
    return checker


@functools.cache
def _validator(name: str):
    schema = _load(SHARED / "schema-1.1.5" / name)
    return jsonschema.Draft4Validator(schema, registry=_registry(), format_checker=format_checker())


def errors(package: dict, kind: str = "release") -> list[str]:
    validator = _validator(f"{kind}-package-schema.json")
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(package)]


def assert_valid(package: dict, kind: str = "release") -> None:
    found = errors(package, kind)
    assert not found, "\n".join(found[:20])


def bid_extension_applied() -> bool:
    release = _registry().contents(BASE + "release-schema.json")
    return "bids" in release["properties"] and "BidsStatistic" in release["definitions"]
