"""The column account counts each column's filled cells with the rows turned on their side
(issue #18): the counts are those of asking every row for that column's cell."""

from __future__ import annotations

from pathlib import Path

from pipeline.ingest.columns import Header, _filled_cells, column_account
from pipeline.ingest.headers import Column
from pipeline.ingest.sources import Row, SourceDoc, load_rows

_SAMPLES = sorted(Path("data/samples").glob("*.txt"))


def _plain_counts(rows: list[list[str]], width: int) -> list[int]:
    return [
        sum(index < len(row) and bool(row[index].strip()) for row in rows) for index in range(width)
    ]


def test_filled_cells_are_the_cells_each_row_fills() -> None:
    for path in _SAMPLES:
        rows = [row.cells for row in load_rows(path).rows]
        width = max(map(len, rows))
        assert _filled_cells(rows) == _plain_counts(rows, width), path.name
    ragged = [["a", " ", "\u3000"], [], ["", "b"], ["c", "", "", "d"]]
    assert _filled_cells(ragged) == _plain_counts(ragged, 4) == [2, 1, 0, 1]
    assert _filled_cells([]) == []


def test_column_account_counts_only_the_header_columns_of_its_part() -> None:
    rows = [
        Row(0, 1, "1", ["事業名", "実績"]),
        Row(1, 2, "2", ["研修", "開催した。", "欄外"]),  # a cell past the header's columns
        Row(2, 3, "3", ["講座"]),
        Row(3, 1, "S2!1", ["別表", "x"], part="S2"),  # another sheet: not under the header
    ]
    doc = SourceDoc("a.xlsx", Path("a.xlsx"), "utf-8", rows)
    header = Header(0, [Column("item", None, "事業名"), Column("status", 2024, "実績")], [1.0, 1.0])
    assert [row["cells"] for row in column_account(doc, [header])] == [2, 1]
