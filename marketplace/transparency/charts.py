"""Charts drawn on the server as SVG with pygal, each with the same figures as a table.

pygal's JavaScript (loaded from a CDN by default) is switched off and its configuration
script removed; the SVG is served from its own route as image/svg+xml, with a policy that
allows only its own inline stylesheet, and shown with `<img>` (which never runs scripts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pygal
from pygal.style import DefaultStyle

from marketplace.core.money import format_money
from marketplace.transparency import stats

SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'"
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)


@dataclass
class Chart:
    name: str
    title: str
    kind: str  # bar | line | pie
    rows: list[stats.Row]
    label_header: str
    value_header: str
    money: bool = False

    def table(self) -> list[tuple[str, str]]:
        return [(self._label(r), self._value(r)) for r in self.rows]

    def _label(self, row) -> str:
        return f"{row.label} ({row.currency})" if self.money and row.currency else str(row.label)

    def _value(self, row) -> str:
        return format_money(row.value, row.currency) if self.money else str(row.value)

    def svg(self) -> str:
        cls = {"bar": pygal.Bar, "line": pygal.Line, "pie": pygal.Pie}[self.kind]
        chart = cls(js=[], disable_xml_declaration=True, style=DefaultStyle, width=720,
                    height=360, show_legend=self.kind == "pie", x_label_rotation=30,
                    print_values=False, no_data_text="No data yet")
        chart.title = self.title
        if self.kind == "pie":
            for row in self.rows:
                chart.add(self._label(row), float(row.value))
        else:
            chart.x_labels = [self._label(r) for r in self.rows]
            chart.add(self.value_header, [float(r.value) for r in self.rows])
        return _SCRIPT.sub("", chart.render(is_unicode=True))


def public_charts() -> dict[str, Chart]:
    return {c.name: c for c in (
        Chart("money-by-sector", "Money awarded by sector", "bar", stats.money_by_sector(),
              "Sector", "Awarded", money=True),
        Chart("money-by-month", "Money awarded by month", "line", stats.money_by_month(),
              "Month", "Awarded", money=True),
    )}


def agency_charts(agency_id: int | None) -> dict[str, Chart]:
    return {c.name: c for c in (
        Chart("scenarios-by-state", "Scenarios by state", "bar",
              stats.scenarios_by_state(agency_id), "State", "Scenarios"),
        Chart("bids-per-scenario", "Bids per scenario (after the deadline)", "bar",
              stats.bids_per_scenario(agency_id), "Scenario", "Bids"),
        Chart("days-to-award", "Days from publication to award", "bar",
              stats.days_to_award(agency_id), "Scenario", "Days"),
        Chart("spend-by-sector", "Spend by sector", "pie",
              stats.money_by_sector(agency_id), "Sector", "Spend", money=True),
    )}


