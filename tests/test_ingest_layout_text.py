"""The layout-text reader rebuilds wrapped PDF table cells of the Koganei report (sample 000)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.ingest import Tables, read
from pipeline.ingest.headers import Column, HeaderRules
from pipeline.ingest.layout_text import Cues, _align, score
from pipeline.ingest.sources import load_rows
from pipeline.lexicons import Lexicons

SAMPLE = Path(__file__).parents[1] / "data" / "samples" / "000_7f059ffc7f93b1c5.txt"
HEADER = (
    "担当部署 担当課 再掲 令和２年度実施状況 令和２年度　実施状況に関する担当課の評価 達成度（％） "
    "今後（令和３年度以降）の実施計画 令和３年度実施状況 令和３年度実施状況に関する担当課の評価 "
    "達成度（%） 今後（令和４年度以降）の実施計画"
)


@pytest.fixture(scope="module")
def tables() -> Tables:
    return read([SAMPLE])


def _cells(tables: Tables, item: str, year: int) -> dict[str, str]:
    rows = tables.entries[
        (tables.entries["item"] == item) & (tables.entries["fiscal_year"] == year)
    ]
    assert len(rows) == 1, f"{item} {year}: {len(rows)} rows"
    return {k: str(v) for k, v in rows.iloc[0].to_dict().items()}


def test_layout_text_counts_every_numbered_item(tables: Tables) -> None:
    report = tables.report.iloc[0]
    assert tables.errors == []
    assert report["layout"] == "layout_text"
    assert tables.entries["item_id"].nunique() == 54
    assert tables.entries["fiscal_year"].value_counts().to_dict() == {2020: 54, 2021: 54}
    assert report["entries"] == 108


def test_layout_text_accounts_for_every_line(tables: Tables) -> None:
    report = tables.report.iloc[0]
    assert report["lines_read"] == len(SAMPLE.read_text(encoding="utf-8").splitlines())
    assert report["lines_read"] == report["lines_used"] + report["lines_skipped"]
    skips = dict(zip(tables.skips["reason"], tables.skips["lines"], strict=True))
    assert skips["header"] == 12  # four printed headers of three lines each
    assert skips["page_furniture"] == 1  # 自殺対策計画進捗確認シート_20210326版 … 資料　７
    assert skips["heading"] == 20
    assert "unplaced" not in skips


@pytest.mark.parametrize(
    ("item", "year", "expected"),
    [
        (
            "いのち支える自殺対策推進本部の運営",
            2020,
            {
                "status": "未実施",
                "evaluation": "自殺対策を効果的に推進するための方向性を定める",
                "rating": "未実施",
                "plan": "計画初年度の各施策の進捗状況を元に",
            },
        ),
        (
            "いのち支える自殺対策推進本部の運営",
            2021,
            {
                "status": "自殺対策計画の進捗状況及び次期計画の策定について協議、報告",
                "evaluation": "自殺対策計画の進捗状況及び次期計画の策定に向けた協議",
                "rating": "1回実施",
                "plan": "時期計画策定に向けた協議のため、開催する。",
            },
        ),
        (
            "地域福祉ネットワーク支援事業",
            2020,
            {
                "status": "毎年７５歳・８０歳の方を訪問して一人暮らし・高齢者のみ世帯",
                "evaluation": "令和2年度については、対面は困難であったが",
                "rating": "実施",
                "plan": "引き続き７５歳・８０歳の方を訪問して",
            },
        ),
        (
            "地域福祉ネットワーク支援事業",
            2021,
            {
                "status": "毎年７５歳・８０歳の方を訪問して一人暮らし・",
                "evaluation": "令和3年度についても、対面は困難であったが",
                "rating": "実施",
                "plan": "引き続き７５歳・８０歳の方を訪問して一人暮らし・高齢者のみ世帯",
            },
        ),
        (
            "権利擁護事業の推進",
            2020,
            {
                "status": "判断能力に不安を抱える方の中には",
                "evaluation": "権利擁護事業は、地域連携",
                "rating": "随時相談等に対応",
                "plan": "取組を継続し、必要な場合には",
            },
        ),
        (
            "介護サービス事業者振興事業",
            2020,
            {
                "status": "新型コロナウイルス感染症の拡大防止のため、事業者向け",
                "evaluation": "－",
                "rating": "未実施",
                "plan": "事業者向けゲートキーパー養成研修実施の際には",
            },
        ),
        (
            "職員向けゲートキーパー養成研修",
            2021,
            {
                "status": "職員に自殺や自殺予防等に関する",
                "evaluation": "感染症対策行ったうえで",
                "rating": "2回実施（2/16、2/17）",
                "plan": "取組を継続し、人材の養成を強化する。",
            },
        ),
        (
            "女性総合相談",
            2021,
            {
                "status": "生活を営む中で直面している",
                "evaluation": "相談者延べ件数は前年度比80.0%",
                "rating": "59日177コマ実施",
                "plan": "市報・市ホームページや刊行物等をとおし",
            },
        ),
        (
            "市民相談及び人権・身の上相談業務",
            2021,
            {
                "status": "人権・身の上相談　3回1件",
                "evaluation": "新型コロナウイルスによる緊急事態宣言",
                "rating": "人権・身の上相談　25％市民相談　100％",
                "plan": "法務局・人権擁護委員と調整",
            },
        ),
        (
            "地域の居場所づくり（カフェ、サロン等）の実施",
            2020,
            {
                "status": "各地域包括支援センターに配置している",
                "evaluation": "新型コロナウイルス感染症の影響で",
                "rating": "応援ブック掲載団体数128",
                "plan": "継続して、生活支援コーディネーターを",
            },
        ),
        (
            "子ども食堂推進事業補助金",
            2020,
            {
                "status": "子ども食堂運営団体に対して補助を行った。",
                "evaluation": "着実に運営団体に",
                "rating": "５団体",
                "plan": "運営団体を着実に増やしていく",
            },
        ),
        (
            "子ども家庭支援センターの運営（総合相談及び情報提供）",
            2021,
            {
                "status": "総合相談延べ件数　5,429件",
                "evaluation": "昨年同様、コロナ禍で",
                "rating": "実施",
                "plan": "引き続き、相談者に寄り添いながら",
            },
        ),
        (
            "母子及び父子福祉資金貸付事業",
            2021,
            {
                "status": "貸付件数　2件前年比　△5件となった。",
                "evaluation": "例年通りに事業を実施",
                "rating": "実施",
                "plan": "今後も対象者に対し貸付を実施していく。",
            },
        ),
        (
            "就学援助費支給事業",
            2021,
            {
                "status": "始業式に学校経由で制度のお知らせを配布。小学校418名",
                "evaluation": "お知らせ及びホームページに",
                "rating": "100%",
                "plan": "引き続き学校経由でお知らせを配布し",
            },
        ),
    ],
)
def test_layout_text_cells_land_in_their_columns(
    tables: Tables, item: str, year: int, expected: dict[str, str]
) -> None:
    cells = _cells(tables, item, year)
    for name, opening in expected.items():
        if name == "rating" or len(opening) < 4:
            assert cells[name] == opening, name
        else:
            assert cells[name].startswith(opening), (name, cells[name])


def test_layout_text_ratings_wrapped_over_blank_lines_are_joined(tables: Tables) -> None:
    assert _cells(tables, "子育て広場事業（子ども家庭支援センター・児童館）", 2020)["rating"] == (
        "83％（10/12月）"
    )
    assert _cells(tables, "市民相談及び人権・身の上相談業務", 2020)["rating"] == (
        "人権・身の上相談は未実施。市民相談は実施。"
    )
    assert _cells(tables, "ファミリー・サポート・センター事業", 2021)["rating"] == ""


def test_layout_text_head_fields(tables: Tables) -> None:
    first = _cells(tables, "いのち支える自殺対策推進本部の運営", 2020)
    assert (first["item_no"], first["department"], first["division"], first["page"]) == (
        "1",
        "福祉保健部",
        "健康課",
        "P.32",
    )
    assert first["section"] == (
        "基本施策１　地域におけるネットワークの強化 > "
        "（１）地域におけるネットワークの構築・連携強化"
    )
    wrapped = _cells(tables, "成年後見制度利用事業（障がいのある方・高齢者）", 2021)
    assert wrapped["division"] == "自立生活支援課・介護福祉課"
    assert wrapped["rating"] == "【介護福祉課】実施【自立生活支援課】実施"
    glued = _cells(tables, "子育て広場事業（子ども家庭支援センター・児童館）", 2021)
    assert (glued["department"], glued["division"]) == (
        "子ども家庭部",
        "子育て支援課・児童青少年課",
    )
    assert _cells(tables, "健康支援に関するテーマ展示", 2020)["division"] == "図書館"
    late = _cells(
        tables, "のびゆくこどもプラン小金井（小金井市子ども・子育て支援事業計画）の計画的推進", 2020
    )
    assert (late["item_no"], late["page"]) == ("4", "P.41")
    assert late["section"].endswith("> （３）子育て世帯への支援")
    assert late["section"].startswith("基本施策４　生きることの促進要因への支援と阻害要因の軽減")
    ten = _cells(tables, "意思疎通支援事業", 2021)
    assert (ten["item_no"], ten["division"], ten["page"]) == ("10", "自立生活支援課", "P.40")


def test_layout_text_joins_wrapped_lines_without_spaces(tables: Tables) -> None:
    cells = _cells(tables, "地域福祉ネットワーク支援事業", 2020)
    assert "一人暮らし・高齢者のみ世帯" in cells["status"]
    assert not cells["status"].startswith("　")
    texts = pd.concat([tables.entries[c] for c in ("status", "evaluation", "plan")])
    assert not texts.str.contains("\n").any()
    assert texts.str.contains("高齢者 の孤立防止").any()  # a space printed inside a cell is kept


def test_layout_text_logs_guessed_boundaries(tables: Tables) -> None:
    repairs = tables.repairs
    assert repairs["kind"].value_counts().to_dict() == {"joined_wrapped": 9, "realigned": 2}
    realigned = repairs[repairs["kind"] == "realigned"]
    assert sorted(realigned["line"]) == ["592", "922"]
    # messages are for staff: Japanese column names with their fiscal year, no field codes
    assert realigned["message"].str.contains("空欄は「令和3年度の達成度（%）」", regex=False).any()
    assert not repairs["message"].str.contains("rating|status|evaluation").any()
    boundary = "「令和３年度実施状況」と「令和３年度実施状況に関する担当課の評価」の境界"
    guessed = repairs[repairs["message"].str.contains(boundary)]
    assert sorted(guessed["line"]) == ["1690", "1716"]


SYNTHETIC = f"""計画における項目 実施内容 計画書
ページ

{HEADER}

基本施策１　見守りの強化

（１）地域での見守りの
推進

１　見守り訪問事業 P.10
福祉保健
部

介護福祉課
毎年７５歳の方を訪問して一人暮ら
し世帯など見守りの必要な方を把握した。

訪問を通じて地域の見守り体制を強化す
ることができた。

実施
引き続き７５歳の方を訪問して見守りを
行っていく。

対面は困難であったが資料の投函により
訪問を実施した。

前年度に引き続き見守りを維持できた。

1回実施 引き続き訪問し、見守りを行う。
- 3 -

（１）地域での見守りの推進 ２　相談事業 P.11 子ども家庭部子育て支援課 相談を受けた。
相談に対して関係機関と連携して適切に対応できた。

相談体制を継続していく。

相談を受け、関係機関につないだ。

相談に適切に対応できた。

100% 相談体制を継続する。
"""


@pytest.fixture()
def synthetic(tmp_path: Path) -> Tables:
    path = tmp_path / "plan.txt"
    path.write_text(SYNTHETIC, encoding="utf-8")
    return read([path])


def test_layout_text_synthetic_cells(synthetic: Tables) -> None:
    entries = synthetic.entries.set_index(["item_no", "fiscal_year"])
    first = entries.loc[("1", 2020)]
    assert (
        first["status"] == "毎年７５歳の方を訪問して一人暮らし世帯など見守りの必要な方を把握した。"
    )
    assert first["rating"] == "実施"
    assert first["plan"] == "引き続き７５歳の方を訪問して見守りを行っていく。"
    assert first["section"] == "基本施策１　見守りの強化 > （１）地域での見守りの推進"
    assert (first["department"], first["division"], first["page"]) == (
        "福祉保健部",
        "介護福祉課",
        "P.10",
    )
    later = entries.loc[("1", 2021)]
    assert (later["rating"], later["plan"]) == ("1回実施", "引き続き訪問し、見守りを行う。")
    second = entries.loc[("2", 2020)]
    assert (second["department"], second["division"]) == ("子ども家庭部", "子育て支援課")
    assert second["status"] == "相談を受けた。"
    assert second["evaluation"] == "相談に対して関係機関と連携して適切に対応できた。"
    assert second["rating"] == ""
    assert second["plan"] == "相談体制を継続していく。"
    assert entries.loc[("2", 2021), "rating"] == "100%"


def test_layout_text_synthetic_repairs_and_ledger(synthetic: Tables) -> None:
    repairs = synthetic.repairs.set_index("kind")
    assert sorted(synthetic.repairs["kind"]) == ["joined_wrapped", "realigned"]
    assert repairs.loc["joined_wrapped", "line"] == "35"  # 相談に対して… follows without a blank
    assert "令和２年度実施状況」と「令和２年度" in repairs.loc["joined_wrapped", "message"]
    assert "空欄は「令和2年度の達成度" in repairs.loc["realigned", "message"]
    skips = dict(zip(synthetic.skips["reason"], synthetic.skips["lines"], strict=True))
    assert skips["page_furniture"] == 1  # - 3 -
    assert skips["header"] == 3
    assert skips["heading"] == 3
    report = synthetic.report.iloc[0]
    assert report["lines_read"] == report["lines_used"] + report["lines_skipped"]


def test_layout_text_does_not_claim_tab_separated_tables(tmp_path: Path) -> None:
    path = tmp_path / "table.tsv"
    path.write_text(
        "担当課\t令和2年度実施状況\t達成度\n健康課\t実施した。\t実施\n", encoding="utf-8"
    )
    assert score(load_rows(path), HeaderRules.load()) == 0.0
    assert score(load_rows(SAMPLE), HeaderRules.load()) == 0.5


def test_layout_text_item_without_body_text_leaves_every_slot_empty() -> None:
    """An item line followed by nothing (the next item starts at once) has no pieces to cut."""
    slots = [Column("status", 2020, ""), Column("rating", 2020, "")]
    assert _align(Cues.load(Lexicons()), [], slots) == [(0, 0), (0, 0)]
