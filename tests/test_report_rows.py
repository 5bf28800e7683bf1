"""One checklist row per (division, item, year): kinds merged, runs of years, reference rows."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from findings_helpers import status_finding

from pipeline.findings import Questions, finding, findings_frame
from pipeline.ingest import read
from pipeline.lexicons import LexiconError, Lexicons
from pipeline.report.checklist import (
    Checklist,
    build_checklist,
    labelled_findings,
)
from pipeline.report.excel import write_excel
from pipeline.report.html import plan_chart, render_html
from pipeline.report.markdown import write_markdown

KIYOSE = "003_a91a11d8f2677ccb.txt"


@pytest.fixture(scope="module")
def questions(lexicons: Lexicons) -> Questions:
    return Questions.load(lexicons)


@pytest.fixture(scope="module")
def entries(sample_entries: pd.DataFrame) -> pd.DataFrame:
    """003 (Kiyose): five years of one plan."""
    return sample_entries[sample_entries["source"] == KIYOSE]


def _item(entries: pd.DataFrame) -> dict[int, dict[str, Any]]:
    """One 003 item with entries for 2019-2022: its entry per year."""
    years = entries.groupby("item_id")["fiscal_year"].apply(set)
    item_id = next(i for i, found in years.items() if {2019, 2020, 2021, 2022} <= found)
    rows = entries[entries["item_id"] == item_id]
    return {
        int(y): r.to_dict() for y, (_, r) in zip(rows["fiscal_year"], rows.iterrows(), strict=True)
    }


def _covid(entry: dict[str, Any], questions: Questions, kind: str) -> dict[str, Any]:
    """A covid finding quoting the first 6 characters of the status, the first 2 highlighted."""
    return finding(
        entry=entry,
        detector="covid",
        kind=kind,
        field="status",
        score=1.0,
        evidence=str(entry["status"])[:6],
        questions=questions,
        highlights=[(0, 2, "cause")],
    )


def test_report_rows_kinds_of_one_item_year_make_one_row(
    entries: pd.DataFrame, questions: Questions
) -> None:
    entry = _item(entries)[2020]
    found = findings_frame(
        [
            status_finding(entry, questions, "identical"),
            {**status_finding(entry, questions, "identical"), "field": "plan"},
            _covid(entry, questions, "suspended"),
        ]
    )
    checklist = build_checklist(entries, found, questions)
    [row] = checklist.questions()
    assert (row.severity, row.findings, row.year_label) == ("high", 3, "令和2年度")
    assert row.kinds_label == (
        "前年度と同一の記述（実施状況・今後の実施計画）、コロナを理由とした中止（実施状況）"
    )
    assert "の実施状況・今後の実施計画は令和元年度と同じ文章です。" in row.question
    assert row.question.endswith(
        "このほか、コロナを理由とした中止（実施状況）も見られます。あわせて説明してください。"
    )
    assert row.question.count("？") + row.question.count("ください。") <= 3  # not three pasted
    assert [quote.label for quote in row.quotes] == ["実施状況", "今後の実施計画"]
    status = row.quotes[0]  # the covid quote lies inside the status: its highlight moves there
    assert status.text == entry["status"]
    assert status.pieces[0] == (status.text[:2], "cause")
    assert set(checklist.finding_groups) == {row.group_id}


def test_report_rows_same_kinds_in_consecutive_years_make_one_run(
    entries: pd.DataFrame, questions: Questions
) -> None:
    years = _item(entries)
    found = findings_frame(
        [_covid(years[year], questions, "suspended") for year in (2019, 2020, 2021)]
        + [status_finding(years[2022], questions, "identical")]  # other kind: a row of its own
    )
    rows = build_checklist(entries, found, questions).questions()
    run = next(row for row in rows if len(row.years) > 1)
    assert run.years == (2019, 2020, 2021)
    assert run.year_label == "令和元年度から令和3年度まで"
    assert run.question.startswith(
        "令和元年度から令和3年度まで、毎年同じ指摘（コロナを理由とした中止）があります。"
    )
    assert [quote.label for quote in run.quotes] == ["実施状況（令和3年度）"]
    assert len(rows) == 2


def test_report_rows_gap_year_breaks_a_run(entries: pd.DataFrame, questions: Questions) -> None:
    years = _item(entries)
    found = findings_frame([_covid(years[y], questions, "suspended") for y in (2019, 2021)])
    rows = build_checklist(entries, found, questions).questions()
    assert [row.years for row in rows] == [(2019,), (2021,)]


def test_report_rows_group_ids_are_stable(entries: pd.DataFrame, questions: Questions) -> None:
    years = _item(entries)
    found = findings_frame([_covid(years[y], questions, "suspended") for y in (2019, 2020)])
    first = build_checklist(entries, found, questions).finding_groups
    again = build_checklist(entries, found.iloc[::-1].reset_index(drop=True), questions)
    assert first[0] == first[1] == again.finding_groups[0]
    assert len(first[0]) == 12


def test_report_rows_hidden_kinds_are_reference_rows_off_workbook_and_markdown(
    entries: pd.DataFrame, questions: Questions, tmp_path: Path
) -> None:
    entry = _item(entries)[2020]
    found = findings_frame([_covid(entry, questions, "mention_only")])
    checklist = build_checklist(entries, found, questions)
    [row] = checklist.rows()
    assert row.reference and checklist.questions() == []
    assert checklist.filter_values()["reference"] == [("1", "参考情報")]
    assert checklist.by_severity() == {"high": 0, "medium": 0, "low": 0}
    write_excel(checklist, tmp_path / "checklist.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "checklist.xlsx")[row.division]
    assert sheet["A3"].value == "指摘なし"
    written = write_markdown(checklist, tmp_path / "md")
    text = next(p for p in written if p.stem == row.division).read_text(encoding="utf-8")
    assert "- 参考情報: 1 件（index.html で表示）" in text
    assert text.endswith("\n指摘なし\n")


def test_report_rows_hidden_kinds_are_a_setting(tmp_path: Path, questions: Questions) -> None:
    source = Lexicons().directory
    for path in source.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    settings = (tmp_path / "settings.yaml").read_text(encoding="utf-8")
    broken = settings.replace("covid: [mention_only]", "covid: [no_such_kind]")
    (tmp_path / "settings.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(LexiconError, match=r"report\.hidden_kinds names covid/no_such_kind"):
        build_checklist(pd.DataFrame(), findings_frame([]), questions, Lexicons(tmp_path))


def test_report_rows_findings_gain_group_and_japanese_labels(
    entries: pd.DataFrame, questions: Questions
) -> None:
    entry = _item(entries)[2020]
    found = findings_frame([_covid(entry, questions, "suspended")])
    checklist = build_checklist(entries, found, questions)
    labelled = labelled_findings(found, checklist, questions)
    assert labelled.loc[0, ["kind_ja", "severity_ja", "field_ja"]].tolist() == [
        "コロナを理由とした中止",
        "中",
        "実施状況",
    ]
    assert labelled.loc[0, "group_id"] == checklist.questions()[0].group_id


def test_report_rows_plan_named_by_title(questions: Questions) -> None:
    files = ["001_28fb2938c92c7781.txt", "002_fb856b526bbf0244.txt"]
    tables = read([f"data/samples/{name}" for name in files])
    checklist = build_checklist(tables.entries, findings_frame([]), questions, None, tables.report)
    assert [plan.title for plan in checklist.plans] == [
        "地域福祉計画の進捗状況及び評価表",
        "002_fb856b526bbf0244",  # no title line above its table: the file stem
    ]
    names = [d.name for d in checklist.plans[0].divisions()]
    # 地域福祉課 and 地域福祉課(関係各課) are one division, shown as the name written most often
    assert sum(name in ("地域福祉課", "地域福祉課(関係各課)") for name in names) == 1


def test_report_rows_checklist_without_findings_is_empty() -> None:
    assert Checklist([]).questions() == []


def test_report_rows_plan_chart_counts_questions_per_year(
    entries: pd.DataFrame, questions: Questions
) -> None:
    years = _item(entries)
    found = findings_frame(
        [_covid(years[y], questions, "suspended") for y in (2019, 2020)]
        + [status_finding(years[2020], questions, "identical")]  # 2020: two kinds, one question
    )
    checklist = build_checklist(entries, found, questions)
    [plan] = checklist.plans
    assert [(year, [(k.kind, n) for k, n in kinds]) for year, kinds in plan.chart()] == [
        (2019, [("suspended", 1)]),
        (2020, [("identical", 1)]),  # the row's strongest kind
    ]
    chart = plan_chart(plan, "その他")
    assert chart is not None
    assert [(bar.label, bar.total) for bar in chart.bars] == [("令和元年度", 1), ("令和2年度", 1)]
    page = render_html(checklist)
    assert page.count('<svg class="chart"') == 1
    assert "http" not in page.replace('http-equiv="Content-Security-Policy"', "")
    assert not re.search(r"<(link|img|iframe)\b|\bsrc=", page)  # nothing to fetch
