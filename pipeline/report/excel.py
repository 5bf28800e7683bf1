"""The checklist as an Excel workbook (``checklist.xlsx``): a summary sheet, then one per division.

Every cell is written as text (XlsxWriter never turns strings into formulas, links or numbers
here) and passed through ``neutralize`` as well, so a cell that looks like ``=HYPERLINK(...)``
opens as text. The file is byte-identical for the same checklist (fixed document dates).

Example:
    >>> import tempfile, pathlib
    >>> from pipeline.report.checklist import Checklist
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "checklist.xlsx"
    >>> write_excel(Checklist([]), path)
    >>> path.read_bytes()[:2]
    b'PK'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from io import StringIO
from operator import attrgetter
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.packager import Packager
from xlsxwriter.sharedstrings import SharedStrings
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet
from xlsxwriter.xmlwriter import XMLwriter

from pipeline.report.checklist import (
    NO_FINDINGS,
    SEVERITY_LABELS,
    Checklist,
    Division,
    Row,
    kind_with_fields,
)
from pipeline.report.names import safe_sheet_name
from pipeline.report.safety import neutralize

SUMMARY_SHEET = "概要"
SUMMARY_HEADERS: tuple[str, ...] = (
    "計画",
    "担当部署",
    "担当課",
    *SEVERITY_LABELS.values(),
    "計",
    "状態",
    "シート",
)
SUMMARY_WIDTHS: tuple[int, ...] = (28, 22, 24, 6, 6, 6, 6, 10, 24)
KIND_HEADERS: tuple[str, ...] = ("種類", *SEVERITY_LABELS.values(), "計")
DIVISION_HEADERS: tuple[str, ...] = (
    "重要度",
    "事業",
    "年度",
    "種類",
    "根拠",
    "比較対象",
    "質問案",
    "確認",
    "回答",
    "メモ",
)
DIVISION_WIDTHS: tuple[int, ...] = (7, 28, 12, 20, 60, 45, 55, 7, 40, 25)
SEVERITY_COLOURS = {"high": "#F8D7DA", "medium": "#FFF3CD", "low": "#DBE9F6"}
FIXED_DATE = datetime(2000, 1, 1)
CELL_LIMIT = 32767
OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "in_memory": True,
}
"""XlsxWriter options. ``in_memory``: a plan's sheets are assembled in memory, not in temporary
files (a sample plan's workbook 17 -> 11 ms; a run writes one workbook per plan, so this fixed
cost counts). ``constant_memory`` was measured and left off: the same cells, but 0.30 -> 0.48 s
for the samples' workbooks (a temporary file per sheet), and a plan's workbook is small."""


CHECKED_RELEASES = ("3.3.",)
"""XlsxWriter releases whose internals ``_Worksheet``'s and ``_Packager``'s fast paths were
checked against (``tests/test_report_writers.py`` compares every part of a package with what
XlsxWriter's own code writes). With any other release the workbook is written by XlsxWriter's
own code: slower, never wrong. Check a new release with that test, then add it here."""

try:  # XlsxWriter internals the fast paths use (present in CHECKED_RELEASES)
    from xlsxwriter.utility import _utf16_len, xl_rowcol_to_cell_fast
    from xlsxwriter.worksheet import (
        CellBlankTuple,
        CellNumberTuple,
        CellRichStringTuple,
        CellStringTuple,
        ColumnInfo,
    )

    _PLAIN_CELLS = frozenset(
        {CellStringTuple, CellRichStringTuple, CellNumberTuple, CellBlankTuple}
    )
    """Cells ``_Worksheet._write_cell`` writes itself (when formatted)."""
    FAST_PATHS = xlsxwriter.__version__.startswith(CHECKED_RELEASES)
except ImportError:  # another release: XlsxWriter's own code writes every part
    FAST_PATHS = False


class _Worksheet(Worksheet):  # type: ignore[misc]
    """A worksheet that writes the XML XlsxWriter writes, with less work per cell:

    - each rich-string font run (``<rPr>``) is built once per distinct font (XlsxWriter writes
      the same few runs element by element for every fragment of every evidence cell);
    - a rich string is assembled as one text from those runs (``_write_rich_string``);
    - a row's text cells are stored with one bounds check (``put_texts``);
    - a formatted text, number or blank cell is written as one ``<c>`` element
      (``_write_cell``), and a row with its cells as one text (``_write_rows``);
    - the ``<cols>`` element is kept by what it reads (every division sheet has the same
      widths: ``_write_cols``).

    Every fast path is tested against XlsxWriter's own output, part by part of the package
    (``tests/test_report_writers.py``).

    Anything else (constant memory mode, an XlsxWriter release not in ``CHECKED_RELEASES``, a
    rich string XlsxWriter would refuse or warn about, other cell types) goes through
    XlsxWriter's own code."""

    def __init__(self) -> None:
        super().__init__()
        self.font_runs: dict[Format, str] = {}
        """This sheet's font runs by format object (a format is not changed once used: XlsxWriter
        fixes its index at first use too)."""

    @property
    def plain(self) -> bool:
        """Whether this sheet writes through XlsxWriter's own code only (constant memory mode,
        or an XlsxWriter release the fast paths were not checked against)."""
        return bool(self.constant_memory) or not FAST_PATHS

    def _write_font(self, xf_format: Format) -> None:
        self.rstring.fh.write(self._font_xml(xf_format))

    def _font_xml(self, xf_format: Format) -> str:
        xml = self.font_runs.get(xf_format)
        if xml is None:
            xml = self.font_runs[xf_format] = _kept_font_run(self, xf_format)
        return xml

    def put_texts(self, row: int, first: int, texts: Sequence[str], cell_format: Format) -> None:
        """``_write_string`` of each of ``texts`` in a row's cells from column ``first`` on, the
        bounds checked once for the row (texts longer than half Excel's limit, whose length
        XlsxWriter checks in UTF-16, go through ``_write_string``)."""
        last = first + len(texts) - 1
        if (
            self.plain
            or not texts
            or self._check_dimensions(row, first)
            or self._check_dimensions(row, last)
            or max(map(len, texts)) > self.xls_strmax // 2
        ):
            for column, text in enumerate(texts, first):
                self._write_string(row, column, text, cell_format)
            return
        index, cells = self.str_table._get_shared_string_index, self.table[row]
        for column, text in enumerate(texts, first):
            cells[column] = CellStringTuple(index(text), cell_format)

    def put_widths(self, widths: tuple[int, ...]) -> None:
        """``set_column(column, column, width)`` for each of ``widths`` from the first column
        on: XlsxWriter's own code sets the first sheet's columns, the pixel widths it stored
        are kept and stored directly in each next sheet's (a checklist has one sheet per
        division, all with the same widths)."""
        if self.plain:
            for column, width in enumerate(widths):
                self.set_column(column, column, width)
            return
        key = (widths, self.max_digit_width, self.cell_padding)
        pixels = _PIXEL_WIDTHS.get(key)
        if pixels is None:
            for column, width in enumerate(widths):
                self.set_column(column, column, width)
            if len(_PIXEL_WIDTHS) >= COLUMNS_KEPT:
                _PIXEL_WIDTHS.clear()
            _PIXEL_WIDTHS[key] = tuple(self.col_info[n].width for n in range(len(widths)))
            return
        for column, width_pixels in enumerate(pixels):
            self.col_info[column] = ColumnInfo(width=width_pixels)
        self.col_size_changed = True

    def _write_rich_string(self, row: int, col: int, *args: Any) -> int:
        rich = None if self.plain else self._rich_xml(args)
        if rich is None:
            return int(Worksheet._write_rich_string(self, row, col, *args))
        xml, raw, cell_format = rich
        if self._check_dimensions(row, col):
            return -1
        index = self.str_table._get_shared_string_index(xml)
        self.table[row][col] = CellRichStringTuple(index, cell_format, raw)
        return 0

    def _rich_xml(self, args: tuple[Any, ...]) -> tuple[str, str, Format | None] | None:
        """(shared string XML, raw text, cell format) of a rich string as XlsxWriter writes it,
        or None when XlsxWriter would refuse or warn (too few tokens, an empty fragment, two
        formats in a row, a trailing format, too long)."""
        tokens = list(args)
        cell_format = tokens.pop() if tokens and isinstance(tokens[-1], Format) else None
        if len(tokens) <= 2 or isinstance(tokens[-1], Format):
            return None
        parts: list[str] = [] if isinstance(tokens[0], Format) else ["<r>"]
        texts: list[str] = []
        previous_format = True
        for position, token in enumerate(tokens):
            if isinstance(token, Format):
                if previous_format and position:
                    return None
                parts.append("<r>" + self._font_xml(token))
                previous_format = True
                continue
            if token == "":
                return None
            if not previous_format:
                parts.append("<r>" + self._font_xml(_DEFAULT_FORMAT))
            space = _PRESERVE if _edge_space(token) else ""
            data = token
            if _XML_SPECIAL.search(token):
                data = self._escape_control_characters(self._escape_data(token))
            parts.append(f"<t{space}>{data}</t></r>")
            texts.append(token)
            previous_format = False
        raw = "".join(texts)
        if _utf16_len(raw) > self.xls_strmax:
            return None
        return "".join(parts), raw, cell_format

    def _write_cell(self, row: int, col: int, cell: Any) -> None:
        xml = None if self.plain else _cell_xml(row, col, cell)
        if xml is None:
            Worksheet._write_cell(self, row, col, cell)
        else:
            self.fh.write(xml)

    def _write_rows(self) -> None:
        """The sheet's rows as XlsxWriter writes them, each row written as one text; a sheet
        with row formats, heights or comments (none here) goes through XlsxWriter's code."""
        if (
            self.plain
            or self.row_info
            or self.comments
            or self.excel_version != 2007
            or self.default_row_height != self.original_row_height
        ):
            Worksheet._write_rows(self)
            return
        self._calculate_spans()
        columns = range(self.dim_colmin, self.dim_colmax + 1)
        names = [xl_col_to_name(column) for column in columns]
        styles: dict[Format, str] = {}
        for row in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = self.table.get(row)
            if not cells:
                continue
            span = self.row_spans.get(row // 16)
            number = str(row + 1)
            parts = [f'<row r="{number}" spans="{span}">' if span else f'<row r="{number}">']
            for column, name in zip(columns, names, strict=True):
                cell = cells.get(column)
                if cell is None:
                    continue
                kind, cell_format = type(cell), cell.format
                if cell_format and (kind is CellStringTuple or kind is CellRichStringTuple):
                    style = styles.get(cell_format)
                    if style is None:
                        style = styles[cell_format] = str(cell_format._get_xf_index())
                    parts.append(
                        f'<c r="{name}{number}" s="{style}" t="s"><v>{cell.string}</v></c>'
                    )
                    continue  # the most common cell, as _cell_xml writes it
                xml = _cell_xml(row, column, cell)
                if xml is None:
                    self.fh.write("".join(parts))
                    parts = []
                    Worksheet._write_cell(self, row, column, cell)
                else:
                    parts.append(xml)
            parts.append("</row>")
            self.fh.write("".join(parts))

    def _write_cols(self) -> None:
        key = None if self.plain else _columns_key(self)
        if key is None:
            Worksheet._write_cols(self)
            return
        xml = _COLUMNS.get(key)
        if xml is None:
            xml = _columns_xml(self)
            if len(_COLUMNS) >= COLUMNS_KEPT:
                _COLUMNS.clear()
            _COLUMNS[key] = xml
        self.fh.write(xml)


def _cell_xml(row: int, col: int, cell: Any) -> str | None:
    """The ``<c>`` element XlsxWriter writes for a formatted text, number or blank cell, or
    None for any other cell (XlsxWriter's own code writes it)."""
    kind = type(cell)
    if not cell.format or kind not in _PLAIN_CELLS:
        return None
    head = f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{cell.format._get_xf_index()}"'
    if kind is CellNumberTuple:
        return f"{head}><v>{cell.number:.16G}</v></c>"
    if kind is CellBlankTuple:
        return head + "/>"
    return f'{head} t="s"><v>{cell.string}</v></c>'


_PIXEL_WIDTHS: dict[tuple[object, ...], tuple[int | None, ...]] = {}
"""Column widths in pixels as XlsxWriter's ``set_column`` stores them, by the widths asked
for and the sheet's digit width and cell padding (``_Worksheet.put_widths``)."""
_COLUMNS: dict[tuple[object, ...], str] = {}
COLUMNS_KEPT = 16
"""Distinct ``<cols>`` elements kept (a checklist has two: the summary's and the divisions')."""


def _columns_key(sheet: Worksheet) -> tuple[object, ...] | None:
    """What XlsxWriter's ``_write_cols`` reads of a sheet, or None when a column has a format
    (its style index is the workbook's own) or no column was set."""
    if not sheet.col_info or any(info.column_format for info in sheet.col_info.values()):
        return None
    columns = tuple(
        (column, info.width, info.hidden, info.level, info.collapsed, info.autofit)
        for column, info in sorted(sheet.col_info.items())
    )
    return columns, sheet.default_col_width, sheet.max_digit_width


def _columns_xml(sheet: Worksheet) -> str:
    """The ``<cols>`` element XlsxWriter writes for ``sheet``."""
    handle = sheet.fh
    try:
        sheet.fh = StringIO()
        Worksheet._write_cols(sheet)
        return str(sheet.fh.getvalue())
    finally:
        sheet.fh = handle


_XML_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
"""What XlsxWriter escapes in a text element (markup characters, control characters and text
that reads as their ``_xHHHH_`` escape); a fragment without any is written as it is."""
_PRESERVE = ' xml:space="preserve"'


def _edge_space(text: str) -> bool:
    """Whether ``text`` begins or ends with white space (XlsxWriter's ``_preserve_whitespace``:
    ``^\\s`` or ``\\s$``, whose ``$`` also stands before a last newline, itself white space).

    Example:
        >>> _edge_space(" 研修"), _edge_space("研修\\n"), _edge_space("研 修")
        (True, True, False)
    """
    return text[:1].isspace() or text[-1:].isspace()


_DEFAULT_FORMAT = Format()
"""The font of a rich string's unformatted fragments (XlsxWriter's default ``Format()``)."""
_font_key = attrgetter(
    "bold",
    "italic",
    "font_strikeout",
    "font_outline",
    "font_shadow",
    "underline",
    "font_script",
    "font_size",
    "theme",
    "color_indexed",
    "font_color",
    "font_name",
    "font_family",
    "hyperlink",
    "font_scheme",
)
"""What XlsxWriter's ``_write_font`` reads of a format, as a tuple (a colour is one object per
format)."""
_FONT_RUNS: dict[tuple[object, ...], str] = {}
FONT_RUNS_KEPT = 64
"""Distinct fonts whose ``<rPr>`` XML is kept (a checklist uses three)."""


def _kept_font_run(sheet: Worksheet, xf_format: Format) -> str:
    """The font run of ``xf_format``, kept across sheets and workbooks by what it reads."""
    key = _font_key(xf_format)
    xml = _FONT_RUNS.get(key)
    if xml is None:
        xml = _font_run(sheet, xf_format)
        if len(_FONT_RUNS) >= FONT_RUNS_KEPT:
            _FONT_RUNS.clear()
        _FONT_RUNS[key] = xml
    return xml


def _font_run(sheet: Worksheet, xf_format: Format) -> str:
    """The ``<rPr>`` XML XlsxWriter writes for ``xf_format`` in a rich string."""
    writer, sheet.rstring = sheet.rstring, XMLwriter()
    try:
        sheet.rstring._set_filehandle(StringIO())
        Worksheet._write_font(sheet, xf_format)
        return str(sheet.rstring.fh.getvalue())
    finally:
        sheet.rstring = writer


class _SharedStrings(SharedStrings):  # type: ignore[misc]
    """The workbook's shared strings written as XlsxWriter writes them, as one text: a string
    with nothing to escape skips the escape functions."""

    def _write_sst_strings(self) -> None:
        self.fh.write("".join(map(self._si, self.string_table.string_array)))

    def _si(self, string: str) -> str:
        if _XML_SPECIAL.search(string):
            string = self._escape_control_characters(string)
        if string.startswith("<r>") and string.endswith("</r>"):
            return f"<si>{string}</si>"
        space = _PRESERVE if _edge_space(string) else ""
        return f"<si><t{space}>{self._escape_data(string)}</t></si>"


class _Packager(Packager):  # type: ignore[misc]
    """XlsxWriter's packager, its shared strings written by ``_SharedStrings``."""

    def _write_shared_strings_file(self) -> None:
        if not self.workbook.str_table.count:
            return
        strings = _SharedStrings()
        strings.string_table = self.workbook.str_table
        strings._set_xml_writer(self._filename("xl/sharedStrings.xml"))
        strings._assemble_xml_file()


class _Workbook(Workbook):  # type: ignore[misc]
    """Sheets are ``_Worksheet``s. XlsxWriter compares each new sheet name with every sheet so
    far, which is quadratic in the number of divisions (17,801 sheets at 200x the samples took
    140 s). Names written here are already valid and unique (``safe_sheet_name``), so that
    check is skipped. The package is written by ``_Packager`` (XlsxWriter's hook for it)."""

    worksheet_class = _Worksheet

    def _check_sheetname(self, sheetname: str, is_chartsheet: bool = False) -> str:
        self.sheetname_count += 1
        return sheetname

    def _get_packager(self) -> Packager:
        return _Packager() if FAST_PATHS else Packager()


def write_excel(checklist: Checklist, path: Path) -> None:
    """Write the workbook: 概要 first, then one sheet per division in report order."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = _Workbook(str(path), OPTIONS)
    workbook.set_properties({"title": "評価表 確認チェックリスト", "created": FIXED_DATE})
    formats = _formats(workbook)
    taken: set[str] = set()
    summary = workbook.add_worksheet(safe_sheet_name(SUMMARY_SHEET, taken))
    names = [safe_sheet_name(d.name, taken) for d in checklist.divisions()]
    _write_summary(summary, checklist, names, formats)
    note = checklist.settings.source_note if checklist.settings else "{source}"
    for division, name in zip(checklist.divisions(), names, strict=True):
        _write_division(workbook.add_worksheet(name), division, formats, note)
    workbook.close()


def cell_text(value: object) -> str:
    """A value as the text of a cell: neutralised and cut to Excel's 32,767 characters.

    Example:
        >>> cell_text("=1+1"), cell_text(3)
        ("'=1+1", '3')
    """
    return neutralize(str(value))[:CELL_LIMIT]


def _formats(workbook: Workbook) -> dict[str, Format]:
    base = {"text_wrap": True, "valign": "top", "font_name": "Meiryo UI", "font_size": 10}
    formats = {
        "text": workbook.add_format(base),
        "header": workbook.add_format({**base, "bold": True, "bg_color": "#E9ECEF", "border": 1}),
        "title": workbook.add_format({**base, "bold": True, "font_size": 12, "text_wrap": False}),
        "number": workbook.add_format({**base, "num_format": "0"}),
        "mark": workbook.add_format({"bold": True, "font_color": "#C92A2A"}),
        "label": workbook.add_format({"bold": True, "font_color": "#495057"}),
        "link": workbook.add_format({**base, "font_color": "#1C5FB8", "underline": 1}),
    }
    for severity, colour in SEVERITY_COLOURS.items():
        formats[severity] = workbook.add_format(
            {**base, "bold": True, "align": "center", "bg_color": colour}
        )
    return formats


def _write_summary(
    sheet: _Worksheet, checklist: Checklist, names: list[str], formats: dict[str, Format]
) -> None:
    _header(sheet, 0, SUMMARY_HEADERS, SUMMARY_WIDTHS, formats)
    for number, (division, name) in enumerate(zip(checklist.divisions(), names, strict=True), 1):
        counts = division.by_severity()
        values: list[Any] = [division.plan or division.source, division.department, division.name]
        _texts(sheet, number, 0, values, formats["text"])
        for column, count in enumerate([*counts.values(), sum(counts.values())], start=3):
            sheet.write_number(number, column, count, formats["number"])
        if not division.questions:
            sheet.write_string(number, 7, NO_FINDINGS, formats["text"])
        target = "internal:'" + name.replace("'", "''") + "'!A1"
        sheet.write_url(number, 8, target, formats["link"], string=cell_text(name))
    last = len(names)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(last, 1), len(SUMMARY_HEADERS) - 1)
    _write_kind_table(sheet, last + 2, checklist, formats)


def _write_kind_table(
    sheet: Worksheet, top: int, checklist: Checklist, formats: dict[str, Format]
) -> None:
    for column, label in enumerate(KIND_HEADERS):
        sheet.write_string(top, column, label, formats["header"])
    for number, (kind, counts) in enumerate(checklist.by_kind(), start=top + 1):
        sheet.write_string(number, 0, cell_text(kind_with_fields(kind)), formats["text"])
        for column, count in enumerate([*counts.values(), sum(counts.values())], start=1):
            sheet.write_number(number, column, count, formats["number"])


def _write_division(
    sheet: _Worksheet, division: Division, formats: dict[str, Format], note: str
) -> None:
    plan, source = division.plan or division.source, note.format(source=division.source)
    title = f"{plan} ／ {division.department} ／ {division.name}（{source}）"
    sheet.write_string(0, 0, cell_text(title), formats["title"])
    _header(sheet, 1, DIVISION_HEADERS, DIVISION_WIDTHS, formats)
    for number, row in enumerate(division.questions, start=2):
        _write_row(sheet, number, row, formats)
    if not division.questions:
        sheet.write_string(2, 0, NO_FINDINGS, formats["text"])
    sheet.freeze_panes(2, 0)
    sheet.autofilter(1, 0, max(len(division.questions), 1) + 1, len(DIVISION_HEADERS) - 1)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(1)


def _write_row(sheet: _Worksheet, number: int, row: Row, formats: dict[str, Format]) -> None:
    label = SEVERITY_LABELS.get(row.severity, row.severity)
    sheet.put_texts(number, 0, [label], formats[row.severity])
    item = f"{row.item_label}\n{row.written_as}" if row.written_as else row.item_label
    texts = [cell_text(item), cell_text(row.year_label), cell_text(row.kinds_label)]
    sheet.put_texts(number, 1, texts, formats["text"])
    _evidence(sheet, number, 4, row, formats)
    compared = cell_text("\n".join(row.compared))
    sheet.put_texts(number, 5, [compared, cell_text(row.question), "", "", ""], formats["text"])


def evidence_pieces(row: Row) -> list[tuple[str, str]]:
    """The row's quotes as one cell's (text, role) pieces: each quote opens with its field in
    brackets (role ``label``), quotes on lines of their own.

    Example:
        >>> from pipeline.report.checklist import Quote
        >>> row = Row("g", "high", "高", (), "研修", (2021,), "令和3年度",
        ...     (Quote("status", "実施状況", "中止", (("中止", "effect"),)),), (), "", "", "",
        ...     "", False, 1)
        >>> evidence_pieces(row)
        [('【実施状況】', 'label'), ('中止', 'effect')]
    """
    pieces: list[tuple[str, str]] = []
    for index, quote in enumerate(row.quotes):
        opening = "\n" if index else ""
        pieces.append((f"{opening}【{quote.label}】", "label"))
        pieces.extend((text, role) for text, role in quote.pieces if text)
    return pieces


def _evidence(
    sheet: Worksheet, number: int, column: int, row: Row, formats: dict[str, Format]
) -> None:
    pieces = evidence_pieces(row)
    whole = "".join(text for text, _ in pieces)
    if len(pieces) < 2 or len(whole) > CELL_LIMIT:
        sheet._write_string(number, column, cell_text(whole), formats["text"])
        return
    label, mark = formats["label"], formats["mark"]
    fragments: list[Any] = []
    for text, role in pieces:
        if role:
            fragments.append(label if role == "label" else mark)
        fragments.append(text)
    sheet._write_rich_string(number, column, *fragments, formats["text"])


def _texts(
    sheet: _Worksheet, number: int, first: int, values: list[Any], cell_format: Format
) -> None:
    sheet.put_texts(number, first, [cell_text(value) for value in values], cell_format)


def _header(
    sheet: _Worksheet,
    number: int,
    headers: tuple[str, ...],
    widths: tuple[int, ...],
    formats: dict[str, Format],
) -> None:
    sheet.put_texts(number, 0, headers, formats["header"])
    sheet.put_widths(widths)
