"""Rating normalisation and narrative status (pipeline/ratings.py) on cells from data/samples/."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

from pipeline import ratings
from pipeline.lexicons import Lexicons
from pipeline.ratings import (
    NarrativeRules,
    RatingScale,
    add_rating_columns,
    direction_claims,
    fold_cell,
    label_span,
    narrative_status,
)
from pipeline.text import TextLayer, default_layer


@pytest.fixture(scope="session")
def scale(lexicons: Lexicons) -> RatingScale:
    return RatingScale.load(lexicons)


@pytest.fixture(scope="session")
def rules(lexicons: Lexicons) -> NarrativeRules:
    return NarrativeRules.load(lexicons)


@pytest.fixture(scope="session")
def layer() -> TextLayer:
    return default_layer()


# (cell as written in data/samples/ or a width variant, rating_kind, rating_value)
RATING_CASES = [
    ("100%", "percent", 1.0),
    ("１００％", "percent", 1.0),  # full-width digits and percent sign
    ("0%", "percent", 0.0),
    ("83％（10/12月）", "percent", 0.83),  # a note in brackets after the rating
    ("95.7%", "percent", 0.957),
    ("A", "grade", 1.0),  # 001: ほぼ施策内容を達成した
    ("B", "grade", 0.6),
    ("Ｃ", "grade", 0.3),
    ("D", "grade", 0.0),  # 001: 未実施
    ("実施", "implemented", 1.0),
    ("未実施", "implemented", 0.0),
    ("縮小して実施", "implemented", 0.5),
    ("一部実施", "implemented", 0.5),
    ("実施検討", "implemented", 0.0),
    ("45回実施/年", "count", None),
    ("９４団体", "count", None),
    ("受講率100％", "count", None),  # a measure, not an achievement rating
    ("ゲートキーパー研修受講率約60％", "count", None),
    ("3回実施(東京しごとセンター共催面接会)", "count", None),
    ("事例検討会 年2回実施", "count", None),
    ("企画課 80% 福祉総務課 実施", "composite", 0.9),
    ("【介護福祉課】実施【自立生活支援課】実施", "composite", 1.0),
    ("人権・身の上相談は未実施。市民相談は実施。", "composite", 0.5),
    ("B A A", "composite", 0.8667),
    # results per health check (受診率), not a self-assessment: no value, no contradiction
    ("①92.5% ②97.1% ③101.2% ④92.6% ⑤87.3%", "values", None),
    ("受診率 92.5% 受診率 97.1%", "values", None),
    ("【下水道課】50%", "percent", 0.5),
    ("年1回実施予定", "text", None),  # a plan
    ("取組を継続", "text", None),
    ("随時相談等に対応", "text", None),
    ("地域活動は連携をとり再開に向けて各地域と調整を図る。", "text", None),
    ("", "none", None),
    ("-", "none", None),
    ("－", "none", None),
]


@pytest.mark.parametrize(("cell", "kind", "value"), RATING_CASES)
def test_ratings_parse_kind_and_value(
    scale: RatingScale, cell: str, kind: str, value: float | None
) -> None:
    rating = scale.parse(cell)
    assert rating.kind == kind
    if value is None:
        assert rating.value is None
    else:
        assert rating.value == pytest.approx(value, abs=1e-4)


def test_ratings_composite_parts_name_their_divisions(scale: RatingScale) -> None:
    parts = scale.parse("【子育て支援課】実施【児童館】100％（12月／12月）").parts
    assert [(p.label, p.kind, p.value) for p in parts] == [
        ("子育て支援課", "implemented", 1.0),
        ("児童館", "percent", 1.0),
    ]


def test_ratings_fold_cell_keeps_circled_numbers() -> None:
    assert fold_cell("①９２．５％　 ②Ａ") == "①92.5% ②A"


def test_ratings_add_rating_columns_on_samples(
    sample_entries: pd.DataFrame, lexicons: Lexicons
) -> None:
    rated = add_rating_columns(sample_entries, lexicons)
    counts = rated.groupby("source")["rating_kind"].value_counts()
    assert counts["001_28fb2938c92c7781.txt"].to_dict() == {"grade": 69}
    assert counts["004_e0cedbc2d3263efb.txt"].to_dict() == {"none": 13}
    assert counts["003_a91a11d8f2677ccb.txt"]["implemented"] == 132
    assert rated["rating_value"].dropna().between(0, 1).all()
    assert list(rated.index) == list(sample_entries.index)


def test_ratings_mask_numbers_keeps_words(scale: RatingScale) -> None:
    masked = scale.mask_numbers("研修会を3回行った。参加者1,252名")
    assert masked == scale.mask_numbers("研修会を4回行った。参加者98名")
    assert masked != scale.mask_numbers("講演会を4回行った。参加者98名")


# (status as written in data/samples/ or a minimal variant, status, deciding phrase)
NARRATIVE_CASES = [
    (
        "コロナ禍により、円卓会議・地域づくりの会の実施はできなかった。",
        "not_done",
        "実施はできなかった",
    ),
    ("新型コロナウイルス感染症拡大防止のため中止した。", "not_done", "中止した"),
    ("開催を見送った。", "not_done", "開催を見送った"),
    ("アウトリーチ事業の実施については未実施と評価した。", "not_done", "未実施"),
    ("中止することなく実施した。", "done", "実施した"),
    ("特集記事を掲載。", "done", "掲載"),
    ("一部中止となったが、講座を開催した。", "partly_done", "一部中止"),
    ("縮小して実施した。", "partly_done", "縮小して実施"),
    ("コロナの影響で1回中止となり、延べ59人の市民が参加。", "partly_done", "1回中止"),
    (
        "交流会を実施することはできなかったが、講座を行った。",
        "partly_done",
        "実施することはできなかった",
    ),
    # 003 R1: one of two courses cancelled (〜分については…中止), 5月のみ中止 (R3 よってこカフェ)
    (
        "年2回実施(8月・3月)を予定していたが、3月分については新型コロナウイルス感染症拡大防止のため中止。",
        "partly_done",
        "3月分については新型コロナウイルス感染症拡大防止のため中止",
    ),
    ("5月のみ中止。それ以外は開催した。", "partly_done", "5月のみ中止"),
    ("十分に検討したが、中止した。", "not_done", "中止した"),  # 十分に is not 〜分は
    # 003 R1: a mailing and joint work not done (郵送 / 取り組み are activities)
    ("リーフレットの個別郵送は見送った。", "not_done", "郵送は見送った"),
    ("連携した取り組みができなかった。", "not_done", "取り組みができなかった"),
    ("35歳の市民に個別郵送した。", "done", "郵送した"),
    ("実施する。", "planned_only", "実施する"),
    ("必ず実施しなければならないものとして周知した。", "done", "周知した"),
    ("対面で実施できない期間中も、相談に応じた。", "unknown", ""),
    ("取組を継続。", "unknown", ""),
]


@pytest.mark.parametrize(("text", "status", "phrase"), NARRATIVE_CASES)
def test_ratings_narrative_status(
    layer: TextLayer, rules: NarrativeRules, text: str, status: str, phrase: str
) -> None:
    verdict = narrative_status([("status", text)], layer, rules)
    assert (verdict.status, verdict.phrase) == (status, phrase)
    assert verdict.field == ("status" if status != "unknown" else "")


def test_ratings_narrative_status_across_fields(layer: TextLayer, rules: NarrativeRules) -> None:
    verdict = narrative_status(
        [("status", "講座を開催した。"), ("evaluation", "中止した教室がある。")], layer, rules
    )
    assert (verdict.status, verdict.field, verdict.sentence) == (
        "partly_done",
        "evaluation",
        "中止した教室がある。",
    )


def test_ratings_label_span_limits_the_narrative(layer: TextLayer, rules: NarrativeRules) -> None:
    text = "(企画課) 講座を開催した。(福祉総務課) 連絡会は開催を見送った。"
    labels = ["企画課", "福祉総務課"]
    planning = narrative_status(
        [("status", text)], layer, rules, [label_span(text, "企画課", labels)]
    )
    welfare = narrative_status(
        [("status", text)], layer, rules, [label_span(text, "福祉総務課", labels)]
    )
    assert planning.status == "done"
    assert (welfare.status, welfare.sentence) == (
        "not_done",
        "(福祉総務課) 連絡会は開催を見送った。",
    )


def test_ratings_direction_claims(layer: TextLayer, rules: NarrativeRules) -> None:
    text = "来館者数は微増、開館延長時の利用者数は少し減となった。貸出件数は伸びなかった。"
    claims = direction_claims(text, layer, rules)
    assert [(c.direction, text[c.start : c.end]) for c in claims] == [
        ("increase", "微増"),
        ("decrease", "減と"),
    ]


def test_ratings_narrative_signal_outside_the_label_span_is_ignored() -> None:
    """A sentence that runs past the next label: only the signals inside the span count."""
    text = "人権相談 3件（感染症の影響により相談を中止した期間あり。）市民相談 242回実施した。"
    labels = ["人権相談", "市民相談"]
    spans = [label_span(text, "市民相談", labels)]
    verdict = narrative_status([("status", text)], TextLayer(), NarrativeRules.load(), spans)
    assert verdict.status == "done"


def test_ratings_narrative_signals_read_once_per_text() -> None:
    """Two spans of one text: each sentence's signals are read once, and each span still sees
    only its own (the kept signals are filtered per call, not stored filtered)."""
    text = "(企画課) 講座を開催した。(福祉総務課) 連絡会は開催を見送った。"
    labels = ["企画課", "福祉総務課"]
    rules, layer = NarrativeRules.load(), TextLayer()
    verdicts = [
        narrative_status([("status", text), ("evaluation", "")], layer, rules, [span, (0, 0)])
        for span in (label_span(text, label, labels) for label in labels)
    ]
    assert [verdict.status for verdict in verdicts] == ["done", "not_done"]
    assert sorted(rules.signals) == [("evaluation", ""), ("status", text)]
    assert [len(found) for _, found in rules.signals[("status", text)]] == [1, 1]
    assert rules.signals[("evaluation", "")] == ()


def test_kept_rating_parser_answers_as_a_fresh_scale(
    lexicons: Lexicons, sample_entries: pd.DataFrame
) -> None:
    """add_rating_columns' parser kept per lexicons reads every cell as a fresh scale does,
    again on a second call, and keeps at most PARSED_KEPT cells."""
    cells = [str(cell) for cell in sample_entries["rating"].fillna("")] + ["①92.5% ②97.1%", "B"]
    parser = ratings._kept_parser(lexicons)
    scale = RatingScale.load(lexicons)
    assert [parser(cell) for cell in cells] == [scale.parse(cell) for cell in cells]
    assert ratings._kept_parser(lexicons) is parser
    first = add_rating_columns(sample_entries, lexicons)
    pd.testing.assert_frame_equal(add_rating_columns(sample_entries, lexicons), first)
    assert parser.cache_info().maxsize == ratings.PARSED_KEPT  # type: ignore[attr-defined]


def test_narrative_rules_replaced_derive_their_prefilters_afresh() -> None:
    rules = NarrativeRules.load()
    name = next(iter(rules.patterns))
    swapped = dataclasses.replace(rules, patterns={**rules.patterns, name: (re.compile("テスト"),)})
    assert swapped.needs[name] == (frozenset({"テスト"}),)
    assert swapped.matches(name, "テストの結果") == [(0, 3)]
    assert rules.matches(name, "テストの結果") == []


class _BrokenParser:
    """A ``re._parser`` as another Python might have it: parse fails or its names are gone."""

    def __init__(self, error: Exception | None) -> None:
        self.error = error

    def parse(self, pattern: str, flags: int) -> list[tuple[object, object]]:
        if self.error is not None:
            raise self.error
        return [(object(), 0)]  # an op this module has no name for: LITERAL is missing


@pytest.mark.parametrize("parser", [None, _BrokenParser(ValueError("x")), _BrokenParser(None)])
def test_required_texts_without_a_usable_parser_searches_every_pattern(
    monkeypatch: pytest.MonkeyPatch, parser: _BrokenParser | None
) -> None:
    text = "コロナの影響で一部を中止した"
    found = {name: NarrativeRules.load().matches(name, text) for name in ("partly", "cancel")}
    monkeypatch.setattr(ratings, "_SRE_PARSE", parser)
    assert ratings.required_texts(re.compile("一部(?:を)?中止")) is None
    rules = NarrativeRules.load()
    assert all(needed is None for needs in rules.needs.values() for needed in needs)
    assert {name: rules.matches(name, text) for name in found} == found
    assert found["partly"]


def test_kept_rating_parser_follows_a_scale_changed_in_memory() -> None:
    """A notebook that changes a grade's value in its lexicons gets a parser of the changed
    scale, not the one kept for the files as they were; another copy of the unchanged
    lexicons finds the kept one."""
    lexicons = Lexicons()
    before = ratings._kept_parser(lexicons)
    assert ratings._kept_parser(Lexicons()) is before
    assert before("B").value == 0.6
    lexicons.yaml("ratings")["grades"]["B"] = 0.5
    assert ratings._kept_parser(lexicons)("B").value == 0.5
