"""The admin audit search form (GET, so no CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField, SubmitField
from wtforms.validators import Length, NumberRange, Optional, ValidationError


def printable(_form, field) -> None:
    """Refuse control characters (a NUL byte would reach the database otherwise)."""
    if field.data and any(not ch.isprintable() for ch in field.data):
        raise ValidationError("Use letters, digits and punctuation only.")


class AuditSearchForm(FlaskForm):
    class Meta:
        csrf = False

    actor = StringField("Actor (e-mail, name or user id)",
                        validators=[Optional(), Length(max=254), printable])
    object_type = StringField("Object type (e.g. scenario, bid)",
                              validators=[Optional(), Length(max=32), printable])
    object_id = StringField("Object id", validators=[Optional(), Length(max=64), printable])
    action = StringField("Action (starts with, e.g. bid.)",
                         validators=[Optional(), Length(max=64), printable])
    scenario_id = IntegerField("Scenario id",
                               validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
    since = DateField("From (UTC date)", validators=[Optional()])
    until = DateField("To (UTC date, inclusive)", validators=[Optional()])
    submit = SubmitField("Search")
