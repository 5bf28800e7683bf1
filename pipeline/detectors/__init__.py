"""Detectors: entries in, findings out (one module per detector, one small interface).

Every detector is a function ``detect(entries, context) -> findings`` registered with its
``Spec`` (name, label, group and kinds: see ``pipeline.findings.Kind``). ``entries`` has the
columns of ``ENTRY_COLUMNS``; the returned frame has the columns of
``FINDING_COLUMNS`` in order (then the API columns ``diff`` and ``highlights``), also on empty
input. A detector never writes files. Its docstring says Why, gives an Example and names its
False positives.

Example:
    >>> sorted(load_all())
    ['copy_paste', 'covid', 'quality', 'rating']
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from pipeline.findings import Questions, Spec, findings_frame
from pipeline.lexicons import Lexicons
from pipeline.schemas import SEVERITIES

if TYPE_CHECKING:
    from pipeline.text import TextLayer


@dataclass
class Context:
    """What a detector may read besides the entries: text layer, lexicons, sibling tables."""

    text: TextLayer
    lexicons: Lexicons
    questions: Questions
    indicators: pd.DataFrame = field(default_factory=pd.DataFrame)
    repairs: pd.DataFrame = field(default_factory=pd.DataFrame)

    @classmethod
    def build(
        cls,
        lexicons: Lexicons | None = None,
        indicators: pd.DataFrame | None = None,
        repairs: pd.DataFrame | None = None,
    ) -> Context:
        """A context with its own text layer over ``lexicons`` (default: the project's).

        Example:
            >>> Context.build().questions.label("copy_paste", "identical")
            '前年度と同一の記述'
        """
        from pipeline.text import TextLayer

        lex = lexicons or Lexicons()
        return cls(
            text=TextLayer(lex),
            lexicons=lex,
            questions=Questions.load(lex),
            indicators=pd.DataFrame() if indicators is None else indicators,
            repairs=pd.DataFrame() if repairs is None else repairs,
        )

    @property
    def settings(self) -> dict:  # type: ignore[type-arg]
        """``lexicons/settings.yaml``."""
        return self.lexicons.settings


Detector = Callable[[pd.DataFrame, Context], pd.DataFrame]
REGISTRY: dict[str, Detector] = {}
SPECS: dict[str, Spec] = {}

Tools = TypeVar("Tools")
Record = TypeVar("Record")
Check = Callable[[Tools, Context, Sequence[Record]], list[dict[str, Any]]]
"""One check of a detector: its tools (rules, reader), the context, the ordered records."""


def run_checks(
    checks: Sequence[Check[Tools, Record]],
    tools: Tools,
    context: Context,
    records: Sequence[Record],
) -> list[dict[str, Any]]:
    """The finding rows of every check over the same records, check by check.

    Example:
        >>> listed = lambda tools, context, records: [{"n": n} for n in records]
        >>> run_checks([listed, listed], None, None, [1, 2])
        [{'n': 1}, {'n': 2}, {'n': 1}, {'n': 2}]
    """
    return [row for check in checks for row in check(tools, context, records)]


def register(spec: Spec) -> Callable[[Detector], Detector]:
    """Register a detector with its description (``spec.name`` is its findings' ``detector``)."""

    def add(function: Detector) -> Detector:
        REGISTRY[spec.name] = function
        SPECS[spec.name] = spec
        return function

    return add


def load_all() -> dict[str, Detector]:
    """Import every detector module of this package (each registers itself)."""
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        importlib.import_module(f"{__name__}.{module.name}")
    return REGISTRY


def sort_findings(findings: pd.DataFrame, entries: pd.DataFrame) -> pd.DataFrame:
    """Order: severity, then the document's own item order, then year, detector, kind, field.

    The document order is the order of first appearance of each item_id in ``entries``.
    """
    order = {item: rank for rank, item in enumerate(dict.fromkeys(entries.get("item_id", [])))}
    keyed = findings.assign(
        _severity=findings["severity"].map({s: i for i, s in enumerate(SEVERITIES)}),
        _order=findings["item_id"].map(order).fillna(len(order)),
    )
    keyed = keyed.sort_values(
        ["_severity", "source", "_order", "fiscal_year", "detector", "kind", "field", "evidence"],
        kind="mergesort",
    )
    return keyed.drop(columns=["_severity", "_order"]).reset_index(drop=True)


def run_all(
    entries: pd.DataFrame,
    context: Context,
    names: Iterable[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Run the named detectors (default: all registered) and return their findings, sorted."""
    load_all()
    selected = sorted(REGISTRY) if names is None else list(names)
    frames = []
    for name in selected:
        if progress:
            progress(name)
        frames.append(REGISTRY[name](entries, context))
    combined = findings_frame(
        {str(key): value for key, value in row.items()}
        for frame in frames
        for row in frame.to_dict("records")
    )
    return sort_findings(combined, entries)
