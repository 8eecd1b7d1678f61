"""Account services: organisations, users, authentication, API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import lazyload
from werkzeug.security import check_password_hash, generate_password_hash

from marketplace import audit
from marketplace.accounts.models import (
    AGENCY_ROLES,
    ApiToken,
    Organisation,
    OrgKind,
    Role,
    User,
    UserRole,
)
from marketplace.core.errors import Conflict, PermissionDenied, ValidationFailed
from marketplace.core.sqlite import before_write
from marketplace.core.time import utcnow
from marketplace.extensions import db

MIN_PASSWORD_LENGTH = 12
MAX_FAILED_LOGINS = 5
LOCKOUT = dt.timedelta(minutes=15)
SESSION_TOKEN_LIFETIME = dt.timedelta(hours=12)
# A hash to compare against when the e-mail is unknown, so timing does not tell (per method).
_DUMMY_HASHES: dict[str, str] = {}


def signed_tokens(salt: str) -> URLSafeTimedSerializer:
    """Signs and checks the tokens of e-mailed links; each kind of link has its own salt, so
    one kind never passes for another."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def normalise_email(raw: str | None) -> str:
    """A validated, lower-cased e-mail address or `ValidationFailed`."""
    try:
        result = validate_email((raw or "").strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationFailed(
            f"That is not a valid e-mail address: {exc}", errors={"email": [str(exc)]}
        ) from exc
    return result.normalized.lower()


def check_password_strength(password: str | None) -> None:
    if not password or len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            f"The password must have at least {MIN_PASSWORD_LENGTH} characters.",
            errors={"password": [f"at least {MIN_PASSWORD_LENGTH} characters"]},
        )
    if len(password) > 512:
        raise ValidationFailed("The password is too long.", errors={"password": ["too long"]})


def _hash_method() -> str:
    # tests lower the scrypt cost (PASSWORD_HASH_METHOD); production keeps Werkzeug's default
    return current_app.config.get("PASSWORD_HASH_METHOD") or "scrypt"


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=_hash_method())


def _dummy_hash() -> str:
    method = _hash_method()
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash("not-a-real-password-0000", method=method)
    return _DUMMY_HASHES[method]


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def get_or_create_organisation(name: str, kind: OrgKind, **fields) -> Organisation:
    org = db.session.scalar(
        select(Organisation).where(Organisation.kind == kind, Organisation.name == name)
    )
    if org is None:
        org = Organisation(name=name, kind=kind, **fields)
        db.session.add(org)
        db.session.flush()
    return org


def create_user(
    email: str,
    name: str,
    password: str,
    *,
    roles: list[Role] | tuple[Role, ...],
    organisation: Organisation | None,
    actor: User | None = None,
    external: bool = False,
) -> User:
    """Create a user with roles that fit the organisation's kind."""
    email = normalise_email(email)
    check_password_strength(password)
    if not (name or "").strip():
        raise ValidationFailed("Give your name.", errors={"name": ["required"]})
    roles = [Role(r) for r in roles]
    _check_roles_fit(roles, organisation)
    if find_user_by_email(email):
        raise Conflict(
            "An account with this e-mail already exists.", errors={"email": ["already used"]}
        )
    user = User(
        email=email, name=name.strip()[:200], password_hash=hash_password(password),
        organisation=organisation, external=external,
    )
    db.session.add(user)
    db.session.flush()
    for role in roles:
        add_role(user, role)
    audit.record("user.created", user, actor=actor or user, after={
        "email": email, "roles": sorted(r.value for r in roles),
        "organisation_id": organisation.id if organisation else None,
    })
    return user


def _check_roles_fit(roles, organisation) -> None:
    if not roles:
        raise ValidationFailed("A user needs at least one role.", errors={"roles": ["required"]})
    for role in roles:
        if role in AGENCY_ROLES and (organisation is None or not organisation.is_agency):
            raise ValidationFailed(f"The {role.value} role belongs to agency staff.")
        if role == Role.FOUNDER and (organisation is None or not organisation.is_company):
            raise ValidationFailed("The founder role belongs to a company.")
    if Role.FOUNDER in roles:
        taken = db.session.scalar(
            select(UserRole.id).where(
                UserRole.organisation_id == organisation.id, UserRole.role == Role.FOUNDER
            )
        )
        if taken:
            raise Conflict("This company already has its founder.")


def add_role(user: User, role: Role) -> None:
    """Give a user a role (no checks: callers check that it fits)."""
    link = UserRole(user_id=user.id, role=role, organisation_id=user.organisation_id)
    user.role_links.append(link)
    db.session.flush()


class LockedOut(PermissionDenied):
    status = 429
    title = "Too many failed log-ins"


def authenticate(email: str, password: str) -> User | None:
    """The user for these credentials, None when wrong; `LockedOut` after 5 failures."""
    user = find_user_by_email(email or "")
    now = utcnow()
    if user is None:
        check_password_hash(_dummy_hash(), password or "")
        return None
    if user.locked_until and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        raise LockedOut(
            f"Too many failed log-ins. Try again in {minutes} minutes or reset your password."
        )
    if not check_password_hash(user.password_hash, password or ""):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = now + LOCKOUT
            user.failed_logins = 0
            audit.record("user.locked_out", user, actor=None)
        return None
    if not user.active:
        return None
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    return user


def change_password(user: User, current: str, new: str, *, actor: User) -> None:
    """Change a password after checking the current one."""
    if not check_password_hash(user.password_hash, current or ""):
        raise ValidationFailed(
            "The current password is wrong.", errors={"current_password": ["wrong"]}
        )
    set_password(user, new, actor=actor)


def set_password(user: User, new: str, *, actor: User | None) -> None:
    check_password_strength(new)
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    user.failed_logins = 0
    user.locked_until = None
    audit.record("user.password_changed", user, actor=actor)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(
    user: User, *, name: str = "session", personal: bool = False,
    lifetime: dt.timedelta | None = SESSION_TOKEN_LIFETIME,
) -> tuple[str, ApiToken]:
    """A new bearer token; the clear text is returned once and never stored."""
    clear = "smk_" + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id, name=(name or "token")[:100], personal=personal,
        token_hash=_token_hash(clear), prefix=clear[:10],
        expires_at=utcnow() + lifetime if lifetime else None,
    )
    db.session.add(token)
    db.session.flush()
    return clear, token


# Built once (every API request runs it): what deciding on a token takes, the token by its
# unique hash and its user's `active` flag, read as plain columns on the session's connection:
# no ORM instances are built for it, and the user is loaded only when a request asks who it is
# (`user_for_token`, or the API's `api_user`): a public list never does.
_TOKEN_BY_HASH = (
    select(ApiToken.id, ApiToken.user_id, ApiToken.revoked_at, ApiToken.expires_at,
           ApiToken.last_used_at, User.active)
    .join(User, ApiToken.user_id == User.id)
    .where(ApiToken.token_hash == bindparam("token_hash"))
)


def user_id_for_token(clear: str) -> int | None:
    """The id of the active user a bearer token belongs to, or None if unknown, expired or
    revoked.

    Records the token's last use (to the nearest few minutes) and commits it: call it at the
    start of a request, before anything else is changed (the API does, in a before_request)."""
    if not clear or len(clear) > 200:
        return None
    session = db.session()
    if session.autoflush:  # as session.execute would: a token just issued is found
        session.flush()
    token = session.connection(bind_arguments={"mapper": ApiToken}).execute(
        _TOKEN_BY_HASH, {"token_hash": _token_hash(clear)}).first()
    now = utcnow()
    # usable() reads the token's revoked_at and expires_at, which the row has
    if token is None or not ApiToken.usable(token, now) or not token.active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_PRECISION:
        # recorded in its own small transaction, before the request's work: a read-only
        # request would otherwise lose it, and it would make every request a write
        before_write()
        db.session.execute(update(ApiToken).where(ApiToken.id == token.id)
                           .values(last_used_at=now))
        db.session.commit()
    return token.user_id


def active_user(user_id: int) -> User | None:
    """The user of that id if active (their roles load when a permission check first asks)."""
    user = db.session.get(User, user_id, options=[lazyload(User.role_links)])
    return user if user is not None and user.active else None


def user_for_token(clear: str) -> User | None:
    """The active user a bearer token belongs to (see `user_id_for_token`), or None."""
    user_id = user_id_for_token(clear)
    return None if user_id is None else active_user(user_id)


TOKEN_USE_PRECISION = dt.timedelta(minutes=5)  # "last used" is shown to the minute, roughly


PERSONAL_TOKEN_LIFETIME = dt.timedelta(days=365)


def create_personal_token(user: User, name: str, *, actor: User) -> tuple[str, ApiToken]:
    """A named personal token (one year); the clear text is shown once."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("Give the token a name.", errors={"name": ["required"]})
    if len(name) > 100:
        raise ValidationFailed("The name is too long (100 characters at most).",
                               errors={"name": ["at most 100 characters"]})
    if user.id != actor.id:
        raise PermissionDenied("You can only create tokens for yourself.")
    clear, token = issue_token(user, name=name, personal=True, lifetime=PERSONAL_TOKEN_LIFETIME)
    audit.record("token.created", token, actor=actor, after={"name": name, "prefix": token.prefix})
    return clear, token


def personal_tokens(user: User) -> list[ApiToken]:
    """The user's personal tokens, newest first (revoked ones included)."""
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.personal.is_(True))
        .order_by(ApiToken.id.desc())
    ))


def revoke_token(token: ApiToken, *, actor: User) -> None:
    """Revoke a token; only its owner (or an admin) may."""
    if token.user_id != actor.id and not actor.is_admin:
        raise PermissionDenied("You can only revoke your own tokens.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record("token.revoked", token, actor=actor)
