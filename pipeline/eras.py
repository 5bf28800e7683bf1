"""Japanese era years to Western fiscal years.

Example:
    >>> era_year("令和２年度実施状況")
    2020
    >>> era_year("H30")
    2018
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

ERA_BASE: dict[str, int] = {
    "令和": 2018,
    "R": 2018,
    "平成": 1988,
    "H": 1988,
    "昭和": 1925,
    "S": 1925,
}

_ERA_RE = re.compile(r"(令和|平成|昭和|(?<![A-Za-z])[RHS](?=\d))\s*(元|\d{1,2})(?:年度?)?")


def era_years(text: str) -> list[int]:
    """All era years named in ``text``, in order, as Western years.

    Example:
        >>> era_years("今後(令和3年度以降)の実施計画 令和元年度")
        [2021, 2019]
    """
    folded = unicodedata.normalize("NFKC", text)
    years = []
    for match in _ERA_RE.finditer(folded):
        number = 1 if match.group(2) == "元" else int(match.group(2))
        years.append(ERA_BASE[match.group(1)] + number)
    return years


def era_year(text: str) -> int | None:
    """The first era year named in ``text``, or None.

    Example:
        >>> era_year("令和元年度") , era_year("実施状況")
        (2019, None)
    """
    years = era_years(text)
    return years[0] if years else None


_YEAR_WORDS_RE = re.compile(r"(19|20)\d\d\s*年度?|年度")
_WESTERN_RE = re.compile(r"(?<!\d)(19[89]\d|20\d\d)\s*年度?")


def without_years(text: str) -> str:
    """``text`` (NFKC) with its era and Western years and 年度 taken out.

    Example:
        >>> without_years("令和６年度 健康計画（2024年度）")
        ' 健康計画()'
    """
    folded = _ERA_RE.sub("", unicodedata.normalize("NFKC", text))
    return _YEAR_WORDS_RE.sub("", folded)


def printed_year(
    text: str, relative: Mapping[str, int] | None = None, current: int | None = None
) -> int | None:
    """The fiscal year a label prints: an era year, a Western year (2024年度), or a relative
    word (前年度) read against ``current``, the sheet's evaluation year; None if none.

    Example:
        >>> printed_year("2024年度実績"), printed_year("R6"), printed_year("実施状況")
        (2024, 2024, None)
        >>> printed_year("前年度実績", {"前年度": -1}, current=2025)
        2024
    """
    folded = unicodedata.normalize("NFKC", text)
    found = era_year(folded)
    if found is not None:
        return found
    western = _WESTERN_RE.search(folded)
    if western:
        return int(western.group(1))
    if current is None or not relative:
        return None
    # the longest word wins: 前々年度 before 前年度
    for word in sorted(relative, key=len, reverse=True):
        if word in folded:
            return current + relative[word]
    return None


def era_label(year: int | None) -> str:
    """A fiscal year the way the documents print it (the inverse of ``era_year``).

    Example:
        >>> era_label(2019), era_label(2024), era_label(2018), era_label(None)
        ('令和元年度', '令和6年度', '平成30年度', '')
    """
    if year is None or year != year:  # None or NaN
        return ""
    year = int(year)
    era, base = (
        ("令和", ERA_BASE["令和"]) if year > ERA_BASE["令和"] else ("平成", ERA_BASE["平成"])
    )
    number = year - base
    return f"{era}{'元' if number == 1 else number}年度"
