"""Plots for the notebooks: matplotlib with a Japanese font, and a few small chart helpers.

``use_japanese_font()`` registers IPAexGothic (bundled by the ``matplotlib-fontja`` package,
installed by the ``notebooks`` extra) and makes it the default family, so titles, labels and
legends in Japanese render instead of empty boxes. Every helper takes a tidy table from
``pipeline.api`` or ``pipeline.terms``, draws on ``ax`` (a new figure when None) and returns the
Axes; an empty table gives an Axes that says so instead of an error.

Example:
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> use_japanese_font()
    'IPAexGothic'
    >>> missing_glyphs("令和2年度の実施状況")
    []
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.ft2font import FT2Font

EMPTY = "データがありません"
"""What an empty chart says (the notebooks pass a more specific message)."""


def use_japanese_font() -> str:
    """Make the bundled IPAexGothic matplotlib's default font family; return its name.

    Example:
        >>> use_japanese_font()
        'IPAexGothic'
    """
    import matplotlib_fontja  # registers the font and sets rcParams on import

    matplotlib_fontja.japanize()
    return str(matplotlib.rcParams["font.family"][0])


def font_path() -> str:
    """The font file matplotlib uses for text with the current default family.

    Example:
        >>> _ = use_japanese_font()
        >>> font_path().endswith("ipaexg.ttf")
        True
    """
    family = matplotlib.rcParams["font.family"]
    properties = font_manager.FontProperties(family=family)
    return str(font_manager.findfont(properties, fallback_to_default=False))


def missing_glyphs(text: str) -> list[str]:
    """The characters of ``text`` (spaces aside) that the current font cannot draw.

    Example:
        >>> _ = use_japanese_font()
        >>> missing_glyphs("実施状況 ✓")
        []
    """
    covered = FT2Font(font_path()).get_charmap()
    return sorted({char for char in text if not char.isspace() and ord(char) not in covered})


def stacked_bars(
    table: pd.DataFrame,
    title: str,
    xlabel: str = "",
    ylabel: str = "",
    ax: Axes | None = None,
    empty: str = EMPTY,
) -> Axes:
    """One bar per row of ``table``, its columns stacked (e.g. COVID kinds per fiscal year).

    Example:
        >>> table = pd.DataFrame({"中止": [3, 1], "延期": [1, 0]}, index=[2020, 2021])
        >>> stacked_bars(table, "コロナ関連の記述").get_title()
        'コロナ関連の記述'
    """
    ax = _axes(ax, (8, 4.5))
    ax.set_title(title)
    if _is_empty(table):
        return _say(ax, empty)
    labels = [_label(index) for index in table.index]
    bottom = pd.Series(0.0, index=table.index)
    palette = matplotlib.colormaps["tab20"]
    for number, column in enumerate(table.columns):
        colour = palette(number % palette.N)
        ax.bar(labels, table[column], bottom=bottom, label=str(column), color=colour)
        bottom += table[column]
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    plt.setp(ax.get_xticklabels(), rotation=30, ha="right")
    ax.legend(fontsize="small", bbox_to_anchor=(1.01, 1), loc="upper left")
    return ax


def heatmap(
    table: pd.DataFrame,
    title: str,
    xlabel: str = "",
    ylabel: str = "",
    ax: Axes | None = None,
    percent: bool = True,
    empty: str = EMPTY,
) -> Axes:
    """A colour grid of ``table`` with each value written in its cell (as % when ``percent``).

    Example:
        >>> table = pd.DataFrame({"status": [0.5, 1.0]}, index=["健康課", "保育課"])
        >>> heatmap(table, "再利用の割合").get_title()
        '再利用の割合'
    """
    ax = _axes(ax, (1.6 * max(len(table.columns), 3) + 3, 0.45 * max(len(table), 4) + 1.5))
    ax.set_title(title)
    if table.empty:
        return _say(ax, empty)
    values = table.astype(float)
    image = ax.imshow(values.to_numpy(), cmap="OrRd", aspect="auto", vmin=0)
    ax.set_xticks(range(len(values.columns)), [str(name) for name in values.columns])
    ax.set_yticks(range(len(values.index)), [_label(name) for name in values.index])
    for y, row in enumerate(values.to_numpy()):
        for x, value in enumerate(row):
            if pd.notna(value):
                text = f"{value:.0%}" if percent else f"{value:g}"
                ax.text(x, y, text, ha="center", va="center", fontsize="small")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.figure.colorbar(image, ax=ax)
    return ax


def bars(
    values: pd.Series,
    title: str,
    xlabel: str = "",
    ax: Axes | None = None,
    empty: str = EMPTY,
) -> Axes:
    """Horizontal bars of ``values``, the first at the top (e.g. a term's TF-IDF scores).

    Example:
        >>> bars(pd.Series({"相談": 0.5, "研修": 0.3}), "特徴語").get_yticklabels()[-1].get_text()
        '相談'
    """
    ax = _axes(ax, (6, 0.35 * max(len(values), 4) + 1))
    ax.set_title(title)
    if values.empty:
        return _say(ax, empty)
    ax.barh([_label(index) for index in values.index[::-1]], values.to_numpy()[::-1])
    ax.set_xlabel(xlabel)
    return ax


@dataclass(frozen=True)
class Note:
    """A message shown in place of an empty table (notebooks display it as text)."""

    text: str

    def _repr_html_(self) -> str:
        return f"<p><em>{html.escape(self.text)}</em></p>"

    def __repr__(self) -> str:
        return self.text


def table_or_note(table: pd.DataFrame, message: str) -> pd.DataFrame | Note:
    """``table`` itself, or a ``Note`` saying ``message`` when it has no rows.

    Example:
        >>> table_or_note(pd.DataFrame(), "検出結果はまだありません")
        検出結果はまだありません
    """
    return Note(message) if table.empty else table


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    _, new = plt.subplots(figsize=size, layout="constrained")
    return new


def _is_empty(table: pd.DataFrame) -> bool:
    return table.empty or not table.to_numpy().any()


def _say(ax: Axes, message: str) -> Axes:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()
    return ax


def _label(index: object) -> str:
    return " ".join(map(str, index)) if isinstance(index, tuple) else str(index)
