"""The benchmark suite: the whole pipeline on corpora of 1x, 10x, 50x and 200x the samples.

Run: ``make bench`` (``python -m benchmarks.run``); options: ``--sizes 1 10 50``, ``--jobs 2``,
``--timeout 600`` (seconds per size). Not part of the test suite.

Each size runs in a fresh process (so peak RSS is that size's own): the corpus files are written
into a temporary folder (``benchmarks.corpus.write_corpus``, not timed), then ``runner.run``
reads, analyses, detects and writes the reports plan by plan, timed per stage
(``Summary.timings``: read and combine are wall time, the per-plan stages are summed over the
plans, so with ``--jobs 2`` they add up to more than the wall time) and per detector (each
registry function wrapped in a timer; with ``--jobs`` > 1 the detectors run in the workers and
are not timed); then, in the same process, raw SudachiPy (the same dictionary, user
dictionary and split mode, default tokenizer) tokenizes the same narrative cells, reading every
field a Token carries. The table shows each stage, end-to-end, ``hyoka / raw``, the peak RSS
when ``runner.run`` is done (``run MiB``) and at the end (after raw SudachiPy read the same
cells; ``RSS MiB``), and the largest worker's (``child MiB``); the fit is a least-squares line
of end-to-end time against size, and the 200x/50x time ratio (linear: <= 4.4).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from benchmarks.corpus import write_corpus
from pipeline.detectors import REGISTRY, Context, load_all
from pipeline.lexicons import Lexicons
from pipeline.runner import run
from pipeline.schemas import TEXT_FIELDS
from pipeline.text import TextLayer

SIZES = (1, 10, 50, 200)
STAGES = ("read", "text", "detect", "checklist", "write", "combine")


def timed_detectors(seconds: dict[str, float]) -> None:
    """Wrap every registered detector so its run time is added to ``seconds[name]``.

    Example:
        >>> spent: dict[str, float] = {}
        >>> timed_detectors(spent)
        >>> sorted(REGISTRY) == sorted(spent)
        True
    """
    for name, detect in load_all().items():
        REGISTRY[name] = _timer(name, detect, seconds)


def _timer(
    name: str, detect: Callable[[pd.DataFrame, Context], pd.DataFrame], seconds: dict[str, float]
) -> Callable[[pd.DataFrame, Context], pd.DataFrame]:
    seconds[name] = 0.0

    def timed(entries: pd.DataFrame, context: Context) -> pd.DataFrame:
        began = time.perf_counter()
        findings = detect(entries, context)
        seconds[name] += time.perf_counter() - began
        return findings

    return timed


def narratives(entries: pd.DataFrame) -> list[str]:
    """The non-blank status / evaluation / plan cells of ``entries``, in order.

    Example:
        >>> narratives(pd.DataFrame({"status": ["実施した。", " "], "plan": [None, "継続"]}))
        ['実施した。', '継続']
    """
    fields = [name for name in TEXT_FIELDS if name in entries.columns]
    cells = entries[fields].to_numpy().ravel().tolist()
    return [cell for cell in cells if isinstance(cell, str) and cell.strip()]


def raw_sudachi_seconds(texts: list[str], lexicons: Lexicons) -> float:
    """Seconds for plain SudachiPy to tokenize ``texts``, reading every field a Token carries.

    Example:
        >>> raw_sudachi_seconds(["研修を実施した。"], Lexicons()) >= 0
        True
    """
    sudachi = TextLayer(lexicons).tokenizer.tokenizer
    began = time.perf_counter()
    for text in texts:
        for morpheme in sudachi.tokenize(text):
            morpheme.surface(), morpheme.normalized_form(), morpheme.dictionary_form()
            morpheme.part_of_speech_id(), morpheme.begin(), morpheme.end()
    return time.perf_counter() - began


def measure(size: int, jobs: int) -> dict[str, Any]:
    """Everything measured for one corpus size (run in a fresh process by ``main``)."""
    lexicons = Lexicons()
    detectors: dict[str, float] = {}
    timed_detectors(detectors)
    with tempfile.TemporaryDirectory(prefix="hyoka-bench-") as folder:
        files = write_corpus(Path(folder) / "corpus", size)
        megabytes = sum(path.stat().st_size for path in files) / 1e6
        began = time.perf_counter()
        summary = run(files, out=Path(folder) / "reports", lexicons=lexicons, jobs=jobs)
        end_to_end = time.perf_counter() - began
        run_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        entries = pd.read_csv(
            Path(folder) / "reports" / "entries.csv",
            encoding="utf-8-sig",
            dtype=str,
            keep_default_na=False,
        )
    texts = narratives(entries)
    TextLayer(lexicons).tokenizer.tokenizer.tokenize("準備")
    return {
        "size": size,
        "jobs": jobs,
        "files": len(files),
        "megabytes": megabytes,
        "entries": len(entries),
        "findings": summary.totals.findings,
        "cells": len(texts),
        "distinct": len(set(texts)),
        "chars": sum(map(len, texts)),
        "stages": {stage: summary.timings.get(stage, 0.0) for stage in STAGES},
        "detectors": detectors,
        "end_to_end": end_to_end,
        "raw": raw_sudachi_seconds(texts, lexicons),
        "run_rss_mib": run_rss,
        "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "child_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def fit(rows: list[dict[str, Any]]) -> str:
    """Least-squares line of end-to-end seconds against size, and the 200x / 50x ratio.

    Example:
        >>> fit([{"size": 1, "end_to_end": 2.0}, {"size": 3, "end_to_end": 4.0}])
        'fit: 1.000 s per 1x + 1.00 s'
    """
    sizes = [row["size"] for row in rows]
    seconds = [row["end_to_end"] for row in rows]
    mean_size, mean_seconds = sum(sizes) / len(sizes), sum(seconds) / len(seconds)
    spread = sum((size - mean_size) ** 2 for size in sizes) or 1.0
    slope = (
        sum((s - mean_size) * (t - mean_seconds) for s, t in zip(sizes, seconds, strict=True))
        / spread
    )
    line = f"fit: {slope:.3f} s per 1x + {mean_seconds - slope * mean_size:.2f} s"
    by_size = dict(zip(sizes, seconds, strict=True))
    if 50 in by_size and 200 in by_size:
        line += f"; 200x / 50x = {by_size[200] / by_size[50]:.2f} (linear <= 4.4)"
    return line


def table(rows: list[dict[str, Any]]) -> list[str]:
    """The report lines: corpus, stage seconds, detector seconds, end-to-end, ratio, RSS."""
    detectors = sorted({name for row in rows for name in row["detectors"]})
    head = ["size", "files", "MB", "entries", "cells", "distinct", *STAGES, *detectors]
    head += ["e2e s", "raw s", "e2e/raw", "run MiB", "RSS MiB", "child MiB"]
    lines = [" ".join(f"{name:>9}" for name in head)]
    for row in rows:
        values = [
            f"{row['size']}x",
            row["files"],
            f"{row['megabytes']:.1f}",
            row["entries"],
            row["cells"],
            row["distinct"],
            *(f"{row['stages'][stage]:.2f}" for stage in STAGES),
            *(f"{row['detectors'].get(name, 0.0):.2f}" for name in detectors),
            f"{row['end_to_end']:.2f}",
            f"{row['raw']:.2f}",
            f"{row['end_to_end'] / row['raw']:.2f}",
            f"{row.get('run_rss_mib', 0.0):.0f}",
            f"{row['rss_mib']:.0f}",
            f"{row['child_rss_mib']:.0f}",
        ]
        lines.append(" ".join(f"{value:>9}" for value in values))
    return lines


def child(size: int, jobs: int, timeout: float) -> dict[str, Any] | None:
    """``measure(size, jobs)`` in a fresh interpreter; None when it took longer than ``timeout``."""
    command = [sys.executable, "-m", "benchmarks.run", "--measure", str(size), "--jobs", str(jobs)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        print(f"{size}x: stopped after {timeout:.0f} s", file=sys.stderr)
        return None
    row: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return row


def main(argv: list[str]) -> None:
    """Measure every size in its own process and print the table and the fit."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.measure:
        print(json.dumps(measure(options.measure, options.jobs), ensure_ascii=False))
        return
    rows = []
    for size in options.sizes:
        row = child(size, options.jobs, options.timeout)
        if row is not None:
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
    print(f"jobs={options.jobs}; stage, detector and end-to-end times in seconds")
    print("\n".join(table(rows)))
    print(fit(rows))


if __name__ == "__main__":
    main(sys.argv[1:])
