"""Sentence splitting: spans point back at the exact original characters on the real samples."""

from __future__ import annotations

from pathlib import Path

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
        ("　字下げの段落。\n\n　次の段落", ["字下げの段落。", "次の段落"]),
        ("", []),
    ],
)
def test_sentences_split_rules(layer: TextLayer, text: str, expected: list[str]) -> None:
    assert [s.text for s in layer.sentences(text)] == expected
