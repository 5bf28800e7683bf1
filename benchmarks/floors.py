"""Floors: what the libraries alone cost, in the same process as raw SudachiPy on the same cells.

Run: ``python -m benchmarks.floors`` (``--size 10``). Not part of the test suite.

``benchmarks.run`` says what each stage of ``hyoka run`` costs; this says what no version of a
stage can cost less than while it does its job with the libraries the project is built on, so a
goal below a floor is known to need another design (or a compiled library) before anyone tries:

- ``read``: decode every file, NFKC-normalise it and split it into lines and cells; nothing
  classified, aligned or typed (any reader does at least this);
- ``tokens``: raw SudachiPy on each *distinct* narrative cell once (the text layer with a
  perfect cache; it still has to build its analyses on top);
- ``xlsx``: XlsxWriter writing every cell of every plan's ``checklist.xlsx`` as a plain string,
  in memory, with the same sheets: no formats, no rich text, no links, no column widths (the
  cells are read back from the run's own workbooks with openpyxl, not timed);
- ``csv``: pandas writing the run's tidy tables again (``entries.csv`` and ``findings.csv``).

Each floor is printed in seconds and as a ratio to raw SudachiPy on every narrative cell (the
baseline of ``benchmarks.run``), next to the run's own stage.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import xlsxwriter

from benchmarks.corpus import write_corpus
from benchmarks.run import narratives, raw_sudachi_seconds
from pipeline.lexicons import Lexicons
from pipeline.runner import run

Sheets = list[tuple[str, list[list[str | None]]]]
"""A workbook's sheets: (name, rows of non-empty cells as text; None where a cell is empty)."""


def seconds(work: Callable[[], object]) -> float:
    """Wall seconds ``work()`` takes.

    Example:
        >>> seconds(lambda: None) >= 0
        True
    """
    began = time.perf_counter()
    work()
    return time.perf_counter() - began


def read_floor(files: list[Path]) -> int:
    """Decode, NFKC-normalise and split every file into cells; the number of cells.

    Example:
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "a.txt").write_text("事業\\t状況\\n研修\\t実施した", encoding="utf-8")
        >>> read_floor([folder / "a.txt"])
        4
    """
    cells = 0
    for path in files:
        text = unicodedata.normalize("NFKC", path.read_text(encoding="utf-8"))
        cells += sum(len(line.split("\t")) for line in text.splitlines())
    return cells


def workbook_cells(path: Path) -> Sheets:
    """Every sheet of the workbook at ``path`` with its cells as text (None when empty).

    Example:
        >>> path = Path(tempfile.mkdtemp()) / "a.xlsx"
        >>> book = openpyxl.Workbook()
        >>> book.active.title, book.active["B1"] = "概要", "計画"
        >>> book.save(path)
        >>> workbook_cells(path)
        [('概要', [[None, '計画']])]
    """
    book = openpyxl.load_workbook(path, read_only=True)
    sheets = [
        (
            sheet.title,
            [
                [None if value is None else str(value) for value in row]
                for row in sheet.iter_rows(values_only=True)
            ],
        )
        for sheet in book.worksheets
    ]
    book.close()
    return sheets


def xlsx_floor(books: list[Sheets]) -> int:
    """Write every workbook again with XlsxWriter, plain strings only, in memory; bytes written.

    Example:
        >>> xlsx_floor([[("概要", [["計画", None], ["", "研修"]])]]) > 1000
        True
    """
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    written = 0
    for sheets in books:
        target = io.BytesIO()
        book = xlsxwriter.Workbook(target, options)
        for name, rows in sheets:
            sheet = book.add_worksheet(name)
            for row, values in enumerate(rows):
                for column, value in enumerate(values):
                    if value is not None:
                        sheet.write_string(row, column, value)
        book.close()
        written += len(target.getvalue())
    return written


def csv_floor(tables: list[pd.DataFrame]) -> int:
    """Write each table as CSV text in memory (pandas); characters written.

    Example:
        >>> csv_floor([pd.DataFrame({"事業": ["研修"]})])
        6
    """
    return sum(len(table.to_csv(index=False)) for table in tables)


def measure(size: int) -> list[tuple[str, float, float]]:
    """(what, floor seconds, the run's own stage seconds) for a corpus of ``size`` x the samples,
    and raw SudachiPy first as ("raw", seconds, seconds)."""
    lexicons = Lexicons()
    with tempfile.TemporaryDirectory(prefix="hyoka-floors-") as folder:
        files = write_corpus(Path(folder) / "corpus", size)
        out = Path(folder) / "reports"
        summary = run(files, out=out, lexicons=lexicons, jobs=1)
        tables = [
            pd.read_csv(out / name, encoding="utf-8-sig", dtype=str, keep_default_na=False)
            for name in ("entries.csv", "findings.csv")
        ]
        books = [workbook_cells(path) for path in sorted(out.glob("*/checklist.xlsx"))]
        texts = narratives(tables[0])
        raw = raw_sudachi_seconds(texts, lexicons)
        stage = summary.timings
        return [
            ("raw", raw, raw),
            ("read", seconds(lambda: read_floor(files)), stage.get("read", 0.0)),
            ("tokens", raw_sudachi_seconds(sorted(set(texts)), lexicons), stage.get("text", 0.0)),
            ("xlsx", seconds(lambda: xlsx_floor(books)), stage.get("write", 0.0)),
            ("csv", seconds(lambda: csv_floor(tables)), stage.get("write", 0.0)),
        ]


def table(rows: list[tuple[str, float, float]]) -> list[str]:
    """The report lines: each floor and the run's own stage, in seconds and as ratios to raw.

    Example:
        >>> table([("raw", 2.0, 2.0), ("xlsx", 1.0, 4.0)])[-1].split()
        ['xlsx', '1.00', '0.50', '4.00', '2.00']
    """
    raw = rows[0][1]
    lines = [f"{'floor':<8}{'s':>8}{'/raw':>8}{'stage s':>10}{'/raw':>8}"]
    for name, floor, stage in rows:
        lines.append(f"{name:<8}{floor:>8.2f}{floor / raw:>8.2f}{stage:>10.2f}{stage / raw:>8.2f}")
    return lines


def main(argv: list[str]) -> None:
    """Measure the floors for one corpus size and print them."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.floors")
    parser.add_argument("--size", type=int, default=10)
    options = parser.parse_args(argv)
    print(f"size {options.size}x; the stage column is hyoka's own (xlsx and csv: all writers)")
    print("\n".join(table(measure(options.size))))


if __name__ == "__main__":
    main(sys.argv[1:])
