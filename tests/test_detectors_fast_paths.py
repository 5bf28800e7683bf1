"""The detectors' fast paths give exactly what the slow, obvious code gives (issue #18: speed
must not change a single finding)."""

from __future__ import annotations

import math
import unicodedata
from difflib import SequenceMatcher
from typing import Any

import numpy as np
import pandas as pd
import pytest

from pipeline.detectors import REGISTRY, Context, combined_findings, load_all, records
from pipeline.detectors.copy_paste import _opcodes, strip
from pipeline.findings import findings_frame
from pipeline.ingest import Tables
from pipeline.ratings import add_rating_columns
from pipeline.schemas import TEXT_FIELDS

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
