"""Contract forms."""

from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    PasswordField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional


class GenerateForm(FlaskForm):
    start_date = DateField("Start date", validators=[DataRequired()])
    agency_signatory_name = StringField("Signatory for the agency",
                                        validators=[Optional(), Length(max=200)])
    agency_signatory_title = StringField("Signatory's title",
                                         validators=[Optional(), Length(max=200)])
    special_conditions = TextAreaField("Special conditions (optional)",
                                       validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Generate the contract")


class TermsForm(GenerateForm):
    reason = StringField("Why the terms change", validators=[DataRequired(), Length(max=500)])
    submit = SubmitField("Save as a new version")


class SignForm(FlaskForm):
    version = IntegerField("Version", validators=[InputRequired()])
    name = StringField("Type your full name to confirm",
                       validators=[DataRequired(), Length(max=200)])
    password = PasswordField("Your password", validators=[DataRequired(), Length(max=512)])
    confirm = BooleanField("I have read this version and sign it for my organisation",
                           validators=[DataRequired()])
    submit = SubmitField("Sign the contract")


class DeliverForm(FlaskForm):
    note = TextAreaField("What you delivered", validators=[DataRequired(), Length(max=10000)])
    files = MultipleFileField("Evidence files (PDF, PNG, JPEG, CSV, XLSX)")
    submit = SubmitField("Mark as delivered")


class DecisionForm(FlaskForm):
    reason = TextAreaField("Reason", validators=[Optional(), Length(max=5000)])


class TerminateForm(FlaskForm):
    reason = TextAreaField("Reason for termination",
                           validators=[DataRequired(), Length(min=10, max=5000)])
    submit = SubmitField("Terminate the contract")
