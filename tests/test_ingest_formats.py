"""The same table as TSV, CP932 CSV and XLSX gives the same entries; bad files are named."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from pipeline.cli import main
from pipeline.ingest import read

SAMPLE = Path(__file__).parents[1] / "data" / "samples" / "002_fb856b526bbf0244.txt"
COMPARED = [
    "item_no",
    "section",
    "item",
    "department",
    "division",
    "page",
    "fiscal_year",
    "status",
    "evaluation",
    "rating",
    "plan",
]


def _rows() -> list[list[str]]:
    return [line.split("\t") for line in SAMPLE.read_text(encoding="utf-8").splitlines()]


def _same_entries(other: Path) -> None:
    original = read([SAMPLE]).entries[COMPARED]
    converted = read([other]).entries[COMPARED]
    assert len(original) > 0
    pd.testing.assert_frame_equal(original, converted)


def test_formats_cp932_csv_reads_like_the_original(tmp_path: Path) -> None:
    path = tmp_path / "002.csv"
    with path.open("w", encoding="cp932", errors="strict", newline="") as handle:
        csv.writer(handle).writerows(_rows())
    _same_entries(path)
    assert read([path]).report.loc[0, "encoding"] == "cp932"


def test_formats_xlsx_reads_like_the_original(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in _rows():
        sheet.append([cell if cell else None for cell in row])
    path = tmp_path / "002.xlsx"
    book.save(path)
    _same_entries(path)


def test_formats_utf16_with_crlf_reads_like_the_original(tmp_path: Path) -> None:
    path = tmp_path / "002.txt"
    path.write_bytes(SAMPLE.read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-16"))
    _same_entries(path)


def test_formats_unrecognised_header_is_named(tmp_path: Path) -> None:
    path = tmp_path / "memo.txt"
    path.write_text("買い物リスト\n牛乳\n卵\n", encoding="utf-8")
    tables = read([path])
    assert tables.entries.empty
    assert tables.errors == [
        "memo.txt: no recognisable table header (expected labels such as 実施内容, "
        "担当課, 令和N年度実施状況; see lexicons/headers.tsv)"
    ]


def test_formats_folder_with_good_and_bad_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "good.txt").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    out = tmp_path / "out"
    code = main(["parse", str(tmp_path), "--out", str(out)])
    assert code == 1
    assert "bad.txt: binary data" in capsys.readouterr().err
    entries = pd.read_csv(out / "entries.csv", encoding="utf-8-sig")
    assert set(entries["source"]) == {"good.txt"}


def test_formats_nothing_readable_exits_3(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    assert main(["parse", str(tmp_path), "--out", str(tmp_path / "out")]) == 3


def test_formats_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    out = capsys.readouterr().out
    assert "parse" in out
    assert "exit codes" in out
