"""Benchmarks and the synthetic-data generator (bench.generate, bench.export_memory)."""
