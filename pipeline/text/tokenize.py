"""SudachiPy tokens of a text's matching form, with offsets in the original text.

One Sudachi dictionary per process and per (user dictionary, split mode): a module-level lazy
singleton (``sudachi_tokenizer``). Text longer than ``max_chunk_chars`` is cut at sentence ends
(or hard-cut) first, because SudachiPy refuses more than about 49 KB per call.

Speed: cells are short (about 55 characters), so the cost is per morpheme. A dictionary word's
normalized form, lemma and POS are read from Sudachi once per word id and kept in
``Sudachi.words``; afterwards a morpheme costs two calls (word id, end) and the surface
is a slice of the text (morphemes tile the text, so a morpheme begins where the previous one
ended). Out-of-vocabulary morphemes (numbers, rare katakana) have no stable
word id and are read from the morpheme itself. (Loading fewer word-info fields, SudachiPy 0.7's
``fields=``, changes the segmentation of numbers: the number-joining step needs them.)

Example:
    >>> from pipeline.text.normalize import LineRules, TypoRules, matching_form
    >>> text = "研修を実施した。"
    >>> form = matching_form(text, TypoRules(None, ()), LineRules())
    >>> [t.surface for t in tokenize_form(form, text, sudachi_tokenizer(None, "C"), 10000)][:3]
    ['研修', 'を', '実施']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from sudachipy import Config, Dictionary, Tokenizer

from pipeline.text.normalize import MatchingForm

_BLANK = "空白"
_CUT_AFTER = "。！？!?\n"
_OOV_IDS = 0xF000_0000  # sudachi.rs: word ids from this value up are out-of-vocabulary
_new_token = tuple.__new__
_SURROGATE = re.compile("[\ud800-\udfff]")
Word = tuple[str, str, tuple[str, ...]]  # normalized form, lemma (dictionary form), POS


class Token(NamedTuple):
    """One morpheme: matching surface, normalized form, lemma, POS, original offsets.

    ``pos`` holds Sudachi's six fields (品詞1-4, 活用型, 活用形); ``original[start:end]`` is the
    exact original text of the token (it can differ from ``surface`` by a typo or a wrap).
    """

    surface: str
    normalized: str
    lemma: str
    pos: tuple[str, ...]
    start: int
    end: int
    sentence: int = 0

    @property
    def conjugation(self) -> str:
        """The conjugation form (活用形), '' for words that do not inflect.

        Example:
            >>> Token("し", "為る", "する", ("動詞", "非自立可能", "*", "*", "サ行変格",
            ...       "連用形-一般"), 0, 1).conjugation
            '連用形-一般'
        """
        return "" if self.pos[5] == "*" else self.pos[5]

    @property
    def conjugation_type(self) -> str:
        """The conjugation type (活用型), e.g. 助動詞-タ; '' for words that do not inflect."""
        return "" if self.pos[4] == "*" else self.pos[4]


@dataclass
class Sudachi:
    """The Sudachi tokenizer, its POS table and the dictionary words seen so far.

    ``words`` maps a dictionary word id to its ``Word``, or to ``()`` for whitespace.

    Example:
        >>> sudachi = sudachi_tokenizer(None, "C")
        >>> sudachi.pos_table[0][0]
        '代名詞'
    """

    tokenizer: Tokenizer
    pos_table: list[tuple[str, ...]]
    words: dict[int, Word | tuple[()]] = field(default_factory=dict)

    def word(self, morpheme: Any) -> Word | tuple[()]:
        """A morpheme's normalized form, lemma and POS (``()`` for whitespace).

        Example:
            >>> sudachi = sudachi_tokenizer(None, "C")
            >>> sudachi.word(sudachi.tokenizer.tokenize("できる")[0])[:2]
            ('出来る', 'できる')
        """
        pos = self.pos_table[morpheme.part_of_speech_id()]
        if pos[0] == _BLANK:
            return ()
        return morpheme.normalized_form(), morpheme.dictionary_form(), pos


_TOKENIZERS: dict[tuple[str, str], Sudachi] = {}


def sudachi_tokenizer(user_dictionary: Path | None, mode: str) -> Sudachi:
    """The process-wide tokenizers for this user dictionary and mode, and the POS table.

    Example:
        >>> sudachi_tokenizer(None, "C") is sudachi_tokenizer(None, "C")
        True
    """
    key = (str(user_dictionary or ""), mode)
    if key not in _TOKENIZERS:
        config = Config(user=[str(user_dictionary)]) if user_dictionary else Config()
        dictionary = Dictionary(config=config, dict="core")
        pos_table = [tuple(pos) for pos in dictionary.pos_matcher([()])]
        _TOKENIZERS[key] = Sudachi(dictionary.tokenizer(mode), pos_table)
    return _TOKENIZERS[key]


def chunks(text: str, limit: int) -> list[tuple[int, str]]:
    """``(offset, piece)`` pieces of at most ``limit`` characters, cut after a sentence end.

    Example:
        >>> chunks("あい。うえお。か", 4)
        [(0, 'あい。'), (3, 'うえお。'), (7, 'か')]
    """
    if len(text) <= limit:
        return [(0, text)] if text else []
    pieces: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = max(window.rfind(mark) for mark in _CUT_AFTER) + 1
        cut = cut if cut > 0 else limit
        pieces.append((start, window[:cut]))
        start += cut
    if start < len(text):
        pieces.append((start, text[start:]))
    return pieces


def _morphemes(sudachi: Tokenizer, piece: str) -> Any:
    try:
        return sudachi.tokenize(piece)
    except UnicodeEncodeError:  # a lone surrogate: Sudachi reads UTF-8 only; same length
        return sudachi.tokenize(_SURROGATE.sub("\ufffd", piece))


def tokenize_form(
    form: MatchingForm,
    original: str,
    tokenizer: Sudachi,
    limit: int,
    sentence_starts: list[int] | None = None,
) -> list[Token]:
    """Tokens of ``form.text`` with spans in ``original``; whitespace tokens are left out.

    ``sentence_starts`` (original offsets, sorted) sets each token's ``sentence`` index.

    Example:
        >>> from pipeline.text.normalize import LineRules, TypoRules, matching_form
        >>> form = matching_form("中止。実施", TypoRules(None, ()), LineRules())
        >>> tokens = tokenize_form(form, "中止。実施", sudachi_tokenizer(None, "C"), 100, [0, 3])
        >>> [(t.surface, t.sentence) for t in tokens]
        [('中止', 0), ('。', 0), ('実施', 1)]
    """
    sudachi, words = tokenizer.tokenizer, tokenizer.words
    starts = sentence_starts or [0]
    last_sentence = len(starts) - 1
    next_start = starts[1] if last_sentence else -1
    sentence = 0
    identity = form.identity
    tokens: list[Token] = []
    append = tokens.append
    for offset, piece in chunks(form.text, limit):
        end = 0
        for morpheme in _morphemes(sudachi, piece):
            begin, end = end, morpheme.end()
            word_id = morpheme.word_id()
            word = words.get(word_id)
            if word is None:
                word = tokenizer.word(morpheme)
                if word_id < _OOV_IDS:
                    words[word_id] = word
            if not word:
                continue
            normalized, lemma, pos = word
            surface = piece[begin:end]
            if identity:
                start, stop = begin + offset, end + offset
            else:
                start, stop = form.span(begin + offset, end + offset)
            while 0 <= next_start <= start:
                sentence += 1
                next_start = starts[sentence + 1] if sentence < last_sentence else -1
            append(_new_token(Token, (surface, normalized, lemma, pos, start, stop, sentence)))
    return tokens
