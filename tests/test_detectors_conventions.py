"""Every registered detector keeps the common contract."""

from __future__ import annotations

import pytest

from pipeline.detectors import REGISTRY, Context, load_all
from pipeline.findings import API_COLUMNS
from pipeline.schemas import ENTRY_COLUMNS, FINDING_COLUMNS, empty_frame

load_all()


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_detector_returns_finding_columns_on_empty_input(name: str, context: Context) -> None:
    findings = REGISTRY[name](empty_frame(ENTRY_COLUMNS), context)
    assert list(findings.columns) == list(FINDING_COLUMNS + API_COLUMNS)
    assert findings.empty


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_detector_docstring_has_why_example_false_positives(name: str) -> None:
    doc = REGISTRY[name].__doc__ or ""
    for part in ("Why:", "Example:", "False positives:"):
        assert part in doc, f"{name} docstring lacks {part}"


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_detector_findings_name_their_detector_and_severity(
    name: str, context: Context, sample_entries: object
) -> None:
    findings = REGISTRY[name](sample_entries, context)  # type: ignore[arg-type]
    assert set(findings["detector"]) <= {name}
    assert set(findings["severity"]) <= {"high", "medium", "low"}
    assert findings["score"].between(0, 1).all()
    assert (findings["evidence"] != "").all()
