"""The ``newsitem`` command line: a thin layer over the library."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from ._errors import NewsItemError, ParseError, ValidationError
from ._files import load
from ._model import NewsItem

__all__ = ["main"]

#: Suffixes ``check`` picks up when it walks a folder.
SUFFIXES = (".md", ".markdown", ".html")


def _schema(spec: str) -> type[Any] | None:
    if spec.lower() == "none":
        return None
    if spec.lower() == "newsitem":
        return NewsItem
    module, sep, name = spec.partition(":")
    if not sep:
        raise argparse.ArgumentTypeError(f"expected 'module:Class', 'newsitem' or 'none', got {spec!r}")
    try:
        obj = importlib.import_module(module)
        for part in name.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as e:
        raise argparse.ArgumentTypeError(f"cannot import {spec!r}: {e}") from None
    if not isinstance(obj, type):
        raise argparse.ArgumentTypeError(f"{spec!r} is not a class")
    return obj


def iter_files(paths: Sequence[str]) -> Iterator[str]:
    """Files named directly, and files with a front-matter suffix under folders."""
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.endswith(SUFFIXES):
                        yield os.path.join(root, name)
        else:
            yield path


def _problems(exc: NewsItemError, path: str) -> list[str]:
    if isinstance(exc, ValidationError):
        return [
            f"{path}:{e.line or 0}:{e.column or 0}: {e.field or '(front matter)'}: {e.message}"
            for e in exc.errors
        ]
    if isinstance(exc, ParseError):
        return [f"{path}:{exc.line or 0}:{exc.column or 0}: (front matter): {exc.message}"]
    return [f"{path}:0:0: (file): {exc}"]


def check(paths: Sequence[str], schema: type[Any] | None, out: TextIO) -> int:
    files = failed = problems = 0
    for path in iter_files(paths):
        files += 1
        try:
            load(path, schema=schema, bare=False if path.endswith(SUFFIXES) else None)
        except NewsItemError as e:
            lines = _problems(e, path)
            failed += 1
            problems += len(lines)
            for line in lines:
                print(line, file=out)
    ok = files - failed
    s = "" if files == 1 else "s"
    ps = "" if problems == 1 else "s"
    print(f"checked {files} file{s}: {ok} ok, {failed} with problems ({problems} problem{ps})", file=out)
    return 1 if failed or files == 0 else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsitem",
        description="Check and edit news items kept as Markdown files with YAML front matter.",
        epilog="Exit status: 0 all good, 1 problems found, 2 usage error.",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser(
        "check",
        help="validate files and folders of items",
        description=(
            "Validate front-matter files. Folders are walked recursively for "
            f"{', '.join(SUFFIXES)} files. One line per problem: path:line:column: field: message."
        ),
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files and folders")
    p.add_argument(
        "--schema",
        type=_schema,
        default=NewsItem,
        metavar="SPEC",
        help="'newsitem' (default), 'none' (well-formed YAML only) or 'module:Class' (an attrs class)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "check":
        return check(args.paths, args.schema, sys.stdout)
    raise AssertionError(args.command)  # pragma: no cover
