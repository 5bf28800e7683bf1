"""Sentence splitting on the original text: 。！？, sentence-ending line breaks and bullets.

Offsets always point into the original text, so ``original[s.start:s.end] == s.text``; a sentence
wrapped over several lines by the PDF layout keeps its line breaks in ``text``. A terminator
inside a bracket pair (「」『』（）…) that closes before the next sentence-ending line break does
not end the sentence: 「プロに教わる！活動継続の秘訣」 is a title inside one sentence. A bracket
left open protects nothing, so a stray 「 never swallows the rest of a cell.

Example:
    >>> [s.text for s in split_sentences("研修を実施した。・相談会を開催", LineRules())]
    ['研修を実施した。', '・相談会を開催']
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from pipeline.text.normalize import LineRules, hard_breaks

_CLOSERS = "」』）)】〕］]"
_PAIRS = dict(zip("「『（(【〔［[", _CLOSERS, strict=True))  # opener -> its closer
_OPENERS = re.compile(f"[{re.escape(''.join(_PAIRS))}]")
_BRACKETS = re.compile(f"[{re.escape(''.join(_PAIRS) + _CLOSERS)}\n]")

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: its index in the text and its exact span in the original."""

    index: int
    text: str
    start: int
    end: int


def bracketed(text: str, resets: Iterable[int] = ()) -> list[Span]:
    """Outermost bracket pairs of ``text`` as ``(opener, after closer)`` spans, in order.

    A closer pairs with the nearest open bracket of its kind (brackets opened after it stay
    open); brackets never pair across a line break whose offset is in ``resets``.

    Example:
        >>> text = "「プロに教わる！」(1)講座（未完"
        >>> [text[start:end] for start, end in bracketed(text)]
        ['「プロに教わる！」', '(1)']
    """
    if _OPENERS.search(text) is None:
        return []
    stops = set(resets)
    spans: list[Span] = []
    opened: list[tuple[str, int]] = []
    for found in _BRACKETS.finditer(text):
        char, offset = found.group(), found.start()
        if char == "\n":
            if offset in stops:
                opened.clear()
        elif char in _PAIRS:
            opened.append((char, offset))
        else:
            _close(opened, spans, char, offset)
    return _outermost(spans)


def _close(opened: list[tuple[str, int]], spans: list[Span], closer: str, offset: int) -> None:
    """Pair ``closer`` with the nearest open bracket of its kind (a stray closer pairs nothing)."""
    for depth in range(len(opened) - 1, -1, -1):
        opener, start = opened[depth]
        if _PAIRS[opener] == closer:
            spans.append((start, offset + 1))
            del opened[depth:]
            return


def _outermost(spans: list[Span]) -> list[Span]:
    outer: list[Span] = []
    for start, end in sorted(spans):
        if outer and start < outer[-1][1]:
            continue
        outer.append((start, end))
    return outer


def is_inside(spans: list[Span], offset: int) -> bool:
    """True when ``offset`` lies strictly between the brackets of one of the sorted ``spans``.

    Example:
        >>> is_inside([(0, 9)], 7), is_inside([(0, 9)], 0)
        (True, False)
    """
    index = bisect_left(spans, offset, key=lambda span: span[0]) - 1
    return index >= 0 and offset < spans[index][1] - 1


def boundaries(text: str, rules: LineRules) -> list[int]:
    """Offsets where a new sentence may start (sorted; the text's ends included).

    Example:
        >>> boundaries("あ。い「う！」", LineRules())
        [0, 2, 7]
    """
    cuts = {0, len(text)}
    breaks = hard_breaks(text, rules) if "\n" in text else set()
    cuts.update(offset + 1 for offset in breaks)
    quoted = bracketed(text, breaks)
    cuts.update(
        found.end()
        for found in terminator_pattern(rules.terminators).finditer(text)
        if not is_inside(quoted, found.start())
    )
    return sorted(cuts)


@cache
def terminator_pattern(terminators: str) -> re.Pattern[str]:
    """A run of terminators and the closing brackets right after them (compiled once).

    Example:
        >>> terminator_pattern("。").findall("実施した。」次")
        ['。」']
    """
    return re.compile(f"[{re.escape(terminators)}]+[{re.escape(_CLOSERS)}]*")


def split_sentences(text: str, rules: LineRules) -> list[Sentence]:
    """The sentences of ``text`` with spans in ``text`` (surrounding whitespace left out).

    Example:
        >>> s = split_sentences("　中止した。\\n\\n実施する", LineRules())[1]
        >>> s.text, s.start, s.end
        ('実施する', 8, 12)
    """
    cuts = boundaries(text, rules)
    sentences: list[Sentence] = []
    for start, end in pairwise(cuts):
        piece = text[start:end]
        stripped = piece.strip()
        if not stripped:
            continue
        left = start + len(piece) - len(piece.lstrip())
        sentences.append(Sentence(len(sentences), stripped, left, left + len(stripped)))
    return sentences
