"""The table reader on small synthetic tables in shapes the samples do not have.

Realignment and division splitting must follow from cell classes and row patterns, never from
the samples' line numbers: these tables have another column order, other labels and other
breakages (a lost cell, a rating printed on both sides of its evaluation, two divisions in one
row marked 【課名】).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.ingest import Tables, read

TWO_YEARS = [
    "実施内容",
    "担当課",
    "令和2年度実施状況",
    "令和2年度実施状況に関する担当課の評価",
    "達成度(%)",
    "令和3年度実施状況",
    "令和3年度実施状況に関する担当課の評価",
    "達成度(%)",
    "今後(令和4年度以降)の実施計画",
]


def _read(tmp_path: Path, header: list[str], *rows: list[str]) -> Tables:
    path = tmp_path / "city.tsv"
    lines = ["\t".join(header), *("\t".join(row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return read([path])


def _entry(tables: Tables, item: str, year: int) -> pd.Series:
    rows = tables.entries[(tables.entries["item"] == item) & (tables.entries.fiscal_year == year)]
    assert len(rows) == 1
    return rows.iloc[0]


LOST_EVALUATION = [
    "講座事業",
    "健康課",
    "講座を2回開催した。",
    "50%",
    "講座を3回開催した。",
    "参加者が増加した。",
    "100%",
    "取組を継続。",
]
"""The FY2020 evaluation was empty in print and the export dropped its cell: every later cell
sits one column left. The percentage belongs in 達成度, the next sentence in FY2021."""


@pytest.mark.parametrize(
    ("extra", "dropped"),
    [
        ([], []),
        # As many cells as columns: the closing stock phrase printed twice. The repeated last
        # cell is dropped (and logged), so the row is realigned instead of read as printed.
        (["取組を継続。"], ["取組を継続。"]),
    ],
)
def test_ingest_table_shapes_lost_evaluation_cell(
    tmp_path: Path, extra: list[str], dropped: list[str]
) -> None:
    tables = _read(tmp_path, TWO_YEARS, LOST_EVALUATION + extra)
    first, second = _entry(tables, "講座事業", 2020), _entry(tables, "講座事業", 2021)
    assert (first.status, first.evaluation, first.rating) == ("講座を2回開催した。", "", "50%")
    assert (second.status, second.evaluation) == ("講座を3回開催した。", "参加者が増加した。")
    assert (second.rating, second.plan) == ("100%", "取組を継続。")
    assert "realigned" in set(tables.repairs.kind)
    logged = tables.repairs[tables.repairs.kind == "dropped"].message
    assert [text for text in dropped if logged.str.contains(f"「{text}」").any()] == dropped
    assert len(logged) == len(dropped)


def test_ingest_table_shapes_rating_printed_before_and_after_its_evaluation(
    tmp_path: Path,
) -> None:
    # 状況 | 50% | 評価 | 50%: the rating printed on both sides of the evaluation (003 lines 16,
    # 25 print their FY2021 cells so). The evaluation goes back to its column and the repeated
    # percentage is logged, not lost silently.
    tables = _read(
        tmp_path,
        TWO_YEARS,
        [
            "相談事業",
            "福祉課",
            "相談を12件受け付けた。",
            "50%",
            "支援につなぐことができた。",
            "50%",
            "相談を15件受け付けた。",
            "関係機関と連携できた。",
            "100%",
            "取組を継続。",
        ],
    )
    first, second = _entry(tables, "相談事業", 2020), _entry(tables, "相談事業", 2021)
    assert (first.status, first.evaluation, first.rating) == (
        "相談を12件受け付けた。",
        "支援につなぐことができた。",
        "50%",
    )
    assert (second.status, second.rating, second.plan) == (
        "相談を15件受け付けた。",
        "100%",
        "取組を継続。",
    )
    logged = tables.repairs[tables.repairs.kind.isin(["swapped", "dropped"])]
    assert set(logged.kind) == {"swapped", "dropped"}


def test_ingest_table_shapes_other_column_order(tmp_path: Path) -> None:
    # Another city prints the rating before the division's evaluation; a row printed in the
    # header's order reads as printed, a row whose two cells are exchanged is put back.
    header = ["事業名", "担当課", "令和4年度実施状況", "達成度", "担当課の評価", "今後の実施計画"]
    tables = _read(
        tmp_path,
        header,
        ["研修事業", "人事課", "研修を3回実施した。", "A", "受講者が増えた。", "研修を継続する。"],
        [
            "相談事業",
            "福祉課",
            "相談を12件受け付けた。",
            "支援につなぐことができた。",
            "B",
            "取組を継続。",
        ],
    )
    training = _entry(tables, "研修事業", 2022)
    assert (training.rating, training.evaluation) == ("A", "受講者が増えた。")
    consult = _entry(tables, "相談事業", 2022)
    assert (consult.rating, consult.evaluation) == ("B", "支援につなぐことができた。")
    assert consult.plan == "取組を継続。"
    assert tables.repairs[tables.repairs.kind == "swapped"]["item"].tolist() == ["相談事業"]


def test_ingest_table_shapes_two_divisions_with_markers(tmp_path: Path) -> None:
    # One printed row for two divisions: 【課名】 markers split the narrative, one rating each.
    header = ["事業名", "担当課", "令和6年度実施状況", "達成度", "今後の実施計画"]
    tables = _read(
        tmp_path,
        header,
        [
            "見守り事業",
            "介護福祉課 地域福祉課",
            "【地域福祉課】連絡会を2回開催した。【介護福祉課】訪問を120件行った。",
            "A B",
            "【介護福祉課】訪問を継続する。【地域福祉課】連絡会を継続する。",
        ],
        ["配食事業", "介護福祉課 地域福祉課", "配食を行った。", "A", "継続する。"],
    )
    watch = tables.entries[tables.entries["item"] == "見守り事業"]
    assert watch.division.tolist() == ["介護福祉課", "地域福祉課"]
    assert watch.status.tolist() == [
        "【介護福祉課】訪問を120件行った。",
        "【地域福祉課】連絡会を2回開催した。",
    ]
    assert watch.rating.tolist() == ["A", "B"]
    assert watch.plan.tolist() == [
        "【介護福祉課】訪問を継続する。",
        "【地域福祉課】連絡会を継続する。",
    ]
    meals = tables.entries[tables.entries["item"] == "配食事業"]
    assert meals.division.tolist() == ["介護福祉課 地域福祉課"]
    kept = tables.repairs[tables.repairs.kind == "division_not_split"]
    assert kept["item"].tolist() == ["配食事業"]
    assert "文章「配食を行った。」が課ごとに分かれていないため" in kept.message.iloc[0]


def test_ingest_table_shapes_status_carried_over_keeps_its_year(tmp_path: Path) -> None:
    # A header with a plan column inside each year. The FY2020 plan was empty in print and its
    # cell dropped: cell classes alone put the FY2021 report under the plan and its evaluation
    # under 実施状況. The report opens like the row's first status (digits aside): a status.
    header = [
        "事業名",
        "担当課",
        "令和2年度実施状況",
        "令和2年度実施状況に関する担当課の評価",
        "達成度(%)",
        "令和3年度の実施計画",
        "令和3年度実施状況",
        "令和3年度実施状況に関する担当課の評価",
        "達成度(%)",
        "今後(令和4年度以降)の実施計画",
    ]
    tables = _read(
        tmp_path,
        header,
        [
            "融資あっせん事業",
            "産業課",
            "融資あっせんの申込を33件受け付けた。",
            "滞りなく融資が実行された。",
            "80%",
            "融資あっせんの申込を50件受け付けた。",
            "資金繰りの相談にも応じることができた。",
            "90%",
            "実施を継続する。",
        ],
    )
    first = _entry(tables, "融資あっせん事業", 2020)
    second = _entry(tables, "融資あっせん事業", 2021)
    assert (first.rating, first.plan) == ("80%", "")
    assert (second.status, second.evaluation, second.rating) == (
        "融資あっせんの申込を50件受け付けた。",
        "資金繰りの相談にも応じることができた。",
        "90%",
    )
    assert second.plan == "実施を継続する。"


def test_ingest_table_shapes_description_printed_under_the_first_year(tmp_path: Path) -> None:
    # A header without a 内容 label; one row prints its item's description after 担当課, under
    # the first year's 実施状況, and leaves its last plan cell empty, so it is as long as the
    # header. Read as printed, the grades land under 実施状況 and the reports under 達成度; the
    # description goes to the item's 内容 and every year is read one cell later (logged).
    header = [
        "事業名",
        "担当課",
        "令和3年度実施状況",
        "令和3年度実施状況に関する担当課の評価",
        "達成度",
        "令和4年度実施状況",
        "令和4年度実施状況に関する担当課の評価",
        "達成度",
        "今後の実施計画",
    ]
    tables = _read(
        tmp_path,
        header,
        [
            "出前講座",
            "健康課",
            "依頼のあった学校で命の大切さについて出前講座を行います。",
            "講座を2回開いた。",
            "参加者の理解が深まった。",
            "B",
            "講座を3回開いた。",
            "参加者が増えた。",
            "A",
        ],
    )
    first, second = _entry(tables, "出前講座", 2021), _entry(tables, "出前講座", 2022)
    assert (first.status, first.evaluation, first.rating) == (
        "講座を2回開いた。",
        "参加者の理解が深まった。",
        "B",
    )
    assert (second.status, second.evaluation, second.rating) == (
        "講座を3回開いた。",
        "参加者が増えた。",
        "A",
    )
    realigned = tables.repairs[tables.repairs.kind == "realigned"].message
    assert realigned.str.contains("「内容」の欄として読みました").any()
    assert "misfit" not in set(tables.repairs.kind)


def test_ingest_table_shapes_evaluation_printed_twice(tmp_path: Path) -> None:
    # An export printed one evaluation twice in the middle of the row and left the empty plan
    # off, so the row is as long as its header. Read as printed, every later cell sits one
    # column on (a report under 達成度); the copy is left out instead (logged as dropped).
    tables = _read(
        tmp_path,
        TWO_YEARS,
        [
            "見守り事業",
            "高齢福祉課",
            "訪問を120件行った。",
            "孤立の防止につながった。",
            "孤立の防止につながった。",
            "50%",
            "協力員の研修を開いた。",
            "協力員が増えた。",
            "100%",
        ],
    )
    first, second = _entry(tables, "見守り事業", 2020), _entry(tables, "見守り事業", 2021)
    assert (first.evaluation, first.rating) == ("孤立の防止につながった。", "50%")
    assert (second.status, second.evaluation, second.rating, second.plan) == (
        "協力員の研修を開いた。",
        "協力員が増えた。",
        "100%",
        "",
    )
    dropped = tables.repairs[tables.repairs.kind == "dropped"].message
    assert dropped.str.contains("直前のセルと同じ値の繰り返しのため").tolist() == [True]


def test_ingest_table_shapes_description_printed_again_in_a_relisted_row(tmp_path: Path) -> None:
    # An item printed twice (its second row marked 再掲 ○). The first row gives its 内容 after the
    # item; the relisted row prints a shortened 内容 under the first 実施状況 and leaves its plan
    # empty, so it is as long as the header. The 内容 ends in plan wording (実施する。), so only
    # the item's 内容 read earlier shows it is a description: the years are read one cell later.
    header = [
        "事業名",
        "担当課",
        "再掲",
        "令和3年度実施状況",
        "令和3年度実施状況に関する担当課の評価",
        "達成度",
        "令和4年度実施状況",
        "令和4年度実施状況に関する担当課の評価",
        "達成度",
        "今後の実施計画",
    ]
    years = [
        "講座を2回開いた。",
        "理解が深まった。",
        "B",
        "講座を3回開いた。",
        "参加者が増えた。",
        "A",
    ]
    tables = _read(
        tmp_path,
        header,
        [
            "出前講座",
            "命の大切さを伝える講座を学校で実施し、相談先を周知する。",
            "健康課",
            "",
            *years,
        ],
        ["出前講座", "健康課", "○", "命の大切さを伝える講座を学校で実施する。", *years],
    )
    relisted = tables.entries[tables.entries.source_line == "3"]
    assert relisted[["status", "evaluation", "rating"]].values.tolist() == [
        ["講座を2回開いた。", "理解が深まった。", "B"],
        ["講座を3回開いた。", "参加者が増えた。", "A"],
    ]
    realigned = tables.repairs[tables.repairs.kind == "realigned"].message
    assert realigned.str.contains("4列目（印字上は「令和3年度実施状況」の下）を「内容」").any()
    assert "swapped" not in set(tables.repairs.kind)


def test_ingest_table_shapes_past_report_not_read_as_a_plan(tmp_path: Path) -> None:
    # FY2022's rating cell and the FY2021 plan (令和4年度の実施計画) are empty in print and left
    # off; the row closes with the stock phrase printed twice. The two past-tense reports after
    # the FY2021 rating are FY2022's status and evaluation (a report is not a plan), the plan
    # wording goes to 今後の実施計画, and the repeated phrase is left out (logged).
    header = [
        "事業名",
        "担当課",
        "令和3年度実施状況",
        "令和3年度実施状況に関する担当課の評価",
        "達成度",
        "令和4年度の実施計画",
        "令和4年度実施状況",
        "令和4年度実施状況に関する担当課の評価",
        "達成度",
        "今後(令和5年度以降)の実施計画",
        "令和5年度の実施状況",
    ]
    row = [
        "健康講座",
        "健康推進課",
        "講座を開いた。",
        "参加者の理解が深まった。",
        "100%",
        "講座を動画で配信した。",
        "前年度に引き続き配信することができた。",
        "秋に講演会を開催予定。",
        "取組を継続。",
        "取組を継続。",
    ]
    tables = _read(tmp_path, header, row)
    first, second = _entry(tables, "健康講座", 2021), _entry(tables, "健康講座", 2022)
    assert (first.rating, first.plan) == ("100%", "")
    assert (second.status, second.evaluation, second.rating, second.plan) == (
        "講座を動画で配信した。",
        "前年度に引き続き配信することができた。",
        "",
        "秋に講演会を開催予定。",
    )
    assert _entry(tables, "健康講座", 2023).status == "取組を継続。"
    dropped = tables.repairs[tables.repairs.kind == "dropped"].message
    assert dropped.str.contains("「取組を継続。」").tolist() == [True]


def test_ingest_table_shapes_row_kept_under_the_labels(tmp_path: Path) -> None:
    # The export leaves two unnamed columns after the header's last label. One row prints its
    # FY2020 rating on both sides of the evaluation (状況 | 75% | 評価 | 75%) and the FY2021
    # rating before its evaluation. Read with the first 75% as FY2020's rating and the second as
    # FY2021's, every later cell moves one column on and the plan lands under no label (lost);
    # read under the labels, the repeated 75% is left out (logged) and every text is kept.
    header = [*TWO_YEARS, "", ""]
    row = [
        "就労支援",
        "男女共同参画課",
        "しごと相談を開催した。",
        "75%",
        "悩みを持つ人を支援に繋げる。",
        "75%",
        "相談会をオンラインで開いた。",
        "100%",
        "困難を抱えた女性への支援を充実させる必要がある。",
        "就労を含めた支援を関係機関と連携して続けていく。",
        "",
        "",
    ]
    tables = _read(tmp_path, header, row)
    first, second = _entry(tables, "就労支援", 2020), _entry(tables, "就労支援", 2021)
    assert (first.status, first.evaluation, first.rating) == (
        "しごと相談を開催した。",
        "悩みを持つ人を支援に繋げる。",
        "75%",
    )
    assert (second.status, second.rating, second.plan) == (
        "相談会をオンラインで開いた。",
        "100%",
        "就労を含めた支援を関係機関と連携して続けていく。",
    )
    assert second.evaluation == "困難を抱えた女性への支援を充実させる必要がある。"
    dropped = tables.repairs[tables.repairs.kind == "dropped"].message
    assert dropped.str.contains("「75%」は直前の割合と同じ値の繰り返し").tolist() == [True]
