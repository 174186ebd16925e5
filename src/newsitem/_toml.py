"""TOML front matter (Hugo's ``+++`` fences): read, locate, patch, check, emit.

Pure functions on the text between the fences; the caller owns the fences, the
BOM, the body and the verification of what it writes.

* :func:`read` parses with the standard library's :mod:`tomllib` (fast) and gives
  date-times the rule YAML front matter follows: a local date-time (no offset) is
  UTC.
* :func:`patch` writes back by difference. tomlkit parses the text into a tree that
  holds every character (comments, blank lines, spelling of keys and values); the
  edits are made on that tree, and ``as_string()`` gives the text back. Only the
  entries that changed are touched, and tomlkit's own helpers for adding and
  removing keys (which reformat neighbours and pick places of their own) are not
  used: a changed value is replaced by its new text in its own style, a removed
  entry renders as nothing, and new text (a key, a table) is placed between the
  existing items at the spot chosen here. Arrays and inline tables are edited as
  text, entry by entry, the way the YAML patcher edits flow collections.
* :func:`check` names what TOML cannot hold before anything is written.
* :func:`locate` finds a value's line and column for error messages.
* :func:`emit` writes fresh front matter in the house style.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
from typing import Any, NamedTuple

import attrs
import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import (
    AoT,
    Array,
    Comment,
    Date,
    DateTime,
    InlineTable,
    Item,
    Key,
    Null,
    String,
    StringType,
    Table,
    Trivia,
    Whitespace,
)

from ._convert import MISSING, Record, describe, same
from ._emit import format_datetime, respell_datetime
from ._errors import LimitError, ParseError
from ._limits import DEFAULT_LIMITS, Limits
from ._patch import entries_as_lines, flow_separator, list_ops, rewrite_between
from ._schema import fields

__all__ = ["check", "emit", "locate", "patch", "read"]

PathElement = str | int
Path = tuple[PathElement, ...]
Body = list[tuple[Key | None, Item]]

_UTC = dt.UTC

# -- reading ----------------------------------------------------------------------------

_AT = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")
#: A line YAML would read as ``key: value`` (and TOML never has).
_YAML_LINE = re.compile(r"[ \t]*(?:-[ \t]+)?[^\s#=\[\]{}\"',:][^\s#=\[\]{}\"',]*[ \t]*:(?:[ \t]|$)")
_TOML_LINE = re.compile(r"[ \t]*(?:\[|[^\s#=]+[ \t]*=)")


def read(front: str, line_offset: int, limits: Limits = DEFAULT_LIMITS) -> dict[str, Any]:
    """The TOML text *front* as plain values.

    Offset date-times are aware (a fixed-offset :class:`datetime.timezone`), local
    date-times are taken as UTC, local dates stay :class:`datetime.date` and local
    times :class:`datetime.time`. :class:`ParseError` for text that is not TOML,
    its line counted in the whole file (*line_offset* lines come before *front*);
    :class:`LimitError` for tables and arrays nested deeper than *limits* allow, or
    more values than they allow (keys, values and containers, as for JSON).

    >>> read('title = "Hi"\\ndate = 2024-03-09T06:00:00\\n', 1)
    {'title': 'Hi', 'date': datetime.datetime(2024, 3, 9, 6, 0, tzinfo=datetime.timezone.utc)}
    """
    try:
        data = tomllib.loads(front)
    except tomllib.TOMLDecodeError as e:
        raise _parse_error(e, front, line_offset) from None
    except RecursionError:
        raise LimitError("TOML nested too deeply to read", line=line_offset + 1, column=1) from None
    _local_is_utc(data, limits)
    return data


def _local_is_utc(data: dict[str, Any], limits: Limits) -> None:
    """Local date-times to UTC, in place; and the limits kept (a deep or large document
    has no place to point at here: tomllib keeps no positions)."""
    todo: list[tuple[Any, int]] = [(data, 1)]
    nodes = 1
    while todo:
        node, depth = todo.pop()
        if depth > limits.max_depth:
            raise LimitError(
                f"TOML tables and arrays nested more than {limits.max_depth} deep (Limits.max_depth)"
            )
        if type(node) is dict:
            nodes += 2 * len(node)
            for k, v in node.items():
                if type(v) is dt.datetime and v.tzinfo is None:
                    node[k] = v.replace(tzinfo=_UTC)
                elif type(v) is dict or type(v) is list:
                    todo.append((v, depth + 1))
        else:
            nodes += len(node)
            for i, v in enumerate(node):
                if type(v) is dt.datetime and v.tzinfo is None:
                    node[i] = v.replace(tzinfo=_UTC)
                elif type(v) is dict or type(v) is list:
                    todo.append((v, depth + 1))
        if nodes > limits.max_nodes:
            raise LimitError(f"TOML holds more than {limits.max_nodes:,} values (Limits.max_nodes)")


def _parse_error(e: tomllib.TOMLDecodeError, front: str, line_offset: int) -> ParseError:
    text = str(e)
    m = _AT.search(text)
    message = text[: m.start()] if m else text
    line: int | None = getattr(e, "lineno", None)
    column: int | None = getattr(e, "colno", None)
    if line is None and m is not None and m.group(1):
        line, column = int(m.group(1)), int(m.group(2))
    if line is None:  # at the end of the text
        line = front.count("\n") + 1
        column = len(front) - (front.rfind("\n") + 1) + 1
    message = f"invalid TOML: {message[:1].lower()}{message[1:]}"
    if _looks_like_yaml(front, line):
        message += "; this looks like YAML; YAML front matter is fenced with '---'"
    return ParseError(message, line=line + line_offset, column=column)


def _looks_like_yaml(front: str, line: int) -> bool:
    lines = front.splitlines()
    if 0 < line <= len(lines) and _YAML_LINE.match(lines[line - 1]):
        return True
    return any(_YAML_LINE.match(x) for x in lines) and not any(_TOML_LINE.match(x) for x in lines)


# -- checking ---------------------------------------------------------------------------

_INT64 = 2**63


def check(new: dict[str, Any]) -> list[tuple[Path, str]]:
    """The ``(path, message)`` of every value in *new* that TOML cannot hold.

    >>> for path, message in check({"title": None, "n": 2**70, "tags": ["a", None]}):
    ...     print(path, message)
    ('title',) TOML has no null; remove the key instead
    ('n',) TOML integers are 64-bit; an integer 1180591620717411303424 is out of range
    ('tags', 1) TOML has no null, so a list cannot hold one
    """
    out: list[tuple[Path, str]] = []
    todo: list[tuple[Any, Path, bool]] = [(new, (), False)]
    while todo:
        value, path, in_list = todo.pop()
        children = _check_one(value, path, in_list, out)
        todo.extend(reversed(children))
    return out


def _check_one(
    value: Any, path: Path, in_list: bool, out: list[tuple[Path, str]]
) -> list[tuple[Any, Path, bool]]:
    t = type(value)
    if t is str:
        bad = _surrogate(value)
        if bad is not None:
            out.append((path, f"holds a lone surrogate {bad!r}, which UTF-8 cannot hold"))
    elif t is bool or t is float:
        pass
    elif t is int:
        if not -_INT64 <= value < _INT64:
            out.append((path, f"TOML integers are 64-bit; {describe(value)} is out of range"))
    elif isinstance(value, dt.datetime):
        why = _bad_datetime(value)
        if why is not None:
            out.append((path, why))
    elif isinstance(value, dt.date):
        pass
    elif isinstance(value, dt.time):
        if value.tzinfo is not None:
            out.append((path, "a TOML time of day has no time zone; drop its tzinfo"))
    elif value is None:
        message = (
            "TOML has no null, so a list cannot hold one"
            if in_list
            else "TOML has no null; remove the key instead"
        )
        out.append((path, message))
    elif isinstance(value, dict):
        children = []
        for k, v in value.items():
            if not isinstance(k, str):
                out.append((path, f"a TOML key is a string, not {describe(k)}"))
                continue
            bad = _surrogate(k)
            if bad is not None:
                out.append((path, f"the key {k!r} holds a lone surrogate, which UTF-8 cannot hold"))
                continue
            children.append((v, (*path, str.__str__(k)), False))
        return children
    elif t is list or t is tuple:
        return [(v, (*path, i), True) for i, v in enumerate(value)]
    elif t is bytes:
        out.append((path, "TOML has no binary data; write it as a string (base64, say)"))
    elif isinstance(value, str):
        return [(str.__str__(value), path, in_list)]
    else:
        out.append((path, f"TOML cannot hold {describe(value)}"))
    return []


def _surrogate(text: str) -> str | None:
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        return text[e.start]
    return None


def _bad_datetime(value: dt.datetime) -> str | None:
    try:
        offset = value.utcoffset()
    except Exception as e:  # a tzinfo of the caller's that fails
        return f"its time zone failed to give a UTC offset ({type(e).__name__}: {e})"
    if offset is None:
        return (
            f"a date-time without a time zone ({value.isoformat()}); "
            "give it one, such as tzinfo=datetime.timezone.utc"
        )
    if offset % dt.timedelta(minutes=1):
        return (
            f"a UTC offset of {offset} has seconds, which TOML cannot hold; "
            "convert it to UTC or to a whole-minute offset"
        )
    return None


# -- writing values ---------------------------------------------------------------------

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_BASIC_UNSAFE = re.compile('[\x00-\x1f"\\\\\x7f]')
_ML_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\\\\\x7f]")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
#: What a literal string (``'...'``) cannot hold.
_NOT_LITERAL = re.compile("['\x00-\x08\x0a-\x1f\x7f]")
_NOT_ML_LITERAL = re.compile("[\x00-\x08\x0b-\x1f\x7f]|'''")
#: The first ``+`` of a line of a multi-line string that would read as the closing fence.
_FENCE_LINE = re.compile(r"(?<=\n)\+(?=\+\+[ \t]*\n)")


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    return _ESCAPES.get(ch) or f"\\u{ord(ch):04X}"


def basic(text: str) -> str:
    """*text* as a TOML basic string (``"..."``), escaped as TOML requires.

    >>> print(basic('say "hi"\\n\\\\o/'))
    "say \\"hi\\"\\n\\\\o/"
    """
    return '"' + _BASIC_UNSAFE.sub(_escape, text) + '"'


def _literal(text: str) -> str | None:
    return None if _NOT_LITERAL.search(text) else f"'{text}'"


def render_key(key: str) -> str:
    """A key as TOML writes it: bare where it can be, else a basic string."""
    return key if _BARE_KEY.fullmatch(key) else basic(key)


def _float(value: float) -> str:
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return repr(value)  # always has a "." or an exponent, both TOML floats


def inline(value: Any) -> str:
    """One value on one line: scalars, arrays ``[a, b]`` and inline tables ``{k = v}``."""
    t = type(value)
    if t is str:
        return basic(value)
    if t is bool:
        return "true" if value else "false"
    if t is int:
        return str(value)
    if t is float:
        return _float(value)
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, dict):
        return "{" + ", ".join(f"{render_key(k)} = {inline(v)}" for k, v in _items(value)) + "}"
    if t is list or t is tuple:
        return "[" + ", ".join(inline(v) for v in value) + "]"
    if isinstance(value, str):
        return basic(str.__str__(value))
    raise TypeError(f"TOML cannot hold {describe(value)}")  # check() lets none through


def _items(data: dict[str, Any]) -> list[tuple[str, Any]]:
    """A mapping's entries in house order: a record's fields in schema order, then the rest."""
    if type(data) is Record and attrs.has(data.schema):
        first = [f.key for f in fields(data.schema) if f.key in data]
        seen = set(first)
        return [(k, data[k]) for k in first] + [(k, v) for k, v in data.items() if k not in seen]
    return list(data.items())


def _is_aot(value: Any) -> bool:
    """Whether a value is written as an array of tables (``[[key]]``) where headers can go."""
    return type(value) is list and bool(value) and all(isinstance(v, dict) for v in value)


def _header(path: tuple[str, ...]) -> str:
    return ".".join(render_key(k) for k in path)


def _block(data: dict[str, Any], path: tuple[str, ...], indent: str, gap: bool) -> list[str]:
    """Lines of a table's body in the house style: ``key = value`` lines first, then
    sub-tables (``[a.b]``), then arrays of tables (``[[a.c]]``)."""
    lines: list[str] = []
    tables: list[tuple[str, Any]] = []
    arrays: list[tuple[str, Any]] = []
    for k, v in _items(data):
        if isinstance(v, dict):
            tables.append((k, v))
        elif _is_aot(v):
            arrays.append((k, v))
        else:
            lines.append(f"{indent}{render_key(k)} = {inline(v)}")
    for k, v in tables:
        if lines and gap:
            lines.append("")
        lines.append(f"[{_header((*path, k))}]")
        lines.extend(_block(v, (*path, k), indent, gap))
    for k, v in arrays:
        for element in v:
            if lines and gap:
                lines.append("")
            lines.append(f"[[{_header((*path, k))}]]")
            lines.extend(_block(element, (*path, k), indent, gap))
    return lines


def emit(data: dict[str, Any], newline: str = "\n") -> str:
    """Fresh TOML front matter in the house style (the text between the ``+++`` fences).

    ``key = value`` lines for scalars and arrays first, in the data's order (a
    record's in its schema's field order), then ``[tables]``, then ``[[arrays of
    tables]]``, each after a blank line; basic strings; date-times as
    ``2024-03-09T06:00:00Z`` (UTC) or with their offset.

    >>> import datetime as dt
    >>> date = dt.datetime(2024, 3, 9, 6, tzinfo=dt.UTC)
    >>> print(emit({"title": "Hi", "params": {"a": 1}, "date": date}), end="")
    title = "Hi"
    date = 2024-03-09T06:00:00Z
    <BLANKLINE>
    [params]
    a = 1
    """
    return "".join(line + newline for line in _block(data, (), "", True))


# -- locating ---------------------------------------------------------------------------

#: Put into a copy of the tree where a value starts; no TOML text holds it.
_MARK = "\x00"


class _Value(Item):
    """A value whose text newsitem wrote (tomlkit renders it as it is)."""

    def __init__(self, text: str, trivia: Trivia) -> None:
        super().__init__(trivia)
        self._text = text

    @property
    def discriminant(self) -> int:
        return 0

    def as_string(self) -> str:
        return self._text

    def unwrap(self) -> Any:  # pragma: no cover - never read back from the tree
        raise NotImplementedError


class _Raw(Whitespace):
    """Lines of newsitem's own between tomlkit's items (a new key, a table...)."""


_TOMLKIT_AT = re.compile(r"\s*at line \d+ col \d+$")


def _parse(text: str) -> tomlkit.TOMLDocument:
    """tomlkit's tree of *text*, repaired where tomlkit would not write it back as it is.

    tomlkit keeps the blanks after a local date (``[2024-01-01 ]``), or after a
    date-time written with a space (``{a = 2024-01-01 10:00:00 }``), as its
    comment spacing, which only a ``key = value`` line writes: inside an array or an
    inline table they would be lost. They are moved where those write them.
    :class:`ParseError` if the tree still does not give the text back, or if tomlkit
    cannot read what tomllib could (its line counted in *text*).
    """
    try:
        doc = tomlkit.parse(text)
    except (TOMLKitError, ValueError, RecursionError) as e:
        line, column = getattr(e, "line", None), getattr(e, "col", None)  # (tomlkit's is 0-based)
        message = "nested too deeply" if isinstance(e, RecursionError) else _TOMLKIT_AT.sub("", str(e))
        error = ParseError(f"the TOML cannot be edited in place: {message}")
        if type(line) is int and type(column) is int:
            error.line, error.column = line, column + 1
        raise error from None
    todo: list[Item] = [v for _, v in doc.body]
    while todo:
        item = todo.pop()
        if isinstance(item, Table):
            todo.extend(v for _, v in item.value.body)
        elif isinstance(item, AoT):
            todo.extend(item.body)
        elif isinstance(item, Array):
            for group in item._value:
                value = group.value
                if isinstance(value, Date | DateTime) and value.trivia.comment_ws:
                    blank, value.trivia.comment_ws = value.trivia.comment_ws, ""
                    group.comma = Whitespace(blank + (group.comma.as_string() if group.comma else ""))
                if value is not None:
                    todo.append(value)
        elif isinstance(item, InlineTable):
            for _, value in item.value.body:
                if isinstance(value, Date | DateTime) and value.trivia.comment_ws:
                    value.trivia.trail = value.trivia.comment_ws + value.trivia.trail
                    value.trivia.comment_ws = ""
                todo.append(value)
    back = doc.as_string()
    if back != text:  # it moves "[a.b]" after "[[a]]" up, writes "[[ a ]]" as the first "[[a]]"...
        at = next((i for i, (a, b) in enumerate(zip(text, back, strict=False)) if a != b), len(back))
        start = text.rfind("\n", 0, at) + 1
        raise ParseError(
            "the TOML cannot be edited in place: tomlkit would not write it back as it is from here on",
            line=text.count("\n", 0, at) + 1,
            column=at - start + 1,
        )
    return doc


def locate(front: str, keys: tuple[str | int, ...]) -> tuple[int, int] | None:
    """The 1-based ``(line, column)`` in *front* of the value at *keys* (strings are
    keys, integers array indexes), or of the table that lacks the last key; ``None``
    when the path is not there.

    >>> locate('title = "x"\\n[params]\\nimages = ["a", "b"]\\n', ("params", "images", 1))
    (3, 16)
    """
    try:
        doc = _parse(front)
    except ParseError:
        return None
    view = _View([_Frag(doc.body, "root", "", None)], ())
    if not _mark_view(view, keys):
        return None
    text = doc.as_string()
    at = text.find(_MARK)
    if at < 0:  # pragma: no cover - every mark renders
        return None
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def _mark_view(view: _View, keys: tuple[Any, ...]) -> bool:
    if not keys:
        return _mark_holder(view)
    key, rest = keys[0], keys[1:]
    places = view.places.get(key) if isinstance(key, str) else None
    if not places:
        return not rest and _mark_holder(view)
    first = places[0]
    if first.kind == "table" or first.kind == "dotted":
        return _mark_view(view.sub(key, places), rest)
    if first.kind == "aot":
        aot = first.item
        assert isinstance(aot, AoT)
        if not rest:
            return _mark_start(aot)
        index, rest = rest[0], rest[1:]
        if type(index) is not int or not 0 <= index < len(aot.body):
            return not rest and _mark_start(aot)
        return _mark_view(_element_view(aot.body[index], (*view.path, key)), rest)
    k, item = first.body[first.at]
    marked = _marked(item, rest)
    if marked is None:
        return False
    first.body[first.at] = (k, marked)
    return True


def _marked(item: Item, keys: tuple[Any, ...]) -> Item | None:
    """*item* with the mark where *keys* lead inside it (or at itself when the last key
    is missing); ``None`` when the path is not there."""
    if not keys:
        return _Value(_MARK + item.as_string(), item.trivia)
    key, rest = keys[0], keys[1:]
    dotted = False
    if isinstance(item, Array) and type(key) is int:
        groups = [g for g in item._value if g.value is not None and not isinstance(g.value, Null)]
        if 0 <= key < len(groups):
            inner = _marked(groups[key].value, rest)  # type: ignore[arg-type]
            if inner is None:
                return None
            groups[key].value = inner
            return item
    elif isinstance(item, InlineTable | Table) and isinstance(key, str):  # (a Table: a.b = 1 in one)
        body = item.value.body
        for i, (k, v) in enumerate(body):
            if k is None or k.key != key:
                continue
            if isinstance(v, Table):  # a dotted key: the rest of the path may be under this one
                if rest and _marked(v, rest) is v:  # (marked inside it, not at it)
                    return item
                dotted = True
            else:
                inner = _marked(v, rest)
                if inner is None:
                    return None
                body[i] = (k, inner)
                return item
    if rest and not (dotted and len(rest) == 1):  # (a key missing from a dotted table: at its table)
        return None
    return _Value(_MARK + item.as_string(), item.trivia)


def _mark_start(item: Item) -> bool:
    """Mark where an entry's text starts (a key, a header)."""
    if isinstance(item, AoT):
        return bool(item.body) and _mark_start(item.body[0])
    if isinstance(item, Table) and item.is_super_table():
        return any(_mark_start(v) for k, v in item.value.body if k is not None and not isinstance(v, Null))
    if isinstance(item, Whitespace | Null):
        return False
    item.trivia.indent += _MARK
    return True


def _mark_holder(view: _View) -> bool:
    """Mark a table itself: its header, or its first entry."""
    for frag in view.frags:
        if frag.owner is not None and frag.kind in ("header", "element"):
            return _mark_start(frag.owner)
        if any(_mark_start(v) for k, v in frag.body if k is not None and not isinstance(v, Null)):
            return True
    return False


# -- the tree as tables of keys ---------------------------------------------------------


class _Frag(NamedTuple):
    """One stretch of text that holds keys of a table: the whole front matter
    (``root``), a ``[header]``'s body, an ``[[element]]``'s, an implicit table's
    (``super``: ``a`` of ``[a.b]``), or the keys under a dotted key (``a.b = 1``)."""

    body: Body
    kind: str
    #: New keys of a dotted stretch are written after this (``"a."``).
    prefix: str
    #: The table item whose body this is (``None`` for the root).
    owner: Table | None


class _Place(NamedTuple):
    """Where one entry of a table is: ``frag.body[at]``."""

    frag: _Frag
    at: int
    item: Item
    kind: str  # value, table, dotted, aot

    @property
    def body(self) -> Body:
        return self.frag.body


class _View:
    """A table as TOML means it: its keys, wherever its stretches of text are."""

    def __init__(self, frags: list[_Frag], path: tuple[str, ...]) -> None:
        self.frags = frags
        self.path = path
        self.places: dict[str, list[_Place]] = {}
        for frag in frags:
            for i, (k, v) in enumerate(frag.body):
                if k is None or isinstance(v, Null):
                    continue
                if isinstance(v, AoT):
                    kind = "aot"
                elif isinstance(v, Table):
                    kind = "dotted" if k.is_dotted() else "table"
                else:
                    kind = "value"
                self.places.setdefault(k.key, []).append(_Place(frag, i, v, kind))

    def sub(self, name: str, places: list[_Place]) -> _View:
        frags = []
        for p in places:
            table = p.item
            if not isinstance(table, Table):
                continue
            if p.kind == "dotted":
                frags.append(_Frag(table.value.body, "dotted", p.frag.prefix + render_key(name) + ".", table))
            else:
                kind = "super" if table.is_super_table() else "header"
                frags.append(_Frag(table.value.body, kind, "", table))
        return _View(frags, (*self.path, name))


def _element_view(table: Table, path: tuple[str, ...]) -> _View:
    return _View([_Frag(table.value.body, "element", "", table)], path)


def _live(body: Body) -> list[int]:
    """Indexes of the entries (not comments, blank lines or removed entries) of a body."""
    return [i for i, (k, v) in enumerate(body) if k is not None and not isinstance(v, Null)]


def _is_plain(k: Key | None, v: Item) -> bool:
    """An entry written ``key = value`` (a dotted key's too), not a header."""
    return k is not None and not isinstance(v, Null | AoT) and (not isinstance(v, Table) or k.is_dotted())


def _indent_of(item: Item) -> str:
    """The indentation of an entry's line."""
    while isinstance(item, Table):  # a dotted key: its first value holds the indentation
        item = next((v for k, v in item.value.body if k is not None), Null())
    if isinstance(item, Null | Whitespace):
        return ""
    return item.trivia.indent.rsplit("\n", 1)[-1].replace("\r", "")


_HEADER_LINE = re.compile(r"[ \t]*\[\[?[^\[\]=\r\n]*\]\]?[ \t]*(?:#.*)?")


def _uses_gap(front: str) -> bool:
    """Whether the text sets table headers apart with a blank line (yes when it has none)."""
    lines = front.splitlines()
    headers = [i for i, line in enumerate(lines) if i > 0 and _HEADER_LINE.fullmatch(line)]
    return not headers or any(not lines[i - 1].strip() for i in headers)


# -- patching ---------------------------------------------------------------------------


def patch(front: str, old: dict[str, Any], new: dict[str, Any], order: list[str], newline: str) -> str:
    """*front* with the differences between *old* and *new* applied, nothing else changed.

    *old* and *new* hold the top-level keys whose values differ (a key absent from
    *new* is removed, one absent from *old* added); *order* lists every key of the
    new data in order, so that new keys go where they belong.

    >>> text = 'title = "Old"  # the title\\ntags = ["a", "b"]\\n'
    >>> print(patch(text, {"title": "Old"}, {"title": "New"}, ["title", "tags"], "\\n"), end="")
    title = "New"  # the title
    tags = ["a", "b"]
    """
    if not old and not new:
        return front
    unended = bool(front) and front[-1] not in "\r\n"
    text = front + newline if unended else front
    doc = _parse(text)
    p = _Patcher(text, newline, doc.body)
    p.table(_View([_Frag(doc.body, "root", "", None)], ()), old, new, order)
    p.finish()
    out = doc.as_string()
    if unended and out.endswith(newline):
        out = out[: -len(newline)]
    return out


class _Patcher:
    def __init__(self, text: str, newline: str, root: Body) -> None:
        self.nl = newline
        self.root = root
        self.gap = _uses_gap(text)
        #: (body, index, rank, order of asking, text): new lines to put before body[index];
        #: at one index, ``key = value`` lines (rank 0) before tables (rank 1), which
        #: would take in any key written after them.
        self.inserts: list[tuple[Body, int, int, int, str]] = []
        self._table_indent: str | None = None
        #: Implicit tables given a header of their own (for their new keys).
        self.headed: set[int] = set()

    def finish(self) -> None:
        for body, index, _, _, text in sorted(self.inserts, key=lambda x: (id(x[0]), -x[1], -x[2], -x[3])):
            body.insert(index, (None, _Raw(text)))

    def insert(self, body: Body, index: int, text: str, *, key: bool = False) -> None:
        self.inserts.append((body, index, 0 if key else 1, len(self.inserts), text))

    def lines(self, lines: list[str]) -> str:
        return "".join(line + self.nl for line in lines)

    def table_indent(self) -> str:
        """How the text indents the keys under a header (for new tables)."""
        if self._table_indent is None:
            self._table_indent = ""
            todo: list[Item] = [v for _, v in self.root]
            while todo:
                item = todo.pop(0)
                tables = item.body if isinstance(item, AoT) else [item] if isinstance(item, Table) else []
                for table in tables:
                    for k, v in table.value.body:
                        if k is not None and not table.is_super_table() and _is_plain(k, v):
                            self._table_indent = _indent_of(v)
                            return self._table_indent
                        todo.append(v)
        return self._table_indent

    # -- tables -------------------------------------------------------------------------

    def table(self, view: _View, old: dict[str, Any], new: dict[str, Any], order: list[str]) -> None:
        redone: set[str] = set()
        for name, places in list(view.places.items()):
            o, n = old.get(name, MISSING), new.get(name, MISSING)
            if same(o, n):
                continue
            if n is MISSING:
                for p in places:
                    self.remove(p)
                continue
            if not self.change(view, name, places, o, n):
                redone.add(name)  # it went: its new value comes as a new key
        added = [k for k in order if (k not in view.places or k in redone) and k in new]
        headed = any(f.kind in ("root", "header", "element", "super") for f in view.frags)
        tables = [k for k in added if headed and (isinstance(new[k], dict) or _is_aot(new[k]))]
        for name in added:  # keys first: they go before any table that comes with them
            if name not in tables:
                self.add_entry(view, name, new[name], order)
        for name in tables:
            self.add(view, name, new[name], order)

    def change(self, view: _View, name: str, places: list[_Place], old: Any, new: Any) -> bool:
        """Give an entry its new value in place; ``False`` when it had to go instead (a
        table that is no table any more), for its value to come as a new key."""
        first = places[0]
        if first.kind in ("table", "dotted"):
            sub = view.sub(name, places)
            # a table left without keys lives on only where it has a header
            if (
                isinstance(old, dict)
                and isinstance(new, dict)
                and (new or any(f.kind == "header" for f in sub.frags))
            ):
                self.table(sub, old, new, list(new))
                return True
        elif first.kind == "aot":
            aot = first.item
            assert isinstance(aot, AoT)
            if type(old) is list and _is_aot(new) and len(old) == len(aot.body):
                self.array_of_tables(view, name, first, aot, old, new)
                return True
        else:
            k = first.body[first.at][0]
            self.replace(first, k, self.value(first.item, old, new))
            return True
        # a table that is now something else: it goes, and the new value comes as a new key
        for p in places:
            self.remove(p)
        return False

    def replace(self, place: _Place, key: Key | None, text: str) -> None:
        item = place.item
        place.body[place.at] = (key, _Value(text, item.trivia))

    def remove(self, place: _Place) -> None:
        """An entry goes; own-line comments at the end of a table that goes stay (they
        are about what follows)."""
        tail = _tail(place.item) if place.kind in ("table", "aot") else ""
        place.body[place.at] = (None, _Raw(tail) if tail else Null())

    def add(self, view: _View, name: str, value: Any, order: list[str]) -> None:
        headed = [f for f in view.frags if f.kind in ("root", "header", "element", "super")]
        if headed and (isinstance(value, dict) or _is_aot(value)):
            self.add_table(view, headed, name, value, order)
        else:
            self.add_entry(view, name, value, order)

    def add_entry(self, view: _View, name: str, value: Any, order: list[str]) -> None:
        """A new ``key = value`` line: after the key before it in *order* (where that key
        is a ``key = value`` line too), else after the table's last such line, before any
        header (where TOML needs it)."""
        line = f"{render_key(name)} = {inline(value)}"
        prev, _ = _neighbours(view, name, order)
        if prev is not None:
            plain = [
                p for p in view.places[prev] if p.kind in ("value", "dotted") and p.body[p.at][1] is p.item
            ]
            if plain:
                p = plain[-1]
                self.insert(p.body, p.at + 1, _indent_of(p.item) + p.frag.prefix + line + self.nl, key=True)
                return
        frag = next((f for f in view.frags if f.kind in ("root", "header", "element", "dotted")), None)
        if frag is None:  # only implicit tables ("a" of "[a.b]"): it gets a header of its own
            owner = view.frags[0]
            parent = _parent_of(self.root, owner.owner)
            if parent is not None:
                lines = [self.table_indent() + line]
                if id(owner.owner) not in self.headed:
                    self.headed.add(id(owner.owner))
                    lines.insert(0, f"[{_header(view.path)}]")
                self.insert(*parent, self.lines(lines))
                return
            frag = owner  # pragma: no cover - every implicit table has a parent
        entries = [i for i, (k, v) in enumerate(frag.body) if _is_plain(k, v)]
        indent = _indent_of(frag.body[entries[0]][1]) if entries else self.default_indent(frag)
        if entries and prev is None:
            at = entries[0]
        elif entries:
            at = entries[-1] + 1
        elif frag.kind == "root" and not any(isinstance(v, Table | AoT) for _, v in frag.body):
            at = len(frag.body)  # comments only: after them
        else:
            at = 0  # right after the header (or at the top, before the first header)
        self.insert(frag.body, at, indent + frag.prefix + line + self.nl, key=True)

    def default_indent(self, frag: _Frag) -> str:
        return "" if frag.kind in ("root", "dotted") else self.table_indent()

    def add_table(self, view: _View, headed: list[_Frag], name: str, value: Any, order: list[str]) -> None:
        """A new ``[table]`` or ``[[array of tables]]``: after its neighbour table, or
        before the next one, or at the end of the table that holds it."""
        path = (*view.path, name)
        indent = self.table_indent()
        if isinstance(value, dict):
            lines = [f"[{_header(path)}]", *_block(value, path, indent, self.gap)]
        else:
            lines = []
            for element in value:
                if lines and self.gap:
                    lines.append("")
                lines += [f"[[{_header(path)}]]", *_block(element, path, indent, self.gap)]
        text = self.lines(lines)
        prev, nxt = _neighbours(view, name, order, tables=True)
        if prev is not None:
            p = [q for q in view.places[prev] if q.kind in ("table", "aot") and q.body[q.at][1] is q.item][-1]
            body, at = _end_of(p.body, p.at)
        elif nxt is not None:
            p = next(q for q in view.places[nxt] if q.kind in ("table", "aot") and q.body[q.at][1] is q.item)
            self.insert(p.body, p.at, text + (self.nl if self.gap else ""))
            return
        else:
            frag = headed[-1]
            body, at = _end_of_body(frag.body)
            if frag.kind == "root" and not _live(body):  # comments only: after them
                at = len(body)
        self.insert(body, at, self.spaced(body, at, text, self.gap))

    def spaced(self, body: Body, at: int, text: str, gap: bool) -> str:
        """*text* (a table) with the blank lines that set it apart where it goes."""
        if gap and not self.blank_before(body, at):
            text = self.nl + text
        if gap and at < len(body) and isinstance(body[at][1], Comment):
            text += self.nl  # comments about what follows stay with it
        return text

    def blank_before(self, body: Body, at: int) -> bool:
        """Whether the text just before ``body[at]`` ends with a blank line (or is the
        top of the front matter)."""
        pending = sorted((r, n, t) for b, i, r, n, t in self.inserts if b is body and i == at)
        if pending:
            return pending[-1][2].endswith(self.nl * 2)
        while True:
            index = at - 1
            while index >= 0 and isinstance(body[index][1], Null):
                index -= 1
            if index < 0:
                return body is self.root
            item = body[index][1]
            if isinstance(item, _Raw):
                return item.as_string().endswith(self.nl * 2)
            if isinstance(item, Whitespace):
                return "\n" in item.as_string()
            if isinstance(item, AoT):
                if not item.body:
                    return False
                item = item.body[-1]
            key = body[index][0]
            if not isinstance(item, Table) or (key is not None and key.is_dotted()):
                return False
            body, at = item.value.body, len(item.value.body)
            if not _live(body) and not any(isinstance(v, Whitespace) for _, v in body):
                return False

    # -- arrays of tables ---------------------------------------------------------------

    def array_of_tables(
        self, view: _View, name: str, place: _Place, aot: AoT, old: list[Any], new: list[Any]
    ) -> None:
        elements = list(aot.body)
        path = (*view.path, name)
        indent = next(
            (_indent_of(v) for t in elements for k, v in t.value.body if _is_plain(k, v)), self.table_indent()
        )
        # new elements' headers are indented like theirs
        head = elements[0].trivia.indent.rsplit("\n", 1)[-1].replace("\r", "") if elements else ""
        if len(elements) > 1:  # like the elements there: a blank line between them or none
            gap = any(self.blank_before(e.value.body, len(e.value.body)) for e in elements[:-1])
        else:
            gap = self.gap
        ops = list_ops(old, new)
        kept = [i for op, i, _ in ops if op == "pair"]
        texts: dict[int, list[str]] = {}
        for op, i, j in ops:
            if op == "pair":
                if not same(old[i], new[j]):
                    self.table(_element_view(elements[i], path), old[i], new[j], list(new[j]))
            elif op == "del":
                tail = _tail(elements[i])
                if tail:  # the last element's is about what follows the array: after new ones
                    texts.setdefault(i + 1 if i + 1 < len(elements) else i + 2, []).append(tail)
            else:
                lines = [f"[[{_header(path)}]]", *_block(new[j], path, indent, self.gap)]
                lines = [head + line if line.startswith("[") else line for line in lines]
                texts.setdefault(i, []).append(self.lines(lines))
        if not kept:  # every element goes: the new ones take the place of the whole
            place.body[place.at] = (None, Null())  # (its closing comments are among the texts)
            text = "".join(t for _, ts in sorted(texts.items()) for t in ts)
            if text:
                self.insert(place.body, place.at + 1, text)
            return
        for i, pieces in sorted(texts.items()):
            nxt = next((k for k in kept if k >= i), None)
            if nxt is not None:  # before the element that follows: blank line after
                text = "".join(p + (self.nl if gap and _is_header(p) else "") for p in pieces)
                header = elements[nxt]
                header.trivia.indent = text + header.trivia.indent
            else:
                body, at = _end_of_body(elements[kept[-1]].value.body)
                for piece in pieces:
                    self.insert(body, at, self.spaced(body, at, piece, gap and _is_header(piece)))
        if len(kept) < len(elements):  # now, so that text placed later goes after the last that stays
            aot.body[:] = [elements[i] for i in kept]

    # -- values -------------------------------------------------------------------------

    def value(self, item: Item, old: Any, new: Any) -> str:
        """The new text of a value (not a table) in its own style where it can be."""
        if isinstance(item, Array) and type(old) is list and type(new) is list:
            text = self.array(item, old, new)
            if text is not None:
                return text
        elif isinstance(item, InlineTable) and isinstance(old, dict) and isinstance(new, dict):
            text = self.inline_table(item, old, new)
            if text is not None:
                return text
        elif not isinstance(item, Array | InlineTable) and not isinstance(new, dict | list | tuple):
            return self.scalar(item, old, new)
        return inline(new)

    def array(self, item: Array, old: list[Any], new: list[Any]) -> str | None:
        parts = _array_parts(item)
        if parts is None or len(parts[1]) != len(old):
            return None
        text, spans, items = parts
        t = _Text(text, self.nl)
        kept: list[int] = []
        inserts: dict[int, list[str]] = {}
        for op, i, j in list_ops(old, new):
            if op == "pair":
                kept.append(i)
                if not same(old[i], new[j]):
                    t.replace(*spans[i], self.value(items[i], old[i], new[j]))
            elif op == "ins":
                inserts.setdefault(i, []).append(inline(new[j]))
        t.regions(spans, kept, inserts)
        return t.apply()

    def inline_table(self, item: InlineTable, old: dict[str, Any], new: dict[str, Any]) -> str | None:
        parts = _inline_parts(item)
        if parts is None:
            return None
        text, entries = parts
        t = _Text(text, self.nl)
        kept: list[int] = []
        for i, e in enumerate(entries):
            o, n = _at_path(old, e.path), _at_path(new, e.path)
            # (absent from both, in a table still there: a typed [] the item leaves out)
            if n is MISSING and (o is not MISSING or not isinstance(_at_path(new, e.path[:-1]), dict)):
                continue
            kept.append(i)
            if not same(o, n):
                t.replace(e.value_start, e.end, self.value(e.item, o, n))
        covered = {entries[i].path for i in kept}
        above = {p[:n] for p in covered for n in range(1, len(p))}  # paths of dotted tables kept
        firsts = [e.path[0] for e in entries]
        inserts: dict[int, list[str]] = {}
        order = list(new)
        for pos, name in enumerate(order):
            if name in firsts:  # new keys of its dotted tables: after its last entry
                at = len(firsts) - firsts[::-1].index(name)
            else:
                before = next((p for p in reversed(order[:pos]) if p in firsts), None)
                at = len(firsts) - firsts[::-1].index(before) if before is not None else 0
            for path, value in _uncovered(new[name], (name,), covered, above):
                line = f"{'.'.join(render_key(k) for k in path)} = {inline(value)}"
                inserts.setdefault(at, []).append(line)
        t.regions([(e.start, e.end) for e in entries], kept, inserts)
        return t.apply()

    def scalar(self, item: Item, old: Any, new: Any) -> str:
        if isinstance(item, String):
            if isinstance(new, dt.date) and isinstance(old, dt.date):
                # a date-time the schema reads from a string: the same kind of string
                return self.string(item, respell_datetime(str(item), new, date_only=type(old) is dt.datetime))
            if type(new) is str:
                return self.string(item, new)
        if isinstance(new, dt.date) and isinstance(item, DateTime | Date):
            return respell_datetime(item.as_string(), new, date_only=type(old) is dt.datetime)
        return inline(new)

    def string(self, item: String, value: str) -> str:
        """*value* as a string like *item*: basic or literal, one line or several."""
        kind = item._t  # (String.type is newer than tomlkit 0.13)
        if kind is StringType.SLL:
            return _literal(value) or basic(value)
        if kind is StringType.SLB:
            return basic(value)
        lead = item._original[:1] in ("\n", "\r") or value[:1] == "\n"
        start = "\n" if lead else ""
        # a line "+++" would close the front matter: its first "+" is written escaped
        fence = _FENCE_LINE.search(start + value) is not None
        literal = not fence and not _NOT_ML_LITERAL.search(value) and not value.endswith("'")
        if kind is StringType.MLL and literal:
            return "'''" + (start + value).replace("\n", self.nl) + "'''"
        body = _ML_UNSAFE.sub(_escape, start + value)
        if fence:
            body = _FENCE_LINE.sub(r"\\u002B", body)
        body = re.sub('"{3,}', lambda m: '\\"' * len(m.group()), body)
        if body.endswith('"') and not body.endswith('\\"'):
            body = body[:-1] + '\\"'
        return '"""' + body.replace("\n", self.nl) + '"""'


def _is_header(text: str) -> bool:
    """Whether a new element's text (not closing comments) starts with its ``[[header]]``."""
    return text.lstrip(" \t").startswith("[[")


def _neighbours(
    view: _View, name: str, order: list[str], *, tables: bool = False
) -> tuple[str | None, str | None]:
    """The keys present before and after *name* in *order* (with ``tables``: of those
    that are tables or arrays of tables in the view)."""

    def fits(k: str) -> bool:
        places = [p for p in view.places.get(k, []) if p.body[p.at][1] is p.item]  # not removed
        return bool(places) and (not tables or any(p.kind in ("table", "aot") for p in places))

    i = order.index(name) if name in order else len(order)
    prev = next((k for k in reversed(order[:i]) if fits(k)), None)
    nxt = next((k for k in order[i + 1 :] if fits(k)), None)
    return prev, nxt


def _end_of(body: Body, index: int) -> tuple[Body, int]:
    """Where text goes to come right after the entry ``body[index]``: after its last
    key, before the blank lines and comments that end its text (they are about what
    follows)."""
    key, item = body[index]
    if isinstance(item, AoT) and item.body:
        return _end_of_body(item.body[-1].value.body)
    if isinstance(item, Table) and not (key is not None and key.is_dotted()):
        return _end_of_body(item.value.body)
    return body, index + 1


def _end_of_body(body: Body) -> tuple[Body, int]:
    """Where text goes to come after the last entry of a table's body (right after
    its header when it has none), before the blank lines and comments that end it."""
    last = next(
        (i for i in range(len(body) - 1, -1, -1) if not isinstance(body[i][1], Whitespace | Comment | Null)),
        None,
    )
    return (body, 0) if last is None else _end_of(body, last)


def _parent_of(root: Body, table: Table | None) -> tuple[Body, int] | None:
    """The body and index of the entry whose value is *table*."""
    todo: list[Body] = [root]
    while todo:
        body = todo.pop()
        for i, (_, v) in enumerate(body):
            if v is table:
                return body, i
            if isinstance(v, Table):
                todo.append(v.value.body)
            elif isinstance(v, AoT):
                todo.extend(t.value.body for t in v.body)
    return None


def _tail(item: Item) -> str:
    """The own-line comments (from the first one on) that end a table's text: they
    stand before whatever comes next, and are about it."""
    while True:
        if isinstance(item, AoT):
            if not item.body:
                return ""
            item = item.body[-1]
        if not isinstance(item, Table):
            return ""
        body = item.value.body
        end = len(body)
        while end > 0 and isinstance(body[end - 1][1], Whitespace | Comment | Null):
            end -= 1
        run = body[end:]
        first = next((i for i, (_, v) in enumerate(run) if isinstance(v, Comment)), None)
        if first is not None:
            return "".join(v.as_string() for _, v in run[first:])
        if end == 0 or not isinstance(body[end - 1][1], Table | AoT):
            return ""
        item = body[end - 1][1]


# -- arrays and inline tables as text ---------------------------------------------------


def _array_parts(item: Array) -> tuple[str, list[tuple[int, int]], list[Item]] | None:
    """An array's text and the span of each of its values; ``None`` if tomlkit would
    not write it back as it is."""
    text = "["
    spans: list[tuple[int, int]] = []
    values: list[Item] = []
    for group in item._value:
        if group.indent is not None:
            text += group.indent.as_string()
        if group.value is not None and not isinstance(group.value, Null):
            start = len(text)
            text += group.value.as_string()
            spans.append((start, len(text)))
            values.append(group.value)
        if group.comma is not None:
            text += group.comma.as_string()
        if group.comment is not None:
            text += group.comment.as_string()
    text += "]"
    return (text, spans, values) if text == item.as_string() else None


def _at_path(data: Any, path: tuple[str, ...]) -> Any:
    """The value at *path* in nested mappings, or ``MISSING``."""
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return MISSING
        data = data[key]
    return data


def _uncovered(
    value: Any, path: tuple[str, ...], covered: set[tuple[str, ...]], above: set[tuple[str, ...]]
) -> list[tuple[tuple[str, ...], Any]]:
    """The parts of *value* (at *path* in an inline table) that no entry kept writes:
    ``(path, value)`` for each new ``key = value`` (``a.b = value`` inside a dotted
    table that stays)."""
    if path in covered:
        return []
    if path not in above:
        return [(path, value)]
    assert isinstance(value, dict)  # (else no entry under it would have stayed)
    return [part for k, v in value.items() for part in _uncovered(v, (*path, k), covered, above)]


class _Entry(NamedTuple):
    #: The keys to its value: one, or those of a dotted key (``a.b = 1``).
    path: tuple[str, ...]
    start: int
    value_start: int
    end: int
    item: Item


def _inline_parts(item: InlineTable) -> tuple[str, list[_Entry]] | None:
    """An inline table's text and its entries' spans; ``None`` if tomlkit would not
    write it back as it is."""
    body = item.value.body
    # tomlkit before 0.14 keeps no commas in the body: it writes one after each entry
    commas = not any(k is None and "," in v.as_string() for k, v in body)
    last = max((i for i, (k, _) in enumerate(body) if k is not None), default=-1)
    text = "{"
    entries: list[_Entry] = []
    for i, (k, v) in enumerate(body):
        if k is None:
            text += v.as_string()
            continue
        if isinstance(v, AoT) or k.is_dotted() != isinstance(v, Table):
            return None
        path, head, key, value = [k.key], "", k, v
        while isinstance(value, Table):  # a dotted key: tomlkit's tables, one key each
            keys = [(kk, vv) for kk, vv in value.value.body if kk is not None]
            if len(keys) != 1:
                return None
            head += key.as_string() + "." + key.sep
            key, value = keys[0]
            path.append(key.key)
        head += (value.trivia.indent if value is not v else "") + key.as_string() + key.sep
        start = len(text) + len(v.trivia.indent) + len(head) - len(head.lstrip(" \t"))
        text += v.trivia.indent + head
        value_start = len(text)
        text += value.as_string()
        entries.append(_Entry(tuple(path), start, value_start, len(text), value))
        if value is not v:
            text += value.trivia.comment_ws + value.trivia.comment + value.trivia.trail.replace("\n", "")
        text += v.trivia.comment + v.trivia.trail.replace("\n", "")
        if commas and i < last:
            text += ","
    text += "}"
    if text != item.as_string() or len({e.path for e in entries}) != len(entries):
        return None
    return text, entries


_LINE_BREAK = re.compile(r"\r\n|\n|\r")
#: What may follow an entry of an array written one entry a line.
_ENTRY_TAIL = re.compile(r"[ \t]*(,?)[ \t]*(?:#[^\r\n]*)?(?:\r\n|\n|\r)")


class _Text:
    """Edits on the text of one array or inline table (``[`` or ``{`` at 0)."""

    def __init__(self, text: str, newline: str) -> None:
        self.text = text
        self.nl = newline
        self.edits: list[tuple[int, int, int, str]] = []

    def replace(self, start: int, end: int, text: str) -> None:
        self.edits.append((start, end, len(self.edits), text))

    def insert(self, at: int, text: str) -> None:
        self.edits.append((at, at, len(self.edits), text))

    def apply(self) -> str:
        out = []
        pos = 0
        for start, end, _, text in sorted(self.edits):
            out.append(self.text[pos:start])
            out.append(text)
            pos = end
        out.append(self.text[pos:])
        return "".join(out)

    def line_start(self, index: int) -> int:
        return max(self.text.rfind("\n", 0, index), self.text.rfind("\r", 0, index)) + 1

    def column(self, index: int) -> int:
        return index - self.line_start(index)

    def regions(self, spans: list[tuple[int, int]], kept: list[int], inserts: dict[int, list[str]]) -> None:
        """Rewrite the stretches between the entries that stay: removed entries go, new
        ones come in, each with a separator; untouched stretches stay as they are."""
        n = len(spans)
        if n == 0:
            texts = inserts.get(0, [])
            close = len(self.text) - 1
            start = self.line_start(close)
            if texts and start > 0:  # "]" on a line of its own: a line each, before it, so
                above = self.line_start(start - 1)  # the comments inside stay
                line = self.text[above : start - 1]
                indent = line[: len(line) - len(line.lstrip(" \t"))]
                if above == 0 or not line.strip().startswith("#"):
                    indent = self.text[start:close] + "  "
                self.insert(start, "".join(f"{indent}{t},{self.nl}" for t in texts))
            elif texts:
                self.replace(1, close, ", ".join(texts))
            return
        edit = (self.line_start, self.insert, self.replace)
        if entries_as_lines(self.text, spans, kept, inserts, self.nl, *edit, tail=_ENTRY_TAIL):
            return
        sep = flow_separator(self.text, spans, self.nl)
        rewrite_between(spans, kept, inserts, sep, self.replace, (1, len(self.text) - 1))
