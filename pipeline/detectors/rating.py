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

import dataclasses
import itertools
import re
from collections.abc import Container, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pipeline.detectors import Context, kept, register, trimmed
from pipeline.findings import Kind, Spec, finding, findings_frame
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
from pipeline.schemas import records

DETECTOR = "rating"
SPEC = Spec(
    name=DETECTOR,
    label="評価と記述",
    group="評価",
    kinds=(
        Kind(
            "high_rating_not_done",
            "評価に見合わない未実施の記述",
            "high",
            "a rating that claims the work was done (100 %, A, 実施) beside a text saying part of "
            "it was not, or a mid rating (50 %) beside a text saying none of it was",
        ),
        Kind(
            "low_rating_done",
            "低い評価なのに実施済みの記述",
            "high",
            "a rating of 0 / D / 未実施 beside a text reporting the work done",
        ),
        Kind(
            "partly_done",
            "一部のみ実施",
            "medium",
            "rated 実施 (implemented, no degree) while the text says part was not done "
            "(`3月分については中止`): a fair question, not a contradiction",
        ),
        Kind(
            "not_implemented",
            "未実施",
            "medium",
            "the rating says not implemented (未実施, 0 %, D), or the text says only that it was "
            "not done: why, and what instead",
        ),
        Kind(
            "rating_not_a_rating",
            "評価欄に評価以外の記述",
            "medium",
            "the rating cell holds a sentence or another field's text",
        ),
        Kind(
            "rating_reason_mismatch",
            "評価と理由の食い違い",
            "medium",
            "a self-assessment that says all is well (妥当である, 向上余地: ない) beside its own "
            "reason naming an unsolved problem, a fall or a need to review",
        ),
        Kind(
            "rating_changed_text_same",
            "記述は同じなのに評価が変化",
            "medium",
            "the rating moved while the status did not",
        ),
        Kind(
            "rating_missing",
            "評価欄が空欄",
            "low",
            "empty or `-` rating where the document rates that year",
        ),
        Kind(
            "indicator_contradiction",
            "参考指標と記述の矛盾",
            "medium",
            "the narrative's direction or figure disagrees with the item's own indicator values",
        ),
        Kind(
            "target_missed",
            "参考指標が前年度より低下",
            "low",
            "an indicator planned 漸増/維持 fell and the narrative does not say so",
        ),
    ),
)
NARRATIVE = ("status", "evaluation")
_VALUED_KINDS = {"percent", "grade", "implemented", "composite"}
"""Rating kinds compared with the narrative (values, counts and text are not a self-assessment)."""
Entry = Mapping[str, Any]
_UNIT = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")
_NUMBER = re.compile(r"\d[\d,，]*")


@dataclass(frozen=True)
class _Tools:
    """What every step reads: the scale, the narrative rules, settings and the context."""

    scale: RatingScale
    rules: NarrativeRules
    options: Mapping[str, Any]
    context: Context
    verdicts: dict[tuple[Any, ...], Verdict] = dataclasses.field(
        default_factory=dict, compare=False, repr=False
    )
    """``narrative_status`` by its narrative cells and spans (a status repeated from last year
    beside the same rating scale is read once), kept with the rules (``_Tools.kept``)."""

    @classmethod
    def kept(cls, context: Context) -> _Tools:
        """The tools of ``context``; the narrative rules and both memos (sentence signals,
        verdicts) are kept from earlier runs in this process (``kept``, by text layer and
        lexicons), trimmed to their ``KEPT`` last."""
        verdicts: dict[tuple[Any, ...], Verdict]
        rules, verdicts = kept(
            DETECTOR,
            lambda: (NarrativeRules.load(context.lexicons), {}),
            context.lexicons,
            context.text,
        )
        trimmed(rules.signals)
        trimmed(verdicts)
        return cls(
            scale=RatingScale.load(context.lexicons),
            rules=rules,
            options=context.settings[DETECTOR],
            context=context,
            verdicts=verdicts,
        )

    def verdict(self, fields: tuple[tuple[str, str], ...], spans: tuple[Any, ...]) -> Verdict:
        """What the narrative ``fields`` say was done, inside ``spans`` (``narrative_status``)."""
        found = self.verdicts.get((fields, spans))
        if found is None:
            found = narrative_status(fields, self.context.text, self.rules, spans)
            self.verdicts[(fields, spans)] = found
        return found


@register(SPEC)
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
    tools = _Tools.kept(context)
    rated = add_rating_columns(entries, context.lexicons)
    read = records(rated)
    rows = [
        *_rating_vs_narrative(read, tools),
        *_not_a_rating(read, tools),
        *_reason_mismatch(read, tools),
        *_changed_text_same(rated, tools),
        *_missing(rated, tools),
        *_indicator_findings(read, tools),
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


def _of_kinds(rated: Sequence[Entry], kinds: Container[str]) -> Iterator[Entry]:
    """The rated entries whose rating cell is of one of ``kinds``, in order."""
    return (entry for entry in rated if entry["rating_kind"] in kinds)


def _rating_vs_narrative(rated: Sequence[Entry], tools: _Tools) -> Iterator[dict[str, Any]]:
    """high_rating_not_done, low_rating_done and partly_done per rating part (per division),
    then not_implemented once per entry (rated not implemented, or only not-done text)."""
    for entry in _of_kinds(rated, _VALUED_KINDS | {"none"}):
        labels = [label for label, _, _ in entry["rating_parts"]]
        seen: set[str] = set()
        parts = entry["rating_parts"] or [("", "none", None)]
        fields = tuple((name, str(entry[name])) for name in NARRATIVE)
        for label, scale, value in parts:
            spans = tuple(label_span(text, label, labels) for _, text in fields)
            verdict = tools.verdict(fields, spans)
            kind = _narrative_kind(value, scale, verdict, tools.options)
            if kind and kind not in seen:
                seen.add(kind)
                yield _contradiction(entry, kind, verdict, tools)


def _narrative_kind(
    value: float | None, scale: str, verdict: Verdict, options: Mapping[str, Any]
) -> str:
    """The kind a rating part and its narrative make, or ''.

    A rating that claims the work done (value >= high_at_least) beside a part-done text is a
    contradiction, except on the implemented scale (実施 says it ran, not how fully): partly_done.
    A mid rating (50 %) beside a text saying nothing was done contradicts it too. A rating of
    not implemented, or no rating with a text saying only that it was not done: not_implemented.

    Example:
        >>> options = {"high_at_least": 0.8, "low_at_most": 0.0, "some_done_at_least": 0.5}
        >>> [_narrative_kind(v, s, Verdict(status), options) for v, s, status in [
        ...     (1.0, "percent", "partly_done"), (1.0, "implemented", "partly_done"),
        ...     (0.5, "percent", "not_done"), (0.0, "implemented", "done"),
        ...     (0.0, "implemented", "unknown"), (None, "none", "not_done")]]
        ['high_rating_not_done', 'partly_done', 'high_rating_not_done', 'low_rating_done', \
'not_implemented', 'not_implemented']
    """
    if value is None:
        return "not_implemented" if scale == "none" and verdict.status == "not_done" else ""
    high, low = float(options["high_at_least"]), float(options["low_at_most"])
    if value <= low:
        return "low_rating_done" if verdict.status == "done" else "not_implemented"
    if verdict.status == "not_done" and value >= float(options["some_done_at_least"]):
        return "high_rating_not_done"
    if value >= high and verdict.status == "partly_done":
        return "partly_done" if scale == "implemented" else "high_rating_not_done"
    return ""


def _contradiction(
    entry: Mapping[str, Any], kind: str, verdict: Verdict, tools: _Tools
) -> dict[str, Any]:
    if not verdict.sentence:
        return _not_implemented(entry, tools)
    evidence, highlights = _trimmed(
        verdict.sentence,
        [(verdict.start, verdict.end, "contradiction")],
        int(tools.options["evidence_max_chars"]),
    )
    rating = str(entry["rating"]).strip()
    detail = str(tools.options["not_done_detail"]).format(terms=verdict.phrase)
    return _emit(
        entry,
        tools,
        kind=kind,
        field=verdict.field,
        score=1.0,
        evidence=evidence,
        values={"rating": rating, "terms": verdict.phrase, "detail": detail},
        highlights=highlights,
    )


def _not_implemented(entry: Mapping[str, Any], tools: _Tools) -> dict[str, Any]:
    """not_implemented quoting the rating cell (the narrative says nothing either way)."""
    rating = str(entry["rating"]).strip()
    detail = str(tools.options["not_implemented_detail"]).format(rating=rating)
    return _emit(
        entry,
        tools,
        kind="not_implemented",
        field="rating",
        score=1.0,
        evidence=rating,
        values={"rating": rating, "detail": detail},
    )


def _not_a_rating(rated: Sequence[Entry], tools: _Tools) -> Iterator[dict[str, Any]]:
    """rating_not_a_rating: a sentence, a plan or another field's text in the rating cell."""
    for entry in _of_kinds(rated, {"text"}):
        cell = fold_cell(entry["rating"])
        if _reads_like_sentence(cell, tools):
            yield _rating_finding(entry, tools, "rating_not_a_rating", cell)


def _reason_mismatch(rated: Sequence[Entry], tools: _Tools) -> Iterator[dict[str, Any]]:
    """rating_reason_mismatch: a sound self-assessment whose reason states a concern.

    A sheet's ratings and reasons are paired by label (【①妥当性】 with 【①妥当性 理由】); a
    single rating goes with the whole evaluation.
    """
    scale = tools.scale
    for entry in _of_kinds(rated, {"assessments", "text"}):
        parts = entry["rating_parts"] or [("", "assessment", None)]
        reasons = _labelled_lines(str(entry["evaluation"]), scale)
        for label, kind, _ in parts:
            value = _part_value(str(entry["rating"]), label, scale)
            if kind != "assessment" or scale.stance(label, value) != 1.0:
                continue
            reason = reasons.get(label, "") if label else str(entry["evaluation"]).strip()
            concern = scale.reason_concerns.search(fold_cell(reason))
            if not concern:
                continue
            quoted = f"【{label}】{value}" if label else value
            evidence, _ = _trimmed(reason, [], int(tools.options["evidence_max_chars"]))
            yield _emit(
                entry,
                tools,
                kind="rating_reason_mismatch",
                field="evaluation",
                score=1.0,
                evidence=evidence,
                compared_with=("rating", int(entry["fiscal_year"]), quoted),
                values={"rating": quoted, "terms": concern.group(), "detail": evidence},
            )


def _labelled_lines(text: str, scale: RatingScale) -> dict[str, str]:
    """``【①妥当性 理由】…`` lines by the rating label they begin with (``①妥当性``).

    Example:
        >>> _labelled_lines("【①妥当性 理由】需要が高い。", RatingScale.load())
        {'①妥当性': '需要が高い。'}
    """
    out: dict[str, str] = {}
    for line in text.splitlines():
        found = scale.labelled_line.match(line.strip())
        if found:
            out[found.group("label").split(" ")[0]] = found.group("value").strip()
    return out


def _part_value(cell: str, label: str, scale: RatingScale) -> str:
    """The value written for ``label`` in a rating cell (the whole cell when unlabelled)."""
    if not label:
        return fold_cell(cell)
    for line in cell.splitlines():
        found = scale.labelled_line.match(line.strip())
        if found and found.group("label").strip() == label:
            return fold_cell(found.group("value"))
    return ""


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
    ordered = records(valued.sort_values(["source", "item_id", "fiscal_year"], kind="stable"))
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
    for entry in records(blanks):
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


IndicatorYears = dict[str, dict[int, dict[str, Any]]]
"""An item's indicators (first-printed first), each its rows by fiscal year."""

_INDICATOR_KEYS = ("source", "item_id", "indicator")


def _indicator_years(indicators: pd.DataFrame) -> dict[tuple[Any, Any], IndicatorYears]:
    """The indicator rows of each (source, item_id), read in one pass (a later row of the same
    indicator and year replaces an earlier one; rows missing a key are left out, as a pandas
    group-by leaves them).

    Example:
        >>> rows = pd.DataFrame({"source": ["a", "a"], "item_id": ["x", "x"],
        ...     "indicator": ["件数", "件数"], "fiscal_year": [2020, 2021], "value": [3.0, 4.0]})
        >>> sorted(_indicator_years(rows)[("a", "x")]["件数"])
        [2020, 2021]
    """
    by_item: dict[tuple[Any, Any], IndicatorYears] = {}
    for row in records(indicators):
        if any(pd.isna(row[key]) for key in _INDICATOR_KEYS):
            continue
        years = by_item.setdefault((row["source"], row["item_id"]), {})
        years.setdefault(str(row["indicator"]), {})[int(row["fiscal_year"])] = row
    return by_item


def _series(indicators: IndicatorYears, year: int) -> list[_Series]:
    found: list[_Series] = []
    for name, by_year in indicators.items():
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


def _indicator_findings(rated: Sequence[Entry], tools: _Tools) -> Iterator[dict[str, Any]]:
    """indicator_contradiction and target_missed, for entries whose item has indicators."""
    indicators = tools.context.indicators
    if indicators is None or indicators.empty:
        return
    grouped = _indicator_years(indicators)
    for entry in rated:
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
