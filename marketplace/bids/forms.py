"""Bid forms: the bid with KPIs as rows, milestones as rows, and evidence upload per KPI."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

EMPTY_MILESTONE_ROWS = 2


class MilestoneRow(Form):
    name = StringField("Milestone", validators=[Optional(), Length(max=200)])
    duration_days = StringField("Duration (days)", validators=[Optional(), Length(max=10)])
    share_percent = StringField("Share of the price (%)", validators=[Optional(), Length(max=10)])


class ResultRow(Form):
    kpi_id = HiddenField()
    value = StringField("Measured value", validators=[Optional(), Length(max=40)])
    unit = StringField("Unit", validators=[Optional(), Length(max=50)])
    conditions = TextAreaField("Conditions: where, when, on what data",
                               validators=[Optional(), Length(max=4000)])
    method = TextAreaField("Method of measurement", validators=[Optional(), Length(max=4000)])


class BidForm(FlaskForm):
    price = StringField("Price", validators=[Optional(), Length(max=40)],
                        description="The total for the pilot and its roll-out, in the "
                                    "scenario's currency, digits only (e.g. 250000).")
    approach = TextAreaField("Approach (Markdown)", validators=[Optional(), Length(max=20000)],
                             description="How you will run the pilot and scale it: evaluators "
                                         "score this. **bold** and lists work.")
    milestones = FieldList(FormField(MilestoneRow), max_entries=20)
    results = FieldList(FormField(ResultRow), max_entries=100)
    declares_no_conflict = BooleanField("My company has no conflict of interest in this scenario")
    accepts_terms = BooleanField("I accept the scenario's terms")
    save = SubmitField("Save draft")
    save_and_submit = SubmitField("Save and submit")

    def fill(self, bid) -> None:
        """Rows for the bid's milestones (plus empty ones) and one row per KPI."""
        self.price.data = "" if bid.price is None else f"{bid.price:f}"
        self.approach.data = bid.approach
        self.declares_no_conflict.data = bid.declares_no_conflict
        self.accepts_terms.data = bid.accepts_terms
        for m in bid.milestones:
            self.milestones.append_entry({"name": m.name, "duration_days": m.duration_days,
                                          "share_percent": f"{m.share_percent.normalize():f}"})
        for _ in range(EMPTY_MILESTONE_ROWS):
            self.milestones.append_entry()
        results = {r.kpi_id: r for r in bid.results}
        for kpi in bid.scenario.kpis:
            r = results.get(kpi.id)
            self.results.append_entry({
                "kpi_id": kpi.id,
                "value": "" if r is None or r.value is None else f"{r.value.normalize():f}",
                "unit": r.unit if r else kpi.unit,
                "conditions": r.conditions if r else "", "method": r.method if r else "",
            })

    def changes(self) -> dict:
        """The form as the data `update_bid` takes; empty milestone rows are left out."""
        milestones = [
            row for row in (entry.data for entry in self.milestones)
            if any(str(row.get(k) or "").strip() for k in ("name", "duration_days",
                                                            "share_percent"))
        ]
        return {
            "price": self.price.data, "approach": self.approach.data,
            "milestones": [{k: row[k] for k in ("name", "duration_days", "share_percent")}
                           for row in milestones],
            "results": [{k: entry.data[k] for k in ("kpi_id", "value", "unit", "conditions",
                                                    "method")} for entry in self.results],
            "declares_no_conflict": self.declares_no_conflict.data,
            "accepts_terms": self.accepts_terms.data,
        }


class EvidenceForm(FlaskForm):
    kpi_id = HiddenField(validators=[Optional()])
    file = FileField("Evidence file (PDF, PNG, JPEG or CSV, up to 10 MB)",
                     validators=[FileRequired("Choose a file.")])
    upload = SubmitField("Upload")


class ActionForm(FlaskForm):
    """A button that POSTs (submit, withdraw, reopen, delete) with its CSRF token."""

    go = SubmitField("Confirm")
