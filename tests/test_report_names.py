"""File and sheet names made from division names stay inside their folder and are unique."""

from __future__ import annotations

import pytest

from pipeline.report.names import FILE_MAX_BYTES, SHEET_MAX, safe_file_name, safe_sheet_name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("健康課", "健康課"),
        ("../../etc/passwd", "____etc_passwd"),  # '..' and separators never survive
        ("企画課\\総務", "企画課_総務"),
        ("地域福祉課(関係各課)", "地域福祉課(関係各課)"),
        ("課\x00名\x1f", "課_名_"),
        ("CON", "_CON"),  # reserved on Windows, with or without an extension
        ("lpt1.txt", "_lpt1.txt"),
        (" .隠し. ", "隠し"),
        ("", "_"),
        ("...", "_"),
        ('a<b>c:"d"|e?f*', "a_b_c__d__e_f_"),
    ],
)
def test_report_names_file_name_is_safe(name: str, expected: str) -> None:
    assert safe_file_name(name, set()) == expected


def test_report_names_file_name_is_unique_ignoring_case() -> None:
    taken: set[str] = set()
    names = [safe_file_name(n, taken) for n in ["健康課", "健康課", "Kenko", "kenko", "健康課"]]
    assert names == ["健康課", "健康課_2", "Kenko", "kenko_2", "健康課_3"]


def test_report_names_file_name_is_cut_to_bytes_and_stays_unique() -> None:
    taken: set[str] = set()
    long_name = "地域福祉課" * 40
    first, second = safe_file_name(long_name, taken), safe_file_name(long_name, taken)
    assert len(first.encode("utf-8")) <= FILE_MAX_BYTES
    assert len(second.encode("utf-8")) <= FILE_MAX_BYTES
    assert second.endswith("_2") and first != second
    assert long_name.startswith(first)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("健康課", "健康課"),
        ("[企画]:課*?/\\", "_企画__課____"),
        ("'引用'", "引用"),
        ("", "Sheet"),
        ("History", "History_2"),  # Excel reserves History
    ],
)
def test_report_names_sheet_name_is_valid(name: str, expected: str) -> None:
    assert safe_sheet_name(name, set()) == expected


def test_report_names_sheet_name_is_short_and_unique_ignoring_case() -> None:
    taken: set[str] = set()
    long_name = "地域福祉課(関係各課) 自立生活支援課 介護福祉課 福祉総務課"
    first, second = safe_sheet_name(long_name, taken), safe_sheet_name(long_name, taken)
    assert len(first) == SHEET_MAX and len(second) == SHEET_MAX
    assert second.endswith("_2") and first != second
    assert safe_sheet_name("abc", taken) == "abc"
    assert safe_sheet_name("ABC", taken) == "ABC_2"
