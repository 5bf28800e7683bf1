"""The streamed JSON listing is the same text as the whole document written at once."""

from __future__ import annotations

from pathlib import Path

from pipeline.report.output import write_json, write_json_listing


def test_output_json_listing_as_whole_document(tmp_path: Path) -> None:
    """Nested objects and lists, empty ones, texts with line breaks and indentation-like
    spaces: each item is indented as ``json.dumps`` indents the whole document."""
    files = [
        {"source": "a.txt", "skipped": {}, "repair_list": []},
        {
            "source": "b.txt",
            "skipped": {"blank": 3, "header": 1},
            "repair_list": [{"line": "16", "message": "一行目\n    二行目 ", "n": 1.5}],
            "title": "  ",
        },
        {"source": "c.txt", "nested": [[], [{}], [1, [2, None, True]]]},
    ]
    rest = {"errors": ["x\ny"], "more": {"k": []}}
    write_json({"files": files, **rest}, tmp_path / "whole.json")
    write_json_listing("files", iter(files), rest, tmp_path / "listed.json")
    assert (tmp_path / "listed.json").read_text() == (tmp_path / "whole.json").read_text()
    write_json({"files": [], **rest}, tmp_path / "empty_whole.json")
    write_json_listing("files", iter([]), rest, tmp_path / "empty.json")
    assert (tmp_path / "empty.json").read_text() == (tmp_path / "empty_whole.json").read_text()
