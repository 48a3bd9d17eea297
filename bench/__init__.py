"""Benchmarks and the search quality harness (run from the repository root)."""
