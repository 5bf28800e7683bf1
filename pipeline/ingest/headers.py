"""Recognise table headers from their labels and era years (``lexicons/headers.tsv``).

No reader holds per-file column indexes: a column is known by its label, so a sixth city's
table with similar labels reads the same way.

Example:
    >>> rules = HeaderRules.load()
    >>> [(c.field, c.year) for c in rules.columns(["令和２年度実施状況", "達成度（％）"])]
    [('status', 2020), ('rating', 2020)]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.eras import era_year
from pipeline.lexicons import LexiconError, Lexicons

_SPACE_RE = re.compile(r"\s+")
_ASCII_SPACE_RE = re.compile(r"[ \t]+")
_TAG_RE = re.compile(r"<[^>]*>")
YEAR_RULES = ("label", "next", "inherit", "none")


@dataclass(frozen=True)
class Column:
    """What one header cell means: a field and, for yearly fields, the fiscal year."""

    field: str
    year: int | None
    label: str


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    field: str
    year: str


def label_key(label: str) -> str:
    """The form a label is matched in: tags dropped, NFKC, no spaces.

    Example:
        >>> label_key("<b>令和２年度　実施状況</b>")
        '令和2年度実施状況'
    """
    return _SPACE_RE.sub("", unicodedata.normalize("NFKC", _TAG_RE.sub("", label)))


_MEMO_CHARS = 40
"""Only labels this short are remembered: header labels and the short cells that repeat
(実施, 100%, division names); long narrative cells are looked up once and forgotten, so the
memo stays small however large the corpus."""


@dataclass(frozen=True)
class HeaderRules:
    """The header lexicon, compiled."""

    rules: tuple[_Rule, ...]
    min_labels: int = 3
    """A row (or a line of running text) is a header when it holds this many known labels."""
    memo: dict[str, _Rule | None] = field(default_factory=dict, compare=False, repr=False)
    """The rule found for each short label text seen (every row is tried as a header)."""

    @classmethod
    def load(cls, lexicons: Lexicons | None = None) -> HeaderRules:
        """Compile ``headers.tsv``; a bad regex or year rule is a LexiconError naming it."""
        lex = lexicons or Lexicons()
        compiled = []
        for row in lex.table("headers"):
            if row["year"] not in YEAR_RULES:
                raise LexiconError(f"headers.tsv: year rule {row['year']!r} not in {YEAR_RULES}")
            try:
                pattern = re.compile(row["pattern"])
            except re.error as error:
                raise LexiconError(
                    f"headers.tsv: bad pattern {row['pattern']!r}: {error}"
                ) from None
            compiled.append(_Rule(pattern, row["field"], row["year"]))
        return cls(tuple(compiled), int(lex.settings["ingest"]["min_header_labels"]))

    def match(self, label: str) -> _Rule | None:
        """The first rule whose pattern is found in the label, or None.

        Example:
            >>> HeaderRules.load().match("計画書ページ").field
            'page'
        """
        if label in self.memo:
            return self.memo[label]
        key = label_key(label)
        found = (
            next((rule for rule in self.rules if rule.pattern.search(key)), None) if key else None
        )
        if len(label) <= _MEMO_CHARS:
            self.memo[label] = found
        return found

    def count_labels(self, cells: Sequence[str]) -> int:
        """How many cells of a row are known header labels.

        Example:
            >>> HeaderRules.load().count_labels(["担当部署", "担当課", "令和2年度実施状況", "x"])
            3
        """
        return sum(self.match(cell) is not None for cell in cells)

    def labels_in_line(self, text: str) -> list[str]:
        """Header labels inside one line of running text (PDF layout text), in order.

        The line is split at ASCII spaces. An unknown word is joined to the next one when the
        pair is a label and the next word is not one by itself, or when the unknown word prints
        an era year (``令和２年度 実施状況``); other unknown words are dropped.

        Example:
            >>> HeaderRules.load().labels_in_line("担当課 令和２年度 実施状況 備考 達成度（％）")
            ['担当課', '令和２年度 実施状況', '達成度（％）']
        """
        labels: list[str] = []
        pending = ""
        for word in _ASCII_SPACE_RE.split(text.strip()):
            alone = self.match(word) is not None
            joined = f"{pending} {word}"
            if pending and (not alone or era_year(pending) is not None) and self.match(joined):
                labels.append(joined)
                pending = ""
            elif alone:
                labels.append(word)
                pending = ""
            else:
                pending = word
        return labels

    def columns(self, cells: Sequence[str]) -> list[Column]:
        """The meaning of each cell of a header row, years resolved left to right.

        Unknown labels become field ``unknown``. ``inherit`` takes the year of the nearest
        column to the left that has one.

        Example:
            >>> cols = HeaderRules.load().columns(["今後(令和3年度以降)の実施計画"])
            >>> (cols[0].field, cols[0].year)
            ('plan', 2020)
        """
        columns: list[Column] = []
        last_year: int | None = None
        for cell in cells:
            rule = self.match(cell)
            if rule is None:
                columns.append(Column("unknown", None, cell))
                continue
            year = _resolve_year(rule.year, label_key(cell), last_year)
            if year is not None:
                last_year = year
            columns.append(Column(rule.field, year, cell))
        return columns


def _resolve_year(rule: str, key: str, last_year: int | None) -> int | None:
    if rule == "none":
        return None
    printed = era_year(key) if rule in ("label", "next") else None
    if printed is None:
        return last_year
    return printed - 1 if rule == "next" else printed
