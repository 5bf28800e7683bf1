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

from pipeline.eras import era_year, printed_year
from pipeline.ingest.cells import MEMO_CHARS
from pipeline.lexicons import LexiconError, Lexicons

_SPACE_RE = re.compile(r"\s+")
_ASCII_SPACE_RE = re.compile(r"[ \t]+")
_TAG_RE = re.compile(r"<[^>]*>")
YEAR_RULES = ("label", "next", "inherit", "none")


FIELDS: tuple[str, ...] = (
    "section",
    "section_code",
    "item",
    "item_no",
    "item_division",
    "description",
    "page",
    "department",
    "division",
    "relisted",
    "year",
    "status",
    "evaluation",
    "rating",
    "plan",
    "other",
    "reason",
    "indicator",
    "indicator_values",
    "opinion",
)
"""The fields a header label can name (``lexicons/headers.tsv``)."""


@dataclass(frozen=True)
class Column:
    """What one header cell means: a field and, for yearly fields, the fiscal year.

    ``alt`` is the field the column takes instead when its cells are short words (評価 holding
    A-D: ``evaluation``, alt ``rating``); ``rule`` is the year rule of its label.
    """

    field: str
    year: int | None
    label: str
    alt: str = ""
    rule: str = "none"


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    field: str
    year: str
    alt: str = ""


def label_key(label: str) -> str:
    """The form a label is matched in: tags dropped, NFKC, no spaces.

    Example:
        >>> label_key("<b>令和２年度　実施状況</b>")
        '令和2年度実施状況'
    """
    plain = _TAG_RE.sub("", label) if "<" in label else label
    return _SPACE_RE.sub("", unicodedata.normalize("NFKC", plain))


_COUNTS_KEPT = 20_000
_HEADERS_KEPT = 1_000
"""Header rows whose columns are remembered (a table prints its header again on every page,
and every yearly copy of a plan prints the same one); emptied when full."""


_GROUP_REFERENCE_RE = re.compile(r"\\\d|\(\?P=|\(\?\(")
"""A back-reference or a conditional group: numbered by position, so its pattern cannot be
joined with others."""


def _any_of(patterns: Sequence[re.Pattern[str]]) -> re.Pattern[str] | None:
    """One pattern found wherever any of ``patterns`` is found, or None when they cannot be
    joined (a back-reference, a flag that only leads a whole pattern).

    Example:
        >>> joined = _any_of([re.compile("^実績$"), re.compile("評価")])
        >>> [bool(joined.search(t)) for t in ["実績", "実績値", "自己評価"]]
        [True, False, True]
        >>> _any_of([re.compile(r"(a)\\1")]) is None
        True
    """
    if not patterns or any(_GROUP_REFERENCE_RE.search(p.pattern) for p in patterns):
        return None
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p in patterns))
    except re.error:
        return None


@dataclass(frozen=True)
class HeaderRules:
    """The header lexicon, compiled."""

    rules: tuple[_Rule, ...]
    min_labels: int = 3
    """A row (or a line of running text) is a header when it holds this many known labels."""
    label_chars: int = 40
    """Longer cells, and cells holding 。, are never labels."""
    label_share: float = 0.3
    """A header row's filled cells are at least this share known labels."""
    any_rule: re.Pattern[str] | None = field(init=False, compare=False, repr=False)
    """All the rules' patterns as one alternation (see ``_any_of``): a cell no rule matches,
    most cells of a table, is told by one search instead of one per rule. Derived from
    ``rules`` on creation, so ``dataclasses.replace(rules, rules=...)`` derives it again."""
    relative: dict[str, int] = field(default_factory=dict, compare=False)
    """Label words naming a year relative to the sheet's evaluation year (前年度: -1)."""
    memo: dict[str, _Rule | None] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )
    """The rule found for each short label text seen (every row is tried as a header)."""
    counts: dict[tuple[str, ...], tuple[int, int]] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )
    """Labels and filled cells counted per row (each layout's score and the reader ask for every
    row); emptied when it holds ``_COUNTS_KEPT`` rows, so it stays small however many files are
    read."""
    headers: dict[tuple[tuple[str, ...], tuple[str, ...], int | None], tuple[Column, ...]] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )
    """The columns read per (header row, group row, evaluation year): each layout's score and
    the reader ask again for every header printed again; bounded by ``_HEADERS_KEPT``. These
    three start empty in every copy (``dataclasses.replace`` too): they hold answers of the
    rules they were filled by."""

    @classmethod
    def load(cls, lexicons: Lexicons | None = None) -> HeaderRules:
        """Compile ``headers.tsv``; a bad regex or year rule is a LexiconError naming it."""
        lex = lexicons or Lexicons()
        compiled = []
        for row in lex.table("headers"):
            if row["year"] not in YEAR_RULES:
                raise LexiconError(f"headers.tsv: year rule {row['year']!r} not in {YEAR_RULES}")
            fields = row["field"].split("/")
            unknown = [name for name in fields if name not in FIELDS]
            if unknown or len(fields) > 2:
                raise LexiconError(f"headers.tsv: field {row['field']!r}: not one of {FIELDS}")
            try:
                pattern = re.compile(row["pattern"])
            except re.error as error:
                raise LexiconError(
                    f"headers.tsv: bad pattern {row['pattern']!r}: {error}"
                ) from None
            compiled.append(_Rule(pattern, fields[0], row["year"], "".join(fields[1:])))
        ingest = lex.settings["ingest"]
        return cls(
            tuple(compiled),
            int(ingest["min_header_labels"]),
            int(ingest["header_label_chars"]),
            float(ingest["header_label_share"]),
            relative={str(word): int(o) for word, o in ingest["relative_years"].items()},
        )

    def __post_init__(self) -> None:
        object.__setattr__(self, "any_rule", _any_of([rule.pattern for rule in self.rules]))

    def match(self, label: str) -> _Rule | None:
        """The first rule whose pattern is found in the label, or None.

        Example:
            >>> HeaderRules.load().match("計画書ページ").field
            'page'
        """
        if label in self.memo:
            return self.memo[label]
        if "。" in label and "<" not in label:  # a sentence is no label (its key keeps the 。)
            return None
        key = label_key(label)
        found = (
            next((rule for rule in self.rules if rule.pattern.search(key)), None)
            if key
            and len(key) <= self.label_chars
            and "。" not in key
            and (self.any_rule is None or self.any_rule.search(key))
            else None
        )
        if len(label) <= MEMO_CHARS:
            self.memo[label] = found
        return found

    def count_labels(self, cells: Sequence[str]) -> int:
        """How many cells of a row are known header labels.

        Example:
            >>> HeaderRules.load().count_labels(["担当部署", "担当課", "令和2年度実施状況", "x"])
            3
        """
        return self._counted(cells)[0]

    def _counted(self, cells: Sequence[str]) -> tuple[int, int]:
        """(known labels, filled cells) of a row, remembered."""
        row = tuple(cells)
        found = self.counts.get(row)
        if found is None:
            if len(self.counts) >= _COUNTS_KEPT:
                self.counts.clear()
            filled = [cell for cell in row if cell.strip()]  # a blank cell is no label
            labels = sum(self.match(cell) is not None for cell in filled)
            found = self.counts[row] = (labels, len(filled))
        return found

    def is_header(self, cells: Sequence[str]) -> bool:
        """Whether a row is a header: enough known labels, and mostly labels.

        Example:
            >>> rules = HeaderRules.load()
            >>> rules.is_header(["事業名", "担当課", "令和4年度実績", "評価"])
            True
            >>> rules.is_header(["研修事業", "健康課", "評価", "研修を実施した", "A"])
            False
        """
        labels, filled = self._counted(cells)
        return labels >= self.min_labels and labels >= self.label_share * filled

    def labels_in_line(self, text: str) -> list[str]:
        """Header labels inside one line of running text (PDF layout text), in order.

        The line is split at ASCII spaces. An unknown word is joined to the next one when the
        pair is a label and the next word is not one by itself, or when the unknown word prints
        an era year (``令和２年度 実施状況``); other unknown words are dropped.

        Example:
            >>> HeaderRules.load().labels_in_line("担当課 令和２年度 実施状況 メモ 達成度（％）")
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

    def columns(
        self,
        cells: Sequence[str],
        groups: Sequence[str] = (),
        current: int | None = None,
    ) -> list[Column]:
        """The meaning of each cell of a header row, years resolved left to right.

        Unknown labels become field ``unknown``. ``inherit`` takes the year of the nearest
        column to the left that has one. ``groups`` is the row above a two-row header, each
        cell repeated over the empty cells to its right (令和4年度 over 実施状況 | 評価): a group
        naming a year sets the year of the columns under it, other groups prefix their label.
        ``current`` is the sheet's evaluation year, for labels such as 前年度実績.

        Example:
            >>> cols = HeaderRules.load().columns(["今後(令和3年度以降)の実施計画"])
            >>> (cols[0].field, cols[0].year)
            ('plan', 2020)
            >>> cols = HeaderRules.load().columns(["実施状況", "評価"], ["令和4年度", "令和4年度"])
            >>> [(c.field, c.year, c.label) for c in cols]
            [('status', 2022, '令和4年度 実施状況'), ('evaluation', 2022, '令和4年度 評価')]
        """
        key = (tuple(cells), tuple(groups), current)
        found = self.headers.get(key)
        if found is None:
            if len(self.headers) >= _HEADERS_KEPT:
                self.headers.clear()
            found = self.headers[key] = tuple(self._columns(*key))
        return list(found)

    def _columns(
        self, cells: Sequence[str], groups: Sequence[str], current: int | None
    ) -> list[Column]:
        """``columns`` computed afresh."""
        columns: list[Column] = []
        last_year: int | None = None
        for index, cell in enumerate(cells):
            group = groups[index].strip() if index < len(groups) else ""
            group_year = printed_year(group, self.relative, current) if group else None
            label = " ".join(part for part in (group, cell.strip()) if part)
            rule = self.match(cell) if cell.strip() else None
            if rule is None and group:
                rule = self.match(label) or (None if cell.strip() else self.match(group))
            if rule is None:
                columns.append(Column("unknown", None, label or cell))
                continue
            if rule.field == "year":  # a column of years: its cells say the row's year
                columns.append(Column("year", None, label, rule.alt, rule.year))
                continue
            context = group_year if group_year is not None else last_year
            key = label_key(cell if group_year is not None else label)
            year = self._resolve_year(rule.year, key, context, current)
            if year is not None:
                last_year = year
            columns.append(Column(rule.field, year, label, rule.alt, rule.year))
        return columns

    def _resolve_year(
        self, rule: str, key: str, last_year: int | None, current: int | None
    ) -> int | None:
        if rule == "none":
            return None
        printed = printed_year(key, self.relative, current) if rule in ("label", "next") else None
        if printed is None:
            return last_year
        return printed - 1 if rule == "next" else printed
