"""One plan as one file per year: items linked across files, compared like year columns."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from table_builders import WIDE, write_csv

from pipeline.detectors import Context, run_all
from pipeline.ingest import Tables, read
from pipeline.ingest.link import series_key

YEARS = {2022: "令和4年度", 2023: "令和5年度"}


def per_year_files(folder: Path) -> list[Path]:
    """WIDE as one file per year, each with its own title; the later file renames an item
    (健康教室 -> 健康教室事業) and prints the items in another order."""
    _, *rows = WIDE
    first = [["事業名", "担当課", "令和4年度実績", "評価"]]
    first += [[name, division, status, rating] for name, division, status, rating, *_ in rows]
    second = [["事業名", "担当課", "令和5年度実績", "評価", "今後の方向性"]]
    second += [[name, division, *rest] for name, division, _, _, *rest in reversed(rows)]
    second[-1][0] += "事業"
    return [
        write_csv(
            folder / f"plan_{year}.csv", [[f"{era} 健康づくり計画 進捗状況評価表"], [], *body]
        )
        for (year, era), body in zip(YEARS.items(), [first, second], strict=True)
    ]


def compared(tables: Tables) -> list[tuple[str, ...]]:
    entries = tables.entries
    names = entries["item"].str.removesuffix("事業")
    return sorted(
        zip(
            names,
            entries["division"],
            entries["fiscal_year"].astype(str),
            entries["status"],
            entries["rating"],
            entries["plan"],
            strict=True,
        )
    )


def copy_findings(tables: Tables, context: Context) -> list[tuple[str, ...]]:
    findings = run_all(tables.entries, context, ["copy_paste"])
    items = tables.entries.drop_duplicates("item_id").set_index("item_id")
    names = items["item"].str.removesuffix("事業")
    return sorted(
        (names[item], kind, field, str(year))
        for item, kind, field, year in zip(
            findings["item_id"],
            findings["kind"],
            findings["field"],
            findings["fiscal_year"],
            strict=True,
        )
    )


@pytest.fixture
def yearly(tmp_path: Path) -> Tables:
    return read(per_year_files(tmp_path))


def test_link_series_key_drops_years() -> None:
    assert series_key("令和4年度 健康づくり計画") == series_key("2023年度健康づくり計画") != ""
    assert series_key("jimu_R6") == series_key("jimu_R7") == "jimu"


def test_link_yearly_files_read_as_the_wide_table(
    yearly: Tables, tmp_path: Path, context: Context
) -> None:
    wide = read([write_csv(tmp_path / "wide.csv", WIDE)])
    assert yearly.errors == []
    assert compared(yearly) == compared(wide)
    assert set(yearly.entries["plan_name"]) == {"健康づくり計画 進捗状況評価表"}
    assert copy_findings(yearly, context) == copy_findings(wide, context)
    assert ("健康教室", "identical", "status", "2023") in copy_findings(yearly, context)


def test_link_renamed_item_links_by_name_and_is_logged(yearly: Tables) -> None:
    links = yearly.links.set_index("item")
    assert links.loc["健康教室事業", "linked_item"] == "健康教室"
    assert links.loc["健康教室事業", "method"] == "name"
    assert 0.85 <= links.loc["健康教室事業", "score"] < 1.0
    assert len(links) == 3
    assert yearly.entries.groupby("item_id")["fiscal_year"].nunique().tolist() == [2, 2, 2]


def test_link_printed_ids_win_when_stable(tmp_path: Path) -> None:
    """Numbered items link by number even when their names change more than names may."""
    first = [
        ["番号", "事業名", "担当課", "令和4年度実績"],
        ["1", "見守り事業", "福祉課", "訪問した。"],
    ]
    first += [["2", "配食サービス", "福祉課", "配食した。"]]
    second = [
        ["番号", "事業名", "担当課", "令和5年度実績"],
        ["1", "高齢者見守り事業", "福祉課", "訪問した。"],
    ]
    second += [["2", "配食サービス", "福祉課", "配食した。"]]
    tables = read(
        [write_csv(tmp_path / "a_R4.csv", first), write_csv(tmp_path / "a_R5.csv", second)]
    )
    assert tables.links["method"].tolist() == ["id", "id"]
    assert tables.entries["item_id"].nunique() == 2


def test_link_parts_of_one_year_are_not_a_series(tmp_path: Path) -> None:
    """Two files of the same years (two chapters, two extractions) are not linked."""
    rows = [["事業名", "担当課", "令和4年度実績"], ["健康教室", "健康課", "開催した。"]]
    tables = read([write_csv(tmp_path / "p_1.csv", rows), write_csv(tmp_path / "p_2.csv", rows)])
    assert tables.links.empty
    assert tables.entries["item_id"].nunique() == 2


def test_link_sample_split_into_one_file_per_year(
    samples_dir: Path, tmp_path: Path, context: Context
) -> None:
    """003 (R1-R5) written as one file per year: every item-year found, items linked, and the
    copy-paste findings of the wide reading found again."""
    wide = read([samples_dir / "003_a91a11d8f2677ccb.txt"])
    entries = wide.entries
    files = []
    for year, rows in entries.groupby("fiscal_year"):
        era = f"令和{int(year) - 2018}年度"
        header = [
            "実施内容",
            "担当課",
            f"{era}実施状況",
            "担当課の評価",
            "達成度",
            "今後の実施計画",
        ]
        body = rows[["item", "division", "status", "evaluation", "rating", "plan"]].values.tolist()
        files.append(
            write_csv(tmp_path / f"kiyose_{year}.csv", [[f"{era} 自殺対策計画"], header, *body])
        )
    yearly = read(files)
    assert yearly.errors == []
    assert len(yearly.entries) == len(entries)
    linked = yearly.entries.groupby("item_id")["fiscal_year"].nunique()
    original = entries.groupby("item_id")["fiscal_year"].nunique()
    assert (linked > 1).sum() >= 0.9 * (original > 1).sum()
    found = set(copy_findings(yearly, context))
    expected = set(copy_findings(wide, context))
    assert len(found & expected) >= 0.9 * len(expected)
    assert pd.Series(yearly.links["method"]).isin(["id", "name"]).all()


def test_link_long_table_reads_as_the_wide_table(tmp_path: Path, context: Context) -> None:
    """The same plan as one row per item and year: same entries, same copy-paste findings."""
    _, *rows = WIDE
    long = [["年度", "事業名", "担当課", "実績", "評価", "今後の方向性"]]
    for name, division, status4, rating4, status5, rating5, plan in rows:
        long += [["令和4年度", name, division, status4, rating4, ""]]
        long += [["令和5年度", name, division, status5, rating5, plan]]
    tables = read([write_csv(tmp_path / "long.csv", long)])
    wide = read([write_csv(tmp_path / "wide.csv", WIDE)])
    assert tables.report.loc[0, "layout"] == "long"
    assert compared(tables) == compared(wide)
    assert copy_findings(tables, context) == copy_findings(wide, context)
