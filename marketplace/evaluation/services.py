"""Panel, declarations, scores, moderation, lock and disqualification."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from decimal import Decimal, InvalidOperation

from flask import url_for
from sqlalchemy import select

from marketplace.accounts import services as accounts
from marketplace.accounts.models import Invitation, Role, User
from marketplace.audit.services import record
from marketplace.bids.states import BID_STATES, BidState
from marketplace.core.errors import (
    InvalidTransition,
    PermissionDenied,
    ValidationFailed,
)
from marketplace.core.time import utcnow
from marketplace.evaluation import permissions, queries
from marketplace.evaluation.models import (
    ConflictDeclaration,
    ModeratedScore,
    Panel,
    PanelMember,
    PanelRole,
    Score,
)
from marketplace.evaluation.scoring import method_for
from marketplace.extensions import db
from marketplace.notifications.services import notify, queue_mail
from marketplace.scenarios.states import SCENARIO_STATES, ScenarioState

SCORABLE_BID_STATES = frozenset({BidState.SUBMITTED, BidState.SHORTLISTED})
INVITATION_DAYS = 14


# --- panel -------------------------------------------------------------------------------------

def _open_evaluation(scenario, actor) -> None:
    """A scenario past its deadline moves to evaluation when its panel is first appointed."""
    state = scenario.effective_state()
    if state == ScenarioState.EVALUATION:
        return
    if state != ScenarioState.CLOSED:
        raise InvalidTransition(
            "A panel can be appointed only once the bid deadline has passed and before the award."
        )
    if scenario.state == ScenarioState.PUBLISHED:
        SCENARIO_STATES.move(scenario, ScenarioState.CLOSED)
    SCENARIO_STATES.move(scenario, ScenarioState.EVALUATION)
    record("scenario.evaluation_opened", scenario, actor=actor, scenario_id=scenario.id,
           public=True, after={"state": scenario.state.value})


def _staff_user(scenario, user_id) -> User:
    user = queries.get(User, user_id)
    allowed = user is not None and user.active and user.organisation_id == scenario.agency_id \
        and user.has_role(Role.BUYER, Role.EVALUATOR)
    if not allowed:
        raise ValidationFailed(
            "Panel members must be active staff of the agency.", errors={"members": [user_id]}
        )
    if user.external and scenario.id not in external_scenarios(user):
        raise ValidationFailed(
            f"{user.name} is an external evaluator for another scenario; invite them by e-mail.",
            errors={"members": [user_id]})
    return user


def external_scenarios(user) -> set[int]:
    """The scenarios an external evaluator was invited to: the only ones they may see."""
    return set(db.session.scalars(select(Invitation.scenario_id).where(
        Invitation.email == user.email, Invitation.external.is_(True))))


def set_panel(scenario, data: dict, *, actor) -> Panel:
    """Appoint (or change) the panel: one chair and one or more evaluators."""
    if not permissions.can_manage_panel(actor, scenario):
        raise PermissionDenied("Only the agency's buyers appoint the panel.")
    _open_evaluation(scenario, actor)
    panel = permissions.panel_for(scenario) or Panel(scenario=scenario, created_by_id=actor.id)
    if panel.locked:
        raise InvalidTransition("The scores are locked; the panel can no longer change.")
    db.session.add(panel)
    chair = _staff_user(scenario, data.get("chair_id"))
    wanted = {chair.id: PanelRole.CHAIR}
    for user_id in data.get("evaluator_ids") or []:
        wanted.setdefault(_staff_user(scenario, user_id).id, PanelRole.EVALUATOR)
    for invite in data.get("externals") or []:
        user = _external_evaluator(scenario, invite, actor=actor)
        wanted.setdefault(user.id, PanelRole.EVALUATOR)
    if len(wanted) < 2:
        raise ValidationFailed("Appoint a chair and at least one evaluator.",
                               errors={"evaluator_ids": ["at least one evaluator"]})
    _apply_members(panel, wanted, actor)
    record("panel.set", panel, actor=actor, scenario_id=scenario.id, after={
        "members": [{"user_id": m.user_id, "role": m.role.value} for m in panel.active_members]
    })
    return panel


def _apply_members(panel: Panel, wanted: dict[int, PanelRole], actor) -> None:
    by_user = {m.user_id: m for m in panel.members}
    for member in panel.members:
        conflicted = member.declaration is not None and member.declaration.has_conflict
        if member.user_id in wanted and conflicted:
            raise ValidationFailed(
                f"{member.user.name} declared a conflict of interest and cannot sit on this panel."
            )
        if member.active and wanted.get(member.user_id) != member.role:
            # demote or remove first, so that the one-chair index never sees two chairs
            member.role = PanelRole.EVALUATOR
            if member.user_id not in wanted:
                member.active, member.removed_at = False, utcnow()
                member.removed_reason = "Removed from the panel by the agency."
    db.session.flush()
    for user_id, role in wanted.items():
        member = by_user.get(user_id)
        if member is None:
            member = PanelMember(panel=panel, user_id=user_id, role=role)
            db.session.add(member)
            _notify_appointed(panel, db.session.get(User, user_id), role)
        elif not member.active:
            member.active, member.removed_at, member.removed_reason = True, None, None
            _notify_appointed(panel, member.user, role)
        member.role = role
    db.session.flush()


def _notify_appointed(panel: Panel, user: User, role: PanelRole) -> None:
    scenario = panel.scenario
    notify(
        user, "panel_appointment", f"You are on the evaluation panel of {scenario.reference}",
        f"You have been appointed {role.value} of the panel for \"{scenario.title}\". Sign the "
        "conflict-of-interest declaration before you see the bids.",
        link=url_for("evaluation.declaration", reference=scenario.reference),
    )


def _external_evaluator(scenario, invite: dict, *, actor) -> User:
    """An evaluator account limited to this scenario's panel, and an e-mailed invitation."""
    email = accounts.normalise_email(invite.get("email"))
    user = accounts.find_user_by_email(email)
    if user is not None:
        if user.organisation_id != scenario.agency_id or not user.has_role(Role.EVALUATOR):
            raise ValidationFailed(f"{email} belongs to an account outside this agency.",
                                   errors={"externals": [email]})
        if user.external and scenario.id not in external_scenarios(user):
            # the account exists: record this scenario as one they may see, nothing to accept
            db.session.add(Invitation(
                agency_id=scenario.agency_id, email=email, role=Role.EVALUATOR,
                token_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
                invited_by_id=actor.id, external=True, scenario_id=scenario.id,
                expires_at=utcnow(), accepted_at=utcnow()))
        return user
    name = (invite.get("name") or "").strip() or email.split("@")[0]
    user = accounts.create_user(
        email, name, secrets.token_urlsafe(24), roles=[Role.EVALUATOR],
        organisation=scenario.agency, actor=actor, external=True,
    )
    clear = secrets.token_urlsafe(32)
    db.session.add(Invitation(
        agency_id=scenario.agency_id, email=email, role=Role.EVALUATOR,
        token_hash=hashlib.sha256(clear.encode()).hexdigest(), invited_by_id=actor.id,
        external=True, scenario_id=scenario.id,
        expires_at=utcnow() + dt.timedelta(days=INVITATION_DAYS),
    ))
    link = url_for("evaluation.accept_invitation", token=clear, _external=True)
    queue_mail(email, f"Invitation to evaluate {scenario.reference}",
               f"{actor.name} invites you to evaluate the bids for \"{scenario.title}\".\n\n"
               f"Choose your password here (valid {INVITATION_DAYS} days):\n{link}")
    return user


def accept_invitation(token: str, data: dict) -> User:
    """An external evaluator chooses a password and can log in."""
    digest = hashlib.sha256((token or "").encode()).hexdigest()
    invitation = db.session.scalar(select(Invitation).where(
        Invitation.token_hash == digest, Invitation.external.is_(True)))
    if invitation is None or invitation.accepted_at or invitation.expires_at <= utcnow():
        raise PermissionDenied("This invitation is not valid (used or expired).")
    user = accounts.find_user_by_email(invitation.email)
    accounts.set_password(user, data.get("password") or "", actor=user)
    invitation.accepted_at = utcnow()
    return user


# --- declaration -------------------------------------------------------------------------------

def declare_interests(scenario, data: dict, *, actor) -> ConflictDeclaration:
    """Sign the conflict-of-interest declaration; a conflict removes the member."""
    member = permissions.membership(actor, scenario)
    if member is None:
        raise PermissionDenied("You are not on this scenario's panel.")
    if member.declaration is not None:
        raise InvalidTransition("You have already signed your declaration for this scenario.")
    has_conflict = data.get("has_conflict")
    if not isinstance(has_conflict, bool):
        raise ValidationFailed("Say whether you have a conflict of interest.",
                               errors={"has_conflict": ["required"]})
    details = (data.get("details") or "").strip()
    if has_conflict and not details:
        raise ValidationFailed("Describe the conflict.", errors={"details": ["required"]})
    declaration = ConflictDeclaration(
        member=member, has_conflict=has_conflict, details=details,
        companies=queries.bidding_company_names(scenario),
    )
    db.session.add(declaration)
    if has_conflict:
        member.active, member.removed_at = False, utcnow()
        member.removed_reason = "Declared a conflict of interest."
        _tell_chair_of_conflict(scenario, member)
    db.session.flush()
    record("panel.declaration", declaration, actor=actor, scenario_id=scenario.id, after={
        "member_id": member.id, "has_conflict": has_conflict, "companies": declaration.companies,
        "details": details,
    })
    return declaration


def _tell_chair_of_conflict(scenario, member: PanelMember) -> None:
    panel = member.panel
    chair = panel.chair
    recipients = [chair.user] if chair is not None and chair.id != member.id else \
        queries.agency_buyers(scenario.agency_id)
    for user in recipients:
        notify(user, "panel_conflict", f"Conflict declared on {scenario.reference}",
               f"{member.user.name} declared a conflict of interest and has left the panel.",
               link=url_for("evaluation.panel", reference=scenario.reference))


# --- scores ------------------------------------------------------------------------------------

def _decimal(raw, field: str) -> Decimal:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(
            "A score is a number from 0 to 10.", errors={field: ["number"]}) from None
    if not value.is_finite() or value < 0 or value > 10:
        raise ValidationFailed("A score is a number from 0 to 10.", errors={field: ["0..10"]})
    return value.quantize(Decimal("0.01"))


def _check_scoring_open(scenario, panel) -> None:
    if scenario.state != ScenarioState.EVALUATION:
        raise InvalidTransition("Scores are given only while the scenario is in evaluation.")
    if panel is None or panel.locked:
        raise InvalidTransition("The scores are locked.")


def save_scores(bid, data: dict, *, actor) -> list[Score]:
    """The caller's scores of one bid: every criterion 0..10 with a comment."""
    scenario = bid.scenario
    member = permissions.membership(actor, scenario)
    if member is None or not member.cleared:
        raise PermissionDenied("Only panel members who declared no conflict score bids.")
    _check_scoring_open(scenario, member.panel)
    if bid.state not in SCORABLE_BID_STATES:
        raise InvalidTransition("Only submitted bids are scored.")
    criteria = {c.id: c for c in scenario.criteria if not method_for(c).automatic}
    items = data.get("scores") or []
    if not items:
        raise ValidationFailed("Give at least one score.", errors={"scores": ["required"]})
    context = {"bids": queries.running_bids(actor, scenario)}
    saved = [_save_one(bid, member, criteria, item, context) for item in items]
    record("scores.saved", bid, actor=actor, scenario_id=scenario.id, after={
        "member_id": member.id,
        "scores": {str(s.criterion_id): str(s.value) for s in saved},
    })
    return saved


def _save_one(bid, member, criteria, item: dict, context) -> Score:
    criterion = criteria.get(item.get("criterion_id"))
    field = f"criterion_{item.get('criterion_id')}"
    if criterion is None:
        raise ValidationFailed("Not a criterion the panel scores.", errors={field: ["unknown"]})
    value = _decimal(item.get("score"), field)
    comment = (item.get("comment") or "").strip()
    if not comment:
        raise ValidationFailed(f"Explain your score for {criterion.name}.",
                               errors={field: ["comment required"]})
    suggested = method_for(criterion).suggest(bid, criterion, context)
    reason = (item.get("override_reason") or "").strip() or None
    if suggested is not None and value != suggested and not reason:
        raise ValidationFailed(
            f"Your score for {criterion.name} differs from the suggested {suggested}: "
            "give a reason.", errors={field: ["override reason required"]})
    score = db.session.scalar(select(Score).where(
        Score.bid_id == bid.id, Score.member_id == member.id,
        Score.criterion_id == criterion.id))
    if score is None:
        score = Score(bid_id=bid.id, member_id=member.id, criterion_id=criterion.id,
                      declaration_id=member.declaration.id)
        db.session.add(score)
    score.value, score.comment, score.suggested = value, comment, suggested
    score.override_reason = reason if suggested is not None and value != suggested else None
    db.session.flush()
    return score


def has_submitted_own(member: PanelMember, bids, criteria) -> bool:
    """Has the member scored every running bid on every criterion the panel scores?"""
    needed = {(b.id, c.id) for b in bids for c in criteria if not method_for(c).automatic}
    done = {tuple(row) for row in db.session.execute(
        select(Score.bid_id, Score.criterion_id).where(Score.member_id == member.id))}
    return needed <= done


# --- moderation, lock, disqualification --------------------------------------------------------

def moderate_score(bid, data: dict, *, actor) -> ModeratedScore:
    """The chair records the consensus score of a bid on a criterion."""
    scenario = bid.scenario
    if not permissions.can_moderate(actor, scenario):
        raise PermissionDenied("Only the panel's chair moderates scores.")
    _check_scoring_open(scenario, permissions.panel_for(scenario))
    criterion = next((c for c in scenario.criteria if c.id == data.get("criterion_id")), None)
    if criterion is None or method_for(criterion).automatic:
        raise ValidationFailed("Not a criterion the panel scores.",
                               errors={"criterion_id": ["unknown"]})
    value = _decimal(data.get("score"), "score")
    justification = (data.get("justification") or "").strip()
    if not justification:
        raise ValidationFailed("Justify the moderated score.",
                               errors={"justification": ["required"]})
    moderated = db.session.scalar(select(ModeratedScore).where(
        ModeratedScore.bid_id == bid.id, ModeratedScore.criterion_id == criterion.id))
    if moderated is None:
        moderated = ModeratedScore(bid_id=bid.id, criterion_id=criterion.id)
        db.session.add(moderated)
    moderated.value, moderated.justification = value, justification
    moderated.moderated_by_id = actor.id
    db.session.flush()
    record("scores.moderated", moderated, actor=actor, scenario_id=scenario.id, after={
        "bid_id": bid.id, "criterion_id": criterion.id, "score": str(value),
        "justification": justification})
    return moderated


def lock_scores(scenario, *, actor) -> Panel:
    """The chair locks the scores: all scored, every flagged criterion moderated."""
    from marketplace.evaluation.ranking import build_ranking

    if not permissions.can_moderate(actor, scenario):
        raise PermissionDenied("Only the panel's chair locks the scores.")
    panel = permissions.panel_for(scenario)
    _check_scoring_open(scenario, panel)
    bids = queries.running_bids(actor, scenario)
    missing = [m.user.name for m in panel.active_members
               if m.cleared and not has_submitted_own(m, bids, scenario.criteria)]
    undeclared = [m.user.name for m in panel.active_members if m.declaration is None]
    if missing or undeclared:
        raise InvalidTransition("Not every member has declared and scored every bid: "
                                + ", ".join(sorted(set(missing + undeclared))) + ".")
    ranking = build_ranking(scenario, bids)
    if ranking.unmoderated_flags:
        raise InvalidTransition("Moderate every flagged score before locking.")
    panel.locked_at, panel.locked_by_id = utcnow(), actor.id
    record("scores.locked", panel, actor=actor, scenario_id=scenario.id, public=True,
           after={"ranking": [r.bid_id for r in ranking.rows]})
    return panel


def disqualify_bid(bid, data: dict, *, actor) -> None:
    """Disqualify a bid with a reason the company will see."""
    scenario = bid.scenario
    if not permissions.can_disqualify(actor, scenario):
        raise PermissionDenied("Only the agency's buyers or the panel's chair disqualify bids.")
    if scenario.state != ScenarioState.EVALUATION:
        raise InvalidTransition("Bids are disqualified only during evaluation.")
    reason = (data.get("reason") or "").strip()
    if not reason:
        raise ValidationFailed("Give the reason for the disqualification.",
                               errors={"reason": ["required"]})
    before = BID_STATES.move(bid, BidState.DISQUALIFIED)
    bid.disqualification_reason = reason
    record("bid.disqualified", bid, actor=actor, scenario_id=scenario.id,
           before={"state": before.value}, after={"state": bid.state.value, "reason": reason})
    for founder in queries.company_founders(bid.company_id):
        notify(founder, "bid_disqualified", f"Your bid for {scenario.reference} was disqualified",
               reason, link=url_for("evaluation.result", bid_id=bid.id))
