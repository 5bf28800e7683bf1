"""The indicator-table reader on 004 (Koganei 子ども・子育て支援事業計画) and on tiny documents."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.ingest import Tables, read
from pipeline.ingest.base import ParseResult
from pipeline.ingest.headers import HeaderRules
from pipeline.ingest.indicator_table import Cues, Value, parse, parse_value, score
from pipeline.ingest.sources import load_rows
from pipeline.lexicons import Lexicons

SAMPLES = Path(__file__).parents[1] / "data" / "samples"
SAMPLE = SAMPLES / "004_e0cedbc2d3263efb.txt"
GOAL1 = "目標1 子どもの安心・安全を守ります"
GOAL2 = "目標2 子どものゆたかな体験と仲間づくりを支えます"
GOAL6 = "目標6 地域の子育て環境を整えます"


@pytest.fixture(scope="module")
def tables() -> Tables:
    """004 read through the public reader."""
    return read([SAMPLE])


@pytest.fixture(scope="module")
def result() -> ParseResult:
    """004 parsed by the layout directly (items by index, including items without an entry)."""
    return parse(load_rows(SAMPLE), HeaderRules.load(), Lexicons())


def _indicator(tables: Tables, indicator: str, year: int) -> pd.Series:
    rows = tables.indicators[
        (tables.indicators["indicator"] == indicator) & (tables.indicators["fiscal_year"] == year)
    ]
    assert len(rows) == 1, (indicator, year, len(rows))
    return rows.iloc[0]


def test_indicator_table_chosen_only_for_004() -> None:
    rules = HeaderRules.load()
    assert score(load_rows(SAMPLE), rules) == 2.0
    assert score(load_rows(SAMPLES / "002_fb856b526bbf0244.txt"), rules) == 0.0


def test_indicator_table_counts(tables: Tables, result: ParseResult) -> None:
    report = tables.report.iloc[0]
    assert report["layout"] == "indicator_table"
    assert len(result.items) == 14
    assert report["entries"] == len(tables.entries) == 13
    assert set(tables.entries["fiscal_year"]) == {2024}
    assert report["indicator_rows"] == len(tables.indicators) == 137
    assert report["opinions"] == len(tables.opinions) == 0
    assert report["lines_read"] == len(SAMPLE.read_text(encoding="utf-8").splitlines())
    assert report["lines_read"] == report["lines_used"] + report["lines_skipped"]
    # lines used and skipped per file: tests/golden/parse_report.jsonl (make snapshots)


def test_indicator_table_skip_reasons(tables: Tables) -> None:
    skips = dict(zip(tables.skips["reason"], tables.skips["lines"], strict=True))
    assert skips == {
        "blank": 31,
        "header": 2,
        "heading": 11,
        "opinion_placeholder": 8,
        "repeated_header": 14,
        "repeated_title": 4,
        "title": 1,
    }


@pytest.mark.parametrize(
    ("item_no", "item", "division", "section", "status_start"),
    [
        (
            "1",
            "子どもオンブズパーソン",
            "児童青少年課",
            f"{GOAL1} > 1-1. 子どもの権利を守るための相談及び救済窓口を充実します",
            "【相談・救済】 令和4年9月に相談事業を開始し",
        ),
        (
            "1",
            "虐待防止啓発事業",
            "こども家庭センター",
            f"{GOAL1} > 1-2. いじめ・虐待等の防止と早期発見を図ります",
            "要保護児童対策地域協議会構成機関",
        ),
        (
            "1",
            "子どもの居場所づくりの推進",
            "子育て支援課・児童青少年課",
            f"{GOAL2} > 2-3. 子どもの居場所と交流の場を充実します",
            "令和6年度子どもの居場所づくり事業補助金",
        ),
        (
            "11",
            "産後ケア事業",
            "こども家庭センター",
            "3-2.母子保健事業を充実します",
            "産後ケア利用実績 日帰り利用者延べ数",
        ),
        (
            "12",
            "子育て中の保護者グループ相談",
            "こども家庭センター",
            "3-2.母子保健事業を充実します",
            "育児不安親支援事業延べ参加人数(人) 25人",
        ),
        (
            "3",
            "障がい児の緊急・一時預かり",
            "保育課",
            "3-3.子育てに関する相談・支援、情報提供、学習機会を充実させ、支援を強めます",
            "一時保育の職員体制等の理由により",
        ),
        (
            "1",
            "子育てに配慮した公共施設の改善",
            "子育て支援課",
            f"{GOAL6} > 6-3.地域の公共施設の活用を進めます",
            "移動式赤ちゃん休憩室貸出件数(件) 4件",
        ),
    ],
)
def test_indicator_table_item(
    tables: Tables, item_no: str, item: str, division: str, section: str, status_start: str
) -> None:
    rows = tables.entries[tables.entries["item"] == item]
    assert len(rows) == 1
    entry = rows.iloc[0]
    assert (entry["item_no"], entry["division"], entry["department"], entry["page"]) == (
        item_no,
        division,
        "",
        "",
    )
    assert entry["section"] == section
    assert entry["fiscal_year"] == 2024
    assert entry["status"].startswith(status_start)
    assert entry["evaluation"] == entry["rating"] == entry["plan"] == ""


def test_indicator_table_names_lose_marks_and_tags(tables: Tables) -> None:
    entries = tables.entries
    assert not entries["item"].str.contains("重点事業|[(（]").any()
    assert not entries["status"].str.contains("<b>|</b>").any()
    # The 結果 column label printed again inside every result cell is table furniture.
    assert not entries["status"].str.contains("結果の説明").any()


def test_indicator_table_item_without_result_has_no_entry(
    tables: Tables, result: ParseResult
) -> None:
    item = result.items[1]
    assert (item.item_no, item.item, item.division, item.years) == (
        "2",
        "虐待対応事業",
        "こども家庭センター",
        {},
    )
    assert "虐待対応事業" not in set(tables.entries["item"])
    empty = tables.repairs[tables.repairs["kind"] == "empty_status"]
    assert empty["line"].tolist() == ["13"]


def test_indicator_table_values(tables: Tables) -> None:
    cases = [
        ("ケース検討会開催回数(回)", 2021, "漸増", 53.0, "漸増 53"),
        ("ケース検討会開催回数(回)", 2018, "", 73.0, "73"),
        ("虐待相談件数(件)", 2018, "", 615.0, "615"),
        ("虐待相談件数(件)", 2020, "維持", 1091.0, "維持 1,091"),
        ("来館者数(人)", 2018, "", 98875.0, "98,875"),
        ("産後ケア事業延べ利用者数(人)", 2020, "実施", 31.0, "実施 31"),
    ]
    for indicator, year, direction, value, raw in cases:
        row = _indicator(tables, indicator, year)
        assert (row["direction"], row["value"], row["value_raw"]) == (direction, value, raw)


def test_indicator_table_values_without_number(tables: Tables) -> None:
    plan = _indicator(tables, "子どもオンブズパーソン(仮称)の設置(設置後の実施状況も含む)", 2021)
    assert (plan["direction"], plan["value_raw"]) == ("準備", "準備")
    assert pd.isna(plan["value"])
    dash = _indicator(tables, "産後ケア事業延べ利用者数(人)", 2018)
    assert (dash["direction"], dash["value_raw"]) == ("", "—")
    assert pd.isna(dash["value"])


def test_indicator_table_years_per_indicator(tables: Tables) -> None:
    indicators = tables.indicators
    keys = ["item_id", "indicator", "fiscal_year"]
    assert not indicators.duplicated(keys).any()
    abuse = indicators[indicators["indicator"] == "虐待相談件数(件)"]
    assert abuse["fiscal_year"].tolist() == [2018, 2020, 2021, 2022, 2023]
    visits = indicators[indicators["indicator"] == "来館者数(人)"]
    assert visits["fiscal_year"].tolist() == [2018, 2020, 2021, 2022, 2023, 2024]


def test_indicator_table_moves_misprinted_indicator(tables: Tables, result: ParseResult) -> None:
    moved = [ind for ind in result.indicators if ind.indicator == "虐待相談件数(件)"]
    assert {result.items[ind.item].item for ind in moved} == {"虐待対応事業"}
    own = [
        ind for ind in result.indicators if result.items[ind.item].item == "子どもオンブズパーソン"
    ]
    assert {ind.indicator for ind in own} == {
        "子どもオンブズパーソン(仮称)の設置(設置後の実施状況も含む)"
    }
    repairs = tables.repairs[tables.repairs["kind"] == "moved_indicator"]
    assert len(repairs) == 1
    repair = repairs.iloc[0]
    assert repair["line"] == "12"
    assert "1 子どもオンブズパーソン" in repair["message"]
    assert "2 虐待対応事業" in repair["message"]
    cases = tables.indicators[tables.indicators["indicator"] == "ケース検討会開催回数(回)"]
    abuse = tables.indicators[tables.indicators["indicator"] == "虐待相談件数(件)"]
    assert set(abuse["item_id"]) == set(cases["item_id"]) == {repair["item_id"]}


def test_indicator_table_repairs(tables: Tables) -> None:
    kinds = tables.repairs.groupby("kind")["line"].apply(list).to_dict()
    assert kinds == {
        "empty_status": ["13"],
        "extra_value": ["67", "68", "93"],
        "missing_heading": ["48", "63"],
        "moved_indicator": ["12"],
        "realigned_cells": ["12"],
    }


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("漸増 1,091", Value("漸増", 1091.0)),
        ("615", Value("", 615.0)),
        ("検討", Value("検討", None)),
        ("１，２００", Value("", 1200.0)),
        ("漸増　１２", Value("漸増", 12.0)),
        ("12.5%", Value("", 12.5)),
        ("—", Value("", None)),
        ("", Value("", None)),
        ("結果の説明 及び 次年度に向けての 課題", None),
        ("子ども・子育て会議意見", None),
    ],
)
def test_indicator_table_parse_value(cell: str, expected: Value | None) -> None:
    assert parse_value(cell, Cues.load()) == expected


TINY = [
    "テスト市 事業進捗状況",
    "",
    "目標1 テストの目標",
    "1-1. テストの施策",
    "番号\t事業名称 (担当課)\t事業の内容\t参考指標\t実績\t\t結果(年度)",
    "\t\t\t\tR5\tR6\tR6",
    "1\t図書館の整備 (生涯学習課) ＜重点事業＞\t新しい図書館を設置する。\t図書館の設置\t検討\t準備"
    "\t<b>結果</b> 設計を進めた。",
    "\t\t\t\t図書貸出冊数(冊)\t１，２００\t漸増 1,300\t",
    "2\t図書貸出事業 (生涯学習課)\t図書の貸出を行う。\t利用者数(人)\t500\t漸増 600"
    "\t結果 貸出を行った。",
    "子ども・子育て会議意見 開館時間を延ばしてほしい。",
]


@pytest.fixture()
def tiny(tmp_path: Path) -> Tables:
    """A two-item table whose middle indicator row belongs to the second item."""
    path = tmp_path / "tiny.txt"
    path.write_text("\n".join(TINY) + "\n", encoding="utf-8")
    return read([path])


def test_indicator_table_tiny_entries(tiny: Tables) -> None:
    entries = tiny.entries
    assert entries[["item_no", "item", "division", "fiscal_year", "status"]].values.tolist() == [
        ["1", "図書館の整備", "生涯学習課", 2024, "結果 設計を進めた。"],
        ["2", "図書貸出事業", "生涯学習課", 2024, "結果 貸出を行った。"],
    ]
    assert set(entries["section"]) == {"目標1 テストの目標 > 1-1. テストの施策"}
    report = tiny.report.iloc[0]
    assert report["lines_read"] == 10
    assert report["lines_read"] == report["lines_used"] + report["lines_skipped"] == 4 + 6


def test_indicator_table_tiny_moves_by_content(tiny: Tables) -> None:
    second = tiny.entries.loc[1, "item_id"]
    loans = tiny.indicators[tiny.indicators["indicator"] == "図書貸出冊数(冊)"]
    assert loans["item_id"].tolist() == [second, second]
    assert loans["value"].tolist() == [1200.0, 1300.0]
    assert loans["fiscal_year"].tolist() == [2023, 2024]
    assert sorted(tiny.repairs["kind"]) == ["moved_indicator", "realigned_cells"]
    assert len(tiny.indicators) == 6


def test_indicator_table_tiny_opinion_text(tiny: Tables) -> None:
    opinions = tiny.opinions
    assert opinions[["goal", "item_no", "title", "text"]].values.tolist() == [
        [
            "目標1 テストの目標",
            "2",
            "図書貸出事業",
            "子ども・子育て会議意見 開館時間を延ばしてほしい。",
        ]
    ]
