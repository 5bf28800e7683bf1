"""Content classes of cells (``lexicons/cell_patterns.tsv``): page, department, division, rating...

Readers use them to align cells that an extraction shifted (a rating lands in a rating column,
a department name ending in 部 in the department column) and to tell headings from data.

Example:
    >>> shapes = CellShapes.load()
    >>> shapes.kind_of("P.43"), shapes.kind_of("福祉保健部"), shapes.kind_of("１００％")
    ('page', 'department', 'rating')
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.lexicons import LexiconError, Lexicons

_TAG_RE = re.compile(r"</?[A-Za-z][^>]*>")
_LEADING_NO_RE = re.compile(r"^\s*(\d{1,3})\s*[\s　.．、)）]\s*(?=\S)")


def strip_tags(text: str) -> str:
    """Remove HTML tags such as ``<p>`` and ``<b>``; the text is otherwise kept as written.

    Example:
        >>> strip_tags("<p>基本目標</p>")
        '基本目標'
    """
    return _TAG_RE.sub("", text) if "<" in text else text  # most cells hold no tag


MEMO_CHARS = 40
"""Only texts this short are remembered: header labels and the short cells that repeat
(実施, 100%, division names); long narrative cells are worked on once and forgotten, so a memo
stays small however large the corpus."""


def fold(text: str) -> str:
    """NFKC and stripped: the form cells are classified in (stored text is not changed).

    Example:
        >>> fold(" Ｐ．４３ ")
        'P.43'
    """
    return _fold_short(text) if len(text) <= MEMO_CHARS else _folded(text)


@lru_cache(maxsize=32_768)  # a cell is folded by each check that reads it (class, echo, copy)
def _fold_short(text: str) -> str:
    """``fold`` of a short cell, remembered."""
    return _folded(text)


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


PREVIEW_CHARS = 20


def preview(text: str) -> str:
    """The first characters of a cell for a repair message, on one line, with … when cut.

    Example:
        >>> preview("令和6年度は、市内の社会福祉法人のうち、1法人に対して")
        '令和6年度は、市内の社会福祉法人のうち、…'
    """
    flat = " ".join(text.split())
    return flat if len(flat) <= PREVIEW_CHARS else flat[:PREVIEW_CHARS] + "…"


def split_item_no(text: str) -> tuple[str, str]:
    """Split a leading item number from an item name: ``('2', '地域福祉ネットワーク支援事業')``.

    Example:
        >>> split_item_no("２　地域福祉ネットワーク支援事業")
        ('2', '地域福祉ネットワーク支援事業')
        >>> split_item_no("ゆりの会")
        ('', 'ゆりの会')
    """
    folded = unicodedata.normalize("NFKC", text)
    match = _LEADING_NO_RE.match(folded)
    if not match:
        return "", text.strip()
    return match.group(1), folded[match.end() :].strip()


MEMO_CELLS = 50_000
"""Cell texts whose class is remembered at most (the memo outlives one file)."""


@dataclass(frozen=True)
class CellShapes:
    """The compiled content classes; ``memo`` keeps the class of each cell text seen (tables
    repeat their cells: ``実施``, ``100%``, division names), filled by ``align.cell_class``."""

    patterns: dict[str, re.Pattern[str]]
    memo: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def load(cls, lexicons: Lexicons | None = None) -> CellShapes:
        """Compile ``cell_patterns.tsv`` (rows of one kind are OR-ed); the files read with one
        Lexicons share the compiled shapes and their memo.

        Example:
            >>> lexicons = Lexicons()
            >>> CellShapes.load(lexicons) is CellShapes.load(lexicons)
            True
        """
        rows = (lexicons or Lexicons()).table("cell_patterns")
        if _LOADED and _LOADED[0][0] is rows:
            return _LOADED[0][1]
        grouped: dict[str, list[str]] = {}
        for row in rows:
            grouped.setdefault(row["kind"], []).append(f"(?:{row['pattern']})")
        try:
            shapes = cls({kind: re.compile("|".join(alts)) for kind, alts in grouped.items()})
        except re.error as error:
            raise LexiconError(f"cell_patterns.tsv: bad pattern: {error}") from None
        _LOADED[:] = [(rows, shapes)]
        return shapes

    def remember(self, text: str, kind: str) -> str:
        """Keep the class of a cell text (the memo is emptied when it holds ``MEMO_CELLS``)."""
        if len(self.memo) >= MEMO_CELLS:
            self.memo.clear()
        self.memo[text] = kind
        return kind

    def is_kind(self, text: str, kind: str) -> bool:
        """Whether the whole cell has the content class ``kind``.

        Example:
            >>> CellShapes.load().is_kind("健康課", "division")
            True
        """
        return self.folded_is(fold(text), kind)

    def folded_is(self, folded: str, kind: str) -> bool:
        """``is_kind`` for a text already folded (``fold``): folding is not done twice.

        Example:
            >>> CellShapes.load().folded_is(fold("Ｐ．４３"), "page")
            True
        """
        pattern = self.patterns.get(kind)
        return bool(pattern and pattern.fullmatch(folded))

    def kind_of(self, text: str) -> str:
        """The first content class the cell has, or ``text``/``empty``.

        Example:
            >>> CellShapes.load().kind_of("研修会の記録")
            'text'
        """
        folded = fold(text)
        if not folded:
            return "empty"
        for kind, pattern in self.patterns.items():
            if pattern.fullmatch(folded):
                return kind
        return "text"


_LOADED: list[tuple[list[dict[str, str]], CellShapes]] = []
"""The shapes compiled last, with the lexicon rows they came from (kept alive, so the
identity test in ``CellShapes.load`` cannot be fooled by a reused id)."""
