"""The ``newsitem`` command line: a thin layer over the library.

Each command parses its arguments, hands every file to a function of
``_commands`` (in worker processes with ``-j``), and prints what comes back:
results on stdout, errors and summaries on stderr. Exit status: 0 all good,
1 problems found, 2 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import importlib
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TextIO, TypeVar

import attrs

from ._batch import SUFFIXES, all_cores, iter_files, map_files
from ._commands import Outcome, Problem, check_file, export_file, fmt_file, new_text, problems_of, set_file
from ._convert import unstructure
from ._document import loads
from ._errors import NewsItemError
from ._fieldpath import Step, get, parse, parse_value, type_at
from ._files import dump, load
from ._jsonschema import iso, json_ready, json_schema
from ._model import NewsItem

__all__ = ["main"]

OK, PROBLEMS, USAGE = 0, 1, 2
R = TypeVar("R")

EXIT_CODES = "Exit status: 0 all good, 1 problems found, 2 usage error."
_CODES = {"bold": "1", "red": "31", "green": "32", "yellow": "33"}


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no such method, or closed
        return False


def colour_wanted(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (https://no-color.org)."""
    return not os.environ.get("NO_COLOR") and _isatty(stream)


class _Output:
    """stdout and stderr, with colour where wanted and a progress bar kept out of the way."""

    def __init__(self, out: TextIO, err: TextIO) -> None:
        self.out, self.err = out, err
        self.colour_out, self.colour_err = colour_wanted(out), colour_wanted(err)
        self.bar: Any = None

    def paint(self, text: str, style: str, *, err: bool = False) -> str:
        if not (self.colour_err if err else self.colour_out):
            return text
        return f"\x1b[{_CODES[style]}m{text}\x1b[0m"

    def emit(self, text: str, *, err: bool = False, end: str = "\n") -> None:
        stream = self.err if err else self.out
        if self.bar is not None:
            self.bar.write(text, file=stream, end=end)
        else:
            stream.write(text + end)

    def problem(self, path: str, p: Problem, *, err: bool = False) -> None:
        where = self.paint(path, "bold", err=err)
        self.emit(
            f"{where}:{p.line}:{p.column}: {self.paint(p.label, 'yellow', err=err)}: {p.message}", err=err
        )

    def error(self, message: str) -> None:
        self.emit(f"newsitem: {self.paint('error', 'red', err=True)}: {message}", err=True)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# -- argument types ------------------------------------------------------------------


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
    except Exception as e:  # importing someone's module may raise anything
        raise argparse.ArgumentTypeError(f"cannot import {spec!r}: {type(e).__name__}: {e}") from None
    if not isinstance(obj, type) or not attrs.has(obj):
        raise argparse.ArgumentTypeError(f"{spec!r} is not an attrs class")
    return obj


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a number of processes (1 or more), got {text!r}")
    return n


def _field_path(args: argparse.Namespace) -> tuple[Step, ...]:
    try:
        steps = parse(args.field)
        if args.schema is not None:
            type_at(args.schema, steps)
    except ValueError as e:
        args.parser.error(str(e))
    return steps


# -- running over many files -----------------------------------------------------------


def _progress_bar(setting: bool | None, out: _Output) -> Callable[[int], Any] | None:
    """What makes a tqdm bar on stderr for a run of so many files, or ``None`` for no bar.

    By default a bar shows only on a terminal, and only once a run has lasted a
    second; ``--progress`` shows it at once, anywhere; ``--no-progress`` never.
    """
    if setting is False or (setting is None and not _isatty(out.err)):
        return None
    try:
        tqdm = importlib.import_module("tqdm").tqdm
    except ImportError:
        if setting:
            out.error("--progress needs tqdm: pip install 'newsitem[cli]'")
        return None
    delay = 0 if setting else 1.0
    return lambda total: tqdm(
        total=total, unit="file", file=out.err, delay=delay, leave=False, dynamic_ncols=True
    )


def _unique(files: Iterable[str]) -> Iterator[str]:
    """Each file once, however it was named (commands that write must not race themselves)."""
    seen: set[str] = set()
    for path in files:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            yield path


def _each(
    args: argparse.Namespace, func: Callable[[str], R], out: _Output, *, unique: bool = False
) -> Iterator[tuple[str, R]]:
    """``(path, func(path))`` for every file named by ``args.paths``, in order."""
    files: Iterable[str] = iter_files(args.paths)
    if unique:
        files = _unique(files)
    make_bar = _progress_bar(args.progress, out)
    bar = None
    if make_bar is not None:
        files = list(files)  # the walk is quick; the bar wants a total
        bar = out.bar = make_bar(len(files))
    try:
        for path, result in map_files(func, files, jobs=args.jobs or all_cores()):
            yield path, result
            if bar is not None:
                bar.update()
    finally:
        if bar is not None:
            out.bar = None
            bar.close()


# -- commands --------------------------------------------------------------------------


def _problem_json(path: str, p: Problem) -> str:
    record = {
        "path": path,
        "line": p.line or None,
        "column": p.column or None,
        "field": p.field,
        "message": p.message,
        "error": p.error,
    }
    return json.dumps(record, ensure_ascii=False)


def _check(args: argparse.Namespace, out: _Output) -> int:
    as_json = args.format == "json"
    files = failed = count = 0
    if as_json:
        out.emit('{"problems": [', end="")
    for path, problems in _each(args, functools.partial(check_file, args.schema), out):
        files += 1
        if problems:
            failed += 1
            for p in problems:
                if as_json:
                    out.emit(("," if count else "") + "\n  " + _problem_json(path, p), end="")
                else:
                    out.problem(path, p)
                count += 1
    status = PROBLEMS if failed or not files else OK
    if as_json:
        summary = {"files": files, "ok": files - failed, "withProblems": failed, "problems": count}
        out.emit(("\n" if count else "") + '], "summary": ' + json.dumps(summary) + "}")
    else:
        text = (
            f"checked {_plural(files, 'file')}: {files - failed} ok, "
            f"{failed} with problems ({_plural(count, 'problem')})"
        )
        out.emit(out.paint(text, "red" if status else "green"))
    return status


def _format_value(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return iso(value)
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(json_ready(unstructure(value)), indent=2, ensure_ascii=False)


def _get(args: argparse.Namespace, out: _Output) -> int:
    steps = _field_path(args)
    try:
        doc = load(args.file, schema=args.schema)
    except NewsItemError as e:
        for p in problems_of(e):
            out.problem(args.file, p, err=True)
        return PROBLEMS
    try:
        text = _format_value(get(doc.item, steps))
    except (LookupError, ValueError) as e:
        out.emit(f"{out.paint(args.file, 'bold', err=True)}: {e}", err=True)
        return PROBLEMS
    out.emit(text)
    return OK


def _rewrite_each(
    args: argparse.Namespace, func: Callable[[str], Outcome], out: _Output, *, show_text: bool
) -> Counter[str]:
    """Run a command that rewrites files: report each file's problems, list the changed
    files (or, with *show_text*, print their diffs), and count the outcomes."""
    counts: Counter[str] = Counter()
    for path, outcome in _each(args, func, out, unique=True):
        counts[outcome.status] += 1
        for p in outcome.problems:
            out.problem(path, p, err=True)
        if outcome.status == "changed":
            out.emit(outcome.text if show_text else path, end="" if show_text else "\n")
    return counts


def _set(args: argparse.Namespace, out: _Output) -> int:
    steps = _field_path(args)
    value: Any = None
    raw: str | None = args.value
    if args.schema is not None:
        tp = type_at(args.schema, steps)
        if tp is not Any:
            try:
                value = parse_value(args.value, tp)
            except ValueError as e:
                args.parser.error(f"{args.field}: {e}")
            raw = None
    func = functools.partial(set_file, args.schema, steps, value, raw, args.dry_run)
    counts = _rewrite_each(args, func, out, show_text=args.dry_run)
    verb = "would change" if args.dry_run else "changed"
    out.emit(
        f"set {args.field}: {_plural(counts['changed'], 'file')} {verb}, "
        f"{counts['unchanged']} unchanged, {counts['failed']} failed",
        err=True,
    )
    return PROBLEMS if counts["failed"] else OK


def _fmt(args: argparse.Namespace, out: _Output) -> int:
    write = not (args.check or args.diff)
    func = functools.partial(fmt_file, args.schema, write, args.diff, args.drop_comments)
    counts = _rewrite_each(args, func, out, show_text=args.diff)
    verb = "reformatted" if write else "would be reformatted"
    changed, unchanged, failed = counts["changed"], counts["unchanged"], counts["failed"]
    out.emit(f"{_plural(changed, 'file')} {verb}, {unchanged} unchanged, {failed} failed", err=True)
    return PROBLEMS if counts["failed"] or (counts["changed"] and not write) else OK


def _export(args: argparse.Namespace, out: _Output) -> int:
    if args.format == "parquet":
        return _export_parquet(args, out)
    if args.output is not None:
        args.parser.error("-o/--output is for --format parquet; JSON goes to stdout")
    as_array = args.format == "json"
    func = functools.partial(export_file, args.schema, args.with_path, args.with_body)
    items = failed = 0
    if as_array:
        out.emit("[", end="")
    for path, outcome in _each(args, func, out):
        if outcome.problems:
            failed += 1
            for p in outcome.problems:
                out.problem(path, p, err=True)
        elif as_array:
            out.emit(("," if items else "") + "\n" + outcome.text, end="")
            items += 1
        else:
            out.emit(outcome.text)
            items += 1
    if as_array:
        out.emit("\n]" if items else "]")
    if failed:
        out.emit(f"exported {_plural(items, 'item')}; {_plural(failed, 'file')} failed", err=True)
    return PROBLEMS if failed else OK


def _export_parquet(args: argparse.Namespace, out: _Output) -> int:
    """``export --format parquet -o FILE``: the items as one table, columns flattened
    as :mod:`newsitem.dask` makes them (see ``_flatten``); needs pyarrow."""
    from ._flatten import flatten, write_parquet

    if args.output is None:
        args.parser.error("--format parquet writes a file: name it with -o FILE")
    try:
        importlib.import_module("pyarrow.parquet")
    except ImportError:
        out.error("--format parquet needs pyarrow: pip install 'newsitem[dask]'")
        return USAGE
    func = functools.partial(export_file, args.schema, args.with_path, args.with_body)
    records, failed = [], 0
    for path, outcome in _each(args, func, out):
        if outcome.problems:
            failed += 1
            for p in outcome.problems:
                out.problem(path, p, err=True)
            continue
        try:
            records.append(flatten(json.loads(outcome.text)))
        except ValueError as e:
            failed += 1
            problem = Problem(0, 0, None, f"cannot export as a table: {e}", "file", "ValueError")
            out.problem(path, problem, err=True)
    try:
        write_parquet(records, args.output)
    except OSError as e:
        out.error(f"cannot write {args.output}: {e.strerror or e}")
        return PROBLEMS
    out.emit(f"exported {_plural(len(records), 'item')} to {args.output}; {failed} failed", err=True)
    return PROBLEMS if failed else OK


def _new(args: argparse.Namespace, out: _Output) -> int:
    name = "<stdin>" if args.from_json == "-" else args.from_json
    try:
        if args.from_json == "-":
            source = sys.stdin.read()
        else:
            with open(args.from_json, encoding="utf-8") as f:
                source = f.read()
        data = json.loads(source)
    except OSError as e:
        out.error(f"cannot read {name}: {e.strerror or e}")
        return PROBLEMS
    except ValueError as e:
        out.error(f"{name} is not JSON: {e}")
        return PROBLEMS
    try:
        text = new_text(data, args.schema)
        if args.output is None:
            out.emit(text, end="")
            return OK
        if os.path.lexists(args.output) and not args.force:
            out.error(f"{args.output} exists; nothing was written (use --force to overwrite)")
            return PROBLEMS
        dump(loads(text, schema=args.schema), args.output)
    except NewsItemError as e:
        for p in problems_of(e):
            out.problem(args.output if e.path else name, p, err=True)
        return PROBLEMS
    return OK


def _schema_command(args: argparse.Namespace, out: _Output) -> int:
    if args.schema is None:
        args.parser.error("--schema none has no fields to describe; name a class")
    out.emit(json.dumps(json_schema(args.schema), indent=2, ensure_ascii=False))
    return OK


# -- the parser ------------------------------------------------------------------------


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=30)


def _command(
    sub: Any, name: str, run: Callable[[argparse.Namespace, _Output], int], help: str, description: str
) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(
        name, help=help, description=description, epilog=EXIT_CODES, formatter_class=_Formatter
    )
    p.set_defaults(run=run, parser=p)
    return p


def _add_schema(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--schema",
        type=_schema,
        default=NewsItem,
        metavar="SPEC",
        help="'newsitem' (default), 'none' (well-formed YAML only) or 'module:Class' (an attrs class)",
    )


def _add_batch(p: argparse.ArgumentParser, what: str = "files and folders") -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help=what)
    p.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N",
        help=f"worker processes (default: one per core, here {all_cores()}); 1 works in this process",
    )
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="a progress bar on stderr (default: on a terminal, once a run takes over a second; "
        "needs the 'cli' extra)",
    )
    _add_schema(p)


def _parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="newsitem",
        description="Check and edit news items kept as Markdown files with YAML front matter.",
        epilog=EXIT_CODES + " Run 'newsitem COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    walked = ", ".join(SUFFIXES)

    p = _command(
        sub,
        "check",
        _check,
        "validate files and folders of items",
        f"Validate front-matter files. Folders are walked recursively for {walked} files.\n"
        "One line per problem: path:line:column: field: message, then a summary line.",
    )
    _add_batch(p)
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")

    p = _command(
        sub,
        "get",
        _get,
        "print the value of a field",
        "Print the value at a field path such as title, provider.name or related[0].images[1].url:\n"
        "strings, numbers, booleans and date-times plainly, lists and objects as JSON.\n"
        "Exit status 1 when the field is not set.",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("field", metavar="FIELD", help="a field path (attribute names or keys as in the file)")
    _add_schema(p)

    p = _command(
        sub,
        "set",
        _set,
        "set a field in many files",
        "Set a field in every file, changing nothing else. VALUE is read for the field's type:\n"
        "integers, true/false, ISO 8601 date-times, JSON for lists and objects, text for strings;\n"
        "null clears an optional field. Prints the files it changed.\n"
        "A file that fails to load is reported and left as it was; the others are still done.",
    )
    p.add_argument("field", metavar="FIELD", help="a field path, such as provider.name or images[0].width")
    p.add_argument("value", metavar="VALUE")
    _add_batch(p)
    p.add_argument("--dry-run", action="store_true", help="print a unified diff instead of writing")

    p = _command(
        sub,
        "fmt",
        _fmt,
        "rewrite front matter in the house style",
        "Rewrite the front matter of each file in the house style (what newsitem writes for a new\n"
        "item); the body, a BOM and line endings are kept. A second run changes nothing.\n"
        "Prints the files it rewrote. A file is left as it is, and reported, if the new text\n"
        "would not mean the same, would lose keys the schema does not know, or would lose\n"
        "comments (unless --drop-comments).",
    )
    _add_batch(p)
    p.add_argument(
        "--check", action="store_true", help="write nothing; list files that would change, exit 1 if any"
    )
    p.add_argument("--diff", action="store_true", help="write nothing; print a unified diff, exit 1 if any")
    p.add_argument(
        "--drop-comments",
        action="store_true",
        help="rewrite files whose front matter has comments, dropping them (by default such files are "
        "reported and left as they are)",
    )

    p = _command(
        sub,
        "export",
        _export,
        "print items as JSON Lines or a JSON array, or write a Parquet table",
        "One JSON object per item: keys as in the files, date-times in ISO 8601.\n"
        "--format parquet -o FILE writes one row per item instead, nested keys as dotted\n"
        "columns (provider.name) and lists as JSON text.",
    )
    _add_batch(p)
    p.add_argument(
        "--format",
        choices=("jsonl", "json", "parquet"),
        default="jsonl",
        help="JSON Lines (default), one JSON array, or a Parquet table (-o FILE; needs the 'dask' extra)",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="the Parquet file to write (--format parquet)")
    p.add_argument("--with-path", action="store_true", help="add the file's path as '_path'")
    p.add_argument("--with-body", action="store_true", help="add the body as '_body'")

    p = _command(
        sub,
        "new",
        _new,
        "write a new item file from JSON",
        "Write a new item file in the house style from a JSON object as 'export' prints it\n"
        "('_body' becomes the body; '_path' is ignored).",
    )
    p.add_argument("--from-json", required=True, metavar="FILE", help="the JSON file, or - for stdin")
    p.add_argument("-o", "--output", metavar="OUT", help="the file to write (default: stdout)")
    p.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    _add_schema(p)

    p = _command(
        sub,
        "schema",
        _schema_command,
        "print a JSON Schema for the front matter",
        "Print a JSON Schema (2020-12) generated from the schema's attrs classes, for editors\n"
        "and other validators.",
    )
    _add_schema(p)
    return parser


def _quiet_stdout() -> None:
    """After a broken pipe (``newsitem export ... | head``), keep Python quiet at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (tests)
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    out = _Output(sys.stdout, sys.stderr)
    try:
        status: int = args.run(args, out)
    except KeyboardInterrupt:
        out.error("interrupted")
        return 130
    except BrokenPipeError:
        _quiet_stdout()
        return PROBLEMS
    except BrokenProcessPool:
        out.error("a worker process stopped unexpectedly (out of memory?)")
        return PROBLEMS
    return status
