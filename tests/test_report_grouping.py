"""One checklist per division as normalised for grouping (003 writes one division many ways)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from findings_helpers import status_finding

from pipeline.findings import Questions, findings_frame
from pipeline.ingest import read
from pipeline.report.checklist import Checklist, Division, build_checklist
from pipeline.report.excel import write_excel
from pipeline.report.html import render_html
from pipeline.report.markdown import write_markdown
from pipeline.report.names import SHEET_MAX, NameRules, division_key, most_written

KIYOSE = "data/samples/003_a91a11d8f2677ccb.txt"
CITY_PROMOTION = "シティプロモーション課"


@pytest.fixture(scope="module")
def questions() -> Questions:
    return Questions.load()


@pytest.fixture(scope="module")
def entries() -> pd.DataFrame:
    return read([KIYOSE]).entries


@pytest.fixture(scope="module")
def checklist(entries: pd.DataFrame, questions: Questions) -> Checklist:
    return build_checklist(entries, findings_frame([]), questions)


def _keyed(checklist: Checklist, key: str) -> list[Division]:
    return [d for d in checklist.divisions() if d.key == key]


def _first(rows: pd.DataFrame) -> dict[str, Any]:
    return {str(name): value for name, value in rows.iloc[0].items()}


def test_report_grouping_003_has_one_checklist_per_division(
    entries: pd.DataFrame, checklist: Checklist
) -> None:
    assert len(entries[["department", "division"]].drop_duplicates()) == 39  # as written
    assert len(checklist.divisions()) == 29  # シティブロムーション課 is シティプロモーション課
    assert [d.name for d in checklist.divisions()].count("健康推進課") == 1
    assert len({d.key for d in checklist.divisions()}) == 29


@pytest.mark.parametrize(
    ("key", "department", "name"),
    [
        # 生涯健康部 only: one checklist, as before
        ("健康推進課", "生涯健康部", "健康推進課"),
        # half- and full-width brackets; departments 企画部(…) 10, 企画部企画部 5, 企画部（…） 5
        (
            CITY_PROMOTION,
            "企画部(令和4年度～地域振興部)",
            "シティプロモーション課(令和4年度～市民協働課)",
        ),
        # 企画部 24, 企画課 5, （令和4年度～地域振興部） 5: the most written department heads it
        ("男女共同参画センター", "企画部", "男女共同参画センター"),
        # only the department differs: 市民環境部(令和4年度～地域振興部) 5, 市民生活部 5;
        # a tie goes to the first written
        ("消費生活センター", "市民環境部(令和4年度～地域振興部)", "消費生活センター"),
        # several divisions in one cell stay a group of their own (not split in this change)
        ("健康推進課 保険年金課", "生涯健康部 市民環境部", "健康推進課 保険年金課"),
    ],
)
def test_report_grouping_003_division_under_most_written_names(
    checklist: Checklist, key: str, department: str, name: str
) -> None:
    [division] = _keyed(checklist, key)
    assert (division.department, division.name) == (department, name)


def test_report_grouping_rows_keep_the_division_as_written(
    entries: pd.DataFrame, questions: Questions
) -> None:
    full_width = entries[entries["division"] == "シティプロモーション課（令和4年度～市民協働課）"]
    usual = entries[
        (entries["division"] == "シティプロモーション課(令和4年度～市民協働課)")
        & (entries["department"] == "企画部(令和4年度～地域振興部)")
    ]
    rows = [
        status_finding(_first(full_width), questions),
        status_finding(_first(usual), questions),
    ]
    [division] = _keyed(build_checklist(entries, findings_frame(rows), questions), CITY_PROMOTION)
    assert {r.division: r.written_as for r in division.rows} == {
        "シティプロモーション課（令和4年度～市民協働課）": (
            "表の記載: 企画部（令和4年度～地域振興部） ／ "
            "シティプロモーション課（令和4年度～市民協働課）"
        ),
        "シティプロモーション課(令和4年度～市民協働課)": "",
    }


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("健康推進課", "健康推進課"),
        ("シティプロモーション課（令和4年度～市民協働課）", CITY_PROMOTION),
        ("シティプロモーション課(令和4年度～市民協働課)", CITY_PROMOTION),
        ("男女共同参画センター　(令和4年度～地域振興部) ", "男女共同参画センター"),
        ("地域振興部(旧企画部)", "地域振興部"),  # the 旧 form of org_changes.tsv
        ("ｼﾃｨﾌﾟﾛﾓｰｼｮﾝ課", CITY_PROMOTION),  # half-width kana
        ("健康推進課　 保険年金課", "健康推進課 保険年金課"),  # folded, not split
        ("地域福祉課(関係各課)", "地域福祉課"),  # lexicons/division_notes.tsv
        ("地域福祉課(担当)", "地域福祉課(担当)"),  # a bracket that is no note stays
        ("シティブロムーション課", CITY_PROMOTION),  # the OCR typo of lexicons/typos.tsv
        ("（令和4年度～地域振興部）", "(令和4年度~地域振興部)"),  # only a note: kept, not ''
        ("", ""),
    ],
)
def test_report_grouping_division_key(name: str, key: str) -> None:
    assert division_key(name, NameRules.load()) == key


def test_report_grouping_most_written_breaks_ties_by_first_written() -> None:
    tally = Counter({("市民環境部", "消費生活センター"): 5, ("市民生活部", "消費生活センター"): 5})
    assert most_written(tally) == ("市民環境部", "消費生活センター")


def test_report_grouping_year_filter_offers_no_year(
    entries: pd.DataFrame, questions: Questions
) -> None:
    entry = _first(entries[entries["fiscal_year"] == 2021])
    dated = status_finding(entry, questions)
    undated = status_finding({**entry, "fiscal_year": None}, questions)
    both = build_checklist(entries, findings_frame([dated, undated]), questions)
    assert both.filter_values()["year"] == [("2021", "令和3年度"), ("", "年度なし")]
    only_dated = build_checklist(entries, findings_frame([dated]), questions)
    assert only_dated.filter_values()["year"] == [("2021", "令和3年度")]


def _write(checklist: Checklist, folder: Path) -> dict[Path, bytes]:
    write_markdown(checklist, folder / "checklists")
    write_excel(checklist, folder / "checklist.xlsx")
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_report_grouping_003_file_and_sheet_names_unique_and_stable(
    checklist: Checklist, tmp_path: Path
) -> None:
    first = _write(checklist, tmp_path / "one")
    assert first == _write(checklist, tmp_path / "two")
    markdown = sorted(p.name for p in first if p.suffix == ".md")
    assert len(markdown) == len(set(markdown)) == 29
    assert "健康推進課.md" in markdown
    assert not [name for name in markdown if name.endswith("_2.md")]
    sheets = openpyxl.load_workbook(tmp_path / "one" / "checklist.xlsx").sheetnames
    assert len(sheets) == len({s.casefold() for s in sheets}) == 30
    assert all(len(name) <= SHEET_MAX for name in sheets)


def test_report_grouping_writers_show_the_division_as_written(
    entries: pd.DataFrame, questions: Questions, tmp_path: Path
) -> None:
    row = status_finding(_first(entries[entries["division"] == "男女共同参画センター"]), questions)
    row = {**row, "department": "企画課"}
    checklist = build_checklist(entries, findings_frame([row]), questions)
    shown = "表の記載: 企画課 ／ 男女共同参画センター"
    assert f'<span class="written">{shown}</span>' in render_html(checklist)
    _write(checklist, tmp_path)
    markdown = (tmp_path / "checklists" / Path(KIYOSE).stem / "男女共同参画センター.md").read_text(
        encoding="utf-8"
    )
    assert f"\n  - {shown}\n  - 根拠（実施状況）: " in markdown
    sheet = openpyxl.load_workbook(tmp_path / "checklist.xlsx")["男女共同参画センター"]
    assert str(sheet["B3"].value).endswith(f"\n{shown}")
