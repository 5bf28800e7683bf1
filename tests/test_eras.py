"""Era years in headers become Western fiscal years."""

from __future__ import annotations

import pytest

from pipeline.eras import era_year, era_years


@pytest.mark.parametrize(
    ("label", "year"),
    [
        ("令和２年度実施状況", 2020),
        ("令和元年度実施状況に関する担当課の評価", 2019),
        ("今後(令和4年度以降)の実施計画", 2022),
        ("H30", 2018),
        ("R6", 2024),
        ("平成30年度", 2018),
        ("Ｒ５", 2023),
        ("達成度（％）", None),
    ],
)
def test_eras_era_year(label: str, year: int | None) -> None:
    assert era_year(label) == year


def test_eras_all_years_in_order() -> None:
    assert era_years("令和3年度実施状況 令和4年度の実施計画") == [2021, 2022]
