"""Small tables in shapes the samples do not have, written as files the way offices save them."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

WIDE = [
    ["事業名", "担当課", "令和4年度実績", "評価", "令和5年度実績", "評価", "今後の方向性"],
    [
        "健康教室",
        "健康課",
        "教室を12回開催した。",
        "A",
        "教室を12回開催した。",
        "A",
        "継続して開催する。",
    ],
    [
        "出前講座",
        "生涯学習課",
        "講座を5回開催した。",
        "B",
        "講座を8回開催した。",
        "A",
        "内容を見直す。",
    ],
    [
        "相談窓口",
        "福祉課",
        "相談を120件受けた。",
        "A",
        "相談を98件受けた。",
        "B",
        "周知を強化する。",
    ],
]
"""A wide table of another city: 事業名 / 担当課 / 令和4年度実績 / 評価 / … / 今後の方向性."""


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    """A CSV file the way Excel saves one (every row as wide as the widest)."""
    width = max(len(row) for row in rows)
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows([row + [""] * (width - len(row)) for row in rows])
    return path


def write_xlsx(path: Path, rows: list[list[str]], title: str = "評価") -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path
