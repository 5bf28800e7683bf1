"""quality: is the table filled in properly? Placeholders, gaps, vague statuses, typos, broken rows.

Six kinds, one small step each, all reading ``settings.yaml`` ``quality``:

- ``placeholder``: a status / evaluation / plan that is only ``-``, ``なし``, ``同上`` ...
  (``lexicons/placeholders.tsv`` kind ``placeholder``).
- ``empty_field``: an empty field that the document expects for that year. The header is not in
  the entries table, so the data decides: a field is expected in a (source, fiscal year) when at
  least ``expected_share`` of the other entries of that source and year (and at least
  ``expected_min_filled`` of them) have text in it; the entry must have text in another field of
  that year (a row with nothing at all for a year is an item not reported, not a gap).
- ``too_short``: a short status with no number and no noun outside the vague list
  (``placeholders.tsv`` kind ``vague``): 取組を継続。, 実施を継続, 継続実施。
- ``typo``: the mappings of ``lexicons/typos.tsv`` that fired, ONE finding per cell (entry x
  field) listing every hit in ``{terms}`` (``グートキーパー → ゲートキーパー ×2``), so a cell
  with six hits is one line to fix, not six; the evidence is the sentences holding the hits with
  each hit highlighted (role ``typo``). Item, department and division names belong to the row,
  not to a year: their typos are one finding per item row with no fiscal year.
- ``misplaced_text``: rows the reader had to realign or could not place (``context.repairs``,
  kinds listed in ``misplaced_repairs``): one finding per item row (no fiscal year: the row
  holds every year). The evidence is the row's own cells as printed; the question lists each
  repair by its Japanese name (``lexicons/repairs.tsv``) with the reader's Japanese message.
  Repairs with no item (an unplaced line, a missing heading) become one finding each with item
  ``''`` and the line number in ``{detail}`` and in the evidence, so they still reach the policy
  office (the checklist lists them under its no-division group). ``orphan_repairs`` (an empty
  result, an item with no text in any year: ``no_text``) count for items with no entries; the
  finding takes the item's name and division from the repair log when it has those columns.
- ``org_change``: a department / division cell with a change note (``lexicons/org_changes.tsv``:
  企画部(令和4年度～地域振興部)), one finding per item row and field; or an item (same source,
  section, number and name) whose department / division differs from the previous year's.

Example:
    >>> from pipeline.detectors import Context
    >>> from pipeline.schemas import ENTRY_COLUMNS, conform
    >>> entries = conform(pd.DataFrame([
    ...     {"item_id": "a", "item": "研修", "fiscal_year": 2021, "status": "-", "rating": "100%"},
    ... ]), ENTRY_COLUMNS)
    >>> context = Context.build()
    >>> detect(entries, context)[["fiscal_year", "kind", "field"]].values.tolist()
    [[2021, 'placeholder', 'status']]
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pipeline.detectors import Context, frozen_records, register, run_checks
from pipeline.findings import FIELD_LABELS, Kind, Spec, finding, findings_frame
from pipeline.ratings import RatingScale
from pipeline.schemas import TEXT_FIELDS, YEAR_FIELDS
from pipeline.schemas import records as entry_records
from pipeline.text import TextLayer, TypoHit

DETECTOR = "quality"
SPEC = Spec(
    name=DETECTOR,
    label="記載の品質",
    group="品質",
    kinds=(
        Kind(
            "placeholder",
            "「-」等のみの記載",
            "medium",
            "the field holds only `-`, なし, 同上 …; not on a row rated 未実施 (the rating "
            "detector asks why it was not done: `not_implemented`)",
        ),
        Kind(
            "empty_field",
            "記入漏れ（空欄）",
            "medium",
            "an empty field the same document fills for most items that year (not on a row "
            "rated 未実施)",
        ),
        Kind(
            "too_short",
            "具体性に欠ける記載",
            "low",
            "a status of a few words with no figure and no content noun (`取組を継続。`)",
        ),
        Kind(
            "typo",
            "誤字・表記ゆれ",
            "low",
            "an OCR typo or variant from `lexicons/typos.tsv`, with its position",
        ),
        Kind(
            "misplaced_text",
            "表の列ずれ・配置不明",
            "medium",
            "the reader had to realign, move or could not place a cell: the published row is "
            "likely broken; `compared_text` holds the reader's own account",
        ),
        Kind(
            "org_change",
            "組織名の変更",
            "low",
            "a department/division carries a change note or differs between years",
        ),
    ),
)
ROW_FIELDS: tuple[str, ...] = ("item", "department", "division")
"""Fields that belong to the item row (the same in every year of it)."""
ORG_FIELDS: tuple[str, ...] = ("department", "division")
ITEM_CELLS: tuple[str, ...] = ("item_no", "item", "department", "division")
"""The cells an item row prints before its years (misplaced_text evidence)."""
REPAIR_COLUMNS: tuple[str, ...] = ("source", "item_id", "line", "kind", "message")
REPAIR_ROW_COLUMNS: tuple[str, ...] = ("item", "department", "division")
"""Optional repair columns naming the item row of a repair (an item with no entries)."""

Entry = Mapping[str, Any]
Row = dict[str, Any]


@dataclass(frozen=True)
class Rules:
    """The quality settings and term lists, read once per run.

    Example:
        >>> rules = Rules.load(TextLayer())
        >>> rules.is_placeholder("―"), rules.is_placeholder("研修を実施した。")
        (True, False)
    """

    layer: TextLayer
    options: Mapping[str, Any]
    placeholders: frozenset[str]
    placeholder_patterns: tuple[re.Pattern[str], ...]
    vague: frozenset[str]
    org_notes: tuple[re.Pattern[str], ...]
    scale: RatingScale
    answers: dict[tuple[str, str], bool] = dataclasses.field(
        default_factory=dict, compare=False, repr=False
    )
    """Answers of ``is_placeholder`` and ``not_implemented`` by cell (one detector run's
    cells: the same '-', 実施 or 未実施 is read once)."""

    @classmethod
    def load(cls, layer: TextLayer) -> Rules:
        """Read ``settings.yaml`` ``quality``, ``placeholders.tsv`` and ``org_changes.tsv``."""
        lexicons = layer.lexicons
        rows = lexicons.table("placeholders")
        options: dict[str, Any] = lexicons.settings[DETECTOR]
        trim = str(options["trim_chars"])
        terms = [row for row in rows if row["kind"] == "placeholder"]
        return cls(
            layer=layer,
            options=options,
            placeholders=frozenset(layer.normalize(row["term"]).strip(trim) for row in terms),
            placeholder_patterns=tuple(
                re.compile(row["pattern"]) for row in terms if row["pattern"]
            ),
            vague=frozenset(layer.normalize(row["term"]) for row in rows if row["kind"] == "vague"),
            org_notes=lexicons.patterns("org_changes"),
            scale=RatingScale.load(lexicons),
        )

    def bare(self, text: str) -> str:
        """The comparison form: normalized, ``trim_chars`` removed at both ends.

        Example:
            >>> Rules.load(TextLayer()).bare(" 特になし。")
            '特になし'
        """
        return self.layer.normalize(text).strip().strip(str(self.options["trim_chars"]))

    def is_placeholder(self, text: str) -> bool:
        """True when the whole (non-empty) cell is a placeholder of ``placeholders.tsv``."""
        if not text.strip():
            return False
        found = self.answers.get(("placeholder", text))
        if found is None:
            bare = self.bare(text)
            found = self.answers[("placeholder", text)] = bare in self.placeholders or any(
                p.fullmatch(bare) for p in self.placeholder_patterns
            )
        return found

    def has_text(self, text: str) -> bool:
        """True when the cell says something: neither empty nor a placeholder."""
        return bool(text.strip()) and not self.is_placeholder(text)

    def not_implemented(self, record: Entry) -> bool:
        """True when the entry's rating says not implemented (未実施, 0%, D): its gaps are not
        the question, why it was not done is (the rating detector's not_implemented).

        Example:
            >>> rules = Rules.load(TextLayer())
            >>> rules.not_implemented({"rating": "未実施"}), rules.not_implemented({"rating": "-"})
            (True, False)
        """
        cell = str(record.get("rating", ""))
        found = self.answers.get(("not_implemented", cell))
        if found is None:
            low = float(self.layer.lexicons.settings["rating"]["low_at_most"])
            found = self.answers[("not_implemented", cell)] = self.scale.not_implemented(cell, low)
        return found

    def joined(self, parts: Sequence[str]) -> str:
        """``parts`` joined with ``list_separator`` (duplicates dropped, order kept)."""
        return str(self.options["list_separator"]).join(dict.fromkeys(parts))


def ordered(entries: pd.DataFrame) -> list[Entry]:
    """Entries as records in document order: item order of first appearance, then year.

    Example:
        >>> frame = pd.DataFrame({"source": ["a", "a"], "item_id": ["x", "x"],
        ...     "fiscal_year": [2021, 2020]})
        >>> [r["fiscal_year"] for r in ordered(frame)]
        [2020, 2021]
    """
    records = frozen_records(entries)
    rank = {key: i for i, key in enumerate(dict.fromkeys(_item_key(r) for r in records))}
    return sorted(records, key=lambda r: (rank[_item_key(r)], _year(r) or 0))


def _item_key(record: Entry) -> tuple[str, str]:
    return str(record["source"]), str(record["item_id"])


def _year(record: Entry) -> int | None:
    year = record.get("fiscal_year")
    if year is None or type(year) is int:
        return year
    return None if pd.isna(year) else int(year)


def item_rows(records: Sequence[Entry]) -> list[Row]:
    """The first entry of each item row, without a fiscal year (for row-level findings)."""
    first: dict[tuple[str, str], Row] = {}
    for record in records:
        key = _item_key(record)
        if key not in first:
            first[key] = {**record, "fiscal_year": None}
    return list(first.values())


def _finding(context: Context, entry: Entry, kind: str, field: str, **extra: Any) -> Row:
    labels: Mapping[str, str] = context.settings[DETECTOR]["field_labels"]
    label = {"field": labels[field]} if field in labels else {}
    values = {**label, **extra.pop("values", {})}
    return finding(
        entry=entry,
        detector=DETECTOR,
        kind=kind,
        field=field,
        questions=context.questions,
        values=values,
        **{"score": 1.0, **extra},
    )


def placeholders(rules: Rules, context: Context, records: Sequence[Entry]) -> list[Row]:
    """One finding per status / evaluation / plan cell that is only a placeholder, except in
    rows rated not implemented."""
    return [
        _finding(
            context,
            record,
            "placeholder",
            field,
            evidence=record[field].strip(),
            values={
                "terms": record[field].strip(),
                "detail": str(rules.options["field_hints"].get(field, "")),
            },
        )
        for record in records
        if not rules.not_implemented(record)
        for field in rules.options["placeholder_fields"]
        if rules.is_placeholder(record[field])
    ]


def filled_counts(records: Sequence[Entry], fields: Sequence[str]) -> dict[tuple[Any, ...], int]:
    """How many entries of each (source, fiscal year) have a non-empty cell in each field.

    Example:
        >>> filled_counts([{"source": "a", "fiscal_year": 2020, "status": "-"}], ["status"])
        {('a', 2020, 'status'): 1, ('a', 2020, ''): 1}
    """
    counts: dict[tuple[Any, ...], int] = {}
    for record in records:
        for key in [*((f,) for f in fields if str(record[f]).strip()), ("",)]:
            full = (record["source"], _year(record), *key)
            counts[full] = counts.get(full, 0) + 1
    return counts


def empty_fields(rules: Rules, context: Context, records: Sequence[Entry]) -> list[Row]:
    """One finding per empty field that the other entries of its source and year fill in,
    except in rows rated not implemented."""
    fields = list(rules.options["empty_fields"])
    counts = filled_counts(records, fields)
    rows = []
    for record in records:
        total = counts[(record["source"], _year(record), "")] - 1
        empty = [field for field in fields if not str(record[field]).strip()]
        if not empty or total <= 0 or rules.not_implemented(record):
            continue
        others = [f for f in YEAR_FIELDS if rules.has_text(str(record[f]))]
        if not others:
            continue
        for field in empty:
            filled = counts.get((record["source"], _year(record), field), 0)
            if filled < rules.options["expected_min_filled"]:
                continue
            if filled / total < rules.options["expected_share"]:
                continue
            rows.append(
                _finding(
                    context,
                    record,
                    "empty_field",
                    field,
                    score=filled / total,
                    evidence=_quote_fields(rules, record, others),
                    values={"detail": f"{filled}/{total}"},
                )
            )
    return rows


def _quote_fields(rules: Rules, record: Entry, fields: Sequence[str]) -> str:
    limit = int(rules.options["quote_chars"])
    gap = str(rules.options["evidence_gap"])
    quotes = []
    for field in fields:
        text = " ".join(str(record[field]).split())
        cut = rules.layer.clip(text, limit, gap.strip())
        quotes.append(f"{FIELD_LABELS.get(field, field)}: {cut}")
    return " / ".join(quotes)


def content_nouns(rules: Rules, text: str) -> tuple[int, bool]:
    """(nouns outside the vague list, whether a number is written) of ``text``'s tokens.

    Example:
        >>> rules = Rules.load(TextLayer())
        >>> content_nouns(rules, "取組を継続。"), content_nouns(rules, "研修を実施した。")
        ((0, False), (1, False))
    """
    noun, number_pos = rules.options["noun_pos"], rules.options["number_pos"]
    nouns, number = 0, False
    for token in rules.layer.tokens(text):
        if token.pos[0] != noun:
            continue
        if token.pos[1] == number_pos:
            number = True
        elif token.normalized not in rules.vague and token.surface not in rules.vague:
            nouns += 1
    return nouns, number


def too_short(rules: Rules, context: Context, records: Sequence[Entry]) -> list[Row]:
    """One finding per short status with no number and no noun that names an object."""
    limit = int(rules.options["short_max_chars"])
    rows = []
    for record in records:
        for field in rules.options["short_fields"]:
            text = str(record[field]).strip()
            size = len("".join(rules.layer.normalize(text).split()))
            if not rules.has_text(text) or size > limit:
                continue
            nouns, number = content_nouns(rules, text)
            if number or nouns >= rules.options["short_min_content_nouns"]:
                continue
            score = 1.0 - size / (limit + 1)
            rows.append(
                _finding(
                    context,
                    record,
                    "too_short",
                    field,
                    score=score,
                    evidence=text,
                    values={"terms": text},
                )
            )
    return rows


def typo_evidence(rules: Rules, text: str, hits: Sequence[TypoHit]) -> tuple[str, list[Any]]:
    """The first ``typo_sentences`` sentences holding ``hits`` (joined by ``evidence_gap``) and
    each hit's span in them; the whole text when a hit crosses a sentence boundary.

    Example:
        >>> rules = Rules.load(TextLayer())
        >>> text = "研修を行った。グートキーパーを養成した。"
        >>> typo_evidence(rules, text, rules.layer.typo_hits(text))
        ('グートキーパーを養成した。', [(0, 7, 'typo')])
    """
    gap = str(rules.options["evidence_gap"])
    chosen = [
        (sentence, [h for h in hits if sentence.start <= h.start and h.end <= sentence.end])
        for sentence in rules.layer.sentences(text)
    ]
    chosen = [(sentence, inside) for sentence, inside in chosen if inside]
    if sum(len(inside) for _, inside in chosen) < len(hits):
        return text, [(h.start, h.end, "typo") for h in hits]
    pieces: list[str] = []
    spans: list[tuple[int, int, str]] = []
    offset = 0
    for sentence, inside in chosen[: int(rules.options["typo_sentences"])]:
        spans += [
            (offset + h.start - sentence.start, offset + h.end - sentence.start, "typo")
            for h in inside
        ]
        pieces.append(sentence.text)
        offset += len(sentence.text) + len(gap)
    return gap.join(pieces), spans


def typo_terms(rules: Rules, hits: Sequence[TypoHit]) -> str:
    """Each distinct mapping once, ``wrong → right``, with ``×n`` when it fired n > 1 times.

    Example:
        >>> hits = [TypoHit("あつた", "あった", 0, 3), TypoHit("あつた", "あった", 9, 12)]
        >>> typo_terms(Rules.load(TextLayer()), hits)
        'あつた → あった ×2'
    """
    counts: dict[tuple[str, str], int] = {}
    for hit in hits:
        counts[(hit.wrong, hit.right)] = counts.get((hit.wrong, hit.right), 0) + 1
    return rules.joined(
        [f"{wrong} → {right}" + (f" ×{n}" if n > 1 else "") for (wrong, right), n in counts.items()]
    )


def typos(rules: Rules, context: Context, records: Sequence[Entry]) -> list[Row]:
    """One finding per cell with typos: row fields once per item row, narrative per entry."""
    cells: list[tuple[Entry, str]] = [
        (row, field) for row in item_rows(records) for field in ROW_FIELDS
    ]
    cells += [(record, field) for record in records for field in TEXT_FIELDS]
    rows = []
    for entry, field in cells:
        text = str(entry[field])
        hits = rules.layer.typo_hits(text)
        if not hits:
            continue
        evidence, spans = typo_evidence(rules, text, hits)
        rows.append(
            _finding(
                context,
                entry,
                "typo",
                field,
                evidence=evidence,
                highlights=spans,
                values={"terms": typo_terms(rules, hits)},
            )
        )
    return rows


def repair_log(context: Context, records: Sequence[Entry], rules: Rules) -> list[dict[str, str]]:
    """The repairs of the entries' sources that make a misplaced_text finding, in log order:
    kinds of ``misplaced_repairs``, and of ``orphan_repairs`` for items with no entries."""
    repairs = context.repairs
    if repairs.empty or not set(REPAIR_COLUMNS) <= set(repairs.columns):
        return []
    sources = {str(record["source"]) for record in records}
    items = {_item_key(record) for record in records}
    misplaced = set(rules.options["misplaced_repairs"])
    orphan = set(rules.options["orphan_repairs"])
    columns = [*REPAIR_COLUMNS, *(c for c in REPAIR_ROW_COLUMNS if c in repairs.columns)]
    log = repairs[columns].fillna("").astype(str)
    log = log[log["source"].isin(sources) & log["kind"].isin(misplaced | orphan)]
    return [
        repair
        for repair in entry_records(log)
        if repair["kind"] in misplaced
        or (repair["kind"] in orphan and (repair["source"], repair["item_id"]) not in items)
    ]


def repair_groups(
    log: Sequence[dict[str, str]], records: Sequence[Entry]
) -> list[tuple[Entry, list[dict[str, str]]]]:
    """The repairs of each item row together (item order of the log), each item-less repair
    alone; an item with no entries keeps its item_id and the item, department and division
    the repair names (empty when the log has no such columns)."""
    rows_by_item = {_item_key(row): row for row in item_rows(records)}
    by_item: dict[tuple[str, str], list[dict[str, str]]] = {}
    groups: list[tuple[Entry, list[dict[str, str]]]] = []
    for repair in log:
        key = (repair["source"], repair["item_id"])
        if not repair["item_id"]:
            groups.append(({"source": repair["source"], "item_id": ""}, [repair]))
        elif key in by_item:
            by_item[key].append(repair)
        else:
            by_item[key] = [repair]
            named = {column: repair.get(column, "") for column in REPAIR_ROW_COLUMNS}
            entry = rows_by_item.get(key, {"source": key[0], "item_id": key[1], **named})
            groups.append((entry, by_item[key]))
    return groups


def row_cells(records: Sequence[Entry]) -> dict[tuple[str, str], list[str]]:
    """The non-empty cells of each item row as printed: number, name, department, division,
    then each year's status, evaluation, rating and plan (years in order).

    Example:
        >>> row_cells([{"source": "a", "item_id": "x", "item_no": "1", "item": "研修",
        ...     "department": "", "division": "健康課", "status": "実施した。", "evaluation": "",
        ...     "rating": "A", "plan": ""}])
        {('a', 'x'): ['1', '研修', '健康課', '実施した。', 'A']}
    """
    cells: dict[tuple[str, str], list[str]] = {}
    for record in records:
        key = _item_key(record)
        fields = list(YEAR_FIELDS) if key in cells else [*ITEM_CELLS, *YEAR_FIELDS]
        texts = [" ".join(str(record.get(f, "")).split()) for f in fields]
        cells.setdefault(key, []).extend(text for text in texts if text)
    return cells


def row_evidence(rules: Rules, cells: Sequence[str]) -> str:
    """The row's cells, each cut to ``quote_chars``, joined by ``row_separator`` and cut to
    ``row_evidence_chars``.

    Example:
        >>> row_evidence(Rules.load(TextLayer()), ["1", "研修", "実施した。"])
        '1 | 研修 | 実施した。'
    """
    limit, total = int(rules.options["quote_chars"]), int(rules.options["row_evidence_chars"])
    gap = str(rules.options["evidence_gap"]).strip()
    cut = [rules.layer.clip(cell, limit, gap) for cell in cells]
    return rules.layer.clip(str(rules.options["row_separator"]).join(cut), total, gap)


def repair_terms(rules: Rules, labels: Mapping[str, str], repairs: Sequence[dict[str, str]]) -> str:
    """Each repair as ``repair_term`` (its kind's Japanese name and the reader's message).

    Example:
        >>> repair_terms(Rules.load(TextLayer()), {"misfit": "欄に合わない内容"},
        ...     [{"kind": "misfit", "line": "16", "message": "達成度欄に文章があります"}])
        '16行目 欄に合わない内容：達成度欄に文章があります'
    """
    template = str(rules.options["repair_term"])
    return str(rules.options["repair_separator"]).join(
        template.format(
            line=r["line"], label=labels.get(r["kind"], r["kind"]), message=r["message"]
        )
        for r in repairs
    )


def misplaced_text(rules: Rules, context: Context, records: Sequence[Entry]) -> list[Row]:
    """One finding per repaired item row, one per repair that has no item. The evidence is the
    row's own cells; the question names the kinds of repair (in Japanese,
    ``lexicons/repairs.tsv``) and ``compared_with`` holds the reader's own messages, so the
    question stays short. An item with no entries quotes the reader's messages instead."""
    labels = {row["kind"]: row["label"] for row in context.lexicons.table("repairs")}
    groups = repair_groups(repair_log(context, records, rules), records)
    repaired = {_item_key(entry) for entry, _ in groups}
    cells = row_cells([record for record in records if _item_key(record) in repaired])
    return [
        _finding(
            context,
            entry,
            "misplaced_text",
            "row",
            evidence=row_evidence(rules, cells.get(_item_key(entry), []))
            or " / ".join(f"{r['line']}: {r['message']}" for r in repairs),
            compared_with=("row", None, repair_terms(rules, labels, repairs)),
            values={
                "detail": rules.joined([r["line"] for r in repairs]),
                "terms": rules.joined([labels.get(r["kind"], r["kind"]) for r in repairs]),
            },
        )
        for entry, repairs in groups
    ]


def note_changes(rules: Rules, name: str) -> list[str]:
    """``old → new`` for every change note in a department / division name.

    Example:
        >>> note_changes(Rules.load(TextLayer()), "企画部(令和4年度～地域振興部)")
        ['企画部 → 地域振興部']
    """
    form = rules.layer.normalize(name)
    changes = []
    for pattern in rules.org_notes:
        for match in pattern.finditer(form):
            groups = match.groupdict()
            before = _last_name(form[: match.start()])
            old = groups.get("old") or before
            new = groups.get("new") or before
            changes.append(f"{old} → {new}".strip())
    return changes


def _last_name(text: str) -> str:
    parts = re.split(r"[\s,)]+", text.strip())
    return parts[-1] if parts else ""


def org_notes(rules: Rules, context: Context, records: Sequence[Entry]) -> list[Row]:
    """One finding per item row and field whose name carries a change note."""
    rows = []
    for entry in item_rows(records):
        for field in ORG_FIELDS:
            changes = note_changes(rules, str(entry[field]))
            if changes:
                rows.append(
                    _finding(
                        context,
                        entry,
                        "org_change",
                        field,
                        evidence=str(entry[field]).strip(),
                        values={"terms": rules.joined(changes)},
                    )
                )
    return rows


def org_renames(rules: Rules, context: Context, records: Sequence[Entry]) -> list[Row]:
    """One finding per entry whose department / division is new since the item's previous year."""
    rows = []
    for field in ORG_FIELDS:
        for previous, year, members in _year_steps(records, field):
            for record in members:
                name = str(record[field]).strip()
                if not name or name in previous or not previous:
                    continue
                old = rules.joined(sorted(previous))
                rows.append(
                    _finding(
                        context,
                        record,
                        "org_change",
                        field,
                        score=0.8,
                        evidence=name,
                        compared_with=(field, year, old),
                        values={"terms": f"{old} → {name}"},
                    )
                )
    return rows


def _year_steps(
    records: Sequence[Entry], field: str
) -> Iterator[tuple[set[str], int, list[Entry]]]:
    """For each item (source, section, number, name): (names of its previous year, that year,
    entries of the next year), over consecutive years present."""
    by_item: dict[tuple[str, ...], dict[int, list[Entry]]] = {}
    for record in records:
        year = _year(record)
        if year is None:
            continue
        key = (
            str(record["source"]),
            str(record["section"]),
            str(record["item_no"]),
            str(record["item"]),
        )
        by_item.setdefault(key, {}).setdefault(year, []).append(record)
    for years in by_item.values():
        steps = sorted(years)
        for before, after in itertools.pairwise(steps):
            names = {str(r[field]).strip() for r in years[before]} - {""}
            yield names, before, years[after]


@register(SPEC)
def detect(entries: pd.DataFrame, context: Context) -> pd.DataFrame:
    """Flag what keeps the table from being published as is: placeholders, empty fields,
    statuses too short to check, typos, rows the reader had to repair, renamed organisations.

    Why: before publication the policy office checks that every division filled in its rows;
    a '-' or 取組を継続。 as the whole status, an empty evaluation, グートキーパー in a printed
    name or a shifted row all end up in the published table and in the committee's questions.

    Example: 003 既存のリーフレット等を活用した周知 2019 status '-' -> placeholder (status);
    003 市職員向けグートキーパー養成講座の開催 -> typo (item) with terms
    "グートキーパー → ゲートキーパー"; 003 企画部(令和4年度～地域振興部) -> org_change
    "企画部 → 地域振興部".

    False positives: a field the header of that block does not have but most blocks of the
    source do is reported as empty (the entries do not carry the header). A legitimately
    terse status (実施 for a routine statutory task) is reported as too_short. A row the reader
    misaligned but the published table shows correctly is reported as misplaced_text. Spelling
    variants of the typo list (コロナウィルス) are reported as typos.
    """
    if entries.empty:
        return findings_frame([])
    records = ordered(entries)
    checks = (
        placeholders,
        empty_fields,
        too_short,
        typos,
        misplaced_text,
        org_notes,
        org_renames,
    )
    rows = run_checks(checks, Rules.load(context.text), context, records)
    return findings_frame(sorted(rows, key=_document_order(records)))


def _document_order(records: Sequence[Entry]) -> Any:
    rank = {key: i for i, key in enumerate(dict.fromkeys(_item_key(r) for r in records))}

    def key(row: Row) -> tuple[int, int, str, str]:
        year = _year(row)
        item = rank.get((str(row["source"]), str(row["item_id"])), len(rank))
        return item, -1 if year is None else year, row["kind"], row["field"]

    return key
