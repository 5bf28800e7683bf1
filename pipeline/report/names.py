"""Safe, unique names for the files and worksheets the reports create from division names.

Division and document names come from the input, so they can hold anything: slashes, ``..``,
control characters, names Windows reserves (``CON``), or be very long. These functions turn
any text into a name that stays inside its folder (or is a valid Excel sheet name) and is
unique among the names already ``taken``.

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
from collections.abc import Callable

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
    candidate = _shorten(name, "", fits, strip)
    number = 1
    while candidate.casefold() in taken or candidate.casefold() in reserved:
        number += 1
        candidate = _shorten(name, f"_{number}", fits, strip)
    taken.add(candidate.casefold())
    return candidate


def _shorten(name: str, suffix: str, fits: Callable[[str], bool], strip: str) -> str:
    stem = name
    while len(stem) > 1 and not fits(stem + suffix):
        stem = stem[:-1]
    return (stem.rstrip(strip) or stem) + suffix
