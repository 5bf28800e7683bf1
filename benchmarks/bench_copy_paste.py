"""Time the copy_paste detector on the samples and on replicated corpora (10x, 25x, 50x).

Run: ``.venv/bin/python -m benchmarks.bench_copy_paste [times ...]`` (default 10 25 50).
Each copy of the samples is another "city": its source and division names get a suffix and its
texts are perturbed by ``benchmarks.corpus.corpus`` (numbers redrawn, division names swapped), so
the cross-item blocks (division x year) keep their size and the year pairs stay pairs. Every
scale uses a fresh text layer (nothing cached from the previous scale). Stages timed: keys
(normalise + mask every cell), cross-item (``boilerplate``: hash grouping, then a diff per
duplicate), and the whole detector.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import pandas as pd

from benchmarks.corpus import SAMPLES, corpus
from pipeline.detectors import Context
from pipeline.detectors.copy_paste import Reader, boilerplate, detect, ordered
from pipeline.findings import Questions
from pipeline.ingest import read
from pipeline.schemas import TEXT_FIELDS
from pipeline.text import TextLayer


def replicated(entries: pd.DataFrame, times: int, seed: int = 0) -> pd.DataFrame:
    """``entries`` once as they are, then ``times - 1`` perturbed copies as other cities.

    Example:
        >>> frame = pd.DataFrame({"source": ["a"], "division": ["健康課"], "item_id": ["x"],
        ...     "status": ["3回"], "evaluation": [""], "plan": [""]})
        >>> replicated(frame, 2)["source"].tolist()
        ['a', 'a#1']
    """
    copies = pd.concat([entries] * times, ignore_index=True)
    suffix = [f"#{copy}" if copy else "" for copy in range(times) for _ in range(len(entries))]
    copies["source"] = copies["source"] + suffix
    copies["division"] = copies["division"] + suffix
    for field in TEXT_FIELDS:
        copies[field] = corpus(entries[field].tolist(), times=times, seed=seed)
    return copies


def seconds(function: Callable[[], Any]) -> tuple[float, Any]:
    """Wall seconds of one call and its result.

    Example:
        >>> seconds(lambda: 1)[1]
        1
    """
    began = time.perf_counter()
    result = function()
    return time.perf_counter() - began, result


def measure(label: str, entries: pd.DataFrame) -> None:
    """Print the stage timings and findings of one corpus (fresh text layer each stage)."""
    layer = TextLayer()
    context = Context(layer, layer.lexicons, Questions.load(layer.lexicons))
    reader = Reader(layer)
    records = ordered(entries)
    keys, _ = seconds(lambda: [reader.masked(r[f]) for r in records for f in TEXT_FIELDS])
    cross, rows = seconds(lambda: boilerplate(reader, context, records))
    fresh = TextLayer()
    whole, findings = seconds(
        lambda: detect(entries, Context(fresh, fresh.lexicons, Questions.load(fresh.lexicons)))
    )
    print(
        f"{label:>8}: {len(entries):6d} entries | keys {keys:6.2f}s | cross-item {cross:6.2f}s"
        f" ({len(rows)} findings) | whole detector {whole:7.2f}s ({len(findings)} findings)"
    )


def main(scales: list[int]) -> None:
    """Samples first, then each replication factor."""
    entries = read([SAMPLES]).entries
    counts = detect(entries, _context()).groupby("kind").size()
    print("findings per kind on the samples:", counts.to_dict())
    measure("samples", entries)
    for times in scales:
        measure(f"{times}x", replicated(entries, times))


def _context() -> Context:
    layer = TextLayer()
    return Context(layer, layer.lexicons, Questions.load(layer.lexicons))


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [10, 25, 50])
