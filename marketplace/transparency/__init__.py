"""Transparency: open data (OCDS), CSV exports, charts, red flags and public timelines."""
