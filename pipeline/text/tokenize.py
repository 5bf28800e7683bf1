"""SudachiPy tokens of a text's matching form, with offsets in the original text.

One Sudachi tokenizer per process and per (user dictionary, split mode): a module-level lazy
singleton, created with ``Dictionary.tokenizer()``. Text longer than ``max_chunk_chars`` is cut at
sentence ends (or hard-cut) first, because SudachiPy refuses more than about 49 KB per call.

Example:
    >>> from pipeline.text.normalize import LineRules, TypoRules, matching_form
    >>> text = "研修を実施した。"
    >>> form = matching_form(text, TypoRules(None, ()), LineRules())
    >>> [t.surface for t in tokenize_form(form, text, sudachi_tokenizer(None, "C"), 10000)][:3]
    ['研修', 'を', '実施']
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from sudachipy import Config, Dictionary, Tokenizer

from pipeline.text.normalize import MatchingForm

_TOKENIZERS: dict[tuple[str, str], tuple[Tokenizer, list[tuple[str, ...]]]] = {}
_BLANK = "空白"
_CUT_AFTER = "。！？!?\n"
_new_token = tuple.__new__


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


def sudachi_tokenizer(
    user_dictionary: Path | None, mode: str
) -> tuple[Tokenizer, list[tuple[str, ...]]]:
    """The process-wide tokenizer for this user dictionary and mode, and the POS table.

    Example:
        >>> tokenizer, pos_table = sudachi_tokenizer(None, "C")
        >>> pos_table[0][0]
        '代名詞'
    """
    key = (str(user_dictionary or ""), mode)
    if key not in _TOKENIZERS:
        config = Config(user=[str(user_dictionary)]) if user_dictionary else Config()
        dictionary = Dictionary(config=config, dict="core")
        pos_table = [tuple(pos) for pos in dictionary.pos_matcher([()])]
        _TOKENIZERS[key] = (dictionary.tokenizer(mode), pos_table)
    return _TOKENIZERS[key]


def chunks(text: str, limit: int) -> list[tuple[int, str]]:
    """``(offset, piece)`` pieces of at most ``limit`` characters, cut after a sentence end.

    Example:
        >>> chunks("あい。うえお。か", 4)
        [(0, 'あい。'), (3, 'うえお。'), (7, 'か')]
    """
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


def tokenize_form(
    form: MatchingForm,
    original: str,
    tokenizer: tuple[Tokenizer, list[tuple[str, ...]]],
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
    sudachi, pos_table = tokenizer
    starts = sentence_starts or [0]
    last_sentence = len(starts) - 1
    sentence = 0
    identity = form.identity
    tokens: list[Token] = []
    append = tokens.append
    for offset, piece in chunks(form.text, limit):
        for morpheme in sudachi.tokenize(piece):
            pos = pos_table[morpheme.part_of_speech_id()]
            if pos[0] == _BLANK:
                continue
            start, end = offset + morpheme.begin(), offset + morpheme.end()
            if not identity:
                start, end = form.span(start, end)
            while sentence < last_sentence and starts[sentence + 1] <= start:
                sentence += 1
            append(
                _new_token(
                    Token,
                    (
                        morpheme.surface(),
                        morpheme.normalized_form(),
                        morpheme.dictionary_form(),
                        pos,
                        start,
                        end,
                        sentence,
                    ),
                )
            )
    return tokens
