"""Documents the agency publishes with a scenario (PDF, images, CSV, XLSX)."""

from __future__ import annotations

from marketplace.audit.services import record
from marketplace.core.errors import InvalidTransition, ValidationFailed
from marketplace.core.files import store_upload
from marketplace.extensions import db
from marketplace.scenarios.models import Scenario, ScenarioDocument
from marketplace.scenarios.services import close_if_due
from marketplace.scenarios.states import ScenarioState
from marketplace.scenarios.validation import no_nul

ALLOWED_KINDS = {"pdf", "png", "jpeg", "csv", "xlsx"}
MAX_DOCUMENTS = 20


def add_document(scenario: Scenario, stream, filename: str | None, title: str | None, *,
                 actor) -> ScenarioDocument:
    """Store a checked upload and attach it to a draft or open scenario."""
    close_if_due(scenario)
    if scenario.state not in (ScenarioState.DRAFT, ScenarioState.PUBLISHED):
        raise InvalidTransition("Documents can be added to a draft or an open scenario only.")
    if len(scenario.documents) >= MAX_DOCUMENTS:
        raise ValidationFailed(f"At most {MAX_DOCUMENTS} documents.",
                               errors={"file": ["too many documents"]})
    stored = store_upload(stream, filename, allowed=ALLOWED_KINDS)
    title = no_nul(title).strip()[:300] or stored.original_name
    document = ScenarioDocument(scenario=scenario, title=title, storage_key=stored.storage_key,
                                original_name=stored.original_name,
                                content_type=stored.content_type, size=stored.size,
                                sha256=stored.sha256)
    db.session.add(document)
    db.session.flush()
    record("scenario.document_added", document, actor=actor, scenario_id=scenario.id,
           after={"title": title, "sha256": stored.sha256},
           public=scenario.state != ScenarioState.DRAFT)
    return document
