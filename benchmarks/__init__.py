"""Benchmarks of the heavy paths, runnable from the repository root (`python -m benchmarks.<name>`)."""
