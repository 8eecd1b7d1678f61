"""Shared building blocks: database base, errors, states, time, permissions."""
