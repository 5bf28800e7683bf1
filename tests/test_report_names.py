"""File and sheet names made from division names stay inside their folder and are unique."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from pipeline.report.names import (
    FILE_MAX_BYTES,
    SHEET_MAX,
    _unique,
    safe_file_name,
    safe_sheet_name,
)


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


def _plain_unique(name: str, taken: set[str], fits: Callable[[str], bool], strip: str) -> str:
    """The names as first written: shortened one character at a time for every number tried."""

    def shorten(suffix: str) -> str:
        stem = name
        while len(stem) > 1 and not fits(stem + suffix):
            stem = stem[:-1]
        return (stem.rstrip(strip) or stem) + suffix

    candidate, number = shorten(""), 1
    while candidate.casefold() in taken:
        number += 1
        candidate = shorten(f"_{number}")
    taken.add(candidate.casefold())
    return candidate


def test_report_names_same_names_as_shortening_one_character_at_a_time() -> None:
    """Many plans with the same long titles (a national corpus) get the names the plain search
    gives, for file names (UTF-8 bytes) and sheet names (characters), spaces and dots at the
    cut included."""
    rng = random.Random(7)
    alphabet = "健康課 .子育て支援ABCab _'"
    titles = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 90))) for _ in range(40)]
    rules: list[tuple[Callable[[str], bool], str]] = [
        (lambda text: len(text.encode("utf-8")) <= FILE_MAX_BYTES, " ."),
        (lambda text: len(text) <= SHEET_MAX, " '"),
    ]
    for fits, strip in rules:
        taken: set[str] = set()
        plain: set[str] = set()
        for title in [rng.choice(titles) for _ in range(600)]:
            assert _unique(title, taken, fits, strip) == _plain_unique(title, plain, fits, strip)
        assert taken == plain and all(fits(name) for name in taken)
