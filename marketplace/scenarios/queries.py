"""Reading scenarios: the public list with its filters, and lookups by reference.

Pages and the API read the list with `page_scenarios`; `filter_scenarios` is the same list
and order as one SQL statement (the definition the tests hold `page_scenarios` to). The search
domain reads the filters (`ScenarioFilters`) through the list page; this module imports
nothing of search (or bids).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, fields
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import (
    CursorResult,
    Row,
    Select,
    and_,
    bindparam,
    case,
    column,
    func,
    or_,
    select,
    table,
)
from sqlalchemy.orm import joinedload, lazyload, selectinload
from sqlalchemy.orm.attributes import instance_dict, set_committed_value

from marketplace.accounts.models import Organisation, User
from marketplace.core.money import to_decimal
from marketplace.core.pagination import Page, clamp
from marketplace.core.time import UTC, utcnow
from marketplace.extensions import db
from marketplace.scenarios.models import SECTORS, Criterion, Kpi, Question, Scenario
from marketplace.scenarios.states import PUBLIC_STATES, ScenarioState, effective_state

S = ScenarioState
SORTS = ("deadline", "newest", "budget", "relevance")
LIMIT = Decimal("1e16")  # larger amounts are not budgets


@dataclass(frozen=True)
class ScenarioFilters:
    """The list's filters; `state` is the effective state (a published scenario past its
    deadline counts as closed). Frozen: compared by value (the filter form is kept under
    them, web/fragments.py)."""

    sector: str | None = None
    region: str | None = None
    state: str | None = None
    budget_min: object | None = None  # Decimal
    budget_max: object | None = None  # Decimal
    deadline_from: dt.datetime | None = None
    deadline_to: dt.datetime | None = None

    def active(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)
                if getattr(self, f.name) not in (None, "")}


def _date(value: str | None, *, end: bool = False) -> dt.datetime | None:
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
    moment = dt.datetime.combine(day, dt.time.max if end else dt.time.min)
    return moment.replace(tzinfo=UTC)


def filters_from_args(args) -> ScenarioFilters:
    """Filters from query arguments; values that make no sense are ignored."""
    sector = args.get("sector") or None
    state = args.get("state") or args.get("status") or None
    low, high = to_decimal(args.get("budget_min")), to_decimal(args.get("budget_max"))
    return ScenarioFilters(
        sector=sector if sector in SECTORS else None,
        region=(args.get("region") or "").strip()[:100] or None,
        state=state if state in {s.value for s in PUBLIC_STATES} else None,
        budget_min=low if low is not None and 0 <= low < LIMIT else None,
        budget_max=high if high is not None and 0 <= high < LIMIT else None,
        deadline_from=_date(args.get("deadline_from")),
        deadline_to=_date(args.get("deadline_to"), end=True),
    )


def state_clause(state: str, now):
    """SQL for 'the effective state is `state`' at `now` (a moment, or a bound parameter)."""
    past = and_(Scenario.bid_deadline.is_not(None), Scenario.bid_deadline <= now)
    if state == S.PUBLISHED:
        return and_(Scenario.state == S.PUBLISHED, ~past)
    if state == S.CLOSED:
        return or_(Scenario.state == S.CLOSED, and_(Scenario.state == S.PUBLISHED, past))
    return Scenario.state == S(state)


class AgencyCard(NamedTuple):
    name: str
    timezone: str


class ScenarioCard(NamedTuple):
    """What a list card shows of a scenario (the list page, the home page), read as plain
    rows: no KPIs or criteria, no long texts, and no ORM instances to build and track for a
    page that only reads them. Templates use it as they use a `Scenario`. A named tuple: it
    is built at C speed, and compares by value, so a rendered card can be kept under it
    (web/fragments.py)."""

    id: int
    reference: str
    state: ScenarioState
    title: str
    summary: str
    sector: str
    region: str | None
    currency: str
    budget_max: Decimal | None
    bid_deadline: dt.datetime | None
    agency: AgencyCard

    def effective_state(self, now: dt.datetime | None = None) -> ScenarioState:
        return effective_state(self.state, self.bid_deadline, now or utcnow())


CARD_COLUMNS = (Scenario.id, Scenario.reference, Scenario.state, Scenario.title,
                Scenario.summary, Scenario.sector, Scenario.region, Scenario.currency,
                Scenario.budget_max, Scenario.bid_deadline, Organisation.name,
                Organisation.timezone)


def _card(row) -> ScenarioCard:
    *values, name, timezone = row
    return ScenarioCard(*values, AgencyCard(name, timezone))


def run_plain(statement, values: dict):
    """Run a statement of plain columns (no ORM entities) on the session's connection, in its
    transaction, after flushing what is pending as the session's autoflush would. The ORM's
    execution path (entity loading, events, options) costs 0.2-0.3 ms a statement that rows
    made of plain values do not need."""
    session = db.session
    session.flush()
    return session.connection(bind_arguments={"mapper": Scenario}).execute(statement, values)


class PlainRows(NamedTuple):
    """A page read as plain rows instead of `Scenario` instances: the columns to select (the
    scenario's, and its agency's, which is joined), and what to make of each row; or, with
    `read`, the items a whole result makes (for what the result says of its columns)."""

    columns: tuple
    make: Callable[[Row], Any]
    read: Callable[[CursorResult], list] | None = None


CARDS = PlainRows(CARD_COLUMNS, _card)


# The list's statements name their values as bound parameters (the moment, the filters' values,
# the page's limit and offset) and are built once per shape: a request binds its values to a
# statement already built, instead of building the SQL expressions and their cache key anew.
NOW = bindparam("now")


def _shape(filters: ScenarioFilters, q: str | None) -> tuple[tuple, dict]:
    """Which filters are set and how many words `q` has (with the effective state, whose SQL
    depends on it): the shape of the statements; and the values to bind to them."""
    values: dict = {}
    if filters.sector:
        values["sector"] = filters.sector
    if filters.region:
        values["region"] = filters.region.replace("\x00", "").lower()
    if filters.budget_min is not None and filters.budget_min < LIMIT:  # the budget can reach it
        values["budget_min"] = filters.budget_min
    if filters.budget_max is not None and filters.budget_max < LIMIT:
        values["budget_max"] = filters.budget_max
    if filters.deadline_from:
        values["deadline_from"] = filters.deadline_from
    if filters.deadline_to:
        values["deadline_to"] = filters.deadline_to
    for i, word in enumerate((q or "").replace("\x00", " ").split()[:10]):
        values[f"word_{i}"] = ("%" + word.lower().replace("\\", "").replace("%", "")
                               .replace("_", "") + "%")
    return (tuple(values), filters.state or None), values


def _criteria(shape: tuple) -> list:
    """The WHERE clauses of the public list: never drafts, then the filters and words."""
    names, state = shape
    where = [Scenario.state != S.DRAFT]
    if "sector" in names:
        where.append(Scenario.sector == bindparam("sector"))
    if "region" in names:
        where.append(func.lower(Scenario.region) == bindparam("region"))
    if state:
        where.append(state_clause(state, NOW))
    if "budget_min" in names:
        where.append(Scenario.budget_max >= bindparam("budget_min"))
    if "budget_max" in names:
        where.append(func.coalesce(Scenario.budget_min, Scenario.budget_max)
                     <= bindparam("budget_max"))
    if "deadline_from" in names:
        where.append(Scenario.bid_deadline >= bindparam("deadline_from"))
    if "deadline_to" in names:
        where.append(Scenario.bid_deadline <= bindparam("deadline_to"))
    for name in names:
        if name.startswith("word_"):
            pattern = bindparam(name)
            where.append(or_(func.lower(Scenario.title).like(pattern),
                             func.lower(Scenario.summary).like(pattern)))
    return where


def filter_scenarios(filters: ScenarioFilters, *, q: str | None = None,
                     now: dt.datetime | None = None, sort: str = "deadline") -> Select:
    """Public scenarios (never drafts) matching `filters` and, simply, the words of `q`."""
    shape, values = _shape(filters, q)
    return (select(Scenario).where(*_criteria(shape)).order_by(*_order(sort, NOW))
            .params(values, now=now or utcnow()))


def _open(now):
    return and_(Scenario.state == S.PUBLISHED, Scenario.bid_deadline > now)


def _not_open(now):
    # spelt out rather than ~_open(now): NOT over a NULL deadline would be NULL, and drop the row
    return or_(Scenario.state != S.PUBLISHED, Scenario.bid_deadline.is_(None),
               Scenario.bid_deadline <= now)


def _order(sort: str, now):
    if sort == "newest":
        return (Scenario.published_at.desc(), Scenario.id.desc())
    if sort == "budget":
        return (Scenario.budget_max.desc().nulls_last(), Scenario.id.desc())
    # open scenarios first, soonest deadline first; then the rest, latest deadline first
    # (page_scenarios reads the same order as two runs of an index: keep them in step)
    is_open = _open(now)
    return (case((is_open, 0), else_=1), case((is_open, Scenario.bid_deadline)),
            case((is_open, Scenario.id)), Scenario.bid_deadline.desc(), Scenario.id.desc())


# the runs a page is read from: the ones of the default order, and the other sorts
_RUNS = {
    "open": ((_open(NOW),), (Scenario.bid_deadline, Scenario.id)),
    "not_open": ((_not_open(NOW),), (Scenario.bid_deadline.desc(), Scenario.id.desc())),
    "newest": ((), _order("newest", NOW)),
    "budget": ((), _order("budget", NOW)),
}


@lru_cache(maxsize=256)
def _count_statement(shape: tuple, run: str | None) -> Select:
    # count(*), not count(id): SQLite then counts index entries without reading each id
    if shape == ((), None) and run is None:
        # every public scenario, the list with no filter: all of them less the drafts, as
        # SQLite counts a whole table from its pages' headers (10 us for 10,000 rows) while
        # "state != 'draft'" visits each index entry (1 ms); the drafts are few
        drafts = select(func.count()).select_from(Scenario).where(Scenario.state == S.DRAFT)
        return select(select(func.count()).select_from(Scenario).scalar_subquery()
                      - drafts.scalar_subquery())
    clauses = _RUNS[run][0] if run else ()
    return select(func.count()).select_from(Scenario).where(*_criteria(shape), *clauses)


@lru_cache(maxsize=256)
def _rows_statement(shape: tuple, run: str, options: tuple,
                    plain: PlainRows | None = None) -> Select:
    clauses, order = _RUNS[run]
    query = (select(*plain.columns).join(Organisation, Scenario.agency_id == Organisation.id)
             if plain else select(Scenario).options(*options))
    return (query.where(*_criteria(shape), *clauses)
            .order_by(*order).limit(bindparam("limit")).offset(bindparam("offset")))


def page_scenarios(filters: ScenarioFilters, *, q: str | None = None, sort: str = "deadline",
                   page=1, per_page=20, now: dt.datetime | None = None,
                   options: tuple = (), count: bool = True,
                   cards: bool | PlainRows = False) -> Page:
    """One page of `filter_scenarios`, in the same order, read through the indexes.

    The default order (open first by soonest deadline, then the rest by latest deadline) is
    one sort key in SQL that no index serves: the database would sort every public scenario
    on each request. So the open ones and the rest are read as two index-ordered runs, and
    the page is cut across them. `count=False` skips the total (a short list, no pages).
    `cards=True` gives `ScenarioCard`s instead of `Scenario`s, `cards=PlainRows(...)` what it
    makes of its rows. `options` (and `cards`) are kept with the statements they were built
    into: pass a constant."""
    plain = CARDS if cards is True else cards or None
    shape, values = _shape(filters, q)
    values["now"] = now or utcnow()
    page, per_page = clamp(page, per_page)

    def counted(run: str | None = None) -> int:
        return run_plain(_count_statement(shape, run), values).scalar() or 0

    def rows(run: str, limit: int, skip: int = 0) -> list:
        statement, bound = (_rows_statement(shape, run, options, plain),
                            {**values, "limit": limit, "offset": skip})
        if plain:
            found = run_plain(statement, bound)
            return plain.read(found) if plain.read else [plain.make(row) for row in found]
        return list(db.session.scalars(statement, bound))

    total = counted() if count else None
    offset = (page - 1) * per_page
    if sort in ("newest", "budget"):
        items = rows(sort, per_page, offset)
    else:
        # the first page needs no count of the open ones: it takes what there is
        n_open = counted("open") if offset else 0
        items = []
        if offset == 0 or offset < n_open:
            items = rows("open", per_page, offset)
            n_open = max(n_open, len(items))
        if len(items) < per_page:
            items += rows("not_open", per_page - len(items), max(0, offset - n_open))
    return Page(items, page, per_page, total if total is not None else len(items))


_KPIS_OF = (select(Kpi).where(Kpi.scenario_id.in_(bindparam("ids", expanding=True)))
            .order_by(Kpi.scenario_id, Kpi.position, Kpi.id))


def load_kpis(scenarios: list[Scenario]) -> None:
    """Give the scenarios whose KPIs are not loaded (a page read with `lazyload(Scenario.kpis)`)
    their KPIs, read in one statement. The relationship's selectin loader also reads them in
    one, but costs half as much again in Python (1.5 ms against 1 for a page of 20 here)."""
    waiting = [s for s in scenarios if "kpis" not in instance_dict(s)]
    if not waiting:
        return
    found = defaultdict(list)
    for kpi in db.session.scalars(_KPIS_OF, {"ids": [s.id for s in waiting]}):
        found[kpi.scenario_id].append(kpi)
    for scenario in waiting:
        set_committed_value(scenario, "kpis", found[scenario.id])


def get_by_reference(reference: str) -> Scenario | None:
    if not reference or len(reference) > 20 or "\x00" in reference:
        return None
    return db.session.scalar(select(Scenario).where(Scenario.reference == reference))


class ScenarioPage(NamedTuple):
    """What the scenario page shows: the scenario with its agency, documents, questions and
    amendments loaded, and its KPIs and criteria as rows."""

    scenario: Scenario
    kpis: list
    criteria: list


# The scenario page's statements are built once: a lazy or `selectin` load builds its statement
# and cache key again on each request (a `selectin` load of one scenario's KPIs cost more than
# the scenario's own statement). The scenario's statement also says whether it has documents,
# questions and amendments: most have none, and an empty collection is set so rather than
# read. Every scenario has KPIs and criteria, which the page only shows: they are read as
# rows, without ORM objects (0.1 ms each instead of 0.3).
def _collection(name: str) -> Select:
    """One scenario's `name` collection, in its relationship's order."""
    relationship = Scenario.__mapper__.relationships[name]
    child = relationship.entity.class_
    return (select(child).where(child.scenario_id == bindparam("scenario_id"))
            .order_by(*(relationship.order_by or ())))


def _rows(model, order) -> Select:
    return (select(*model.__table__.c).where(model.scenario_id == bindparam("scenario_id"))
            .order_by(order))


_COLLECTIONS = {name: _collection(name) for name in ("documents", "questions", "amendments")}
_PAGE = (select(Scenario, *(getattr(Scenario, name).any() for name in _COLLECTIONS))
         .where(Scenario.reference == bindparam("reference"))
         .options(lazyload(Scenario.kpis), lazyload(Scenario.criteria)))
# who asked each question (their company and name, not their roles), for the agency, who
# sees it
_QUESTIONS_WITH_ASKERS = _COLLECTIONS["questions"].options(
    joinedload(Question.company), joinedload(Question.asked_by).lazyload(User.role_links))
_KPIS = _rows(Kpi, Kpi.position)
_CRITERIA = _rows(Criterion, Criterion.position)


def scenario_page(reference: str, *, askers: bool = False) -> ScenarioPage | None:
    """The scenario of `reference` with all its page shows; with `askers`, each question's
    company and asker too."""
    if not reference or len(reference) > 20 or "\x00" in reference:
        return None
    row = db.session.execute(_PAGE, {"reference": reference}).first()
    if row is None:
        return None
    scenario, *present = row
    values = {"scenario_id": scenario.id}
    for (name, statement), any_rows in zip(_COLLECTIONS.items(), present, strict=True):
        if name in scenario.__dict__:  # already loaded in this session
            continue
        if name == "questions" and askers:
            statement = _QUESTIONS_WITH_ASKERS
        set_committed_value(scenario, name,
                            list(db.session.scalars(statement, values)) if any_rows else [])
    connection = db.session.connection()
    return ScenarioPage(scenario, connection.execute(_KPIS, values).all(),
                        connection.execute(_CRITERIA, values).all())


def agency_scenarios(agency_id: int) -> list[Scenario]:
    """The agency's scenarios, drafts first, then by deadline."""

    return list(db.session.scalars(
        select(Scenario).where(Scenario.agency_id == agency_id)
        .options(selectinload(Scenario.questions))
        .order_by(case((Scenario.state == S.DRAFT, 0), else_=1),
                  Scenario.bid_deadline.desc().nulls_first(), Scenario.id.desc())
    ))


_bids = table("bids", column("scenario_id"), column("state"))


def bid_count(scenario: Scenario, now: dt.datetime | None = None) -> int | None:
    """Bids received (not drafts, not withdrawn), and only once the deadline has passed."""
    if scenario.state == S.DRAFT or not scenario.deadline_passed(now):
        return None
    return db.session.scalar(
        select(func.count()).select_from(_bids).where(
            _bids.c.scenario_id == scenario.id, _bids.c.state.not_in(("draft", "withdrawn"))
        )
    ) or 0
