"""The per-division checklist, built once from entries and findings; every writer renders it.

Shape: plan (the source document, named by its title) -> department (担当部署) -> division
(担当課) -> rows. A row is one question per (division, item, year): it carries the strongest
severity of its findings, their kinds, one combined question and the evidence quoted once per
field. Consecutive years of one item whose rows have the same kinds become one row naming the
years (令和元年度から令和4年度まで). Rows are ordered by severity, then the document's own item
order and year (``sort_findings``). Every division that has entries appears, with no rows when
nothing was found (shown as 指摘なし). A writer only renders this: it never decides what is a
finding.

Kinds listed in ``settings.yaml`` ``report.hidden_kinds`` (covid ``mention_only``) make rows of
their own marked ``reference``: kept in findings.csv and in index.html behind a filter, left out
of the counts, the workbook and the Markdown.

One checklist per (source, ``division_key``): see ``pipeline.report.names``. Its heading is the
division name and the department the document writes most often for it (ties: the first
written); a row whose own cells name it otherwise says so (``Row.written_as``).

Example:
    >>> import pandas as pd
    >>> from pipeline.findings import Questions, finding, findings_frame
    >>> entry = {"source": "a.txt", "item_id": "x", "item_no": "1", "item": "研修",
    ...     "department": "福祉保健部", "division": "健康課", "fiscal_year": 2021}
    >>> found = findings_frame([finding(entry=entry, detector="copy_paste", kind="identical",
    ...     field="status", score=1.0, evidence="研修を実施した。", questions=Questions.load(),
    ...     highlights=[(0, 2, "inserted")])])
    >>> checklist = build_checklist(pd.DataFrame([entry]), found, Questions.load())
    >>> row = checklist.divisions()[0].rows[0]
    >>> row.severity_label, row.kinds_label, row.quotes[0].pieces
    ('高', '前年度と同一の記述（実施状況）', (('研修', 'inserted'), ('を実施した。', '')))
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import pandas as pd

from pipeline.detectors import sort_findings
from pipeline.findings import FIELD_LABELS, Questions, detector_specs, era_label
from pipeline.lexicons import LexiconError, Lexicons
from pipeline.report.names import DivisionKeys, Key, NameRules, Names, plan_names
from pipeline.schemas import SEVERITIES
from pipeline.schemas import records as frame_records

SEVERITY_LABELS: dict[str, str] = {"high": "高", "medium": "中", "low": "低"}
NO_FINDINGS = "指摘なし"
NO_DIVISION = "（担当課の記載なし）"
NO_DEPARTMENT = "（担当部署の記載なし）"
NO_YEAR = "年度なし"
WRITTEN_AS = "表の記載"
REFERENCE = "参考情報"
"""The filter that shows rows of hidden-by-default kinds (``report.hidden_kinds``)."""

Record = Mapping[Hashable, Any]
_ROLE = re.compile(r"[^a-z0-9_-]")
_SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}
_FIELD_RANK = {name: rank for rank, name in enumerate(FIELD_LABELS)}


@dataclass(frozen=True)
class ReportSettings:
    """``settings.yaml`` ``report``: hidden kinds and the wording of combined questions.

    Example:
        >>> settings = ReportSettings.load()
        >>> ("covid", "mention_only") in settings.hidden_kinds
        True
        >>> settings.year_run.format(first="令和元年度", last="令和4年度")
        '令和元年度から令和4年度まで'
    """

    hidden_kinds: frozenset[tuple[str, str]]
    year_run: str
    also_asked: str
    every_year: str
    list_separator: str
    field_separator: str
    source_note: str
    chart_other: str

    @classmethod
    def load(
        cls, lexicons: Lexicons | None = None, questions: Questions | None = None
    ) -> ReportSettings:
        """Read the section; a hidden kind that ``questions.tsv`` does not know is an error."""
        lex = lexicons or Lexicons()
        section = lex.settings["report"]
        hidden = frozenset(
            (str(detector), str(kind))
            for detector, kinds in dict(section["hidden_kinds"] or {}).items()
            for kind in kinds or ()
        )
        known = (questions or Questions.load(lex)).rows
        for detector, kind in sorted(hidden - set(known)):
            raise LexiconError(
                f"settings.yaml: report.hidden_kinds names {detector}/{kind}, "
                "which lexicons/questions.tsv does not know"
            )
        text = {name: str(section[name]) for name in _WORDING}
        return cls(hidden_kinds=hidden, **text)


_WORDING = (
    "year_run",
    "also_asked",
    "every_year",
    "list_separator",
    "field_separator",
    "source_note",
    "chart_other",
)


@dataclass(frozen=True)
class KindMark:
    """One kind found in a row: its strongest severity there and the fields it is about."""

    detector: str
    kind: str
    rank: int
    label: str
    severity: str
    fields: tuple[str, ...]

    @property
    def code(self) -> str:
        """``detector/kind``, as the HTML filters and counts name it."""
        return f"{self.detector}/{self.kind}"


@dataclass(frozen=True)
class Quote:
    """The evidence of one field, quoted once, split at its highlights."""

    field: str
    label: str
    text: str
    pieces: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Row:
    """One question of the checklist: a (division, item, year) or a run of years of one item.

    ``kinds`` are in (severity, questions.tsv) order; ``quotes`` the evidence per field (of the
    last year for a run); ``written_as`` shows the row's own cells (``表の記載: 企画課 ／
    男女共同参画センター``) when they differ from the division's heading; ``reference`` marks a
    row made only of hidden-by-default kinds.
    """

    group_id: str
    severity: str
    severity_label: str
    kinds: tuple[KindMark, ...]
    item_label: str
    years: tuple[int | None, ...]
    year_label: str
    quotes: tuple[Quote, ...]
    compared: tuple[str, ...]
    question: str
    department: str
    division: str
    written_as: str
    reference: bool
    findings: int
    field_separator: str = "・"
    list_separator: str = "、"

    @functools.cached_property
    def detectors(self) -> tuple[str, ...]:
        """The detectors of the row's kinds, sorted (worked out once: every filter and count of
        the writers asks)."""
        return tuple(sorted({mark.detector for mark in self.kinds}))

    @property
    def detector_labels(self) -> tuple[str, ...]:
        """The detectors' Japanese names."""
        labels = detector_labels()
        return tuple(labels.get(name, name) for name in self.detectors)

    @functools.cached_property
    def kinds_label(self) -> str:
        """The kinds with their fields: ``前年度と同一の記述（実施状況・今後の実施計画）``."""
        return self.list_separator.join(self.kind_labels)

    @property
    def kind_labels(self) -> tuple[str, ...]:
        """Each kind's Japanese name with its fields."""
        return tuple(kind_with_fields(mark, self.field_separator) for mark in self.kinds)

    @property
    def year_values(self) -> str:
        """The years as the HTML year filter names them (space-separated; '' no year)."""
        return " ".join("" if year is None else str(year) for year in self.years)


@functools.cache
def detector_labels() -> dict[str, str]:
    """The detectors' Japanese names, from their Spec (an unknown detector shows its name).

    Example:
        >>> detector_labels()["copy_paste"]
        '前年度からの転記'
    """
    return {name: spec.label for name, spec in detector_specs().items()}


def kind_with_fields(mark: KindMark, separator: str = "・") -> str:
    """``label（field・field）``, or the label alone when the kind names no field.

    Example:
        >>> kind_with_fields(KindMark("copy_paste", "identical", 0, "同一", "high",
        ...                           ("実施状況", "今後の実施計画")))
        '同一（実施状況・今後の実施計画）'
    """
    return f"{mark.label}（{separator.join(mark.fields)}）" if mark.fields else mark.label


@dataclass
class Division:
    """One division of one plan, with its rows in review order.

    ``name`` and ``department`` are the names the document writes most often for the division
    (typos corrected); ``key`` is what groups it (``division_key``); ``plan`` the plan's title.
    ``rows`` hold every row; ``questions`` the checklist rows, without ``reference`` rows.
    """

    source: str
    department: str
    name: str
    anchor: str
    rows: list[Row] = field(default_factory=list)
    key: str = ""
    plan: str = ""

    @property
    def questions(self) -> list[Row]:
        """The checklist rows (rows of hidden-by-default kinds left out)."""
        return [row for row in self.rows if not row.reference]

    @property
    def references(self) -> list[Row]:
        """Rows made only of hidden-by-default kinds (``REFERENCE``)."""
        return [row for row in self.rows if row.reference]

    def by_severity(self) -> dict[str, int]:
        """Checklist rows per severity, every severity present.

        Example:
            >>> Division("a.txt", "部", "課", "d1").by_severity()
            {'high': 0, 'medium': 0, 'low': 0}
        """
        return count_severities(self.questions)

    def by_kind(self, references: bool = False) -> list[tuple[KindMark, dict[str, int]]]:
        """(kind, rows per severity of the kind) for each kind of the checklist rows (all rows
        with ``references``), in (detector, questions.tsv) order.

        Example:
            >>> Division("a.txt", "部", "課", "d1").by_kind()
            []
        """
        return count_kinds(self.rows if references else self.questions)


@dataclass
class Department:
    """A department (担当部署) of a plan and its divisions in document order."""

    name: str
    divisions: list[Division] = field(default_factory=list)


@dataclass
class Plan:
    """One source document, its title (else its file stem) and its departments."""

    source: str
    departments: list[Department] = field(default_factory=list)
    title: str = ""

    def divisions(self) -> list[Division]:
        """The plan's divisions in report order."""
        return [d for department in self.departments for d in department.divisions]

    def chart(self) -> list[tuple[int | None, list[tuple[KindMark, int]]]]:
        """Checklist rows per year and main kind (the row's strongest), for the plan's chart:
        (year, [(kind, rows)]), years ascending (no year last); a run of years counts in each
        of its years, so a bar's length is the number of questions about that year.

        Example:
            >>> Plan("a.txt").chart()
            []
        """
        counts: Counter[tuple[int | None, KindMark]] = Counter()
        for division in self.divisions():
            for row in division.questions:
                counts.update((year, _unscoped(row.kinds[0])) for year in row.years)
        years = sorted({year for year, _ in counts}, key=lambda y: (y is None, y or 0))
        kinds = sorted({mark for _, mark in counts}, key=lambda m: (m.detector, m.rank))
        return [
            (year, [(m, counts[(year, m)]) for m in kinds if counts[(year, m)]]) for year in years
        ]


@dataclass
class Checklist:
    """Every plan, department and division, with totals for the summaries.

    ``finding_groups`` holds the ``group_id`` of every finding, in the order of the findings
    table given to ``build_checklist``.
    """

    plans: list[Plan]
    finding_groups: tuple[str, ...] = ()
    settings: ReportSettings | None = None
    failures: tuple[str, ...] = ()
    """Files that could not be read, each with its reason: shown first, never as 指摘なし."""

    def divisions(self) -> list[Division]:
        """All divisions in report order.

        Example:
            >>> Checklist([]).divisions()
            []
        """
        return [d for plan in self.plans for d in plan.divisions()]

    def rows(self) -> list[Row]:
        """All rows in report order, reference rows included."""
        return [row for division in self.divisions() for row in division.rows]

    def questions(self) -> list[Row]:
        """The checklist rows in report order (reference rows left out)."""
        return [row for division in self.divisions() for row in division.questions]

    def by_severity(self) -> dict[str, int]:
        """Checklist rows per severity."""
        return count_severities(self.questions())

    def by_kind(self, references: bool = False) -> list[tuple[KindMark, dict[str, int]]]:
        """Checklist rows per kind and severity of the kind (all rows with ``references``)."""
        return count_kinds(self.rows() if references else self.questions())

    def by_detector(self) -> list[tuple[str, dict[str, int]]]:
        """(detector, checklist rows per row severity) for each detector, sorted by name; a row
        with kinds of two detectors counts for both."""
        rows = self.questions()
        detectors = sorted({name for row in rows for name in row.detectors})
        return [
            (name, count_severities(r for r in rows if name in r.detectors)) for name in detectors
        ]

    def filter_values(self) -> dict[str, list[tuple[str, str]]]:
        """(value, label) choices of the HTML filters: detector, severity, year and reference;
        rows with no fiscal year have the year value '' (年度なし, last).

        Example:
            >>> Checklist([]).filter_values()
            {'detector': [], 'severity': [], 'year': [], 'reference': []}
        """
        rows = self.rows()
        detectors = sorted(
            {pair for r in rows for pair in zip(r.detectors, r.detector_labels, strict=True)}
        )
        years = sorted({year for r in rows for year in r.years if year is not None})
        undated = [("", NO_YEAR)] if any(None in r.years for r in rows) else []
        present = {r.severity for r in rows}
        return {
            "detector": detectors,
            "severity": [(s, SEVERITY_LABELS[s]) for s in SEVERITIES if s in present],
            "year": [(str(year), era_label(year)) for year in years] + undated,
            "reference": [("1", REFERENCE)] if any(r.reference for r in rows) else [],
        }

    def top_divisions(self, limit: int = 5) -> list[Division]:
        """Divisions with the most high-severity rows (ties: most rows, then report order).

        Example:
            >>> Checklist([]).top_divisions()
            []
        """
        ranked = [d for d in self.divisions() if d.by_severity()["high"]]
        ranked.sort(key=lambda d: (-d.by_severity()["high"], -len(d.questions)))
        return ranked[:limit]


def count_severities(rows: Iterable[Row]) -> dict[str, int]:
    """Counts per severity in SEVERITIES order, zeros included.

    Example:
        >>> count_severities([])
        {'high': 0, 'medium': 0, 'low': 0}
    """
    counts = Counter(row.severity for row in rows)
    return {severity: counts[severity] for severity in SEVERITIES}


def count_kinds(rows: Sequence[Row]) -> list[tuple[KindMark, dict[str, int]]]:
    """(kind, rows per severity of the kind in the row) per kind: detectors by name, each
    detector's kinds in the order of ``lexicons/questions.tsv``. The kind returned carries no
    fields or severity of its own (``fields`` empty).

    Example:
        >>> count_kinds([])
        []
    """
    counts: dict[tuple[str, str, int, str], Counter[str]] = {}
    for row in rows:
        for mark in row.kinds:
            key = (mark.detector, mark.kind, mark.rank, mark.label)
            counter = counts.get(key)
            if counter is None:
                counter = counts[key] = Counter()
            counter[mark.severity] += 1
    ordered = sorted(counts, key=lambda key: (key[0], key[2], key[1]))
    return [(KindMark(*key, "", ()), {s: counts[key][s] for s in SEVERITIES}) for key in ordered]


def _unscoped(mark: KindMark) -> KindMark:
    return KindMark(mark.detector, mark.kind, mark.rank, mark.label, "", ())


def build_checklist(
    entries: pd.DataFrame,
    findings: pd.DataFrame,
    questions: Questions,
    lexicons: Lexicons | None = None,
    report: pd.DataFrame | None = None,
) -> Checklist:
    """Group the findings by plan and division (``division_key``), then into one row per
    (division, item, year) and runs of years; every division of ``entries`` shows, under the
    department written most often for it.

    ``findings`` is the detectors' table (FINDING_COLUMNS, optionally ``highlights``);
    ``lexicons`` gives the name rules and ``settings.yaml`` ``report``; ``report`` (the parse
    report) the plans' titles.
    """
    settings = ReportSettings.load(lexicons, questions)
    keys = DivisionKeys(NameRules.load(lexicons))
    numbered = findings.assign(_position=range(len(findings)))
    ordered = sort_findings(numbered, entries) if len(findings) else numbered
    tallies = keys.tally(entries)
    found_only = {k: t for k, t in keys.tally(ordered).items() if k not in tallies}
    tallies.update(sorted(found_only.items()))
    headings = {key: keys.heading(tally) for key, tally in tallies.items()}
    records = cast(list[Record], frame_records(ordered.assign(_order=range(len(ordered)))))
    item_labels = _item_labels(entries)
    marks = KindMarks(questions)
    placed: list[tuple[int, Key, Row]] = []
    groups = [""] * len(findings)
    for (key, _, _, reference), run in _runs(_year_groups(records, keys, settings)):
        members = [record for group in run for record in group]
        row = to_row(run, marks, settings, item_labels, headings[key], reference, key)
        placed.append((min(int(r["_order"]) for r in members), key, row))
        for record in members:
            groups[int(record["_position"])] = row.group_id
    rows: dict[Key, list[Row]] = {}
    for _, key, row in sorted(placed, key=lambda placed_row: placed_row[0]):
        rows.setdefault(key, []).append(row)
    titles = plan_names(report, list(dict.fromkeys(source for source, _ in headings)))
    failures = () if report is None or report.empty else tuple(e for e in report["error"] if e)
    return Checklist(_nest(headings, rows, titles), tuple(groups), settings, failures)


GroupKey = tuple[Key, str, int | None, bool]
"""(checklist key, item_id, fiscal year, reference): the findings of one row before runs."""


def _year_groups(
    records: Sequence[Record], keys: DivisionKeys, settings: ReportSettings
) -> dict[GroupKey, list[Record]]:
    grouped: dict[GroupKey, list[Record]] = {}
    for record in records:
        key = keys.of(str(record["source"]), str(record["division"]))
        reference = (str(record["detector"]), str(record["kind"])) in settings.hidden_kinds
        year = _year(record.get("fiscal_year"))
        grouped.setdefault((key, str(record["item_id"]), year, reference), []).append(record)
    return grouped


def _runs(
    grouped: Mapping[GroupKey, list[Record]],
) -> list[tuple[GroupKey, list[list[Record]]]]:
    """Consecutive years of one item with the same kinds, merged (first year's key)."""
    by_item: dict[tuple[Key, str, bool], list[GroupKey]] = {}
    for group in grouped:
        by_item.setdefault((group[0], group[1], group[3]), []).append(group)
    runs: list[tuple[GroupKey, list[list[Record]]]] = []
    for item_groups in by_item.values():
        dated = sorted(g for g in item_groups if g[2] is not None)
        undated = [g for g in item_groups if g[2] is None]
        current: list[GroupKey] = []
        for group in dated:
            if current and _continues(current[-1], group, grouped):
                current.append(group)
                continue
            if current:
                runs.append((current[0], [grouped[g] for g in current]))
            current = [group]
        if current:
            runs.append((current[0], [grouped[g] for g in current]))
        runs.extend((g, [grouped[g]]) for g in undated)
    return runs


def _continues(last: GroupKey, group: GroupKey, grouped: Mapping[GroupKey, list[Record]]) -> bool:
    years_follow = last[2] is not None and group[2] == last[2] + 1
    return years_follow and _kind_set(grouped[last]) == _kind_set(grouped[group])


def _kind_set(records: Iterable[Record]) -> frozenset[tuple[str, str]]:
    return frozenset((str(r["detector"]), str(r["kind"])) for r in records)


def _year(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def to_row(
    run: Sequence[Sequence[Record]],
    marks: KindMarks,
    settings: ReportSettings,
    item_labels: Mapping[str, str],
    heading: Names,
    reference: bool,
    key: Key,
) -> Row:
    """One checklist row from the findings of consecutive years of one item (``run``, each year
    in review order): labels in Japanese, one question, the evidence of each field once."""
    members = [record for group in run for record in group]
    last = run[-1]
    years = tuple(_year(group[0].get("fiscal_year")) for group in run)
    first = members[0]
    written = (str(first["department"]), str(first["division"]))
    kinds = marks(members)
    year_label = years_label(years, settings)
    return Row(
        group_id=group_id(key, str(first["item_id"]), years[0], reference),
        severity=kinds[0].severity,
        severity_label=SEVERITY_LABELS.get(kinds[0].severity, kinds[0].severity),
        kinds=kinds,
        item_label=item_labels.get(str(first["item_id"]), str(first["item"])),
        years=years,
        year_label=year_label,
        quotes=quotes(last, era_label(years[-1]) if len(years) > 1 else ""),
        compared=tuple(dict.fromkeys(c for r in last if (c := compared_text(r)))),
        question=combined_question(last, marks(last), settings, year_label, kinds)
        if len(run) > 1
        else combined_question(last, kinds, settings),
        department=written[0],
        division=written[1],
        written_as=written_label(written) if written != heading else "",
        reference=reference,
        findings=len(members),
        field_separator=settings.field_separator,
        list_separator=settings.list_separator,
    )


class KindMarks:
    """``kind_marks`` of findings, worked out once per distinct (detector, kind, severity,
    field) sequence: most rows hold one finding, and their kinds repeat row after row.

    Example:
        >>> marks = KindMarks(Questions.load())
        >>> found = [{"detector": "copy_paste", "kind": "identical", "field": "plan",
        ...           "severity": "high"}]
        >>> marks(found) is marks([dict(found[0], evidence="other")])
        True
    """

    def __init__(self, questions: Questions) -> None:
        self.questions = questions
        self.memo: dict[tuple[tuple[str, str, str, str], ...], tuple[KindMark, ...]] = {}

    def __call__(self, records: Sequence[Record]) -> tuple[KindMark, ...]:
        """The kinds of ``records``, as ``kind_marks`` gives them."""
        key = tuple(
            (str(r["detector"]), str(r["kind"]), str(r["severity"]), str(r["field"]))
            for r in records
        )
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = kind_marks(records, self.questions)
        return found


def kind_marks(records: Sequence[Record], questions: Questions) -> tuple[KindMark, ...]:
    """The kinds of ``records`` (in review order), each with its strongest severity and its
    fields, ordered by severity then ``questions.tsv``.

    Example:
        >>> marks = kind_marks([{"detector": "copy_paste", "kind": "identical", "field": "plan",
        ...     "severity": "high"}, {"detector": "copy_paste", "kind": "identical",
        ...     "field": "status", "severity": "medium"}], Questions.load())
        >>> [(m.label, m.severity, m.fields) for m in marks]
        [('前年度と同一の記述', 'high', ('実施状況', '今後の実施計画'))]
    """
    found: dict[tuple[str, str], tuple[str, set[str]]] = {}
    for record in records:
        detector, kind = str(record["detector"]), str(record["kind"])
        severity = str(record["severity"])
        strongest, fields = found.get((detector, kind), (severity, set()))
        fields.add(str(record["field"]))
        found[(detector, kind)] = (min(strongest, severity, key=_severity_rank), fields)
    marks = [
        KindMark(
            detector=detector,
            kind=kind,
            rank=questions.rank(detector, kind),
            label=questions.label(detector, kind),
            severity=severity,
            fields=tuple(FIELD_LABELS.get(f, f) for f in sorted(fields, key=_field_rank) if f),
        )
        for (detector, kind), (severity, fields) in found.items()
    ]
    return tuple(sorted(marks, key=lambda m: (_severity_rank(m.severity), m.rank, m.kind)))


def _severity_rank(severity: str) -> int:
    return _SEVERITY_RANK.get(severity, len(_SEVERITY_RANK))


def _field_rank(name: str) -> tuple[int, str]:
    return _FIELD_RANK.get(name, len(_FIELD_RANK)), name


def years_label(years: Sequence[int | None], settings: ReportSettings) -> str:
    """One year as the documents print it; a run as ``settings.year_run``.

    Example:
        >>> settings = ReportSettings.load()
        >>> years_label((2019, 2020, 2021, 2022), settings), years_label((2021,), settings)
        ('令和元年度から令和4年度まで', '令和3年度')
    """
    if len(years) > 1:
        return settings.year_run.format(first=era_label(years[0]), last=era_label(years[-1]))
    return era_label(years[0]) if years else ""


def group_id(key: Key, item_id: str, first_year: int | None, reference: bool) -> str:
    """A stable id of a checklist row: 12 hex digits of the SHA-1 of what identifies it.

    Example:
        >>> group_id(("a.txt", "健康課"), "x", 2021, False)
        '803b72258459'
    """
    source, division = key
    year = "" if first_year is None else str(first_year)
    text = "\t".join([source, division, item_id, year, "r" if reference else ""])
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def quotes(records: Sequence[Record], year_label: str = "") -> tuple[Quote, ...]:
    """The evidence of each field once (fields in FIELD_LABELS order): a text contained in
    another quote of the same field is left out, its highlights moved into that quote;
    highlights of the same text are merged.

    Example:
        >>> found = [{"field": "status", "evidence": "研修を中止", "highlights": [(3, 5, "x")]},
        ...          {"field": "status", "evidence": "研修", "highlights": [(0, 2, "y")]},
        ...          {"field": "plan", "evidence": "継続", "highlights": []}]
        >>> [(q.label, q.pieces) for q in quotes(found)][0]
        ('実施状況', (('研修', 'y'), ('を', ''), ('中止', 'x')))
        >>> [q.label for q in quotes(found)]
        ['実施状況', '今後の実施計画']
    """
    texts: dict[str, dict[str, list[Any]]] = {}
    for record in sorted(records, key=lambda r: _field_rank(str(r["field"]))):
        spans = texts.setdefault(str(record["field"]), {}).setdefault(str(record["evidence"]), [])
        spans.extend(record.get("highlights") or ())
    shown: list[Quote] = []
    for name, by_text in texts.items():
        label = FIELD_LABELS.get(name, name) or name
        label = f"{label}（{year_label}）" if year_label else label
        for text, spans in _contained_moved(by_text).items():
            shown.append(Quote(name, label, text, split_highlights(text, spans)))
    return tuple(shown)


def _contained_moved(by_text: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The texts of one field that no other contains; a contained text's highlights move into
    the text holding it (shifted to where it occurs there)."""
    if len(by_text) == 1:  # most fields quote one text: nothing can contain it
        ((text, spans),) = by_text.items()
        return {text: list(spans)} if text.strip() else {}
    kept = {
        text: list(spans)
        for text, spans in by_text.items()
        if text.strip() and not any(text in other for other in by_text if other != text)
    }
    for text, spans in by_text.items():
        holder = next((other for other in kept if text in other and other != text), None)
        if holder is not None:
            offset = holder.find(text)
            kept[holder].extend((int(a) + offset, int(b) + offset, r) for a, b, r in spans)
    return kept


def combined_question(
    records: Sequence[Record],
    marks: Sequence[KindMark],
    settings: ReportSettings,
    years: str = "",
    run_marks: Sequence[KindMark] = (),
) -> str:
    """One question for a row: the strongest kind's question naming all its fields, then one
    sentence naming the other kinds; a run of years opens with ``settings.every_year``.

    Example:
        >>> settings = ReportSettings.load()
        >>> marks = (KindMark("copy_paste", "identical", 0, "同一", "high", ("実施状況", "評価")),
        ...          KindMark("covid", "suspended", 9, "中止", "medium", ("実施状況",)))
        >>> found = [{"detector": "copy_paste", "kind": "identical", "field": "status",
        ...           "question": "研修の実施状況は同じです。"}]
        >>> combined_question(found, marks, settings)
        '研修の実施状況・評価は同じです。このほか、中止（実施状況）も見られます。あわせて説明してください。'
    """
    primary = marks[0]
    question = str(_primary_record(records, primary)["question"])
    if len(primary.fields) > 1:
        joined = settings.field_separator.join(primary.fields)
        question = question.replace(primary.fields[0], joined, 1)
    others = [kind_with_fields(m, settings.field_separator) for m in marks[1:]]
    if others:
        question += settings.also_asked.format(kinds=settings.list_separator.join(others))
    if years:
        kinds = settings.list_separator.join(m.label for m in run_marks)
        question = settings.every_year.format(years=years, kinds=kinds) + question
    return question


def _primary_record(records: Sequence[Record], primary: KindMark) -> Record:
    """The finding whose question a row asks: the primary kind on its first field."""
    for record in records:
        same_kind = (str(record["detector"]), str(record["kind"])) == (
            primary.detector,
            primary.kind,
        )
        label = FIELD_LABELS.get(str(record["field"]), str(record["field"]))
        if same_kind and (not primary.fields or label == primary.fields[0]):
            return record
    return records[0]


def compared_text(record: Record) -> str:
    """What a finding was compared with (``compared_field``, ``compared_year``,
    ``compared_text``), as shown: ``実施状況（令和2年度）: 本文``; within the year
    ``実施状況: 本文``; the text alone when no field is named.

    Example:
        >>> compared_text({"compared_field": "plan", "compared_year": 2020,
        ...                "compared_text": "研修を実施する。"})
        '今後の実施計画（令和2年度）: 研修を実施する。'
        >>> compared_text({"compared_field": "status", "compared_text": "研修"}), compared_text({})
        ('実施状況: 研修', '')
    """
    text = str(record.get("compared_text") or "")
    name = str(record.get("compared_field") or "")
    if not text or not name:
        return text
    year = era_label(_year(record.get("compared_year")))
    label = FIELD_LABELS.get(name, name)
    return f"{label}（{year}）: {text}" if year else f"{label}: {text}"


def written_label(names: Names) -> str:
    """How a row's cells name its department and division, as shown next to the row.

    Example:
        >>> written_label(("企画課", "男女共同参画センター")), written_label(("", "健康課"))
        ('表の記載: 企画課 ／ 男女共同参画センター', '表の記載: （担当部署の記載なし） ／ 健康課')
    """
    department, division = names
    return f"{WRITTEN_AS}: {department or NO_DEPARTMENT} ／ {division or NO_DIVISION}"


def split_highlights(text: str, spans: Iterable[Sequence[Any]]) -> tuple[tuple[str, str], ...]:
    """``text`` cut into (piece, role) at the highlight spans; plain pieces have role ''.

    Overlapping or out-of-range spans are clipped; a role is reduced to ``[a-z0-9_-]`` so it
    can serve as a CSS class.

    Example:
        >>> split_highlights("コロナで中止した", [(0, 3, "cause"), (4, 6, "effect")])
        (('コロナ', 'cause'), ('で', ''), ('中止', 'effect'), ('した', ''))
    """
    pieces: list[tuple[str, str]] = []
    position = 0
    for start, end, role in sorted((int(s), int(e), str(r)) for s, e, r in spans):
        start, end = max(start, position), min(end, len(text))
        if start >= end:
            continue
        if start > position:
            pieces.append((text[position:start], ""))
        pieces.append((text[start:end], _ROLE.sub("", role.lower()) or "mark"))
        position = end
    if position < len(text) or not pieces:
        pieces.append((text[position:], ""))
    return tuple(pieces)


def _item_labels(entries: pd.DataFrame) -> dict[str, str]:
    labels: dict[str, str] = {}
    for item_id, number, item in zip(
        entries.get("item_id", []),
        entries.get("item_no", []),
        entries.get("item", []),
        strict=False,
    ):
        labels.setdefault(str(item_id), f"{number} {item}".strip())
    return labels


def _nest(
    headings: Mapping[Key, Names], rows: Mapping[Key, list[Row]], titles: Mapping[str, str]
) -> list[Plan]:
    plans: dict[str, Plan] = {}
    departments: dict[tuple[str, str], Department] = {}
    for number, ((source, key), (department, division)) in enumerate(headings.items(), start=1):
        plan = plans.setdefault(source, Plan(source, title=titles.get(source, source)))
        if (source, department) not in departments:
            departments[(source, department)] = Department(department or NO_DEPARTMENT)
            plan.departments.append(departments[(source, department)])
        departments[(source, department)].divisions.append(
            Division(
                source=source,
                department=department or NO_DEPARTMENT,
                name=division or NO_DIVISION,
                anchor=f"d{number}",
                rows=rows.get((source, key), []),
                key=key,
                plan=plan.title,
            )
        )
    return list(plans.values())


LABEL_COLUMNS: tuple[str, ...] = ("group_id", "kind_ja", "severity_ja", "field_ja")
"""Columns findings.csv adds to FINDING_COLUMNS: the checklist row of each finding and the
Japanese names of its kind, severity and field."""


def labelled_findings(
    findings: pd.DataFrame, checklist: Checklist, questions: Questions
) -> pd.DataFrame:
    """``findings`` with ``LABEL_COLUMNS`` added (``checklist`` built from these findings).

    Example:
        >>> import pandas as pd
        >>> from pipeline.findings import findings_frame
        >>> found = labelled_findings(findings_frame([]), Checklist([]), Questions.load())
        >>> list(found.columns[-4:])
        ['group_id', 'kind_ja', 'severity_ja', 'field_ja']
    """
    pairs = zip(findings["detector"].astype(str), findings["kind"].astype(str), strict=True)
    return findings.assign(
        group_id=list(checklist.finding_groups) or [""] * len(findings),
        kind_ja=[questions.label(detector, kind) for detector, kind in pairs],
        severity_ja=findings["severity"].map(lambda s: SEVERITY_LABELS.get(str(s), str(s))),
        field_ja=findings["field"].map(lambda f: FIELD_LABELS.get(str(f), str(f))),
    )
