"""Golden snapshots of the main job on the five samples: the parse report, every finding and
every checklist row, as readable JSONL under tests/golden/. A deliberate change (a lexicon term,
a threshold, a new rule) shows as a diff of these files; accept it with ONE command:

    make snapshots        # = HYOKA_UPDATE_GOLDEN=1 pytest tests/test_golden_outputs.py

The records hold no absolute path and no timing, and are sorted, so they are the same on every
machine."""

from __future__ import annotations

import os
from typing import Any

import pandas as pd
import pytest
from golden_files import check_golden

from pipeline.runner import Result, analyze
from pipeline.schemas import REPORT_COLUMNS

UPDATE = bool(os.environ.get("HYOKA_UPDATE_GOLDEN"))
REPORT_FIELDS = tuple(name for name in REPORT_COLUMNS if name != "error")
FINDING_FIELDS = (
    "source",
    "item_id",
    "item",
    "division",
    "fiscal_year",
    "detector",
    "kind",
    "field",
    "severity",
    "score",
    "evidence",
    "compared_field",
    "compared_year",
    "compared_text",
    "question",
    "group_id",
)


@pytest.fixture(scope="module")
def result() -> Result:
    return analyze()


def _plain(value: Any) -> Any:
    if isinstance(value, float) and pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


def test_golden_parse_report(result: Result) -> None:
    rows = result.report[list(REPORT_FIELDS)].to_dict("records")
    check_golden("parse_report.jsonl", ({k: _plain(v) for k, v in r.items()} for r in rows), UPDATE)


def test_golden_findings(result: Result) -> None:
    findings = result.findings[list(FINDING_FIELDS)].astype(object)
    records = [{k: _plain(v) for k, v in r.items()} for r in findings.to_dict("records")]
    keys = ("source", "item_id", "fiscal_year", "detector", "kind", "field", "evidence")
    records.sort(key=lambda r: tuple(str(r[k]) for k in keys))
    check_golden("findings.jsonl", records, UPDATE)


def test_golden_checklist_rows(result: Result) -> None:
    records = [
        {
            "plan": division.plan,
            "division": division.name,
            "severity": row.severity_label,
            "item": row.item_label,
            "years": row.year_label,
            "kinds": row.kinds_label,
            "question": row.question,
            "quotes": [f"{quote.label}: {quote.text}" for quote in row.quotes],
            "compared": list(row.compared),
            "reference": row.reference,
            "group_id": row.group_id,
        }
        for division in result.checklist.divisions()
        for row in division.rows
    ]
    check_golden("checklist.jsonl", records, UPDATE)


def test_golden_every_finding_has_its_checklist_row(result: Result) -> None:
    rows = {row.group_id for row in result.checklist.rows()}
    assert set(result.findings["group_id"]) == rows
    assert len(rows) < len(result.findings)  # grouped: one question per item and year
