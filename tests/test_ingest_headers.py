"""Header labels of the real samples map to fields and years through lexicons/headers.tsv."""

from __future__ import annotations

from pathlib import Path

from pipeline.ingest.headers import HeaderRules

SAMPLES = Path(__file__).parents[1] / "data" / "samples"


def _header(name: str, line: int) -> list[str]:
    return (SAMPLES / name).read_text(encoding="utf-8").splitlines()[line - 1].split("\t")


def test_headers_002_years_and_fields() -> None:
    columns = HeaderRules.load().columns(_header("002_fb856b526bbf0244.txt", 3))
    assert [(c.field, c.year) for c in columns[6:]] == [
        ("status", 2020),
        ("evaluation", 2020),
        ("rating", 2020),
        ("plan", 2020),
        ("status", 2021),
        ("evaluation", 2021),
        ("rating", 2021),
        ("plan", 2021),
    ]
    assert [c.field for c in columns[:6]] == [
        "section",
        "item",
        "page",
        "department",
        "division",
        "relisted",
    ]


def test_headers_003_plan_written_the_year_before_it_names() -> None:
    columns = HeaderRules.load().columns(_header("003_a91a11d8f2677ccb.txt", 3))
    plans = [(c.label, c.year) for c in columns if c.field == "plan"]
    assert plans == [("令和4年度の実施計画", 2021), ("今後(令和5年度以降)の実施計画", 2022)]
    assert (columns[-1].field, columns[-1].year) == ("status", 2023)


def test_headers_001_rating_and_plan_inherit_the_status_year() -> None:
    labels = [
        "施策 No.",
        "事業 No.",
        "【個別事業・取り組み】",
        "内容",
        "担当課",
        "事業実績・評価理由 (令和6年度)",
        "事業評価",
        "今後の事業計画・展望",
    ]
    columns = HeaderRules.load().columns(labels)
    assert [(c.field, c.year) for c in columns] == [
        ("section_code", None),
        ("item_no", None),
        ("item", None),
        ("description", None),
        ("division", None),
        ("status", 2024),
        ("rating", 2024),
        ("plan", 2024),
    ]


def test_headers_unknown_label_is_unknown() -> None:
    assert HeaderRules.load().columns(["チェック欄"])[0].field == "unknown"
