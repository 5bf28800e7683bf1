"""The table aligner's dynamic programme (``align._align``, fits and costs looked up once per
cell and column) gives exactly the alignment the plain programme gives, move by move as first
written: every class against every field shape, ties and ``keep`` included (issue #18)."""

from __future__ import annotations

import random

import pytest

from pipeline.ingest import align
from pipeline.ingest.align import (
    Alignment,
    _align,
    _drop,
    _lost,
    _read_as,
    _swappable,
    _trace,
    align_cells,
    fit,
)
from pipeline.ingest.cells import CellShapes

_KINDS = (
    "empty",
    "placeholder",
    "page",
    "relisted",
    "department",
    "division",
    "rating",
    "percent",
    "rating_like",
    "section",
    "item_no",
    "short",
    "plan_text",
    "past_text",
    "long",
    "echo_status",
    "repeat",
    "copy_past_text",
    "copy_plan_text",
)
_FIELDS = (
    "item",
    "page",
    "relisted",
    "department",
    "division",
    "status",
    "evaluation",
    "rating",
    "plan",
    "description",
    "section",
    "unknown",
    "other",
)


def _plain_align(
    kinds: tuple[str, ...], fields: tuple[str, ...], optional: frozenset[int], keep: bool
) -> Alignment:
    """The programme as first written: every move of every cell built as a list, then taken."""
    rows, cols = len(kinds), len(fields)
    best = [[float("-inf")] * (cols + 1) for _ in range(rows + 1)]
    step = [[""] * (cols + 1) for _ in range(rows + 1)]
    best[0][0] = 0.0
    for i in range(rows + 1):
        for j in range(cols + 1):
            moves = []
            if i and j:
                moves.append(("match", best[i - 1][j - 1] + fit(kinds[i - 1], fields[j - 1])))
            if i > 1 and j > 1 and _swappable(kinds[i - 2], kinds[i - 1]):
                swapped = fit(kinds[i - 2], fields[j - 1]), fit(kinds[i - 1], fields[j - 2])
                if min(swapped) >= 0:
                    moves.append(("swap", best[i - 2][j - 2] + sum(swapped) + align._SWAP))
            if j:
                free = i == rows or (j - 1) in optional or fields[j - 1] == "unknown"
                moves.append(("skip", best[i][j - 1] + (0.0 if free else align._SKIP_COLUMN)))
            if i:
                barred = keep and _lost(Alignment((None,), 0.0), kinds[i - 1 : i]) > 0
                drop = align._KEEP if barred else _drop(kinds[i - 1])
                moves.append(("drop", best[i - 1][j] + drop))
            for move, score in moves:
                if score > best[i][j] + 1e-9:
                    best[i][j], step[i][j] = score, move
    return Alignment(tuple(_trace(step, rows, cols)), best[rows][cols])


@pytest.mark.parametrize("seed", range(40))
def test_alignment_is_the_plain_programmes(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(25):
        kinds = tuple(rng.choice(_KINDS) for _ in range(rng.randint(0, 11)))
        fields = tuple(rng.choice(_FIELDS) for _ in range(rng.randint(0, 11)))
        optional = frozenset(j for j in range(len(fields)) if rng.random() < 0.15)
        keep = rng.random() < 0.3
        fast = _align.__wrapped__(kinds, fields, optional, keep)
        plain = _plain_align(kinds, fields, optional, keep)
        assert (fast.mapping, fast.score) == (plain.mapping, plain.score), (kinds, fields)


def test_rows_as_printed_align_as_the_plain_programme_aligns_them() -> None:
    kinds = ("short", "rating", "past_text", "percent", "past_text", "repeat", "plan_text")
    fields = ("item", "status", "rating", "evaluation", "status", "evaluation", "rating", "plan")
    for keep in (False, True):
        fast = _align.__wrapped__(kinds, fields, frozenset({1}), keep)
        assert fast == _plain_align(kinds, fields, frozenset({1}), keep)
    swapped = _align.__wrapped__(kinds, fields, frozenset(), False)
    assert swapped.mapping == (0, 1, 3, 2, 4, 6, 7)  # 状況 | 30% | 評価: the swap move taken


def test_rows_sharing_their_classes_are_read_as_each_read_alone() -> None:
    shapes = CellShapes.load()
    fields = ["item", "division", "status", "rating", "evaluation", "plan", "status", "rating"]
    rows = [
        ["相談事業", "健康課", "相談を12件受けた。", "100%", "適切に実施した。", "継続する。"],
        ["講座事業", "福祉課", "講座を3回開催した。", "80%", "概ね実施した。", "継続する。"],
        ["健診事業", "保健課", "健診を実施した。", "A", "評価", "健診を実施した。", "B", "C"],
        ["", "", "健康課", "相談を実施した。", "A", "", "", ""],
    ]
    warm = [align_cells(row, fields, shapes, frozenset({5})) for row in rows * 2]
    _read_as.cache_clear()
    for row, answer in zip(rows * 2, warm, strict=True):
        _read_as.cache_clear()  # each row read with nothing remembered
        assert align_cells(row, fields, shapes, frozenset({5})) == answer
    assert _read_as.cache_info().maxsize is not None  # bounded


def test_remembered_alignments_cannot_be_changed_by_a_caller() -> None:
    shapes = CellShapes.load()
    fields = ["item", "status", "rating"]
    first = align_cells(["研修", "研修を実施した。", "100%"], fields, shapes)
    with pytest.raises(TypeError):
        first.mapping[0] = None  # type: ignore[index]
    direct, chosen = _read_as(("short", "past_text", "percent"), tuple(fields), frozenset())
    assert _read_as(("short", "past_text", "percent"), tuple(fields), frozenset())[1] is chosen
    assert first.mapping == chosen.mapping == direct.mapping == (0, 1, 2)
