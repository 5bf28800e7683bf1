"""The domain user dictionary: each term is one token; an edited TSV is picked up on re-run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.lexicons import DEFAULT_DIR, Lexicons
from pipeline.text import TextLayer, default_layer


@pytest.fixture(scope="session")
def layer() -> TextLayer:
    return default_layer()


USER_TERMS = [row["surface"] for row in Lexicons().table("user_dict")]


@pytest.mark.parametrize("term", USER_TERMS)
def test_userdict_term_is_one_token(layer: TextLayer, term: str) -> None:
    tokens = layer.tokens(f"今年度は{term}で研修を実施した。")
    assert term in [token.surface for token in tokens]


def test_userdict_edited_tsv_is_picked_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lexicons = tmp_path / "lexicons"
    shutil.copytree(DEFAULT_DIR, lexicons)
    monkeypatch.setenv("HYOKA_CACHE", str(tmp_path / "cache"))
    term = "ひまわりサロン"
    text = f"{term}を開催した。"
    before = TextLayer(Lexicons(directory=lexicons)).tokens(text)
    assert term not in [token.surface for token in before]
    row = f"{term}\t4786\t5146\t3000\t名詞,固有名詞,一般,*,*,*\tヒマワリサロン\t{term}\ttest\n"
    with (lexicons / "user_dict.tsv").open("a", encoding="utf-8") as tsv:
        tsv.write(row)
    after = TextLayer(Lexicons(directory=lexicons)).tokens(text)
    assert after[0].surface == term
    assert len(list((tmp_path / "cache").glob("user_dict-*.dic"))) == 2
