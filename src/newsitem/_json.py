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
from ._errors import ParseError
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


def read(front: str, line_offset: int) -> dict[str, Any]:
    """The values of a JSON object; :class:`ParseError` with the line and column of a
    mistake (counted in the whole file: *line_offset* lines come before *front*)."""
    try:
        value = json.loads(front)
    except json.JSONDecodeError as e:
        raise ParseError(f"invalid JSON: {e.msg}", line=e.lineno + line_offset, column=e.colno) from None
    except RecursionError:
        raise ParseError("invalid JSON: nested too deeply") from None
    if not isinstance(value, dict):  # pragma: no cover - the split found an object
        raise ParseError("JSON front matter must be an object", line=line_offset + 1, column=1)
    return value


def tree(front: str, line_offset: int = 0) -> Node:
    """The span tree of a JSON object (its text already read without error)."""
    pos = 0
    stack: list[Mapping | Sequence] = []
    root: Node | None = None
    n = len(front)
    while pos < n:
        m = _TOKEN.match(front, pos)
        if m is None:  # pragma: no cover - json.loads accepted this text
            line, column = position_of(front, pos)
            raise ParseError("invalid JSON", line=line + line_offset, column=column)
        kind = m.lastgroup
        start, pos = m.start(), m.end()
        if kind == "ws":
            continue
        text = m.group()
        node: Node
        if kind == "punct":
            if text in "{[":
                stack.append((Mapping if text == "{" else Sequence)(start, True, None, None))
                continue
            if text in "}]":
                node = stack.pop()
                node.end = pos
            else:
                continue  # "," and ":"
        else:
            value = _decode(text)
            node = Scalar(start, pos, '"' if kind == "str" else "", value, None, None)
        if not stack:
            root = node
            continue
        parent = stack[-1]
        if type(parent) is Mapping:
            if parent.pending is None:
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


def dumps_value(value: Any, indent: int | None = None) -> str:
    """*value* as strict JSON: date-times as ISO 8601 strings, Unicode as it is."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, indent=indent, default=_default)


def _default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return format_datetime(value)
    raise TypeError(f"JSON cannot hold {type(value).__name__}")  # check() lets none through


def emit(data: dict[str, Any], newline: str = "\n") -> str:
    """Fresh JSON front matter: the object, indented by 2 spaces."""
    return dumps_value(data, indent=2).replace("\n", newline)


def check(data: Any, *, typed: bool = False) -> list[tuple[tuple[str | int, ...], str]]:
    """What JSON cannot hold in *data*, as ``(path, message)``: NaN and infinities,
    keys that are not strings, binary; date-times only where a typed field reads them
    back from their text (*typed*, recursively for records)."""
    problems: list[tuple[tuple[str | int, ...], str]] = []
    _check(data, (), typed, problems)
    return problems


def _check(
    value: Any, path: tuple[str | int, ...], typed: bool, out: list[tuple[tuple[str | int, ...], str]]
) -> None:
    from ._convert import Record

    if isinstance(value, dict):
        fields = _typed_keys(value) if type(value) is Record else frozenset()
        for k, v in value.items():
            if not isinstance(k, str):
                out.append(((*path, str(k)), f"JSON keys are strings, not {type(k).__name__}"))
                continue
            _check(v, (*path, k), k in fields, out)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _check(v, (*path, i), typed, out)
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
