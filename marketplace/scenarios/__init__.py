"""The agency's business scenario: its KPIs, criteria, timeline, lifecycle and Q&A."""
