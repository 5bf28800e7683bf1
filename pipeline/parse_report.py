"""The reader's accounting, as a JSON-ready dict and as a printed summary.

Example:
    >>> from pipeline.ingest import read
    >>> report = build_parse_report(read(["data/samples/002_fb856b526bbf0244.txt"]))
    >>> f = report["files"][0]
    >>> f["lines_read"] == f["lines_used"] + f["lines_skipped"]
    True
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.ingest import Tables
from pipeline.report.output import write_csv, write_json
from pipeline.schemas import rows_by_source


def build_parse_report(tables: Tables) -> dict[str, Any]:
    """Per file: encoding, layout, lines read/used/skipped (by reason), counts, repairs and
    what each column of each header was read as (``columns``), and the items linked to the
    previous file of the same plan (``links``, with the method and score of each link)."""
    files = []
    by_file = [rows_by_source(tables.skips), rows_by_source(tables.repairs)]
    by_file += [rows_by_source(tables.columns, True), rows_by_source(tables.links, True)]
    for row in tables.report.to_dict("records"):
        skips, repairs, columns, links = (part(row["source"]) for part in by_file)
        files.append(
            {
                **{key: _plain(value) for key, value in row.items()},
                "skipped": {
                    r: int(n) for r, n in zip(skips["reason"], skips["lines"], strict=True)
                },
                "repair_list": [
                    {
                        "line": r["line"],
                        "kind": r["kind"],
                        "item_id": r["item_id"],
                        "message": r["message"],
                    }
                    for r in repairs.to_dict("records")
                ],
                "columns": [
                    {key: _plain(value) for key, value in column.items()}
                    for column in columns.astype(object)
                    .where(columns.notna(), None)
                    .to_dict("records")
                ],
                "links": [
                    {key: _plain(value) for key, value in link.items()}
                    for link in links.to_dict("records")
                ],
            }
        )
    return {"files": files, "errors": list(tables.errors)}


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
    for row in tables.report.to_dict("records"):
        if row["error"]:
            continue
        lines.append(
            f"{row['source']:<28} {row['layout']:<16} {row['lines_read']:>6} "
            f"{row['lines_used']:>6} {row['lines_skipped']:>8} {row['entries']:>8} "
            f"{row['indicator_rows']:>6} {row['repairs']:>8}"
        )
    return lines


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def write_parse_outputs(tables: Tables, staging: Path) -> None:
    """Write the reader's tables and parse report into ``staging``."""
    write_csv(tables.entries, staging / "entries.csv")
    write_csv(tables.indicators, staging / "indicators.csv")
    write_csv(tables.opinions, staging / "opinions.csv")
    write_json(build_parse_report(tables), staging / "parse_report.json")
