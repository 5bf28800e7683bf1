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


CITIES = Path(__file__).with_name("cities.tsv")
_COUNTED = re.compile(r"[0-9０-９]+(?=[回人件名校組団か箇%％])")
_WIDE = str.maketrans("0123456789", "０１２３４５６７８９")
_NARROW = str.maketrans("０１２３４５６７８９", "0123456789")
_SENTENCE = re.compile(r"[^。]+。")
SHUFFLED_SHARE = 0.3


def city_stems() -> list[str]:
    """City name stems of ``benchmarks/cities.tsv`` (its first one is the samples' own).

    Example:
        >>> city_stems()[:2]
        ['小金井', '清瀬']
    """
    lines = CITIES.read_text(encoding="utf-8").splitlines()
    rows = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return rows[1:]


def sample_divisions() -> list[str]:
    """Plain division names of the samples' entries (e.g. 健康課), for swapping between copies.

    Example:
        >>> "健康課" in sample_divisions()
        True
    """
    divisions = read([SAMPLES]).entries["division"].dropna().unique()
    return sorted(name for name in divisions if re.fullmatch(r"[一-龥ァ-ヶー]{2,8}課", name))


def redraw_counts(text: str, rng: random.Random) -> str:
    """Every count before a counter (3回, ２０人, 80%) redrawn, full-width digits kept full-width.

    Example:
        >>> redraw_counts("研修を3回、令和2年度", random.Random(0))
        '研修を7回、令和2年度'
    """

    def redraw(found: re.Match[str]) -> str:
        digits = found.group()
        number = str(rng.randint(1, 10 ** len(digits.translate(_NARROW))))
        return number.translate(_WIDE) if digits[0] in "０１２３４５６７８９" else number

    return _COUNTED.sub(redraw, text)


def shuffle_sentences(line: str, rng: random.Random, share: float = SHUFFLED_SHARE) -> str:
    """A tab-separated line whose cells of several sentences are, with chance ``share``, rewritten
    in another sentence order (as a writer rearranging last year's text would).

    Example:
        >>> shuffle_sentences("a\\t研修した。相談した。", random.Random(1), share=1.0)
        'a\\t相談した。研修した。'
    """
    cells = line.split("\t")
    for index, cell in enumerate(cells):
        sentences = _SENTENCE.findall(cell)
        if len(sentences) >= 2 and "".join(sentences) == cell and rng.random() < share:
            rng.shuffle(sentences)
            cells[index] = "".join(sentences)
    return "\t".join(cells)


def rewrite_document(text: str, copy: int, rng: random.Random, divisions: list[str]) -> str:
    """Copy ``copy`` of a sample document: another city, divisions swapped, counts redrawn and,
    in tab-separated documents, some cells' sentences shuffled. Copy 0 is the sample itself.

    Example:
        >>> rewrite_document("小金井市\\t健康課で3回", 1, random.Random(0), ["健康課", "保育課"])
        '清瀬市\\t保育課で1回'
    """
    if copy == 0:
        return text
    stems = city_stems()
    cities = dict(zip(stems, stems[copy % len(stems) :] + stems[: copy % len(stems)], strict=True))
    swapped = dict(zip(divisions, rng.sample(divisions, len(divisions)), strict=True))
    names = {**cities, **swapped}
    pattern = re.compile("|".join(sorted(map(re.escape, names), key=len, reverse=True)))
    text = pattern.sub(lambda found: names[found.group()], text)
    lines = [redraw_counts(line, rng) for line in text.split("\n")]
    if "\t" in text:
        lines = [shuffle_sentences(line, rng) for line in lines]
    return "\n".join(lines)


def write_corpus(folder: Path, times: int, seed: int = 0) -> list[Path]:
    """``times`` copies of each sample document written into ``folder`` (the samples' formats,
    so the whole pipeline reads them); copy 12 of ``003_x.txt`` is ``0012-003_x.txt``.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     len(write_corpus(Path(folder), times=2))
        10
    """
    rng = random.Random(seed)
    divisions = sample_divisions()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for copy in range(times):
        for sample in sorted(SAMPLES.glob("*.txt")):
            text = sample.read_text(encoding="utf-8")
            target = folder / f"{copy:04d}-{sample.name}"
            target.write_text(rewrite_document(text, copy, rng, divisions), encoding="utf-8")
            written.append(target)
    return written
