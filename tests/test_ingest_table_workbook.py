"""The table reader on workbooks: every worksheet is its own table.

A sheet's header never applies to the rows of a later sheet: a 「メモ」 sheet of free text after
the table sheet is skipped as ``no_header`` (counted, not read as items), and a later sheet with
its own header reads under that header.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from pipeline.ingest import Tables, read

HEADER = ["実施内容", "担当課", "令和2年度実施状況", "令和3年度実施状況"]
TABLE = [
    HEADER,
    ["1 ゲートキーパー研修", "健康課", "研修を2回開催した。", "研修を3回開催した。"],
    ["2 相談窓口の周知", "福祉課", "リーフレットを配布した。", "市報に掲載した。"],
]
MEMO = [
    ["確認事項", "研修の回数を各課に確認する"],
    ["健康課", "来週までに回答をもらう"],
    ["", "公表前に委員会へ報告"],
]


def _workbook(tmp_path: Path, sheets: dict[str, list[list[str]]]) -> Path:
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([cell or None for cell in row])
    path = tmp_path / "plan.xlsx"
    book.save(path)
    return path


@pytest.fixture()
def with_memo(tmp_path: Path) -> Tables:
    return read([_workbook(tmp_path, {"進捗状況": TABLE, "メモ": MEMO})])


def test_ingest_table_workbook_memo_sheet_rows_are_not_entries(with_memo: Tables) -> None:
    entries = with_memo.entries
    assert sorted(set(entries["item"])) == ["ゲートキーパー研修", "相談窓口の周知"]
    assert len(entries) == 4  # 2 items x 2 years, all from sheet 1
    assert not entries["division"].str.contains("確認事項|来週").any()
    texts = entries[["status", "evaluation", "rating", "plan"]].stack()
    assert not texts.str.contains("確認する|回答をもらう|委員会へ報告").any()


def test_ingest_table_workbook_memo_sheet_rows_are_skipped(with_memo: Tables) -> None:
    skips = dict(zip(with_memo.skips["reason"], with_memo.skips["lines"], strict=True))
    assert skips == {"header": 1, "no_header": 3}
    assert with_memo.repairs.empty  # skipped with a reason, not left unplaced
    report = with_memo.report.iloc[0]
    assert (report["lines_used"], report["lines_skipped"]) == (2, 4)


def test_ingest_table_workbook_later_sheet_reads_under_its_own_header(tmp_path: Path) -> None:
    # sheet 2 prints its columns in another order: its rows follow its header, not sheet 1's
    second = [
        ["担当課", "実施内容", "令和3年度実施状況"],
        ["子育て支援課", "3 子育て相談", "相談会を4回開催した。"],
    ]
    tables = read([_workbook(tmp_path, {"進捗状況": TABLE, "子ども": second})])
    row = tables.entries[tables.entries["item"] == "子育て相談"]
    assert row[["item_no", "division", "fiscal_year", "status"]].values.tolist() == [
        ["3", "子育て支援課", 2021, "相談会を4回開催した。"]
    ]
    skips = dict(zip(tables.skips["reason"], tables.skips["lines"], strict=True))
    assert skips == {"header": 1, "repeated_header": 1}
