"""Throughput of hyoka's text layer against raw SudachiPy on the same texts, same process.

Run: ``.venv/bin/python -m benchmarks.bench_tokenize [times]`` (default: the samples and 50x).
"raw" is the same Sudachi tokenizer (same user dictionary and split mode) reading the fields a
Token carries (surface, normalized, lemma, POS id, offsets); "hyoka" is ``TextLayer.tokens`` with
normalization, typo mapping, sentence splitting and offset mapping, with the cache off and on.
Both run with the garbage-collector setting of hyoka's stages (``runner.batch_gc``).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from benchmarks.corpus import corpus, sample_texts
from pipeline.runner import batch_gc
from pipeline.text import TextLayer


def raw_tokenize(layer: TextLayer) -> Callable[[str], int]:
    """A function tokenizing one text with the bare Sudachi tokenizer, reading every field.

    Example:
        >>> raw_tokenize(TextLayer())("研修を実施した")  # 研修 を 実施 し た
        5
    """
    sudachi = layer.tokenizer.tokenizer

    def run(text: str) -> int:
        count = 0
        for morpheme in sudachi.tokenize(text):
            morpheme.surface(), morpheme.normalized_form(), morpheme.dictionary_form()
            morpheme.part_of_speech_id(), morpheme.begin(), morpheme.end()
            count += 1
        return count

    return run


def timed(function: Callable[[str], object], texts: list[str]) -> float:
    """Seconds to call ``function`` on every text.

    Example:
        >>> timed(len, ["a"]) >= 0
        True
    """
    began = time.perf_counter()
    for text in texts:
        function(text)
    return time.perf_counter() - began


def measure(label: str, texts: list[str], repeat: int) -> None:
    """Print throughput of raw Sudachi and hyoka (cache off, cache on), best of ``repeat`` runs.

    Every cached run starts from an empty cache, so the hit rate is the texts' own repetition.
    """
    chars = sum(map(len, texts))
    raw = min(timed(raw_tokenize(TextLayer()), texts) for _ in range(repeat))
    uncached = min(timed(TextLayer(cache=False).tokens, texts) for _ in range(repeat))
    layers = [TextLayer() for _ in range(repeat)]
    cached = min(timed(layer.tokens, texts) for layer in layers)
    info = layers[0].cache_info()
    print(f"{label}: {len(texts)} texts, {chars} chars, {len(set(texts))} distinct")
    rows = (("raw sudachi", raw), ("hyoka no cache", uncached), ("hyoka cache", cached))
    for name, seconds in rows:
        speed = chars / seconds / 1000
        print(f"  {name:15s} {seconds:7.3f} s {speed:8.1f} kchar/s {raw / seconds:5.2f}x raw")
    print(f"  cache hit rate {info.hit_rate:.1%} ({info.hits} hits, {info.misses} misses)")


def main(argv: list[str]) -> None:
    """Benchmark the samples and the replicated corpus (``argv[0]`` copies, default 50).

    Both sides run under ``runner.batch_gc``, the collector setting every stage of
    ``hyoka run`` and ``analyze`` runs with (the cache keeps every analysis alive, and the
    default setting rescans them all the time)."""
    times = int(argv[0]) if argv else 50
    texts = sample_texts()
    raw_tokenize(TextLayer())("準備")
    with batch_gc():
        measure("samples", texts, repeat=5)
        measure(f"samples x{times}", corpus(texts, times, seed=0), repeat=1)


if __name__ == "__main__":
    main(sys.argv[1:])
