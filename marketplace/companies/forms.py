"""Company profile forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    IntegerField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from marketplace.scenarios.models import SECTORS


class ProfileForm(FlaskForm):
    name = StringField("Company name", validators=[DataRequired(), Length(max=200)])
    registration_number = StringField("Registration number",
                                      validators=[Optional(), Length(max=64)])
    region = StringField("Region", validators=[Optional(), Length(max=100)])
    website = URLField("Website", validators=[Optional(), Length(max=300)])
    headline = StringField("Headline", validators=[Optional(), Length(max=200)])
    description = TextAreaField("Description (Markdown)", validators=[Optional(),
                                                                      Length(max=20000)])
    sectors = SelectMultipleField(
        "Sectors", choices=[SelectChoice(s, s.capitalize()) for s in SECTORS],
        widget=widgets.ListWidget(prefix_label=False), option_widget=widgets.CheckboxInput(),
    )
    capabilities = StringField("Capabilities (comma-separated tags)",
                               validators=[Optional(), Length(max=1000)])
    ai_tools = StringField("AI tool stack (comma-separated tags)",
                           validators=[Optional(), Length(max=1000)])
    submit = SubmitField("Save profile")


class TrackRecordForm(FlaskForm):
    title = StringField("Pilot or contract", validators=[DataRequired(), Length(max=300)])
    client = StringField("Client", validators=[DataRequired(), Length(max=200)])
    year = IntegerField("Year", validators=[DataRequired(), NumberRange(1990, 2100)])
    outcome = TextAreaField("Outcome", validators=[Optional(), Length(max=4000)])
    link = URLField("Link (optional)", validators=[Optional(), Length(max=500)])
    submit = SubmitField("Add to track record")


class PortfolioForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    file = FileField("File (PDF, PNG or JPEG, up to 10 MB)",
                     validators=[FileRequired("Choose a file.")])
    submit = SubmitField("Upload to portfolio")


class DeleteForm(FlaskForm):
    go = SubmitField("Remove")
