"""Golden files: readable JSONL (unescaped Japanese, sorted keys, one record a line) compared
with what the code produces now; ``--update-golden`` rewrites them (``make snapshots``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

GOLDEN = Path(__file__).parent / "golden"


def to_jsonl(records: Iterable[Mapping[str, Any]]) -> str:
    """Records as JSONL text: one line each, keys sorted, Japanese unescaped."""
    return "".join(json.dumps(dict(r), ensure_ascii=False, sort_keys=True) + "\n" for r in records)


def check_golden(name: str, records: Iterable[Mapping[str, Any]], update: bool) -> None:
    """Compare with ``tests/golden/<name>``, or rewrite it when ``update``; a difference names
    the first differing line so the change reads as a diff."""
    path = GOLDEN / name
    produced = to_jsonl(records)
    if update or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(produced, encoding="utf-8", newline="\n")
        return
    expected = path.read_text(encoding="utf-8")
    if produced == expected:
        return
    old, new = expected.splitlines(), produced.splitlines()
    line = next(
        (n for n, (a, b) in enumerate(zip(old, new, strict=False), 1) if a != b),
        min(len(old), len(new)) + 1,
    )
    raise AssertionError(
        f"{path.name} differs from the code's output at line {line} "
        f"({len(old)} lines expected, {len(new)} produced); review the change, then run "
        f"`make snapshots` to accept it.\n"
        f"expected: {old[line - 1] if line <= len(old) else '(none)'}\n"
        f"produced: {new[line - 1] if line <= len(new) else '(none)'}"
    )
