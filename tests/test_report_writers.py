"""HTML, Excel, Markdown and findings.csv show the same checklist, safely and reproducibly."""

from __future__ import annotations

import csv
import dataclasses
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from pipeline.findings import Questions, finding, findings_frame
from pipeline.report.checklist import build_checklist
from pipeline.report.excel import DIVISION_HEADERS, SUMMARY_HEADERS
from pipeline.runner import Result, analyze, write_outputs

SAMPLE = "data/samples/002_fb856b526bbf0244.txt"
HOSTILE = '=HYPERLINK("http://evil.example","x")<script>window.hacked=1</script>'


def _entry(entries: pd.DataFrame, item_no: str, year: int) -> dict[str, Any]:
    match = entries[(entries["item_no"] == item_no) & (entries["fiscal_year"] == year)]
    return match.iloc[0].to_dict()


def injected(result: Result) -> Result:
    """The sample's result with three known findings: two for 指導室, one for 健康課."""
    questions = Questions.load()
    entries = result.entries
    known = _entry(entries, "1", 2021)
    health = entries[entries["division"] == "健康課"].iloc[0].to_dict()
    rows = [
        finding(
            entry=known,
            detector="copy_paste",
            kind="identical",
            field="status",
            score=1.0,
            evidence=str(known["status"]),
            questions=questions,
            compared_with=("status", 2020, str(_entry(entries, "1", 2020)["status"])),
            highlights=[(0, 3, "inserted")],
        ),
        finding(
            entry=_entry(entries, "2", 2021),
            detector="copy_paste",
            kind="minor_edit",
            field="status",
            score=0.9,
            evidence=HOSTILE,
            questions=questions,
            highlights=[(0, 10, "deleted")],
        ),
        finding(
            entry=health,
            detector="copy_paste",
            kind="plan_repeats_status",
            field="plan",
            score=0.95,
            evidence=str(health["plan"]),
            questions=questions,
        ),
    ]
    findings = findings_frame(rows)
    return dataclasses.replace(
        result, findings=findings, checklist=build_checklist(entries, findings, questions)
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    result = injected(analyze([SAMPLE]))
    folder = tmp_path_factory.mktemp("reports")
    write_outputs(result, folder)
    return folder, result


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _sheet_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    workbook = openpyxl.load_workbook(path)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}


def test_report_writers_counts_agree_across_outputs(written: tuple[Path, Result]) -> None:
    folder, _ = written
    html = (folder / "index.html").read_text(encoding="utf-8")
    sheets = _sheet_rows(folder / "checklist.xlsx")
    findings = _csv_rows(folder / "findings.csv")
    excel_rows = [
        r for name, rows in sheets.items() if name != "概要" for r in rows[2:] if r[0] in "高中低"
    ]
    markdown = "".join(
        p.read_text(encoding="utf-8") for p in sorted((folder / "checklists").rglob("*.md"))
    )
    assert len(findings) == 3
    assert len(re.findall(r'<tr class="finding ', html)) == 3
    assert len(excel_rows) == 3
    assert markdown.count("- [ ] ") == 3


def test_report_writers_workbook_layout(written: tuple[Path, Result]) -> None:
    folder, result = written
    workbook = openpyxl.load_workbook(folder / "checklist.xlsx")
    names = [d.name for d in result.checklist.divisions()]
    assert workbook.sheetnames == ["概要", *names]
    assert names[:3] == ["指導室", "児童青少年課", "子育て支援課"]
    summary = workbook["概要"]
    assert [c.value for c in summary[1]] == list(SUMMARY_HEADERS)
    assert [c.value for c in summary[2]][:8] == [
        "002_fb856b526bbf0244",  # the plan's name: its file stem, as 002 prints no title
        "学校教育部",
        "指導室",
        1,
        1,
        0,
        2,
        None,
    ]
    statuses = [summary.cell(row, 8).value for row in range(2, 2 + len(names))]
    assert statuses.count("指摘なし") == 7
    sheet = workbook["指導室"]
    assert [c.value for c in sheet[2]] == list(DIVISION_HEADERS)
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:J4"
    assert [c.value for c in sheet[3]][:4] == [
        "高",
        "1 学校内における相談体制の充実",
        "令和3年度",
        "前年度と同一の記述（実施状況）",
    ]
    assert workbook["公民館"]["A3"].value == "指摘なし"


def test_report_writers_known_finding_in_every_output(written: tuple[Path, Result]) -> None:
    folder, result = written
    question = result.findings.loc[0, "question"]
    assert question.startswith("「学校内における相談体制の充実」の令和3年度の実施状況は")
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert f'<td class="question">{question}</td>' in html
    assert '<mark class="inserted">14校</mark>全校において' in html
    assert re.search(
        r'<tr class="finding severity-high" id="g[0-9a-f]{12}" data-detector="copy_paste" '
        r'data-severity="high" data-year="2021" data-reference="0" '
        r'data-kinds="copy_paste/identical:high">',
        html,
    )
    assert _csv_rows(folder / "findings.csv")[0]["question"] == question
    assert _sheet_rows(folder / "checklist.xlsx")["指導室"][2][6] == question
    markdown = (folder / "checklists" / "002_fb856b526bbf0244" / "指導室.md").read_text(
        encoding="utf-8"
    )
    assert f"  - 質問案: {question}" in markdown
    assert (
        "- [ ] **【高】1 学校内における相談体制の充実（令和3年度）** 前年度と同一の記述（実施状況）"
        in markdown
    )
    assert "  - 比較対象: 実施状況（令和2年度）: 14校全校において" in markdown


def test_report_writers_division_without_findings_says_so(written: tuple[Path, Result]) -> None:
    folder, _ = written
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert html.count('<p class="none">指摘なし</p>') == 7
    assert re.search(r'<a href="#d\d+">公民館</a>（高 <span data-count="high">0</span>・', html)
    markdown = (folder / "checklists" / "002_fb856b526bbf0244" / "公民館.md").read_text(
        encoding="utf-8"
    )
    assert markdown.endswith("\n指摘なし\n")


def test_report_writers_hostile_text_stays_text(written: tuple[Path, Result]) -> None:
    folder, _ = written
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert html.count("<script>") == 1  # the page's own filter script only
    assert "&lt;script&gt;window.hacked=1&lt;/script&gt;" in html
    assert '<mark class="deleted">=HYPERLINK</mark>(&#34;http://evil.example&#34;' in html
    hostile_csv = _csv_rows(folder / "findings.csv")[1]["evidence"]
    assert hostile_csv == "'" + HOSTILE
    workbook = openpyxl.load_workbook(folder / "checklist.xlsx")
    cell = workbook["指導室"]["E4"]
    assert (cell.value, cell.data_type) == ("【実施状況】" + HOSTILE, "s")  # never a formula
    markdown = (folder / "checklists" / "002_fb856b526bbf0244" / "指導室.md").read_text(
        encoding="utf-8"
    )
    assert "\\<script\\>window.hacked=1\\</script\\>" in markdown


def test_report_writers_outputs_are_byte_identical(
    written: tuple[Path, Result], tmp_path: Path
) -> None:
    folder, result = written
    write_outputs(result, tmp_path)
    produced = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert produced == sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())
    for relative in produced:
        assert (tmp_path / relative).read_bytes() == (folder / relative).read_bytes(), relative


def test_report_writers_kind_names_its_field_in_excel_and_markdown(
    written: tuple[Path, Result],
) -> None:
    folder, result = written
    sheets = _sheet_rows(folder / "checklist.xlsx")
    kinds = [r[3] for name, rows in sheets.items() if name != "概要" for r in rows[2:] if r[3]]
    markdown = "".join(
        p.read_text(encoding="utf-8") for p in sorted((folder / "checklists").rglob("*.md"))
    )
    assert sorted(kinds) == sorted(row.kinds_label for row in result.checklist.questions())
    assert sheets["健康課"][2][3] == "今後の計画が実施状況の繰り返し（今後の実施計画）"
    assert "** 今後の計画が実施状況の繰り返し（今後の実施計画）\n" in markdown
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert '今後の計画が実施状況の繰り返し<br><span class="field">今後の実施計画</span>' in html
    assert '<span class="label">【今後の実施計画】</span>' in html


def test_report_writers_workbook_parts_as_xlsxwriter_writes_them(tmp_path: Path) -> None:
    """The workbook's fast paths (``_Worksheet``: font runs, rich strings, cells) write the
    XML XlsxWriter's own code writes, whatever the mix of formats and plain fragments, escapes,
    edge spaces and cell types; rich strings XlsxWriter refuses are refused alike. So do its
    rows (``_write_rows``: sheets without row formats) and kept ``<cols>`` elements (the
    same widths on two sheets; a column with a format)."""
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

    from pipeline.report.excel import FIXED_DATE, OPTIONS, _Workbook, _Worksheet

    def parts(kind: type[Workbook], path: Path) -> dict[str, bytes]:
        book = kind(str(path), OPTIONS)
        book.set_properties({"created": FIXED_DATE})
        sheet = book.add_worksheet("s")
        bold, red = book.add_format({"bold": True}), book.add_format({"font_color": "#C92A2A"})
        plain = book.add_format({"text_wrap": True})
        for name in ("t", "u"):
            fill(book.add_worksheet(name), bold, red, plain)
        sheet.set_column(0, 2, 12)
        sheet.set_column(4, 4, 30, bold)
        fill(sheet, bold, red, plain)
        sheet.set_row(5, None, bold)
        sheet.write_string(5, 1, "行の書式")
        book.close()
        with zipfile.ZipFile(path) as archive:
            return {name: archive.read(name) for name in archive.namelist()}

    def fill(sheet: Worksheet, bold: Format, red: Format, plain: Format) -> None:
        sheet.set_column(3, 3, 20)
        sheet.set_column(5, 6, 8)
        sheet.write_rich_string(0, 0, bold, "【実施状況】", "中止", red, "した", plain)
        sheet.write_rich_string(1, 0, "前", red, "中止", "後", bold, " 空白 ")
        sheet.write_rich_string(2, 0, "a & <b>", "_x0000_\x01", red, "\ufffe end\n")
        with pytest.warns(UserWarning):
            assert sheet.write_rich_string(3, 0, bold, red, "二つの書式", plain) == -3
        with pytest.warns(UserWarning):
            assert sheet.write_rich_string(3, 1, bold, "", "空", plain) == -4
        with pytest.warns(UserWarning):
            assert sheet.write_rich_string(3, 2, bold, "x" * 16384, "😀" * 8192, plain) == -2
        assert sheet.write_rich_string(-1, 0, bold, "a", "b") == -1
        sheet.write_string(4, 0, "文字", plain)
        sheet.write_string(4, 1, "", bold)
        sheet.write_string(4, 2, "書式なし")
        sheet.write_string(4, 9, " _x0041_ & <i>\x02\uffff", plain)
        sheet.write_string(4, 10, "<r>見かけだけ</r>", plain)
        sheet.write_number(4, 3, 12, plain)
        sheet.write_number(4, 4, 0.1 + 0.2, plain)
        sheet.write_number(4, 5, 7)
        sheet.write_blank(4, 6, None, plain)
        sheet.write_url(4, 7, "internal:'s'!A1", plain, string="s")
        sheet.write_formula(4, 8, "=1+1", plain)
        texts = ["前", "", " 後 ", "😀" * 16384, "x" * 20000]
        for row in (6, 1048576):
            if isinstance(sheet, _Worksheet):
                sheet.put_texts(row, 2, texts, plain)
            else:
                for column, text in enumerate(texts, 2):
                    sheet.write_string(row, column, text, plain)
        for row in range(20, 40, 3):
            sheet.write_string(row, row % 7, "飛び飛び", plain)

    kept = parts(_Workbook, tmp_path / "kept.xlsx")
    assert kept == parts(Workbook, tmp_path / "plain.xlsx")
    strings = kept["xl/sharedStrings.xml"].decode("utf-8")
    assert strings.count("<rPr>") == 8 and 'rgb="FFC92A2A"' in strings
    assert "<t>a &amp; &lt;b&gt;</t>" in strings and "_x005F_x0000_" in strings
    cells = kept["xl/worksheets/sheet2.xml"].decode("utf-8")
    assert re.search(r'<c r="D5" s="\d+"><v>12</v></c>', cells)
    assert re.search(r'<c r="G5" s="\d+"/>', cells)
    assert kept["xl/worksheets/sheet3.xml"] == kept["xl/worksheets/sheet2.xml"]
    assert '<col min="4" max="4" width="' in cells and 'spans="1:11"' in cells


def test_report_writers_workbook_same_without_fast_paths(
    written: tuple[Path, Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With an XlsxWriter release the fast paths were not checked against, XlsxWriter's own code
    writes the sample's workbook, byte for byte the same as the fast paths write it."""
    from pipeline.report import excel

    folder, result = written
    assert excel.FAST_PATHS
    monkeypatch.setattr(excel, "FAST_PATHS", False)

    def unused(*args: object) -> None:
        raise AssertionError("a fast path ran")

    monkeypatch.setattr(excel._Worksheet, "_rich_xml", unused)
    monkeypatch.setattr(excel._SharedStrings, "_write_sst_strings", unused)
    excel.write_excel(result.checklist, tmp_path / "plain.xlsx")
    assert (tmp_path / "plain.xlsx").read_bytes() == (folder / "checklist.xlsx").read_bytes()


def test_report_writers_result_without_entries_writes_no_plan(tmp_path: Path) -> None:
    """A result whose files gave no entry has no plan: the tables are written without rows,
    the index lists no plan and the parse report still lists the file."""
    result = analyze([SAMPLE])
    empty = dataclasses.replace(
        result, entries=result.entries.iloc[:0], findings=result.findings.iloc[:0]
    )
    summary = write_outputs(empty, tmp_path)
    assert summary.plans == []
    assert (tmp_path / "entries.csv").read_bytes() == b""
    assert "002_fb856b526bbf0244.txt" in (tmp_path / "parse_report.json").read_text("utf-8")
    assert not list(tmp_path.glob(".plan-*"))


def test_report_writers_kept_widths_as_set_column(tmp_path: Path) -> None:
    """``put_widths`` stores in every sheet what XlsxWriter's ``set_column`` stores, whether it
    asks XlsxWriter (the first sheet with these widths) or uses the widths kept."""
    from xlsxwriter.workbook import Workbook

    from pipeline.report.excel import OPTIONS, _Workbook

    widths = (7, 28, 0, 12, 60)
    plain = Workbook(str(tmp_path / "plain.xlsx"), OPTIONS).add_worksheet("s")
    for column, width in enumerate(widths):
        plain.set_column(column, column, width)
    book = _Workbook(str(tmp_path / "kept.xlsx"), OPTIONS)
    for name in ("a", "b", "c"):
        sheet = book.add_worksheet(name)
        sheet.put_widths(widths)
        assert sheet.col_info == plain.col_info and sheet.col_size_changed
    assert plain.col_info[2].width == 0 and plain.col_info[1].width == 201
