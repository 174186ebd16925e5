"""Field paths such as ``related[0].images[1].url``.

A path names attributes of the typed classes, by attribute name
(``published_date_time``) or by the key written in the file
(``publishedDateTime``); unknown keys are looked up in the class's extras, and
untyped parts (``dict``) by key. ``[i]`` indexes a list (``[-1]`` is the last
item). This module reads and writes values at a path, finds the type a path
leads to in a schema, and parses command-line text for that type.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import typing
from typing import Any

import attrs
import cattrs

from ._convert import REGISTRY, PathElement, converter, dotted, field_errors
from ._schema import extras_field, hints, key_of
from ._schema import optional as _optional

__all__ = ["Step", "assign", "get", "parse", "parse_value", "plain_value", "type_at"]

#: One step of a path: a key or attribute (``str``) or a list index (``int``).
Step = PathElement

_NAME = re.compile(r"[^.\[\]]+")
_INDEX = re.compile(r"\[(-?\d+)\]")
_INTEGER = re.compile(r"[+-]?\d+")


def parse(text: str) -> tuple[Step, ...]:
    """The steps of a path; :class:`ValueError` if it is not one.

    >>> parse("related[0].images[-1].url")
    ('related', 0, 'images', -1, 'url')
    """
    steps: list[Step] = []
    pos = 0
    while pos < len(text):
        if text[pos] == "[":
            m = _INDEX.match(text, pos)
            if m is None or not steps:
                raise ValueError(f"not a field path: {text!r} (an index is written [0] after a field name)")
            steps.append(int(m.group(1)))
        else:
            if steps:
                if text[pos] != ".":
                    raise ValueError(f"not a field path: {text!r} (expected '.' or '[' at {pos + 1})")
                pos += 1
            m = _NAME.match(text, pos)
            if m is None:
                raise ValueError(f"not a field path: {text!r} (expected a field name at {pos + 1})")
            steps.append(m.group())
        pos = m.end()
    if not steps:
        raise ValueError("not a field path: it is empty")
    return tuple(steps)


def _field(cls: type, name: str) -> attrs.Attribute[Any] | None:
    """The field of an attrs class named *name*, by attribute name or by file key."""
    extras = extras_field(cls)
    field: attrs.Attribute[Any]
    for field in attrs.fields(cls):
        if field is not extras and name in (field.name, key_of(field)):
            return field
    return None


def _describe(value: Any) -> str:
    if attrs.has(type(value)):
        return f"a {type(value).__name__}"
    kind = {list: "a list", dict: "a mapping", str: "a string", bool: "a boolean", int: "an integer"}
    return kind.get(type(value), f"a {type(value).__name__}")


def _key(mapping: dict[Any, Any], step: str) -> Any:
    """The key of *mapping* that *step* names (YAML keys may be numbers)."""
    if step not in mapping and _INTEGER.fullmatch(step) and int(step) in mapping:
        return int(step)
    return step


def _child(current: Any, steps: tuple[Step, ...], i: int) -> Any:
    """The value at ``steps[i]`` under *current*; :class:`LookupError` when there is none."""
    step = steps[i]
    if isinstance(step, int):
        if type(current) is not list:
            raise LookupError(f"{dotted(steps[:i])} is {_describe(current)}, not a list")
        if not -len(current) <= step < len(current):
            n = len(current)
            raise LookupError(f"{dotted(steps[:i])} has {n} item{'s' if n != 1 else ''}, so no [{step}]")
        return current[step]
    cls: type = type(current)
    if attrs.has(cls):
        field = _field(cls, step)
        if field is not None:
            return getattr(current, field.name)
        extras = extras_field(cls)
        bag: dict[Any, Any] = getattr(current, extras.name) if extras is not None else {}
        if step not in bag:
            raise LookupError(f"{dotted(steps[: i + 1])} is not set")
        return bag[step]
    if type(current) is dict:
        key = _key(current, step)
        if key not in current:
            raise LookupError(f"{dotted(steps[: i + 1])} is not set")
        return current[key]
    where = dotted(steps[:i])
    raise LookupError(f"{where} is {_describe(current)}, which has no field {step!r}")


def get(item: Any, steps: tuple[Step, ...]) -> Any:
    """The value at *steps* in *item*; :class:`LookupError` if it is absent or null."""
    current = item
    for i in range(len(steps)):
        current = _child(current, steps, i)
        if current is None:
            raise LookupError(f"{dotted(steps[: i + 1])} is not set")
    return current


def assign(item: Any, steps: tuple[Step, ...], value: Any) -> None:
    """Set the value at *steps* in *item*.

    A missing parent is created when that is unambiguous: an absent mapping of an
    untyped document, or an absent attrs object whose fields all have defaults
    (``provider.name`` on an item without a provider). Otherwise, and for list
    indexes out of range, :class:`LookupError`.
    """
    parent = item
    for i in range(len(steps) - 1):
        try:
            child = _child(parent, steps, i)
        except LookupError:
            if not (type(parent) is dict or attrs.has(type(parent))) or isinstance(steps[i], int):
                raise
            child = None
        if child is None:
            if isinstance(steps[i + 1], int):  # an absent list: no item to set
                raise LookupError(f"{dotted(steps[: i + 1])} is not set")
            child = _create(parent, steps, i)
        parent = child
    step = steps[-1]
    cls: type = type(parent)
    if isinstance(step, int):
        _child(parent, steps, len(steps) - 1)  # checks the index
        parent[step] = value
    elif attrs.has(cls):
        field = _field(cls, step)
        if field is not None:
            setattr(parent, field.name, value)
            return
        extras = extras_field(cls)
        if extras is None:
            raise LookupError(f"{cls.__name__} has no field {step!r}")
        getattr(parent, extras.name)[step] = value
    elif type(parent) is dict:
        parent[_key(parent, step)] = value
    else:
        raise LookupError(f"{dotted(steps[:-1])} is {_describe(parent)}, which has no field {step!r}")


def _create(parent: Any, steps: tuple[Step, ...], i: int) -> Any:
    """A new empty value for the absent ``steps[i]`` under *parent*, put in place."""
    step = steps[i]
    assert isinstance(step, str)
    where = dotted(steps[: i + 1])
    child: Any
    if type(parent) is dict:
        parent[_key(parent, step)] = child = {}
        return child
    cls: type = type(parent)
    field = _field(cls, step)
    if field is None:  # an extras key: untyped
        extras = extras_field(cls)
        if extras is None:
            raise LookupError(f"{cls.__name__} has no field {step!r}")
        getattr(parent, extras.name)[step] = child = {}
        return child
    inner, _ = _optional(hints(cls).get(field.name, Any))
    if not attrs.has(inner):
        raise LookupError(f"{where} is not set")
    try:
        child = inner()
    except TypeError:
        raise LookupError(f"{where} is not set, and a new one needs more than this field") from None
    setattr(parent, field.name, child)
    return child


def type_at(schema: type, steps: tuple[Step, ...]) -> Any:
    """The declared type of the value at *steps* in items of *schema*.

    ``Any`` where the path enters untyped data (extras, ``dict[str, Any]``).
    :class:`ValueError` when the schema has no such field.

    >>> import newsitem
    >>> type_at(newsitem.NewsItem, ("provider", "images", 0, "width"))
    int | None
    """
    tp: Any = schema
    for i, step in enumerate(steps):
        tp, _ = _optional(tp)
        if tp is Any:
            return Any
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if isinstance(step, int):
            if tp is list or origin is list:
                tp = args[0] if args else Any
                continue
            raise ValueError(f"{dotted(steps[:i])} is not a list")
        if attrs.has(tp):
            field = _field(tp, step)
            if field is not None:
                tp = hints(tp).get(field.name, Any)
            elif extras_field(tp) is not None:
                return Any
            else:
                raise ValueError(f"{tp.__name__} has no field {step!r}")
        elif tp is dict or origin is dict:
            tp = args[1] if args else Any
        else:
            where = dotted(steps[:i])
            raise ValueError(f"{where} is {_type_name(tp)}, which has no field {step!r}")
    return tp


def _type_name(tp: Any) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "a boolean"}
    return names.get(tp, f"a {getattr(tp, '__name__', str(tp))}")


def _not_json(word: str) -> Any:
    raise ValueError(f"{word} is not JSON")


def _finite(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise ValueError(f"{text} is beyond a float's range")
    return number


def json_value(text: str) -> Any:
    """*text* read as strict JSON: Python's ``NaN``, ``Infinity`` and ``-Infinity`` are
    not, nor is a number beyond a float's range (``1e400``, which Python reads as inf)."""
    return json.loads(text, parse_constant=_not_json, parse_float=_finite)


def plain_value(text: str) -> Any:
    """*text* read as JSON if it is JSON (``12``, ``true``, ``[1, 2]``), else the text itself."""
    try:
        return json_value(text)
    except ValueError:
        return text


def parse_datetime(text: str) -> dt.datetime:
    """An ISO 8601 date-time (UTC when it has no offset); :class:`ValueError` if not one."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"expected an ISO 8601 date-time such as 2024-03-09T06:00:00Z, got {text!r}"
        ) from None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def parse_value(text: str, tp: Any) -> Any:
    """Command-line *text* as a value of type *tp*; :class:`ValueError` if it is not one.

    Strings are taken as they are (``null`` too: a field is removed with
    ``unset``); integers, numbers and ``true``/``false`` as written; date-times in
    ISO 8601; a registered type by its own parser (see
    :func:`~newsitem.register_type`); lists, objects and anything else as JSON (keys
    as in the files). Untyped values (``Any``) are JSON if the text is JSON, else a
    string.

    >>> parse_value("56", int | None), parse_value("true", bool), parse_value("null", str | None)
    (56, True, 'null')
    >>> parse_value("2024-03-09T06:00:00Z", dt.datetime)
    datetime.datetime(2024, 3, 9, 6, 0, tzinfo=datetime.timezone.utc)
    """
    if tp is Any or tp is object:
        return plain_value(text)
    inner, _ = _optional(tp)
    spec = REGISTRY.get(inner)
    if spec is not None:
        try:
            return spec.parse(text) if spec.parse is not None else spec.structure(text)
        except (ValueError, TypeError) as e:
            raise ValueError(f"expected a {getattr(inner, '__name__', inner)}: {e}") from None
    if inner is str:
        return text
    if inner is bool:
        if text.lower() not in ("true", "false"):
            raise ValueError(f"expected true or false, got {text!r}")
        return text.lower() == "true"
    if inner is int:
        if not _INTEGER.fullmatch(text.strip()):
            raise ValueError(f"expected an integer, got {text!r}")
        return int(text)
    if inner is float:
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"expected a number, got {text!r}") from None
    if inner is dt.datetime:
        return parse_datetime(text)
    if inner is dt.date:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"expected an ISO 8601 date such as 2024-03-09, got {text!r}") from None
    try:
        data = json_value(text)
    except ValueError as e:
        raise ValueError(f"expected JSON for {_type_name(inner)}: {e}") from None
    try:
        return converter.structure(data, inner)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as e:
        problems = [f"{dotted(path)}: {message}" if path else message for path, _, message in field_errors(e)]
        raise ValueError("; ".join(problems) or str(e)) from None
