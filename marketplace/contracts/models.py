"""Contract, its PDF versions, signatures and milestones."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import Organisation, Role, User, enum_column
from marketplace.contracts.states import ContractState, MilestoneState
from marketplace.core.db import StoredFileMixin
from marketplace.core.time import utcnow
from marketplace.evaluation.models import Award
from marketplace.extensions import db
from marketplace.scenarios.models import Scenario


class Party(enum.StrEnum):
    AGENCY = "agency"
    COMPANY = "company"


class Contract(db.Model):
    __tablename__ = "contracts"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # CTR-YYYY-NNNNN
    award_id: Mapped[int] = mapped_column(ForeignKey("awards.id"), unique=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    state: Mapped[ContractState] = mapped_column(
        enum_column(ContractState, name="contract_state"), default=ContractState.DRAFT,
        index=True,
    )
    price: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    # the sealed, signed PDF (public once active)
    final_storage_key: Mapped[str | None] = mapped_column(String(64))
    final_sha256: Mapped[str | None] = mapped_column(String(64))
    final_size: Mapped[int | None]
    sealed_at: Mapped[dt.datetime | None]
    termination_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    draft_at: Mapped[dt.datetime | None] = mapped_column(default=utcnow)
    active_at: Mapped[dt.datetime | None]
    completed_at: Mapped[dt.datetime | None]
    terminated_at: Mapped[dt.datetime | None]

    award: Mapped[Award] = relationship()
    scenario: Mapped[Scenario] = relationship()
    agency: Mapped[Organisation] = relationship(foreign_keys=[agency_id])
    company: Mapped[Organisation] = relationship(foreign_keys=[company_id])
    versions: Mapped[list[ContractVersion]] = relationship(
        back_populates="contract", cascade="all, delete-orphan", order_by="ContractVersion.number",
        lazy="selectin",
    )
    signatures: Mapped[list[Signature]] = relationship(
        back_populates="contract", cascade="all, delete-orphan", order_by="Signature.id",
        lazy="selectin",
    )
    milestones: Mapped[list[ContractMilestone]] = relationship(
        back_populates="contract", cascade="all, delete-orphan",
        order_by="ContractMilestone.position", lazy="selectin",
    )

    __table_args__ = (
        CheckConstraint("price >= 0", name="price_not_negative"),
        CheckConstraint("start_date <= end_date", name="dates_in_order"),
    )

    @property
    def current_version(self) -> ContractVersion | None:
        return self.versions[-1] if self.versions else None

    def signature_of(self, party: Party) -> Signature | None:
        """The party's signature on the current version, if any."""
        version = self.current_version
        return next(
            (s for s in self.signatures if s.party == party and version
             and s.version_id == version.id), None,
        )

    @property
    def fully_signed(self) -> bool:
        return all(self.signature_of(p) is not None for p in Party)

    def __repr__(self) -> str:
        return f"<Contract {self.number} {self.state.value}>"


class ContractVersion(db.Model):
    """One rendering of the terms: the snapshot, and the PDF stored with its SHA-256."""

    __tablename__ = "contract_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    terms: Mapped[dict] = mapped_column(JSON)  # everything the PDF shows
    content_sha256: Mapped[str] = mapped_column(String(64), index=True)  # of the terms
    reason: Mapped[str] = mapped_column(Text, default="")
    storage_key: Mapped[str | None] = mapped_column(String(64))  # None until rendered
    sha256: Mapped[str | None] = mapped_column(String(64))  # of the PDF bytes
    size: Mapped[int | None]
    pages: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    rendered_at: Mapped[dt.datetime | None]

    contract: Mapped[Contract] = relationship(back_populates="versions")

    __table_args__ = (UniqueConstraint("contract_id", "number"),)

    @property
    def rendered(self) -> bool:
        return self.sha256 is not None


class Signature(db.Model):
    """A party's signature on one exact PDF version. The IP is never shown publicly."""

    __tablename__ = "contract_signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int] = mapped_column(ForeignKey("contract_versions.id"))
    party: Mapped[Party] = mapped_column(enum_column(Party, name="contract_party"))
    signer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signer_name: Mapped[str] = mapped_column(String(200))  # as confirmed by the signer
    role: Mapped[Role] = mapped_column(enum_column(Role, name="signer_role"))
    signed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    ip: Mapped[str | None] = mapped_column(String(45))
    sha256: Mapped[str] = mapped_column(String(64))  # of the exact PDF version signed

    contract: Mapped[Contract] = relationship(back_populates="signatures")
    version: Mapped[ContractVersion] = relationship()
    signer: Mapped[User] = relationship()

    # one signature per party on a version, enforced by the database
    __table_args__ = (UniqueConstraint("version_id", "party"),)


class ContractMilestone(db.Model):
    """A milestone of the winning bid with its share of the price as an exact amount."""

    __tablename__ = "contract_milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    duration_days: Mapped[int]
    share_percent: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    amount: Mapped[Decimal]
    due_date: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[MilestoneState] = mapped_column(
        enum_column(MilestoneState, name="milestone_state"), default=MilestoneState.PENDING
    )
    delivery_note: Mapped[str | None] = mapped_column(Text)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    delivered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    pending_at: Mapped[dt.datetime | None]
    delivered_at: Mapped[dt.datetime | None]
    accepted_at: Mapped[dt.datetime | None]
    rejected_at: Mapped[dt.datetime | None]

    contract: Mapped[Contract] = relationship(back_populates="milestones")
    files: Mapped[list[MilestoneFile]] = relationship(
        back_populates="milestone", cascade="all, delete-orphan", order_by="MilestoneFile.id",
        lazy="selectin",
    )

    __table_args__ = (
        UniqueConstraint("contract_id", "position"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    @property
    def payment_due(self) -> bool:
        return self.state == MilestoneState.ACCEPTED


class MilestoneFile(StoredFileMixin, db.Model):
    """A file delivered with a milestone; served only to the parties."""

    __tablename__ = "contract_milestone_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(
        ForeignKey("contract_milestones.id", ondelete="CASCADE"), index=True
    )
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    milestone: Mapped[ContractMilestone] = relationship(back_populates="files")
