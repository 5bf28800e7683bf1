"""The only code that reads ``lexicons/``: TSV term lists with ``#`` comments and YAML settings.

Staff edit these files without touching Python. A TSV file opens with comment lines saying what
it is for and where its terms came from, then a header row, then one row per term.

Example:
    >>> lex = Lexicons()
    >>> rows = lex.table("headers")
    >>> sorted(rows[0])[:2]
    ['field', 'note']
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "lexicons"


class LexiconError(ValueError):
    """A lexicon file is missing or malformed; the message names the file and line."""


def lexicon_dir() -> Path:
    """The lexicon folder: ``$HYOKA_LEXICONS`` if set, else the project's ``lexicons/``.

    Example:
        >>> lexicon_dir().name
        'lexicons'
    """
    return Path(os.environ.get("HYOKA_LEXICONS", DEFAULT_DIR))


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a commented TSV file as dicts keyed by its header row.

    Lines starting with ``#`` and blank lines are skipped; cells are stripped of surrounding
    spaces. A row with more cells than the header is an error naming the line.

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.tsv"
        >>> _ = p.write_text("# demo\\nterm\\tkind\\nコロナ\\tcause\\n", encoding="utf-8")
        >>> read_tsv(p)
        [{'term': 'コロナ', 'kind': 'cause'}]
    """
    if not path.is_file():
        raise LexiconError(f"{path}: lexicon file not found")
    header: list[str] | None = None
    rows: list[dict[str, str]] = []
    for number, line in enumerate(_read_text(path).splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if header is None:
            header = cells
            continue
        if len(cells) > len(header):
            raise LexiconError(
                f"{path}:{number}: {len(cells)} cells but the header has {len(header)}"
            )
        rows.append(dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True)))
    return rows


def read_yaml(path: Path) -> dict[str, Any]:
    """A YAML settings file as a dict.

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.yaml"
        >>> _ = p.write_text("copy_paste:\\n  minor_edit: 0.8  # threshold\\n", encoding="utf-8")
        >>> read_yaml(p)["copy_paste"]["minor_edit"]
        0.8
    """
    if not path.is_file():
        raise LexiconError(f"{path}: settings file not found")
    try:
        loaded = yaml.safe_load(_read_text(path))
    except yaml.YAMLError as error:
        raise LexiconError(f"{path}: not valid YAML ({error})") from None
    if not isinstance(loaded, dict):
        raise LexiconError(f"{path}: expected a mapping at the top level")
    return Section.wrap(loaded, path.name)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise LexiconError(
            f"{path}: not UTF-8 at byte {error.start} (save the file as UTF-8, e.g. from Excel "
            "choose 'CSV UTF-8' or a text editor's UTF-8)"
        ) from None


class Section(dict[str, Any]):
    """A settings mapping whose missing key is a LexiconError naming the file and key path.

    Example:
        >>> Section.wrap({"copy_paste": {"threshold": 0.7}}, "settings.yaml")["copy_paste"]["x"]
        Traceback (most recent call last):
        ...
        pipeline.lexicons.LexiconError: settings.yaml: missing key copy_paste.x
    """

    where: str = ""

    @classmethod
    def wrap(cls, mapping: dict[str, Any], where: str) -> Section:
        """Wrap ``mapping`` and its nested mappings."""
        section = cls(
            {
                key: cls.wrap(value, f"{where}:{key}" if ":" not in where else f"{where}.{key}")
                if isinstance(value, dict)
                else value
                for key, value in mapping.items()
            }
        )
        section.where = where
        return section

    def __missing__(self, key: str) -> Any:
        file, _, path = self.where.partition(":")
        raise LexiconError(f"{file}: missing key {f'{path}.' if path else ''}{key}")


@dataclass
class Lexicons:
    """Loads each lexicon once per instance; ``table('covid')`` reads ``lexicons/covid.tsv``.

    Example:
        >>> Lexicons().settings["ingest"]["min_header_labels"]
        3
    """

    directory: Path = field(default_factory=lexicon_dir)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def table(self, name: str) -> list[dict[str, str]]:
        """Rows of ``<directory>/<name>.tsv``."""
        key = f"{name}.tsv"
        if key not in self._cache:
            self._cache[key] = read_tsv(self.directory / key)
        rows: list[dict[str, str]] = self._cache[key]
        return rows

    def patterns(self, name: str) -> tuple[re.Pattern[str], ...]:
        """The compiled ``pattern`` column of ``<name>.tsv``, once per instance; a pattern
        that does not compile is a LexiconError naming the file and the pattern.

        Example:
            >>> [bool(p.search("企画部(令和4年度~地域振興部)")) for p in Lexicons().patterns(
            ...     "org_changes")]
            [True, False]
        """
        key = f"{name}.tsv#patterns"
        if key not in self._cache:
            self._cache[key] = tuple(_compiled(name, row["pattern"]) for row in self.table(name))
        compiled: tuple[re.Pattern[str], ...] = self._cache[key]
        return compiled

    def yaml(self, name: str) -> dict[str, Any]:
        """Contents of ``<directory>/<name>.yaml``."""
        key = f"{name}.yaml"
        if key not in self._cache:
            self._cache[key] = read_yaml(self.directory / key)
        loaded: dict[str, Any] = self._cache[key]
        return loaded

    @property
    def settings(self) -> dict[str, Any]:
        """``settings.yaml``: thresholds and options, one commented key each."""
        return self.yaml("settings")

    def fingerprint(self) -> str:
        """What answers built from these lexicons depend on, as one text: the directory, each
        file's name, size and modification time, and the YAML files as they are now in memory
        (a notebook may change a setting). Two instances over the same unchanged files agree.
        Term lists (TSV) are taken as read from their files: change them on disk.

        Example:
            >>> lexicons = Lexicons()
            >>> before = lexicons.fingerprint()
            >>> before == Lexicons().fingerprint()
            True
            >>> lexicons.settings["copy_paste"]["min_chars"] += 1
            >>> lexicons.fingerprint() == before
            False
        """
        files = sorted(path for path in self.directory.iterdir() if path.is_file())
        stats = [(path.name, path.stat().st_size, path.stat().st_mtime_ns) for path in files]
        loaded = {path.name: self.yaml(path.stem) for path in files if path.suffix == ".yaml"}
        facts = [str(self.directory), stats, loaded]
        return json.dumps(facts, sort_keys=True, default=str, ensure_ascii=False)


def _compiled(name: str, pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as error:
        raise LexiconError(f"{name}.tsv: bad pattern {pattern!r}: {error}") from None
