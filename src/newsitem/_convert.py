"""The typed view: plain values <-> attrs classes.

Reading goes through one cattrs converter, configured for front matter:

* keys are the camelCase spelling of attribute names (or the field's
  ``newsitem.key`` metadata); unknown keys go, in order, into the field marked
  with ``EXTRAS`` metadata;
* scalars are strict: a ``str`` field takes only a string, an ``int`` field only an
  integer (a quoted ``"56"`` is an error, not silently converted), so a typed item
  always means what the file says;
* ``datetime`` fields take YAML timestamps and strings python-dateutil can read
  (ISO 8601, RFC 2822, ...) and are always timezone-aware (UTC when the text has
  no offset); a list field written empty or null (``tags:``) is an empty list;
* values of ``Any`` type (unknown keys included) are deep-copied plain data, so
  editing an item never alters the values newsitem compares it against.

Writing goes the other way through :func:`to_data`, which checks every value
against its field's declared type as it goes (an item edited in Python can hold
anything) and reports each mistake with its field path, instead of writing text
that would read back as something else. Its mappings are :class:`Record` dicts
that remember their schema class, so the writer knows the house style of each.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import re
import types
import typing
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import cattrs
from cattrs.cols import list_structure_factory
from cattrs.errors import ClassValidationError, IterableValidationError
from cattrs.gen import make_dict_structure_fn, override

from ._errors import FieldError, SchemaError, ValidationError, clip
from ._schema import extras_field, fields, key_of, keys_by_name, memo, optional

__all__ = [
    "REGISTRY",
    "PathElement",
    "Record",
    "TypeSpec",
    "absent",
    "changes",
    "converter",
    "copy_plain",
    "dotted",
    "extras_field",
    "field_errors",
    "key_of",
    "register_type",
    "same",
    "structure",
    "structure_fn",
    "to_data",
    "unstructure",
]

_UTC = dt.UTC

#: One step of a field path: an attribute or key (``str``) or a list index (``int``).
PathElement = str | int
Path = tuple[PathElement, ...]


def dotted(path: tuple[PathElement, ...]) -> str:
    """The text of a field path: ``('related', 0, 'url')`` -> ``related[0].url``."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


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
    tuple: "a tuple",
    str: "a string",
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    dt.datetime: "a date-time",
    dt.date: "a date",
}


def describe(value: Any) -> str:
    """``an integer 5``, ``a mapping``, ``null``: a value as error messages name it."""
    if value is None:
        return "null"
    kind = _KINDS.get(type(value))
    if kind is None:
        name = type(value).__name__
        article = "an" if name[:1].lower() in "aeiou" else "a"
        return f"{article} {name}" if not attrs.has(type(value)) else f"{article} {name} object"
    if type(value) in (dict, list, tuple):
        return kind
    if type(value) is int and value.bit_length() > 256:
        return f"{kind} of {len(str(abs(value))) if value.bit_length() < 14_000 else 'over 4,300'} digits"
    text = repr(value) if not isinstance(value, dt.date) else value.isoformat()
    return f"{kind} {text[:60]}"


# -- reading: plain values to attrs classes ---------------------------------------------


def _strict(expected: type, label: str) -> Callable[[Any, type], Any]:
    def hook(value: Any, cl: type) -> Any:
        if type(value) is expected and cl is expected:
            return value
        if cl is not expected and isinstance(cl, enum.EnumMeta):  # a str or int enum
            return _enum_hook(cl)(value, cl)
        if type(value) is expected:
            return value
        raise TypeError(f"expected {label}, got {describe(value)}")

    return hook


def _float(value: Any, cl: type) -> float:
    if cl is not float and isinstance(cl, enum.EnumMeta):  # a float enum
        return _enum_hook(cl)(value, cl)  # type: ignore[no-any-return]
    if type(value) is float:
        return value
    if type(value) is int:
        return float(value)
    raise TypeError(f"expected a number, got {describe(value)}")


def _is_enum(t: Any) -> bool:
    return isinstance(t, enum.EnumMeta)


@memo
def _enum_hook(cls: Any) -> Callable[[Any, Any], Any]:
    """An enum's members by their values, each taken only as its own type (``2`` for
    ``LOW = 2``, not ``2.0`` or ``true``), as they are written. A ``str`` or ``int``
    enum reaches this through the ``str`` and ``int`` hooks, which cattrs tries first."""
    members: dict[tuple[type, Any], Any] = {}
    for member in cls:
        value = member.value
        try:
            members.setdefault((type(value), value), member)
        except TypeError:  # an unhashable value, which cannot be written either
            continue
    label = ", ".join(repr(value) for _, value in members)

    def structure(value: Any, _: Any) -> Any:
        try:
            return members[type(value), value]
        except (KeyError, TypeError):
            raise TypeError(f"expected one of {label} ({cls.__name__}), got {describe(value)}") from None

    return structure


def _is_literal(t: Any) -> bool:
    """A ``Literal`` of plain values (one naming enum members is cattrs')."""
    return typing.get_origin(t) is typing.Literal and not any(
        isinstance(a, enum.Enum) for a in typing.get_args(t)
    )


def _literal_hook(t: Any) -> Callable[[Any, Any], Any]:
    """A ``Literal`` takes each of its values only as its own type (``3``, not ``3.0``
    or ``true`` for ``Literal[1]``), as :func:`_literal_plan` writes them."""
    choices = typing.get_args(t)
    label = ", ".join(map(repr, choices))

    def structure(value: Any, _: Any) -> Any:
        for choice in choices:
            if type(value) is type(choice) and value == choice:
                return choice
        raise TypeError(f"expected one of {label}, got {describe(value)}")

    return structure


def to_datetime(value: Any) -> dt.datetime:
    """A tz-aware datetime from a YAML timestamp, date or date-time string."""
    if type(value) is dt.datetime:
        result = value
    elif type(value) is dt.date:
        result = dt.datetime(value.year, value.month, value.day, tzinfo=_UTC)
    elif type(value) is str:
        from dateutil import parser as _dateutil  # only for dates written as text

        if _ZONE_THEN_OFFSET.search(value):
            raise ValueError(
                f"not a date-time: {clip(value)!r} (an offset after UTC or GMT is ambiguous: read the POSIX "
                "way its sign is reversed; write the offset alone, such as +01:00)"
            )
        try:
            result = _dateutil.parse(value, tzinfos=_zone)
        except _UnknownZoneError as e:
            raise ValueError(f"not a date-time: {clip(value)!r} ({e})") from None
        except (ValueError, OverflowError):
            raise ValueError(f"not a date-time: {clip(value)!r}") from None
    else:
        raise TypeError(f"expected a date-time, got {describe(value)}")
    if result.tzinfo is None:
        result = result.replace(tzinfo=_UTC)
    return result


#: ``GMT+0100`` (as JavaScript writes it), ``UTC+3``: dateutil reads it the POSIX way, as
#: -01:00 and -03:00 (and ``GMT +3`` as UTC).
_ZONE_THEN_OFFSET = re.compile(r"(?<![A-Za-z])(?:UTC|GMT|Z)\s*[+-]\s*\d", re.IGNORECASE)


class _UnknownZoneError(ValueError):
    pass


def _zone(name: str | None, offset: int | None) -> dt.tzinfo | None:
    """The time zone of a date-time written as text, for dateutil: its offset (``Z``,
    ``UTC`` and ``GMT`` are 0), never the machine's local zone, which dateutil gives
    for a name that zone uses. A name without an offset (``EST``) is refused: dateutil
    would leave the time without a zone, read as UTC."""
    if offset is not None:
        return _UTC if offset == 0 else dt.timezone(dt.timedelta(seconds=offset))
    if name is None:
        return None
    raise _UnknownZoneError(f"the time zone {name!r} is not an offset; write one, such as +01:00")


def _date(value: Any, _: type) -> dt.date:
    if type(value) is dt.date:
        return value
    if type(value) is str:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return to_datetime(value).date()
    raise TypeError(f"expected a date, got {describe(value)}")


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
        extras_name = extras.name if extras is not None else None
        name = cls.__name__

        def structure(value: Any, _: type) -> Any:
            if type(value) is not dict:
                raise TypeError(f"expected a mapping ({name}), got {describe(value)}")
            obj = base(value, cls)
            if extras_name is not None and not value.keys() <= known:
                unknown = {k: copy_plain(v) for k, v in value.items() if k not in known}
                try:
                    setattr(obj, extras_name, unknown)
                except attrs.exceptions.FrozenInstanceError:  # as a frozen class's __init__ sets it
                    object.__setattr__(obj, extras_name, unknown)
            return obj

        return structure

    return factory


def _is_list(t: Any) -> bool:
    return t is list or getattr(t, "__origin__", None) is list


def _strict_lists(conv: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    """Lists take only YAML sequences (cattrs alone would split ``topics: AI`` into letters);
    an empty value (``tags:``) is an empty list."""

    def factory(t: Any) -> Callable[[Any, Any], Any]:
        inner = list_structure_factory(t, conv)

        def structure(value: Any, t: Any) -> Any:
            if type(value) is not list:
                if value is None:
                    return []
                raise TypeError(f"expected a list, got {describe(value)}")
            return inner(value, t)

        return structure

    return factory


def _optional_hook(hook: Callable[[Any, Any], Any], inner: Any = None) -> Callable[[Any, Any], Any]:
    """``T | None`` from *hook*, which is given the type *inner* (``T``) when named."""

    def structure(value: Any, t: Any) -> Any:
        return None if value is None else hook(value, t if inner is None else inner)

    return structure


def _is_union(t: Any) -> bool:
    """A union of two types or more besides ``None`` (``T | None`` has its own hooks)."""
    if typing.get_origin(t) not in (typing.Union, types.UnionType):
        return False
    return len([a for a in typing.get_args(t) if a is not type(None)]) > 1


def _unions(conv: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    """``int | str`` and the like: the first member type whose strict hook takes the
    value (``None`` for ``... | None``)."""

    def factory(t: Any) -> Callable[[Any, Any], Any]:
        args = typing.get_args(t)
        nullable = type(None) in args
        members = [(a, conv.get_structure_hook(a)) for a in args if a is not type(None)]
        label = " or ".join(getattr(a, "__name__", str(a)) for a, _ in members)

        def structure(value: Any, _: Any) -> Any:
            if value is None and nullable:
                return None
            for a, hook in members:
                try:
                    return hook(value, a)
                except Exception:  # noqa: S112 - the next member type may take it
                    continue
            raise TypeError(f"expected {label}, got {describe(value)}")

        return structure

    return factory


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(detailed_validation=True)
    conv.register_structure_hook(str, _strict(str, "a string"))
    conv.register_structure_hook(int, _strict(int, "an integer"))
    conv.register_structure_hook(bool, _strict(bool, "true or false"))
    conv.register_structure_hook(float, _float)
    conv.register_structure_hook(dt.datetime, lambda v, _: to_datetime(v))
    conv.register_structure_hook(dt.date, _date)
    for simple in (str, int, bool, float, dt.datetime, dt.date):  # skip cattrs' Optional dispatch
        conv.register_structure_hook(simple | None, _optional_hook(conv.get_structure_hook(simple), simple))
    conv.register_structure_hook_func(lambda t: t is Any, lambda v, _: copy_plain(v))
    conv.register_structure_hook_factory(_is_list, _strict_lists(conv))
    conv.register_structure_hook_factory(_is_enum, _enum_hook)
    conv.register_structure_hook_factory(_is_literal, _literal_hook)
    conv.register_structure_hook_factory(_is_union, _unions(conv))
    conv.register_structure_hook_factory(attrs.has, _make_structure(conv))
    return conv


converter = _make_converter()


@attrs.frozen
class TypeSpec:
    """How newsitem reads, writes, parses and describes a field type of your own."""

    type: Any
    structure: Callable[[Any], Any]
    unstructure: Callable[[Any], Any]
    parse: Callable[[str], Any] | None = None
    json_schema: dict[str, Any] = attrs.field(factory=dict)


#: Field types registered with :func:`register_type`.
REGISTRY: dict[Any, TypeSpec] = {}


#: The types newsitem reads and writes itself, which :func:`register_type` leaves alone.
_OWN_TYPES = frozenset({str, int, float, bool, dt.datetime, dt.date, list, dict, tuple, type(None), object})


def register_type(
    tp: type[Any],
    *,
    structure: Callable[[Any], Any],
    unstructure: Callable[[Any], Any],
    parse: Callable[[str], Any] | None = None,
    json_schema: dict[str, Any] | None = None,
) -> None:
    """Teach newsitem a field type of your own, in one place.

    * *structure* turns the value read from a file (a string, number, boolean,
      date-time, list or mapping) into a *tp*; it raises :class:`ValueError` or
      :class:`TypeError` for a value it does not take, which becomes a
      :class:`~newsitem.ValidationError` naming the field;
    * *unstructure* turns a *tp* into such a plain value, which newsitem then
      writes as it writes any value of that kind (and must read back, through
      *structure*, as an equal *tp*);
    * *parse* reads a value from the command line (``newsitem set``); by default
      *structure* of the text;
    * *json_schema* describes the written value for ``newsitem schema``.

    *tp* is a class of your own: the types newsitem reads itself (``str``, ``int``,
    ``datetime``...) raise :class:`~newsitem.SchemaError`, as they are every schema's.

    >>> import datetime as dt, attrs, newsitem
    >>> newsitem.register_type(
    ...     dt.timedelta,
    ...     structure=lambda v: dt.timedelta(seconds=v) if type(v) is int else dt.timedelta(seconds=int(v)),
    ...     unstructure=lambda d: int(d.total_seconds()),
    ...     json_schema={"type": "integer", "description": "seconds"},
    ... )
    >>> @attrs.define
    ... class Video:
    ...     title: str
    ...     length: dt.timedelta | None = None
    >>> doc = newsitem.loads("---\\ntitle: Talk\\nlength: 90\\n---\\n", schema=Video)
    >>> doc.item.length
    datetime.timedelta(seconds=90)
    >>> doc.item.length += dt.timedelta(seconds=30)
    >>> newsitem.dumps(doc)
    '---\\ntitle: Talk\\nlength: 120\\n---\\n'
    """
    if not isinstance(tp, type):
        raise SchemaError(f"register_type() takes a class, not {tp!r}")
    if tp in _OWN_TYPES:
        raise SchemaError(
            f"newsitem reads and writes {tp.__name__} itself; register a class of your own "
            f"(a subclass of {tp.__name__}, say) for a field read another way"
        )
    spec = TypeSpec(tp, structure, unstructure, parse, dict(json_schema or {}))
    REGISTRY[tp] = spec

    def hook(value: Any, _: Any) -> Any:
        try:
            return structure(value)
        except (ValueError, TypeError, OverflowError) as e:
            raise TypeError(f"not a {getattr(tp, '__name__', tp)}: {str(e) or describe(value)}") from None

    converter.register_structure_hook(tp, hook)
    converter.register_structure_hook(tp | None, _optional_hook(hook))
    plan.cache_clear()  # type: ignore[attr-defined]


def structure_fn(tp: Any) -> Callable[[Any, Any], Any]:
    """cattrs' structure function for *tp* (made once, then cached by cattrs)."""
    return converter.get_structure_hook(tp)


def structure(values: Any, schema: type[Any]) -> Any:
    """*values* as an instance of *schema*; :class:`ValidationError` (without
    positions) listing every field that does not fit."""
    try:
        return converter.structure(values, schema)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as e:
        raise ValidationError(
            FieldError(dotted(path), message) for path, _, message in field_errors(e)
        ) from None


def field_errors(exc: BaseException) -> Iterator[tuple[tuple[PathElement, ...], tuple[Any, ...], str]]:
    """Flatten a cattrs validation error.

    Yields ``(attribute path, key path, message)`` for each problem: the attribute
    path names attributes (for messages), the key path the keys (to find the node
    in the file).
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
            if isinstance(sub, KeyError) and sub.args == (key,) and not isinstance(sub, ClassValidationError):
                yield (*path, note.name), (*keys, Missing(key)), "required field is missing"
            else:
                yield from _walk(sub, (*path, note.name), (*keys, key))
        for sub in without:
            yield from _walk(sub, path, keys)
    elif isinstance(exc, IterableValidationError):
        indexed, others = exc.group_exceptions()
        for sub, inote in indexed:
            index: PathElement = inote.index
            if inote.startswith("Structuring mapping key"):  # the key is wrong, not its value
                for _, _, message in _walk(sub, (), ()):
                    yield path, (*keys, KeyOf(index)), f"a key: {message}"
                continue
            yield from _walk(sub, (*path, index), (*keys, index))
        for sub in others:
            yield from _walk(sub, path, keys)
    else:
        attribute = validator_attribute(exc)
        if attribute is not None:  # an attrs validator's error names its field
            yield (*path, attribute.name), (*keys, key_of(attribute)), exc.args[0]
        else:
            yield path, keys, _message(exc)


def validator_attribute(exc: BaseException) -> attrs.Attribute[Any] | None:
    """The field an attrs validator refused, from its error (``ValueError(message,
    attribute, ...)``, as ``in_`` and ``instance_of`` raise it); else ``None``."""
    args = exc.args if isinstance(exc, ValueError | TypeError) else ()
    if len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], attrs.Attribute):
        return args[1]
    return None


class Missing(str):
    """A key path element for a key that is not in the file."""

    __slots__ = ()


class KeyOf:
    """A key path element for a mapping key that is wrong itself (not its value)."""

    __slots__ = ("key",)

    def __init__(self, key: Any) -> None:
        self.key = key


def _message(exc: BaseException) -> str:
    text = str(exc)
    if isinstance(exc, cattrs.StructureHandlerNotFoundError):
        return f"cannot structure this field's type: {text}"
    if not isinstance(exc, ValueError | TypeError):  # a hook's KeyError, RuntimeError...
        return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return text or type(exc).__name__


# -- writing: attrs classes to plain values, checked ------------------------------------


class Record(dict[Any, Any]):
    """The plain data of an attrs object: a ``dict`` that remembers its schema class.

    Keys are in the schema's field order; optional fields that are ``None`` or
    empty are left out.
    """

    __slots__ = ("schema",)

    def __init__(self, schema: type[Any]) -> None:
        super().__init__()
        self.schema = schema


def absent(value: Any) -> bool:
    """Whether an optional field's value means "not in the file"."""
    return value is None or (type(value) in (list, tuple) and not value)


Errors = list[FieldError]
Plan = Callable[[Any, Path, Errors], Any]
_INVALID: Any = object()


def _error(errors: Errors, path: Path, message: str) -> Any:
    errors.append(FieldError(dotted(path), message))
    return _INVALID


def _text(value: Any, path: Path, errors: Errors) -> Any:
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as e:
            return _error(errors, path, f"holds a lone surrogate {value[e.start]!r}, which UTF-8 cannot hold")
    return value


def _check_str(value: Any, path: Path, errors: Errors) -> Any:
    if type(value) is not str:
        if not isinstance(value, str):
            return _error(errors, path, f"expected a string, got {describe(value)}")
        value = str.__str__(value)
    return _text(value, path, errors)


def _check_int(value: Any, path: Path, errors: Errors) -> Any:
    if type(value) is not int:
        return _error(errors, path, f"expected an integer, got {describe(value)}")
    if value.bit_length() > 14_000:
        try:
            str(value)
        except ValueError:
            return _error(errors, path, "an integer of over 4,300 digits cannot be written (Python's limit)")
    return value


def _check_float(value: Any, path: Path, errors: Errors) -> Any:
    if type(value) is float:
        return value
    if type(value) is int:
        return float(value)
    return _error(errors, path, f"expected a number, got {describe(value)}")


def _check_bool(value: Any, path: Path, errors: Errors) -> Any:
    if type(value) is not bool:
        return _error(errors, path, f"expected true or false, got {describe(value)}")
    return value


def _aware(value: dt.datetime, path: Path, errors: Errors) -> Any:
    try:
        offset = value.utcoffset()
    except Exception as e:  # a tzinfo of the caller's that fails
        return _error(errors, path, f"its time zone failed to give a UTC offset ({type(e).__name__}: {e})")
    if offset is not None and offset % dt.timedelta(minutes=1):
        return _error(
            errors,
            path,
            f"a UTC offset of {offset} has seconds, which no front-matter date-time can hold; "
            "convert it to UTC or to a whole-minute offset",
        )
    if value.tzinfo is None or offset is None:
        return _error(
            errors,
            path,
            f"a date-time without a time zone ({value.isoformat()}); "
            "give it one, such as tzinfo=datetime.timezone.utc",
        )
    if type(value) is not dt.datetime:  # a subclass (pandas' Timestamp...): the plain value
        value = dt.datetime(
            value.year, value.month, value.day, value.hour, value.minute, value.second,
            value.microsecond, value.tzinfo, fold=value.fold,
        )  # fmt: skip
    return value


def _check_datetime(value: Any, path: Path, errors: Errors) -> Any:
    if isinstance(value, dt.datetime):
        return _aware(value, path, errors)
    if isinstance(value, dt.date):
        return _error(errors, path, f"expected a date-time with a time zone, got a date {value.isoformat()}")
    return _error(errors, path, f"expected a date-time, got {describe(value)}")


def _check_date(value: Any, path: Path, errors: Errors) -> Any:
    if type(value) is dt.date:
        return value
    return _error(errors, path, f"expected a date, got {describe(value)}")


def _check_none(value: Any, path: Path, errors: Errors) -> Any:
    if value is not None:
        return _error(errors, path, f"expected null, got {describe(value)}")
    return None


_SCALAR_KEYS = (str, int, float, bool, dt.date, type(None))


def bad_key(key: Any) -> str | None:
    """Why *key* cannot be a mapping key in a file, or ``None`` if it can."""
    t = type(key)
    if t not in _SCALAR_KEYS:
        return f"a key must be a string, number, boolean or date, not {describe(key)}"
    if t is str and not key.isascii():
        try:
            key.encode("utf-8")
        except UnicodeEncodeError:
            return f"the key {key!r} holds a lone surrogate, which UTF-8 cannot hold"
    if t is float and key != key:
        return "a key cannot be NaN (it is never equal to itself, so it cannot be found again)"
    return None


def check_plain(value: Any, path: Path, errors: Errors) -> Any:
    """Untyped data: what a format can hold, checked; a tuple becomes a list."""
    t = type(value)
    if t is str:
        return _text(value, path, errors)
    if value is None or t is bool or t is float or t is bytes or t is dt.date or t is dt.time:
        return value  # (a time of day is TOML's; the other formats refuse it in their check)
    if t is int:
        return _check_int(value, path, errors)
    if t is dt.datetime or isinstance(value, dt.datetime):
        return _aware(value, path, errors)
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            why = bad_key(k)
            if why is not None:
                _error(errors, path, why)
                continue
            out[k] = check_plain(v, (*path, k), errors)
        return out
    if t is list or t is tuple:
        return [check_plain(v, (*path, i), errors) for i, v in enumerate(value)]
    if attrs.has(t):
        return _record(value, t, path, errors)
    if isinstance(value, enum.Enum):
        return check_plain(value.value, path, errors)
    if isinstance(value, set | frozenset):
        return _error(errors, path, "a set has no order, so it cannot be written; use a list")
    if type(value).__name__ == "Decimal":
        return _error(errors, path, "a Decimal cannot be written exactly; use a float, an int or a string")
    if isinstance(value, str):
        return _text(str.__str__(value), path, errors)
    return _error(errors, path, f"{describe(value)} cannot be written; use a plain value")


def _record(value: Any, cls: type, path: Path, errors: Errors) -> Record:
    out = Record(cls)
    for f in fields(cls):
        v = getattr(value, f.name)
        if f.optional and absent(v):
            continue
        out[f.key] = plan(f.type)(v, (*path, f.name), errors)
    extras = extras_field(cls)
    if extras is not None:
        bag = getattr(value, extras.name)
        if not isinstance(bag, dict):
            _error(errors, (*path, extras.name), f"expected a mapping of unknown keys, got {describe(bag)}")
            return out
        for k, v in bag.items():
            if k in out or k in _field_keys(cls):
                _error(
                    errors, (*path, extras.name), f"{k!r} is a field of {cls.__name__}, not an unknown key"
                )
                continue
            why = bad_key(k)
            if why is not None:
                _error(errors, (*path, extras.name), why)
                continue
            out[k] = check_plain(v, (*path, k), errors)
    return out


@memo
def _field_keys(cls: Any) -> frozenset[str]:
    """The keys a schema's fields are written under (an unknown key may be anything else)."""
    return frozenset(f.key for f in fields(cls))


def _attrs_plan(cls: type) -> Plan:
    name = cls.__name__

    def check(value: Any, path: Path, errors: Errors) -> Any:
        if type(value) is cls or isinstance(value, cls):
            return _record(value, cls, path, errors)
        if type(value) is dict:  # a mapping as the file would hold it: structured, then checked
            try:
                value = converter.structure(value, cls)
            except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as e:
                for sub, _, message in field_errors(e):
                    _error(errors, (*path, *sub), message)
                return _INVALID
            return _record(value, cls, path, errors)
        return _error(errors, path, f"expected a {name} (or a mapping of its keys), got {describe(value)}")

    return check


def _registered_plan(spec: TypeSpec) -> Plan:
    name = getattr(spec.type, "__name__", str(spec.type))

    def check(value: Any, path: Path, errors: Errors) -> Any:
        if not isinstance(value, spec.type):
            return _error(errors, path, f"expected a {name}, got {describe(value)}")
        try:
            data = spec.unstructure(value)
        except Exception as e:  # the caller's own function
            return _error(errors, path, f"{name} could not be written: {type(e).__name__}: {e}")
        return check_plain(data, path, errors)

    return check


def _list_plan(inner: Plan) -> Plan:
    def check(value: Any, path: Path, errors: Errors) -> Any:
        if type(value) is list or type(value) is tuple:
            return [inner(v, (*path, i), errors) for i, v in enumerate(value)]
        return _error(errors, path, f"expected a list, got {describe(value)}")

    return check


def _dict_plan(inner: Plan, keys: Plan | None = None) -> Plan:
    def check(value: Any, path: Path, errors: Errors) -> Any:
        if not isinstance(value, dict):
            return _error(errors, path, f"expected a mapping, got {describe(value)}")
        out = {}
        for k, v in value.items():
            why = bad_key(k)
            if why is not None:
                _error(errors, path, why)
                continue
            if keys is not None:
                key_errors: Errors = []
                keys(k, (*path, k), key_errors)
                if key_errors:
                    _error(errors, path, f"the key {k!r}: {key_errors[0].message}")
                    continue
            out[k] = inner(v, (*path, k), errors)
        return out

    return check


def _optional_plan(inner: Plan) -> Plan:
    def check(value: Any, path: Path, errors: Errors) -> Any:
        return None if value is None else inner(value, path, errors)

    return check


def _union_plan(options: tuple[Plan, ...], label: str) -> Plan:
    def check(value: Any, path: Path, errors: Errors) -> Any:
        for option in options:
            tried: Errors = []
            data = option(value, path, tried)
            if not tried:
                return data
        return _error(errors, path, f"expected {label}, got {describe(value)}")

    return check


def _literal_plan(choices: tuple[Any, ...]) -> Plan:
    def check(value: Any, path: Path, errors: Errors) -> Any:
        if any(type(value) is type(c) and value == c for c in choices):
            return value
        return _error(errors, path, f"expected one of {', '.join(map(repr, choices))}, got {describe(value)}")

    return check


def _enum_plan(cls: type[enum.Enum]) -> Plan:
    def check(value: Any, path: Path, errors: Errors) -> Any:
        if isinstance(value, cls):
            if type(value.value) not in (str, int, float, bool):
                return _error(
                    errors,
                    path,
                    f"{value!r} has a {type(value.value).__name__} value, which cannot be written",
                )
            return value.value
        return _error(errors, path, f"expected a {cls.__name__}, got {describe(value)}")

    return check


_SIMPLE: dict[Any, Plan] = {
    str: _check_str,
    int: _check_int,
    float: _check_float,
    bool: _check_bool,
    dt.datetime: _check_datetime,
    dt.date: _check_date,
    type(None): _check_none,
    None: _check_none,
    Any: check_plain,
    object: check_plain,
}


@memo
def plan(tp: Any) -> Plan:
    """The checking unstructure function for values of declared type *tp*.

    :class:`TypeError` for a type newsitem cannot write.
    """
    simple = _SIMPLE.get(tp)
    if simple is not None:
        return simple
    spec = REGISTRY.get(tp)
    if spec is not None:
        return _registered_plan(spec)
    inner, is_optional = optional(tp)
    if is_optional:
        return _optional_plan(plan(inner))
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return _union_plan(
            tuple(plan(a) for a in args), " or ".join(getattr(a, "__name__", str(a)) for a in args)
        )
    if tp is list or origin is list:
        return _list_plan(plan(args[0]) if args else check_plain)
    if tp is dict or origin is dict:
        if len(args) == 2:
            return _dict_plan(plan(args[1]), None if args[0] is Any else plan(args[0]))
        return _dict_plan(check_plain)
    if origin is typing.Literal:
        return _literal_plan(args)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return _enum_plan(tp)
    if attrs.has(tp):
        return _attrs_plan(tp)
    raise TypeError(f"newsitem cannot read or write fields of type {tp!r}")


def to_data(value: Any, tp: Any = Any, path: Path = ()) -> Any:
    """*value*, of declared type *tp*, as plain data; attrs objects become :class:`Record`.

    Raises :class:`ValidationError` listing every value that does not fit its type
    (with its field path), or that YAML could not hold.
    """
    errors: Errors = []
    data = plan(tp)(value, path, errors)
    if errors:
        raise ValidationError(errors)
    return data


def unstructure(item: Any) -> Any:
    """The plain data (keys as in the file, extras in place) an item stands for."""
    return to_data(item, type(item) if attrs.has(type(item)) else Any)


# -- comparing --------------------------------------------------------------------------


def same(a: Any, b: Any) -> bool:
    """Equal as written: of the same types (``1``, ``1.0`` and ``True`` differ), date-times
    at the same instant *and* offset, mappings with equal keys in any order."""
    if a is b:
        return True
    t = type(a)
    if t is not type(b):
        return isinstance(a, dict) and isinstance(b, dict) and _same_dict(a, b)
    if t is str or t is int or t is bool:
        return bool(a == b)
    if t is float:  # -0.0 is written "-0.0"; NaN is NaN
        return bool((a == b and math.copysign(1, a) == math.copysign(1, b)) or (a != a and b != b))
    if t is dt.datetime:  # wall time and offset (== is always False across zones in a fold)
        return bool(a.utcoffset() == b.utcoffset() and a.replace(tzinfo=None) == b.replace(tzinfo=None))
    if t is list:
        if len(a) != len(b):
            return False
        for x, y in zip(a, b, strict=True):  # noqa: SIM110 - a loop: no generator per list
            if x is not y and not same(x, y):
                return False
        return True
    if isinstance(a, dict):
        return _same_dict(a, b)
    names = _attribute_names(t)
    if names is not None:
        for name in names:
            x, y = getattr(a, name), getattr(b, name)
            if x is not y and not same(x, y):
                return False
        return True
    return bool(a == b)


_NAMES: dict[type, tuple[str, ...] | None] = {}


def _attribute_names(cls: type) -> tuple[str, ...] | None:
    """The attribute names of an attrs class, in order; ``None`` for any other class."""
    try:
        return _NAMES[cls]
    except KeyError:
        names = _NAMES[cls] = tuple(f.name for f in attrs.fields(cls)) if attrs.has(cls) else None
        return names


def _same_dict(a: dict[Any, Any], b: dict[Any, Any]) -> bool:
    if len(a) != len(b) or not all(k in b and same(v, b[k]) for k, v in a.items()):
        return False
    # keys equal but of other types (1, 1.0 and True are one key to a dict)
    return {(type(k), k) for k in a} == {(type(k), k) for k in b}


MISSING: Any = type("MISSING", (), {"__repr__": lambda self: "MISSING"})()


def changes(original: Any, item: Any) -> tuple[dict[Any, Any], dict[Any, Any], list[Any]]:
    """What differs between an item as loaded and as it is now, as plain data.

    Returns ``(old, new, order)``: for each top-level key whose value differs, its
    plain value before and after (a key that is absent is left out), and the keys
    the new item has, in its order. Only differing fields are turned into plain
    data, and only they are checked against their types: :class:`ValidationError`
    names each field that holds something it cannot.
    """
    errors: Errors = []
    old: dict[Any, Any]
    new: dict[Any, Any]
    order: list[Any]
    if attrs.has(type(original)):
        cls: type = type(original)
        if type(item) is not cls:
            raise ValidationError([FieldError("", f"expected a {cls.__name__} item, got {describe(item)}")])
        old, new = Record(cls), Record(cls)
        order = []
        for f in fields(cls):
            a, b = getattr(original, f.name), getattr(item, f.name)
            a_absent = f.optional and absent(a)
            b_absent = f.optional and absent(b)
            if not b_absent:
                order.append(f.key)
            if (a_absent and b_absent) or same(a, b):
                continue
            check = plan(f.type)
            if not a_absent:
                old[f.key] = check(a, (f.name,), [])
            if not b_absent:
                new[f.key] = check(b, (f.name,), errors)
        extras = extras_field(cls)
        if extras is not None:
            a_extra, b_extra = getattr(original, extras.name), getattr(item, extras.name)
            if not isinstance(b_extra, dict):
                errors.append(FieldError(extras.name, f"expected a mapping, got {describe(b_extra)}"))
                b_extra = {}
            keys = _field_keys(cls)
            for k, v in b_extra.items():
                if k in keys:
                    errors.append(
                        FieldError(extras.name, f"{k!r} is a field of {cls.__name__}, not an unknown key")
                    )
                elif bad_key(k) is not None:
                    errors.append(FieldError(extras.name, str(bad_key(k))))
                else:
                    order.append(k)
                    if not same(v, a_extra.get(k, MISSING)):
                        new[k] = check_plain(v, (k,), errors)
            old.update((k, v) for k, v in a_extra.items() if not same(v, b_extra.get(k, MISSING)))
    else:
        if not isinstance(item, dict):
            raise ValidationError(
                [FieldError("", f"expected a mapping of keys to values, got {describe(item)}")]
            )
        old, new, order = {}, {}, []
        before = {(type(k), k) for k in original}
        after = {(type(k), k) for k in item}
        for k, v in item.items():
            why = bad_key(k)
            if why is not None:
                errors.append(FieldError("", why))
                continue
            order.append(k)
            if (type(k), k) not in before or not same(v, original[k]):
                new[k] = check_plain(v, (k,), errors)
        old.update((k, v) for k, v in original.items() if (type(k), k) not in after or not same(v, item[k]))
    if errors:
        raise ValidationError(errors)
    return old, new, order
