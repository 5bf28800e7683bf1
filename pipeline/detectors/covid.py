"""covid: activities cancelled, postponed, shrunk or moved online because of COVID-19.

Steps: compile the cause vocabulary (``lexicons/covid.tsv``) and the impact expressions
(``lexicons/impact.tsv``) into ``Rules``; locate their hits in each cell's matching form and map
them back to the original text (``locate``); keep the effects that are neither negated nor plan
wording (``effects``) nor a noun's state beside an activity carried on (``foreground``); per
sentence, resolve hindered effects (``resolved``) and pair causes and effects
(``sentence_candidates``); keep the strongest sentence per (kind, field) of an entry
(``entry_candidates``); add the year-level kinds ``covid_after_reclassification`` and
``covid_repeated`` (``entry_candidates``, ``repeated``).

Window rule: a cause and an effect pair when they are in the same sentence (clauses of one
sentence included), or when the effect sentence opens with a connective of covid.tsv (そのため、
延期した。) and the previous sentence of the same cell names the cause; then the evidence is both
sentences. A field listed in ``past_only_fields`` (the plan) yields effects only in sentences whose
main predicate is past: 状況を見ながら再開する is plan wording, not that year's suspension.
A hindered effect (実施が困難となり) is a suspension only when no other effect shares its
sentence (…オンラインを活用した会議等の開催を試行した is format_changed only).

Example:
    >>> from pipeline.detectors import Context
    >>> from pipeline.schemas import ENTRY_COLUMNS, conform
    >>> entries = conform(pd.DataFrame([{"item_id": "a", "item": "講演会", "fiscal_year": 2020,
    ...     "status": "コロナ禍のため講演会を中止した。"}]), ENTRY_COLUMNS)
    >>> context = Context.build()
    >>> detect(entries, context)[["fiscal_year", "kind", "field"]].values.tolist()
    [[2020, 'suspended', 'status']]
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from pipeline.detectors import Context, frozen_records, kept, register, trimmed
from pipeline.findings import Kind, Spec, era_label, finding, findings_frame
from pipeline.ratings import NarrativeRules
from pipeline.text import TextLayer
from pipeline.text.normalize import nfkc
from pipeline.text.sentences import Sentence

DETECTOR = "covid"
SPEC = Spec(
    name=DETECTOR,
    label="新型コロナウイルス感染症の影響",
    group="コロナ",
    kinds=(
        Kind(
            "suspended",
            "コロナを理由とした中止",
            "medium",
            "a COVID cause and a suspension in one sentence (or a そのため-linked pair), not "
            "negated",
        ),
        Kind("postponed", "コロナを理由とした延期", "medium", "as suspended, for a postponement"),
        Kind(
            "reduced",
            "コロナを理由とした縮小",
            "low",
            "fewer sessions, a smaller scale, part of the year stopped, or demand and results "
            "that fell because of COVID (`利用を控える`, `面談率が減少`)",
        ),
        Kind(
            "format_changed",
            "コロナを理由とした実施方法の変更",
            "low",
            "the activity went ahead another way: online, in writing, by post, individually "
            "instead of in a group (`中止や個別健診に変更`)",
        ),
        Kind(
            "mention_only",
            "コロナへの言及（影響の記載なし）",
            "low",
            "COVID named with no effect on the activity; not where the sentence reports the work "
            "carried on or its outcome (`実施した`, `支給した`, `継続した`). Kept in findings.csv, "
            "off the checklist by default",
        ),
        Kind(
            "covid_after_reclassification",
            "5類移行後もコロナを理由とした中止・縮小等",
            "high",
            "a COVID reason for a suspension, postponement, reduction or format change in FY2023 "
            "or later (class 5 from 8 May 2023)",
        ),
        Kind(
            "covid_repeated",
            "コロナを理由とした中止の継続",
            "medium",
            "suspended or postponed for COVID in consecutive years",
        ),
        Kind(
            "suspended_other_cause",
            "コロナ以外の理由による中止・延期",
            "medium",
            "a stated non-COVID cause (台風, 職員体制 …)",
        ),
    ),
)
SUSPENDED, POSTPONED, REDUCED, FORMAT = "suspended", "postponed", "reduced", "format_changed"
MENTION, AFTER, REPEATED = "mention_only", "covid_after_reclassification", "covid_repeated"
OTHER_CAUSE = "suspended_other_cause"
PARTIAL, MODIFIER, HINDERED = "partial", "modifier", "hindered"
EFFECT_KINDS = (SUSPENDED, POSTPONED, REDUCED, FORMAT)
EFFECT_LABELS = (*EFFECT_KINDS, HINDERED)
OUTCOME = "outcome"
CUE_KINDS = (PARTIAL, MODIFIER, OUTCOME)
CARRIED_ON_TENSES = ("past", "progressive")
KINDS = (SUSPENDED, POSTPONED, REDUCED, FORMAT, MENTION, AFTER, REPEATED, OTHER_CAUSE)
COVID_CLASSES = ("covid", "infection", "ambiguous")
NAMING_CLASSES = ("covid", "infection")
INFECTION_CLASSES = ("infection", "ambiguous")
OTHER_CLASSES = ("other_disease", "other_cause")


@dataclass(frozen=True)
class Hit:
    """A lexicon term found in a cell: ``label`` is its class or kind, spans in the original."""

    label: str
    text: str
    term: str
    start: int
    end: int
    sentence: int


@dataclass(frozen=True)
class Vocabulary:
    """Terms of one lexicon as a leftmost-longest alternation over the matching form.

    Example:
        >>> vocabulary = Vocabulary.from_rows([{"term": "コロナ", "class": "covid"}], "class")
        >>> [m.group() for m in vocabulary.pattern.finditer("コロナ禍")]
        ['コロナ']
    """

    pattern: re.Pattern[str]
    labels: Mapping[str, str]

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]], label: str) -> Vocabulary:
        """Compile the ``term`` column, longest first, labelled by the ``label`` column."""
        labels = {nfkc(row["term"]): row[label] for row in rows if row["term"]}
        terms = sorted(labels, key=lambda term: (-len(term), term))
        return cls(re.compile("|".join(map(re.escape, terms)) or "(?!)"), labels)


@dataclass(frozen=True)
class Rules:
    """Everything the detector reads from ``lexicons/``."""

    causes: Vocabulary
    impacts: Vocabulary
    partials: Vocabulary
    modifiers: Vocabulary
    phrases: frozenset[str]
    negated_heads: Mapping[str, str]
    activities: frozenset[str]
    settings: Mapping[str, Any]
    cells: dict[tuple[str, str], list[Candidate]] = dataclasses.field(
        default_factory=dict, compare=False, repr=False
    )
    """``cell_candidates`` by (text, field): a text repeated in several entries (last year's
    status copied, another plan's stock sentence) is read once (``Rules.kept``)."""

    @classmethod
    def load(cls, context: Context) -> Rules:
        """Rules from covid.tsv, impact.tsv, the activity lemmas of narrative.tsv (with the
        outcome lemmas of impact.tsv: ``activities``) and the ``covid`` section of settings.yaml."""
        impact = context.lexicons.table("impact")
        effects = [
            row for row in impact if row["match"] != "negated" and row["kind"] not in CUE_KINDS
        ]
        return cls(
            Vocabulary.from_rows(context.lexicons.table("covid"), "class"),
            Vocabulary.from_rows(effects, "kind"),
            Vocabulary.from_rows((row for row in impact if row["kind"] == PARTIAL), "kind"),
            Vocabulary.from_rows((row for row in impact if row["kind"] == MODIFIER), "kind"),
            frozenset(nfkc(row["term"]) for row in effects if row["match"] == "phrase"),
            {row["term"]: row["kind"] for row in impact if row["match"] == "negated"},
            NarrativeRules.load(context.lexicons).activity
            | {row["term"] for row in impact if row["kind"] == OUTCOME},
            context.settings[DETECTOR],
        )

    @classmethod
    def kept(cls, context: Context) -> Rules:
        """The rules of ``context`` kept from earlier runs in this process with their memo of
        cells (``kept``, by text layer and lexicons), the memo trimmed to its ``KEPT`` last.

        Example:
            >>> from pipeline.detectors import Context
            >>> context = Context.build()
            >>> Rules.kept(context) is Rules.kept(context)
            True
        """
        rules = kept(DETECTOR, lambda: cls.load(context), context.lexicons, context.text)
        trimmed(rules.cells)
        return rules

    def weight(self, hits: Sequence[Hit]) -> float:
        """The weight of the strongest hit's class (settings ``cause_weights``)."""
        return max(float(self.settings["cause_weights"][hit.label]) for hit in hits)


@dataclass(frozen=True)
class Candidate:
    """One would-be finding of a cell: evidence span in the cell and highlights over it."""

    kind: str
    field: str
    score: float
    sentence: int
    evidence: str
    highlights: tuple[tuple[int, int, str], ...]
    terms: tuple[str, ...]


def locate(text: str, vocabulary: Vocabulary, layer: TextLayer) -> list[Hit]:
    """Hits of ``vocabulary`` in the matching form of ``text``, with original spans.

    Example:
        >>> vocabulary = Vocabulary.from_rows([{"term": "コロナ", "class": "covid"}], "class")
        >>> [(h.text, h.start) for h in locate("ｺﾛﾅ禍。", vocabulary, TextLayer())]
        [('ｺﾛﾅ', 0)]
    """
    form = layer.analyse(text).form
    matches = list(vocabulary.pattern.finditer(form.text))
    if not matches:  # most cells name no cause: no sentence starts to list
        return []
    starts = [sentence.start for sentence in layer.sentences(text)]
    hits = []
    for found in matches:
        start, end = form.span(found.start(), found.end())
        sentence = max(bisect_right(starts, start) - 1, 0)
        label = vocabulary.labels[found.group()]
        hits.append(Hit(label, text[start:end], found.group(), start, end, sentence))
    return hits


def effects(
    text: str, field: str, hits: Sequence[Hit], rules: Rules, layer: TextLayer
) -> list[Hit]:
    """Effect hits that really happened: not negated (phrases excepted), not plan wording, and
    in a past sentence when the field is past-only; plus negated heads such as 実施できなかった.

    Example:
        >>> context = Context.build()
        >>> layer, rules = context.text, Rules.load(context)
        >>> text = "延期せず実施した。"
        >>> [h.label for h in effects(text, "status", locate(text, rules.impacts, layer), rules,
        ...                            layer)]
        []
    """
    predicates = layer.predicates(text)
    plan_tenses = set(rules.settings["plan_tenses"])
    found = [
        hit
        for hit in hits
        if (hit.term in rules.phrases or not layer.is_negated(text, hit.start, hit.end))
        and not any(p.start <= hit.start < p.end and p.tense in plan_tenses for p in predicates)
    ]
    found += [
        Hit(rules.negated_heads[p.lemma], p.surface, p.lemma, p.start, p.end, p.sentence)
        for p in layer.negated_terms(text)
        if p.lemma in rules.negated_heads and p.tense not in plan_tenses
    ]
    if field in rules.settings["past_only_fields"]:
        past = {p.sentence for p in predicates if p.main and p.tense == "past"}
        found = [hit for hit in found if hit.sentence in past]
    return sorted(found, key=lambda hit: (hit.start, hit.end))


def foreground(text: str, hits: Sequence[Hit], rules: Rules, layer: TextLayer) -> list[Hit]:
    """``hits`` without the effects that only name a noun's state (an effect right before a
    modifier cue, 休止中の…) in a sentence whose main predicate reports the activity carried on:
    affirmative, past or progressive, and no effect itself.

    Example:
        >>> context = Context.build()
        >>> layer, rules = context.text, Rules.load(context)
        >>> held = "休止中の会場に代えて開催を増やしている。"
        >>> closed = "休館中の施設は利用できなかった。"
        >>> [[h.text for h in foreground(t, effects(t, "status", locate(t, rules.impacts, layer),
        ...   rules, layer), rules, layer)] for t in (held, closed)]
        [[], ['休館']]
    """
    states = {hit.start for hit in locate(text, rules.modifiers, layer)}
    carried_on = {
        p.sentence
        for p in layer.main_predicates(text)
        if p.polarity == "affirmative"
        and p.tense in CARRIED_ON_TENSES
        and not any(hit.start < p.end and p.start < hit.end for hit in hits)
    }
    return [hit for hit in hits if not (hit.end in states and hit.sentence in carried_on)]


def resolved(hits: Sequence[Hit], moved_distance: int) -> list[Hit]:
    """The effects of one sentence with its hindered hits resolved: a suspension when they are
    the only effects, dropped beside another effect (the activity went ahead another way). A
    suspension followed within ``moved_distance`` characters by a format change was moved, not
    stopped (集団検診が中止や個別健診に変更になった): only the format change is kept.

    Example:
        >>> hard = Hit("hindered", "実施が困難", "実施が困難", 0, 5, 0)
        >>> online = Hit("format_changed", "オンライン", "オンライン", 9, 14, 0)
        >>> [h.label for h in resolved([hard, online], 8)], [h.label for h in resolved([hard], 8)]
        (['format_changed'], ['suspended'])
        >>> stop = Hit("suspended", "中止", "中止", 5, 7, 0)
        >>> [[h.label for h in resolved([stop, online], d)] for d in (8, 1)]
        [['format_changed'], ['suspended', 'format_changed']]
    """
    others = [hit for hit in hits if hit.label != HINDERED]
    if not others:
        return [replace(hit, label=SUSPENDED) for hit in hits]
    changes = [hit for hit in others if hit.label == FORMAT]
    return [
        hit
        for hit in others
        if not (
            hit.label == SUSPENDED
            and any(0 <= change.start - hit.end <= moved_distance for change in changes)
        )
    ]


def carried_on(text: str, rules: Rules, layer: TextLayer) -> set[int]:
    """Sentences whose main predicate reports the work carried on: an activity lemma
    (narrative.tsv) or an outcome lemma (impact.tsv), affirmative, past or progressive
    (感染症対策を取り、各種事業を実施した; 相談事業は継続した).
    COVID named there states its effect (none): no mention_only.

    Example:
        >>> context = Context.build()
        >>> text = "感染症対策を取り、各種事業を実施した。コロナ禍が続いている。"
        >>> sorted(carried_on(text, Rules.load(context), context.text))
        [0]
    """
    return {
        p.sentence
        for p in layer.main_predicates(text)
        if p.lemma in rules.activities
        and p.polarity == "affirmative"
        and p.tense in CARRIED_ON_TENSES
    }


def covid_causes(hits: Sequence[Hit]) -> list[Hit]:
    """COVID cause hits of one sentence; an other disease (インフルエンザ) vetoes infection words.

    Example:
        >>> flu = [Hit("other_disease", "インフルエンザ", "インフルエンザ", 0, 7, 0),
        ...        Hit("infection", "感染拡大", "感染拡大", 8, 12, 0)]
        >>> covid_causes(flu)
        []
    """
    vetoed = any(hit.label == "other_disease" for hit in hits)
    return [
        hit
        for hit in hits
        if hit.label in COVID_CLASSES and not (vetoed and hit.label in INFECTION_CLASSES)
    ]


def candidate(
    kind: str,
    field: str,
    score: float,
    window: Sentence,
    index: int,
    marked: Sequence[tuple[Hit, str]],
) -> Candidate:
    """A candidate quoting ``window`` (a span of the cell) with ``marked`` hits highlighted."""
    spans = tuple(
        sorted((hit.start - window.start, hit.end - window.start, role) for hit, role in marked)
    )
    terms = tuple(dict.fromkeys(hit.text for hit, _ in marked))
    return Candidate(kind, field, round(score, 4), index, window.text, spans, terms)


def window_of(text: str, sentences: Sequence[Sentence], first: int, last: int) -> Sentence:
    """The span of sentences ``first``..``last`` of ``text`` as one Sentence."""
    start, end = sentences[first].start, sentences[last].end
    return Sentence(first, text[start:end], start, end)


def sentence_candidates(
    text: str,
    field: str,
    causes: Sequence[Hit],
    found: Sequence[Hit],
    rules: Rules,
    layer: TextLayer,
) -> list[Candidate]:
    """Pair causes and effects sentence by sentence (see the module's window rule)."""
    sentences = layer.sentences(text)
    by_sentence: dict[int, list[Hit]] = {}
    for hit in causes:
        by_sentence.setdefault(hit.sentence, []).append(hit)
    partial = {hit.sentence for hit in locate(text, rules.partials, layer)}
    held = carried_on(text, rules, layer)
    results: list[Candidate] = []
    for index, sentence in enumerate(sentences):
        own = by_sentence.get(index, [])
        hits = resolved(
            [hit for hit in found if hit.sentence == index and hit.label in EFFECT_LABELS],
            int(rules.settings["moved_distance"]),
        )
        if not hits:
            naming = [hit for hit in covid_causes(own) if hit.label in NAMING_CLASSES]
            if naming and index not in held:
                weight = rules.weight(naming) * float(rules.settings["mention_weight"])
                marked = [(hit, "cause") for hit in naming]
                results.append(candidate(MENTION, field, weight, sentence, index, marked))
            continue
        results += paired(
            text, field, sentences, index, own, hits, index in partial, by_sentence, rules
        )
    return results


def paired(
    text: str,
    field: str,
    sentences: Sequence[Sentence],
    index: int,
    own: Sequence[Hit],
    hits: Sequence[Hit],
    partial: bool,
    by_sentence: Mapping[int, Sequence[Hit]],
    rules: Rules,
) -> list[Candidate]:
    """Candidates of one effect sentence: COVID kinds, or suspended_other_cause."""
    covid = covid_causes(own)
    first, weight = index, 1.0
    opens = any(
        hit.label == "connective" and hit.start <= sentences[index].start + 1 for hit in own
    )
    if not covid and opens and index > 0:
        covid = covid_causes(by_sentence.get(index - 1, []))
        first, weight = index - 1, float(rules.settings["carried_weight"])
    window = window_of(text, sentences, first, index)
    if covid:
        score = rules.weight(covid) * weight
        kinds = [
            (REDUCED if partial and hit.label == SUSPENDED else hit.label, hit) for hit in hits
        ]
        return [
            candidate(
                kind,
                field,
                score,
                window,
                index,
                [(hit, "cause") for hit in covid]
                + [(hit, "effect") for other, hit in kinds if other == kind],
            )
            for kind in dict.fromkeys(kind for kind, _ in kinds)
        ]
    return other_cause(field, window, index, own, hits, rules)


def other_cause(
    field: str, window: Sentence, index: int, own: Sequence[Hit], hits: Sequence[Hit], rules: Rules
) -> list[Candidate]:
    """suspended_other_cause: a suspension or postponement with a stated cause that is not COVID.

    The cause is an other_cause / other_disease term anywhere in the sentence, or a cause marker
    (ため, により) at most ``marker_distance`` characters before the first suspension: in
    休止となっていたため the marker is a consequence, in 定めるためにも…実施できなかった a purpose.
    """
    stopped = [hit for hit in hits if hit.label in (SUSPENDED, POSTPONED)]
    if not stopped:
        return []
    named = [hit for hit in own if hit.label in OTHER_CLASSES]
    distance = int(rules.settings["marker_distance"])
    markers = [
        hit for hit in own if hit.label == "marker" and 0 <= stopped[0].start - hit.end <= distance
    ]
    reasons = named or markers[-1:]
    if not reasons:
        return []
    marked = [(hit, "cause") for hit in reasons] + [(hit, "effect") for hit in stopped]
    return [candidate(OTHER_CAUSE, field, rules.weight(reasons), window, index, marked)]


def cell_candidates(text: str, field: str, rules: Rules, layer: TextLayer) -> list[Candidate]:
    """Candidates of one cell (status, evaluation, rating or plan text).

    Example:
        >>> context = Context.build()
        >>> layer, rules = context.text, Rules.load(context)
        >>> texts = ("感染対策を行いながら実施した。", "コロナ禍で相談が寄せられた。")
        >>> [[c.kind for c in cell_candidates(t, "status", rules, layer)] for t in texts]
        [[], ['mention_only']]
    """
    if not isinstance(text, str) or not text.strip():
        return []
    causes = locate(text, rules.causes, layer)
    if not causes:
        return []
    found = effects(text, field, locate(text, rules.impacts, layer), rules, layer)
    found = foreground(text, found, rules, layer)
    return sentence_candidates(text, field, causes, found, rules, layer)


def _cell_candidates(text: Any, field: str, rules: Rules, layer: TextLayer) -> list[Candidate]:
    """``cell_candidates``, kept in ``rules.cells`` for text cells."""
    if not isinstance(text, str):
        return cell_candidates(text, field, rules, layer)
    found = rules.cells.get((text, field))
    if found is None:
        found = rules.cells[(text, field)] = cell_candidates(text, field, rules, layer)
    return found


def strongest(candidates: Iterable[Candidate]) -> list[Candidate]:
    """One candidate per (kind, field): highest score, then the earliest sentence.

    Example:
        >>> weak = Candidate("suspended", "status", 0.5, 0, "a", (), ())
        >>> strong = replace(weak, score=1.0, sentence=2)
        >>> strongest([weak, strong]) == [strong]
        True
    """
    best: dict[tuple[str, str], Candidate] = {}
    for item in candidates:
        key = (item.kind, item.field)
        if key not in best or (-item.score, item.sentence) < (-best[key].score, best[key].sentence):
            best[key] = item
    return list(best.values())


def entry_candidates(entry: Mapping[str, Any], rules: Rules, layer: TextLayer) -> list[Candidate]:
    """The candidates of one entry (one item, one year), mentions dropped in fields with effects,
    plus covid_after_reclassification from the reclassification year on."""
    found: list[Candidate] = []
    for field in rules.settings["fields"]:
        cell = _cell_candidates(entry.get(field, ""), field, rules, layer)
        if cell and any(item.kind in EFFECT_KINDS for item in cell):
            cell = [item for item in cell if item.kind != MENTION]
        found += cell
    year = entry.get("fiscal_year")
    reclassified = int(rules.settings["reclassified_from"])
    if year is not None and not pd.isna(year) and int(year) >= reclassified:
        late = set(rules.settings["after_reclassification_kinds"])
        found += [replace(item, kind=AFTER) for item in found if item.kind in late]
    return strongest(found)


def repeated(
    entries: Sequence[Mapping[str, Any]], per_entry: Sequence[list[Candidate]], rules: Rules
) -> list[tuple[int, Candidate, tuple[str, int, str], str]]:
    """covid_repeated: an item stopped for COVID in this year and the previous one.

    Returns (entry position, candidate, compared_with, detail with the run of years).
    """
    kinds = set(rules.settings["repeated_kinds"])
    stopped: dict[tuple[str, str], dict[int, tuple[int, Candidate]]] = {}
    for position, (entry, found) in enumerate(zip(entries, per_entry, strict=True)):
        hits = sorted((c for c in found if c.kind in kinds), key=lambda c: (-c.score, c.sentence))
        if hits and not pd.isna(entry.get("fiscal_year")):
            key = (str(entry.get("source")), str(entry.get("item_id")))
            stopped.setdefault(key, {})[int(entry["fiscal_year"])] = (position, hits[0])
    results = []
    for years in stopped.values():
        for year, (position, best) in sorted(years.items()):
            if year - 1 not in years:
                continue
            run = [year]
            while run[0] - 1 in years:
                run.insert(0, run[0] - 1)
            previous = years[year - 1][1]
            detail = str(rules.settings["list_separator"]).join(map(era_label, run))
            compared = (previous.field, year - 1, previous.evidence)
            results.append((position, replace(best, kind=REPEATED), compared, detail))
    return results


def ordered(entries: pd.DataFrame) -> list[Mapping[str, Any]]:
    """Entry rows in document order of their item, then by fiscal year."""
    rows = frozen_records(entries)
    first: dict[tuple[str, str], int] = {}
    for position, row in enumerate(rows):
        first.setdefault((str(row.get("source")), str(row.get("item_id"))), position)
    return sorted(
        rows,
        key=lambda row: (
            first[(str(row.get("source")), str(row.get("item_id")))],
            -1 if pd.isna(row.get("fiscal_year")) else int(row["fiscal_year"]),
        ),
    )


def to_finding(
    entry: Mapping[str, Any],
    item: Candidate,
    context: Context,
    rules: Rules,
    compared: tuple[str, int, str] | None = None,
    detail: str = "",
) -> dict[str, Any]:
    """The finding row of a candidate."""
    separator = str(rules.settings["list_separator"])
    return finding(
        entry=entry,
        detector=DETECTOR,
        kind=item.kind,
        field=item.field,
        score=item.score,
        evidence=item.evidence,
        questions=context.questions,
        compared_with=compared,
        values={"terms": separator.join(item.terms), "detail": detail},
        highlights=item.highlights,
    )


@register(SPEC)
def detect(entries: pd.DataFrame, context: Context) -> pd.DataFrame:
    """Flag activities suspended, postponed, reduced or moved online because of COVID-19.

    Why: committees want to see where COVID stopped or changed an activity, for how long, and
    whether it is still blamed after the class-5 reclassification of 8 May 2023; suspensions with
    other stated causes (台風, 職員体制) are listed apart so they are not confused with COVID.

    Example: 2021 status "コロナ感染拡大防止のため、延期した。" -> postponed (status);
    "中止することなく開催した。" -> nothing; "感染対策を行いながら実施した。" -> nothing (the work
    was carried on); "コロナ禍で相談が寄せられた。" -> mention_only.

    False positives: COVID named next to an effect that has another reason in the same sentence;
    "まで" / "がある" partial cues turning a full suspension into a reduction; a cause marker
    (飲食の提供のため中止) that is itself COVID-driven counts as suspended_other_cause; a format
    change whose cause is not written in the same or previous sentence is missed (対面は困難 is
    read as one); a suspension of one activity followed closely by another activity moved online
    reads as moved (``moved_distance``); a figure that fell beside COVID named for another reason
    (収入が減少 of the residents is not listed) reads as reduced.
    """
    if entries.empty:
        return findings_frame([])
    rules = Rules.kept(context)
    rows = ordered(entries)
    per_entry = [entry_candidates(row, rules, context.text) for row in rows]
    keyed: list[tuple[int, int, int, dict[str, Any]]] = []
    fields = list(rules.settings["fields"])
    for position, (row, found) in enumerate(zip(rows, per_entry, strict=True)):
        for item in found:
            rank = (KINDS.index(item.kind), fields.index(item.field))
            keyed.append((position, *rank, to_finding(row, item, context, rules)))
    for position, item, compared, detail in repeated(rows, per_entry, rules):
        rank = (KINDS.index(item.kind), fields.index(item.field))
        row = to_finding(rows[position], item, context, rules, compared, detail)
        keyed.append((position, *rank, row))
    keyed.sort(key=lambda key: key[:3])
    return findings_frame(row for *_, row in keyed)
