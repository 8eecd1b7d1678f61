"""marshmallow's `schema.dump`, compiled: the same output for a fraction of the calls.

For each value, marshmallow calls Field.serialize, Field.get_value, Schema.get_attribute,
utils.get_value, utils._get_value_for_key and Field._serialize: six calls where one or two
do. A page of 20 scenario summaries with their KPIs is some 700 values. `dump(schema, obj)`
reads the schema once into a plan (per field: its output key, the attribute it reads, its
dump default, and a function from the value to its output) and then only runs the plan.

The plan is made from the schema's own fields, never written by hand, so it follows any
change of a schema. It has shortcuts for the plain field classes (exactly those classes: a
subclass may serialize differently); any other field serializes its values itself, and a
field that overrides how it reads its value is run whole by marshmallow. A schema with dump
hooks or its own way of reading attributes is dumped by marshmallow. tests/core/
test_dumping.py holds the output to `schema.dump`'s.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from marshmallow import Schema, fields, missing
from marshmallow.decorators import POST_DUMP, PRE_DUMP
from marshmallow.utils import get_value
from sqlalchemy.orm import attributes as orm_attributes
from sqlalchemy.orm import base as orm_base
from sqlalchemy.orm.attributes import InstrumentedAttribute

# (value, obj) -> output; `obj` is the object the value was read from, as marshmallow passes
Serializer = Callable[[Any, Any], Any]
Dumper = Callable[[Any, bool], Any]

_DUMPERS: weakref.WeakKeyDictionary[Schema, Dumper] = weakref.WeakKeyDictionary()
_DATETIMES = (fields.DateTime, fields.AwareDateTime, fields.NaiveDateTime)


def dump(schema: Schema, obj: Any, *, many: bool | None = None) -> Any:
    """`schema.dump(obj, many=many)`, from a plan made once per schema instance."""
    return dumper(schema)(obj, schema.many if many is None else bool(many))


def dumper(schema: Schema) -> Dumper:
    """The compiled `dump` of `schema`: a function of (obj, many)."""
    compiled = _DUMPERS.get(schema)
    if compiled is None:
        compiled = _DUMPERS[schema] = _compile(schema)
    return compiled


def _compile(schema: Schema) -> Dumper:
    kind = type(schema)
    if (schema._hooks[PRE_DUMP] or schema._hooks[POST_DUMP] or kind.dump is not Schema.dump
            or kind.get_attribute is not Schema.get_attribute
            or kind._serialize is not Schema._serialize):
        return lambda obj, many: schema.dump(obj, many=many)
    steps = tuple(_step(schema, name, field) for name, field in schema.dump_fields.items())
    by_class: dict[type, tuple] = {}  # the steps, with how each reads objects of a class
    new = schema.dict_class

    def dump_one(obj):
        ret = new()
        if hasattr(obj, "__getitem__"):  # as marshmallow: obj[key] first, then getattr
            for key, attr, _dotted, default, serialize in steps:
                value = None if attr is None else get_value(obj, attr, missing)
                _put(ret, key, value, default, serialize, obj)
            return ret
        cls = type(obj)
        plan = by_class.get(cls)
        if plan is None:
            plan = by_class[cls] = tuple((*step, _read_how(cls, step[1], step[2]))
                                         for step in steps)
        own = getattr(obj, "__dict__", None)
        for key, attr, _dotted, default, serialize, how in plan:
            if how is _OWN_DICT and own is not None:
                value = own.get(attr, missing)
                if value is missing:
                    value = getattr(obj, attr, missing)
            elif how is _GETATTR or how is _OWN_DICT:
                value = getattr(obj, attr, missing)
            elif how is _GET_VALUE:
                value = get_value(obj, attr, missing)
            else:  # the field reads no attribute (a Function, a Method)
                value = None
            # _put, inline: this loop runs for every value
            if value is missing:
                if default is missing:
                    continue
                value = default() if callable(default) else default
                if value is missing:
                    continue
            value = serialize(value, obj)
            if value is not missing:
                ret[key] = value
        return ret

    def run(obj, many):
        if many and obj is not None:
            return [dump_one(each) for each in obj]
        return dump_one(obj)

    return run


def _put(ret: dict, key, value, default, serialize: Serializer, obj) -> None:
    """Serialize one read value into `ret`, as Field.serialize and Schema._serialize do."""
    if value is missing:
        if default is missing:
            return
        value = default() if callable(default) else default
        if value is missing:
            return
    value = serialize(value, obj)
    if value is not missing:
        ret[key] = value


# How a step reads its value from an object without __getitem__
_NONE, _OWN_DICT, _GETATTR, _GET_VALUE = "none", "own dict", "getattr", "get_value"


def _read_how(cls: type, attr: str | None, dotted: bool) -> str:
    if attr is None:
        return _NONE
    if dotted:
        return _GET_VALUE
    return _OWN_DICT if _reads_own_dict(cls, attr) else _GETATTR


# object's and SimpleNamespace's (which CPython also gives the generic attribute lookup)
_GENERIC_GETATTRIBUTE = (object.__getattribute__, SimpleNamespace.__getattribute__)


def _reads_own_dict(cls: type, attr: str) -> bool:
    """Whether `getattr(obj, attr)` is `obj.__dict__[attr]` whenever the object holds that
    key: when the class has no data descriptor of that name (an instance's own attribute
    wins over anything else), or has SQLAlchemy's, which returns a loaded value from there.
    Reading the dict skips a descriptor call per value: a third of a dump of ORM rows."""
    if cls.__getattribute__ not in _GENERIC_GETATTRIBUTE:
        return False
    for klass in cls.__mro__:
        if attr in vars(klass):
            found = vars(klass)[attr]
            break
    else:
        return True
    descriptor = type(found)
    if not (hasattr(descriptor, "__set__") or hasattr(descriptor, "__delete__")):
        return True
    return (descriptor is InstrumentedAttribute and found.key == attr
            and found.impl.supports_population
            and orm_attributes.instance_dict is orm_base.instance_dict)


def _step(schema: Schema, name: str, field: fields.Field) -> tuple:
    """One field's part of the plan: (key, attribute or None, dotted, default, serializer)."""
    key = field.data_key if field.data_key is not None else name
    kind = type(field)
    if kind.serialize is not fields.Field.serialize or kind.get_value is not fields.Field.get_value:
        # the field reads its value its own way: marshmallow runs it, whole
        def whole(_value, obj, serialize=field.serialize, accessor=schema.get_attribute):
            return serialize(name, obj, accessor=accessor)

        return key, None, False, missing, whole
    if not field._CHECK_ATTRIBUTE:
        return key, None, False, missing, _serializer(field, name)
    attr = field.attribute if field.attribute is not None else name
    return key, attr, "." in attr, field.dump_default, _serializer(field, name)


def _serializer(field: fields.Field, attr: str) -> Serializer:
    """What `field._serialize(value, attr, obj)` does, with shortcuts for the plain fields."""
    kind = type(field)
    if kind in (fields.Raw, fields.Boolean):
        return _as_is
    if kind is fields.String:
        return _string
    if kind is fields.Integer and not field.as_string:
        return _integer
    if kind is fields.Decimal and field.as_string and field.places is None \
            and not field.allow_nan:
        return _decimal_string
    if kind in _DATETIMES:
        formatter = field.SERIALIZATION_FUNCS.get(field.format or field.DEFAULT_FORMAT)
        if formatter is not None:
            return lambda value, _obj: None if value is None else formatter(value)
    if kind is fields.Function:
        function = field.serialize_func
        return lambda _value, obj: function(obj)
    if kind is fields.List:
        inner = _serializer(field.inner, attr)
        return lambda value, obj: (None if value is None
                                   else [inner(each, obj) for each in value])
    if kind is fields.Nested:
        return _nested(field)
    if kind is fields.Dict and field.key_field is None and field.value_field is None:
        return lambda value, _obj: None if value is None else dict(value)
    serialize = field._serialize
    return lambda value, obj: serialize(value, attr, obj)


def _nested(field: fields.Nested) -> Serializer:
    resolved: list = []  # the nested schema's dumper, made on first use: a schema may nest itself

    def nested(value, _obj):
        if not resolved:
            schema = field.schema  # as marshmallow: resolved before the value is looked at
            resolved.append((dumper(schema), bool(schema.many or field.many)))
        if value is None:
            return None
        dump_nested, many = resolved[0]
        return dump_nested(value, many)

    return nested


def _as_is(value, _obj):
    return value


def _string(value, _obj):
    # String: None stays None, bytes are decoded, anything else is str()-ed
    if value is None or type(value) is str:
        return value
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _integer(value, _obj):
    if value is None or type(value) is int:
        return value
    return int(value)


def _decimal_string(value, _obj):
    # marshmallow formats Decimal(str(value)); for a Decimal that is the same number with the
    # same exponent (the string conversion is exact both ways), so it is formatted directly
    if value is None:
        return None
    return format(value if type(value) is Decimal else Decimal(str(value)), "f")

