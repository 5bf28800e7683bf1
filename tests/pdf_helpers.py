"""Draw test PDFs with reportlab: sample tables as ruled (or unruled) tables in a Japanese font.

A PDF is built from rows of cells as a TSV reader sees them: runs of rows with two or more cells
become one table (its first row repeated on every page when it is a header row), rows of one
cell become a line of text above or between the tables, as titles are printed in the published
PDFs. Every row of a sample keeps its cells, so reading the PDF must give the sample's entries.
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Sequence
from html import escape as html_escape
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
import matplotlib_fontja
from reportlab.lib import pdfencrypt
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from pipeline.ingest.headers import HeaderRules

FONT = "IPAexGothic"
FONT_FILE = Path(matplotlib_fontja.__file__).parent / "fonts" / "ipaexg.ttf"
LATIN = "DejaVuSans"
"""A second font, for characters IPAexGothic has no glyph for (‧, U+2027)."""
LATIN_FILE = Path(matplotlib.__file__).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
PAGE = landscape(A4)
MARGIN = 20.0
RULES = HeaderRules.load()


for _name, _file in ((FONT, FONT_FILE), (LATIN, LATIN_FILE)):
    if _name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(_name, str(_file)))


def _style(size: float) -> ParagraphStyle:
    return ParagraphStyle("cell", fontName=FONT, fontSize=size, leading=size * 1.25, wordWrap="CJK")


def header_rows(rows: Sequence[Sequence[str]]) -> int:
    """How many rows a page repeats: a header row and the rows of short labels under it with
    an empty first cell (the years under 実績), none when the run does not open with a header."""
    if not rows or RULES.count_labels(rows[0]) < RULES.min_labels:
        return 0
    count = 1
    while (
        count < len(rows)
        and not rows[count][0].strip()
        and all(len(cell) <= 8 for cell in rows[count])
    ):
        count += 1
    return count


def table(
    rows: Sequence[Sequence[str]],
    *,
    columns: int,
    ruled: bool = True,
    size: float = 6,
    open_bottom: bool = False,
    markup: bool = False,
) -> Table:
    """One reportlab table of ``rows`` (padded to ``columns`` cells), narrow enough to wrap.

    ``open_bottom`` leaves the rule under the last row out, as a renderer does for a row a
    page break cuts; ``markup`` takes cells as reportlab markup (``<font name=…>``).
    """
    style = _style(size)
    text = (lambda cell: cell) if markup else escape
    data = [[Paragraph(text(c), style) for c in [*r, *[""] * (columns - len(r))]] for r in rows]
    width = (PAGE[0] - 2 * MARGIN) / columns
    drawn = Table(data, colWidths=[width] * columns, repeatRows=header_rows(rows))
    commands: list[tuple[object, ...]] = [("VALIGN", (0, 0), (-1, -1), "TOP")]
    if ruled and open_bottom:
        commands += [
            ("GRID", (0, 0), (-1, -2), 0.5, "black"),
            ("LINEBEFORE", (0, -1), (-1, -1), 0.5, "black"),
            ("LINEAFTER", (-1, -1), (-1, -1), 0.5, "black"),
        ]
    elif ruled:
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, "black"))
    else:
        commands += [("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]
    drawn.setStyle(TableStyle(commands))
    return drawn


def story(rows: Sequence[Sequence[str]], *, ruled: bool = True, size: float = 6) -> list[Flowable]:
    """Tables for runs of rows with several cells; a line of text for each one-cell row."""
    flow: list[Flowable] = []
    run: list[Sequence[str]] = []
    for cells in [*rows, []]:
        if len(cells) > 1:
            run.append(cells)
            continue
        if run:
            columns = max(len(r) for r in run)
            flow.append(table(run, columns=columns, ruled=ruled, size=size))
            run = []
        text = cells[0].strip() if cells else ""
        flow.append(Paragraph(escape(text), _style(size)) if text else Spacer(1, 4))
    return flow


def build(flow: Sequence[Flowable], *, password: str = "") -> bytes:
    """The PDF bytes of ``flow`` on landscape A4 (encrypted when ``password`` is given)."""
    out = io.BytesIO()
    encrypt = pdfencrypt.StandardEncryption(password, ownerPassword="owner") if password else None
    doc = SimpleDocTemplate(
        out,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        encrypt=encrypt,
    )
    doc.build(list(flow))
    return out.getvalue()


def table_pdf(rows: Sequence[Sequence[str]], *, ruled: bool = True, size: float = 6) -> bytes:
    """A PDF printing ``rows`` as the published tables do."""
    return build(story(rows, ruled=ruled, size=size))


def split_pdf(
    pages: Sequence[Sequence[Sequence[str]]], *, open_bottom: bool = False, markup: bool = False
) -> bytes:
    """A PDF with one ruled table per page (to cut a row over a page break by hand); with
    ``open_bottom`` the last row of every page but the last has no rule under it."""
    columns = max(len(row) for rows in pages for row in rows)
    flow: list[Flowable] = []
    for number, rows in enumerate(pages):
        if number:
            flow.append(PageBreak())
        cut = open_bottom and number < len(pages) - 1
        flow.append(table(rows, columns=columns, open_bottom=cut, markup=markup))
    return build(flow)


CHROMIUM = Path("/usr/bin/chromium")
_HTML = """<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page {{ size: A4 landscape; margin: 10mm; }}
body {{ font-family: "Noto Sans CJK JP", sans-serif; font-size: 7pt; }}
table {{ border-collapse: collapse; width: 100%; table-layout: fixed; }}
td, th {{ border: 0.5pt solid black; vertical-align: top; padding: 2pt; font-weight: normal; }}
</style></head><body><p>{title}</p><table><thead>{head}</thead><tbody>{body}</tbody></table>
</body></html>"""


def html_pdf(title: str, rows: Sequence[Sequence[str]], folder: Path) -> Path:
    """A table printed by headless Chromium (rows cut at page ends, the header repeated on
    every page, Noto Sans CJK, whose text layer holds Kangxi radicals such as ⽀ for 支)."""
    columns = max(len(row) for row in rows)

    def row_html(cells: Sequence[str], tag: str) -> str:
        padded = [*cells, *[""] * (columns - len(cells))]
        return "<tr>" + "".join(f"<{tag}>{html_escape(c)}</{tag}>" for c in padded) + "</tr>"

    html = _HTML.format(
        title=html_escape(title),
        head=row_html(rows[0], "th"),
        body="".join(row_html(row, "td") for row in rows[1:] if any(c.strip() for c in row)),
    )
    page = folder / "table.html"
    page.write_text(html, encoding="utf-8")
    pdf = folder / "table.pdf"
    subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return pdf
