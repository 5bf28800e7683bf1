"""The checklist as one self-contained page, ``index.html``: opens offline, prints per division.

Everything is inline (styles, a small filter script; no fonts, images or links to fetch). Text
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
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from pipeline.report.checklist import NO_FINDINGS, SEVERITY_LABELS, Checklist

TEMPLATE = "index.html.j2"
SCRIPT = "filters.js"


def render_html(checklist: Checklist) -> str:
    """The page as text (deterministic: same checklist, same characters).

    Example:
        >>> from pipeline.report.checklist import Checklist
        >>> "<script>" in render_html(Checklist([]))
        True
    """
    script = resources.files("pipeline.report").joinpath("templates", SCRIPT).read_text("utf-8")
    template = _environment().get_template(TEMPLATE)
    return template.render(
        checklist=checklist,
        rows=checklist.rows(),
        filters=checklist.filter_values(),
        severities=list(SEVERITY_LABELS.items()),
        no_findings=NO_FINDINGS,
        script=Markup(script),
        script_hash=script_hash(script),
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
