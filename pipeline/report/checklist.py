"""The per-division checklist, built once from entries and findings; every writer renders it.

Shape: plan (the source document) -> department (担当部署) -> division (担当課) -> rows, one row
per finding, ordered by severity, then the document's own item order and year
(``sort_findings``). Every division that has entries appears, with no rows when nothing was
found (shown as 指摘なし). A writer only renders this: it never decides what is a finding.

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

_COMPARED = re.compile(r"^(?P<field>[a-z_]+)@(?P<year>\d{4}): (?P<text>.*)$", re.DOTALL)
_ROLE = re.compile(r"[^a-z0-9_-]")

Key = tuple[str, str, str]
"""(source, department, division) as written in the entries."""


@dataclass(frozen=True)
class Row:
    """One finding as the reports show it (labels resolved, evidence split for highlighting)."""

    detector: str
    detector_label: str
    kind: str
    kind_label: str
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


@dataclass
class Division:
    """One division of one department of one plan, with its rows in review order."""

    source: str
    department: str
    name: str
    anchor: str
    rows: list[Row] = field(default_factory=list)

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
        """(value, label) choices of the HTML filters: detector, severity and year."""
        rows = self.rows()
        detectors = sorted({(r.detector, r.detector_label) for r in rows})
        years = sorted({(r.fiscal_year, r.year_label) for r in rows if r.fiscal_year is not None})
        present = {r.severity for r in rows}
        return {
            "detector": detectors,
            "severity": [(s, SEVERITY_LABELS[s]) for s in SEVERITIES if s in present],
            "year": [(str(year), label) for year, label in years],
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
    """(kind label, counts per severity) per kind, in (detector, kind) order.

    Example:
        >>> count_kinds([])
        []
    """
    kinds = sorted({(row.detector, row.kind, row.kind_label) for row in rows})
    return [
        (label, count_severities(r for r in rows if (r.detector, r.kind) == (detector, kind)))
        for detector, kind, label in kinds
    ]


def build_checklist(
    entries: pd.DataFrame, findings: pd.DataFrame, questions: Questions
) -> Checklist:
    """Group the findings by plan, department and division; every division of ``entries`` shows.

    ``findings`` is the detectors' table (FINDING_COLUMNS, optionally ``highlights``).
    """
    ordered = sort_findings(findings, entries) if len(findings) else findings
    item_labels = _item_labels(entries)
    grouped: dict[Key, list[Row]] = {}
    for record in ordered.to_dict("records"):
        key = (str(record["source"]), str(record["department"]), str(record["division"]))
        grouped.setdefault(key, []).append(to_row(record, questions, item_labels))
    keys = list(dict.fromkeys(_entry_keys(entries)))
    keys += sorted(set(grouped) - set(keys))
    return Checklist(_nest(keys, grouped))


def to_row(
    record: Mapping[Hashable, Any], questions: Questions, item_labels: Mapping[str, str]
) -> Row:
    """One findings record as a Row: labels in Japanese, evidence split at its highlights."""
    year = record.get("fiscal_year")
    year = None if year is None or pd.isna(year) else int(year)
    evidence = str(record["evidence"])
    return Row(
        detector=str(record["detector"]),
        detector_label=DETECTOR_LABELS.get(str(record["detector"]), str(record["detector"])),
        kind=str(record["kind"]),
        kind_label=questions.label(str(record["detector"]), str(record["kind"])),
        severity=str(record["severity"]),
        severity_label=SEVERITY_LABELS.get(str(record["severity"]), str(record["severity"])),
        item_label=item_labels.get(str(record["item_id"]), str(record["item"])),
        fiscal_year=year,
        year_label=era_label(year),
        field=str(record["field"]),
        field_label=FIELD_LABELS.get(str(record["field"]), str(record["field"])),
        evidence=evidence,
        pieces=split_highlights(evidence, record.get("highlights") or ()),
        compared_with=compared_label(str(record["compared_with"])),
        question=str(record["question"]),
        score=float(record["score"]) if pd.notna(record["score"]) else 0.0,
    )


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


def _entry_keys(entries: pd.DataFrame) -> list[Key]:
    if entries.empty:
        return []
    columns = entries[["source", "department", "division"]].astype(str)
    return list(columns.itertuples(index=False, name=None))


def _nest(keys: list[Key], grouped: Mapping[Key, list[Row]]) -> list[Plan]:
    plans: dict[str, Plan] = {}
    departments: dict[tuple[str, str], Department] = {}
    for number, (source, department, division) in enumerate(keys, start=1):
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
                rows=grouped.get((source, department, division), []),
            )
        )
    return list(plans.values())
