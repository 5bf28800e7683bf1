"""Property-based tests: random text never breaks the normalizer, the splitter or the tokenizer."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text import TextLayer

LAYER = TextLayer()
JAPANESE = st.text(
    alphabet=st.sampled_from(
        list("研修を実施した。中止延期コロナ禍グートキーパーあつた１２３45%・○①\n\r\t 　！？「」-")
    )
    | st.characters(),
    max_size=200,
)


@settings(max_examples=150, deadline=None)
@given(JAPANESE)
def test_text_properties_normalize_is_stable_and_total(text: str) -> None:
    normalized = LAYER.normalize(text)
    assert isinstance(normalized, str)
    assert LAYER.normalize(normalized) == normalized


@settings(max_examples=150, deadline=None)
@given(JAPANESE)
def test_text_properties_offsets_point_back_at_the_original(text: str) -> None:
    for sentence in LAYER.sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text
    for hit in LAYER.typo_hits(text):
        assert text[hit.start : hit.end] == hit.wrong
    for token in LAYER.tokens(text):
        assert 0 <= token.start <= token.end <= len(text)
