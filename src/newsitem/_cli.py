"""The ``newsitem`` command line: a thin layer over the library.

Each command parses its arguments, hands every file to a function of
``_commands`` (in worker processes with ``-j``), and prints what comes back:
results on stdout, errors and summaries on stderr. Exit status: 0 all good,
1 problems found, 2 usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import importlib
import json
import os
import re
import sys
import types
import typing
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Literal, TextIO, TypeVar

import attrs

from ._batch import AUTO_MIN_FILES, SUFFIXES, all_cores, load_target, map_files
from ._commands import (
    Change,
    Outcome,
    Problem,
    change_target,
    check_target,
    convert_target,
    diff_name,
    export_target,
    fmt_target,
    new_text,
    problems_of,
)
from ._config import BUILT_IN, Config, ConfigError, Skipped, Target, resolve_schema, select
from ._convert import dotted, extras_field, key_of
from ._document import loads
from ._errors import NewsItemError
from ._fieldpath import Step, get, json_value, parse, parse_value, type_at
from ._files import data_format, dump
from ._jsonschema import iso, json_schema, to_json
from ._split import FORMATS

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


class UsageError(Exception):
    """A usage error found after the arguments were parsed: exit status 2."""


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
        """One problem, on one line: line breaks and other control characters in the
        path, the field or the message are written as escapes (``\\n``)."""
        where = self.paint(_one_line(path), "bold", err=err)
        label = self.paint(_one_line(p.label), "yellow", err=err)
        self.emit(f"{where}:{p.line}:{p.column}: {label}: {_one_line(p.message)}", err=err)

    def error(self, message: str) -> None:
        self.emit(f"newsitem: {self.paint('error', 'red', err=True)}: {message}", err=True)

    def warning(self, message: str) -> None:
        self.emit(f"newsitem: {self.paint('warning', 'yellow', err=True)}: {message}", err=True)


_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def _one_line(text: str) -> str:
    """*text* with its control characters but the tab written as Python escapes."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text) if _CONTROL.search(text) else text


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# -- argument types ------------------------------------------------------------------


def _schema(spec: str) -> str:
    """A schema spec, checked for its form here and imported once the configuration is known."""
    if spec.lower() in BUILT_IN:
        return spec.lower()
    module, sep, name = spec.partition(":")
    if not (sep and module and name):
        raise argparse.ArgumentTypeError(f"expected 'news', 'none' or 'module:Class', got {spec!r}")
    return spec


def _jobs(text: str) -> int | Literal["auto"]:
    if text == "auto":
        return "auto"
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(
            f"expected 'auto' or a number of processes (1 or more), got {text!r}"
        )
    return n


# -- configuration and file selection ------------------------------------------------


STDIN = "-"


def _config_option(args: argparse.Namespace) -> Config | None:
    """The configuration named by ``--config`` or ``--no-config``; ``None``: find it per path."""
    if getattr(args, "no_config", False):
        return Config()
    if getattr(args, "config", None):
        return Config.from_file(args.config)  # the file named, whatever its name; never another
    return None


def _config_at(args: argparse.Namespace, path: str) -> Config:
    """The configuration for one path, with the command line's overrides."""
    cfg = _config_option(args) or Config.find(path if path != STDIN else ".")
    if getattr(args, "schema", None) is not None:
        cfg = cfg.with_schema(args.schema)
    if getattr(args, "exclude", None) is not None:
        cfg = cfg.with_exclude(args.exclude)
    cfg.check()
    return cfg


def _selection(args: argparse.Namespace, skipped: Counter[str]) -> Iterator[Target]:
    """The targets named by ``args.paths``, counting the files left alone in *skipped*."""
    for path in args.paths:  # configuration problems are usage errors, found before any work
        _config_at(args, path)
    selected = select(args.paths, _config_option(args), schema=args.schema, exclude=args.exclude)
    for s in selected:
        if isinstance(s, Skipped):
            skipped[s.reason] += 1
        else:
            yield s


def _writable_selection(args: argparse.Namespace, skipped: Counter[str]) -> list[Target]:
    """The whole selection, before a command that writes starts: a configuration that
    cannot be used, found deep in a folder, is then a usage error before any file is written."""
    return list(_selection(args, skipped))


def _stdin_target(args: argparse.Namespace, folder: str) -> tuple[Target, str]:
    """Standard input saved in *folder*, as a target; and the name to show for it."""
    shown = args.stdin_filename or STDIN
    name = os.path.basename(args.stdin_filename or "stdin.md")
    if name in ("", os.curdir, os.pardir):  # a folder's name: the file is saved as stdin.md
        name = "stdin.md"
    path = os.path.join(folder, name)
    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    with open(path, "wb") as f:
        f.write(data)
    where = args.stdin_filename or os.path.join(os.getcwd(), "stdin.md")
    cfg = _config_at(args, where)
    return Target(path, cfg.schema_spec(where), cfg.import_paths, True), shown


def _skipped_text(skipped: Counter[str]) -> str:
    total = sum(skipped.values())
    if not total:
        return ""
    reasons = [f"{skipped[r]} {r}" for r in ("without front matter", "excluded") if skipped[r]]
    return f"; skipped {total}: {', '.join(reasons)}"


def _nothing_found(args: argparse.Namespace) -> UsageError:
    walked = ", ".join(SUFFIXES)
    named = " ".join(args.paths)
    return UsageError(f"no files to work on in {named} (folders are searched for {walked} files)")


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
            out.warning("--progress needs tqdm (pip install 'newsitem[cli]'); going on without a bar")
        return None
    delay = 0 if setting else 1.0
    return lambda total: tqdm(
        total=total, unit="file", file=out.err, delay=delay, leave=False, dynamic_ncols=True
    )


def _unique(targets: Iterable[Target]) -> Iterator[Target]:
    """Each file once, however it was named (commands that write must not race themselves)."""
    seen: set[str] = set()
    for target in targets:
        key = os.path.realpath(target.path)
        if key not in seen:
            seen.add(key)
            yield target


def _each(
    args: argparse.Namespace,
    func: Callable[[Target], R],
    out: _Output,
    skipped: Counter[str],
    *,
    targets: Iterable[Target] | None = None,
    unique: bool = False,
) -> Iterator[tuple[Target, R]]:
    """``(target, func(target))`` for every file named by ``args.paths``, in order."""
    files: Iterable[Target] = _selection(args, skipped) if targets is None else targets
    if unique:
        files = _unique(files)
    make_bar = _progress_bar(args.progress, out)
    bar = None
    if make_bar is not None:
        files = list(files)  # the walk is quick; the bar wants a total
        bar = out.bar = make_bar(len(files))
    jobs: int | Literal["auto"] = args.jobs
    try:
        for target, result in map_files(func, files, jobs=jobs):
            yield target, result
            if bar is not None:
                bar.update()
    finally:
        if bar is not None:
            out.bar = None
            bar.close()


def _stdin_only(args: argparse.Namespace) -> bool:
    if STDIN not in args.paths:
        return False
    if args.paths != [STDIN]:
        raise UsageError("'-' (standard input) cannot be given with other paths")
    return True


@contextlib.contextmanager
def _scratch() -> Iterator[str]:
    """A temporary folder for standard input, removed afterwards."""
    import tempfile  # only for '-'

    with tempfile.TemporaryDirectory(prefix="newsitem-stdin-", ignore_cleanup_errors=True) as folder:
        yield folder


def _run_stdin(
    args: argparse.Namespace, func: Callable[[Target], Outcome]
) -> tuple[Target, str, Outcome, str]:
    """Run *func* on standard input saved to a temporary file: the target, the name to
    show, the outcome (its text naming the file as shown), and the file's text after."""
    with _scratch() as folder:
        target, shown = _stdin_target(args, folder)
        outcome = func(target)
        text = outcome.text.replace(f"a/{diff_name(target.path)}", f"a/{shown}").replace(
            f"b/{diff_name(target.path)}", f"b/{shown}"
        )
        text = text.replace(json.dumps(target.path)[1:-1], json.dumps(shown)[1:-1])
        # Not UTF-8 when it failed to load (then it is not printed): read it anyway.
        with open(target.path, encoding="utf-8", errors="replace", newline="") as f:
            after = f.read()
        return target, shown, outcome._replace(text=text), after


def _outcomes(
    args: argparse.Namespace, func: Callable[[Target], Outcome], out: _Output, skipped: Counter[str]
) -> Iterator[tuple[str, Outcome]]:
    """``(path to show, outcome)`` for standard input, or for every file named by ``args.paths``."""
    if _stdin_only(args):
        _, shown, outcome, _ = _run_stdin(args, func)
        yield shown, outcome
    else:
        for target, outcome in _each(args, func, out, skipped):
            yield target.path, outcome


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


def _github_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def _problem_github(path: str, p: Problem) -> str:
    """A GitHub Actions error annotation, as ruff's ``--output-format github`` prints it."""
    where = [f"file={_github_escape(diff_name(path), prop=True)}"]
    if p.line:
        where.append(f"line={p.line}")
        if p.column:
            where.append(f"col={p.column}")
    where.append(f"title={_github_escape(f'newsitem ({p.field or p.kind})', prop=True)}")
    message = f"{p.field}: {p.message}" if p.field else p.message
    return f"::error {','.join(where)}::{_github_escape(message)}"


def _check(args: argparse.Namespace, out: _Output) -> int:
    fmt = args.format
    files = failed = count = 0
    skipped: Counter[str] = Counter()
    opened = False  # '{"problems": [' is printed with the first result: not before a usage error

    def open_json() -> None:
        nonlocal opened
        if fmt == "json" and not opened:
            out.emit('{"problems": [', end="")
            opened = True

    def report(path: str, outcome: Outcome) -> None:
        nonlocal files, failed, count
        open_json()
        if outcome.status == "skipped":
            skipped["without front matter"] += 1
            return
        files += 1
        if outcome.problems:
            failed += 1
        for p in outcome.problems:
            if fmt == "json":
                out.emit(("," if count else "") + "\n  " + _problem_json(path, p), end="")
            elif fmt == "github":
                out.emit(_problem_github(path, p))
            else:
                out.problem(path, p)
            count += 1

    for path, outcome in _outcomes(args, check_target, out, skipped):
        report(path, outcome)
    if not files and not skipped:
        raise _nothing_found(args)
    status = PROBLEMS if failed else OK
    if fmt == "json":
        open_json()
        summary = {
            "files": files,
            "ok": files - failed,
            "withProblems": failed,
            "problems": count,
            "skipped": {
                "withoutFrontMatter": skipped["without front matter"],
                "excluded": skipped["excluded"],
            },
        }
        out.emit(("\n" if count else "") + '], "summary": ' + json.dumps(summary) + "}")
    else:
        text = (
            f"checked {_plural(files, 'file')}: {files - failed} ok, "
            f"{failed} with problems ({_plural(count, 'problem')}){_skipped_text(skipped)}"
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
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(to_json(value), indent=2, ensure_ascii=False)


def _names(tp: Any) -> list[str]:
    """The field names of a class (as in the files, and as attributes)."""
    extras = extras_field(tp)
    names: list[str] = []
    for field in attrs.fields(tp):
        if field is not extras:
            names += [key_of(field), field.name]
    return names


def _no_field(owner: str, step: str, candidates: Iterable[str]) -> str:
    message = f"no field {step!r} in {owner}"
    import difflib

    close = difflib.get_close_matches(step, list(dict.fromkeys(candidates)), n=1, cutoff=0.6)
    return message + (f"; did you mean {close[0]!r}?" if close else "")


def _unknown_field(schema: type[Any] | None, item: Any, steps: tuple[Step, ...]) -> str | None:
    """ "no field 'titel' in NewsItem; did you mean 'title'?" when the last named step of
    *steps* is not a field the schema declares (nor a key the file has); else ``None``."""
    for i, step in enumerate(steps):
        if isinstance(step, int):
            continue
        try:
            parent = get(item, steps[:i]) if i else item
        except LookupError:
            return None
        cls: Any = type(parent)
        if attrs.has(cls):
            names = _names(cls)
            extras = extras_field(cls)
            bag = getattr(parent, extras.name) if extras is not None else {}
            if step not in names and step not in bag:
                return _no_field(cls.__name__, step, names)
        elif cls is dict and step not in parent and not (step.lstrip("-").isdigit() and int(step) in parent):
            where = "the front matter" if i == 0 else repr(".".join(str(s) for s in steps[:i]))
            return _no_field(where, step, [str(k) for k in parent])
    return None


def _schema_problem(schema: type[Any], steps: tuple[Step, ...], message: str) -> str:
    """A clearer usage error for a field path the schema has no field for."""
    m = re.fullmatch(r"(\w+) has no field '(.+)'", message)
    if m:
        try:
            owner: Any = type_at(schema, steps[: steps.index(m.group(2))]) if m.group(2) in steps else None
        except ValueError:
            owner = None
        owner = typing.get_args(owner)[0] if typing.get_args(owner) else owner
        if owner is not None and attrs.has(owner):
            return _no_field(owner.__name__, m.group(2), _names(owner))
    return message


def _steps(args: argparse.Namespace) -> tuple[Step, ...]:
    try:
        return parse(args.field)
    except ValueError as e:
        raise UsageError(str(e)) from None


def _get(args: argparse.Namespace, out: _Output) -> int:
    steps = _steps(args)
    with _scratch() if args.file == STDIN else contextlib.nullcontext() as folder:
        if folder is not None:
            target, shown = _stdin_target(args, folder)
        else:
            cfg = _config_at(args, args.file)
            target = Target(args.file, cfg.schema_spec(args.file), cfg.import_paths, True)
            shown = args.file
        schema = target.resolve()
        if schema is not None:
            try:
                type_at(schema, steps)
            except ValueError as e:
                raise UsageError(_schema_problem(schema, steps, str(e))) from None
        result = load_target(target)
    assert result is not None  # a file named directly must have front matter
    if isinstance(result, NewsItemError):
        for p in problems_of(result):
            out.problem(shown, p, err=True)
        return PROBLEMS
    try:
        value = get(result.item, steps)
        if value == [] and schema is not None:  # an empty list is no key at all in a typed item
            raise LookupError(f"{args.field} is not set")
    except (LookupError, ValueError) as e:
        message = _unknown_field(schema, result.item, steps) or str(e)
        out.emit(f"{out.paint(shown, 'bold', err=True)}: {message}", err=True)
        return PROBLEMS
    out.emit(_format_value(value))
    return OK


def _rewrite_each(
    args: argparse.Namespace,
    func: Callable[[Target], Outcome],
    out: _Output,
    skipped: Counter[str],
    *,
    show_text: bool,
    targets: Iterable[Target] | None = None,
) -> Counter[str]:
    """Run a command that rewrites files: report each file's problems, list the changed
    files (or, with *show_text*, print their diffs), and count the outcomes."""
    counts: Counter[str] = Counter()
    for target, outcome in _each(args, func, out, skipped, targets=targets, unique=True):
        if outcome.status == "skipped":
            skipped["without front matter"] += 1
            continue
        counts[outcome.status] += 1
        for p in outcome.problems:
            out.problem(target.path, p, err=True)
        if outcome.status == "changed":
            out.emit(outcome.text if show_text else target.path, end="" if show_text else "\n")
    if not sum(counts.values()) and not skipped:
        raise _nothing_found(args)
    return counts


def _is_list_type(tp: Any) -> bool:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return len(inner) == 1 and _is_list_type(inner[0])
    return tp is list or typing.get_origin(tp) is list


def _value_for(op: str, raw: str | None, schema: type[Any], steps: tuple[Step, ...]) -> tuple[bool, Any]:
    """``(True, value)`` for *raw* read for the field's type in *schema*; ``(False, None)``
    where the path enters untyped data. :class:`ValueError` when it does not fit."""
    try:
        tp = type_at(schema, steps)
    except ValueError as e:
        raise ValueError(_schema_problem(schema, steps, str(e))) from None
    if op in ("add", "remove"):
        if tp is not Any and not _is_list_type(tp):
            raise ValueError(f"{dotted(steps)} is not a list")
        tp = type_at(schema, (*steps, 0))
    if op == "unset" or tp is Any or raw is None:
        return False, None
    inner = [a for a in typing.get_args(tp) if a is not type(None)]
    if raw == "null":
        if tp is str or (typing.get_origin(tp) in (typing.Union, types.UnionType) and inner == [str]):
            return True, "null"  # the word, as written: 'newsitem unset' removes a field
        raise ValueError(
            f"{dotted(steps)}: 'null' is not a value of this field; to remove the field, "
            f"use 'newsitem unset {dotted(steps)} PATH...'"
        )
    return True, parse_value(raw, tp)


def _change(args: argparse.Namespace, out: _Output, op: str) -> int:
    """``set``, ``add``, ``remove`` and ``unset``: one field of many files."""
    steps = _steps(args)
    raw: str | None = getattr(args, "value", None)
    skipped: Counter[str] = Counter()
    targets = list(_unique(_selection(args, skipped)))
    values: dict[str, Any] = {}
    for spec in dict.fromkeys(t.schema for t in targets):
        example = next(t for t in targets if t.schema == spec)
        schema = example.resolve()
        if schema is None:
            continue
        try:
            typed, value = _value_for(op, raw, schema, steps)
        except ValueError as e:
            where = f" (schema {spec}, of {example.path})" if len(values) or spec != "news" else ""
            message = str(e) if str(e).startswith(args.field) else f"{args.field}: {e}"
            raise UsageError(message + where) from None
        if typed:
            values[spec] = value
    change = Change(op, steps, raw, values)
    func = functools.partial(change_target, change, args.dry_run)
    counts = _rewrite_each(args, func, out, skipped, show_text=args.dry_run, targets=targets)
    verb = "would change" if args.dry_run else "changed"
    out.emit(
        f"{op} {args.field}: {_plural(counts['changed'], 'file')} {verb}, "
        f"{counts['unchanged']} unchanged, {counts['failed']} failed{_skipped_text(skipped)}",
        err=True,
    )
    return PROBLEMS if counts["failed"] else OK


def _fmt(args: argparse.Namespace, out: _Output) -> int:
    write = not (args.check or args.diff)
    skipped: Counter[str] = Counter()
    if _stdin_only(args):
        func = functools.partial(fmt_target, True, args.diff, args.drop_comments)
        _, shown, outcome, after = _run_stdin(args, func)
        for p in outcome.problems:
            out.problem(shown, p, err=True)
        if outcome.status == "failed":
            return PROBLEMS
        if args.diff:
            out.emit(outcome.text, end="")
        elif not args.check:
            out.emit(after, end="")
        return PROBLEMS if outcome.status == "changed" and not write else OK
    func = functools.partial(fmt_target, write, args.diff, args.drop_comments)
    targets = _writable_selection(args, skipped) if write else None
    counts = _rewrite_each(args, func, out, skipped, show_text=args.diff, targets=targets)
    verb = "reformatted" if write else "would be reformatted"
    changed, unchanged, failed = counts["changed"], counts["unchanged"], counts["failed"]
    out.emit(
        f"{_plural(changed, 'file')} {verb}, {unchanged} unchanged, {failed} failed{_skipped_text(skipped)}",
        err=True,
    )
    return PROBLEMS if counts["failed"] or (counts["changed"] and not write) else OK


def _export(args: argparse.Namespace, out: _Output) -> int:
    if args.format == "parquet":
        return _export_parquet(args, out)
    if args.output is not None:
        args.parser.error("-o/--output is for --format parquet; JSON goes to stdout")
    as_array = args.format == "json"
    func = functools.partial(export_target, args.with_path, args.with_body)
    items = failed = 0
    skipped: Counter[str] = Counter()
    opened = False  # "[" is printed with the first result: not before a usage error

    def open_array() -> None:
        nonlocal opened
        if as_array and not opened:
            out.emit("[", end="")
            opened = True

    def report(path: str, outcome: Outcome) -> None:
        nonlocal items, failed
        open_array()
        if outcome.status == "skipped":
            skipped["without front matter"] += 1
        elif outcome.problems:
            failed += 1
            for p in outcome.problems:
                out.problem(path, p, err=True)
        elif as_array:
            out.emit(("," if items else "") + "\n" + outcome.text, end="")
            items += 1
        else:
            out.emit(outcome.text)
            items += 1

    for path, outcome in _outcomes(args, func, out, skipped):
        report(path, outcome)
    if not items and not failed and not skipped:
        raise _nothing_found(args)
    if as_array:
        open_array()
        out.emit("\n]" if items else "]")
    if failed or skipped:
        out.emit(
            f"exported {_plural(items, 'item')}; {_plural(failed, 'file')} failed{_skipped_text(skipped)}",
            err=True,
        )
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
    func = functools.partial(export_target, args.with_path, args.with_body)
    records, failed = [], 0
    skipped: Counter[str] = Counter()
    for path, outcome in _outcomes(args, func, out, skipped):
        if outcome.status == "skipped":
            skipped["without front matter"] += 1
            continue
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
    if not records and not failed and not skipped:
        raise _nothing_found(args)
    try:
        write_parquet(records, args.output)
    except OSError as e:
        out.error(f"cannot write {args.output}: {e.strerror or e}")
        return PROBLEMS
    out.emit(f"exported {_plural(len(records), 'item')} to {args.output}; {failed} failed", err=True)
    return PROBLEMS if failed else OK


_SLUG = re.compile(r"[^a-z0-9]+")
#: The longest slug in a file name, as in the corpus's file names.
SLUG_LENGTH = 150


def file_name(record: dict[str, Any], index: int) -> str:
    """The file name ``new`` gives an item: ``YYYY-MM-DD-slug.md`` from its
    ``publishedDateTime`` and its ``title`` (or ``name``), as Jekyll names posts.

    >>> file_name({"title": "Heat pump subsidy doubles!", "publishedDateTime": "2024-03-09T06:00:00Z"}, 0)
    '2024-03-09-heat-pump-subsidy-doubles.md'
    >>> file_name({"name": "Ada Lovelace"}, 0), file_name({}, 6)
    ('ada-lovelace.md', 'item-7.md')
    """
    import unicodedata

    title = record.get("title") or record.get("name")
    slug = ""
    if isinstance(title, str):
        ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
        slug = _SLUG.sub("-", ascii_title.lower()).strip("-")[:SLUG_LENGTH].rstrip("-")
    slug = slug or f"item-{index + 1}"
    when = record.get("publishedDateTime")
    if isinstance(when, str) and re.match(r"\d{4}-\d{2}-\d{2}", when):
        slug = f"{when[:10]}-{slug}"
    return slug + ".md"


def _records(source: str) -> list[Any]:
    """One JSON value, or JSON Lines: the records to make items of."""
    try:
        data = json_value(source)
    except ValueError as first:
        lines = [line for line in source.splitlines() if line.strip()]
        if len(lines) < 2 or not (isinstance(first, json.JSONDecodeError) and first.msg == "Extra data"):
            raise first from None  # not several JSON values, one a line
        records = []
        for n, line in enumerate(lines, 1):
            try:
                records.append(json_value(line))
            except ValueError as e:
                raise ValueError(f"line {n}: {e}") from None
        return records
    return data if isinstance(data, list) else [data]


def _new(args: argparse.Namespace, out: _Output) -> int:
    name = "<stdin>" if args.from_json == STDIN else args.from_json
    try:
        if args.from_json == STDIN:
            source = sys.stdin.read()
        else:
            with open(args.from_json, encoding="utf-8") as f:
                source = f.read()
        records = _records(source)
    except OSError as e:
        out.error(f"cannot read {name}: {e.strerror or e}")
        return PROBLEMS
    except ValueError as e:
        out.error(f"{name} is not JSON: {e}")
        return PROBLEMS
    many = len(records) != 1 or (
        args.output is not None and (os.path.isdir(args.output) or args.output.endswith(("/", os.sep)))
    )
    if many and args.output is None:
        raise UsageError(f"{name} holds {len(records)} items: give a folder to write them to with -o DIR")
    if not many and data_format(args.output) is not None:
        raise UsageError(
            f"-o {args.output}: new writes a page with front matter, and a file named "
            f"{os.path.splitext(args.output)[1]} is read as a bare data file; name it .md"
        )
    # Where each goes, and its schema (the configuration's for that path, or --schema).
    dests: list[str | None] = []
    for i, record in enumerate(records):
        if args.output is None:
            dests.append(None)
        elif many:
            dests.append(os.path.join(args.output, file_name(record if isinstance(record, dict) else {}, i)))
        else:
            dests.append(args.output)
    texts: list[str] = []
    failed = False
    for i, (record, dest) in enumerate(zip(records, dests, strict=True)):
        cfg = _config_at(args, dest or ".")
        spec = cfg.schema_spec(dest) if dest else (args.schema or "news")
        try:
            texts.append(new_text(record, resolve_schema(spec, cfg.import_paths), args.format))
        except NewsItemError as e:
            failed = True
            shown = f"{name}[{i}]" if len(records) > 1 else name
            for p in problems_of(e):
                out.problem(shown, p, err=True)
    if failed:
        if len(records) > 1:
            out.error("nothing was written")
        return PROBLEMS
    if args.output is None:
        out.emit(texts[0], end="")
        return OK
    taken = [d for d in dests if d is not None and os.path.lexists(d) and not args.force]
    seen: Counter[str | None] = Counter(dests)
    twice = [d for d in seen if d is not None and seen[d] > 1]
    if taken or twice:
        for d in twice:
            out.error(f"{seen[d]} items would be written to {d}; nothing was written")
        for d in taken:
            out.error(f"{d} exists; nothing was written (use --force to overwrite)")
        return PROBLEMS
    if many:
        try:
            os.makedirs(args.output, exist_ok=True)
        except OSError as e:  # a file of that name, or in the way
            out.error(f"cannot make the folder {args.output}: {e.strerror or e}; nothing was written")
            return PROBLEMS
    for text, dest in zip(texts, dests, strict=True):
        assert dest is not None
        cfg = _config_at(args, dest)
        schema = resolve_schema(cfg.schema_spec(dest), cfg.import_paths)
        try:
            dump(loads(text, schema=schema), dest)
        except NewsItemError as e:  # a folder that does not exist, say
            for p in problems_of(e):
                out.problem(dest, p, err=True)
            return PROBLEMS
        if many:
            out.emit(dest)
    return OK


def _convert(args: argparse.Namespace, out: _Output) -> int:
    skipped: Counter[str] = Counter()
    write = not args.dry_run
    func = functools.partial(convert_target, args.to, write, args.dry_run, args.drop_comments)
    targets = _writable_selection(args, skipped) if write else None
    counts = _rewrite_each(args, func, out, skipped, show_text=args.dry_run, targets=targets)
    verb = "converted" if write else "would be converted"
    changed, unchanged, failed = counts["changed"], counts["unchanged"], counts["failed"]
    out.emit(
        f"{_plural(changed, 'file')} {verb} to {args.to.upper()}, {unchanged} unchanged, "
        f"{failed} failed{_skipped_text(skipped)}",
        err=True,
    )
    return PROBLEMS if failed else OK


def _schema_command(args: argparse.Namespace, out: _Output) -> int:
    cfg = _config_at(args, ".")
    schema = resolve_schema(args.schema or "news", cfg.import_paths)
    if schema is None:
        raise UsageError("--schema none has no fields to describe; name a class")
    out.emit(json.dumps(json_schema(schema), indent=2, ensure_ascii=False))
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


def _add_schema(p: argparse.ArgumentParser, *, config: bool = True, exclude: bool = True) -> None:
    """``--schema``, and unless told otherwise ``--config``/``--no-config`` and
    ``--exclude`` (which only commands that select files from folders take)."""
    p.add_argument(
        "--schema",
        type=_schema,
        default=None,
        metavar="SPEC",
        help="'news', 'none' (well-formed front matter only) or 'module:Class' (an attrs class) "
        "for every file, instead of the configuration's schemas (default: news)",
    )
    if not config:
        return
    g = p.add_mutually_exclusive_group()
    g.add_argument(
        "--config",
        metavar="FILE",
        help="the configuration file (default: newsitem.toml, or pyproject.toml with [tool.newsitem], "
        "in the folder of each PATH or above)",
    )
    g.add_argument("--no-config", action="store_true", help="use no configuration file")
    if not exclude:
        return
    p.add_argument(
        "--exclude",
        action="append",
        metavar="GLOB",
        help="leave matching files alone, instead of the configuration's exclude (repeatable)",
    )


def _add_stdin(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--stdin-filename",
        metavar="PATH",
        help="with '-': the path standard input stands for (picks its schema from the configuration)",
    )


def _add_batch(p: argparse.ArgumentParser, what: str = "files and folders") -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help=what)
    p.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default="auto",
        metavar="N",
        help=f"worker processes: 'auto' (default: one process for fewer than {AUTO_MIN_FILES} files, "
        f"else one per core, here {all_cores()}) or a number; 1 works in this process",
    )
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="a progress bar on stderr (default: on a terminal, once a run takes over a second; "
        "needs the 'cli' extra)",
    )
    _add_schema(p)


def _add_dry_run(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dry-run", action="store_true", help="print a unified diff instead of writing")


class _Version(argparse.Action):
    """``--version``, which reads the installed version only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        from . import __version__

        parser.exit(message=f"{parser.prog} {__version__}\n")


_COMMANDS = frozenset(
    ("check", "get", "set", "add", "remove", "unset", "fmt", "export", "new", "convert", "schema")
)


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of the command line. Given the *command* about to run, only its options are
    set up: the other commands' would cost a few milliseconds of argparse at every start."""
    parser = argparse.ArgumentParser(
        prog="newsitem",
        description="Check and edit items kept as Markdown files with front matter.",
        epilog=EXIT_CODES + " Run 'newsitem COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action=_Version)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    walked = ", ".join(SUFFIXES)

    if command is None or command == "check":
        p = _command(
            sub,
            "check",
            _check,
            "validate files and folders of items",
            f"Validate front-matter files. Folders are walked recursively for {walked} files.\n"
            "One line per problem: path:line:column: field: message, then a summary line.\n"
            "Files found in folders that have no front matter are skipped and counted, unless the\n"
            "configuration's require-front-matter names them; a file named directly must have it.\n"
            "'-' checks standard input.",
        )
        _add_batch(p)
        _add_stdin(p)
        p.add_argument(
            "--format",
            choices=("text", "json", "github"),
            default="text",
            help="output format: text (default), json, or github (GitHub Actions annotations)",
        )

    if command is None or command == "get":
        p = _command(
            sub,
            "get",
            _get,
            "print the value of a field",
            "Print the value at a field path such as title, provider.name or related[0].images[1].url:\n"
            "strings, numbers, booleans and date-times plainly, lists and objects as JSON.\n"
            "Exit status 1 when the field is not set. FILE '-' reads standard input.",
        )
        p.add_argument("file", metavar="FILE")
        p.add_argument("field", metavar="FIELD", help="a field path (attribute names or keys as in the file)")
        _add_schema(p, exclude=False)  # one file, named: nothing to leave alone
        _add_stdin(p)

    if command is None or command == "set":
        p = _command(
            sub,
            "set",
            _set,
            "set a field in many files",
            "Set a field in every file, changing nothing else. VALUE is read for the field's type:\n"
            "integers, true/false, ISO 8601 date-times, JSON for lists and objects, text for strings\n"
            "(the word null too: to remove a field, use 'newsitem unset'). Prints the files it changed.\n"
            "A file that fails to load is reported and left as it was; the others are still done.",
        )
        p.add_argument(
            "field", metavar="FIELD", help="a field path, such as provider.name or images[0].width"
        )
        p.add_argument("value", metavar="VALUE")
        _add_batch(p)
        _add_dry_run(p)

    if command is None or command in ("add", "remove"):
        for name, run, verb, description in (
            (
                "add",
                _add,
                "add a value to a list field",
                "Append VALUE to the list FIELD of every file that does not hold it yet.",
            ),
            (
                "remove",
                _remove,
                "remove a value from a list field",
                "Remove VALUE from the list FIELD of every file that holds it.",
            ),
        ):
            p = _command(
                sub,
                name,
                run,
                verb,
                description + "\nVALUE is read for the type of the list's items, as 'set' reads it.\n"
                "Only the lines of that item change. Prints the files it changed.",
            )
            p.add_argument("field", metavar="FIELD", help="a list field, such as topics or tags")
            p.add_argument("value", metavar="VALUE")
            _add_batch(p)
            _add_dry_run(p)

    if command is None or command == "unset":
        p = _command(
            sub,
            "unset",
            _unset,
            "remove a field from many files",
            "Remove FIELD from every file (set it to null where the schema requires the key).\n"
            "Only the lines that held it change. Prints the files it changed.",
        )
        p.add_argument("field", metavar="FIELD", help="a field path, such as ampWebUrl or provider.images[0]")
        _add_batch(p)
        _add_dry_run(p)

    if command is None or command == "fmt":
        p = _command(
            sub,
            "fmt",
            _fmt,
            "rewrite front matter in the house style",
            "Rewrite the front matter of each file in the house style (what newsitem writes for a new\n"
            "item); the body, a BOM and line endings are kept. A second run changes nothing.\n"
            "Prints the files it rewrote. A file is left as it is, and reported, if the new text\n"
            "would not mean the same, would lose keys the schema does not know, or would lose\n"
            "comments (unless --drop-comments). '-' formats standard input to standard output.",
        )
        _add_batch(p)
        _add_stdin(p)
        p.add_argument(
            "--check", action="store_true", help="write nothing; list files that would change, exit 1 if any"
        )
        p.add_argument(
            "--diff", action="store_true", help="write nothing; print a unified diff, exit 1 if any"
        )
        p.add_argument(
            "--drop-comments",
            action="store_true",
            help="rewrite files whose front matter has comments, dropping them (by default such files are "
            "reported and left as they are)",
        )

    if command is None or command == "export":
        p = _command(
            sub,
            "export",
            _export,
            "print items as JSON Lines or a JSON array, or write a Parquet table",
            "One JSON object per item: keys as in the files, date-times in ISO 8601.\n"
            "--format parquet -o FILE writes one row per item instead, nested keys as dotted\n"
            "columns (provider.name) and lists as JSON text. '-' exports standard input.",
        )
        _add_batch(p)
        _add_stdin(p)
        p.add_argument(
            "--format",
            choices=("jsonl", "json", "parquet"),
            default="jsonl",
            help="JSON Lines (default), one JSON array, or a Parquet table (-o FILE; needs the 'dask' extra)",
        )
        p.add_argument("-o", "--output", metavar="FILE", help="the Parquet file to write (--format parquet)")
        p.add_argument("--with-path", action="store_true", help="add the file's path as '_path'")
        p.add_argument("--with-body", action="store_true", help="add the body as '_body'")

    if command is None or command == "new":
        p = _command(
            sub,
            "new",
            _new,
            "write new item files from JSON",
            "Write new item files in the house style from JSON as 'export' prints it: one object, a\n"
            "JSON array or JSON Lines ('_body' becomes the body; '_path' is ignored). Several items\n"
            "need -o DIR: each is written to DIR/YYYY-MM-DD-slug.md (from publishedDateTime and\n"
            "title, or name). Nothing is written if any item is invalid or any file exists.",
        )
        p.add_argument("--from-json", required=True, metavar="FILE", help="the JSON file, or - for stdin")
        p.add_argument(
            "-o", "--output", metavar="OUT", help="the file to write, or a folder (default: stdout)"
        )
        p.add_argument("--force", action="store_true", help="overwrite files that exist")
        p.add_argument(
            "--format", choices=FORMATS, default="yaml", help="the front matter's format (default: yaml)"
        )
        _add_schema(p, exclude=False)  # it writes the files it names

    if command is None or command == "convert":
        p = _command(
            sub,
            "convert",
            _convert,
            "rewrite front matter in another format",
            "Rewrite the front matter of each file as YAML ('---'), TOML ('+++') or JSON ('{'), in that\n"
            "format's house style; the item, the body, a BOM and line endings are kept. Values the\n"
            "format cannot hold (TOML has no null; JSON no date-time outside a typed field) are\n"
            "reported, naming the field, and the file is left as it was; so are files whose front\n"
            "matter has comments (unless --drop-comments), which do not carry over. Data files\n"
            "(.yaml, .toml, .json) keep the format their name says.",
        )
        p.add_argument("--to", required=True, choices=FORMATS, help="the format to write")
        _add_batch(p)
        _add_dry_run(p)
        p.add_argument(
            "--drop-comments",
            action="store_true",
            help="convert files whose front matter has comments, dropping them",
        )

    if command is None or command == "schema":
        p = _command(
            sub,
            "schema",
            _schema_command,
            "print a JSON Schema for the front matter",
            "Print a JSON Schema (2020-12) generated from the schema's attrs classes, for editors\n"
            "and other validators.",
        )
        _add_schema(p, config=False)
    return parser


def _set(args: argparse.Namespace, out: _Output) -> int:
    return _change(args, out, "set")


def _add(args: argparse.Namespace, out: _Output) -> int:
    return _change(args, out, "add")


def _remove(args: argparse.Namespace, out: _Output) -> int:
    return _change(args, out, "remove")


def _unset(args: argparse.Namespace, out: _Output) -> int:
    return _change(args, out, "unset")


def _quiet_stdout() -> None:
    """After a broken pipe (``newsitem export ... | head``), keep Python quiet at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (tests)
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args_list = sys.argv[1:] if argv is None else list(argv)
    first = args_list[0] if args_list else None
    parser = _parser(first if first in _COMMANDS else None)
    args = parser.parse_args(args_list)
    out = _Output(sys.stdout, sys.stderr)
    try:
        status: int = args.run(args, out)
    except (UsageError, ConfigError) as e:
        args.parser.error(str(e))
    except KeyboardInterrupt:
        out.error("interrupted")
        return 130
    except BrokenPipeError:
        _quiet_stdout()
        return PROBLEMS
    except Exception as e:
        pools = sys.modules.get("concurrent.futures.process")  # loaded only if workers ran
        if pools is not None and isinstance(e, pools.BrokenProcessPool):
            out.error("a worker process stopped unexpectedly (out of memory?)")
            return PROBLEMS
        raise
    return status
