"""One plan over several files: name each document's plan, link its items across yearly files.

A committee compares this year's sheet with last year's. Files whose titles are the same once
the years are taken out (令和5年度 ○○評価表 / 令和6年度 ○○評価表, or jimu_R5.csv / jimu_R6.csv)
and whose latest fiscal years differ are one plan, one file per year. An item of the later file
is the item of the earlier file with the same printed id when the ids are stable (the same id
names a similar item), else with a near-identical name in the same division (rapidfuzz). A
linked item takes the earlier item's ``item_id``; every link is logged with its method and score.

Example:
    >>> series_key("令和6年度 健康づくり計画 評価表") == series_key("R5健康づくり計画評価表")
    True
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any

import pandas as pd
from rapidfuzz import fuzz

from pipeline.eras import without_years
from pipeline.ingest.headers import HeaderRules
from pipeline.ingest.sources import SourceDoc

LINK_COLUMNS: tuple[str, ...] = (
    "plan_name",  # the plan the files belong to
    "source",  # the later file
    "source_item",  # the item's own id in the later file, before linking
    "item_id",  # the id it takes: the earlier item's
    "item",  # its name as printed in the later file
    "linked_source",  # the earlier file
    "linked_item",  # the earlier item's name as printed there
    "method",  # id: the same printed id; name: a near-identical name in the same division
    "score",  # name similarity in [0, 1]
)
_NOISE_RE = re.compile(r"[\s\W_\d]+")


def document_title(doc: SourceDoc, rules: HeaderRules) -> str:
    """The title printed above a document's first table header, or ''.

    Example:
        >>> from pathlib import Path
        >>> from pipeline.ingest.sources import Row
        >>> doc = SourceDoc("a.csv", Path("a.csv"), "utf-8", [
        ...     Row(0, 1, "1", ["令和6年度 健康計画 評価表"]),
        ...     Row(1, 2, "2", ["事業名", "担当課", "実施状況"])])
        >>> document_title(doc, HeaderRules.load())
        '令和6年度 健康計画 評価表'
    """
    for row in doc.rows:
        text = " ".join(cell.strip() for cell in row.cells if cell.strip())
        if rules.count_labels(row.cells) >= 2 or _names_columns(text, rules):
            return ""
        if len(_NOISE_RE.sub("", text)) >= 4:
            return re.sub(r"<[^>]*>", "", text).strip()
    return ""


_COLUMN_FIELDS = frozenset({"section", "item", "item_no", "department", "division"})
"""Labels a header line prints and a title does not (実施内容, 担当課; a title may well name a
計画 or a 評価表)."""


def _names_columns(text: str, rules: HeaderRules) -> bool:
    """Whether a line of running text is a header line (PDF layout text prints one per line).

    Example:
        >>> rules = HeaderRules.load()
        >>> _names_columns("計画における項目 実施内容 計画書", rules)
        True
        >>> _names_columns("令和5年度 健康づくり計画 進捗状況評価表", rules)
        False
    """
    found = [rules.match(label) for label in rules.labels_in_line(text)]
    return sum(rule is not None and rule.field in _COLUMN_FIELDS for rule in found) >= 2


def series_key(title: str) -> str:
    """A title without its years, digits, spaces and punctuation: the files of one plan share it.

    Example:
        >>> series_key("jimu_R6.csv".removesuffix(".csv")), series_key("令和元年度　評価表")
        ('jimu', '評価表')
    """
    return _NOISE_RE.sub("", without_years(title)).lower()


def link_series(
    entries: pd.DataFrame, titles: Mapping[str, str], settings: Mapping[str, Any]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Give each entry its ``plan_name`` and link the items of yearly files of one plan.

    ``titles`` maps each source to its title (or file stem). Returns the entries (``plan_name``
    filled, linked items' ``item_id`` replaced) and the links table (``LINK_COLUMNS``).
    """
    entries = entries.copy()
    latest = {str(k): v for k, v in entries.groupby("source")["fiscal_year"].max().items()}
    series: dict[str, list[str]] = defaultdict(list)
    for source in dict.fromkeys(entries["source"]):
        series[series_of(titles.get(source, ""), source)].append(source)
    plans = {source: titles.get(source, source) for source in titles}
    links: list[dict[str, object]] = []
    for members in series.values():
        yearly = _yearly(members, latest)
        if len(yearly) < 2:
            continue
        name = _common_title([titles.get(source, source) for source in yearly])
        for earlier, later in pairwise(yearly):
            found = _link_pair(entries, earlier, later, settings)
            _adopt(entries, later, found)
            links += [{**link, "plan_name": name} for link in found]
        plans.update(dict.fromkeys(yearly, name))
    entries["plan_name"] = entries["source"].map(plans).fillna(entries["source"])
    return entries, pd.DataFrame(links, columns=list(LINK_COLUMNS))


def series_of(title: str, source: str) -> str:
    """The key that groups one plan's files: the title without its years, else the source.

    Example:
        >>> series_of("令和6年度 評価表", "a.csv"), series_of("", "b.csv")
        ('評価表', 'bcsv')
    """
    return series_key(title or source) or source


def is_yearly_series(latest: Sequence[Any]) -> bool:
    """Whether files of one series key are one plan's yearly files: their latest years all
    differ (files sharing a latest year are parts of one document, two extractions or two
    chapters, and are not linked).

    Example:
        >>> is_yearly_series([2023, 2024]), is_yearly_series([2024, 2024]), is_yearly_series([None])
        (True, False, False)
    """
    years = [int(str(year)) for year in latest if year is not None and pd.notna(year)]
    return len(set(years)) == len(latest)


def _yearly(members: Sequence[str], latest: Mapping[str, Any]) -> list[str]:
    """The members ordered by their latest year, or none when they are no yearly series."""
    if not is_yearly_series([latest.get(source) for source in members]):
        return []
    return sorted(members, key=lambda source: int(latest[source]))


def _common_title(titles: Sequence[str]) -> str:
    """The later title with its years taken out (the plan's name across its years)."""
    plain = re.sub(r"\s+", " ", without_years(titles[-1])).strip(" _-()（）")
    return plain or titles[-1]


def _items(entries: pd.DataFrame, source: str) -> pd.DataFrame:
    rows = entries[entries["source"] == source]
    return rows.drop_duplicates("item_id")[["item_id", "item_no", "item", "division"]]


def _link_pair(
    entries: pd.DataFrame, earlier: str, later: str, settings: Mapping[str, Any]
) -> list[dict[str, object]]:
    """Links from the items of ``later`` to those of ``earlier``: by id when the ids are
    stable, the rest by name and division."""
    old, new = _items(entries, earlier), _items(entries, later)
    threshold = float(settings["link_name_score"])
    links: list[dict[str, object]] = []
    taken: set[str] = set()
    if _ids_stable(old, new, float(settings["link_id_name_score"])):
        by_no = {str(no): row for row in old.itertuples() for no in [row.item_no] if no}
        for row in new.itertuples():
            match = by_no.get(str(row.item_no)) if row.item_no else None
            if match is not None and match.item_id not in taken:
                taken.add(str(match.item_id))
                links.append(_link(later, row, earlier, match, "id"))
    linked = {link["source_item"] for link in links}
    candidates = [
        (_similarity(row.item, match.item), row, match)
        for row in new.itertuples()
        if row.item_id not in linked
        for match in old.itertuples()
        if _same_division(row.division, match.division)
    ]
    for score, row, match in sorted(candidates, key=lambda c: (-c[0], c[1].Index, c[2].Index)):
        if score < threshold or row.item_id in linked or match.item_id in taken:
            continue
        linked.add(str(row.item_id))
        taken.add(str(match.item_id))
        links.append(_link(later, row, earlier, match, "name", score))
    return links


def _ids_stable(old: pd.DataFrame, new: pd.DataFrame, score: float) -> bool:
    """Printed ids are stable when most ids the two files share name a similar item."""
    names = {str(no): name for no, name in zip(old["item_no"], old["item"], strict=True) if no}
    shared = [(names[str(no)], name) for no, name in zip(new["item_no"], new["item"], strict=True)
              if no and str(no) in names]  # fmt: skip
    if not shared:
        return False
    similar = sum(_similarity(a, b) >= score for a, b in shared)
    return similar >= 0.8 * len(shared)


_KEPT_NAME = 0.9
"""The similarity of a name that only gained or lost words around it (健康教室 -> 健康教室事業)."""
_KEPT_CHARS = 4
"""... when the shorter name has at least this many characters."""


def _similarity(a: object, b: object) -> float:
    """Name similarity in [0, 1] on NFKC text without spaces (rapidfuzz ratio).

    Example:
        >>> _similarity("健康教室", "健康教室事業"), _similarity("健康教室", "料理教室")
        (0.9, 0.5)
    """
    left, right = sorted((_plain(a), _plain(b)), key=len)
    score = float(fuzz.ratio(left, right)) / 100.0
    if len(left) >= _KEPT_CHARS and left in right:
        score = max(score, _KEPT_NAME)
    return round(score, 3)


def _same_division(a: object, b: object) -> bool:
    return not _plain(a) or not _plain(b) or _plain(a) == _plain(b)


def _plain(text: object) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text)).split())


def _link(
    later: str, row: Any, earlier: str, match: Any, method: str, score: float | None = None
) -> dict[str, object]:
    return {
        "source": later,
        "source_item": row.item_id,
        "item_id": match.item_id,
        "item": row.item,
        "linked_source": earlier,
        "linked_item": match.item,
        "method": method,
        "score": round(_similarity(row.item, match.item) if score is None else score, 3),
    }


def _adopt(entries: pd.DataFrame, later: str, links: Sequence[Mapping[str, object]]) -> None:
    """The later file's linked items take the earlier items' ids (in place)."""
    ids = {link["source_item"]: link["item_id"] for link in links}
    rows = entries["source"] == later
    entries.loc[rows, "item_id"] = entries.loc[rows, "item_id"].map(lambda i: ids.get(i, i))
