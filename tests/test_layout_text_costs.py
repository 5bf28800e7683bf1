"""The layout-text reader prices every group of an item's pieces with arrays (``_group_costs``,
index grids kept per item size): the prices are exactly those of the plain rules applied to
each group in turn, and the kept grids stay bounded (issue #18)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import pytest

from pipeline.ingest import layout_text, read
from pipeline.ingest.headers import Column
from pipeline.ingest.layout_text import (
    _SHORT,
    EMPTY_COST,
    NARROW_RATING_COST,
    PLAN_OPENS_WITH_RATING_COST,
    RATING_AS_TEXT_COST,
    RATING_COST,
    TENSE_COST,
    TEXT_AS_RATING_COST,
    Cues,
    Piece,
    _all_facts,
    _group_costs,
    _join,
    _split_line,
    _words,
)
from pipeline.ingest.sources import Row
from pipeline.lexicons import Lexicons

_SAMPLE = Path("data/samples/000_7f059ffc7f93b1c5.txt")


def _plain_cost(cues: Cues, group: Sequence[Piece], name: str) -> float:
    """One group's price as the rules say it, group by group (no arrays)."""
    ratings = [cues.ratingness(piece.text) for piece in group]
    length = sum(len(piece.text) for piece in group)
    rating = ratings[0] if len(group) == 1 else 0
    if len(group) > 1 and length <= 3 * _SHORT:
        rating = cues.ratingness(_join(group))
    rating = rating or min(ratings)
    narrow = all(piece.narrow for piece in group)
    ending = cues.ending(_join(group[-2:]))
    if name == "rating":
        if rating:
            return RATING_COST[rating]
        return NARROW_RATING_COST if narrow else TEXT_AS_RATING_COST + length / 40
    full_cost = RATING_AS_TEXT_COST[name]
    if rating >= 2 or (narrow and len(group) > 1):
        cost = full_cost
    else:
        cost = full_cost / 2 if rating == 1 else 0.0
    if name != "plan":
        return cost + (TENSE_COST / 2 if ending == "plan" else 0.0)
    opens = len(group) > 1 and not group[0].full and ratings[0] >= 2
    cost += PLAN_OPENS_WITH_RATING_COST if opens else 0.0
    return cost + (TENSE_COST if ending == "past" else 0.0)


def _sample_items(monkeypatch: pytest.MonkeyPatch) -> list[list[Piece]]:
    """The pieces of every item of a layout-text sample, as the reader aligns them."""
    items: list[list[Piece]] = []
    plain = layout_text._align

    def kept(cues: Cues, pieces: Sequence[Piece], slots: Sequence[Column]) -> object:
        items.append(list(pieces))
        return plain(cues, pieces, slots)

    monkeypatch.setattr(layout_text, "_align", kept)
    read([_SAMPLE])
    monkeypatch.setattr(layout_text, "_align", plain)
    return items


def test_group_costs_are_the_plain_rules_for_every_group(monkeypatch: pytest.MonkeyPatch) -> None:
    cues = Cues.load(Lexicons())
    items = _sample_items(monkeypatch)
    assert len(items) > 20 and max(map(len, items)) > 20
    for pieces in items:
        n = len(pieces)
        costs = _group_costs(cues, pieces, set(EMPTY_COST))
        assert sorted(costs) == sorted(EMPTY_COST)
        for name, prices in costs.items():
            assert prices.shape == (n + 1, n + 1)
            for i in range(n + 1):
                for j in range(n + 1):
                    if j <= i:
                        assert math.isinf(prices[i, j])
                    else:
                        assert prices[i, j] == _plain_cost(cues, pieces[i:j], name), (i, j)


def test_item_grids_are_bounded_and_priced_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(layout_text, "_GRIDS", {})
    monkeypatch.setattr(layout_text, "_GRID_KEPT_PIECES", 20)
    cues = Cues.load(Lexicons())
    items = _sample_items(monkeypatch)[:12]
    first = [_group_costs(cues, pieces, {"rating", "plan"}) for pieces in items]
    sizes = {len(pieces) for pieces in items}
    assert min(sizes) <= 20 < max(sizes)  # some grids kept, some built for their item only
    assert {n for n in sizes if n <= 20} <= set(layout_text._GRIDS)
    assert max(layout_text._GRIDS) <= 20
    again = [_group_costs(cues, pieces, {"rating", "plan"}) for pieces in items]
    for before, after in zip(first, again, strict=True):
        assert sorted(before) == ["plan", "rating"]
        assert all((before[name] == after[name]).all() for name in before)


def test_item_grids_are_read_only_and_small_in_all() -> None:
    grids = [layout_text._grid(n) for n in (3, layout_text._GRID_KEPT_PIECES + 1)]
    for grid in grids:
        for array in grid:
            with pytest.raises(ValueError, match="read-only"):
                array[0] = 0
    kept = [layout_text._grid(n) for n in range(layout_text._GRID_KEPT_PIECES + 200)]
    assert kept[5] is layout_text._grid(5)
    assert kept[-1] is not layout_text._grid(len(kept) - 1)  # not kept: too large
    assert sum(a.nbytes for grid in layout_text._GRIDS.values() for a in grid) < 2_000_000


def test_group_facts_read_each_group_as_its_joined_cell_text() -> None:
    cues = Cues.load(Lexicons())
    row = Row(0, 1, "1", [""])
    words = [("\u3000Ａ", "start"), ("評価", "gap"), ("80%", "gap"), ("実施済 ", "line")]
    words += [("\u3000研修を実施した。", "blank"), ("Ｂ", "gap")]
    pieces = [Piece(row, text, before, False, True) for text, before in words]
    facts = _all_facts(cues, pieces)
    n = len(pieces)
    for i in range(n):
        for j in range(i + 1, n + 1):
            text = _join(pieces[i:j])
            assert text == text.strip(" \u3000\n") and (j - i > 1 or text in pieces[i].text)
            own = cues.ratingness(text)
            if j - i == 1 or (own and len(text) <= 3 * _SHORT):
                assert facts.rating[i, j] == own, (i, j, text)
            ending = cues.ending(_join(pieces[max(i, j - 2) : j]))
            assert facts.past[i, j] == (ending == "past"), (i, j, text)
            assert facts.plan[i, j] == (ending == "plan"), (i, j, text)
    assert _join(pieces[1:3]) == "評価 80%" and _join(pieces[2:4]) == "80%実施済"


def test_one_word_lines_are_split_as_the_word_rule_splits_them() -> None:
    cues = Cues.load(Lexicons())
    row = Row(0, 1, "1", [""])
    lines = ["研修を実施した。", "　　講座を開催", "実施\u3000", "\u3000", "x", "ＡＢＣＤＥＦ"]
    for text in lines:
        pieces = _split_line(cues, row, text, "line", full=True)
        words = _words(text)  # what a line with spaces is cut into
        if words and text[:1] == "　":
            words[0] = text[: len(text) - len(text.lstrip("　"))] + words[0]
        assert [piece.text for piece in pieces] == words
        assert all(piece.before == "line" and piece.full for piece in pieces)
    assert [p.narrow for p in _split_line(cues, row, "ＡＢＣＤＥＦ", "line", full=False)] == [False]
    assert [p.narrow for p in _split_line(cues, row, "　実施", "blank", full=False)] == [True]
