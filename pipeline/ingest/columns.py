"""What each column of a table holds: role, year and how sure hyoka is (``hyoka columns``).

A header is found by its labels (``lexicons/headers.tsv``) in any row, after titles and blank
rows. The row just above it joins it when it groups the columns (a year merged over 実施状況 |
評価, or 自己評価 over ①妥当性 | 理由). The sheet's evaluation year is read from the title rows
above (令和7年度 事務事業評価シート) or the sheet's name, for labels such as 前年度実績. A label
that allows two fields (評価: evaluation or rating) is decided by the column's own cells. A
user's column map (``--columns MAP.yaml``) overrides any of it.

Example:
    >>> from pipeline.ingest.sources import Row
    >>> rows = [Row(0, 1, "1", ["", "令和4年度", ""]), Row(1, 2, "2", ["事業名", "実績", "評価"]),
    ...         Row(2, 3, "3", ["研修", "研修を2回開催した。", "A"])]
    >>> header = find_header(rows, 1, HeaderRules.load(), Lexicons())
    >>> [(c.field, c.year) for c in header.columns], header.group_row
    ([('item', None), ('status', 2022), ('rating', 2022)], 0)
"""

from __future__ import annotations

import fnmatch
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from pipeline.eras import printed_year
from pipeline.ingest.cells import fold, strip_tags
from pipeline.ingest.headers import FIELDS, Column, HeaderRules, label_key
from pipeline.ingest.sources import ReadError, Row, SourceDoc
from pipeline.lexicons import Lexicons

NARRATIVE_FIELDS: tuple[str, ...] = ("status", "evaluation", "plan", "other", "reason")
"""Fields whose text the detectors read: a table without any of them yields nothing."""


@dataclass(frozen=True)
class Header:
    """A table header: its columns, the row indexes it spans and how sure each column is."""

    row: int
    columns: list[Column]
    confidence: list[float]
    group_row: int | None = None
    current: int | None = None
    """The sheet's evaluation year (for 前年度 / 今年度 labels), None when not printed."""


@dataclass(frozen=True)
class ColumnMap:
    """A user's column map: per file pattern, the field and year of columns by index or label.

    YAML::

        files:
          "jimu_*.xlsx":            # a file name or glob
            evaluation_year: 2025   # optional: the year 前年度 / 今年度 are read against
            header_row: 3           # optional: the header's row (1-based line or sheet row)
            columns:
              - {column: 5, field: status, year: 2024}     # 1-based column number
              - {label: 課長等意見, field: other}
    """

    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    path: str = ""

    @classmethod
    def load(cls, path: str | Path) -> ColumnMap:
        """Read a column map, or raise ReadError naming the file and what is wrong.

        Example:
            >>> import tempfile, pathlib
            >>> p = pathlib.Path(tempfile.mkdtemp()) / "map.yaml"
            >>> _ = p.write_text("files: {'a.csv': {columns: [{column: 2, field: plan}]}}")
            >>> ColumnMap.load(p).files["a.csv"]["columns"][0]["field"]
            'plan'
        """
        name = str(path)
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except OSError as error:
            raise ReadError(
                f"{name}: 列の対応表を読めません / cannot read the column map ({error})"
            ) from None
        except yaml.YAMLError as error:
            raise ReadError(
                f"{name}: 列の対応表の書式が正しくありません / not valid YAML ({error})"
            ) from None
        files = data.get("files") if isinstance(data, dict) else None
        if not isinstance(files, dict):
            raise ReadError(f"{name}: 'files:' がありません / the map needs a 'files:' mapping")
        for pattern, spec in files.items():
            _check_spec(name, str(pattern), spec)
        return cls({str(k): v for k, v in files.items()}, name)

    def spec_for(self, source: str) -> dict[str, Any] | None:
        """The map's entry for a file name (exact name first, then the first matching glob)."""
        if source in self.files:
            return self.files[source]
        base = Path(source).name
        return next(
            (spec for pattern, spec in self.files.items() if fnmatch.fnmatch(base, pattern)),
            None,
        )


def _check_spec(name: str, pattern: str, spec: object) -> None:
    columns = spec.get("columns", []) if isinstance(spec, dict) else None
    if not isinstance(columns, list):
        raise ReadError(f"{name}: {pattern}: 'columns:' は一覧にしてください / must be a list")
    for number, column in enumerate(columns, start=1):
        if not isinstance(column, dict) or not ({"column", "label"} & set(column)):
            raise ReadError(
                f"{name}: {pattern}: {number}番目の列に column か label がありません / "
                "each entry needs 'column' (1-based) or 'label'"
            )
        if column.get("field") not in (*FIELDS, "unknown"):
            raise ReadError(
                f"{name}: {pattern}: field {column.get('field')!r} は使えません / "
                f"field must be one of {', '.join(FIELDS)}"
            )


def find_header(
    rows: Sequence[Row],
    at: int,
    rules: HeaderRules,
    lexicons: Lexicons,
    spec: Mapping[str, Any] | None = None,
) -> Header:
    """The columns of the header row ``rows[at]``, with its group row and evaluation year.

    ``rows`` are the rows of one part (worksheet) in order, ``at`` an index into them.
    """
    settings = lexicons.settings["ingest"]
    cells = [strip_tags(cell) for cell in rows[at].cells]
    group_row = _group_row(rows, at, rules)
    groups = _filled_right(rows[group_row].cells, len(cells)) if group_row is not None else []
    current = _evaluation_year(rows, at, rules, int(settings["title_rows"]), spec)
    columns = reasons_as_evaluations(rules.columns(cells, groups, current))
    samples = _samples(rows, at, rules, int(settings["rows_sampled"]))
    resolved = [_resolve(column, index, samples, settings) for index, column in enumerate(columns)]
    columns = [column for column, _ in resolved]
    confidence = [share for _, share in resolved]
    if spec:
        columns, confidence = _apply_map(columns, confidence, spec)
    return Header(at, columns, confidence, group_row, current)


def reasons_as_evaluations(columns: list[Column]) -> list[Column]:
    """A reason column (①妥当性 | 理由) is the evaluation of the rating on its left, named
    after it when its own label is only 理由.

    Example:
        >>> cols = HeaderRules.load().columns(["①妥当性", "理由", "見直し区分", "見直し理由"])
        >>> [(c.field, c.label) for c in reasons_as_evaluations(cols)][1::2]
        [('evaluation', '①妥当性 理由'), ('evaluation', '見直し理由')]
    """
    out: list[Column] = []
    rating = ""
    for column in columns:
        if column.field == "rating":
            rating = column.label
        if column.field == "reason":
            own = column.label
            label = f"{rating} {own}" if rating and len(label_key(own)) <= 2 else own
            column = Column("evaluation", column.year, label, "", column.rule)
        out.append(column)
    return out


def _group_row(rows: Sequence[Row], at: int, rules: HeaderRules) -> int | None:
    """The row right above a header when it groups the header's columns.

    It holds short cells only, and either names a year (令和4年度 merged over 実施状況 | 評価)
    or holds a label over an empty header cell (事業名 merged down over two rows). A title
    standing alone in the first column is not a group row.
    """
    if at == 0 or rows[at - 1].part != rows[at].part:
        return None
    cells = [fold(strip_tags(cell)) for cell in rows[at - 1].cells]
    below = [fold(strip_tags(cell)) for cell in rows[at].cells]
    filled = [(index, cell) for index, cell in enumerate(cells) if cell]
    if not filled or rules.is_header(cells) or (len(filled) == 1 and filled[0][0] == 0):
        return None
    if any(len(cell) > rules.label_chars // 2 or "。" in cell for _, cell in filled):
        return None
    names_year = any(printed_year(cell, rules.relative) is not None for _, cell in filled)
    over_empty = any(
        index < len(below) and not below[index] and rules.match(cell) for index, cell in filled
    )
    return at - 1 if names_year or over_empty else None


def _filled_right(cells: Sequence[str], width: int) -> list[str]:
    """Each cell repeated over the empty cells to its right (merged cells exported once).

    Example:
        >>> _filled_right(["", "令和4年度", "", "令和5年度"], 5)
        ['', '令和4年度', '令和4年度', '令和5年度', '令和5年度']
    """
    out, last = [], ""
    for index in range(width):
        cell = strip_tags(cells[index]).strip() if index < len(cells) else ""
        last = cell or last
        out.append(last)
    return out


def _evaluation_year(
    rows: Sequence[Row], at: int, rules: HeaderRules, limit: int, spec: Mapping[str, Any] | None
) -> int | None:
    """The year a sheet evaluates: the map's, else the first year printed in the title rows
    above the header, else in the sheet's name."""
    if spec and spec.get("evaluation_year"):
        return int(spec["evaluation_year"])
    for row in rows[max(0, at - limit) : at]:
        if row.part != rows[at].part or rules.is_header(row.cells):
            continue
        for cell in row.cells:
            year = printed_year(cell) if len(cell) <= 2 * rules.label_chars else None
            if year is not None:
                return year
    return printed_year(rows[at].part) if rows[at].part else None


def _samples(rows: Sequence[Row], at: int, rules: HeaderRules, limit: int) -> list[list[str]]:
    """Up to ``limit`` data rows under the header (until the next header or part)."""
    out: list[list[str]] = []
    for row in rows[at + 1 :]:
        if len(out) >= limit or row.part != rows[at].part or rules.is_header(row.cells):
            break
        if any(cell.strip() for cell in row.cells):
            out.append(row.cells)
    return out


def _resolve(
    column: Column, index: int, samples: Sequence[Sequence[str]], settings: Mapping[str, Any]
) -> tuple[Column, float]:
    """Decide a two-field label by its cells; the share of cells that agree is the confidence."""
    if column.field == "unknown":
        return column, 0.0
    if not column.alt:
        return column, 1.0
    cells = [fold(row[index]) for row in samples if index < len(row) and row[index].strip()]
    if not cells:
        return column, 0.5
    limit = int(settings["short_chars"])
    short = sum(len(cell) <= limit and "。" not in cell for cell in cells) / len(cells)
    if short >= float(settings["short_share"]):
        return replace(column, field=column.alt, alt=column.field), short
    return replace(column, alt=""), 1.0 - short


def _apply_map(
    columns: list[Column], confidence: list[float], spec: Mapping[str, Any]
) -> tuple[list[Column], list[float]]:
    """The user's column map wins over what the labels say (confidence 1.0)."""
    columns, confidence = list(columns), list(confidence)
    for entry in spec.get("columns", []):
        targets = (
            [int(entry["column"]) - 1]
            if "column" in entry
            else [i for i, c in enumerate(columns) if c.label.strip() == str(entry["label"])]
        )
        for index in targets:
            if not 0 <= index < len(columns):
                continue
            year = entry.get("year", columns[index].year)
            columns[index] = Column(
                str(entry["field"]), None if year is None else int(year), columns[index].label
            )
            confidence[index] = 1.0
    return columns, confidence


def has_narrative(columns: Sequence[Column]) -> bool:
    """Whether any column holds text the detectors read.

    Example:
        >>> has_narrative([Column("item", None, "事業名"), Column("status", 2022, "実績")])
        True
    """
    return any(column.field in NARRATIVE_FIELDS for column in columns)


def column_account(doc: SourceDoc, headers: Sequence[Header]) -> list[dict[str, object]]:
    """One row per column of every header: label, field, year, confidence, filled cells.

    Example:
        >>> doc = SourceDoc("a.csv", Path("a.csv"), "utf-8",
        ...     [Row(0, 1, "1", ["事業名", "実績"]), Row(1, 2, "2", ["研修", "開催した。"])])
        >>> header = Header(0, [Column("item", None, "事業名"), Column("status", 2024, "実績")],
        ...                 [1.0, 1.0])
        >>> [(r["label"], r["field"], r["year"], r["cells"]) for r in column_account(doc, [header])]
        [('事業名', 'item', None, 1), ('実績', 'status', 2024, 1)]
    """
    starts = [header.row for header in headers]
    rows: list[dict[str, object]] = []
    for number, header in enumerate(headers):
        end = starts[number + 1] if number + 1 < len(starts) else len(doc.rows)
        part = doc.rows[header.row].part
        width = len(header.columns)
        under = [row.cells[:width] for row in doc.rows[header.row + 1 : end] if row.part == part]
        filled = _filled_cells(under)
        for index, (column, confidence) in enumerate(
            zip(header.columns, header.confidence, strict=True)
        ):
            rows.append(
                {
                    "source": doc.name,
                    "header_line": doc.rows[header.row].ref,
                    "column": index + 1,
                    "label": column.label,
                    "field": column.field,
                    "year": column.year,
                    "confidence": round(confidence, 2),
                    "cells": filled[index] if index < len(filled) else 0,
                }
            )
    return rows


def _filled_cells(rows: Sequence[Sequence[str]]) -> list[int]:
    """How many of the rows fill each column (a cell of white space is empty; a short row
    leaves its last columns empty), counted column by column of the rows turned on their side.

    Example:
        >>> _filled_cells([["研修", " ", "A"], ["", "健康課"]])
        [1, 1, 1]
    """
    return [
        sum(map(bool, map(str.strip, column)))
        for column in itertools.zip_longest(*rows, fillvalue="")
    ]


def is_header_row(row: Row, rules: HeaderRules, spec: Mapping[str, Any] | None) -> bool:
    """A header by its labels, or the row the user's column map names as the header.

    Example:
        >>> row = Row(2, 3, "3", ["名称", "やったこと"])
        >>> is_header_row(row, HeaderRules.load(), None), is_header_row(row, HeaderRules.load(),
        ...                                                              {"header_row": 3})
        (False, True)
    """
    if spec and spec.get("header_row") is not None:
        return row.line == int(spec["header_row"])
    return rules.is_header(row.cells)


def header_rows(doc: SourceDoc, rules: HeaderRules) -> list[Row]:
    """The rows of ``doc`` that are headers (``is_header_row``), found once per document and
    rules: every layout's score and then the chosen reader ask.

    Example:
        >>> doc = SourceDoc("a.csv", Path("a.csv"), "utf-8", [
        ...     Row(0, 1, "1", ["事業名", "担当課", "令和4年度実績", "評価"]),
        ...     Row(1, 2, "2", ["研修", "健康課", "研修を開催した。", "A"])])
        >>> [row.line for row in header_rows(doc, HeaderRules.load())]
        [1]
    """
    asked: list[object] = [rules, doc.column_map, doc.rows, len(doc.rows)]
    memo = doc.header_memo
    if memo is None or any(
        before is not now and before != now for before, now in zip(memo[0], asked, strict=True)
    ):
        found = [row for row in doc.rows if is_header_row(row, rules, doc.column_map)]
        memo = doc.header_memo = (asked, found)
    return memo[1]


def mapped_columns(row: Row, rules: HeaderRules, spec: Mapping[str, Any] | None) -> list[Column]:
    """A header row's columns by their labels, with the user's column map applied (for the
    layout readers' scores; ``find_header`` gives the full reading).

    Example:
        >>> row = Row(0, 1, "1", ["名称", "年"])
        >>> [c.field for c in mapped_columns(row, HeaderRules.load(),
        ...                                  {"columns": [{"column": 2, "field": "year"}]})]
        ['unknown', 'year']
    """
    columns = rules.columns(row.cells)
    return _apply_map(columns, [1.0] * len(columns), spec)[0] if spec else columns


def describe(doc: SourceDoc, rules: HeaderRules, lexicons: Lexicons) -> list[dict[str, object]]:
    """What every column of every header of a document is read as (``hyoka columns``).

    Example:
        >>> doc = SourceDoc("a.csv", Path("a.csv"), "utf-8", [
        ...     Row(0, 1, "1", ["事業名", "担当課", "令和4年度実績", "評価"]),
        ...     Row(1, 2, "2", ["研修", "健康課", "研修を開催した。", "A"])])
        >>> accounts = describe(doc, HeaderRules.load(), Lexicons())
        >>> [(a["field"], a["year"]) for a in accounts]
        [('item', None), ('division', None), ('status', 2022), ('rating', 2022)]
    """
    headers = [
        find_header(doc.rows, row.index, rules, lexicons, doc.column_map)
        for row in header_rows(doc, rules)
    ]
    return column_account(doc, headers)


def map_yaml(accounts: Sequence[Mapping[str, object]]) -> str:
    """A column map (YAML) that says what hyoka read: edit a field or year, then pass it to
    ``hyoka run --columns``.

    Example:
        >>> print(map_yaml([{"source": "a.csv", "header_line": "1", "column": 1, "label": "実績",
        ...                  "field": "status", "year": 2022, "confidence": 1.0, "cells": 3}]))
        ... # doctest: +NORMALIZE_WHITESPACE
        # hyoka column map: what each column holds. Change a field
        ...
        files:
          a.csv:
            header_row: 1
            columns:
            - {column: 1, label: 実績, field: status, year: 2022}  # 確信度 1.0, 記入 3
    """
    lines = [
        "# hyoka column map: what each column holds. Change a field",
        "# (status 実施状況, evaluation 評価, rating 達成度・評価, plan 今後の計画,",
        "# other その他の記述, item 事業名, division 担当課, unknown 読まない …) or a year,",
        "# then run: hyoka run --columns THIS_FILE.yaml FILES",
        "files:",
    ]
    seen: set[tuple[str, str]] = set()
    for account in accounts:
        source, header = str(account["source"]), str(account["header_line"])
        if source not in {s for s, _ in seen}:
            lines += [
                f"  {_quoted(source)}:",
                f"    header_row: {_line_number(header)}",
                "    columns:",
            ]
        seen.add((source, header))
        year = account["year"]
        shown_year = "" if year is None or year != year else f", year: {int(str(year))}"
        lines.append(
            f"    - {{column: {account['column']}, label: {_quoted(str(account['label']))}, "
            f"field: {account['field']}{shown_year}}}  "
            f"# 確信度 {account['confidence']}, 記入 {account['cells']}"
        )
    return "\n".join(lines)


def _quoted(text: str) -> str:
    """A YAML scalar: plain when safe, else double-quoted."""
    dumped = yaml.safe_dump(text, allow_unicode=True, default_flow_style=True, width=1000)
    return dumped.strip().removesuffix("...").strip()


def _line_number(ref: str) -> str:
    """``Sheet1!3`` -> ``3``; ``12`` -> ``12``."""
    return ref.rsplit("!", 1)[-1]
