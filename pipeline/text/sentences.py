"""Sentence splitting on the original text: 。！？, sentence-ending line breaks and bullets.

Offsets always point into the original text, so ``original[s.start:s.end] == s.text``; a sentence
wrapped over several lines by the PDF layout keeps its line breaks in ``text``.

Example:
    >>> [s.text for s in split_sentences("研修を実施した。・相談会を開催", LineRules())]
    ['研修を実施した。', '・相談会を開催']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from pipeline.text.normalize import LineRules, hard_breaks

_CLOSERS = "」』）)】〕］]"


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: its index in the text and its exact span in the original."""

    index: int
    text: str
    start: int
    end: int


def boundaries(text: str, rules: LineRules) -> list[int]:
    """Offsets where a new sentence may start (sorted; the text's ends included).

    Example:
        >>> boundaries("あ。い", LineRules())
        [0, 2, 3]
    """
    cuts = {0, len(text)}
    if "\n" in text:
        cuts.update(offset + 1 for offset in hard_breaks(text, rules))
    cuts.update(found.end() for found in terminator_pattern(rules.terminators).finditer(text))
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
