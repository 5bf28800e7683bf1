"""The text layer's shortcuts give exactly what the full passes give."""

from __future__ import annotations

import importlib
import unicodedata

import pytest

from pipeline.text import TextLayer
from pipeline.text.normalize import IDENTITY, TypoRules, fold_characters, map_typos
from pipeline.text.predicates import MarkerRules, Predicate, WordFacts, word_facts
from pipeline.text.tokenize import Token

RULES = TypoRules.from_rows(
    [
        {"wrong": "グートキーパー", "right": "ゲートキーパー"},
        {"wrong": "あつた", "right": "あった", "pattern": "(?<=[がもはで])あつた"},
    ]
)


@pytest.mark.parametrize(
    ("text", "expected", "identity"),
    [
        ("研修を実施した。", "研修を実施した。", True),  # already NFKC: nothing to fold
        ("令和２年度（ｶﾞｲﾄﾞ）", "令和2年度(ガイド)", False),
        ("㈱ﾃﾞｲｹｱ", "(株)デイケア", False),
    ],
)
def test_fast_paths_fold_characters(text: str, expected: str, identity: bool) -> None:
    folded, offsets = fold_characters(text)
    assert folded == expected
    assert (offsets is IDENTITY) == identity == unicodedata.is_normalized("NFKC", text)


def test_fast_paths_typo_prefilter_skips_only_texts_without_a_wrong_form() -> None:
    assert not RULES.may_match("研修を実施した。")
    assert RULES.may_match("あつたかい")  # the literal is there; the context decides
    assert map_typos("あつたかい", RULES)[2] == []
    assert map_typos("影響があつた", RULES)[2] == [(3, 6, "あった")]


def test_fast_paths_words_are_read_once_per_word_id() -> None:
    layer = TextLayer()
    first = layer.tokens("研修を実施した。研修")
    assert first[0].lemma is first[6].lemma  # the same string object, read from Sudachi once
    assert [t.surface for t in first] == ["研修", "を", "実施", "し", "た", "。", "研修"]


def test_fast_paths_lone_surrogate_is_tokenized() -> None:
    tokens = TextLayer(cache=False).tokens("あ\ud800い")
    assert [(t.start, t.end) for t in tokens] == [(0, 1), (1, 2), (2, 3)]


_SENTENCES = "中止することなく実施した。研修会を実施。開催を見送った。相談による支援を図っていく。"


class _PlainMarkers(MarkerRules):
    """The marker rules without their memos: each token's roles and facts worked out afresh
    (the reference the remembered facts are compared with)."""

    def facts(self, tokens: list[Token]) -> list[WordFacts]:
        return [self._afresh(token) for token in tokens]

    def _afresh(self, token: Token) -> WordFacts:
        self.memo.clear()
        self.words.clear()
        return word_facts(token, self)


def _plain_predicates(text: str) -> list[Predicate]:
    layer = TextLayer(cache=False)
    layer.markers = _PlainMarkers.from_rows(layer.lexicons.table("predicates"))
    return layer.predicates(text)


def test_fast_paths_word_facts_are_remembered_as_computed_and_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fresh = TextLayer(cache=False)
    expected = _plain_predicates(_SENTENCES)
    assert fresh.predicates(_SENTENCES) == expected
    rules = fresh.markers
    tokens = fresh.tokens(_SENTENCES)
    assert rules.facts(tokens) == [word_facts(token, rules) for token in tokens]
    module = importlib.import_module("pipeline.text.predicates")  # the package shadows it
    monkeypatch.setattr(module, "FACTS_KEPT", 3)  # forgets its words over and over
    small = TextLayer(cache=False)
    assert small.predicates(_SENTENCES) == expected
    assert len(small.markers.words) <= 3 + len(tokens)
    assert [(p.lemma, p.polarity, p.tense, p.main) for p in expected] == [
        ("中止", "negated", "nonpast", False),
        ("実施", "affirmative", "past", True),
        ("実施", "affirmative", "nominal", True),
        ("開催", "negated", "past", True),
        ("図る", "affirmative", "intent", True),  # よる (after に) is no head
    ]
