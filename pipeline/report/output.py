"""Write outputs all-or-nothing, and the tidy CSV tables (UTF-8 with BOM for Excel).

Outputs go to a hidden staging folder inside the destination and are moved into place only
when everything was written, so an interrupted run leaves the previous reports intact. A
staging folder left behind by a killed run is removed by the next run.

Example:
    >>> import tempfile, pathlib, pandas as pd
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "reports"
    >>> with atomic_output(out) as tmp:
    ...     write_csv(pd.DataFrame({"item": ["研修"]}), tmp / "entries.csv")
    >>> (out / "entries.csv").read_bytes()[:3] == b"\\xef\\xbb\\xbf"
    True
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.report.safety import TRIGGERS, neutralize

STAGING_PREFIX = ".hyoka-staging-"
BOM = "\ufeff"


@contextmanager
def atomic_output(destination: Path) -> Iterator[Path]:
    """Yield a temporary folder; on success move its contents into ``destination``.

    Each top-level file or folder written replaces the one of the same name in
    ``destination``; other files there are left alone. On error nothing is moved.
    """
    destination.mkdir(parents=True, exist_ok=True)
    for stale in destination.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=destination))
    try:
        yield staging
        for produced in sorted(staging.iterdir()):
            target = destination / produced.name
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            produced.replace(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` as CSV in UTF-8 with BOM, text cells neutralised against formulas.

    Line ends are ``\\n`` and floats are written the same way every time (byte-identical runs).
    """
    changed: dict[int, pd.Series] = {}
    for number in range(frame.shape[1]):
        column = frame.iloc[:, number]
        if column.dtype == object or pd.api.types.is_string_dtype(column):
            safe = _neutralized(column)
            if safe is not None:
                changed[number] = safe
    if changed:
        frame = frame.copy()
        for number, safe in changed.items():
            frame.isetitem(number, safe.array)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(BOM)  # written once: the "utf-8-sig" codec is Python code called per chunk
        frame.to_csv(handle, index=False, lineterminator="\n")


def _neutralized(column: pd.Series) -> pd.Series | None:
    """``column`` with its text cells neutralised, or None when no cell changes (only cells
    that begin with a formula trigger are looked at again; most columns have none)."""
    values = column.tolist()
    changes = {n: neutralize(values[n]) for n in trigger_cells(values)}
    changes = {n: text for n, text in changes.items() if text != values[n]}
    if not changes:
        return None
    for number, text in changes.items():
        values[number] = text
    return pd.Series(values, index=column.index, dtype=column.dtype, name=column.name)


_SEPARATOR = "\x00"
_TRIGGER_AFTER_SEPARATOR = re.compile(_SEPARATOR + "[" + re.escape("".join(TRIGGERS)) + "]")


def trigger_cells(values: Sequence[object]) -> list[int]:
    """The positions of the text values that begin with a formula trigger (``TRIGGERS``).

    The column is searched as one text (each value after a NUL), so a column without any
    costs one regex search, not a Python test per cell; a column with other values than
    text, or with a NUL in a text, is tested cell by cell.

    Example:
        >>> trigger_cells(["研修", "=1+1", "-", "a-b"]), trigger_cells([None, "@x", 3])
        ([1, 2], [1])
    """
    try:
        joined = _SEPARATOR + _SEPARATOR.join(values)  # type: ignore[arg-type]
    except TypeError:
        joined = ""
    if not joined or joined.count(_SEPARATOR) != len(values):
        return [n for n, v in enumerate(values) if isinstance(v, str) and v.startswith(TRIGGERS)]
    hits: list[int] = []
    number, searched = -1, 0
    for match in _TRIGGER_AFTER_SEPARATOR.finditer(joined):
        number += joined.count(_SEPARATOR, searched, match.start() + 1)
        searched = match.start() + 1
        hits.append(number)
    return hits


def append_csv_parts(parts: Sequence[Path], path: Path) -> None:
    """Write the CSV files ``parts`` (each written by ``write_csv``, same columns) as one file:
    the first whole, the others without their byte-order mark and header line.

    Example:
        >>> import tempfile, pathlib, pandas as pd
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> for n in (1, 2):
        ...     write_csv(pd.DataFrame({"item": [f"研修{n}"]}), folder / f"{n}.csv")
        >>> append_csv_parts([folder / "1.csv", folder / "2.csv"], folder / "all.csv")
        >>> (folder / "all.csv").read_text(encoding="utf-8-sig")
        'item\\n研修1\\n研修2\\n'
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as combined:
        for number, part in enumerate(parts):
            with part.open("rb") as handle:
                if number:
                    handle.readline()
                shutil.copyfileobj(handle, combined)


def write_json_listing(
    listed: str, items: Iterable[Any], rest: Mapping[str, Any], path: Path
) -> None:
    """Write ``{listed: [items...], **rest}`` exactly as ``write_json`` would, one item at a
    time (the items are not held together in memory).

    Example:
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> data = {"files": [{"source": "a.txt", "skipped": {}}], "errors": ["x"]}
        >>> write_json(data, folder / "a.json")
        >>> write_json_listing("files", iter(data["files"]), {"errors": ["x"]}, folder / "b.json")
        >>> (folder / "a.json").read_text() == (folder / "b.json").read_text()
        True
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write("{\n  " + json.dumps(listed) + ": [")
        count = 0
        for count, item in enumerate(items, start=1):
            text = json.dumps(item, ensure_ascii=False, indent=2)
            # indented as textwrap.indent would (a JSON text has no blank line), but at once
            indented = "    " + text.replace("\n", "\n    ")
            out.write(("," if count > 1 else "") + "\n" + indented)
        out.write("\n  ]" if count else "]")
        for key, value in rest.items():
            text = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
            out.write(",\n  " + json.dumps(key) + ": " + text)
        out.write("\n}\n")


def write_json(data: Any, path: Path) -> None:
    """Write ``data`` as indented UTF-8 JSON with Japanese unescaped and keys in given order."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
