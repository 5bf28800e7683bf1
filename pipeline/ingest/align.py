"""Align a row's cells to its header's columns by what the cells contain.

An extraction can drop a cell (002 loses its empty 再掲 cell, so every later field shifts left),
add one (003 rows carry a 内容 cell the header does not name) or shift a whole row (001
``\\t\\t広報秘書課\\t…``). A dynamic programme maps cells to columns, scoring how well each
cell's content class fits each column's field over the whole row, with gaps allowed on both
sides, two neighbouring cells exchanged (``状況 | 30% | 評価``: the rating printed before its
evaluation) and a percentage printed again around its evaluation left out. The classes come from
``lexicons/cell_patterns.tsv``: percentages, A-D and 実施/未実施 belong in rating columns, plan
wording (取組を継続, 図る。) in plan columns, past-tense reports (開催した。) in status or
evaluation columns. A later cell that opens like the row's first status (申込33件 → 申込13件) is
that report written again a later year, and is aligned as a status; a closing plan phrase
printed twice at a row's end (取組を継続。 | 取組を継続。) may be left out (logged).

Example:
    >>> shapes = CellShapes.load()
    >>> fields = ["item", "page", "relisted", "status", "rating"]
    >>> align_cells(["相談事業", "P.43", "相談を実施した。", "100%"], fields, shapes).mapping
    (0, 1, 3, 4)
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache

from pipeline.ingest.cells import CellShapes, fold, strip_tags

SHORT_TEXT = 40
"""Cells up to this many characters are 'short' (item names, brief results); longer ones 'long'."""

_PERCENT_RE = re.compile(r"\d{1,3}(\.\d+)?\s*%")
_TEXT_FIELDS = ("status", "evaluation", "plan", "description", "opinion", "indicator")

_FORBIDDEN = -8.0
"""A cell in a column that only takes one shape (再掲 marks, page numbers) and has another."""

_FIT: dict[str, dict[str, float]] = {
    "placeholder": {"rating": 0.5, "text": 0.5, "description": 0.3, "item": -0.5, "other": -0.3},
    "page": {"page": 3.0, "relisted": _FORBIDDEN, "other": -3.0},
    "relisted": {"relisted": 3.0, "rating": -1.0, "other": -2.0},
    "department": {"department": 3.0, "division": 0.5, "item": -1.0, "other": -2.0},
    "division": {"division": 3.0, "department": 0.5, "item": -0.5, "rating": -1.0, "other": -1.5},
    "rating": {"rating": 2.5, "text": -0.3, "relisted": -1.0, "other": -2.0},
    "percent": {"rating": 3.0, "other": -2.0},
    "rating_like": {"rating": 2.0, "text": 0.0, "division": -0.5, "other": -1.5},
    "section": {"section": 3.0, "section_code": 3.0, "item": 0.0, "text": -1.0, "other": -2.0},
    "item_no": {"item_no": 3.0, "rating": 0.5, "section_code": -1.0, "other": -1.5},
    "short": {
        "item": 1.5,
        "text": 0.5,
        "description": 0.5,
        "section": -0.5,
        "unknown": -0.5,
        "page": _FORBIDDEN,
        "relisted": _FORBIDDEN,
        "other": -1.5,
    },
    "plan_text": {
        "plan": 1.5,
        "text": 0.3,
        "description": 0.3,
        "item": -0.5,
        "section": -1.0,
        "page": _FORBIDDEN,
        "relisted": _FORBIDDEN,
        "other": -2.0,
    },
    "past_text": {
        "text": 1.0,
        "plan": 0.0,  # a report (開催した。) is no plan: it fits a plan column no better than a gap
        "description": 1.0,
        "item": -0.3,
        "section": -1.0,
        "page": _FORBIDDEN,
        "relisted": _FORBIDDEN,
        "other": -2.5,
    },
    "long": {
        "text": 1.0,
        "description": 1.0,
        "item": 0.2,
        "section": -1.0,
        "page": _FORBIDDEN,
        "relisted": _FORBIDDEN,
        "other": -3.0,
    },
}
_FIT["echo_status"] = {
    "status": 2.5,
    "text": 0.0,
    "description": -1.0,
    "item": -1.0,
    "page": _FORBIDDEN,
    "relisted": _FORBIDDEN,
    "other": -3.0,
}
_WORDINGS = ("plan_text", "past_text")
"""Narrative cells whose last words say plan (取組を継続, 図る。) or past report (開催した。)."""
_DROP: dict[str, float] = {
    "empty": 0.0,
    "placeholder": -1.0,
    "short": -3.0,
    "long": -4.0,
    "plan_text": -3.0,
    "past_text": -4.0,
    "repeat": -0.3,
    "echo_status": -4.0,
}
_RATINGS = ("percent", "rating")
REPEAT = "repeat"
"""A percentage printed again within two cells (``30% | 評価 | 30%``): an extraction artefact,
cheap to drop; where it is kept it fits like a percentage."""
_REPEAT_REACH = 2
_COPY = "copy_"
"""Prefix of the class of a narrative cell printed twice (see ``_mark_copies``): it fits like
its class, and is cheap to drop."""
_SWAP = -1.5
"""Two neighbouring cells read in each other's column (``状況 | 30% | 評価``): allowed inside the
alignment, at this cost, when both then fit."""
_SKIP_COLUMN = -0.2
_KEEP = -100.0
"""The cost of leaving text out where an alignment must keep it (see ``_within_labels``)."""
_REALIGN_MARGIN = 1.5
_MISFIT = -1.0
_ECHO_FIELD = "status"
_ECHO_PREFIX = 12
"""A cell whose first characters (digits and a leading （課名） aside) repeat those of the row's
first status cell is the same report written again a later year (申込33件 → 申込13件): a status."""
_LEADING_MARK_RE = re.compile(r"^(\s*[(（【][^)）】]{1,40}[)）】])+\s*")
_DESCRIPTION = "description"
_YEARLY = ("status", "evaluation", "rating", "plan")
_NARRATIVE = ("short", "long", "plan_text", "past_text")
"""Classes of a narrative cell."""
_SENTENCES = ("long", "past_text")
"""Classes of a report sentence: one printed twice beside itself is an export artefact."""
_DESCRIBING = ("short", "long")
"""Classes a late 内容 cell may have: narrative that is neither a report nor plan wording."""
_EVALUATION_BIAS = 0.1
"""A lone text cell between a status and a rating column is more likely the status."""


@dataclass(frozen=True)
class Alignment:
    """Where each cell went: ``mapping[i]`` is a column index, or None when the cell was dropped."""

    mapping: tuple[int | None, ...]
    """A tuple: alignments are remembered (``_read_as``) and shared by the rows read alike."""
    score: float
    realigned: bool = False
    swaps: tuple[int, ...] = ()
    """Cells ``i`` that were printed in the column of cell ``i + 1`` and it in theirs."""
    repeats: tuple[int, ...] = ()
    """Cells left out because they repeat a cell just before (``30% | 評価 | 30%``, a sentence
    printed twice)."""


def cell_class(text: str, shapes: CellShapes) -> str:
    """The content class a cell is aligned by.

    Example:
        >>> shapes = CellShapes.load()
        >>> [cell_class(t, shapes) for t in ["", "-", "P28", "100%", "企画課 80% 福祉総務課 実施"]]
        ['empty', 'placeholder', 'page', 'percent', 'rating_like']
    """
    known = shapes.memo.get(text)
    if known is None:
        known = shapes.remember(text, _classify(text, shapes))
    return known


def _classify(text: str, shapes: CellShapes) -> str:
    folded = fold(strip_tags(text))
    if not folded:
        return "empty"
    if shapes.folded_is(folded, "rule_line") or folded in "-ー―‐－":
        return "placeholder"
    if _PERCENT_RE.fullmatch(folded):
        return "percent"
    for kind in ("page", "relisted", "section", "item_no", "department", "division", "rating"):
        if shapes.folded_is(folded, kind):
            return kind
    if _is_rating_like(folded, shapes):
        return "rating_like"
    for kind in _WORDINGS:
        if shapes.folded_is(folded, kind):
            return kind
    return "short" if len(folded) <= SHORT_TEXT else "long"


def _is_rating_like(folded: str, shapes: CellShapes) -> bool:
    if "。" in folded or len(folded) > 2 * SHORT_TEXT:
        return False
    tokens = folded.split()
    all_ratings = len(tokens) > 1 and all(shapes.is_kind(token, "rating") for token in tokens)
    return all_ratings or bool(_PERCENT_RE.search(folded))


@lru_cache(maxsize=4096)  # classes x fields: a few hundred pairs, asked for every DP cell
def fit(kind: str, field: str) -> float:
    """How well a cell of content class ``kind`` fits a column holding ``field``.

    Example:
        >>> fit("page", "page"), fit("long", "rating"), fit("empty", "page")
        (3.0, -3.0, 0.0)
    """
    if kind == "empty":
        return 0.0
    table = _FIT["percent" if kind == REPEAT else kind.removeprefix(_COPY)]
    if field in table:
        return table[field]
    if field in _TEXT_FIELDS and "text" in table:
        return table["text"] - (_EVALUATION_BIAS if field == "evaluation" else 0.0)
    return table["other"]


def align(
    kinds: Sequence[str], fields: Sequence[str], optional: frozenset[int] = frozenset()
) -> Alignment:
    """The best alignment of cell classes to column fields: monotonic, but for two neighbours
    exchanged (a rating printed before its evaluation).

    A cell may be dropped (cheap when empty, dear when it holds text) and a column may be left
    without a cell (free for ``optional`` columns such as an implied 内容 column, and for the
    columns after the last cell: a text export leaves a row's trailing empty cells off, so a
    short row fills the first columns rather than shifting into later years).

    Rows of one table share few shapes, so results are cached by (kinds, fields, optional).

    Example:
        >>> align(["short", "long", "percent"], ["item", "relisted", "status", "rating"]).mapping
        (0, 2, 3)
    """
    return _align(tuple(kinds), tuple(fields), optional, False)


@lru_cache(maxsize=16384)
def _align(
    kinds: tuple[str, ...], fields: tuple[str, ...], optional: frozenset[int], keep: bool
) -> Alignment:
    """The dynamic programme of ``align``; with ``keep``, leaving text out is all but barred.

    Each cell ``best[i][j]`` (the first ``i`` cells in the first ``j`` columns) takes the best of
    four moves, tried in this order, a later one only when clearly better: ``match`` (cell
    ``i`` in column ``j``), ``swap`` (cells ``i - 1`` and ``i`` in each other's column, when
    both then fit), ``skip`` (column ``j`` left without a cell) and ``drop`` (cell ``i`` left
    out). The fits, drops and skips are looked up once per cell and column, not per move.
    """
    rows, cols = len(kinds), len(fields)
    fits = [[fit(kind, name) for name in fields] for kind in kinds]
    drops = [
        _KEEP if keep and _lost(Alignment((None,), 0.0), (kind,)) > 0 else _drop(kind)
        for kind in kinds
    ]
    skips = [
        0.0 if j in optional or name == "unknown" else _SKIP_COLUMN for j, name in enumerate(fields)
    ]
    best = [[float("-inf")] * (cols + 1) for _ in range(rows + 1)]
    step = [[""] * (cols + 1) for _ in range(rows + 1)]
    best[0][0] = 0.0
    for i in range(rows + 1):
        here, moves = best[i], step[i]
        above = best[i - 1] if i else here
        fitted, drop = (fits[i - 1], drops[i - 1]) if i else ([], 0.0)
        swaps = i > 1 and _swappable(kinds[i - 2], kinds[i - 1])
        free = i == rows
        for j in range(cols + 1):
            top, move = here[j], moves[j]
            if i and j and above[j - 1] + fitted[j - 1] > top + 1e-9:
                top, move = above[j - 1] + fitted[j - 1], "match"
            if swaps and j > 1:
                swapped = fits[i - 2][j - 1], fitted[j - 2]
                score = best[i - 2][j - 2] + sum(swapped) + _SWAP
                if min(swapped) >= 0 and score > top + 1e-9:
                    top, move = score, "swap"
            if j and here[j - 1] + (0.0 if free else skips[j - 1]) > top + 1e-9:
                top, move = here[j - 1] + (0.0 if free else skips[j - 1]), "skip"
            if i and above[j] + drop > top + 1e-9:
                top, move = above[j] + drop, "drop"
            here[j], moves[j] = top, move
    return Alignment(tuple(_trace(step, rows, cols)), best[rows][cols])


def _drop(kind: str) -> float:
    """The cost of leaving a cell of class ``kind`` out."""
    return _DROP[REPEAT] if kind.startswith(_COPY) else _DROP.get(kind, -3.0)


def _swappable(left: str, right: str) -> bool:
    """Only a rating and a text cell are exchanged (a lost order inside one year's cells)."""
    ratings = (*_RATINGS, REPEAT)
    return (left in ratings) != (right in ratings) and "empty" not in (left, right)


def _trace(step: list[list[str]], i: int, j: int) -> list[int | None]:
    mapping: list[int | None] = [None] * i
    while i or j:
        move = step[i][j]
        if move == "match":
            mapping[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif move == "swap":
            mapping[i - 2], mapping[i - 1] = j - 1, j - 2
            i, j = i - 2, j - 2
        elif move == "skip":
            j -= 1
        else:
            i -= 1
    return mapping


def align_cells(
    cells: Sequence[str],
    fields: Sequence[str],
    shapes: CellShapes,
    optional: frozenset[int] = frozenset(),
    described: Collection[tuple[str, str]] = frozenset(),
) -> Alignment:
    """Align a row: exact-length rows map directly unless a shift that loses no text fits better.

    Lengths are compared without trailing empty cells and unnamed header columns. A row as long
    as its header keeps cell i in column i when its contents fit; it is realigned
    only when the realignment scores clearly better, drops no non-empty cell and leaves no more
    cells in columns they clearly do not fit; no shift explains a swap of two cells (002's
    友愛活動事業), which ``swap_misfits`` exchanges back. Other rows take the best alignment.
    ``described`` holds the ``description_key`` of every 内容 already read in the table: a cell
    under the first year column that opens like its item's 内容 is that description printed
    late (a 再掲 row prints its item's 内容 again), however the row's other cells fit.

    Example:
        >>> shapes = CellShapes.load()
        >>> fields = ["section_code", "item_no", "item", "division", "status", "rating"]
        >>> align_cells(["", "", "健康課", "相談を実施した。", "A", ""], fields, shapes).mapping
        (1, 2, 3, 4, 5, None)
    """
    kinds = _mark_copies(cells, _mark_repeats(cells, [cell_class(c, shapes) for c in cells]))
    best = align(kinds, fields, optional)
    echoed = _mark_echoes(cells, kinds, best, fields)
    if echoed != kinds:
        again = align(echoed, fields, optional)
        if _lost(again, echoed, _RATINGS) <= _lost(best, kinds, _RATINGS):
            kinds, best = echoed, again
    direct, chosen = _read_as(tuple(kinds), tuple(fields), optional)
    late = _late_description(cells, kinds, fields, optional, direct, described)
    if late is None or _lost(late, kinds):
        return chosen
    known = _described(cells, late.mapping.index(min(optional)), described)
    if not known and late.score < chosen.score + _REALIGN_MARGIN:
        return chosen
    if _misfits(late, kinds, fields) > _misfits(chosen, kinds, fields):
        return chosen
    return _settled(late, kinds, direct, optional)


@lru_cache(maxsize=16384)  # rows of a table, and every copy of a plan, share their classes
def _read_as(
    kinds: tuple[str, ...], fields: tuple[str, ...], optional: frozenset[int]
) -> tuple[Alignment, Alignment]:
    """The row as printed (``_direct``) and as ``align_cells`` reads it by its classes alone:
    the best alignment settled, chosen against the row as printed, kept under the labels.

    Example:
        >>> direct, chosen = _read_as(("short", "past_text", "percent"),
        ...                           ("item", "status", "rating"), frozenset())
        >>> direct.mapping, chosen.mapping, chosen.realigned
        ((0, 1, 2), (0, 1, 2), False)
    """
    direct = _direct(kinds, fields, optional)
    best = align(kinds, fields, optional)
    chosen = _choose(_settled(best, kinds, direct, optional), kinds, fields, direct, optional)
    return direct, _within_labels(chosen, kinds, fields, optional, direct)


def _within_labels(
    chosen: Alignment,
    kinds: Sequence[str],
    fields: Sequence[str],
    optional: frozenset[int],
    direct: Alignment,
) -> Alignment:
    """The row read under the header's labels when ``chosen`` pushes text past the last one.

    A text export may carry unnamed columns after the header's last label; a reading that puts
    a report there leaves it unread. When the row's cells fit under the labels without leaving
    any text out (a percentage printed again, a cell printed twice may go) and with no more
    misfits, that reading is taken (003 line 49: ``状況 | 75% | 評価 | 75%`` then, read as
    printed, every later year one cell on and the FY2023 report under no label).

    Example:
        >>> kinds = ["past_text", "percent", "short", "repeat", "past_text", "short"]
        >>> fields = ["status", "evaluation", "rating", "status", "evaluation", "unknown"]
        >>> spilled = Alignment((0, 2, 3, 4, None, 5), 0.0)
        >>> _within_labels(spilled, kinds, fields, frozenset(), spilled).mapping
        (0, 2, 1, None, 3, 4)
    """
    last = _span(fields, "unknown")
    spilled = any(
        target is not None and target >= last and kind != "empty"
        for target, kind in zip(chosen.mapping, kinds, strict=True)
    )
    if not spilled:
        return chosen
    inside = _align(tuple(kinds), tuple(fields[:last]), optional, True)
    if _lost(inside, kinds) or _misfits(inside, kinds, fields) > _misfits(chosen, kinds, fields):
        return chosen
    return _settled(inside, kinds, direct, optional)


def _recurs(cells: Sequence[str], index: int) -> bool:
    """Whether a later cell of the row opens like cell ``index`` (digits aside).

    Example:
        >>> _recurs(["相談を12件受けた。", "100%", "相談を15件受けた。"], 0)
        True
    """
    key = _echo_key(cells[index])
    return any(_echo_key(cell) == key for cell in cells[index + 1 :])


def _settled(
    best: Alignment, kinds: Sequence[str], direct: Alignment, optional: frozenset[int]
) -> Alignment:
    """The alignment with its swaps, left-out repeats and whether it moved any cell (a cell
    read into an optional column, a late 内容, is moved but not exchanged)."""
    swaps = tuple(
        cell
        for cell in _swaps(best.mapping)
        if not {best.mapping[cell], best.mapping[cell + 1]} & optional
    )
    unswapped = list(best.mapping)
    for cell in swaps:
        unswapped[cell], unswapped[cell + 1] = unswapped[cell + 1], unswapped[cell]
    moved = tuple(unswapped) != direct.mapping
    repeats = tuple(
        cell
        for cell, (target, kind) in enumerate(zip(best.mapping, kinds, strict=True))
        if target is None and (kind == REPEAT or kind.startswith(_COPY))
    )
    return Alignment(best.mapping, best.score, moved, swaps, repeats)


def _choose(
    realigned: Alignment,
    kinds: Sequence[str],
    fields: Sequence[str],
    direct: Alignment,
    optional: frozenset[int],
) -> Alignment:
    """The realignment, or for a row as long as its header the row as printed unless the
    realignment fits clearly better, drops no text and leaves no more misfits. A cell printed
    twice is left out of such a row only when that puts misfit cells back in place (a status
    and a plan that say the same thing, as printed, stay: that is a finding)."""
    if _span(kinds, "empty") != _span(fields, "unknown") - len(optional):
        return realigned
    misfits = _misfits(realigned, kinds, fields), _misfits(direct, kinds, fields)
    drops_copies = any(
        target is None and kind.startswith(_COPY)
        for target, kind in zip(realigned.mapping, kinds, strict=True)
    )
    loses_text = _lost(realigned, kinds) > 0 or (drops_copies and misfits[0] >= misfits[1])
    worse_fits = misfits[0] > misfits[1]
    if loses_text or worse_fits or realigned.score < direct.score + _REALIGN_MARGIN:
        return swap_misfits(direct, kinds, fields)
    return realigned


def _late_description(
    cells: Sequence[str],
    kinds: Sequence[str],
    fields: Sequence[str],
    optional: frozenset[int],
    direct: Alignment,
    described: Collection[tuple[str, str]] = frozenset(),
) -> Alignment | None:
    """The row read with its 内容 cell printed at the head of the year columns.

    A header without a 内容 label gets an implied description column after the item; a row
    that prints its description late (after 担当課 / 再掲, in the first 実施状況 column) pushes
    every year one cell right. The cell printed under the first year column, when it is plain
    narrative (neither a report nor plan wording) whose opening no later cell repeats (a
    yearly report written again each year is a status), or one that opens like its item's 内容
    already read (``described``), goes to the description column and the cells after it are aligned
    again (the cells before it stay where they were printed); ``align_cells`` keeps this only
    when it fits clearly better than the row as read, or when the text is a known description.

    Example:
        >>> fields = ["item", "description", "status", "rating", "status", "rating"]
        >>> kinds = ["short", "short", "short", "rating", "short", "rating"]
        >>> cells = ["講座", "学校で講座を行います。", "依頼無し。", "D", "依頼無し。", "D"]
        >>> direct = _direct(kinds, fields, frozenset({1}))
        >>> _late_description(cells, kinds, fields, frozenset({1}), direct).mapping
        (0, 1, 2, 3, 4, 5)
    """
    free = [j for j in sorted(optional) if fields[j] == _DESCRIPTION]
    first_year = next((j for j, name in enumerate(fields) if name in _YEARLY), None)
    if not free or first_year is None or first_year not in direct.mapping:
        return None
    head = direct.mapping.index(first_year)
    plain = kinds[head] in _DESCRIBING and not _recurs(cells, head)
    if not plain and not _described(cells, head, described):
        return None
    rest = align([*kinds[:head], *kinds[head + 1 :]], fields, optional)
    if free[0] in rest.mapping or rest.mapping[:head] != direct.mapping[:head]:
        return None
    mapping = (*rest.mapping[:head], free[0], *rest.mapping[head:])
    return Alignment(mapping, rest.score + fit(kinds[head], _DESCRIPTION))


def description_key(item: str, description: str) -> tuple[str, str]:
    """What ``align_cells`` recognises a 内容 already read by: the item name and the opening of
    the description (digits and a leading （課名） aside).

    Example:
        >>> description_key("出前講座 ", "学校で命の大切さについて講座を行います。")
        ('出前講座', '学校で命の大切さについて')
    """
    return fold(item).strip(), _echo_key(description)


def _described(cells: Sequence[str], head: int, described: Collection[tuple[str, str]]) -> bool:
    """Whether cell ``head`` opens like the 内容 read for an item a cell before it names."""
    opening = _echo_key(cells[head])
    return len(opening) == _ECHO_PREFIX and any(
        description_key(cells[cell], cells[head]) in described for cell in range(head)
    )


def _lost(alignment: Alignment, kinds: Sequence[str], spare: Sequence[str] = ()) -> int:
    """How many non-empty cells the alignment leaves out, repeated percentages and ``spare``
    classes aside."""
    return sum(
        target is None and kind not in ("empty", REPEAT, *spare) and not kind.startswith(_COPY)
        for target, kind in zip(alignment.mapping, kinds, strict=True)
    )


def _swaps(mapping: Sequence[int | None]) -> tuple[int, ...]:
    """Cells ``i`` read in the column after cell ``i + 1``'s (the alignment's ``swap`` move)."""
    return tuple(
        cell
        for cell in range(len(mapping) - 1)
        if mapping[cell] is not None and mapping[cell] == _plus_one(mapping[cell + 1])
    )


def _plus_one(column: int | None) -> int | None:
    return None if column is None else column + 1


def _mark_copies(cells: Sequence[str], kinds: list[str]) -> list[str]:
    """Class ``copy_<class>`` for narrative cells an export printed twice: they fit like their
    class and may be left out cheaply (logged as dropped) when keeping them would push the
    row's later cells out of their columns.

    - a report sentence (long, or in the past tense) equal to the cell just before it, the
      row's last cell aside (``評価 | 評価``: one evaluation printed twice inside a row);
    - two report sentences equal to the two cells just before them (``状況 | 評価 | 状況 | 評価``);
    - the row's last cell when it is plan wording equal to the cell before it (the closing stock
      phrase printed twice: 取組を継続。 | 取組を継続。).

    Short words repeated (取組を継続 as status, evaluation and plan; 妥当である | 理由 pairs of a
    self-assessment sheet) and a report repeated at the row's end are kept: text carried into
    the next column is a copy-paste finding, not an artefact.

    Example:
        >>> cells = ["講座を開催した。", "取組を継続。", "取組を継続。", ""]
        >>> _mark_copies(cells, ["past_text", "plan_text", "plan_text", "empty"])
        ['past_text', 'plan_text', 'copy_plan_text', 'empty']
        >>> cells = ["相談を受けた。", "支援できた。", "支援できた。", "100%"]
        >>> _mark_copies(cells, ["past_text", "past_text", "past_text", "percent"])
        ['past_text', 'past_text', 'copy_past_text', 'percent']
    """
    folded = [fold(cell) for cell in cells]
    marked = list(kinds)
    last = _span(kinds, "empty") - 1
    for index in range(1, last + 1):
        if kinds[index] not in _SENTENCES:
            continue
        if index < last and folded[index] == folded[index - 1]:
            marked[index] = f"{_COPY}{kinds[index]}"
        elif index >= 3 and kinds[index - 1] in _SENTENCES and _pair_again(folded, index):
            marked[index - 1 : index + 1] = [
                f"{_COPY}{kind}" for kind in kinds[index - 1 : index + 1]
            ]
    if last >= 1 and kinds[last] == "plan_text" and folded[last] == folded[last - 1]:
        marked[last] = f"{_COPY}{kinds[last]}"
    return marked


def _pair_again(folded: Sequence[str], index: int) -> bool:
    """Whether cells ``index - 1`` and ``index`` repeat the two cells just before them."""
    return folded[index - 3 : index - 1] == folded[index - 1 : index + 1]


def _mark_repeats(cells: Sequence[str], kinds: list[str]) -> list[str]:
    """Class ``repeat`` for a percentage equal to one at most two cells before it (words such as
    未実施 or 実施検討 repeat legitimately: rating, then plan, then next year's status).

    Example:
        >>> _mark_repeats(["状況", "30%", "評価", "30%"], ["short", "percent", "short", "percent"])
        ['short', 'percent', 'short', 'repeat']
    """
    marked = list(kinds)
    for index, kind in enumerate(kinds):
        earlier = range(max(0, index - _REPEAT_REACH), index)
        if kind == "percent" and any(
            kinds[k] == "percent" and fold(cells[k]) == fold(cells[index]) for k in earlier
        ):
            marked[index] = REPEAT
    return marked


@lru_cache(maxsize=16384)  # every narrative cell of a row is compared with its first status
def _echo_key(text: str) -> str:
    """The first characters of a narrative cell, digits and a leading （課名） left aside.

    Example:
        >>> _echo_key("（企画課）相談件数は12件であった。")
        '相談件数は0件であった。'

    """
    plain = _LEADING_MARK_RE.sub("", fold(strip_tags(text)))
    return re.sub(r"\d+", "0", plain)[:_ECHO_PREFIX]


def _echoes(cell: str, first: str) -> bool:
    """Whether ``cell`` is ``first`` written again for a later year: the same opening, other
    figures or words (an identical copy is a cell printed twice, not a new report).

    Example:
        >>> _echoes("融資の申込を13件受付けた。", "融資の申込を33件受付けた。")
        True
    """
    key = _echo_key(first)
    return len(key) == _ECHO_PREFIX and _echo_key(cell) == key and fold(cell) != fold(first)


def _mark_echoes(
    cells: Sequence[str], kinds: list[str], alignment: Alignment, fields: Sequence[str]
) -> list[str]:
    """Class ``echo_status`` for a later cell that opens like the row's first status cell (digits
    and a leading （課名） aside): the same report written again a later year stays a status,
    however the cells between were shifted. Only when no cell before the first status misfits
    its column, and not for the very next cell (an evaluation that repeats its status).

    Example:
        >>> first, again = "融資の申込を33件受付けた。", "融資の申込を13件受付けた。"
        >>> cells = [first, "適切に実施された。", again, "100%"]
        >>> kinds = ["short", "past_text", "short", "percent"]
        >>> fields = ["status", "evaluation", "evaluation", "rating"]
        >>> _mark_echoes(cells, kinds, Alignment((0, 1, 2, 3), 0.0), fields)
        ['short', 'past_text', 'echo_status', 'percent']
    """
    if _ECHO_FIELD not in fields:
        return kinds
    first = fields.index(_ECHO_FIELD)
    misfits = [cell for cell, _ in misfit_cells(alignment, kinds, fields)]
    anchor = alignment.mapping.index(first) if first in alignment.mapping else None
    if anchor is None or min(misfits, default=len(cells)) < anchor:
        return kinds
    if len(_echo_key(cells[anchor])) < _ECHO_PREFIX:
        return kinds  # too short an opening for any cell to echo (see _echoes)
    return [
        f"echo_{_ECHO_FIELD}"
        if index > anchor + 1 and kind not in (*_RATINGS, REPEAT) and _echoes(cell, cells[anchor])
        else kind
        for index, (cell, kind) in enumerate(zip(cells, kinds, strict=True))
    ]


def swap_misfits(alignment: Alignment, kinds: Sequence[str], fields: Sequence[str]) -> Alignment:
    """Swap two neighbouring cells that each clearly misfit their column and fit the other's.

    002 友愛活動事業 prints its FY2020 plan in the 達成度 column and ``100%`` in the plan
    column; no shift explains that, but exchanging the two cells does. Only when the exchange
    leaves no misfit in the row: where other cells misfit too, the row is shifted (003 line 29)
    and a local exchange would carry a value into the wrong year.

    Example:
        >>> fields = ["status", "rating", "plan"]
        >>> swapped = swap_misfits(Alignment((0, 1, 2), 0.0), ["long", "long", "percent"], fields)
        >>> swapped.mapping, swapped.swaps
        ((0, 2, 1), (1,))
    """
    mapping, swaps = list(alignment.mapping), []
    for cell in range(len(mapping) - 1):
        left, right = mapping[cell], mapping[cell + 1]
        if left is None or right is None or right != left + 1:
            continue
        here = fit(kinds[cell], fields[left]), fit(kinds[cell + 1], fields[right])
        there = fit(kinds[cell], fields[right]), fit(kinds[cell + 1], fields[left])
        if max(here) < _MISFIT and min(there) >= 0:
            mapping[cell], mapping[cell + 1] = right, left
            swaps.append(cell)
    score = sum(fit(kinds[i], fields[j]) for i, j in enumerate(mapping) if j is not None)
    swapped = Alignment(tuple(mapping), score, alignment.realigned, tuple(swaps))
    if not swaps or misfit_cells(swapped, kinds, fields):
        return alignment  # other cells misfit too: the row is shifted, not two cells swapped
    return swapped


def _span(values: Sequence[str], padding: str) -> int:
    """Length without trailing ``padding`` (empty cells, unnamed header columns)."""
    length = len(values)
    while length and values[length - 1] == padding:
        length -= 1
    return length


def _misfits(alignment: Alignment, kinds: Sequence[str], fields: Sequence[str]) -> int:
    """How many cells sit in a column they clearly do not fit."""
    return len(misfit_cells(alignment, kinds, fields))


def misfit_cells(
    alignment: Alignment, kinds: Sequence[str], fields: Sequence[str]
) -> list[tuple[int, int]]:
    """``(cell, column)`` pairs of cells left in a column they clearly do not fit.

    Example:
        >>> misfit_cells(Alignment((0, 1), 0.0), ["long", "percent"], ["rating", "evaluation"])
        [(0, 0), (1, 1)]
    """
    return [
        (index, target)
        for index, (target, kind) in enumerate(zip(alignment.mapping, kinds, strict=True))
        if target is not None and fit(kind, fields[target]) < _MISFIT
    ]


def _direct(kinds: Sequence[str], fields: Sequence[str], optional: frozenset[int]) -> Alignment:
    """Cell i in the i-th column that is not optional."""
    real = [j for j in range(len(fields)) if j not in optional]
    mapping = tuple(real[i] if i < len(real) else None for i in range(len(kinds)))
    score = sum(fit(kinds[i], fields[j]) for i, j in enumerate(mapping) if j is not None)
    return Alignment(mapping, score)
