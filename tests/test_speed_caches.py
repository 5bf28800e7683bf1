"""The speed caches of the reader and the text layer: bounded, and the answers they give are the
answers computed afresh (issue #18)."""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from pathlib import Path

import pytest

from pipeline.ingest import cells, headers
from pipeline.ingest.align import cell_class
from pipeline.ingest.cells import CellShapes
from pipeline.ingest.columns import header_rows, is_header_row
from pipeline.ingest.headers import HeaderRules
from pipeline.ingest.layout_text import (
    PLAN_OPENS_WITH_RATING_COST,
    RATING_AS_TEXT_COST,
    RATING_COST,
    TENSE_COST,
    Cues,
    Piece,
    _group_costs,
)
from pipeline.ingest.sources import Row, load_rows
from pipeline.lexicons import Lexicons
from pipeline.text import TextLayer

_TEXTS = ["研修を実施した。", "講座は中止となった。", "引き続き事業を実施する。"]


def test_text_layer_keeps_the_analyses_used_last_between_tasks() -> None:
    layer = TextLayer(Lexicons())
    layer.cache_kept = 2
    layer.analysed(_TEXTS)
    layer.analysed(_TEXTS[:1])  # used again: now the most recent
    layer.trim_cache()
    assert layer.cache_info().size == 2
    before = layer.cache_info()
    layer.normalize(_TEXTS[0]), layer.normalize(_TEXTS[2])
    assert layer.cache_info().hits - before.hits == 2  # both kept
    layer.normalize(_TEXTS[1])
    assert layer.cache_info().misses - before.misses == 1  # the one used least recently went


def test_kept_analyses_give_what_a_fresh_layer_gives() -> None:
    layer = TextLayer(Lexicons())
    layer.cache_kept = 1
    for _ in range(2):
        layer.analysed(_TEXTS)
        layer.trim_cache()
    fresh = TextLayer(Lexicons(), cache=False)
    for text in _TEXTS:
        assert layer.predicates(text) == fresh.predicates(text)
        assert layer.tokens(text) == fresh.tokens(text)


def test_header_label_counts_stay_bounded_and_right(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(headers, "_COUNTS_KEPT", 2)
    rules = HeaderRules.load()
    rows = [
        ["事業名", "担当課", "令和4年度実績", "評価"],
        ["研修事業", "健康課", "研修を実施した。"],
    ]
    rows += [["担当課", f"メモ{k}"] for k in range(5)]
    counts = [rules.count_labels(row) for row in rows * 2]
    assert len(rules.counts) <= 2
    assert counts == [HeaderRules.load().count_labels(row) for row in rows * 2]
    assert counts[:2] == [4, 0]


def test_cell_class_memo_is_shared_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cells, "MEMO_CELLS", 3)
    lexicons = Lexicons()
    shapes = CellShapes.load(lexicons)
    assert CellShapes.load(lexicons) is shapes  # the files of one read share it
    texts = ["100%", "健康課", "P.43", "研修を実施した。", "-", "実施"]
    kinds = [cell_class(text, shapes) for text in texts]
    assert len(shapes.memo) <= 3
    other = CellShapes.load(Lexicons())  # other lexicons: compiled again, memo empty
    assert other is not shapes
    assert [cell_class(text, other) for text in texts] == kinds
    assert kinds[:3] == ["percent", "division", "page"]


def test_layout_text_group_costs_price_each_group() -> None:
    cues = Cues.load(Lexicons())
    row = Row(0, 1, "1", [""])
    pieces = [
        Piece(row, "実施", "line", False, True),
        Piece(row, "研修を実施した。", "line", True, False),
    ]
    costs = _group_costs(cues, pieces, {"rating", "status", "plan"})
    assert costs["rating"][0, 1] == RATING_COST[3]  # 実施 alone: a rating
    assert costs["status"][1, 2] == 0.0  # a past report fits a status
    tense = TENSE_COST / 2 if cues.ending("実施") == "plan" else 0.0  # 実施 reads as a plan
    assert costs["status"][0, 1] == RATING_AS_TEXT_COST["status"] + tense  # a rating does not
    assert costs["plan"][1, 2] == TENSE_COST  # ... not a plan
    # both pieces together: a report (past) that opens with a short rating, dear as a plan
    joined = costs["plan"][0, 2]
    assert joined == PLAN_OPENS_WITH_RATING_COST + TENSE_COST
    assert all(math.isinf(costs[name][1, 1]) for name in costs)  # no empty group
    assert all(math.isinf(costs[name][2, 0]) for name in costs)


def test_header_columns_memo_is_bounded_and_answers_as_computed_afresh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(headers, "_HEADERS_KEPT", 2)
    rules = HeaderRules.load()
    asked = [
        (["事業名", "担当課", "令和4年度実績", "評価"], (), None),
        (["実施状況", "評価"], ("令和4年度", "令和4年度"), None),
        (["事業名", "前年度実績", "今年度計画"], (), 2023),
        (["事業名", "前年度実績", "今年度計画"], (), 2024),
    ]
    answers = [rules.columns(cells, groups, current) for cells, groups, current in asked * 2]
    assert len(rules.headers) <= 2
    fresh = HeaderRules.load()
    assert answers == [
        fresh._columns(cells, groups, current) for cells, groups, current in asked * 2
    ]
    assert answers[2] != answers[3]  # the evaluation year is part of the key
    answers[0].pop()  # a caller's list is its own
    assert len(rules.columns(*asked[0])) == 4


def test_folded_cells_are_remembered_bounded_and_as_folded_afresh() -> None:
    long = "Ｒ６年度は" + "研修を実施した。" * 10
    texts = [" Ｐ．４３ ", "１００％", "研修を実施した。", "ｶﾞｲﾄﾞ", "\u3000健康課\u3000", "", long]
    plain = [unicodedata.normalize("NFKC", text).strip() for text in texts]
    cells._fold_short.cache_clear()
    assert [cells.fold(text) for text in texts * 2] == plain * 2
    assert cells.fold("１００％") == "100%"
    assert cells.fold(long).startswith("R6年度は研修")
    info = cells._fold_short.cache_info()
    assert info.maxsize is not None
    assert info.currsize == len(texts) - 1  # every short text once; the long one is not kept
    assert info.hits == len(texts)  # the second round of short texts, then １００％ again
    assert len(long) > cells.MEMO_CHARS


def test_header_rules_joined_prefilter_finds_the_rule_each_rule_finds() -> None:
    rules = HeaderRules.load()
    plain = dataclasses.replace(rules)
    object.__setattr__(plain, "any_rule", None)  # every rule searched, as without the prefilter
    assert rules.any_rule is not None
    labels = {
        cell
        for path in sorted(Path("data/samples").glob("*.txt"))
        for row in load_rows(path).rows
        for cell in [*row.cells, row.text]
    }
    labels |= {"令和２年度　実施状況", "<b>担当課</b>", "前年度実績", "計画書ページ", "評価年度"}
    found = {label: rules.match(label) for label in sorted(labels)}
    assert found == {label: plain.match(label) for label in sorted(labels)}
    assert sum(rule is not None for rule in found.values()) > 20


def test_header_rules_replaced_derive_their_prefilter_and_memos_afresh() -> None:
    rules = HeaderRules.load()
    assert rules.match("ZZZ") is None  # remembered by ``rules``, not by its copies
    extra = dataclasses.replace(rules.rules[0], pattern=re.compile("^ZZZ$"))
    more = dataclasses.replace(rules, rules=(extra, *rules.rules))
    assert more.match("ZZZ") == extra
    assert more.any_rule is not None and more.any_rule.search("ZZZ")
    assert rules.match("ZZZ") is None


def test_header_rows_are_found_once_per_document_and_again_when_it_changes() -> None:
    rules = HeaderRules.load()
    doc = load_rows(Path("data/samples/002_fb856b526bbf0244.txt"))
    plain = [row for row in doc.rows if is_header_row(row, rules, None)]
    assert plain and header_rows(doc, rules) == plain
    assert header_rows(doc, rules) is header_rows(doc, rules)  # remembered
    doc.column_map = {"header_row": doc.rows[-1].line}
    assert header_rows(doc, rules) == [doc.rows[-1]]  # another column map: found again
    doc.column_map = None
    doc.rows = doc.rows[: plain[0].index]
    assert header_rows(doc, rules) == []  # other rows: found again


def test_blank_cells_are_never_header_labels() -> None:
    rules = HeaderRules.load()  # counting skips them: no rule may match a blank cell
    assert [rules.match(cell) for cell in ["", " ", "\u3000", "\t", " \u3000 "]] == [None] * 5
    assert rules._counted(["", "事業名", "\u3000", "担当課", " "]) == (2, 2)
