"""Clear errors and safe exits: what a user sees when input or configuration is wrong."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.cli import EXIT_LEXICON, EXIT_NOTHING_READ, main
from pipeline.ingest import read
from pipeline.ingest.base import LAYOUTS

SAMPLES = Path(__file__).parents[1] / "data" / "samples"
SAMPLE = SAMPLES / "002_fb856b526bbf0244.txt"
LEXICONS = Path(__file__).parents[1] / "lexicons"


def test_cli_nothing_read_leaves_previous_reports(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    assert main(["run", str(SAMPLE), "--out", str(out)]) == 0
    before = (out / "findings.csv").read_bytes()
    assert main(["run", str(tmp_path / "typo.tsv"), "--out", str(out)]) == EXIT_NOTHING_READ
    assert (out / "findings.csv").read_bytes() == before


def test_cli_empty_folder_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.docx").write_bytes(b"PK")
    assert main(["parse", str(tmp_path), "--out", str(tmp_path / "out")]) == EXIT_NOTHING_READ
    assert "no readable file" in capsys.readouterr().err


def test_cli_same_file_twice_is_read_once(tmp_path: Path) -> None:
    tables = read([SAMPLE, SAMPLE.resolve(), SAMPLES / ".." / "samples" / SAMPLE.name])
    assert len(tables.report) == 1


def test_cli_files_with_the_same_name_keep_apart(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(SAMPLE, tmp_path / folder / "plan.txt")
    tables = read([tmp_path / "a", tmp_path / "b"])
    assert sorted(tables.report["source"]) == ["a/plan.txt", "b/plan.txt"]
    per_source = tables.entries.groupby("source")["item_id"].nunique()
    assert per_source.tolist() == [25, 25]
    assert tables.entries["item_id"].nunique() == 50


def test_cli_reader_crash_is_isolated_to_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(SAMPLE, tmp_path / "good.txt")
    (tmp_path / "odd.txt").write_text("買い物\t牛乳\n", encoding="utf-8")
    layout = LAYOUTS["table"]

    def exploding_score(doc: object, rules: object) -> float:
        if getattr(doc, "name", "") == "odd.txt":
            raise RuntimeError("boom")
        return layout.score(doc, rules)  # type: ignore[arg-type]

    monkeypatch.setitem(
        LAYOUTS, "table", layout.__class__(layout.name, exploding_score, layout.parse)
    )
    tables = read([tmp_path])
    assert tables.errors == ["odd.txt: could not be read (internal error RuntimeError: boom)"]
    assert set(tables.entries["source"]) == {"good.txt"}


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda folder: (folder / "covid.tsv").write_bytes(
                (folder / "covid.tsv").read_text(encoding="utf-8").encode("cp932", "replace")
            ),
            "covid.tsv: not UTF-8",
        ),
        (
            lambda folder: (folder / "settings.yaml").write_text(
                (folder / "settings.yaml")
                .read_text(encoding="utf-8")
                .replace("min_header_labels", "min_labels_renamed"),
                encoding="utf-8",
            ),
            "settings.yaml: missing key ingest.min_header_labels",
        ),
    ],
)
def test_cli_broken_lexicon_exits_4_naming_it(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    edit: object,
    message: str,
) -> None:
    folder = tmp_path / "lexicons"
    shutil.copytree(LEXICONS, folder)
    edit(folder)  # type: ignore[operator]
    monkeypatch.setenv("HYOKA_LEXICONS", str(folder))
    assert main(["run", str(SAMPLE), "--out", str(tmp_path / "out")]) == EXIT_LEXICON
    assert message in capsys.readouterr().err


def test_cli_truncated_file_is_read_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file cut inside its last character is read, and stderr names it (exit 0)."""
    cut = tmp_path / "cut.txt"
    cut.write_bytes(SAMPLE.read_bytes() + "課".encode()[:2])
    assert main(["parse", str(cut), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "cut.txt: 警告: ファイルが文字の途中で終わっています" in err
    assert "warning: the file ends in the middle of a character" in err
    assert (tmp_path / "out" / "entries.csv").exists()
