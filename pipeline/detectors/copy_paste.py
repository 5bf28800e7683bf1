"""copy_paste: text re-used from last year, from the plan, from the status or from other items.

Steps: read the settings and mask patterns (``Reader``), compare two texts (``compare``: identical
/ numbers_only / minor_edit on Sudachi normalized tokens), turn a compared pair into a finding
with its token diff and a trimmed, highlighted evidence (``pair_finding``), then the four
stages: year pairs, plan of Y-1 vs status of Y, fields of one year, and items of one division
and year grouped by a hash key (linear, no all-pairs comparison).

Example:
    >>> from pipeline.detectors import Context
    >>> from pipeline.schemas import ENTRY_COLUMNS, conform
    >>> entries = conform(pd.DataFrame([
    ...     {"item_id": "a", "item": "研修", "fiscal_year": 2020, "status": "研修を45回開催した。"},
    ...     {"item_id": "a", "item": "研修", "fiscal_year": 2021, "status": "研修を53回開催した。"},
    ... ]), ENTRY_COLUMNS)
    >>> context = Context.build()
    >>> detect(entries, context)[["fiscal_year", "kind", "field"]].values.tolist()
    [[2021, 'numbers_only', 'status']]
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from cydifflib import SequenceMatcher
from rapidfuzz.distance import Indel

from pipeline.detectors import Context, frozen_records, kept, register, run_checks, trimmed
from pipeline.findings import Kind, Spec, finding, findings_frame
from pipeline.schemas import SEVERITIES, TEXT_FIELDS
from pipeline.text import Predicate, Sentence, Token
from pipeline.text.predicates import is_continuative

DETECTOR = "copy_paste"
SPEC = Spec(
    name=DETECTOR,
    label="前年度からの転記",
    group="転記",
    kinds=(
        Kind(
            "identical",
            "前年度と同一の記述",
            "high",
            "same text as the previous year after normalisation (width, spaces, punctuation)",
            "medium when shorter than `copy_paste.substantial_chars` (40) characters: a routine "
            "or stock phrase",
        ),
        Kind(
            "numbers_only",
            "数値のみ更新",
            "medium",
            "same text once numbers, dates, counts and era years are masked (`45回` → `53回`)",
        ),
        Kind(
            "minor_edit",
            "前年度からの軽微な修正",
            "medium",
            "word-level similarity ≥ 0.70 on Sudachi normalized tokens",
            "low below `copy_paste.medium_score` (0.9)",
        ),
        Kind(
            "plan_as_result",
            "前年度の計画を実績として記載",
            "high",
            "this year's status repeats the plan written last year",
            "medium when only a light edit of it (below `copy_paste.medium_score`)",
        ),
        Kind(
            "evaluation_repeats_status",
            "評価が実施状況の繰り返し",
            "medium",
            "within one year, the evaluation only repeats the status",
            "low below `copy_paste.medium_score`",
        ),
        Kind(
            "plan_repeats_status",
            "今後の計画が実施状況の繰り返し",
            "low",
            "within one year, the plan only repeats the status",
        ),
        Kind(
            "status_in_plan_wording",
            "実施状況が計画の書き方",
            "low",
            "the status is written as intent (`実施する`, `努める`) and reports no counts",
        ),
        Kind(
            "boilerplate_across_items",
            "複数事業で同じ文章",
            "medium",
            "one division used the same text for different items in one year",
        ),
    ),
)
IDENTICAL, NUMBERS_ONLY, MINOR_EDIT = "identical", "numbers_only", "minor_edit"
_STRIPPED = ("P", "Z", "C")
_NUMBER_TOKEN = re.compile(r"\d[\d,.]*")

Entry = Mapping[str, Any]
Span = tuple[int, int]


@dataclass(frozen=True)
class Match:
    """How one text repeats another: ``kind`` identical / numbers_only / minor_edit."""

    kind: str
    score: float


@dataclass(frozen=True)
class Diff:
    """Token-level difference: ``ops`` (op, text) and the changed spans of each side."""

    ops: list[tuple[str, str]]
    inserted: list[Span]
    deleted: list[Span]


@dataclass(frozen=True)
class Quotes:
    """What a finding quotes of a pair of texts: the diff ops, the current text's excerpt with
    its inserted spans, the previous text's excerpt and the numbers that changed."""

    ops: list[tuple[str, str]]
    current: str
    spans: list[Span]
    previous: str
    numbers: str


@dataclass(frozen=True)
class Memos:
    """What a ``Reader`` computed, by text (``forms``, ``words``, ``numbers``) or pair of texts
    (``quotes``; ``matches``: ``compare``). It holds no text layer, so it can be kept for the
    next run over the same layer (``Reader.of``).

    Example:
        >>> from pipeline.text import TextLayer
        >>> memos = Memos()
        >>> Reader(TextLayer(), memos).key("研修を 実施した。")
        '研修を実施した'
        >>> list(memos.keys)
        ['研修を 実施した。']
    """

    keys: dict[str, tuple[str, str]] = dataclasses.field(default_factory=dict)
    words: dict[tuple[str, bool], tuple[str, ...]] = dataclasses.field(default_factory=dict)
    numbers: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    pairs: dict[tuple[str, str], Quotes] = dataclasses.field(default_factory=dict)
    matches: dict[tuple[str, str], Match | None] = dataclasses.field(default_factory=dict)


class Reader:
    """The comparison forms of a text, computed once per text, and the detector's settings.

    Example:
        >>> from pipeline.text import TextLayer
        >>> reader = Reader(TextLayer())
        >>> reader.key("研修を 実施した。"), reader.masked("令和２年度に45回")
        ('研修を実施した', '#に#回')
    """

    def __init__(self, layer: Any, memos: Memos | None = None) -> None:
        self.layer = layer
        options: dict[str, Any] = layer.lexicons.settings[DETECTOR]
        self.options = options
        self.min_chars = int(options["min_chars"])
        self.substantial_chars = int(options["substantial_chars"])
        self.minor_edit = float(options["minor_edit"])
        self.medium_score = float(options["medium_score"])
        self.skip_pos = frozenset(options["skip_pos"])
        self.mask_char = str(options["mask"])
        self.patterns = [re.compile(row["pattern"]) for row in layer.lexicons.table("numbers_mask")]
        units = "|".join(map(re.escape, sorted(options["result_units"], key=len, reverse=True)))
        self.result_figure = re.compile(rf"\d[\d,.]*\s*(?:{units or '(?!)'})")
        self.memos = memos or Memos()
        self._keys = self.memos.keys
        self._words = self.memos.words
        self._numbers = self.memos.numbers
        self._pairs = self.memos.pairs
        self.matches = self.memos.matches

    @classmethod
    def of(cls, layer: Any) -> Reader:
        """A reader of ``layer`` with the memos kept from earlier runs in this process over the
        same layer (``kept``: texts repeat across tasks), trimmed to the ``KEPT`` entries each
        gained last.

        Example:
            >>> from pipeline.text import TextLayer
            >>> layer = TextLayer()
            >>> Reader.of(layer).memos is Reader.of(layer).memos
            True
        """
        memos = kept(DETECTOR, Memos, layer.lexicons, layer)
        for memo in vars(memos).values():
            trimmed(memo)
        return cls(layer, memos)

    def quotes(self, previous: str, current: str) -> Quotes:
        """The diff of ``previous`` -> ``current`` and both excerpts (computed once per pair:
        a text compared again as its item's, its plan's and its division's repeat).

        Example:
            >>> from pipeline.text import TextLayer
            >>> quotes = Reader(TextLayer()).quotes("研修を実施した。", "講座を実施した。")
            >>> quotes.current, quotes.spans, quotes.numbers
            ('講座を実施した。', [(0, 2)], '')
        """
        found = self._pairs.get((previous, current))
        if found is None:
            diff = token_diff(self, previous, current)
            evidence, spans = excerpt(self, current, diff.inserted)
            before, _ = excerpt(self, previous, diff.deleted)
            numbers = changed_numbers(self, previous, current)
            found = self._pairs[(previous, current)] = Quotes(
                diff.ops, evidence, spans, before, numbers
            )
        return found

    def forms(self, text: str) -> tuple[str, str]:
        """``key`` and ``masked`` of the text (computed once per text).

        Example:
            >>> from pipeline.text import TextLayer
            >>> Reader(TextLayer()).forms("令和２年度に45回、実施。")
            ('令和2年度に45回実施', '#に#回実施')
        """
        try:
            return self._keys[text]
        except KeyError:
            normal = self.layer.normalize(text)
            masked = normal
            for pattern in self.patterns:
                masked = pattern.sub(self.mask_char, masked)
            found = self._keys[text] = (strip(normal), strip(masked, keep=self.mask_char))
            return found

    def key(self, text: str) -> str:
        """The normalised text without spaces and punctuation (equal keys = identical)."""
        return self.forms(text)[0]

    def masked(self, text: str) -> str:
        """``key`` with era years, dates and counts masked (equal = only numbers changed)."""
        return self.forms(text)[1]

    def usable(self, text: str) -> bool:
        """True when a text is long enough to compare (not '', '-', 実施, 取組を継続)."""
        return isinstance(text, str) and len(self.forms(text)[0]) >= self.min_chars

    def numbers(self, text: str) -> tuple[str, ...]:
        """The masked pieces (years, dates, counts) of the normalised text, in order (a tuple of
        texts, like every kept answer that can be one: the collector stops tracing it)."""
        found = self._numbers.get(text)
        if found is None:
            found = self._numbers[text] = self._masked_pieces(text)
        return found

    def _masked_pieces(self, text: str) -> tuple[str, ...]:
        normal = self.layer.normalize(text)
        spans: list[tuple[int, int]] = []
        for pattern in self.patterns:
            for found in pattern.finditer(normal):
                if not any(found.start() < end and start < found.end() for start, end in spans):
                    spans.append(found.span())
        return tuple(normal[start:end] for start, end in sorted(spans))

    def reports_results(self, text: str) -> bool:
        """True when the text counts results (``result_figures`` figures in ``result_units``).

        Example:
            >>> from pipeline.text import TextLayer
            >>> reader = Reader(TextLayer())
            >>> [reader.reports_results(t) for t in ("相談件数 820件。", "年1回実施する。")]
            [True, False]
        """
        found = self.result_figure.findall(self.layer.normalize(text))
        return len(found) >= int(self.options["result_figures"])

    def tokens(self, text: str) -> list[Token]:
        """Sudachi tokens of the text, without punctuation and whitespace."""
        return [token for token in self.layer.tokens(text) if token.pos[0] not in self.skip_pos]

    def words(self, text: str, mask_numbers: bool) -> tuple[str, ...]:
        """Normalized forms of the tokens, numbers masked when asked (kept per text: a text is
        compared with its previous year, its own plan and its division's other items)."""
        found = self._words.get((text, mask_numbers))
        if found is None:
            found = self._words[(text, mask_numbers)] = tuple(
                self.mask_char
                if mask_numbers and _NUMBER_TOKEN.fullmatch(t.normalized)
                else t.normalized
                for t in self.tokens(text)
            )
        return found


def strip(text: str, keep: str = "") -> str:
    """``text`` without whitespace, punctuation and control characters (except ``keep``).

    Example:
        >>> strip("研修を、実施した。 "), strip("#回、", keep="#")
        ('研修を実施した', '#回')
    """
    table = _STRIP_TABLES.get(keep)
    if table is None:
        table = _STRIP_TABLES[keep] = _StripTable(keep)
    return text.translate(table)


class _StripTable(dict[int, int | None]):
    """``str.translate`` table deleting whitespace, punctuation and control characters except
    ``keep``: each character's Unicode category is looked up once, then the answer is kept
    (at most one entry per distinct character)."""

    def __init__(self, keep: str) -> None:
        super().__init__()
        self.keep = frozenset(keep)

    def __missing__(self, code: int) -> int | None:
        char = chr(code)
        stripped = char not in self.keep and unicodedata.category(char)[0] in _STRIPPED
        self[code] = None if stripped else code
        return self[code]


_STRIP_TABLES: dict[str, _StripTable] = {}


def similarity(reader: Reader, previous: str, current: str, mask_numbers: bool = True) -> float:
    """Indel similarity of the two token sequences (1.0 = same words in the same order).

    Example:
        >>> from pipeline.text import TextLayer
        >>> similarity(Reader(TextLayer()), "研修を実施した。", "研修を実施した。")
        1.0
    """
    return float(
        Indel.normalized_similarity(
            reader.words(previous, mask_numbers), reader.words(current, mask_numbers)
        )
    )


def compare(reader: Reader, previous: str, current: str) -> Match | None:
    """How ``current`` repeats ``previous``, or None (not comparable, or rewritten); each pair
    of texts is compared once per reader (``Reader.matches``).

    Example:
        >>> from pipeline.text import TextLayer
        >>> reader = Reader(TextLayer())
        >>> compare(reader, "令和2年度の相談件数は848件。", "令和3年度の相談件数は１１５２件。")
        Match(kind='numbers_only', score=0.7778)
    """
    if not (isinstance(previous, str) and isinstance(current, str)):
        return None
    key = (previous, current)
    try:
        return reader.matches[key]
    except KeyError:
        found = reader.matches[key] = compared(reader, previous, current)
        return found


def compared(reader: Reader, previous: str, current: str) -> Match | None:
    """``compare`` without the memo: the texts' keys, masked keys and word similarity.

    Example:
        >>> from pipeline.text import TextLayer
        >>> text = "令和2年度の相談件数は848件。"
        >>> compared(Reader(TextLayer()), text, text), compared(Reader(TextLayer()), "研修", "研修")
        (Match(kind='identical', score=1.0), None)
    """
    (old_key, old_masked), (new_key, new_masked) = reader.forms(previous), reader.forms(current)
    if min(len(old_key), len(new_key)) < reader.min_chars:
        return None
    if old_key == new_key:
        return Match(IDENTICAL, 1.0)
    if old_masked == new_masked:
        return Match(NUMBERS_ONLY, round(similarity(reader, previous, current, False), 4))
    score = similarity(reader, previous, current)
    return Match(MINOR_EDIT, round(score, 4)) if score >= reader.minor_edit else None


def token_diff(reader: Reader, previous: str, current: str) -> Diff:
    """Token-level diff of ``previous`` -> ``current`` on normalized forms.

    Example:
        >>> from pipeline.text import TextLayer
        >>> token_diff(Reader(TextLayer()), "研修を実施した", "講座を実施した").ops
        [('delete', '研修'), ('insert', '講座'), ('equal', 'を実施した')]
    """
    old, new = reader.layer.tokens(previous), reader.layer.tokens(current)
    diff = Diff([], [], [])
    for op, old_start, old_end, new_start, new_end in _opcodes(old, new):
        if op == "equal":
            diff.ops.append(("equal", _slice(current, new[new_start:new_end])))
            continue
        if old_end > old_start:
            diff.ops.append(("delete", _slice(previous, old[old_start:old_end])))
            diff.deleted.append((old[old_start].start, old[old_end - 1].end))
        if new_end > new_start:
            diff.ops.append(("insert", _slice(current, new[new_start:new_end])))
            diff.inserted.append((new[new_start].start, new[new_end - 1].end))
    return diff


def _opcodes(
    old: Sequence[Token], new: Sequence[Token]
) -> Sequence[tuple[str, int, int, int, int]]:
    """``SequenceMatcher`` opcodes of the normalized forms (cydifflib's compiled port of
    difflib: the same opcodes, about four times as fast); the same words in the same order
    (a repeated text) are one ``equal`` block without running the matcher."""
    before, after = [t.normalized for t in old], [t.normalized for t in new]
    if before == after:
        return [("equal", 0, len(old), 0, len(new))] if old else []
    return SequenceMatcher(None, before, after, False).get_opcodes()


def _slice(text: str, tokens: Sequence[Token]) -> str:
    return text[tokens[0].start : tokens[-1].end] if tokens else ""


def excerpt(reader: Reader, text: str, spans: Sequence[Span]) -> tuple[str, list[Span]]:
    """The text (trimmed to the sentences holding ``spans`` when long) and the spans in it.

    Example:
        >>> from pipeline.text import TextLayer
        >>> excerpt(Reader(TextLayer()), "研修を実施した。", [(0, 2)])
        ('研修を実施した。', [(0, 2)])
    """
    limit, gap = int(reader.options["evidence_chars"]), str(reader.options["evidence_gap"])
    if len(text) <= limit:
        return text, list(spans)
    sentences = reader.layer.sentences(text)
    touched = [s for s in sentences if any(s.start < end and start < s.end for start, end in spans)]
    chosen: list[Sentence] = []
    used = 0
    for sentence in touched or sentences:
        if chosen and used + len(sentence.text) > limit:
            break
        chosen.append(sentence)
        used += len(sentence.text)
    pieces: list[str] = []
    moved: list[Span] = []
    cursor, length = 0, 0
    for sentence in chosen:
        if sentence.start > cursor:
            pieces.append(gap)
            length += len(gap)
        shift = length - sentence.start
        moved += [
            (max(start, sentence.start) + shift, min(end, sentence.end) + shift)
            for start, end in spans
            if sentence.start < end and start < sentence.end
        ]
        pieces.append(sentence.text)
        length += len(sentence.text)
        cursor = sentence.end
    if cursor < len(text.rstrip()):
        pieces.append(gap)
    return "".join(pieces), moved


def lowered(severity: str) -> str:
    """The next lower severity (low stays low).

    Example:
        >>> lowered("high"), lowered("low")
        ('medium', 'low')
    """
    return SEVERITIES[min(SEVERITIES.index(severity) + 1, len(SEVERITIES) - 1)]


@dataclass(frozen=True)
class Pair:
    """A compared pair: this text (``entry[field]``) and the earlier or other text."""

    entry: Entry
    field: str
    other_field: str
    other_year: int
    other_text: str
    match: Match
    other_item: str = ""


def pair_finding(
    reader: Reader, context: Context, kind: str, pair: Pair, **extra: Any
) -> dict[str, Any]:
    """A finding for ``pair``: diff, evidence trimmed to the re-used/changed sentences.

    A minor edit below ``medium_score`` lowers the kind's default severity by one level.
    """
    current = str(pair.entry[pair.field])
    quotes = reader.quotes(pair.other_text, current)
    previous = quotes.previous
    role = "number" if pair.match.kind == NUMBERS_ONLY else "inserted"
    severity = pair_severity(reader, kind, pair.match, current)
    values = {"numbers": quotes.numbers, **extra}
    return finding(
        entry=pair.entry,
        detector=DETECTOR,
        kind=kind,
        field=pair.field,
        score=pair.match.score,
        evidence=quotes.current,
        questions=context.questions,
        severity=severity,
        compared_with=(
            pair.other_field,
            pair.other_year,
            f"{pair.other_item}: {previous}" if pair.other_item else previous,
        ),
        values=values,
        diff=list(quotes.ops),
        highlights=[(start, end, role) for start, end in quotes.spans],
    )


def pair_severity(reader: Reader, kind: str, match: Match, text: str) -> str:
    """The kind's default severity, one level lower for a minor edit below ``medium_score`` and
    for an identical text shorter than ``substantial_chars`` (a routine or stock phrase).

    Example:
        >>> from pipeline.text import TextLayer
        >>> reader = Reader(TextLayer())
        >>> same = Match(IDENTICAL, 1.0)
        >>> pair_severity(reader, IDENTICAL, same, "例年通りに事業を実施することができた。")
        'medium'
        >>> pair_severity(reader, IDENTICAL, same, "研修" * 20)
        'high'
    """
    severity = SPEC.severity(kind)
    if match.kind == MINOR_EDIT and match.score < reader.medium_score:
        return lowered(severity)
    if kind == IDENTICAL and len(reader.key(text)) < reader.substantial_chars:
        return lowered(severity)
    return severity


def changed_numbers(reader: Reader, previous: str, current: str) -> str:
    """The numbers that changed, paired in order: ``45→53``.

    Example:
        >>> from pipeline.text import TextLayer
        >>> changed_numbers(Reader(TextLayer()), "令和2年度 45回", "令和3年度 53回")
        '令和2年度→令和3年度, 45→53'
    """
    pairs = zip(reader.numbers(previous), reader.numbers(current), strict=False)
    changed = [f"{old}→{new}" for old, new in pairs if old != new]
    limit = int(reader.options["numbers_listed"])
    return ", ".join(changed[:limit]) + (
        str(reader.options["evidence_gap"]) * (len(changed) > limit)
    )


def ordered(entries: pd.DataFrame) -> list[Entry]:
    """Entry records with a fiscal year, in document item order, then year (stable output)."""
    dated = [row for row in frozen_records(entries) if _dated(row["fiscal_year"])]
    rank = {item: index for index, item in enumerate(dict.fromkeys(r["item_id"] for r in dated))}
    return sorted(dated, key=lambda row: (row["source"], rank[row["item_id"]], row["fiscal_year"]))


def _dated(year: Any) -> bool:
    """True for a fiscal year that is there (not None, NaN or NA)."""
    return year is not None and not pd.isna(year)


def year_pairs(records: Sequence[Entry]) -> Iterator[tuple[Entry, Entry]]:
    """(previous, current) entries of the same item in years Y-1 and Y.

    The item is the same in one plan (``plan_name``, else one ``source``): an item linked across a
    plan's yearly files keeps one ``item_id``, so last year's file is compared like last
    year's column.

    Example:
        >>> [(a["fiscal_year"], b["fiscal_year"]) for a, b in year_pairs(
        ...     [{"source": "s", "item_id": "x", "fiscal_year": y} for y in (2019, 2020, 2022)])]
        [(2019, 2020)]
        >>> [(a["source"], b["source"]) for a, b in year_pairs(
        ...     [{"source": f"R{y - 2018}.csv", "plan_name": "p", "item_id": "x", "fiscal_year": y}
        ...      for y in (2022, 2023)])]
        [('R4.csv', 'R5.csv')]
    """
    by_year = {(_plan(r), r["item_id"], r["fiscal_year"]): r for r in records}
    for record in records:
        previous = by_year.get((_plan(record), record["item_id"], record["fiscal_year"] - 1))
        if previous is not None:
            yield previous, record


def _plan(record: Entry) -> str:
    """The plan an entry belongs to (its file's when no plan is named)."""
    return str(record.get("plan_name") or record["source"])


def repeated_years(
    reader: Reader, context: Context, records: Sequence[Entry]
) -> list[dict[str, Any]]:
    """identical / numbers_only / minor_edit per field, and plan of Y-1 reported as status of Y."""
    rows = []
    for previous, current in year_pairs(records):
        year = int(previous["fiscal_year"])
        for field in TEXT_FIELDS:
            match = compare(reader, previous[field], current[field])
            if match:
                pair = Pair(current, field, field, year, previous[field], match)
                rows.append(pair_finding(reader, context, match.kind, pair))
        match = compare(reader, previous["plan"], current["status"])
        if match:
            pair = Pair(current, "status", "plan", year, previous["plan"], match)
            rows.append(pair_finding(reader, context, "plan_as_result", pair))
    return rows


def repeated_status(
    reader: Reader, context: Context, records: Sequence[Entry]
) -> list[dict[str, Any]]:
    """The evaluation or the plan of one year repeating that year's status."""
    rows = []
    for record in records:
        for field in ("evaluation", "plan"):
            match = compare(reader, record["status"], record[field])
            if match:
                year = int(record["fiscal_year"])
                pair = Pair(record, field, "status", year, record["status"], match)
                rows.append(pair_finding(reader, context, f"{field}_repeats_status", pair))
    return rows


def is_plan_wording(reader: Reader, text: str, predicate: Predicate) -> bool:
    """True when a predicate states an action to come: its head is an action verb or a verbal
    noun (``plan_heads``), not a state (ある, 多い, 快適な); it is not progressive (努めている)
    and does not stop on a 連用形 (R2年度に引き続き。: a clause left open, no tense).

    Example:
        >>> from pipeline.text import TextLayer
        >>> reader = Reader(TextLayer())
        >>> [is_plan_wording(reader, t, reader.layer.main_predicates(t)[0]) for t in (
        ...     "研修を実施する。", "可能性がある。", "周知に努めている。", "前年度に引き続き。")]
        [True, False, False, False]
    """
    heads = tuple(reader.options["plan_heads"])
    markers = reader.layer.markers
    inside = [t for t in reader.layer.tokens(text) if predicate.start <= t.start < predicate.end]
    head = next((t for t in inside if t.start >= predicate.head_start), None)
    if head is None or not "-".join(head.pos[:3]).startswith(heads):
        return False
    if is_continuative(inside[-1]):
        return False
    return not any(
        "progressive" in markers.role_of(t.lemma, t.conjugation_type) for t in inside[1:]
    )


def plan_wording(
    reader: Reader, context: Context, records: Sequence[Entry]
) -> list[dict[str, Any]]:
    """Statuses whose sentences mostly end in plan wording (実施する, 努める, 図っていく) and that
    count no results (5,931人, 820件: those report what was done)."""
    tenses = set(reader.options["plan_tenses"])
    share = float(reader.options["plan_wording_share"])
    rows = []
    for record in records:
        status = record["status"]
        if not reader.usable(status) or reader.reports_results(status):
            continue
        mains = [p for p in reader.layer.main_predicates(status) if p.tense != "nominal"]
        planned = [p for p in mains if p.tense in tenses and is_plan_wording(reader, status, p)]
        if not mains or len(planned) / len(mains) < share:
            continue
        evidence, spans = excerpt(reader, status, [(p.start, p.end) for p in planned])
        terms = str(reader.options["list_separator"]).join(
            dict.fromkeys(p.surface for p in planned)
        )
        rows.append(
            finding(
                entry=record,
                detector=DETECTOR,
                kind="status_in_plan_wording",
                field="status",
                score=len(planned) / len(mains),
                evidence=evidence,
                questions=context.questions,
                values={"terms": terms},
                highlights=[(start, end, "contradiction") for start, end in spans],
            )
        )
    return rows


def shared_texts(reader: Reader, records: Sequence[Entry]) -> list[list[tuple[Entry, str]]]:
    """Groups of (entry, field) sharing one document, division, year, field and masked text.

    One pass and a dict keyed by the masked text: linear in the number of entries. The source
    is part of the key: the same division name in two cities' documents is two divisions.
    Groups holding a single item name (the same item listed again, 再掲) are dropped.
    """
    groups: dict[tuple[Any, ...], list[tuple[Entry, str]]] = {}
    forms, min_chars = reader.forms, reader.min_chars
    for record in records:
        place = (record["source"], record["division"], record["fiscal_year"])
        for field in TEXT_FIELDS:
            text = record[field]
            if not isinstance(text, str) or (not text and min_chars > 0):
                continue  # an empty text's key is empty: too short
            key, masked = forms(text)
            if len(key) >= min_chars:
                groups.setdefault((*place, field, masked), []).append((record, field))
    return [
        members
        for members in groups.values()
        if len({reader.key(record["item"]) for record, _ in members}) > 1
    ]


def boilerplate(reader: Reader, context: Context, records: Sequence[Entry]) -> list[dict[str, Any]]:
    """One finding per item whose text is shared with other items of its division and year."""
    separator = str(reader.options["list_separator"])
    rows = []
    for members in shared_texts(reader, records):
        for record, field in members:
            others = [
                other
                for other, _ in members
                if reader.key(other["item"]) != reader.key(record["item"])
            ]
            first = others[0]
            match = compare(reader, first[field], record[field])
            if match is None:
                continue
            year = int(record["fiscal_year"])
            pair = Pair(record, field, field, year, first[field], match, str(first["item"]))
            detail = separator.join(dict.fromkeys(str(other["item"]) for other in others))
            rows.append(
                pair_finding(reader, context, "boilerplate_across_items", pair, detail=detail)
            )
    return rows


@register(SPEC)
def detect(entries: pd.DataFrame, context: Context) -> pd.DataFrame:
    """Flag narrative re-used from last year, from last year's plan, from this year's status, or
    shared by several items of one division.

    Why: a status identical to last year's (or with only its counts updated) says nothing about
    this year; a status that repeats last year's plan, or an evaluation that repeats the status,
    reports an intention instead of a result and an assessment; one text pasted into several
    items hides what each item did.

    Example: 2020 status "研修を45回実施した。" and 2021 status "研修を53回実施した。" -> kind
    numbers_only (not identical), evidence the 2021 text with 53 highlighted, compared_with
    "status@2020: 研修を45回実施した。".

    False positives: texts shorter than ``min_chars`` (settings.yaml, after removing punctuation)
    are never compared: 実施, 取組を継続, 年1回実施 are the same every year by nature and
    '-' / '' are placeholders (the quality detector's matter). Routine statutory items
    (生活保護各種扶助事務) legitimately keep a fixed description; the question still asks what
    changed. The same item listed again (再掲, same item name) is not boilerplate. The reader
    of a shifted table can put one year's plan in the next year's status column (003, R4-R5).
    """
    if entries.empty:
        return findings_frame([])
    checks = (repeated_years, repeated_status, plan_wording, boilerplate)
    return findings_frame(run_checks(checks, Reader.of(context.text), context, ordered(entries)))
