"""Tokens: original offsets, long cells, the tidy tokens frame and the analysis cache."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.lexicons import Lexicons
from pipeline.text import TOKEN_COLUMNS, TextLayer, default_layer


@pytest.fixture(scope="session")
def layer() -> TextLayer:
    return default_layer()


def test_tokenize_fields_of_a_negated_past(layer: TextLayer) -> None:
    tokens = layer.tokens("実施できなかった")
    assert [(t.surface, t.lemma, t.pos[0]) for t in tokens] == [
        ("実施", "実施", "名詞"),
        ("でき", "できる", "動詞"),
        ("なかっ", "ない", "助動詞"),
        ("た", "た", "助動詞"),
    ]
    assert tokens[1].normalized == "出来る"
    assert tokens[2].conjugation == "連用形-促音便"
    assert [(t.start, t.end) for t in tokens] == [(0, 2), (2, 4), (4, 7), (7, 8)]


def test_tokenize_offsets_across_wrap_and_width(layer: TextLayer) -> None:
    text = "令和２年度は新型コロナウイルス感染症の影響により研修の\n開催を中止した。"
    for token in layer.tokens(text):
        assert layer.normalize(text[token.start : token.end]).replace("\n", "") == token.surface
    assert [t.sentence for t in layer.tokens("中止した。実施する。")][-2:] == [1, 1]


def test_tokenize_100000_character_cell(layer: TextLayer) -> None:
    cell = ("研修会をオンラインで開催し、延べ120人が参加した。" * 4000)[:100_000]
    tokens = layer.tokens(cell)
    assert len(cell.encode("utf-8")) > 49_000 * 5  # far beyond one SudachiPy call
    assert tokens[-1].end == len(cell)
    assert sum(1 for t in tokens if t.lemma == "開催") == cell.count("開催") == 3846


def test_tokenize_absurd_sentence_is_hard_split(layer: TextLayer) -> None:
    cell = "あ" * 60_000
    tokens = layer.tokens(cell)
    assert "".join(t.surface for t in tokens) == cell


def test_tokenize_tokens_frame_columns_and_rows(layer: TextLayer) -> None:
    entries = pd.DataFrame(
        {
            "status": ["研修を実施した。中止した。", ""],
            "evaluation": ["", None],
            "plan": ["継続", "実施する"],
        },
        index=[10, 11],
    )
    frame = layer.tokens_frame(entries)
    assert tuple(frame.columns) == TOKEN_COLUMNS
    status = frame[(frame.entry_id == 10) & (frame.field == "status")]
    assert status[["sentence", "position", "surface"]].values.tolist()[-4:] == [
        [1, 0, "中止"],
        [1, 1, "し"],
        [1, 2, "た"],
        [1, 3, "。"],
    ]
    assert frame[frame.entry_id == 11].lemma.tolist() == ["実施", "する"]


def test_tokenize_cache_counts_identical_texts_once() -> None:
    layer = TextLayer(Lexicons())
    for _ in range(3):
        layer.tokens("例年どおり実施した。")
    info = layer.cache_info()
    assert (info.hits, info.misses, info.size) == (2, 1, 1)
    assert info.hit_rate == pytest.approx(2 / 3)
    uncached = TextLayer(Lexicons(), cache=False)
    uncached.tokens("実施")
    uncached.tokens("実施")
    assert uncached.cache_info()[:3] == (0, 2, 0)
