"""Hard inputs and safe outputs: interrupted runs, huge files, huge cells, input order."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import runner
from pipeline.cli import main
from pipeline.ingest import read
from pipeline.report.output import STAGING_PREFIX

SAMPLES = Path(__file__).parents[1] / "data" / "samples"
SAMPLE = SAMPLES / "002_fb856b526bbf0244.txt"


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_robustness_failed_write_leaves_previous_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "reports"
    assert main(["run", str(SAMPLE), "--out", str(out)]) == 0
    before = _digest(out)

    def broken_excel(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "write_excel", broken_excel)
    assert main(["run", str(SAMPLES / "001_28fb2938c92c7781.txt"), "--out", str(out)]) == 130
    assert _digest(out) == before
    assert not list(out.glob(f"{STAGING_PREFIX}*"))


def test_robustness_killed_run_leaves_previous_reports(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    assert main(["run", str(SAMPLE), "--out", str(out)]) == 0
    before = _digest(out)
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "run", str(SAMPLES), "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # the run and its workers, killed together as a terminal would
    )
    deadline = time.monotonic() + 120
    while not list(out.glob(f"{STAGING_PREFIX}*")) and time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1].decode()
        time.sleep(0.001)  # kill it while it is writing its outputs
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert _digest(out) == {
        name: digest for name, digest in before.items() if not name.startswith(STAGING_PREFIX)
    }
    # The next run removes what the killed run left behind and completes.
    assert main(["run", str(SAMPLE), "--out", str(out)]) == 0
    assert not list(out.glob(f"{STAGING_PREFIX}*"))


def test_robustness_input_order_does_not_change_results(tmp_path: Path) -> None:
    files = sorted(SAMPLES.glob("00[0-2]_*.txt"))
    first, second = tmp_path / "a", tmp_path / "b"
    assert main(["run", *map(str, files), "--out", str(first)]) == 0
    assert main(["run", *map(str, reversed(files)), "--out", str(second)]) == 0
    assert _digest(first) == _digest(second)


@pytest.mark.slow
def test_robustness_twenty_megabyte_file(tmp_path: Path) -> None:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    header, body = lines[2], lines[3:]
    copies = 20_000_000 // len("\n".join(body).encode("utf-8")) + 1
    path = tmp_path / "big.txt"
    path.write_text("\n".join([header, *body * copies]), encoding="utf-8")
    assert path.stat().st_size > 20_000_000
    tables = read([path])
    report = tables.report.iloc[0]
    assert report["lines_read"] == report["lines_used"] + report["lines_skipped"]
    assert len(tables.entries) == copies * len(read([SAMPLE]).entries)


def test_robustness_hundred_thousand_character_cell(tmp_path: Path) -> None:
    cell = "研修を実施した。" * 12_500
    path = tmp_path / "long.tsv"
    path.write_text(
        "実施内容\t担当課\t令和2年度実施状況\t達成度(%)\n研修事業\t健康課\t" + cell + "\t100%\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out)]) == 0
    tables = read([path])
    assert tables.entries.loc[0, "status"] == cell
    assert len(cell) == 100_000


def test_robustness_rows_with_more_and_fewer_cells_than_header(tmp_path: Path) -> None:
    path = tmp_path / "ragged.tsv"
    path.write_text(
        "実施内容\t担当課\t令和2年度実施状況\t達成度(%)\n"
        "研修事業\t健康課\t研修を実施した。\t100%\textra\tmore\n"
        "相談事業\t福祉課\n",
        encoding="utf-8",
    )
    tables = read([path])
    report = tables.report.iloc[0]
    assert report["lines_read"] == report["lines_used"] + report["lines_skipped"] == 3
    assert tables.entries.loc[0, ["item", "status", "rating"]].tolist() == [
        "研修事業",
        "研修を実施した。",
        "100%",
    ]


def test_robustness_line_separator_in_a_header_label(tmp_path: Path) -> None:
    """A label holding U+2028 (LINE SEPARATOR, which ``str.splitlines`` breaks on) is kept in
    the parse report, whose JSON lines are read back per file, and the run completes."""
    text = SAMPLES.joinpath("002_fb856b526bbf0244.txt").read_text(encoding="utf-8")
    path = tmp_path / "002_sep.txt"
    path.write_text(text.replace("実施内容", "実施\u2028内容", 1), encoding="utf-8")
    out = tmp_path / "reports"
    assert main(["run", str(path), str(SAMPLE), "--out", str(out), "--jobs", "1"]) == 0
    report = json.loads((out / "parse_report.json").read_text(encoding="utf-8"))
    labels = [column["label"] for file in report["files"] for column in file["columns"]]
    assert "実施\u2028内容" in labels
