"""Layout reader 'long': one row per item and fiscal year, the year in a column of its own.

Tables pulled out of 事務事業評価書 page by page, or kept as a database export, print one
row per item and evaluation year (評価年度 | 対象年度 | 整理番号 | 事業名 | 部局 | 課室 |
実績評価と要因 | …).
The rows are read as a delimited table (``table.py``), each row's year taken from its year column
(評価年度 R6 -> results of FY2023); then the rows of one item are gathered into one item with
its years, so the detectors compare its years as they compare the year columns of a wide table.
An item is the same when its printed id agrees, else its name and division.

Example:
    >>> from pipeline.ingest.sources import Row, SourceDoc
    >>> from pathlib import Path
    >>> rows = [["年度", "事業名", "担当課", "実績"],
    ...         ["R4", "研修", "健康課", "研修を2回開催した。"],
    ...         ["R5", "研修", "健康課", "研修を3回開催した。"]]
    >>> doc = SourceDoc("t.tsv", Path("t.tsv"), "utf-8",
    ...                 [Row(i, i + 1, str(i + 1), cells) for i, cells in enumerate(rows)])
    >>> result = parse(doc, HeaderRules.load(), Lexicons())
    >>> [(item.item, sorted(item.years)) for item in result.items]
    [('研修', [2022, 2023])]
"""

from __future__ import annotations

from pipeline.eras import era_label
from pipeline.ingest import table
from pipeline.ingest.base import ItemRow, Layout, ParseResult, Repair, register
from pipeline.ingest.cells import fold
from pipeline.ingest.columns import header_rows, mapped_columns
from pipeline.ingest.headers import HeaderRules
from pipeline.ingest.sources import SourceDoc
from pipeline.lexicons import Lexicons

HEADER_SCORE = 1.5
"""Above the wide reader (1.0): a header with a year column is a long table."""


def score(doc: SourceDoc, rules: HeaderRules) -> float:
    """1.5 when a header row has a year column (評価年度, 対象年度, 年度), else 0.

    Example:
        >>> from pipeline.ingest.sources import Row
        >>> from pathlib import Path
        >>> cells = ["評価年度", "整理番号", "事業名", "課室", "実績評価と要因"]
        >>> score(SourceDoc("t", Path("t"), "utf-8", [Row(0, 1, "1", cells)]), HeaderRules.load())
        1.5
    """
    for row in header_rows(doc, rules):
        if any(column.field == "year" for column in mapped_columns(row, rules, doc.column_map)):
            return HEADER_SCORE
    return 0.0


def parse(doc: SourceDoc, rules: HeaderRules, lexicons: Lexicons) -> ParseResult:
    """Read the rows as a table, then gather each item's yearly rows into one item."""
    result = table.parse(doc, rules, lexicons)
    result.layout = "long"
    gather(result)
    return result


def gather(result: ParseResult) -> None:
    """Merge the rows of one item (same number and name, else same name and division) into
    the first of them; repairs and indicators follow their item. Two rows of one item for the
    same year keep both texts, joined, and the second is logged as ``duplicate_year``."""
    keep: list[ItemRow] = []
    where: dict[tuple[str, ...], int] = {}
    moved: dict[int, int] = {}
    for index, item in enumerate(result.items):
        key = _key(item)
        target = where.setdefault(key, len(keep))
        moved[index] = target
        if target == len(keep):
            keep.append(item)
            continue
        _merge(keep[target], item, result, target)
    for repair in result.repairs:
        if repair.item is not None:
            repair.item = moved[repair.item]
    for indicator in result.indicators:
        indicator.item = moved[indicator.item]
    result.items = keep


def _key(item: ItemRow) -> tuple[str, ...]:
    """An item's printed id (整理番号, 事務事業ID) when it has one, else its name and division:
    in a long table the id stays while the name is reworded between years."""
    if item.item_no:
        return (fold(item.item_no),)
    return ("", "".join(fold(item.item).split()), fold(item.division))


def _merge(first: ItemRow, other: ItemRow, result: ParseResult, target: int) -> None:
    for year, fields in other.years.items():
        slot = first.years.setdefault(year, {})
        if any(slot.values()):
            message = (
                f"「{first.item}」の{era_label(year)}の行が2つあるため、記述をつなげて読みました"
            )
            result.repairs.append(Repair(other.ref, "duplicate_year", message, target))
        for name, text in fields.items():
            slot[name] = "\n".join(filter(None, [slot.get(name, ""), text]))


LAYOUT = register(Layout("long", score, parse))
