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
import itertools
import pkgutil
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from pipeline.findings import API_COLUMNS, Questions, Spec, findings_frame
from pipeline.lexicons import Lexicons
from pipeline.schemas import FINDING_COLUMNS, SEVERITIES, conform, conformed, records

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


Rows = tuple[Mapping[str, Any], ...]
_SHARED: list[tuple[pd.DataFrame, list[Rows]]] = []


def frozen_records(frame: pd.DataFrame) -> Rows:
    """The rows of ``frame`` as ``records`` gives them, read-only (a detector cannot change
    another's rows); while ``run_all`` runs, the entries' rows are built once for every
    detector.

    Example:
        >>> rows = frozen_records(pd.DataFrame({"item": ["研修"]}))
        >>> rows[0]["item"], type(rows[0]).__name__
        ('研修', 'mappingproxy')
    """
    for shared, built in _SHARED:
        if shared is frame:
            if not built:
                built.append(_frozen(frame))
            return built[0]
    return _frozen(frame)


def _frozen(frame: pd.DataFrame) -> Rows:
    return tuple(map(MappingProxyType, records(frame)))


@contextmanager
def sharing_records(frame: pd.DataFrame) -> Iterator[None]:
    """Within this block ``frozen_records(frame)`` builds the rows of ``frame`` once.

    Example:
        >>> frame = pd.DataFrame({"item": ["研修"]})
        >>> with sharing_records(frame):
        ...     frozen_records(frame) is frozen_records(frame)
        True
        >>> frozen_records(frame) is frozen_records(frame)
        False
    """
    _SHARED.append((frame, []))
    try:
        yield
    finally:
        _SHARED.pop()


KEPT = 8192
"""Entries each detector memo keeps from one run to the next (``kept``, ``trimmed``): texts
repeat across the tasks of one process (a plan's next file, another city's copy of a stock
sentence), so a text read in one task is not read again in the next, within a fixed memory."""

Kept = TypeVar("Kept")
_KEPT: dict[tuple[Any, ...], tuple[tuple[weakref.ref[Any], ...], str, Any]] = {}


def kept(name: str, make: Callable[[], Kept], lexicons: Lexicons, *owners: object) -> Kept:
    """What ``make()`` built earlier in this process for the same ``owners`` (a text layer)
    and lexicons of the same content (``Lexicons.fingerprint``: files and settings), else a
    new one, kept for next time.

    The owners are found by identity (each held by a weak reference, so an owner that is gone
    takes its objects with it); the lexicons by what they hold, so each task's own copy of the
    same lexicons finds the memos, and a setting changed between runs (``lexicons.settings`` is
    a dict a notebook may change) or an edited lexicon file makes a new object. A detector keeps
    its rules and their memos this way; ``trimmed`` bounds the memos before each run and
    ``forget_kept`` drops them all at the end of one.

    Example:
        >>> lexicons = Lexicons()
        >>> first = kept("demo", dict, lexicons)
        >>> kept("demo", dict, lexicons) is first, kept("demo", dict, Lexicons()) is first
        (True, True)
        >>> lexicons.settings["copy_paste"]["min_chars"] += 1
        >>> kept("demo", dict, lexicons) is first
        False
    """
    for key in [key for key, (refs, _, _) in _KEPT.items() if any(ref() is None for ref in refs)]:
        del _KEPT[key]
    key = (name, *map(id, owners))
    stamp = lexicons.fingerprint()
    refs, made_with, made = _KEPT.get(key, ((), "", None))
    if made_with == stamp and all(ref() is owner for ref, owner in zip(refs, owners, strict=True)):
        return made  # type: ignore[no-any-return]
    made = make()
    _KEPT[key] = (tuple(weakref.ref(owner) for owner in owners), stamp, made)
    return made


def forget_kept() -> None:
    """Drop every object ``kept`` holds (the end of a run: the memos' memory is given back).

    Example:
        >>> lexicons = Lexicons()
        >>> first = kept("demo", dict, lexicons)
        >>> forget_kept()
        >>> kept("demo", dict, lexicons) is first
        False
    """
    _KEPT.clear()


def trimmed(memo: dict[Any, Any], size: int | None = None) -> None:
    """Forget all but the ``size`` (default ``KEPT``) entries ``memo`` gained last (a kept
    memo before the next run).

    Example:
        >>> memo = {"a": 1, "b": 2, "c": 3}
        >>> trimmed(memo, 2)
        >>> memo
        {'b': 2, 'c': 3}
    """
    kept_size = KEPT if size is None else size
    for key in list(itertools.islice(memo, max(0, len(memo) - kept_size))):
        del memo[key]


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

    The document order is the order of first appearance of each item_id in ``entries``. A
    findings table as the detectors make it (text keys, numeric years) is ordered by one Python
    sort of its rows' keys; anything else by pandas (the same order).
    """
    order = {item: rank for rank, item in enumerate(dict.fromkeys(entries.get("item_id", [])))}
    keys = _sort_keys(findings, order)
    if keys is not None:
        positions = sorted(range(len(keys)), key=keys.__getitem__)
        return findings.iloc[positions].reset_index(drop=True)
    keyed = findings.assign(
        _severity=findings["severity"].map({s: i for i, s in enumerate(SEVERITIES)}),
        _order=findings["item_id"].map(order).fillna(len(order)),
    )
    keyed = keyed.sort_values(
        ["_severity", "source", "_order", "fiscal_year", "detector", "kind", "field", "evidence"],
        kind="mergesort",
    )
    return keyed.drop(columns=["_severity", "_order"]).reset_index(drop=True)


_SORTED_TEXTS = ("source", "item_id", "detector", "kind", "field", "evidence")


def _sort_keys(findings: pd.DataFrame, order: dict[Any, int]) -> list[tuple[Any, ...]] | None:
    """Each row's key of ``sort_findings`` (a missing severity or year last, as pandas puts
    them), or None when a key column holds anything but text or the year is not numeric.

    Example:
        >>> frame = pd.DataFrame({"severity": ["low"], "source": ["a"], "item_id": ["x"],
        ...     "fiscal_year": pd.array([None], dtype="Int64"), "detector": ["covid"],
        ...     "kind": ["k"], "field": ["status"], "evidence": ["e"]})
        >>> _sort_keys(frame, {"x": 0})
        [((0, 2), 'a', 0, (1, 0), 'covid', 'k', 'status', 'e')]
    """
    if not pd.api.types.is_numeric_dtype(findings["fiscal_year"]):
        return None
    texts = {name: findings[name].tolist() for name in _SORTED_TEXTS}
    if not all(type(value) is str for column in texts.values() for value in column):
        return None
    ranks = {severity: (0, rank) for rank, severity in enumerate(SEVERITIES)}
    severities = [ranks.get(value, (1, 0)) for value in findings["severity"].tolist()]
    years = [
        (1, 0) if value is None or value is pd.NA or value != value else (0, value)
        for value in findings["fiscal_year"].tolist()
    ]
    items = [order.get(item, len(order)) for item in texts["item_id"]]
    return list(
        zip(
            severities,
            texts["source"],
            items,
            years,
            texts["detector"],
            texts["kind"],
            texts["field"],
            texts["evidence"],
            strict=True,
        )
    )


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
    with sharing_records(entries):
        for name in selected:
            if progress:
                progress(name)
            frames.append(REGISTRY[name](entries, context))
    return sort_findings(combined_findings(frames), entries)


def combined_findings(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The detectors' findings frames one after the other, as one findings frame.

    Example:
        >>> combined_findings([findings_frame([]), findings_frame([])]).shape[0]
        0
    """
    filled = [frame for frame in frames if len(frame)]
    if not filled:
        return findings_frame([])
    combined = pd.concat(filled, ignore_index=True)
    selected = combined[list(FINDING_COLUMNS + API_COLUMNS)]
    if conformed(selected, FINDING_COLUMNS):
        return selected
    return conform(selected, FINDING_COLUMNS)[selected.columns]
