"""Spreadsheet formula injection is neutralised; placeholders and numbers read naturally."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest

from pipeline.report.output import trigger_cells, write_csv
from pipeline.report.safety import TRIGGERS, neutralize


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


def _triggers_cell_by_cell(values: list[object]) -> list[int]:
    return [n for n, v in enumerate(values) if isinstance(v, str) and v.startswith(TRIGGERS)]


def test_safety_trigger_cells_answers_as_cell_by_cell() -> None:
    """The column searched as one text finds exactly the cells a per-cell test finds, with
    other values than text, empty texts, NULs and triggers inside texts."""
    alphabet = ["=", "+", "-", "@", "\t", "\r", "a", "研", "\x00", "\n", ""]
    chosen = random.Random(18)
    for _ in range(3000):
        values: list[object] = [
            "".join(chosen.choice(alphabet) for _ in range(chosen.randint(0, 4)))
            for _ in range(chosen.randint(0, 8))
        ]
        if values and chosen.random() < 0.2:
            values[chosen.randrange(len(values))] = chosen.choice([None, 3, float("nan")])
        assert trigger_cells(values) == _triggers_cell_by_cell(values), values


def test_safety_csv_cells_neutralised(tmp_path: Path) -> None:
    """The CSV writer neutralises text cells (not numbers or missing cells), with a BOM."""
    frame = pd.DataFrame(
        {
            "text": ["=1+2", "-", "研修", None],
            "number": [-1, 2, 3, 4],
            "other": ["@x", "", "a", "b"],
        }
    )
    frame["text"] = frame["text"].astype("str")
    write_csv(frame, tmp_path / "a.csv")
    assert (tmp_path / "a.csv").read_bytes().decode("utf-8") == (
        "\ufefftext,number,other\n'=1+2,-1,'@x\n-,2,\n研修,3,a\n,4,b\n"
    )
