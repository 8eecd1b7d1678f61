"""Scenario summaries (the API's list) read as plain rows, with their agency and KPIs.

`ScenarioSummarySchema` dumps a `ScenarioSummary` as it dumps a `Scenario`: the columns read
are the ones its fields (and its agency's and KPIs' schemas) name, so they follow the schemas.
A list that only reads its scenarios builds no ORM instances to track: 20 scenarios with their
agencies and 40 KPIs were two thirds of the list's cost.

The rows are read raw, as the database driver gives them (`SummaryRow`): SQLAlchemy's result
processing (dates parsed and made aware, amounts made `Decimal`s, the CPV codes' JSON read)
was two thirds of the cost of reading a page. A row's values are processed, as SQLAlchemy
would have, when something needs them: `summary(row)`, or the values its effective state is
made of. The API renders a summary once per distinct raw row (marketplace.api.listing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from types import SimpleNamespace

from marshmallow import Schema
from sqlalchemy import JSON, CursorResult, Select, bindparam, inspect, select, type_coerce
from sqlalchemy.types import NullType

from marketplace.accounts.models import Organisation
from marketplace.core.pagination import Page
from marketplace.core.time import utcnow
from marketplace.scenarios.models import Kpi, Scenario
from marketplace.scenarios.queries import PlainRows, ScenarioFilters, page_scenarios, run_plain
from marketplace.scenarios.schemas import (
    KpiSchema,
    OrganisationRefSchema,
    ScenarioSummarySchema,
)
from marketplace.scenarios.states import ScenarioState, effective_state


class ScenarioSummary(SimpleNamespace):
    """A scenario as its summary shows it: the columns the schema names, `agency` and
    `kpis` (namespaces of theirs), and the effective state as a `Scenario` gives it (at
    `as_of`, when set, else now). (A schema field computed by another `Scenario` method needs
    that method here as well: tests/scenarios/test_summaries.py holds the two dumps equal.)"""

    as_of: dt.datetime | None = None

    def effective_state(self, now: dt.datetime | None = None) -> ScenarioState:
        return effective_state(self.state, self.bid_deadline, now or self.as_of or utcnow())


def dumped_columns(model: type, schema: Schema) -> tuple:
    """The model's column attributes that `schema` dumps, by the names the schema reads."""
    names = {field.attribute or name for name, field in schema.dump_fields.items()}
    return tuple(getattr(model, attr.key) for attr in inspect(model).column_attrs
                 if attr.key in names)


class RawColumns:
    """Columns selected without SQLAlchemy's result processing: their values come as the
    driver gives them, and `processing(result)` processes them as SQLAlchemy would have."""

    def __init__(self, columns: tuple):
        self.columns = columns
        self.keys = tuple(column.key for column in columns)
        # NullType has no result processor: the driver's values, as they come
        self.selected = tuple(type_coerce(column, NullType()) for column in columns)
        # the columns whose values may be lists or dicts (not hashable): see `frozen`
        self.json = tuple(i for i, column in enumerate(columns)
                          if isinstance(column.type, JSON))

    def frozen(self, values: tuple) -> tuple:
        """`values`, hashable: a JSON value the driver has read (PostgreSQL's) made tuples."""
        for i in self.json:
            if isinstance(values[i], (list, dict)):
                values = list(values)
                for j in self.json:
                    values[j] = _frozen(values[j])
                return tuple(values)
        return values  # (SQLite gives JSON as its text)


def _frozen(value):
    if isinstance(value, list):
        return ("list", *(_frozen(each) for each in value))
    if isinstance(value, dict):
        return ("dict", *sorted((key, _frozen(each)) for key, each in value.items()))
    return value


class RawResult:
    """How the raw values of one result are processed: per column, the processor SQLAlchemy
    would have applied (from the column's type and the cursor's description of it, as
    `CursorResult` asks its execution context), found when first asked for."""

    def __init__(self, columns: RawColumns, result: CursorResult):
        self.columns = columns
        self.context = result.context
        self.description = result.cursor.description

    def processor(self, index: int):
        name, coltype = self.description[index][:2]
        return self.context.get_result_processor(self.columns.columns[index].type, name,
                                                 coltype)

    @cached_property
    def processors(self) -> tuple:
        return tuple(self.processor(i) for i in range(len(self.columns.columns)))

    def process(self, values) -> tuple:
        return tuple(value if process is None else process(value)
                     for process, value in zip(self.processors, values, strict=True))

    @cached_property
    def state_processors(self) -> tuple:
        """The processors of a summary's state and bid deadline (its effective state's)."""
        return self.processor(_STATE), self.processor(_DEADLINE)

    @cached_property
    def driver(self) -> tuple:
        """Which dialect and driver gave the raw values (the processing depends on them)."""
        return self.context.dialect.name, self.context.dialect.driver


# the id (for the KPIs) and what the effective state is made of, and what the schema dumps
_NEEDED = (Scenario.id, Scenario.state, Scenario.bid_deadline)
_SCENARIO = (*_NEEDED, *(column for column in dumped_columns(Scenario, ScenarioSummarySchema())
                         if column.key not in {needed.key for needed in _NEEDED}))
_AGENCY = dumped_columns(Organisation, OrganisationRefSchema())
SUMMARY = RawColumns((*_SCENARIO, *_AGENCY))
_SPLIT = len(_SCENARIO)
_STATE, _DEADLINE = 1, 2
# a KPI's row: its scenario's id, its position and id (its order), then what the schema dumps
KPI = RawColumns((Kpi.scenario_id, Kpi.position, Kpi.id, *dumped_columns(Kpi, KpiSchema())))
_ORDER, _DUMPED = slice(1, 3), slice(3, None)


@lru_cache(maxsize=8)
def _kpis_of(n: int) -> Select:
    """The KPIs of `n` scenarios, by ids bound one by one (an expanding IN renders its SQL
    anew each time: 30 us), in no order (the database would sort them: 35 us; they are put in
    order as they are grouped)."""
    return select(*KPI.selected).where(
        Kpi.scenario_id.in_([bindparam(f"id_{i}") for i in range(n)]))


def _ids(ids: list) -> dict:
    """`ids` as the parameters of the smallest of `_kpis_of`'s statements that takes them
    (a power of 2, padded with the last: a few statements for every page size)."""
    n = 1 << (len(ids) - 1).bit_length()
    return {f"id_{i}": ids[min(i, len(ids) - 1)] for i in range(n)}


@dataclass(slots=True, eq=False)
class SummaryRow:
    """A scenario of the list as read: its raw `values` (the columns of `SUMMARY`, the
    scenario's then its agency's), its KPIs' raw rows (the columns of `KPI`), and how each
    is processed."""

    values: tuple
    result: RawResult
    kpis: list = field(default_factory=list)
    kpi_result: RawResult | None = None

    def state_and_deadline(self) -> tuple[ScenarioState, dt.datetime | None]:
        """What the effective state is made of (see `effective_state`), processed."""
        process_state, process_deadline = self.result.state_processors
        state, deadline = self.values[_STATE], self.values[_DEADLINE]
        return (process_state(state) if process_state else state,
                process_deadline(deadline) if process_deadline else deadline)

    def key(self) -> tuple:
        """The raw values that make the summary (its KPIs' included), hashable."""
        return (self.result.driver, SUMMARY.frozen(self.values), tuple(self.kpis))


def summary(row: SummaryRow, *, as_of: dt.datetime | None = None) -> ScenarioSummary:
    """The `ScenarioSummary` of a row: its values processed, its agency's and its KPIs'."""
    values = row.result.process(row.values)
    made = ScenarioSummary(**dict(zip(SUMMARY.keys[:_SPLIT], values[:_SPLIT], strict=True)))
    made.agency = SimpleNamespace(**dict(zip(SUMMARY.keys[_SPLIT:], values[_SPLIT:],
                                             strict=True)))
    made.kpis = [SimpleNamespace(**dict(zip(KPI.keys[_DUMPED],
                                            row.kpi_result.process(kpi)[_DUMPED], strict=True)))
                 for kpi in row.kpis]
    if as_of is not None:
        made.as_of = as_of
    return made


def _position(kpi: tuple) -> tuple:
    return kpi[_ORDER]


def _read(result: CursorResult) -> list[SummaryRow]:
    raw = RawResult(SUMMARY, result)
    return [SummaryRow(tuple(values), raw) for values in result.all()]


SUMMARIES = PlainRows(SUMMARY.selected, tuple, _read)


def page_summary_rows(filters: ScenarioFilters, *, q: str | None = None,
                      sort: str = "deadline", page=1, per_page=20) -> Page:
    """One page of `page_scenarios` as `SummaryRow`s, KPIs included (one statement)."""
    found = page_scenarios(filters, q=q, sort=sort, page=page, per_page=per_page,
                           cards=SUMMARIES)
    by_id = {row.values[0]: row for row in found.items}
    if by_id:
        ids = _ids(list(by_id))
        kpis = run_plain(_kpis_of(len(ids)), ids)
        kpi_result = RawResult(KPI, kpis)
        for values in kpis.all():
            row = by_id[values[0]]
            row.kpis.append(tuple(values))
            row.kpi_result = kpi_result
        for row in found.items:
            # as the relationship orders them (position and id are integers, as they come)
            row.kpis.sort(key=_position)
    return found


def page_summaries(filters: ScenarioFilters, *, q: str | None = None, sort: str = "deadline",
                   page=1, per_page=20) -> Page:
    """One page of `page_scenarios` as `ScenarioSummary`s, KPIs included (one statement)."""
    found = page_summary_rows(filters, q=q, sort=sort, page=page, per_page=per_page)
    found.items = [summary(row) for row in found.items]
    return found
