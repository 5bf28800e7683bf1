"""pipeline.api: analyze + filter + item_history + the notebook tables, on the real samples."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline import Analysis, analyze, item_history
from pipeline.api import (
    covid_after,
    empty_fields,
    highlight_changes,
    kind_counts,
    most_reused,
    overview,
    rating_counts,
    rating_labels,
    reuse_shares,
    stoppage_runs,
)
from pipeline.findings import findings_frame
from pipeline.runner import Result

KIYOSE = "003_a91a11d8f2677ccb.txt"
SUPPORT_ITEM = "00c72337412a"  # 003 支援制度の普及啓発 (生活福祉課), FY2019-2023


@pytest.fixture(scope="module")
def result(samples_dir) -> Analysis:  # type: ignore[no-untyped-def]
    return analyze(samples_dir)


def test_api_analyze_takes_one_folder_and_keeps_the_result_type(result: Analysis) -> None:
    assert isinstance(result, Result)
    assert len(result.entries) == result.report["entries"].sum() > 0  # per file: golden
    assert overview(result)["items"].to_dict() == {
        "000_7f059ffc7f93b1c5.txt": 54,
        "001_28fb2938c92c7781.txt": 69,
        "002_fb856b526bbf0244.txt": 25,
        KIYOSE: 103,
        "004_e0cedbc2d3263efb.txt": 13,
    }


def test_api_filter_by_division_year_and_detector(result: Analysis) -> None:
    view = result.filter(division="健康推進課", year=2021, detector="copy_paste")
    assert isinstance(view, Analysis)
    assert view.entries["division"].str.contains("健康推進課").all()
    assert "介護保険課健康推進課" in set(view.entries["division"])  # named inside a longer cell
    assert set(view.entries["fiscal_year"]) == {2021}
    assert set(view.findings["detector"]) == {"copy_paste"}
    assert set(view.findings["item_id"]) <= set(view.entries["item_id"])
    assert set(view.tokens["entry_id"]) == set(view.entries.index)  # tokens follow entries
    everything = result.findings
    expected = everything[
        (everything["detector"] == "copy_paste")
        & (everything["fiscal_year"] == 2021)
        & everything["division"].str.contains("健康推進課")
    ]
    assert len(view.findings) == len(expected) > 0


def test_api_filter_years_and_source_narrow_indicators(result: Analysis) -> None:
    view = result.filter(source="004_e0cedbc2d3263efb.txt", year=[2018, 2024])
    assert set(view.entries["source"]) == {"004_e0cedbc2d3263efb.txt"}
    assert set(view.indicators["fiscal_year"]) == {2018, 2024}
    assert view.filter(year=1999).entries.empty


def test_api_item_history_marks_changed_words(result: Analysis) -> None:
    page = result.history(SUPPORT_ITEM).to_html()
    headers = ["令和元年度", "令和2年度", "令和3年度", "令和4年度", "令和5年度"]
    assert all(header in page for header in headers)
    assert "実施状況" in page and "今後の実施計画" in page
    assert "ホームページ<mark>、市報</mark>等で" in page  # 2021 added 、市報 to the 2020 status
    assert "<mark>100%</mark>" in page  # the rating went 実施 -> 100% in 2021
    # status 2020 (2 runs), 2021, 2023 ('-'); evaluation 2020 (2), 2022; rating 2021; plan 2021
    assert page.count("<mark>") == 9


def test_api_item_history_escapes_text() -> None:
    entries = pd.DataFrame(
        {
            "source": "x.txt",
            "item_id": "a",
            "item": "<b>研修</b>",
            "division": "健康課",
            "fiscal_year": [2020, 2021],
            "status": ["<script>alert(1)</script>", "<script>alert(2)</script>"],
            "evaluation": "",
            "rating": ["A", "<i>B</i>"],
            "plan": "",
        }
    )
    fake = Result(
        entries=entries,
        indicators=pd.DataFrame(),
        opinions=pd.DataFrame(),
        findings=findings_frame([]),
        tokens=pd.DataFrame(columns=["entry_id", "field", "start", "end"]),
        report=pd.DataFrame(),
        repairs=pd.DataFrame(),
        skips=pd.DataFrame(),
        checklist=None,  # type: ignore[arg-type]
    )
    page = item_history(fake, "a").to_html()
    assert "<script>" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<mark>&lt;i&gt;B&lt;/i&gt;</mark>" in page
    with pytest.raises(KeyError):
        item_history(fake, "missing")


def test_api_highlight_changes_joins_runs_and_escapes() -> None:
    spans = [(0, 2), (2, 3), (3, 6), (6, 7), (7, 9)]
    assert highlight_changes(["研修", "を", "実施"], "研修を<2>回実施", spans) == (
        "研修を<mark>&lt;2&gt;回</mark>実施"
    )
    assert highlight_changes([], "", []) == ""


def test_api_rating_labels_and_counts(result: Analysis) -> None:
    labels = rating_labels(pd.DataFrame({"rating": ["１００％", "B", "-", "年1回実施予定"]}))
    assert labels.tolist() == ["100%", "B", "<none>", "<text>"]
    counts = rating_counts(result)
    assert int(counts.loc[("001_28fb2938c92c7781.txt", 2024), "A"]) == 41
    assert int(counts.loc[("001_28fb2938c92c7781.txt", 2024), "B"]) == 24
    assert int(counts.sum().sum()) == len(result.entries)


def test_api_empty_fields_counts_dashes(result: Analysis) -> None:
    shares = empty_fields(result)
    # columns a year's table does not have are NaN, not "100 % empty"
    assert pd.isna(shares.loc[(KIYOSE, 2023), "plan"])  # 2023 has a status column only
    assert pd.isna(shares.loc[("001_28fb2938c92c7781.txt", 2024), "evaluation"])
    assert shares.loc[("002_fb856b526bbf0244.txt", 2020), "status"] == 0.0
    assert 0.0 < shares.loc[(KIYOSE, 2021), "rating"] < 1.0


def test_api_reuse_and_covid_tables_follow_findings(result: Analysis) -> None:
    shares = reuse_shares(result)
    assert list(shares.columns) == ["status", "evaluation", "plan"]
    assert ((shares >= 0) & (shares <= 1)).all().all()
    top = most_reused(result, top=3)
    assert len(top) == 3 and top["reused"].is_monotonic_decreasing
    by_year = kind_counts(result, "covid")
    covid = result.findings[result.findings["detector"] == "covid"]
    assert int(by_year.sum().sum()) == len(covid)
    runs = stoppage_runs(result)
    assert (runs["years"] >= 2).all()
    late = covid_after(result)
    assert (late["fiscal_year"] >= 2023).all()
    assert "suspended_other_cause" not in set(late["kind"])


def test_api_tables_are_empty_without_findings(result: Analysis) -> None:
    bare = Analysis(**{**vars(result), "findings": findings_frame([])})
    assert most_reused(bare).empty
    assert stoppage_runs(bare).empty
    assert covid_after(bare).empty
    assert kind_counts(bare, "covid").empty
    assert (reuse_shares(bare) == 0).all().all()


def test_api_filter_without_criteria_keeps_every_finding(result: Analysis) -> None:
    """Findings with no fiscal year (broken rows, an item with no entries) are not lost."""
    undated = result.findings["fiscal_year"].isna()
    assert undated.sum() > 0
    assert len(result.filter().findings) == len(result.findings)
    assert not result.filter(year=2021).findings["fiscal_year"].isna().any()
    only_004 = result.filter(source="004_e0cedbc2d3263efb.txt").findings
    assert len(only_004) == (result.findings["source"] == "004_e0cedbc2d3263efb.txt").sum()


def test_api_filter_takes_a_year_read_from_the_entries(result: Analysis) -> None:
    """A numpy integer (``entries.fiscal_year.iloc[0]``) filters like a plain int."""
    year = result.entries["fiscal_year"].max()
    assert len(result.filter(year=year).entries) == (result.entries["fiscal_year"] == year).sum()


def test_api_filter_division_matches_whole_names(result: Analysis) -> None:
    """介護福祉課 is not 福祉課; 健康推進課 is named inside 介護保険課健康推進課."""
    welfare = result.filter(division="介護福祉課").entries["division"]
    assert len(welfare) > 0
    assert result.filter(division="福祉課").entries["division"].isin(welfare).sum() == 0
