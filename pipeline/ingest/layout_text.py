"""Layout reader 'layout_text': tables extracted from a PDF as running text, no tab separators.

Every table cell is wrapped over several lines and cells are separated by blank lines (not
always). An item starts with a line ``N　name P.32`` (optionally after a ``（１）…`` heading and
followed by department, division and even the first cell); its cells follow in the order of the
header line (``担当部署 担当課 再掲 令和２年度実施状況 … 今後（令和４年度以降）の実施計画``).
Cells are rebuilt by content: wrapped lines are joined without spaces, ratings are short,
plans end like plans, and where the blank lines do not match the header the cells are aligned
by a small dynamic programme whose guesses are logged as repairs (``joined_wrapped``,
``realigned``).

Example:
    >>> from pipeline.ingest import read
    >>> entries = read(["data/samples/000_7f059ffc7f93b1c5.txt"]).entries
    >>> entries.loc[0, ["item_no", "item", "division", "rating"]].tolist()
    ['1', 'いのち支える自殺対策推進本部の運営', '健康課', '未実施']
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from pipeline.eras import era_label, era_year
from pipeline.ingest.base import ItemRow, Layout, ParseResult, register
from pipeline.ingest.cells import MEMO_CELLS, CellShapes, fold, split_item_no
from pipeline.ingest.headers import Column, HeaderRules
from pipeline.ingest.sources import Row, SourceDoc
from pipeline.lexicons import Lexicons
from pipeline.schemas import YEAR_FIELDS

_ITEM_RE = re.compile(r"^(?:(?P<prefix>\S.*?)[ \t]+)?(?P<no>[0-9０-９]{1,3})　(?P<rest>\S.*)$")
_PAGE_RE = re.compile(r"[PＰ][.．]?\s*[0-9０-９]+(?:\s*[-~～、,]\s*[PＰ]?[.．]?\s*[0-9０-９]+)*")
_WORD_RE = re.compile(r"[ \t]+")
_TAG_RE = re.compile(r"【[^】]*】")
_CONTINUED = ("・", "、")
_FULL_SLACK = 4  # a line this many display columns short of its block's widest is not full
_NARROW = 10  # display columns of the narrow rating column
_SHORT = 20  # characters of a rating written as words (ゲートキーパー研修受講率約60％)
_SHORT_WORDS = 12  # characters of a rating without a digit or rating term (随時相談等に対応)

# Costs of the cell alignment (lower is more likely); see _group_cost and _boundary_costs.
EMPTY_COST = {"status": 2.0, "evaluation": 2.0, "rating": 1.5, "plan": 2.0}
RATING_COST = {3: 0.0, 2: 0.3, 1: 1.0}
NARROW_RATING_COST = 0.5
TEXT_AS_RATING_COST = 4.0
RATING_AS_TEXT_COST = {"status": 1.0, "evaluation": 2.5, "plan": 2.5}
TENSE_COST = 2.0
PLAN_OPENS_WITH_RATING_COST = 1.0  # a plan starting with a short rating line (59日177コマ実施)
JOIN_GAP_COST = 6.0
JOIN_BLANK_COST = {True: 0.6, False: 3.0}
JOIN_AFTER_NARROW_COST = 1.0  # a narrow fragment (等に対応) followed by a full line in one cell
BREAK_LINE_COST = {"rating": 0.3, "end": 0.6, "wrapped": 3.0}


@dataclass(frozen=True)
class Cues:
    """The reader's lexicon (``lexicons/layout_text.tsv``) compiled, with the cell shapes."""

    shapes: CellShapes
    patterns: dict[str, re.Pattern[str]]
    _ratings: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    _endings: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def load(cls, lexicons: Lexicons) -> Cues:
        """Compile the cues; rows of one kind are alternatives. The files read with one
        Lexicons share the compiled cues and their memo.

        Example:
            >>> lexicons = Lexicons()
            >>> Cues.load(lexicons) is Cues.load(lexicons)
            True
        """
        rows = lexicons.table("layout_text")
        shapes = CellShapes.load(lexicons)
        if _LOADED and _LOADED[0][0] is rows and _LOADED[0][1].shapes is shapes:
            return _LOADED[0][1]
        grouped: dict[str, list[str]] = {}
        for row in rows:
            grouped.setdefault(row["kind"], []).append(f"(?:{row['pattern']})")
        patterns = {kind: re.compile("|".join(alts)) for kind, alts in grouped.items()}
        _LOADED[:] = [(rows, cls(shapes, patterns))]
        return _LOADED[0][1]

    def has(self, kind: str, text: str, *, whole: bool = False) -> bool:
        """Whether ``text`` shows the cue ``kind`` (searched, or the whole text)."""
        pattern = self.patterns.get(kind)
        if pattern is None:
            return False
        return bool(pattern.fullmatch(text) if whole else pattern.search(text))

    def ratingness(self, text: str) -> int:
        """3 = a rating shape (実施, 80%), 2 = short with a number or rating term, 1 = short, 0.

        Example:
            >>> cues = Cues.load(Lexicons())
            >>> [cues.ratingness(t) for t in ["未実施", "45回実施/年", "随時相談", "研修した。"]]
            [3, 2, 1, 0]
        """
        found = self._ratings.get(text)
        if found is None:
            if len(self._ratings) >= MEMO_CELLS:
                self._ratings.clear()
            found = self._ratings[text] = self._ratingness(text)
        return found

    def _ratingness(self, text: str) -> int:
        folded = fold(_TAG_RE.sub("", text))
        if not folded:
            return 0
        if self.shapes.folded_is(folded, "rating"):
            return 3
        if len(folded) > _SHORT or folded.endswith("。"):
            return 0
        if re.search(r"\d", folded) or self.has("rating_term", folded):
            return 2
        return 1 if len(folded) <= _SHORT_WORDS else 0

    def ending(self, text: str) -> str:
        """``plan``, ``past`` or ``""``: how the cell's last sentence ends.

        Example:
            >>> cues = Cues.load(Lexicons())
            >>> cues.ending("研修を実施する。"), cues.ending("開催した。")
            ('plan', 'past')
        """
        found = self._endings.get(text)
        if found is None:
            if len(self._endings) >= MEMO_CELLS:
                self._endings.clear()
            tail = fold(text).rstrip("。.．、 )）」")
            past = self.has("past_ending", tail)
            found = "past" if past else ("plan" if self.has("plan_ending", tail) else "")
            self._endings[text] = found
        return found

    def is_furniture(self, text: str, *, between_items: bool) -> bool:
        """Whether a line is page furniture (debris, page numbers; running titles between items)."""
        folded = fold(text)
        if self.has("furniture", folded, whole=True):
            return True
        return between_items and self.has("furniture_gap", folded, whole=True)


_LOADED: list[tuple[list[dict[str, str]], Cues]] = []
"""The cues compiled last, with the lexicon rows they came from (see ``CellShapes.load``)."""


class Piece(NamedTuple):
    """A run of text from one line that belongs to one cell (a named tuple: an item has tens
    of them, made faster than a frozen dataclass's).

    ``before`` is the boundary with the previous piece: ``gap`` (a space inside a line between
    two columns), ``line`` (a line break), ``blank`` (a blank line) or ``start``.
    """

    row: Row
    text: str
    before: str
    full: bool
    narrow: bool


@dataclass
class _Head:
    """What the item's opening lines say, and the rows they took."""

    item: ItemRow
    rows: list[Row]
    rest: tuple[Row, str] | None = None


@dataclass
class _Walk:
    """Line-by-line state of one parse."""

    doc: SourceDoc
    rules: HeaderRules
    cues: Cues
    min_labels: int
    result: ParseResult = field(default_factory=lambda: ParseResult(layout="layout_text"))
    slots: list[Column] = field(default_factory=list)
    has_relisted: bool = False
    path: list[tuple[str, str]] = field(default_factory=list)


def score(doc: SourceDoc, rules: HeaderRules) -> float:
    """0.5 when no tab-separated header row exists but a line holds enough labels in its text.

    Example:
        >>> import pathlib
        >>> from pipeline.ingest.sources import load_rows
        >>> doc = load_rows(pathlib.Path("data/samples/000_7f059ffc7f93b1c5.txt"))
        >>> score(doc, HeaderRules.load())
        0.5
    """
    if any(len(row.cells) >= 2 and rules.count_labels(row.cells) >= 2 for row in doc.rows):
        return 0.0
    minimum = rules.min_labels
    found = any(len(rules.labels_in_line(row.text)) >= minimum for row in doc.rows)
    return 0.5 if found else 0.0


def parse(doc: SourceDoc, rules: HeaderRules, lexicons: Lexicons) -> ParseResult:
    """Read the items of a layout-text document; every line is used or skipped with a reason."""
    walk = _Walk(doc, rules, Cues.load(lexicons), rules.min_labels)
    rows = doc.rows
    starts = [i for i, row in enumerate(rows) if _item_match(row.text, walk.cues) is not None]
    preambles = [_preamble(walk, start) for start in [*starts, len(rows)]]
    for number, start in enumerate(starts):
        _skip_preamble(walk, preambles[number], start)
        end = preambles[number + 1][0]
        _read_item(walk, rows[start:end])
    _skip_preamble(walk, preambles[-1], len(rows))
    return walk.result


class _Widths(dict[str, int]):
    """Display columns of each character met (2 for East Asian wide and full-width ones)."""

    def __missing__(self, char: str) -> int:
        width = self[char] = 2 if unicodedata.east_asian_width(char) in "WF" else 1
        return width


_WIDTHS = _Widths()


def _display_width(text: str) -> int:
    """Display columns of a line.

    Example:
        >>> _display_width("P.32 研修")
        9
    """
    return sum(map(_WIDTHS.__getitem__, text))


def _item_match(text: str, cues: Cues) -> re.Match[str] | None:
    """The item line ``[（１）heading ]N　name [P.32 …]``, or None."""
    match = _ITEM_RE.match(text.strip())
    if match is None:
        return None
    prefix = match.group("prefix")
    if prefix is not None:
        return match if cues.shapes.is_kind(prefix, "section") else None
    return match if _PAGE_RE.search(match.group("rest")) else None


# --- what lies between two items: headings, repeated headers, page furniture -----------------


def _preamble(walk: _Walk, start: int) -> tuple[int, dict[int, str]]:
    """Walk up from an item line (or the end): the first line of the preamble and each reason."""
    rows = walk.doc.rows
    reasons: dict[int, str] = {}
    i = start - 1
    while i >= 0:
        text = rows[i].text
        if not text.strip():
            reasons[i] = "blank"
            i -= 1
            continue
        taken = _preamble_lines(walk, i, reasons)
        if not taken:
            break
        i -= taken
    first = min(reasons, default=start)
    while first in reasons and reasons[first] == "blank" and first < start:
        del reasons[first]
        first += 1
    return first, reasons


def _preamble_lines(walk: _Walk, i: int, reasons: dict[int, str]) -> int:
    """How many lines ending at ``i`` are heading, header or furniture (recorded), else 0."""
    rows = walk.doc.rows
    text = rows[i].text
    if len(walk.rules.labels_in_line(text)) >= walk.min_labels:
        reasons[i] = "header"
        return 1
    if "header" in reasons.values():
        if _mostly_labels(walk, text):
            reasons[i] = "header"
            return 1
        above = rows[i - 1].text if i > 0 else ""
        if above.strip() and _mostly_labels(walk, above) and _mostly_labels(walk, above + text):
            reasons[i] = reasons[i - 1] = "header"
            return 2
    if walk.cues.is_furniture(text, between_items=True):
        reasons[i] = "page_furniture"
        return 1
    top = i
    while top > 0 and rows[top - 1].text.strip() and i - top < 3:
        top -= 1
    starts_block = top == 0 or not rows[top - 1].text.strip()
    if starts_block and walk.cues.shapes.is_kind(rows[top].text, "section"):
        for k in range(top, i + 1):
            reasons[k] = "heading"
        return i - top + 1
    return 0


def _mostly_labels(walk: _Walk, text: str) -> bool:
    words = [w for w in _WORD_RE.split(text.strip()) if w]
    labels = walk.rules.labels_in_line(text)
    return bool(labels) and 2 * len(labels) >= len(words)


def _skip_preamble(walk: _Walk, preamble: tuple[int, dict[int, str]], start: int) -> None:
    rows = walk.doc.rows
    first, reasons = preamble
    heading: list[str] = []
    for i in range(first, start):
        reason = reasons.get(i, "unplaced")
        if reason == "unplaced":
            continue
        walk.result.ledger.skip(rows[i], reason)
        if reason == "header" and len(walk.rules.labels_in_line(rows[i].text)) >= walk.min_labels:
            _set_header(walk, rows[i].text)
        if reason == "heading":
            heading.append(rows[i].text.strip())
        elif heading:
            _enter_section(walk, "".join(heading))
            heading = []
    if heading:
        _enter_section(walk, "".join(heading))


def _set_header(walk: _Walk, text: str) -> None:
    columns = walk.rules.columns(walk.rules.labels_in_line(text))
    walk.slots = [c for c in columns if c.field in YEAR_FIELDS and c.year is not None]
    walk.has_relisted = any(c.field == "relisted" for c in columns)


def _enter_section(walk: _Walk, heading: str) -> None:
    """Put a heading into the section path: it replaces headings of its kind and those below."""
    key = re.split(r"\d", fold(heading), maxsplit=1)[0]
    keys = [k for k, _ in walk.path]
    if key in keys:
        del walk.path[keys.index(key) :]
    walk.path.append((key, heading))


# --- one item: its head (number, name, page, department, division) and its cells --------------


def _read_item(walk: _Walk, rows: Sequence[Row]) -> None:
    head = _read_head(walk, rows)
    ledger = walk.result.ledger
    for row in head.rows:
        if row.text.strip():
            ledger.use(row)
        else:
            ledger.skip(row, "blank")
    pieces = _pieces(walk.cues, head.rest, rows[len(head.rows) :], walk.result)
    index = len(walk.result.items)
    walk.result.items.append(head.item)
    if not walk.slots:
        return
    groups = _align(walk.cues, pieces, walk.slots)
    for slot, (lo, hi) in zip(walk.slots, groups, strict=True):
        text = _join(pieces[lo:hi])
        head.item.years.setdefault(int(slot.year or 0), {})[slot.field] = text
    _log_repairs(walk, pieces, groups, index)


def _read_head(walk: _Walk, rows: Sequence[Row]) -> _Head:
    match = _item_match(rows[0].text, walk.cues)
    assert match is not None
    if match.group("prefix"):
        _enter_section(walk, match.group("prefix"))
    number, name = split_item_no(f"{match.group('no')}　{match.group('rest')}")
    head = _Head(ItemRow(ref=rows[0].ref, item=name, item_no=number), [rows[0]])
    head.item.section = " > ".join(text for _, text in walk.path)
    words = _page_and_tail(head, match.group("rest"), rows)
    queue = _Queue(rows, len(head.rows), words)
    head.item.department = queue.take(walk.cues.shapes, "department")
    head.item.division = queue.take(walk.cues.shapes, "division")
    if walk.has_relisted and walk.cues.shapes.is_kind(queue.same_line(), "relisted"):
        queue.pop_same_line()
    head.rows.extend(queue.consumed_rows())
    head.rest = queue.rest()
    return head


def _page_and_tail(head: _Head, rest: str, rows: Sequence[Row]) -> tuple[Row, str]:
    """Set name and page from the item line (or the few lines after it); the text after the page."""
    page = _last_page(rest)
    if page is not None:
        head.item.item = rest[: page.start()].strip()
        head.item.page = page.group().strip()
        return rows[0], rest[page.end() :].strip()
    name = [rest.strip()]
    for k in range(1, min(len(rows), 5)):
        text = rows[k].text.strip()
        page = _PAGE_RE.match(text)
        if page is not None:
            head.rows.extend(rows[1 : k + 1])
            head.item.item = "".join(name)
            head.item.page = page.group()
            return rows[k], text[page.end() :].strip()
        if text:
            name.append(text)
    return rows[0], ""


def _last_page(text: str) -> re.Match[str] | None:
    found = [m for m in _PAGE_RE.finditer(text) if m.end() == len(text) or text[m.end()] in " \t"]
    return found[-1] if found else None


class _Queue:
    """Words of the item's head, line after line: department and division are taken from it."""

    def __init__(self, rows: Sequence[Row], next_index: int, first: tuple[Row, str]) -> None:
        self.rows = rows
        self.index = next_index
        self.current: tuple[Row, list[str]] = (first[0], _words(first[1]))
        self.taken: list[Row] = []

    def peek(self) -> str:
        """The next word, moving to the next line when this one is used up ('' at the end)."""
        while not self.current[1] and self.index < len(self.rows):
            row = self.rows[self.index]
            self.index += 1
            self.taken.append(row)
            self.current = (row, _words(row.text))
        return self.current[1][0] if self.current[1] else ""

    def same_line(self) -> str:
        """The next word if it is on the line already being read, else ''."""
        return self.current[1][0] if self.current[1] else ""

    def take(self, shapes: CellShapes, kind: str) -> str:
        """Take a department or division, joining a name wrapped over lines (福祉保健 / 部).

        A word that does not look like ``kind`` is still taken when it ends its line and is
        short (図書館 in the division column); otherwise nothing is taken.
        """
        word = self.peek()
        if not word:
            return ""
        if kind == "department" and not shapes.is_kind(word, kind):
            glued = _split_glued(word, shapes)
            if glued is not None:
                self.current[1][0] = glued[1]
                return glued[0]
        saved = (self.index, (self.current[0], list(self.current[1])), len(self.taken))
        text = self._pop()
        for _ in range(2):
            if self.same_line() or (shapes.is_kind(text, kind) and not text.endswith(_CONTINUED)):
                break
            following = _first_word(self.rows[self.index :])
            joined = text + following
            if not following or not (text.endswith(_CONTINUED) or shapes.is_kind(joined, kind)):
                break
            self.peek()
            text = text + self._pop()
        if shapes.is_kind(text, kind) or (
            kind == "division" and not self.same_line() and len(text) <= _SHORT_WORDS
        ):
            return text
        self.index, self.current = saved[0], saved[1]
        del self.taken[saved[2] :]
        return ""

    def pop_same_line(self) -> None:
        """Drop the next word of the current line (a 再掲 marker)."""
        self._pop()

    def rest(self) -> tuple[Row, str] | None:
        """The text left on the last head line: the first cell when it shares the line."""
        row, words = self.current
        return (row, " ".join(words)) if words else None

    def consumed_rows(self) -> list[Row]:
        """Rows after the item line that the head took."""
        return self.taken

    def _pop(self) -> str:
        return self.current[1].pop(0)


def _first_word(rows: Sequence[Row]) -> str:
    """The first word of the first non-blank row (what a wrapped name continues with)."""
    for row in rows:
        words = _words(row.text)
        if words:
            return words[0]
    return ""


def _words(text: str) -> list[str]:
    return [w for w in _WORD_RE.split(text.strip()) if w]


def _split_glued(word: str, shapes: CellShapes) -> tuple[str, str] | None:
    """``子ども家庭部子育て支援課`` -> (``子ども家庭部``, ``子育て支援課``), or None."""
    for match in re.finditer("部", word):
        head, tail = word[: match.end()], word[match.end() :]
        if tail and shapes.is_kind(head, "department"):
            return head, tail
    return None


# --- the cells: pieces of lines, aligned to the header's yearly columns -----------------------


def _pieces(
    cues: Cues, rest: tuple[Row, str] | None, body: Sequence[Row], result: ParseResult
) -> list[Piece]:
    """The item's body as pieces in reading order; blank and furniture lines are skipped."""
    pieces: list[Piece] = []
    if rest is not None:
        row, text = rest
        pieces.extend(_split_line(cues, row, text, "start", full=not text.endswith("。")))
    lines = [row.text.rstrip().lstrip(" \t") for row in body]
    own = [_display_width(text) for text in lines]
    widths = _block_widths(lines, own)
    boundary = "line" if pieces else "start"
    for row, text, width, widest in zip(body, lines, own, widths, strict=True):
        if not text.strip():
            result.ledger.skip(row, "blank")
            boundary = "blank" if pieces else boundary
            continue
        if cues.is_furniture(text, between_items=False):
            result.ledger.skip(row, "page_furniture")
            continue
        result.ledger.use(row)
        full = width >= widest - _FULL_SLACK
        pieces.extend(_split_line(cues, row, text, boundary, full=full))
        boundary = "line"
    return pieces


def _block_widths(lines: Sequence[str], own: Sequence[int]) -> list[int]:
    """For each line, the display width of the widest line of its block (lines between
    blanks), each line measured without its leading spaces; ``own`` is each line's width
    with them (the line as ``_pieces`` reads it: only ASCII spaces and tabs stripped before).

    Example:
        >>> _block_widths(["研修", "　講座を開催", "", "x"], [4, 12, 0, 1])
        [10, 10, 0, 1]
    """
    stripped = [
        width - _display_width(line[: len(line) - len(line.lstrip())])
        if line[:1].isspace()
        else width
        for line, width in zip(lines, own, strict=True)
    ]
    widths: list[int] = []
    block: list[int] = []
    for line, width in zip([*lines, ""], [*stripped, 0], strict=True):
        if line.strip():
            block.append(width)
            continue
        widths.extend([max(block, default=0)] * len(block))
        widths.append(0)
        block = []
    return widths[: len(lines)]


def _split_line(cues: Cues, row: Row, text: str, before: str, *, full: bool) -> list[Piece]:
    """Split a line where a space separates two columns (a rating next to a narrative).

    Example:
        >>> from pipeline.ingest.sources import Row
        >>> cues = Cues.load(Lexicons())
        >>> row = Row(0, 1, "1", [""])
        >>> pieces = _split_line(cues, row, "1回実施 協議のため、開催する。", "line", full=True)
        >>> [p.text for p in pieces]
        ['1回実施', '協議のため、開催する。']
    """
    parts: list[str] = []
    words = _words(text) if " " in text or "\t" in text else [text.strip()]  # one word at most
    for word in words:
        if parts and not _column_gap(cues, parts[-1], word):
            parts[-1] = f"{parts[-1]} {word}"
        else:
            parts.append(word)
    if not parts or not parts[0]:
        return []  # a line of white space only
    if text[:1] == "　":
        parts[0] = text[: len(text) - len(text.lstrip("　"))] + parts[0]
    last = len(parts) - 1
    return [
        _piece(row, part, before if k == 0 else "gap", full=full and k == last)
        for k, part in enumerate(parts)
    ]


def _piece(row: Row, text: str, before: str, *, full: bool) -> Piece:
    narrow = len(text) <= _NARROW and _display_width(text) <= _NARROW  # width >= len
    return Piece(row, text, before, full, narrow)


def _column_gap(cues: Cues, left: str, right: str) -> bool:
    """Whether a space between two words separates columns rather than words of one cell."""
    if cues.ratingness(left) >= 2 or cues.ratingness(right) >= 2:
        return True
    return left.endswith("。") and cues.ratingness(right) >= 1


def _align(cues: Cues, pieces: Sequence[Piece], slots: Sequence[Column]) -> list[tuple[int, int]]:
    """Cut the pieces into one (possibly empty) group per slot at the lowest total cost.

    A dynamic programme over (slot, pieces used): slot ``k`` takes the pieces ``i:j`` at the
    cost of starting a cell at ``i``, the joins inside it and how unlikely the group is as that
    slot's field; or none at all (``EMPTY_COST``). Each slot's step is one array operation;
    ties go to the earliest start, then to the empty group.
    """
    n = len(pieces)
    if not n:
        return [(0, 0)] * len(slots)
    grid = _grid(n)
    joins, breaks = _boundary_costs(cues, pieces)
    joined = np.array(list(itertools.accumulate(joins, initial=0.0)))
    inside = joined[None, :] - joined[grid.after][:, None]
    starts = np.array([*breaks, 0.0])  # breaks[0] is 0: the first cell starts for free
    group_costs = _group_costs(cues, pieces, {slot.field for slot in slots}, grid)
    best = np.zeros(n + 1)
    best[1:] = np.inf
    back: list[list[int]] = []
    choices = np.empty((n + 2, n + 1))  # rows: each start i, then the empty group
    for slot in slots:
        np.add((best + starts)[:, None], inside, out=choices[: n + 1])
        choices[: n + 1] += group_costs[slot.field]
        np.add(best, EMPTY_COST[slot.field], out=choices[n + 1])
        back.append(choices.argmin(axis=0).tolist())
        best = choices.min(axis=0)
    groups: list[tuple[int, int]] = []
    j = n
    for step in reversed(back):
        i = j if step[j] == n + 1 else step[j]
        groups.append((i, j))
        j = i
    return groups[::-1]


class _Grid(NamedTuple):
    """The index arrays of every group ``pieces[i:j]`` of ``n`` pieces, shared by the items of
    that many pieces: (n + 1) x (n + 1) arrays indexed ``[i, j]``."""

    size: np.ndarray  # j - i
    one: np.ndarray  # a group of one piece
    closed: np.ndarray  # 0.0 for a group of at least one piece, infinite for none
    inside: np.ndarray  # n x n: [i, k] piece k is in a group starting at i
    after: np.ndarray  # n + 1: i + 1, at most n


_GRIDS: dict[int, _Grid] = {}
_GRID_KEPT_PIECES = 64
"""Grids of at most this many pieces are kept (items of the samples have 14 to 70): 65 grids,
1.7 MB in all, 76 KB the largest; a larger grid (1.2 MB at 256 pieces) is built for its item."""


def _grid(n: int) -> _Grid:
    """The grid of ``n`` pieces, read-only (kept for the next item of that size when small).

    Example:
        >>> _grid(2).size.tolist(), _grid(2).closed[0].tolist()
        ([[0, 1, 2], [-1, 0, 1], [-2, -1, 0]], [inf, 0.0, 0.0])
        >>> _grid(2) is _grid(2), _grid(2).size.flags.writeable
        (True, False)
    """
    found = _GRIDS.get(n)
    if found is None:
        index = np.arange(n + 1)
        size = index[None, :] - index[:, None]
        found = _Grid(
            size=size,
            one=size == 1,
            closed=np.where(size > 0, 0.0, np.inf),
            inside=index[None, :n] >= index[:n, None],
            after=np.minimum(index + 1, n),
        )
        for array in found:
            array.flags.writeable = False
        if n <= _GRID_KEPT_PIECES:
            _GRIDS[n] = found
    return found


def _group_costs(
    cues: Cues, pieces: Sequence[Piece], field_names: set[str], grid: _Grid | None = None
) -> dict[str, np.ndarray]:
    """Per field, the (n + 1) x (n + 1) costs of group ``i:j`` (infinite where ``j <= i``).

    The facts of every group are built as arrays (running minimum of the pieces' ratingness,
    narrowness, length, how the group ends), then priced per field (see ``_field_costs``).
    """
    grid = grid or _grid(len(pieces))
    return _field_costs(_all_facts(cues, pieces, grid), grid, field_names)


class _Facts(NamedTuple):
    """What the alignment needs to know about every group ``pieces[i:j]``: (n + 1) x (n + 1)
    arrays indexed ``[i, j]`` (meaningless where ``size <= 0``)."""

    rating: np.ndarray
    narrow: np.ndarray
    size: np.ndarray
    length: np.ndarray
    past: np.ndarray
    plan: np.ndarray
    opens_with_rating: np.ndarray


def _all_facts(cues: Cues, pieces: Sequence[Piece], grid: _Grid | None = None) -> _Facts:
    """Facts of every group ``pieces[i:j]``: a group's rating is its own ratingness when it is
    one piece or short when joined, else the lowest of its pieces'; it is narrow when every
    piece is; its ending reads only its last two pieces (one ending per last piece and pair).

    Example:
        >>> from pipeline.ingest.sources import Row
        >>> cues = Cues.load(Lexicons())
        >>> row = Row(0, 1, "1", [""])
        >>> pieces = [Piece(row, t, "line", False, True) for t in ["実施", "研修を実施した。"]]
        >>> facts = _all_facts(cues, pieces)
        >>> int(facts.rating[0, 1]), int(facts.rating[1, 2]), int(facts.size[0, 2])
        (3, 0, 2)
    """
    n = len(pieces)
    grid = grid or _grid(n)
    texts = [piece.text for piece in pieces]
    gaps = ["", *map(_gap, pieces[1:])]
    rated = [cues.ratingness(text) for text in texts]
    ratings = np.array(rated, dtype=np.int64)
    ends = list(itertools.accumulate(map(len, texts), initial=0))
    lengths = np.array(ends, dtype=np.int64)
    rating = np.zeros((n + 1, n + 1), dtype=np.int64)
    rating[:n, 1:] = np.minimum.accumulate(np.where(grid.inside, ratings, 3), axis=1)
    narrow = np.zeros((n + 1, n + 1), dtype=bool)
    narrows = np.array([p.narrow for p in pieces], dtype=bool)
    narrow[:n, 1:] = np.logical_and.accumulate(grid.inside <= narrows, axis=1)
    starts: list[int] = []
    stops: list[int] = []
    own: list[int] = []
    for i in range(n):
        joined = texts[i]  # _join(pieces[i:j]) grown piece by piece
        for j in range(i + 2, n + 1):
            if ends[j] - ends[i] > 3 * _SHORT:
                break  # long groups are narratives without looking
            joined += gaps[j - 1] + texts[j - 1]
            found = cues.ratingness(_trim(joined))
            if found:  # a short group rated as a whole (else: its lowest piece's rating)
                starts.append(i)
                stops.append(j)
                own.append(found)
    rating[starts, stops] = own
    alone = [cues.ending(_trim(text)) for text in ["", *texts]]  # _join([p])
    pairs = (texts[j - 2] + gaps[j - 1] + texts[j - 1] for j in range(2, n + 1))
    paired = [*alone[:2], *(cues.ending(_trim(pair)) for pair in pairs)]
    opens = np.zeros(n + 1, dtype=bool)
    opens[:n] = [not p.full and r >= 2 for p, r in zip(pieces, rated, strict=True)]
    return _Facts(
        rating=rating,
        narrow=narrow,
        size=grid.size,
        length=lengths[None, :] - lengths[:, None],
        past=_ends_as("past", grid.one, alone, paired),
        plan=_ends_as("plan", grid.one, alone, paired),
        opens_with_rating=opens[:, None] & (grid.size > 1),
    )


def _ends_as(kind: str, one: np.ndarray, alone: list[str], paired: list[str]) -> np.ndarray:
    """Whether each group ``[i, j]`` ends as ``kind``: a group of ``one`` piece by that piece's
    ending (``alone[j]``), a longer one by its last two pieces' (``paired[j]``)."""
    by_last = np.array([found == kind for found in alone])
    by_pair = np.array([found == kind for found in paired])
    return np.where(one, by_last, by_pair)


_RATING_COSTS = np.array([0.0, *(RATING_COST[k] for k in (1, 2, 3))])


def _field_costs(facts: _Facts, grid: _Grid, field_names: set[str]) -> dict[str, np.ndarray]:
    """How unlikely it is that each group is one cell of each field (infinite for no piece).

    A text field prices a rating-like group at its ``RATING_AS_TEXT_COST`` (half of it for a
    merely short group), plus the tense that does not fit it; the rating field prices the
    group by its ratingness, or a narrow or long text as a rating.
    """
    costs: dict[str, np.ndarray] = {}
    if "rating" in field_names:
        as_text = np.where(
            facts.narrow, NARROW_RATING_COST, TEXT_AS_RATING_COST + facts.length / 40
        )
        costs["rating"] = np.where(facts.rating > 0, _RATING_COSTS[facts.rating], as_text)
    ratingish = (facts.rating >= 2) | (facts.narrow & (facts.size > 1))
    share = np.where(ratingish, 1.0, np.where(facts.rating == 1, 0.5, 0.0))  # of the cost
    planned = np.where(facts.plan, TENSE_COST / 2, 0.0) + grid.closed
    for name in sorted(field_names - {"rating"}):
        cost = share * RATING_AS_TEXT_COST[name]
        if name == "plan":
            cost += np.where(facts.opens_with_rating, PLAN_OPENS_WITH_RATING_COST, 0.0)
            costs[name] = cost + np.where(facts.past, TENSE_COST, 0.0) + grid.closed
        else:
            costs[name] = cost + planned
    if "rating" in costs:
        costs["rating"] += grid.closed
    return dict(sorted(costs.items()))


def _boundary_costs(cues: Cues, pieces: Sequence[Piece]) -> tuple[list[float], list[float]]:
    """Cost of joining pieces ``i-1`` and ``i`` into one cell, and of starting a cell at ``i``.

    ``joins[i]`` is the cost for the boundary before piece ``i`` (``joins[0]`` is unused).
    """
    joins, breaks = [0.0], [0.0]
    for prev, cur in itertools.pairwise(pieces):
        if cur.before == "gap":
            joins.append(JOIN_GAP_COST)
            breaks.append(0.0)
        elif cur.before == "blank":
            joins.append(JOIN_BLANK_COST[prev.narrow and cur.narrow])
            breaks.append(0.0)
        else:
            opens = prev.narrow and not prev.text.endswith("。") and not cur.narrow
            joins.append(JOIN_AFTER_NARROW_COST if opens else 0.0)
            breaks.append(BREAK_LINE_COST[_line_break_kind(cues, prev, cur)])
    return joins, breaks


def _line_break_kind(cues: Cues, prev: Piece, cur: Piece) -> str:
    """``rating`` next to a rating-like piece, ``end`` after a line that ended early, else
    ``wrapped`` (a full line continues on the next one). A full line is never a rating."""
    if prev.narrow or any(not p.full and cues.ratingness(p.text) >= 2 for p in (prev, cur)):
        return "rating"
    if not prev.full or prev.text.endswith("。"):
        return "end"
    return "wrapped"


def _join(group: Sequence[Piece]) -> str:
    """The cell text: wrapped lines joined without spaces, leading spaces of the cell trimmed."""
    return _trim("".join((_gap(piece) if k else "") + piece.text for k, piece in enumerate(group)))


def _gap(piece: Piece) -> str:
    """What joins ``piece`` to the piece before it in one cell: a space across a gap."""
    return " " if piece.before == "gap" else ""


def _trim(text: str) -> str:
    """A joined cell's text without the spaces it starts and ends with."""
    return text.lstrip(" 　").rstrip()


def _log_repairs(
    walk: _Walk, pieces: Sequence[Piece], groups: Sequence[tuple[int, int]], index: int
) -> None:
    """Log the guesses: cell boundaries at a bare line break, joins across blanks, empty slots."""
    if not pieces:
        return
    result = walk.result
    slots = list(zip(walk.slots, groups, strict=True))
    empty = [slot_name(slot) for slot, (lo, hi) in slots if lo == hi]
    filled = [(slot, lo, hi) for slot, (lo, hi) in slots if lo < hi]
    for (left, _, _), (right, lo, _) in itertools.pairwise(filled):
        if pieces[lo].before == "line" and "rating" not in (left.field, right.field):
            message = (
                f"空行のない改行を「{slot_name(left)}」と「{slot_name(right)}」の境界と推定しました"
            )
            result.repair(pieces[lo].row, "joined_wrapped", message, index)
    crossed = False
    for slot, lo, hi in filled:
        for piece in pieces[lo + 1 : hi]:
            if piece.before == "blank":
                message = f"空行をはさむ行を「{slot_name(slot)}」の一つの欄として結合しました"
                result.repair(piece.row, "joined_wrapped", message, index)
            crossed = crossed or piece.before == "gap"
    if empty or crossed:
        blanks = "空欄は" + "、".join(f"「{name}」" for name in empty) if empty else "空欄なし"
        message = f"欄の区切りが印字されていないため、内容から欄を判断しました（{blanks}）"
        result.repair(pieces[0].row, "realigned", message, index)


def slot_name(slot: Column) -> str:
    """A year column as staff read it: its header label, with its fiscal year when the label
    does not say it.

    Example:
        >>> slot_name(Column("rating", 2021, "達成度（％）"))
        '令和3年度の達成度（％）'
    """
    label = " ".join(slot.label.split())
    return label if era_year(label) == slot.year else f"{era_label(slot.year)}の{label}"


LAYOUT = register(Layout("layout_text", score, parse))
