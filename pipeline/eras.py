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
