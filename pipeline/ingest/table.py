"""Layout reader 'table': delimited progress tables (TSV text, CSV, XLSX rows of cells).

A row whose cells carry enough header labels (``lexicons/headers.tsv``) opens a block; every
block has its own header, so repeated headers with other column counts (003) read the same way.
Data rows are aligned to their block's header by content (``pipeline/ingest/align.py``);
heading rows (基本施策1 …, 基本目標 | 1 福祉のまちづくり) feed ``ItemRow.section``; a row without an
item continues the previous item with another division (001); committee opinions printed above
the table (001's ``<p>`` block) become Opinions. Every row is used or skipped with a reason.
Each worksheet of a workbook is its own table (``Row.part``): a sheet without a header row (a
「メモ」 sheet) is skipped as ``no_header``, never read under another sheet's header. Repair
messages are Japanese, for staff, and say where cells were printed and how they were read
(「再掲」欄が抜けていたため、6〜13列目（印字上は「再掲」〜…の下）を1列右へずらして…).

Example:
    >>> from pipeline.ingest import read
    >>> entries = read(["data/samples/002_fb856b526bbf0244.txt"]).entries
    >>> entries.loc[0, ["item_no", "item", "division"]].tolist()
    ['1', '学校内における相談体制の充実', '指導室']
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pipeline.eras import printed_year
from pipeline.ingest.align import (
    Alignment,
    align_cells,
    cell_class,
    description_key,
    misfit_cells,
)
from pipeline.ingest.base import ItemRow, Layout, Opinion, ParseResult, register
from pipeline.ingest.cells import CellShapes, fold, preview, split_item_no, strip_tags
from pipeline.ingest.columns import Header, find_header, header_rows, is_header_row
from pipeline.ingest.divisions import split_row
from pipeline.ingest.headers import Column, HeaderRules
from pipeline.ingest.sources import Row, SourceDoc
from pipeline.lexicons import Lexicons
from pipeline.schemas import YEAR_FIELDS

SECTION_JOIN = " > "
_MARKER_RE = re.compile(r"【([^】]*)】")
_MARKER_PARTS_RE = re.compile(r"(?P<label>\D*?)\s*(?P<no>\d+)\s*[:：]\s*(?P<title>.*)")
_CIRCLED_RE = re.compile(r"(?=[\u2460-\u2473])")
_NUMBER_RE = re.compile(r"\d+")
_LEVEL_LABEL_RE = re.compile(r"^[^\d\s(（\-.,、]+")
_SUBSECTION_RE = re.compile(r"(?P<top>\d+)\s*[-‐－ー]\s*\d+")
_CRITERIA_RE = re.compile(r"^(?P<grade>\S{1,3}?)\s*[・.…:：]{2,}")
_MISFIT_NAMES = {
    "long": "文章",
    "plan_text": "文章",
    "past_text": "文章",
    "percent": "割合",
    "department": "部署名",
    "division": "課名",
}
"""How a misfit cell is named in its repair message, by its content class."""
_RULE_CHARS = frozenset("-=|: ")


def score(doc: SourceDoc, rules: HeaderRules) -> float:
    """1.0 when some row carries enough header labels to be a table header, else 0.

    Example:
        >>> from pathlib import Path
        >>> from pipeline.ingest.sources import load_rows
        >>> score(load_rows(Path("data/samples/002_fb856b526bbf0244.txt")), HeaderRules.load())
        1.0
    """
    return 1.0 if header_rows(doc, rules) else 0.0


def parse(doc: SourceDoc, rules: HeaderRules, lexicons: Lexicons) -> ParseResult:
    """Read every row of a delimited table into item rows, opinions, repairs and the ledger.

    Example:
        >>> from pathlib import Path
        >>> from pipeline.ingest.sources import load_rows
        >>> doc = load_rows(Path("data/samples/001_28fb2938c92c7781.txt"))
        >>> result = parse(doc, HeaderRules.load(), Lexicons())
        >>> result.opinions[0].item_no, result.opinions[0].title
        ('4', '移送サービスへの支援')
    """
    reader = _Reader(doc, rules, CellShapes.load(lexicons), lexicons)
    for row in doc.rows:
        reader.enter_part(row.part)
        reader.read_row(row)
    reader.flush_pending()
    reader.result.headers = reader.headers
    return reader.result


@dataclass(frozen=True)
class Heading:
    """One heading of the plan hierarchy: its level, printed label and text."""

    level: int
    label: str
    text: str

    @property
    def code(self) -> int | None:
        """The heading's own number: 1 for ``(1) 福祉を…`` and for ``① 暮らしやすい…``."""
        found = _NUMBER_RE.search(fold(self.text))
        return int(found.group()) if found else None


@dataclass
class Block:
    """A table block: its header columns plus an implied 内容 column when the header has none."""

    columns: list[Column]
    optional: frozenset[int]
    labelled: frozenset[int] = frozenset()
    """Columns whose cells are stored under their label (【課題と解決策】…): ``other``
    columns, and yearly columns that share their field and year with another column."""
    grid: bool = False
    """Rows are read cell i -> column i (a wide spreadsheet), without content alignment."""

    @classmethod
    def from_header(cls, columns: list[Column], max_align: int = 40) -> Block:
        """A block for a header row; an optional description column follows the item column.

        Example:
            >>> cols = HeaderRules.load().columns(["実施内容", "計画書ページ", "担当課"])
            >>> [c.field for c in Block.from_header(cols).columns]
            ['item', 'description', 'page', 'division']
        """
        grid = len(columns) > max_align or any(column.field == "year" for column in columns)
        labelled = _labelled(columns)
        fields = [column.field for column in columns]
        if "description" in fields or "item" not in fields or grid:
            return cls(columns, frozenset(), labelled, grid)
        at = fields.index("item") + 1
        implied = Column("description", None, "")
        shifted = frozenset(j + (j >= at) for j in labelled)
        return cls([*columns[:at], implied, *columns[at:]], frozenset({at}), shifted)

    @property
    def fields(self) -> list[str]:
        """The field of each column."""
        return [column.field for column in self.columns]

    @property
    def real(self) -> list[int]:
        """Indexes of the columns a row prints a cell for (the implied 内容 column left out)."""
        return [j for j in range(len(self.columns)) if j not in self.optional]

    def has(self, name: str) -> bool:
        """Whether the block has a column for field ``name``."""
        return name in self.fields


@dataclass(frozen=True)
class _Pending:
    """A continuation row whose 内容 differs from its item's (see ``_Reader.pending``)."""

    row: Row
    item: int
    message: str
    headers: int


def _labelled(columns: list[Column]) -> frozenset[int]:
    """Columns stored under their label: ``other`` ones and yearly ones sharing a slot."""
    slots: dict[tuple[str, int | None], int] = {}
    for column in columns:
        if column.field in YEAR_FIELDS:
            slots[(column.field, column.year)] = slots.get((column.field, column.year), 0) + 1
    return frozenset(
        index
        for index, column in enumerate(columns)
        if column.field == "other"
        or (column.field in YEAR_FIELDS and slots[(column.field, column.year)] > 1)
    )


@dataclass
class _Outline:
    """Headings seen so far: the path of the latest heading of each level, and all headings
    under the current top-level heading (001 lists every 施策 of a goal before its tables)."""

    levels: dict[str, int] = field(default_factory=dict)
    path: list[Heading] = field(default_factory=list)
    under_top: list[Heading] = field(default_factory=list)

    def add(self, label: str, text: str, follows_heading: bool) -> None:
        level = self._level(label, follows_heading)
        parts = [part.strip() for part in _CIRCLED_RE.split(text) if part.strip()] or [text]
        for part in parts:
            heading = Heading(level, label, part)
            self.path = [h for h in self.path if h.level < level] + [heading]
            self.under_top = ([] if level == 0 else self.under_top) + [heading]

    def knows(self, label: str) -> bool:
        return label in self.levels

    def _level(self, label: str, follows_heading: bool) -> int:
        if not label:
            return self.path[-1].level if self.path else 0
        if label not in self.levels:
            deeper = self.path[-1].level + 1 if (follows_heading and self.path) else 0
            self.levels[label] = deeper
        return self.levels[label]

    def section(self, extra: str = "") -> str:
        texts = [h.text for h in self.path] + ([extra] if extra else [])
        return SECTION_JOIN.join(texts)

    def resolve(self, code: str) -> str:
        """The headings a code such as ``(3) /②`` points to, below the current top heading."""
        numbers = [int(n) for n in _NUMBER_RE.findall(fold(code))]
        top = [h for h in self.path if h.level == 0]
        found: list[Heading] = top[:1]
        candidates = [h for h in self.under_top if h.level > 0]
        for depth, number in enumerate(numbers, start=1):
            match = next((h for h in candidates if h.level == depth and h.code == number), None)
            if match is None:
                return SECTION_JOIN.join([h.text for h in found] + [code.strip()])
            found.append(match)
            after = candidates[candidates.index(match) + 1 :]
            candidates = [h for h in _until_level(after, depth)]
        return SECTION_JOIN.join(h.text for h in found)


def _until_level(headings: list[Heading], level: int) -> list[Heading]:
    """Headings up to (not including) the next one at ``level`` or above."""
    out = []
    for heading in headings:
        if heading.level <= level:
            break
        out.append(heading)
    return out


class _Reader:
    """Walks the rows of one document, keeping the block, outline and carried cells.

    Each part (worksheet) is its own table: a new part forgets the block header and the
    headings, and the rows of a part without a header row are skipped as ``no_header``.
    """

    def __init__(
        self, doc: SourceDoc, rules: HeaderRules, shapes: CellShapes, lexicons: Lexicons
    ) -> None:
        self.doc = doc
        self.lexicons = lexicons
        self.spec = doc.column_map
        self.rules = rules
        self.shapes = shapes
        self.min_labels: int = rules.min_labels
        self.result = ParseResult(layout="table")
        self.block: Block | None = None
        self.outline = _Outline()
        self.headers_seen = 0
        self.last_was_heading = False
        self.carried_section = ""
        self.carried_code = ""
        self.current: list[int] = []
        self.description = ""
        """The 内容 cell of the current item's first row (a continuation row should not have
        another)."""
        self.descriptions: set[tuple[str, str]] = set()
        """Every item's 内容 read so far (``description_key``): a 再掲 row that prints it late,
        under the first year column, is read with it as its description."""
        self.pending: _Pending | None = None
        """A continuation row whose 内容 differs from its item's, waiting for the next row: when
        a repeated header (a page break) and a new item follow, the row is that item's."""
        self.part = doc.rows[0].part if doc.rows else ""
        self.parts_with_header = {row.part for row in header_rows(doc, rules)}
        self.max_align = int(lexicons.settings["ingest"]["max_align_columns"])
        self.unread_cells: Counter[tuple[int, int]] = Counter()
        """Cells under each unknown label of a grid block (logged once per column)."""
        self.headers: list[Header] = []
        """Every header read, for the parse report's account of columns."""

    def enter_part(self, part: str) -> None:
        """Start a new table when the rows move to another part (worksheet)."""
        if part == self.part:
            return
        self.flush_pending()
        self.part = part
        self.block = None
        self.outline = _Outline()
        self.last_was_heading = False
        self.carried_section = ""
        self.carried_code = ""
        self.current = []
        self.description = ""

    def read_row(self, row: Row) -> None:
        """Use or skip one row."""
        cells = [strip_tags(cell).strip() for cell in row.cells]
        is_heading = False
        reason = self._skip_reason(cells)
        if reason is None and row.part not in self.parts_with_header:
            reason = "no_header"
        if reason is None and self.block is None and self._opinions(row, cells):
            reason = "used"
        elif reason is None and is_header_row(row, self.rules, self.spec):
            reason = "header" if self.headers_seen == 0 else "repeated_header"
            self.headers_seen += 1
            header = find_header(self.doc.rows, row.index, self.rules, self.lexicons, self.spec)
            self.headers.append(header)
            self.block = Block.from_header(header.columns, self.max_align)
        elif reason is None and self._heading(cells):
            reason, is_heading = "heading", True
        elif reason is None and self.block is None:
            reason = self._preamble(row, cells)
        elif reason is None and sum(bool(c) for c in cells) == 1 and len(fold(row.text)) <= 40:
            reason = "title"
        self.last_was_heading = is_heading
        if reason is None:
            self._data(row, cells)
        elif reason != "used":
            self.result.ledger.skip(row, reason)

    def _skip_reason(self, cells: list[str]) -> str | None:
        filled = [cell for cell in cells if cell]
        if not filled:
            return "blank"
        dashes = all(set(fold(cell)) <= _RULE_CHARS for cell in filled)
        if dashes and any(self.shapes.is_kind(cell, "rule_line") for cell in filled):
            return "rule_line"
        return None

    def _heading(self, cells: list[str]) -> bool:
        """Record a heading row (``基本施策1 …``, ``基本目標 | 1 福祉の…``, ``| ② 参加支援``)."""
        filled = [(index, cell) for index, cell in enumerate(cells) if cell]
        if not 1 <= len(filled) <= 3 or filled[0][0] > 1:
            return False
        first = filled[0][1]
        rest = [cell for _, cell in filled[1:] if self.rules.match(cell) is None]
        rule = self.rules.match(first)
        if rule is not None and rule.field == "section" and len(rest) == 1:
            self._add_heading(first, rest[0])
        elif self.shapes.is_kind(first, "section") and not rest and self.block_allows(first):
            self._add_heading(_level_label(first), first)
        elif filled[0][0] == 1 and len(filled) == 1 and self.last_was_heading:
            self._add_heading("", first)
        else:
            return False
        return True

    def block_allows(self, text: str) -> bool:
        """A lone section-like cell is a heading unless it is the section cell of a data row."""
        return self.block is None or not self.block.has("section") or bool(_level_label(text))

    def _add_heading(self, label: str, text: str) -> None:
        self.flush_pending()
        self.outline.add(label, text, self.last_was_heading)
        self.carried_section = ""
        self.carried_code = ""
        self.current = []
        self.description = ""

    def _preamble(self, row: Row, cells: list[str]) -> str:
        """Rows above the first header: committee opinions, rating criteria, titles."""
        filled = [cell for cell in cells if cell]
        found = _CRITERIA_RE.match(fold(filled[0]))
        if found and self.shapes.is_kind(found.group("grade"), "rating"):
            return "criteria"
        return "title"

    def _opinions(self, row: Row, cells: list[str]) -> bool:
        """Committee opinions above the table: ``基本目標 | 1 福祉の… 【事業番号4:…】 text``."""
        filled = [cell for cell in cells if cell]
        text = filled[-1]
        markers = list(_MARKER_RE.finditer(text))
        if len(filled) < 2 or not markers or not text[markers[-1].end() :].strip():
            return False
        goal = text[: markers[0].start()].strip()
        for marker, following in zip(markers, [*markers[1:], None], strict=True):
            end = following.start() if following else len(text)
            item_no, title = self._marker(marker.group(1))
            body = text[marker.end() : end].strip()
            self.result.opinions.append(Opinion(row.ref, goal, item_no, title, body))
        self.result.ledger.use(row)
        return True

    def _marker(self, inner: str) -> tuple[str, str]:
        """Number and title of a marker: ``事業番号4:移送サービスへの支援`` -> ('4', '移送…').

        ``全般`` -> ('', '全般'). The label must be an item-number header label (headers.tsv),
        else the whole marker is the title.
        """
        parts = _MARKER_PARTS_RE.fullmatch(fold(inner))
        rule = self.rules.match(parts.group("label")) if parts else None
        if parts is None or rule is None or rule.field != "item_no":
            return "", inner.strip()
        title_start = len(inner) - len(parts.group("title"))
        return parts.group("no"), inner[title_start:].strip()

    def _data(self, row: Row, cells: list[str]) -> None:
        assert self.block is not None
        alignment = (
            _grid(cells, self.block)
            if self.block.grid
            else align_cells(
                cells, self.block.fields, self.shapes, self.block.optional, self.descriptions
            )
        )
        values = self._values(cells, alignment)
        item = self._item_row(row, values)
        self.result.items.append(item)
        index = len(self.result.items) - 1
        if alignment.realigned:
            message = _describe(cells, alignment, self.block)
            self.result.repair(row, "realigned", message, item=index)
        for cell in alignment.swaps:
            message = _describe_swap(cells, cell, alignment, self.block)
            self.result.repair(row, "swapped", message, index)
        self._report_misfits(row, cells, alignment, index)
        self._keep_dropped(row, cells, alignment, item, index)
        self._split_divisions(row, item, index)
        self.result.ledger.use(row)

    def _split_divisions(self, row: Row, item: ItemRow, index: int) -> None:
        """One item row per division when the row's cells split by division (001 line 70)."""
        split = split_row(item, self.shapes)
        if split.reason:
            self.result.repair(row, "division_not_split", split.reason, item=index)
        if len(split.rows) < 2:
            return
        self.result.items[index] = split.rows[0]
        self.result.items.extend(split.rows[1:])
        self.current.extend(range(index + 1, len(self.result.items)))
        names = "・".join(part.division for part in split.rows)
        message = (
            f"担当課欄の{len(split.rows)}課（{names}）に合わせ、評価と文章を課ごとに分けて"
            f"{len(split.rows)}件として読みました"
        )
        self.result.repair(row, "split_divisions", message, item=index)

    def _report_misfits(self, row: Row, cells: list[str], alignment: Alignment, index: int) -> None:
        """Log sentences, percentages or organisation names left in a column they do not fit
        (003 line 19 prints 子ども家庭支援センター as its FY2019 status): a broken row.

        Short free words in a rating column (一部課題あり, 1回実施) are ratings as written.
        """
        assert self.block is not None
        fields = self.block.fields
        kinds = [  # cells under labels no field reads never misfit: not classified
            "empty"
            if target is None or fields[target] == "unknown"
            else cell_class(cell, self.shapes)
            for cell, target in zip(cells, alignment.mapping, strict=True)
        ]
        misfits = [
            (cell, column)
            for cell, column in misfit_cells(alignment, kinds, self.block.fields)
            if kinds[cell] in _MISFIT_NAMES and not _read_otherwise(kinds[cell], self.block, column)
        ]
        if misfits:
            where = "；".join(
                f"「{_label(self.block.columns[column])}」欄（{cell + 1}列目）に"
                f"{_MISFIT_NAMES[kinds[cell]]}「{preview(cells[cell])}」があります"
                for cell, column in misfits
            )
            self.result.repair(row, "misfit", f"{where}（列ずれの可能性）", index)

    def _values(self, cells: list[str], alignment: Alignment) -> dict[int, str]:
        """Column index -> cell text."""
        return {
            column: cells[index]
            for index, column in enumerate(alignment.mapping)
            if column is not None and cells[index]
        }

    def _item_row(self, row: Row, values: dict[int, str]) -> ItemRow:
        assert self.block is not None
        plain: dict[str, str] = {}
        years: dict[int, dict[str, str]] = {}
        row_year = self._row_year(values)
        columns, labelled = self.block.columns, self.block.labelled
        for index, text in values.items():  # every text is filled (see _values)
            column = columns[index]
            field_name = column.field
            year = column.year if column.year is not None else row_year
            kind = cell_class(text, self.shapes) if field_name == "relisted" else ""
            if kind in ("department", "division"):
                earlier = plain.get(kind)
                plain[kind] = f"{earlier} {text}" if earlier else text
            elif field_name in YEAR_FIELDS and year is not None:
                if index in labelled:
                    text = f"【{_label(column)}】{text}"
                slot = years.setdefault(year, {})
                earlier = slot.get(field_name)
                slot[field_name] = f"{earlier}\n{text}" if earlier else text
            elif field_name not in plain:
                plain[field_name] = text
        item_no, name = split_item_no(plain.get("item", plain.get("item_division", "")))
        item_no = plain.get("item_no", "") or item_no
        section = self._section(plain, row)
        if not name and not item_no and plain.get("section"):
            name = plain["section"]  # a row opening a section is a new item, named by it
        if not name and not item_no and self.current:
            return self._continuation(row, plain, years, section)
        self.current = [len(self.result.items)]
        self._settle_pending(name, item_no, section, row)
        self.description = plain.get("description", "")
        if self.description:
            self.descriptions.add(description_key(name, self.description))
        return ItemRow(
            ref=row.ref,
            item=name,
            item_no=item_no,
            section=section,
            department=plain.get("department", ""),
            division=plain.get("division", ""),
            page=plain.get("page", ""),
            years=years,
        )

    def _row_year(self, values: dict[int, str]) -> int | None:
        """The fiscal year a long table's row is of: its year cell (評価年度 R6 -> 2023)."""
        assert self.block is not None
        columns = self.block.columns
        years = [index for index in values if columns[index].field == "year"]
        # 対象年度 (the results' own year) before 評価年度 (the year after them)
        for index in sorted(years, key=lambda index: columns[index].rule != "label"):
            year = printed_year(values[index]) or _plain_year(values[index])
            if year is not None:
                return year - 1 if columns[index].rule == "next" else year
        return None

    def _continuation(
        self, row: Row, plain: dict[str, str], years: dict[int, dict[str, str]], section: str
    ) -> ItemRow:
        """Another division row of the current item (001); a section code printed on it wins
        over the one the item's first row carried from above."""
        self.flush_pending()
        rows = [self.result.items[index] for index in self.current]
        if plain.get("section_code"):
            for earlier in rows:
                earlier.section = section
        previous = rows[-1]
        own = plain.get("description", "")
        if own and own != self.description:
            message = (
                f"事業番号・事業名のない行を前の事業「{previous.item}」の続きとして読みましたが、"
                f"内容欄「{preview(own)}」が前の事業と異なります（改ページで分かれた次の事業の行の可能性）"
            )
            self.pending = _Pending(row, len(self.result.items), message, self.headers_seen)
        self.current.append(len(self.result.items))
        return ItemRow(
            ref=row.ref,
            item=previous.item,
            item_no=previous.item_no,
            section=previous.section,
            department=plain.get("department", previous.department),
            division=plain.get("division", previous.division),
            page=plain.get("page", previous.page),
            years=years,
        )

    def flush_pending(self) -> None:
        """Log a waiting continuation row as foreign: nothing showed it belongs elsewhere."""
        if self.pending is not None:
            pending, self.pending = self.pending, None
            self.result.repair(pending.row, "foreign_continuation", pending.message, pending.item)

    def _settle_pending(self, name: str, item_no: str, section: str, row: Row) -> None:
        """A waiting continuation row followed by a page break (a repeated header) and a new
        item is that item's first division row, printed before its number and name (001 line 99
        is item 21's). Otherwise it stays with the item above, flagged."""
        pending = self.pending
        if pending is None or self.headers_seen <= pending.headers:
            self.flush_pending()
            return
        self.pending = None
        attached = self.result.items[pending.item]
        attached.item, attached.item_no, attached.section = name, item_no, section
        self.current.insert(0, pending.item)
        where = f"{row.ref}行目" if row.ref.isdigit() else row.ref
        message = (
            f"事業番号・事業名のない行の内容が前の事業と異なり、改ページ後の{where}に次の事業"
            f"「{name}」が始まるため、この行をその事業の行として読みました"
        )
        self.result.repair(pending.row, "page_break_row", message, item=pending.item)

    def _section(self, plain: dict[str, str], row: Row) -> str:
        code = plain.get("section_code", "")
        if code or (self.block is not None and self.block.has("section_code")):
            self.carried_code = code or self.carried_code
            if self.carried_code:
                return self.outline.resolve(self.carried_code)
        cell = plain.get("section", "")
        if not cell and self.shapes.is_kind(plain.get("item", ""), "section"):
            cell = plain["item"]
        label = _level_label(cell)
        if cell and label and self.outline.knows(label):
            self._add_heading(label, cell)
            cell = ""
        elif cell:
            self._open_missing_top(cell, row)
            self.carried_section = cell
        return self.outline.section(self.carried_section)

    def _open_missing_top(self, cell: str, row: Row) -> None:
        """A section numbered ``5-1`` under 重点施策4 opens 重点施策5, whose heading row the
        document does not print (003 line 127): logged as ``missing_heading``."""
        found = _SUBSECTION_RE.match(fold(cell))
        top = next((heading for heading in self.outline.path if heading.level == 0), None)
        if found is None or top is None or top.code is None or not top.label:
            return
        number = int(found.group("top"))
        if number != top.code + 1:
            return
        opened = f"{top.label}{number}"
        self._add_heading(top.label, opened)
        message = (
            f"「{preview(cell)}」は「{preview(top.text)}」の下に印字されていますが、番号が{number}で"
            f"始まるため、見出しの印字されていない「{opened}」の下として読みました"
        )
        self.result.repair(row, "missing_heading", message, item=len(self.result.items))

    def _keep_dropped(
        self, row: Row, cells: list[str], alignment: Alignment, item: ItemRow, index: int
    ) -> None:
        """Dropped department/division cells join their field; other dropped text is logged, and
        so is text under a header label the lexicon does not know (``備考``), which no field reads.
        """
        assert self.block is not None
        for position, target in enumerate(alignment.mapping):
            text = cells[position]
            if target is not None and text and self.block.columns[target].field == "unknown":
                self._unread(row, position, text, self.block.columns[target].label, index)
            if target is not None or not text:
                continue
            kind = cell_class(text, self.shapes)
            if kind in ("department", "division"):
                joined = " ".join(filter(None, [getattr(item, kind), text]))
                setattr(item, kind, joined)
                continue
            why = "見出しのどの欄にも当てはまらないため"
            if position in alignment.repeats:
                what = "割合" if kind in ("percent", "rating") else "セル"
                why = f"直前の{what}と同じ値の繰り返しのため"
            message = f"{position + 1}列目の「{preview(text)}」は{why}、読み取りませんでした"
            self.result.repair(row, "dropped", message, item=index)

    def _unread(self, row: Row, position: int, text: str, label: str, index: int) -> None:
        """Log the cells under an unknown header label (``unread_column``, once per column) or
        under no label at all (``dropped``, each: the row is longer than its header, so it is
        likely broken)."""
        where = "見出しのない列にあり、どの欄にも当てはまらない"
        if label:  # said once per column of a header: its cells all share the label
            self.unread_cells[(len(self.headers), position)] += 1
            if self.unread_cells[(len(self.headers), position)] == 1:
                message = (
                    f"{position + 1}列目の「{preview(text)}」など、見出し「{label}」の列は"
                    "読み取る欄ではないため、記録しませんでした（列ごとの記入数は parse_report の"
                    " columns にあります）"
                )
                self.result.repair(row, "unread_column", message, item=index)
            return
        message = f"{position + 1}列目の「{preview(text)}」は{where}ため、記録しませんでした"
        self.result.repair(row, "dropped", message, item=index)


def _grid(cells: list[str], block: Block) -> Alignment:
    """Cell i in the block's i-th printed column (a spreadsheet's own grid)."""
    real = block.real
    return Alignment(tuple(real[i] if i < len(real) else None for i in range(len(cells))), 0.0)


def _plain_year(text: str) -> int | None:
    """A year cell written as a bare number: ``2024`` or ``2024.0``.

    Example:
        >>> _plain_year("2024"), _plain_year("令和"), _plain_year("12")
        (2024, None, None)
    """
    digits = fold(text).split(".")[0]
    return int(digits) if digits.isdigit() and 1980 <= int(digits) <= 2100 else None


def _level_label(text: str) -> str:
    """The level label a heading starts with: ``基本施策1 …`` -> ``基本施策``; ``(1) …`` -> ''."""
    found = _LEVEL_LABEL_RE.match(fold(text))
    return found.group() if found and len(found.group()) < len(fold(text)) else ""


def _describe(cells: list[str], alignment: Alignment, block: Block) -> str:
    """What moved, in Japanese, as runs of cells with the same shift: ``「再掲」欄が抜けていた
    ため、6〜13列目（印字上は「再掲」〜…の下）を1列右へずらして「令和2年度実施状況」〜…として
    読みました``.
    """
    real = block.real
    runs: list[tuple[int, int, int | None]] = []
    swapped = {cell + side for cell in alignment.swaps for side in (0, 1)}
    for index, target in enumerate(alignment.mapping):
        direct = real[index] if index < len(real) else None
        if target == direct or (not cells[index] and target is None) or index in swapped:
            continue
        shift = None if target is None else target - index
        if runs and runs[-1][2] == shift and runs[-1][1] == index - 1:
            runs[-1] = (runs[-1][0], index, shift)
        else:
            runs.append((index, index, shift))
    parts = [_describe_run(block, real, *run) for run in runs]
    return f"{len(cells)}個のセルを見出し{len(real)}列に合わせて読みました：" + "。".join(parts)


def _describe_run(block: Block, real: list[int], start: int, end: int, shift: int | None) -> str:
    """One run of cells that moved together, e.g. ``6〜13列目を1列右へずらして…``."""
    span = f"{start + 1}列目" if start == end else f"{start + 1}〜{end + 1}列目"
    printed = [_label(block.columns[real[k]]) for k in (start, end) if k < len(real)]
    if printed:  # before: the labels the cells were printed under
        under = f"「{printed[0]}」" + ("" if start == end else f"〜「{printed[-1]}」")
        span = f"{span}（印字上は{under}の下）"
    if shift is None:
        return f"{span}はどの欄にも当てはまりません"
    names = [_label(block.columns[start + shift]), _label(block.columns[end + shift])]
    into = f"「{names[0]}」" + ("" if start == end else f"〜「{names[1]}」")
    first = start + shift
    moved = real.index(first) - start if first in real else 0
    if moved > 0:
        missing = "」「".join(_label(block.columns[j]) for j in real[start : start + moved])
        return (
            f"「{missing}」欄が抜けていたため、{span}を{moved}列右へずらして{into}として読みました"
        )
    if moved < 0:
        return f"列が{-moved}つ多かったため、{span}を{-moved}列左へずらして{into}として読みました"
    return f"{span}を{into}の欄として読みました"


def _read_otherwise(kind: str, block: Block, column: int) -> bool:
    """A cell no misfit: a department or division name in the 再掲 column joins its own field
    (``_item_row``); a cell under an unknown label is logged as ``unread_column``."""
    field = block.columns[column].field
    return field == "unknown" or (kind in ("department", "division") and field == "relisted")


def _describe_swap(cells: list[str], cell: int, alignment: Alignment, block: Block) -> str:
    """What was exchanged, e.g. ``9列目「引き続き…」と10列目「100%」は「達成度 (%)」と…``:
    the two columns the cells were read into, in printed order."""
    columns = [alignment.mapping[k] for k in (cell + 1, cell)]
    left, right = (_label(block.columns[k]) for k in columns if k is not None)
    return (
        f"{cell + 1}列目「{preview(cells[cell])}」と{cell + 2}列目「{preview(cells[cell + 1])}」"
        f"は「{left}」と「{right}」が入れ替わって印字されていたため、入れ替えて読みました"
    )


def _label(column: Column) -> str:
    """The column's header label as printed; the implied description column is 内容."""
    return column.label or "内容"


LAYOUT = register(Layout("table", score, parse))
