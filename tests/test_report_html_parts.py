# ruff: noqa: E501  (the template text compared with is quoted as the template writes it)
"""The page's parts built in Python (kind tables, the navigation's division lines) are the
markup the template's own loops wrote for them."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from jinja2 import Environment

import pipeline.report
from pipeline.report.checklist import (
    NO_FINDINGS,
    SEVERITY_LABELS,
    Checklist,
    Department,
    Division,
    KindMark,
    Plan,
    Quote,
    ReportSettings,
    Row,
)
from pipeline.report.html import _environment, render_html

TEMPLATE_KIND_TABLE = """{% macro kind_table(kinds, css) %}
<table class="{{ css }}">
<thead><tr><th>種類</th>{% for severity, label in severities %}<th>{{ label }}</th>{% endfor %}<th>計</th></tr></thead>
<tbody>
{% if kinds %}
{% for kind, counts in kinds %}
<tr data-kind="{{ kind.code }}"><td>{{ kind.label }}</td>{% for severity in ["high", "medium", "low"] %}<td class="number" data-severity="{{ severity }}">{{ counts[severity] }}</td>{% endfor %}<td class="number" data-total>{{ counts.values() | sum }}</td></tr>
{% endfor %}
{% else %}
<tr><td colspan="{{ severities | length + 2 }}">{{ no_findings }}</td></tr>
{% endif %}
</tbody>
</table>
{% endmacro %}
{{ kind_table(kinds, css) }}
"""
PYTHON_KIND_TABLE = """{% set kind_head %}<thead><tr><th>種類</th>{% for severity, label in severities %}<th>{{ label }}</th>{% endfor %}<th>計</th></tr></thead>{% endset %}
{{ kinds | kind_table(css, kind_head) }}
"""
TEMPLATE_LINKS = """<ul>
{% for division in divisions %}
{% set counts = division.by_severity() %}
<li data-division="{{ division.anchor }}"><a href="#{{ division.anchor }}">{{ division.name }}</a>（{% for severity, label in severities %}{{ label }} <span data-count="{{ severity }}">{{ counts[severity] }}</span>{% if not loop.last %}・{% endif %}{% endfor %}）</li>
{% endfor %}
</ul>
"""
PYTHON_LINKS = """<ul>
{{ divisions | division_links(separator, "（{}）") }}</ul>
"""


def _render(source: str, **values: Any) -> str:
    template = _environment().from_string(source)
    return template.render(
        severities=list(SEVERITY_LABELS.items()), no_findings=NO_FINDINGS, **values
    )


def _row(severity: str, reference: bool = False) -> Row:
    quote = Quote("status", "実施状況", "中止", (("中止", "effect"),))
    label = SEVERITY_LABELS[severity]
    return Row(
        "g", severity, label, (), "研修", (2021,), "令和3年度", (quote,), (), "", "", "", "",
        reference, 1,
    )  # fmt: skip


def test_html_kind_table_as_template_macro() -> None:
    marks = [
        KindMark("quality", "short", 0, "<短い>", "low", ()),
        KindMark("copy_paste", "identical", 1, "同一 & 転記", "high", ("実施状況",)),
    ]
    tables: list[list[Any]] = [[], [(marks[0], {"high": 0, "medium": 1, "low": 2})]]
    tables.append([(mark, {"high": 3, "medium": 0, "low": 0}) for mark in marks])
    for kinds in tables:
        for css in ("counts", "summary counts"):
            expected = _render(TEMPLATE_KIND_TABLE, kinds=kinds, css=css)
            assert _render(PYTHON_KIND_TABLE, kinds=kinds, css=css) == expected
    assert "指摘なし" in _render(PYTHON_KIND_TABLE, kinds=[], css="counts")


def test_html_division_links_as_template_loop() -> None:
    busy = Division("a.txt", "部", "<課> & '係'", "d1")
    busy.rows = [_row("high"), _row("low"), _row("low"), _row("medium", reference=True)]
    choices = [
        [],
        [Division("a.txt", "部", "課", "d2")],
        [busy, Division("b.txt", "部", "係", "d3")],
    ]
    for divisions in choices:
        expected = _render(TEMPLATE_LINKS, divisions=divisions)
        assert _render(PYTHON_LINKS, divisions=divisions, separator="・") == expected
    assert 'data-count="low">2</span>' in _render(PYTHON_LINKS, divisions=[busy], separator="・")


def test_every_filter_the_environment_adds_is_used_by_a_template() -> None:
    templates = Path(pipeline.report.__file__).parent / "templates"
    used = "".join(path.read_text(encoding="utf-8") for path in sorted(templates.glob("*.j2")))
    added = set(_environment().filters) - set(Environment().filters)
    assert added == {name for name in added if re.search(rf"\|\s*{name}\b", used)}
    assert "finding_rows" in added


def test_html_page_joins_fields_and_counts_by_the_settings_separator() -> None:
    settings = dataclasses.replace(ReportSettings.load(), field_separator="／")
    division = Division("a.txt", "部", "課", "d1")
    division.rows = [dataclasses.replace(_row("high"), field_separator="／")]
    mark = KindMark("copy_paste", "identical", 0, "同一", "high", ("実施状況", "評価"))
    division.rows[0] = dataclasses.replace(division.rows[0], kinds=(mark,))
    plan = Plan("a.txt", [Department("部", [division])], "計画")
    page = render_html(Checklist([plan], settings=settings))
    assert '<span class="field">実施状況／評価</span>' in page
    assert '（高 <span data-count="high">1</span>／中 <span data-count="medium">0</span>' in page
    assert "実施状況・評価" not in page
