"""Admin forms."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length


class DomainForm(FlaskForm):
    domain = StringField("E-mail domain", description="For example: health.example.gov.cn",
                         validators=[DataRequired(), Length(max=253)])
    agency_id = SelectField("Agency", coerce=int, validate_choice=False)
    submit = SubmitField("Add domain")
