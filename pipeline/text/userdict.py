"""Compile ``lexicons/user_dict.tsv`` into a Sudachi user dictionary, cached by content hash.

The TSV holds the fields of Sudachi's user-dictionary CSV; SudachiPy's own builder
(``sudachipy.sudachipy.build_user_dic``, what ``sudachipy ubuild`` runs) compiles it against the
system dictionary of the installed ``sudachidict_core`` into the cache folder
(``$HYOKA_CACHE``, else ``<project>/.cache/hyoka/``). A changed TSV has a new hash, hence a
new file; the compiled binary never goes into git.

Example:
    >>> from pipeline.lexicons import Lexicons
    >>> compiled_user_dictionary(Lexicons()).suffix
    '.dic'
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import sudachidict_core
import sudachipy
from sudachipy import sudachipy as sudachi_native

from pipeline.lexicons import LexiconError, Lexicons
from pipeline.text.normalize import nfkc

PROJECT_DIR = Path(__file__).resolve().parents[2]


def cache_dir() -> Path:
    """Where compiled dictionaries go: ``$HYOKA_CACHE`` or ``<project>/.cache/hyoka``.

    Example:
        >>> cache_dir().name in {"hyoka", os.environ.get("HYOKA_CACHE", "hyoka")}
        True
    """
    configured = os.environ.get("HYOKA_CACHE")
    return Path(configured) if configured else PROJECT_DIR / ".cache" / "hyoka"


def system_dictionary() -> Path:
    """The ``system.dic`` shipped by the installed ``sudachidict_core`` package.

    Example:
        >>> system_dictionary().name
        'system.dic'
    """
    return Path(sudachidict_core.__file__).parent / "resources" / "system.dic"


def sudachi_csv(rows: Iterable[dict[str, str]]) -> str:
    """The user-dictionary rows as Sudachi's 18-field CSV (lookup form NFKC + lower case).

    Example:
        >>> row = {"surface": "もくせい教室", "left_id": "4786", "right_id": "5146",
        ...        "cost": "3000", "pos": "名詞,固有名詞,一般,*,*,*",
        ...        "reading": "モクセイキョウシツ", "normalized": "もくせい教室"}
        >>> sudachi_csv([row]).split(",")[:5]
        ['もくせい教室', '4786', '5146', '3000', 'もくせい教室']
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        pos = row["pos"].split(",")
        if len(pos) != 6:
            raise LexiconError(f"user_dict.tsv: {row['surface']}: pos needs six fields")
        lookup = nfkc(row["surface"]).lower()
        ids = [row["left_id"], row["right_id"], row["cost"]]
        tail = [row["reading"], row["normalized"] or row["surface"], "*", "*", "*", "*", "*"]
        writer.writerow([lookup, *ids, row["surface"], *pos, *tail])
    return buffer.getvalue()


def _fingerprint(source: str) -> str:
    system = system_dictionary().stat()
    stamp = f"{sudachipy.__version__}|{system.st_size}|{system.st_mtime_ns}|{source}"
    return hashlib.sha256(stamp.encode("utf-8")).hexdigest()[:16]


def compiled_user_dictionary(lexicons: Lexicons) -> Path | None:
    """Path of the compiled user dictionary (built when the TSV's content hash is new).

    None when the TSV has no entries.

    Example:
        >>> compiled_user_dictionary(Lexicons()).name.startswith("user_dict-")
        True
    """
    source = sudachi_csv(lexicons.table("user_dict"))
    if not source:
        return None
    target = cache_dir() / f"user_dict-{_fingerprint(source)}.dic"
    if not target.is_file():
        build(source, target)
    return target


def build(source: str, target: Path) -> None:
    """Compile Sudachi CSV text into ``target`` (written to a temporary name, then renamed).

    Example:
        >>> build("", Path("/nonexistent/x.dic"))
        Traceback (most recent call last):
        ...
        pipeline.lexicons.LexiconError: user_dict.tsv: no entries to compile
    """
    if not source.strip():
        raise LexiconError("user_dict.tsv: no entries to compile")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        lex = Path(scratch) / "user_dict.csv"
        lex.write_text(source, encoding="utf-8")
        output = Path(scratch) / target.name
        sudachi_native.build_user_dic(
            system=str(system_dictionary()),
            lex=[str(lex)],
            output=str(output),
            description="hyoka lexicons/user_dict.tsv",
        )
        os.replace(output, target)
