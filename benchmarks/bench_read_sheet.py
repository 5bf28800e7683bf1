"""Time reading a city's 事務事業評価 workbook: 400 items x 200 columns, line breaks in cells.

Run: ``.venv/bin/python -m benchmarks.bench_read_sheet [rows] [columns]`` (default 400 200).
The workbook is made here: 事務事業ID | 事務事業名 | 部課名 | 概要 | 前年度実績 | 今年度計画 | eight
self-assessments each with its 理由 | 改革改善の方向性 | 課題と解決策 | 課長等意見, then indicator
columns ([R2] … [R7] for each indicator) up to the width asked. Printed: seconds to load the
cells (openpyxl), seconds for the whole read, cells per second, and the ratio to raw SudachiPy
tokenizing the same narrative cells in the same process (the reader should cost far less than
the tokenizer it feeds). The goal of issue 15 is a read in at most 2 s on this machine.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from benchmarks.run import narratives, raw_sudachi_seconds
from pipeline.ingest import read
from pipeline.ingest.sources import load_rows
from pipeline.lexicons import Lexicons

ASSESSMENTS = ("必要性", "妥当性", "有効性", "効率性", "公平性", "向上余地", "削減余地", "協働性")


def sheet_rows(rows: int, columns: int) -> list[list[str]]:
    """A title, a blank row, the header and ``rows`` items, ``columns`` wide.

    Example:
        >>> [len(row) for row in sheet_rows(2, 40)][2:]
        [40, 40, 40]
    """
    header = ["事務事業ID", "事務事業名", "部課名", "事務事業の概要"]
    header += ["前年度実績(R6)", "今年度計画(R7)"]
    for number, name in enumerate(ASSESSMENTS):
        header += [f"{chr(0x2460 + number)}{name}", "理由"]
    header += ["改革改善の方向性", "課題と解決策", "課長等意見"]
    indicator = 0
    while len(header) < columns:
        indicator += 1
        header += [f"指標{indicator}[R{year}]" for year in range(2, 8)]
    header = header[:columns]
    table = [["令和7年度 事務事業評価シート"], [], header]
    for item in range(rows):
        row = [f"J{item:04d}", f"事業{item}", f"部{item % 9} 課{item % 37}", "事業。\n概要。"]
        row += [f"講座を{item % 7 + 1}回開催し、\n延べ{item * 3}人が参加した。"]
        row += [f"講座を{item % 7 + 2}回開催する。\n周知を強化する。"]
        for _ in ASSESSMENTS:
            row += ["妥当である", f"市民の需要が高いため。\n第{item % 5}期計画に位置付け。"]
        row += ["現状維持", "参加者の固定化。\n新規層の開拓。", "着実に実施している。"]
        row += [str(item * 10 + column) for column in range(columns - len(row))]
        table.append(row)
    return table


def main(argv: list[str]) -> None:
    rows, columns = (int(argv[0]), int(argv[1])) if len(argv) == 2 else (400, 200)
    folder = Path(tempfile.mkdtemp())
    path = folder / "jimu.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in sheet_rows(rows, columns):
        sheet.append(row)
    book.save(path)
    began = time.perf_counter()
    load_rows(path)
    loaded = time.perf_counter() - began
    began = time.perf_counter()
    tables = read([path])
    total = time.perf_counter() - began
    raw = raw_sudachi_seconds(narratives(tables.entries), Lexicons())
    cells = rows * columns
    print(f"{rows} rows x {columns} columns ({cells} cells), {len(tables.entries)} entries")
    print(f"load cells (openpyxl) {loaded:.2f} s; whole read {total:.2f} s; reader alone "
          f"{total - loaded:.2f} s; {cells / total:,.0f} cells/s")  # fmt: skip
    print(f"raw SudachiPy on the same narrative {raw:.2f} s: read = {total / raw:.2f}x raw")
    print(f"repairs {len(tables.repairs)}, errors {tables.errors}")


if __name__ == "__main__":
    main(sys.argv[1:])
