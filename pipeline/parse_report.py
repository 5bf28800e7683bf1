"""The reader's accounting, as a JSON-ready dict and as a printed summary.

Example:
    >>> from pipeline.ingest import read
    >>> report = build_parse_report(read(["data/samples/002_fb856b526bbf0244.txt"]))
    >>> f = report["files"][0]
    >>> f["lines_read"] == f["lines_used"] + f["lines_skipped"]
    True
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.ingest import Tables
from pipeline.report.output import write_csv, write_json
from pipeline.schemas import records


def build_parse_report(tables: Tables) -> dict[str, Any]:
    """Per file: encoding, layout, lines read/used/skipped (by reason), counts, repairs and
    what each column of each header was read as (``columns``), and the items linked to the
    previous file of the same plan (``links``, with the method and score of each link).

    Each table is turned into plain rows once and then split by file (not once per file: a
    corpus has thousands of files, and each small frame costs pandas far more than its rows).
    """
    skips = _by_file(records(tables.skips), tables.skips)
    repairs = _by_file(records(tables.repairs), tables.repairs)
    columns = tables.columns.astype(object).where(tables.columns.notna(), None)
    described = _by_file(records(columns), tables.columns, drop_source=True)
    links = _by_file(records(tables.links), tables.links, drop_source=True)
    files = []
    for row in records(tables.report):
        source = row["source"]
        files.append(
            {
                **row,
                "skipped": {skip["reason"]: int(skip["lines"]) for skip in skips(source)},
                "repair_list": [
                    {key: repair[key] for key in ("line", "kind", "item_id", "message")}
                    for repair in repairs(source)
                ],
                "columns": described(source),
                "links": links(source),
            }
        )
    return {"files": files, "errors": list(tables.errors)}


def _by_file(
    rows: list[dict[str, Any]], frame: pd.DataFrame, drop_source: bool = False
) -> Callable[[str], list[dict[str, Any]]]:
    """A function giving the rows (of ``frame``, as ``rows``) of one file, in order; every row
    for every file when ``frame`` has no ``source``; ``drop_source`` leaves ``source`` out.

    Example:
        >>> frame = pd.DataFrame({"source": ["a", "b", "a"], "n": [1, 2, 3]})
        >>> rows = _by_file(frame.to_dict("records"), frame, drop_source=True)
        >>> rows("a"), rows("c")
        ([{'n': 1}, {'n': 3}], [])
    """
    if "source" not in frame:
        return lambda source: rows
    by_file: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        kept = {key: value for key, value in row.items() if key != "source"} if drop_source else row
        by_file.setdefault(row["source"], []).append(kept)
    return lambda source: by_file.get(source, [])


def summary_lines(tables: Tables) -> list[str]:
    """A short printed summary: one line per file read (errors go to stderr separately).

    Example:
        >>> from pipeline.ingest import read
        >>> summary_lines(read(["data/samples/002_fb856b526bbf0244.txt"]))[0].split()[0]
        'file'
    """
    lines = [
        f"{'file':<28} {'layout':<16} {'read':>6} {'used':>6} {'skipped':>8} "
        f"{'entries':>8} {'indic.':>6} {'repairs':>8}"
    ]
    for row in records(tables.report):
        if row["error"]:
            continue
        lines.append(
            f"{row['source']:<28} {row['layout']:<16} {row['lines_read']:>6} "
            f"{row['lines_used']:>6} {row['lines_skipped']:>8} {row['entries']:>8} "
            f"{row['indicator_rows']:>6} {row['repairs']:>8}"
        )
    return lines


def write_parse_outputs(tables: Tables, staging: Path) -> None:
    """Write the reader's tables and parse report into ``staging``."""
    write_csv(tables.entries, staging / "entries.csv")
    write_csv(tables.indicators, staging / "indicators.csv")
    write_csv(tables.opinions, staging / "opinions.csv")
    write_json(build_parse_report(tables), staging / "parse_report.json")
