"""The Python API for notebooks: ``analyze`` the documents, ``filter`` the result, tabulate it.

``analyze`` is ``pipeline.runner.analyze`` taking one path or several and returning an
``Analysis``: the runner's ``Result`` (entries, tokens, findings, indicators ... as DataFrames)
plus ``filter`` (a smaller Analysis: one division, year, detector ...) and ``history`` (one
item's text across the years, changed words highlighted). The tabulating helpers below feed the
notebooks' plots; each returns a plain DataFrame, empty (with its columns) when there is nothing
to count, e.g. before any detector is registered.

Example:
    >>> result = analyze("data/samples")
    >>> view = result.filter(division="健康推進課", year=2021, detector="copy_paste")
    >>> view.entries["fiscal_year"].unique().tolist(), set(view.findings["detector"])
    ([2021], {'copy_paste'})
"""

from __future__ import annotations

import html
import numbers
import re
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler
from pandas.io.formats.style_render import CSSDict

from pipeline import runner
from pipeline.detectors.copy_paste import year_pairs
from pipeline.findings import FIELD_LABELS, Questions, era_label
from pipeline.ingest.columns import ColumnMap
from pipeline.lexicons import Lexicons
from pipeline.ratings import add_rating_columns, fold_cell
from pipeline.report.checklist import LABEL_COLUMNS, build_checklist, labelled_findings
from pipeline.schemas import OPTIONAL_FIELDS, TEXT_FIELDS, YEAR_FIELDS

REUSE_KINDS: tuple[str, ...] = ("identical", "numbers_only", "minor_edit")
"""copy_paste kinds that count as text re-used from the previous year."""

STOPPAGE_KINDS: tuple[str, ...] = ("suspended", "postponed")
"""covid kinds that count as the item not being carried out that year."""

OTHER_CAUSE_KINDS: tuple[str, ...] = ("suspended_other_cause",)
"""covid kinds whose cause is not COVID (left out of ``covid_after``)."""

RATED_KINDS: tuple[str, ...] = ("percent", "grade", "implemented")
"""Rating kinds shown as written (folded); other kinds are shown as ``<kind>``."""

HISTORY_STYLES: list[CSSDict] = [
    {"selector": "td", "props": "white-space: pre-wrap; vertical-align: top; min-width: 14em;"},
    {"selector": "mark", "props": "background-color: #ffe08a;"},
]
"""CSS of ``item_history``: cells keep their line breaks, changed words on yellow."""


def analyze(
    paths: str | Path | Sequence[str | Path] = (),
    lexicons: Lexicons | None = None,
    jobs: int = 1,
    progress: bool = False,
    columns: str | Path | None = None,
) -> Analysis:
    """Read ``paths`` (one file or folder, or several; default ``data/samples/``) and run it all.

    A path that does not exist raises FileNotFoundError; a file that gives nothing (unreadable,
    or no narrative recognised) is a warning naming it, and the other files are analysed.
    ``columns`` is a column map (see ``hyoka columns``).

    Example:
        >>> result = analyze("data/samples/002_fb856b526bbf0244.txt")
        >>> sorted(result.entries["fiscal_year"].unique().tolist())
        [2020, 2021]
        >>> analyze("no/such/file.csv")
        Traceback (most recent call last):
        ...
        FileNotFoundError: no/such/file.csv: ファイルがありません / no such file or folder
    """
    many = [paths] if isinstance(paths, str | Path) else list(paths)
    for path in many:
        if not Path(path).exists():
            raise FileNotFoundError(f"{path}: ファイルがありません / no such file or folder")
    column_map = ColumnMap.load(columns) if columns is not None else None
    result = runner.analyze(many, lexicons, jobs, progress, column_map)
    for message in result.errors:
        warnings.warn(message, stacklevel=2)
    values = {item.name: getattr(result, item.name) for item in fields(result)}
    return Analysis(**values, lexicons=lexicons)


def filter_result(
    result: runner.Result,
    *,
    source: str | Iterable[str] | None = None,
    division: str | None = None,
    year: int | Iterable[int] | None = None,
    item_id: str | Iterable[str] | None = None,
    detector: str | Iterable[str] | None = None,
) -> Analysis:
    """Keep the entries (and their tokens, indicators, findings) that match every criterion.

    ``division`` matches an entry whose division cell names it as a whole name (健康推進課 also
    matches ``介護保険課健康推進課``, but 福祉課 does not match 介護福祉課); ``year`` is one fiscal
    year or several; ``detector`` narrows the findings only. Findings without a fiscal year (a
    broken row, a renamed division) stay with their item unless ``year`` is given. Entries keep
    their index, so ``tokens.entry_id`` still points at them; the checklist (and the findings'
    ``group_id``) is rebuilt from what is kept.

    Example:
        >>> result = analyze("data/samples/003_a91a11d8f2677ccb.txt")
        >>> view = filter_result(result, year=[2019, 2020])
        >>> sorted(view.entries["fiscal_year"].unique().tolist())
        [2019, 2020]
    """
    entries = result.entries
    keep = _where(entries, source, division, item_id) & _matches(entries, "fiscal_year", year)
    entries = entries[keep]
    findings = result.findings
    undated = findings["fiscal_year"].isna() & _where(findings, source, division, item_id)
    kept = _same_entries(findings, entries) | (undated & (year is None))
    findings = findings[kept & _matches(findings, "detector", detector)]
    indicators = result.indicators[
        result.indicators["item_id"].isin(entries["item_id"])
        & _matches(result.indicators, "fiscal_year", year)
    ]
    lexicons = getattr(result, "lexicons", None)
    questions = Questions.load(lexicons)
    findings = findings.drop(columns=list(LABEL_COLUMNS), errors="ignore").reset_index(drop=True)
    checklist = build_checklist(entries, findings, questions, lexicons, result.report)
    values = {item.name: getattr(result, item.name) for item in fields(runner.Result)}
    values.update(
        entries=entries,
        findings=labelled_findings(findings, checklist, questions),
        indicators=indicators.reset_index(drop=True),
        opinions=result.opinions[result.opinions["source"].isin(entries["source"])],
        tokens=result.tokens[result.tokens["entry_id"].isin(entries.index)],
        checklist=checklist,
    )
    return Analysis(**values, lexicons=lexicons)


def _matches(frame: pd.DataFrame, column: str, wanted: Any) -> pd.Series:
    if wanted is None:
        return pd.Series(True, index=frame.index)
    scalar = isinstance(wanted, str | numbers.Integral)
    return frame[column].isin([wanted] if scalar else list(wanted))


_NAME_BOUNDARY = r"(?:^|(?<=[\s、,，・/()（）【】\[\]課室部係])|(?<=センター))"
"""Where a division name may start in a cell: at its start, after a separator, or right after
the previous name (``介護保険課健康推進課``, ``子ども家庭支援センター健康推進課``; the endings
of ``lexicons/cell_patterns.tsv``'s division names)."""


def _named(division: str) -> str:
    """The pattern of ``division`` named as a whole in a division cell.

    Example:
        >>> cells = pd.Series(["介護保険課健康推進課", "介護福祉課", "(福祉課)", "センター福祉課"])
        >>> cells.str.contains(_named("福祉課")).tolist()
        [False, False, True, True]
    """
    return _NAME_BOUNDARY + re.escape(division)


def _where(frame: pd.DataFrame, source: Any, division: str | None, item_id: Any) -> pd.Series:
    """Rows of entries or findings with this source, division and item (None: any)."""
    keep = _matches(frame, "source", source) & _matches(frame, "item_id", item_id)
    if division is not None:
        keep &= frame["division"].fillna("").str.contains(_named(division), regex=True)
    return keep


def _same_entries(findings: pd.DataFrame, entries: pd.DataFrame) -> pd.Series:
    keys = pd.MultiIndex.from_frame(entries[["item_id", "fiscal_year"]])
    return pd.Series(
        pd.MultiIndex.from_frame(findings[["item_id", "fiscal_year"]]).isin(keys),
        index=findings.index,
    )


def item_history(result: runner.Result, item_id: str) -> Styler:
    """One item side by side: a column per fiscal year, a row per field (実施状況 ... 今後の…).

    Words that changed since the previous year are wrapped in ``<mark>`` (difflib over the
    Sudachi tokens of the result; the rating cell is marked whole when it changed). All text is
    HTML-escaped. ``.to_html()`` gives the table; in a notebook it displays itself.

    Example:
        >>> result = analyze("data/samples/003_a91a11d8f2677ccb.txt")
        >>> "<mark>、市報</mark>" in item_history(result, "00c72337412a").to_html()
        True
    """
    rows = result.entries[result.entries["item_id"] == item_id].sort_values("fiscal_year")
    if rows.empty:
        raise KeyError(f"no entries for item_id {item_id!r}")
    fields = _shown_fields(rows)
    table = pd.DataFrame(
        {
            era_label(int(year)): [
                _marked_cell(result.tokens, rows, position, name) for name in fields
            ]
            for position, year in enumerate(rows["fiscal_year"])
        },
        index=[FIELD_LABELS[name] for name in fields],
    )
    first = rows.iloc[0]
    caption = f"{first['item']} ({first['division']}, {first['source']})"
    return (
        table.style.set_caption(html.escape(caption))
        .set_table_styles(HISTORY_STYLES)
        .format_index(escape="html", axis=0)
    )


@dataclass
class Analysis(runner.Result):
    """A ``Result`` with the notebook helpers attached (every Result consumer accepts it):
    ``filter`` is ``filter_result``, ``history`` is ``item_history``."""

    lexicons: Lexicons | None = None

    filter = filter_result
    history = item_history


def _shown_fields(rows: pd.DataFrame) -> list[str]:
    """The yearly fields of a view: optional ones only where some row holds text."""
    return [
        name
        for name in YEAR_FIELDS
        if name not in OPTIONAL_FIELDS or (name in rows and not rows[name].map(_is_blank).all())
    ]


def _marked_cell(tokens: pd.DataFrame, rows: pd.DataFrame, position: int, name: str) -> str:
    text = str(rows.iloc[position][name])
    if position == 0:
        return html.escape(text)
    before = str(rows.iloc[position - 1][name])
    if name not in TEXT_FIELDS:
        return html.escape(text) if text == before or not text else _wrap(text)
    before_spans = _token_spans(tokens, rows.index[position - 1], name, before)
    return highlight_changes(
        [before[start:end] for start, end in before_spans],
        text,
        _token_spans(tokens, rows.index[position], name, text),
    )


def _token_spans(
    tokens: pd.DataFrame, entry_id: Any, name: str, text: str
) -> list[tuple[int, int]]:
    cell = tokens[(tokens["entry_id"] == entry_id) & (tokens["field"] == name)]
    spans = sorted(zip(cell["start"].astype(int), cell["end"].astype(int), strict=True))
    return spans or ([(0, len(text))] if text else [])


def highlight_changes(before: Sequence[str], text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` as escaped HTML, its tokens (``spans``) not found in ``before`` in ``<mark>``.

    Runs of changed tokens share one mark, with the spaces between them.

    Example:
        >>> spans = [(0, 2), (2, 3), (3, 5), (5, 7)]
        >>> highlight_changes(["研修", "を", "実施"], "研修を2回実施", spans)
        '研修を<mark>2回</mark>実施'
    """
    words = [text[start:end] for start, end in spans]
    matcher = SequenceMatcher(a=list(before), b=words, autojunk=False)
    changed = {
        index
        for tag, _, _, first, last in matcher.get_opcodes()
        if tag in ("replace", "insert")
        for index in range(first, last)
    }
    pieces: list[list[Any]] = []  # [marked, text]
    cursor = 0
    for index, (start, end) in enumerate(spans):
        if index in changed and index - 1 in changed:
            pieces[-1][1] += text[cursor:end]
        else:
            pieces += [[False, text[cursor:start]], [index in changed, text[start:end]]]
        cursor = end
    pieces.append([False, text[cursor:]])
    return "".join(_wrap(piece) if marked else html.escape(piece) for marked, piece in pieces)


def _wrap(text: str) -> str:
    return f"<mark>{html.escape(text)}</mark>"


def overview(result: runner.Result) -> pd.DataFrame:
    """What was read, per document: entries, items, divisions, first and last fiscal year.

    Example:
        >>> overview(analyze("data/samples/002_fb856b526bbf0244.txt"))["items"].tolist()
        [25]
    """
    grouped = result.entries.groupby("source")
    return pd.DataFrame(
        {
            "entries": grouped.size(),
            "items": grouped["item_id"].nunique(),
            "divisions": grouped["division"].nunique(),
            "first_year": grouped["fiscal_year"].min(),
            "last_year": grouped["fiscal_year"].max(),
            "years": grouped["fiscal_year"].nunique(),
        }
    )


def rating_labels(entries: pd.DataFrame, lexicons: Lexicons | None = None) -> pd.Series:
    """Each entry's rating as a label: the folded cell for a percent, grade or 実施-like rating,
    else ``<kind>`` (``<none>`` for an empty or ``-`` cell, ``<text>``, ``<count>`` ...).

    Example:
        >>> rating_labels(pd.DataFrame({"rating": ["１００％", "A", "", "94団体"]})).tolist()
        ['100%', 'A', '<none>', '<count>']
    """
    rated = add_rating_columns(entries, lexicons)
    return pd.Series(
        [
            fold_cell(cell) if kind in RATED_KINDS else f"<{kind}>"
            for cell, kind in zip(rated["rating"], rated["rating_kind"], strict=True)
        ],
        index=entries.index,
        dtype=object,
    )


def rating_counts(result: runner.Result, top: int = 12) -> pd.DataFrame:
    """Rating distribution: a row per (source, fiscal_year), a column per rating label.

    The ``top`` most frequent labels keep their column; the rest are counted in ``<other>``.

    Example:
        >>> counts = rating_counts(analyze("data/samples/001_28fb2938c92c7781.txt"))
        >>> int(counts.loc[("001_28fb2938c92c7781.txt", 2024), "A"])
        41
    """
    labels = rating_labels(result.entries, getattr(result, "lexicons", None))
    kept = labels.value_counts().index[:top]
    labels = labels.where(labels.isin(kept), "<other>")
    table = pd.crosstab([result.entries["source"], result.entries["fiscal_year"]], labels)
    return table.rename_axis(columns="rating")


def empty_fields(result: runner.Result) -> pd.DataFrame:
    """Share of entries whose field is empty or only a dash, per (source, fiscal_year) and field.

    A field empty in every entry of a document's year is a column that year's table does not
    have (003 prints no plan for FY2023): it is NaN, so a heatmap leaves it blank.

    Example:
        >>> shares = empty_fields(analyze("data/samples/003_a91a11d8f2677ccb.txt"))
        >>> bool(pd.isna(shares.loc[("003_a91a11d8f2677ccb.txt", 2023), "plan"]))
        True
        >>> float(shares.loc[("003_a91a11d8f2677ccb.txt", 2021), "rating"])
        0.136
    """
    entries = result.entries
    blank = pd.DataFrame(
        {name: entries[name].map(_is_blank) for name in YEAR_FIELDS}, index=entries.index
    )
    keys = [entries["source"], entries["fiscal_year"]]
    shares = blank.groupby(keys).mean().round(3)
    return shares.where(shares < 1.0).rename_axis(columns="field")


def _is_blank(cell: object) -> bool:
    """Not quality's ``Rules.is_placeholder`` on purpose: empty or dashes only, not なし / 同上."""
    return all(unicodedata.category(char) in {"Pd", "Zs"} for char in fold_cell(str(cell)))


def reuse_shares(result: runner.Result, top: int = 15) -> pd.DataFrame:
    """Share of texts re-used from the previous year, per division (rows) and field (columns).

    The denominator is the non-empty texts whose item has the previous fiscal year; the numerator
    the copy_paste findings of ``REUSE_KINDS``. The ``top`` divisions with most such texts.

    Example:
        >>> shares = reuse_shares(analyze("data/samples/002_fb856b526bbf0244.txt"))
        >>> list(shares.columns)
        ['status', 'evaluation', 'plan']
    """
    pairs = _year_pairs(result.entries)
    reused = result.findings[
        (result.findings["detector"] == "copy_paste") & result.findings["kind"].isin(REUSE_KINDS)
    ]
    flagged = set(zip(reused["item_id"], reused["fiscal_year"], reused["field"], strict=True))
    pairs["reused"] = [
        key in flagged
        for key in zip(pairs["item_id"], pairs["fiscal_year"], pairs["field"], strict=True)
    ]
    shares = pairs.pivot_table(
        index="division", columns="field", values="reused", aggfunc="mean", observed=False
    ).reindex(columns=[name for name in TEXT_FIELDS if name in set(pairs["field"])])
    largest = pairs["division"].value_counts().index[:top]
    return shares.loc[[name for name in largest if name in shares.index]].round(3)


def _year_pairs(entries: pd.DataFrame) -> pd.DataFrame:
    """The non-blank texts of entries that are the later one of a copy_paste ``year_pairs``."""
    records = [
        {"source": source, "item_id": item, "fiscal_year": year, "row": row}
        for row, (source, item, year) in enumerate(
            zip(entries["source"], entries["item_id"], entries["fiscal_year"], strict=True)
        )
    ]
    later = entries.iloc[[current["row"] for _, current in year_pairs(records)]]
    long = later.melt(
        id_vars=["item_id", "fiscal_year", "division"],
        value_vars=list(TEXT_FIELDS),
        var_name="field",
        value_name="text",
    )
    return long[~long["text"].map(_is_blank)].reset_index(drop=True)


def most_reused(result: runner.Result, top: int = 10) -> pd.DataFrame:
    """Items with most re-used texts (copy_paste findings of ``REUSE_KINDS``), most first.

    Example:
        >>> most_reused(analyze("data/samples/003_a91a11d8f2677ccb.txt"), top=1).columns.tolist()
        ['item_id', 'source', 'item', 'division', 'reused', 'years', 'mean_score']
    """
    reused = result.findings[
        (result.findings["detector"] == "copy_paste") & result.findings["kind"].isin(REUSE_KINDS)
    ]
    grouped = reused.groupby("item_id", sort=False)
    table = pd.DataFrame(
        {
            "source": grouped["source"].first(),
            "item": grouped["item"].first(),
            "division": grouped["division"].first(),
            "reused": grouped.size(),
            "years": grouped["fiscal_year"].nunique(),
            "mean_score": grouped["score"].mean().round(3),
        }
    )
    table = table.sort_values(["reused", "mean_score"], ascending=False, kind="mergesort")
    return table.head(top).rename_axis("item_id").reset_index()


def kind_counts(result: runner.Result, detector: str, by: str = "fiscal_year") -> pd.DataFrame:
    """Findings of ``detector`` per ``by`` (e.g. ``fiscal_year`` or ``source``) and kind, the
    kinds under their Japanese labels (``lexicons/questions.tsv``).

    Example:
        >>> counts = kind_counts(analyze("data/samples/003_a91a11d8f2677ccb.txt"), "covid")
        >>> int(counts.loc[2020].sum()) > 0
        True
    """
    found = result.findings[result.findings["detector"] == detector]
    questions = Questions.load(getattr(result, "lexicons", None))
    labels = found["kind"].map(lambda kind: questions.label(detector, kind))
    return pd.crosstab(found[by], labels).rename_axis(index=by, columns="kind")


def stoppage_runs(result: runner.Result, min_years: int = 2) -> pd.DataFrame:
    """Items stopped by COVID (``STOPPAGE_KINDS``) in at least ``min_years`` consecutive years.

    Example:
        >>> runs = stoppage_runs(analyze("data/samples/003_a91a11d8f2677ccb.txt"))
        >>> runs.columns.tolist()
        ['item_id', 'source', 'item', 'division', 'first_year', 'last_year', 'years']
    """
    covid = result.findings[
        (result.findings["detector"] == "covid") & result.findings["kind"].isin(STOPPAGE_KINDS)
    ]
    rows = []
    for item_id, found in covid.groupby("item_id", sort=False):
        for first, last in _consecutive(sorted(set(found["fiscal_year"].astype(int)))):
            if last - first + 1 >= min_years:
                top = found.iloc[0]
                rows.append([item_id, top["source"], top["item"], top["division"], first, last])
    columns = ["item_id", "source", "item", "division", "first_year", "last_year"]
    runs = pd.DataFrame(rows, columns=columns)
    runs["years"] = runs["last_year"] - runs["first_year"] + 1
    return runs.sort_values("years", ascending=False, kind="mergesort").reset_index(drop=True)


def _consecutive(years: list[int]) -> list[tuple[int, int]]:
    """Maximal runs (first, last); covid's ``repeated`` walks back inline, no helper to share."""
    runs: list[tuple[int, int]] = []
    for year in years:
        if runs and year == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], year)
        else:
            runs.append((year, year))
    return runs


def covid_after(result: runner.Result, from_year: int | None = None) -> pd.DataFrame:
    """COVID findings in ``from_year`` or later (default: settings ``covid.reclassified_from``),
    other causes (``OTHER_CAUSE_KINDS``) left out.

    Example:
        >>> late = covid_after(analyze("data/samples/003_a91a11d8f2677ccb.txt"))
        >>> bool((late["fiscal_year"] >= 2023).all())
        True
    """
    if from_year is None:
        lexicons = getattr(result, "lexicons", None) or Lexicons()
        from_year = int(lexicons.settings["covid"]["reclassified_from"])
    findings = result.findings
    late = findings[
        (findings["detector"] == "covid")
        & (findings["fiscal_year"] >= from_year)
        & ~findings["kind"].isin(OTHER_CAUSE_KINDS)
    ]
    columns = ["source", "item", "division", "fiscal_year", "kind", "field", "evidence"]
    return late[columns].reset_index(drop=True)
