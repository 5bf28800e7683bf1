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
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.ingest import indicator_table, layout_text, table  # noqa: F401  (registration)
from pipeline.ingest.base import LAYOUTS, ItemRow, Layout, ParseResult, Repair
from pipeline.ingest.headers import HeaderRules
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
) -> Tables:
    """Read every file (default ``data/samples/``) into Tables; bad files become ``errors``.

    A file that cannot be read is reported (one line naming it and the reason) and the other
    files are still processed. ``names`` overrides each file's ``source`` (see source_names);
    ``on_file`` is called after each file (a progress bar's step).
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
            doc, result = parse_file(path, rules, lex, name)
        except ReadError as error:
            message = str(error)
        except Exception as error:  # a reader bug must not stop the other files
            message = f"{name}: could not be read (internal error {type(error).__name__}: {error})"
        else:
            parsed.append((doc, result))
            reports.append(_report_row(doc, result))
            message = ""
        if message:
            errors.append(message)
            reports.append({"source": name, "error": message})
        if on_file is not None:
            on_file()
    return _assemble(parsed, reports, errors)


def parse_file(
    path: Path, rules: HeaderRules, lex: Lexicons, name: str | None = None
) -> tuple[SourceDoc, ParseResult]:
    """Decode one file, choose its layout by content and parse it; every row is accounted for."""
    limits = lex.settings["ingest"]
    doc = load_rows(
        path, max_rows=limits["max_xlsx_rows"], max_cells=limits["max_xlsx_cells"], lexicons=lex
    )
    doc.name = name or doc.name
    layout = choose_layout(doc, rules)
    result = layout.parse(doc, rules, lex)
    result.repairs[:0] = [Repair(note.ref, note.kind, note.message) for note in doc.notes]
    for row in doc.rows:
        if not result.ledger.seen(row):
            if row.text.strip():
                result.repair(row, "unplaced", "行を表のどこにも割り当てられませんでした")
            result.ledger.skip(row, "unplaced" if row.text.strip() else "blank")
    return doc, result


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
        for year in sorted(item.years):
            fields = {name: item.years[year].get(name, "") for name in YEAR_FIELDS}
            if not any(value.strip() for value in fields.values()):
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


def _report_row(doc: SourceDoc, result: ParseResult) -> dict[str, object]:
    return {
        "source": doc.name,
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
    entry_counts: dict[str, int] = {}
    for doc, result in parsed:
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
