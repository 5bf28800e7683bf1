"""The checklist groups findings by plan, department and division, in review order; each
finding's question fits its field (lexicons/questions.tsv)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from findings_helpers import status_finding

from pipeline.detectors import Context
from pipeline.detectors.copy_paste import detect as copy_paste
from pipeline.findings import Questions, findings_frame
from pipeline.ingest import read
from pipeline.report.checklist import (
    KindMarks,
    Record,
    build_checklist,
    compared_text,
    kind_marks,
    quotes,
    split_highlights,
)

SAMPLE = "data/samples/002_fb856b526bbf0244.txt"


@pytest.fixture(scope="module")
def entries() -> pd.DataFrame:
    return read([SAMPLE]).entries


@pytest.fixture(scope="module")
def questions() -> Questions:
    return Questions.load()


def _entry(entries: pd.DataFrame, item_no: str, year: int) -> dict[str, Any]:
    match = entries[(entries["item_no"] == item_no) & (entries["fiscal_year"] == year)]
    return match.iloc[0].to_dict()


def test_report_checklist_every_division_appears_grouped_by_department(
    entries: pd.DataFrame, questions: Questions
) -> None:
    checklist = build_checklist(entries, findings_frame([]), questions)
    assert [plan.source for plan in checklist.plans] == ["002_fb856b526bbf0244.txt"]
    departments = checklist.plans[0].departments
    assert [d.name for d in departments] == [
        "学校教育部",
        "子ども家庭部",
        "生涯学習部",
        "福祉保健部",
        "市民部",
    ]
    assert [d.name for d in departments[1].divisions] == ["児童青少年課", "子育て支援課"]
    assert len(checklist.divisions()) == 9
    assert all(not d.rows for d in checklist.divisions())
    assert checklist.top_divisions() == []
    assert checklist.by_severity() == {"high": 0, "medium": 0, "low": 0}


def test_report_checklist_rows_ordered_by_severity_item_and_year(
    entries: pd.DataFrame, questions: Questions
) -> None:
    rows = [
        status_finding(_entry(entries, "1", 2020), questions, "plan_repeats_status"),  # low
        status_finding(_entry(entries, "3", 2021), questions, "identical"),  # high, item 3
        status_finding(_entry(entries, "2", 2021), questions, "minor_edit"),  # medium
        status_finding(_entry(entries, "1", 2021), questions, "identical"),  # high, item 1
    ]
    checklist = build_checklist(entries, findings_frame(rows), questions)
    guidance = checklist.divisions()[0]
    assert guidance.name == "指導室"
    assert [(r.severity_label, r.item_label, r.year_label) for r in guidance.rows] == [
        ("高", "1 学校内における相談体制の充実", "令和3年度"),
        ("高", "3 スクールカウンセラー及びスクールソーシャルワーカーの配置", "令和3年度"),
        ("中", "2 教員向け研修の充実", "令和3年度"),
        ("低", "1 学校内における相談体制の充実", "令和2年度"),
    ]
    kind, counts = guidance.by_kind()[0]
    assert (kind.label, counts) == ("前年度と同一の記述", {"high": 2, "medium": 0, "low": 0})
    assert checklist.top_divisions() == [guidance]
    assert checklist.by_detector() == [("copy_paste", {"high": 2, "medium": 1, "low": 1})]


def test_report_checklist_keeps_findings_of_a_division_without_entries(
    entries: pd.DataFrame, questions: Questions
) -> None:
    stray = {**_entry(entries, "1", 2021), "department": "", "division": ""}
    checklist = build_checklist(
        entries, findings_frame([status_finding(stray, questions, "identical")]), questions
    )
    last = checklist.divisions()[-1]
    assert (last.department, last.name, len(last.rows)) == (
        "（担当部署の記載なし）",
        "（担当課の記載なし）",
        1,
    )


def test_report_checklist_question_and_comparison_are_shown(
    entries: pd.DataFrame, questions: Questions
) -> None:
    entry = _entry(entries, "1", 2021)
    row = status_finding(entry, questions, "identical", compared_with=("status", 2020, "同じ文章"))
    shown = build_checklist(entries, findings_frame([row]), questions).rows()[0]
    assert shown.compared == ("実施状況（令和2年度）: 同じ文章",)
    assert shown.question.startswith(
        "「学校内における相談体制の充実」の令和3年度の実施状況は令和2年度と同じ"
    )
    assert shown.kinds_label == "前年度と同一の記述（実施状況）"


@pytest.fixture(scope="module")
def reused(sample_entries: pd.DataFrame, context: Context) -> pd.DataFrame:
    """copy_paste findings of 000 子育て支援ネットワーク (item 3da11f706ac5), all years."""
    item = sample_entries[
        (sample_entries["source"] == "000_7f059ffc7f93b1c5.txt")
        & (sample_entries["item_id"] == "3da11f706ac5")
    ]
    return copy_paste(item, context)


def _question(reused: pd.DataFrame, kind: str, field: str) -> str:
    rows = reused[(reused["fiscal_year"] == 2021) & (reused["kind"] == kind)]
    return str(rows.loc[rows["field"] == field, "question"].iloc[0])


def test_report_checklist_copied_plan_asks_about_revising_the_plan(reused: pd.DataFrame) -> None:
    # 000 item 3da11f706ac5 R3: the plan 様々な機会に積極的に呼びかけを行うことにより、加入団体数を
    # 増やしていく。 is R2's word for word: ask whether the plan needs revising, not what was done
    question = _question(reused, "identical", "plan")
    assert question.startswith("「子育て支援ネットワーク」の令和3年度の今後の実施計画は令和2年度と")
    assert "前年度と同じ計画で、令和3年度の実績を踏まえた見直し" in question
    assert "実際に行ったこと" not in question


def test_report_checklist_copied_evaluation_asks_for_its_grounds(reused: pd.DataFrame) -> None:
    # the same item's R3 evaluation is R2's too: ask what the evaluation rests on
    question = _question(reused, "identical", "evaluation")
    assert "令和3年度の評価の根拠（実績・成果・課題）" in question
    assert "実際に行ったこと" not in question


QUESTION_VALUES = {
    "item": "研修",
    "year": "令和3年度",
    "prev_year": "令和2年度",
    "field": "項目",
    "numbers": "3回",
}


@pytest.mark.parametrize("kind", ["identical", "numbers_only", "minor_edit"])
@pytest.mark.parametrize(
    ("field", "expected"), [("plan", "実績を踏まえ"), ("evaluation", "評価の根拠")]
)
def test_report_checklist_copy_paste_question_fits_its_field(
    questions: Questions, kind: str, field: str, expected: str
) -> None:
    question = questions.question("copy_paste", kind, QUESTION_VALUES, field)
    assert expected in question
    assert "実際に行ったこと" not in question


@pytest.mark.parametrize("kind", ["identical", "numbers_only", "minor_edit"])
def test_report_checklist_status_keeps_the_kinds_own_question(
    questions: Questions, kind: str
) -> None:
    own = questions.get("copy_paste", kind)["question"].format_map(QUESTION_VALUES)
    assert questions.question("copy_paste", kind, QUESTION_VALUES, "status") == own


@pytest.mark.parametrize(
    ("text", "spans", "pieces"),
    [
        ("研修を実施", [], (("研修を実施", ""),)),
        ("", [], (("", ""),)),
        ("研修を実施", [(0, 2, "inserted")], (("研修", "inserted"), ("を実施", ""))),
        ("研修を実施", [(3, 99, "typo")], (("研修を", ""), ("実施", "typo"))),  # clipped at the end
        (
            "研修を実施",
            [(0, 3, "cause"), (2, 4, "effect")],
            (("研修を", "cause"), ("実", "effect"), ("施", "")),
        ),
        ("研修", [(0, 2, '"><x onclick=1')], (("研修", "xonclick1"),)),  # a role is a safe class
    ],
)
def test_report_checklist_split_highlights(
    text: str, spans: list[tuple[int, int, str]], pieces: tuple[tuple[str, str], ...]
) -> None:
    assert split_highlights(text, spans) == pieces


@pytest.mark.parametrize(
    ("field", "year", "text", "shown"),
    [
        ("evaluation", 2019, "評価", "担当課の評価（令和元年度）: 評価"),
        ("status", None, "同じ年の実施状況", "実施状況: 同じ年の実施状況"),
        ("unknown", 2020, "x", "unknown（令和2年度）: x"),
        ("", None, "自由な文", "自由な文"),
        ("plan", 2020, "", ""),
    ],
)
def test_report_checklist_compared_text(
    field: str, year: int | None, text: str, shown: str
) -> None:
    record = {"compared_field": field, "compared_year": year, "compared_text": text}
    assert compared_text(record) == shown


def test_report_checklist_kind_summary_follows_the_questions_order(
    entries: pd.DataFrame, questions: Questions
) -> None:
    """The summary lists 前年度と同一 before 数値のみ更新 and 軽微な修正 (questions.tsv order),
    not in the alphabetical order of the kind codes (boilerplate_across_items first)."""
    entry = _entry(entries, "3", 2021)
    found = findings_frame(
        [
            status_finding(entry, questions, kind)
            for kind in ("minor_edit", "boilerplate_across_items", "identical", "numbers_only")
        ]
    )
    labels = [kind.label for kind, _ in build_checklist(entries, found, questions).by_kind()]
    assert labels == [
        questions.label("copy_paste", kind)
        for kind in ("identical", "numbers_only", "minor_edit", "boilerplate_across_items")
    ]


def test_report_checklist_remembered_kinds_are_the_kinds_worked_out_afresh(
    questions: Questions,
) -> None:
    """``KindMarks`` (one lookup per distinct finding sequence) answers as ``kind_marks``."""
    runs = [
        [("copy_paste", "identical", "high", "status")],
        [("copy_paste", "identical", "medium", "plan"), ("copy_paste", "identical", "high", "")],
        [("covid", "suspended", "medium", "status"), ("copy_paste", "minor_edit", "low", "plan")],
        [("copy_paste", "minor_edit", "low", "plan"), ("covid", "suspended", "medium", "status")],
        [("copy_paste", "identical", "high", "status")],
    ]
    marks, names = KindMarks(questions), ("detector", "kind", "severity", "field")
    for run in runs:
        records: list[Record] = [dict(zip(names, finding, strict=True)) for finding in run]
        assert marks(records) == kind_marks(records, questions)
    assert len(marks.memo) == 4  # the repeated run was looked up, not worked out again


def test_report_checklist_one_quoted_text_is_kept_as_the_general_rule_keeps_it() -> None:
    """A field quoting one text takes the short way; it answers as with two texts."""
    one = [{"field": "status", "evidence": "研修を中止", "highlights": [(3, 5, "x")]}]
    two = [*one, {"field": "status", "evidence": "研修", "highlights": []}]
    assert quotes(one) == quotes(two)
    assert quotes([{"field": "status", "evidence": " ", "highlights": []}]) == ()
