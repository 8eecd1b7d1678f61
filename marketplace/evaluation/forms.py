"""Evaluation forms. The score form is built per bid in the template (one row a criterion)."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional


class PanelForm(FlaskForm):
    chair_id = SelectField("Chair", coerce=int, validators=[InputRequired()])
    evaluator_ids = SelectMultipleField("Evaluators from the agency's staff", coerce=int,
                                        validators=[Optional()])
    externals = TextAreaField(
        "External evaluators to invite (one a line: e-mail, name)",
        validators=[Optional(), Length(max=5000)])
    submit = SubmitField("Save the panel")


class DeclarationForm(FlaskForm):
    has_conflict = RadioField(
        "Do you have a conflict of interest with any of these companies?",
        choices=[SelectChoice("no", "No, I have no conflict of interest"),
                 SelectChoice("yes", "Yes, I have a conflict of interest")],
        validators=[InputRequired()])
    details = TextAreaField("Details of the conflict (required if you have one)",
                            validators=[Optional(), Length(max=5000)])
    submit = SubmitField("Sign the declaration")


class ModerationForm(FlaskForm):
    score = DecimalField("Moderated score (0 to 10)", places=2,
                         validators=[InputRequired(), NumberRange(0, 10)])
    justification = TextAreaField("Justification", validators=[DataRequired(),
                                                               Length(max=5000)])
    submit = SubmitField("Record the moderated score")


class ReasonForm(FlaskForm):
    reason = TextAreaField("Reason", validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField("Confirm")


class AwardForm(FlaskForm):
    bid_id = SelectField("Bid to award", coerce=int, validators=[InputRequired()])
    justification = TextAreaField(
        "Justification (at least 200 characters if the bid is not ranked first)",
        validators=[DataRequired(), Length(max=10000)])
    submit = SubmitField("Award")


class AnswerForm(FlaskForm):
    answer = TextAreaField("Answer", validators=[DataRequired(), Length(max=10000)])
    upheld = BooleanField("The challenge is upheld")
    submit = SubmitField("Send the answer")


class LockForm(FlaskForm):
    submit = SubmitField("Lock the scores")


class PasswordForm(FlaskForm):
    password = PasswordField("Choose a password (at least 12 characters)",
                             validators=[DataRequired(), Length(min=12, max=512)])
    submit = SubmitField("Set my password")
