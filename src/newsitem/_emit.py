"""Writing YAML text: scalars, keys, and whole new blocks in the house style.

Every spelling chosen here reads back as the same value with every YAML reader a
front-matter file meets: ruamel.yaml (YAML 1.2), PyYAML and libyaml (YAML 1.1)
and Ruby's Psych (Jekyll). A string is written plain only when all of them read
it as that string (see :func:`newsitem._scalars.agreed_string`); floats always
carry a dot in the mantissa (``1.0e-07``, which YAML 1.1 needs).

The house style is the one the news sites' own tooling writes: keys in the
schema's field order, 2-space indentation, sequences indented under their key,
double-quoted free text and URLs (fields marked with ``newsitem.quote``), plain
words, numbers, booleans and date-times, a blank line around each top-level block
(and around fields marked ``newsitem.standalone``), ``---`` fences. A file being
edited lends its own indentation (:class:`Layout`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any, NamedTuple

from ._scalars import agreed_string
from ._schema import fields, memo

__all__ = [
    "Layout",
    "double_quoted",
    "emit_entry",
    "emit_flow",
    "emit_item",
    "emit_mapping",
    "format_datetime",
    "plain_ok",
    "render_key",
    "render_scalar",
    "respell_datetime",
    "same_spelling",
    "single_quoted",
]


class Layout(NamedTuple):
    """How nested blocks are indented: a mapping's keys ``indent`` columns in from
    its key, a sequence's dashes ``dash`` columns in (0: ``-`` under the key)."""

    indent: int = 2
    dash: int = 2


HOUSE = Layout()

# -- scalars ----------------------------------------------------------------------------

_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\0": "\\0",
    "\a": "\\a",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\v": "\\v",
    "\f": "\\f",
    "\r": "\\r",
    "\x1b": "\\e",
    "\x85": "\\N",
    "\xa0": "\\_",
    "\u2028": "\\L",
    "\u2029": "\\P",
}
#: Characters a double-quoted scalar escapes: C0 and C1 controls, the quote and the
#: backslash, non-breaking and line/paragraph separators, surrogates, the BOM and
#: the non-characters U+FFFE/U+FFFF. Everything else is written as it is.
_UNSAFE = re.compile('[\x00-\x1f"\\\\\x7f-\xa0\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]')


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    esc = _ESCAPES.get(ch)
    if esc is not None:
        return esc
    o = ord(ch)
    return f"\\x{o:02X}" if o <= 0xFF else f"\\u{o:04X}"


def double_quoted(text: str) -> str:
    """*text* as a one-line YAML double-quoted scalar; printable Unicode kept as is."""
    if _UNSAFE.search(text) is None:
        return f'"{text}"'
    return '"' + _UNSAFE.sub(_escape, text) + '"'


def single_quoted(text: str) -> str | None:
    """*text* as a one-line single-quoted scalar, or ``None`` if it needs escapes."""
    if _UNSAFE.search(text.replace('"', "").replace("\\", "")) is not None:
        return None
    return "'" + text.replace("'", "''") + "'"


#: Plain scalars inside ``[...]`` and ``{...}``: words, digits, spaces and ``_ - . / + ( )``
#: only (libyaml refuses ``:`` there, and ``?``, ``#`` and the brackets mean something).
_FLOW_PLAIN = re.compile(r"[^\W\d][\w .\-/+()]*")


def plain_ok(text: str, *, flow: bool = False) -> bool:
    """Whether *text* can be written plain (unquoted) and read back by every reader
    as the same string; *flow* inside ``[...]`` or ``{...}``.

    >>> plain_ok("Heat pump"), plain_ok("yes"), plain_ok("a: b"), plain_ok("http://x.org", flow=True)
    (True, False, False, False)
    """
    if not agreed_string(text) or _UNSAFE.search(text) is not None:
        return False
    if text[-1] == " " or text[-1] == ":" or ": " in text or " #" in text:
        return False
    return not flow or _FLOW_PLAIN.fullmatch(text) is not None


def format_datetime(value: dt.datetime | dt.date) -> str:
    """The house spelling: ``2023-11-28T13:36:00Z`` for UTC, ISO 8601 with its offset
    otherwise, ``2023-11-28`` for a date; the year always has four digits."""
    if type(value) is dt.date:
        return value.isoformat()
    assert isinstance(value, dt.datetime)
    offset = value.utcoffset()
    if offset == dt.timedelta(0):
        return value.replace(tzinfo=None).isoformat() + "Z"
    return value.isoformat()


def _format_float(value: float) -> str:
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    mantissa, e, exponent = text.partition("e")
    if "." not in mantissa:
        mantissa += ".0"
    return mantissa + e + exponent


def render_scalar(value: Any, *, quote: bool = False, flow: bool = False) -> str:
    """YAML text for one scalar value; a string is double-quoted when *quote* or when
    plain style would not read back as the same string everywhere."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    t = type(value)
    if t is str:
        text: str = value
        return text if not quote and plain_ok(text, flow=flow) else double_quoted(text)
    if t is int:
        return str(value)
    if t is float:
        return _format_float(value)
    if t is dt.date:
        return format_datetime(value)
    if t is dt.datetime:
        # libyaml does not allow ":" in plain scalars inside [...] or {...}
        return f'!!timestamp "{format_datetime(value)}"' if flow else format_datetime(value)
    if t is bytes:
        import base64

        return "!!binary " + double_quoted(base64.b64encode(value).decode("ascii"))
    raise TypeError(f"cannot write a {t.__name__} value to YAML")  # to_data lets none through


#: Longest key text YAML allows before ``:`` on one line; longer keys use ``? key``.
MAX_SIMPLE_KEY = 1024


def render_key(key: Any, *, flow: bool = False) -> str:
    """YAML text for a mapping key (plain where every reader agrees, else quoted)."""
    if type(key) is str:
        return key if plain_ok(key, flow=flow) else double_quoted(key)
    return render_scalar(key, flow=True)


_ISO = re.compile(
    r"(?P<date>\d{4}-\d\d?-\d\d?)(?:(?P<sep>[Tt]|[ \t]+)\d\d?:\d\d:\d\d(?P<frac>\.\d*)?"
    r"(?P<zsep>[ \t]*)(?P<zone>Z|z|[-+]\d\d?(?::?\d\d)?)?)?"
)


def same_spelling(original: str, spelled: str) -> bool:
    """Whether *spelled* is a date-time written the way *original* was (so where one
    stood plain, the other can: every reader takes both for the same kind of thing)."""
    a, b = _ISO.fullmatch(original.strip()), _ISO.fullmatch(spelled)
    if a is None or b is None:
        return False
    return (
        all((a.group(g) is None) == (b.group(g) is None) for g in ("sep", "frac", "zone"))
        and (a.group("zone") or "")[:1].isalpha() == (b.group("zone") or "")[:1].isalpha()
    )


def respell_datetime(original: str, value: dt.datetime | dt.date, *, date_only: bool = True) -> str:
    """*value* spelled the way *original* spelled its date or date-time, where that
    spelling can hold it exactly (offset included); the house spelling otherwise.
    A date alone holds midnight UTC only where *date_only* says the reader takes it
    for that (a typed date-time field does; untyped data reads it as a ``date``).

    >>> import datetime as dt
    >>> utc = dt.timezone.utc
    >>> respell_datetime("2023-11-28 13:36:00.000Z", dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=utc))
    '2024-01-02 03:04:05.000Z'
    >>> respell_datetime("2023-11-28", dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=utc))
    '2024-01-02T03:04:05Z'
    """
    if not isinstance(value, dt.datetime):
        return value.isoformat()
    offset = value.utcoffset()
    m = _ISO.fullmatch(original.strip())
    if m is None:
        rfc = "," in original or re.search(r"[A-Za-z]{3}", original)
        if rfc and not value.microsecond and value.year >= 1000:
            import email.utils  # only where a file spells its dates so

            return email.utils.format_datetime(value)  # RFC 2822 holds whole seconds, 4-digit years
        return format_datetime(value)
    if m.group("sep") is None:  # a date alone holds midnight UTC
        if date_only and offset == dt.timedelta(0) and value.time() == dt.time(0):
            return value.date().isoformat()
        return format_datetime(value)
    frac = m.group("frac")
    digits = len(frac) - 1 if frac else 0
    if value.microsecond % 10 ** (6 - min(digits, 6)) and digits < 6:
        return format_datetime(value)  # the spelling's fraction cannot hold the microseconds
    text = (
        value.date().isoformat() + m.group("sep") + f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    )
    if digits:
        text += "." + f"{value.microsecond:06d}"[:digits].ljust(digits, "0")
    zone = m.group("zone")
    if zone is None and offset == dt.timedelta(0):
        return text
    if zone in ("Z", "z") and offset == dt.timedelta(0):
        return text + zone
    assert offset is not None
    sign = "-" if offset < dt.timedelta(0) else "+"
    seconds = abs(int(offset.total_seconds()))
    if seconds % 60:
        return format_datetime(value)  # an offset in seconds: only ISO 8601 in full holds it
    minutes = seconds // 60
    zsep = m.group("zsep")
    if zone is not None and len(zone) <= 3 and zone[:1] in "+-" and not minutes % 60:
        return text + zsep + f"{sign}{minutes // 60:02d}"  # hours alone, as the file wrote it
    colon = "" if zone is not None and len(zone) == 5 and ":" not in zone else ":"
    return text + zsep + f"{sign}{minutes // 60:02d}{colon}{minutes % 60:02d}"


# -- blocks -----------------------------------------------------------------------------


@memo
def _style(schema: Any) -> tuple[frozenset[Any], frozenset[Any]]:
    return (
        frozenset(f.key for f in fields(schema) if f.quote),
        frozenset(f.key for f in fields(schema) if f.standalone),
    )


def quoted_keys(data: Any) -> frozenset[Any]:
    """The keys of *data* whose strings the schema's house style double-quotes."""
    schema = getattr(data, "schema", None)
    return _style(schema)[0] if schema is not None else frozenset()


def standalone_keys(data: Any) -> frozenset[Any]:
    """The top-level keys of *data* that stand apart with blank lines."""
    schema = getattr(data, "schema", None)
    return _style(schema)[1] if schema is not None else frozenset()


def _is_block(value: Any) -> bool:
    return isinstance(value, dict | list) and bool(value)


#: Per-key scalar styles seen in sibling items (``""`` plain, ``'"'`` double-quoted...).
Styles = dict[Any, str]


def _quote(key: Any, quoted: frozenset[Any], styles: Styles | None) -> bool:
    if styles is not None and key in styles:
        return styles[key] != ""
    return key in quoted


def emit_mapping(
    data: dict[Any, Any],
    indent: int = 0,
    *,
    layout: Layout = HOUSE,
    top: bool = False,
    styles: Styles | None = None,
) -> list[str]:
    """Lines (without line breaks) for a block mapping whose keys stand at *indent*.

    At the top level, a blank line separates blocks and standalone keys from their
    neighbours. *styles* overrides the house quoting per key, to match neighbours.
    """
    lines: list[str] = []
    previous_simple: bool | None = None
    quoted = quoted_keys(data)
    apart = standalone_keys(data) if top else frozenset()
    for key, value in data.items():
        simple = not _is_block(value) and key not in apart
        if top and previous_simple is not None and not (simple and previous_simple):
            lines.append("")
        previous_simple = simple
        lines.extend(
            emit_entry(key, value, indent, layout=layout, quote=_quote(key, quoted, styles), styles=styles)
        )
    return lines


def _value(
    value: Any, indent: int, layout: Layout, quote: bool, key: Any, styles: Styles | None
) -> tuple[str | None, list[str]]:
    """A value after ``key:``: its text on the key's line, or the lines of its block."""
    if isinstance(value, dict):
        if not value:
            return "{}", []
        return None, emit_mapping(value, indent + layout.indent, layout=layout, styles=styles)
    if type(value) is list:
        if not value:
            return "[]", []
        lines = emit_sequence(value, indent + layout.dash, layout=layout, key=key, styles=styles, quote=quote)
        return None, lines
    if value is None:
        return "", []
    return render_scalar(value, quote=quote), []


def emit_entry(
    key: Any,
    value: Any,
    indent: int,
    *,
    layout: Layout = HOUSE,
    quote: bool = False,
    styles: Styles | None = None,
) -> list[str]:
    """Lines for one ``key: value`` entry whose key stands at *indent*."""
    pad = " " * indent
    k = render_key(key)
    inline, lines = _value(value, indent, layout, quote, key, styles)
    if len(k) > MAX_SIMPLE_KEY - 2:  # too long for "key:": an explicit "? key", then ": value"
        if inline is None and not lines[0].startswith(pad + " "):  # an indentless sequence
            lines = [" " + line for line in lines]
        head = [f"{pad}? {k}", f"{pad}:" + (f" {inline}" if inline else "")]
        return head + lines
    return [f"{pad}{k}:" + (f" {inline}" if inline else ""), *lines]


def emit_sequence(
    items: list[Any],
    indent: int,
    *,
    layout: Layout = HOUSE,
    key: Any = None,
    styles: Styles | None = None,
    quote: bool | None = None,
) -> list[str]:
    """Lines for a block sequence whose ``-`` stands at *indent*."""
    lines: list[str] = []
    for item in items:
        lines.extend(emit_item(item, indent, layout=layout, key=key, styles=styles, quote=quote))
    return lines


def emit_item(
    item: Any,
    indent: int,
    *,
    layout: Layout = HOUSE,
    key: Any = None,
    styles: Styles | None = None,
    gap: int = 2,
    quote: bool | None = None,
) -> list[str]:
    """Lines for one sequence item whose ``-`` stands at *indent*.

    *gap* is the distance from the ``-`` to the item's content (``- x``: 2). A
    scalar item is quoted as *quote* says, or like its siblings (*styles* of *key*).
    """
    pad = " " * indent
    dash = "-" + " " * (gap - 1)
    inner: list[str]
    if isinstance(item, dict) and item:
        inner = emit_mapping(item, indent + gap, layout=layout, styles=styles)
    elif type(item) is list and item:
        inner = emit_sequence(item, indent + gap, layout=layout, key=key, styles=styles, quote=quote)
    elif isinstance(item, dict):
        return [f"{pad}{dash}{{}}"]
    elif type(item) is list:
        return [f"{pad}{dash}[]"]
    else:
        q = quote if quote is not None else bool(styles is not None and styles.get(key, "") != "")
        return [f"{pad}{dash}{render_scalar(item, quote=q)}"]
    return [f"{pad}{dash}{inner[0][indent + gap :]}", *inner[1:]]


def emit_flow(value: Any, *, quoted: frozenset[Any] = frozenset(), key: Any = None) -> str:
    """*value* on one line in flow style (``[a, "b, c"]``, ``{k: v}``)."""
    if isinstance(value, dict):
        q = quoted_keys(value)
        parts = []
        for k, v in value.items():
            kt = render_key(k, flow=True)
            if len(kt) > MAX_SIMPLE_KEY - 2:
                kt = "? " + kt
            parts.append(f"{kt}: {emit_flow(v, quoted=q, key=k)}")
        return "{" + ", ".join(parts) + "}"
    if type(value) is list:
        return "[" + ", ".join(emit_flow(v, quoted=quoted, key=key) for v in value) + "]"
    return render_scalar(value, quote=key in quoted, flow=True)
