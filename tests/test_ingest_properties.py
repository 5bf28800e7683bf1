"""Property-based tests: random text and random tables never break the reader."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.ingest import read
from pipeline.ingest.sources import ReadError, decode

HEADER = "計画における項目\t実施内容\t計画書ページ\t担当部署\t担当課\t令和2年度実施状況\t達成度(%)"
CELLS = st.sampled_from(
    [
        "",
        "-",
        "P.32",
        "健康課",
        "福祉保健部",
        "100%",
        "実施",
        "未実施",
        "A",
        "研修を実施した。",
        "(1) 支援",
        "重点施策1 推進",
        "<b>x</b>",
        "=1+2",
        "\u3000",
        "令和3年度",
    ]
) | st.text(max_size=30)


def _check(path: Path) -> None:
    tables = read([path])
    for row in tables.report.to_dict("records"):
        if not row["error"]:
            assert row["lines_read"] == row["lines_used"] + row["lines_skipped"]
    assert len(tables.errors) == (tables.report["error"] != "").sum()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_properties_random_bytes_never_raise(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.txt"
        path.write_bytes(data)
        _check(path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELLS, max_size=12), max_size=25))
def test_properties_random_tables_keep_the_accounting(rows: list[list[str]]) -> None:
    text = "\n".join([HEADER, *("\t".join(cells) for cells in rows)])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.txt"
        path.write_text(text.replace("\r", ""), encoding="utf-8")
        _check(path)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=500))
def test_properties_decode_raises_only_read_error(data: bytes) -> None:
    try:
        text, encoding = decode(data, "x.txt")
    except ReadError as error:
        assert str(error).startswith("x.txt: ")
    else:
        assert isinstance(text, str)
        assert encoding
