"""Small synthetic cases of the cell aligner (pipeline/ingest/align.py)."""

from __future__ import annotations

import pytest

from pipeline.ingest.align import align, align_cells, cell_class
from pipeline.ingest.cells import CellShapes

HEADER = [
    "section",
    "item",
    "page",
    "department",
    "division",
    "relisted",
    "status",
    "rating",
    "plan",
]


@pytest.fixture(scope="module")
def shapes() -> CellShapes:
    return CellShapes.load()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("", "empty"),
        ("-", "placeholder"),
        ("P.43", "page"),
        ("P28", "page"),
        ("100%", "percent"),
        ("未実施", "rating"),
        ("A", "rating"),
        ("B A A", "rating_like"),
        ("企画課 80% 福祉総務課 実施", "rating_like"),
        ("福祉保健部", "department"),
        ("健康課", "division"),
        ("(広報秘書課)", "division"),
        ("○", "relisted"),
        ("(1) 学校における支援", "section"),
        ("31 ~ 34", "item_no"),
        ("教育相談事業", "short"),
        # plan wording and past reports (lexicons/cell_patterns.tsv plan_text / past_text)
        ("取組を継続。", "plan_text"),
        ("年1回実施予定", "plan_text"),
        ("情報共有を図る。", "plan_text"),
        ("講演会を開催した。", "past_text"),
        ("ほとんどの地域で開催することが難しかった。", "past_text"),
        ("教育相談所に相談員や臨床心理士を配置し、児童・生徒や保護者の相談に応じた。" * 2, "long"),
    ],
)
def test_ingest_table_align_cell_class(shapes: CellShapes, text: str, kind: str) -> None:
    assert cell_class(text, shapes) == kind


def test_ingest_table_align_exact_row_maps_directly(shapes: CellShapes) -> None:
    cells = [
        "(1) 支援",
        "相談事業",
        "P.43",
        "学校教育部",
        "指導室",
        "",
        "相談を実施した。",
        "実施",
        "継続する。",
    ]
    alignment = align_cells(cells, HEADER, shapes)
    assert alignment.mapping == tuple(range(9))
    assert not alignment.realigned


def test_ingest_table_align_missing_cell_shifts_the_rest(shapes: CellShapes) -> None:
    # 002: the empty 再掲 cell is gone, every later cell moves one column to the right
    cells = [
        "(1) 支援",
        "相談事業",
        "P.46",
        "福祉保健部",
        "健康課",
        "相談を実施した。",
        "実施",
        "継続する。",
    ]
    alignment = align_cells(cells, HEADER, shapes)
    assert alignment.mapping == (0, 1, 2, 3, 4, 6, 7, 8)
    assert alignment.realigned


def test_ingest_table_align_extra_cell_goes_to_optional_column(shapes: CellShapes) -> None:
    # 003: a 内容 cell the header does not name; the optional column absorbs it
    fields = ["section", "item", "description", *HEADER[2:]]
    cells = [
        "2-1 支援",
        "就労支援事業",
        "稼働能力を有する被保護者に対し、就労に向けた支援を行う。",
        "P37",
    ]
    cells += ["福祉・子ども部", "生活福祉課", "", "面接を実施した。", "実施", "継続実施。"]
    alignment = align_cells(cells, fields, shapes, optional=frozenset({2}))
    assert alignment.mapping == tuple(range(10))
    assert alignment.realigned  # logged: the cell went to a column the header does not name


def test_ingest_table_align_extra_cell_without_room_is_dropped(shapes: CellShapes) -> None:
    cells = ["(1) 支援", "相談事業", "P.43", "学校教育部", "指導室", "", "相談を実施した。", "100%"]
    cells += ["100%", "継続する。"]
    alignment = align_cells(cells, HEADER, shapes)
    assert alignment.mapping.count(None) == 1
    assert alignment.mapping[-1] == 8
    assert alignment.realigned


def test_ingest_table_align_whole_row_shift(shapes: CellShapes) -> None:
    # 001 line 54: the division row printed two cells to the left, two empty cells at the end
    fields = [
        "section_code",
        "item_no",
        "item",
        "description",
        "division",
        "status",
        "rating",
        "plan",
    ]
    cells = ["", "", "広報秘書課", "人権講座を開催した。", "A", "今後も継続する。", "", ""]
    alignment = align_cells(cells, fields, shapes)
    assert alignment.mapping[2:6] == (4, 5, 6, 7)
    assert alignment.realigned


def test_ingest_table_align_swap_is_exchanged_back(shapes: CellShapes) -> None:
    # 002 友愛活動事業: plan text and 100% swapped; no shift explains it, an exchange does
    cells = ["(1) 支援", "友愛活動事業", "P.45", "福祉保健部", "介護福祉課", "", "訪問を続けた。"]
    cells += ["引き続き、友愛活動により安否確認を図ります。" * 3, "100%"]
    alignment = align_cells(cells, HEADER, shapes)
    assert alignment.mapping == (0, 1, 2, 3, 4, 5, 6, 8, 7)
    assert alignment.swaps == (7,)
    assert not alignment.realigned


def test_ingest_table_align_fitting_neighbours_are_not_swapped(shapes: CellShapes) -> None:
    cells = ["(1) 支援", "友愛活動事業", "P.45", "福祉保健部", "介護福祉課", "", "訪問を続けた。"]
    cells += ["100%", "引き続き、友愛活動により安否確認を図ります。"]
    assert align_cells(cells, HEADER, shapes).swaps == ()


def test_ingest_table_align_dp_prefers_fitting_columns() -> None:
    kinds = ["short", "page", "long", "percent"]
    fields = ["item", "page", "relisted", "status", "rating"]
    assert align(kinds, fields).mapping == (0, 1, 3, 4)


def test_ingest_table_align_short_row_fills_the_first_years() -> None:
    """A row whose trailing empty cells were left off keeps its cells in the first columns."""
    fields = ["item", "status", "rating", "status", "rating"]
    assert align(["short", "long", "percent"], fields).mapping == (0, 1, 2)


def test_ingest_table_align_rating_before_its_evaluation_and_repeated(shapes: CellShapes) -> None:
    # 状況 | 30% | 評価 | 30% | 計画 (003 lines 16, 25): the rating and the evaluation are
    # exchanged back and the repeated percentage is left out, named in ``repeats``
    cells = ["研修を実施した。", "30%", "理解が深まった。", "30%", "取組を継続。"]
    aligned = align_cells(cells, ["status", "evaluation", "rating", "plan"], shapes)
    assert aligned.mapping == (0, 2, 1, None, 3)
    assert (aligned.swaps, aligned.repeats) == ((1,), (3,))


def test_ingest_table_align_plan_wording_finds_the_plan_column(shapes: CellShapes) -> None:
    # The evaluation was empty in print and its cell lost: the percentage goes to 達成度 and
    # the plan wording to the plan column, not one column early
    cells = ["相談を受けた。", "80%", "取組を継続。", ""]
    fields = ["status", "evaluation", "rating", "plan"]
    assert align_cells(cells, fields, shapes).mapping == (0, 2, 3, None)
