"""The checklist as Markdown: ``checklists/<source stem>/<division>.md`` with ``- [ ]`` boxes.

Text from the documents is escaped (``\\*``, ``\\<`` ...) and kept on one line, so it reads as
data and never becomes links, HTML or formatting. File and folder names come from
``pipeline.report.names`` (safe and unique).

Example:
    >>> from pipeline.report.checklist import Division
    >>> print(render_division(Division("a.txt", "福祉保健部", "健康課", "d1", plan="自殺対策計画")))
    # 健康課
    <BLANKLINE>
    - 計画: 自殺対策計画（出典: a.txt）
    - 担当部署: 福祉保健部
    <BLANKLINE>
    指摘なし
    <BLANKLINE>
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.report.checklist import (
    NO_FINDINGS,
    REFERENCE,
    SEVERITY_LABELS,
    Checklist,
    Division,
    Quote,
    Row,
    kind_with_fields,
)
from pipeline.report.names import safe_file_name

_MARKUP = "\\`*_[]<>|~&#!"
_SPECIAL = re.compile("[" + re.escape(_MARKUP) + "]")
_ESCAPED = str.maketrans({char: "\\" + char for char in _MARKUP})
"""Markup characters, each to be written after a backslash (most texts have none: the
search is cheap, the table is not)."""
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def escape(text: str) -> str:
    """``text`` as literal Markdown on one line: markup characters backslash-escaped.

    Example:
        >>> escape("<script>*強調*</script>\\n次の行")
        '\\\\<script\\\\>\\\\*強調\\\\*\\\\</script\\\\> 次の行'
    """
    if "\n" in text or "\r" in text:
        text = _LINE_BREAKS.sub(" ", text)
    return text.translate(_ESCAPED) if _SPECIAL.search(text) else text


def render_division(division: Division, source_note: str = "出典: {source}") -> str:
    """One division's checklist as Markdown text (ends with a newline): one item per question;
    rows of hidden-by-default kinds are only counted (``REFERENCE``)."""
    note = source_note.format(source=division.source)
    lines = [
        f"# {escape(division.name)}",
        "",
        f"- 計画: {escape(division.plan or division.source)}（{escape(note)}）",
        f"- 担当部署: {escape(division.department)}",
        *_references(division),
        "",
    ]
    if not division.questions:
        return "\n".join([*lines, NO_FINDINGS, ""])
    return "\n".join([*lines, *_summary(division), *_items(division.questions)])


def write_markdown(checklist: Checklist, folder: Path) -> list[Path]:
    """Write one file per division under ``folder/<plan title>/``; return the paths written."""
    written: list[Path] = []
    stems: set[str] = set()
    note = checklist.settings.source_note if checklist.settings else "{source}"
    for plan in checklist.plans:
        directory = folder / safe_file_name(plan.title or Path(plan.source).stem, stems)
        directory.mkdir(parents=True, exist_ok=True)
        names: set[str] = set()
        for division in plan.divisions():
            path = directory / (safe_file_name(division.name, names) + ".md")
            # bytes: no text layer per file (the text has "\n" line ends already)
            path.write_bytes(render_division(division, note).encode("utf-8"))
            written.append(path)
    return written


def _references(division: Division) -> list[str]:
    count = len(division.references)
    return [f"- {REFERENCE}: {count} 件（index.html で表示）"] if count else []


def _summary(division: Division) -> list[str]:
    labels = list(SEVERITY_LABELS.values())
    lines = [
        "## 種類別の件数",
        "",
        "| 種類 | " + " | ".join(labels) + " | 計 |",
        "|---|" + "---:|" * (len(labels) + 1),
    ]
    for kind, counts in division.by_kind():
        cells = [str(n) for n in counts.values()] + [str(sum(counts.values()))]
        lines.append(f"| {escape(kind_with_fields(kind))} | " + " | ".join(cells) + " |")
    return [*lines, "", "## 確認項目", ""]


def _items(rows: list[Row]) -> list[str]:
    lines: list[str] = []
    for row in rows:
        year = f"（{row.year_label}）" if row.year_label else ""
        lines.append(
            f"- [ ] **【{row.severity_label}】{escape(row.item_label)}{year}** "
            f"{escape(row.kinds_label)}"
        )
        if row.written_as:
            lines.append(f"  - {escape(row.written_as)}")
        lines += [f"  - 根拠（{escape(quote.label)}）: {_evidence(quote)}" for quote in row.quotes]
        lines += [f"  - 比較対象: {escape(compared)}" for compared in row.compared]
        lines += [f"  - 質問案: {escape(row.question)}", "  - 回答:", ""]
    return lines


def _evidence(quote: Quote) -> str:
    return "".join(
        f"**{escape(text)}**" if role and text.strip() else escape(text)
        for text, role in quote.pieces
    )
