"""hyoka (評価): review assistant for Japanese municipal plan-progress evaluation tables.

``read`` gives the reader's tables; ``analyze`` the whole pipeline as DataFrames, with
``filter`` and ``item_history`` (see ``pipeline.api``).

Example:
    >>> from pipeline import read
    >>> tables = read("data/samples")
    >>> sorted(tables.entries["source"].unique())[:1]
    ['000_7f059ffc7f93b1c5.txt']
"""

from pipeline.api import Analysis, analyze, filter_result, item_history
from pipeline.ingest import Tables, read

__all__ = ["Analysis", "Tables", "analyze", "filter_result", "item_history", "read"]
