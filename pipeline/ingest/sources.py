"""Turn an input file into rows of cells, whatever its container and encoding.

``.txt``/``.tsv`` are split on tabs, ``.csv`` is read with the csv module (quoted cells may span
lines), ``.xlsx`` with openpyxl in read-only mode, ``.pdf`` with pdfplumber (``pdf.py``). Text
encodings are detected without the user saying so: a BOM, then strict UTF-8, then strict CP932,
then charset-normalizer.

Example:
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.tsv"
    >>> _ = p.write_bytes("担当課\\t実施状況\\n".encode("cp932"))
    >>> doc = load_rows(p)
    >>> doc.encoding, doc.rows[0].cells
    ('cp932', ['担当課', '実施状況'])
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.lexicons import Lexicons

SUFFIXES: tuple[str, ...] = (".txt", ".tsv", ".csv", ".xlsx", ".pdf")
MAX_CSV_SPAN = 200
"""A CSV record spanning more lines than this at the end of a file is an unbalanced quote."""

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


TRUNCATED = "(truncated at the end)"
"""How the parse report's ``encoding`` marks a file cut inside its last character."""


class ReadError(Exception):
    """Input that cannot be read; the message names the file (and line or cell) and why."""


@dataclass(frozen=True)
class Row:
    """One physical row of the input: a text line, a CSV record or a worksheet row.

    ``line`` is the 1-based number of the first physical line (or the sheet row), ``ref`` how a
    person finds it (``12`` or ``Sheet1!12``), ``span`` how many physical lines it covers.
    """

    index: int
    line: int
    ref: str
    cells: list[str]
    span: int = 1
    part: str = ""
    """The worksheet a row comes from ('' for text files): a new part starts a new table."""
    text: str = field(init=False, compare=False, repr=False)
    """The row's cells joined by tabs, as in a TSV line: joined once, when the row is made
    (every layout's score and reader asks for it; a row's cells are not changed after)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", "\t".join(self.cells))


@dataclass(frozen=True)
class Note:
    """A repair made while decoding the file (a PDF row joined over a page break, font
    characters replaced): the parse report lists it with the readers' repairs."""

    ref: str
    kind: str
    message: str


@dataclass
class SourceDoc:
    """A decoded input file: its name, the encoding used, its rows and the decoder's notes."""

    name: str
    path: Path
    encoding: str
    rows: list[Row] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    column_map: dict[str, Any] | None = None
    """The user's column map entry for this file (``hyoka run --columns``), if any."""
    header_memo: tuple[list[object], list[Row]] | None = field(
        default=None, compare=False, repr=False
    )
    """The header rows found, with what they were found with (the rules, the column map, the
    rows and their number): see ``columns.header_rows``."""

    @property
    def lines_read(self) -> int:
        """Physical lines (or worksheet rows) read from the file."""
        return sum(row.span for row in self.rows)


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode file bytes; returns ``(text, encoding)`` or raises ReadError.

    Example:
        >>> decode("令和2年度".encode("utf-16"), "x.txt")[1]
        'utf-16'
    """
    if not data.strip():
        raise ReadError(f"{name}: the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding, name), encoding
    if b"\x00" in data:
        raise ReadError(f"{name}: binary data (NUL bytes, no text encoding recognised)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data" and error.start >= len(data) - 3:
            # A file cut in the middle of its last character: keep everything before it.
            return data[: error.start].decode("utf-8"), f"utf-8 {TRUNCATED}"
    try:
        return data.decode("cp932"), "cp932"
    except UnicodeDecodeError:
        return _guess(data, name)


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise ReadError(f"{name}: not valid {encoding} at byte {error.start}") from None


def _guess(data: bytes, name: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise ReadError(f"{name}: not a text file in any encoding hyoka recognises")
    return str(best), best.encoding


def load_rows(
    path: Path,
    *,
    max_rows: int = 200_000,
    max_cells: int = 5_000_000,
    lexicons: Lexicons | None = None,
) -> SourceDoc:
    """Read ``path`` into a SourceDoc, or raise ReadError naming the file and the reason.

    ``max_rows`` and ``max_cells`` cap workbooks (zip bombs, runaway sheets); ``lexicons``
    gives a PDF its header labels and font characters (default: ``lexicons/``).
    """
    name = path.name
    if not path.exists():
        raise ReadError(f"{path}: no such file")
    if path.is_dir():
        raise ReadError(f"{path}: is a folder, not a file")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ReadError(f"{name}: unsupported file type {suffix!r} (use {', '.join(SUFFIXES)})")
    if suffix == ".xlsx":
        return _load_xlsx(path, max_rows=max_rows, max_cells=max_cells)
    if suffix == ".pdf":
        from pipeline.ingest.pdf import load_pdf

        return load_pdf(path, lexicons)
    text, encoding = decode(path.read_bytes(), name)
    if "\x00" in text:
        raise ReadError(f"{name}: binary data in a {encoding} text file")
    rows = _csv_rows(text, name) if suffix == ".csv" else _tab_rows(text)
    return SourceDoc(name=name, path=path, encoding=encoding, rows=rows)


def _tab_rows(text: str) -> list[Row]:
    # A lone carriage return is kept inside its cell; only \r\n and \n end a line.
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [
        Row(index=i, line=i + 1, ref=str(i + 1), cells=line.split("\t"))
        for i, line in enumerate(lines)
    ]


def _csv_rows(text: str, name: str) -> list[Row]:
    text = text.replace("\r\n", "\n")
    sample = text[:20_000]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[Row] = []
    start = 1
    try:
        for cells in reader:
            end = reader.line_num
            span = end - start + 1
            rows.append(Row(index=len(rows), line=start, ref=str(start), cells=cells, span=span))
            start = end + 1
    except csv.Error as error:
        raise ReadError(f"{name}:{start}: broken CSV quoting ({error})") from None
    if rows and rows[-1].span > MAX_CSV_SPAN:
        raise ReadError(
            f"{name}:{rows[-1].line}: a quoted cell runs over {rows[-1].span} lines to the end "
            "of the file (an unbalanced quote?)"
        )
    return rows


def _load_xlsx(path: Path, *, max_rows: int, max_cells: int) -> SourceDoc:
    from openpyxl import load_workbook

    name = path.name
    if not zipfile.is_zipfile(path):
        raise ReadError(f"{name}: not an Excel workbook (password-protected or not .xlsx)")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for broken archives
        raise ReadError(f"{name}: not a readable Excel workbook ({type(error).__name__})") from None
    rows: list[Row] = []
    cells_seen = 0
    try:
        for sheet in book.worksheets:
            for number, cell_row in enumerate(sheet.iter_rows(), start=1):
                if len(rows) >= max_rows or cells_seen >= max_cells:
                    raise ReadError(
                        f"{name}: {sheet.title}!{number}: workbook larger than the limit "
                        f"({max_rows} rows / {max_cells} cells); split it or raise the limit"
                    )
                cells = [
                    _cell_text(cell.value, getattr(cell, "number_format", "")) for cell in cell_row
                ]
                while cells and cells[-1] == "":
                    cells.pop()
                cells_seen += len(cells)
                ref = f"{sheet.title}!{number}"
                rows.append(Row(len(rows), number, ref, cells, part=sheet.title))
    except ReadError:
        raise
    except Exception as error:
        raise ReadError(f"{name}: the workbook is damaged ({type(error).__name__})") from None
    finally:
        book.close()
    return SourceDoc(name=name, path=path, encoding="xlsx", rows=rows)


def _cell_text(value: object, number_format: str = "") -> str:
    """A worksheet value as the text a person sees: 1.0 formatted as % is ``100%``.

    Example:
        >>> _cell_text(0.5, "0%"), _cell_text(45.0), _cell_text(None)
        ('50%', '45', '')
    """
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        day = value.date() if isinstance(value, datetime.datetime) else value
        return day.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "%" in number_format:
            value = round(float(value) * 100, 6)
        text = str(int(value)) if float(value).is_integer() else str(value)
        return text + ("%" if "%" in number_format else "")
    return str(value)
