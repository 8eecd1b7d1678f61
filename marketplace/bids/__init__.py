"""A company's bid on a scenario, with its pilot results; sealed until the deadline."""
