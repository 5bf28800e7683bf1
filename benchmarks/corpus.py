"""A benchmark corpus: the sample narratives, replicated N times with perturbed numbers and names.

Texts come from the reader (``pipeline.ingest.read``: the status / evaluation / plan cells); when
it yields too few, the sample files' lines are split into tab-separated cells instead, so the
benchmark works while the readers are still being finished. Deterministic for a given seed.

Example:
    >>> texts = sample_texts()
    >>> len(corpus(texts, times=2, seed=1)) == 2 * len(texts)
    True
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from pipeline.ingest import read
from pipeline.schemas import TEXT_FIELDS

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
MIN_READER_TEXTS = 300
_NUMBER = re.compile(r"[0-9０-９]+")
_DIVISION = re.compile(r"[一-龥ァ-ヶー]{2,8}課")


def reader_texts() -> list[str]:
    """Non-empty narrative cells of the samples as the reader returns them.

    Example:
        >>> isinstance(reader_texts(), list)
        True
    """
    entries = read([SAMPLES]).entries
    fields = [name for name in TEXT_FIELDS if name in entries.columns]
    cells = entries[fields].to_numpy().ravel().tolist() if fields else []
    return [cell for cell in cells if isinstance(cell, str) and cell.strip()]


def line_texts() -> list[str]:
    """Tab-separated cells of every sample line with some Japanese text (fallback corpus).

    Example:
        >>> len(line_texts()) > 1000
        True
    """
    texts: list[str] = []
    for path in sorted(SAMPLES.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            texts.extend(cell.strip() for cell in line.split("\t") if len(cell.strip()) >= 8)
    return texts


def sample_texts() -> list[str]:
    """The sample narratives: the reader's cells, or the line fallback when it finds too few.

    The reader is still being finished by others: if it fails, the fallback is used too.

    Example:
        >>> all(isinstance(text, str) for text in sample_texts())
        True
    """
    try:
        texts = reader_texts()
    except Exception as error:  # any reader failure means: use the fallback
        print(f"reader failed ({type(error).__name__}: {error}); using sample lines")
        texts = []
    return texts if len(texts) >= MIN_READER_TEXTS else line_texts()


def perturb(text: str, rng: random.Random, divisions: list[str]) -> str:
    """``text`` with every number redrawn and every division name swapped for another one.

    Example:
        >>> perturb("健康課で3回実施", random.Random(0), ["福祉課"])
        '福祉課で7回実施'
    """
    text = _NUMBER.sub(lambda found: str(rng.randint(1, 10 ** len(found.group()))), text)
    return _DIVISION.sub(lambda found: rng.choice(divisions), text) if divisions else text


def corpus(texts: list[str], times: int, seed: int = 0) -> list[str]:
    """The texts once as they are, then ``times - 1`` perturbed copies (same seed, same corpus).

    Example:
        >>> corpus(["3回"], times=2, seed=0) == corpus(["3回"], times=2, seed=0)
        True
    """
    rng = random.Random(seed)
    divisions = sorted({name for text in texts for name in _DIVISION.findall(text)})
    copies = list(texts)
    for _ in range(times - 1):
        copies.extend(perturb(text, rng, divisions) for text in texts)
    return copies
