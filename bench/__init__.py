"""Benchmarks of 调解通: a synthetic-data generator and timings. Never run by the test suite."""
