"""The rating detector: ratings that contradict their own narrative, cells that are not ratings,
and narratives that contradict their own indicator values.

Steps: read every rating cell on its scale (``pipeline.ratings``), compare it with the narrative
status of the same year, with the previous year, with the document's other ratings, and compare
the narrative's direction words and figures with ``context.indicators``.

Example:
    >>> from pipeline.detectors import REGISTRY, load_all
    >>> "rating" in load_all()
    True
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pipeline.detectors import Context, register
from pipeline.findings import finding, findings_frame
from pipeline.ratings import (
    Claim,
    NarrativeRules,
    RatingScale,
    Verdict,
    add_rating_columns,
    direction_claims,
    fold_cell,
    label_span,
    narrative_status,
)

DETECTOR = "rating"
NARRATIVE = ("status", "evaluation")
_VALUED_KINDS = {"percent", "grade", "implemented", "composite"}
_UNIT = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")
_NUMBER = re.compile(r"\d[\d,，]*")


@dataclass(frozen=True)
class _Tools:
    """What every step reads: the scale, the narrative rules, settings and the context."""

    scale: RatingScale
    rules: NarrativeRules
    options: Mapping[str, Any]
    context: Context


@register(DETECTOR)
def detect(entries: pd.DataFrame, context: Context) -> pd.DataFrame:
    """Flag ratings that contradict the narrative or the indicators, and cells that are no rating.

    Why: a 100 % / A / 実施 beside 実施できなかった (or 未実施 beside 開催した) means either the
    rating or the text is wrong, and the committee cannot tell which; text in a rating column,
    a rating that moved while the text did not, or a narrative of growth beside a falling
    indicator all need a question before publication.
    Example: rating 実施 with status コロナ禍により、円卓会議…の実施はできなかった。 ->
    high_rating_not_done; indicator 119 -> 116 with 新規加入団体を増やしてきた ->
    indicator_contradiction.
    False positives: a rating that scores the plan as a whole while the text reports one
    cancelled event; direction words about a sub-group (未就学児で増加) rather than the indicator;
    ratings of a row shifted by the PDF extraction (003 R3/R4), which the reader should repair.
    """
    if entries.empty:
        return findings_frame([])
    tools = _Tools(
        scale=RatingScale.load(context.lexicons),
        rules=NarrativeRules.load(context.lexicons),
        options=context.settings[DETECTOR],
        context=context,
    )
    rated = add_rating_columns(entries, context.lexicons)
    rows = [
        *_rating_vs_narrative(rated, tools),
        *_not_a_rating(rated, tools),
        *_changed_text_same(rated, tools),
        *_missing(rated, tools),
        *_indicator_findings(rated, tools),
    ]
    return findings_frame(_in_document_order(rows, entries))


def _in_document_order(rows: list[dict[str, Any]], entries: pd.DataFrame) -> list[dict[str, Any]]:
    keys = zip(entries["source"], entries["item_id"], strict=True)
    order = {key: rank for rank, key in enumerate(dict.fromkeys(keys))}
    return sorted(
        rows,
        key=lambda row: (
            order.get((row["source"], row["item_id"]), len(order)),
            int(row["fiscal_year"]),
            row["kind"],
            row["field"],
            row["evidence"],
        ),
    )


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(key): cell for key, cell in row.items()} for row in frame.to_dict("records")]


def _trimmed(text: str, spans: list[tuple[int, int, str]], limit: int) -> tuple[str, list[Any]]:
    """``text`` stripped and cut at ``limit`` characters, with ``spans`` moved to match."""
    shift = len(text) - len(text.lstrip())
    evidence = text.strip()
    if len(evidence) > limit:
        evidence = evidence[:limit] + "…"
    moved = [
        (start - shift, end - shift, role)
        for start, end, role in spans
        if start - shift >= 0 and end - shift <= min(len(evidence), limit)
    ]
    return evidence, moved


def _emit(entry: Mapping[str, Any], tools: _Tools, **fields: Any) -> dict[str, Any]:
    return finding(entry=entry, detector=DETECTOR, questions=tools.context.questions, **fields)


def _rating_vs_narrative(rated: pd.DataFrame, tools: _Tools) -> Iterator[dict[str, Any]]:
    """high_rating_not_done and low_rating_done, per rating part (per division)."""
    high, low = float(tools.options["high_at_least"]), float(tools.options["low_at_most"])
    for entry in _records(rated[rated.rating_kind.isin(_VALUED_KINDS)]):
        labels = [label for label, _, _ in entry["rating_parts"]]
        seen: set[str] = set()
        for label, _, value in entry["rating_parts"]:
            if value is None or low < value < high:
                continue
            fields = [(name, str(entry[name])) for name in NARRATIVE]
            spans = [label_span(text, label, labels) for _, text in fields]
            verdict = narrative_status(fields, tools.context.text, tools.rules, spans)
            kind = _contradiction_kind(value >= high, verdict)
            if kind and kind not in seen:
                seen.add(kind)
                yield _contradiction(entry, kind, verdict, tools)


def _contradiction_kind(high: bool, verdict: Verdict) -> str:
    if high and verdict.status in {"not_done", "partly_done"}:
        return "high_rating_not_done"
    if not high and verdict.status == "done":
        return "low_rating_done"
    return ""


def _contradiction(
    entry: Mapping[str, Any], kind: str, verdict: Verdict, tools: _Tools
) -> dict[str, Any]:
    partly = kind == "high_rating_not_done" and verdict.status == "partly_done"
    evidence, highlights = _trimmed(
        verdict.sentence,
        [(verdict.start, verdict.end, "contradiction")],
        int(tools.options["evidence_max_chars"]),
    )
    return _emit(
        entry,
        tools,
        kind=kind,
        field=verdict.field,
        score=float(tools.options["partly_score"]) if partly else 1.0,
        severity=str(tools.options["partly_severity"]) if partly else None,
        evidence=evidence,
        values={"rating": str(entry["rating"]).strip(), "terms": verdict.phrase},
        highlights=highlights,
    )


def _not_a_rating(rated: pd.DataFrame, tools: _Tools) -> Iterator[dict[str, Any]]:
    """rating_not_a_rating: a sentence, a plan or another field's text in the rating cell."""
    for entry in _records(rated[rated.rating_kind == "text"]):
        cell = fold_cell(entry["rating"])
        if _reads_like_sentence(cell, tools):
            yield _rating_finding(entry, tools, "rating_not_a_rating", cell)


def _reads_like_sentence(cell: str, tools: _Tools) -> bool:
    if len(cell) >= tools.scale.sentence_min_chars:
        return True
    if any(marker in cell for marker in tools.scale.text_markers):
        return True
    tenses = {p.tense for p in tools.context.text.main_predicates(cell)}
    return bool(tenses & {"past", "progressive", "intent"})


def _changed_text_same(rated: pd.DataFrame, tools: _Tools) -> Iterator[dict[str, Any]]:
    """rating_changed_text_same: the rating moved, the status (numbers masked) did not."""
    valued = rated[rated.rating_value.notna() & rated.status.map(lambda s: _has_text(s, tools))]
    ordered = _records(valued.sort_values(["source", "item_id", "fiscal_year"], kind="stable"))
    for _, years in itertools.groupby(
        ordered, key=lambda entry: (entry["source"], entry["item_id"])
    ):
        for before, entry in itertools.pairwise(years):
            if int(entry["fiscal_year"]) - int(before["fiscal_year"]) != 1:
                continue
            if abs(float(entry["rating_value"]) - float(before["rating_value"])) < 1e-9:
                continue
            if _masked(entry["status"], tools) != _masked(before["status"], tools):
                continue
            yield _changed(entry, before, tools)


def _changed(entry: Mapping[str, Any], before: Mapping[str, Any], tools: _Tools) -> dict[str, Any]:
    """The finding; an identical status scores 1.0, one whose numbers changed scores lower
    (a rating computed from those numbers may move with them)."""
    layer = tools.context.text
    identical = layer.normalize(entry["status"]) == layer.normalize(before["status"])
    limit = int(tools.options["evidence_max_chars"])
    evidence, _ = _trimmed(entry["status"], [], limit)
    previous, _ = _trimmed(before["status"], [], limit)
    old_rating = str(before["rating"]).strip()
    return _emit(
        entry,
        tools,
        kind="rating_changed_text_same",
        field="rating",
        score=1.0 if identical else float(tools.options["numbers_only_score"]),
        evidence=evidence,
        compared_with=("rating", int(before["fiscal_year"]), f"{old_rating} | {previous}"),
        values={"rating": str(entry["rating"]).strip(), "detail": old_rating},
    )


def _masked(text: str, tools: _Tools) -> str:
    return tools.scale.mask_numbers(tools.context.text.normalize(text))


def _has_text(cell: Any, tools: _Tools) -> bool:
    return isinstance(cell, str) and fold_cell(cell) not in tools.scale.placeholders


def _missing(rated: pd.DataFrame, tools: _Tools) -> Iterator[dict[str, Any]]:
    """rating_missing: empty or '-' where the same source rated its other items that year."""
    share = rated.assign(rated=rated.rating_kind != "none").groupby(["source", "fiscal_year"])[
        "rated"
    ]
    has_column = share.transform("mean") >= float(tools.options["rated_share"])
    blanks = rated[has_column & (rated.rating_kind == "none")]
    for entry in _records(blanks):
        if not _has_text(entry["status"], tools):
            continue
        first = tools.context.text.sentences(entry["status"])[0].text
        rating = {"rating": str(entry["rating"]).strip()}
        yield _rating_finding(entry, tools, "rating_missing", first, rating)


def _rating_finding(
    entry: Mapping[str, Any],
    tools: _Tools,
    kind: str,
    quote: str,
    values: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A finding on the rating field scoring 1.0 that quotes ``quote`` (trimmed); ``values``
    default to the quote as both rating and detail."""
    evidence, _ = _trimmed(quote, [], int(tools.options["evidence_max_chars"]))
    return _emit(
        entry,
        tools,
        kind=kind,
        field="rating",
        score=1.0,
        evidence=evidence,
        values={"rating": evidence, "detail": evidence} if values is None else values,
    )


@dataclass(frozen=True)
class _Series:
    """One indicator of an item in a year: its value, last year's, and its planned direction."""

    name: str
    stem: str
    direction: str
    year: int
    value: float | None
    previous: float | None

    def moved(self) -> str:
        """'increase', 'decrease' or '' (unchanged or unknown)."""
        if self.value is None or self.previous is None or self.value == self.previous:
            return ""
        return "increase" if self.value > self.previous else "decrease"

    def compared(self) -> tuple[str, int, str]:
        """``indicator@2023: name 42 → 2024: 44`` as finding() wants it."""
        if self.previous is None:
            return ("indicator", self.year, f"{self.name} {_number(self.value)}")
        return (
            "indicator",
            self.year - 1,
            f"{self.name} {_number(self.previous)} → {self.year}: {_number(self.value)}",
        )


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _series(indicators: pd.DataFrame, year: int) -> list[_Series]:
    found = []
    for name, rows in indicators.groupby("indicator", sort=False):
        by_year: dict[int, dict[str, Any]] = {
            int(row["fiscal_year"]): row for row in _records(rows)
        }
        current = by_year.get(year)
        if current is None or pd.isna(current["value"]):
            continue
        before = by_year.get(year - 1)
        previous = None if before is None or pd.isna(before["value"]) else float(before["value"])
        found.append(
            _Series(
                name=str(name),
                stem=_UNIT.sub("", str(name)).strip(),
                direction=str(current["direction"]),
                year=year,
                value=float(current["value"]),
                previous=previous,
            )
        )
    return found


def _indicator_findings(rated: pd.DataFrame, tools: _Tools) -> Iterator[dict[str, Any]]:
    """indicator_contradiction and target_missed, for entries whose item has indicators."""
    indicators = tools.context.indicators
    if indicators is None or indicators.empty:
        return
    grouped = {key: rows for key, rows in indicators.groupby(["source", "item_id"], sort=False)}
    for entry in _records(rated):
        rows = grouped.get((entry["source"], entry["item_id"]))
        if rows is None or not _has_text(entry["status"], tools):
            continue
        series = _series(rows, int(entry["fiscal_year"]))
        if series:
            yield from _item_indicator_findings(entry, series, tools)


def _item_indicator_findings(
    entry: Mapping[str, Any], series: list[_Series], tools: _Tools
) -> Iterator[dict[str, Any]]:
    flagged: set[str] = set()
    said: set[tuple[str, str]] = set()
    for name in NARRATIVE:
        text = str(entry[name])
        for claim, target in _attributed_claims(text, series, tools):
            said.add((target.name, claim.direction))
            if target.moved() and target.moved() != claim.direction:
                flagged.add(target.name)
                span = (claim.start, claim.end)
                yield _indicator_contradiction(entry, name, text, span, target, tools)
        for target, start, end in _figure_mismatches(text, series):
            flagged.add(target.name)
            yield _indicator_contradiction(entry, name, text, (start, end), target, tools)
    targets = {str(direction) for direction in tools.options["target_directions"]}
    for target in series:
        if target.direction not in targets or target.moved() != "decrease":
            continue
        if target.name in flagged or (target.name, "decrease") in said:
            continue
        yield _target_missed(entry, target, tools)


def _attributed_claims(
    text: str, series: list[_Series], tools: _Tools
) -> Iterator[tuple[Claim, _Series]]:
    """Each direction claim with the indicator it is about: the one named last before it in
    its sentence, else the item's only indicator with a value for both years."""
    compared = [target for target in series if target.previous is not None]
    layer = tools.context.text
    sentences = layer.sentences(text)
    for claim in direction_claims(text, layer, tools.rules):
        sentence = next((s for s in sentences if s.start <= claim.start < s.end), None)
        head = text[sentence.start if sentence else 0 : claim.start]
        named = [(head.rfind(t.stem) + len(t.stem), t) for t in compared if t.stem in head]
        if named:
            yield claim, max(named, key=lambda pair: pair[0])[1]
        elif len(compared) == 1:
            yield claim, compared[0]


def _figure_mismatches(text: str, series: list[_Series]) -> Iterator[tuple[_Series, int, int]]:
    """An indicator named in the text with a figure that differs from its value that year."""
    for target in series:
        pattern = re.escape(target.stem) + r"\s*(?:[(（][^()（）]*[)）])?\s*[:：]?\s*"
        for match in re.finditer(pattern, text):
            number = _NUMBER.match(text, match.end())
            if not number:
                continue
            written = float(fold_cell(number.group()).replace(",", ""))
            if target.value is not None and written != target.value:
                yield target, number.start(), number.end()


def _indicator_contradiction(
    entry: Mapping[str, Any],
    field: str,
    text: str,
    span: tuple[int, int],
    target: _Series,
    tools: _Tools,
) -> dict[str, Any]:
    start, end = span
    sentence = next(
        (s for s in tools.context.text.sentences(text) if s.start <= start < s.end), None
    )
    offset = sentence.start if sentence else 0
    evidence, highlights = _trimmed(
        sentence.text if sentence else text,
        [(start - offset, end - offset, "contradiction")],
        int(tools.options["evidence_max_chars"]),
    )
    return _emit(
        entry,
        tools,
        kind="indicator_contradiction",
        field=field,
        score=1.0,
        evidence=evidence,
        compared_with=target.compared(),
        values={"terms": text[start:end], "detail": target.compared()[2]},
        highlights=highlights,
    )


def _target_missed(entry: Mapping[str, Any], target: _Series, tools: _Tools) -> dict[str, Any]:
    status = str(entry["status"])
    sentences = tools.context.text.sentences(status)
    sentence = next((s for s in sentences if target.stem in s.text), sentences[0])
    evidence, _ = _trimmed(sentence.text, [], int(tools.options["evidence_max_chars"]))
    return _emit(
        entry,
        tools,
        kind="target_missed",
        field="status",
        score=1.0,
        evidence=evidence,
        compared_with=target.compared(),
        values={
            "terms": target.name,
            "detail": target.direction,
            "numbers": f"{_number(target.previous)} → {_number(target.value)}",
        },
    )
