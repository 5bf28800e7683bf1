"""The Japanese text layer: every detector reads the narrative (status / evaluation / plan) here.

API reference
=============
Build one ``TextLayer`` per run from the lexicons and hand it to every detector::

    layer = TextLayer(Lexicons())          # or TextLayer() for the default lexicons/
    layer = TextLayer(lex, cache=False)    # no analysis cache (benchmarks)

Stored entry text is never changed. Every offset below is an offset in the ORIGINAL text you
passed in, so ``text[start:end]`` quotes exactly what the document says.

``layer.normalize(text) -> str``
    The matching form: NFKC, PDF-wrapped lines joined, whitespace folded, typos of
    ``lexicons/typos.tsv`` mapped. Match terms against this, never against the raw cell.
    ``layer.normalize("令和２年度　グートキーパー研修")`` -> ``'令和2年度 ゲートキーパー研修'``

``layer.typo_hits(text) -> list[TypoHit(wrong, right, start, end)]``
    Every mapped typo; ``text[hit.start:hit.end] == hit.wrong``.
    ``layer.typo_hits("影響はあつたが")`` -> ``[TypoHit('あつた', 'あった', 3, 6)]``

``layer.sentences(text) -> list[Sentence(index, text, start, end)]``
    Split after 。！？!?, at sentence-ending line breaks (not PDF wraps) and before bullets
    (・ ○ ① ...). ``text[s.start:s.end] == s.text``.

``layer.tokens(text) -> list[Token]``
    SudachiPy tokens (split mode from settings.yaml ``text.split_mode``, user dictionary
    ``lexicons/user_dict.tsv``) of the matching form. ``Token`` fields: ``surface`` (as matched,
    typos mapped), ``normalized`` (Sudachi normalized form: 出来る for できる), ``lemma``
    (dictionary form), ``pos`` (Sudachi's six POS fields), ``start``/``end`` (original offsets),
    ``sentence`` (index into ``sentences(text)``); properties ``conjugation`` (活用形) and
    ``conjugation_type`` (活用型). Whitespace tokens are left out.
    ``[t.lemma for t in layer.tokens("実施できなかった")]`` -> ``['実施', 'できる', 'ない', 'た']``

``layer.predicates(text) -> list[Predicate]``
    Each predicate: ``surface``/``start``/``end`` (the whole chunk, e.g. 実施できなかった),
    ``lemma`` and ``head_start``/``head_end`` (the head term, e.g. 実施), ``polarity``
    (``"affirmative"`` / ``"negated"``), ``tense`` (``"past"``, ``"progressive"``, ``"intent"``,
    ``"nonpast"``, ``"nominal"``), ``sentence`` and ``main`` (last predicate of its sentence).
    Markers live in ``lexicons/predicates.tsv``.
    ``中止することなく実施した`` -> 中止 negated/nonpast, 実施した affirmative/past (main).
``layer.main_predicates(text)``  the main predicate of each sentence: a status whose main
    predicate is ``nonpast`` or ``intent`` (実施する。) reads like plan wording.
``layer.negated_terms(text)``     the negated predicates (``lemma`` is the negated term).
``layer.is_negated(text, start, end) -> bool``
    Is the term at this span negated? ``layer.is_negated("中止することなく実施した", 0, 2)`` ->
    True; ``layer.is_negated("中止した", 0, 2)`` -> False. 見送った / 至らなかった negate their
    noun: ``is_negated("開催を見送った", 0, 2)`` -> True.

``layer.tokens_frame(entries) -> DataFrame``
    A tidy token table for notebooks, columns ``TOKEN_COLUMNS``: entry_id (the entries row
    index), field, sentence, position, surface, normalized, lemma, pos, pos_detail, conjugation,
    start, end; for the status, evaluation and plan columns.

``layer.cache_info() -> CacheInfo(hits, misses, size, enabled)``, ``.hit_rate``
    Each distinct text is analysed (and tokenized) once; copy-pasted cells are cache hits.

Module-level shortcuts use one default ``TextLayer()`` per process: ``normalize``,
``typo_hits``, ``sentences``, ``tokens``, ``predicates``, ``is_negated``, ``tokens_frame``.

Example:
    >>> [(p.lemma, p.polarity, p.tense) for p in predicates("開催を見送った。")]
    [('開催', 'negated', 'past')]
"""

from __future__ import annotations

import pandas as pd

from pipeline.text.layer import TOKEN_COLUMNS, CacheInfo, TextLayer
from pipeline.text.normalize import TypoHit
from pipeline.text.predicates import AFFIRMATIVE, NEGATED, TENSES, Predicate
from pipeline.text.sentences import Sentence
from pipeline.text.tokenize import Token

__all__ = [
    "AFFIRMATIVE",
    "NEGATED",
    "TENSES",
    "TOKEN_COLUMNS",
    "CacheInfo",
    "Predicate",
    "Sentence",
    "TextLayer",
    "Token",
    "TypoHit",
    "default_layer",
    "is_negated",
    "normalize",
    "predicates",
    "sentences",
    "tokens",
    "tokens_frame",
    "typo_hits",
]

_DEFAULT: list[TextLayer] = []


def default_layer() -> TextLayer:
    """The process-wide ``TextLayer()`` used by the module-level shortcuts.

    Example:
        >>> default_layer() is default_layer()
        True
    """
    if not _DEFAULT:
        _DEFAULT.append(TextLayer())
    return _DEFAULT[0]


def normalize(text: str) -> str:
    """``default_layer().normalize``: ``normalize("ｺﾛﾅ禍")`` -> ``'コロナ禍'``."""
    return default_layer().normalize(text)


def typo_hits(text: str) -> list[TypoHit]:
    """``default_layer().typo_hits``: ``typo_hits("グートキーパー")[0].right`` -> ゲートキーパー."""
    return default_layer().typo_hits(text)


def sentences(text: str) -> list[Sentence]:
    """``default_layer().sentences``: ``len(sentences("実施した。中止した。"))`` -> 2."""
    return default_layer().sentences(text)


def tokens(text: str) -> list[Token]:
    """``default_layer().tokens``: ``tokens("研修")[0].lemma`` -> '研修'."""
    return default_layer().tokens(text)


def predicates(text: str) -> list[Predicate]:
    """``default_layer().predicates``: ``predicates("実施する")[0].tense`` -> 'nonpast'."""
    return default_layer().predicates(text)


def is_negated(text: str, start: int, end: int) -> bool:
    """``default_layer().is_negated``: ``is_negated("延期せず実施", 0, 2)`` -> True."""
    return default_layer().is_negated(text, start, end)


def tokens_frame(entries: pd.DataFrame) -> pd.DataFrame:
    """``default_layer().tokens_frame``: one row per token of status / evaluation / plan."""
    return default_layer().tokens_frame(entries)
