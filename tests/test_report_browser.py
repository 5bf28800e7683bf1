"""The HTML checklist in a real headless Chromium: loads cleanly, filters, never runs data."""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline.findings import Questions, finding, findings_frame
from pipeline.report.checklist import build_checklist
from pipeline.runner import Result, analyze, write_outputs

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SAMPLE = "data/samples/002_fb856b526bbf0244.txt"
PAYLOAD = '<script>window.hacked = 1</script><img src=x onerror="window.hacked = 2">'

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]


def _first(rows: pd.DataFrame) -> dict[str, Any]:
    return {str(name): value for name, value in rows.iloc[0].items()}


def _findings(result: Result) -> Result:
    """Four findings for 指導室: high 2021 and 2020 (different kinds, so two rows), medium 2021
    holding a script payload, low 2020; one for 健康課 with no fiscal year (quality, low)."""
    questions = Questions.load()
    entries = result.entries
    health = {**_first(entries[entries["division"] == "健康課"]), "fiscal_year": None}

    def make(item_no: str, year: int, kind: str, evidence: str) -> dict[str, Any]:
        entry = entries[(entries["item_no"] == item_no) & (entries["fiscal_year"] == year)]
        return finding(
            entry=_first(entry),
            detector="copy_paste",
            kind=kind,
            field="status",
            score=1.0,
            evidence=evidence,
            questions=questions,
            highlights=[(0, 4, "inserted")],
        )

    rows = [
        make("1", 2021, "identical", "14校全校において相談体制を整えた。"),
        make("1", 2020, "plan_as_result", "14校全校において相談体制を整える。"),
        make("2", 2021, "minor_edit", PAYLOAD),
        {**make("3", 2020, "plan_repeats_status", "配置を継続する。"), "detector": "covid"},
        finding(
            entry=health,
            detector="quality",
            kind="org_change",
            field="division",
            score=1.0,
            evidence="健康課",
            questions=questions,
        ),
    ]
    findings = findings_frame(rows)
    return dataclasses.replace(
        result, findings=findings, checklist=build_checklist(entries, findings, questions)
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    write_outputs(_findings(analyze([SAMPLE])), folder)
    return folder


@pytest.fixture(scope="module")
def page(site: Path) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.problems = []
        page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
        page.on("pageerror", lambda e: page.problems.append(str(e)))
        page.goto((site / "index.html").as_uri())
        yield page
        browser.close()


def _hidden(page: Any) -> dict[str, bool]:
    rows = page.query_selector_all("tr.finding")
    return {
        f"{r.get_attribute('data-detector')}/{r.get_attribute('data-severity')}/"
        f"{r.get_attribute('data-year')}": r.evaluate("row => row.hidden")
        for r in rows
    }


def test_report_browser_loads_without_errors_and_shows_every_finding(page: Any, site: Path) -> None:
    with (site / "findings.csv").open(encoding="utf-8-sig", newline="") as handle:
        expected = len(list(csv.DictReader(handle)))
    assert page.problems == []
    assert len(page.query_selector_all("tr.finding")) == expected == 5
    assert page.inner_text("#shown") == "5"
    assert not page.is_visible("#nothing")


def test_report_browser_injected_script_does_not_run(page: Any) -> None:
    assert page.evaluate("typeof window.hacked") == "undefined"
    assert "<script>window.hacked = 1</script>" in page.inner_text("td.evidence >> nth=2")


def test_report_browser_filters_hide_rows(page: Any) -> None:
    page.click('input[data-filter="severity"][value="high"]')
    assert _hidden(page) == {
        "copy_paste/high/2021": True,
        "copy_paste/high/2020": True,
        "copy_paste/medium/2021": False,
        "covid/low/2020": False,
        "quality/low/": False,
    }
    assert page.inner_text("#shown") == "3"
    page.click('input[data-filter="year"][value="2020"]')
    assert list(_hidden(page).values()) == [True, True, False, True, False]
    page.click('input[data-filter="year"][value=""]')  # 年度なし
    assert list(_hidden(page).values()) == [True, True, False, True, True]
    page.click('input[data-filter="severity"][value="high"]')
    page.click('input[data-filter="year"][value="2020"]')
    page.click('input[data-filter="year"][value=""]')
    page.click('input[data-filter="detector"][value="covid"]')
    assert list(_hidden(page).values()) == [False, False, False, True, False]
    page.click('input[data-filter="detector"][value="covid"]')
    assert page.inner_text("#shown") == "5"


def _section(page: Any, name: str) -> Any:
    return page.query_selector(f'section.division:has(h2:text-is("{name}"))')


def _entry(page: Any, name: str) -> Any:
    return page.query_selector(f'nav li[data-division]:has(a:text-is("{name}"))')


def _counts(page: Any, name: str) -> list[str]:
    return [c.inner_text() for c in _entry(page, name).query_selector_all("[data-count]")]


def _kind_row(page: Any, name: str, kind: str) -> Any:
    return _section(page, name).query_selector(f'table.counts tr[data-kind="{kind}"]')


def test_report_browser_filter_updates_counts_and_kind_tables(page: Any) -> None:
    assert _counts(page, "指導室") == ["2", "1", "1"]
    identical = _kind_row(page, "指導室", "copy_paste/identical")
    assert identical.inner_text().split() == ["前年度と同一の記述", "1", "0", "0", "1"]
    page.click('input[data-filter="year"][value="2021"]')
    assert _counts(page, "指導室") == ["1", "0", "1"]
    assert not identical.is_visible()  # its only row (令和3年度) is filtered out
    summary = page.query_selector('table.summary tr[data-kind="copy_paste/plan_as_result"]')
    assert summary.inner_text().split()[-1] == "1"
    page.click('input[data-filter="year"][value="2021"]')
    assert _counts(page, "指導室") == ["2", "1", "1"]
    assert identical.is_visible()
    assert page.problems == []


def test_report_browser_filter_hides_emptied_divisions(page: Any) -> None:
    year_labels = page.locator('fieldset:has(input[data-filter="year"]) label').all_inner_texts()
    assert [label.strip() for label in year_labels] == ["令和2年度", "令和3年度", "年度なし"]
    quiet = len(page.query_selector_all("section.division")) - 2
    page.click('input[data-filter="detector"][value="quality"]')  # 健康課's only finding
    assert not _section(page, "健康課").is_visible()
    assert not _entry(page, "健康課").is_visible()
    assert _section(page, "指導室").is_visible() and _entry(page, "指導室").is_visible()
    visible = [s for s in page.query_selector_all("section.division") if s.is_visible()]
    assert len(visible) == 1  # the 指摘なし divisions go too while a filter is on
    assert not page.is_visible('nav li[data-group]:has(> ul > li > a:text-is("健康課"))')
    page.click('input[data-filter="detector"][value="quality"]')
    visible = [s for s in page.query_selector_all("section.division") if s.is_visible()]
    assert len(visible) == quiet + 2
    assert _entry(page, "健康課").is_visible()
    assert page.problems == []


def test_report_browser_nothing_left_says_so(page: Any) -> None:
    for severity in ("high", "medium", "low"):
        page.click(f'input[data-filter="severity"][value="{severity}"]')
    assert page.inner_text("#shown") == "0"
    assert page.is_visible("#nothing")
    assert page.inner_text("#nothing") == "条件に合う指摘はありません"
    assert not [s for s in page.query_selector_all("section.division") if s.is_visible()]
    assert not page.is_visible("nav li[data-group]")
    for severity in ("high", "medium", "low"):
        page.click(f'input[data-filter="severity"][value="{severity}"]')
    assert not page.is_visible("#nothing")
    assert page.inner_text("#shown") == "5"
    assert page.problems == []


def test_report_browser_screenshot_and_print_layout(page: Any, site: Path) -> None:
    shot = site / "index.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    page.emulate_media(media="print")
    assert not page.is_visible("form.filters")
    assert (
        page.evaluate("getComputedStyle(document.querySelector('section.division')).breakBefore")
        == "page"
    )
    page.emulate_media(media="screen")
