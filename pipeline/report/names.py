"""Names people read: divisions as one checklist each, plans by title, safe file/sheet names.

A division written with full- or half-width brackets, other spacing, an OCR typo
(``lexicons/typos.tsv``: シティブロムーション課), a change note (``lexicons/org_changes.tsv``:
``（令和4年度～市民協働課）``) or a note that is no part of its name
(``lexicons/division_notes.tsv``: ``(関係各課)``) is one division (``division_key``).

Division and document names come from the input, so they can hold anything: slashes, ``..``,
control characters, names Windows reserves (``CON``), or be very long. ``safe_file_name`` and
``safe_sheet_name`` turn any text into a name that stays inside its folder (or is a valid Excel
sheet name) and is unique among the names already ``taken``.

Example:
    >>> taken: set[str] = set()
    >>> safe_file_name("../健康課", taken), safe_file_name("健康課", taken)
    ('__健康課', '健康課')
    >>> safe_sheet_name("企画課[企画]/政策", set())
    '企画課_企画__政策'
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

import pandas as pd

from pipeline.lexicons import Lexicons
from pipeline.ratings import fold_cell
from pipeline.text.normalize import TypoRules, map_typos

SHEET_MAX = 31
FILE_MAX_BYTES = 120
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")
_SHEET_RESERVED = frozenset({"history"})
_FILE_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_DOT_RUNS = re.compile(r"\.{2,}")
_WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{n}" for n in range(1, 10)),
    *(f"lpt{n}" for n in range(1, 10)),
}


def safe_file_name(name: str, taken: set[str], fallback: str = "_") -> str:
    """A file or folder name made from ``name``: no path parts, unique in ``taken`` (updated).

    Separators, ``..``, control and Windows-forbidden characters become ``_``; leading and
    trailing dots and spaces go; reserved Windows names get a ``_`` prefix; the name is cut to
    ``FILE_MAX_BYTES`` of UTF-8. Uniqueness ignores case (Windows and macOS file systems do).

    Example:
        >>> taken = {"健康課"}
        >>> safe_file_name("健康課", taken), safe_file_name("CON", taken), safe_file_name("", taken)
        ('健康課_2', '_CON', '_')
    """
    cleaned = _FILE_FORBIDDEN.sub("_", unicodedata.normalize("NFC", name))
    cleaned = _DOT_RUNS.sub("_", cleaned).strip(" .") or fallback
    if cleaned.split(".")[0].rstrip().casefold() in _WINDOWS_RESERVED:
        cleaned = "_" + cleaned
    return _unique(cleaned, taken, _fits_file, strip=" .")


def safe_sheet_name(name: str, taken: set[str], fallback: str = "Sheet") -> str:
    """A valid Excel worksheet name made from ``name``, unique in ``taken`` (updated).

    Excel forbids ``[]:*?/\\``, a leading or trailing apostrophe, more than 31 characters,
    the name ``History`` and two names equal ignoring case.

    Example:
        >>> taken = {"history"}
        >>> safe_sheet_name("History", taken), safe_sheet_name("'a'", taken)
        ('History_2', 'a')
    """
    cleaned = _SHEET_FORBIDDEN.sub("_", unicodedata.normalize("NFC", name)).strip(" '")
    return _unique(cleaned or fallback, taken, _fits_sheet, strip=" '", reserved=_SHEET_RESERVED)


def _fits_file(name: str) -> bool:
    return len(name.encode("utf-8")) <= FILE_MAX_BYTES


def _fits_sheet(name: str) -> bool:
    return len(name) <= SHEET_MAX


def _unique(
    name: str,
    taken: set[str],
    fits: Callable[[str], bool],
    strip: str,
    reserved: frozenset[str] = frozenset(),
) -> str:
    """``name`` (shortened to fit), or with ``_2``, ``_3`` … the first one free in ``taken``.

    A thousand plans with the same long title must not cost a million shortenings: the stem
    is worked out once per length of the suffix (``fits`` depends on the length only, the
    suffixes being ASCII), so each number tried is one look-up.

    Example:
        >>> taken = {"ab", "ab_2"}
        >>> _unique("ab", taken, lambda text: len(text) <= 4, " "), sorted(taken)
        ('ab_3', ['ab', 'ab_2', 'ab_3'])
    """
    stems: dict[int, str] = {}

    def candidate(suffix: str) -> str:
        if len(suffix) not in stems:
            stems[len(suffix)] = _shorten(name, suffix, fits, strip)
        return stems[len(suffix)] + suffix

    found = candidate("")
    number = 1
    while found.casefold() in taken or found.casefold() in reserved:
        number += 1
        found = candidate(f"_{number}")
    taken.add(found.casefold())
    return found


def _shorten(name: str, suffix: str, fits: Callable[[str], bool], strip: str) -> str:
    """The longest start of ``name`` (at least one character) that ``fits`` with ``suffix``
    after it, ``strip`` characters taken off its end (unless that leaves nothing); found by
    halving, ``fits`` being true for every shorter start of one that fits.

    Example:
        >>> _shorten("健康課 計画", "_2", lambda text: len(text) <= 6, " ")
        '健康課'
    """
    size = len(name)
    if size > 1 and not fits(name + suffix):
        low, high = 1, size - 1
        while low < high:
            middle = (low + high + 1) // 2
            if fits(name[:middle] + suffix):
                low = middle
            else:
                high = middle - 1
        size = low
    stem = name[:size]
    return stem.rstrip(strip) or stem


Key = tuple[str, str]
"""(source, division key): one checklist each (``division_key``)."""
Names = tuple[str, str]
"""(department, division) as written in a row of the document."""


@dataclass(frozen=True)
class NameRules:
    """What ``division_key`` folds: change notes and other notes (patterns), and the typo map.

    Example:
        >>> rules = NameRules.load()
        >>> len(rules.notes) >= 3, rules.typos.pattern is not None
        (True, True)
    """

    notes: tuple[re.Pattern[str], ...] = ()
    typos: TypoRules = field(default_factory=lambda: TypoRules(None, ()))

    @classmethod
    def load(cls, lexicons: Lexicons | None = None) -> NameRules:
        """The patterns of ``org_changes.tsv`` and ``division_notes.tsv``, and ``typos.tsv``."""
        lex = lexicons or Lexicons()
        notes = lex.patterns("org_changes") + lex.patterns("division_notes")
        return cls(notes, TypoRules.from_rows(lex.table("typos")))

    def spelled(self, name: str) -> str:
        """``name`` with its typos corrected (otherwise as written).

        Example:
            >>> NameRules.load().spelled("シティブロムーション課")
            'シティプロモーション課'
        """
        return map_typos(name, self.typos)[0]


def division_key(name: str, rules: NameRules) -> str:
    """The division name as grouped: NFKC, whitespace folded, typos corrected, notes left out.

    A name that is nothing but a note keeps it (it is not the empty division).

    Example:
        >>> rules = NameRules.load()
        >>> division_key("シティブロムーション課（令和4年度～市民協働課）", rules)
        'シティプロモーション課'
        >>> division_key("地域福祉課（関係各課）", rules), division_key("（令和4年度～課）", rules)
        ('地域福祉課', '(令和4年度~課)')
    """
    folded = rules.spelled(fold_cell(name))
    for pattern in rules.notes:
        folded = pattern.sub(" ", folded)
    return fold_cell(folded) or fold_cell(name)


@dataclass
class DivisionKeys:
    """``division_key`` with its rules, computed once per distinct name.

    Example:
        >>> keys = DivisionKeys(NameRules.load())
        >>> keys.of("a.txt", "男女共同参画センター (令和4年度～地域振興部)")
        ('a.txt', '男女共同参画センター')
    """

    rules: NameRules
    _known: dict[str, str] = field(default_factory=dict, repr=False)

    def of(self, source: str, division: str) -> Key:
        """The (source, division key) a row belongs to."""
        if division not in self._known:
            self._known[division] = division_key(division, self.rules)
        return source, self._known[division]

    def tally(self, frame: pd.DataFrame) -> dict[Key, Counter[Names]]:
        """How often each (department, division) is written per key, keys in order of first row.

        Example:
            >>> frame = pd.DataFrame({"source": ["a.txt"] * 2, "department": ["企画部", "企画課"],
            ...     "division": ["広報課", "広報課 "]})
            >>> DivisionKeys(NameRules()).tally(frame)
            {('a.txt', '広報課'): Counter({('企画部', '広報課'): 1, ('企画課', '広報課 '): 1})}
        """
        tallies: dict[Key, Counter[Names]] = {}
        if frame.empty:
            return tallies
        columns = frame[["source", "department", "division"]].astype(str)
        for source, department, division in columns.itertuples(index=False, name=None):
            key = self.of(source, division)
            tallies.setdefault(key, Counter())[(department, division)] += 1
        return tallies

    def heading(self, tally: Counter[Names]) -> Names:
        """The department and division written most often for a key, the division's typos
        corrected (``most_written``).

        Example:
            >>> keys = DivisionKeys(NameRules.load())
            >>> keys.heading(Counter({("企画部", "シティブロムーション課"): 2}))
            ('企画部', 'シティプロモーション課')
        """
        department, division = most_written(tally)
        return department, self.rules.spelled(division)


def most_written(tally: Counter[Names]) -> Names:
    """The department and the division name written most often (ties: the first written).

    Example:
        >>> most_written(Counter({("企画部", "広報課"): 1, ("企画課", "広報課"): 2}))
        ('企画課', '広報課')
    """
    departments: Counter[str] = Counter()
    divisions: Counter[str] = Counter()
    for (department, division), count in tally.items():
        departments[department] += count
        divisions[division] += count
    return departments.most_common(1)[0][0], divisions.most_common(1)[0][0]


def plan_names(report: pd.DataFrame | None, sources: Sequence[str]) -> dict[str, str]:
    """The name each source is shown under: its title (parse report), else its file stem.

    Example:
        >>> report = pd.DataFrame({"source": ["a/計画.txt", "b.txt"], "title": ["", "評価表"]})
        >>> plan_names(report, ["a/計画.txt", "b.txt", "c.tsv"])
        {'a/計画.txt': '計画', 'b.txt': '評価表', 'c.tsv': 'c'}
    """
    titles: Mapping[str, str] = {}
    if report is not None and "title" in report.columns:
        files, named = report["source"].astype(str), report["title"].fillna("").astype(str)
        titles = dict(zip(files, named, strict=True))
    return {source: titles.get(source) or PurePath(source).stem or source for source in sources}
