"""``conform`` leaves a column already of the schema's dtype as it is (issue #18): what it
returns is exactly what converting every column afresh returns."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.findings import API_COLUMNS, findings_frame
from pipeline.ingest import read
from pipeline.schemas import ENTRY_COLUMNS, FINDING_COLUMNS, TEXT_DTYPE, conform


def _typed_frame() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "source": ["a.txt", "b.txt", "c.txt"],
            "item_id": ["1", None, "3"],  # missing text becomes ''
            "fiscal_year": pd.array([2020, None, 2022], dtype="Int64"),
            "compared_year": [2019, 2020, 2021],  # int64: made Int64
            "score": [0.5, np.nan, 1.0],
            "evidence": ["研修を実施した。", "", "中止"],
            "extra": [1, 2, 3],  # not in the schema: kept after it
        }
    )
    frame["source"] = frame["source"].astype(str)
    frame["evidence"] = frame["evidence"].astype(str)
    return frame


def test_typed_columns_conform_as_columns_converted_afresh() -> None:
    frame = _typed_frame()
    kept = frame.copy()
    typed = conform(frame, FINDING_COLUMNS)
    as_objects = frame.astype({name: object for name in FINDING_COLUMNS if name in frame})
    afresh = conform(as_objects, FINDING_COLUMNS)  # every schema column converted
    pd.testing.assert_frame_equal(typed, afresh, check_exact=True)
    assert list(typed.dtypes) == list(afresh.dtypes)
    assert typed["item_id"].tolist() == ["1", "", "3"]
    assert list(typed.columns) == [*FINDING_COLUMNS, "extra"]
    pd.testing.assert_frame_equal(frame, kept)  # the caller's frame is left alone


def test_conformed_entries_conform_to_themselves() -> None:
    entries = read(["data/samples/000_7f059ffc7f93b1c5.txt"]).entries
    again = conform(entries, ENTRY_COLUMNS)
    pd.testing.assert_frame_equal(again, entries, check_exact=True)
    afresh = conform(entries.astype(object), ENTRY_COLUMNS)
    pd.testing.assert_frame_equal(again, afresh, check_exact=True)


def test_findings_built_from_rows_have_the_text_dtype_conform_gives() -> None:
    row = {**dict.fromkeys(FINDING_COLUMNS, "x"), "fiscal_year": 2021, "compared_year": None}
    row |= {"score": 1.0, **{name: [] for name in API_COLUMNS}}
    frame = findings_frame([row, {**row, "evidence": "研修を実施した。"}])
    texts = [name for name in FINDING_COLUMNS if isinstance(row[name], str)]
    assert texts and all(frame[name].dtype == TEXT_DTYPE for name in texts)
    afresh = conform(frame.astype({name: object for name in texts}), FINDING_COLUMNS)
    pd.testing.assert_frame_equal(frame, afresh, check_exact=True)
