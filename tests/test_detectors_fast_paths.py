"""The detectors' fast paths give exactly what the slow, obvious code gives (issue #18: speed
must not change a single finding)."""

from __future__ import annotations

import gc
import math
import pickle
import random
import re
import unicodedata
from difflib import SequenceMatcher
from typing import Any

import numpy as np
import pandas as pd
import pytest
from cydifflib import SequenceMatcher as CompiledMatcher

from pipeline import detectors, findings
from pipeline.detectors import REGISTRY, Context, combined_findings, kept, load_all, records
from pipeline.detectors.copy_paste import Reader, _opcodes, compare, compared, shared_texts, strip
from pipeline.detectors.copy_paste import ordered as copy_paste_ordered
from pipeline.eras import era_label
from pipeline.findings import API_COLUMNS, Questions, findings_frame
from pipeline.ingest import Tables
from pipeline.lexicons import Lexicons
from pipeline.ratings import NarrativeRules, add_rating_columns, required_texts
from pipeline.schemas import TEXT_FIELDS
from pipeline.text import TextLayer

load_all()


def _same_cell(left: Any, right: Any) -> bool:
    if isinstance(left, float) and math.isnan(left):
        return isinstance(right, float) and math.isnan(right)
    return type(left) is type(right) and bool(left == right)


def _assert_same_records(frame: pd.DataFrame) -> None:
    expected = [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]
    found = records(frame)
    assert len(found) == len(expected)
    for want, got in zip(expected, found, strict=True):
        assert list(got) == list(want)
        bad = {key: (want[key], got[key]) for key in want if not _same_cell(want[key], got[key])}
        assert not bad


def test_records_equal_to_dict_on_the_samples_tables(
    sample_tables: Tables, context: Context
) -> None:
    rated = add_rating_columns(sample_tables.entries, context.lexicons)
    for frame in (rated, sample_tables.indicators, sample_tables.repairs):
        _assert_same_records(frame)


def test_records_box_numpy_numbers_and_missing_values_like_to_dict() -> None:
    frame = pd.DataFrame(
        {
            "year": pd.array([2021, None], dtype="Int64"),
            "score": pd.array([0.5, None], dtype="Float64"),
            "flag": pd.array([True, None], dtype="boolean"),
            "value": [1.5, np.nan],
            "mixed": [np.int64(3), "研修"],
            "text": pd.array(["実施した。", None], dtype="str"),
        }
    )
    _assert_same_records(frame)
    assert records(frame)[1]["year"] is None
    assert type(records(frame)[0]["mixed"]) is int


def test_combined_findings_equal_the_findings_of_every_row(
    sample_entries: pd.DataFrame, context: Context
) -> None:
    frames = [REGISTRY[name](sample_entries, context) for name in sorted(REGISTRY)]
    rows = [row for frame in frames for row in frame.to_dict("records")]
    expected = findings_frame({str(k): v for k, v in row.items()} for row in rows)
    pd.testing.assert_frame_equal(combined_findings(frames), expected)


def test_combined_findings_of_no_findings_keep_the_columns() -> None:
    empty = findings_frame([])
    pd.testing.assert_frame_equal(combined_findings([empty, empty]), empty)


def _slow_strip(text: str, keep: str = "") -> str:
    return "".join(
        char
        for char in text
        if char in keep or unicodedata.category(char)[0] not in ("P", "Z", "C")
    )


@pytest.mark.parametrize("keep", ["", "#"])
def test_strip_equals_the_per_character_rule(sample_entries: pd.DataFrame, keep: str) -> None:
    texts = [text for field in TEXT_FIELDS for text in sample_entries[field]]
    texts += ["研修を、実施した。 ", "#回、\u3000（R3）\t\u200b", "ｺﾛﾅ禍・中止！？"]
    for text in texts:
        assert strip(text, keep) == _slow_strip(text, keep)


@pytest.mark.parametrize(
    ("previous", "current"),
    [
        ("研修を実施した。", "研修を実施した。"),
        ("研修を45回実施した。", "研修を53回実施した。"),
        ("", ""),
        ("", "研修"),
        ("相談を受けた。研修を実施した。", "研修を実施した。相談を受けた。"),
    ],
)
def test_opcodes_equal_the_sequence_matcher(context: Context, previous: str, current: str) -> None:
    old, new = context.text.tokens(previous), context.text.tokens(current)
    matcher = SequenceMatcher(None, [t.normalized for t in old], [t.normalized for t in new], False)
    assert list(_opcodes(old, new)) == matcher.get_opcodes()


def _findings(context: Context, entries: pd.DataFrame) -> pd.DataFrame:
    return combined_findings([REGISTRY[name](entries, context) for name in sorted(REGISTRY)])


def _assert_same_findings(left: pd.DataFrame, right: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(left, right)
    for name in API_COLUMNS:
        assert left[name].tolist() == right[name].tolist()


def test_kept_memos_find_what_fresh_detectors_find(
    sample_entries: pd.DataFrame, lexicons: Lexicons, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The memos kept from one run to the next (copy_paste's reader, covid's cells, rating's
    signals and verdicts) answer the next run, and other tables, as fresh detectors do."""
    first, second = sample_entries.iloc[::2], sample_entries.iloc[1::2]
    layer = TextLayer(lexicons)
    context = Context(layer, lexicons, Questions.load(lexicons))
    monkeypatch.setattr(detectors, "KEPT", 50)
    warm = [_findings(context, frame) for frame in (first, second, sample_entries)]
    memos = Reader.of(layer).memos
    assert 0 < len(memos.keys) <= 50 + 2 * len(sample_entries) * len(TEXT_FIELDS)
    for frame, found in zip((first, second, sample_entries), warm, strict=True):
        fresh = Context(TextLayer(lexicons), lexicons, Questions.load(lexicons))
        _assert_same_findings(found, _findings(fresh, frame))


def test_kept_memos_are_trimmed_to_the_kept_size(
    lexicons: Lexicons, monkeypatch: pytest.MonkeyPatch
) -> None:
    layer = TextLayer(lexicons)
    monkeypatch.setattr(detectors, "KEPT", 2)
    reader = Reader.of(layer)
    for text in ("研修を実施した。", "講座を開催した。", "相談を受けた。"):
        reader.forms(text)
    assert list(Reader.of(layer).memos.keys) == ["講座を開催した。", "相談を受けた。"]
    assert Reader.of(TextLayer(lexicons)).memos.keys == {}


def test_kept_objects_go_with_their_owner() -> None:
    layer = TextLayer()
    made = kept("test", dict, layer.lexicons, layer)
    made["x"] = 1
    assert kept("test", dict, layer.lexicons, layer) == {"x": 1}
    count = len(detectors._KEPT)
    del layer, made
    gc.collect()
    other = TextLayer()
    kept("test", dict, other.lexicons, other)
    assert len(detectors._KEPT) <= count


@pytest.mark.parametrize(
    ("section", "key", "value"),
    [
        ("copy_paste", "min_chars", 60),
        ("covid", "marker_distance", 0),
    ],
)
def test_kept_memos_follow_a_setting_changed_between_runs(
    sample_entries: pd.DataFrame, section: str, key: str, value: Any
) -> None:
    """A notebook changes a setting in its lexicons and runs a detector again with the same
    context: the findings are those of a fresh detector with that setting, not the memos of
    the run before."""
    lexicons = Lexicons()
    context = Context(TextLayer(lexicons), lexicons, Questions.load(lexicons))
    before = REGISTRY[section](sample_entries, context)
    lexicons.settings[section][key] = value
    again = REGISTRY[section](sample_entries, context)
    changed = Lexicons()
    changed.settings[section][key] = value
    fresh = Context(TextLayer(changed), changed, Questions.load(changed))
    _assert_same_findings(again, REGISTRY[section](sample_entries, fresh))
    assert not again.equals(before)


def test_kept_memos_found_by_each_tasks_copy_of_the_same_lexicons() -> None:
    """Each task of a worker brings its own copy of the lexicons (unpickled): the same files
    and settings find the memos kept by the task before."""
    layer = TextLayer()
    memos = Reader.of(layer).memos
    assert Reader.of(layer).memos is memos
    assert kept("copy_paste", dict, pickle.loads(pickle.dumps(layer.lexicons)), layer) is memos


def test_compare_memo_answers_as_the_comparison(
    sample_entries: pd.DataFrame, context: Context
) -> None:
    reader = Reader(context.text)
    texts = [text for text in sample_entries["status"].tolist()[:60] if isinstance(text, str)]
    for previous, current in zip(texts, texts[1:] + texts[:1], strict=True):
        for pair in ((previous, current), (current, previous), (previous, previous)):
            assert compare(reader, *pair) == compared(reader, *pair)
            assert compare(reader, *pair) == compared(reader, *pair)  # from the memo


def test_narrative_prefilter_skips_only_texts_no_pattern_matches(
    sample_entries: pd.DataFrame, context: Context
) -> None:
    """Every pattern with required texts: a sentence holding none of them has no match, and
    ``matches`` gives what searching every pattern gives."""
    rules = NarrativeRules.load(context.lexicons)
    plain = NarrativeRules(rules.activity, rules.cancel, rules.patterns)
    searched = {name: (None,) * len(found) for name, found in plain.patterns.items()}
    object.__setattr__(plain, "needs", searched)  # every pattern searched
    sentences = {
        sentence.text
        for field in TEXT_FIELDS
        for text in sample_entries[field]
        if isinstance(text, str)
        for sentence in context.text.sentences(text)
    }
    sentences |= {"一部を中止", "3回中止", "実績なく", "実施せずに", "増え", "減っ", "軽減した"}
    assert any(needed for needs in rules.needs.values() for needed in needs)
    for name, patterns in rules.patterns.items():
        for pattern, needed in zip(patterns, rules.needs[name], strict=True):
            for sentence in sentences:
                if needed is not None and not any(piece in sentence for piece in needed):
                    assert pattern.search(sentence) is None
        for sentence in sentences:
            assert rules.matches(name, sentence) == plain.matches(name, sentence)


@pytest.mark.parametrize(
    ("pattern", "needed"),
    [
        (r"未実施|未開催", {"実施", "開催"}),
        (r"縮小して(?:実施|開催)", {"縮小して"}),
        (r"(?:\d+月)?のみ(?:を)?(?:中止|延期)", {"のみ"}),
        (r"(?:a|)b?", None),
        (r"[^。]+", None),
        (r"(?i)abc", None),
        (r"(?:x[yz])+", {"x"}),
    ],
)
def test_required_texts_of_patterns(pattern: str, needed: set[str] | None) -> None:
    assert required_texts(re.compile(pattern)) == (None if needed is None else frozenset(needed))


def _general_frame(rows: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> pd.DataFrame:
    with monkeypatch.context() as patch:
        patch.setattr(findings, "_typed_columns", lambda rows: None)
        return findings_frame(rows)


def test_typed_findings_frame_equals_the_general_one(
    sample_entries: pd.DataFrame, context: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows as the detectors make them take the typed path; it gives what conform gives."""
    frames = [REGISTRY[name](sample_entries, context) for name in sorted(REGISTRY)]
    rows = [{str(k): v for k, v in row.items()} for f in frames for row in f.to_dict("records")]
    rows = [
        {
            **row,
            "fiscal_year": _year(row["fiscal_year"]),
            "compared_year": _year(row["compared_year"]),
        }
        for row in rows
    ]
    assert findings._typed_columns(rows) is not None
    _assert_same_findings(findings_frame(rows), _general_frame(rows, monkeypatch))


def _year(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


@pytest.mark.parametrize(
    "change",
    [
        {"fiscal_year": np.int64(2021)},
        {"compared_year": 2020.0},
        {"score": 1},
        {"evidence": None},
        {"diff": None},
        {"extra": "x"},
    ],
)
def test_other_findings_rows_take_the_general_path(
    context: Context, monkeypatch: pytest.MonkeyPatch, change: dict[str, Any]
) -> None:
    entry = {
        "source": "a.txt",
        "item_id": "x",
        "item": "研修",
        "department": "",
        "division": "健康課",
        "fiscal_year": 2021,
    }
    row = findings.finding(
        entry=entry,
        detector="copy_paste",
        kind="identical",
        field="status",
        score=1.0,
        evidence="研修を実施した。",
        questions=context.questions,
    )
    rows = [row, {**row, **change}]
    assert findings._typed_columns(rows) is None
    _assert_same_findings(findings_frame(rows), _general_frame(rows, monkeypatch))
    missing = [{key: value for key, value in row.items() if key != "evidence"}]
    assert findings._typed_columns(missing) is None


def _pandas_sorted(findings_table: pd.DataFrame, entries: pd.DataFrame) -> pd.DataFrame:
    order = {item: rank for rank, item in enumerate(dict.fromkeys(entries["item_id"]))}
    keyed = findings_table.assign(
        _severity=findings_table["severity"].map({"high": 0, "medium": 1, "low": 2}),
        _order=findings_table["item_id"].map(order).fillna(len(order)),
    )
    keyed = keyed.sort_values(
        ["_severity", "source", "_order", "fiscal_year", "detector", "kind", "field", "evidence"],
        kind="mergesort",
    )
    return keyed.drop(columns=["_severity", "_order"]).reset_index(drop=True)


def test_sorted_findings_follow_the_pandas_order(
    sample_entries: pd.DataFrame, context: Context
) -> None:
    """The Python sort of the rows' keys orders as pandas' multi-column mergesort does, with
    a missing year, an unknown severity, items not in the entries and ties."""
    combined = _findings(context, sample_entries)
    shuffled = combined.sample(frac=1.0, random_state=3).reset_index(drop=True)
    odd = shuffled.copy()
    odd.loc[::7, "fiscal_year"] = pd.NA
    odd.loc[::11, "severity"] = "unknown"
    odd.loc[::13, "item_id"] = "not-an-item"
    odd = pd.concat([odd, odd.iloc[:20]], ignore_index=True)  # exact ties keep their order
    for table in (combined, shuffled, odd, odd.assign(_position=range(len(odd)))):
        assert detectors._sort_keys(table, {}) is not None
        _assert_same_findings(
            detectors.sort_findings(table, sample_entries), _pandas_sorted(table, sample_entries)
        )


def test_findings_with_missing_text_are_sorted_by_pandas(
    sample_entries: pd.DataFrame, context: Context
) -> None:
    table = _findings(context, sample_entries).astype({"evidence": object})
    table.loc[0, "evidence"] = None
    assert detectors._sort_keys(table, {}) is None
    pd.testing.assert_frame_equal(
        detectors.sort_findings(table, sample_entries), _pandas_sorted(table, sample_entries)
    )


@pytest.mark.parametrize(
    "year", [2019, 2020, 2031, 1990, None, 2021.0, np.int64(2022), float("nan")]
)
def test_memoised_year_labels_equal_the_era_labels(year: Any) -> None:
    """The memoised labels of a finding's year and the year before are era_label's."""
    before = None if year is None or pd.isna(year) else int(year) - 1
    assert findings._year_labels(year) == (era_label(year), era_label(before))
    assert findings._year_labels(year) == (era_label(year), era_label(before))


def test_opcodes_equal_the_sequence_matcher_on_random_word_lists() -> None:
    """The compiled matcher gives difflib's opcodes on edited word lists (repeats, moves)."""
    rng = random.Random(18)
    words = [f"語{n}" for n in range(12)]
    for _ in range(300):
        before = [rng.choice(words) for _ in range(rng.randint(0, 40))]
        after = [word for word in before if rng.random() > 0.2]
        for _ in range(rng.randint(0, 6)):
            after.insert(rng.randint(0, len(after)), rng.choice(words))
        expected = SequenceMatcher(None, before, after, False).get_opcodes()
        assert CompiledMatcher(None, before, after, False).get_opcodes() == expected


def test_shared_records_give_the_findings_of_separate_runs(
    sample_entries: pd.DataFrame, context: Context
) -> None:
    """run_all shares one read-only copy of the entries' rows; each detector finds what it
    finds on its own."""
    shared = detectors.run_all(sample_entries, context)
    alone = detectors.sort_findings(_findings(context, sample_entries), sample_entries)
    _assert_same_findings(shared, alone)


def test_frozen_records_are_the_records_and_read_only(sample_entries: pd.DataFrame) -> None:
    rows = detectors.frozen_records(sample_entries)
    assert [dict(row) for row in rows] == records(sample_entries)
    with pytest.raises(TypeError):
        rows[0]["status"] = "書き換え"  # type: ignore[index]


def test_copy_paste_order_is_the_pandas_order(sample_entries: pd.DataFrame) -> None:
    """Dated entries by source, document item order, then year: as pandas sorted them."""
    dated = sample_entries[sample_entries["fiscal_year"].notna()]
    rank = {item: index for index, item in enumerate(dict.fromkeys(dated["item_id"]))}
    keyed = dated.assign(_rank=sample_entries["item_id"].map(rank))
    keyed = keyed.sort_values(["source", "_rank", "fiscal_year"], kind="mergesort")
    expected = records(keyed.drop(columns="_rank"))
    assert [dict(row) for row in copy_paste_ordered(sample_entries)] == expected


@pytest.mark.parametrize("min_chars", [10, 0])
def test_shared_texts_skip_only_cells_too_short_to_compare(
    sample_entries: pd.DataFrame, context: Context, min_chars: int
) -> None:
    """Skipping empty cells early groups what reading every cell's forms groups."""
    reader = Reader(context.text)
    reader.min_chars = min_chars
    rows = copy_paste_ordered(sample_entries)
    rows = [*rows, {**rows[0], "item": "別の事業", "status": "", "plan": ""}]
    groups: dict[tuple[Any, ...], list[tuple[Any, str]]] = {}
    for record in rows:
        for field in TEXT_FIELDS:
            text = record[field]
            if isinstance(text, str) and len(reader.key(text)) >= min_chars:
                place = (record["source"], record["division"], record["fiscal_year"], field)
                groups.setdefault((*place, reader.masked(text)), []).append((record, field))
    expected = [
        members
        for members in groups.values()
        if len({reader.key(record["item"]) for record, _ in members}) > 1
    ]
    assert shared_texts(reader, rows) == expected


def test_empty_findings_frame_is_a_fresh_copy_of_the_general_one() -> None:
    """No rows: a copy of the frame built once, the frame pandas builds; changing one copy
    leaves the next as it was."""
    first = findings_frame([])
    pd.testing.assert_frame_equal(first, findings._general_frame([]))
    first["source"] = pd.Series(["x"], dtype=object)
    first.loc[0, "evidence"] = "変更"
    pd.testing.assert_frame_equal(findings_frame([]), findings._general_frame([]))
    assert findings_frame(iter([])).shape[0] == 0
