"""Reading company profiles (public)."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.companies.models import CompanyProfile
from marketplace.extensions import db


def profile_of(organisation) -> CompanyProfile | None:
    """The company's profile, or None when the founder has not filled it in yet."""
    return db.session.scalar(
        select(CompanyProfile).where(CompanyProfile.organisation_id == organisation.id)
    )


def fetch(model, row_id):
    """`session.get` that answers None (a 404) for ids no row can have."""
    from marketplace.bids.queries import valid_id

    return db.session.get(model, row_id) if valid_id(row_id) else None
