"""``TextLayer``: the one object detectors receive to read narrative text (see the package doc).

Example:
    >>> layer = TextLayer()
    >>> layer.normalize("令和２年度　グートキーパー研修")
    '令和2年度 ゲートキーパー研修'
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from pipeline.lexicons import Lexicons
from pipeline.schemas import TEXT_FIELDS
from pipeline.text.normalize import LineRules, MatchingForm, TypoHit, TypoRules, matching_form
from pipeline.text.predicates import NEGATED, MarkerRules, Predicate, sentence_predicates
from pipeline.text.sentences import Sentence, split_sentences
from pipeline.text.tokenize import Token, sudachi_tokenizer, tokenize_form
from pipeline.text.userdict import compiled_user_dictionary

_SENTENCE_OF = operator.attrgetter("sentence")  # tokens come in sentence order
TOKEN_COLUMNS: tuple[str, ...] = (
    "entry_id",  # row index of the entries DataFrame
    "field",  # status / evaluation / plan
    "sentence",  # sentence number within the cell, from 0
    "position",  # token number within the sentence, from 0
    "surface",  # the token as matched (typos mapped)
    "normalized",  # Sudachi normalized form (出来る for できる)
    "lemma",  # dictionary form
    "pos",  # 品詞1, e.g. 名詞
    "pos_detail",  # 品詞2-4 joined with '-', '*' left out
    "conjugation",  # 活用形, '' if none
    "start",  # offsets in the original cell text
    "end",
)


class CacheInfo(NamedTuple):
    """Analysis cache counters (one analysis per distinct text)."""

    hits: int
    misses: int
    size: int
    enabled: bool

    @property
    def hit_rate(self) -> float:
        """Share of lookups answered from the cache (0.0 when none yet).

        Example:
            >>> CacheInfo(3, 1, 1, True).hit_rate
            0.75
        """
        total = self.hits + self.misses
        return self.hits / total if total else 0.0


@dataclass(slots=True)
class Analysis:
    """Everything known about one text; tokens and predicates are computed on first use."""

    text: str
    form: MatchingForm
    sentences: list[Sentence]
    tokens: list[Token] | None = None
    predicates: list[Predicate] | None = None


@dataclass
class TextLayer:
    """Normalize, split, tokenize and read predicates of narrative text, cached by text.

    Example:
        >>> layer = TextLayer()
        >>> [p.tense for p in layer.predicates("実施する。")]
        ['nonpast']
    """

    lexicons: Lexicons = field(default_factory=Lexicons)
    cache: bool = True
    _hits: int = field(default=0, repr=False)
    _misses: int = field(default=0, repr=False)
    _store: dict[str, Analysis] = field(default_factory=dict, repr=False)
    _tokenizer: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        options: dict[str, Any] = self.lexicons.settings["text"]
        self.lines = LineRules(
            wrap_min_chars=int(options["wrap_min_chars"]),
            terminators=str(options["terminators"]),
            bullets=str(options["bullets"]),
        )
        self.split_mode = str(options["split_mode"])
        self.max_chunk_chars = int(options["max_chunk_chars"])
        self.cache_size = int(options["cache_size"])
        self.cache_kept = int(options["cache_kept"])
        self.typos = TypoRules.from_rows(self.lexicons.table("typos"))
        self.markers = MarkerRules.from_rows(self.lexicons.table("predicates"))

    @property
    def tokenizer(self) -> Any:
        """The process-wide Sudachi tokenizer for these lexicons (user dictionary compiled once)."""
        if self._tokenizer is None:
            user = compiled_user_dictionary(self.lexicons)
            self._tokenizer = sudachi_tokenizer(user, self.split_mode)
        return self._tokenizer

    def analyse(self, text: str) -> Analysis:
        """The cached analysis of ``text`` (a dict keyed by the text, i.e. by its hash)."""
        found = self._store.get(text)
        if found is not None:
            self._hits += 1
            return found
        self._misses += 1
        analysis = Analysis(
            text, matching_form(text, self.typos, self.lines), split_sentences(text, self.lines)
        )
        if self.cache:
            if len(self._store) >= self.cache_size:
                self._store.pop(next(iter(self._store)))
            self._store[text] = analysis
        return analysis

    def normalize(self, text: str) -> str:
        """The matching form: NFKC, wrapped lines joined, whitespace folded, typos mapped.

        Example:
            >>> TextLayer().normalize("新型コロナウィルス")
            '新型コロナウイルス'
        """
        return self.analyse(text).form.text

    def typo_hits(self, text: str) -> list[TypoHit]:
        """Every mapped typo with its span in ``text``.

        Example:
            >>> TextLayer().typo_hits("影響はあつたが")
            [TypoHit(wrong='あつた', right='あった', start=3, end=6)]
        """
        return self.analyse(text).form.hits

    def sentences(self, text: str) -> list[Sentence]:
        """Sentences with spans in ``text`` (``text[s.start:s.end] == s.text``).

        Example:
            >>> [s.text for s in TextLayer().sentences("中止した。\\n①研修")]
            ['中止した。', '①研修']
        """
        return self.analyse(text).sentences

    def clip(self, text: str, limit: int, gap: str = "…") -> str:
        """``text`` cut to at most ``limit`` characters at a word boundary, ``gap`` marking the
        cut: after the last 、 or 。 in the last third of the span, else after the last whole
        word (never inside a word: 「中止もあっ」 is not a quote).

        Example:
            >>> TextLayer().clip("新型コロナウイルスの影響で講座は中止となった。", 16)
            '新型コロナウイルスの影響で講座は…'
            >>> TextLayer().clip("研修を実施した。", 20)
            '研修を実施した。'
        """
        if len(text) <= limit:
            return text
        head = text[:limit]
        stop = max(head.rfind("、"), head.rfind("。"))
        if stop >= limit * 2 // 3:
            return head[: stop + 1] + gap
        ends = [token.end for token in self.tokens(text) if token.end <= limit]
        return text[: ends[-1] if ends else limit] + gap

    def tokens(self, text: str) -> list[Token]:
        """Sudachi tokens of the matching form, spans in ``text``, each with its sentence index.

        Example:
            >>> [t.lemma for t in TextLayer().tokens("グートキーパー")]
            ['ゲートキーパー']
        """
        analysis = self.analyse(text)
        if analysis.tokens is None:
            starts = [sentence.start for sentence in analysis.sentences]
            analysis.tokens = tokenize_form(
                analysis.form, text, self.tokenizer, self.max_chunk_chars, starts
            )
        return analysis.tokens

    def predicates(self, text: str) -> list[Predicate]:
        """Predicates of every sentence; ``main`` marks the last one of each sentence.

        Example:
            >>> [(p.surface, p.polarity, p.tense)
            ...  for p in TextLayer().predicates("中止することなく実施した。")]
            [('中止することなく', 'negated', 'nonpast'), ('実施した', 'affirmative', 'past')]
        """
        analysis = self.analyse(text)
        if analysis.predicates is None:
            analysis.predicates = [
                predicate
                for index, tokens in itertools.groupby(self.tokens(text), _SENTENCE_OF)
                for predicate in sentence_predicates(list(tokens), text, self.markers, index)
            ]
        return analysis.predicates

    def main_predicates(self, text: str) -> list[Predicate]:
        """The main (sentence-final) predicate of each sentence.

        Example:
            >>> [p.tense for p in TextLayer().main_predicates("実施した。実施する。")]
            ['past', 'nonpast']
        """
        return [predicate for predicate in self.predicates(text) if predicate.main]

    def negated_terms(self, text: str) -> list[Predicate]:
        """Negated predicates; ``text[p.head_start:p.head_end]`` is the negated term.

        Example:
            >>> [p.lemma for p in TextLayer().negated_terms("延期せず実施した。")]
            ['延期']
        """
        return [predicate for predicate in self.predicates(text) if predicate.polarity == NEGATED]

    def is_negated(self, text: str, start: int, end: int) -> bool:
        """True when the term at ``text[start:end]`` heads a negated predicate.

        Example:
            >>> layer = TextLayer()
            >>> layer.is_negated("中止することなく実施した", 0, 2)
            True
        """
        return any(
            predicate.head_start < end and start < predicate.head_end
            for predicate in self.negated_terms(text)
        )

    def tokens_frame(self, entries: pd.DataFrame) -> pd.DataFrame:
        """One row per token of the status / evaluation / plan cells (columns TOKEN_COLUMNS).

        Example:
            >>> frame = TextLayer().tokens_frame(pd.DataFrame({"status": ["実施した。"]}))
            >>> frame[["field", "surface", "pos"]].values.tolist()[:2]
            [['status', '実施', '名詞'], ['status', 'し', '動詞']]
        """
        fields = [name for name in TEXT_FIELDS if name in entries.columns]
        cells = entries[fields].itertuples(index=False)
        table = _TokenTable()
        for entry_id, texts in zip(entries.index, cells, strict=True):
            for field_name, text in zip(fields, texts, strict=True):
                if isinstance(text, str) and text.strip():
                    table.add(entry_id, field_name, text, self.tokens(text))
        return table.frame()

    def analysed(self, texts: Iterable[str]) -> dict[str, Analysis]:
        """Every distinct non-blank text analysed in full (tokens and predicates), for another
        process's layer to ``adopt``: worker processes tokenize documents in parallel.

        Example:
            >>> sorted(TextLayer().analysed(["実施した。", "", "実施した。"]))
            ['実施した。']
        """
        analyses: dict[str, Analysis] = {}
        store = self._store
        for text in texts:
            if isinstance(text, str) and text.strip() and text not in analyses:
                self.predicates(text)
                analyses[text] = self.analyse(text)
                if self.cache:  # used last: kept by ``trim_cache``
                    store[text] = store.pop(text)
        return analyses

    def adopt(self, analyses: Mapping[str, Analysis]) -> None:
        """Cache analyses made by a layer over the same lexicons (counted as neither hit nor
        miss); nothing is kept when the cache is off.

        Example:
            >>> layer = TextLayer()
            >>> layer.adopt(TextLayer().analysed(["研修"]))
            >>> layer.tokens("研修")[0].lemma, layer.cache_info().hits
            ('研修', 1)
        """
        if not self.cache:
            return
        for text, analysis in analyses.items():
            if len(self._store) >= self.cache_size:
                return
            self._store.setdefault(text, analysis)

    def cache_info(self) -> CacheInfo:
        """Hits, misses and size of the analysis cache.

        Example:
            >>> layer = TextLayer()
            >>> _ = layer.normalize("研修"), layer.normalize("研修")
            >>> layer.cache_info()[:2]
            (1, 1)
        """
        return CacheInfo(self._hits, self._misses, len(self._store), self.cache)

    def trim_cache(self) -> None:
        """Keep only the ``cache_kept`` analyses used last (``analysed`` marks them used): what
        the next task is likely to meet again, within a fixed amount of memory.

        Example:
            >>> layer = TextLayer()
            >>> layer.cache_kept = 1
            >>> _ = layer.analysed(["研修", "実施", "研修"])
            >>> layer.trim_cache()
            >>> list(layer.analysed(["実施"])), layer.cache_info().size
            (['実施'], 1)
        """
        for text in list(itertools.islice(self._store, max(0, len(self._store) - self.cache_kept))):
            del self._store[text]

    def clear_cache(self) -> None:
        """Forget every cached analysis and reset the counters."""
        self._store.clear()
        self._hits = self._misses = 0


_STRING_COLUMNS: tuple[str, ...] = (
    "surface",
    "normalized",
    "lemma",
    "pos",
    "pos_detail",
    "conjugation",
)
_INT_COLUMNS: tuple[str, ...] = ("sentence", "position", "start", "end")


class _TokenTable:
    """Builds the tokens table compactly: each distinct text's tokens are encoded once as
    integer arrays (strings as category codes) and every cell holding that text refers to
    them, so a 50x corpus (2.6 M tokens, 15 k distinct texts) needs no list of 2.6 M strings.

    Example:
        >>> table = _TokenTable()
        >>> token = Token("研修", "研修", "研修", ("名詞", "普通名詞", "*", "*", "*", "*"), 0, 2)
        >>> table.add(7, "status", "研修", [token])
        >>> table.add(8, "plan", "研修", [token])
        >>> table.frame()[["entry_id", "field", "surface", "pos_detail"]].values.tolist()
        [[7, 'status', '研修', '普通名詞'], [8, 'plan', '研修', '普通名詞']]
    """

    def __init__(self) -> None:
        self.vocab: dict[str, dict[str, int]] = {name: {} for name in _STRING_COLUMNS}
        self.blocks: dict[str, dict[str, np.ndarray]] = {}
        self.cells: list[tuple[Any, str, str]] = []
        self.pos_pairs: dict[tuple[str, ...], tuple[str, str]] = {}

    def add(self, entry_id: Any, field_name: str, text: str, tokens: list[Token]) -> None:
        """Record the tokens of one cell (encoded once per distinct text)."""
        if text not in self.blocks:
            self.blocks[text] = self._encode(tokens)
        self.cells.append((entry_id, field_name, text))

    def _encode(self, tokens: list[Token]) -> dict[str, np.ndarray]:
        pairs = [self.pos_pairs.get(t.pos) or _pos_pair(t.pos, self.pos_pairs) for t in tokens]
        sentences = [token.sentence for token in tokens]
        strings = {
            "surface": [token.surface for token in tokens],
            "normalized": [token.normalized for token in tokens],
            "lemma": [token.lemma for token in tokens],
            "pos": [pair[0] for pair in pairs],
            "pos_detail": [pair[1] for pair in pairs],
            "conjugation": [token.conjugation for token in tokens],
        }
        block = {
            name: np.array([_code(self.vocab[name], value) for value in values], dtype=np.int32)
            for name, values in strings.items()
        }
        ints = {
            "sentence": sentences,
            "position": _positions(sentences),
            "start": [token.start for token in tokens],
            "end": [token.end for token in tokens],
        }
        block.update({name: np.array(values, dtype=np.int32) for name, values in ints.items()})
        return block

    def frame(self) -> pd.DataFrame:
        """The tokens table, columns TOKEN_COLUMNS, strings as sorted categories."""
        lengths = np.array([len(self.blocks[text]["start"]) for *_, text in self.cells], dtype=int)
        entry_ids = np.array([cell[0] for cell in self.cells])
        fields = sorted({cell[1] for cell in self.cells})
        field_codes = np.array([fields.index(cell[1]) for cell in self.cells], dtype=np.int32)
        columns: dict[str, Any] = {
            "entry_id": np.repeat(entry_ids, lengths) if len(self.cells) else np.zeros(0, int),
            "field": _categorical(np.repeat(field_codes, lengths), fields),
        }
        for name in _INT_COLUMNS + _STRING_COLUMNS:
            parts = [self.blocks[text][name] for *_, text in self.cells]
            codes = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
            columns[name] = codes if name in _INT_COLUMNS else _categorical(codes, self.vocab[name])
        return pd.DataFrame({name: columns[name] for name in TOKEN_COLUMNS})


def _code(vocab: dict[str, int], value: str) -> int:
    code = vocab.get(value)
    if code is None:
        code = vocab[value] = len(vocab)
    return code


def _categorical(codes: np.ndarray, categories: Iterable[str]) -> pd.Categorical:
    """Codes over ``categories`` (in code order) as a Categorical with sorted categories."""
    values = list(categories)
    categorical = pd.Categorical.from_codes(codes, categories=pd.Index(values, dtype=object))
    return categorical.reorder_categories(sorted(values))


def _pos_pair(
    pos: tuple[str, ...], pos_columns: dict[tuple[str, ...], tuple[str, str]]
) -> tuple[str, str]:
    pair = pos_columns[pos] = (pos[0], "-".join(part for part in pos[1:4] if part != "*"))
    return pair


def _positions(sentences: list[int]) -> list[int]:
    """Token number within its sentence: ``[0, 0, 1, 1, 1]`` -> ``[0, 1, 0, 1, 2]``."""
    positions: list[int] = []
    position, previous = 0, -1
    for sentence in sentences:
        position = position + 1 if sentence == previous else 0
        previous = sentence
        positions.append(position)
    return positions
