"""The table reader against cells read by eye from the raw sample (``tests/golden/*.jsonl``).

Each golden line names a data row (``line``: its 1-based line in the file), the item and division
(first 12 characters) and either ``field: item`` (the row must yield an entry) or one cell: its
fiscal year, field (status / evaluation / rating / plan) and the first 12 characters of the text
expected there ("" = empty in print). How the file was written: ``tests/golden/README.md``.

The test prints the accuracy (fields right / total, items found / total) and fails when it falls
below the figure reached, so a change that misplaces cells shows up as a lower number.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from pipeline.ingest import read

ROOT = Path(__file__).parents[1]
GOLDEN = ROOT / "tests" / "golden"
PREFIX = 12
"""Characters of each cell the golden file keeps."""

CASES = {
    "reader_001.jsonl": ("001_28fb2938c92c7781.txt", 1.0, 1.0),
    "reader_003.jsonl": ("003_a91a11d8f2677ccb.txt", 0.983, 1.0),
}
"""golden file -> (sample, least share of fields right, least share of items found)."""


def golden_rows(name: str) -> Iterator[dict[str, object]]:
    for line in (GOLDEN / name).read_text(encoding="utf-8").splitlines():
        if line.strip():
            yield json.loads(line)


def _cell(entries: pd.DataFrame, row: dict[str, object]) -> str | None:
    """The reader's text for a golden cell (first characters), or None when the row is missing."""
    here = entries[entries.source_line == str(row["line"])]
    division = str(row["division"])
    mine = here[here.division.str.startswith(division)]
    here = mine if len(mine) else here
    if here.empty:
        return None
    year = here[here.fiscal_year == row["fiscal_year"]]
    if year.empty:
        return ""
    return str(year.iloc[0][str(row["field"])])[:PREFIX]


def _names(division: str, expected: str) -> bool:
    """Whether a division cell names the expected division (first characters) among its names."""
    return any(name.startswith(expected[: len(name)]) for name in division.split()) or (
        division.startswith(expected)
    )


def accuracy(name: str, sample: str) -> tuple[int, int, int, int, list[str]]:
    """(fields right, fields, items found, items, misses) of the reader on one golden file."""
    entries = read([ROOT / "data" / "samples" / sample]).entries.fillna("")
    right = total = found = items = 0
    misses = []
    for row in golden_rows(name):
        if row["field"] == "item":
            items += 1
            here = entries[entries.source_line == str(row["line"])]
            found += any(
                str(item).startswith(str(row["item"])) and _names(division, str(row["division"]))
                for item, division in zip(here["item"], here["division"], strict=True)
            )
            continue
        total += 1
        got = _cell(entries, row)
        if got == row["text"]:
            right += 1
        else:
            misses.append(f"{row['line']} {row['fiscal_year']} {row['field']}: {got!r}")
    return right, total, found, items, misses


@pytest.mark.parametrize("name", sorted(CASES))
def test_ingest_golden_accuracy(name: str) -> None:
    sample, least_fields, least_items = CASES[name]
    right, total, found, items, misses = accuracy(name, sample)
    print(f"{name}: fields {right}/{total} = {right / total:.1%}; items {found}/{items}")
    print("\n".join(misses))
    assert total > 0 and items > 0
    assert right / total >= least_fields
    assert found / items >= least_items
