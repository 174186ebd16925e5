"""Writing YAML text: single scalars, and whole fresh items in the house style.

The house style is the one the news sites' own tooling writes (see the corpus):
keys in the schema's field order, 2-space indentation, sequences indented under
their key, double-quoted free text and URLs, plain words, numbers, booleans and
date-times, one blank line around each top-level block, ``---`` fences.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from ._tree import STR, Mapping, Scalar, _plain, parse

__all__ = [
    "QUOTED_KEYS",
    "double_quoted",
    "emit_mapping",
    "format_datetime",
    "plain_ok",
    "render_scalar",
]

#: Keys whose string values the house style always double-quotes.
QUOTED_KEYS = frozenset(
    {
        "title",
        "excerpt",
        "originalUrl",
        "webUrl",
        "ampWebUrl",
        "cdnAmpWebUrl",
        "url",
        "secured",
        "featuredContent",
    }
)
#: Top-level keys that stand apart, with blank lines around them, like blocks.
STANDALONE_KEYS = frozenset({"featuredContent", "secured"})

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


def _printable(ch: str) -> bool:
    o = ord(ch)
    return (
        (0x20 <= o <= 0x7E)
        or o in (0x85,)
        or (0xA0 <= o <= 0xD7FF)
        or (0xE000 <= o <= 0xFFFD and o != 0xFEFF)
        or (0x10000 <= o <= 0x10FFFF)
    )


def double_quoted(text: str) -> str:
    """``text`` as a one-line YAML double-quoted scalar; printable Unicode kept as is."""
    out = []
    for ch in text:
        esc = _ESCAPES.get(ch)
        if esc is not None and (ch in '\\"' or not _printable(ch) or ch in "\xa0\x85\u2028\u2029"):
            out.append(esc)
        elif _printable(ch):
            out.append(ch)
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02X}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(f"\\U{ord(ch):08X}")
    return '"' + "".join(out) + '"'


_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_SIMPLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _./()+-]*")


def plain_ok(text: str) -> bool:
    """Whether *text* can be written plain (unquoted) and read back as the same string."""
    if not text or text != text.strip() or any(c in text for c in "\r\n\t\x85\u2028\u2029"):
        return False
    if not all(_printable(c) for c in text) or "\ufeff" in text:
        return False
    if text[0] in _INDICATORS and not (text[0] in "-?:" and len(text) > 1 and text[1] != " "):
        return False
    if ": " in text or " #" in text or text.endswith(":"):
        return False
    if _plain(text)[0] != STR:
        return False
    if _SIMPLE.fullmatch(text):  # words, numbers, URLs-like: nothing YAML would read otherwise
        return True
    try:
        root = parse(f"k: {text}\n")
    except ValueError:
        return False
    if type(root) is not Mapping or len(root.nodes) != 1:  # pragma: no cover
        return False
    node = root.nodes[0]
    return type(node) is Scalar and node.style == "" and node.value == text


def format_datetime(value: dt.datetime | dt.date) -> str:
    """The corpus's spelling: ``2023-11-28T13:36:00Z`` for UTC, ISO 8601 otherwise."""
    if type(value) is dt.date:
        return value.isoformat()
    assert isinstance(value, dt.datetime)
    if value.tzinfo is not None and value.utcoffset() == dt.timedelta(0):
        text = value.replace(tzinfo=None).isoformat()
        return text + "Z"
    return value.isoformat()


def _format_float(value: float) -> str:
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    return text if ("." in text or "e" in text or "n" in text) else text + ".0"


def render_scalar(value: Any, *, key: Any = None, quote: bool | None = None) -> str:
    """YAML text for one scalar value.

    Strings are double-quoted when *quote* is true, or (when *quote* is ``None``)
    when *key* is one of :data:`QUOTED_KEYS` or plain style would not read back as
    the same string; otherwise plain.
    """
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return str(value)
    if type(value) is float:
        return _format_float(value)
    if isinstance(value, dt.date):
        return format_datetime(value)
    if isinstance(value, str):
        if quote is None:
            quote = key in QUOTED_KEYS
        if not quote and plain_ok(value):
            return value
        return double_quoted(value)
    if isinstance(value, bytes):
        import base64

        return "!!binary " + double_quoted(base64.b64encode(value).decode("ascii"))
    raise TypeError(f"cannot write a {type(value).__name__} value to YAML")


def _key(key: Any) -> str:
    return render_scalar(key, quote=False) if isinstance(key, str) else render_scalar(key)


def _is_block(value: Any) -> bool:
    return (type(value) is dict and bool(value)) or (type(value) is list and bool(value))


#: Per-key scalar styles seen in sibling items (``""`` plain, ``'"'`` double-quoted...).
Styles = dict[Any, str]


def _scalar(value: Any, key: Any, styles: Styles | None) -> str:
    if styles is not None and isinstance(value, str) and key in styles:
        return render_scalar(value, key=key, quote=styles[key] != "")
    return render_scalar(value, key=key)


def emit_mapping(
    data: dict[Any, Any], indent: int = 0, *, top: bool = False, styles: Styles | None = None
) -> list[str]:
    """Lines (without line breaks) for a mapping in the house style.

    At the top level, a blank line separates blocks and standalone keys from their
    neighbours. (Typed items leave out ``None`` fields and empty lists before this.)
    *styles* overrides the house quoting per key, to match neighbouring items.
    """
    lines: list[str] = []
    previous_simple: bool | None = None
    for key, value in data.items():
        simple = not _is_block(value) and key not in STANDALONE_KEYS
        if top and previous_simple is not None and not (simple and previous_simple):
            lines.append("")
        previous_simple = simple
        lines.extend(emit_entry(key, value, indent, styles=styles))
    return lines


def emit_entry(key: Any, value: Any, indent: int, *, styles: Styles | None = None) -> list[str]:
    """Lines for one ``key: value`` entry at *indent*."""
    pad = " " * indent
    if type(value) is dict:
        if not value:
            return [f"{pad}{_key(key)}: {{}}"]
        return [f"{pad}{_key(key)}:", *emit_mapping(value, indent + 2, styles=styles)]
    if type(value) is list:
        if not value:
            return [f"{pad}{_key(key)}: []"]
        return [f"{pad}{_key(key)}:", *emit_sequence(value, indent + 2, key=key, styles=styles)]
    if value is None:
        return [f"{pad}{_key(key)}:"]
    return [f"{pad}{_key(key)}: {_scalar(value, key, styles)}"]


def emit_sequence(
    items: list[Any], indent: int, *, key: Any = None, styles: Styles | None = None
) -> list[str]:
    """Lines for a block sequence whose ``-`` stands at *indent*."""
    lines: list[str] = []
    for item in items:
        lines.extend(emit_item(item, indent, key=key, styles=styles))
    return lines


def emit_item(
    item: Any, indent: int, *, key: Any = None, styles: Styles | None = None, gap: int = 2
) -> list[str]:
    """Lines for one sequence item whose ``-`` stands at *indent*.

    *gap* is the distance from the ``-`` to the item's content (``- x``: 2).
    """
    pad = " " * indent
    dash = "-" + " " * (gap - 1)
    if type(item) is dict and item:
        inner = emit_mapping(item, indent + gap, styles=styles)
        return [f"{pad}{dash}{inner[0][indent + gap :]}", *inner[1:]]
    if type(item) is list and item:
        return [f"{pad}{dash}" + _flow(item)]
    if type(item) is dict:
        return [f"{pad}{dash}{{}}"]
    if type(item) is list:
        return [f"{pad}{dash}[]"]
    return [f"{pad}{dash}{_scalar(item, key, styles)}"]


def _flow(value: Any) -> str:
    if type(value) is list:
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if type(value) is dict:
        return "{" + ", ".join(f"{_flow(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    text = render_scalar(value)
    return text if not any(c in text for c in ",[]{}") or text.startswith('"') else double_quoted(value)
