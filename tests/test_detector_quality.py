"""quality on the real samples: named items and years found per kind, proper entries left alone.

The true cases were chosen by reading the sample text (the raw tab-separated cells of 002 and
003, the wrapped cells of 000), not from the detector's output.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from pipeline.detectors import Context
from pipeline.detectors.quality import detect
from pipeline.lexicons import Lexicons
from pipeline.schemas import ENTRY_COLUMNS, conform

KOGANEI_A = "000_7f059ffc7f93b1c5.txt"
KOGANEI_WELFARE = "001_28fb2938c92c7781.txt"
KOGANEI_B = "002_fb856b526bbf0244.txt"
KIYOSE = "003_a91a11d8f2677ccb.txt"
KOGANEI_CHILD = "004_e0cedbc2d3263efb.txt"
NETWORK = "自治会、円卓会議等のネットワークの構築・強化"  # 003 line 8
HEADQUARTERS = "いのち支える自殺対策推進本部の運営"  # 000 line 11
STAFF_GATEKEEPER = "市職員向けグートキーパー養成講座の開催"  # 003 line 22
GATEKEEPER = "グートキーパー → ゲートキーパー"
OMBUDSPERSON = "オンズバーソン → オンブズパーソン ×6"  # 004 line 28, six hits in one cell
CITY_PROMOTION = "シティブロムーション → シティプロモーション"


@pytest.fixture(scope="module")
def findings(sample_entries: pd.DataFrame, context: Context) -> pd.DataFrame:
    """quality findings over the five samples, computed once."""
    return detect(sample_entries, context)


def _select(findings: pd.DataFrame, source: str, item: str, kind: str) -> pd.DataFrame:
    return findings[
        (findings["source"] == source) & (findings["item"] == item) & (findings["kind"] == kind)
    ]


def _years_fields(findings: pd.DataFrame, source: str, item: str, kind: str) -> set[tuple]:  # type: ignore[type-arg]
    rows = _select(findings, source, item, kind)
    return {
        (None if pd.isna(year) else int(year), field)
        for year, field in zip(rows["fiscal_year"], rows["field"], strict=True)
    }


def _count(findings: pd.DataFrame, source: str, kind: str) -> int:
    return int(((findings["source"] == source) & (findings["kind"] == kind)).sum())


@pytest.mark.parametrize(
    ("source", "item", "year", "field"),
    [
        # 003: '-' in status and evaluation, no rating ('-')
        (KIYOSE, "自殺対策連絡協議会・研修会の実施", 2019, "status"),
        (KIYOSE, "自殺対策連絡協議会・研修会の実施", 2019, "evaluation"),
        (KIYOSE, "奨学資金貸付制度", 2021, "plan"),
        (KIYOSE, "事例検討会", 2021, "status"),
    ],
)
def test_quality_placeholder_found(
    findings: pd.DataFrame, source: str, item: str, year: int, field: str
) -> None:
    assert (year, field) in _years_fields(findings, source, item, "placeholder")


@pytest.mark.parametrize(
    ("source", "item"),
    [
        # 000 line 229-240: 担当課の評価 '－' (R2) and '-' (R3) in rows rated 未実施
        (KOGANEI_A, "介護サービス事業者振興事業"),
        # 003 line 30 and 36: '-' '-' 未実施 year after year
        (KIYOSE, "既存のリーフレット等を活用した周知"),
        (KIYOSE, "地域団体等と連携した普及啓発"),
    ],
)
def test_quality_no_placeholder_in_rows_rated_not_implemented(
    findings: pd.DataFrame, source: str, item: str
) -> None:
    # the question there is why it was not done (rating / not_implemented), not the '-'
    assert _select(findings, source, item, "placeholder").empty


def test_quality_placeholder_counts_per_source(findings: pd.DataFrame) -> None:
    assert _count(findings, KOGANEI_A, "placeholder") == 0
    assert _count(findings, KIYOSE, "placeholder") == 16  # 53: its FY2023 「-」 read as status
    assert _count(findings, KOGANEI_B, "placeholder") == 0


def test_quality_dash_in_rating_is_not_a_placeholder(findings: pd.DataFrame) -> None:
    placeholders = findings[findings["kind"] == "placeholder"]
    assert set(placeholders["field"]) == {"status", "evaluation", "plan"}
    # 003 line 30: the rating of 2019 is 未実施, its status '-' -> only status/evaluation flagged
    fields = _years_fields(findings, KIYOSE, "既存のリーフレット等を活用した周知", "placeholder")
    assert (2019, "rating") not in fields


@pytest.mark.parametrize(
    ("source", "item", "year", "field"),
    [
        # 002 line 20 lost its 再掲 column; its last cell (R3 plan) is empty
        (KOGANEI_B, "成人健康相談", 2021, "plan"),
        # 003 line 113: cell 17 (令和4年度の実施状況) is empty between plan and evaluation
        (KIYOSE, "SOSの出し方に関する教育", 2022, "status"),
    ],
)
def test_quality_empty_field_found(
    findings: pd.DataFrame, source: str, item: str, year: int, field: str
) -> None:
    assert (year, field) in _years_fields(findings, source, item, "empty_field")


def test_quality_empty_field_not_for_columns_the_source_lacks(findings: pd.DataFrame) -> None:
    empty = findings[findings["kind"] == "empty_field"]
    # 001 has no evaluation column; 003 R5 (2023) and 004 print only a status/result
    assert empty[empty["source"] == KOGANEI_WELFARE].empty
    assert empty[empty["source"] == KOGANEI_CHILD].empty
    assert empty[(empty["source"] == KIYOSE) & (empty["fiscal_year"] == 2023)].empty
    assert "rating" not in set(empty["field"])  # the rating detector's rating_missing


@pytest.mark.parametrize(
    ("source", "item", "year"),
    [
        # 000 line 11: 健康課 未実施 (the reason is in the evaluation)
        (KOGANEI_A, HEADQUARTERS, 2020),
        # 003 line 125: 令和4年度 / 令和5年度の実施状況 both 取組を継続。
        (KIYOSE, "ハラスメント等の防止啓発の推進", 2022),
        (KIYOSE, "ハラスメント等の防止啓発の推進", 2023),
        # 003 line 113: 令和5年度の実施状況 実施を継続。
        (KIYOSE, "SOSの出し方に関する教育", 2023),
    ],
)
def test_quality_too_short_found(findings: pd.DataFrame, source: str, item: str, year: int) -> None:
    assert (year, "status") in _years_fields(findings, source, item, "too_short")


@pytest.mark.parametrize(
    ("source", "item", "year"),
    [
        (KOGANEI_B, "生活保護施行に関する事務", 2020),  # 事務に必要な予算を確保した。
        (KOGANEI_A, "子ども食堂推進事業補助金", 2020),  # 子ども食堂運営団体に対して補助を行った。
        (KIYOSE, "自殺対策庁内連絡会の開催", 2019),  # 年1回開催(1月): a number
        (KOGANEI_A, HEADQUARTERS, 2021),  # a proper status
    ],
)
def test_quality_checkable_short_status_not_too_short(
    findings: pd.DataFrame, source: str, item: str, year: int
) -> None:
    assert (year, "status") not in _years_fields(findings, source, item, "too_short")


def test_quality_too_short_only_on_statuses(findings: pd.DataFrame) -> None:
    assert set(findings.loc[findings["kind"] == "too_short", "field"]) == {"status"}


@pytest.mark.parametrize(
    ("source", "item", "year", "field", "terms"),
    [
        (
            KIYOSE,
            "市職員向けグートキーパー養成講座の開催",
            None,
            "item",
            "グートキーパー → ゲートキーパー",
        ),
        (KIYOSE, "DV・ハラメント等相談", None, "item", "ハラメント → ハラスメント"),
        (KIYOSE, "市民相談", None, "division", CITY_PROMOTION),
        # コロナの影響はあつたが、会議の再開・イベントの開催等…
        (
            KIYOSE,
            NETWORK,
            2022,
            "evaluation",
            "あつた → あった",
        ),
        # six hits in one status: one finding listing them
        (
            KOGANEI_CHILD,
            "子どもの権利の広報活動",
            2024,
            "status",
            "オンズバーソン → オンブズパーソン ×6",
        ),
    ],
)
def test_quality_typo_found_with_terms(
    findings: pd.DataFrame, source: str, item: str, year: int | None, field: str, terms: str
) -> None:
    rows = _select(findings, source, item, "typo")
    rows = rows[rows["field"] == field]
    rows = rows[rows["fiscal_year"].isna() if year is None else rows["fiscal_year"] == year]
    assert len(rows) == 1
    assert f"（{terms}）" in rows["question"].iloc[0]


def test_quality_typo_highlights_quote_the_wrong_form(
    findings: pd.DataFrame, lexicons: Lexicons
) -> None:
    wrong = {row["wrong"] for row in lexicons.table("typos")}
    typos = findings[findings["kind"] == "typo"]
    assert len(typos) == 38  # 003 line 29 realigned: このころ in FY2022 evaluation and plan
    for evidence, spans in zip(typos["evidence"], typos["highlights"], strict=True):
        assert spans
        assert all(role == "typo" and evidence[a:b] in wrong for a, b, role in spans)


def test_quality_typo_counts_per_source(findings: pd.DataFrame) -> None:
    assert _count(findings, KIYOSE, "typo") == 37
    assert _count(findings, KOGANEI_CHILD, "typo") == 1
    assert _count(findings, KOGANEI_A, "typo") == 0  # 000 spells ゲートキーパー right


def test_quality_misplaced_text_rows(findings: pd.DataFrame) -> None:
    # 002: the 13 rows that lost their 再掲 column (every later field shifted left), plus
    # 友愛活動事業 and 高齢者食の自立支援事業, whose 2020 plan sits in the rating column (misfit)
    assert _count(findings, KOGANEI_B, "misplaced_text") == 15
    assert not _select(findings, KOGANEI_B, "成人健康相談", "misplaced_text").empty
    assert not _select(findings, KOGANEI_B, "友愛活動事業", "misplaced_text").empty
    # 000 line 16: a PDF wrap joined (joined_wrapped) is not a broken table
    assert _select(findings, KOGANEI_A, HEADQUARTERS, "misplaced_text").empty
    misplaced = findings[findings["kind"] == "misplaced_text"]
    assert misplaced["fiscal_year"].isna().all()


def test_quality_misplaced_text_without_item_reaches_the_office(findings: pd.DataFrame) -> None:
    orphans = findings[
        (findings["source"] == KOGANEI_CHILD)
        & (findings["kind"] == "misplaced_text")
        & (findings["item"] == "")
    ]
    # 004 lines 48 and 63: headings printed without their level-3 parent (no item at all)
    lines = [re.search("元資料の(.+?)行目", question) for question in orphans["question"]]
    assert [found.group(1) for found in lines if found] == ["48", "63"]
    assert orphans["evidence"].str.contains("見出し").sum() == 2
    # lines 12-13: the indicator rows of 虐待対応事業, whose result cell is empty (no entry was
    # made for it): the finding names the item and its division, so its checklist gets it
    empty = findings[
        (findings["item_id"] == "8795f557be82") & (findings["kind"] == "misplaced_text")
    ]
    assert empty[["item", "division"]].values.tolist() == [["虐待対応事業", "こども家庭センター"]]
    assert "元資料の12、13行目" in empty["question"].iloc[0]


def test_quality_misplaced_text_quotes_the_row_not_the_reader(findings: pd.DataFrame) -> None:
    # 002 line 20 成人健康相談 lost its 再掲 cell: the evidence is the row as printed and the
    # question names the repair in Japanese (no English message, no kind code) and the reader's
    # own account of it is the compared_with text, so the question stays short
    row = _select(findings, KOGANEI_B, "成人健康相談", "misplaced_text").iloc[0]
    assert row["evidence"].startswith("3 | 成人健康相談 | 福祉保健部 | 健康課 | 成人を対象に。")
    assert "元資料の20行目は、読み取り時に補正が必要だったか" in row["question"]
    assert "（列ずれの補正）" in row["question"]
    assert row["compared_with"].startswith("20行目 列ずれの補正：")
    moved = "「再掲」欄が抜けていたため、6〜13列目（印字上は「再掲」〜「達成度 (%)」の下）を1列右へ"
    assert moved in row["compared_with"]
    misplaced = findings[findings["kind"] == "misplaced_text"]
    assert misplaced["question"].str.len().max() < 200
    for text in [*misplaced["evidence"], *misplaced["question"], *misplaced["compared_with"]]:
        assert not re.search(r"cells? \d|header column|realigned|misfit|dropped", text), text


def test_quality_questions_fit_their_field(findings: pd.DataFrame) -> None:
    # 003: a '-' evaluation asks for an evaluation, not for what was done
    rows = _select(findings, KIYOSE, "自殺対策連絡協議会・研修会の実施", "placeholder")
    question = rows[rows["field"] == "evaluation"]["question"].iloc[0]
    assert "担当課の評価として取組の成果と課題" in question
    assert "何を行ったか" not in question
    placeholders = findings[findings["kind"] == "placeholder"]
    plans = placeholders[placeholders["field"] == "plan"]["question"]
    assert plans.str.contains("今後の実施計画として次年度以降に行うこと").all()
    # a typo in the item name names the field 事業名, never the code 'item'
    typo = _select(findings, KIYOSE, STAFF_GATEKEEPER, "typo")
    assert typo["question"].str.contains(f"「{STAFF_GATEKEEPER}」の事業名に").any()
    assert not findings["question"].str.contains(r"の(?:item|row|status)[にが]").any()


def test_quality_item_without_text_names_its_division(context: Context) -> None:
    # an item with no text in any year has no entries; when the repair log names its row, the
    # finding carries its division so the checklist lists it under that division
    entries = conform(
        pd.DataFrame(
            [
                {
                    "source": "case.txt",
                    "item_id": "a1",
                    "item": "事業A",
                    "division": "健康課",
                    "fiscal_year": 2021,
                    "status": "研修を2回開催した。",
                }
            ]
        ),
        ENTRY_COLUMNS,
    )
    repairs = pd.DataFrame(
        [
            {
                "source": "case.txt",
                "item_id": "b1",
                "line": "9",
                "kind": "no_text",
                "message": "「事業B」（福祉課）はどの年度にも記載がありません",
                "item": "事業B",
                "department": "福祉部",
                "division": "福祉課",
            }
        ]
    )
    local = Context(context.text, context.lexicons, context.questions, repairs=repairs)
    found = detect(entries, local)
    row = found[found["kind"] == "misplaced_text"].iloc[0]
    assert (row["item_id"], row["item"], row["division"]) == ("b1", "事業B", "福祉課")
    assert "（どの年度にも記載のない事業）" in row["question"]
    assert (
        row["compared_with"]
        == "9行目 どの年度にも記載のない事業：「事業B」（福祉課）はどの年度にも記載がありません"
    )


@pytest.mark.parametrize(
    ("item", "field", "terms"),
    [
        (NETWORK, "department", "企画部 → 地域振興部"),
        (
            NETWORK,
            "division",
            "シティプロモーション課 → 市民協働課",
        ),
        ("消費生活相談", "department", "市民環境部 → 地域振興部"),
        ("市民活動の支援", "department", "企画部 → 地域振興部"),  # full-width （令和4年度～…）
    ],
)
def test_quality_org_change_note_found(
    findings: pd.DataFrame, item: str, field: str, terms: str
) -> None:
    rows = _select(findings, KIYOSE, item, "org_change")
    rows = rows[rows["field"] == field]
    assert len(rows) == 1
    assert f"（{terms}）" in rows["question"].iloc[0]


def test_quality_org_change_counts_and_non_changes(findings: pd.DataFrame) -> None:
    changes = findings[findings["kind"] == "org_change"]
    assert set(changes["source"]) == {KIYOSE}
    assert len(changes) == 12
    # 企画部 市民環境部: two departments side by side, no change note
    assert _select(findings, KIYOSE, "就労支援", "org_change").empty


def test_quality_severities_per_kind(findings: pd.DataFrame) -> None:
    severities = dict(zip(findings["kind"], findings["severity"], strict=True))
    assert severities == {
        "placeholder": "medium",
        "empty_field": "medium",
        "misplaced_text": "medium",
        "too_short": "low",
        "typo": "low",
        "org_change": "low",
    }


def test_quality_is_deterministic(
    findings: pd.DataFrame, sample_entries: pd.DataFrame, context: Context
) -> None:
    again = detect(sample_entries.sample(frac=1.0, random_state=7), context)
    columns = ["source", "item_id", "fiscal_year", "kind", "field", "evidence"]
    shuffled = again[columns].sort_values(columns[:-1], kind="mergesort").reset_index(drop=True)
    assert (
        findings[columns]
        .sort_values(columns[:-1], kind="mergesort")
        .reset_index(drop=True)
        .equals(shuffled)
    )
    assert detect(sample_entries, context)[columns].equals(findings[columns])
