"""Session fixtures: the samples read once, one text layer (one tokenizer) for the whole run."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.detectors import Context
from pipeline.ingest import Tables, read
from pipeline.lexicons import Lexicons

SAMPLES = Path(__file__).parents[1] / "data" / "samples"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """The project's own copy of the five sample documents."""
    return SAMPLES


@pytest.fixture(scope="session")
def lexicons() -> Lexicons:
    """The project's lexicons."""
    return Lexicons()


@pytest.fixture(scope="session")
def sample_tables() -> Tables:
    """All five samples, read once."""
    return read([SAMPLES])


@pytest.fixture(scope="session")
def sample_entries(sample_tables: Tables) -> pd.DataFrame:
    """The entries of all five samples."""
    return sample_tables.entries


@pytest.fixture(scope="session")
def context(lexicons: Lexicons, sample_tables: Tables) -> Context:
    """A detector context over the samples, with the session's text layer."""
    return Context.build(lexicons, sample_tables.indicators, sample_tables.repairs)
