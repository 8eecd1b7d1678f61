"""Contracts: a PDF contract from an award, signed by both parties, tracked to completion."""
