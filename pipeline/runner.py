"""The main job, plan by plan: read -> text layer -> every detector -> checklist -> writers.

Files are read one per task; the files of one plan (one document, or one plan's yearly files,
``plan_groups``) then go text -> detectors -> checklist -> their own outputs in one task, in
``jobs`` processes, so memory holds one plan at a time. ``analyze`` returns everything as
DataFrames (for notebooks and tests); ``run`` writes the reports all-or-nothing into one folder.
Each stage is timed and can show a progress bar.

Example:
    >>> result = analyze(["data/samples/002_fb856b526bbf0244.txt"])
    >>> sorted(result.timings)
    ['checklist', 'detect', 'read', 'text', 'tokens']
"""

from __future__ import annotations

import functools
import gc
import json
import os
import pickle
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from tqdm import tqdm

from pipeline.detectors import Context, forget_kept, run_all
from pipeline.findings import Questions
from pipeline.ingest import DEFAULT_INPUT, Tables, expand_paths, link_tables, read, source_names
from pipeline.ingest.columns import ColumnMap
from pipeline.ingest.link import is_yearly_series, series_of
from pipeline.lexicons import Lexicons
from pipeline.parse_report import build_parse_report
from pipeline.parse_report import summary_lines as read_summary_lines
from pipeline.report.checklist import (
    LABEL_COLUMNS,
    SEVERITY_LABELS,
    Checklist,
    Division,
    Plan,
    build_checklist,
    labelled_findings,
)
from pipeline.report.excel import write_excel
from pipeline.report.html import PlanEntry, write_html, write_plans_html
from pipeline.report.markdown import write_markdown
from pipeline.report.names import safe_file_name
from pipeline.report.output import (
    append_csv_parts,
    atomic_output,
    write_csv,
    write_json_listing,
)
from pipeline.schemas import FINDING_COLUMNS, TEXT_FIELDS, empty_frame, rows_by_source
from pipeline.text import TextLayer

OUTPUTS: tuple[str, ...] = (
    "index.html",
    "checklist.xlsx",
    "checklists/",
    "findings.csv",
    "entries.csv",
    "indicators.csv",
    "opinions.csv",
    "parse_report.json",
)
"""What ``run`` writes; with several plans, ``checklist.xlsx`` and ``checklists/`` are in each
plan's folder and ``index.html`` is the index of plans (and each plan's own page)."""
PLAN_OUTPUTS: tuple[str, ...] = ("index.html", "checklist.xlsx", "checklists/")
"""What each plan's folder holds when a run has several plans (the top ``index.html`` then
lists the plans)."""

TABLES: tuple[str, ...] = ("entries.csv", "findings.csv", "indicators.csv", "opinions.csv")
"""The tidy tables combined over the plans (each plan's rows appended in plan order)."""

PART_PREFIX = ".plan-"
"""A plan's outputs are written into ``<staging>/.plan-<n>`` and named when all are done."""

TABLE_PARTS = ".tables"
"""Inside the folder of a task's first plan while it is written: the task's rows of the
combined tables, plan after plan, and its files of the parse report (``REPORT_PART``)."""
REPORT_PART = "parse_report.jsonl"
"""In ``TABLE_PARTS``: the task's files of ``parse_report.json``, one JSON line each."""

Item = TypeVar("Item")
Done = TypeVar("Done")


@dataclass
class Result:
    """Everything one run produced, plus the seconds each stage took."""

    entries: pd.DataFrame
    indicators: pd.DataFrame
    opinions: pd.DataFrame
    findings: pd.DataFrame
    tokens: pd.DataFrame
    report: pd.DataFrame
    repairs: pd.DataFrame
    skips: pd.DataFrame
    checklist: Checklist
    errors: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    columns: pd.DataFrame = field(default_factory=pd.DataFrame)
    """What each column of each table header was read as (``pipeline.ingest.COLUMN_COLUMNS``)."""
    links: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Items linked across one plan's yearly files (``pipeline.ingest.link.LINK_COLUMNS``)."""

    @classmethod
    def of(
        cls,
        tables: Tables,
        findings: pd.DataFrame,
        checklist: Checklist,
        timings: dict[str, float] | None = None,
    ) -> Result:
        """The result of ``tables`` (the reader's part) with its findings and checklist; the
        tokens table is left empty."""
        return cls(
            entries=tables.entries,
            indicators=tables.indicators,
            opinions=tables.opinions,
            findings=findings,
            tokens=pd.DataFrame(),
            report=tables.report,
            repairs=tables.repairs,
            skips=tables.skips,
            checklist=checklist,
            errors=list(tables.errors),
            timings=dict(timings or {}),
            columns=tables.columns,
            links=tables.links,
        )

    def tables(self) -> Tables:
        """The reader's part of the result, as ``pipeline.ingest.Tables``."""
        return Tables(
            entries=self.entries,
            indicators=self.indicators,
            opinions=self.opinions,
            report=self.report,
            repairs=self.repairs,
            skips=self.skips,
            errors=list(self.errors),
            columns=self.columns,
            links=self.links,
        )

    def summary(self) -> Summary:
        """The small part of the result the closing summary prints (``summary_lines``)."""
        totals = Totals.of(self.checklist, len(self.findings))
        return Summary(_accounting(self.tables()), totals, [], dict(self.timings))


@dataclass(frozen=True)
class Totals:
    """Counts over the checklists of a run, added plan by plan (for the closing summary)."""

    findings: int
    questions: int
    by_severity: dict[str, int]
    by_detector: dict[str, dict[str, int]]
    top: tuple[tuple[int, int, str], ...]
    """(high-severity questions, questions, plan / department / division) of the divisions
    with most high-severity questions, most first (ties: most questions, then report order)."""

    @classmethod
    def of(cls, checklist: Checklist, findings: int) -> Totals:
        """The totals of one checklist and its number of findings.

        Example:
            >>> Totals.of(Checklist([]), 0).by_severity
            {'high': 0, 'medium': 0, 'low': 0}
        """
        top = tuple(
            (d.by_severity()["high"], len(d.questions), _division_label(d))
            for d in checklist.top_divisions()
        )
        return cls(
            findings,
            len(checklist.questions()),
            checklist.by_severity(),
            dict(checklist.by_detector()),
            top,
        )

    def __add__(self, other: Totals) -> Totals:
        """Both totals together (``self`` first in report order).

        Example:
            >>> one = Totals(1, 1, {"high": 1}, {"covid": {"high": 1}}, ((1, 1, "a"),))
            >>> two = Totals(2, 1, {"high": 1}, {"covid": {"high": 1}}, ((1, 2, "b"),))
            >>> total = one + two
            >>> total.by_detector, [label for _, _, label in total.top]
            ({'covid': {'high': 2}}, ['b', 'a'])
        """
        detectors = {
            name: _added(self.by_detector.get(name, {}), other.by_detector.get(name, {}))
            for name in sorted({*self.by_detector, *other.by_detector})
        }
        top = sorted([*self.top, *other.top], key=lambda d: (-d[0], -d[1]))[:TOP_DIVISIONS]
        return Totals(
            self.findings + other.findings,
            self.questions + other.questions,
            _added(self.by_severity, other.by_severity),
            detectors,
            tuple(top),
        )


def _division_label(division: Division) -> str:
    return f"{division.plan or division.source} / {division.department} / {division.name}"


TOP_DIVISIONS = 5
"""Divisions named in the closing summary (most high-severity questions)."""


@dataclass
class Summary:
    """What a run leaves for the closing summary: the reader's accounting of every file (no
    entries), the totals, the plans written (``PlanEntry``, with their folders) and timings."""

    tables: Tables
    totals: Totals
    plans: list[PlanEntry]
    timings: dict[str, float]


@dataclass
class PlanOutcome:
    """What a plan's task leaves once its outputs are written (small: no entries)."""

    number: int
    folder: Path
    entry: PlanEntry
    totals: Totals
    parts: Path
    """The task's ``TABLE_PARTS`` (in the folder of its first plan): the rows of the combined
    tables of its plans and their files of ``parse_report.json`` (``REPORT_PART``)."""
    report_lines: tuple[tuple[str, int], ...]
    """(source, line in ``parts / REPORT_PART``) of each of the plan's files: the report is
    kept on disk until it is written, so memory does not grow with the corpus."""
    tables: bool = False
    """Whether ``folder`` holds ``parts`` (the first plan of each task holds them)."""
    timings: dict[str, float] = field(default_factory=dict)


def analyze(
    paths: Sequence[str | Path] = (),
    lexicons: Lexicons | None = None,
    jobs: int = 1,
    progress: bool = False,
    column_map: ColumnMap | None = None,
) -> Result:
    """Read ``paths`` (default ``data/samples/``), run the text layer and every detector.

    Files are read one per task, grouped into plans (``plan_groups``), and each plan goes text ->
    detectors -> checklist in one task; ``jobs`` > 1 runs the tasks in that many processes. The
    results are identical to one job and to analysing the plans together. ``read`` is wall
    time; the other stages are summed over the plans. Works with any number of detectors, none
    included (then ``findings`` is empty and every division shows 指摘なし).
    """
    lex = lexicons or Lexicons()
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="hyoka-read-") as spill:
        with _timed("read", timings):
            read = read_parts(paths, lex, jobs, progress, column_map, Path(spill))
        tasks = [PlanTask(first, plans, lex) for first, plans in plan_tasks(read.plans, jobs)]
        results = list(_mapped(analyse_plans, tasks, jobs, "plans", progress))
    text = _text_layer(lex)  # with one job, it holds the plans' analyses
    merged = merge_results(results, read)
    with _timed("tokens", timings):
        merged.tokens = text.tokens_frame(merged.entries)
    text.clear_cache()
    for result in results:
        for stage, seconds in result.timings.items():
            timings[stage] = timings.get(stage, 0.0) + seconds
    merged.timings = timings
    return merged


def run(
    paths: Sequence[str | Path] = (),
    out: Path = Path("reports"),
    lexicons: Lexicons | None = None,
    jobs: int | None = None,
    progress: bool = False,
    column_map: ColumnMap | None = None,
) -> Summary:
    """Read ``paths``, analyse each plan and write its outputs, plan by plan, into ``out``.

    Each plan (``plan_groups``) goes text -> detectors -> checklist -> its own outputs in one
    task (``jobs`` processes, default: every core), so memory holds one plan at a time; the
    tidy tables are appended plan by plan and the index of plans is written last. ``out`` is
    replaced only when everything was written; nothing is written when no file could be read.
    """
    lex = lexicons or Lexicons()
    workers = jobs or default_jobs()
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="hyoka-read-") as spill:
        with _timed("read", timings):
            read = read_parts(paths, lex, workers, progress, column_map, Path(spill))
        if nothing_read(read.tables):
            return Summary(read.tables, Totals.of(Checklist([]), 0), [], timings)
        with atomic_output(out) as staging:
            single = len(read.plans) == 1
            failures = tuple(read.tables.errors) if single else ()
            tasks = [
                PlanTask(first, plans, lex, staging, failures)
                for first, plans in plan_tasks(read.plans, workers)
            ]
            done = _mapped(write_plans, tasks, workers, "plans", progress)
            outcomes = [outcome for outcomes in done for outcome in outcomes]
            _forget_memos(lex)
            with _timed("combine", timings):
                summary = combine_outcomes(outcomes, read.tables, staging, single)
    for outcome in outcomes:
        for stage, seconds in outcome.timings.items():
            timings[stage] = timings.get(stage, 0.0) + seconds
    summary.timings = {**timings, **summary.timings}
    return summary


def default_jobs() -> int:
    """The number of processes ``run`` uses by default: one per core.

    Example:
        >>> default_jobs() >= 1
        True
    """
    return os.cpu_count() or 1


@dataclass(frozen=True)
class FilePart:
    """One file read by a worker: its tables wait in ``path`` (a pickle) until its plan runs."""

    number: int
    path: Path
    source: str
    title: str
    entries: int
    latest: int | None = None
    """The latest fiscal year of its entries (None when it has none)."""


@dataclass
class ReadParts:
    """Every file read: the reader's accounting of all files (``tables``: report, skips,
    columns, errors; no entries) and the files of each plan, in file order."""

    tables: Tables
    plans: list[list[FilePart]]


def read_parts(
    paths: Sequence[str | Path],
    lexicons: Lexicons,
    jobs: int,
    progress: bool,
    column_map: ColumnMap | None,
    spill: Path,
) -> ReadParts:
    """Read the files in batches (``read_batch``, in ``jobs`` processes), keep each file's
    tables in ``spill`` and group the files into plans (``plan_groups``).

    Example:
        >>> import tempfile
        >>> read = read_parts(["data/samples"], Lexicons(), 1, False, None,
        ...                   Path(tempfile.mkdtemp()))
        >>> len(read.plans), len(read.tables.report)
        (5, 5)
    """
    files = expand_paths(paths or [DEFAULT_INPUT])
    if not files:
        return ReadParts(read(paths, lexicons, column_map=column_map), [])
    names = source_names(files)
    size = max(1, min(READ_BATCH, -(-len(files) // (2 * jobs))))
    numbered = list(enumerate(files))
    tasks = [
        ReadTask(
            tuple((number, path, names[path]) for number, path in numbered[first : first + size]),
            lexicons,
            column_map,
            spill,
        )
        for first in range(0, len(files), size)
    ]
    batches = list(_mapped(read_batch, tasks, jobs, "read", progress))
    parts = [part for batch_parts, _ in batches for part in batch_parts]
    plans = plan_groups([part for part in parts if part.entries])
    return ReadParts(merge_tables([accounting for _, accounting in batches]), plans)


READ_BATCH = 25
"""Files read together by one ``read_batch`` (the reader assembles and types its tables once
per call: per file, that costs about as much as reading a small file); also the most files
whose tables one batch holds in memory at once."""


@dataclass(frozen=True)
class ReadTask:
    """Files to read in one call (a worker's task): (number, path, source) each, and where
    their tables go."""

    files: tuple[tuple[int, Path, str], ...]
    lexicons: Lexicons
    column_map: ColumnMap | None
    spill: Path


def read_batch(task: ReadTask) -> tuple[list[FilePart], Tables]:
    """Read a batch of files, pickle each file's tables into ``task.spill`` and return the
    files and their small accounting, merged into one Tables (report, skips, columns, errors;
    no entries): one set of frames per batch rather than per file keeps the main process's
    memory small on a large corpus (a small DataFrame costs more than its rows).

    Items are linked in the plan's task (``analyse_plan``); a file the batch linked to an
    earlier file of its plan is read again on its own, so its tables are as read alone.
    """
    paths = [path for _, path, _ in task.files]
    names = {path: source for _, path, source in task.files}
    tables = read(paths, task.lexicons, names, None, task.column_map)
    linked = set(tables.links["source"])
    split = _by_source(tables)
    parts: list[FilePart] = []
    accounts: list[Tables] = []
    for number, path, source in task.files:
        own = (
            read(path, task.lexicons, names, None, task.column_map)
            if source in linked
            else split(source)
        )
        spill = task.spill / f"{number}.pickle"
        with spill.open("wb") as handle:
            pickle.dump(own, handle, protocol=pickle.HIGHEST_PROTOCOL)
        title = str(own.report["title"].iloc[0]) if "title" in own.report else ""
        years = own.entries["fiscal_year"].dropna()
        latest = int(years.max()) if len(years) else None
        parts.append(FilePart(number, spill, source, title, len(own.entries), latest))
        accounts.append(_accounting(own))
    return parts, merge_tables(accounts)


def _by_source(tables: Tables) -> Callable[[str], Tables]:
    """The rows of one file in a batch's tables, for each file: every table's rows are
    grouped by source once (not filtered once per file).

    Example:
        >>> tables = read(["data/samples/001_28fb2938c92c7781.txt",
        ...                "data/samples/004_e0cedbc2d3263efb.txt"])
        >>> own = _by_source(tables)("004_e0cedbc2d3263efb.txt")
        >>> len(own.report), set(own.entries["source"]) == {"004_e0cedbc2d3263efb.txt"}
        (1, True)
    """
    parts = {name: rows_by_source(getattr(tables, name)) for name in _TABLE_FRAMES}

    def own(source: str) -> Tables:
        frames = {name: part(source) for name, part in parts.items()}
        errors = [str(error) for error in frames["report"]["error"] if error]
        return Tables(**frames, errors=errors)

    return own


_TABLE_FRAMES = (
    "entries",
    "indicators",
    "opinions",
    "report",
    "repairs",
    "skips",
    "columns",
    "links",
)


def plan_groups(parts: Sequence[FilePart]) -> list[list[FilePart]]:
    """The files of each plan, plans in the order of their first file. Files whose titles are
    the same once the years are taken out (``pipeline.ingest.link.series_key``) and whose
    latest years all differ are one plan's yearly files, read together so that
    ``link_tables`` links their items; any other file is a plan of its own (files sharing a
    latest year are not linked: ``link_series``).

    Example:
        >>> titles = ["令和5年度 評価表", "計画", "令和6年度 評価表", "計画"]
        >>> years = [2023, 2024, 2024, 2024]
        >>> parts = [FilePart(n, Path(), f"{n}.csv", title, 1, year)
        ...          for n, (title, year) in enumerate(zip(titles, years))]
        >>> [[part.number for part in group] for group in plan_groups(parts)]
        [[0, 2], [1], [3]]
    """
    series: dict[str, list[FilePart]] = {}
    for part in parts:
        series.setdefault(series_of(part.title, part.source), []).append(part)
    groups = {min(p.number for p in members): members for members in series.values()}
    for first, members in list(groups.items()):
        if len(members) > 1 and not is_yearly_series([part.latest for part in members]):
            del groups[first]
            groups.update({part.number: [part] for part in members})
    return [groups[first] for first in sorted(groups)]


def plan_tasks(
    plans: Sequence[Sequence[FilePart]], jobs: int
) -> list[tuple[int, list[Sequence[FilePart]]]]:
    """Consecutive plans taken together into tasks of about ``TASK_ENTRIES`` entries (fewer
    when that leaves under two tasks per process), each with the number of its first plan.

    Example:
        >>> plans = [[FilePart(n, Path(), f"{n}.csv", "", 3000)] for n in range(3)]
        >>> [(first, len(group)) for first, group in plan_tasks(plans, 1)]
        [(0, 2), (2, 1)]
    """
    total = sum(part.entries for plan in plans for part in plan)
    limit = max(1, min(TASK_ENTRIES, -(-total // (2 * jobs))))
    tasks: list[tuple[int, list[Sequence[FilePart]]]] = []
    size = limit
    for number, plan in enumerate(plans):
        if size >= limit:
            tasks.append((number, []))
            size = 0
        tasks[-1][1].append(plan)
        size += sum(part.entries for part in plan)
    return tasks


TASK_ENTRIES = 4000
"""Entries analysed together in one task (several small plans: the detectors' fixed cost per
call is paid once for them); also about the most one task holds in memory (the samples give
737 entries)."""


@dataclass(frozen=True)
class PlanTask:
    """Consecutive plans analysed in one task (a worker's): the files of each, the number of
    the first; ``folder``: the staging folder their outputs go to (None: none)."""

    first: int
    plans: Sequence[Sequence[FilePart]]
    lexicons: Lexicons
    folder: Path | None = None
    failures: tuple[str, ...] = ()


def analyse_plans(task: PlanTask) -> Result:
    """The task's plans: their files' tables linked (per plan: ``link_tables`` links only the
    files of one plan), then text layer -> detectors -> checklist over them all, which finds
    what each plan alone would.

    The text analyses are cached per process (``_text_layer``); after each task that writes its
    outputs only the ``cache_kept`` used last stay for the next task (texts repeat across plans),
    so memory holds one task's analyses and that fixed number at a time.
    """
    timings: dict[str, float] = {}
    read_tables = merge_tables([_unpickled(part.path) for plan in task.plans for part in plan])
    tables = link_tables(read_tables, task.lexicons)
    text = _text_layer(task.lexicons)
    with _timed("text", timings):
        fields = [name for name in TEXT_FIELDS if name in tables.entries.columns]
        text.analysed(tables.entries[fields].to_numpy().ravel().tolist())
    questions = Questions.load(task.lexicons)
    context = Context(text, task.lexicons, questions, tables.indicators, tables.repairs)
    with _timed("detect", timings):
        findings = run_all(tables.entries, context)
    with _timed("checklist", timings):
        checklist = build_checklist(
            tables.entries, findings, questions, task.lexicons, tables.report
        )
        checklist.failures = task.failures
        findings = labelled_findings(findings, checklist, questions)
        findings, checklist = _plan_major(findings, checklist, task.plans)
    if task.folder is not None:
        text.trim_cache()
    return Result.of(tables, findings, checklist, timings)


def _plan_major(
    findings: pd.DataFrame, checklist: Checklist, plans: Sequence[Sequence[FilePart]]
) -> tuple[pd.DataFrame, Checklist]:
    """The findings (and their checklist groups) one plan after the other, each plan's in the
    detectors' order: as if each plan had been analysed alone, however plans share tasks."""
    rank = {part.source: number for number, plan in enumerate(plans) for part in plan}
    ranks = findings["source"].map(rank).fillna(len(rank)).to_numpy()
    order = ranks.argsort(kind="stable")
    groups = tuple(checklist.finding_groups[position] for position in order)
    return findings.iloc[order].reset_index(drop=True), replace(checklist, finding_groups=groups)


def merge_results(results: Sequence[Result], read: ReadParts) -> Result:
    """One Result from the plans' results (in plan order) and the reader's accounting of every
    file (the report, skips and columns of each file in file order; repairs and links as the
    plans linked them)."""
    tables = merge_tables([result.tables() for result in results]) if results else None
    in_plans = {str(source) for result in results for source in result.report["source"]}
    linked = merge_tables([read.tables, *[_accounting(result.tables()) for result in results]])
    accounting = _in_file_order(linked, read.tables, in_plans)
    checklist = Checklist(
        [plan for result in results for plan in result.checklist.plans],
        tuple(group for result in results for group in result.checklist.finding_groups),
        results[0].checklist.settings if results else None,
        tuple(read.tables.errors),
    )
    findings = (
        pd.concat([result.findings for result in results], ignore_index=True)
        if results
        else labelled_findings(empty_frame(FINDING_COLUMNS), checklist, Questions.load())
    )
    base = tables or read.tables
    everything = replace(
        accounting,
        entries=base.entries,
        indicators=base.indicators,
        opinions=base.opinions,
        errors=list(read.tables.errors),
    )
    return Result.of(everything, findings, checklist)


def write(result: Result, out: Path, progress: bool = False) -> Summary:
    """Write every output of ``result`` into ``out`` all-or-nothing (timed as stage 'write')."""
    with _timed("write", result.timings), atomic_output(out) as staging:
        summary = write_outputs(result, staging, progress)
    summary.timings = dict(result.timings)
    return summary


def write_outputs(result: Result, folder: Path, progress: bool = False) -> Summary:
    """Write ``result`` plan by plan (``write_plan_files``), then the combined tables, the
    parse report and, when there are several plans, the index of plans.

    One plan: its ``index.html``, ``checklist.xlsx`` and ``checklists/`` are at the top of
    ``folder``; several: each plan's are in its folder (``safe_file_name`` of its title),
    and the top ``index.html`` lists the plans.
    """
    groups = plan_sources(result.entries)
    single = len(groups) == 1
    failures: tuple[str, ...] = ()
    if single:
        groups, failures = [list(result.report["source"])], result.checklist.failures
    with _bar("write", len(groups), progress) as bar:
        outcomes = write_plan_files(result, groups, folder, 0, failures, bar)
    return combine_outcomes(outcomes, _accounting(result.tables()), folder, single)


def plan_sources(entries: pd.DataFrame) -> list[list[str]]:
    """The files of each plan (``plan_name``), plans in order of appearance.

    Example:
        >>> entries = pd.DataFrame({"plan_name": ["甲", "乙", "甲"], "source": ["a", "b", "c"]})
        >>> plan_sources(entries)
        [['a', 'c'], ['b']]
    """
    by_plan: dict[str, list[str]] = {}
    for plan, source in dict.fromkeys(zip(entries["plan_name"], entries["source"], strict=True)):
        by_plan.setdefault(str(plan), []).append(str(source))
    return list(by_plan.values())


def _renumbered(plans: Sequence[Plan]) -> list[Plan]:
    """Copies of ``plans`` whose division anchors (``d1`` …) count only their divisions, in the
    order the checklist numbered them: the anchors they get when built on their own.

    Example:
        >>> from pipeline.report.checklist import Department
        >>> plan = Plan("a.txt", [Department("部", [Division("a.txt", "部", "課", "d7")])])
        >>> _renumbered([plan])[0].divisions()[0].anchor
        'd1'
    """
    numbered = sorted(
        (division.anchor for plan in plans for division in plan.divisions()),
        key=lambda anchor: int(anchor.lstrip("d")),
    )
    anchors = {anchor: f"d{number}" for number, anchor in enumerate(numbered, start=1)}
    return [
        replace(
            plan,
            departments=[
                replace(
                    department,
                    divisions=[
                        replace(division, anchor=anchors[division.anchor])
                        for division in department.divisions
                    ],
                )
                for department in plan.departments
            ],
        )
        for plan in plans
    ]


def write_plans(task: PlanTask) -> list[PlanOutcome]:
    """A worker's task in ``run``: analyse the task's plans and write each plan's outputs into
    ``task.folder/.plan-<n>``; the first outcome carries the task's timings."""
    result = analyse_plans(task)
    groups = [[part.source for part in plan] for plan in task.plans]
    with _timed("write", result.timings):
        outcomes = write_plan_files(
            result, groups, task.folder or Path(), task.first, task.failures
        )
    outcomes[0].timings = result.timings
    return outcomes


def write_plan_files(
    result: Result,
    groups: Sequence[Sequence[str]],
    folder: Path,
    first: int,
    failures: tuple[str, ...] = (),
    bar: tqdm | None = None,  # type: ignore[type-arg]
) -> list[PlanOutcome]:
    """Each plan's (the files of each of ``groups``) ``index.html``, ``checklist.xlsx`` and
    ``checklists/`` in ``folder/.plan-<n>``, n counted from ``first``, and the plans' rows of
    the combined tables (``TABLES``, plan after plan) in the first plan's ``.tables``; returns
    what the index of plans and the closing summary need, one outcome per plan.

    The tables and the parse report are made once for all ``groups`` (a few calls instead of
    a few per plan), each plan's part cut from them.
    """
    folders = [folder / f"{PART_PREFIX}{number}" for number in range(first, first + len(groups))]
    if not folders:
        return []
    parts = folders[0] / TABLE_PARTS
    _write_table_parts(result, groups, parts)
    files = build_parse_report(result.tables())["files"]
    lines = [json.dumps(file, ensure_ascii=False) + "\n" for file in files]
    (parts / REPORT_PART).write_text("".join(lines), encoding="utf-8")
    reported = [(str(file["source"]), line) for line, file in enumerate(files)]
    names = _first_plan_names(result.entries)
    findings = Counter(result.findings["source"])
    outcomes = []
    for number, (sources, plan_folder) in enumerate(zip(groups, folders, strict=True), first):
        checklist = _plan_checklist(result.checklist, sources, failures)
        write_html(checklist, plan_folder / "index.html")
        write_excel(checklist, plan_folder / "checklist.xlsx")
        write_markdown(checklist, plan_folder / "checklists")
        named = sorted(names[source] for source in sources if source in names)
        found = sum(findings[source] for source in sources)
        entry = PlanEntry(
            name=named[0][1] if named else "",
            folder="",
            sources=tuple(plan.source for plan in checklist.plans),
            divisions=len(checklist.divisions()),
            by_severity=checklist.by_severity(),
            findings=found,
        )
        outcomes.append(
            PlanOutcome(
                number=number,
                folder=plan_folder,
                entry=entry,
                totals=Totals.of(checklist, found),
                parts=parts,
                report_lines=tuple(file for file in reported if file[0] in sources),
                tables=number == first,
            )
        )
        if bar is not None:
            bar.update(1)
    return outcomes


def _plan_checklist(
    checklist: Checklist, sources: Sequence[str], failures: tuple[str, ...]
) -> Checklist:
    """The part of ``checklist`` about the files ``sources``, numbered as if built alone."""
    plans = _renumbered([plan for plan in checklist.plans if plan.source in sources])
    return replace(checklist, plans=plans, failures=failures)


def _first_plan_names(entries: pd.DataFrame) -> dict[str, tuple[int, str]]:
    """Each file's first entry: its row and its ``plan_name`` (a plan is named after the first
    entry of its files)."""
    first: dict[str, tuple[int, str]] = {}
    names = entries["plan_name"].astype(str)
    for row, (source, name) in enumerate(zip(entries["source"], names, strict=True)):
        first.setdefault(source, (row, name))
    return first


def _write_table_parts(result: Result, groups: Sequence[Sequence[str]], folder: Path) -> None:
    """The rows of ``TABLES`` of each of ``groups``, group after group, one file per table."""
    frames = dict(
        zip(
            TABLES,
            (result.entries, findings_table(result), result.indicators, result.opinions),
            strict=True,
        )
    )
    for name, frame in frames.items():
        write_csv(in_plan_order(frame, groups), folder / name)


def in_plan_order(frame: pd.DataFrame, groups: Sequence[Sequence[str]]) -> pd.DataFrame:
    """The rows of ``frame`` whose ``source`` is in each group, group after group (rows keep
    their order within a group; a frame without ``source`` counts whole for every group).

    Example:
        >>> frame = pd.DataFrame({"source": ["a", "b", "a"], "n": [1, 2, 3]})
        >>> in_plan_order(frame, [["b"], ["a"]])["n"].tolist()
        [2, 1, 3]
    """
    if "source" not in frame:
        return frame.iloc[np.tile(np.arange(len(frame)), len(groups))]
    source = frame["source"]
    order = np.concatenate(
        [np.flatnonzero(source.isin(sources).to_numpy()) for sources in groups] or [np.arange(0)]
    )
    if np.array_equal(order, np.arange(len(frame))):
        return frame
    return frame.iloc[order]


def combine_outcomes(
    outcomes: Sequence[PlanOutcome], accounting: Tables, folder: Path, single: bool
) -> Summary:
    """After the plans: the combined tables (plan by plan), ``parse_report.json`` (the files in
    read order; repairs and links as their plan linked them), each plan's folder named, and the
    index of plans when there is not exactly one plan."""
    for name in TABLES:
        parts = [outcome.parts / name for outcome in outcomes if outcome.tables]
        append_csv_parts(parts, folder / name)
    files = _report_files(outcomes, accounting)
    errors = {"errors": list(accounting.errors)}
    write_json_listing("files", files, errors, folder / "parse_report.json")
    taken = {name.rstrip("/") for name in OUTPUTS}
    entries = []
    for outcome in outcomes:
        if outcome.tables:
            shutil.rmtree(outcome.parts)
        name = ""
        if single:
            for produced in sorted(outcome.folder.iterdir()):
                produced.replace(folder / produced.name)
            outcome.folder.rmdir()
        else:
            name = safe_file_name(outcome.entry.name, taken)
            outcome.folder.replace(folder / name)
        entries.append(replace(outcome.entry, folder=name))
    if not single:
        write_plans_html(entries, tuple(accounting.errors), folder / "index.html")
    totals = Totals.of(Checklist([]), 0)
    for outcome in outcomes:
        totals = totals + outcome.totals
    return Summary(accounting, totals, entries, {})


def _report_files(outcomes: Sequence[PlanOutcome], accounting: Tables) -> Iterator[Any]:
    """The files of ``parse_report.json`` in read order: each plan's as its task reported them
    (repairs and links as the plan linked them; read back one task at a time from its
    ``REPORT_PART``), the files in no plan from the reader's accounting."""
    where = {
        source: (outcome.parts / REPORT_PART, line)
        for outcome in outcomes
        for source, line in outcome.report_lines
    }
    others = accounting.report[~accounting.report["source"].isin(where)]
    listed = (
        {
            file["source"]: file
            for file in build_parse_report(replace(accounting, report=others))["files"]
        }
        if len(others)
        else {}
    )
    order = {source: number for number, source in enumerate(accounting.report["source"])}
    sources = sorted([*where, *listed], key=lambda source: order.get(source, len(order)))
    lines = functools.lru_cache(maxsize=2)(_report_lines)
    for source in sources:
        if source in where:
            path, line = where[source]
            yield json.loads(lines(path)[line])
        else:
            yield listed[source]


def _report_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")  # not splitlines: U+2028 is text


def merge_tables(parts: Sequence[Tables]) -> Tables:
    """One Tables from the Tables of single files, in the given order.

    Example:
        >>> one = read(["data/samples/002_fb856b526bbf0244.txt"])
        >>> len(merge_tables([one, one]).report)
        2
    """

    def stacked(name: str) -> pd.DataFrame:
        frames = [getattr(part, name) for part in parts]
        filled = [frame for frame in frames if len(frame)]
        return pd.concat(filled, ignore_index=True) if filled else frames[0]

    return Tables(
        entries=stacked("entries"),
        indicators=stacked("indicators"),
        opinions=stacked("opinions"),
        report=stacked("report"),
        repairs=stacked("repairs"),
        skips=stacked("skips"),
        errors=[error for part in parts for error in part.errors],
        columns=stacked("columns"),
        links=stacked("links"),
    )


def nothing_read(tables: Tables) -> bool:
    """Whether no input file could be read (then ``run`` writes and replaces nothing).

    Example:
        >>> nothing_read(read(["data/samples/002_fb856b526bbf0244.txt"]))
        False
    """
    return bool((tables.report["error"] != "").all())


def _accounting(tables: Tables) -> Tables:
    """The small tables of ``tables``: report, repairs, skips, columns, links, errors."""
    return replace(
        tables,
        entries=tables.entries.iloc[0:0],
        indicators=tables.indicators.iloc[0:0],
        opinions=tables.opinions.iloc[0:0],
    )


def _in_file_order(linked: Tables, read_accounting: Tables, in_plans: set[str]) -> Tables:
    """The accounting for the parse report: every file in read order; the repairs and links of
    files in a plan as their plan linked them (``linked`` holds the read ones first)."""
    order = {source: number for number, source in enumerate(read_accounting.report["source"])}
    repairs = linked.repairs
    read_rows = len(read_accounting.repairs)
    keep = pd.Series(
        [
            position >= read_rows or source not in in_plans
            for position, source in enumerate(repairs["source"])
        ],
        index=repairs.index,
        dtype=bool,
    )
    return replace(
        read_accounting,
        repairs=_by_file(repairs[keep], order),
        links=_by_file(linked.links, order),
    )


def _by_file(frame: pd.DataFrame, order: dict[str, int]) -> pd.DataFrame:
    if frame.empty:
        return frame
    ranks = frame["source"].map(order).fillna(len(order))
    return frame.iloc[ranks.argsort(kind="stable")].reset_index(drop=True)


def _added(one: dict[str, int], two: dict[str, int]) -> dict[str, int]:
    return {key: one.get(key, 0) + two.get(key, 0) for key in {**one, **two}}


def findings_table(result: Result) -> pd.DataFrame:
    """findings.csv: FINDING_COLUMNS, then the checklist row and Japanese labels of each finding
    (``LABEL_COLUMNS``; added here when ``result`` was assembled without them)."""
    findings = result.findings
    if not set(LABEL_COLUMNS) <= set(findings.columns):
        findings = labelled_findings(findings, result.checklist, Questions.load())
    return findings[list(FINDING_COLUMNS + LABEL_COLUMNS)]


def _mapped(
    function: Callable[[Item], Done], items: Sequence[Item], jobs: int, stage: str, progress: bool
) -> Iterator[Done]:
    """``function`` over ``items`` in order, in ``jobs`` processes (in this one for one job
    or one item), a progress step each."""
    with _bar(stage, len(items), progress) as bar:
        if jobs > 1 and len(items) > 1:
            with ProcessPoolExecutor(min(jobs, len(items))) as pool:
                yield from _counted(pool.map(function, items), bar)
        else:
            yield from _counted(map(function, items), bar)


_LAYERS: dict[Path, TextLayer] = {}


def _text_layer(lexicons: Lexicons) -> TextLayer:
    """This process's text layer for the lexicons of ``lexicons.directory`` (made once per
    process, however many tasks bring their own copy of the lexicons)."""
    if lexicons.directory not in _LAYERS:
        _LAYERS[lexicons.directory] = TextLayer(lexicons)
    return _LAYERS[lexicons.directory]


def _forget_memos(lexicons: Lexicons) -> None:
    """Empty this process's text cache and the detectors' kept memos at the end of a run (with
    one job they hold what the last tasks kept)."""
    forget_kept()
    if lexicons.directory in _LAYERS:
        _LAYERS[lexicons.directory].clear_cache()


def _unpickled(path: Path) -> Tables:
    with path.open("rb") as handle:
        tables: Tables = pickle.load(handle)
    return tables


def summary_lines(summary: Summary, out: Path) -> list[str]:
    """The closing summary: files read, questions per detector and severity, the five divisions
    with most high-severity questions, where the outputs are, and the stage timings.

    Example:
        >>> summary = analyze(["data/samples/002_fb856b526bbf0244.txt"]).summary()
        >>> any(line.startswith("出力先") for line in summary_lines(summary, Path("reports")))
        True
    """
    totals = summary.totals
    labels = list(SEVERITY_LABELS.values())
    lines = [*read_summary_lines(summary.tables), ""]
    lines.append(f"{'質問 questions':<20}" + "".join(f"{label:>6}" for label in [*labels, "計"]))
    for detector, counts in [*totals.by_detector.items(), ("計 total", totals.by_severity)]:
        numbers = [*counts.values(), sum(counts.values())]
        lines.append(f"{detector:<20}" + "".join(f"{n:>7}" for n in numbers))
    lines += ["", "重要度「高」の質問が多い担当課 / divisions with most high-severity questions:"]
    lines += [f"  {high:>4}  {label}" for high, _, label in totals.top] or ["  （なし / none）"]
    lines.append(f"指摘 → 質問 / findings → questions: {totals.findings} → {totals.questions}")
    if len(summary.plans) > 1:
        shared = [name for name in OUTPUTS if name not in PLAN_OUTPUTS[1:]]
        lines += ["", f"出力先 / outputs in {out}/: " + ", ".join(shared)]
        lines.append(
            f"計画ごとのフォルダ / one folder per plan ({len(summary.plans)}): "
            + ", ".join(PLAN_OUTPUTS)
        )
    else:
        lines += ["", f"出力先 / outputs in {out}/: " + ", ".join(OUTPUTS)]
    timings = ", ".join(f"{k} {v:.2f}s" for k, v in summary.timings.items())
    lines.append(f"所要時間 / timings: {timings}")
    return lines


BATCH_GC_THRESHOLD = 100_000
"""Allocations between collections of the garbage collector's youngest generation while a
stage runs (Python's default is 700). A stage builds hundreds of thousands of long-lived
objects (rows, tokens, analyses) and frees its garbage by reference counting, so frequent
collections only rescan live objects: at 40x the samples ``runner.analyze`` took 36.5 s with
the default and 28.2-30.5 s with this value (three runs on the 2-core machine). The previous
thresholds are put back after each stage."""


@contextmanager
def batch_gc() -> Iterator[None]:
    """Run the block with ``BATCH_GC_THRESHOLD``; the previous thresholds come back after.

    Example:
        >>> before = gc.get_threshold()
        >>> with batch_gc():
        ...     gc.get_threshold()[0]
        100000
        >>> gc.get_threshold() == before
        True
    """
    previous = gc.get_threshold()
    gc.set_threshold(BATCH_GC_THRESHOLD, *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)


@contextmanager
def _timed(stage: str, timings: dict[str, float]) -> Iterator[None]:
    """Time a stage into ``timings[stage]``, run with ``batch_gc``."""
    start = time.perf_counter()
    with batch_gc():
        try:
            yield
        finally:
            timings[stage] = time.perf_counter() - start


def _bar(stage: str, total: int, progress: bool) -> tqdm:  # type: ignore[type-arg]
    return tqdm(total=total, desc=f"{stage:<7}", file=sys.stderr, disable=not progress, leave=True)


def _counted(parts: Iterable[Done], bar: tqdm) -> Iterator[Done]:  # type: ignore[type-arg]
    for part in parts:
        bar.update(1)
        yield part
