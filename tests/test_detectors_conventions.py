"""Every registered detector keeps the common contract, and describes its kinds in one place."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from pipeline.detectors import REGISTRY, SPECS, Context, load_all
from pipeline.findings import API_COLUMNS, Questions, kinds_table
from pipeline.lexicons import LexiconError, Lexicons, lexicon_dir
from pipeline.schemas import ENTRY_COLUMNS, FINDING_COLUMNS, SEVERITIES, empty_frame

load_all()
README = Path(__file__).parents[1] / "README.md"


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_detector_returns_finding_columns_on_empty_input(name: str, context: Context) -> None:
    findings = REGISTRY[name](empty_frame(ENTRY_COLUMNS), context)
    assert list(findings.columns) == list(FINDING_COLUMNS + API_COLUMNS)
    assert findings.empty


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_detector_docstring_has_why_example_false_positives(name: str) -> None:
    doc = REGISTRY[name].__doc__ or ""
    for part in ("Why:", "Example:", "False positives:"):
        assert part in doc, f"{name} docstring lacks {part}"


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_detector_findings_name_their_detector_and_severity(
    name: str, context: Context, sample_entries: object
) -> None:
    findings = REGISTRY[name](sample_entries, context)  # type: ignore[arg-type]
    assert set(findings["detector"]) <= {name}
    assert set(findings["severity"]) <= {"high", "medium", "low"}
    assert findings["score"].between(0, 1).all()
    assert (findings["evidence"] != "").all()


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_detector_findings_use_declared_kinds(
    name: str, context: Context, sample_entries: object
) -> None:
    findings = REGISTRY[name](sample_entries, context)  # type: ignore[arg-type]
    declared = {kind.code for kind in SPECS[name].kinds}
    assert set(findings["kind"]) <= declared


@pytest.mark.parametrize(
    ("name", "code"), [(name, kind.code) for name in sorted(SPECS) for kind in SPECS[name].kinds]
)
def test_detector_kind_has_label_question_severity_and_group(name: str, code: str) -> None:
    questions = Questions.load()
    row = questions.get(name, code)
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", row["label"]), "a Japanese label"
    assert row["severity"] in SEVERITIES
    assert row["group"]
    assert re.search(r"[？。]$", row["question"]), "a question ending as a sentence"
    assert SPECS[name].kind(code).meaning, "the README's 'what it means'"


def test_detector_kind_codes_are_unique_per_detector() -> None:
    for spec in SPECS.values():
        codes = [kind.code for kind in spec.kinds]
        assert len(codes) == len(set(codes)), spec.name


def test_detector_readme_kinds_table_matches_the_detectors() -> None:
    text = README.read_text(encoding="utf-8")
    table = text.split("<!-- kinds:start -->\n")[1].split("<!-- kinds:end -->")[0]
    assert table == kinds_table(), (
        "regenerate the README table: python -c "
        "'from pipeline.findings import kinds_table; print(kinds_table())'"
    )


def _questions_dir(tmp_path: Path, rows: str) -> Lexicons:
    """The project's lexicons with questions.tsv holding the real rows plus ``rows``."""
    shutil.copytree(lexicon_dir(), tmp_path, dirs_exist_ok=True)
    path = tmp_path / "questions.tsv"
    path.write_text(path.read_text(encoding="utf-8") + rows, encoding="utf-8")
    return Lexicons(tmp_path)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        # a misspelt field would silently never apply
        ("copy_paste\tidentical\tplans\tP\n", "unknown field"),
        # a question for a kind no detector declares would never be asked
        ("copy_paste\tidenticall\t\tQ\n", "not a kind copy_paste declares"),
        # a field row whose kind has no row of its own
        ("copy_paste\tidenticall\tplan\tP\n", "no row for the kind itself"),
    ],
    ids=["unknown_field", "undeclared_kind", "no_kind_row"],
)
def test_detector_questions_rows_checked(tmp_path: Path, rows: str, message: str) -> None:
    with pytest.raises(LexiconError, match=message):
        Questions.load(_questions_dir(tmp_path, rows))


def test_detector_kind_without_question_is_an_error(tmp_path: Path) -> None:
    lexicons = _questions_dir(tmp_path, "")
    path = tmp_path / "questions.tsv"
    kept = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if not line.startswith("rating\tpartly_done\t")
    ]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="no question for rating/partly_done"):
        Questions.load(lexicons)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_detector_compared_columns_split_compared_with(
    name: str, context: Context, sample_entries: object
) -> None:
    findings = REGISTRY[name](sample_entries, context)  # type: ignore[arg-type]
    compared = findings[findings["compared_with"] != ""]
    assert (compared["compared_field"] != "").all()
    assert (compared["compared_text"] != "").all()
    dated = compared[compared["compared_year"].notna()]
    expected = dated["compared_field"] + "@" + dated["compared_year"].astype(str) + ": "
    assert (dated["compared_with"] == expected + dated["compared_text"]).all()
    assert (findings.loc[findings["compared_with"] == "", "compared_field"] == "").all()


def test_detector_copy_paste_compares_with_the_year_before(
    context: Context, sample_entries: object
) -> None:
    findings = REGISTRY["copy_paste"](sample_entries, context)  # type: ignore[arg-type]
    yearly = findings[findings["kind"].isin(["identical", "numbers_only", "plan_as_result"])]
    assert not yearly.empty
    assert (yearly["compared_year"] == yearly["fiscal_year"] - 1).all()
    plans = yearly[yearly["kind"] == "plan_as_result"]
    assert set(plans["compared_field"]) == {"plan"}
