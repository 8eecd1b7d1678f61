"""Forms of the search pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DecimalField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


def sector_choices():
    from marketplace.scenarios.models import SECTORS

    return [("", "Any sector")] + [(s, s.capitalize()) for s in SECTORS]


class SavedSearchForm(FlaskForm):
    name = StringField("Name of the saved search", validators=[DataRequired(), Length(max=120)])
    query = StringField("Words", validators=[Optional(), Length(max=500)])
    sector = SelectField("Sector", choices=[], validators=[Optional()])
    region = StringField("Region", validators=[Optional(), Length(max=100)])
    budget_min = DecimalField("Budget at least", validators=[Optional(), NumberRange(min=0)])
    budget_max = DecimalField("Budget at most", validators=[Optional(), NumberRange(min=0)])
    submit = SubmitField("Save and alert me")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sector.choices = sector_choices()


class InviteForm(FlaskForm):
    submit = SubmitField("Invite to bid")


class DeleteForm(FlaskForm):
    submit = SubmitField("Delete")
