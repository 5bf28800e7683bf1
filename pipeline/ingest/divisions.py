"""Split a printed row whose division cell names several divisions into one row per division.

001 prints ``地域福祉課(関係各課) 自立生活支援課 介護福祉課`` in one 担当課 cell, ``B A A`` in the
rating cell and each division's paragraph run together in the narrative cells. When the
narrative splits the same way (【課名】 or （課名） markers naming the divisions, or exactly as many
space-separated paragraphs as divisions) and the rating holds one rating per division, each
division becomes its own row sharing the item; otherwise the row stays one and the reason is
given (``Split.reason``), so a reviewer knows why the division was not separated.

Example:
    >>> from pipeline.ingest.base import ItemRow
    >>> from pipeline.ingest.cells import CellShapes
    >>> row = ItemRow("70", "指導強化", division="福祉課 介護課",
    ...               years={2024: {"status": "検査を1件実施した。 検査を7件実施した。",
    ...                             "rating": "B A"}})
    >>> rows = split_row(row, CellShapes.load()).rows
    >>> [(part.division, part.years[2024]["rating"]) for part in rows]
    [('福祉課', 'B'), ('介護課', 'A')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipeline.ingest.base import ItemRow
from pipeline.ingest.cells import CellShapes, fold, preview

_SPACE_RE = re.compile(r"[ \u3000]+")
_NOTE_RE = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")
_MARKER_RE = re.compile(r"[【(（](?P<name>[^】()（）]{1,40})[】)）]")
_OPENING = "(（【"
_NARRATIVE = ("status", "evaluation", "plan")


@dataclass(frozen=True)
class Split:
    """The rows a printed row became (one when it was not split) and, when a row naming several
    divisions was kept whole, why (Japanese, for the parse report)."""

    rows: list[ItemRow]
    reason: str = ""


def division_names(cell: str, shapes: CellShapes) -> list[str]:
    """The divisions a 担当課 cell names, each with its printed note.

    Example:
        >>> division_names("地域福祉課(関係各課) 自立生活支援課", CellShapes.load())
        ['地域福祉課(関係各課)', '自立生活支援課']
        >>> division_names("社会福祉協議会 (地域福祉課)", CellShapes.load())
        ['社会福祉協議会 (地域福祉課)']
    """
    names: list[str] = []
    for name in _SPACE_RE.split(cell.strip()):
        if names and name[:1] in _OPENING:
            names[-1] = f"{names[-1]} {name}"  # 社会福祉協議会 (地域福祉課): a note, not a division
        elif name:
            names.append(name)
    if len(names) > 1 and all(shapes.is_kind(name, "division") for name in names):
        return names
    return [cell.strip()] if cell.strip() else []


def split_row(item: ItemRow, shapes: CellShapes) -> Split:
    """One row per division when every year's rating and narrative split the same way.

    Example:
        >>> from pipeline.ingest.base import ItemRow
        >>> row = ItemRow("1", "相談", division="福祉課 介護課", years={2024: {"rating": "A"}})
        >>> split = split_row(row, CellShapes.load())
        >>> len(split.rows), split.reason[:32]
        (1, '担当課欄に2課（福祉課・介護課）がありますが、2024年度の評価')
    """
    names = division_names(item.division, shapes)
    if len(names) < 2:
        return Split([item])
    per_division: list[dict[int, dict[str, str]]] = [{} for _ in names]
    for year, fields in sorted(item.years.items()):
        for field, text in fields.items():
            parts = _split_field(field, text, names, shapes)
            if parts is None:
                label = "評価" if field == "rating" else "文章"
                where = f"{year}年度の{label}「{preview(text)}」"
                return Split([item], _kept(names, where))
            for target, part in zip(per_division, parts, strict=True):
                if part:
                    target.setdefault(year, {})[field] = part
    rows = [
        replace(item, division=name, years=years)
        for name, years in zip(names, per_division, strict=True)
    ]
    return Split(rows)


def _split_field(field: str, text: str, names: list[str], shapes: CellShapes) -> list[str] | None:
    """The text of each division, or None when the cell does not split into ``len(names)``."""
    if not text.strip():
        return [""] * len(names)
    if field == "rating":
        ratings = _SPACE_RE.split(fold(text))
        fits = len(ratings) == len(names) and all(shapes.is_kind(r, "rating") for r in ratings)
        return ratings if fits else None
    if field not in _NARRATIVE:
        return None
    return _by_markers(text, names) or _by_paragraphs(text, len(names))


def _by_markers(text: str, names: list[str]) -> list[str] | None:
    """Segments opened by 【課名】 / （課名） markers, one per division in the cell's order."""
    bases = [_NOTE_RE.sub("", name) for name in names]
    starts = [m for m in _MARKER_RE.finditer(text) if _NOTE_RE.sub("", m.group("name")) in bases]
    if len(starts) != len(names) or text[: starts[0].start()].strip():
        return None
    ends = [m.start() for m in starts[1:]] + [len(text)]
    segments = {
        _NOTE_RE.sub("", m.group("name")): text[m.start() : end].strip()
        for m, end in zip(starts, ends, strict=True)
    }
    if sorted(segments) != sorted(bases):
        return None
    return [segments[base] for base in bases]


def _by_paragraphs(text: str, count: int) -> list[str] | None:
    """Space-separated paragraphs, a bracketed note joining the paragraph before it."""
    paragraphs: list[str] = []
    for piece in _SPACE_RE.split(text.strip()):
        if paragraphs and piece[0] in _OPENING:
            paragraphs[-1] = f"{paragraphs[-1]} {piece}"
        else:
            paragraphs.append(piece)
    return paragraphs if len(paragraphs) == count else None


def _kept(names: list[str], where: str) -> str:
    listed = "・".join(names)
    return (
        f"担当課欄に{len(names)}課（{listed}）がありますが、{where}が課ごとに分かれていないため、"
        "1件のまま読みました"
    )
