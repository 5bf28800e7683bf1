"""Build findings: the common table every detector returns, with its question filled in.

Besides the fixed columns of ``FINDING_COLUMNS`` (the CSV), the Python API keeps two extra
columns: ``diff`` (token-level changes, for copy-paste) and ``highlights`` (a list of
``(start, end, role)`` spans over ``evidence``: inserted, deleted, cause, effect, rating,
contradiction, typo...), so reports can highlight without re-deciding anything.

Example:
    >>> questions = Questions.load()
    >>> f = finding(entry={"source": "a.txt", "item_id": "x", "item": "研修", "department": "",
    ...     "division": "健康課", "fiscal_year": 2021}, detector="copy_paste", kind="identical",
    ...     field="status", score=1.0, evidence="研修を実施した。", questions=questions,
    ...     compared_with=("status", 2020, "研修を実施した。"))
    >>> f["severity"], f["compared_with"]
    ('high', 'status@2020: 研修を実施した。')
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from pipeline.eras import era_label
from pipeline.lexicons import LexiconError, Lexicons
from pipeline.schemas import ENTRY_COLUMNS, FINDING_COLUMNS, SEVERITIES, conform

API_COLUMNS: tuple[str, ...] = ("diff", "highlights")
"""Extra columns kept in the Python API (not written to findings.csv)."""

FIELD_LABELS: dict[str, str] = {
    "status": "実施状況",
    "evaluation": "担当課の評価",
    "rating": "達成度・評価",
    "plan": "今後の実施計画",
    "other": "その他の記述",
    "department": "担当部署",
    "division": "担当課",
    "indicator": "参考指標",
    "item": "事業名",
    "row": "表の行",
}


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


@dataclasses.dataclass(frozen=True)
class Questions:
    """``lexicons/questions.tsv``: label, default severity and question template per kind, and
    the question templates of kinds that ask differently about one field (``by_field``).

    Example:
        >>> questions = Questions.load()
        >>> fill = {"item": "研修", "year": "令和3年度", "prev_year": "令和2年度"}
        >>> "見直し" in questions.question("copy_paste", "identical", fill, "plan")
        True
        >>> "見直し" in questions.question("copy_paste", "identical", fill, "status")
        False
    """

    rows: Mapping[tuple[str, str], Mapping[str, str]]
    by_field: Mapping[tuple[str, str, str], str] = dataclasses.field(default_factory=dict)

    @classmethod
    def load(cls, lexicons: Lexicons | None = None) -> Questions:
        """Read the question templates; an unknown severity, a field row with its own label or
        severity, an unknown field or a field row without its kind's row is a LexiconError."""
        rows: dict[tuple[str, str], Mapping[str, str]] = {}
        by_field: dict[tuple[str, str, str], str] = {}
        for row in (lexicons or Lexicons()).table("questions"):
            if row.get("field"):
                _check_field_row(row)
                by_field[(row["detector"], row["kind"], row["field"])] = row["question"]
                continue
            if row["severity"] not in SEVERITIES:
                raise LexiconError(
                    f"questions.tsv: severity {row['severity']!r} of {row['kind']} "
                    f"is not one of {SEVERITIES}"
                )
            rows[(row["detector"], row["kind"])] = row
        for detector, kind, name in by_field:
            if (detector, kind) not in rows:
                raise LexiconError(
                    f"questions.tsv: the {name} question of {detector}/{kind} has no row for "
                    "the kind itself (with an empty field, its label and severity)"
                )
        return cls(rows, by_field)

    def get(self, detector: str, kind: str) -> Mapping[str, str]:
        """The row of a kind; a kind without a row is a LexiconError naming it."""
        try:
            return self.rows[(detector, kind)]
        except KeyError:
            raise LexiconError(f"questions.tsv has no row for {detector}/{kind}") from None

    def rank(self, detector: str, kind: str) -> int:
        """The kind's place among the kinds of questions.tsv (unknown kinds last).

        Example:
            >>> questions = Questions.load()
            >>> questions.rank("copy_paste", "identical") < questions.rank("covid", "suspended")
            True
        """
        return self._ranks.get((detector, kind), len(self._ranks))

    @functools.cached_property
    def _ranks(self) -> dict[tuple[str, str], int]:
        return {key: rank for rank, key in enumerate(self.rows)}

    def label(self, detector: str, kind: str) -> str:
        """The kind's Japanese name, or the kind itself when unknown."""
        row = self.rows.get((detector, kind))
        return row["label"] if row else kind

    def question(
        self, detector: str, kind: str, values: Mapping[str, str], field_name: str = ""
    ) -> str:
        """The question of the kind about ``field_name`` (the field's own row, else the kind's)
        with ``values`` filled in (missing placeholders become '')."""
        template = self.by_field.get((detector, kind, field_name))
        if template is None:
            template = self.get(detector, kind)["question"]
        return template.format_map(_Blank(values))


QUESTION_FIELDS: frozenset[str] = frozenset(FIELD_LABELS) | frozenset(ENTRY_COLUMNS)
"""Fields a row of questions.tsv may name in its ``field`` column."""


def _check_field_row(row: Mapping[str, str]) -> None:
    """A field row names a known field and leaves label and severity to the kind's row."""
    where = f"questions.tsv: the {row['field']} question of {row['detector']}/{row['kind']}"
    if row["field"] not in QUESTION_FIELDS:
        raise LexiconError(f"{where}: unknown field (e.g. {', '.join(FIELD_LABELS)})")
    if row.get("label") or row.get("severity"):
        raise LexiconError(
            f"{where}: leave label and severity empty (they come from the kind's own row)"
        )


def finding(
    *,
    entry: Mapping[str, Any],
    detector: str,
    kind: str,
    field: str,
    score: float,
    evidence: str,
    questions: Questions,
    severity: str | None = None,
    compared_with: tuple[str, int | None, str] | None = None,
    values: Mapping[str, str] | None = None,
    diff: Sequence[tuple[str, str]] | None = None,
    highlights: Iterable[tuple[int, int, str]] = (),
) -> dict[str, Any]:
    """One finding row for ``entry`` (a row of the entries table, or a dict with its keys).

    ``compared_with`` is ``(field, year, text)``; ``values`` fill extra placeholders of the
    question ({numbers}, {terms}, {rating}, {detail}).
    """
    year = entry.get("fiscal_year")
    fill = {
        "item": str(entry.get("item", "")),
        "year": era_label(year),
        "prev_year": era_label(None if year is None or pd.isna(year) else int(year) - 1),
        "field": FIELD_LABELS.get(field, field),
        "compared_field": FIELD_LABELS.get(compared_with[0], "") if compared_with else "",
        **(values or {}),
    }
    compared = ""
    if compared_with:
        other_field, other_year, other_text = compared_with
        compared = f"{other_field}@{other_year}: {other_text}" if other_year else other_text
    return {
        "source": entry.get("source", ""),
        "item_id": entry.get("item_id", ""),
        "item": entry.get("item", ""),
        "department": entry.get("department", ""),
        "division": entry.get("division", ""),
        "fiscal_year": year,
        "detector": detector,
        "kind": kind,
        "field": field,
        "severity": severity or questions.get(detector, kind)["severity"],
        "score": round(float(score), 4),
        "evidence": evidence,
        "compared_with": compared,
        "question": questions.question(detector, kind, fill, field),
        "diff": list(diff or []),
        "highlights": sorted(highlights),
    }


def findings_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Findings rows as a DataFrame: the fixed columns in order, then the API columns.

    Example:
        >>> list(findings_frame([]).columns) == list(FINDING_COLUMNS + API_COLUMNS)
        True
    """
    frame = pd.DataFrame(list(rows), columns=list(FINDING_COLUMNS + API_COLUMNS))
    for name in API_COLUMNS:
        frame[name] = frame[name].map(lambda value: value if isinstance(value, list) else [])
    frame[list(API_COLUMNS)] = frame[list(API_COLUMNS)].astype(object)
    return conform(frame, FINDING_COLUMNS)[list(FINDING_COLUMNS + API_COLUMNS)]
