"""A PDF of a table reads like the TSV export of the same table; bad PDFs are named, never a
traceback. Every PDF is drawn here with reportlab (``tests/pdf_helpers.py``) from rows of cells.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pdfplumber
import pytest
from pdf_helpers import CHROMIUM, PAGE, build, html_pdf, split_pdf, table_pdf
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph

from pipeline.cli import main
from pipeline.ingest import Tables, read
from pipeline.ingest.sources import load_rows

SAMPLES = Path(__file__).parents[1] / "data" / "samples"
PDF_SAMPLES = ["001_28fb2938c92c7781.txt", "002_fb856b526bbf0244.txt", "004_e0cedbc2d3263efb.txt"]
"""Tab-separated samples drawn as PDFs (000 is layout text with no cells; 003 reads the same
way but takes ~10 s, too long for the suite: see the measurements in the branch report)."""
UNRULED = [PDF_SAMPLES[1], PDF_SAMPLES[2]]
"""Samples also drawn without rules: 002 (one table per page) and 004 (a table per heading,
several on a page, each with its own header)."""
KEYS = ["item_id", "item_no", "section", "item", "department", "division", "page", "fiscal_year"]
TEXTS = ["status", "evaluation", "rating", "plan"]
HEADER = ["番号", "事業名称", "担当課", "令和5年度実施状況", "令和5年度達成度"]
ITEMS = [
    [
        "1",
        "ゲートキーパー養成講座",
        "健康課",
        "市民向けに講座を3回開催し、延べ85人が受講した。",
        "実施",
    ],
    [
        "2",
        "地域包括支援センター総合相談支援業務",
        "介護福祉課",
        "高齢者の総合相談窓口として、関係機関と連携しながら相談・援助を行った。",
        "100%",
    ],
    ["3", "こころの健康相談", "健康課", "精神科医による相談を月1回実施した。", "実施"],
]


def _read_as(path: Path, source: str = "plan") -> Tables:
    """Read one file under a fixed source name, so that item ids compare across formats."""
    return read([path], names={path: source})


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


WAVE_DASH = str.maketrans("～", "〜")
"""Noto Sans CJK maps its wave glyph back to 〜 (U+301C) whichever of 〜 ～ was printed."""


def _squeeze(text: object) -> str:
    """The text without spaces, and with one wave dash."""
    return "".join(str(text).translate(WAVE_DASH).split())


@pytest.fixture(scope="module")
def sample_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each tab-separated sample printed as a ruled PDF, and 002 also without rules."""
    folder = tmp_path_factory.mktemp("pdf")
    pdfs = {}
    for name in PDF_SAMPLES:
        rows = [row.cells for row in load_rows(SAMPLES / name).rows]
        pdfs[name] = _write(folder, name.replace(".txt", ".pdf"), table_pdf(rows))
    for name in UNRULED:
        rows = [row.cells for row in load_rows(SAMPLES / name).rows]
        pdfs[f"unruled {name}"] = _write(
            folder, f"unruled_{name}.pdf", table_pdf(rows, ruled=False)
        )
    return pdfs


@pytest.fixture(scope="module")
def sample_tables(sample_pdfs: dict[str, Path]) -> dict[str, Tables]:
    return {name: _read_as(path) for name, path in sample_pdfs.items()}


def _assert_same_entries(pdf: pd.DataFrame, tsv: pd.DataFrame, *, exact_keys: bool = True) -> None:
    """The same entries: keys equal, texts equal but for spaces at line ends, which a PDF does
    not print (``参加者5名。 糖尿病…`` wrapped after the space reads ``参加者5名。糖尿病…``).
    Without ``exact_keys`` such a space may be missing from a key too (an item name wrapped
    after its space gets another item id)."""
    assert len(tsv) > 0
    if exact_keys:
        pd.testing.assert_frame_equal(pdf[KEYS], tsv[KEYS])
    compared = TEXTS if exact_keys else [*KEYS[1:], *TEXTS]
    for field in compared:
        assert pdf[field].map(_squeeze).tolist() == tsv[field].map(_squeeze).tolist(), field


_SPLIT_BY_SPACES = pytest.mark.xfail(
    strict=True,
    reason="001 lines 70 and 114 split by division in the text export, whose paragraphs are "
    "separated by spaces; the PDF joins wrapped lines without spaces, so the paragraphs no longer "
    "split and the rows stay whole (logged as division_not_split)",
)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=_SPLIT_BY_SPACES) if name.startswith("001") else name
        for name in PDF_SAMPLES
    ],
)
def test_pdf_sample_reads_like_the_tsv(name: str, sample_tables: dict[str, Tables]) -> None:
    pdf, tsv = sample_tables[name], _read_as(SAMPLES / name)
    assert pdf.errors == []
    assert pdf.report.loc[0, "encoding"] == "pdf"
    assert pdf.report.loc[0, "layout"] == tsv.report.loc[0, "layout"]
    _assert_same_entries(pdf.entries, tsv.entries)
    compared = ["indicator", "fiscal_year", "value"]
    pd.testing.assert_frame_equal(pdf.indicators[compared], tsv.indicators[compared])
    assert (
        pdf.opinions["text"].map(_squeeze).tolist() == tsv.opinions["text"].map(_squeeze).tolist()
    )


def test_pdf_indicator_moved_across_a_page_break(sample_tables: dict[str, Tables]) -> None:
    """004 prints 虐待相談件数 under item 1 and the reader moves it to item 2; in the PDF a page
    break and the same header again stand between them, which must not settle the row."""
    name = PDF_SAMPLES[2]
    pdf, tsv = sample_tables[name].indicators, _read_as(SAMPLES / name).indicators
    assert pdf["item_id"].tolist() == tsv["item_id"].tolist()


def test_pdf_table_over_several_pages_skips_repeated_headers(
    sample_pdfs: dict[str, Path], sample_tables: dict[str, Tables]
) -> None:
    with pdfplumber.open(sample_pdfs[PDF_SAMPLES[1]]) as pdf:
        assert len(pdf.pages) > 3
    tables = sample_tables[PDF_SAMPLES[1]]
    skips = tables.skips.set_index("reason")["lines"]
    assert skips["repeated_header"] >= 3
    pages = tables.entries["source_line"].str.extract(r"^p\.(\d+) 行\d+$")[0].astype(int)
    assert pages.is_monotonic_increasing and pages.max() > 3


def test_pdf_wrapped_cell_lines_join_without_spaces(
    sample_pdfs: dict[str, Path], sample_tables: dict[str, Tables]
) -> None:
    with pdfplumber.open(sample_pdfs[PDF_SAMPLES[1]]) as pdf:
        raw = pdf.pages[0].extract_tables()[0][2]
    item_cell = next(cell for cell in raw if cell and cell.startswith("1 学校内"))
    assert item_cell.count("\n") >= 1
    entries = sample_tables[PDF_SAMPLES[1]].entries
    assert entries.loc[0, "item"] == "学校内における相談体制の充実"


def test_pdf_typed_line_break_reads_as_a_space_wrapped_line_as_nothing(tmp_path: Path) -> None:
    typed = "研修会<br/>年3回<br/>ゲートキーパー養成講座を市民向けに開催した。"
    row = ["1", "ゲートキーパー養成講座", "健康課", typed, "実施"]
    pdf = _write(tmp_path, "breaks.pdf", split_pdf([[HEADER, row]], markup=True))
    status = _read_as(pdf).entries.loc[0, "status"]
    assert status == "研修会 年3回 ゲートキーパー養成講座を市民向けに開催した。"


@pytest.mark.parametrize("name", UNRULED)
def test_pdf_without_rules_reads_like_the_tsv(name: str, sample_tables: dict[str, Tables]) -> None:
    pdf, tsv = sample_tables[f"unruled {name}"], _read_as(SAMPLES / name)
    _assert_same_entries(pdf.entries, tsv.entries)
    compared = ["indicator", "fiscal_year", "value"]
    pd.testing.assert_frame_equal(pdf.indicators[compared], tsv.indicators[compared])


def _cut(row: list[str], at: float, *, keys: bool) -> tuple[list[str], list[str]]:
    """A row cut by a page break: the first part of every cell, and the rest (key cells
    empty unless ``keys``, as when a short cell fitted on the first page)."""
    first, rest = [], []
    for index, cell in enumerate(row):
        cut = round(len(cell) * at) if keys or index >= 3 else len(cell)
        first.append(cell[:cut])
        rest.append(cell[cut:])
    return first, rest


@pytest.mark.parametrize(
    ("open_bottom", "keys"),
    [(True, True), (False, False)],
    ids=["no-rule-under-the-cut-row", "cut-row-without-key-cells"],
)
def test_pdf_row_cut_by_a_page_break_joins_its_item(
    tmp_path: Path, open_bottom: bool, keys: bool
) -> None:
    first, rest = _cut(ITEMS[1], 0.5, keys=keys)
    pages = [[HEADER, ITEMS[0], first], [HEADER, rest, ITEMS[2]]]
    pdf = _write(tmp_path, "cut.pdf", split_pdf(pages, open_bottom=open_bottom))
    tsv = tmp_path / "cut.tsv"
    tsv.write_text("\n".join("\t".join(row) for row in [HEADER, *ITEMS]) + "\n", encoding="utf-8")
    tables = _read_as(pdf)
    pd.testing.assert_frame_equal(
        tables.entries[[*KEYS, *TEXTS]], _read_as(tsv).entries[[*KEYS, *TEXTS]]
    )
    joined = tables.repairs[tables.repairs["kind"] == "joined_page_break"]
    assert joined["line"].tolist() == ["p.1 行3"]
    assert "p.2 行2" in joined["message"].iloc[0]


def test_pdf_division_row_at_a_page_top_stays_a_row(tmp_path: Path) -> None:
    """A row with its own division (another division of the item, 001) is not a cut row."""
    other = ["", "", "地域福祉課", "生活困窮者の相談に応じた。", "実施"]
    pdf = _write(tmp_path, "divisions.pdf", split_pdf([[HEADER, ITEMS[1]], [HEADER, other]]))
    entries = _read_as(pdf).entries
    assert entries["division"].tolist() == ["介護福祉課", "地域福祉課"]
    assert entries["item"].nunique() == 1


def test_pdf_font_characters_become_ordinary_ones_logged_once(tmp_path: Path) -> None:
    row = [
        "1",
        "⼩⾦井市の相談<font name='DejaVuSans'>‧</font>⽀援",
        "健康課",
        "⾃殺対策の講座を開催した。",
        "実施",
    ]
    pdf = _write(tmp_path, "font.pdf", split_pdf([[HEADER, row]], markup=True))
    tables = _read_as(pdf)
    entry = tables.entries.iloc[0]
    assert (entry["item"], entry["status"]) == (
        "小金井市の相談・支援",
        "自殺対策の講座を開催した。",
    )
    logged = tables.repairs[tables.repairs["kind"] == "font_chars"]
    assert len(logged) == 1
    assert "5字" in logged["message"].iloc[0] and "⼩→小" in logged["message"].iloc[0]


def test_pdf_glyph_without_a_character_is_not_stored_as_a_control_code(tmp_path: Path) -> None:
    """IPAexGothic has no ⁾: its text layer maps the glyph to U+0000 (dropped; its blank
    width may read as a space)."""
    row = ["1", "セルフネグレクト対策", "介護保険課", "セルフネグレクト³⁾の防止に努めた。", "実施"]
    pdf = _write(tmp_path, "nul.pdf", split_pdf([[HEADER, row]]))
    status = _read_as(pdf).entries.loc[0, "status"]
    assert "\x00" not in status and _squeeze(status) == "セルフネグレクト³の防止に努めた。"


def _image_only() -> bytes:
    """A scanned page: an image and no text layer."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=PAGE)
    page.drawImage(ImageReader(Image.new("RGB", (200, 100), "white")), 50, 50, 400, 200)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _good() -> bytes:
    return split_pdf([[HEADER, *ITEMS]])


BAD_PDFS = {
    "scan.pdf": (_image_only, "OCR"),
    "locked.pdf": (lambda: build([Paragraph("x")], password="secret"), "encrypted"),
    "cut.pdf": (lambda: _good()[: len(_good()) // 2], "truncated"),
    "letter.pdf": (lambda: table_pdf([["お知らせ"], ["本日は休館日です。"]]), "no table"),
    "fake.pdf": (lambda: b"<html>not a pdf</html>", "not a PDF"),
}


@pytest.mark.parametrize("name", sorted(BAD_PDFS))
def test_pdf_bad_file_is_named_in_japanese_then_english(name: str, tmp_path: Path) -> None:
    make, reason = BAD_PDFS[name]
    path = _write(tmp_path, name, make())
    tables = read([path])
    assert len(tables.errors) == 1
    message = tables.errors[0]
    assert message.startswith(f"{name}: ")
    japanese, english = message.split(" / ", 1)
    assert any("\u3040" <= char <= "\u30ff" for char in japanese)
    assert reason in english
    assert "internal error" not in message


def test_pdf_glyph_numbers_without_characters_need_ocr(tmp_path: Path) -> None:
    """A font without a character map: pdfminer can only print glyph numbers."""
    rows = [HEADER, ["1", "(cid:1234)(cid:2345)", "(cid:3456)", "(cid:4567)(cid:5678)", "x"]]
    tables = read([_write(tmp_path, "glyphs.pdf", split_pdf([rows]))])
    assert len(tables.errors) == 1 and "run OCR first" in tables.errors[0]


def test_pdf_cli_reports_a_scan_and_reads_the_good_pdf(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path, "scan.pdf", _image_only())
    _write(tmp_path, "plan.pdf", _good())
    assert main(["parse", str(tmp_path), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "scan.pdf" in err and "OCR" in err and "Traceback" not in err
    entries = pd.read_csv(tmp_path / "out" / "entries.csv", encoding="utf-8-sig")
    assert entries["item"].tolist() == [row[1] for row in ITEMS]


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
@pytest.mark.parametrize("name", UNRULED)
def test_pdf_printed_by_chromium_reads_like_the_tsv(name: str, tmp_path: Path) -> None:
    """A real renderer: rows cut at page ends (cells stretched to the page end, the last cell
    without rules), indicator rows at a page top that are rows of their own, and a font whose
    text layer holds Kangxi radicals (⽀ for 支, ⾃ for 自) and ‧ for ・."""
    sample = SAMPLES / name
    rows = [row.cells for row in load_rows(sample).rows]
    pdf, tsv = _read_as(html_pdf("進捗状況評価表", rows, tmp_path)), _read_as(sample)
    assert pdf.errors == []
    _assert_same_entries(pdf.entries, tsv.entries, exact_keys=False)
    compared = ["indicator", "fiscal_year", "value"]
    pd.testing.assert_frame_equal(pdf.indicators[compared], tsv.indicators[compared])
    kinds = pdf.repairs["kind"].tolist()
    assert kinds.count("font_chars") == 1 and kinds.count("joined_page_break") >= 1
