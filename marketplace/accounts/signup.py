"""Sign-up services: a company with its founder, allow-listed agency staff, invitations."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import url_for
from itsdangerous import BadSignature, SignatureExpired
from sqlalchemy import func, select

from marketplace import audit
from marketplace.accounts.confirmation import send_confirmation
from marketplace.accounts.models import (
    AGENCY_ROLES,
    AllowedDomain,
    Invitation,
    Organisation,
    OrgKind,
    Role,
    User,
)
from marketplace.accounts.permissions import can_manage_staff
from marketplace.accounts.services import (
    add_role,
    create_user,
    find_user_by_email,
    normalise_email,
    signed_tokens,
)
from marketplace.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from marketplace.core.time import utcnow
from marketplace.extensions import db
from marketplace.notifications.services import absolute_url, queue_mail

INVITATION_LIFETIME = dt.timedelta(days=7)
SIGNUP_LINK_MAX_AGE = 24 * 3600  # seconds
# Staff who sign up through the allow-list prove they work at the agency, not that they may
# buy: they start as evaluators, and a buyer of the agency grants the buyer role.
ALLOW_LISTED_ROLE = Role.EVALUATOR


def _text(value: str | None, field: str, label: str, *, required: bool, limit: int) -> str | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise ValidationFailed(f"Give the {label}.", errors={field: ["required"]})
        return None
    if len(value) > limit:
        raise ValidationFailed(f"The {label} is too long ({limit} characters at most).",
                               errors={field: [f"at most {limit} characters"]})
    return value


def _website(value: str | None) -> str | None:
    value = _text(value, "website", "website", required=False, limit=300)
    if value and not value.lower().startswith(("http://", "https://")):
        value = "https://" + value
    if value and ("." not in value.split("//", 1)[1] or " " in value):
        raise ValidationFailed("The website must be an address like https://example.com.",
                               errors={"website": ["not a web address"]})
    return value


def signup_company(data: dict) -> User:
    """Register a one-person company and its founder in one step (not yet verified)."""
    name = _text(data.get("company_name"), "company_name", "company name", required=True,
                 limit=200)
    country = (_text(data.get("country"), "country", "country", required=True, limit=2) or "")
    if len(country) != 2 or not country.isalpha():
        raise ValidationFailed("The country is a two-letter ISO code, such as CN.",
                               errors={"country": ["two letters"]})
    taken = db.session.scalar(select(Organisation.id).where(
        Organisation.kind == OrgKind.COMPANY, func.lower(Organisation.name) == name.lower()))
    if taken:
        raise Conflict(f"A company named “{name}” is already registered. If it is yours, "
                       "log in as its founder; a company has exactly one founder.",
                       errors={"company_name": ["already registered"]})
    email = normalise_email(data.get("email"))
    if find_user_by_email(email):
        raise Conflict("An account with this e-mail already exists.",
                       errors={"email": ["already used"]})
    company = Organisation(
        kind=OrgKind.COMPANY, name=name, country=country.upper(),
        registration_number=_text(data.get("registration_number"), "registration_number",
                                  "registration number", required=True, limit=64),
        region=_text(data.get("region"), "region", "region", required=False, limit=100),
        website=_website(data.get("website")),
    )
    db.session.add(company)
    db.session.flush()
    founder = create_user(email, data.get("name") or "", data.get("password") or "",
                          roles=[Role.FOUNDER], organisation=company)
    founder.email_confirmed_at = None  # until the founder opens the link sent now
    db.session.flush()
    send_confirmation(founder)
    audit.record("organisation.created", company, actor=founder,
                 after={"kind": "company", "name": name})
    return founder


def agency_for_email(email: str) -> Organisation | None:
    """The agency whose allow-listed domain the address belongs to (sub-domains included)."""
    domain = email.rsplit("@", 1)[-1].lower()
    parts = domain.split(".")
    candidates = [".".join(parts[i:]) for i in range(len(parts) - 1)]
    row = db.session.scalar(
        select(AllowedDomain).where(AllowedDomain.domain.in_(candidates))
        .order_by(func.length(AllowedDomain.domain).desc()).limit(1)
    )
    return row.agency if row else None


def _listed_agency(email: str) -> Organisation:
    agency = agency_for_email(email)
    if agency is None:
        raise PermissionDenied(
            "Your e-mail domain is not on the list of agency domains. Ask a buyer at your "
            "agency to invite you, or ask the platform administrators to add your agency.",
        )
    return agency


_SIGNUP_SALT = "agency-signup"


def request_agency_signup(raw_email: str) -> Organisation:
    """E-mail a sign-up link to an allow-listed address: owning the address is the proof."""
    email = normalise_email(raw_email)
    agency = _listed_agency(email)
    if find_user_by_email(email):
        raise Conflict("An account with this e-mail already exists. Log in, or reset your "
                       "password if you forgot it.", errors={"email": ["already used"]})
    token = signed_tokens(_SIGNUP_SALT).dumps({"email": email})
    link = absolute_url(url_for("accounts.signup_agency_confirm", token=token))
    queue_mail(email, "Finish signing up to Scenario Marketplace",
               f"To create your account as staff of {agency.name}, open this link within "
               f"24 hours:\n{link}\n\nIf you did not ask for it, ignore this message.")
    return agency


def email_for_signup_token(token: str) -> str:
    """The address a sign-up link was sent to; a clear error when wrong or expired."""
    try:
        data = signed_tokens(_SIGNUP_SALT).loads(token or "", max_age=SIGNUP_LINK_MAX_AGE)
    except SignatureExpired as exc:
        raise Conflict("This sign-up link has expired (links last 24 hours). "
                       "Ask for a new one.") from exc
    except BadSignature as exc:
        raise NotFound("This sign-up link is not valid. Check that you copied all of it.") from exc
    email = data.get("email") if isinstance(data, dict) else None
    if not isinstance(email, str):
        raise NotFound("This sign-up link is not valid.")
    if find_user_by_email(email):
        raise Conflict("This sign-up link has already been used. Log in instead.")
    return email


def signup_agency_staff(token: str, data: dict) -> User:
    """Finish an allow-listed sign-up: an evaluator of the agency the domain maps to."""
    email = email_for_signup_token(token)
    agency = _listed_agency(email)  # the domain may have been removed since
    return create_user(email, data.get("name") or "", data.get("password") or "",
                       roles=[ALLOW_LISTED_ROLE], organisation=agency)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_staff(agency: Organisation, data: dict, *, actor: User) -> tuple[Invitation, str]:
    """Invite someone to the agency with a role; e-mails a link (valid 7 days)."""
    if not can_manage_staff(actor, agency):
        raise PermissionDenied("Only a buyer of this agency can invite its staff.")
    email = normalise_email(data.get("email"))
    try:
        role = Role(data.get("role"))
    except ValueError:
        role = None
    if role not in AGENCY_ROLES:
        raise ValidationFailed("Choose buyer or evaluator.",
                               errors={"role": ["buyer or evaluator"]})
    if find_user_by_email(email):
        raise Conflict("Someone already has an account with this e-mail.",
                       errors={"email": ["already used"]})
    clear = secrets.token_urlsafe(32)
    invitation = Invitation(
        agency_id=agency.id, email=email, role=role, token_hash=_hash(clear),
        invited_by_id=actor.id, external=bool(data.get("external")),
        scenario_id=data.get("scenario_id"), expires_at=utcnow() + INVITATION_LIFETIME,
    )
    db.session.add(invitation)
    db.session.flush()
    audit.record("invitation.created", invitation, actor=actor,
                 after={"email": email, "role": role.value})
    link = absolute_url(url_for("accounts.accept_invitation", token=clear))
    queue_mail(email, f"{agency.name} invites you to Scenario Marketplace",
               f"{actor.name} invites you to join {agency.name} on Scenario Marketplace "
               f"as {role.value}.\n\nAccept within 7 days:\n{link}\n")
    return invitation, clear


def find_invitation(token: str) -> Invitation:
    """The invitation for this link, still open; a clear error when not."""
    invitation = None
    if token and len(token) <= 200:
        invitation = db.session.scalar(
            select(Invitation).where(Invitation.token_hash == _hash(token)))
    if invitation is None:
        raise NotFound("This invitation link is not valid. Check that you copied all of it.")
    if invitation.accepted_at is not None:
        raise Conflict("This invitation has already been used. Log in instead.")
    if invitation.expires_at <= utcnow():
        raise Conflict("This invitation has expired. Ask the person who invited you for a "
                       "new one.")
    return invitation


def accept_invitation(token: str, data: dict) -> User:
    """Create the invited account in the agency, with the invited role."""
    invitation = find_invitation(token)
    user = create_user(invitation.email, data.get("name") or "", data.get("password") or "",
                       roles=[invitation.role], organisation=invitation.agency,
                       external=invitation.external)
    invitation.accepted_at = utcnow()
    audit.record("invitation.accepted", invitation, actor=user)
    return user


def grant_buyer(staff: User, *, actor: User) -> None:
    """A buyer makes a colleague a buyer too."""
    if not can_manage_staff(actor, staff.organisation) or staff.external:
        raise PermissionDenied("Only a buyer of this agency can grant the buyer role.")
    if staff.has_role(Role.BUYER):
        return
    add_role(staff, Role.BUYER)
    audit.record("user.role_granted", staff, actor=actor, after={"role": "buyer"})


def agency_staff(agency: Organisation) -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.organisation_id == agency.id).order_by(User.name)))


def open_invitations(agency: Organisation) -> list[Invitation]:
    return list(db.session.scalars(
        select(Invitation).where(Invitation.agency_id == agency.id,
                                 Invitation.accepted_at.is_(None),
                                 Invitation.expires_at > utcnow())
        .order_by(Invitation.id.desc())))
