"""Golden tests of the table reader on 001 (Koganei regional welfare, 令和6年度 = 2024).

Truth by reading the file: 66 data rows in 12 table blocks (each with its own header), one entry
each for 2024; they name 44 item numbers (1-30, '31 ~ 34', 35-47) because one item can have several
division rows. Three <p> rows above the tables carry 7 【事業番号…】 opinions and one 【全般】.
Shifted rows: 54 (two cells to the left), 55 and 56 (one to the left), 115 (item number printed in
the 施策 No. column).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.ingest import Tables, read

SAMPLE = Path(__file__).parents[1] / "data" / "samples" / "001_28fb2938c92c7781.txt"


@pytest.fixture(scope="module")
def tables() -> Tables:
    return read([SAMPLE])


def entry(tables: Tables, line: str) -> pd.Series:
    rows = tables.entries[tables.entries.source_line == line]
    assert len(rows) == 1
    return rows.iloc[0]


def test_ingest_table_001_counts(tables: Tables) -> None:
    # 66 printed division rows; lines 70 (3 divisions) and 114 (2) are split: 69 entries
    assert tables.entries.item_id.nunique() == 69
    assert tables.entries.item_no.nunique() == 44
    assert tables.entries.groupby("fiscal_year").size().to_dict() == {2024: 69}
    assert (tables.entries.evaluation == "").all()


def test_ingest_table_001_accounting(tables: Tables) -> None:
    report = tables.report.iloc[0]
    assert report.lines_read == 148
    assert report.lines_used == 69
    assert report.lines_read == report.lines_used + report.lines_skipped
    assert dict(zip(tables.skips.reason, tables.skips.lines, strict=True)) == {
        "blank": 28,
        "criteria": 4,
        "header": 1,
        "heading": 26,
        "repeated_header": 11,
        "title": 9,
    }


def test_ingest_table_001_first_item(tables: Tables) -> None:
    first = entry(tables, "38")
    assert (first.item_no, first["item"]) == ("1", "ユニバーサルデザインによるまちづくりの推進")
    assert first.section == (
        "1 福祉のまちづくり > (1) 福祉を支える基盤の整備 > ① 暮らしやすいまちづくり"
    )
    assert (first.department, first.division, first.page) == ("", "地域福祉課(関係各課)", "")
    assert first.status.startswith("まちづくり推進課が所管する小金井市まちづくり条例")
    assert first.rating == "A"
    assert first.plan.startswith("都から提供されるユニバーサルデザイン")


def test_ingest_table_001_division_rows_continue_the_item(tables: Tables) -> None:
    health = entry(tables, "47")
    assert (health.item_no, health.division, health.rating) == ("7", "健康課", "B")
    assert health["item"] == "災害時における避難行動要支援者への支援体制の充実"
    assert health.status.startswith("7月に在宅人工呼吸器使用者")
    assert health.plan.startswith("昨年同様に、保健所および関係機関")
    item12 = tables.entries[tables.entries.item_no == "12"]
    assert item12.division.tolist() == [
        "男女共同参画室",
        "地域福祉課(関係各課)",
        "自立生活支援課",
        "介護福祉課",
        "子ども家庭センター",
    ]
    assert item12.item_id.nunique() == 5


def test_ingest_table_001_shifted_rows(tables: Tables) -> None:
    pr = entry(tables, "54")
    assert (pr.item_no, pr.division, pr.rating) == ("9", "広報秘書課", "A")
    assert pr.status.startswith("小金井 宮地楽器ホール小ホールで人権講座")
    assert pr.plan.startswith("今後も人権に対する理解を深められるように")
    rights = entry(tables, "55")
    assert (rights.item_no, rights["item"]) == ("10", "権利擁護事業の推進")
    assert rights.division == "地域福祉課(社会福祉協議会)"
    assert rights.status.startswith("成年後見制度の周知として")
    assert rights.rating == "A"
    assert rights.plan.startswith("成年後見制度の利用が必要な方に対し")
    # line 59 continues item 10 under the code (3) /②, which fixes the section of lines 55-56
    assert rights.section.endswith("(3) 人権尊重と権利擁護の体制づくり > ② 権利擁護事業の充実")
    assert entry(tables, "59").division == "介護福祉課"
    assert entry(tables, "56").division == "自立生活支援課"
    ranged = entry(tables, "115")
    assert (ranged.item_no, ranged["item"]) == (
        "31 ~ 34",
        "再犯防止等に関する活動の推進に係る具体的施策",
    )
    realigned = tables.repairs[tables.repairs.kind == "realigned"]
    assert realigned.line.tolist() == ["54", "55", "56", "115"]


def test_ingest_table_001_several_divisions_in_one_cell(tables: Tables) -> None:
    """Line 70 prints three divisions, ``B A A`` and three paragraphs per narrative cell: one
    entry per division, sharing the item; line 114 likewise with two."""
    audit = tables.entries[tables.entries.source_line == "70"]
    assert audit.division.tolist() == ["地域福祉課(関係各課)", "自立生活支援課", "介護福祉課"]
    assert audit.rating.tolist() == ["B", "A", "A"]
    assert set(audit["item"]) == {"サービス事業者の指導強化"} and set(audit.item_no) == {"15"}
    assert audit.status.iloc[1].startswith("障害者総合支援法第10条等に基づき")
    assert audit.status.iloc[2].endswith("認知症対応型共同生活介護1件)")
    assert audit.plan.iloc[2].startswith("各事業所が法令、各種基準に準拠した運営")
    housing = tables.entries[tables.entries.source_line == "114"]
    assert housing.division.tolist() == ["地域福祉課(関係各課)", "自立生活支援課"]
    split = tables.repairs[tables.repairs.kind == "split_divisions"]
    assert split.line.tolist() == ["70", "114"]
    assert "3件として読みました" in split.message.iloc[0]
    # 社会福祉協議会 (地域福祉課) is one division with a note: one entry, nothing to split
    assert entry(tables, "60").division == "社会福祉協議会 (地域福祉課)"
    assert "division_not_split" not in set(tables.repairs.kind)
    assert entry(tables, "140").status == "令和6年度補助実績なし。"
    assert entry(tables, "140").rating == "D"
    assert entry(tables, "79").division == "(広報秘書課)"


def test_ingest_table_001_opinions(tables: Tables) -> None:
    opinions = tables.opinions
    assert len(opinions) == 8
    assert opinions.item_no.tolist() == ["4", "9", "10", "17", "21", "25", "35", ""]
    first = opinions.iloc[0]
    assert (first.goal, first.title) == ("1 福祉のまちづくり", "移送サービスへの支援")
    assert first.text.startswith("福祉有償運送は非常にボランティアな活動であり")
    assert first.text.endswith("流れを止めることなく引き続き検討していただきたい。")
    general = opinions.iloc[-1]
    assert (general.goal, general.title) == ("3 地域活動の活性化", "全般")
    assert "<p>" not in "".join(opinions.text)


def test_ingest_table_001_continuation_cut_off_by_a_page_break_is_attached(
    tables: Tables,
) -> None:
    """Line 99 has no item number or name and its 内容 is not 多機関協働の推進's; after the
    page break (the repeated header of line 101) line 102 starts item 21: line 99 is item 21's
    first division row, printed before its number and name. The repair says so."""
    outreach = entry(tables, "99")
    assert (outreach.item_no, outreach["item"]) == ("21", "アウトリーチ等を通じた継続的支援")
    assert outreach.section == entry(tables, "102").section
    assert "foreign_continuation" not in set(tables.repairs.kind)
    attached = tables.repairs[tables.repairs.kind == "page_break_row"]
    assert attached.line.tolist() == ["99"]
    assert (
        "改ページ後の102行目に次の事業「アウトリーチ等を通じた継続的支援」"
        in attached.message.iloc[0]
    )
