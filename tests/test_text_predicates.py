"""Polarity and tense of real phrases from data/samples/ (the main predicate of each phrase)."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.text import TextLayer, default_layer
from pipeline.text.predicates import in_particle, is_continuative


@pytest.fixture(scope="session")
def layer() -> TextLayer:
    return default_layer()


# (phrase as written in data/samples/, expected polarity, expected tense of the main predicate)
MAIN_PREDICATE_CASES = [
    # cancelled: the cancellation happened (affirmative), in the past
    ("ウイルス感染症拡大防止のため中止した", "affirmative", "past"),
    ("出前講座はコロナの影響で中止になった", "affirmative", "past"),
    ("コロナ禍で3回中止となった", "affirmative", "past"),
    ("総合防災訓練は台風により中止となってしまった", "affirmative", "past"),
    ("新型コロナウイルス感染症の流行により延期とした", "affirmative", "past"),
    # not held / could not
    ("開催すべきであったが、実施することができなかった。", "negated", "past"),
    ("コロナ禍により、円卓会議・地域づくりの会の実施はできなかった。", "negated", "past"),
    ("関係機関との情報共有等をはかることはできなかった", "negated", "past"),
    ("集合型の連絡会は実施せず", "negated", "nonpast"),
    ("リーフレットの個別郵送は見送った", "negated", "past"),
    ("開催には至らなかった", "negated", "past"),
    ("コロナ禍のため実施しなかった", "negated", "past"),
    # held online / with precautions / as planned
    ("コロナ禍においてオンラインでの開催とした", "affirmative", "past"),
    ("感染症対策を取りながら開催した", "affirmative", "past"),
    ("利用の一部制限があったものの計画通り実施した", "affirmative", "past"),
    ("予定どおり実施することができた", "affirmative", "past"),
    ("相談は緊急事態宣言中も休止することなく実施した", "affirmative", "past"),
    ("延期せず実施した", "affirmative", "past"),
    ("障害福祉課窓口に置き周知に努めた", "affirmative", "past"),
    ("リーフレットを配布し啓発に努めた", "affirmative", "past"),
    # will hold / plan wording
    ("10月以降に開催予定", "affirmative", "intent"),
    ("年1回実施予定", "affirmative", "intent"),
    ("9月1日に市立南中学校で開催する予定である", "affirmative", "intent"),
    ("HP等の充実に努める", "affirmative", "intent"),
    ("リスクを抱える方の早期発見に努めていく", "affirmative", "intent"),
    ("居住支援相談窓口との連携を図っていく", "affirmative", "intent"),
    ("他課との連携にも努めている", "affirmative", "intent"),  # 努める wins: an effort, not a result
    ("他機関と連携した対応を推進している", "affirmative", "progressive"),
    ("日常業務にて相談業務を行っている", "affirmative", "progressive"),
    ("時期計画策定に向けた協議のため、開催する。", "affirmative", "nonpast"),
    ("今後の計画の推進について改めて検討するために実施する。", "affirmative", "nonpast"),
    ("地域活動は連携をとり再開に向けて各地域と調整を図る。", "affirmative", "nonpast"),
    # nominal endings and explicit negatives
    ("ゲートキーパー養成講座を開催", "affirmative", "nominal"),
    ("未実施", "negated", "nominal"),
]


@pytest.mark.parametrize(("phrase", "polarity", "tense"), MAIN_PREDICATE_CASES)
def test_predicates_main_polarity_and_tense(
    layer: TextLayer, phrase: str, polarity: str, tense: str
) -> None:
    main = layer.main_predicates(phrase)[-1]
    assert (main.polarity, main.tense) == (polarity, tense), main


@pytest.mark.parametrize(
    ("phrase", "term", "negated"),
    [
        ("中止することなく実施した", "中止", True),  # the negation attaches to 中止 ...
        ("中止することなく実施した", "実施", False),  # ... not to the main predicate
        ("延期せず実施", "延期", True),
        ("相談は緊急事態宣言中も休止することなく継続した", "休止", True),
        ("ウイルス感染症予防のため中止した", "中止", False),
        ("開催を見送った", "開催", True),  # 見送る negates its object
        ("開催には至らなかった", "開催", True),
        ("中止には至らなかった", "中止", True),
        ("三鷹と共催開催の就職面接会は中止となった", "中止", False),
        ("円卓会議の実施はできなかった", "実施", True),
    ],
)
def test_predicates_is_negated_at_term_span(
    layer: TextLayer, phrase: str, term: str, negated: bool
) -> None:
    start = phrase.index(term)
    assert layer.is_negated(phrase, start, start + len(term)) is negated


def test_predicates_span_quotes_original(layer: TextLayer) -> None:
    text = "新型コロナウイルス感染症の影響下でも研修は中止\nすることなく実施した。"
    for predicate in layer.predicates(text):
        assert text[predicate.start : predicate.end] == predicate.surface
    assert [p.lemma for p in layer.negated_terms(text)] == ["中止"]


def test_predicates_main_flag_per_sentence(layer: TextLayer) -> None:
    mains = layer.main_predicates("研修を開催し、啓発を行った。来年度も実施する。")
    assert [(p.lemma, p.tense) for p in mains] == [("行う", "past"), ("実施", "nonpast")]


@pytest.mark.parametrize(
    ("phrase", "main"),
    [
        # a compound particle verb is never a head (lexicons/predicates.tsv compound_particle)
        ("プログラム策定員による相談 プログラム策定件数 0件", []),
        ("高齢者に対する見守りを実施した", [("実施", "past")]),
        ("講座を通じて周知した", [("周知", "past")]),
        ("再開に向けた準備をする", [("準備", "nonpast")]),
        ("問題に目を向ける", [("向ける", "nonpast")]),  # after を, 向ける is a verb
        # a predicate inside brackets describes; the main one is the last outside them
        ("25,011食(65歳以上の方に夕食を配達する)", []),
        ("研修を実施した（参加者に資料を配布する）", [("実施", "past")]),
        ("「プロに教わる！活動継続の秘訣」などの講座を開催。", [("開催", "nominal")]),
        ("（新型コロナウイルスの影響により中止した。）", [("中止", "past")]),  # all in brackets
    ],
)
def test_predicates_main_skips_particles_and_brackets(
    layer: TextLayer, phrase: str, main: list[tuple[str, str]]
) -> None:
    assert [(p.lemma, p.tense) for p in layer.main_predicates(phrase)] == main


def test_predicates_particle_and_bracket_on_koganei_2020(
    layer: TextLayer, sample_entries: pd.DataFrame
) -> None:
    # 002: 母子・父子自立支援員設置事業 (7631bb2babb7) and 高齢者食の自立支援事業 (01efa41805c2)
    koganei = sample_entries[
        (sample_entries["source"] == "002_fb856b526bbf0244.txt")
        & (sample_entries["fiscal_year"] == 2020)
    ].set_index("item")["status"]
    counselling = koganei["母子・父子自立支援員設置事業"]
    assert "策定員による相談" in counselling
    assert "よる" not in [p.lemma for p in layer.predicates(counselling)]
    meals = koganei["高齢者食の自立支援事業"]
    assert meals.count("配達する)") == 2
    assert layer.main_predicates(meals) == []


@pytest.mark.parametrize(
    ("phrase", "continuative"),
    [("R2年度に引き続き。", True), ("研修を実施し。", True), ("研修を実施する。", False)],
)
def test_predicates_continuative_last_token(
    layer: TextLayer, phrase: str, continuative: bool
) -> None:
    main = layer.main_predicates(phrase)[-1]
    last = [t for t in layer.tokens(phrase) if t.start < main.end][-1]
    assert is_continuative(last) is continuative


@pytest.mark.parametrize(
    ("text", "particle_verbs"),
    [("台風により中止した", ["より"]), ("策定員による相談", ["よる"]), ("よることにした", [])],
)
def test_compound_particle_verbs_are_told_by_the_particle_before_them(
    layer: TextLayer, text: str, particle_verbs: list[str]
) -> None:
    tokens = layer.tokens(text)
    facts = layer.markers.facts(tokens)
    found = [
        t.surface for i, t in enumerate(tokens) if in_particle(facts[i].particle_after, tokens, i)
    ]
    assert found == particle_verbs
    heads = [p.lemma for p in layer.predicates(text)]
    assert ("よる" in heads) == (not particle_verbs)
