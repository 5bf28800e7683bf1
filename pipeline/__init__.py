"""hyoka (評価): review assistant for Japanese municipal plan-progress evaluation tables.

Example:
    >>> from pipeline import read
    >>> tables = read("data/samples")
    >>> sorted(tables.entries["source"].unique())[:1]
    ['000_7f059ffc7f93b1c5.txt']
"""

from pipeline.ingest import Tables, read

__all__ = ["Tables", "read"]
