"""Scenario forms. KPI and criterion rows are repeated sub-forms; `static/js/scenario-form.js`
adds and removes rows in place, and without JavaScript a few empty rows are offered."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from marketplace.core.time import ensure_aware, local
from marketplace.scenarios.models import SECTORS, Direction, ScoringMethod

METHOD_LABELS = {
    ScoringMethod.KPI: "Pilot results against the KPIs",
    ScoringMethod.PRICE: "Price (lowest scores best)",
    ScoringMethod.MANUAL: "Evaluators' judgement",
}
EXTRA_KPI_ROWS = 3
EXTRA_CRITERION_ROWS = 2
DATE_FORMAT = "%Y-%m-%dT%H:%M"


class KpiRow(Form):
    name = StringField("KPI name", validators=[Optional(), Length(max=200)])
    unit = StringField("Unit", validators=[Optional(), Length(max=50)])
    baseline = StringField("Baseline", validators=[Optional(), Length(max=30)])
    target = StringField("Target", validators=[Optional(), Length(max=30)])
    direction = SelectField("Better when", choices=[SelectChoice(d.value) for d in Direction])
    weight = StringField("Weight (default 1)", validators=[Optional(), Length(max=10)])


class CriterionRow(Form):
    name = StringField("Criterion", validators=[Optional(), Length(max=200)])
    description = StringField("Description", validators=[Optional(), Length(max=2000)])
    weight = StringField("Weight (%)", validators=[Optional(), Length(max=10)])
    method = SelectField("Scoring", choices=[SelectChoice(m.value, METHOD_LABELS[m])
                                             for m in ScoringMethod])


class ScenarioForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    summary = TextAreaField("Summary", validators=[Optional(), Length(max=2000)],
                            description="One or two sentences, shown in lists and search "
                                        "results.")
    problem = TextAreaField("Problem statement (Markdown)",
                            validators=[Optional(), Length(max=50_000)],
                            description="What goes wrong today, for whom, and what a good "
                                        "pilot changes. **bold**, lists and # headings work.")
    sector = SelectField("Sector", choices=[SelectChoice(s, s.capitalize()) for s in SECTORS])
    cpv_codes = StringField("CPV codes (comma separated, e.g. 85100000-0)",
                            validators=[Optional(), Length(max=500)])
    region = StringField("Region", validators=[Optional(), Length(max=100)],
                         description="Where the pilot runs, e.g. a city or district.")
    contact_name = StringField("Contact name", validators=[Optional(), Length(max=200)])
    contact_email = StringField("Contact e-mail", validators=[Optional(), Length(max=254)])
    currency = StringField("Currency (ISO 4217)", default="CNY",
                           validators=[DataRequired(), Length(max=3)],
                           description="Three letters, e.g. CNY, EUR, GBP.")
    budget_min = StringField("Minimum budget", validators=[Optional(), Length(max=30)])
    budget_max = StringField("Maximum budget", validators=[Optional(), Length(max=30)],
                             description="For the pilot and its roll-out; bids above it are "
                                         "flagged to the company.")
    pilot_duration_days = IntegerField("Pilot duration (days)",
                                       validators=[Optional(), NumberRange(1, 3650)])
    pilot_site = StringField("Pilot site", validators=[Optional(), Length(max=300)])
    data_provided = TextAreaField("Data the agency provides",
                                  validators=[Optional(), Length(max=10_000)],
                                  description="What companies may use for the pilot, and how "
                                              "it is anonymised.")
    questions_deadline = DateTimeLocalField("Questions deadline", format=DATE_FORMAT,
                                            validators=[Optional()],
                                            description="Before the bid deadline.")
    bid_deadline = DateTimeLocalField("Bid deadline", format=DATE_FORMAT,
                                      validators=[Optional()],
                                      description="Bids stay sealed until then; required to "
                                                  "publish.")
    planned_award_date = DateTimeLocalField("Planned award date", format=DATE_FORMAT,
                                            validators=[Optional()])
    blind_evaluation = BooleanField("Blind evaluation (evaluators do not see company names)",
                                    default=True)
    kpis = FieldList(FormField(KpiRow), min_entries=0, max_entries=30)
    criteria = FieldList(FormField(CriterionRow), min_entries=0, max_entries=30)
    submit = SubmitField("Save")

    DATE_FIELDS = ("questions_deadline", "bid_deadline", "planned_award_date")

    def pad_rows(self) -> None:
        """Offer empty rows for browsers without JavaScript."""
        for _ in range(EXTRA_KPI_ROWS):
            self.kpis.append_entry()
        for _ in range(EXTRA_CRITERION_ROWS):
            self.criteria.append_entry()

    def fill(self, data: dict, tz: str) -> None:
        """Show a scenario's data (deadlines in the agency's time zone)."""
        for name in ("title", "summary", "problem", "sector", "region", "contact_name",
                     "contact_email", "currency", "pilot_duration_days", "pilot_site",
                     "data_provided", "blind_evaluation"):
            getattr(self, name).data = data.get(name)
        self.cpv_codes.data = ", ".join(data.get("cpv_codes") or [])
        for name in ("budget_min", "budget_max"):
            value = data.get(name)
            getattr(self, name).data = "" if value is None else format(value, "f")
        for name in self.DATE_FIELDS:
            value = local(data.get(name), tz)
            getattr(self, name).data = value.replace(tzinfo=None) if value else None
        for row in data.get("kpis") or []:
            self.kpis.append_entry({k: _text(v) for k, v in row.items()})
        for row in data.get("criteria") or []:
            self.criteria.append_entry({k: _text(v) for k, v in row.items()})

    def to_data(self, tz: str, original: dict | None = None) -> dict:
        """The submitted values for the service; deadlines read in the agency's zone.

        A deadline shown to the minute and sent back unchanged keeps its stored value, so that
        the seconds it had are not reported as an amendment."""
        data = {name: getattr(self, name).data for name in (
            "title", "summary", "problem", "sector", "cpv_codes", "region", "contact_name",
            "contact_email", "currency", "budget_min", "budget_max", "pilot_duration_days",
            "pilot_site", "data_provided", "blind_evaluation")}
        for name in self.DATE_FIELDS:
            value = getattr(self, name).data
            data[name] = ensure_aware(value, tz) if value else None
            stored = (original or {}).get(name)
            if value and stored and local(stored, tz).replace(
                    tzinfo=None, second=0, microsecond=0) == value:
                data[name] = stored
        self.kpi_rows = [entry for entry in self.kpis if not _blank(entry.data)]
        self.criterion_rows = [entry for entry in self.criteria if not _blank(entry.data)]
        data["kpis"] = [entry.data for entry in self.kpi_rows]
        data["criteria"] = [entry.data for entry in self.criterion_rows]
        return data

    def show_errors(self, errors: dict) -> list[str]:
        """Attach a service's field errors to the fields; returns the rest as messages."""
        rest = []
        rows = {"kpis": getattr(self, "kpi_rows", []),
                "criteria": getattr(self, "criterion_rows", [])}
        for key, messages in errors.items():
            parts = key.split(".")
            field = None
            if len(parts) == 3 and parts[0] in rows and parts[1].isdigit():
                index = int(parts[1])
                if index < len(rows[parts[0]]):
                    field = rows[parts[0]][index].form._fields.get(parts[2])
            elif len(parts) == 1 and key in self._fields:
                field = self._fields[key]
            if field is not None:
                field.errors = list(field.errors or []) + list(messages)
            label = key
            if len(parts) == 3 and parts[1].isdigit():
                kind = "KPI" if parts[0] == "kpis" else "Criterion"
                label = f"{kind} {int(parts[1]) + 1}, {parts[2]}"
            rest.extend(f"{label}: {message}" for message in messages)
        return rest


def _text(value) -> str:
    return "" if value is None else (format(value, "f") if hasattr(value, "normalize")
                                     else str(value))


def _blank(row: dict) -> bool:
    return all(not (value or "").strip() for key, value in row.items()
               if key not in ("direction", "method") and isinstance(value, str | None))


class AmendForm(ScenarioForm):
    reason = TextAreaField("Why is the scenario amended?",
                           validators=[DataRequired(), Length(max=5000)],
                           description="Published with the amendment and sent to companies "
                                       "who asked a question or started a bid.")
    submit = SubmitField("Publish the amendment")


class CancelForm(FlaskForm):
    reason = TextAreaField("Reason for cancelling (published)",
                           validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField("Cancel the scenario")


class QuestionForm(FlaskForm):
    text = TextAreaField("Your question", validators=[DataRequired(), Length(max=5000)],
                         description="The agency publishes the question with its answer; "
                                     "only the agency knows who asked.")
    submit = SubmitField("Ask")


class AnswerForm(FlaskForm):
    answer = TextAreaField("Answer (published with the question)",
                           validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField("Publish the answer")


class ClarificationForm(FlaskForm):
    title = StringField("Subject", validators=[DataRequired(), Length(max=500)])
    text = TextAreaField("Clarification", validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField("Publish the clarification")


class DocumentForm(FlaskForm):
    title = StringField("Document title", validators=[Optional(), Length(max=300)])
    file = FileField("File (PDF, PNG, JPEG, CSV or XLSX)", validators=[FileRequired()])
    submit = SubmitField("Upload")
