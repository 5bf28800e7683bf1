"""Small builders shared by the report tests (pytest puts this folder on the import path)."""

from __future__ import annotations

from typing import Any

from pipeline.findings import Questions, finding


def status_finding(
    entry: dict[str, Any], questions: Questions, kind: str = "identical", **extra: Any
) -> dict[str, Any]:
    """A copy_paste finding on the entry's status that quotes it whole (score 1.0)."""
    return finding(
        entry=entry,
        detector="copy_paste",
        kind=kind,
        field="status",
        score=1.0,
        evidence=str(entry["status"]),
        questions=questions,
        **extra,
    )
