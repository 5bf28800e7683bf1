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
import operator
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from pipeline.eras import era_label
from pipeline.lexicons import LexiconError, Lexicons
from pipeline.schemas import ENTRY_COLUMNS, FINDING_COLUMNS, SEVERITIES, TEXT_DTYPE, conform

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
class Kind:
    """One finding kind as its detector declares it: the only place a kind is described.

    ``severity`` is the default; ``rule`` says (in English, for the README) when the detector
    raises or lowers it; ``group`` (転記 / コロナ / 評価 / 品質) defaults to the detector's.
    The question wording lives in the lexicon the detector names (``questions.tsv``).

    Example:
        >>> Kind("identical", "前年度と同一の記述", "high").severity
        'high'
    """

    code: str
    label: str
    severity: str
    meaning: str = ""
    rule: str = ""
    group: str = ""

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise LexiconError(f"kind {self.code}: severity {self.severity!r} not in {SEVERITIES}")


@dataclasses.dataclass(frozen=True)
class Spec:
    """A detector's description: name, Japanese label, group, kinds, and the lexicon holding
    its question templates.

    Example:
        >>> spec = Spec("demo", "例", "品質", (Kind("a", "甲", "low"),))
        >>> spec.kind("a").label, spec.group_of("a")
        ('甲', '品質')
    """

    name: str
    label: str
    group: str
    kinds: tuple[Kind, ...]
    questions: str = "questions"

    def kind(self, code: str) -> Kind:
        """The declared kind ``code``; an undeclared kind is a LexiconError naming it."""
        for kind in self.kinds:
            if kind.code == code:
                return kind
        raise LexiconError(f"{self.name} declares no kind {code!r}")

    def group_of(self, code: str) -> str:
        """The kind's group (its own, else the detector's)."""
        return self.kind(code).group or self.group

    def severity(self, code: str) -> str:
        """The kind's default severity."""
        return self.kind(code).severity


def detector_specs() -> dict[str, Spec]:
    """Every registered detector's Spec, by name (imports the detector modules).

    Example:
        >>> sorted(detector_specs())
        ['copy_paste', 'covid', 'quality', 'rating']
    """
    from pipeline.detectors import SPECS, load_all

    load_all()
    return dict(sorted(SPECS.items()))


@dataclasses.dataclass(frozen=True)
class Questions:
    """Every declared kind (``Spec``) with its question templates from the lexicon its detector
    names: label, default severity, group and question per kind, and the templates of kinds that
    ask differently about one field (``by_field``).

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
        """The kinds of every detector with their questions. A declared kind without a question,
        a question for an undeclared kind, an unknown field or a field row of a kind without its
        own row is a LexiconError naming the lexicon."""
        lex = lexicons or Lexicons()
        rows: dict[tuple[str, str], Mapping[str, str]] = {}
        by_field: dict[tuple[str, str, str], str] = {}
        for spec in detector_specs().values():
            templates = _templates(lex, spec)
            for kind in spec.kinds:
                if kind.code not in templates:
                    raise LexiconError(
                        f"{spec.questions}.tsv has no question for {spec.name}/{kind.code}"
                    )
                rows[(spec.name, kind.code)] = {
                    "label": kind.label,
                    "severity": kind.severity,
                    "group": spec.group_of(kind.code),
                    "question": templates[kind.code].pop(""),
                }
                for name, template in templates.pop(kind.code).items():
                    by_field[(spec.name, kind.code, name)] = template
            for code in templates:
                raise LexiconError(
                    f"{spec.questions}.tsv: {spec.name}/{code} is not a kind {spec.name} declares"
                )
        return cls(rows, by_field)

    def get(self, detector: str, kind: str) -> Mapping[str, str]:
        """The kind's label, severity, group and question; an unknown kind is a LexiconError."""
        try:
            return self.rows[(detector, kind)]
        except KeyError:
            raise LexiconError(f"{detector} declares no kind {kind!r}") from None

    def rank(self, detector: str, kind: str) -> int:
        """The kind's place among the declared kinds (detectors by name; unknown kinds last).

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

    def group(self, detector: str, kind: str) -> str:
        """The kind's group (転記, コロナ, 評価, 品質), or '' when unknown."""
        row = self.rows.get((detector, kind))
        return row["group"] if row else ""

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


def _templates(lexicons: Lexicons, spec: Spec) -> dict[str, dict[str, str]]:
    """The question templates of ``spec``'s rows in its lexicon: kind -> field ('' = the
    kind's own question) -> template."""
    found: dict[str, dict[str, str]] = {}
    for row in lexicons.table(spec.questions):
        if row["detector"] != spec.name:
            continue
        where = f"{spec.questions}.tsv: {spec.name}/{row['kind']}"
        if row["field"] and row["field"] not in QUESTION_FIELDS:
            raise LexiconError(
                f"{where}: unknown field {row['field']!r} (e.g. {', '.join(FIELD_LABELS)})"
            )
        found.setdefault(row["kind"], {})[row["field"]] = row["question"]
    for code, templates in found.items():
        if "" not in templates:
            raise LexiconError(
                f"{spec.questions}.tsv: {spec.name}/{code} has field rows but no row for the kind "
                "itself (empty field)"
            )
    return found


def kinds_table(specs: Mapping[str, Spec] | None = None) -> str:
    """The README's table of kinds (Markdown), generated from the detectors' Specs.

    Example:
        >>> kinds_table().splitlines()[0]
        '| detector | kind | 種類 | group | severity | what it means |'
    """
    lines = [
        "| detector | kind | 種類 | group | severity | what it means |",
        "|---|---|---|---|---|---|",
    ]
    for spec in (specs or detector_specs()).values():
        for kind in spec.kinds:
            severity = f"{kind.severity}: {kind.rule}" if kind.rule else kind.severity
            lines.append(
                f"| {spec.name} | `{kind.code}` | {kind.label} | {spec.group_of(kind.code)} "
                f"| {severity} | {kind.meaning} |"
            )
    return "\n".join(lines) + "\n"


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
    year_label, prev_label = _year_labels(year)
    fill = {
        "item": str(entry.get("item", "")),
        "year": year_label,
        "prev_year": prev_label,
        "field": FIELD_LABELS.get(field, field),
        "compared_field": FIELD_LABELS.get(compared_with[0], "") if compared_with else "",
        **(values or {}),
    }
    other_field, other_year, other_text = compared_with or ("", None, "")
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
        "compared_field": other_field,
        "compared_year": other_year,
        "compared_text": other_text,
        "question": questions.question(detector, kind, fill, field),
        "diff": list(diff or []),
        "highlights": sorted(highlights),
    }


def _year_labels(year: Any) -> tuple[str, str]:
    """The era labels of ``year`` and of the year before (memoised for a Python int or None,
    the years ``finding`` is given, else computed as they come).

    Example:
        >>> _year_labels(2020), _year_labels(None)
        (('令和2年度', '令和元年度'), ('', ''))
    """
    if year is None or type(year) is int:
        return _int_year_labels(year)
    return era_label(year), era_label(None if pd.isna(year) else int(year) - 1)


@functools.lru_cache(maxsize=256)
def _int_year_labels(year: int | None) -> tuple[str, str]:
    return era_label(year), era_label(None if year is None else year - 1)


def findings_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Findings rows as a DataFrame: the fixed columns in order, then the API columns.

    Example:
        >>> list(findings_frame([]).columns) == list(FINDING_COLUMNS + API_COLUMNS)
        True
    """
    listed = list(rows)
    if not listed:
        return empty_findings().copy()
    typed = _typed_columns(listed)
    if typed is not None:
        return pd.DataFrame(typed)
    return _general_frame(listed)


@functools.cache
def empty_findings() -> pd.DataFrame:
    """The findings frame of no rows, built once: read its columns and dtypes, never change
    it (``findings_frame([])`` hands out copies).

    Example:
        >>> empty_findings().shape == (0, len(FINDING_COLUMNS + API_COLUMNS))
        True
    """
    return _general_frame([])


def _general_frame(listed: list[Mapping[str, Any]]) -> pd.DataFrame:
    """``findings_frame`` by pandas: any rows, conformed to the schema."""
    frame = pd.DataFrame(listed, columns=list(FINDING_COLUMNS + API_COLUMNS))
    for name in API_COLUMNS:
        frame[name] = frame[name].map(lambda value: value if isinstance(value, list) else [])
    frame[list(API_COLUMNS)] = frame[list(API_COLUMNS)].astype(object)
    return conform(frame, FINDING_COLUMNS)[list(FINDING_COLUMNS + API_COLUMNS)]


def _typed_columns(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """The columns of ``findings_frame`` built straight from rows as ``finding`` makes them
    (every column, text as ``str``, years as ``int`` or None, the score a ``float``, the API
    columns lists), in the dtypes ``conform`` would give; None for anything else (no rows, a
    missing column, another type), which takes the general path.

    Example:
        >>> rows = [{**dict.fromkeys(FINDING_COLUMNS, "x"), "fiscal_year": 2021,
        ...          "compared_year": None, "score": 1.0, "diff": [], "highlights": []}]
        >>> typed = _typed_columns(rows)
        >>> typed["compared_year"].tolist(), typed["score"].tolist()
        ([<NA>], [1.0])
    """
    if not rows or any(len(row) != len(_ALL_COLUMNS) for row in rows):
        return None
    try:
        cells = dict(zip(_ALL_COLUMNS, zip(*map(_ROW_CELLS, rows), strict=True), strict=True))
    except KeyError:
        return None
    typed: dict[str, Any] = {}
    for name, cell_tuple in cells.items():
        values = list(cell_tuple)
        types = set(map(type, values))
        if name in API_COLUMNS:
            if not types <= {list}:
                return None
            typed[name] = pd.Series(values, dtype=object)
        elif name in _YEAR_COLUMNS:
            if not types <= {type(None), int}:
                return None
            typed[name] = pd.array(values, dtype="Int64")
        elif name == "score":
            if not types <= {float}:
                return None
            typed[name] = pd.array(values, dtype="float64").to_numpy()
        elif types <= {str}:
            typed[name] = pd.array(values, dtype=TEXT_DTYPE)
        else:
            return None
    return typed


_ALL_COLUMNS = FINDING_COLUMNS + API_COLUMNS
_ROW_CELLS = operator.itemgetter(*_ALL_COLUMNS)
_YEAR_COLUMNS = ("fiscal_year", "compared_year")
