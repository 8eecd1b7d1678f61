"""`create_x(...)` factories: real objects through the models, committed (a savepoint)."""

from __future__ import annotations

import itertools

from marketplace.accounts import services as accounts
from marketplace.accounts.models import Organisation, OrgKind, Role, User
from marketplace.extensions import db

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


def _n() -> int:
    return next(_seq)


def create_organisation(kind: OrgKind, name: str | None = None, **fields) -> Organisation:
    n = _n()
    org = Organisation(
        kind=kind,
        name=name or f"{'Agency' if kind == OrgKind.AGENCY else 'Company'} {n}",
        registration_number=fields.pop("registration_number", f"REG-{n:05d}"),
        region=fields.pop("region", "Shenzhen"),
        verified=fields.pop("verified", True),
        **fields,
    )
    db.session.add(org)
    db.session.commit()
    return org


def create_agency(name: str | None = None, **fields) -> Organisation:
    return create_organisation(OrgKind.AGENCY, name, **fields)


def create_company(name: str | None = None, **fields) -> Organisation:
    return create_organisation(OrgKind.COMPANY, name, **fields)


def create_user(
    role: Role, organisation: Organisation | None = None, *, email: str | None = None,
    name: str | None = None, password: str = PASSWORD, **fields,
) -> User:
    n = _n()
    user = accounts.create_user(
        email or f"{role.value}{n}@example.org", name or f"{role.value.title()} {n}", password,
        roles=[role], organisation=organisation, external=fields.pop("external", False),
    )
    for key, value in fields.items():
        setattr(user, key, value)
    db.session.commit()
    return user


def create_buyer(agency: Organisation | None = None, **kw) -> User:
    return create_user(Role.BUYER, agency or create_agency(), **kw)


def create_evaluator(agency: Organisation | None = None, **kw) -> User:
    return create_user(Role.EVALUATOR, agency or create_agency(), **kw)


def create_founder(company: Organisation | None = None, **kw) -> User:
    return create_user(Role.FOUNDER, company or create_company(), **kw)


def create_admin(**kw) -> User:
    return create_user(Role.ADMIN, None, **kw)


def create_token(user: User, **kw) -> str:
    clear, _token = accounts.issue_token(user, **kw)
    db.session.commit()
    return clear
