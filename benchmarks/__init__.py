"""Benchmarks: a deterministic corpus generator and throughput measurements (``python -m``)."""
