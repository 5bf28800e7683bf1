"""Sentence splitting: spans point back at the exact original characters on the real samples."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.text import TextLayer, default_layer

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "data" / "samples").glob("*.txt"))


@pytest.fixture(scope="session")
def layer() -> TextLayer:
    return default_layer()


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.name[:3])
def test_sentences_offsets_point_at_original(layer: TextLayer, path: Path) -> None:
    original = path.read_text(encoding="utf-8")
    sentences = layer.sentences(original)
    assert len(sentences) > 100
    for sentence in sentences:
        assert original[sentence.start : sentence.end] == sentence.text
    assert [s.index for s in sentences] == list(range(len(sentences)))


def test_sentences_pdf_wrapped_cell_is_one_sentence(layer: TextLayer) -> None:
    original = SAMPLES[0].read_text(encoding="utf-8")
    cell = (
        "自殺対策を効果的に推進するための方向性を\n"
        "定めるためにも開催すべきであったが、実施\n"
        "することができなかった。"
    )
    start = original.index(cell)
    found = [s for s in layer.sentences(original) if s.start == start]
    assert [s.text for s in found] == [cell]
    assert layer.normalize(cell).endswith("実施することができなかった。")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("研修を実施した。相談会を開催した！", ["研修を実施した。", "相談会を開催した！"]),
        ("・研修の実施\n・相談会の開催", ["・研修の実施", "・相談会の開催"]),
        ("①講演会\n②パネル展示", ["①講演会", "②パネル展示"]),
        ("「こころの体温計」を周知した。」次", ["「こころの体温計」を周知した。」", "次"]),
        ("短い行\n次の行", ["短い行", "次の行"]),  # a short line is not a wrap
        # a terminator inside a closed bracket pair does not end the sentence
        (
            "「プロに教わる！秘訣」などの講座を開催。次",
            ["「プロに教わる！秘訣」などの講座を開催。", "次"],
        ),
        ("『なぜ？』を考える講座を開催した。", ["『なぜ？』を考える講座を開催した。"]),
        (
            "研修（参加者10名。会場は市役所。）を実施した。",
            ["研修（参加者10名。会場は市役所。）を実施した。"],
        ),
        # a bracket left open protects nothing; brackets never pair across a sentence-ending break
        ("「未完の題。研修を実施した。", ["「未完の題。", "研修を実施した。"]),
        ("「題の途中！\n\n」続き。", ["「題の途中！", "」続き。"]),
        ("　字下げの段落。\n\n　次の段落", ["字下げの段落。", "次の段落"]),
        ("", []),
    ],
)
def test_sentences_split_rules(layer: TextLayer, text: str, expected: list[str]) -> None:
    assert [s.text for s in layer.sentences(text)] == expected


def test_sentences_quote_in_kiyose_civic_activity_2019_is_one_sentence(
    layer: TextLayer, sample_entries: pd.DataFrame
) -> None:
    # 003 市民活動の支援 (14099aa44364) FY2019: the ！ of a lecture title used to end a sentence
    entry = sample_entries[
        (sample_entries["source"] == "003_a91a11d8f2677ccb.txt")
        & (sample_entries["item"] == "市民活動の支援")
        & (sample_entries["fiscal_year"] == 2019)
    ].iloc[0]
    status = entry["status"]
    assert "教わる！活動継続" in status
    sentences = layer.sentences(status)
    assert [s.text for s in sentences] == [status.strip()]
    assert status[sentences[0].start : sentences[0].end] == sentences[0].text


def test_sentences_unclosed_bracket_does_not_swallow_a_long_cell(layer: TextLayer) -> None:
    text = "（" + "研修を実施した。" * 30
    sentences = layer.sentences(text)
    assert len(sentences) == 30
    assert all(text[s.start : s.end] == s.text for s in sentences)


@pytest.mark.parametrize("field", ["status", "evaluation", "plan"])
def test_sentences_bracketed_cells_keep_exact_offsets(
    layer: TextLayer, sample_entries: pd.DataFrame, field: str
) -> None:
    cells = [text for text in sample_entries[field] if "「" in text or "（" in text or "(" in text]
    assert len(cells) > 20
    for text in cells:
        for sentence in layer.sentences(text):
            assert text[sentence.start : sentence.end] == sentence.text
