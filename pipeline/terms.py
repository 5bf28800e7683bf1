"""Terms of the narrative: frequent and distinctive words per plan and year, KWIC, co-occurrence.

Everything reads the Sudachi token table of a result (``result.tokens``, see ``pipeline.text``).
A *term* is a content word in its Sudachi normalized form (子ども -> 子供, できる -> 出来る):
a noun that is not a number, counter or adverbial noun, or an independent verb (行う, 図る; not
する / いる / ある), leaving out hiragana-only words of at most two characters (こと, よる).
A *phrase* is a run of two or more consecutive nouns as written (ゲートキーパー + 養成 + 研修).
"Per plan" means per source document: one document reports on one plan.

Example:
    >>> from pipeline.api import analyze
    >>> result = analyze("data/samples/002_fb856b526bbf0244.txt")
    >>> top = top_terms(result, top=3)
    >>> top.columns.tolist()
    ['source', 'fiscal_year', 'rank', 'term', 'score', 'count']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline.runner import Result

NOUN = "名詞"
VERB = "動詞"
SKIPPED_NOUNS: tuple[str, ...] = ("数詞", "普通名詞-助数詞可能", "普通名詞-副詞可能")
"""Noun details (``pos_detail`` prefixes) that are not terms: numbers, counters, ため / 中."""
VERB_DETAILS: tuple[str, ...] = ("一般",)
"""Verb details that are terms (非自立可能 verbs such as する, いる, できる are not)."""
_SHORT_KANA = re.compile(r"[\u3041-\u309f]{1,2}")
UNIT: tuple[str, ...] = ("entry_id", "field", "sentence")
"""A sentence of one cell: the unit of co-occurrence."""
TERM_COLUMNS: tuple[str, ...] = (*UNIT, "position", "term")


def content_terms(tokens: pd.DataFrame) -> pd.DataFrame:
    """The content words of a token table, one row each, ``term`` = normalized form.

    Example:
        >>> from pipeline.text import tokens_frame
        >>> cells = pd.DataFrame({"status": ["相談窓口を2回周知することができた。"]})
        >>> content_terms(tokens_frame(cells))["term"].tolist()
        ['相談窓口', '周知']
    """
    nouns = (tokens["pos"] == NOUN) & ~tokens["pos_detail"].str.startswith(SKIPPED_NOUNS)
    verbs = (tokens["pos"] == VERB) & tokens["pos_detail"].isin(VERB_DETAILS)
    short = tokens["normalized"].str.fullmatch(_SHORT_KANA)
    kept = tokens[(nouns | verbs) & ~short]
    return kept.assign(term=kept["normalized"])[list(TERM_COLUMNS)].reset_index(drop=True)


def noun_phrases(tokens: pd.DataFrame) -> pd.DataFrame:
    """Runs of two or more consecutive nouns within a sentence, as written (numbers, counters
    and adverbial nouns break a run).

    Example:
        >>> from pipeline.text import tokens_frame
        >>> cells = pd.DataFrame({"status": ["ゲートキーパー養成研修を開催した。"]})
        >>> noun_phrases(tokens_frame(cells))["term"].tolist()
        ['ゲートキーパー養成研修']
    """
    nouns = tokens[(tokens["pos"] == NOUN) & ~tokens["pos_detail"].str.startswith(SKIPPED_NOUNS)]
    nouns = nouns.sort_values([*UNIT, "position"])
    breaks = (nouns[list(UNIT)] != nouns[list(UNIT)].shift()).any(axis=1)
    breaks |= nouns["position"].diff() != 1
    grouped = nouns.groupby(breaks.cumsum())
    runs = pd.DataFrame(
        {
            **{name: grouped[name].first() for name in UNIT},
            "position": grouped["position"].first(),
            "term": grouped["surface"].agg("".join),
            "size": grouped.size(),
        }
    )
    return runs[runs["size"] >= 2][list(TERM_COLUMNS)].reset_index(drop=True)


def term_table(result: Result, kind: str = "term") -> pd.DataFrame:
    """Terms (``kind="term"``) or phrases (``kind="phrase"``) with their entry's source, year,
    item and division.

    Example:
        >>> from pipeline.api import analyze
        >>> table = term_table(analyze("data/samples/002_fb856b526bbf0244.txt"))
        >>> {"source", "fiscal_year", "term"} <= set(table.columns)
        True
    """
    extract = {"term": content_terms, "phrase": noun_phrases}[kind]
    terms = extract(result.tokens)
    context = result.entries[["source", "fiscal_year", "item_id", "item", "division"]]
    return terms.join(context, on="entry_id")


def top_terms(
    result: Result,
    by: Sequence[str] = ("source", "fiscal_year"),
    kind: str = "term",
    top: int = 10,
    max_df: float = 1.0,
) -> pd.DataFrame:
    """The ``top`` terms of each group by TF-IDF (a group = one document of the corpus).

    TF-IDF with scikit-learn: a term frequent in this plan-year but rare in the others ranks
    high; ``count`` is its raw frequency in the group. ``max_df`` < 1 leaves out the terms found
    in more than that share of the groups (行う, 実施: everywhere, so saying little).

    Example:
        >>> from pipeline.api import analyze
        >>> top = top_terms(analyze("data/samples/003_a91a11d8f2677ccb.txt"), top=1)
        >>> top["fiscal_year"].tolist()
        [2019, 2020, 2021, 2022, 2023]
    """
    terms = term_table(result, kind)
    columns = [*by, "rank", "term", "score", "count"]
    if terms.empty:
        return pd.DataFrame(columns=columns)
    groups = terms.groupby(list(by), sort=True)["term"].agg(list)
    vectorizer = TfidfVectorizer(analyzer=list, lowercase=False, max_df=max_df)
    try:
        matrix = vectorizer.fit_transform(groups.tolist())
    except ValueError:  # every term pruned by max_df
        return pd.DataFrame(columns=columns)
    scores = pd.DataFrame(
        matrix.toarray(),
        index=groups.index,
        columns=vectorizer.get_feature_names_out(),
    )
    rows = []
    for (key, row), words in zip(scores.iterrows(), groups, strict=True):
        counts = Counter(words)
        best = row[row > 0].sort_values(ascending=False, kind="mergesort").head(top)
        keys = key if isinstance(key, tuple) else (key,)
        for rank, (term, score) in enumerate(best.items(), start=1):
            rows.append([*keys, rank, term, round(float(score), 4), counts[str(term)]])
    return pd.DataFrame(rows, columns=columns)


def kwic(result: Result, term: str, width: int = 15, limit: int | None = None) -> pd.DataFrame:
    """Keyword in context: every token whose normalized form, lemma or surface is ``term``,
    with ``width`` characters of its cell on each side.

    Example:
        >>> from pipeline.api import analyze
        >>> lines = kwic(analyze("data/samples/002_fb856b526bbf0244.txt"), "ゲートキーパー")
        >>> lines.columns.tolist()
        ['source', 'fiscal_year', 'item', 'field', 'left', 'keyword', 'right']
    """
    tokens = result.tokens
    hits = tokens[
        (tokens["normalized"] == term) | (tokens["lemma"] == term) | (tokens["surface"] == term)
    ]
    if limit is not None:
        hits = hits.head(limit)
    rows = []
    for entry_id, field, start, end in zip(
        hits["entry_id"], hits["field"], hits["start"], hits["end"], strict=True
    ):
        entry = result.entries.loc[entry_id]
        text = str(entry[field])
        rows.append(
            [
                entry["source"],
                entry["fiscal_year"],
                entry["item"],
                field,
                text[max(0, start - width) : start],
                text[start:end],
                text[end : end + width],
            ]
        )
    columns = ["source", "fiscal_year", "item", "field", "left", "keyword", "right"]
    return pd.DataFrame(rows, columns=columns)


def cooccurring(result: Result, term: str, top: int = 15) -> pd.DataFrame:
    """Terms found in the same sentences as ``term``, most frequent first.

    ``sentences``: sentences holding both; ``share``: of the sentences holding ``term``;
    ``lift``: that share over the term's share among all sentences (> 1 = drawn together).

    Example:
        >>> from pipeline.api import analyze
        >>> near = cooccurring(analyze("data/samples/003_a91a11d8f2677ccb.txt"), "ゲートキーパー")
        >>> "研修" in near["term"].tolist()
        True
    """
    terms = content_terms(result.tokens).drop_duplicates([*UNIT, "term"])
    keys = pd.MultiIndex.from_frame(terms[list(UNIT)])
    with_term = keys[(terms["term"] == term).to_numpy()].unique()
    columns = ["term", "sentences", "share", "lift"]
    if with_term.empty:
        return pd.DataFrame(columns=columns)
    near = terms[keys.isin(with_term) & (terms["term"] != term).to_numpy()]
    counts = near["term"].value_counts()
    overall = terms["term"].value_counts() / keys.unique().size
    table = pd.DataFrame(
        {
            "term": counts.index,
            "sentences": counts.to_numpy(),
            "share": (counts / with_term.size).round(3).to_numpy(),
            "lift": (counts / with_term.size / overall[counts.index]).round(2).to_numpy(),
        }
    )
    return table.head(top)
