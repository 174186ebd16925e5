"""What a plain YAML scalar means, to a YAML 1.2 reader and to a YAML 1.1 one.

Reading: :func:`resolve` gives the tag and value of a plain scalar exactly as
ruamel.yaml's YAML 1.2 resolver and constructors do. It uses ruamel's own
resolver table (first character -> candidate patterns), so most scalars (words,
URLs, sentences) are decided by one dictionary lookup; no memo, no cliff.

Writing: :func:`agreed_string` tells whether a string written plain is read back
as that same string by every reader a front-matter file meets: ruamel.yaml
(YAML 1.2), PyYAML and libyaml (YAML 1.1) and Ruby's Psych, which Jekyll uses
(YAML 1.1 with its own extras: ``yes``/``on`` in any case, ``1,000``,
``:symbol``).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver

from ._errors import clip

__all__ = [
    "BINARY",
    "BOOL",
    "FLOAT",
    "INT",
    "MAP",
    "MERGE",
    "NULL",
    "SEQ",
    "STR",
    "TIMESTAMP",
    "agreed_string",
    "construct",
    "parse_timestamp",
    "resolve",
]

_YAML_TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (_YAML_TAG + t for t in ("str", "int", "float", "bool", "null"))
TIMESTAMP, MERGE, BINARY = _YAML_TAG + "timestamp", _YAML_TAG + "merge", _YAML_TAG + "binary"
MAP, SEQ = _YAML_TAG + "map", _YAML_TAG + "seq"

_safe = YAML(typ="safe", pure=True)
_constructor = _safe.constructor


def _table(version: tuple[int, int]) -> dict[str, tuple[tuple[str, re.Pattern[str]], ...]]:
    """ruamel.yaml's implicit resolvers for *version*: first character -> (tag, pattern)."""
    resolver = VersionedResolver(version=version)
    return {
        first: tuple((str(tag), rx) for tag, rx in entries)
        for first, entries in resolver.versioned_resolver.items()
        if first is not None
    }


_RESOLVERS_12 = _table((1, 2))
_RESOLVERS_11 = _table((1, 1))


# -- reading ----------------------------------------------------------------------------

_UTC = dt.UTC


_TIMESTAMP = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})"
    r"(?:(?:[Tt]|[ \t]+)(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})"
    r"(?:\.(?P<fraction>[0-9]*))?"
    r"(?:[ \t]*(?P<tz>Z|(?P<sign>[-+])(?P<tzh>[0-9]{1,2})(?::(?P<tzm>[0-9]{2}))?))?)?"
)


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INSTANT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


def parse_timestamp(text: str) -> dt.datetime | dt.date:
    """A YAML timestamp: a ``date`` for ``2023-11-28``, else a tz-aware ``datetime``.

    Every spelling YAML's timestamp pattern allows (``T`` or spaces, a fraction of
    any length, ``Z`` or an offset of hours with or without minutes, spaces before
    it); a date-time without an offset is taken as UTC, as the YAML spec says.
    :class:`ValueError` for an impossible date or time.

    >>> parse_timestamp("2024-01-01 00:00:00.5 -5").isoformat()
    '2024-01-01T00:00:00.500000-05:00'
    """
    if len(text) == 10:  # a date alone (fromisoformat checks the same pattern, in C)
        if _DATE.fullmatch(text):
            return dt.date.fromisoformat(text)
    elif len(text) == 20 and text[10] == "T" and text[19] == "Z" and _INSTANT.fullmatch(text):
        return dt.datetime.fromisoformat(text)  # the house spelling, in C: UTC
    m = _TIMESTAMP.fullmatch(text)
    if m is None:
        raise ValueError(f"not a YAML timestamp: {clip(text)!r}")
    year, month, day = int(m["year"]), int(m["month"]), int(m["day"])
    if m["hour"] is None:
        return dt.date(year, month, day)
    fraction = (m["fraction"] or "")[:6].ljust(6, "0")
    tz: dt.tzinfo = _UTC
    if m["sign"] is not None:
        offset = dt.timedelta(hours=int(m["tzh"]), minutes=int(m["tzm"] or 0))
        tz = dt.timezone(-offset if m["sign"] == "-" else offset)
    return dt.datetime(
        year, month, day, int(m["hour"]), int(m["minute"]), int(m["second"]), int(fraction), tzinfo=tz
    )


def _binary(text: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=False)
    except (binascii.Error, UnicodeEncodeError) as e:
        raise ValueError(f"invalid base64: {e}") from None


_DECIMAL = re.compile(r"[-+]?[0-9]+")
_SIMPLE_FLOAT = re.compile(r"[-+]?[0-9]+\.[0-9]+")


def _int(text: str) -> int:
    if _DECIMAL.fullmatch(text):
        return int(text)
    return _constructor.construct_yaml_int(ScalarNode(INT, text))  # type: ignore[no-any-return]


def _float(text: str) -> float:
    if _SIMPLE_FLOAT.fullmatch(text):
        return float(text)
    return _constructor.construct_yaml_float(ScalarNode(FLOAT, text))  # type: ignore[no-any-return]


def _bool(text: str) -> bool:
    word = text.lower()
    if word not in ("true", "false"):
        raise ValueError("a YAML 1.2 boolean is true or false")
    return word == "true"


#: How each core tag turns its text into a value.
construct: dict[str, Callable[[str], Any]] = {
    STR: str,
    NULL: lambda _: None,
    BOOL: _bool,
    INT: _int,
    FLOAT: _float,
    TIMESTAMP: parse_timestamp,
    BINARY: _binary,
    MERGE: str,
    _YAML_TAG + "value": str,
}


def resolve(text: str) -> tuple[str, Any]:
    """The tag and value of a plain scalar, as ruamel.yaml (YAML 1.2) reads it.

    An impossible timestamp (``2023-02-30``) stays a string; other values that do
    not construct (an integer of 5,000 digits) raise :class:`ValueError`.

    >>> resolve("55")
    ('tag:yaml.org,2002:int', 55)
    >>> resolve("yes"), resolve("2024-01-02")[1]
    (('tag:yaml.org,2002:str', 'yes'), datetime.date(2024, 1, 2))
    """
    candidates = _RESOLVERS_12.get(text[:1] if text else "")
    if candidates is None:
        return STR, text
    for tag, rx in candidates:
        if rx.match(text):
            build = construct.get(tag)
            if build is None:
                return tag, text
            try:
                return tag, build(text)
            except ValueError:
                if tag != TIMESTAMP:
                    raise
                return STR, text
    return STR, text


# -- writing ----------------------------------------------------------------------------

#: Words that some reader takes for a boolean or null, in any case (Psych ignores case).
_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nil", "~"})


def _resolves_to_str(text: str, table: dict[str, tuple[tuple[str, re.Pattern[str]], ...]]) -> bool:
    return all(not rx.match(text) for _tag, rx in table.get(text[:1], ()))


def agreed_string(text: str) -> bool:
    """Whether every YAML reader (1.1 or 1.2) takes plain *text* for a string.

    Only the meaning is judged here; whether the characters can stand in a plain
    scalar at all is the writer's question. A string must start with a letter,
    ``/`` or ``_`` and not be one of the boolean or null words of any reader, in any
    case; and both ruamel.yaml's YAML 1.2 and 1.1 resolvers must say "string".

    >>> agreed_string("article"), agreed_string("Yes"), agreed_string("12:30"), agreed_string("2023-02-30")
    (True, False, False, False)
    """
    if not text:
        return False
    first = text[0]
    if not (first.isalpha() or first in "/_"):
        return False
    if len(text) <= 5 and text.lower() in _WORDS:
        return False
    return _resolves_to_str(text, _RESOLVERS_12) and _resolves_to_str(text, _RESOLVERS_11)
