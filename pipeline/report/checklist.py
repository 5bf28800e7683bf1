"""The per-division checklist, built once from entries and findings; every writer renders it.

Shape: plan (the source document) -> department (担当部署) -> division (担当課) -> rows, one row
per finding, ordered by severity, then the document's own item order and year
(``sort_findings``). Every division that has entries appears, with no rows when nothing was
found (shown as 指摘なし). A writer only renders this: it never decides what is a finding.

One checklist per (source, ``division_key``): a division written with full- or half-width
brackets, other spacing or a change note (``シティプロモーション課（令和4年度～市民協働課）``,
``lexicons/org_changes.tsv``) is one division. Its heading is the division name and the
department the document writes most often for it (ties: the first written); a row whose own
cells name it otherwise says so (``Row.written_as``). A cell naming several divisions
(``健康推進課 保険年金課``) stays a division of its own.

Example:
    >>> import pandas as pd
    >>> from pipeline.findings import Questions, finding, findings_frame
    >>> entry = {"source": "a.txt", "item_id": "x", "item_no": "1", "item": "研修",
    ...     "department": "福祉保健部", "division": "健康課", "fiscal_year": 2021}
    >>> found = findings_frame([finding(entry=entry, detector="copy_paste", kind="identical",
    ...     field="status", score=1.0, evidence="研修を実施した。", questions=Questions.load(),
    ...     highlights=[(0, 2, "inserted")])])
    >>> checklist = build_checklist(pd.DataFrame([entry]), found, Questions.load())
    >>> division = checklist.divisions()[0]
    >>> division.name, division.rows[0].severity_label, division.rows[0].pieces
    ('健康課', '高', (('研修', 'inserted'), ('を実施した。', '')))
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from pipeline.detectors import sort_findings
from pipeline.findings import FIELD_LABELS, Questions, era_label
from pipeline.lexicons import Lexicons
from pipeline.ratings import fold_cell
from pipeline.schemas import SEVERITIES

SEVERITY_LABELS: dict[str, str] = {"high": "高", "medium": "中", "low": "低"}
DETECTOR_LABELS: dict[str, str] = {
    "copy_paste": "前年度からの転記",
    "covid": "新型コロナ関連",
    "rating": "評価と記述の食い違い",
    "quality": "記載の不備",
}
"""Japanese names of the detectors in the reports; an unknown detector shows its own name."""

NO_FINDINGS = "指摘なし"
NO_DIVISION = "（担当課の記載なし）"
NO_DEPARTMENT = "（担当部署の記載なし）"
NO_YEAR = "年度なし"
WRITTEN_AS = "表の記載"

_COMPARED = re.compile(r"^(?P<field>[a-z_]+)@(?P<year>\d{4}): (?P<text>.*)$", re.DOTALL)
_ROLE = re.compile(r"[^a-z0-9_-]")

Key = tuple[str, str]
"""(source, division key): one checklist each (``division_key``)."""
Names = tuple[str, str]
"""(department, division) as written in a row of the document."""


@dataclass(frozen=True)
class Row:
    """One finding as the reports show it (labels resolved, evidence split for highlighting).

    ``kind_field_label`` is the kind with its field (``前年度と同一の記述（実施状況）``);
    ``department`` and ``division`` are the row's cells as written, and ``written_as`` shows them
    (``表の記載: 企画課 ／ 男女共同参画センター``) when they differ from the division's heading.
    """

    detector: str
    detector_label: str
    kind: str
    kind_rank: int
    kind_label: str
    kind_field_label: str
    severity: str
    severity_label: str
    item_label: str
    fiscal_year: int | None
    year_label: str
    field: str
    field_label: str
    evidence: str
    pieces: tuple[tuple[str, str], ...]
    compared_with: str
    question: str
    score: float
    department: str
    division: str
    written_as: str


@dataclass
class Division:
    """One division of one plan, with its rows in review order.

    ``name`` and ``department`` are the names the document writes most often for the division;
    ``key`` is what groups it (``division_key``).
    """

    source: str
    department: str
    name: str
    anchor: str
    rows: list[Row] = field(default_factory=list)
    key: str = ""

    def by_severity(self) -> dict[str, int]:
        """Row counts per severity, every severity present.

        Example:
            >>> Division("a.txt", "部", "課", "d1").by_severity()
            {'high': 0, 'medium': 0, 'low': 0}
        """
        return count_severities(self.rows)

    def by_kind(self) -> list[tuple[str, dict[str, int]]]:
        """(kind label, counts per severity) for each kind found here, in (detector, kind) order.

        Example:
            >>> Division("a.txt", "部", "課", "d1").by_kind()
            []
        """
        return count_kinds(self.rows)


@dataclass
class Department:
    """A department (担当部署) of a plan and its divisions in document order."""

    name: str
    divisions: list[Division] = field(default_factory=list)


@dataclass
class Plan:
    """One source document and its departments in document order."""

    source: str
    departments: list[Department] = field(default_factory=list)


@dataclass
class Checklist:
    """Every plan, department and division, with totals for the summaries."""

    plans: list[Plan]

    def divisions(self) -> list[Division]:
        """All divisions in report order.

        Example:
            >>> Checklist([]).divisions()
            []
        """
        return [d for plan in self.plans for dep in plan.departments for d in dep.divisions]

    def rows(self) -> list[Row]:
        """All rows in report order."""
        return [row for division in self.divisions() for row in division.rows]

    def by_severity(self) -> dict[str, int]:
        """Total rows per severity."""
        return count_severities(self.rows())

    def by_kind(self) -> list[tuple[str, dict[str, int]]]:
        """Total rows per kind label and severity."""
        return count_kinds(self.rows())

    def by_detector(self) -> list[tuple[str, dict[str, int]]]:
        """(detector, counts per severity) for each detector with findings, sorted by name."""
        grouped: dict[str, list[Row]] = {}
        for row in sorted(self.rows(), key=lambda r: r.detector):
            grouped.setdefault(row.detector, []).append(row)
        return [(name, count_severities(rows)) for name, rows in grouped.items()]

    def filter_values(self) -> dict[str, list[tuple[str, str]]]:
        """(value, label) choices of the HTML filters: detector, severity and year; findings
        with no fiscal year have the year value '' (年度なし, last).

        Example:
            >>> Checklist([]).filter_values()
            {'detector': [], 'severity': [], 'year': []}
        """
        rows = self.rows()
        detectors = sorted({(r.detector, r.detector_label) for r in rows})
        years = sorted({(r.fiscal_year, r.year_label) for r in rows if r.fiscal_year is not None})
        undated = [("", NO_YEAR)] if any(r.fiscal_year is None for r in rows) else []
        present = {r.severity for r in rows}
        return {
            "detector": detectors,
            "severity": [(s, SEVERITY_LABELS[s]) for s in SEVERITIES if s in present],
            "year": [(str(year), label) for year, label in years] + undated,
        }

    def top_divisions(self, limit: int = 5) -> list[Division]:
        """Divisions with the most high-severity rows (ties: most rows, then report order).

        Example:
            >>> Checklist([]).top_divisions()
            []
        """
        ranked = [d for d in self.divisions() if d.by_severity()["high"]]
        ranked.sort(key=lambda d: (-d.by_severity()["high"], -len(d.rows)))
        return ranked[:limit]


def count_severities(rows: Iterable[Row]) -> dict[str, int]:
    """Counts per severity in SEVERITIES order, zeros included.

    Example:
        >>> count_severities([])
        {'high': 0, 'medium': 0, 'low': 0}
    """
    counts = Counter(row.severity for row in rows)
    return {severity: counts[severity] for severity in SEVERITIES}


def count_kinds(rows: Sequence[Row]) -> list[tuple[str, dict[str, int]]]:
    """(kind label, counts per severity) per kind: detectors by name, each detector's kinds in
    the order of ``lexicons/questions.tsv`` (identical, numbers_only, minor_edit …).

    Example:
        >>> count_kinds([])
        []
    """
    kinds = sorted({(row.detector, row.kind_rank, row.kind, row.kind_label) for row in rows})
    return [
        (label, count_severities(r for r in rows if (r.detector, r.kind) == (detector, kind)))
        for detector, _, kind, label in kinds
    ]


def build_checklist(
    entries: pd.DataFrame,
    findings: pd.DataFrame,
    questions: Questions,
    lexicons: Lexicons | None = None,
) -> Checklist:
    """Group the findings by plan and division (``division_key``); every division of ``entries``
    shows, under the department written most often for it.

    ``findings`` is the detectors' table (FINDING_COLUMNS, optionally ``highlights``);
    ``lexicons`` gives the change notes (``org_changes.tsv``) the grouping leaves out.
    """
    keys = DivisionKeys(change_notes(lexicons))
    ordered = sort_findings(findings, entries) if len(findings) else findings
    tallies = keys.tally(entries)
    found_only = {k: t for k, t in keys.tally(ordered).items() if k not in tallies}
    tallies.update(sorted(found_only.items()))
    headings = {key: most_written(tally) for key, tally in tallies.items()}
    item_labels = _item_labels(entries)
    grouped: dict[Key, list[Row]] = {}
    for record in ordered.to_dict("records"):
        key = keys.of(str(record["source"]), str(record["division"]))
        grouped.setdefault(key, []).append(to_row(record, questions, item_labels, headings[key]))
    return Checklist(_nest(headings, grouped))


def change_notes(lexicons: Lexicons | None = None) -> tuple[re.Pattern[str], ...]:
    """The change-note patterns of ``lexicons/org_changes.tsv`` (matched on the NFKC form).

    Example:
        >>> [bool(p.search("企画部(令和4年度~地域振興部)")) for p in change_notes()]
        [True, False]
    """
    return (lexicons or Lexicons()).patterns("org_changes")


def division_key(name: str, notes: Sequence[re.Pattern[str]]) -> str:
    """The division name as grouped: NFKC, whitespace folded, change notes left out.

    A name that is nothing but a change note keeps it (it is not the empty division).

    Example:
        >>> notes = change_notes()
        >>> division_key("シティプロモーション課（令和4年度～市民協働課）", notes)
        'シティプロモーション課'
        >>> division_key("健康推進課　保険年金課 ", notes), division_key("（令和4年度～課）", notes)
        ('健康推進課 保険年金課', '(令和4年度~課)')
    """
    folded = fold_cell(name)
    for pattern in notes:
        folded = pattern.sub(" ", folded)
    return fold_cell(folded) or fold_cell(name)


@dataclass
class DivisionKeys:
    """``division_key`` with its change notes, computed once per distinct name.

    Example:
        >>> keys = DivisionKeys(change_notes())
        >>> keys.of("a.txt", "男女共同参画センター (令和4年度～地域振興部)")
        ('a.txt', '男女共同参画センター')
    """

    notes: Sequence[re.Pattern[str]]
    _known: dict[str, str] = field(default_factory=dict, repr=False)

    def of(self, source: str, division: str) -> Key:
        """The (source, division key) a row belongs to."""
        if division not in self._known:
            self._known[division] = division_key(division, self.notes)
        return source, self._known[division]

    def tally(self, frame: pd.DataFrame) -> dict[Key, Counter[Names]]:
        """How often each (department, division) is written per key, keys in order of first row.

        Example:
            >>> frame = pd.DataFrame({"source": ["a.txt"] * 2, "department": ["企画部", "企画課"],
            ...     "division": ["広報課", "広報課 "]})
            >>> DivisionKeys(()).tally(frame)
            {('a.txt', '広報課'): Counter({('企画部', '広報課'): 1, ('企画課', '広報課 '): 1})}
        """
        tallies: dict[Key, Counter[Names]] = {}
        if frame.empty:
            return tallies
        columns = frame[["source", "department", "division"]].astype(str)
        for source, department, division in columns.itertuples(index=False, name=None):
            key = self.of(source, division)
            tallies.setdefault(key, Counter())[(department, division)] += 1
        return tallies


def most_written(tally: Counter[Names]) -> Names:
    """The department and the division name written most often (ties: the first written).

    Example:
        >>> most_written(Counter({("企画部", "広報課"): 1, ("企画課", "広報課"): 2}))
        ('企画課', '広報課')
    """
    departments: Counter[str] = Counter()
    divisions: Counter[str] = Counter()
    for (department, division), count in tally.items():
        departments[department] += count
        divisions[division] += count
    return departments.most_common(1)[0][0], divisions.most_common(1)[0][0]


def to_row(
    record: Mapping[Hashable, Any],
    questions: Questions,
    item_labels: Mapping[str, str],
    heading: Names | None = None,
) -> Row:
    """One findings record as a Row: labels in Japanese, evidence split at its highlights.

    ``heading`` is the (department, division) its checklist is shown under; when the record's
    own cells differ from it, ``written_as`` quotes them.
    """
    year = record.get("fiscal_year")
    year = None if year is None or pd.isna(year) else int(year)
    evidence = str(record["evidence"])
    detector, kind, field = str(record["detector"]), str(record["kind"]), str(record["field"])
    kind_label = questions.label(detector, kind)
    field_label = FIELD_LABELS.get(field, field)
    written = (str(record["department"]), str(record["division"]))
    return Row(
        detector=detector,
        detector_label=DETECTOR_LABELS.get(detector, detector),
        kind=kind,
        kind_rank=questions.rank(detector, kind),
        kind_label=kind_label,
        kind_field_label=f"{kind_label}（{field_label}）" if field_label else kind_label,
        severity=str(record["severity"]),
        severity_label=SEVERITY_LABELS.get(str(record["severity"]), str(record["severity"])),
        item_label=item_labels.get(str(record["item_id"]), str(record["item"])),
        fiscal_year=year,
        year_label=era_label(year),
        field=field,
        field_label=field_label,
        evidence=evidence,
        pieces=split_highlights(evidence, record.get("highlights") or ()),
        compared_with=compared_label(str(record["compared_with"])),
        question=str(record["question"]),
        score=float(record["score"]) if pd.notna(record["score"]) else 0.0,
        department=written[0],
        division=written[1],
        written_as=written_label(written) if heading and written != heading else "",
    )


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


def compared_label(compared_with: str) -> str:
    """``status@2020: 本文`` shown as ``実施状況（令和2年度）: 本文``; other text as it is.

    Example:
        >>> compared_label("plan@2020: 研修を実施する。"), compared_label("")
        ('今後の実施計画（令和2年度）: 研修を実施する。', '')
    """
    match = _COMPARED.match(compared_with)
    if not match or match["field"] not in FIELD_LABELS:
        return compared_with
    year_label = era_label(int(match["year"]))
    return f"{FIELD_LABELS[match['field']]}（{year_label}）: {match['text']}"


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


def _nest(headings: Mapping[Key, Names], grouped: Mapping[Key, list[Row]]) -> list[Plan]:
    plans: dict[str, Plan] = {}
    departments: dict[tuple[str, str], Department] = {}
    for number, ((source, key), (department, division)) in enumerate(headings.items(), start=1):
        plan = plans.setdefault(source, Plan(source))
        if (source, department) not in departments:
            departments[(source, department)] = Department(department or NO_DEPARTMENT)
            plan.departments.append(departments[(source, department)])
        departments[(source, department)].divisions.append(
            Division(
                source=source,
                department=department or NO_DEPARTMENT,
                name=division or NO_DIVISION,
                anchor=f"d{number}",
                rows=grouped.get((source, key), []),
                key=key,
            )
        )
    return list(plans.values())
