"""Benchmark: seed a large dataset into a separate database and measure pages under load.

`python -m bench` (or `make bench`) does everything; see README.md, section "Benchmark".
"""
