"""pipeline.terms: content words, noun phrases, TF-IDF per plan-year, KWIC, co-occurrence."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline import Analysis, analyze
from pipeline.terms import content_terms, cooccurring, kwic, noun_phrases, top_terms
from pipeline.text import tokens_frame

KIYOSE = "003_a91a11d8f2677ccb.txt"


@pytest.fixture(scope="module")
def result(samples_dir) -> Analysis:  # type: ignore[no-untyped-def]
    return analyze(samples_dir)


def test_terms_content_words_are_normalized_nouns_and_verbs() -> None:
    cells = pd.DataFrame({"status": ["子どもの相談を3回行うことができた。"]})
    assert content_terms(tokens_frame(cells))["term"].tolist() == ["子供", "相談", "行う"]


def test_terms_noun_phrases_join_consecutive_nouns() -> None:
    cells = pd.DataFrame(
        {"status": ["ゲートキーパー養成研修を2回開催し、市ホームページで周知した。"]}
    )
    assert noun_phrases(tokens_frame(cells))["term"].tolist() == [
        "ゲートキーパー養成研修",
        "市ホームページ",
    ]


def test_terms_top_terms_rank_per_plan_and_year(result: Analysis) -> None:
    top = top_terms(result, top=3, max_df=0.8)
    assert len(top) == 11 * 3  # 11 (source, fiscal_year) groups
    first = top[(top["source"] == "000_7f059ffc7f93b1c5.txt") & (top["fiscal_year"] == 2020)]
    assert first["term"].tolist()[0] == "ゲートキーパー"
    assert first["rank"].tolist() == [1, 2, 3]
    assert first["score"].is_monotonic_decreasing
    assert "行う" not in set(top["term"])  # in every plan-year: pruned by max_df


def test_terms_top_terms_phrases_and_empty_cases(result: Analysis) -> None:
    phrases = top_terms(result, kind="phrase", top=1)
    first = phrases[phrases["source"] == "000_7f059ffc7f93b1c5.txt"]["term"].tolist()
    assert first == ["ゲートキーパー研修", "ゲートキーパー研修"]
    assert top_terms(result.filter(year=1999)).empty
    assert top_terms(result.filter(source=KIYOSE, year=2020), max_df=0.5).empty


def test_terms_kwic_quotes_the_original_text(result: Analysis) -> None:
    lines = kwic(result, "ゲートキーパー", width=10)
    assert len(lines) == 72
    # quoted as written: 003's OCR typo グートキーパー is found through the typo lexicon
    assert lines["keyword"].value_counts().to_dict() == {"ゲートキーパー": 66, "グートキーパー": 6}
    assert (lines["left"].str.len() <= 10).all() and (lines["right"].str.len() <= 10).all()
    first = lines.iloc[0]
    assert first["right"].startswith("研修を積極的に受講")
    assert kwic(result, "存在しない語").empty


def test_terms_cooccurring_counts_sentences(result: Analysis) -> None:
    near = cooccurring(result, "ゲートキーパー", top=5)
    assert near["term"].tolist()[:2] == ["研修", "受講"]
    assert near["sentences"].is_monotonic_decreasing
    assert (near["lift"] > 1).all()
    assert cooccurring(result, "存在しない語").empty
