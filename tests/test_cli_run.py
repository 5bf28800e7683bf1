"""``hyoka run``: the main job end to end on a real sample."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import openpyxl
import pytest

from pipeline.cli import EXIT_OK, EXIT_SOME_FAILED, main

SAMPLE = "data/samples/002_fb856b526bbf0244.txt"
OTHER = "data/samples/004_e0cedbc2d3263efb.txt"
OUTPUTS = (
    "index.html",
    "checklist.xlsx",
    "findings.csv",
    "entries.csv",
    "indicators.csv",
    "opinions.csv",
    "parse_report.json",
)


def _files(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run") / "reports"
    assert main(["run", SAMPLE, "--out", str(out)]) == EXIT_OK
    return out


def test_cli_run_writes_every_output(reports: Path) -> None:
    for name in OUTPUTS:
        assert (reports / name).is_file(), name
    markdown = sorted(p.name for p in (reports / "checklists" / "002_fb856b526bbf0244").iterdir())
    assert len(markdown) == 9 and "指導室.md" in markdown


def test_cli_run_counts_agree_and_quiet_divisions_say_so(reports: Path) -> None:
    with (reports / "findings.csv").open(encoding="utf-8-sig", newline="") as handle:
        findings = list(csv.DictReader(handle))
    html = (reports / "index.html").read_text(encoding="utf-8")
    workbook = openpyxl.load_workbook(reports / "checklist.xlsx")
    excel_rows = [
        row
        for sheet in workbook.worksheets[1:]
        for row in sheet.iter_rows(min_row=3, values_only=True)
        if row[0] in ("高", "中", "低")
    ]
    groups = {f["group_id"] for f in findings}
    shown = {f["group_id"] for f in findings if f["kind"] != "mention_only"}  # report.hidden_kinds
    assert len(re.findall(r'<tr class="finding ', html)) == len(groups)
    assert len(excel_rows) == len(shown) < len(findings)  # one row per question, not per finding
    with_findings = {
        (f["department"], f["division"]) for f in findings if f["kind"] != "mention_only"
    }
    quiet = 9 - len(with_findings)
    summary = [
        row[7] for row in workbook["概要"].iter_rows(min_row=2, max_row=10, values_only=True)
    ]
    assert summary.count("指摘なし") == quiet
    assert html.count('<p class="none">指摘なし</p>') == quiet  # shown when the rows are hidden


def test_cli_run_is_byte_identical_when_run_again(reports: Path, tmp_path: Path) -> None:
    assert main(["run", SAMPLE, "--out", str(tmp_path)]) == EXIT_OK
    assert _files(tmp_path) == _files(reports)


def test_cli_run_prints_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["run", SAMPLE, "--out", str(tmp_path)])
    printed = capsys.readouterr().out
    assert "002_fb856b526bbf0244.txt" in printed
    assert re.search(r"^計 total\s+\d+\s+\d+\s+\d+\s+\d+$", printed, re.MULTILINE)
    assert (
        "重要度「高」の質問が多い担当課 / divisions with most high-severity questions:" in printed
    )
    assert re.search(r"^指摘 → 質問 / findings → questions: \d+ → \d+$", printed, re.MULTILINE)
    assert f"出力先 / outputs in {tmp_path}/: index.html, checklist.xlsx" in printed


def test_cli_run_reports_a_missing_file_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.txt"
    code = main(["run", SAMPLE, str(missing), "--out", str(tmp_path / "out")])
    assert code == EXIT_SOME_FAILED
    assert "missing.txt" in capsys.readouterr().err
    assert (tmp_path / "out" / "index.html").is_file()


def test_cli_run_jobs_give_the_same_outputs(tmp_path: Path) -> None:
    assert main(["run", SAMPLE, OTHER, "--jobs", "2", "--out", str(tmp_path / "two")]) == EXIT_OK
    assert main(["run", SAMPLE, OTHER, "--out", str(tmp_path / "one")]) == EXIT_OK
    assert _files(tmp_path / "two") == _files(tmp_path / "one")


def test_cli_run_rejects_zero_jobs() -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["run", SAMPLE, "--jobs", "0"])
    assert stopped.value.code == 2
