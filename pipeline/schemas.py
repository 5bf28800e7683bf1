"""The columns of every table that crosses a stage boundary: the one place they are named.

Readers produce ``entries``, ``indicators`` and ``opinions``; detectors produce ``findings``.
Every writer and notebook relies on these names and on their order.

Example:
    >>> ENTRY_COLUMNS[:3]
    ('source', 'plan_name', 'item_id')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

ENTRY_COLUMNS: tuple[str, ...] = (
    "source",  # input file name, e.g. 002_fb856b526bbf0244.txt
    "plan_name",  # the plan: the document's title (else file stem), shared by its yearly files
    "item_id",  # stable id of one item row (item x division row) within a source
    "item_no",  # the number the document prints for the item, '' if none
    "section",  # headings above the item, joined with ' > '
    "item",  # the item's name without its leading number
    "department",  # 担当部署 as written
    "division",  # 担当課 as written (may name several divisions)
    "page",  # 計画書ページ as written (P.32)
    "fiscal_year",  # Western fiscal year (令和2年度 -> 2020)
    "status",  # 実施状況: what was done that year
    "evaluation",  # 担当課の評価: the division's judgement
    "rating",  # 達成度 / 事業評価 cell as written
    "plan",  # 今後の実施計画 written that year
    "other",  # narrative under labels no other field takes: 【効率化の工夫】… one per line
    "source_line",  # 1-based line (or Sheet!row) where the row starts
)

TEXT_FIELDS: tuple[str, ...] = ("status", "evaluation", "plan", "other")
"""Narrative fields compared and analysed by the detectors."""

YEAR_FIELDS: tuple[str, ...] = ("status", "evaluation", "rating", "plan", "other")
"""Fields that belong to one fiscal year (a row holds them for several years)."""

OPTIONAL_FIELDS: tuple[str, ...] = ("other",)
"""Yearly fields most tables do not have: views show them only where they hold text."""

INDICATOR_COLUMNS: tuple[str, ...] = (
    "source",
    "item_id",
    "indicator",  # 参考指標 name, e.g. 虐待相談件数(件)
    "direction",  # planned direction printed with the value: 漸増, 維持, 検討 ... or ''
    "fiscal_year",
    "value_raw",  # the cell as written, e.g. '漸増 1,091'
    "value",  # the number in the cell, NaN when the cell holds none
)

OPINION_COLUMNS: tuple[str, ...] = ("source", "goal", "item_no", "title", "text")

REPORT_COLUMNS: tuple[str, ...] = (
    "source",
    "encoding",
    "layout",
    "lines_read",
    "lines_used",
    "lines_skipped",
    "entries",
    "indicator_rows",
    "opinions",
    "repairs",
    "error",
    "title",  # the title printed above the first table, else the file's stem
)

FINDING_COLUMNS: tuple[str, ...] = (
    "source",
    "item_id",
    "item",
    "department",
    "division",
    "fiscal_year",
    "detector",  # copy_paste / covid / rating / quality
    "kind",  # the detector's finding kind, e.g. identical
    "field",  # status / evaluation / rating / plan / ...
    "severity",  # high / medium / low
    "score",  # similarity or strength in [0, 1]
    "evidence",  # the quoted text of this year
    "compared_with",  # 'field@year: quoted text' or ''
    "compared_field",  # the field compared with (status / plan / indicator / row ...) or ''
    "compared_year",  # the fiscal year of the compared text, empty when none
    "compared_text",  # the compared text as quoted (trimmed like the evidence) or ''
    "question",  # suggested question for the committee (Japanese)
)

SEVERITIES: tuple[str, ...] = ("high", "medium", "low")

_INT_COLUMNS = {"fiscal_year", "compared_year", "year", "column", "cells"}
_FLOAT_COLUMNS = {"value", "score", "confidence"}


def empty_frame(columns: tuple[str, ...]) -> pd.DataFrame:
    """An empty DataFrame with ``columns`` in order and their dtypes.

    Example:
        >>> list(empty_frame(FINDING_COLUMNS).columns)[:2]
        ['source', 'item_id']
    """
    return conform(pd.DataFrame({name: [] for name in columns}), columns)


def conform(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Return ``frame`` with exactly ``columns`` in order and the schema's dtypes.

    Missing text columns become ''; extra columns are kept after the schema's ones only if
    they are not part of the schema (callers drop them before writing CSV).

    Example:
        >>> conform(pd.DataFrame({"source": ["a.txt"]}), ("source", "fiscal_year")).dtypes.iloc[1]
        Int64Dtype()
    """
    out = frame.copy()
    for name in columns:
        if name not in out.columns:
            out[name] = pd.NA if name in _INT_COLUMNS | _FLOAT_COLUMNS else ""
    for name in columns:
        column = out[name]
        if _conformed(column, name):
            continue  # already of the schema's dtype, no missing text: converting is a no-op
        if name in _INT_COLUMNS:
            out[name] = pd.to_numeric(column, errors="coerce").astype("Int64")
        elif name in _FLOAT_COLUMNS:
            out[name] = pd.to_numeric(column, errors="coerce").astype("float64")
        else:
            values = column.astype(object)
            out[name] = values.where(values.notna(), "").astype(str)
    extra = [name for name in out.columns if name not in columns]
    return out[list(columns) + extra].reset_index(drop=True)


TEXT_DTYPE: Any = pd.Series([""], dtype=object).astype(str).dtype
"""The dtype of a text column once conformed (pandas' own text dtype for ``astype(str)``)."""


def conformed(frame: pd.DataFrame, columns: tuple[str, ...]) -> bool:
    """Whether ``conform(frame, columns)`` would change nothing: ``columns`` come first, in
    order, each already of the schema's dtype without a missing text (a caller can then skip
    the copy ``conform`` makes).

    Example:
        >>> conformed(pd.DataFrame({"score": [0.5]}), ("score",))
        True
        >>> conformed(pd.DataFrame({"score": [1]}), ("score",))
        False
    """
    head = [str(name) for name in frame.columns[: len(columns)]]
    return head == list(columns) and all(_conformed(frame[name], name) for name in columns)


def _conformed(column: pd.Series, name: str) -> bool:
    """Whether ``column`` already is what ``conform`` makes of it: an integer column typed
    ``Int64``, a float one ``float64``, a text one of pandas' text dtype (pandas 3) without a
    missing value.

    Example:
        >>> _conformed(pd.Series([0.5]), "score"), _conformed(pd.Series([1]), "score")
        (True, False)
    """
    if name in _INT_COLUMNS:
        return bool(column.dtype == "Int64")
    if name in _FLOAT_COLUMNS:
        return bool(column.dtype == "float64")
    if not isinstance(TEXT_DTYPE, pd.StringDtype):  # pandas 2: object columns hold anything
        return False
    return bool(column.dtype == TEXT_DTYPE) and not column.hasnans


def rows_by_source(frame: pd.DataFrame, drop_source: bool = False) -> Callable[[str], pd.DataFrame]:
    """A function giving the rows of ``frame`` of one file (its ``source``), in order: the frame
    is split by file once, not searched once per file. A frame without ``source`` is whole for
    every file; ``drop_source`` leaves the ``source`` column out.

    Example:
        >>> rows = rows_by_source(pd.DataFrame({"source": ["a", "b", "a"], "n": [1, 2, 3]}), True)
        >>> rows("a")["n"].tolist(), list(rows("c").columns)
        ([1, 3], ['n'])
    """
    if "source" not in frame:
        return lambda source: frame
    kept = frame.drop(columns="source") if drop_source else frame
    positions = frame.groupby("source", sort=False).indices
    empty = kept.iloc[:0]
    return lambda source: kept.iloc[positions[source]] if source in positions else empty


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dicts keyed by column name: what ``frame.to_dict("records")``
    gives (Python scalars, None for a missing nullable integer), built a column at a time
    instead of a cell at a time (about twice as fast on the entries table).

    Example:
        >>> frame = pd.DataFrame({"item": ["研修", "講座"],
        ...     "fiscal_year": pd.array([2021, None], dtype="Int64")})
        >>> records(frame)
        [{'item': '研修', 'fiscal_year': 2021}, {'item': '講座', 'fiscal_year': None}]
    """
    names = [str(name) for name in frame.columns]
    columns = [_cells(frame.iloc[:, position]) for position in range(frame.shape[1])]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


_NUMPY_SCALARS = (np.number, np.bool_)


def _cells(column: pd.Series) -> list[Any]:
    """A column's cells as ``to_dict`` boxes them (NumPy numbers in an object column become
    Python numbers)."""
    cells = column.tolist()
    if column.dtype == object and any(isinstance(cell, _NUMPY_SCALARS) for cell in cells):
        return [cell.item() if isinstance(cell, _NUMPY_SCALARS) else cell for cell in cells]
    if isinstance(column.dtype, pd.api.extensions.ExtensionDtype) and column.dtype.kind in "iufb":
        return [None if cell is pd.NA else cell for cell in cells]
    return cells
