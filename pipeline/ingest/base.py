"""What every layout reader returns, and the ledger that proves nothing was lost.

A layout reader (``table``, ``layout_text``, ``indicator_table``) gets a decoded SourceDoc and
returns a ParseResult: item rows (one per item x division row, with text per fiscal year),
indicator rows, committee opinions, and a Ledger in which every input row is either used or
skipped with a reason. Repairs (realigned cells, moved indicator rows, joined wrapped lines)
are logged with the row they happened at.

Example:
    >>> ledger = Ledger()
    >>> ledger.skip(Row(0, 1, "1", [""]), "blank")
    >>> dict(ledger.skipped)
    {'blank': 1}
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.ingest.columns import Header
from pipeline.ingest.headers import HeaderRules
from pipeline.ingest.sources import Row, SourceDoc
from pipeline.lexicons import Lexicons


@dataclass
class ItemRow:
    """One item (x division row) with its text per fiscal year.

    ``years`` maps a fiscal year to ``{"status": ..., "evaluation": ..., "rating": ...,
    "plan": ...}`` (missing keys mean empty).
    """

    ref: str
    item: str
    item_no: str = ""
    section: str = ""
    department: str = ""
    division: str = ""
    page: str = ""
    years: dict[int, dict[str, str]] = field(default_factory=dict)


@dataclass
class IndicatorRow:
    """One indicator value of an item: ``item`` is the index of its ItemRow in the result."""

    ref: str
    item: int
    indicator: str
    direction: str
    fiscal_year: int
    value_raw: str
    value: float | None


@dataclass
class Opinion:
    """A committee opinion printed in the document (001's ``<p>`` block)."""

    ref: str
    goal: str
    item_no: str
    title: str
    text: str


@dataclass
class Repair:
    """Something the reader had to fix or could not place; ``item`` indexes the ItemRow."""

    ref: str
    kind: str
    message: str
    item: int | None = None


class Ledger:
    """Where every input row went: used, or skipped with a reason. Each row is counted once."""

    def __init__(self) -> None:
        self.used: set[int] = set()
        self.skipped: Counter[str] = Counter()
        self._skipped_rows: set[int] = set()
        self.line_spans: dict[int, int] = {}

    def use(self, row: Row) -> None:
        """Mark ``row`` as feeding an entry, indicator or opinion."""
        if row.index not in self._skipped_rows:
            self.used.add(row.index)
            self.line_spans[row.index] = row.span

    def skip(self, row: Row, reason: str) -> None:
        """Mark ``row`` as skipped for ``reason`` (blank, heading, repeated_header...)."""
        if row.index in self.used or row.index in self._skipped_rows:
            return
        self._skipped_rows.add(row.index)
        self.skipped[reason] += row.span

    def seen(self, row: Row) -> bool:
        """Whether ``row`` is already accounted for."""
        return row.index in self.used or row.index in self._skipped_rows

    @property
    def lines_used(self) -> int:
        """Physical lines in used rows."""
        return sum(self.line_spans.values())


@dataclass
class ParseResult:
    """Everything one layout reader got out of one document."""

    layout: str
    items: list[ItemRow] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)
    opinions: list[Opinion] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    ledger: Ledger = field(default_factory=Ledger)
    headers: list[Header] = field(default_factory=list)
    """The table headers read (what each column holds), for the parse report's account."""

    def repair(self, row: Row, kind: str, message: str, item: int | None = None) -> None:
        """Log a repair made at ``row``."""
        self.repairs.append(Repair(row.ref, kind, message, item))


@dataclass(frozen=True)
class Layout:
    """A layout reader: ``score`` says how well it fits a document (0 = not at all)."""

    name: str
    score: Callable[[SourceDoc, HeaderRules], float]
    parse: Callable[[SourceDoc, HeaderRules, Lexicons], ParseResult]


LAYOUTS: dict[str, Layout] = {}


def register(layout: Layout) -> Layout:
    """Add a layout reader to the registry (called by each reader module at import)."""
    LAYOUTS[layout.name] = layout
    return layout
