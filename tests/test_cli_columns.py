"""``hyoka columns`` and ``--columns``: see what each column is read as, and correct it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from table_builders import write_csv

from pipeline.api import analyze
from pipeline.cli import main
from pipeline.ingest import read
from pipeline.ingest.columns import ColumnMap
from pipeline.ingest.sources import ReadError

UNUSUAL = [
    ["名称", "所属", "やったこと", "次にやること"],
    ["健康教室", "健康課", "教室を12回開催した。", "継続して開催する。"],
    ["出前講座", "生涯学習課", "講座を8回開催した。", "内容を見直す。"],
]


def test_cli_columns_prints_and_writes_a_map(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        ["事業名", "担当課", "令和4年度実績", "評価"],
        ["健康教室", "健康課", "開催した。", "A"],
    ]
    table = write_csv(tmp_path / "wide.csv", rows)
    assert main(["columns", str(table), "--write", str(tmp_path / "map.yaml")]) == 0
    out = capsys.readouterr().out
    assert "status       2022  1.00     1  令和4年度実績" in out
    saved = yaml.safe_load((tmp_path / "map.yaml").read_text(encoding="utf-8"))
    assert saved["files"]["wide.csv"]["columns"][3] == {
        "column": 4,
        "label": "評価",
        "field": "rating",
        "year": 2022,
    }


def test_cli_unrecognised_table_is_an_error_then_a_map_reads_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Labels hyoka does not know: no header found (exit 3, never 指摘なし); with a map naming
    the header row, the fields and the year, the same file reads."""
    table = write_csv(tmp_path / "unusual.csv", UNUSUAL)
    assert main(["parse", str(table), "--out", str(tmp_path / "out")]) == 3
    assert "unusual.csv" in capsys.readouterr().err
    assert main(["columns", str(table)]) == 3
    assert "見出し行が見つかりません" in capsys.readouterr().err
    column_map = tmp_path / "map.yaml"
    column_map.write_text(
        "files:\n  unusual.csv:\n    header_row: 1\n    columns:\n"
        "    - {column: 1, field: item}\n    - {column: 2, field: division}\n"
        "    - {column: 3, field: status, year: 2023}\n"
        "    - {column: 4, field: plan, year: 2023}\n",
        encoding="utf-8",
    )
    tables = read([table], column_map=ColumnMap.load(column_map))
    assert tables.errors == []
    assert tables.entries[["item", "division", "fiscal_year", "plan"]].values.tolist() == [
        ["健康教室", "健康課", 2023, "継続して開催する。"],
        ["出前講座", "生涯学習課", 2023, "内容を見直す。"],
    ]
    out = tmp_path / "out"
    assert main(["parse", str(table), "--out", str(out), "--columns", str(column_map)]) == 0
    assert "2023" in (out / "entries.csv").read_text(encoding="utf-8-sig")


def test_cli_broken_map_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    column_map = tmp_path / "map.yaml"
    column_map.write_text("files:\n  a.csv:\n    columns:\n    - {column: 1, field: jisseki}\n")
    with pytest.raises(ReadError, match="field 'jisseki' は使えません"):
        ColumnMap.load(column_map)
    assert main(["parse", str(tmp_path), "--columns", str(column_map)]) == 2
    assert "map.yaml" in capsys.readouterr().err


def test_cli_analyze_warns_on_a_file_that_gives_nothing(tmp_path: Path) -> None:
    rows = [["事業名", "担当課", "令和4年度実績"], ["健康教室", "健康課", "開催した。"]]
    good = write_csv(tmp_path / "good.csv", rows)
    write_csv(
        tmp_path / "numbers.csv", [["事業名", "担当課", "事業番号"], ["健康教室", "健康課", "1"]]
    )
    with pytest.warns(UserWarning, match="numbers.csv: 実施状況・評価・計画などの記述の列"):
        result = analyze(tmp_path)
    assert result.entries["source"].tolist() == [good.name]
    with pytest.raises(FileNotFoundError, match="ファイルがありません"):
        analyze(tmp_path / "missing.csv")


def test_cli_failed_file_is_shown_first_in_the_html(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file that gives nothing is an error (exit 1) and the page says so before anything."""
    rows = [["事業名", "担当課", "令和4年度実績"], ["健康教室", "健康課", "開催した。"]]
    write_csv(tmp_path / "good.csv", rows)
    write_csv(
        tmp_path / "numbers.csv", [["事業名", "担当課", "事業番号"], ["健康教室", "健康課", "1"]]
    )
    out = tmp_path / "reports"
    assert main(["run", str(tmp_path), "--out", str(out)]) == 1
    assert "numbers.csv" in capsys.readouterr().err
    page = (out / "index.html").read_text(encoding="utf-8")
    failure = page.index("読み取れなかったファイル（1 件）")
    assert failure < page.index("健康課")
    assert "numbers.csv: 実施状況・評価・計画などの記述の列が見つかりません" in page
