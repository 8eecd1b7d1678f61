"""Panels, conflict declarations, scores, ranking, award, standstill and challenges."""
