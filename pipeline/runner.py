"""The main job: read -> text layer -> every detector -> checklist, then the writers.

``analyze`` returns everything as DataFrames (for notebooks and tests); ``run`` also writes the
reports all-or-nothing into one folder. Each stage is timed and can show a progress bar.

Example:
    >>> result = analyze(["data/samples/002_fb856b526bbf0244.txt"])
    >>> sorted(result.timings)
    ['checklist', 'detect', 'read', 'text']
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from pipeline.detectors import Context, load_all, run_all
from pipeline.findings import Questions
from pipeline.ingest import (
    DEFAULT_INPUT,
    Tables,
    expand_paths,
    link_tables,
    read,
    source_names,
)
from pipeline.ingest.columns import ColumnMap
from pipeline.lexicons import Lexicons
from pipeline.parse_report import summary_lines as read_summary_lines
from pipeline.parse_report import write_parse_outputs
from pipeline.report.checklist import (
    LABEL_COLUMNS,
    SEVERITY_LABELS,
    Checklist,
    build_checklist,
    labelled_findings,
)
from pipeline.report.excel import write_excel
from pipeline.report.html import write_html
from pipeline.report.markdown import write_markdown
from pipeline.report.output import atomic_output, write_csv
from pipeline.schemas import FINDING_COLUMNS, TEXT_FIELDS
from pipeline.text import TextLayer
from pipeline.text.layer import Analysis

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


def analyze(
    paths: Sequence[str | Path] = (),
    lexicons: Lexicons | None = None,
    jobs: int = 1,
    progress: bool = False,
    column_map: ColumnMap | None = None,
) -> Result:
    """Read ``paths`` (default ``data/samples/``), run the text layer and every detector.

    ``jobs`` > 1 reads files and analyses their narrative text (tokens, predicates) in that many
    processes, one document per task; then the ``read`` timing includes that text work and
    ``text`` only builds the tokens table. The results are identical to one job. Works with any
    number of detectors, none included (then ``findings`` is empty and every division shows
    指摘なし).
    """
    lex = lexicons or Lexicons()
    timings: dict[str, float] = {}
    text = TextLayer(lex)
    with _timed("read", timings):
        tables = read_files(paths, lex, jobs, progress, text, column_map)
    with _timed("text", timings), _bar("text", 1, progress) as bar:
        tokens = text.tokens_frame(tables.entries)
        bar.update(1)
    questions = Questions.load(lex)
    context = Context(text, lex, questions, tables.indicators, tables.repairs)
    with _timed("detect", timings), _bar("detect", len(load_all()), progress) as bar:
        findings = run_all(tables.entries, context, progress=_ticker(bar))
        bar.update(bar.total - bar.n)
    with _timed("checklist", timings):
        checklist = build_checklist(tables.entries, findings, questions, lex, tables.report)
        findings = labelled_findings(findings, checklist, questions)
    return Result(
        entries=tables.entries,
        indicators=tables.indicators,
        opinions=tables.opinions,
        findings=findings,
        tokens=tokens,
        report=tables.report,
        repairs=tables.repairs,
        skips=tables.skips,
        checklist=checklist,
        errors=list(tables.errors),
        timings=timings,
        columns=tables.columns,
        links=tables.links,
    )


def run(
    paths: Sequence[str | Path] = (),
    out: Path = Path("reports"),
    lexicons: Lexicons | None = None,
    jobs: int = 1,
    progress: bool = False,
) -> Result:
    """``analyze`` then write every output into ``out`` (replaced only when all are written)."""
    result = analyze(paths, lexicons, jobs, progress)
    write(result, out, progress)
    return result


def write(result: Result, out: Path, progress: bool = False) -> None:
    """Write every output of ``result`` into ``out`` all-or-nothing (timed as stage 'write')."""
    with _timed("write", result.timings), atomic_output(out) as staging:
        write_outputs(result, staging, progress)


def write_outputs(result: Result, folder: Path, progress: bool = False) -> None:
    """Write the tidy tables, ``findings.csv`` and the checklist in HTML, Excel and Markdown."""
    writers: list[tuple[str, Callable[[], object]]] = [
        ("tables", lambda: write_parse_outputs(result.tables(), folder)),
        (
            "findings",
            lambda: write_csv(findings_table(result), folder / "findings.csv"),
        ),
        ("html", lambda: write_html(result.checklist, folder / "index.html")),
        ("excel", lambda: write_excel(result.checklist, folder / "checklist.xlsx")),
        ("markdown", lambda: write_markdown(result.checklist, folder / "checklists")),
    ]
    with _bar("write", len(writers), progress) as bar:
        for name, write in writers:
            bar.set_postfix_str(name)
            write()
            bar.update(1)


def findings_table(result: Result) -> pd.DataFrame:
    """findings.csv: FINDING_COLUMNS, then the checklist row and Japanese labels of each finding
    (``LABEL_COLUMNS``; added here when ``result`` was assembled without them)."""
    findings = result.findings
    if not set(LABEL_COLUMNS) <= set(findings.columns):
        findings = labelled_findings(findings, result.checklist, Questions.load())
    return findings[list(FINDING_COLUMNS + LABEL_COLUMNS)]


def read_files(
    paths: Sequence[str | Path],
    lexicons: Lexicons,
    jobs: int = 1,
    progress: bool = False,
    text: TextLayer | None = None,
    column_map: ColumnMap | None = None,
) -> Tables:
    """``pipeline.ingest.read`` file by file (a progress step each), in ``jobs`` processes.

    With ``text``, each worker process also analyses its document's narrative cells and
    ``text`` adopts those analyses (so the detectors find them cached).

    Example:
        >>> len(read_files(["data/samples/002_fb856b526bbf0244.txt"], Lexicons()).report)
        1
    """
    files = expand_paths(paths or [DEFAULT_INPUT])
    if not files:
        return read(paths, lexicons, column_map=column_map)
    names = source_names(files)
    with _bar("read", len(files), progress) as bar:
        if jobs > 1 and len(files) > 1 and text is not None:
            with ProcessPoolExecutor(min(jobs, len(files))) as pool:
                analysed = pool.map(
                    read_and_analyse, files, repeat(lexicons), repeat(names), repeat(column_map)
                )
                parts = list(_counted(_adopted(analysed, text), bar))
        elif jobs > 1 and len(files) > 1:
            with ProcessPoolExecutor(min(jobs, len(files))) as pool:
                read_all = pool.map(
                    read, files, repeat(lexicons), repeat(names), repeat(None), repeat(column_map)
                )
                parts = list(_counted(read_all, bar))
        else:  # one read: the tables are assembled (and their dtypes set) once, not per file
            return read(files, lexicons, names, lambda: bar.update(1), column_map)
    return link_tables(merge_tables(parts), lexicons)


def read_and_analyse(
    path: Path,
    lexicons: Lexicons,
    names: Mapping[Path, str] | None = None,
    column_map: ColumnMap | None = None,
) -> tuple[Tables, dict[str, Analysis]]:
    """One document read, and the full text analysis of its narrative cells (a worker's task).

    Example:
        >>> tables, analyses = read_and_analyse(Path("data/samples/004_e0cedbc2d3263efb.txt"),
        ...                                     Lexicons())
        >>> all(analysis.predicates is not None for analysis in analyses.values())
        True
    """
    tables = read(path, lexicons, names, column_map=column_map)
    entries = tables.entries
    fields = [name for name in TEXT_FIELDS if name in entries.columns]
    cells = entries[fields].to_numpy().ravel().tolist()
    return tables, TextLayer(lexicons).analysed(cells)


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


def summary_lines(result: Result, out: Path) -> list[str]:
    """The closing summary: files read, findings per detector and severity, the five divisions
    with most high-severity findings, where the outputs are, and the stage timings.

    Example:
        >>> result = analyze(["data/samples/002_fb856b526bbf0244.txt"])
        >>> any(line.startswith("出力先") for line in summary_lines(result, Path("reports")))
        True
    """
    labels = list(SEVERITY_LABELS.values())
    lines = [*read_summary_lines(result.tables()), ""]
    lines.append(f"{'質問 questions':<20}" + "".join(f"{label:>6}" for label in [*labels, "計"]))
    for detector, counts in [
        *result.checklist.by_detector(),
        ("計 total", result.checklist.by_severity()),
    ]:
        numbers = [*counts.values(), sum(counts.values())]
        lines.append(f"{detector:<20}" + "".join(f"{n:>7}" for n in numbers))
    lines += ["", "重要度「高」の質問が多い担当課 / divisions with most high-severity questions:"]
    top = result.checklist.top_divisions()
    lines += [
        f"  {d.by_severity()['high']:>4}  {d.plan or d.source} / {d.department} / {d.name}"
        for d in top
    ] or ["  （なし / none）"]
    grouped = f"{len(result.findings)} → {len(result.checklist.questions())}"
    lines.append(f"指摘 → 質問 / findings → questions: {grouped}")
    lines += ["", f"出力先 / outputs in {out}/: " + ", ".join(OUTPUTS)]
    timings = ", ".join(f"{k} {v:.2f}s" for k, v in result.timings.items())
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


def _ticker(bar: tqdm) -> Callable[[str], None]:  # type: ignore[type-arg]
    started: list[str] = []

    def tick(name: str) -> None:
        if started:
            bar.update(1)
        started.append(name)
        bar.set_postfix_str(name)

    return tick


def _adopted(
    parts: Iterator[tuple[Tables, dict[str, Analysis]]], text: TextLayer
) -> Iterator[Tables]:
    for tables, analyses in parts:
        text.adopt(analyses)
        yield tables


def _counted(parts: Iterator[Tables], bar: tqdm) -> Iterator[Tables]:  # type: ignore[type-arg]
    for part in parts:
        bar.update(1)
        yield part
