"""The checklist as one self-contained page, ``index.html``: opens offline, prints per division.

Everything is inline (styles, a small filter script, one SVG chart per plan drawn here; no
fonts, images or links to fetch). The filters also recount the navigation and each kind table
from the rows left showing. Text
from the documents is escaped piece by piece by Jinja2's autoescape: highlights become
``<mark class="role">`` around escaped pieces, never markup built from raw text. A Content
Security Policy allows only the page's own script (by its hash), so even text that slipped
through could not run.

Example:
    >>> from pipeline.report.checklist import Checklist
    >>> page = render_html(Checklist([]))
    >>> page.startswith("<!DOCTYPE html>"), "指摘なし" in page
    (True, True)
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from pipeline.findings import era_label
from pipeline.report.checklist import (
    NO_FINDINGS,
    NO_YEAR,
    REFERENCE,
    SEVERITY_LABELS,
    Checklist,
    Division,
    KindMark,
    Plan,
    Quote,
    Row,
    kind_with_fields,
)

TEMPLATE = "index.html.j2"
PLANS_TEMPLATE = "plans.html.j2"
SCRIPT = "filters.js"
PALETTE: tuple[str, ...] = (
    "#4263eb",
    "#f08c00",
    "#2b8a3e",
    "#c92a2a",
    "#862e9c",
    "#0b7285",
    "#e64980",
    "#5c940d",
)
"""Colours of a plan's most frequent kinds in its chart (most frequent first)."""
OTHER_COLOUR = "#adb5bd"
"""The colour of the other kinds, taken together."""
CHART_WIDTH = 360
BAR_HEIGHT = 18
LABEL_WIDTH = 110


_HTML_SPECIAL = re.compile("[&<>'\"]")
_HTML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "'": "&#39;", '"': "&#34;"})
"""What Jinja2's autoescape (markupsafe) writes for each markup character; most texts have
none, so the search is cheap and the table rarely used."""


def text_html(text: str) -> str:
    """``text`` escaped exactly as the template's autoescape would escape it (as a plain
    ``str``: the pieces of a row are joined as text, then marked safe once).

    Example:
        >>> text_html("<a href='x'>R&D</a>"), text_html("研修")
        ('&lt;a href=&#39;x&#39;&gt;R&amp;D&lt;/a&gt;', '研修')
    """
    return text.translate(_HTML_ESCAPES) if _HTML_SPECIAL.search(text) else text


@dataclass(frozen=True)
class Segment:
    """One kind's part of a year's bar: position and width in pixels, colour, tooltip."""

    x: int
    width: int
    colour: str
    title: str


@dataclass(frozen=True)
class Bar:
    """One year's bar of a plan's chart."""

    label: str
    y: int
    total: int
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Chart:
    """A plan's chart of checklist rows by year and kind, drawn as inline SVG by the template."""

    width: int
    height: int
    bars: tuple[Bar, ...]
    legend: tuple[tuple[str, str], ...]


def render_html(checklist: Checklist) -> str:
    """The page as text (deterministic: same checklist, same characters).

    Example:
        >>> from pipeline.report.checklist import Checklist
        >>> "<script>" in render_html(Checklist([]))
        True
    """
    script = resources.files("pipeline.report").joinpath("templates", SCRIPT).read_text("utf-8")
    template = _environment().get_template(TEMPLATE)
    other = checklist.settings.chart_other if checklist.settings else "other"
    separator = checklist.settings.field_separator if checklist.settings else Row.field_separator
    return template.render(
        checklist=checklist,
        kinds=checklist.by_kind(True),
        questions=checklist.questions(),
        filters=checklist.filter_values(),
        severities=list(SEVERITY_LABELS.items()),
        charts={plan.source: plan_chart(plan, other) for plan in checklist.plans},
        kind_label=kind_with_fields,
        field_separator=separator,
        no_findings=NO_FINDINGS,
        reference=REFERENCE,
        reference_codes={
            f"{detector}/{kind}"
            for detector, kind in (checklist.settings.hidden_kinds if checklist.settings else ())
        },
        source_note=checklist.settings.source_note if checklist.settings else "{source}",
        script=Markup(script),
        script_hash=script_hash(script),
    )


def plan_chart(plan: Plan, other: str = "other") -> Chart | None:
    """The plan's checklist rows by year (one bar each) and kind (segments): the most frequent
    kinds each get a colour of PALETTE, the rest one grey segment named ``other``; None when
    the plan has no rows.

    Example:
        >>> plan_chart(Plan("a.txt")) is None
        True
    """
    years = plan.chart()
    if not years:
        return None
    totals: Counter[str] = Counter()
    labels: dict[str, str] = {}
    for _, kinds in years:
        for kind, count in kinds:
            totals[kind.code] += count
            labels[kind.code] = kind.label
    ranked = sorted(totals, key=lambda code: -totals[code])  # stable: kind-table order on ties
    coloured = ranked if len(ranked) <= len(PALETTE) else ranked[: len(PALETTE) - 1]
    colours = {code: PALETTE[index] for index, code in enumerate(coloured)}
    most = max(sum(count for _, count in kinds) for _, kinds in years)
    bars = [
        _bar(number, year, kinds, colours, labels, other, most)
        for number, (year, kinds) in enumerate(years)
    ]
    legend = [(colours[code], labels[code]) for code in coloured]
    if len(coloured) < len(ranked):
        legend.append((OTHER_COLOUR, other))
    return Chart(
        width=LABEL_WIDTH + CHART_WIDTH + 40,
        height=len(bars) * (BAR_HEIGHT + 4),
        bars=tuple(bars),
        legend=tuple(legend),
    )


def _bar(
    number: int,
    year: int | None,
    kinds: Sequence[tuple[KindMark, int]],
    colours: Mapping[str, str],
    labels: Mapping[str, str],
    other: str,
    most: int,
) -> Bar:
    parts: Counter[str] = Counter()
    for kind, count in kinds:
        parts[kind.code if kind.code in colours else ""] += count
    year_label = era_label(year) or NO_YEAR
    x, segments = LABEL_WIDTH, []
    for code in [*colours, ""]:
        if parts[code]:
            width = max(1, round(parts[code] * CHART_WIDTH / most))
            title = f"{year_label} {labels.get(code, other)}: {parts[code]}"
            segments.append(Segment(x, width, colours.get(code, OTHER_COLOUR), title))
            x += width
    return Bar(year_label, number * (BAR_HEIGHT + 4), sum(parts.values()), tuple(segments))


@dataclass(frozen=True)
class PlanEntry:
    """One plan on the index of plans: its title, the folder of its outputs, its files and
    counts (checklist questions per severity, divisions, findings)."""

    name: str
    folder: str
    sources: tuple[str, ...]
    divisions: int
    by_severity: dict[str, int]
    findings: int

    @property
    def questions(self) -> int:
        """The plan's checklist questions (reference rows left out).

        Example:
            >>> PlanEntry("計画", "計画", ("a.txt",), 2, {"high": 1, "low": 2}, 5).questions
            3
        """
        return sum(self.by_severity.values())


def render_plans(plans: Sequence[PlanEntry], failures: Sequence[str] = ()) -> str:
    """The index of plans as text: the files that could not be read first, then one row per
    plan linking to its own page, with its counts (deterministic).

    Example:
        >>> page = render_plans([PlanEntry("計画", "計画", ("a.txt",), 2, {"high": 1}, 1)])
        >>> 'href="%E8%A8%88%E7%94%BB/index.html"' in page
        True
    """
    template = _environment().get_template(PLANS_TEMPLATE)
    return template.render(
        plans=plans,
        failures=failures,
        severities=list(SEVERITY_LABELS.items()),
        totals={s: sum(plan.by_severity.get(s, 0) for plan in plans) for s in SEVERITY_LABELS},
    )


def write_plans_html(plans: Sequence[PlanEntry], failures: Sequence[str], path: Path) -> None:
    """Write the index of plans (UTF-8, ``\\n`` line ends)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_plans(plans, failures), encoding="utf-8", newline="\n")


def write_html(checklist: Checklist, path: Path) -> None:
    """Write ``index.html`` (UTF-8, ``\\n`` line ends)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render_html(checklist).encode("utf-8"))


def script_hash(script: str) -> str:
    """The CSP hash of an inline script (base64 of its SHA-256).

    Example:
        >>> script_hash("")
        '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='
    """
    return base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


def evidence_html(quotes: Sequence[Quote]) -> Markup:
    """A row's quotes as the page shows them: one paragraph per quote, its field in brackets,
    highlighted pieces in ``<mark class="role">``, every piece of text escaped (the page's
    innermost loop, written here rather than in the template: a third of a page's time).

    Example:
        >>> pieces = (("<b>", ""), ("中止", "effect"))
        >>> html = evidence_html([Quote("status", "実施状況", "<b>中止", pieces)])
        >>> html.startswith('<p class="quote"><span class="label">【実施状況】</span>&lt;b&gt;')
        True
        >>> html.endswith('<mark class="effect">中止</mark></p>')
        True
    """
    return Markup(
        "".join(
            f'<p class="quote"><span class="label">【{text_html(quote.label)}】</span>'
            + "".join(
                f'<mark class="{text_html(role)}">{text_html(text)}</mark>'
                if role
                else text_html(text)
                for text, role in quote.pieces
            )
            + "</p>"
            for quote in quotes
        )
    )


def finding_rows(rows: Sequence[Row]) -> Markup:
    """A division's findings table body: one ``<tr>`` per row, each line ending in ``\\n``,
    every piece of text escaped. Built here rather than in the template: the template's
    per-row loops made most of a page's time.

    Example:
        >>> from pipeline.report.checklist import Quote
        >>> row = Row("g1", "high", "高", (), "<研修>", (2021,), "令和3年度",
        ...     (Quote("status", "実施状況", "中止", (("中止", "effect"),)),), (), "質問",
        ...     "", "", "", False, 1)
        >>> html = finding_rows([row])
        >>> html.startswith('<tr class="finding severity-high" id="gg1" data-detector=""')
        True
        >>> '<td class="item">&lt;研修&gt;</td>' in html, html.endswith("</tr>\\n")
        (True, True)
    """
    return Markup("".join(_finding_row(row) for row in rows))


def _finding_row(row: Row) -> str:
    reference = row.reference
    kinds = row.kinds
    marks = " ".join(f"{text_html(kind.code)}:{text_html(kind.severity)}" for kind in kinds)
    kind_cells = "<br>".join(_kind_cell(kind, row.field_separator) for kind in kinds)
    written = (
        f'<br><span class="written">{text_html(row.written_as)}</span>' if row.written_as else ""
    )
    compared = (
        '<ul class="compared">'
        + "".join(f"<li>{text_html(text)}</li>" for text in row.compared)
        + "</ul>"
        if row.compared
        else ""
    )
    return (
        f'<tr class="finding severity-{text_html(row.severity)}{" reference" if reference else ""}"'
        f' id="g{text_html(row.group_id)}"'
        f' data-detector="{" ".join(text_html(name) for name in row.detectors)}"'
        f' data-severity="{text_html(row.severity)}" data-year="{text_html(row.year_values)}"'
        f' data-reference="{1 if reference else 0}" data-kinds="{marks}"'
        f"{' hidden' if reference else ''}>\n"
        f'<td class="severity">{text_html(row.severity_label)}</td>\n'
        f'<td class="item">{text_html(row.item_label)}{written}</td>\n'
        f'<td class="year">{text_html(row.year_label)}</td>\n'
        f'<td class="kind">{kind_cells}</td>\n'
        f'<td class="evidence">{evidence_html(row.quotes)}</td>\n'
        f'<td class="compared">{compared}</td>\n'
        f'<td class="question">{text_html(row.question)}</td>\n'
        "</tr>\n"
    )


def kind_rows(kinds: Sequence[tuple[KindMark, Mapping[str, int]]]) -> Markup:
    """A kind table's body rows: the kind, its rows per severity (SEVERITY_LABELS order) and
    their total, each line ending in ``\\n``, text escaped.

    Example:
        >>> mark = KindMark("quality", "short", 0, "<短い>", "low", ())
        >>> html = kind_rows([(mark, {"high": 0, "medium": 1, "low": 2})])
        >>> html.startswith('<tr data-kind="quality/short"><td>&lt;短い&gt;</td>')
        True
        >>> html.endswith('data-severity="low">2</td><td class="number" data-total>3</td></tr>\\n')
        True
    """
    return Markup("".join(_kind_row(kind, counts) for kind, counts in kinds))


def kind_table(
    kinds: Sequence[tuple[KindMark, Mapping[str, int]]], css: str, head: str = ""
) -> Markup:
    """A kind table (class ``css``, header row ``head``, already markup): ``kind_rows``, or
    one row saying there are no findings. Built here rather than by a template macro: a page
    has one per division.

    Example:
        >>> str(kind_table([], "counts", "<thead></thead>")).splitlines()
        ['<table class="counts">', '<thead></thead>', '<tbody>', \
'<tr><td colspan="5">指摘なし</td></tr>', '</tbody>', '</table>']
    """
    body: str
    if kinds:
        body = kind_rows(kinds)
    else:
        body = f'<tr><td colspan="{len(SEVERITY_LABELS) + 2}">{text_html(NO_FINDINGS)}</td></tr>\n'
    return Markup(f'<table class="{text_html(css)}">\n{head}\n<tbody>\n{body}</tbody>\n</table>\n')


def division_links(divisions: Sequence[Division], separator: str, around: str) -> Markup:
    """The navigation's line of each division: a link to its section and its checklist rows
    per severity (the filters recount them) joined by ``separator`` and put in ``around`` (a
    format with one ``{}``), each line ending in ``\\n``, text escaped.

    Example:
        >>> html = division_links([Division("a.txt", "部", "<課>", "d1")], "・", "（{}）")
        >>> html.startswith('<li data-division="d1"><a href="#d1">&lt;課&gt;</a>（高 <span')
        True
        >>> html.endswith('data-count="low">0</span>）</li>\\n')
        True
    """
    return Markup("".join(_division_link(division, separator, around) for division in divisions))


def _division_link(division: Division, separator: str, around: str) -> str:
    counts = division.by_severity()
    anchor = text_html(division.anchor)
    tallies = text_html(separator).join(
        f'{text_html(label)} <span data-count="{text_html(severity)}">{counts[severity]}</span>'
        for severity, label in SEVERITY_LABELS.items()
    )
    link = f'<a href="#{anchor}">{text_html(division.name)}</a>'
    tallies = text_html(around).replace("{}", tallies, 1)
    return f'<li data-division="{anchor}">{link}{tallies}</li>\n'


def _kind_row(kind: KindMark, counts: Mapping[str, int]) -> str:
    cells = "".join(
        f'<td class="number" data-severity="{text_html(severity)}">{counts[severity]}</td>'
        for severity in SEVERITY_LABELS
    )
    return (
        f'<tr data-kind="{text_html(kind.code)}"><td>{text_html(kind.label)}</td>{cells}'
        f'<td class="number" data-total>{sum(counts.values())}</td></tr>\n'
    )


def _kind_cell(kind: KindMark, separator: str) -> str:
    if not kind.fields:
        return text_html(kind.label)
    fields = text_html(separator).join(text_html(name) for name in kind.fields)
    return f'{text_html(kind.label)}<br><span class="field">{fields}</span>'


@cache
def _environment() -> Environment:
    """The templates' environment, made once per process: Jinja2 compiles each template once
    in it (compiling the page's template took longer than rendering one plan's page)."""
    environment = Environment(
        loader=PackageLoader("pipeline", "report/templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["url"] = lambda name: quote(f"{name}/index.html")
    environment.filters["finding_rows"] = finding_rows
    environment.filters["kind_table"] = kind_table
    environment.filters["division_links"] = division_links
    return environment
