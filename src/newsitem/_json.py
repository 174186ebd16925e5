"""JSON front matter: reading, a span tree for editing, and fresh text.

Values are read with :mod:`json` (C speed). The span tree, needed only to edit a
file or to point an error at its line, is built by a small tokenizer into the same
nodes the YAML tree uses (every container is a flow collection), so the patcher
edits JSON as it edits YAML flow style, spelling every new value as strict JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from typing import Any

from ._emit import format_datetime
from ._errors import LimitError, ParseError
from ._limits import DEFAULT_LIMITS, Limits
from ._tree import Mapping, Node, Scalar, Sequence, position_of

__all__ = ["check", "dumps_value", "emit", "read", "tree"]

_TOKEN = re.compile(
    r'(?P<str>"(?:[^"\\\x00-\x1f]|\\.)*")'
    r"|(?P<num>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)"
    r"|(?P<lit>true|false|null)"
    r"|(?P<punct>[{}\[\],:])"
    r"|(?P<ws>[ \t\r\n]+)",
    re.S,
)
_decode = json.JSONDecoder().decode
#: What json reads but JSON is not: Python's own spellings of NaN and the infinities.
_NOT_JSON = ("NaN", "Infinity", "-Infinity")


class _Refusal(Exception):  # noqa: N818 - a signal inside read(), never raised out of it
    """A duplicate key or a constant JSON does not have: the tokenizer says where."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) != len(pairs):
        raise _Refusal
    return value


def _constant(name: str) -> Any:
    raise _Refusal


_strict_decode = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_constant).decode


def read(front: str, line_offset: int, limits: Limits = DEFAULT_LIMITS) -> dict[str, Any]:
    """The values of a JSON object; :class:`ParseError` with the line and column of a
    mistake (counted in the whole file: *line_offset* lines come before *front*), and
    :class:`LimitError` for an object beyond *limits*.

    Strict JSON only: a duplicate key (which JSON readers settle each their own way) and
    ``NaN`` or ``Infinity`` (which :mod:`json` reads, but JSON has not) are errors.
    """
    try:
        value = _strict_decode(front)
    except json.JSONDecodeError as e:
        line, column = position_of(front, e.pos)
        message = e.msg.removesuffix(" at")  # "Invalid control character at": the position says where
        raise ParseError(f"invalid JSON: {message}", line=line + line_offset, column=column) from None
    except (_Refusal, ValueError, RecursionError):  # ValueError: an integer too long for int()
        tree(front, line_offset, limits)  # raises, pointing at it
        raise LimitError("JSON nested too deeply to read", line=line_offset + 1, column=1) from None
    if not isinstance(value, dict):  # a bare data file: the split found an object in front matter
        line, column = position_of(front, len(front) - len(front.lstrip()))
        raise ParseError("JSON front matter must be an object", line=line + line_offset, column=column)
    # Each node takes a character at least, and each level an opening bracket: a
    # front matter within both bounds needs no walk.
    small = len(front) <= limits.max_nodes and front.count("{") + front.count("[") <= limits.max_depth
    if not small and not _fits(value, limits):
        tree(front, line_offset, limits)  # raises, pointing at where the limit is crossed
    return value


def _fits(value: dict[str, Any], limits: Limits) -> bool:
    """Whether *value* nests no deeper than the limits allow and holds no more nodes
    (keys, values and containers, counted as the tokenizer counts them)."""
    nodes, depth, level = 1, 0, [value]
    while level:
        depth += 1
        if depth > limits.max_depth:
            return False
        below: list[Any] = []
        for container in level:
            children = container.values() if type(container) is dict else container
            nodes += 2 * len(container) if type(container) is dict else len(container)
            below.extend(c for c in children if type(c) is dict or type(c) is list)
        if nodes > limits.max_nodes:
            return False
        level = below
    return True


def tree(front: str, line_offset: int = 0, limits: Limits = DEFAULT_LIMITS) -> Node:
    """The span tree of a JSON object; :class:`ParseError` or :class:`LimitError` at the
    place of what :func:`read` refuses beyond what :mod:`json` refuses."""
    pos = 0
    stack: list[Mapping | Sequence] = []
    root: Node | None = None
    n = len(front)
    count = 0
    max_depth, max_nodes = limits.max_depth, limits.max_nodes

    def error(message: str, at: int, kind: type[ParseError] = ParseError) -> ParseError:
        line, column = position_of(front, at)
        return kind(message, line=line + line_offset, column=column)

    while pos < n:
        m = _TOKEN.match(front, pos)
        if m is None:
            constant = next((c for c in _NOT_JSON if front.startswith(c, pos)), None)
            if constant is not None:
                raise error(f"invalid JSON: {constant} is not JSON (it has no NaN or infinities)", pos)
            raise error("invalid JSON", pos)  # pragma: no cover - json.loads accepted this text
        kind = m.lastgroup
        start, pos = m.start(), m.end()
        if kind == "ws":
            continue
        text = m.group()
        node: Node
        if kind == "punct":
            if text in "{[":
                count += 1
                if len(stack) >= max_depth:
                    raise error(f"nesting deeper than {max_depth} levels", start, LimitError)
                if count > max_nodes:
                    raise error(f"more than {max_nodes} nodes", start, LimitError)
                stack.append((Mapping if text == "{" else Sequence)(start, True, None, None))
                continue
            if text in "}]":
                node = stack.pop()
                node.end = pos
            else:
                continue  # "," and ":"
        else:
            count += 1
            if count > max_nodes:
                raise error(f"more than {max_nodes} nodes", start, LimitError)
            try:
                value = _decode(text)
            except ValueError as e:  # an integer too long for int()
                raise error(f"invalid value {text[:40]!r}: {e}", start) from None
            node = Scalar(start, pos, '"' if kind == "str" else "", value, None, None)
        if not stack:
            root = node
            continue
        parent = stack[-1]
        if type(parent) is Mapping:
            if parent.pending is None:
                if node.value in parent.value:
                    raise error(f"duplicate key {node.value!r}", start)
                parent.pending = node
                parent.keys.append(node)
            else:
                key = parent.pending
                parent.pending = None
                parent.nodes.append(node)
                parent.value[key.value] = node.value
        else:
            parent.nodes.append(node)
            parent.value.append(node.value)  # type: ignore[union-attr]
    assert root is not None
    return root


def dumps_value(value: Any, indent: int | None = None, *, ascii: bool = False, slashes: bool = False) -> str:
    """*value* as strict JSON: date-times as ISO 8601 strings, Unicode as it is (or,
    with *ascii*, escaped ``\\u00e9``), ``/`` as it is (or, with *slashes*, ``\\/``)."""
    text = json.dumps(value, ensure_ascii=ascii, allow_nan=False, indent=indent, default=_default)
    return text.replace("/", "\\/") if slashes else text  # only strings hold a "/"


#: An escape, a slash, or a character beyond ASCII, in JSON text.
_SPELLING = re.compile(r"\\(?:u([0-9a-fA-F]{4})|.)|/|[^\x00-\x7f]", re.S)


def spelling(front: str) -> tuple[bool, bool]:
    """How a JSON text spells its strings: ``(ascii, slashes)``, whether it escapes
    every character beyond ASCII (``\\u00e9``, as ``json.dumps`` does by default) and
    every ``/`` (``\\/``, as PHP's ``json_encode`` does), by what it holds of each."""
    escaped_unicode = raw_unicode = escaped_slash = raw_slash = False
    for m in _SPELLING.finditer(front):
        text = m.group()
        if text == "/":
            raw_slash = True
        elif text == "\\/":
            escaped_slash = True
        elif m.group(1) is not None:
            escaped_unicode = escaped_unicode or int(m.group(1), 16) >= 0x80
        elif not text.startswith("\\"):
            raw_unicode = True
    return escaped_unicode and not raw_unicode, escaped_slash and not raw_slash


def _default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return format_datetime(value)
    raise TypeError(f"JSON cannot hold {type(value).__name__}")  # check() lets none through


def emit(data: dict[str, Any], newline: str = "\n") -> str:
    """Fresh JSON front matter: the object, indented by 2 spaces."""
    return dumps_value(data, indent=2).replace("\n", newline)


def check(data: Any, *, typed: bool = False, old: Any = None) -> list[tuple[tuple[str | int, ...], str]]:
    """What JSON cannot hold in *data*, as ``(path, message)``: NaN and infinities,
    keys that are not strings, binary; date-times only where a typed field reads them
    back from their text (*typed*, recursively for records).

    *old*, the values the file held where *data* is an edit of them: a value an
    object keeps under the same key, unchanged, keeps its text, so it passes (a
    ``1e400`` that reads as ``inf`` does not stop the edit of its neighbour).
    """
    from ._convert import MISSING

    problems: list[tuple[tuple[str | int, ...], str]] = []
    _check(data, (), typed, problems, MISSING if old is None else old)
    return problems


def _check(
    value: Any,
    path: tuple[str | int, ...],
    typed: bool,
    out: list[tuple[tuple[str | int, ...], str]],
    old: Any,
) -> None:
    from ._convert import MISSING, Record, same

    if old is not MISSING and same(old, value):
        return  # as the file has it: its text stays
    if isinstance(value, dict):
        fields = _typed_keys(value) if type(value) is Record else frozenset()
        was = old if isinstance(old, dict) else {}
        for k, v in value.items():
            if not isinstance(k, str):
                out.append(((*path, str(k)), f"JSON keys are strings, not {type(k).__name__}"))
                continue
            _check(v, (*path, k), k in fields, out, was.get(k, MISSING))
    elif isinstance(value, list):  # items may move: each is checked
        for i, v in enumerate(value):
            _check(v, (*path, i), typed, out, MISSING)
    elif isinstance(value, float) and not math.isfinite(value):
        out.append((path, f"JSON cannot hold the number {value}"))
    elif isinstance(value, bytes):
        out.append((path, "JSON cannot hold binary data"))
    elif isinstance(value, dt.date | dt.time) and not typed:
        out.append((path, "JSON has no date-time type: a date-time here would read back as text"))


def _typed_keys(record: Any) -> frozenset[str]:
    """Keys of a record whose field reads a date-time back from a string."""
    from ._schema import fields, optional

    out = set()
    for f in fields(record.schema):
        inner, _ = optional(f.type)
        if inner in (dt.datetime, dt.date) or "datetime" in str(inner) or "date" in str(inner):
            out.add(f.key)
    return frozenset(out)
