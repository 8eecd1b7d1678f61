"""Company profile services: structured fields (for matching), track record, portfolio."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from marketplace import audit
from marketplace.accounts.models import Organisation
from marketplace.companies.models import CompanyProfile, PortfolioFile, TrackRecord
from marketplace.companies.permissions import can_edit_profile
from marketplace.companies.signals import profile_updated
from marketplace.core.errors import Conflict, PermissionDenied, ValidationFailed
from marketplace.core.files import store_upload
from marketplace.core.time import utcnow
from marketplace.extensions import db
from marketplace.scenarios.models import SECTORS

MAX_TAGS = 20
TAG_LENGTH = 40
PORTFOLIO_KINDS = {"pdf", "png", "jpeg"}
MAX_PORTFOLIO_FILES = 20
ORG_FIELDS = {"name": 200, "registration_number": 64, "region": 100, "website": 300}
PROFILE_TEXT = {"headline": 200, "description": 20000}


def get_or_create_profile(organisation: Organisation) -> CompanyProfile:
    """The company's profile row, created (empty) when missing."""
    if not organisation.is_company:
        raise ValidationFailed("Only companies have a company profile.")
    profile = db.session.scalar(
        select(CompanyProfile).where(CompanyProfile.organisation_id == organisation.id)
    )
    if profile is None:
        profile = CompanyProfile(organisation=organisation, headline="", description="",
                                 sectors=[], capabilities=[], ai_tools=[])
        db.session.add(profile)
        db.session.flush()
    return profile


def normalise_tags(raw, field: str) -> list[str]:
    """Short lower-case tags, from a list or a comma-separated string; duplicates dropped."""
    if raw is None:
        return []
    items = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple):
        raise ValidationFailed(f"Give the {field} as a list of short tags.",
                               errors={field: ["not a list"]})
    tags: list[str] = []
    for item in items:
        tag = " ".join(str(item).split()).lower()
        if not tag:
            continue
        if len(tag) > TAG_LENGTH:
            raise ValidationFailed(f"Each of the {field} is at most {TAG_LENGTH} characters.",
                                   errors={field: [f"“{tag[:20]}…” is too long"]})
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValidationFailed(f"Give at most {MAX_TAGS} {field}.", errors={field: ["too many"]})
    return tags


def _sectors(raw) -> list[str]:
    sectors = normalise_tags(raw, "sectors")
    unknown = [s for s in sectors if s not in SECTORS]
    if unknown:
        raise ValidationFailed(
            "Unknown sector: " + ", ".join(unknown) + ". Choose from: " + ", ".join(SECTORS) + ".",
            errors={"sectors": ["unknown sector"]},
        )
    return sectors


def _clean_text(data: dict, limits: dict, errors: dict) -> dict:
    cleaned = {}
    for field, limit in limits.items():
        if field in data:
            value = "" if data[field] is None else str(data[field]).strip()
            if len(value) > limit:
                errors[field] = [f"At most {limit} characters."]
            cleaned[field] = value
    return cleaned


def _check_link(value: str | None, field: str, errors: dict) -> str | None:
    if not value:
        return None
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", value, re.IGNORECASE):
        errors[field] = ["Give a web address starting with http:// or https://."]
    return value


def update_profile(profile: CompanyProfile, data: dict, *, actor) -> CompanyProfile:
    """Update the profile and the company's own details; raise and change nothing when wrong."""
    if not can_edit_profile(actor, profile):
        raise PermissionDenied("Only the company's founder can edit its profile.")
    errors: dict = {}
    org_values = _clean_text(data, ORG_FIELDS, errors)
    text_values = _clean_text(data, PROFILE_TEXT, errors)
    if "name" in org_values and not org_values["name"]:
        errors["name"] = ["Give the company's name."]
    if "website" in org_values:
        org_values["website"] = _check_link(org_values["website"], "website", errors)
    tags = {}
    if "sectors" in data:
        tags["sectors"] = _sectors(data["sectors"])
    for field in ("capabilities", "ai_tools"):
        if field in data:
            tags[field] = normalise_tags(data[field], field.replace("_", " "))
    records = None
    if "track_record" in data:
        rows = data["track_record"] if isinstance(data["track_record"], list) else []
        try:
            records = [_track_record(row, i) for i, row in enumerate(rows[:100])]
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationFailed("Some fields are not valid: " + ", ".join(sorted(errors)) + ".",
                               errors=errors)
    before = {"name": profile.organisation.name, "sectors": list(profile.sectors)}
    for field, value in org_values.items():
        setattr(profile.organisation, field, value or (None if field != "name" else value))
    for field, value in {**text_values, **tags}.items():
        setattr(profile, field, value)
    if records is not None:
        profile.track_record[:] = records
    profile.updated_at = utcnow()
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise Conflict("Another company already has this name.",
                       errors={"name": ["already used"]}) from None
    audit.record("company.profile_updated", profile, actor=actor, before=before,
                 after={"fields": sorted(data)})
    profile_updated.send(profile)
    return profile


def _track_record(row, index: int) -> TrackRecord:
    errors: dict = {}
    row = row if isinstance(row, dict) else {}
    values = _clean_text(row, {"title": 300, "client": 200, "outcome": 4000, "link": 500},
                         errors)
    if not values.get("title") or not values.get("client"):
        errors["title"] = ["Give the title and the client of the pilot or contract."]
    try:
        year = int(row.get("year"))
    except (TypeError, ValueError):
        year = 0
    if not 1990 <= year <= utcnow().year + 1:
        errors["year"] = [f"Give a year between 1990 and {utcnow().year + 1}."]
    link = _check_link(values.get("link"), "link", errors)
    if errors:
        raise ValidationFailed(f"Track record row {index + 1} is not valid.",
                               errors={f"track_record.{index}.{k}": v for k, v in errors.items()})
    return TrackRecord(title=values["title"], client=values["client"], year=year,
                       outcome=values.get("outcome", ""), link=link)


def add_track_record(profile: CompanyProfile, data: dict, *, actor) -> TrackRecord:
    """Add one past pilot or contract."""
    if not can_edit_profile(actor, profile):
        raise PermissionDenied("Only the company's founder can edit its profile.")
    row = _track_record(data, len(profile.track_record))
    profile.track_record.append(row)
    db.session.flush()
    audit.record("company.track_record_added", profile, actor=actor, after={"id": row.id})
    profile_updated.send(profile)
    return row


def remove_track_record(row: TrackRecord, *, actor) -> None:
    profile = row.profile
    if not can_edit_profile(actor, profile):
        raise PermissionDenied("Only the company's founder can edit its profile.")
    profile.track_record.remove(row)
    audit.record("company.track_record_removed", profile, actor=actor, after={"id": row.id})
    profile_updated.send(profile)


def add_portfolio_file(profile: CompanyProfile, title: str, stream, filename, *, actor):
    """A public portfolio file (PDF, PNG or JPEG), type checked from the content."""
    if not can_edit_profile(actor, profile):
        raise PermissionDenied("Only the company's founder can edit its profile.")
    title = (title or "").strip()
    if not title or len(title) > 300:
        raise ValidationFailed("Give the file a title (up to 300 characters).",
                               errors={"title": ["required"]})
    if filename and ("/" in filename or "\\" in filename or ".." in filename):
        raise ValidationFailed("The file name must not contain a folder path.",
                               errors={"file": ["path in file name"]})
    if len(profile.portfolio) >= MAX_PORTFOLIO_FILES:
        raise ValidationFailed(f"A profile holds at most {MAX_PORTFOLIO_FILES} files.")
    stored = store_upload(stream, filename, allowed=PORTFOLIO_KINDS)
    item = PortfolioFile(profile=profile, title=title, **stored.__dict__)
    db.session.add(item)
    db.session.flush()
    audit.record("company.portfolio_added", profile, actor=actor, after={"id": item.id})
    return item


def remove_portfolio_file(item: PortfolioFile, *, actor) -> None:
    profile = item.profile
    if not can_edit_profile(actor, profile):
        raise PermissionDenied("Only the company's founder can edit its profile.")
    profile.portfolio.remove(item)
    audit.record("company.portfolio_removed", profile, actor=actor, after={"id": item.id})
