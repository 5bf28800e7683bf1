"""The document's own title (計画名), read from the lines above its table.

Reports name a plan by its title (``地域福祉計画の進捗状況及び評価表``) rather than by a file name
such as ``001_28fb2938c92c7781.txt``. A title is a one-cell line among the first lines of the
document (``settings.yaml`` ``ingest.title_lines``), before any row of several cells (the table),
holding a term of ``lexicons/titles.tsv``; a document without one has the title ''.

Example:
    >>> from pipeline.ingest.sources import Row
    >>> rows = [Row(0, 1, "1", [""]), Row(1, 2, "2", ["地域福祉計画の進捗状況及び評価表"]),
    ...         Row(2, 3, "3", ["項目", "担当課", "実施状況"])]
    >>> document_title(rows, ("評価表",), 10)
    '地域福祉計画の進捗状況及び評価表'
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from pipeline.ingest.sources import Row
from pipeline.lexicons import Lexicons

TITLE_MAX_CHARS = 120
"""A longer line is a paragraph, not a title."""


def title_terms(lexicons: Lexicons) -> tuple[str, ...]:
    """The terms of ``lexicons/titles.tsv`` (NFKC).

    Example:
        >>> "評価表" in title_terms(Lexicons())
        True
    """
    return tuple(unicodedata.normalize("NFKC", row["term"]) for row in lexicons.table("titles"))


def document_title(rows: Sequence[Row], terms: Sequence[str], max_lines: int) -> str:
    """The first title line among the first ``max_lines`` non-blank rows (before the table).

    Example:
        >>> from pipeline.ingest.sources import Row
        >>> document_title([Row(0, 1, "1", ["計画における項目 実施内容"])], ("評価表",), 10)
        ''
    """
    seen = 0
    for row in rows:
        cells = [cell.strip() for cell in row.cells if cell.strip()]
        if not cells:
            continue
        if len(cells) > 1 or seen >= max_lines:
            return ""
        seen += 1
        line = " ".join(unicodedata.normalize("NFKC", cells[0]).split())
        if len(line) <= TITLE_MAX_CHARS and any(term in line for term in terms):
            return line
    return ""
