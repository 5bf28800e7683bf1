"""pipeline.plots: Japanese labels render with a font that has their glyphs (Agg backend)."""

from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.ft2font import FT2Font

from pipeline import plots

TITLE = "年度別のコロナ関連の記述（種類別）"
KINDS = ["コロナを理由とした中止", "延期", "縮小・オンライン化"]
LABELS = ["令和元年度", "令和２年度", "担当課の評価"]


@pytest.fixture(autouse=True)
def close_figures() -> None:
    yield
    plt.close("all")


def test_plots_font_is_bundled_ipaexgothic() -> None:
    assert plots.use_japanese_font() == "IPAexGothic"
    assert Path(plots.font_path()).name == "ipaexg.ttf"


def test_plots_font_covers_every_label_character() -> None:
    plots.use_japanese_font()
    text = TITLE + "".join(KINDS + LABELS) + "件数％"
    charmap = FT2Font(plots.font_path()).get_charmap()
    assert all(ord(char) in charmap for char in text)
    assert plots.missing_glyphs(text) == []


def test_plots_missing_glyphs_names_what_the_font_lacks() -> None:
    plots.use_japanese_font()
    assert plots.missing_glyphs("実施\U0001f9a0") == ["\U0001f9a0"]  # microbe emoji


def test_plots_render_japanese_png_without_glyph_warnings(tmp_path: Path) -> None:
    plots.use_japanese_font()
    table = pd.DataFrame([[3, 1, 2], [5, 0, 4], [1, 1, 0]], index=LABELS, columns=KINDS)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax = plots.stacked_bars(table, TITLE, "年度", "件数")
        ax.figure.savefig(tmp_path / "plot.png", dpi=80)
    assert not [w for w in caught if "Glyph" in str(w.message) or "missing" in str(w.message)]
    assert (tmp_path / "plot.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert ax.get_title() == TITLE
    assert [text.get_text() for text in ax.get_legend().get_texts()] == KINDS
    assert [label.get_text() for label in ax.get_xticklabels()] == LABELS


def test_plots_heatmap_writes_percent_in_cells() -> None:
    table = pd.DataFrame(
        {"実施状況": [0.5, 1.0], "今後の実施計画": [0.25, None]}, index=["健康課", "保育課"]
    )
    ax = plots.heatmap(table, "再利用率")
    assert sorted(text.get_text() for text in ax.texts) == ["100%", "25%", "50%"]
    assert [label.get_text() for label in ax.get_yticklabels()] == ["健康課", "保育課"]


def test_plots_empty_tables_draw_a_message() -> None:
    ax = plots.stacked_bars(pd.DataFrame(), "題", empty="検出結果がありません")
    assert [text.get_text() for text in ax.texts] == ["検出結果がありません"]
    assert plots.heatmap(pd.DataFrame(), "題").texts[0].get_text() == plots.EMPTY
    assert plots.bars(pd.Series(dtype=float), "題").texts[0].get_text() == plots.EMPTY


def test_plots_bars_put_the_first_value_on_top() -> None:
    ax = plots.bars(pd.Series({"相談": 3.0, "研修": 2.0, "周知": 1.0}), "頻出語")
    assert [label.get_text() for label in ax.get_yticklabels()] == ["周知", "研修", "相談"]


def test_plots_table_or_note() -> None:
    table = pd.DataFrame({"a": [1]})
    assert plots.table_or_note(table, "なし") is table
    note = plots.table_or_note(table.iloc[:0], "<なし>")
    assert isinstance(note, plots.Note)
    assert note._repr_html_() == "<p><em>&lt;なし&gt;</em></p>"
