"""What newsitem knows about a schema class: its fields, their keys, types and style.

A schema is any attrs class. Each field is written under a key: the camelCase
spelling of its name (``published_date_time`` -> ``publishedDateTime``) unless
its metadata names one (``metadata={"newsitem.key": "page_size"}``). One field
may keep the keys the class does not know (metadata ``{"newsitem.extras": True}``).
A field's metadata also carries its house style: ``{"newsitem.quote": True}``
double-quotes its strings in new text, ``{"newsitem.standalone": True}`` sets a
top-level key apart with blank lines. Everything else reads this module.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar, cast

import attrs

__all__ = [
    "EXTRAS",
    "KEY",
    "QUOTE",
    "STANDALONE",
    "Field",
    "camel",
    "extras_field",
    "fields",
    "hints",
    "key_of",
    "keys_by_name",
    "memo",
    "optional",
]

F = TypeVar("F", bound=Callable[..., Any])


def memo(fn: F) -> F:
    """:func:`functools.cache`, keeping the function's own signature for type checkers."""
    return cast(F, functools.cache(fn))


#: Metadata key that names a field's key in the file explicitly.
KEY = "newsitem.key"
#: Metadata marking the field that keeps unknown keys (a ``dict``).
EXTRAS = {"newsitem.extras": True}
#: Metadata: new strings of this field are double-quoted.
QUOTE = {"newsitem.quote": True}
#: Metadata: this top-level field stands apart, with a blank line around it.
STANDALONE = {"newsitem.standalone": True}


class Field(NamedTuple):
    """One field of a schema, as newsitem reads and writes it."""

    name: str
    key: str
    type: Any
    #: The field has a default: ``None`` or an empty list means "not in the file".
    optional: bool
    quote: bool
    standalone: bool


def camel(name: str) -> str:
    """``published_date_time`` -> ``publishedDateTime``; leading underscores go, as in
    the name attrs gives the field's ``__init__`` argument (``_x`` -> ``x``)."""
    head, *rest = name.lstrip("_").split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def key_of(field: attrs.Attribute[Any]) -> str:
    """The key a field is written under."""
    key = field.metadata.get(KEY)
    return key if isinstance(key, str) else camel(field.name)


@memo
def extras_field(cls: Any) -> attrs.Attribute[Any] | None:
    """The field of an attrs class that keeps unknown keys, if it has one."""
    field: attrs.Attribute[Any]
    for field in attrs.fields(cls):
        if field.metadata.get("newsitem.extras"):
            return field
    return None


@memo
def hints(cls: Any) -> dict[str, Any]:
    """Resolved type annotations of an attrs class (``Any`` where they cannot be resolved)."""
    try:
        return typing.get_type_hints(cls)
    except (NameError, TypeError):
        return {f.name: f.type if not isinstance(f.type, str | None) else Any for f in attrs.fields(cls)}


@memo
def fields(cls: Any) -> tuple[Field, ...]:
    """The fields of *cls* but its extras field, in order (the house key order)."""
    extras = extras_field(cls)
    annotations = hints(cls)
    return tuple(
        Field(
            f.name,
            key_of(f),
            annotations.get(f.name, Any),
            f.default is not attrs.NOTHING,
            bool(f.metadata.get("newsitem.quote")),
            bool(f.metadata.get("newsitem.standalone")),
        )
        for f in attrs.fields(cls)
        if f is not extras
    )


@memo
def keys_by_name(cls: Any) -> dict[str, str]:
    """Attribute name -> key, for every field but the extras field."""
    return {f.name: f.key for f in fields(cls)}


def optional(tp: Any) -> tuple[Any, bool]:
    """``(T, True)`` for ``T | None``; ``(tp, False)`` for anything else."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        rest = tuple(a for a in args if a is not type(None))
        if len(rest) < len(args):
            inner: Any = rest[0] if len(rest) == 1 else typing.Union[rest]  # noqa: UP007 - built at run time
            return inner, True
    return tp, False
