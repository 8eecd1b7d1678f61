"""Benchmarks, outside the test suite: `python -m bench.<name> --help`."""
