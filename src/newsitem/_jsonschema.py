"""JSON for items: plain data made JSON-ready, and a JSON Schema generated from
the attrs classes.

The schema is built by walking the fields and type annotations of a schema class,
so it never drifts from the classes: keys as written in the files, required
fields, nested classes under ``$defs``, ``additionalProperties`` where a class
keeps unknown keys. It declares JSON Schema 2020-12 and uses only keywords that
mean the same in draft 7, which is what most editors implement.
"""

from __future__ import annotations

import base64
import collections.abc
import datetime as dt
import enum
import inspect
import math
import types
import typing
from typing import Any

import attrs

from ._convert import REGISTRY, unstructure
from ._emit import format_datetime as iso  # ISO 8601, with Z for UTC
from ._schema import extras_field, hints, key_of

__all__ = ["DIALECT", "iso", "json_ready", "json_schema", "to_json"]

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_ready(value: Any) -> Any:
    """Plain data as JSON data: date-times and times of day as ISO 8601 strings, binary
    as base64.

    :class:`ValueError` for what JSON cannot hold (``.nan``, ``.inf``, keys that
    are mappings or lists).
    """
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if isinstance(k, dt.date):
                k = iso(k)
            elif k is not None and not isinstance(k, str | int | float | bool):
                raise ValueError(f"JSON cannot hold a key that is a {type(k).__name__}")
            out[k] = json_ready(v)
        return out
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    if isinstance(value, dt.date):
        return iso(value)
    if isinstance(value, dt.time):  # a TOML local time
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"JSON cannot hold the number {value}")
    return value


def to_json(item: Any) -> Any:
    """An item as JSON-ready data, as ``newsitem export`` writes it: keys as in the
    files (camelCase), in schema order, absent fields left out, extras kept,
    date-times as ISO 8601 strings (``Z`` for UTC). *item* is an instance of a
    schema class, or the ``dict`` of an untyped document.

    :class:`ValueError` for what JSON cannot hold (``.nan``, keys that are lists).

    >>> import datetime as dt, json, newsitem
    >>> item = newsitem.NewsItem(
    ...     title="Library opens late",
    ...     published_date_time=dt.datetime(2024, 3, 5, 17, 40, tzinfo=dt.timezone.utc),
    ...     topics=["Libraries"],
    ... )
    >>> json.dumps(newsitem.to_json(item))
    '{"title": "Library opens late", "publishedDateTime": "2024-03-05T17:40:00Z", "topics": ["Libraries"]}'
    """
    return json_ready(unstructure(item))


def json_schema(cls: type) -> dict[str, Any]:
    """A JSON Schema (2020-12) for the front matter of items of attrs class *cls*, as
    ``newsitem schema`` prints it: keys as in the files, ``required`` for fields
    without a default, nested classes under ``$defs``, ``additionalProperties``
    allowed where a class keeps unknown keys. :class:`TypeError` for anything but an
    attrs class.

    >>> import newsitem
    >>> schema = json_schema(newsitem.NewsItem)
    >>> schema["required"], schema["properties"]["publishedDateTime"]
    (['title', 'publishedDateTime'], {'type': 'string', 'format': 'date-time'})
    """
    if not attrs.has(cls):
        raise TypeError(f"a JSON Schema is made from an attrs class, not {cls!r}")
    gen = _Generator(cls)
    schema = {"$schema": DIALECT, **gen.object(cls)}
    if gen.defs:
        schema["$defs"] = dict(sorted(gen.defs.items()))
    return schema


class _Generator:
    def __init__(self, root: type) -> None:
        self.root = root
        self.names: dict[type, str] = {}
        self.defs: dict[str, dict[str, Any]] = {}

    def ref(self, cls: type) -> dict[str, Any]:
        if cls is self.root:
            return {"$ref": "#"}
        if cls not in self.names:
            name = cls.__name__
            if name in self.defs or name == self.root.__name__:
                name = f"{cls.__module__}.{cls.__qualname__}"
            self.names[cls] = name
            self.defs[name] = {}  # taken before walking, for classes that refer back to themselves
            self.defs[name] = self.object(cls)
        return {"$ref": f"#/$defs/{self.names[cls]}"}

    def object(self, cls: type) -> dict[str, Any]:
        extras = extras_field(cls)
        annotations = hints(cls)
        properties: dict[str, Any] = {}
        required: list[str] = []
        field: attrs.Attribute[Any]
        for field in attrs.fields(cls):
            if field is extras:
                continue
            key = key_of(field)
            properties[key] = self.type(annotations.get(field.name, Any))
            if field.default is attrs.NOTHING:
                required.append(key)
        out: dict[str, Any] = {"title": cls.__name__}
        doc = inspect.getdoc(cls)
        if doc and not doc.startswith(f"{cls.__name__}("):  # attrs' generated signature is no description
            out["description"] = doc.split("\n\n")[0].replace("\n", " ").replace("``", "`")
        out["type"] = "object"
        out["properties"] = properties
        if required:
            out["required"] = required
        out["additionalProperties"] = True  # unknown keys are kept (extras) or ignored, never refused
        return out

    def type(self, tp: Any) -> dict[str, Any]:
        if tp is Any or tp is object:
            return {}
        spec = REGISTRY.get(tp)
        if spec is not None:
            return dict(spec.json_schema)
        if tp is type(None) or tp is None:
            return {"type": "null"}
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if origin in (typing.Union, types.UnionType):
            return self.union(args)
        if origin is typing.Literal:
            return {"enum": list(args)}
        simple = _SIMPLE.get(tp)
        if simple is not None:
            return dict(simple)
        if tp in (list, tuple) or origin in (list, tuple, collections.abc.Sequence):
            same = origin is not tuple or (len(args) == 2 and args[1] is Ellipsis)  # tuple[X, ...]
            items = self.type(args[0]) if args and same else {}
            return {"type": "array", "items": items} if items else {"type": "array"}
        if tp is dict or origin is dict:
            value = self.type(args[1]) if args else {}
            return {"type": "object", "additionalProperties": value} if value else {"type": "object"}
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return {"enum": [member.value for member in tp]}
        if attrs.has(tp):
            return self.ref(tp)
        return {}  # a type newsitem's converter leaves to cattrs: no constraint here

    def union(self, args: tuple[Any, ...]) -> dict[str, Any]:
        options = [self.type(a) for a in args]
        if any(not o for o in options):
            return {}
        types_ = [o["type"] for o in options if set(o) <= {"type"} and isinstance(o.get("type"), str)]
        if len(types_) == len(options):
            return {"type": list(dict.fromkeys(types_))}
        if len(options) == 2 and {"type": "null"} in options:  # "T or null" for one typed option
            (option,) = (o for o in options if o != {"type": "null"})
            if "$ref" not in option and isinstance(option.get("type"), str):
                return {**option, "type": [option["type"], "null"]}
        return {"anyOf": options}


_SIMPLE: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    float: {"type": "number"},
    dt.datetime: {"type": "string", "format": "date-time"},
    dt.date: {"type": "string", "format": "date"},
}
