"""Decoding and row loading: encodings, containers and bad input give clear errors."""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from pipeline.ingest.sources import ReadError, decode, load_rows

TEXT = (
    "計画における項目\t実施内容\t担当課\t令和2年度実施状況\n"
    "(1) 支援\t1 研修\t健康課\t研修を実施した。\n"
)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("cp932"), "cp932"),
        (TEXT.encode("utf-16"), "utf-16"),
    ],
)
def test_sources_decode_detects_encoding(data: bytes, encoding: str) -> None:
    text, chosen = decode(data, "x.tsv")
    assert chosen == encoding
    assert text.lstrip("\ufeff") == TEXT


def test_sources_decode_refuses_empty_file() -> None:
    with pytest.raises(ReadError, match=r"x\.txt: the file is empty"):
        decode(b"  \n", "x.txt")


def test_sources_decode_refuses_binary() -> None:
    with pytest.raises(ReadError, match="binary"):
        decode(bytes(range(256)) * 4, "x.txt")


def test_sources_decode_truncated_utf8_names_file() -> None:
    data = TEXT.encode("utf-8") + "課".encode()[:2]
    text, encoding = decode(data, "x.txt")
    assert encoding == "utf-8 (truncated at the end)"
    assert text == TEXT


def test_sources_crlf_lines_are_split_like_lf(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(TEXT.replace("\n", "\r\n").encode("utf-8"))
    doc = load_rows(path)
    assert [row.cells[-1] for row in doc.rows] == ["令和2年度実施状況", "研修を実施した。"]
    assert doc.lines_read == 2


def test_sources_csv_quoted_cell_spans_lines(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text('担当課,実施状況\n健康課,"一行目\n二行目"\n福祉課,研修\n', encoding="utf-8")
    doc = load_rows(path)
    assert [row.line for row in doc.rows] == [1, 2, 4]
    assert doc.rows[1].cells[1] == "一行目\n二行目"
    assert doc.lines_read == 4


def test_sources_xlsx_rows_are_referenced_by_sheet_and_row(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "R3"
    sheet.append(["担当課", "実施状況"])
    sheet.append(["健康課", 100])
    path = tmp_path / "t.xlsx"
    book.save(path)
    doc = load_rows(path)
    assert doc.encoding == "xlsx"
    assert [row.ref for row in doc.rows] == ["R3!1", "R3!2"]
    assert doc.rows[1].cells == ["健康課", "100"]


def test_sources_xlsx_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not excel")
    with pytest.raises(ReadError, match=r"fake\.xlsx: not a readable Excel workbook"):
        load_rows(path)


def test_sources_xlsx_corrupt_bytes(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(ReadError, match=r"broken\.xlsx"):
        load_rows(path)


def test_sources_xlsx_row_cap_refuses_runaway_sheet(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for number in range(30):
        sheet.append([f"行{number}", "x"])
    path = tmp_path / "big.xlsx"
    book.save(path)
    with pytest.raises(ReadError, match=r"big\.xlsx: Sheet!21: workbook larger than the limit"):
        load_rows(path, max_rows=20)


@pytest.mark.parametrize(
    ("name", "message"),
    [("missing.txt", "no such file"), ("notes.docx", "unsupported file type")],
)
def test_sources_bad_paths_name_the_file(tmp_path: Path, name: str, message: str) -> None:
    path = tmp_path / name
    if name.endswith(".docx"):
        path.write_bytes(b"x")
    with pytest.raises(ReadError, match=message):
        load_rows(path)


def test_sources_password_protected_workbook_is_named(tmp_path: Path) -> None:
    # Excel saves an encrypted workbook as an OLE compound file, not as a zip archive.
    path = tmp_path / "locked.xlsx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504)
    with pytest.raises(ReadError, match=r"locked\.xlsx: not an Excel workbook \(password"):
        load_rows(path)


def test_sources_csv_unbalanced_quote_is_named(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text('担当課,実施状況\n健康課,"研修を\n福祉課,相談\n', encoding="utf-8")
    with pytest.raises(ReadError, match=r"broken\.csv:2: broken CSV quoting"):
        load_rows(path)


def test_sources_csv_cell_larger_than_the_csv_module_default(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text('担当課,実施状況\n健康課,"' + "研" * 200_000 + '"\n', encoding="utf-8")
    assert len(load_rows(path).rows[1].cells[1]) == 200_000


def test_sources_lone_carriage_return_stays_in_its_cell(tmp_path: Path) -> None:
    path = tmp_path / "t.tsv"
    path.write_bytes("担当課\t実施状況\n健康課\t研修\r続き\n".encode())
    doc = load_rows(path)
    assert [row.cells for row in doc.rows] == [["担当課", "実施状況"], ["健康課", "研修\r続き"]]


def test_sources_xlsx_shows_values_as_formatted(tmp_path: Path) -> None:
    import datetime

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["達成度", "日付", "回数"])
    sheet.append([1, datetime.date(2021, 4, 1), 45])
    sheet["A2"].number_format = "0%"
    path = tmp_path / "t.xlsx"
    book.save(path)
    assert load_rows(path).rows[1].cells == ["100%", "2021-04-01", "45"]
    assert load_rows(path).rows[1].part == "Sheet"
