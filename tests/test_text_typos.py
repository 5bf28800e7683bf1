"""Typo map on the Kiyose sample: every OCR form is counted, located and matched correctly, and
the context patterns leave the correct words that share a wrong form alone."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.schemas import YEAR_FIELDS
from pipeline.text import TextLayer, default_layer

KIYOSE = Path(__file__).resolve().parents[1] / "data" / "samples" / "003_a91a11d8f2677ccb.txt"


@pytest.fixture(scope="session")
def layer() -> TextLayer:
    return default_layer()


@pytest.fixture(scope="session")
def kiyose() -> str:
    return KIYOSE.read_text(encoding="utf-8")


def test_typos_kiyose_gatekeeper_count_and_offsets(layer: TextLayer, kiyose: str) -> None:
    hits = [hit for hit in layer.typo_hits(kiyose) if hit.right == "ゲートキーパー"]
    assert len(hits) == 10  # grep -o グートキーパー 003_...txt | wc -l
    assert all(kiyose[hit.start : hit.end] == "グートキーパー" for hit in hits)


def test_typos_kiyose_every_kind_counted(layer: TextLayer, kiyose: str) -> None:
    counts: dict[str, int] = {}
    for hit in layer.typo_hits(kiyose):
        counts[hit.right] = counts.get(hit.right, 0) + 1
        assert kiyose[hit.start : hit.end] == hit.wrong
    assert counts == {
        "ゲートキーパー": 10,
        "あった": 3,
        "新型コロナウイルス": 6,
        "コロナウイルス": 2,
        "シティプロモーション": 1,
        "ハラスメント": 1,
        "モラハラ": 1,
        "よろず相談": 3,
        "センターいっぽ": 3,
        "こころ": 6,  # grep -o このころの健康 003_...txt | wc -l
        "あっせん": 4,  # grep -o 融資あつせん
        "よってこ": 1,  # the item name よつてこカフェ(認知症カフェ事業)
    }


def test_typos_gatekeeper_token_matched_as_right_form(layer: TextLayer) -> None:
    text = "自治会会長あてにグートキーパー養成研修のリーフレットを配布"
    gatekeeper = [token for token in layer.tokens(text) if token.lemma == "ゲートキーパー"]
    assert len(gatekeeper) == 1
    assert text[gatekeeper[0].start : gatekeeper[0].end] == "グートキーパー"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("コロナの影響はあつたが、会議を再開した", "コロナの影響はあったが、会議を再開した"),
        ("あつたかい雰囲気", "あつたかい雰囲気"),  # not the verb ending: left alone
        ("DV・ハラメント等相談", "DV・ハラスメント等相談"),
        ("令和２年度　実施状況", "令和2年度 実施状況"),  # NFKC, ideographic space folded
        ("ｺﾛﾅ禍のため中止", "コロナ禍のため中止"),  # half-width kana with voicing marks
        (
            "総合相談会にてこのころの健康相談を同時実施。",
            "総合相談会にてこころの健康相談を同時実施。",
        ),
        (
            "このころの健康状態は良好だった",
            "このころの健康状態は良好だった",
        ),  # このころ = around then
        ("小口事業資金融資あつせん申込33件", "小口事業資金融資あっせん申込33件"),
        (
            "労働委員会のあつせん",
            "労働委員会のあつせん",
        ),  # statutory spelling before 1988: left alone
        ("よつてこカフェ(認知症カフェ事業)", "よってこカフェ(認知症カフェ事業)"),
        ("よつてこの規則を定める", "よつてこの規則を定める"),  # old spelling of よって: left alone
    ],
)
def test_typos_normalize_matching_form(layer: TextLayer, text: str, expected: str) -> None:
    assert layer.normalize(text) == expected


@pytest.mark.parametrize(
    ("item_id", "year", "wrong"),
    [
        ("d8f0a50377ef", 2022, "このころ"),  # 自殺予防週間…普及啓発 (003 line 29 realigned)
        ("105eedf87b6e", 2019, "あつせん"),  # 小口事業資金融資事業: 融資あつせん申込33件
    ],
)
def test_typos_kiyose_entry_text_located(
    layer: TextLayer, sample_entries: pd.DataFrame, item_id: str, year: int, wrong: str
) -> None:
    rows = sample_entries[
        (sample_entries["source"] == KIYOSE.name)
        & (sample_entries["item_id"] == item_id)
        & (sample_entries["fiscal_year"] == year)
    ]
    cells = [str(cell) for cell in rows[list(YEAR_FIELDS)].fillna("").to_numpy().ravel()]
    hits = [hit for cell in cells for hit in layer.typo_hits(cell)]
    assert wrong in {hit.wrong for hit in hits}


def test_typos_kiyose_item_name_located(layer: TextLayer, sample_entries: pd.DataFrame) -> None:
    item = sample_entries.loc[sample_entries["item_id"] == "ae36f95aaec5", "item"].iloc[0]
    assert item == "よつてこカフェ(認知症カフェ事業)"  # stored as written
    assert [hit.right for hit in layer.typo_hits(item)] == ["よってこ"]


def test_typos_offsets_survive_expansion_before_typo(layer: TextLayer) -> None:
    text = "㈱ｶﾞｲﾄﾞ　グートキーパー"
    (hit,) = layer.typo_hits(text)
    assert text[hit.start : hit.end] == "グートキーパー"
