"""Layout reader 'indicator_table': item tables with 参考指標 and yearly 実績 columns (004).

A table starts with a two-line header: labels (番号, 事業名称 (担当課), 事業の内容, 参考指標, 実績,
結果(年度)), then a line of era years (``H30 R2 R3 R4 R5 R6 R6``) giving the years of the 実績
columns and of the 結果 column. An item row holds the item, its first indicator with one value
per year and the 結果 text; the rows below it hold more indicators of the item. Single-cell
headings (``目標1 …``, ``1-1. …``) give the section. An indicator row printed under the wrong
item is moved to the next item when that one fits it clearly better (``moved_indicator``).

Example:
    >>> from pipeline.ingest import read
    >>> tables = read(["data/samples/004_e0cedbc2d3263efb.txt"])
    >>> tables.entries.loc[0, ["item_no", "item", "division"]].tolist()
    ['1', '子どもオンブズパーソン', '児童青少年課']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from pipeline.eras import era_label, era_year
from pipeline.ingest.base import IndicatorRow, ItemRow, Layout, Opinion, ParseResult, register
from pipeline.ingest.cells import CellShapes, fold, strip_tags
from pipeline.ingest.headers import Column, HeaderRules, label_key
from pipeline.ingest.sources import Row, SourceDoc
from pipeline.lexicons import LexiconError, Lexicons

NAME = "indicator_table"
HEADER_FIELDS = frozenset({"indicator", "indicator_values"})
HEADER_SCORE = 2.0
SECTION_SEPARATOR = " > "
STATUS_JOINER = "  "

_NUMBERING_RE = re.compile(r"\d+(?:\s*[-‐]\s*\d+)*")
_TRAILING_GROUP_RE = re.compile(r"^(?P<name>.*?)\s*[(（](?P<inner>[^()（）]*)[)）]\s*$")


class Value(NamedTuple):
    """One indicator cell read: the word printed before the number, and the number."""

    direction: str
    value: float | None


@dataclass(frozen=True)
class Cues:
    """The reader's lexicon (``indicator_table.tsv``) and settings (``indicator_table``)."""

    marks: tuple[re.Pattern[str], ...]
    values: tuple[re.Pattern[str], ...]
    placeholders: tuple[re.Pattern[str], ...]
    labels: tuple[re.Pattern[str], ...]
    ngram: int
    kind_weight: float
    move_margin: float
    label_chars: int

    @classmethod
    def load(cls, lexicons: Lexicons | None = None) -> Cues:
        """Compile the cues; a bad pattern is a LexiconError naming it.

        Example:
            >>> Cues.load().ngram
            2
        """
        lex = lexicons or Lexicons()
        grouped: dict[str, list[re.Pattern[str]]] = {}
        for row in lex.table(NAME):
            try:
                grouped.setdefault(row["kind"], []).append(re.compile(row["pattern"]))
            except re.error as error:
                raise LexiconError(f"{NAME}.tsv: bad pattern {row['pattern']!r}: {error}") from None
        settings = lex.settings[NAME]
        return cls(
            marks=tuple(grouped.get("item_mark", [])),
            values=tuple(grouped.get("value", [])),
            placeholders=tuple(grouped.get("placeholder", [])),
            labels=tuple(grouped.get("printed_label", [])),
            ngram=int(settings["topic_ngram"]),
            kind_weight=float(settings["kind_weight"]),
            move_margin=float(settings["move_margin"]),
            label_chars=int(settings["label_chars"]),
        )


@dataclass(frozen=True)
class Block:
    """Where the fields of one table sit (column indexes) and the years its header gives."""

    item_no: int
    item: int
    division: int | None
    description: int | None
    indicator: int
    values: int
    years: tuple[int, ...]
    result_year: int


@dataclass
class Tail:
    """The cells of a row from the 参考指標 column on, sorted by what they hold."""

    name: str = ""
    shift: int = 0
    values: list[tuple[int, str]] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    opinions: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Heading:
    numbers: tuple[int, ...]
    text: str


@dataclass(frozen=True)
class _Topic:
    """What an item or indicator row is about: its n-grams and whether its values are numbers."""

    grams: frozenset[str]
    numeric: bool | None


@dataclass
class _Pending:
    row: Row
    tail: Tail
    topic: _Topic
    after: int


@dataclass
class _State:
    title: str = ""
    headings: list[_Heading] = field(default_factory=list)
    block: Block | None = None
    block_items: list[int] = field(default_factory=list)
    topics: list[_Topic] = field(default_factory=list)
    pending: list[_Pending] = field(default_factory=list)

    @property
    def section(self) -> str:
        return SECTION_SEPARATOR.join(heading.text for heading in self.headings)

    @property
    def goal(self) -> str:
        return self.headings[0].text if self.headings else ""

    @property
    def item(self) -> int | None:
        return self.block_items[-1] if self.block_items else None


@dataclass(frozen=True)
class _Context:
    rules: HeaderRules
    shapes: CellShapes
    cues: Cues
    result: ParseResult


def score(doc: SourceDoc, rules: HeaderRules) -> float:
    """2.0 when a row's header labels include both 参考指標 and 実績, else 0.

    Example:
        >>> from pathlib import Path
        >>> from pipeline.ingest.sources import load_rows
        >>> score(load_rows(Path("data/samples/004_e0cedbc2d3263efb.txt")), HeaderRules.load())
        2.0
    """
    return HEADER_SCORE if any(is_header(row.cells, rules) for row in doc.rows) else 0.0


def is_header(cells: Sequence[str], rules: HeaderRules) -> bool:
    """Whether the cells are the label line of an indicator table.

    Example:
        >>> is_header(["番号", "事業名称 (担当課)", "参考指標", "実績"], HeaderRules.load())
        True
    """
    if rules.count_labels(cells) < len(HEADER_FIELDS):
        return False
    return {_field(column) for column in rules.columns(cells)} >= HEADER_FIELDS


def _field(column: Column) -> str:
    """In an indicator table, a label that may name indicator values (実績) does."""
    return column.alt if column.alt == "indicator_values" else column.field


def parse_value(text: str, cues: Cues) -> Value | None:
    """The direction and number of an indicator cell; None when the cell is no indicator value.

    Thousands separators are dropped and full-width digits read; a cell without a number
    (検討, 継続, —) has value None; an empty cell is ``Value('', None)``.

    Example:
        >>> cues = Cues.load()
        >>> parse_value("漸増 1,091", cues), parse_value("検討", cues)
        (Value(direction='漸増', value=1091.0), Value(direction='検討', value=None))
        >>> parse_value("結果の説明 及び 次年度に向けての 課題", cues) is None
        True
    """
    folded = fold(text)
    if not folded or any(pattern.fullmatch(folded) for pattern in cues.placeholders):
        return Value("", None)
    for pattern in cues.values:
        match = pattern.fullmatch(folded)
        if match:
            number = match.group("number")
            value = float(number.replace(",", "")) if number else None
            return Value((match.group("direction") or "").strip(), value)
    return None


def split_name(text: str, cues: Cues, shapes: CellShapes) -> tuple[str, str]:
    """Item name and division from a 事業名称 (担当課) cell; marks such as ＜重点事業＞ removed.

    Example:
        >>> cell = "虐待対応事業 (こども家庭センター) ＜重点事業＞"
        >>> split_name(cell, Cues.load(), CellShapes.load())
        ('虐待対応事業', 'こども家庭センター')
    """
    name = strip_tags(text)
    for mark in cues.marks:
        name = mark.sub("", name)
    name = name.strip()
    match = _TRAILING_GROUP_RE.match(name)
    if match and shapes.is_kind(match.group("inner"), "division"):
        return match.group("name").strip(), match.group("inner").strip()
    return name, ""


def parse(doc: SourceDoc, rules: HeaderRules, lexicons: Lexicons) -> ParseResult:
    """Read items, their 結果 text and indicator values; every row used or skipped with a reason.

    Example:
        >>> from pathlib import Path
        >>> from pipeline.ingest.sources import load_rows
        >>> doc = load_rows(Path("data/samples/004_e0cedbc2d3263efb.txt"))
        >>> result = parse(doc, HeaderRules.load(), Lexicons())
        >>> result.items[1].item, result.items[1].years
        ('虐待対応事業', {})
    """
    context = _Context(rules, CellShapes.load(lexicons), Cues.load(lexicons), ParseResult(NAME))
    state = _State()
    rows = doc.rows
    for position, row in enumerate(rows):
        if context.result.ledger.seen(row):
            continue
        following = rows[position + 1] if position + 1 < len(rows) else None
        _dispatch(row, following, state, context)
    _settle(state, context, following_item=None)
    return context.result


def _dispatch(row: Row, following: Row | None, state: _State, context: _Context) -> None:
    ledger = context.result.ledger
    filled = [cell for cell in row.cells if cell.strip()]
    if not filled:
        ledger.skip(row, "blank")
    elif all(_opinion(cell, context) is not None for cell in filled):
        _opinion_row(row, filled, state, context)
    elif is_header(row.cells, context.rules):
        _header(row, following, state, context)
    elif len(filled) == 1:
        _single_cell(row, filled[0], state, context)
    elif state.block is not None:
        _data_row(row, state.block, state, context)


def _single_cell(row: Row, cell: str, state: _State, context: _Context) -> None:
    text = cell.strip()
    if context.shapes.is_kind(text, "section"):
        _settle(state, context, following_item=None)
        state.block_items = []
        _heading(row, text, state, context)
    elif not state.title and not state.headings:
        state.title = text
        context.result.ledger.skip(row, "title")
    elif text == state.title:
        context.result.ledger.skip(row, "repeated_title")


def _heading(row: Row, text: str, state: _State, context: _Context) -> None:
    found = _NUMBERING_RE.search(fold(text))
    numbers = tuple(int(part) for part in re.findall(r"\d+", found.group())) if found else ()
    heading = _Heading(numbers, text)
    kept = [
        parent
        for parent in state.headings
        if numbers
        and len(parent.numbers) < len(numbers)
        and numbers[: len(parent.numbers)] == parent.numbers
    ]
    state.headings = [*kept, heading]
    if numbers and len(state.headings) < len(numbers):
        parent = "-".join(str(number) for number in numbers[:-1])
        context.result.repair(
            row,
            "missing_heading",
            f"見出し「{text}」の上位の見出し({parent})が印字されていないため、節はこの見出しからです",
        )
    context.result.ledger.skip(row, "heading")


def _header(row: Row, following: Row | None, state: _State, context: _Context) -> None:
    """A header opens a new table; the same header again (printed on a new page) does not, so
    indicator rows above it still wait for the next item (a page break between them)."""
    ledger = context.result.ledger
    if (
        state.block is not None
        and following is not None
        and _is_year_row(following.cells)
        and _block(row.cells, following.cells, context.rules) == state.block
    ):
        ledger.skip(row, "repeated_header")
        ledger.skip(following, "repeated_header")
        return
    _settle(state, context, following_item=None)
    ledger.skip(row, "header")
    state.block = None
    state.block_items = []
    if following is None or not _is_year_row(following.cells):
        return
    ledger.skip(following, "header")
    state.block = _block(row.cells, following.cells, context.rules)


def _is_year_row(cells: Sequence[str]) -> bool:
    filled = [cell for cell in cells if cell.strip()]
    return bool(filled) and all(era_year(cell) is not None for cell in filled)


def _block(labels: Sequence[str], year_cells: Sequence[str], rules: HeaderRules) -> Block | None:
    columns = rules.columns(labels)
    where: dict[str, int] = {}
    for index, column in enumerate(columns):
        where.setdefault(_field(column), index)
    item = where.get("item_division", where.get("item"))
    if item is None or "item_no" not in where:
        return None
    values = where["indicator_values"]
    years = _increasing([era_year(cell) for cell in year_cells[values:]])
    printed = [year for year in (era_year(cell) for cell in year_cells) if year is not None]
    under_status = era_year(_cell(year_cells, where.get("status")))
    return Block(
        item_no=where["item_no"],
        item=item,
        division=where.get("division"),
        description=where.get("description"),
        indicator=where["indicator"],
        values=values,
        years=years,
        result_year=under_status or printed[-1],
    )


def _increasing(years: Sequence[int | None]) -> tuple[int, ...]:
    run: list[int] = []
    for year in years:
        if year is None or (run and year <= run[-1]):
            break
        run.append(year)
    return tuple(run)


def _data_row(row: Row, block: Block, state: _State, context: _Context) -> None:
    number = fold(_cell(row.cells, block.item_no))
    name = _cell(row.cells, block.item).strip()
    if number.isdigit() and name:
        _item_row(row, block, number, state, context)
    elif not number and not name and state.item is not None:
        tail = _read_tail(row.cells, block, context)
        if tail.name or tail.values:
            description = _cell(row.cells, block.description)
            topic = _topic(f"{tail.name} {description}", tail, context.cues)
            state.pending.append(_Pending(row, tail, topic, state.item))
            context.result.ledger.use(row)


def _item_row(row: Row, block: Block, number: str, state: _State, context: _Context) -> None:
    result = context.result
    name, division = split_name(row.cells[block.item], context.cues, context.shapes)
    if block.division is not None and _cell(row.cells, block.division).strip():
        division = row.cells[block.division].strip()
    tail = _read_tail(row.cells, block, context)
    status = STATUS_JOINER.join(tail.text)
    index = len(result.items)
    result.items.append(
        ItemRow(
            ref=row.ref,
            item=name,
            item_no=number,
            section=state.section,
            division=division,
            years={block.result_year: {"status": status}} if status else {},
        )
    )
    description = _cell(row.cells, block.description)
    state.topics.append(_topic(f"{name} {description}", tail, context.cues))
    state.block_items.append(index)
    _settle(state, context, following_item=index)
    result.ledger.use(row)
    if len(tail.text) > 1:
        result.repair(
            row,
            "joined_cells",
            f"結果欄が{len(tail.text)}つのセルに分かれていたため連結しました",
            index,
        )
    if not status:
        result.repair(
            row, "empty_status", f"{era_label(block.result_year)}の結果欄に記載がありません", index
        )
    _emit(row, tail, index, state, context)


def _read_tail(cells: Sequence[str], block: Block, context: _Context) -> Tail:
    tail = Tail()
    position = _name_position(cells, block, context)
    if position is None:
        position = block.values
    else:
        tail.name = strip_tags(cells[position]).strip()
        tail.shift = position - block.indicator
        position += 1
    for year in block.years:
        if position >= len(cells) or parse_value(cells[position], context.cues) is None:
            break
        if cells[position].strip():
            tail.values.append((year, cells[position]))
        position += 1
    while position < len(cells) and _is_extra_value(cells[position], context):
        tail.extra.append(cells[position].strip())
        position += 1
    _sort_rest(cells[position:], tail, context)
    return tail


def _name_position(cells: Sequence[str], block: Block, context: _Context) -> int | None:
    """The 参考指標 column, or the first filled cell right of it when it is empty (shifted row)."""
    cell = _cell(cells, block.indicator)
    if cell.strip():
        return block.indicator if _label_field(cell, context) is None else None
    for position in range(block.indicator + 1, len(cells)):
        if cells[position].strip():
            shifted = parse_value(cells[position], context.cues) is None
            unlabelled = _label_field(cells[position], context) is None
            return position if shifted and unlabelled else None
    return None


def _is_extra_value(cell: str, context: _Context) -> bool:
    return bool(cell.strip()) and parse_value(cell, context.cues) is not None


def _sort_rest(cells: Sequence[str], tail: Tail, context: _Context) -> None:
    for cell in cells:
        if not cell.strip():
            continue
        opinion = _opinion(cell, context)
        if opinion is None:
            text = _without_label(strip_tags(cell), context.cues).strip()
            if text:
                tail.text.append(text)
        elif opinion:
            tail.opinions.append(opinion)


def _without_label(text: str, cues: Cues) -> str:
    """Drop a column label printed at the start of a result cell (``結果の説明 及び …``).

    The label repeats the header inside every result cell (lexicon kind ``printed_label``);
    it is table furniture, not what the division wrote, and would make every status alike.

    Example:
        >>> _without_label("結果の説明 及び 次年度に向けての 課題、検討内容  来館者数", Cues.load())
        '  来館者数'
    """
    for pattern in cues.labels:
        match = pattern.match(text.lstrip())
        if match:
            return text.lstrip()[match.end() :]
    return text


def _label_field(cell: str, context: _Context) -> str | None:
    rule = context.rules.match(label_key(cell)[: context.cues.label_chars])
    return None if rule is None else rule.field


def _opinion(cell: str, context: _Context) -> str | None:
    """None: no opinion label; '': the label alone (a placeholder); else the opinion text."""
    if _label_field(cell, context) != "opinion":
        return None
    key = label_key(cell)
    rule = context.rules.match(key)
    found = rule.pattern.search(key) if rule else None
    if found is not None and found.end() == len(key):
        return ""
    return strip_tags(cell).strip()


def _opinion_row(row: Row, filled: list[str], state: _State, context: _Context) -> None:
    texts = [text for text in (_opinion(cell, context) for cell in filled) if text]
    if not texts or state.item is None:
        context.result.ledger.skip(row, "opinion_placeholder")
        return
    _add_opinions(row, texts, state.item, state, context)
    context.result.ledger.use(row)


def _add_opinions(row: Row, texts: list[str], item: int, state: _State, context: _Context) -> None:
    owner = context.result.items[item]
    context.result.opinions.extend(
        Opinion(row.ref, state.goal, owner.item_no, owner.item, text) for text in texts
    )


def _emit(row: Row, tail: Tail, item: int, state: _State, context: _Context) -> None:
    result = context.result
    for year, raw in tail.values:
        read = parse_value(raw, context.cues) or Value("", None)
        result.indicators.append(
            IndicatorRow(row.ref, item, tail.name, read.direction, year, raw.strip(), read.value)
        )
    if tail.shift:
        result.repair(
            row,
            "realigned_cells",
            f"参考指標「{tail.name}」が{tail.shift}列右にずれて印字されていたため、"
            "その右のセルから年度順に値を読みました",
            item,
        )
    if tail.extra:
        last = tail.values[-1][1].strip() if tail.values else ""
        result.repair(
            row,
            "extra_value",
            f"参考指標「{tail.name}」の年度列（{len(tail.values)}列）より右にある値"
            f"「{'」「'.join(tail.extra)}」は指標値にしませんでした（最後の年度の値は「{last}」）",
            item,
        )
    if tail.opinions:
        _add_opinions(row, tail.opinions, item, state, context)


def _settle(state: _State, context: _Context, following_item: int | None) -> None:
    """Give the pending indicator rows an owner: the item above, or the next one if it fits."""
    for pending in state.pending:
        owner = _owner(pending, following_item, state, context)
        _emit(pending.row, pending.tail, owner, state, context)
        if pending.tail.text:
            context.result.repair(
                pending.row,
                "unplaced_cell",
                f"参考指標の行に、結果欄ではない文章「{STATUS_JOINER.join(pending.tail.text)}」が"
                "あります",
                owner,
            )
    state.pending = []


def _owner(pending: _Pending, following: int | None, state: _State, context: _Context) -> int:
    """The item above, unless the next item fits the row better by ``move_margin`` or more."""
    if following is None:
        return pending.after
    above = _fit(pending.topic, state.topics[pending.after], context.cues)
    below = _fit(pending.topic, state.topics[following], context.cues)
    if below - above < context.cues.move_margin:
        return pending.after
    source, target = context.result.items[pending.after], context.result.items[following]
    context.result.repair(
        pending.row,
        "moved_indicator",
        f"参考指標「{pending.tail.name}」の行を「{source.item_no} {source.item}」から、"
        f"内容が合う「{target.item_no} {target.item}」へ移しました"
        f"（内容の近さ {above:g} → {below:g}）",
        following,
    )
    return following


def _fit(row: _Topic, item: _Topic, cues: Cues) -> float:
    shared = len(row.grams & item.grams)
    same_kind = row.numeric is not None and row.numeric == item.numeric
    return shared + (cues.kind_weight if same_kind else 0.0)


def _topic(text: str, tail: Tail, cues: Cues) -> _Topic:
    words = re.findall(r"\w+", unicodedata.normalize("NFKC", strip_tags(text)))
    grams = frozenset(
        word[start : start + cues.ngram]
        for word in words
        for start in range(len(word) - cues.ngram + 1)
    )
    values = [parse_value(raw, cues) for _, raw in tail.values]
    numbers = [value.value is not None for value in values if value is not None]
    return _Topic(grams, any(numbers) if numbers else None)


def _cell(cells: Sequence[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


LAYOUT = register(Layout(NAME, score, parse))
