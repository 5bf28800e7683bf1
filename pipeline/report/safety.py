"""Make text safe for the files staff open: spreadsheets must never run a cell as a formula.

Rule (documented in the README): a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is prefixed with an apostrophe, so Excel and LibreOffice show it as text.
Two kinds of cell are left as written because they cannot run and must read naturally: a
placeholder made only of dashes (``-``, ``--``, ``―``) and a plain number (``-5``, ``+1,200``,
``-0.5%``).

Example:
    >>> neutralize("=HYPERLINK(\\"http://x\\")"), neutralize("-"), neutralize("-5")
    ('\\'=HYPERLINK("http://x")', '-', '-5')
"""

from __future__ import annotations

import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""What a cell may begin with to be read as a formula (only such cells can change)."""
_HARMLESS = re.compile(r"[-‐―ー－]+|[+-]?\d[\d,]*(\.\d+)?%?")


def neutralize(text: str) -> str:
    """The cell as it should be written to CSV or XLSX (see the module rule).

    Example:
        >>> neutralize("@SUM(A1)"), neutralize("研修を実施した。")
        ("'@SUM(A1)", '研修を実施した。')
    """
    if text.startswith(TRIGGERS) and not _HARMLESS.fullmatch(text):
        return "'" + text
    return text
