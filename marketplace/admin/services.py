"""Admin services: verification, the agency-domain allow-list, (de)activating users."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from marketplace import audit
from marketplace.accounts.models import AllowedDomain, Organisation, User
from marketplace.accounts.permissions import can_administer
from marketplace.core.errors import Conflict, PermissionDenied, ValidationFailed
from marketplace.core.time import utcnow
from marketplace.extensions import db

_DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def _require_admin(actor: User) -> None:
    if not can_administer(actor):
        raise PermissionDenied("Only platform administrators can do this.")


def set_verified(org: Organisation, verified: bool, *, actor: User) -> None:
    """Mark an organisation verified (or withdraw it)."""
    _require_admin(actor)
    if org.verified == verified:
        return
    before = {"verified": org.verified}
    org.verified = verified
    org.verified_at = utcnow() if verified else None
    audit.record("organisation.verified" if verified else "organisation.unverified", org,
                 actor=actor, before=before, after={"verified": verified})


def normalise_domain(raw: str | None) -> str:
    domain = (raw or "").strip().lower().lstrip("@").rstrip(".")
    if not _DOMAIN.match(domain):
        raise ValidationFailed("Give a domain such as health.example.gov.cn (no @, no http).",
                               errors={"domain": ["not a domain name"]})
    return domain


def add_allowed_domain(domain: str, agency: Organisation | None, *, actor: User) -> AllowedDomain:
    """Allow staff with e-mails at `domain` to sign up as staff of `agency`."""
    _require_admin(actor)
    domain = normalise_domain(domain)
    if agency is None or not agency.is_agency:
        raise ValidationFailed("Choose the agency this domain belongs to.",
                               errors={"agency_id": ["an agency"]})
    exists = db.session.scalar(select(AllowedDomain).where(AllowedDomain.domain == domain))
    if exists:
        raise Conflict(f"{domain} is already listed for {exists.agency.name}.",
                       errors={"domain": ["already listed"]})
    row = AllowedDomain(domain=domain, agency_id=agency.id)
    db.session.add(row)
    db.session.flush()
    audit.record("allowed_domain.added", row, actor=actor,
                 after={"domain": domain, "agency_id": agency.id})
    return row


def remove_allowed_domain(row: AllowedDomain, *, actor: User) -> None:
    """Take a domain off the list; existing accounts stay."""
    _require_admin(actor)
    audit.record("allowed_domain.removed", row, actor=actor,
                 before={"domain": row.domain, "agency_id": row.agency_id})
    db.session.delete(row)
    db.session.flush()


def set_active(user: User, active: bool, *, actor: User) -> None:
    """Deactivate (log out everywhere, tokens stop working) or reactivate an account."""
    _require_admin(actor)
    if user.id == actor.id and not active:
        raise PermissionDenied("You cannot deactivate your own account.")
    if user.active == active:
        return
    user.active = active
    if active:
        user.failed_logins = 0
        user.locked_until = None
    audit.record("user.reactivated" if active else "user.deactivated", user, actor=actor,
                 before={"active": not active}, after={"active": active})


def search_users(query: str | None):
    """A select of users, filtered by name or e-mail."""
    stmt = select(User).options(selectinload(User.organisation)).order_by(User.id)
    q = (query or "").strip().lower()[:100]
    if q:
        pattern = f"%{q.replace('%', '').replace('_', '')}%"
        stmt = stmt.where(
            func.lower(User.email).like(pattern) | func.lower(User.name).like(pattern))
    return stmt


def organisations_query(status: str | None):
    stmt = select(Organisation).order_by(Organisation.verified, Organisation.name)
    if status == "unverified":
        stmt = stmt.where(Organisation.verified.is_(False))
    elif status == "verified":
        stmt = stmt.where(Organisation.verified.is_(True))
    return stmt


def agencies() -> list[Organisation]:
    from marketplace.accounts.models import OrgKind

    return list(db.session.scalars(
        select(Organisation).where(Organisation.kind == OrgKind.AGENCY)
        .order_by(Organisation.name)))


def allowed_domains() -> list[AllowedDomain]:
    return list(db.session.scalars(select(AllowedDomain).order_by(AllowedDomain.domain)))
