"""Read a published PDF into rows of cells: the rows a TSV export of its table would give.

Ruled tables are cut into cells along their ruling lines (pdfplumber). A page without ruling
lines gets its columns from the gaps that run down the page between words, and its rows from
the gaps between lines that are wider than the line spacing; a header row (``headers.tsv``)
starts a new table there, so tables with other columns on the same page keep their own. Text
outside the tables (titles, headings, page numbers) becomes one-cell rows, in reading order. A
table that runs over pages is one table (``Row.part`` stays ``''``: the table reader skips a
repeated header row). A row cut by a page break (no rule under it, or its cells stretched to
the page end, or its part on the next page without item, division or other key cell) is joined
back to its item, cell by cell by position. Lines wrapped inside a cell are joined without
spaces, as the layout text reader joins wrapped lines; a line that ends well before the cell's
edge (a line break typed in the cell) is joined with one. Characters some PDF fonts put in the
text layer (Kangxi radicals ⼩ for 小, ‧ for ・; ``lexicons/pdf_chars.tsv``) become the ordinary
characters. Both repairs are logged as ``SourceDoc.notes``, which the parse report lists.

``Row.ref`` reads ``p.3 行5``: page 3, the fifth row (table row or text line) from the top.

Example:
    >>> FontChars.load().replace("⼩⾦井市")[0]
    '小金井市'
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
import logging
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pdfplumber
from pdfminer.pdftypes import PDFException
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.utils.text import chars_to_textmap

from pipeline.ingest.headers import HeaderRules
from pipeline.ingest.sources import Note, ReadError, Row, SourceDoc
from pipeline.lexicons import Lexicons

if TYPE_CHECKING:
    from pdfplumber.page import Page
    from pdfplumber.table import Table

Box = tuple[float, float, float, float]
"""x0, top, x1, bottom in points from the page's top left."""
KEY_FIELDS = frozenset(
    {
        "section",
        "section_code",
        "item_no",
        "item",
        "item_division",
        "page",
        "department",
        "division",
        "indicator",
    }
)
"""Header fields a row part carried over a page break leaves empty (it holds only text); a row
with one of them (an item, a division, an indicator's name) is a row of its own."""
_FONT_RANGES = ((0x2E80, 0x2EFF), (0x2F00, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))
"""CJK radicals (supplement and Kangxi) and CJK compatibility ideographs: where NFKC maps one
to an ordinary character (⺟ ⼩ 﨟), that character; ``lexicons/pdf_chars.tsv`` adds the rest."""
_CID_RE = re.compile(r"\(cid:\d+\)")
"""How pdfminer prints a glyph its font maps to no character."""
_MAX_UNMAPPED = 0.5
"""More of the text than this in ``(cid:N)`` glyph numbers: the PDF must be OCR'd."""
_EOF_WINDOW = 4096
"""A complete PDF ends with ``%%EOF`` within this many bytes of its end."""
_MIN_GAP = 4.0
"""Points of white space, all the way down a borderless table, that separate two columns."""
_MIN_RULE = 4.0
"""Points a horizontal edge must run to be a rule (not the end of a vertical rule's box)."""
_ROW_GAP = 1.4
"""A line pitch this many times the usual one starts a new row of a borderless table."""
_STRETCH = 2.0
"""A row whose cells run on this many text lines below its text was stretched to the page end."""
_LINE_TOLERANCE = 2.0
"""Points within which words share a text line (and a rule lies under a row)."""
_AHEAD = 3
"""A line with room left for this many characters of the next line ended on purpose (two
would do for a line a Japanese line-break rule ended early; one more for safety)."""


@dataclass(frozen=True)
class FontChars:
    """The characters PDF fonts produce instead of ordinary ones, and their replacements.

    Example:
        >>> chars = FontChars.load()
        >>> chars.replace("⼩⾦井市‧⻑寿")
        ('小金井市・長寿', Counter({'⼩': 1, '⾦': 1, '‧': 1, '⻑': 1}))
    """

    table: dict[int, str]

    @classmethod
    def load(cls, lexicons: Lexicons | None = None) -> FontChars:
        """NFKC for the Kangxi and compatibility ranges, plus ``lexicons/pdf_chars.tsv``."""
        lex = lexicons or Lexicons()
        table: dict[int, str] = {}
        for start, end in _FONT_RANGES:
            for code in range(start, end + 1):
                folded = unicodedata.normalize("NFKC", chr(code))
                if folded != chr(code):
                    table[code] = folded
        for row in lex.table("pdf_chars"):
            table[ord(row["char"])] = row["replacement"]
        return cls(table)

    def replace(self, text: str) -> tuple[str, Counter[str]]:
        """``text`` with each font character replaced, and how many of each were found."""
        found = Counter(char for char in text if ord(char) in self.table)
        return (text.translate(self.table), found) if found else (text, found)


@dataclass
class _Piece:
    """A row before numbering: a table row (``table``) or a line of text outside the tables."""

    page: int
    cells: list[str]
    table: bool
    span: int = 1
    ref: str = ""
    spans: list[tuple[float, float]] = field(default_factory=list)
    """The x range of each cell (table rows)."""
    open_bottom: bool = False
    """A page break cut the row: no rule under it, or its cells stretched to the page end."""
    end_page: int = 0
    """The page the row ends on (a row joined over a page break ends on the next page)."""

    def __post_init__(self) -> None:
        self.end_page = self.end_page or self.page


@dataclass
class _Reading:
    """What was read so far: the pieces in order and the notes for the parse report."""

    pieces: list[_Piece] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    text_pages: int = 0
    image_pages: int = 0


def load_pdf(path: Path, lexicons: Lexicons | None = None) -> SourceDoc:
    """Read the tables of a PDF into a SourceDoc (encoding ``pdf``), or raise ReadError.

    The error names the file and says why, in Japanese then English: no text layer (OCR is
    needed), text in fonts without a character map (OCR too), encrypted, truncated or damaged,
    or no table on any page.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "評価表.pdf"
        >>> _ = path.write_bytes(b"%PDF-1.7 1 0 obj")
        >>> try:
        ...     load_pdf(path)
        ... except ReadError as error:
        ...     print(str(error).split(" / ")[1])
        the PDF is truncated (no end-of-file marker): download it again
    """
    lex = lexicons or Lexicons()
    name = path.name
    _check_bytes(path.read_bytes(), name)
    rules = HeaderRules.load(lex)
    reading = _read_pages(path, name, rules)
    if not reading.text_pages:
        raise ReadError(_no_text_message(name, reading.image_pages))
    if _unmapped_share(reading.pieces) > _MAX_UNMAPPED:
        raise ReadError(
            f"{name}: PDFの文字に文字コードの対応表がなく、文字として読めません。OCRで文字を"
            "読み取ってから読み込んでください / the PDF's fonts have no character map "
            "(text reads as (cid:N)): run OCR first"
        )
    if not any(piece.table for piece in reading.pieces):
        raise ReadError(
            f"{name}: PDFのどのページにも表が見つかりません"
            "（罫線も列のそろった文字もありません） / no table found on any page of the PDF"
        )
    _number(reading.pieces)
    _join_cut_rows(reading, rules)
    _replace_font_chars(reading, FontChars.load(lex))
    rows = [
        Row(index=i, line=i + 1, ref=piece.ref, cells=piece.cells, span=piece.span)
        for i, piece in enumerate(reading.pieces)
    ]
    return SourceDoc(name=name, path=path, encoding="pdf", rows=rows, notes=reading.notes)


def _unmapped_share(pieces: Sequence[_Piece]) -> float:
    """The share of the text that pdfminer could only print as ``(cid:N)`` glyph numbers."""
    text = "".join(cell for piece in pieces for cell in piece.cells)
    unmapped = sum(len(found) for found in _CID_RE.findall(text))
    return unmapped / len(text) if text else 0.0


def _check_bytes(data: bytes, name: str) -> None:
    """A file that does not start as a PDF, or stops before its end marker."""
    if b"%PDF-" not in data[:1024]:
        raise ReadError(f"{name}: PDFファイルではありません / not a PDF file (no %PDF header)")
    end = data.rfind(b"%%EOF")
    if end < 0 or end < len(data) - _EOF_WINDOW:
        raise ReadError(
            f"{name}: PDFファイルが途中で切れています（ダウンロードをやり直してください） / "
            "the PDF is truncated (no end-of-file marker): download it again"
        )


def _read_pages(path: Path, name: str, rules: HeaderRules) -> _Reading:
    reading = _Reading()
    try:
        with _quiet_pdfminer(), pdfplumber.open(path) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                _read_page(page, number, reading, rules)
                page.close()
    except (PdfminerException, PSException, PDFException) as error:
        raise ReadError(_open_error(name, error)) from None
    return reading


@contextlib.contextmanager
def _quiet_pdfminer() -> Iterator[None]:
    """pdfminer logs a warning for every font it finds odd (a missing FontBBox in Chromium's
    PDFs): noise on the terminal, not a problem with the file."""
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _open_error(name: str, error: BaseException) -> str:
    """The message for an exception pdfplumber raised: encrypted, or damaged."""
    causes = [error, *[arg for arg in error.args if isinstance(arg, BaseException)]]
    if error.__context__ is not None:
        causes.append(error.__context__)
    kinds = {type(cause).__name__ for cause in causes}
    if kinds & {"PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning"}:
        return (
            f"{name}: パスワードで保護された（暗号化された）PDFは読めません。保護を解除したPDFを"
            "使ってください / the PDF is encrypted (password-protected): use an unprotected copy"
        )
    detail = "; ".join(sorted(kinds - {"PdfminerException"})) or type(error).__name__
    return f"{name}: PDFファイルが壊れていて読めません / the PDF is damaged ({detail})"


def _no_text_message(name: str, image_pages: int) -> str:
    if image_pages:
        return (
            f"{name}: 文字情報のない画像だけのPDFです（スキャンした文書）。OCRで文字を読み取った"
            "PDFかテキストにしてから読み込んでください / image-only PDF with no text layer "
            "(a scan): run OCR first"
        )
    return f"{name}: PDFに文字がありません / the PDF holds no text"


def _read_page(page: Page, number: int, reading: _Reading, rules: HeaderRules) -> None:
    """Append the rows of one page: its tables' rows and its other text lines, top to bottom.

    A table row with no text (the sliver between a double rule) is no row of the document.
    """
    if not page.chars:
        reading.image_pages += bool(page.images)
        return
    reading.text_pages += 1
    page = page.filter(_printable)
    tables = page.find_tables(_closing_lines(page))
    ruled = bool(tables)
    if not tables:
        tables = _borderless_tables(page, rules)
    placed: list[tuple[float, _Piece]] = []
    for table in tables:
        for row, (texts, spans) in zip(table.rows, _table_cells(table, page.chars), strict=True):
            if any(texts):
                cut = ruled and _cut(page, row)
                piece = _Piece(number, texts, table=True, spans=spans, open_bottom=cut)
                placed.append((row.bbox[1], piece))
    boxes = [table.bbox for table in tables]
    outside = page.filter(lambda obj: not any(_inside(obj, box) for box in boxes))
    for line in outside.extract_text_lines(return_chars=False):
        placed.append((float(line["top"]), _Piece(number, [line["text"].strip()], table=False)))
    placed.sort(key=lambda pair: pair[0])
    rows = [piece for _, piece in placed if piece.table]
    for piece in rows[:-1]:
        piece.open_bottom = False
    reading.pieces.extend(piece for _, piece in placed)


def _printable(obj: dict[str, Any]) -> bool:
    """False for a character a font maps to a control code (U+0000 for a glyph it has no
    character for): nothing a person could read, and no text to store."""
    text = str(obj.get("text", "")) if obj.get("object_type") == "char" else ""
    return not text or unicodedata.category(text[0]) != "Cc"


def _closing_lines(page: Page) -> dict[str, Any]:
    """Table settings that close a table a page break left open: a rule above the page's first
    text, and one below its last when that hangs below every rule, so that a row cut at the
    page end still has cells."""
    top = min(float(char["top"]) for char in page.chars)
    bottom = max(float(char["bottom"]) for char in page.chars)
    rules = [float(edge["top"]) for edge in _rules(page)]
    lines = [top - 1]
    if not rules or bottom > max(rules):
        lines.append(bottom + 1)
    return {"explicit_horizontal_lines": lines}


def _rules(page: Page) -> list[dict[str, Any]]:
    """The horizontal rules of a page (not the ends of vertical rules drawn as thin boxes)."""
    return [
        edge
        for edge in page.edges
        if edge["orientation"] == "h" and float(edge["x1"]) - float(edge["x0"]) > _MIN_RULE
    ]


def _cut(page: Page, row: Any) -> bool:
    """Whether a page break cut this row: no rule is drawn under it, or it runs on more than a
    line below its text (a renderer stretches a cut row's cells to the end of the page)."""
    x0, _top, x1, bottom = row.bbox
    under = any(
        abs(float(edge["top"]) - bottom) <= _LINE_TOLERANCE
        and float(edge["x0"]) < x1
        and float(edge["x1"]) > x0
        for edge in _rules(page)
    )
    inside = [char for char in page.chars if _inside(char, row.bbox)]
    if not inside:
        return not under
    text_end = max(float(char["bottom"]) for char in inside)
    line = statistics.median(float(char["bottom"]) - float(char["top"]) for char in inside)
    return not under or bottom - text_end > _STRETCH * line


def _table_cells(
    table: Table, chars: Sequence[dict[str, Any]]
) -> list[tuple[list[str], list[tuple[float, float]]]]:
    """The text of every cell of a table, its lines joined as ``join_cell_lines`` does, and
    the x range of each cell (of its column for a cell the table has no box for).

    A character in no cell of its row (a cell whose rule a page break left out) goes to the
    table column it lies in, so no text inside a table is lost.
    """
    rows = table.rows
    tops = [row.bbox[1] for row in rows]
    columns = [(column.bbox[0], column.bbox[2]) for column in table.columns]
    boxes: list[list[Box | None]] = [list(row.cells) for row in rows]
    grouped: list[list[list[dict[str, Any]]]] = [[[] for _ in row.cells] for row in rows]
    for char in chars:
        x = (float(char["x0"]) + float(char["x1"])) / 2
        y = (float(char["top"]) + float(char["bottom"])) / 2
        r = bisect.bisect_right(tops, y) - 1
        if r < 0 or y > rows[r].bbox[3]:
            continue
        c = _cell_at(x, y, boxes[r])
        if c is None:
            c = _column_at(x, columns)
            if c is None or c >= len(boxes[r]):
                continue
            x0, x1 = columns[c]
            boxes[r][c] = (x0, rows[r].bbox[1], x1, rows[r].bbox[3])
        grouped[r][c].append(char)
    lines = [[_lines(cell) for cell in row] for row in grouped]
    limits = _right_limits(boxes, lines)
    spans = [(x0, x1) for x0, x1 in columns]
    return [
        (
            [
                join_cell_lines(cell, limits[_extent(box)]) if box is not None else ""
                for box, cell in zip(row_boxes, cell_lines, strict=True)
            ],
            [(box[0], box[2]) if box else spans[c] for c, box in enumerate(row_boxes)],
        )
        for row_boxes, cell_lines in zip(boxes, lines, strict=True)
    ]


def _cell_at(x: float, y: float, boxes: Sequence[Box | None]) -> int | None:
    """The index of the cell holding point (x, y), if any."""
    return next(
        (
            c
            for c, box in enumerate(boxes)
            if box is not None and box[0] <= x <= box[2] and box[1] <= y <= box[3]
        ),
        None,
    )


def _column_at(x: float, columns: Sequence[tuple[float, float]]) -> int | None:
    """The index of the table column whose x range holds ``x``, if any."""
    return next((c for c, (x0, x1) in enumerate(columns) if x0 <= x <= x1), None)


def _extent(box: Box) -> tuple[int, int]:
    """A cell's column (or run of merged columns), as rounded left and right edges."""
    return round(box[0]), round(box[2])


def _right_limits(
    boxes: Sequence[Sequence[Box | None]], lines: Sequence[Sequence[Sequence[dict[str, Any]]]]
) -> dict[tuple[int, int], float]:
    """Where a full line of each column ends: its cells' right edge less the padding, or the
    end of its longest line when that comes first (a table without rules has no cell edge)."""
    padding = _padding(boxes, lines)
    limits: dict[tuple[int, int], float] = {}
    longest: dict[tuple[int, int], float] = {}
    for row, cells in zip(boxes, lines, strict=True):
        for box, cell in zip(row, cells, strict=True):
            if box is None:
                continue
            key = _extent(box)
            limits[key] = box[2] - padding
            ends = [float(line["x1"]) for line in cell]
            longest[key] = max([longest.get(key, 0.0), *ends])
    return {key: min(limit, longest[key]) for key, limit in limits.items()}


def _lines(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The text lines of a cell's characters, top to bottom."""
    if not chars:
        return []
    lines: list[dict[str, Any]] = chars_to_textmap(chars).extract_text_lines()
    return lines


def _padding(
    boxes: Sequence[Sequence[Box | None]], lines: Sequence[Sequence[Sequence[dict[str, Any]]]]
) -> float:
    """The cells' padding, taken as the same on both sides: the least room before a line."""
    room = [
        float(line["x0"]) - box[0]
        for row, cells in zip(boxes, lines, strict=True)
        for box, cell in zip(row, cells, strict=True)
        if box is not None
        for line in cell
    ]
    return max(0.0, min(room)) if room else 0.0


def join_cell_lines(lines: Sequence[dict[str, Any]], right: float) -> str:
    """A cell's lines joined: without a space where a line was full (wrapped), with one where
    the line ended while the next line's first ``_AHEAD`` characters would still have fitted
    before ``right`` (a line break typed in the cell, as text exports of these PDFs show it).
    Not one character: a line may end a character early so that ``た。`` is not parted.

    Example:
        >>> def line(text, x1):
        ...     return {"text": text, "x1": x1, "chars": [{"x0": 0, "x1": 6}] * len(text)}
        >>> join_cell_lines([line("学校内におけ", 36), line("る相談体制", 30)], 37)
        '学校内における相談体制'
        >>> join_cell_lines([line("一般向け 3回", 12), line("小学校 2校", 30)], 37)
        '一般向け 3回 小学校 2校'
    """
    text = ""
    for index, line in enumerate(lines):
        if index:
            ahead = line["chars"][:_AHEAD]
            width = sum(float(char["x1"]) - float(char["x0"]) for char in ahead)
            room = right - float(lines[index - 1]["x1"])
            text += " " if room > width + _LINE_TOLERANCE / 2 else ""
        text += str(line["text"])
    return text.strip()


def _inside(obj: dict[str, Any], box: Box) -> bool:
    """Whether an object's centre lies in ``box`` (x0, top, x1, bottom)."""
    if "x0" not in obj or "top" not in obj:
        return False
    x = (float(obj["x0"]) + float(obj["x1"])) / 2
    y = (float(obj["top"]) + float(obj["bottom"])) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _borderless_tables(page: Page, rules: HeaderRules) -> list[Table]:
    """The tables of a page drawn without rules: one for the lines above the first header row
    and one from each header row (``headers.tsv``) to the next, each with its own columns."""
    lines = _text_lines(page.extract_words(keep_blank_chars=False))
    tables: list[Table] = []
    for region in _regions(lines, rules):
        settings = _borderless_settings(region)
        if settings:
            tables.extend(page.find_tables(settings))
    return tables


def _regions(
    lines: Sequence[list[dict[str, Any]]], rules: HeaderRules
) -> list[list[list[dict[str, Any]]]]:
    """The page's lines cut before every header row: a line that holds enough header labels
    after one that does not (a header wrapped over lines is one header)."""
    regions: list[list[list[dict[str, Any]]]] = [[]]
    after_header = False
    for line in lines:
        texts = [" ".join(str(word["text"]) for word in run) for run in _runs(line)]
        header = rules.count_labels(texts) >= rules.min_labels
        if header and regions[-1] and not after_header:
            regions.append([])
        regions[-1].append(line)
        after_header = header
    return regions


def _borderless_settings(lines: Sequence[list[dict[str, Any]]]) -> dict[str, Any] | None:
    """Explicit cell lines for a table drawn without rules, or None when the lines have none.

    Columns: x ranges no word of a multi-column line covers, at least ``_MIN_GAP`` wide.
    Rows: a line further below the previous one than ``_ROW_GAP`` times the usual pitch.
    """
    gaps = _column_gaps(lines)
    if not gaps:
        return None
    table_lines = _table_span(lines, gaps)
    if len(table_lines) < 2:
        return None
    left = min(float(w["x0"]) for line in table_lines for w in line) - 1
    right = max(float(w["x1"]) for line in table_lines for w in line) + 1
    verticals = [left, *((a + b) / 2 for a, b in gaps if left < a and b < right), right]
    return {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": verticals,
        "explicit_horizontal_lines": _row_lines(table_lines),
    }


def _text_lines(words: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Words grouped into lines by their top, each line left to right."""
    lines: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (round(float(w["top"])), float(w["x0"]))):
        if lines and abs(float(lines[-1][0]["top"]) - float(word["top"])) <= _LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: float(w["x0"])) for line in lines]


def _runs(line: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """A line's words in runs: words closer than ``_MIN_GAP`` belong to one run (one cell)."""
    runs: list[list[dict[str, Any]]] = []
    for word in line:
        if runs and float(word["x0"]) - float(runs[-1][-1]["x1"]) < _MIN_GAP:
            runs[-1].append(word)
        else:
            runs.append([word])
    return runs


def _segments(line: Sequence[dict[str, Any]]) -> list[tuple[float, float]]:
    """The x ranges of a line's runs of words."""
    return [(float(run[0]["x0"]), max(float(word["x1"]) for word in run)) for run in _runs(line)]


def _column_gaps(lines: Sequence[Sequence[dict[str, Any]]]) -> list[tuple[float, float]]:
    """White x ranges shared by every line printed in several runs (the table's lines)."""
    runs = [run for line in lines if len(_segments(line)) > 1 for run in _segments(line)]
    if not runs:
        return []
    gaps: list[tuple[float, float]] = []
    end = min(start for start, _ in runs)
    for start, stop in sorted(runs):
        if start - end >= _MIN_GAP:
            gaps.append((end, start))
        end = max(end, stop)
    return gaps


def _table_span(
    lines: Sequence[list[dict[str, Any]]], gaps: Sequence[tuple[float, float]]
) -> list[list[dict[str, Any]]]:
    """The lines from the first line printed in several columns to the last, and on while the
    lines below follow at the usual line pitch inside one column (a long cell that goes on
    alone; a heading across the columns ends the table)."""
    multi = [i for i, line in enumerate(lines) if len(_segments(line)) > 1]
    if not multi:
        return []
    first, last = multi[0], multi[-1]
    tops = [float(line[0]["top"]) for line in lines]
    pitches = [b - a for a, b in itertools.pairwise(tops[first : last + 1])]
    usual = statistics.median(pitches) if pitches else 0.0
    while (
        last + 1 < len(lines)
        and tops[last + 1] - tops[last] <= _ROW_GAP * usual
        and _in_one_column(lines[last + 1], gaps)
    ):
        last += 1
    return list(lines[first : last + 1])


def _in_one_column(line: Sequence[dict[str, Any]], gaps: Sequence[tuple[float, float]]) -> bool:
    """Whether no run of the line crosses a column gap."""
    return not any(start < a and b < stop for start, stop in _segments(line) for a, b in gaps)


def _row_lines(lines: Sequence[Sequence[dict[str, Any]]]) -> list[float]:
    """Horizontal cell lines: above the first line, at each wide gap, below the last line."""
    tops = [float(line[0]["top"]) for line in lines]
    bottoms = [max(float(w["bottom"]) for w in line) for line in lines]
    pitches = [b - a for a, b in itertools.pairwise(tops)]
    usual = statistics.median(pitches) if pitches else 0.0
    edges = [tops[0] - 1]
    for i, pitch in enumerate(pitches, start=1):
        if pitch > _ROW_GAP * usual:
            edges.append((bottoms[i - 1] + tops[i]) / 2)
    edges.append(bottoms[-1] + 1)
    return edges


def _number(pieces: list[_Piece]) -> None:
    """Give each piece its ref: ``p.<page> 行<n>``, n counted from the top of the page."""
    counts: Counter[int] = Counter()
    for piece in pieces:
        counts[piece.page] += 1
        piece.ref = f"p.{piece.page} 行{counts[piece.page]}"


def _join_cut_rows(reading: _Reading, rules: HeaderRules) -> None:
    """Join the part of a row that a page break carried onto the next page back to its row.

    The part is the first table row of a page (after the repeated header rows), right after
    the last table row of the previous page, when that row has no rule under it or the part
    has no key cell (item, division…: ``KEY_FIELDS`` of the latest header). A row printed
    right under a header row (the years under 実績) is part of the header wherever it repeats.
    """
    keys: list[int] = []
    previous: _Piece | None = None
    headers: set[tuple[str, ...]] = set()
    under_header: set[tuple[str, ...]] = set()
    new_header = False
    kept: list[_Piece] = []
    for piece in reading.pieces:
        kept.append(piece)
        cells = tuple(piece.cells)
        if not piece.table or cells in under_header:
            continue
        if rules.count_labels(piece.cells) >= rules.min_labels:
            columns = rules.columns(piece.cells)
            keys = [i for i, column in enumerate(columns) if column.field in KEY_FIELDS]
            new_header = cells not in headers
            headers.add(cells)
            continue
        first_under_header, new_header = new_header, False
        if first_under_header:
            under_header.add(cells)
        elif previous is not None and _continues(previous, piece, keys):
            kept.pop()
            _append_cells(previous, piece)
            message = f"{piece.ref} を改ページで分かれた {previous.ref} の続きとして連結しました"
            reading.notes.append(Note(previous.ref, "joined_page_break", message))
            continue
        previous = piece
    reading.pieces = kept


def _continues(previous: _Piece, piece: _Piece, keys: Sequence[int]) -> bool:
    """Whether ``piece``, the first table row of the page after ``previous``'s last one, holds
    the rest of ``previous``: no rule was drawn under ``previous`` (or its cells ran on to the
    page end), or ``piece`` has text but no key cell (item, division…). Every cell of the
    rest must lie under a cell of ``previous``."""
    empty_keys = bool(keys) and not any(piece.cells[i] for i in keys if i < len(piece.cells))
    targets = _targets(previous, piece)
    return (
        piece.page == previous.end_page + 1
        and any(piece.cells)
        and None not in targets
        and (previous.open_bottom or empty_keys)
    )


def _targets(previous: _Piece, piece: _Piece) -> list[int | None]:
    """For each filled cell of ``piece``, the cell of ``previous`` it lies under (by x)."""
    return [
        _under(span, previous.spans)
        for cell, span in zip(piece.cells, piece.spans, strict=True)
        if cell
    ]


def _under(span: tuple[float, float], spans: Sequence[tuple[float, float]]) -> int | None:
    """The index of the span that overlaps ``span`` most, None when none does."""
    overlaps = [min(span[1], x1) - max(span[0], x0) for x0, x1 in spans]
    best = max(range(len(spans)), key=lambda i: overlaps[i], default=None)
    return best if best is not None and overlaps[best] > 0 else None


def _append_cells(previous: _Piece, piece: _Piece) -> None:
    """Append each cell of ``piece`` to the cell of ``previous`` above it."""
    for cell, span in zip(piece.cells, piece.spans, strict=True):
        target = _under(span, previous.spans)
        if cell and target is not None:
            previous.cells[target] += cell
    previous.span += piece.span
    previous.end_page = piece.end_page


def _replace_font_chars(reading: _Reading, chars: FontChars) -> None:
    """Replace font characters in every cell; one note per file says which and how many."""
    found: Counter[str] = Counter()
    first = ""
    for piece in reading.pieces:
        for index, cell in enumerate(piece.cells):
            piece.cells[index], counts = chars.replace(cell)
            if counts and not first:
                first = piece.ref
            found += counts
    if found:
        listed = "、".join(
            f"{char}→{chars.replace(char)[0]} {n}字" for char, n in sorted(found.items())
        )
        message = (
            f"PDFのフォント由来の文字{found.total()}字を通常の文字に置き換えました（{listed}）"
        )
        reading.notes.append(Note(first, "font_chars", message))
