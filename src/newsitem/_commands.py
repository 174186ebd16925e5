"""What each command does to one file, as functions a worker process can run.

Each takes its options first (so the command line can bind them with
:func:`functools.partial`) and the file's path last, catches newsitem's errors,
and returns a small picklable result: problems, a status, a line of output.
Printing is the command line's job.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
import typing
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

import attrs
import cattrs

from ._batch import has_front_matter, load_target, no_front_matter
from ._config import Target
from ._convert import converter, dotted, field_errors, validator_attribute
from ._document import Document, Rendered, converted, dumps, loads, render, restyle
from ._errors import FieldError, NewsItemError, ParseError, ValidationError
from ._fieldpath import Step, assign, get, parse_datetime, plain_value
from ._fieldpath import _field as attrs_field
from ._files import dump, load, write_verified
from ._jsonschema import to_json
from ._schema import extras_field, hints, key_of

__all__ = [
    "Change",
    "Outcome",
    "Problem",
    "change_target",
    "check_file",
    "convert_file",
    "convert_target",
    "check_target",
    "diff_name",
    "export_target",
    "fmt_target",
    "export_file",
    "fmt_file",
    "has_comments",
    "house_style",
    "new_text",
    "problems_of",
    "set_file",
    "unified_diff",
]


class Problem(NamedTuple):
    """One problem in one file, as ``check`` reports it."""

    line: int
    column: int
    #: The field path, or ``None`` for the front matter or the file as a whole.
    field: str | None
    message: str
    #: ``"field"``, ``"front matter"`` or ``"file"``.
    kind: str
    #: The exception class: ``ValidationError``, ``ParseError``, ``FileError``...
    error: str

    @property
    def label(self) -> str:
        return self.field or f"({self.kind})"


class Outcome(NamedTuple):
    """What a command did to one file."""

    #: ``"changed"``, ``"unchanged"``, ``"failed"``, or ``"skipped"`` (no front matter).
    status: str
    #: Output for the file: a diff, a JSON line, or ``""``.
    text: str = ""
    problems: tuple[Problem, ...] = ()


def problems_of(exc: NewsItemError) -> tuple[Problem, ...]:
    name = type(exc).__name__
    if isinstance(exc, ValidationError):
        return tuple(
            Problem(
                e.line or 0,
                e.column or 0,
                e.field or None,
                e.message,
                "field" if e.field else "front matter",
                name,
            )
            for e in exc.errors
        )
    if isinstance(exc, ParseError):
        return (Problem(exc.line or 0, exc.column or 0, None, exc.message, "front matter", name),)
    return (Problem(0, 0, None, str(exc), "file", name),)


def _failed(exc: NewsItemError) -> Outcome:
    return Outcome("failed", "", problems_of(exc))


def check_file(schema: type[Any] | None, path: str) -> tuple[Problem, ...]:
    """The problems of one file (none when it is valid)."""
    try:
        load(path, schema=schema)
    except NewsItemError as e:
        return problems_of(e)
    return ()


def _lines(text: str) -> list[str]:
    """Lines ending at ``\\n`` (as ``diff`` sees them: a ``\\r`` or a form feed is not a line end)."""
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


def diff_name(path: str) -> str:
    """*path* as a diff names it: relative to the current folder, with ``/``, no ``./``."""
    try:
        rel = os.path.relpath(os.path.abspath(path))
    except ValueError:  # pragma: no cover - another drive (Windows)
        rel = path
    return rel.replace(os.sep, "/")


_C_ESCAPES = {"\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f", "\r": "\\r"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _diff_path(prefix: str, name: str) -> str:
    """``a/name``, quoted as ``git diff`` quotes a name with control characters (a tab,
    a newline), which ``git apply`` could not read otherwise."""
    if not _CONTROL.search(name):
        return prefix + name
    quoted = re.sub(
        r'[\x00-\x1f\x7f"\\]',
        lambda m: _C_ESCAPES.get(m[0]) or ("\\" + m[0] if m[0] in '"\\' else f"\\{ord(m[0]):03o}"),
        prefix + name,
    )
    return f'"{quoted}"'


def unified_diff(path: str, before: str, after: str) -> str:
    """A unified diff of one file, as ``git diff`` prints it, which ``git apply`` and
    ``patch -p1`` accept: ``a/`` and ``b/`` before the path relative to the current folder."""
    name = diff_name(path)
    out = []
    import difflib

    old, new = _diff_path("a/", name), _diff_path("b/", name)
    for line in difflib.unified_diff(_lines(before), _lines(after), old, new):
        out.append(line)
        if not line.endswith("\n"):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


def _untyped_value(raw: str, item: Any, steps: tuple[Step, ...]) -> Any:
    """A value for untyped data: JSON if *raw* is JSON; a date-time where one was (a
    date where a date was, a time of day where one was, if *raw* is one)."""
    value = plain_value(raw)
    if isinstance(value, str):
        try:
            current = get(item, steps)
        except LookupError:
            return value
        kind = type(current)
        if kind is dt.date or kind is dt.time:
            try:
                return kind.fromisoformat(raw)
            except ValueError:
                pass
        if isinstance(current, dt.date):  # a date-time stays a date-time
            try:
                return parse_datetime(raw)
            except ValueError:
                return value
    return value


def set_file(
    schema: type[Any] | None, steps: tuple[Step, ...], value: Any, raw: str | None, dry_run: bool, path: str
) -> Outcome:
    """Set the field at *steps* to *value* (or, where the field is untyped, to *raw* read as JSON).

    The file is written only if its text changes; with *dry_run*, never, and the
    outcome holds the diff instead.
    """
    try:
        doc = load(path, schema=schema)
        before = dumps(doc)
        new = copy.deepcopy(value) if raw is None else _untyped_value(raw, doc.item, steps)
        try:
            assign(doc.item, steps, new)
        except LookupError as e:
            return Outcome("failed", "", (Problem(0, 0, dotted(steps), str(e), "field", "LookupError"),))
        after = dumps(doc)
        if after == before:
            return Outcome("unchanged")
        if dry_run:
            return Outcome("changed", unified_diff(path, before, after))
        dump(doc, path)
    except NewsItemError as e:
        return _failed(e)
    return Outcome("changed")


def house_style(doc: Document[Any]) -> str:
    """The text of *doc* with its front matter written afresh in the house style.

    The front matter is what :func:`dumps` writes for a new document holding the
    same item; the body, a BOM and the file's line endings are kept. Text without
    front matter is returned as it is.
    """
    return restyle(doc).text


def _key_paths(value: Any, prefix: str = "") -> set[str]:
    """Paths of the keys that hold something (not null, not an empty list or mapping)."""
    paths: set[str] = set()
    if type(value) is dict:
        for k, v in value.items():
            if v is None or (type(v) in (dict, list) and not v):
                continue
            path = f"{prefix}.{k}" if prefix else str(k)
            paths.add(path)
            paths |= _key_paths(v, path)
    elif type(value) is list:
        for i, v in enumerate(value):
            paths |= _key_paths(v, f"{prefix}[{i}]")
    return paths


def _comments(value: Any) -> Iterator[str]:
    from ruamel.yaml.tokens import CommentToken

    if isinstance(value, CommentToken):
        yield value.value
    elif isinstance(value, list):
        for v in value:
            yield from _comments(v)


_TOML_STRINGS = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'')


def has_comments(text: str, format: str = "yaml") -> bool:
    """Whether front-matter text holds a ``#`` comment (JSON holds none; for TOML, any
    ``#`` outside a string counts)."""
    if format == "json":
        return False
    if format == "toml":
        return "#" in _TOML_STRINGS.sub("", text)
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.tokens import CommentToken

    # ruamel's scanner refuses a tab where YAML allows one (after "key:"); a tab is
    # white space as a space is, so a "#" starts a comment after either.
    try:
        for token in YAML(typ="rt").scan(text.replace("\t", " ")):
            if any("#" in c for c in _comments(token if isinstance(token, CommentToken) else token.comment)):
                return True
    except YAMLError:  # pragma: no cover - the text was loaded before, so it scans
        return True
    return False


def fmt_file(
    schema: type[Any] | None, write: bool, want_diff: bool, drop_comments: bool, path: str
) -> Outcome:
    """Rewrite one file in the house style (see :func:`house_style`).

    The new text must load back to the same item and body, and keep every key that
    holds a value (a schema without an extras field would drop unknown keys), and
    the front matter must have no comments (which the house style does not keep)
    unless *drop_comments*; otherwise the file fails and is left as it was. With
    *write*, a changed file is written back, unless it changed on disk meanwhile.
    """
    return _rewrite_file(schema, path, restyle, "the house style", write, want_diff, drop_comments)


def convert_file(
    schema: type[Any] | None, to: str, write: bool, want_diff: bool, drop_comments: bool, path: str
) -> Outcome:
    """Rewrite one file's front matter in another format (``yaml``, ``toml``, ``json``),
    on the same terms as :func:`fmt_file`. A data file (``.yaml``, ``.toml``,
    ``.json``) keeps the format its name says."""

    def make(doc: Document[Any]) -> Rendered:
        if doc.format == to or not doc.has_front_matter:
            return render(doc)
        if doc.bare:
            raise NewsItemError(f"a data file's format is its name's ({doc.format}): rename it to convert it")
        return converted(doc, to)

    return _rewrite_file(schema, path, make, f"{to.upper()} front matter", write, want_diff, drop_comments)


def _rewrite_file(
    schema: type[Any] | None,
    path: str,
    make: Callable[[Document[Any]], Rendered],
    what: str,
    write: bool,
    want_diff: bool,
    drop_comments: bool,
) -> Outcome:
    try:
        doc = load(path, schema=schema)
        bare, fmt = doc.bare, doc.format
        before = dumps(doc)
        rendered = make(doc)  # read back and checked: it means the same item and body
        after = rendered.text
        if after == before:
            return Outcome("unchanged")
        if not drop_comments and has_comments(
            before[: len(before) - len(doc.body)].lstrip("\ufeff"), doc.format
        ):
            raise NewsItemError(
                f"the front matter has comments, which {what} does not keep; "
                "it was left as it was (--drop-comments rewrites it anyway)"
            )
        if schema is not None:
            lost = _key_paths(loads(before, schema=None, bare=bare, format=fmt).item) - _key_paths(
                loads(after, schema=None, bare=bare, format=fmt).item
            )
            if lost:
                keys = ", ".join(sorted(lost)[:5]) + (", ..." if len(lost) > 5 else "")
                raise NewsItemError(
                    f"{what} would drop keys the schema does not know ({keys}); it was left as it was"
                )
        diff = unified_diff(path, before, after) if want_diff else ""
        if write:  # refused if the file changed on disk since it was loaded
            write_verified(doc, rendered, path)
    except NewsItemError as e:
        return _failed(e)
    return Outcome("changed", diff)


def export_file(schema: type[Any] | None, with_path: bool, with_body: bool, path: str) -> Outcome:
    """One item as a line of JSON: keys as in the file, date-times in ISO 8601."""
    try:
        doc = load(path, schema=schema)
    except NewsItemError as e:
        return _failed(e)
    return export_doc(doc, path, with_path, with_body)


def export_doc(doc: Document[Any], path: str, with_path: bool, with_body: bool) -> Outcome:
    """A loaded document as a line of JSON (see :func:`export_file`)."""
    try:
        data = to_json(doc.item)
        record: dict[Any, Any] = {"_path": path} if with_path else {}
        record.update(data)
        if with_body:
            record["_body"] = doc.body
        line = json.dumps(record, ensure_ascii=False, allow_nan=False)
    except (ValueError, TypeError) as e:
        return Outcome(
            "failed", "", (Problem(0, 0, None, f"cannot export as JSON: {e}", "file", "ValueError"),)
        )
    return Outcome("changed", line)


def new_text(data: Any, schema: type[Any] | None, format: str = "yaml") -> str:
    """The text of a new item file from JSON data as ``export`` writes it, with front
    matter in *format* (``yaml``, ``toml`` or ``json``).

    ``_body`` becomes the body and ``_path`` is ignored. :class:`ValidationError`
    when the data does not fit *schema*.
    """
    if type(data) is not dict:
        raise ValidationError([FieldError("", f"expected a JSON object, got {type(data).__name__}")])
    data = dict(data)
    body = data.pop("_body", "")
    data.pop("_path", None)
    if not isinstance(body, str):
        raise ValidationError([FieldError("_body", "expected a string")])
    item: Any = data
    if schema is not None:
        if not attrs.has(schema):
            raise TypeError(f"schema must be an attrs class or None, not {schema!r}")
        try:
            item = converter.structure(data, schema)
        except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as e:
            raise ValidationError(
                FieldError(dotted(p), message) for p, _, message in field_errors(e)
            ) from None
    return dumps(Document(item=item, body=body, format=format))  # read back before it returns


# -- files selected by a site's configuration -----------------------------------------

_SKIPPED = Outcome("skipped")


def check_target(target: Target) -> Outcome:
    """Check one selected file: ``"unchanged"`` when valid, ``"failed"`` with its
    problems, ``"skipped"`` when it has no front matter and need not have any."""
    result = load_target(target)
    if result is None:
        return _SKIPPED
    if isinstance(result, NewsItemError):
        return _failed(result)
    return Outcome("unchanged")


def _without_front_matter(outcome: Outcome, target: Target) -> Outcome:
    """*outcome* of a file that failed validation, unless it failed because it has no
    front matter at all: then skipped, or a "no front matter" problem if it must have some."""
    if (
        outcome.status == "failed"
        and all(p.error == "ValidationError" for p in outcome.problems)
        and not has_front_matter(target.path)
    ):
        return _failed(no_front_matter(target.path)) if target.require_front_matter else _SKIPPED
    return outcome


def fmt_target(write: bool, want_diff: bool, drop_comments: bool, target: Target) -> Outcome:
    """:func:`fmt_file` for a selected file (a file without front matter is left as it is)."""
    outcome = fmt_file(target.resolve(), write, want_diff, drop_comments, target.path)
    return _without_front_matter(outcome, target)


def convert_target(to: str, write: bool, want_diff: bool, drop_comments: bool, target: Target) -> Outcome:
    """:func:`convert_file` for a selected file (a file without front matter is left as it is)."""
    outcome = convert_file(target.resolve(), to, write, want_diff, drop_comments, target.path)
    return _without_front_matter(outcome, target)


def export_target(with_path: bool, with_body: bool, target: Target) -> Outcome:
    """:func:`export_file` for a selected file; a file without front matter is skipped."""
    result = load_target(target)
    if result is None:
        return _SKIPPED
    if isinstance(result, NewsItemError):
        return _failed(result)
    return export_doc(result, target.path, with_path, with_body)


class Change(NamedTuple):
    """An edit of one field, for ``set``, ``add``, ``remove`` and ``unset``."""

    #: ``"set"``, ``"add"``, ``"remove"`` or ``"unset"``.
    op: str
    steps: tuple[Step, ...]
    #: The command-line text of the value (``None`` for ``unset``).
    raw: str | None
    #: The value read for the field's type, by schema spec; a spec that is not here
    #: (``none``, or a path into untyped data) reads *raw* as JSON where it is JSON.
    values: Mapping[str, Any]


def _field_problem(steps: tuple[Step, ...], message: str, error: str = "LookupError") -> Outcome:
    return Outcome("failed", "", (Problem(0, 0, dotted(steps), message, "field", error),))


def _describe_value(value: Any) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "a boolean", dict: "a mapping"}
    return names.get(type(value), f"a {type(value).__name__}")


def _unset(item: Any, steps: tuple[Step, ...]) -> str | None:
    """Remove the field at *steps*; ``None`` when done (or already absent), else why not."""
    try:
        parent = get(item, steps[:-1]) if len(steps) > 1 else item
    except LookupError:
        return None  # the parent is absent: so is the field
    step = steps[-1]
    if isinstance(step, int):
        if type(parent) is list and -len(parent) <= step < len(parent):
            del parent[step]
        return None
    cls: type = type(parent)
    if attrs.has(cls):
        field = attrs_field(cls, step)
        if field is None:
            extras = extras_field(cls)
            if extras is not None:
                getattr(parent, extras.name).pop(step, None)
            return None
        default: Any = field.default
        if default is attrs.NOTHING:
            if getattr(parent, field.name) is None:
                return None
            hint = hints(cls).get(field.name, Any)
            if hint is Any or type(None) in typing.get_args(hint):
                setattr(parent, field.name, None)  # a required key that may be null
                return None
            return f"{type(parent).__name__} requires {key_of(field)!r}; it cannot be removed"
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            factory = default.factory
            setattr(parent, field.name, factory(parent) if default.takes_self else factory())
        else:
            setattr(parent, field.name, copy.deepcopy(default))
        return None
    if type(parent) is dict:
        for key in (step, *([int(step)] if step.lstrip("-").isdigit() else [])):
            parent.pop(key, None)
        return None
    return f"{dotted(steps[:-1])} is {_describe_value(parent)}, which has no field {step!r}"


def _apply_change(change: Change, spec: str, item: Any) -> str | None:
    """Apply *change* to *item*; ``None`` when done, else the problem."""
    steps = change.steps
    if change.op == "unset":
        return _unset(item, steps)
    if spec in change.values:
        value = copy.deepcopy(change.values[spec])
    elif change.raw == "null":
        value = "null"  # the word: a field is removed with 'unset', never with 'null'
    else:
        value = _untyped_value(change.raw or "", item, steps)
    if change.op == "set":
        assign(item, steps, value)
        return None
    try:
        current = get(item, steps)
    except LookupError:
        current = None
    if current is None:
        if change.op == "add":
            assign(item, steps, [value])
        return None
    if type(current) is not list:
        return f"{dotted(steps)} is {_describe_value(current)}, not a list"
    if change.op == "add":
        if value not in current:
            current.append(value)
    else:
        current[:] = [v for v in current if v != value]
    return None


def change_target(change: Change, dry_run: bool, target: Target) -> Outcome:
    """Set, add to, remove from or unset one field of a selected file.

    The file is written only if its text changes; with *dry_run*, never, and the
    outcome holds the diff instead.
    """
    result = load_target(target)
    if result is None:
        return _SKIPPED
    if isinstance(result, NewsItemError):
        return _failed(result)
    doc = result
    try:
        before = dumps(doc)
        try:
            problem = _apply_change(change, target.schema, doc.item)
        except LookupError as e:
            return _field_problem(change.steps, str(e))
        except (ValueError, TypeError) as e:  # the schema's validators, run as a field is set
            message = e.args[0] if validator_attribute(e) is not None else str(e)
            return _field_problem(change.steps, message, type(e).__name__)
        if problem is not None:
            return _field_problem(change.steps, problem, "ValueError")
        after = dumps(doc)
        if after == before:
            return Outcome("unchanged")
        if dry_run:
            return Outcome("changed", unified_diff(target.path, before, after))
        dump(doc, target.path)
    except NewsItemError as e:
        return _failed(e)
    return Outcome("changed")
