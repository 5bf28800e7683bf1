"""The reader: files -> one tidy entries table (plus indicators, opinions and a parse report).

Example:
    >>> tables = read(["data/samples/002_fb856b526bbf0244.txt"])
    >>> tables.entries.loc[0, ["item_no", "item", "status"]].str[:10].tolist()
    ['1', '学校内における相談体', '14校全校において、']
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from pipeline.ingest import (  # noqa: F401  (registration)
    indicator_table,
    layout_text,
    long_table,
    single_year,
    table,
)
from pipeline.ingest.base import LAYOUTS, ItemRow, Layout, ParseResult, Repair
from pipeline.ingest.columns import ColumnMap, Header, column_account, describe, has_narrative
from pipeline.ingest.headers import HeaderRules
from pipeline.ingest.link import LINK_COLUMNS, document_title, link_series
from pipeline.ingest.sources import SUFFIXES, ReadError, SourceDoc, load_rows
from pipeline.lexicons import Lexicons
from pipeline.schemas import (
    ENTRY_COLUMNS,
    INDICATOR_COLUMNS,
    OPINION_COLUMNS,
    REPORT_COLUMNS,
    YEAR_FIELDS,
    conform,
)

DEFAULT_INPUT = Path(__file__).resolve().parents[2] / "data" / "samples"
REPAIR_COLUMNS: tuple[str, ...] = (
    "source",
    "item_id",
    "line",
    "kind",
    "message",
    "item",
    "department",
    "division",
)
SKIP_COLUMNS: tuple[str, ...] = ("source", "reason", "lines")
COLUMN_COLUMNS: tuple[str, ...] = (
    "source",
    "header_line",  # where the header row is (12 or Sheet1!3)
    "column",  # 1-based column number
    "label",  # the header label as printed (a two-row header's upper cell first)
    "field",  # what hyoka reads the column as: status, plan, other, unknown ...
    "year",  # the fiscal year of the column's cells ('' when not yearly)
    "confidence",  # 1.0 label matched, a share when the cells decided, 0 unknown
    "cells",  # filled cells under the header in this column
)
"""The parse report's account of every column of every table header read."""


@dataclass
class Tables:
    """The reader's output as DataFrames (columns in ``pipeline.schemas``)."""

    entries: pd.DataFrame
    indicators: pd.DataFrame
    opinions: pd.DataFrame
    report: pd.DataFrame
    repairs: pd.DataFrame
    skips: pd.DataFrame
    errors: list[str] = field(default_factory=list)
    columns: pd.DataFrame = field(default_factory=lambda: conform(pd.DataFrame(), COLUMN_COLUMNS))
    links: pd.DataFrame = field(default_factory=lambda: conform(pd.DataFrame(), LINK_COLUMNS))
    """Items of one plan's yearly files linked to the previous file's items."""


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files to read, sorted and without repeats: folders become their readable files.

    The order of the arguments does not change the result.

    Example:
        >>> [p.name for p in expand_paths(["data/samples"])][:1]
        ['000_7f059ffc7f93b1c5.txt']
    """
    files: dict[Path, Path] = {}
    for raw in paths:
        path = Path(raw)
        found = (
            sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
            if path.is_dir()
            else [path]
        )
        for file in found:
            files.setdefault(file.resolve(), file)
    return sorted(files.values(), key=lambda p: (p.name, str(p.resolve())))


def source_names(files: Sequence[Path]) -> dict[Path, str]:
    """The ``source`` of each file: its name, or its path from the common folder on a clash.

    Example:
        >>> names = source_names([Path("a/plan.tsv"), Path("b/plan.tsv"), Path("a/x.txt")])
        >>> names[Path("b/plan.tsv")], names[Path("a/x.txt")]
        ('b/plan.tsv', 'x.txt')
    """
    counts = Counter(path.name for path in files)
    clashing = [path.resolve() for path in files if counts[path.name] > 1]
    root = Path(os.path.commonpath(clashing)) if clashing else Path()
    return {
        path: path.resolve().relative_to(root).as_posix() if counts[path.name] > 1 else path.name
        for path in files
    }


def read(
    paths: Sequence[str | Path] | str | Path = (),
    lexicons: Lexicons | None = None,
    names: Mapping[Path, str] | None = None,
    on_file: Callable[[], object] | None = None,
    column_map: ColumnMap | None = None,
) -> Tables:
    """Read every file (default ``data/samples/``) into Tables; bad files become ``errors``.

    A file that cannot be read is reported (one line naming it and the reason) and the other
    files are still processed. ``names`` overrides each file's ``source`` (see source_names);
    ``on_file`` is called after each file (a progress bar's step); ``column_map`` is the user's
    map of what columns hold (``hyoka columns``), applied to the files it names.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    lex = lexicons or Lexicons()
    rules = HeaderRules.load(lex)
    given = list(paths) or [DEFAULT_INPUT]
    files = expand_paths(given)
    if not files:
        message = f"{', '.join(map(str, given))}: no readable file ({', '.join(SUFFIXES)})"
        return _assemble([], [{"source": "", "error": message}], [message])
    names = names or source_names(files)
    parsed: list[tuple[SourceDoc, ParseResult]] = []
    reports: list[dict[str, object]] = []
    errors: list[str] = []
    for path in files:
        name = names.get(path, path.name)
        try:
            doc, result = parse_file(path, rules, lex, name, column_map)
        except ReadError as error:
            message = str(error)
        except Exception as error:  # a reader bug must not stop the other files
            message = f"{name}: could not be read (internal error {type(error).__name__}: {error})"
        else:
            parsed.append((doc, result))
            reports.append(_report_row(doc, result, rules))
            message = ""
        if message:
            errors.append(message)
            reports.append({"source": name, "error": message})
        if on_file is not None:
            on_file()
    return link_tables(_assemble(parsed, reports, errors), lex)


def link_tables(tables: Tables, lexicons: Lexicons) -> Tables:
    """Name every entry's plan and link the items of one plan's yearly files (``link.py``);
    the indicators and repairs of a linked item follow its new id.

    Example:
        >>> tables = read(["data/samples/001_28fb2938c92c7781.txt"])
        >>> tables.entries["plan_name"].iloc[0], len(tables.links)
        ('地域福祉計画の進捗状況及び評価表', 0)
    """
    titles = dict(zip(tables.report["source"], tables.report["title"], strict=True))
    entries, links = link_series(tables.entries, titles, lexicons.settings["ingest"])
    moved = {
        (str(link["source"]), str(link["source_item"])): str(link["item_id"])
        for link in links.to_dict("records")
    }
    return replace(
        tables,
        entries=conform(entries, ENTRY_COLUMNS),
        indicators=_relinked(tables.indicators, moved),
        repairs=_relinked(tables.repairs, moved),
        links=conform(links, LINK_COLUMNS),
    )


def _relinked(frame: pd.DataFrame, moved: Mapping[tuple[str, str], str]) -> pd.DataFrame:
    if not moved or frame.empty:
        return frame
    ids = [
        moved.get((str(source), str(item)), str(item))
        for source, item in zip(frame["source"], frame["item_id"], strict=True)
    ]
    return frame.assign(item_id=ids)


def parse_file(
    path: Path,
    rules: HeaderRules,
    lex: Lexicons,
    name: str | None = None,
    column_map: ColumnMap | None = None,
) -> tuple[SourceDoc, ParseResult]:
    """Decode one file, choose its layout by content and parse it; every row is accounted for.

    A file that yields no entry, or entries for fewer than half of its data rows, is a
    ReadError that lists the columns seen and names ``hyoka columns`` (never a silent zero).
    """
    limits = lex.settings["ingest"]
    doc = load_rows(
        path, max_rows=limits["max_xlsx_rows"], max_cells=limits["max_xlsx_cells"], lexicons=lex
    )
    doc.name = name or doc.name
    doc.column_map = column_map.spec_for(doc.name) if column_map else None
    layout = choose_layout(doc, rules)
    result = layout.parse(doc, rules, lex)
    result.repairs[:0] = [Repair(note.ref, note.kind, note.message) for note in doc.notes]
    for row in doc.rows:
        if not result.ledger.seen(row):
            if row.text.strip():
                result.repair(row, "unplaced", "行を表のどこにも割り当てられませんでした")
            result.ledger.skip(row, "unplaced" if row.text.strip() else "blank")
    check_yield(doc, result, float(limits["min_entry_share"]))
    return doc, result


def check_yield(doc: SourceDoc, result: ParseResult, share: float) -> None:
    """Raise ReadError when a file gives nothing a reviewer can use.

    No narrative column under any header, no entry at all, or entries for fewer than ``share``
    of the item rows: the message (Japanese, then English) lists the columns seen.

    Example:
        >>> check_yield(SourceDoc("a.csv", Path("a.csv"), "utf-8"), ParseResult("table"), 0.5)
        Traceback (most recent call last):
        ...
        pipeline.ingest.sources.ReadError: a.csv: 読み取れる事業の行がありません...
    """
    with_text = sum(
        any(value.strip() for fields in item.years.values() for value in fields.values())
        for item in result.items
    )
    seen = _columns_seen(result.headers)
    if result.headers and not any(has_narrative(header.columns) for header in result.headers):
        problem = (
            "実施状況・評価・計画などの記述の列が見つかりません",
            "no narrative column (status, evaluation, plan) was recognised",
        )
    elif with_text == 0:
        problem = ("読み取れる事業の行がありません", "no item row with text was read")
    elif with_text < share * len(result.items):
        problem = (
            f"{len(result.items)}行の事業のうち記述を読み取れたのは{with_text}行だけです",
            f"only {with_text} of {len(result.items)} item rows gave an entry",
        )
    else:
        return
    raise ReadError(
        f"{doc.name}: {problem[0]}（見出し: {seen or 'なし'}）。"
        f"`hyoka columns {doc.name}` で各列の読み方を確認し、`--columns` で指定してください。"
        f" / {problem[1]} (columns seen: {seen or 'none'}); run `hyoka columns` to see how "
        "each column is read and give a column map with `--columns`."
    )


def _columns_seen(headers: Sequence[Header]) -> str:
    """The first header's labels with what they were read as: 事業名=item, 実績=status."""
    if not headers:
        return ""
    return ", ".join(
        f"{column.label}={column.field}" for column in headers[0].columns if column.label
    )


def describe_files(
    paths: Sequence[str | Path], column_map: ColumnMap | None = None
) -> tuple[list[dict[str, object]], list[str]]:
    """The column account of every header of every file, and the files that could not be
    decoded; files whose reading fails later (a silent zero) are described all the same.

    Example:
        >>> accounts, failed = describe_files(["data/samples/002_fb856b526bbf0244.txt"])
        >>> [(a["field"], a["year"]) for a in accounts][6:8], failed
        ([('status', 2020), ('evaluation', 2020)], [])
    """
    lex = Lexicons()
    rules = HeaderRules.load(lex)
    files = expand_paths(paths)
    names = source_names(files)
    accounts: list[dict[str, object]] = []
    failed: list[str] = []
    limits = lex.settings["ingest"]
    for path in files:
        try:
            doc = load_rows(
                path, max_rows=limits["max_xlsx_rows"], max_cells=limits["max_xlsx_cells"]
            )
        except ReadError as error:
            failed.append(str(error))
            continue
        doc.name = names.get(path, path.name)
        doc.column_map = column_map.spec_for(doc.name) if column_map else None
        found = describe(doc, rules, lex)
        if not found:
            failed.append(
                f"{doc.name}: 見出し行が見つかりません（--columns の header_row で指定できます）"
                " / no header row found (a column map's header_row can name it)"
            )
        accounts.extend(found)
    return accounts, failed


def column_lines(accounts: Sequence[Mapping[str, object]]) -> list[str]:
    """The printed table of ``hyoka columns``: one line per column, grouped by header.

    Example:
        >>> column_lines([{"source": "a.csv", "header_line": "1", "column": 1, "label": "実績",
        ...                "field": "status", "year": 2022, "confidence": 1.0, "cells": 3}])[1]
        '     1  status       2022  1.00     3  実績'
    """
    lines: list[str] = []
    header: tuple[object, object] | None = None
    for account in accounts:
        if (account["source"], account["header_line"]) != header:
            header = (account["source"], account["header_line"])
            lines.append(
                f"{account['source']}（見出し {account['header_line']}行目）: "
                "列 / 読み方 field / 年度 year / 確信度 confidence / 記入 cells / 見出し label"
            )
        year = account["year"]
        shown = "" if year is None or year != year else str(year)
        lines.append(
            f"  {account['column']:>4}  {account['field']!s:<12} {shown:>4}  "
            f"{float(str(account['confidence'])):.2f}  {account['cells']:>4}  {account['label']}"
        )
    return lines


def choose_layout(doc: SourceDoc, rules: HeaderRules) -> Layout:
    """The registered layout that fits the document best, or ReadError if none does."""
    scored = sorted(
        ((layout.score(doc, rules), name) for name, layout in LAYOUTS.items()), reverse=True
    )
    if not scored or scored[0][0] <= 0:
        raise ReadError(
            f"{doc.name}: no recognisable table header (expected labels such as 実施内容, "
            "担当課, 令和N年度実施状況; see lexicons/headers.tsv)"
        )
    return LAYOUTS[scored[0][1]]


def item_id(source: str, item: ItemRow, ordinal: int) -> str:
    """A stable id for an item row: same input, same id.

    Example:
        >>> item_id("a.txt", ItemRow(ref="3", item="研修"), 0)
        '9fa3f09ddc1f'
    """
    key = "\x1f".join([source, item.section, item.item_no, item.item, item.division, str(ordinal)])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def _item_ids(source: str, items: list[ItemRow]) -> list[str]:
    seen: Counter[tuple[str, ...]] = Counter()
    ids = []
    for item in items:
        key = (item.section, item.item_no, item.item, item.division)
        ids.append(item_id(source, item, seen[key]))
        seen[key] += 1
    return ids


def _entry_rows(source: str, items: list[ItemRow], ids: list[str]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for item, identifier in zip(items, ids, strict=True):
        for year, slot in sorted(item.years.items()):  # years are distinct: dicts never compared
            fields = {name: slot.get(name, "") for name in YEAR_FIELDS}
            if not any(map(str.strip, fields.values())):
                continue
            rows.append(
                {
                    "source": source,
                    "item_id": identifier,
                    "item_no": item.item_no,
                    "section": item.section,
                    "item": item.item,
                    "department": item.department,
                    "division": item.division,
                    "page": item.page,
                    "fiscal_year": year,
                    **fields,
                    "source_line": item.ref,
                }
            )
    return rows


def _repair_row(
    source: str, repair: Repair, items: list[ItemRow], ids: list[str]
) -> dict[str, object]:
    """A repair with the item it concerns (so a checklist can address its division)."""
    item = None if repair.item is None else items[repair.item]
    return {
        "source": source,
        "item_id": "" if repair.item is None else ids[repair.item],
        "line": repair.ref,
        "kind": repair.kind,
        "message": repair.message,
        "item": item.item if item else "",
        "department": item.department if item else "",
        "division": item.division if item else "",
    }


def _log_items_without_text(result: ParseResult, with_text: set[str], ids: list[str]) -> None:
    """An item row with no text in any year yields no entry: say so in the repair log."""
    for index, (item, identifier) in enumerate(zip(result.items, ids, strict=True)):
        if identifier not in with_text and not any(r.item == index for r in result.repairs):
            message = (
                f"「{item.item}」（{item.division or '担当課なし'}）はどの年度にも記載がありません"
            )
            result.repairs.append(Repair(item.ref, "no_text", message, index))


def _report_row(doc: SourceDoc, result: ParseResult, rules: HeaderRules) -> dict[str, object]:
    return {
        "source": doc.name,
        "title": document_title(doc, rules) or Path(doc.name).stem,
        "encoding": doc.encoding,
        "layout": result.layout,
        "lines_read": doc.lines_read,
        "lines_used": result.ledger.lines_used,
        "lines_skipped": sum(result.ledger.skipped.values()),
        "indicator_rows": len(result.indicators),
        "opinions": len(result.opinions),
        "repairs": len(result.repairs),
        "error": "",
    }


def _assemble(
    parsed: list[tuple[SourceDoc, ParseResult]],
    reports: list[dict[str, object]],
    errors: list[str],
) -> Tables:
    entries: list[dict[str, object]] = []
    indicators: list[dict[str, object]] = []
    opinions: list[dict[str, object]] = []
    repairs: list[dict[str, object]] = []
    skips: list[dict[str, object]] = []
    columns: list[dict[str, object]] = []
    entry_counts: dict[str, int] = {}
    for doc, result in parsed:
        columns.extend(column_account(doc, result.headers))
        ids = _item_ids(doc.name, result.items)
        rows = _entry_rows(doc.name, result.items, ids)
        _log_items_without_text(result, {str(row["item_id"]) for row in rows}, ids)
        entry_counts[doc.name] = len(rows)
        entries.extend(rows)
        indicators.extend(
            {
                "source": doc.name,
                "item_id": ids[ind.item],
                "indicator": ind.indicator,
                "direction": ind.direction,
                "fiscal_year": ind.fiscal_year,
                "value_raw": ind.value_raw,
                "value": ind.value,
            }
            for ind in result.indicators
        )
        opinions.extend(
            {
                "source": doc.name,
                "goal": o.goal,
                "item_no": o.item_no,
                "title": o.title,
                "text": o.text,
            }
            for o in result.opinions
        )
        repairs.extend(_repair_row(doc.name, r, result.items, ids) for r in result.repairs)
        skips.extend(
            {"source": doc.name, "reason": reason, "lines": count}
            for reason, count in sorted(result.ledger.skipped.items())
        )
    for report in reports:
        report["entries"] = entry_counts.get(str(report["source"]), 0)
    return Tables(
        entries=conform(pd.DataFrame(entries), ENTRY_COLUMNS),
        indicators=conform(pd.DataFrame(indicators), INDICATOR_COLUMNS),
        opinions=conform(pd.DataFrame(opinions), OPINION_COLUMNS),
        report=_conform_report(pd.DataFrame(reports)),
        repairs=conform(pd.DataFrame(repairs), REPAIR_COLUMNS),
        skips=_conform_skips(pd.DataFrame(skips)),
        errors=errors,
        columns=conform(pd.DataFrame(columns), COLUMN_COLUMNS),
    )


def _conform_report(report: pd.DataFrame) -> pd.DataFrame:
    out = conform(report, REPORT_COLUMNS)
    for name in REPORT_COLUMNS[3:10]:
        out[name] = pd.to_numeric(out[name], errors="coerce").fillna(0).astype(int)
    return out


def _conform_skips(skips: pd.DataFrame) -> pd.DataFrame:
    out = conform(skips, SKIP_COLUMNS)
    out["lines"] = pd.to_numeric(out["lines"], errors="coerce").fillna(0).astype(int)
    return out
