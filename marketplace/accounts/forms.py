"""Account forms. Rules live in the services; the forms only shape the input."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional

PASSWORD_HELP = "At least 12 characters. A few unrelated words make a good one."  # noqa: S105
NEW_PASSWORD = {"autocomplete": "new-password"}
PASSWORD_RULE = "The password must have between 12 and 512 characters."  # noqa: S105


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField("Password", validators=[DataRequired(), Length(max=512)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField("Remember me")
    submit = SubmitField("Log in")


class _PersonFields:
    name = StringField("Your name", validators=[DataRequired(), Length(max=200)],
                       render_kw={"autocomplete": "name"})
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "email"})
    password = PasswordField("Password", description=PASSWORD_HELP, render_kw=NEW_PASSWORD,
                             validators=[DataRequired(),
                                         Length(min=12, max=512, message=PASSWORD_RULE)])
    confirm = PasswordField("Repeat the password", render_kw=NEW_PASSWORD, validators=[
        DataRequired(), EqualTo("password", message="The two passwords differ.")])


class CompanySignupForm(FlaskForm):
    company_name = StringField("Company name", validators=[DataRequired(), Length(max=200)],
                               render_kw={"autocomplete": "organization"})
    registration_number = StringField(
        "Registration number", description="As on your business licence.",
        validators=[DataRequired(), Length(max=64)])
    country = StringField("Country (two-letter code)", default="CN",
                          validators=[DataRequired(), Length(min=2, max=2)])
    region = StringField("Region or city", validators=[Optional(), Length(max=100)])
    website = URLField("Website", validators=[Optional(), Length(max=300)])
    name = _PersonFields.name
    email = _PersonFields.email
    password = _PersonFields.password
    confirm = _PersonFields.confirm
    submit = SubmitField("Sign up")


class AgencySignupForm(FlaskForm):
    email = EmailField("Work e-mail", description="Your agency's e-mail domain must be listed.",
                       validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "email"})
    submit = SubmitField("Send me a sign-up link")


class AccountDetailsForm(FlaskForm):
    """The last step of an agency sign-up or of an invitation: the e-mail is already known."""

    name = _PersonFields.name
    password = _PersonFields.password
    confirm = _PersonFields.confirm
    submit = SubmitField("Create my account")


AcceptInvitationForm = AccountDetailsForm


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired()],
                                     render_kw={"autocomplete": "current-password"})
    new_password = PasswordField("New password", description=PASSWORD_HELP, render_kw=NEW_PASSWORD,
                                 validators=[DataRequired(),
                                         Length(min=12, max=512, message=PASSWORD_RULE)])
    submit = SubmitField("Change password")


class TokenForm(FlaskForm):
    name = StringField("Token name", description="What the token is for, e.g. “CI script”.",
                       validators=[DataRequired(), Length(max=100)])
    submit = SubmitField("Create token")


class ForgotPasswordForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    submit = SubmitField("Send me a reset link")


class ResetPasswordForm(FlaskForm):
    password = _PersonFields.password
    confirm = _PersonFields.confirm
    submit = SubmitField("Set the new password")


class InviteForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    role = SelectField("Role", choices=[SelectChoice("evaluator", "Evaluator"),
                                         SelectChoice("buyer", "Buyer")])
    submit = SubmitField("Send invitation")
