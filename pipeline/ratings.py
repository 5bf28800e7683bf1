"""Rating cells and narrative status: what a rating says, and whether the text says it was done.

Rating normalisation turns the rating cell as written into ``rating_kind`` (percent / grade /
implemented / count / composite / values / text / none; values = several results such as
①92.5% ②97.1%, not a self-assessment), ``rating_value`` in [0, 1] (None where the scale
gives none) and ``rating_parts`` (one ``(label, kind, value)`` per division or sub-programme).
The scales live in ``lexicons/ratings.yaml``. Narrative status reads the status and evaluation
sentences through the text layer's predicates (polarity, tense) and ``lexicons/narrative.tsv``:
done / partly_done / not_done / planned_only / unknown, with the sentence that decided it.

Example:
    >>> scale = RatingScale.load()
    >>> scale.parse("１００％").kind, scale.parse("１００％").value
    ('percent', 1.0)
    >>> [(p.label, p.value) for p in scale.parse("企画課 80% 福祉総務課 実施").parts]
    [('企画課', 0.8), ('福祉総務課', 1.0)]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pandas as pd

from pipeline.lexicons import LexiconError, Lexicons

if TYPE_CHECKING:
    from pipeline.text import Predicate, Sentence, TextLayer

try:  # the parse tree of a pattern (``required_texts``), from CPython's private parser
    import re._parser as _re_parser

    _SRE_PARSE: Any = _re_parser
except ImportError:  # pragma: no cover - another Python: no prefilter, every pattern searched
    _SRE_PARSE = None

RATING_KINDS: tuple[str, ...] = (
    "percent",
    "grade",
    "implemented",
    "count",
    "composite",
    "values",
    "assessments",
    "text",
    "none",
)
NARRATIVE_STATUSES: tuple[str, ...] = (
    "done",
    "partly_done",
    "not_done",
    "planned_only",
    "unknown",
)
RATING_COLUMNS: tuple[str, ...] = ("rating_kind", "rating_value", "rating_parts")
"""Columns added by ``add_rating_columns`` (Python API; not part of the entries CSV)."""

_CIRCLED = re.compile(r"([\u2460-\u2473])")
_SPACES = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")
_DONE_TENSES = {"past", "progressive", "nominal"}
_PLAN_TENSES = {"nonpast", "intent"}
_OPENERS = {"Ps", "Zs"}  # Unicode categories: opening brackets and spaces before a label


@lru_cache(maxsize=8192, typed=True)
def fold_cell(cell: str) -> str:
    """A cell in matching form: NFKC (circled numbers kept), whitespace folded, stripped (the
    last 8192 cells kept: a status or rating is folded by several checks).

    Example:
        >>> fold_cell("①９２．５％　②１００％")
        '①92.5% ②100%'
    """
    pieces = _CIRCLED.split(str(cell))
    folded = "".join(
        piece if _CIRCLED.fullmatch(piece) else unicodedata.normalize("NFKC", piece)
        for piece in pieces
    )
    return _SPACES.sub(" ", folded).strip()


@dataclass(frozen=True)
class RatingPart:
    """One rating inside a cell: the division or sub-programme it belongs to ('' if none)."""

    label: str
    kind: str
    value: float | None


@dataclass(frozen=True)
class Rating:
    """A rating cell read on its scale."""

    kind: str
    value: float | None
    parts: tuple[RatingPart, ...] = ()


@dataclass(frozen=True)
class RatingScale:
    """``lexicons/ratings.yaml`` compiled: ``parse(cell)`` gives the cell's Rating."""

    placeholders: frozenset[str]
    tokens: re.Pattern[str]
    values: dict[str, dict[str, float | None]]
    max_label_chars: int
    label_trim: str
    label_bad_endings: str
    measure_label: re.Pattern[str]
    result_label: re.Pattern[str]
    note: re.Pattern[str]
    count_max_chars: int
    text_markers: tuple[str, ...]
    sentence_min_chars: int
    number_mask: re.Pattern[str]
    labelled_line: re.Pattern[str]
    assessments: dict[str, float]
    room_label: re.Pattern[str]
    room_words: dict[str, float]
    reason_concerns: re.Pattern[str]

    @classmethod
    def load(cls, lexicons: Lexicons | None = None) -> RatingScale:
        """Read the scales from ``lexicons/ratings.yaml``.

        Example:
            >>> RatingScale.load().parse("B").value
            0.6
        """
        return _scale_from(lexicons or Lexicons())

    def parse(self, cell: str) -> Rating:
        """The cell's kind, value and parts.

        Example:
            >>> scale = RatingScale.load()
            >>> [scale.parse(c).kind for c in ["実施", "45回実施/年", "-", "年1回実施予定"]]
            ['implemented', 'count', 'none', 'text']
            >>> scale.parse("①92.5% ②97.1%").kind, scale.parse("①92.5% ②97.1%").value
            ('values', None)
        """
        folded = fold_cell(cell)
        if folded in self.placeholders:
            return Rating("none", None)
        labelled = self._labelled(str(cell))
        if labelled is not None:
            return labelled
        parts = self._parts(self.note.sub("", folded).strip())
        if len(parts) > 1 and all(self._is_result(part) for part in parts):
            return Rating("values", None, parts)
        if parts:
            return _combine(parts)
        if any(marker in folded for marker in self.text_markers):
            return Rating("text", None)
        if _DIGIT.search(folded) and len(folded) <= self.count_max_chars:
            return Rating("count", None)
        return Rating("text", None)

    def _labelled(self, cell: str) -> Rating | None:
        """A cell of 【label】value lines: ratings on their scales, else self-assessments.

        Example:
            >>> scale = RatingScale.load()
            >>> rating = scale.parse("【①妥当性】妥当である\\n【⑥向上余地】ある")
            >>> rating.kind, [(p.label, p.kind, p.value) for p in rating.parts]
            ('assessments', [('①妥当性', 'assessment', 1.0), ('⑥向上余地', 'assessment', 0.0)])
            >>> scale.parse("【企画課】80%\\n【福祉課】実施").kind
            'composite'
        """
        lines = [line.strip() for line in cell.splitlines() if line.strip()]
        found = [self.labelled_line.match(line) for line in lines]
        if not lines or not all(found):
            return None
        parts = []
        for match in found:
            assert match is not None
            label, value = match.group("label").strip(), fold_cell(match.group("value"))
            rated = self.parse(value)
            if rated.kind in ("percent", "grade", "implemented"):
                parts.append(RatingPart(label, rated.kind, rated.value))
            elif len(value) <= self.count_max_chars and "。" not in value:
                parts.append(RatingPart(label, "assessment", self.stance(label, value)))
            else:
                return Rating("text", None)
        if all(part.kind != "assessment" for part in parts):
            return _combine(tuple(parts))
        return Rating("assessments", None, tuple(parts))

    def stance(self, label: str, value: str) -> float | None:
        """1.0 when a self-assessment says all is well, 0.0 when it states a concern, else None.

        Example:
            >>> scale = RatingScale.load()
            >>> scale.stance("妥当性", "妥当である"), scale.stance("向上余地", "ない")
            (1.0, 1.0)
        """
        if self.room_label.search(label) and value in self.room_words:
            return self.room_words[value]
        return self.assessments.get(value)

    def not_implemented(self, cell: str, low_at_most: float) -> bool:
        """True when the cell rates the work not implemented (未実施, 0%, D): a value at or below
        ``low_at_most`` (settings ``rating.low_at_most``).

        Example:
            >>> scale = RatingScale.load()
            >>> [scale.not_implemented(c, 0.0) for c in ["未実施", "Ｄ", "実施", "-"]]
            [True, True, False, False]
        """
        value = self.parse(cell).value
        return value is not None and value <= low_at_most

    def mask_numbers(self, text: str) -> str:
        """``text`` with every number replaced by ``#`` (compare texts up to their figures).

        Example:
            >>> RatingScale.load().mask_numbers("令和2年度 相談1,152件")
            '令和#年度 相談#件'
        """
        return self.number_mask.sub("#", text)

    def _parts(self, core: str) -> tuple[RatingPart, ...]:
        matches = list(self.tokens.finditer(core))
        if not matches or core[matches[-1].end() :].strip(self.label_trim):
            return ()
        starts = [0] + [match.end() for match in matches[:-1]]
        parts = []
        for start, match in zip(starts, matches, strict=True):
            label = core[start : match.start()].strip(self.label_trim)
            if not self._is_label(label):
                return ()
            kind = str(match.lastgroup)
            parts.append(RatingPart(label, kind, self._value(kind, match.group())))
        if len(parts) == 1 and self.measure_label.search(parts[0].label):
            return ()
        return tuple(parts)

    def _is_result(self, part: RatingPart) -> bool:
        """A percentage labelled by an enumerator (①) or a measure (受診率): a result."""
        label = part.label
        return part.kind == "percent" and bool(
            self.result_label.search(label) or self.measure_label.search(label)
        )

    def _is_label(self, label: str) -> bool:
        if len(label) > self.max_label_chars or _DIGIT.search(label):
            return False
        return not label or label[-1] not in self.label_bad_endings

    def _value(self, kind: str, token: str) -> float | None:
        if kind == "percent":
            return round(min(float(token.rstrip("% ")) / 100, 1.0), 4)
        return self.values[kind][token]


def _combine(parts: tuple[RatingPart, ...]) -> Rating:
    if len(parts) == 1:
        return Rating(parts[0].kind, parts[0].value, parts)
    values = [part.value for part in parts]
    known = [value for value in values if value is not None]
    mean = round(sum(known) / len(known), 4) if len(known) == len(values) else None
    return Rating("composite", mean, parts)


def _scale_from(lexicons: Lexicons) -> RatingScale:
    data: dict[str, Any] = lexicons.yaml("ratings")
    try:
        values = {
            "grade": {str(key): _optional(value) for key, value in data["grades"].items()},
            "implemented": {
                str(key): _optional(value) for key, value in data["implemented"].items()
            },
        }
        words = "|".join(re.escape(word) for word in sorted(values["implemented"], key=len)[::-1])
        tokens = re.compile(
            f"(?P<percent>{data['percent_pattern']})|(?P<implemented>{words})"
            f"|(?P<grade>{data['grade_pattern']})"
        )
        return RatingScale(
            placeholders=frozenset(fold_cell(str(cell)) for cell in data["placeholders"]),
            tokens=tokens,
            values=values,
            max_label_chars=int(data["max_label_chars"]),
            label_trim=str(data["label_trim"]),
            label_bad_endings=str(data["label_bad_endings"]),
            measure_label=re.compile(data["measure_label_pattern"]),
            result_label=re.compile(data["result_label_pattern"]),
            note=re.compile(data["note_pattern"]),
            count_max_chars=int(data["count_max_chars"]),
            text_markers=tuple(str(marker) for marker in data["text_markers"]),
            sentence_min_chars=int(data["sentence_min_chars"]),
            number_mask=re.compile(data["number_mask"]),
            labelled_line=re.compile(data["labelled_line_pattern"]),
            assessments={str(k): float(v) for k, v in data["assessments"].items()},
            room_label=re.compile(data["room_label_pattern"]),
            room_words={str(k): float(v) for k, v in data["room_words"].items()},
            reason_concerns=re.compile("|".join(f"(?:{p})" for p in data["reason_concerns"])),
        )
    except (KeyError, re.error, TypeError, ValueError) as error:
        raise LexiconError(f"ratings.yaml: {error!r}") from None


def _optional(value: Any) -> float | None:
    return None if value is None else float(value)


def add_rating_columns(entries: pd.DataFrame, lexicons: Lexicons | None = None) -> pd.DataFrame:
    """``entries`` with ``rating_kind``, ``rating_value`` and ``rating_parts`` added.

    ``rating_parts`` holds one ``(label, kind, value)`` tuple per rating in the cell.

    Example:
        >>> frame = add_rating_columns(pd.DataFrame({"rating": ["100%", "D", "94団体"]}))
        >>> frame[["rating_kind", "rating_value"]].values.tolist()
        [['percent', 1.0], ['grade', 0.0], ['count', None]]
    """
    parse = _kept_parser(lexicons)
    ratings = [parse(str(cell)) for cell in entries["rating"].fillna("")]
    return entries.assign(
        rating_kind=[rating.kind for rating in ratings],
        rating_value=pd.Series(
            [rating.value for rating in ratings], index=entries.index, dtype=object
        ),
        rating_parts=pd.Series(
            [[(p.label, p.kind, p.value) for p in rating.parts] for rating in ratings],
            index=entries.index,
            dtype=object,
        ),
    )


PARSED_KEPT = 8192
"""Rating cells whose reading ``add_rating_columns`` keeps per lexicons from one call to the
next (a plan's next file rates its items with the same cells)."""


def _kept_parser(lexicons: Lexicons | None) -> Callable[[str], Rating]:
    """``RatingScale.parse`` of the lexicons' scale with a memo of its last ``PARSED_KEPT``
    cells, kept (``detectors.kept``) for lexicons of the same content: another copy of the same
    files finds it; a scale changed in memory or on disk gets a new one.

    Example:
        >>> lexicons = Lexicons()
        >>> _kept_parser(lexicons) is _kept_parser(Lexicons()), _kept_parser(lexicons)("B").value
        (True, 0.6)
    """
    from pipeline.detectors import kept  # on first use: readers of ratings need no detectors

    chosen = lexicons or Lexicons()

    def make() -> Callable[[str], Rating]:
        return lru_cache(maxsize=PARSED_KEPT)(RatingScale.load(chosen).parse)

    return kept("rating_parser", make, chosen)


def label_span(text: str, label: str, labels: Sequence[str]) -> tuple[int, int]:
    """The span of ``text`` about ``label``: from its mention to the next label's mention.

    The whole text when ``label`` is empty or no label is mentioned; an empty span when only
    other labels are mentioned (the text is about them).

    Example:
        >>> text = "(企画課) 中止した。(福祉課) 実施した。"
        >>> [label_span(text, label, ["企画課", "福祉課"]) for label in ["企画課", "福祉課"]]
        [(1, 11), (12, 22)]
        >>> label_span("企画課は中止した。", "福祉課", ["企画課", "福祉課"])
        (0, 0)
    """
    start = text.find(label) if label else -1
    if start < 0:
        mentioned = label and any(other and other in text for other in labels)
        return (0, 0) if mentioned else (0, len(text))
    later = [
        found
        for other in labels
        if other and other != label
        for found in [text.find(other, start + len(label))]
        if found >= 0
    ]
    end = min(later, default=len(text))
    while end > start and unicodedata.category(text[end - 1]) in _OPENERS:
        end -= 1
    return start, end


@dataclass(frozen=True)
class NarrativeRules:
    """``lexicons/narrative.tsv`` compiled: predicate lemmas and patterns per class."""

    activity: frozenset[str]
    cancel: frozenset[str]
    patterns: dict[str, tuple[re.Pattern[str], ...]]
    needs: dict[str, tuple[frozenset[str] | None, ...]] = field(init=False, repr=False)
    """Per pattern of ``patterns``, texts one of which any match holds (``required_texts``):
    a sentence holding none of them is not searched. Derived from ``patterns`` on creation,
    so ``dataclasses.replace(rules, patterns=...)`` derives it again."""
    signals: dict[tuple[str, str], tuple[_SentenceSignals, ...]] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )
    """Every sentence's signals by (field, text), for as long as these rules live (one detector
    run): a status read beside each rating part and each year's copy is read once."""

    @classmethod
    def load(cls, lexicons: Lexicons | None = None) -> NarrativeRules:
        """Read ``lexicons/narrative.tsv``.

        Example:
            >>> "中止" in NarrativeRules.load().cancel
            True
        """
        rows = (lexicons or Lexicons()).table("narrative")
        lemmas: dict[str, set[str]] = {}
        patterns: dict[str, list[re.Pattern[str]]] = {}
        for row in rows:
            if row["match"] == "lemma":
                lemmas.setdefault(row["class"], set()).add(row["term"])
                continue
            try:
                patterns.setdefault(row["class"], []).append(re.compile(row["term"]))
            except re.error as error:
                raise LexiconError(f"narrative.tsv: {row['term']!r}: {error}") from None
        return cls(
            activity=frozenset(lemmas.get("activity", set())),
            cancel=frozenset(lemmas.get("cancel", set())),
            patterns={name: tuple(found) for name, found in patterns.items()},
        )

    def __post_init__(self) -> None:
        needs = {name: tuple(map(required_texts, found)) for name, found in self.patterns.items()}
        object.__setattr__(self, "needs", needs)

    def matches(self, name: str, text: str) -> list[tuple[int, int]]:
        """Spans of the ``name`` patterns in ``text``, in order.

        Example:
            >>> NarrativeRules.load().matches("partly", "コロナで1回中止となり")
            [(4, 8)]
        """
        patterns = self.patterns.get(name, ())
        spans = [
            match.span()
            for pattern, needed in zip(patterns, self.needs.get(name, ()), strict=True)
            if needed is None or any(piece in text for piece in needed)
            for match in pattern.finditer(text)
        ]
        return sorted(spans)


def required_texts(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Texts one of which every match of ``pattern`` holds, or None when none can be told
    (a pattern that may match the empty text, or ignores case): a text holding none of them
    cannot match, so the search can be skipped. Read from the pattern's parse tree: a run of
    literal characters is required, an alternation requires one of its branches' texts, an
    optional part nothing.

    Example:
        >>> sorted(required_texts(re.compile(r"一部(?:を|の)?(?:中止|休止)")))
        ['一部']
        >>> sorted(required_texts(re.compile(r"\\d+回(?:分)?(?:中止|延期)")))
        ['中止', '延期']
        >>> required_texts(re.compile(r"(?:ず|なく)?$")) is None
        True
    """
    if pattern.flags & re.IGNORECASE:
        return None
    if _SRE_PARSE is None:
        return None
    try:  # a private module of CPython: a change to it costs the prefilter, nothing else
        return _sequence_needs(_SRE_PARSE.parse(pattern.pattern, pattern.flags))
    except Exception:
        return None


def _sequence_needs(items: Any) -> frozenset[str] | None:
    """What a sequence of parsed items requires: its most telling requirement (the longest
    shortest text, then the fewest alternatives)."""
    found: list[frozenset[str]] = []
    run = ""
    for op, value in items:
        if op is _SRE_PARSE.LITERAL:
            run += chr(value)
            continue
        if run:
            found.append(frozenset({run}))
            run = ""
        needed = _item_needs(op, value)
        if needed:
            found.append(needed)
    if run:
        found.append(frozenset({run}))
    return max(found, key=lambda texts: (min(map(len, texts)), -len(texts)), default=None)


def _item_needs(op: Any, value: Any) -> frozenset[str] | None:
    """What one parsed item other than a literal requires (None: nothing known)."""
    if op is _SRE_PARSE.SUBPATTERN:
        _, added, _, body = value
        return None if added & re.IGNORECASE else _sequence_needs(body)
    if op is _SRE_PARSE.ATOMIC_GROUP:
        return _sequence_needs(value)
    if op in (_SRE_PARSE.MAX_REPEAT, _SRE_PARSE.MIN_REPEAT, _SRE_PARSE.POSSESSIVE_REPEAT):
        least, _, body = value
        return _sequence_needs(body) if least >= 1 else None
    if op is _SRE_PARSE.BRANCH:
        branches = [_sequence_needs(branch) for branch in value[1]]
        if any(branch is None for branch in branches):
            return None
        return frozenset().union(*branches)  # type: ignore[arg-type]
    if op is _SRE_PARSE.IN and all(kind is _SRE_PARSE.LITERAL for kind, _ in value):
        return frozenset(chr(code) for _, code in value)
    return None


@dataclass(frozen=True)
class Verdict:
    """Narrative status and where it was decided: ``sentence[start:end]`` is the phrase."""

    status: str
    field: str = ""
    sentence: str = ""
    start: int = 0
    end: int = 0

    @property
    def phrase(self) -> str:
        """The deciding phrase, e.g. 実施はできなかった."""
        return self.sentence[self.start : self.end]


@dataclass(frozen=True)
class _Signal:
    kind: str
    field: str
    sentence: Sentence
    start: int
    end: int


def narrative_status(
    fields: Sequence[tuple[str, str]],
    layer: TextLayer,
    rules: NarrativeRules,
    spans: Sequence[tuple[int, int]] | None = None,
) -> Verdict:
    """What ``(field, text)`` pairs (status first, then evaluation) say was done.

    A part-done sentence (一部中止, 1回中止となり), or not-done and done sentences together,
    give partly_done; only not-done ones give not_done; plan wording only gives planned_only.
    ``spans`` (one per field, see ``label_span``) keep only the signals inside them: a sentence
    may run past a label (``人権相談（…中止…。）市民相談 242回``) when a bracket holds its 。.

    Example:
        >>> from pipeline.text import TextLayer
        >>> rules = NarrativeRules.load()
        >>> verdict = narrative_status([("status", "開催を見送った。")], TextLayer(), rules)
        >>> verdict.status, verdict.phrase
        ('not_done', '開催を見送った')
    """
    windows = spans or [(0, len(text)) for _, text in fields]
    signals = [
        signal
        for (name, text), (start, end) in zip(fields, windows, strict=True)
        for sentence, found in _text_signals(name, text, layer, rules)
        if sentence.start < end and start < sentence.end
        for signal in found
        if signal.start < end and start < signal.end
    ]
    first = {kind: next((s for s in signals if s.kind == kind), None) for kind in _SIGNAL_KINDS}
    if first["partly"]:
        return _verdict("partly_done", first["partly"])
    if first["not_done"] and first["done"]:
        return _verdict("partly_done", first["not_done"])
    for kind, status in (("not_done", "not_done"), ("done", "done"), ("planned", "planned_only")):
        found = first[kind]
        if found:
            return _verdict(status, found)
    return Verdict("unknown")


_SIGNAL_KINDS = ("partly", "not_done", "done", "planned")


def _verdict(status: str, signal: _Signal) -> Verdict:
    offset = signal.sentence.start
    return Verdict(
        status, signal.field, signal.sentence.text, signal.start - offset, signal.end - offset
    )


_SentenceSignals = tuple["Sentence", tuple[_Signal, ...]]


def _text_signals(
    name: str, text: str, layer: TextLayer, rules: NarrativeRules
) -> tuple[_SentenceSignals, ...]:
    """Each sentence of a field's ``text`` with its signals (none for a blank text), kept in
    ``rules.signals``."""
    found = rules.signals.get((name, text))
    if found is None:
        by_sentence: dict[int, list[Predicate]] = {}
        if text.strip():
            for predicate in layer.predicates(text):
                by_sentence.setdefault(predicate.sentence, []).append(predicate)
        found = tuple(
            (sentence, tuple(_sentence_signals(name, text, sentence, predicates, rules)))
            for sentence in (layer.sentences(text) if text.strip() else [])
            for predicates in [by_sentence.get(sentence.index, [])]
        )
        rules.signals[(name, text)] = found
    return found


def _sentence_signals(
    name: str,
    text: str,
    sentence: Sentence,
    predicates: Sequence[Predicate],
    rules: NarrativeRules,
) -> list[_Signal]:
    """Every signal of one sentence (``predicates`` are its own); a sentence with done and
    not-done parts is partly."""
    found: list[_Signal] = []
    for kind in ("partly", "not_done"):
        for start, end in rules.matches(kind, sentence.text):
            found.append(
                _Signal(kind, name, sentence, start + sentence.start, end + sentence.start)
            )
    for predicate in predicates:
        kind = _predicate_kind(predicate, text, rules)
        if kind:
            found.append(_Signal(kind, name, sentence, predicate.start, predicate.end))
    kinds = {signal.kind for signal in found}
    if {"done", "not_done"} <= kinds and "partly" not in kinds:
        first = next(signal for signal in found if signal.kind == "not_done")
        found.insert(0, _Signal("partly", name, sentence, first.start, first.end))
    return found


def _predicate_kind(predicate: Predicate, text: str, rules: NarrativeRules) -> str:
    affirmative = predicate.polarity == "affirmative"
    if predicate.lemma in rules.cancel:
        reported = affirmative and predicate.tense != "intent"
        return "not_done" if reported and not _describes_noun(predicate, rules) else ""
    if predicate.lemma not in rules.activity:
        return ""
    if not affirmative:
        return "not_done" if _reports_not_done(predicate, text, rules) else ""
    if predicate.tense in _DONE_TENSES:
        return "done"
    return "planned" if predicate.main and predicate.tense in _PLAN_TENSES else ""


def _describes_noun(predicate: Predicate, rules: NarrativeRules) -> bool:
    """A verb inside the sentence in its dictionary form (中止する自治体) describes a noun.

    Example:
        >>> from pipeline.text import TextLayer
        >>> text = "相談を中止する自治体もある中、相談は継続した。"
        >>> [_describes_noun(p, NarrativeRules.load()) for p in TextLayer().predicates(text)][0]
        True
    """
    return (
        not predicate.main
        and predicate.tense == "nonpast"
        and bool(rules.matches("attributive", predicate.surface))
    )


def _reports_not_done(predicate: Predicate, text: str, rules: NarrativeRules) -> bool:
    """A negated activity that says the work was not done: not an obligation (しなければ); past,
    sentence-final or continuative (実施せず), not a noun modifier (実施できない期間中)."""
    if rules.matches("obligation", text[predicate.start : predicate.end + 3]):
        return False
    if predicate.tense == "past" or predicate.main:
        return True
    return bool(rules.matches("negated_report", predicate.surface))


@dataclass(frozen=True)
class Claim:
    """A figure's direction stated by the text: ``text[start:end]`` is the phrase (増加)."""

    direction: str
    start: int
    end: int


def direction_claims(text: str, layer: TextLayer, rules: NarrativeRules) -> list[Claim]:
    """Affirmative increase / decrease phrases of ``text``, in order (伸びなかった is none).

    Example:
        >>> from pipeline.text import TextLayer
        >>> rules = NarrativeRules.load()
        >>> [c.direction for c in direction_claims("来館者数は微増、利用者数は少し減となった。",
        ...                                         TextLayer(), rules)]
        ['increase', 'decrease']
    """
    claims = [
        Claim(direction, start, end)
        for direction in ("increase", "decrease")
        for start, end in rules.matches(direction, text)
        if not layer.is_negated(text, start, end)
    ]
    return sorted(claims, key=lambda claim: (claim.start, claim.direction))
