"""One runner for every detector's case file (``tests/cases/<detector>.yaml``).

A case file holds named cases: a few entries (and indicators/repairs when needed), the findings
that must appear (``expect``: each a subset of a finding's columns) and those that must not
(``absent``), with a ``why`` saying what the case protects.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from pipeline.detectors import REGISTRY, Context, load_all
from pipeline.schemas import ENTRY_COLUMNS, INDICATOR_COLUMNS, conform

CASES_DIR = Path(__file__).parent / "cases"


def _load_cases() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in loaded["cases"]:
            params.append(pytest.param(path.stem, case, id=f"{path.stem}:{case['name']}"))
    return params


def _entries(rows: list[dict[str, Any]]) -> pd.DataFrame:
    defaults = {"source": "case.txt", "item": "テスト事業", "division": "テスト課"}
    filled = [{**defaults, "item_id": row.get("item", "テスト事業"), **row} for row in rows]
    return conform(pd.DataFrame(filled), ENTRY_COLUMNS)


def _matches(finding: dict[str, Any], wanted: dict[str, Any]) -> bool:
    return all(str(finding.get(key)) == str(value) for key, value in wanted.items())


@pytest.mark.parametrize(("detector", "case"), _load_cases())
def test_detector_case(detector: str, case: dict[str, Any], context: Context) -> None:
    load_all()
    entries = _entries(case["entries"])
    indicators = conform(
        pd.DataFrame(case.get("indicators", []), columns=list(INDICATOR_COLUMNS)),
        INDICATOR_COLUMNS,
    )
    repairs = pd.DataFrame(
        case.get("repairs", []), columns=["source", "item_id", "line", "kind", "message"]
    )
    local = Context(
        text=context.text,
        lexicons=context.lexicons,
        questions=context.questions,
        indicators=indicators,
        repairs=repairs,
    )
    found = REGISTRY[detector](entries, local).to_dict("records")
    for wanted in case.get("expect", []):
        got = [(f["kind"], f["fiscal_year"], f["field"]) for f in found]
        assert any(_matches(f, wanted) for f in found), f"{case['name']}: {wanted} not in {got}"
    for unwanted in case.get("absent", []):
        hits = [f for f in found if _matches(f, unwanted)]
        assert not hits, f"{case['name']}: unexpected {unwanted}: {hits[:1]}"
    if case.get("exact"):
        assert len(found) == len(case.get("expect", [])), [(f["kind"], f["field"]) for f in found]
