"""``analyze(jobs=2)``: documents read and their text analysed in worker processes, same outputs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.lexicons import Lexicons
from pipeline.runner import read_files, run
from pipeline.text import TextLayer

SAMPLES = Path(__file__).parents[1] / "data" / "samples"


def _files(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_runner_jobs_two_write_byte_identical_reports(tmp_path: Path) -> None:
    one = run([SAMPLES], out=tmp_path / "one", jobs=1)
    two = run([SAMPLES], out=tmp_path / "two", jobs=2)
    assert _files(tmp_path / "two") == _files(tmp_path / "one")
    pd.testing.assert_frame_equal(two.tokens, one.tokens)
    pd.testing.assert_frame_equal(two.findings, one.findings)
    assert len(one.tokens) > 40_000


def test_runner_jobs_workers_fill_the_text_cache() -> None:
    layer = TextLayer(Lexicons())
    tables = read_files([SAMPLES], layer.lexicons, jobs=2, text=layer)
    info = layer.cache_info()
    assert (info.hits, info.misses) == (0, 0)
    cells = set(tables.entries["status"].dropna()) - {""}
    assert info.size >= len({cell for cell in cells if cell.strip()}) > 500
    layer.tokens(tables.entries["status"].dropna().iloc[0])
    assert layer.cache_info().hits == 1
