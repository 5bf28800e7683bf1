"""The runner plan by plan: one task per plan, in worker processes, same outputs as one job and
as the whole corpus read together; one folder per plan and an index of plans."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import pandas as pd
import pytest
from test_ingest_link import per_year_files

from pipeline import runner
from pipeline.ingest import read
from pipeline.lexicons import Lexicons
from pipeline.parse_report import build_parse_report
from pipeline.runner import analyze, read_parts, run
from pipeline.schemas import FINDING_COLUMNS

SAMPLES = Path(__file__).parents[1] / "data" / "samples"
SAMPLE = SAMPLES / "002_fb856b526bbf0244.txt"


def _files(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_runner_jobs_two_write_byte_identical_reports(tmp_path: Path) -> None:
    one = run([SAMPLES], out=tmp_path / "one", jobs=1)
    two = run([SAMPLES], out=tmp_path / "two", jobs=2)
    assert _files(tmp_path / "two") == _files(tmp_path / "one")
    assert one.totals == two.totals and one.totals.questions > 500


def test_runner_jobs_two_analyse_the_same_frames() -> None:
    one = analyze([SAMPLES], jobs=1)
    two = analyze([SAMPLES], jobs=2)
    pd.testing.assert_frame_equal(two.tokens, one.tokens)
    pd.testing.assert_frame_equal(two.findings, one.findings)
    assert len(one.tokens) > 40_000


def test_runner_plans_find_what_the_whole_corpus_finds(tmp_path: Path) -> None:
    plans = per_year_files(tmp_path)
    alone = analyze([SAMPLE])
    together = analyze([SAMPLE, *plans])

    def keyed(findings: pd.DataFrame) -> list[tuple[str, ...]]:
        return sorted(tuple(map(str, row)) for row in findings[list(FINDING_COLUMNS)].to_numpy())

    sample = together.findings[together.findings["source"] == SAMPLE.name]
    assert keyed(sample) == keyed(alone.findings)
    linked = together.entries[together.entries["source"] != SAMPLE.name]
    assert linked["item_id"].nunique() < len(linked)  # the yearly files were linked
    assert read(plans).entries["item_id"].tolist() == linked["item_id"].tolist()


def test_runner_groups_yearly_files_into_one_plan(tmp_path: Path) -> None:
    files = [*per_year_files(tmp_path), SAMPLE]
    read = read_parts(files, Lexicons(), 1, False, None, tmp_path)
    assert [[part.source for part in plan] for plan in read.plans] == [
        [SAMPLE.name],
        ["plan_2022.csv", "plan_2023.csv"],
    ]


def test_runner_several_plans_get_a_folder_each_and_an_index(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    summary = run([SAMPLE, *per_year_files(tmp_path)], out=out, jobs=1)
    folders = [plan.folder for plan in summary.plans]
    assert folders == ["002_fb856b526bbf0244", "健康づくり計画 進捗状況評価表"]
    for folder in folders:
        for name in ("index.html", "checklist.xlsx"):
            assert (out / folder / name).is_file(), (folder, name)
        assert list((out / folder / "checklists").rglob("*.md"))
    index = (out / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"', index)
    assert [(out / unquote(link)).is_file() for link in links] == [True, True]
    assert f"{summary.plans[1].questions}</td>" in index
    assert not (out / "checklist.xlsx").exists()
    sources = pd.read_csv(out / "entries.csv", encoding="utf-8-sig")["source"]
    assert list(dict.fromkeys(sources)) == [SAMPLE.name, "plan_2022.csv", "plan_2023.csv"]


def test_runner_index_lists_unreadable_files_first(tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    out = tmp_path / "reports"
    run([SAMPLE, *per_year_files(tmp_path), missing], out=out, jobs=1)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "読み取れなかったファイル（1 件）" in index
    assert index.index("missing.csv") < index.index('<table class="plans">')


def test_runner_parse_report_is_the_whole_corpus_report(tmp_path: Path) -> None:
    files = [*per_year_files(tmp_path), SAMPLE]
    run(files, out=tmp_path / "reports", jobs=1)
    written = json.loads((tmp_path / "reports" / "parse_report.json").read_text("utf-8"))
    whole = json.loads(json.dumps(build_parse_report(read(files)), default=str))
    assert written == whole
    assert [len(file["links"]) for file in written["files"]] == [0, 0, 3]


def test_runner_plans_sharing_a_task_write_what_each_alone_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = [SAMPLES, *per_year_files(tmp_path)]
    run(files, out=tmp_path / "shared", jobs=1)
    monkeypatch.setattr(runner, "TASK_ENTRIES", 1)  # one plan per task
    run(files, out=tmp_path / "alone", jobs=1)
    assert _files(tmp_path / "alone") == _files(tmp_path / "shared")
