"""The writers' fast paths answer as the plain code (issue #18): the page's rows built in Python
(``finding_rows``, ``kind_rows``, ``text_html``) are the characters the template's own loops
wrote, hostile text included."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from jinja2 import Template
from markupsafe import escape

from pipeline.report.checklist import KindMark, Quote, Row
from pipeline.report.html import _environment, finding_rows, kind_rows, text_html

HOSTILE = ("<script>x</script>", "a\"b'c&d", '=HYPERLINK("http://x")', "研修", "", " 空白 ")

CASES = Path(__file__).parent / "cases" / "report"
"""The template loops the rows were built by before (``finding_rows.html.j2``,
``kind_rows.html.j2``), kept as the reference."""


def _loop(name: str) -> Template:
    return _environment().from_string((CASES / name).read_text(encoding="utf-8"))


def _rows() -> list[Row]:
    marks = (
        KindMark("copy_paste", "identical", 0, HOSTILE[0], "high", (HOSTILE[1], "実施状況")),
        KindMark("quality", "s<hort>", 1, "短い", "low", ()),
    )
    quote = Quote("status", HOSTILE[1], "", ((HOSTILE[0], ""), (HOSTILE[2], "effect")))
    return [
        Row("g1", "high", "高", marks, HOSTILE[0], (2021, None), "令和3年度", (quote,),
            (HOSTILE[1], HOSTILE[5]), HOSTILE[2], "部", "課", HOSTILE[1], False, 2),
        Row("g<2>", "low", "低", marks[1:], "研修", (None,), "", (), (), "", "部", "課", "",
            True, 1),
        Row("g3", "medium", "中", (), "", (), "", (quote, quote), (), "", "", "", "", False, 0),
    ]  # fmt: skip


@pytest.mark.parametrize("text", HOSTILE)
def test_text_html_escapes_as_autoescape(text: str) -> None:
    assert text_html(text) == str(escape(text))


def test_finding_rows_are_the_template_loop_characters() -> None:
    rows = _rows()
    expected = _loop("finding_rows.html.j2").render(rows=rows)
    assert str(finding_rows(rows)) == expected
    assert "&lt;script&gt;" in expected and "<script>" not in expected


def test_kind_rows_are_the_template_loop_characters() -> None:
    mark = KindMark("quality", "<short>", 0, 'a"&b', "low", ())
    kinds = [(mark, {"high": 0, "medium": 1, "low": 2}), (_rows()[0].kinds[0], {"high": 3})]
    kinds[1][1].update(medium=0, low=0)
    expected = _loop("kind_rows.html.j2").render(kinds=kinds)
    assert str(kind_rows(kinds)) == expected


def test_edge_space_is_xlsxwriters_preserve_whitespace() -> None:
    from xlsxwriter.utility import _preserve_whitespace

    from pipeline.report.excel import _edge_space

    spaces = [chr(code) for code in range(sys.maxunicode + 1) if re.fullmatch(r"\s", chr(code))]
    assert spaces == [chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()]
    for space in spaces:
        for text in (space + "研修", "研修" + space, "研" + space + "修", "研修" + space + "\n"):
            assert _edge_space(text) == bool(_preserve_whitespace(text)), repr(text)
    for text in ("研修", "a\nb", "\n", "x\n\n"):
        assert _edge_space(text) == bool(_preserve_whitespace(text)), repr(text)
