"""Scenario pages: the public list and page, the agency's dashboard and forms."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup, escape

from marketplace.accounts.models import Role
from marketplace.core.errors import DomainError
from marketplace.core.files import storage_path
from marketplace.core.pagination import Page
from marketplace.core.permissions import roles_required
from marketplace.core.time import utcnow
from marketplace.extensions import db
from marketplace.scenarios import documents, permissions, qa, services
from marketplace.scenarios.forms import (
    AmendForm,
    AnswerForm,
    CancelForm,
    ClarificationForm,
    DocumentForm,
    QuestionForm,
    ScenarioForm,
)
from marketplace.scenarios.models import SECTORS, Question, ScenarioDocument
from marketplace.scenarios.queries import (
    SORTS,
    agency_scenarios,
    bid_count,
    filters_from_args,
    get_by_reference,
    page_scenarios,
    scenario_page,
)
from marketplace.scenarios.states import PUBLIC_STATES, ScenarioState
from marketplace.web.filters import carried_args

bp = Blueprint("scenarios", __name__)


@bp.app_template_filter("number")
def number_filter(value):
    """A Decimal without exponent or trailing zeros: 50, 12.5."""
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _load(reference: str, *, manage: bool = False):
    """The scenario visible to the current user (404 otherwise); 403 when `manage` is refused."""
    return _visible(get_by_reference(reference), manage=manage)


def _visible(scenario, *, manage: bool = False):
    """`scenario` if the current user may see it (404 otherwise); 403 when `manage` is refused."""
    if scenario is None or not permissions.can_view_scenario(current_user, scenario):
        abort(404)
    if manage and not permissions.can_manage_scenario(current_user, scenario):
        abort(403)
    return scenario


def _load_for_writing(reference: str, *, manage: bool = True):
    """As `_load`, closing a scenario whose deadline has passed before anything else."""
    scenario = _load(reference, manage=manage)
    if services.close_if_due(scenario):
        db.session.commit()
    return scenario


# the list's status filter, in the order of the states (a tuple: the form is kept under it)
PUBLIC_STATE_VALUES = tuple(s.value for s in ScenarioState if s in PUBLIC_STATES)


@bp.route("/scenarios")
def index():
    query = request.args.to_dict()  # each key's first value (MultiDict.get of a missing key
    filters = filters_from_args(query)  # raises and catches a KeyError inside: 2 us each)
    q = (query.get("q") or "").strip()[:200]
    sort = query.get("sort") if query.get("sort") in SORTS else "deadline"
    page_no, per_page = query.get("page"), query.get("per_page")
    provider = current_app.extensions.get("scenario_search")
    result = None
    if provider is not None and (q or sort == "relevance"):
        from marketplace.core.pagination import clamp

        page_no, per_page = clamp(page_no, per_page)
        result = provider(filters, q, sort, page_no, per_page)
        page = Page(items=list(result.items), page=page_no, per_page=per_page,
                    total=result.total)
    else:
        page = page_scenarios(filters, q=q, sort=sort, page=page_no, per_page=per_page,
                              cards=True)
    args = carried_args(query)
    return render_template(
        "scenarios/index.html", page=page, filters=filters, q=q, sort=sort, args=args,
        sectors=SECTORS, states=PUBLIC_STATE_VALUES,
        facets=getattr(result, "facets", None) or {},
        snippets=getattr(result, "snippets", None) or {},
        suggestion=getattr(result, "suggestion", None), now=utcnow(),
    )


@bp.app_template_global()
def scenario_cards(cards, now, snippets=None) -> Markup:
    """The cards of a list of `ScenarioCard`s, each rendered once per distinct content
    (web/fragments.py): the card's values, its effective state at `now`, its snippet."""
    snippets = snippets or {}
    return Markup("").join(current_app.jinja_env.globals["fragment"].each(
        "scenarios/_card.html",
        [{"s": card, "st": card.effective_state(now).value, "snippet": snippets.get(card.id)}
         for card in cards]))


class FacetLinks(NamedTuple):
    """A search's facets (pairs of a facet's name and its (value, count) pairs) and the query
    arguments its links carry (pairs): plain strings and numbers, compared by value."""

    facets: tuple
    args: tuple


@bp.app_template_global()
def scenario_facets(facets: dict, args: dict) -> Markup:
    """A search's facet links (name -> [(value, count)]) carrying the page's `args`: written
    here rather than in a template (fourteen links cost 100 us through Jinja and query_url's
    template call, 20 us so), and kept per distinct facets and arguments, since a search's
    are the same for every visitor making it until the index changes its counts."""
    if not facets:
        return Markup("")
    links = FacetLinks(tuple((name, tuple(map(tuple, values))) for name, values in facets.items()),
                       tuple(args.items()))
    return _facet_links(current_app._get_current_object(), links, request.script_root)


@lru_cache(maxsize=1024)
def _facet_links(app, links: FacetLinks, _root: str) -> Markup:
    query_url, carried = app.jinja_env.globals["query_url"], dict(links.args)
    out = []
    for facet, values in links.facets:
        out.append(f'<h2 class="h6 mt-4">{escape(facet.replace("_", " ").capitalize())}</h2>\n'
                   '<ul class="list-unstyled small">\n')
        for value, count in values:
            url = query_url("scenarios.index", {**carried, facet: value})
            out.append(f'  <li><a href="{escape(url)}">{escape(value)}</a> '
                       f'<span class="text-muted">({int(count)})</span></li>\n')
        out.append("</ul>\n")
    return Markup("".join(out))  # noqa: S704 - every value escaped


@bp.route("/scenarios/<reference>")
def detail(reference):
    user = current_user
    # only an agency's staff see who asked (can_see_askers), so only they load the askers
    page = scenario_page(reference, askers=permissions.is_agency_staff(user))
    scenario = _visible(page and page.scenario)
    manage = permissions.can_manage_scenario(user, scenario)
    now = utcnow()
    questions = [q for q in scenario.questions if q.answered_at or manage]
    can_ask = permissions.can_ask_question(user, scenario) and qa.questions_open(scenario, now)
    return render_template(
        "scenarios/detail.html", scenario=scenario, kpis=page.kpis, criteria=page.criteria,
        state=scenario.effective_state(now),
        tz=scenario.agency.timezone, manage=manage, questions=questions,
        see_askers=permissions.can_see_askers(user, scenario), can_ask=can_ask,
        bids=bid_count(scenario, now), now=now,
        # the forms only for who can use them (most visitors read)
        question_form=QuestionForm() if can_ask else None,
        clarification_form=ClarificationForm(prefix="clarification") if manage else None,
        document_form=DocumentForm(prefix="document") if manage else None,
        own_questions={q.id for q in scenario.questions
                       if user.is_authenticated and q.asked_by_id == user.id},
    )


@bp.route("/agency/scenarios")
@roles_required(Role.BUYER, Role.EVALUATOR)
def agency_dashboard():
    if not permissions.is_agency_staff(current_user):
        abort(403)
    scenarios = agency_scenarios(current_user.organisation_id)
    now = utcnow()
    groups: dict[str, list] = {}
    for scenario in scenarios:
        groups.setdefault(scenario.effective_state(now).value, []).append(scenario)
    order = [s.value for s in ScenarioState]
    return render_template("scenarios/dashboard.html", groups=groups, order=order, now=now,
                           can_create=permissions.can_create_scenario(current_user))


def _render_form(form, scenario=None, *, status=200, messages=(), amend=False):
    template = "scenarios/amend.html" if amend else "scenarios/form.html"
    return render_template(template, form=form, scenario=scenario,
                           messages=list(messages)), status


@bp.route("/scenarios/new", methods=["GET", "POST"])
@roles_required(Role.BUYER)
def create():
    if not permissions.can_create_scenario(current_user):
        abort(403)
    tz = current_user.organisation.timezone
    form = ScenarioForm()
    if request.method == "GET":
        from marketplace.scenarios.validation import default_criteria

        form.fill({"currency": "CNY", "blind_evaluation": True,
                   "criteria": default_criteria()}, tz)
    if form.validate_on_submit():
        try:
            scenario = services.create_scenario(current_user.organisation, form.to_data(tz),
                                                actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            return _render_form(_padded(form), status=422,
                                messages=[exc.detail, *form.show_errors(exc.errors)])
        db.session.commit()
        flash(f"Draft {scenario.reference} saved.", "success")
        return redirect(url_for("scenarios.detail", reference=scenario.reference))
    return _render_form(_padded(form), status=422 if form.errors else 200)


def _padded(form):
    form.pad_rows()
    return form


@bp.route("/scenarios/<reference>/edit", methods=["GET", "POST"])
@login_required
def edit(reference):
    scenario = _load(reference, manage=True)
    if scenario.state != ScenarioState.DRAFT:
        flash("A published scenario changes through an amendment.", "info")
        return redirect(url_for("scenarios.amend", reference=reference))
    tz = scenario.agency.timezone
    form = ScenarioForm()
    if request.method == "GET":
        form.fill(services.scenario_data(scenario), tz)
    if form.validate_on_submit():
        try:
            data = form.to_data(tz, services.scenario_data(scenario))
            services.update_scenario(scenario, data, actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            return _render_form(_padded(form), scenario, status=422,
                                messages=[exc.detail, *form.show_errors(exc.errors)])
        db.session.commit()
        flash("Draft saved.", "success")
        return redirect(url_for("scenarios.detail", reference=reference))
    return _render_form(_padded(form), scenario, status=422 if form.errors else 200)


@bp.route("/scenarios/<reference>/amend", methods=["GET", "POST"])
@login_required
def amend(reference):
    scenario = _load_for_writing(reference)
    tz = scenario.agency.timezone
    form = AmendForm()
    if request.method == "GET":
        form.fill(services.scenario_data(scenario), tz)
    if form.validate_on_submit():
        try:
            data = form.to_data(tz, services.scenario_data(scenario))
            amendment = services.amend_scenario(scenario, data, form.reason.data,
                                                actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            return _render_form(_padded(form), scenario, status=exc.status, amend=True,
                                messages=[exc.detail, *form.show_errors(exc.errors)])
        db.session.commit()
        flash(f"Amendment {amendment.number} published.", "success")
        return redirect(url_for("scenarios.detail", reference=reference))
    return _render_form(_padded(form), scenario, status=422 if form.errors else 200,
                        amend=True)


@bp.route("/scenarios/<reference>/publish", methods=["POST"])
@login_required
def publish(reference):
    scenario = _load(reference, manage=True)
    try:
        services.publish_scenario(scenario, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        messages = [exc.detail] + [f"{k}: {' '.join(v)}" for k, v in exc.errors.items()]
        flash(Markup("<br>").join(messages), "danger")
        return redirect(url_for("scenarios.detail", reference=reference))
    db.session.commit()
    flash(f"{scenario.reference} is published.", "success")
    return redirect(url_for("scenarios.detail", reference=reference))


@bp.route("/scenarios/<reference>/cancel", methods=["GET", "POST"])
@login_required
def cancel(reference):
    scenario = _load_for_writing(reference)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            services.cancel_scenario(scenario, form.reason.data, actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.detail, "danger")
            return render_template("scenarios/cancel.html", form=form,
                                   scenario=scenario), exc.status
        db.session.commit()
        flash(f"{scenario.reference} is cancelled.", "success")
        return redirect(url_for("scenarios.detail", reference=reference))
    return render_template("scenarios/cancel.html", form=form, scenario=scenario), (
        422 if form.errors else 200)


@bp.route("/scenarios/<reference>/questions", methods=["POST"])
@login_required
def ask(reference):
    scenario = _load_for_writing(reference, manage=False)
    if not permissions.can_ask_question(current_user, scenario):
        abort(403)
    form = QuestionForm()
    if not form.validate_on_submit():
        flash("Write your question (at most 5000 characters).", "danger")
        return redirect(url_for("scenarios.detail", reference=reference))
    try:
        qa.ask_question(scenario, form.text.data, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(f"{exc.detail} Your question was not sent.", "danger")
        return redirect(url_for("scenarios.detail", reference=reference))
    db.session.commit()
    flash("Your question was sent. The agency publishes it with its answer.", "success")
    return redirect(url_for("scenarios.detail", reference=reference, _anchor="questions"))


@bp.route("/scenarios/<reference>/questions/<int:question_id>/answer", methods=["POST"])
@login_required
def answer(reference, question_id):
    scenario = _load_for_writing(reference)
    question = db.session.get(Question, question_id)
    if question is None or question.scenario_id != scenario.id:
        abort(404)
    form = AnswerForm()
    if not form.validate_on_submit():
        flash("Write the answer (at most 5000 characters).", "danger")
    else:
        try:
            qa.answer_question(question, form.answer.data, actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.detail, "danger")
        else:
            db.session.commit()
            flash("The question and its answer are published.", "success")
    return redirect(url_for("scenarios.detail", reference=reference, _anchor="questions"))


@bp.route("/scenarios/<reference>/clarifications", methods=["POST"])
@login_required
def clarify(reference):
    scenario = _load_for_writing(reference)
    form = ClarificationForm(prefix="clarification")
    if not form.validate_on_submit():
        flash("Give the clarification a subject and a text.", "danger")
    else:
        try:
            qa.publish_clarification(scenario, form.title.data, form.text.data,
                                     actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.detail, "danger")
        else:
            db.session.commit()
            flash("The clarification is published.", "success")
    return redirect(url_for("scenarios.detail", reference=reference, _anchor="questions"))


@bp.route("/scenarios/<reference>/documents", methods=["POST"])
@login_required
def upload(reference):
    scenario = _load_for_writing(reference)
    form = DocumentForm(prefix="document")
    if not form.validate_on_submit():
        flash("Choose a file to upload.", "danger")
        return redirect(url_for("scenarios.detail", reference=reference))
    try:
        documents.add_document(scenario, form.file.data.stream, form.file.data.filename,
                               form.title.data, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.detail, "danger")
        return redirect(url_for("scenarios.detail", reference=reference))
    db.session.commit()
    flash("The document is attached.", "success")
    return redirect(url_for("scenarios.detail", reference=reference, _anchor="documents"))


@bp.route("/scenarios/<reference>/documents/<int:document_id>")
def download(reference, document_id):
    scenario = _load(reference)
    document = db.session.get(ScenarioDocument, document_id)
    if document is None or document.scenario_id != scenario.id:
        abort(404)
    return send_file(storage_path(document.storage_key), mimetype=document.content_type,
                     as_attachment=True, download_name=document.original_name)
