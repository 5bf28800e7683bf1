"""The matching form of a text, with a map from every matching offset back to the original.

``normalize`` applies NFKC, joins lines wrapped by the PDF layout, folds whitespace and maps the
typos of ``lexicons/typos.tsv``. The original text is never changed: an ``OffsetMap`` takes any
span of the matching form back to the exact original characters, so tokens, typo hits and
sentences can be quoted and highlighted.

Example:
    >>> rules = TypoRules.from_rows([{"wrong": "グートキーパー", "right": "ゲートキーパー"}])
    >>> form = matching_form("グートキーパー養成　講座", rules, LineRules())
    >>> form.text
    'ゲートキーパー養成 講座'
    >>> form.hits[0].wrong, form.hits[0].start, form.hits[0].end
    ('グートキーパー', 0, 7)
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

_TABLE: dict[int, str] = {}
_SPECIAL: set[str] = set()
_SEEN: set[str] = set()


@dataclass(frozen=True, slots=True)
class TypoHit:
    """One mapped typo: ``original[start:end] == wrong``; ``right`` is what matching sees."""

    wrong: str
    right: str
    start: int
    end: int


@dataclass(frozen=True)
class LineRules:
    """How line breaks and bullets are read (settings.yaml ``text``).

    Example:
        >>> LineRules().is_terminator("。")
        True
    """

    wrap_min_chars: int = 16
    terminators: str = "。！？!?"
    bullets: str = "・○●◎◆◇■□※-①②③④⑤⑥⑦⑧⑨⑩"

    def is_terminator(self, char: str) -> bool:
        """True for a character that ends a sentence."""
        return char in self.terminators


@dataclass(frozen=True)
class TypoRules:
    """The typo map as one compiled alternation (longest wrong form first).

    Example:
        >>> rules = TypoRules.from_rows([{"wrong": "ハラメント", "right": "ハラスメント"}])
        >>> rules.rights
        ('ハラスメント',)
    """

    pattern: re.Pattern[str] | None
    rights: tuple[str, ...]
    wrongs: tuple[str, ...] = ()

    def may_match(self, text: str) -> bool:
        """False when no wrong form occurs in ``text`` (a context pattern matches only its
        wrong form, see ``lexicons/typos.tsv``), so the alternation need not run.

        Example:
            >>> rules = TypoRules.from_rows([{"wrong": "ハラメント", "right": "ハラスメント"}])
            >>> rules.may_match("研修"), rules.may_match("DV・ハラメント")
            (False, True)
        """
        if self.pattern is None:
            return False
        return not self.wrongs or any(wrong in text for wrong in self.wrongs)

    @classmethod
    def from_rows(cls, rows: Iterable[dict[str, str]]) -> TypoRules:
        """Compile rows with ``wrong``, ``right`` and an optional context ``pattern``."""
        pairs = sorted(
            ((nfkc(row["wrong"]), nfkc(row["right"]), row.get("pattern", "")) for row in rows),
            key=lambda pair: -len(pair[0]),
        )
        if not pairs:
            return cls(None, ())
        parts = [f"(?P<t{i}>{ctx or re.escape(wrong)})" for i, (wrong, _, ctx) in enumerate(pairs)]
        rights = tuple(right for _, right, _ in pairs)
        return cls(re.compile("|".join(parts)), rights, tuple(wrong for wrong, _, _ in pairs))


@dataclass(slots=True)
class OffsetMap:
    """Maps offsets of a rewritten text back to its source; a chain of these reaches the original.

    Each segment ``(new_start, new_end, old_start, old_end)`` is either a shift (equal lengths)
    or a replacement whose characters all map to the whole old span.

    Example:
        >>> m = OffsetMap([(0, 2, 0, 1)])   # one char became two
        >>> m.span(0, 2), m.span(2, 3)
        ((0, 1), (1, 2))
    """

    segments: list[tuple[int, int, int, int]] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._starts = [segment[0] for segment in self.segments]

    @property
    def identity(self) -> bool:
        """True when nothing was rewritten."""
        return not self.segments

    def start(self, offset: int) -> int:
        """Source offset where the character at ``offset`` starts."""
        index = bisect_right(self._starts, offset) - 1
        if index < 0:
            return offset
        new_start, new_end, old_start, old_end = self.segments[index]
        if offset >= new_end:
            return old_end + offset - new_end
        if new_end - new_start == old_end - old_start:
            return old_start + offset - new_start
        return old_start

    def end(self, offset: int) -> int:
        """Source offset just after the character ending at ``offset`` (exclusive)."""
        if offset <= 0:
            return 0
        index = bisect_right(self._starts, offset - 1) - 1
        if index < 0:
            return offset
        new_start, new_end, old_start, old_end = self.segments[index]
        if offset - 1 >= new_end:
            return old_end + offset - new_end
        if new_end - new_start == old_end - old_start:
            return old_start + offset - new_start
        return old_end

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Source span of ``[start, end)``."""
        if not self.segments:
            return start, end
        return self.start(start), self.end(end)


@dataclass(slots=True)
class MatchingForm:
    """The matching form of one text, its typo hits and the way back to the original."""

    text: str
    hits: list[TypoHit]
    maps: list[OffsetMap]

    @property
    def identity(self) -> bool:
        """True when every offset of the matching form is the same in the original."""
        return not self.maps

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original span of a span of the matching form.

        Example:
            >>> form = matching_form("新型コロナウィルス感染症", TypoRules(None, ()), LineRules())
            >>> form.span(0, 2)
            (0, 2)
        """
        if not self.maps:
            return start, end
        for offsets in reversed(self.maps):
            start, end = offsets.span(start, end)
        return start, end


IDENTITY = OffsetMap()  # the map of a text nothing was rewritten in (shared, never changed)


def nfkc(text: str) -> str:
    """NFKC of ``text`` (full-width digits and letters to ASCII, half-width kana to full-width).

    Example:
        >>> nfkc("令和２年度（ｶﾞｲﾄﾞ）")
        '令和2年度(ガイド)'
    """
    return unicodedata.normalize("NFKC", text)


def rewrite(text: str, edits: list[tuple[int, int, str]]) -> tuple[str, OffsetMap]:
    """Apply sorted, non-overlapping ``(start, end, replacement)`` edits and map them back.

    Example:
        >>> rewrite("ab  c", [(2, 4, " ")])[0]
        'ab c'
    """
    if not edits:
        return text, IDENTITY
    pieces: list[str] = []
    segments: list[tuple[int, int, int, int]] = []
    cursor = 0
    length = 0
    for start, end, replacement in edits:
        pieces.append(text[cursor:start])
        length += start - cursor
        pieces.append(replacement)
        segments.append((length, length + len(replacement), start, end))
        length += len(replacement)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces), OffsetMap(segments)


def _learn(chars: set[str]) -> None:
    """Record how NFKC treats characters not seen before (1:1 in the table, others special)."""
    for char in chars:
        folded = nfkc(char)
        if folded != char and len(folded) == 1 and not unicodedata.combining(folded):
            _TABLE[ord(char)] = folded
        elif folded != char:
            _SPECIAL.add(char)
    _SEEN.update(chars)


def fold_characters(text: str) -> tuple[str, OffsetMap]:
    """NFKC character by character, keeping offsets (a voicing mark joins its base letter).

    One-to-one changes (full-width digits, ①) keep the length; only expansions such as ㈱ and
    half-width voiced kana are recorded as edits.

    Example:
        >>> fold_characters("ﾃﾞｲｹｱ２")[0]
        'デイケア2'
    """
    if unicodedata.is_normalized("NFKC", text):
        return text, IDENTITY
    unseen = set(text) - _SEEN
    if unseen:
        _learn(unseen)
    translated = text.translate(_TABLE)
    if _SPECIAL.isdisjoint(translated):
        return translated, IDENTITY
    edits: list[tuple[int, int, str]] = []
    for index, char in enumerate(translated):
        if char not in _SPECIAL:
            continue
        folded = nfkc(char)
        if unicodedata.combining(folded[:1]) and index > 0:
            base = edits.pop() if edits and edits[-1][1] == index else None
            start = base[0] if base else index - 1
            previous = base[2] if base else translated[index - 1]
            edits.append((start, index + 1, nfkc(previous + folded)))
        else:
            edits.append((index, index + 1, folded))
    return rewrite(translated, edits)


def hard_breaks(text: str, rules: LineRules) -> set[int]:
    """Offsets of the line breaks that end a sentence (the others are PDF wraps).

    Example:
        >>> sorted(hard_breaks("あいうえおかきくけこさしすせそたち\\nつてと。\\n・次", LineRules()))
        [22]
    """
    breaks: set[int] = set()
    lines = text.split("\n")
    offset = 0
    for before, after in pairwise(lines):
        offset += len(before)
        if not _is_wrap(before, after, rules):
            breaks.add(offset)
        offset += 1
    return breaks


def _is_wrap(before: str, after: str, rules: LineRules) -> bool:
    tail = before.strip()
    head = after.lstrip()
    return (
        len(tail) >= rules.wrap_min_chars
        and not rules.is_terminator(tail[-1])
        and bool(head)
        and not after[:1].isspace()
        and head[0] not in rules.bullets
    )


_SPACE = re.compile(r"\s+")


def fold_spaces(text: str, source: str, rules: LineRules) -> tuple[str, OffsetMap]:
    """Join wrapped lines, keep sentence-ending breaks as one newline, fold other runs to a space.

    ``source`` is the text before NFKC (same length as ``text``), read to tell wraps from breaks.

    Example:
        >>> fold_spaces("  あ\\n\\nい  う", "  あ\\n\\nい  う", LineRules())[0]
        'あ\\nい う'
    """
    if _SPACE.search(text) is None:
        return text, IDENTITY
    hard = sorted(hard_breaks(source, rules)) if "\n" in source else []
    edits: list[tuple[int, int, str]] = []
    for run in _SPACE.finditer(text):
        start, end = run.span()
        if start == 0 or end == len(text):
            replacement = ""
        elif _has_break(hard, start, end):
            replacement = "\n"
        elif "\n" in run.group() and not _ascii_word_gap(text, start, end):
            replacement = ""
        else:
            replacement = " "
        if run.group() != replacement:
            edits.append((start, end, replacement))
    return rewrite(text, edits)


def _has_break(breaks: list[int], start: int, end: int) -> bool:
    index = bisect_left(breaks, start)
    return index < len(breaks) and breaks[index] < end


def _ascii_word_gap(text: str, start: int, end: int) -> bool:
    return text[start - 1].isascii() and text[start - 1].isalnum() and text[end : end + 1].isalnum()


def map_typos(text: str, rules: TypoRules) -> tuple[str, OffsetMap, list[tuple[int, int, str]]]:
    """Replace every typo; returns the text, its map and the ``(start, end, right)`` edits.

    Example:
        >>> rules = TypoRules.from_rows([{"wrong": "ハラメント", "right": "ハラスメント"}])
        >>> map_typos("DV・ハラメント等", rules)[0]
        'DV・ハラスメント等'
    """
    if rules.pattern is None or not rules.may_match(text):
        return text, IDENTITY, []
    edits = [
        (found.start(), found.end(), rules.rights[int(str(found.lastgroup)[1:])])
        for found in rules.pattern.finditer(text)
    ]
    rewritten, offsets = rewrite(text, edits)
    return rewritten, offsets, edits


def matching_form(text: str, typos: TypoRules, lines: LineRules) -> MatchingForm:
    """NFKC, wrapped lines joined, whitespace folded, typos mapped; with typo hits located.

    Example:
        >>> matching_form("実施\\nした。", TypoRules(None, ()), LineRules(wrap_min_chars=2)).text
        '実施した。'
    """
    folded, by_char = fold_characters(text)
    spaced, by_space = fold_spaces(folded, text, lines)
    mapped, by_typo, edits = map_typos(spaced, typos)
    form = MatchingForm(mapped, [], [m for m in (by_char, by_space) if not m.identity])
    for start, end, right in edits:
        original_start, original_end = form.span(start, end)
        form.hits.append(TypoHit(text[original_start:original_end], right, *form.span(start, end)))
    if not by_typo.identity:
        form.maps.append(by_typo)
    return form
