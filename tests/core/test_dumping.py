"""The compiled dumper (`marketplace.core.dumping`) gives what `schema.dump` gives, exactly:
for the schemas it is used on, with real rows, and for every kind of field and option it
has a shortcut (or a way around) for."""

from __future__ import annotations

import datetime as dt
import enum
import json
from decimal import Decimal
from types import SimpleNamespace

import pytest
from marshmallow import Schema, fields, missing, post_dump, pre_dump

from marketplace.core.dumping import dump, dumper
from marketplace.extensions import db
from marketplace.scenarios.models import Scenario
from marketplace.scenarios.queries import ScenarioFilters, load_kpis, page_scenarios
from marketplace.scenarios.schemas import (
    KpiSchema,
    QuestionAgencySchema,
    ScenarioPageSchema,
    ScenarioPublicSchema,
    ScenarioSummarySchema,
)
from marketplace.scenarios.states import ScenarioState as S
from tests import factories

UTC = dt.UTC


def same(schema: Schema, obj, **kwargs):
    got = dump(schema, obj, **kwargs)  # first: it may be the one to load what is not loaded
    expected = schema.dump(obj, **kwargs)
    assert got == expected
    # and the same JSON (types included: "1" and 1, 1 and 1.0 and True are equal in Python)
    assert json.dumps(got, sort_keys=True, default=repr) == \
        json.dumps(expected, sort_keys=True, default=repr)
    return got


class Colour(enum.StrEnum):
    RED = "red"


class Plain(Schema):
    text = fields.String(allow_none=True)
    number = fields.Integer(allow_none=True)
    number_text = fields.Integer(as_string=True, allow_none=True)
    money = fields.Decimal(as_string=True, allow_none=True)
    exact = fields.Decimal(allow_none=True)
    rounded = fields.Decimal(places=2, as_string=True, allow_none=True)
    nan_ok = fields.Decimal(as_string=True, allow_nan=True, allow_none=True)
    ratio = fields.Float(allow_none=True)
    flag = fields.Boolean(allow_none=True)
    raw = fields.Raw(allow_none=True)
    moment = fields.AwareDateTime(allow_none=True)
    naive = fields.NaiveDateTime(allow_none=True)
    stamp = fields.DateTime(format="timestamp", allow_none=True)
    rfc = fields.DateTime(format="rfc", allow_none=True)
    custom = fields.DateTime(format="%Y/%m/%d", allow_none=True)
    day = fields.Date(allow_none=True)
    tags = fields.List(fields.String(), allow_none=True)
    amounts = fields.List(fields.Decimal(as_string=True, allow_none=True), allow_none=True)
    mapping = fields.Dict(allow_none=True)
    typed_mapping = fields.Dict(keys=fields.String(), values=fields.Integer(), allow_none=True)
    colour = fields.Enum(Colour, allow_none=True)


VALUES = {
    "text": ["a", "", "ünï", b"bytes", Colour.RED, 12, None],
    "number": [0, 7, -3, True, 3.7, Decimal("4.9"), "5", None],
    "number_text": [7, "8", None],
    "money": [Decimal("250000.00"), Decimal("1E+3"), Decimal("-0.00"), Decimal("0.000001"),
              Decimal("1.500"), 12, 0.1, "3.25", Decimal("NaN"), None],
    "exact": [Decimal("1.10"), 2, None],
    "rounded": [Decimal("1.005"), Decimal("3"), None],
    "nan_ok": [Decimal("NaN"), Decimal("-sNaN"), Decimal("Infinity"), Decimal("2.5"), None],
    "ratio": [0.5, 3, None],
    "flag": [True, False, 0, "yes", None],
    "raw": [{"a": [1]}, Decimal("1"), None],
    "moment": [dt.datetime(2026, 5, 1, 8, 30, tzinfo=UTC),
               dt.datetime(2026, 5, 1, 8, 30, 0, 12, tzinfo=dt.timezone(dt.timedelta(hours=8))),
               None],
    "naive": [dt.datetime(2026, 5, 1, 8, 30), None],
    "stamp": [dt.datetime(2026, 5, 1, tzinfo=UTC), dt.datetime(2026, 5, 1), None],
    "rfc": [dt.datetime(2026, 5, 1, tzinfo=UTC), None],
    "custom": [dt.datetime(2026, 5, 1, tzinfo=UTC), None],
    "day": [dt.date(2026, 5, 1), None],
    "tags": [[], ["a", "b"], ("t", b"u"), [None], None],
    "amounts": [[Decimal("1.0"), None, 2], None],
    "mapping": [{"a": 1}, {}, None],
    "typed_mapping": [{"a": 1, "b": "2"}, None],
    "colour": [Colour.RED, None],
}


@pytest.mark.parametrize("name", sorted(VALUES))
def test_each_plain_field_and_value(name):
    schema = Plain(only=(name,))
    for value in VALUES[name]:
        same(schema, SimpleNamespace(**{name: value}))
        same(schema, {name: value})


def test_all_fields_at_once_from_objects_and_dicts_and_many():
    first = {name: values[0] for name, values in VALUES.items()}
    last = {name: values[-1] for name, values in VALUES.items()}
    schema = Plain()
    same(schema, SimpleNamespace(**first))
    same(schema, [SimpleNamespace(**first), SimpleNamespace(**last)], many=True)
    same(schema, [first, last], many=True)
    same(Plain(many=True), [first])
    same(schema, None, many=True)
    same(schema, [], many=True)


class Child(Schema):
    id = fields.Integer()
    name = fields.String()


class Options(Schema):
    renamed = fields.String(data_key="publicName")
    via = fields.String(attribute="real_name")
    deep = fields.Integer(attribute="child.id")
    fallback = fields.String(dump_default="none given")
    computed_default = fields.Integer(dump_default=lambda: 42)
    secret = fields.String(load_only=True)
    plain = fields.String()
    upper = fields.Function(lambda obj: obj.plain.upper() if obj.plain else None)
    nothing = fields.Function(lambda obj: missing)
    shout = fields.Method("make_shout")
    constant = fields.Constant("always")
    child = fields.Nested(Child, allow_none=True)
    # dump_only: two fields may read one attribute only if they are not loaded
    child_only = fields.Nested(Child, only=("name",), attribute="child", dump_only=True)
    children = fields.List(fields.Nested(Child))
    children_many = fields.Nested(Child, many=True, attribute="children", dump_only=True)
    child_names = fields.Pluck(Child, "name", many=True, attribute="children", dump_only=True)

    def make_shout(self, obj):
        return f"{obj.plain}!"


def _options_object(**changes):
    child = SimpleNamespace(id=3, name="c")
    values = dict(renamed="r", real_name="v", fallback=None, secret="s", plain="p",
                  child=child, children=[child, SimpleNamespace(id=4, name="d")])
    values.update(changes)
    return SimpleNamespace(**values)


def test_keys_attributes_defaults_computed_and_nested_fields():
    schema = Options()
    got = same(schema, _options_object())
    assert got["publicName"] == "r" and "secret" not in got and "nothing" not in got
    missing_some = _options_object()
    del missing_some.fallback, missing_some.renamed
    got = same(schema, missing_some)
    assert got["fallback"] == "none given" and got["computed_default"] == 42
    same(schema, _options_object(child=None, children=[]), many=False)
    same(schema, [_options_object(), _options_object(plain=None)], many=True)
    same(Options(only=("child", "renamed")), _options_object())
    same(Options(exclude=("shout",)), _options_object())


class Node(Schema):
    name = fields.String()
    children = fields.List(fields.Nested(lambda: Node()))
    parent = fields.Nested(lambda: Node(only=("name",)), allow_none=True)


class Unresolvable(Schema):
    thing = fields.Nested("NoSuchSchema")


def test_schemas_that_nest_themselves_and_nested_schemas_resolved_when_dumped():
    leaf = SimpleNamespace(name="leaf", children=[], parent=None)
    middle = SimpleNamespace(name="middle", children=[leaf], parent=None)
    root = SimpleNamespace(name="root", children=[middle, leaf], parent=None)
    leaf.parent = middle
    same(Node(), root)
    same(Unresolvable(), SimpleNamespace())  # the attribute is missing: never resolved
    with pytest.raises(Exception) as expected:
        Unresolvable().dump(SimpleNamespace(thing=None))
    with pytest.raises(expected.type):
        dump(Unresolvable(), SimpleNamespace(thing=None))


class Shouting(fields.String):
    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else str(value).upper()


class FromTwo(fields.Field):
    def get_value(self, obj, attr, accessor=None, default=missing):
        return f"{obj.a}-{obj.b}"


class Custom(Schema):
    loud = Shouting()
    pair = FromTwo()
    loud_list = fields.List(Shouting())


def test_field_classes_it_does_not_know_serialize_themselves():
    same(Custom(), SimpleNamespace(loud="x", a=1, b=2, loud_list=["y", None]))


class Hooked(Schema):
    name = fields.String()

    @pre_dump
    def strip(self, obj, **kwargs):
        return SimpleNamespace(name=obj.name.strip())

    @post_dump
    def mark(self, data, **kwargs):
        return {**data, "marked": True}


class Reading(Schema):
    name = fields.String()

    def get_attribute(self, obj, attr, default):
        return f"read {attr}"


class Holder(Schema):
    hooked = fields.Nested(Hooked)
    reading = fields.List(fields.Nested(Reading))


def test_schemas_with_hooks_or_their_own_reading_are_dumped_by_marshmallow():
    obj = SimpleNamespace(hooked=SimpleNamespace(name=" h "), reading=[SimpleNamespace()])
    got = same(Holder(), obj)
    assert got == {"hooked": {"name": "h", "marked": True}, "reading": [{"name": "read name"}]}
    same(Hooked(), SimpleNamespace(name=" x "))


class Named(Schema):
    name = fields.String()
    size = fields.Integer()


class WithProperty:
    size = 1  # a class attribute: an instance's own value wins over it

    @property
    def name(self):  # a data descriptor: it wins over the instance's own dict
        return "from the property"


class NamespaceWithProperty(SimpleNamespace):
    @property
    def name(self):
        return "from the namespace's property"


class Slotted:
    __slots__ = ("name", "size")

    def __init__(self):
        self.name, self.size = "slotted", 2


class Intercepting:
    def __init__(self):
        self.name = "its own"  # in its dict, but what getattr gives is decided below

    def __getattribute__(self, attr):
        return "intercepted" if attr == "name" else object.__getattribute__(self, attr)


def test_values_are_read_as_getattr_reads_them():
    shadowed = WithProperty()
    shadowed.__dict__["name"] = "from the dict"
    shadowed.size = 5
    plain = WithProperty()
    namespace = NamespaceWithProperty(size=3)
    namespace.__dict__["name"] = "from the dict"
    got = same(Named(), [shadowed, plain, Slotted(), Intercepting(), namespace,
                         SimpleNamespace(name="own", size=4)], many=True)
    assert [g.get("name") for g in got] == [
        "from the property", "from the property", "slotted", "intercepted",
        "from the namespace's property", "own"]
    assert [g.get("size") for g in got] == [5, 1, 2, None, 3, 4]


def test_orm_values_not_loaded_yet_are_loaded(varied):
    scenario = varied[0]
    db.session.commit()  # expires every attribute: none is in the instance's dict
    assert "title" not in vars(scenario)
    got = same(ScenarioSummarySchema(), scenario)
    assert got["title"] == scenario.title and got["kpis"]


def test_a_plan_is_made_once_per_schema_instance():
    schema = KpiSchema()
    assert dumper(schema) is dumper(schema)
    assert dumper(KpiSchema()) is not dumper(schema)  # options may differ between instances


@pytest.fixture
def varied():
    """Scenarios with and without budgets, deadlines and KPIs; one cancelled, one closed; a
    question answered and one not."""
    agency = factories.create_agency()
    made = [
        factories.create_scenario(agency, external_id="ocds-1", cpv_codes=["72000000"]),
        factories.create_scenario(agency, budget_min=None, budget_max=None, region=None,
                                  pilot_duration_days=None, questions_deadline=None),
        factories.create_scenario(state=S.CANCELLED, cancel_reason="No longer needed",
                                  budget_min=Decimal("0.5"), budget_max=Decimal("1E+2")),
        factories.create_scenario(deadline=dt.datetime(2020, 1, 1, tzinfo=UTC),
                                  questions_deadline=dt.datetime(2019, 12, 1, tzinfo=UTC)),
    ]
    made[1].kpis = []
    made[2].cancelled_at = dt.datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
    db.session.commit()
    return made


def test_the_scenario_schemas_with_real_rows(varied):
    db.session.expire_all()
    for scenario in db.session.scalars(db.select(Scenario)):
        same(ScenarioSummarySchema(), scenario)
        same(ScenarioPublicSchema(), scenario)
    same(ScenarioSummarySchema(many=True), list(db.session.scalars(db.select(Scenario))))


def test_the_api_list_page_as_loaded_for_it(varied):
    from marketplace.api.scenarios import SUMMARY_OPTIONS

    db.session.expire_all()
    page = page_scenarios(ScenarioFilters(), options=SUMMARY_OPTIONS)
    load_kpis(page.items)
    data = {"items": page.items, "page": page.page, "per_page": page.per_page,
            "total": page.total}
    got = same(ScenarioPageSchema(), data)
    assert len(got["items"]) == 4 and any(item["kpis"] == [] for item in got["items"])


def test_questions_with_and_without_an_asker(client, api_headers, dummy_buyer):
    from marketplace.scenarios import qa

    scenario = factories.create_scenario(agency=dummy_buyer.organisation)
    founder = factories.create_founder()
    qa.ask_question(scenario, "Night data?", actor=founder)
    qa.publish_clarification(scenario, "Note", "Data from 2024 on.", actor=dummy_buyer)
    db.session.commit()
    same(QuestionAgencySchema(many=True), scenario.questions)


def test_the_list_response_is_the_schemas_dump(client, varied):
    body = client.get("/api/v1/scenarios?per_page=100").get_json()
    db.session.expire_all()
    scenarios = {s.reference: s for s in db.session.scalars(db.select(Scenario))}
    items = [scenarios[item["reference"]] for item in body["items"]]
    expected = ScenarioPageSchema().dump({"items": items, "page": 1, "per_page": 100,
                                          "total": 4})
    assert body == json.loads(json.dumps(expected))


def test_load_kpis_reads_them_in_one_statement_and_leaves_loaded_ones(varied):
    from marketplace.api.scenarios import SUMMARY_OPTIONS
    from tests.conftest import count_queries

    db.session.expire_all()
    items = page_scenarios(ScenarioFilters(), options=SUMMARY_OPTIONS).items
    with count_queries() as statements:
        load_kpis(items)
        load_kpis(items)
        names = [[k.name for k in s.kpis] for s in items]
    assert len(statements) == 1
    db.session.expire_all()
    assert names == [[k.name for k in db.session.get(Scenario, s.id).kpis] for s in items]
