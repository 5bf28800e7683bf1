"""Predicates of a sentence with polarity (affirmative / negated) and tense or mood.

A predicate is a head (verb, adjective, or a noun such as 実施 or 中止) and the chain that
follows it: auxiliaries, dependent verbs (する, できる, いる, いく) and the ``chain`` words of
``lexicons/predicates.tsv``, with ``bridge`` words (こと, て, は, を ...) allowed in between
only when a chain word follows. A negation in the chain negates the head, so in
中止することなく実施した the head 中止 is negated and the main predicate 実施した is
affirmative and past. A ``compound_particle`` verb right after its particle (による, に対する,
を通じて) is part of a case particle, never a head. The main predicate is the last one outside
brackets: in 夕食を配達した（配達する地域は市内）, 配達した; a predicate inside brackets
(「プロに教わる」, (夕食を配達する)) describes, it does not state what was done.

Tense values: ``past`` (した, できた), ``progressive`` (している), ``intent`` (努める, 図っていく,
予定である), ``nonpast`` (実施する), ``nominal`` (a sentence ending on a noun: 研修会を実施。).

Example:
    >>> from pipeline.lexicons import Lexicons
    >>> rules = MarkerRules.from_rows(Lexicons().table("predicates"))
    >>> rules.role_of("ず", "助動詞-ヌ")
    frozenset({'negation'})
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, cast

from pipeline.text.sentences import Span, bracketed, is_inside
from pipeline.text.tokenize import Token

AFFIRMATIVE = "affirmative"
NEGATED = "negated"
TENSES: tuple[str, ...] = ("past", "progressive", "intent", "nonpast", "nominal")

_INFLECTING = {"動詞", "形容詞", "助動詞"}
_HEADS = {"動詞", "形容詞", "形状詞", "名詞", "代名詞"}
_DEPENDENT = "非自立可能"
_VERBAL_NOUN = "サ変可能"
_AUXILIARY_STEM = "助動詞語幹"
_SYMBOLS = {"補助記号", "記号", "空白"}
_CONTINUATIVE = "連用形"
_COMPOUND_PARTICLE = "compound_particle"
_NOMINAL_ROLES = frozenset({"lexical_negative", "intent"})
FACTS_KEPT = 16384
"""Words whose facts ``MarkerRules.facts`` remembers (numbers and names are words too; about
250 bytes a word with its key, so at most about 4 MB): full, it starts again."""


@dataclass(frozen=True, slots=True)
class Predicate:
    """One predicate: ``surface`` is ``original[start:end]``; the head is ``original[head_start:
    head_end]`` (the term a negation attaches to), ``lemma`` its dictionary form.
    """

    surface: str
    lemma: str
    start: int
    end: int
    head_start: int
    head_end: int
    polarity: str
    tense: str
    sentence: int
    main: bool


@dataclass(frozen=True)
class MarkerRules:
    """``lexicons/predicates.tsv`` as role lookups by lemma and conjugation type."""

    by_lemma: dict[str, set[str]] = field(default_factory=dict)
    by_conjugation: dict[str, set[str]] = field(default_factory=dict)
    by_pair: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    particles: dict[str, set[str]] = field(default_factory=dict)
    memo: dict[tuple[str, str], frozenset[str]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """Roles already looked up, by (lemma, conjugation type): every token of every cell asks."""
    words: dict[tuple[str, tuple[str, ...]], WordFacts] = field(
        default_factory=dict, compare=False, repr=False
    )
    """Facts already looked up, by (lemma, POS); at most ``FACTS_KEPT``."""

    @classmethod
    def from_rows(cls, rows: Iterable[dict[str, str]]) -> MarkerRules:
        """Index rows with ``role``, ``lemma`` and ``conj_type`` (``*`` or empty = any); a
        ``compound_particle`` row names in ``after`` the particle its verb follows."""
        rules = cls()
        for row in rows:
            lemma = row["lemma"].strip("*")
            conjugation = row.get("conj_type", "").strip("*")
            if row["role"] == _COMPOUND_PARTICLE:
                rules.particles.setdefault(lemma, set()).add(row.get("after", "").strip("*"))
            elif lemma and conjugation:
                rules.by_pair.setdefault((lemma, conjugation), set()).add(row["role"])
            elif lemma:
                rules.by_lemma.setdefault(lemma, set()).add(row["role"])
            else:
                rules.by_conjugation.setdefault(conjugation, set()).add(row["role"])
        return rules

    def role_of(self, lemma: str, conjugation_type: str) -> frozenset[str]:
        """Roles of a token with this lemma and conjugation type (empty set: none).

        Example:
            >>> MarkerRules.from_rows([{"role": "past", "lemma": "*", "conj_type": "助動詞-タ"}]
            ...                       ).role_of("だ", "助動詞-タ")
            frozenset({'past'})
        """
        key = (lemma, conjugation_type)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = frozenset(
                self.by_lemma.get(lemma, set())
                | self.by_conjugation.get(conjugation_type, set())
                | self.by_pair.get((lemma, conjugation_type.split("-")[0]), set())
            )
        return found

    def roles(self, token: Token) -> frozenset[str]:
        """Roles of a token (by its conjugation type, else its part of speech)."""
        pos = token.pos
        kind = pos[4] if pos[4] and pos[4] != "*" else pos[0]
        found = self.memo.get((token.lemma, kind))
        return self.role_of(token.lemma, kind) if found is None else found

    def facts(self, tokens: list[Token]) -> list[WordFacts]:
        """``word_facts`` of each token, each distinct word looked up once.

        Example:
            >>> token = Token("研修", "研修", "研修", ("名詞", "普通名詞", "サ変可能", "*", "*",
            ...               "*"), 0, 2)
            >>> [(f.head, f.noun_end) for f in MarkerRules().facts([token, token])]
            [(True, True), (True, True)]
        """
        words = self.words
        found = [words.get((token.lemma, token.pos)) for token in tokens]
        if None in found:
            if len(words) >= FACTS_KEPT:
                words.clear()
            for index, token in enumerate(tokens):
                if found[index] is None:
                    fact = words[(token.lemma, token.pos)] = word_facts(token, self)
                    found[index] = fact
        return cast(list[WordFacts], found)


def in_particle(after: frozenset[str] | None, tokens: Sequence[Token], index: int) -> bool:
    """True when ``tokens[index]`` is the verb of a compound particle (に + よる); ``after`` is
    its word's ``WordFacts.particle_after`` (the particles it follows there, "" for any).

    Example:
        >>> ni = Token("に", "に", "に", ("助詞", "格助詞", "*", "*", "*", "*"), 0, 1)
        >>> yoru = Token("よる", "因る", "よる", ("動詞", "一般", "*", "*", "五段-ラ行",
        ...              "連体形-一般"), 1, 3)
        >>> after = frozenset({"に"})
        >>> in_particle(after, [ni, yoru], 1), in_particle(after, [yoru], 0)
        (True, False)
        >>> in_particle(None, [ni, yoru], 1), in_particle(frozenset({""}), [yoru], 0)
        (False, True)
    """
    if after is None:
        return False
    return "" in after or (index > 0 and tokens[index - 1].lemma in after)


def is_continuative(token: Token) -> bool:
    """True for a word in 連用形: a clause left open (引き続き。, 連携し。) carries no tense.

    Example:
        >>> is_continuative(Token("引き続き", "引き続く", "引き続く", ("動詞", "一般", "*", "*",
        ...                       "五段-カ行", "連用形-一般"), 0, 4))
        True
    """
    return token.conjugation.startswith(_CONTINUATIVE)


class WordFacts(NamedTuple):
    """What the predicate walk asks of a word, the same wherever it occurs: its roles, whether
    it extends a chain, bridges to one (``opens``: either), may head a predicate (a head's part
    of speech, not an auxiliary stem), is a noun, and which particles make it part of a
    compound particle."""

    roles: frozenset[str]
    chain: bool
    bridge: bool
    opens: bool
    head: bool
    noun_end: bool
    symbol: bool
    inflecting: bool
    flips: int
    particle_after: frozenset[str] | None


def _is_chain(pos: tuple[str, ...], roles: frozenset[str]) -> bool:
    if "chain" in roles or pos[0] == "助動詞":
        return True
    return pos[0] in {"動詞", "形容詞"} and pos[1] == _DEPENDENT


def word_facts(token: Token, rules: MarkerRules) -> WordFacts:
    """The walk's facts of ``token``'s word (its lemma and part of speech).

    Example:
        >>> rules = MarkerRules.from_rows([{"role": "negation", "lemma": "ない",
        ...                                 "conj_type": ""}])
        >>> nai = Token("ない", "無い", "ない", ("助動詞", "*", "*", "*", "助動詞-ナイ",
        ...             "終止形-一般"), 0, 2)
        >>> facts = word_facts(nai, rules)
        >>> facts.chain, facts.head, facts.flips
        (True, False, 1)
    """
    pos, roles = token.pos, rules.roles(token)
    after = rules.particles.get(token.lemma)
    return WordFacts(
        roles=roles,
        chain=_is_chain(pos, roles),
        bridge="bridge" in roles,
        opens=_is_chain(pos, roles) or "bridge" in roles,
        head=pos[0] in _HEADS and pos[1] != _AUXILIARY_STEM,
        noun_end=pos[0] == "名詞" and (pos[2] == _VERBAL_NOUN or bool(roles & _NOMINAL_ROLES)),
        symbol=pos[0] in _SYMBOLS,
        inflecting=pos[0] in _INFLECTING,
        flips=("negation" in roles) + ("lexical_negative" in roles),
        particle_after=None if after is None else frozenset(after),
    )


class _Sentence:
    """One sentence's tokens with what the walk asks of each: its word's facts (looked up once
    per distinct word, ``MarkerRules.facts``), whether it may head a predicate (not the verb of
    a compound particle) and whether it ends the sentence as a verbal noun (or a negative /
    intent noun) that only symbols follow."""

    roles: Sequence[frozenset[str]]
    chain: Sequence[bool]
    bridge: Sequence[bool]
    opens: Sequence[bool]

    def __init__(self, tokens: list[Token], rules: MarkerRules) -> None:
        self.tokens = tokens
        self.facts = facts = rules.facts(tokens)
        columns = list(zip(*facts, strict=True)) if facts else [()] * len(WordFacts._fields)
        self.roles, self.chain, self.bridge, self.opens, heads = columns[:5]
        self.heads = list(heads)
        afters = columns[-1]
        if afters.count(None) < len(afters):  # a compound particle's verb heads nothing
            for index, after in enumerate(afters):
                if heads[index]:
                    self.heads[index] = not in_particle(after, tokens, index)
        self.nominal = [False] * len(tokens)
        for index in range(len(tokens) - 1, -1, -1):
            fact = facts[index]
            self.nominal[index] = fact.noun_end
            if not fact.symbol:
                break

    def chain_end(self, head: int) -> int:
        """Index just after the last chain token that follows ``tokens[head]``."""
        size, chain, bridge = len(self.tokens), self.chain, self.bridge
        index = head + 1
        while index < size:
            if chain[index]:
                index += 1
                continue
            ahead = index
            while ahead < size and bridge[ahead]:
                ahead += 1
            if ahead in (index, size) or not chain[ahead]:
                break
            index = ahead
        return index

    def polarity(self, head: int, end: int) -> str:
        flips = 0
        if head > 0 and "negative_prefix" in self.roles[head - 1]:
            flips += 1
        flips += sum(fact.flips for fact in self.facts[head:end])
        return NEGATED if flips % 2 else AFFIRMATIVE

    def tense(self, head: int, end: int) -> str:
        roles = set().union(*self.roles[head:end])
        if "past" in roles:
            return "past"
        if "intent" in roles:
            return "intent"
        if "progressive" in roles:
            return "progressive"
        if not any(fact.inflecting for fact in self.facts[head:end]):
            return "nominal"
        return "nonpast"


def sentence_predicates(
    tokens: list[Token], original: str, rules: MarkerRules, sentence: int = 0
) -> list[Predicate]:
    """Predicates of one sentence's tokens, in order; the last one outside brackets is ``main``.

    A head is a verb or adjective, or a noun with a chain after it (実施 + した), or a verbal
    noun ending the sentence (研修会を実施。).

    Example:
        >>> from pipeline.lexicons import Lexicons
        >>> from pipeline.text import TextLayer
        >>> layer = TextLayer(Lexicons())
        >>> [(p.lemma, p.polarity, p.tense) for p in layer.predicates("中止せず実施した。")]
        [('中止', 'negated', 'nonpast'), ('実施', 'affirmative', 'past')]
    """
    walk = _Sentence(tokens, rules)
    heads, nominal, opens, facts = walk.heads, walk.nominal, walk.opens, walk.facts
    found: list[tuple[str, str, int, int, int, int, str, str]] = []
    size, index = len(tokens), 0
    while index < size:
        after = index + 1
        end, is_head = 0, False
        if heads[index]:  # a chain can only follow when the next token may open one
            end = walk.chain_end(index) if after < size and opens[after] else after
            is_head = end > after or facts[index].inflecting
        if not is_head and nominal[index]:
            end, is_head = end or walk.chain_end(index), True
        if is_head:
            head = tokens[index]
            start, stop = head.start, tokens[end - 1].end
            polarity, tense = walk.polarity(index, end), walk.tense(index, end)
            found.append(
                (
                    original[start:stop],
                    head.lemma,
                    start,
                    stop,
                    head.start,
                    head.end,
                    polarity,
                    tense,
                )
            )
            index = end
        else:
            index = after
    if not found:
        return []
    asides = _asides(walk, original)
    main = _main_index([fields[4] for fields in found], asides) if asides else len(found) - 1
    return [
        Predicate(*fields, sentence=sentence, main=number == main)
        for number, fields in enumerate(found)
    ]


def _asides(walk: _Sentence, original: str) -> list[Span]:
    """Bracketed spans of the sentence, in ``original`` offsets, except a pair around it all."""
    tokens = walk.tokens
    start = tokens[0].start
    pairs = bracketed(original[start : tokens[-1].end])
    symbols = [fact.symbol for fact in walk.facts] if pairs else []
    if all(symbols):
        return []
    first, last = (
        tokens[symbols.index(False)],
        tokens[len(symbols) - symbols[::-1].index(False) - 1],
    )
    spans = [(a + start, b + start) for a, b in pairs]
    return [(a, b) for a, b in spans if not (a < first.start and last.end < b)]


def _main_index(head_starts: list[int], asides: list[Span]) -> int:
    """The last predicate whose head is outside ``asides`` (the main one); -1 when none."""
    for index in range(len(head_starts) - 1, -1, -1):
        if not is_inside(asides, head_starts[index]):
            return index
    return -1
