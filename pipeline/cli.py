"""The ``hyoka`` command.

Exit codes (also in the README):
    0  every input file was read
    1  some input files could not be read (each named on stderr); the others were processed
    2  wrong command-line usage
    3  no input file could be read
    4  a lexicon or settings file is broken (the message names it)
    70 an internal error (set HYOKA_DEBUG=1 for the traceback)
    130 interrupted (Ctrl-C); the previous reports are left as they were
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline import runner
from pipeline.ingest import DEFAULT_INPUT, Tables, column_lines, describe_files, read
from pipeline.ingest.columns import ColumnMap, map_yaml
from pipeline.ingest.sources import TRUNCATED, ReadError
from pipeline.lexicons import LexiconError
from pipeline.parse_report import summary_lines, write_parse_outputs
from pipeline.report.output import atomic_output
from pipeline.runner import nothing_read

DEFAULT_OUT = Path("reports")
EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_NOTHING_READ, EXIT_LEXICON = 0, 1, 2, 3, 4
EXIT_INTERNAL, EXIT_INTERRUPTED = 70, 130

DESCRIPTION = """\
hyoka（評価）: 計画の進捗状況評価表を読み、前年度からの転記、新型コロナを理由とする中止・縮小、
評価と記述の食い違い、記入漏れを見つけて、担当課ごとの確認リスト（HTML・Excel・Markdown）を作ります。

hyoka: review assistant for municipal plan-progress evaluation tables (進捗状況評価表).

Reads the tables (text extracted from PDF, TSV/CSV in UTF-8/CP932/UTF-16, Excel .xlsx),
finds copy-pasted text, COVID-related suspensions and ratings that contradict the narrative,
and writes a review checklist per division (担当課).
"""

EPILOG = """\
終了コード: 0 すべて読めた; 1 読めないファイルあり（stderr に表示、他は処理済み）; 2 使い方の誤り;
3 何も読めなかった（前回の出力はそのまま）; 4 辞書・設定ファイルの誤り; 70 内部エラー; 130 中断.
exit codes: 0 all files read; 1 some files could not be read (named on stderr, the rest
processed); 2 usage error; 3 nothing could be read (reports left as they were); 4 a
lexicon/settings file is broken; 70 internal error (HYOKA_DEBUG=1 shows the traceback);
130 interrupted (previous reports left as they were).
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with its sub-commands."""
    parser = argparse.ArgumentParser(
        prog="hyoka",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    parse = commands.add_parser(
        "parse",
        help="表の読み込みのみ / read the tables into entries.csv, indicators.csv, opinions.csv, "
        "parse_report.json",
        description="評価表を読み、整形した表と読み込み報告を書きます / Read evaluation tables "
        "and write the tidy tables plus a parse report.",
    )
    _add_io_arguments(parse)
    run = commands.add_parser(
        "run",
        help="読み込み・検出・確認リスト作成 / the main job: read, find, and write the checklists "
        "(HTML, Excel, Markdown) and CSV",
        description="評価表を読み、すべての検出を行い、確認リストを書きます / Read the tables, run "
        "every detector and write the review checklists.",
    )
    _add_io_arguments(run)
    columns = commands.add_parser(
        "columns",
        help="各列の読み方を表示・列の対応表を作成 / show what each column is read as",
        description=(
            "ファイルごとに、見出しの各列を何として読むか（実施状況・評価・計画…）、"
            "年度、確信度を表示します。--write で列の対応表（YAML）に保存し、"
            "直して `hyoka run --columns` に渡せます。"
            " / Show every column's role, fiscal year and confidence; --write saves a column map "
            "to correct and pass back with `hyoka run --columns MAP.yaml`."
        ),
    )
    columns.add_argument(
        "paths", nargs="+", type=Path, help="調べるファイル・フォルダ / files or folders"
    )
    columns.add_argument(
        "--write",
        type=Path,
        metavar="MAP.yaml",
        help="列の対応表をこのファイルに保存 / also write the column map to this file",
    )
    columns.add_argument(
        "--columns",
        type=Path,
        metavar="MAP.yaml",
        help="既存の列の対応表を先に適用 / apply an existing column map first",
    )
    run.add_argument(
        "--jobs",
        type=_positive,
        default=runner.default_jobs(),
        metavar="N",
        help="N 個のプロセスで計画ごとに処理する（既定: CPU コア数） / "
        "process the plans in N processes (default: the number of cores)",
    )
    return parser


def _positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(
            f"1 以上を指定してください（{number}） / must be 1 or more, not {number}"
        )
    return number


def _add_io_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "paths",
        nargs="*",
        type=Path,
        help=f"読み込むファイルまたはフォルダ / files or folders to read (.txt .tsv .csv .xlsx); "
        f"default: {DEFAULT_INPUT}",
    )
    command.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="出力先フォルダ / output folder (default: reports/)",
    )
    command.add_argument(
        "--columns",
        type=Path,
        metavar="MAP.yaml",
        help="列の対応表（`hyoka columns --write` で作成） / a column map of what columns hold",
    )


def read_warnings(tables: Tables) -> list[str]:
    """One line per file that was read but looks damaged (cut in the middle of a character).

    Example:
        >>> tables = read(["data/samples/004_e0cedbc2d3263efb.txt"])
        >>> tables.report.loc[0, "encoding"] = f"utf-8 {TRUNCATED}"
        >>> read_warnings(tables)[0][:30]
        '004_e0cedbc2d3263efb.txt: 警告: '
    """
    report = tables.report
    cut = report[report["encoding"].astype(str).str.endswith(TRUNCATED)]
    return [
        f"{source}: 警告: ファイルが文字の途中で終わっています（途中で切れていませんか）。"
        "最後の不完全な文字は読み飛ばしました / warning: the file ends in the middle of a "
        "character (was it cut short?); the incomplete last character was left out"
        for source in cut["source"]
    ]


def read_exit_code(tables: Tables) -> int:
    """0 when everything was read, 1 when some files failed, 3 when none was read."""
    if not tables.errors:
        return EXIT_OK
    return EXIT_NOTHING_READ if nothing_read(tables) else EXIT_SOME_FAILED


def _nothing_read(out: Path) -> str:
    """The message when no input file could be read (Japanese, then English)."""
    return (
        f"hyoka: 読み込めたファイルがありません。{out} はそのままです / "
        f"nothing could be read; {out} was left as it was"
    )


def command_parse(args: argparse.Namespace) -> int:
    """``hyoka parse``: read and write the tidy tables."""
    tables = read(args.paths, column_map=_column_map(args))
    for message in [*tables.errors, *read_warnings(tables)]:
        print(f"hyoka: {message}", file=sys.stderr)
    if nothing_read(tables):
        print(_nothing_read(args.out), file=sys.stderr)
        return EXIT_NOTHING_READ
    with atomic_output(args.out) as staging:
        write_parse_outputs(tables, staging)
    print("\n".join(summary_lines(tables)))
    print(f"→ {args.out}/entries.csv, indicators.csv, opinions.csv, parse_report.json")
    return read_exit_code(tables)


def command_run(args: argparse.Namespace) -> int:
    """``hyoka run``: read, detect, write every report, print a summary."""
    progress = sys.stderr.isatty()
    summary = runner.run(
        args.paths, args.out, jobs=args.jobs, progress=progress, column_map=_column_map(args)
    )
    for message in [*summary.tables.errors, *read_warnings(summary.tables)]:
        print(f"hyoka: {message}", file=sys.stderr)
    if nothing_read(summary.tables):
        print(_nothing_read(args.out), file=sys.stderr)
        return EXIT_NOTHING_READ
    print("\n".join(runner.summary_lines(summary, args.out)))
    return read_exit_code(summary.tables)


def command_columns(args: argparse.Namespace) -> int:
    """``hyoka columns``: print (and optionally save) what every column is read as."""
    column_map = _column_map(args)
    accounts, failed = describe_files(args.paths, column_map)
    for message in failed:
        print(f"hyoka: {message}", file=sys.stderr)
    print("\n".join(column_lines(accounts)))
    if args.write is not None:
        args.write.write_text(map_yaml(accounts) + "\n", encoding="utf-8")
        print(f"→ {args.write}（列の対応表 / column map）")
    if not accounts:
        return EXIT_NOTHING_READ
    return EXIT_SOME_FAILED if failed else EXIT_OK


def _column_map(args: argparse.Namespace) -> ColumnMap | None:
    return ColumnMap.load(args.columns) if getattr(args, "columns", None) else None


COMMANDS = {"parse": command_parse, "run": command_run, "columns": command_columns}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``hyoka`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return COMMANDS[args.command](args)
    except LexiconError as error:
        print(f"hyoka: {error}", file=sys.stderr)
        return EXIT_LEXICON
    except ReadError as error:  # a broken column map: nothing was read
        print(f"hyoka: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(
            "hyoka: 中断しました。前回の出力はそのままです / interrupted; previous reports were "
            "left as they were",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `hyoka run | head`: the reader went away, nothing to report
        sys.stderr.close()
        return EXIT_OK
    except Exception as error:
        if os.environ.get("HYOKA_DEBUG"):
            raise
        print(
            f"hyoka: 内部エラー / internal error: {type(error).__name__}: {error} "
            "(HYOKA_DEBUG=1 で詳細を表示し、報告してください / set HYOKA_DEBUG=1 for the "
            "traceback and please report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
