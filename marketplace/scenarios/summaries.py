"""Scenario summaries (the API's list) read as plain rows, with their agency and KPIs.

`ScenarioSummarySchema` dumps a `ScenarioSummary` as it dumps a `Scenario`: the columns read
are the ones its fields (and its agency's and KPIs' schemas) name, so they follow the schemas.
A list that only reads its scenarios builds no ORM instances to track: 20 scenarios with their
agencies and 40 KPIs were two thirds of the list's cost.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from marshmallow import Schema
from sqlalchemy import bindparam, inspect, select

from marketplace.accounts.models import Organisation
from marketplace.core.pagination import Page
from marketplace.core.time import utcnow
from marketplace.extensions import db
from marketplace.scenarios.models import Kpi, Scenario
from marketplace.scenarios.queries import PlainRows, ScenarioFilters, page_scenarios
from marketplace.scenarios.schemas import (
    KpiSchema,
    OrganisationRefSchema,
    ScenarioSummarySchema,
)
from marketplace.scenarios.states import ScenarioState, effective_state


class ScenarioSummary(SimpleNamespace):
    """A scenario as its summary shows it: the columns the schema names, `agency` and
    `kpis` (namespaces of theirs), and the effective state as a `Scenario` gives it. (A
    schema field computed by another `Scenario` method needs that method here as well:
    tests/scenarios/test_summaries.py holds the two dumps equal.)"""

    def effective_state(self, now: dt.datetime | None = None) -> ScenarioState:
        return effective_state(self.state, self.bid_deadline, now or utcnow())


def dumped_columns(model: type, schema: Schema) -> tuple:
    """The model's column attributes that `schema` dumps, by the names the schema reads."""
    names = {field.attribute or name for name, field in schema.dump_fields.items()}
    return tuple(getattr(model, attr.key) for attr in inspect(model).column_attrs
                 if attr.key in names)


# the id (for the KPIs) and what the effective state is made of, and what the schema dumps
_NEEDED = (Scenario.id, Scenario.state, Scenario.bid_deadline)
_SCENARIO = (*_NEEDED, *(column for column in dumped_columns(Scenario, ScenarioSummarySchema())
                         if column.key not in {needed.key for needed in _NEEDED}))
_AGENCY = dumped_columns(Organisation, OrganisationRefSchema())
_SCENARIO_KEYS = tuple(column.key for column in _SCENARIO)
_AGENCY_KEYS = tuple(column.key for column in _AGENCY)
_KPI = dumped_columns(Kpi, KpiSchema())
_KPI_KEYS = tuple(column.key for column in _KPI)
_KPIS_OF = (select(Kpi.scenario_id, *_KPI)
            .where(Kpi.scenario_id.in_(bindparam("ids", expanding=True)))
            .order_by(Kpi.scenario_id, Kpi.position, Kpi.id))


_SPLIT = len(_SCENARIO_KEYS)


def _summary(row) -> ScenarioSummary:
    summary = ScenarioSummary(**dict(zip(_SCENARIO_KEYS, row[:_SPLIT], strict=True)))
    summary.agency = SimpleNamespace(**dict(zip(_AGENCY_KEYS, row[_SPLIT:], strict=True)))
    summary.kpis = []
    return summary


SUMMARIES = PlainRows((*_SCENARIO, *_AGENCY), _summary)


def page_summaries(filters: ScenarioFilters, *, q: str | None = None, sort: str = "deadline",
                   page=1, per_page=20) -> Page:
    """One page of `page_scenarios` as `ScenarioSummary`s, KPIs included (one statement)."""
    found = page_scenarios(filters, q=q, sort=sort, page=page, per_page=per_page,
                           cards=SUMMARIES)
    by_id = {summary.id: summary for summary in found.items}
    if by_id:
        # on the session's connection: plain rows need none of the session's ORM machinery
        # (and page_scenarios has flushed whatever was pending)
        kpis = db.session.connection().execute(_KPIS_OF, {"ids": list(by_id)}).all()
        for scenario_id, *values in kpis:
            kpi = SimpleNamespace(**dict(zip(_KPI_KEYS, values, strict=True)))
            by_id[scenario_id].kpis.append(kpi)
    return found
