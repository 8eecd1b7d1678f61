"""Organisations, users, roles, API tokens, allow-listed domains and invitations."""

from __future__ import annotations

import datetime as dt
import enum

from flask_login import UserMixin
from sqlalchemy import (
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.time import utcnow
from marketplace.extensions import db


def enum_column(enum_cls, **kw):
    """An enum stored by its values, as a VARCHAR with a CHECK (portable, easy to migrate)."""
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        name=kw.pop("name", enum_cls.__name__.lower()),
    )


class OrgKind(enum.StrEnum):
    AGENCY = "agency"
    COMPANY = "company"


class Role(enum.StrEnum):
    BUYER = "buyer"
    EVALUATOR = "evaluator"
    FOUNDER = "founder"
    ADMIN = "admin"


AGENCY_ROLES = frozenset({Role.BUYER, Role.EVALUATOR})


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OrgKind] = mapped_column(enum_column(OrgKind))
    name: Mapped[str] = mapped_column(String(200))
    registration_number: Mapped[str | None] = mapped_column(String(64))
    country: Mapped[str] = mapped_column(String(2), default="CN")
    region: Mapped[str | None] = mapped_column(String(100))
    website: Mapped[str | None] = mapped_column(String(300))
    address: Mapped[str | None] = mapped_column(String(300))
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    verified: Mapped[bool] = mapped_column(default=False)
    verified_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="organisation")

    __table_args__ = (UniqueConstraint("kind", "name"),)

    @property
    def is_agency(self) -> bool:
        return self.kind == OrgKind.AGENCY

    @property
    def is_company(self) -> bool:
        return self.kind == OrgKind.COMPANY

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.kind.value} {self.name!r}>"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(default=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    # an external evaluator's account is limited to the scenarios of its panels
    external: Mapped[bool] = mapped_column(default=False)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None]
    last_login_at: Mapped[dt.datetime | None]
    password_changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # when the user proved the address is theirs; None for a founder who signed up and has not
    # opened the link yet (staff prove it by their sign-up link or invitation)
    email_confirmed_at: Mapped[dt.datetime | None] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation | None] = relationship(back_populates="users")
    role_links: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    __table_args__ = (
        # e-mails are stored lower-cased; the index makes uniqueness case-insensitive anyway
        Index("uq_users_email_lower", func.lower(email), unique=True),
    )

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.active

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(link.role for link in self.role_links)

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class UserRole(db.Model):
    """A role held by a user; `organisation_id` is copied so that the database can enforce
    one founder per company."""

    __tablename__ = "user_roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))

    user: Mapped[User] = relationship(back_populates="role_links")

    __table_args__ = (
        UniqueConstraint("user_id", "role"),
        Index(
            "uq_user_roles_one_founder_per_company",
            "organisation_id",
            unique=True,
            sqlite_where=(role == Role.FOUNDER.value),
            postgresql_where=(role == Role.FOUNDER.value),
        ),
    )


class ApiToken(db.Model):
    """A bearer token; only its SHA-256 is stored. `personal` tokens are named by the user."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    personal: Mapped[bool] = mapped_column(default=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
    last_used_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship()

    def usable(self, now: dt.datetime) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > now


class AllowedDomain(db.Model):
    """An e-mail domain whose owners may sign up as staff of the mapped agency."""

    __tablename__ = "allowed_domains"

    id: Mapped[int] = mapped_column(primary_key=True)
    domain: Mapped[str] = mapped_column(String(253), unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    agency: Mapped[Organisation] = relationship()


class Invitation(db.Model):
    """An agency's invitation for a member of staff (or an external evaluator)."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    external: Mapped[bool] = mapped_column(default=False)
    # an external evaluator is limited to this scenario (set by the evaluation domain)
    scenario_id: Mapped[int | None] = mapped_column(index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    accepted_at: Mapped[dt.datetime | None]

    agency: Mapped[Organisation] = relationship()

    __table_args__ = (
        CheckConstraint("role IN ('buyer', 'evaluator')", name="staff_role"),
    )
