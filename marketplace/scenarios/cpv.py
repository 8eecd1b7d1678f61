"""CPV codes (Common Procurement Vocabulary): check digit, normal form, sector by division.

A CPV code is eight digits and a check digit, written `03000000-1`. The check digit is the sum
of the eight digits weighted 3, 7, 1, 3, 7, 1, 3, 7 (the "7-1-3" sequence of the 2008
vocabulary), modulo 10. It reproduces the published codes (03000000-1, 33000000-0,
18453000-9, 71355200-3, 79952000-2, ...), except a few that the 2008 revision published with
an inconsistent digit (acknowledged by the EU Publications Office, OP-TED/ePO discussion 589);
those are accepted as published.
"""

from __future__ import annotations

import re

WEIGHTS = (3, 7, 1, 3, 7, 1, 3, 7)
CPV_RE = re.compile(r"^(\d{8})(?:-(\d))?$")

# Codes listed in the official vocabulary with a check digit that the rule does not give.
PUBLISHED_EXCEPTIONS = frozenset({
    "03300000-2", "38941000-7", "38942000-7", "38943000-7", "38944000-7", "38945000-7",
    "38946000-7", "38947000-7",
})


class InvalidCpv(ValueError):
    """Not a CPV code; the message says why."""


def check_digit(digits: str) -> int:
    """The check digit of eight CPV digits."""
    return sum(int(d) * w for d, w in zip(digits, WEIGHTS, strict=True)) % 10


def normalise_cpv(raw: str) -> str:
    """`03000000-1` from `03000000-1` or `03000000`; raises `InvalidCpv` with the reason."""
    code = str(raw).strip()
    match = CPV_RE.match(code)
    if not match:
        raise InvalidCpv(f"{code!r} is not a CPV code (8 digits and a check digit, "
                         f"e.g. 03000000-1).")
    digits, given = match.groups()
    expected = check_digit(digits)
    if given is not None and int(given) != expected and code not in PUBLISHED_EXCEPTIONS:
        raise InvalidCpv(f"{code} has a wrong check digit (expected {digits}-{expected}).")
    return code if given is not None else f"{digits}-{expected}"


# CPV division (first two digits) -> sector. Divisions not listed map to "government services".
DIVISION_SECTORS = {
    "03": "agriculture", "15": "agriculture", "16": "agriculture", "77": "agriculture",
    "09": "energy", "31": "energy", "65": "energy",
    "14": "manufacturing", "18": "manufacturing", "19": "manufacturing", "24": "manufacturing",
    "37": "manufacturing", "39": "manufacturing", "42": "manufacturing", "43": "manufacturing",
    "44": "manufacturing",
    "33": "health", "85": "health",
    "34": "mobility", "50": "mobility",
    "60": "logistics", "63": "logistics", "64": "logistics",
    "35": "public safety",
    "80": "education",
    "90": "environment",
    "66": "finance",
    "55": "culture and tourism", "92": "culture and tourism",
}
DEFAULT_SECTOR = "government services"


def sector_for_cpv(codes: list[str]) -> str | None:
    """The sector of the first code whose division is mapped, or None."""
    for code in codes:
        sector = DIVISION_SECTORS.get(str(code)[:2])
        if sector:
            return sector
    return None
