"""Spreadsheet formula injection is neutralised; placeholders and numbers read naturally."""

from __future__ import annotations

import pytest

from pipeline.report.safety import neutralize


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("-2+3", "'-2+3"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-", "-"),
        ("―", "―"),
        ("-5", "-5"),
        ("+1,200", "+1,200"),
        ("-0.5%", "-0.5%"),
        ("研修を実施した。", "研修を実施した。"),
        ("", ""),
    ],
)
def test_safety_neutralize(cell: str, written: str) -> None:
    assert neutralize(cell) == written
