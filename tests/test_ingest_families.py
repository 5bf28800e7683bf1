"""Tables of other cities: unseen headers, two-row headers, long tables, single-year sheets.

Every fixture is built here in a shape the samples do not have, from tables a clerk would
recognise (事業名 / 担当課 / 令和4年度実績 / 評価; 評価年度 | 整理番号 | 課室 | 実績評価と要因; a
事務事業評価シート with ①…⑧ self-assessments and their 理由).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from table_builders import WIDE, write_csv, write_xlsx

from pipeline.api import analyze
from pipeline.ingest import read
from pipeline.ingest.headers import HeaderRules

ASSESSMENTS = ["必要性", "妥当性", "有効性", "効率性", "公平性", "向上余地", "削減余地", "協働性"]


def fields(entries: pd.DataFrame) -> list[tuple[str, int, str, str, str]]:
    """(item, year, status, rating, plan) per entry, sorted."""
    return sorted(
        zip(
            entries["item"],
            entries["fiscal_year"].astype(int),
            entries["status"],
            entries["rating"],
            entries["plan"],
            strict=True,
        )
    )


# --- header recognition on lists of labels as real sheets print them -------------------------


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["令和4年度実績", "評価"], [("status", 2022), ("evaluation", 2022)]),
        (["R4実績", "R5実績"], [("status", 2022), ("status", 2023)]),
        (["2022年度 取組実績", "2023年度 取組実績"], [("status", 2022), ("status", 2023)]),
        (
            ["事務事業名", "部課名", "事務事業ID"],
            [("item", None), ("division", None), ("item_no", None)],
        ),
        (
            ["部局", "課室", "整理番号"],
            [("department", None), ("division", None), ("item_no", None)],
        ),
        (["所管課", "取組", "今後の方向性"], [("division", None), ("item", None), ("plan", None)]),
        (["実績評価と要因", "効率化工夫"], [("evaluation", None), ("other", None)]),
        (
            ["見直し区分", "見直し理由", "見直し内容"],
            [("rating", None), ("reason", None), ("plan", None)],
        ),
        (["①妥当性", "理由", "⑥向上余地", "理由"], [("rating", None), ("reason", None)] * 2),
        (["課題と解決策", "課長等意見"], [("other", None), ("other", None)]),
        (["評価年度", "対象実績年度"], [("year", None), ("year", None)]),
    ],
)
def test_families_header_labels_as_sheets_print_them(
    labels: list[str], expected: list[tuple[str, int | None]]
) -> None:
    columns = HeaderRules.load().columns(labels)
    assert [(column.field, column.year) for column in columns] == expected


def test_families_relative_years_read_against_the_sheet_year() -> None:
    columns = HeaderRules.load().columns(["前年度実績", "今年度計画", "次年度目標"], current=2025)
    assert [(c.field, c.year) for c in columns][:2] == [("status", 2024), ("plan", 2024)]


def test_families_a_data_row_is_not_a_header() -> None:
    """A narrative cell that mentions 事業実績 or 実施計画 is no label."""
    rules = HeaderRules.load()
    row = [
        "1",
        "研修事業",
        "健康課",
        "事業実績を踏まえ実施計画を見直した。",
        "A",
        "実施計画どおり。",
    ]
    assert not rules.is_header(row)


# --- (a) wide: unseen labels, two-row headers, header under a title -------------------------


EXPECTED_WIDE = [
    ("健康教室", 2022, "教室を12回開催した。", "A", ""),
    ("健康教室", 2023, "教室を12回開催した。", "A", "継続して開催する。"),
    ("出前講座", 2022, "講座を5回開催した。", "B", ""),
    ("出前講座", 2023, "講座を8回開催した。", "A", "内容を見直す。"),
    ("相談窓口", 2022, "相談を120件受けた。", "A", ""),
    ("相談窓口", 2023, "相談を98件受けた。", "B", "周知を強化する。"),
]


def test_families_wide_table_with_unseen_labels(tmp_path: Path) -> None:
    """The failure of issue 15: 0 entries and exit 0 before; every cell in place now."""
    tables = read([write_csv(tmp_path / "wide.csv", WIDE, "cp932")])
    assert tables.errors == []
    assert fields(tables.entries) == EXPECTED_WIDE
    assert tables.report.loc[0, "layout"] == "table"


def test_families_two_row_header_under_a_title(tmp_path: Path) -> None:
    """令和4年度 merged above 実施状況 | 評価, under a title and a blank row (header on row 4)."""
    rows = [
        ["令和5年度 健康づくり計画 進捗状況評価表"],
        [],
        ["", "", "令和4年度", "", "令和5年度", "", ""],
        ["事業名", "担当課", "実施状況", "評価", "実施状況", "評価", "今後の方向性"],
        *WIDE[1:],
    ]
    tables = read([write_xlsx(tmp_path / "two_rows.xlsx", rows)])
    assert tables.errors == []
    assert fields(tables.entries) == EXPECTED_WIDE
    header = tables.columns[tables.columns["field"] == "status"]
    assert header["label"].tolist() == ["令和4年度 実施状況", "令和5年度 実施状況"]
    assert header["header_line"].tolist() == ["評価!4", "評価!4"]


def test_families_evaluation_column_read_by_its_cells(tmp_path: Path) -> None:
    """評価 holding sentences is the division's evaluation, not a rating."""
    rows = [
        ["事業名", "担当課", "令和5年度実績", "評価"],
        ["健康教室", "健康課", "教室を12回開催した。", "参加者が増え、目標を達成できた。"],
        ["出前講座", "生涯学習課", "講座を8回開催した。", "申込が少なく、周知に課題が残った。"],
    ]
    entries = read([write_csv(tmp_path / "evaluation.csv", rows)]).entries
    assert entries["evaluation"].tolist()[0] == "参加者が増え、目標を達成できた。"
    assert set(entries["rating"]) == {""}


# --- (b) long: one row per item and year --------------------------------------------------

LONG_HEADER = [
    "評価年度", "対象実績年度", "整理番号", "事業名", "部局", "課室", "成果指標",
    "実績評価と要因", "効率化工夫", "見直し区分", "見直し理由", "見直し内容",
]  # fmt: skip


LONG_ITEMS = [
    ("101", "地域見守りネットワーク事業", "地域福祉課", "協力事業者数",
     "協力事業者が増え、見守りの目が広がった。", "事業者向け説明会を動画にした。",
     "現状維持", "地域の見守りに欠かせないため。", "協力事業者の拡大を進める。"),
    ("102", "介護予防教室", "介護福祉課", "参加者数",
     "新型コロナウイルス感染症の影響で参加者が減少した。", "会場を公民館に集約した。",
     "改善", "参加者が減っているため。", "オンライン教室を試行する。"),
]  # fmt: skip


def long_rows() -> list[list[str]]:
    rows = [LONG_HEADER]
    for year, target in (("令和5年度", "令和4年度"), ("令和6年度", "令和5年度")):
        for number, name, division, *rest in LONG_ITEMS:
            rows.append([year, target, number, name, "福祉部", division, *rest])
    rows[3][3] = "地域見守りネットワークプロジェクト事業"  # renamed the second year, same 整理番号
    return rows


def test_families_long_table(tmp_path: Path) -> None:
    """The long table of issue 15 failed with 'no recognisable table header' before."""
    tables = read([write_csv(tmp_path / "long.csv", long_rows())])
    assert tables.errors == []
    assert tables.report.loc[0, "layout"] == "long"
    entries = tables.entries
    assert len(entries) == 4
    assert entries.groupby("item_id")["fiscal_year"].apply(list).tolist() == [
        [2022, 2023],
        [2022, 2023],
    ]
    first = entries.iloc[0]
    assert (first["division"], first["department"], first["rating"]) == (
        "地域福祉課",
        "福祉部",
        "現状維持",
    )
    assert first["evaluation"] == (
        "【実績評価と要因】協力事業者が増え、見守りの目が広がった。\n"
        "【見直し理由】地域の見守りに欠かせないため。"
    )
    assert first["other"] == "【効率化工夫】事業者向け説明会を動画にした。"
    assert first["plan"] == "協力事業者の拡大を進める。"


def test_families_long_table_pivoted_from_a_wide_sample(samples_dir: Path, tmp_path: Path) -> None:
    """002 pivoted to one row per item and year reads as the same entries as 002 itself."""
    wide = read([samples_dir / "002_fb856b526bbf0244.txt"]).entries
    printed = ["item", "department", "division", "status", "evaluation", "rating", "plan"]
    header = ["年度", "事業番号", "実施内容", "担当部署", "担当課", "実施状況",
              "担当課の評価", "達成度", "今後の実施計画"]  # fmt: skip
    ids = {item_id: str(n) for n, item_id in enumerate(dict.fromkeys(wide["item_id"]))}
    rows = [header] + [
        [f"{entry['fiscal_year']}年度", ids[entry["item_id"]], *(entry[c] for c in printed)]
        for entry in wide.to_dict("records")
    ]
    long = read([write_csv(tmp_path / "long002.csv", rows)]).entries
    compared = ["item", "division", "fiscal_year", "status", "evaluation", "rating", "plan"]
    assert long[compared].sort_values(compared).values.tolist() == (
        wide[compared].sort_values(compared).values.tolist()
    )


# --- (c) single-year sheet --------------------------------------------------------------------


def single_year_rows(items: int = 10) -> list[list[str]]:
    header = ["事務事業ID", "事務事業名", "部課名", "事務事業の概要",
              "前年度実績(R6に行った主な活動)", "今年度計画(R7)"]  # fmt: skip
    for number, name in enumerate(ASSESSMENTS, start=1):
        header += [f"{chr(0x2460 + number - 1)}{name}", "理由"]
    header += ["改革改善の方向性", "課題と解決策", "課長等意見"]
    header += [f"[R{year}]" for year in range(2, 8)]
    rows = [["令和7年度 事務事業評価シート"], [], header]
    for index in range(items):
        result = f"講座を{index + 3}回開催し、\n延べ{index * 10 + 50}人が参加した。"
        plan = result if index == 0 else f"講座を{index + 4}回開催する。"
        row = [
            f"J{index:03d}",
            f"市民講座{index}",
            "市民部 市民協働課",
            "市民向けの講座。",
            result,
            plan,
        ]
        for _ in ASSESSMENTS:
            row += ["妥当である", "市民の需要が高いため。"]
        row += ["現状維持", "参加者の固定化。", "着実に実施している。"]
        row += [str(10 * year + index) for year in range(2, 8)]
        rows.append(row)
    return rows


def test_families_single_year_sheet(tmp_path: Path) -> None:
    """The 事務事業評価 workbook of issue 15 was read as garbage before."""
    tables = read([write_xlsx(tmp_path / "jimu.xlsx", single_year_rows(), title="R7")])
    assert tables.errors == []
    assert tables.report.loc[0, "layout"] == "single_year"
    entries = tables.entries
    assert len(entries) == 10
    assert set(entries["fiscal_year"]) == {2024}
    first = entries.iloc[0]
    assert (first["item_no"], first["item"], first["division"]) == (
        "J000",
        "市民講座0",
        "市民部 市民協働課",
    )
    assert first["status"] == "講座を3回開催し、\n延べ50人が参加した。"
    assert first["plan"] == first["status"]
    assert first["rating"].split("\n")[:2] == ["【①必要性】妥当である", "【②妥当性】妥当である"]
    assert first["evaluation"].split("\n")[0] == "【①必要性 理由】市民の需要が高いため。"
    assert first["other"] == "【課題と解決策】参加者の固定化。\n【課長等意見】着実に実施している。"
    assert "【改革改善の方向性】現状維持" in first["rating"]
    # indicator columns [R2] … [R7] are accounted for once each, not cell by cell
    assert tables.repairs["kind"].tolist() == ["unread_column"] * 6
    account = tables.columns
    assert len(account) == len(single_year_rows()[2])
    assert account.loc[account["label"] == "[R7]", "field"].tolist() == ["unknown"]


# --- never a silent zero ----------------------------------------------------------------------


def test_families_no_narrative_column_is_an_error(tmp_path: Path) -> None:
    rows = [["事業名", "担当課", "事業番号", "予算額"], ["健康教室", "健康課", "1", "100"]]
    tables = read([write_csv(tmp_path / "numbers.csv", rows)])
    assert tables.entries.empty
    (message,) = tables.errors
    assert message.startswith("numbers.csv: 実施状況・評価・計画などの記述の列が見つかりません")
    assert "事業名=item" in message and "hyoka columns" in message
    assert "no narrative column" in message


def test_families_few_rows_with_text_is_an_error(tmp_path: Path) -> None:
    rows = [["事業名", "担当課", "令和5年度実績"], ["健康教室", "健康課", "開催した。"]]
    rows += [[f"事業{n}", "健康課", ""] for n in range(5)]
    (message,) = read([write_csv(tmp_path / "sparse.csv", rows)]).errors
    assert "6行の事業のうち記述を読み取れたのは1行だけです" in message


def test_families_single_year_sheet_findings(tmp_path: Path) -> None:
    """On a single-year sheet: 今年度計画 = 前年度実績 is re-use, the same 課長等意見 on every
    item is boilerplate in the ``other`` field, and a sound self-assessment whose 理由 states
    a concern is asked about; no self-assessment is taken for text in the rating column."""
    rows = single_year_rows()
    rows[4][7] = "利用者が減少しており、見直しが必要である。"  # 市民講座1: ①必要性 理由
    findings = analyze(write_xlsx(tmp_path / "jimu.xlsx", rows, title="R7")).findings
    kinds = set(zip(findings["item"], findings["kind"], findings["field"], strict=True))
    assert ("市民講座0", "plan_repeats_status", "plan") in kinds
    assert ("市民講座3", "boilerplate_across_items", "other") in kinds
    assert ("市民講座1", "rating_reason_mismatch", "evaluation") in kinds
    assert "rating_not_a_rating" not in set(findings["kind"])
