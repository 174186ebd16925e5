"""The typed view: plain YAML values <-> attrs classes, through cattrs.

One cattrs converter, configured for front matter:

* YAML keys are the camelCase spelling of attribute names (or the field's
  ``newsitem.key`` metadata); unknown keys go, in order, into the field marked
  with ``EXTRAS`` metadata;
* scalars are strict: a ``str`` field takes only a string, an ``int`` field only an
  integer (a quoted ``"56"`` is an error, not silently converted), so a typed item
  always means what the file says;
* ``datetime`` fields take YAML timestamps and strings python-dateutil can read
  (ISO 8601, RFC 2822, ...) and are always timezone-aware (UTC when the text has
  no offset);
* values of ``Any`` type (unknown keys included) are deep-copied plain data, so
  editing an item never alters the values newsitem compares it against.

Errors are gathered with cattrs' detailed validation and turned into
:class:`~newsitem.FieldError` entries with field paths.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import attrs
import cattrs
from cattrs.cols import list_structure_factory
from cattrs.errors import ClassValidationError, IterableValidationError
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from dateutil import parser as _dateutil

from ._model import KEY

__all__ = [
    "PathElement",
    "converter",
    "copy_plain",
    "dotted",
    "extras_field",
    "field_errors",
    "key_of",
    "unstructure",
]

_UTC = dt.UTC

#: One step of a field path: an attribute or key (``str``) or a list index (``int``).
PathElement = str | int


def dotted(path: tuple[PathElement, ...]) -> str:
    """The text of a field path: ``('related', 0, 'url')`` -> ``related[0].url``."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def key_of(field: attrs.Attribute[Any]) -> str:
    """The YAML key a field is written under."""
    key = field.metadata.get(KEY)
    return key if isinstance(key, str) else camel(field.name)


@cache
def extras_field(cls: type) -> attrs.Attribute[Any] | None:
    """The field of an attrs class that keeps unknown keys, if it has one."""
    field: attrs.Attribute[Any]
    for field in attrs.fields(cls):
        if field.metadata.get("newsitem.extras"):
            return field
    return None


@cache
def keys_by_name(cls: type) -> dict[str, str]:
    """Attribute name -> YAML key, for every field but the extras field."""
    extras = extras_field(cls)
    return {f.name: key_of(f) for f in attrs.fields(cls) if f is not extras}


def copy_plain(value: Any) -> Any:
    """Deep-copy plain YAML data (dicts, lists, immutable scalars)."""
    if type(value) is dict:
        return {k: copy_plain(v) for k, v in value.items()}
    if type(value) is list:
        return [copy_plain(v) for v in value]
    return value


_KINDS = {
    dict: "a mapping",
    list: "a list",
    str: "a string",
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    dt.datetime: "a date-time",
    dt.date: "a date",
}


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    kind = _KINDS.get(type(value), type(value).__name__)
    if type(value) in (dict, list):
        return kind
    text = repr(value) if not isinstance(value, dt.date) else value.isoformat()
    return f"{kind} {text[:60]}"


def _strict(expected: type, label: str) -> Callable[[Any, type], Any]:
    def hook(value: Any, _: type) -> Any:
        if type(value) is expected:
            return value
        raise TypeError(f"expected {label}, got {_describe(value)}")

    return hook


def _float(value: Any, _: type) -> float:
    if type(value) is float:
        return value
    if type(value) is int:
        return float(value)
    raise TypeError(f"expected a number, got {_describe(value)}")


def to_datetime(value: Any) -> dt.datetime:
    """A tz-aware datetime from a YAML timestamp, date or date-time string."""
    if type(value) is dt.datetime:
        result = value
    elif type(value) is dt.date:
        result = dt.datetime(value.year, value.month, value.day, tzinfo=_UTC)
    elif type(value) is str:
        try:
            result = _dateutil.parse(value)
        except (ValueError, OverflowError):
            raise ValueError(f"not a date-time: {value!r}") from None
    else:
        raise TypeError(f"expected a date-time, got {_describe(value)}")
    if result.tzinfo is None:
        result = result.replace(tzinfo=_UTC)
    return result


def _date(value: Any, _: type) -> dt.date:
    if type(value) is dt.date:
        return value
    if type(value) is str:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return to_datetime(value).date()
    raise TypeError(f"expected a date, got {_describe(value)}")


def _mapping_check(cls: type) -> Callable[[Any], None]:
    name = cls.__name__

    def check(value: Any) -> None:
        if type(value) is not dict:
            raise TypeError(f"expected a mapping ({name}), got {_describe(value)}")

    return check


def _make_structure(conv: cattrs.Converter) -> Callable[[type], Callable[[Any, type], Any]]:
    def factory(cls: type) -> Callable[[Any, type], Any]:
        extras = extras_field(cls)
        renames: dict[str, Any] = {name: override(rename=key) for name, key in keys_by_name(cls).items()}
        if extras is not None:
            renames[extras.name] = override(omit=True)
        base: Callable[[Any, type], Any] = make_dict_structure_fn(
            cls, conv, _cattrs_forbid_extra_keys=False, **renames
        )
        known = frozenset(keys_by_name(cls).values())
        check = _mapping_check(cls)
        extras_name = extras.name if extras is not None else None

        def structure(value: Any, _: type) -> Any:
            if type(value) is not dict:
                check(value)
            obj = base(value, cls)
            if extras_name is not None and not value.keys() <= known:
                unknown = {k: copy_plain(v) for k, v in value.items() if k not in known}
                setattr(obj, extras_name, unknown)
            return obj

        return structure

    return factory


def _make_unstructure(conv: cattrs.Converter) -> Callable[[type], Callable[[Any], Any]]:
    def factory(cls: type) -> Callable[[Any], Any]:
        extras = extras_field(cls)
        renames: dict[str, Any] = {name: override(rename=key) for name, key in keys_by_name(cls).items()}
        if extras is not None:
            renames[extras.name] = override(omit=True)
        base: Callable[[Any], Any] = make_dict_unstructure_fn(
            cls, conv, _cattrs_omit_if_default=True, **renames
        )
        extras_name = extras.name if extras is not None else None
        order = tuple(keys_by_name(cls).values())

        def unstructure(obj: Any) -> dict[str, Any]:
            raw: dict[str, Any] = base(obj)  # cattrs puts required fields first
            data = {k: raw[k] for k in order if k in raw}
            if extras_name is not None:
                more = getattr(obj, extras_name)
                if more:
                    data.update({k: copy_plain(v) for k, v in more.items() if k not in data})
            return data

        return unstructure

    return factory


def _is_list(t: Any) -> bool:
    return t is list or getattr(t, "__origin__", None) is list


def _strict_lists(conv: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    """Lists take only YAML sequences (cattrs alone would split ``topics: AI`` into letters)."""

    def factory(t: Any) -> Callable[[Any, Any], Any]:
        inner = list_structure_factory(t, conv)

        def structure(value: Any, t: Any) -> Any:
            if type(value) is not list:
                raise TypeError(f"expected a list, got {_describe(value)}")
            return inner(value, t)

        return structure

    return factory


def _optional(hook: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def structure(value: Any, t: Any) -> Any:
        return None if value is None else hook(value, t)

    return structure


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(detailed_validation=True)
    conv.register_structure_hook(str, _strict(str, "a string"))
    conv.register_structure_hook(int, _strict(int, "an integer"))
    conv.register_structure_hook(bool, _strict(bool, "true or false"))
    conv.register_structure_hook(float, _float)
    conv.register_structure_hook(dt.datetime, lambda v, _: to_datetime(v))
    conv.register_structure_hook(dt.date, _date)
    for simple in (str, int, bool, float, dt.datetime, dt.date):  # skip cattrs' Optional dispatch
        conv.register_structure_hook(simple | None, _optional(conv.get_structure_hook(simple)))
    conv.register_structure_hook_func(lambda t: t is Any, lambda v, _: copy_plain(v))
    conv.register_unstructure_hook(dt.datetime, lambda v: v)
    conv.register_unstructure_hook(dt.date, lambda v: v)
    conv.register_structure_hook_factory(_is_list, _strict_lists(conv))
    conv.register_structure_hook_factory(attrs.has, _make_structure(conv))
    conv.register_unstructure_hook_factory(attrs.has, _make_unstructure(conv))
    return conv


converter = _make_converter()


def unstructure(item: Any) -> Any:
    """The plain YAML data (camelCase keys, extras in place) an item stands for."""
    if type(item) is dict:
        return copy_plain(item)
    return converter.unstructure(item)


def field_errors(exc: BaseException) -> Iterator[tuple[tuple[PathElement, ...], tuple[str, ...], str]]:
    """Flatten a cattrs validation error.

    Yields ``(attribute path, key path, message)`` for each problem: the attribute
    path names attributes (for messages), the key path the YAML keys (to find the
    node in the file).
    """
    yield from _walk(exc, (), ())


def _walk(
    exc: BaseException, path: tuple[PathElement, ...], keys: tuple[Any, ...]
) -> Iterator[tuple[tuple[PathElement, ...], tuple[Any, ...], str]]:
    if isinstance(exc, ClassValidationError):
        with_notes, without = exc.group_exceptions()
        names = keys_by_name(exc.cl) if attrs.has(exc.cl) else {}
        for sub, note in with_notes:
            key = names.get(note.name, note.name)
            if isinstance(sub, KeyError) and not isinstance(sub, ClassValidationError):
                yield (*path, note.name), (*keys, _Missing(key)), "required field is missing"
            else:
                yield from _walk(sub, (*path, note.name), (*keys, key))
        for sub in without:
            yield from _walk(sub, path, keys)
    elif isinstance(exc, IterableValidationError):
        indexed, others = exc.group_exceptions()
        for sub, inote in indexed:
            index: PathElement = inote.index
            yield from _walk(sub, (*path, index), (*keys, index))
        for sub in others:
            yield from _walk(sub, path, keys)
    else:
        yield path, keys, _message(exc)


class _Missing(str):
    """A key path element for a key that is not in the file."""

    __slots__ = ()


def _message(exc: BaseException) -> str:
    text = str(exc)
    if isinstance(exc, cattrs.StructureHandlerNotFoundError):
        return f"cannot structure this field's type: {text}"
    return text or type(exc).__name__
