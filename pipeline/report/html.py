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
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from pipeline.findings import era_label
from pipeline.report.checklist import (
    NO_FINDINGS,
    NO_YEAR,
    REFERENCE,
    SEVERITY_LABELS,
    Checklist,
    Plan,
    kind_with_fields,
)

TEMPLATE = "index.html.j2"
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
    "#868e96",
    "#d9480f",
    "#1864ab",
    "#a61e4d",
)
"""Colours of the kinds in the charts (a kind keeps its colour across plans)."""
CHART_WIDTH = 360
BAR_HEIGHT = 18
LABEL_WIDTH = 110


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
    colours = kind_colours(checklist)
    return template.render(
        checklist=checklist,
        rows=checklist.rows(),
        questions=checklist.questions(),
        filters=checklist.filter_values(),
        severities=list(SEVERITY_LABELS.items()),
        charts={plan.source: plan_chart(plan, colours) for plan in checklist.plans},
        kind_label=kind_with_fields,
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


def kind_colours(checklist: Checklist) -> dict[str, str]:
    """A colour per kind code (``detector/kind``), in the order of the kind table.

    Example:
        >>> kind_colours(Checklist([]))
        {}
    """
    kinds = [kind.code for kind, _ in checklist.by_kind()]
    return {code: PALETTE[index % len(PALETTE)] for index, code in enumerate(kinds)}


def plan_chart(plan: Plan, colours: dict[str, str]) -> Chart | None:
    """The plan's checklist rows by year (one bar each) and kind (segments); None without rows.

    Example:
        >>> plan_chart(Plan("a.txt"), {}) is None
        True
    """
    years = plan.chart()
    if not years:
        return None
    most = max(sum(count for _, count in kinds) for _, kinds in years)
    bars = []
    for number, (year, kinds) in enumerate(years):
        x, segments = LABEL_WIDTH, []
        for kind, count in kinds:
            width = max(1, round(count * CHART_WIDTH / most))
            title = f"{era_label(year) or NO_YEAR} {kind.label}: {count}"
            segments.append(Segment(x, width, colours.get(kind.code, PALETTE[-1]), title))
            x += width
        total = sum(count for _, count in kinds)
        bars.append(
            Bar(era_label(year) or NO_YEAR, number * (BAR_HEIGHT + 4), total, tuple(segments))
        )
    legend = {kind.code: kind.label for _, kinds in years for kind, _ in kinds}
    width = LABEL_WIDTH + CHART_WIDTH + 40
    return Chart(
        width=width,
        height=len(bars) * (BAR_HEIGHT + 4),
        bars=tuple(bars),
        legend=tuple((colours.get(code, PALETTE[-1]), label) for code, label in legend.items()),
    )


def write_html(checklist: Checklist, path: Path) -> None:
    """Write ``index.html`` (UTF-8, ``\\n`` line ends)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(checklist), encoding="utf-8", newline="\n")


def script_hash(script: str) -> str:
    """The CSP hash of an inline script (base64 of its SHA-256).

    Example:
        >>> script_hash("")
        '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='
    """
    return base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("pipeline", "report/templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
