"""hyoka (評価): review assistant for Japanese municipal plan-progress evaluation tables.

``read`` gives the reader's tables; ``analyze`` the whole pipeline as DataFrames, with
``filter`` and ``item_history`` (see ``pipeline.api``). The names are imported when first
used, so ``import pipeline.schemas`` (or a worker process) loads only what it needs: not
SudachiPy, not the detectors.

Example:
    >>> from pipeline import read
    >>> tables = read("data/samples")
    >>> sorted(tables.entries["source"].unique())[:1]
    ['000_7f059ffc7f93b1c5.txt']
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.api import Analysis, analyze, filter_result, item_history
    from pipeline.ingest import Tables, read

_HOMES: dict[str, str] = {
    "Analysis": "pipeline.api",
    "analyze": "pipeline.api",
    "filter_result": "pipeline.api",
    "item_history": "pipeline.api",
    "Tables": "pipeline.ingest",
    "read": "pipeline.ingest",
}
"""Where each public name lives (imported on first use by ``__getattr__``)."""

__all__ = ["Analysis", "Tables", "analyze", "filter_result", "item_history", "read"]


def __getattr__(name: str) -> Any:
    """The public name ``name``, imported from its module on first use.

    Example:
        >>> import pipeline
        >>> pipeline.analyze.__module__
        'pipeline.api'
    """
    if name not in _HOMES:
        raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
    value = getattr(import_module(_HOMES[name]), name)
    globals()[name] = value
    return value
