"""Layout reader 'single_year': one row per item and one year of narrative (事務事業評価シート).

A city's 事務事業評価 sheet prints, for one evaluation year, 事務事業名 | 部課名 | 前年度実績 |
今年度計画 | ①妥当性 | 理由 | … | 改革改善の方向性 | 課題と解決策 | 課長等意見, often 200 columns
wide with indicator values per year. It is read as a delimited table (``table.py``) with what
the header rules already know: 前年度 / 今年度 against the sheet's evaluation year (from its
title or the sheet's name), a rating followed by its 理由 read as its evaluation (several
ratings each under its label), the narrative no main field takes kept as ``other`` under its
own label, and a wide sheet read in its own grid. Its status and plan are one entry's:
今年度計画(R7) goes with 前年度実績(R6).

Example:
    >>> from pipeline.ingest.sources import Row, SourceDoc
    >>> from pathlib import Path
    >>> rows = [["令和7年度 事務事業評価シート"], [],
    ...         ["事務事業名", "部課名", "前年度実績", "今年度計画", "①妥当性", "理由"],
    ...         ["研修", "健康課", "研修を2回開催した。", "研修を3回開催する。",
    ...          "妥当である", "需要が高い。"]]
    >>> doc = SourceDoc("t.tsv", Path("t.tsv"), "utf-8",
    ...                 [Row(i, i + 1, str(i + 1), cells) for i, cells in enumerate(rows)])
    >>> result = parse(doc, HeaderRules.load(), Lexicons())
    >>> year = result.items[0].years[2024]
    >>> year["plan"], year["rating"], year["evaluation"]
    ('研修を3回開催する。', '妥当である', '需要が高い。')
"""

from __future__ import annotations

from pipeline.ingest import table
from pipeline.ingest.base import Layout, ParseResult, register
from pipeline.ingest.columns import header_rows, mapped_columns
from pipeline.ingest.headers import Column, HeaderRules
from pipeline.ingest.sources import SourceDoc
from pipeline.lexicons import Lexicons

HEADER_SCORE = 1.2
"""Above the wide reader (1.0), below a long table (1.5)."""
_DATED = ("status", "evaluation", "plan")


def score(doc: SourceDoc, rules: HeaderRules) -> float:
    """1.2 when a header row dates its narrative columns with at most one year, else 0.

    Example:
        >>> from pipeline.ingest.sources import Row
        >>> from pathlib import Path
        >>> cells = ["事務事業名", "部課名", "前年度実績", "今年度計画"]
        >>> score(SourceDoc("t", Path("t"), "utf-8", [Row(0, 1, "1", cells)]), HeaderRules.load())
        1.2
    """
    for row in header_rows(doc, rules):
        if is_single_year(mapped_columns(row, rules, doc.column_map)):
            return HEADER_SCORE
    return 0.0


def is_single_year(columns: list[Column]) -> bool:
    """No year column, a status column, and one year (or none printed) over the narrative.

    Example:
        >>> rules = HeaderRules.load()
        >>> is_single_year(rules.columns(["事業名", "令和4年度実績", "令和5年度実績"]))
        False
        >>> is_single_year(rules.columns(["事業名", "前年度実績", "今年度計画"]))
        True
    """
    fields = {column.field for column in columns}
    years = {column.year for column in columns if column.field in _DATED and column.year}
    return "year" not in fields and "status" in fields and len(years) <= 1


def parse(doc: SourceDoc, rules: HeaderRules, lexicons: Lexicons) -> ParseResult:
    """Read the sheet as a table; the layout is named for the parse report."""
    result = table.parse(doc, rules, lexicons)
    result.layout = "single_year"
    return result


LAYOUT = register(Layout("single_year", score, parse))
