"""A fast reader for the block-style YAML of front matter, with libyaml as the fallback.

:func:`newsitem._tree.parse` calls :func:`read` first. It reads a small subset of
YAML straight from the text and builds exactly the tree that libyaml's event
stream gives (:class:`~newsitem._nodes.Scalar`, :class:`~newsitem._nodes.Mapping`
and :class:`~newsitem._nodes.Sequence` with the same spans, styles, values with
their types, tags, ``end`` and ``size``), without creating libyaml's Python
event objects, which cost more than libyaml's parse itself. One regular
expression cuts every line into indentation, ``-``, key, ``:``, value and
comment in a single ``findall``; one loop builds the nodes; plain scalars are
resolved by their first character: a letter means a string unless the scalar
is one of a few words (``true``, ``null``, ...), and the rest go to
:func:`newsitem._scalars.resolve` (after two patterns for the decimal integers
and timestamps of news items). No memo, so no cliff.

The fallback rule: for anything outside the subset, and for anything it is not
sure of, :func:`read` returns :data:`FALLBACK` and ``parse`` reads the text with
libyaml as before, which also gives every error message. So :func:`read` never
raises for bad input, never takes a text that libyaml refuses, and never builds
a tree that differs from libyaml's: ``tests/test_fastread.py`` checks that
against libyaml on the corpus, on Hypothesis' texts and on the YAML test suite.

The subset, all in block style:

* block mappings of single-line keys, and block sequences, indented or
  indentless (``key:`` then ``- item`` at the key's column), and a mapping
  started on a sequence entry's line (``- key: value``);
* single-line scalars: plain, double-quoted (every escape YAML has) and
  single-quoted; an empty value (``key:`` or ``-`` with nothing after it);
* comments, blank lines, ``\\n``, ``\\r\\n`` and ``\\r`` line ends, and tabs
  inside scalars, after a value and in comments.

Everything else falls back: flow collections, block scalars (``|``, ``>``),
scalars over several lines or on a line of their own, anchors, aliases, tags,
``?`` keys, ``<<`` merge keys, directives, ``---`` or ``...`` at the start of a
line, a scalar as the whole document, nested sequences on one line
(``- - a``), a tab in a line's indentation, after ``-`` or ``:`` or on a line
without a value, a comment right after a quote, a key longer than 1,000
characters, a byte-order mark, the YAML 1.1 line breaks (NEL, LS, PS) and every
character YAML does not allow. So do the documents that libyaml reads but
:func:`~newsitem._tree.parse` refuses: a duplicate key, a value that does not
construct (a 5,000-digit integer), more than ``max_nodes`` nodes or nesting
deeper than ``max_depth``; libyaml then reports them as usual.

``NEWSITEM_FASTREAD=0`` (or ``false``, ``no``, ``off``) in the environment,
read once at import, turns the fast path off.
"""

from __future__ import annotations

import enum
import os
import re
from typing import Any, Final, Literal, TypeAlias

from . import _nodes
from ._scalars import _RESOLVERS_12 as _RESOLVERS
from ._scalars import INT, MERGE, STR, TIMESTAMP, parse_timestamp, resolve

__all__ = ["ENABLED", "FALLBACK", "read"]

#: Whether :func:`newsitem._tree.parse` tries :func:`read` first.
ENABLED: bool = os.environ.get("NEWSITEM_FASTREAD", "").strip().lower() not in ("0", "false", "no", "off")


class _Fallback(enum.Enum):
    FALLBACK = "FALLBACK"

    def __repr__(self) -> str:
        return "FALLBACK"


#: What :func:`read` returns for a text it leaves to libyaml.
FALLBACK: Final = _Fallback.FALLBACK

Result: TypeAlias = "_nodes.Node | Literal[_Fallback.FALLBACK] | None"

# The characters this reader leaves to libyaml wherever they are: those YAML
# forbids, the byte-order mark, and NEL, LS and PS (line breaks to YAML 1.1).
_X = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ufeff\\ud800-\\udfff\\ufffe\\uffff"

# A single-line plain scalar in block context: it cannot start with an
# indicator (``-``, ``?`` and ``:`` only when a non-blank follows them), and it
# ends before ``: `` (a colon and a blank or the line end), before `` #`` and
# before trailing blanks.
_PLAIN = (
    rf"(?:[^-?:,\[\]{{}}#&*!|>'\"%@` \t\r\n{_X}]|[-?:](?=[^ \t\r\n]))"
    rf"(?:[^ \t\r\n:{_X}]++|:(?=[^ \t\r\n])|[ \t]++(?=[^ \t\r\n#:]|:[^ \t\r\n]))*+"
)
_DOUBLE = rf'"(?:[^"\\\r\n{_X}]++|\\[^\r\n{_X}])*+"'
_SINGLE = rf"'(?:[^'\r\n{_X}]++|'')*+'"
_SCALAR = f"(?:{_PLAIN}|{_DOUBLE}|{_SINGLE})"
_COMMENT = r"(?<![^ \t\r\n])#"  # after a blank, or at the start of a line
_EOL = r"(?:\r\n|\r|\n|\Z)"

# One line, in groups that together cover it: indentation (spaces only); "-"
# and the spaces after it; a key; the ":" after it, with blanks around it; a
# value; trailing blanks, a comment and the line end (no tab in them when the
# line has no value). Or, when the line is none of that (or starts with "---"
# or "..."), all of it in the last group: the reader then falls back.
_LINE = re.compile(
    r"(?!---|\.\.\.)"
    r"( *+)"
    rf"(-(?: ++|(?={_EOL}))|)"
    rf"(?:({_SCALAR})([ \t]*+:(?: ++|(?={_EOL}))))?"
    rf"({_SCALAR})?"
    rf"((?(5)[ \t]*+(?:{_COMMENT}[^\r\n{_X}]*+)?|[ ]*+(?:{_COMMENT}[^\t\r\n{_X}]*+)?){_EOL})"
    r"|([^\r\n]++(?:\r\n|\r|\n)?)"
)

_ESCAPES: Final = {
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "\v",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
_HEX_DIGITS: Final = {"x": 2, "u": 4, "U": 8}
_HEX = re.compile(r"[0-9A-Fa-f]+")

# libyaml forgets a simple key whose ':' is more than 1,024 characters past its
# start; stay well inside that.
_MAX_KEY = 1000

# How a plain scalar resolves, by its first character (YAML 1.2, as
# ruamel.yaml's resolver has it): most start with a letter, and a letter-first
# scalar is a string unless it is one of a few words (``true``, ``null``, ...),
# looked up in _KNOWN; the rest of the first characters that ruamel.yaml has
# patterns for (digits, signs, ".", "<", "=") go to _resolve, which matches the
# decimal integers and timestamps of news items itself before asking resolve().
# Quotes start quoted scalars. No memo: the cost is the same for the first file
# and the ten-thousandth, and for 1 MB of distinct strings.
_WORDS = frozenset(c for c in _RESOLVERS if c.isalpha() or c == "~")
_NOT_STR = frozenset({'"', "'", *_RESOLVERS}) - _WORDS
_NOT_PLAIN_STR = _NOT_STR | _WORDS
_KNOWN: Final = {
    w: resolve(w)
    for w in ("", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE")
}
_DECIMAL = re.compile(r"-?[0-9]+")
_DIGITS = frozenset("0123456789")
_INSTANT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)?")


def _unescape(body: str) -> str | None:
    """The value of a double-quoted scalar's *body*; ``None`` for a bad escape."""
    out: list[str] = []
    i = 0
    while (j := body.find("\\", i)) >= 0:
        out.append(body[i:j])
        c = body[j + 1 : j + 2]
        simple = _ESCAPES.get(c)
        if simple is not None:
            out.append(simple)
            i = j + 2
            continue
        n = _HEX_DIGITS.get(c)
        if n is None:
            return None
        digits = body[j + 2 : j + 2 + n]
        if len(digits) != n or _HEX.fullmatch(digits) is None:
            return None
        code = int(digits, 16)
        if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            return None
        out.append(chr(code))
        i = j + 2 + n
    out.append(body[i:])
    return "".join(out)


def _resolve(text: str) -> tuple[str, Any] | None:
    """``resolve(text)``, or ``None`` where it raises (as it does for a 5,000-digit int)."""
    first = text[:1]
    if first in _WORDS:
        return _KNOWN.get(text) or (STR, text)
    try:
        if first in _DIGITS:
            if text.isdigit() and text.isascii():  # isdigit alone takes "1²" and Arabic-Indic digits
                return INT, int(text)
        elif _DECIMAL.fullmatch(text):
            return INT, int(text)
        if _INSTANT.fullmatch(text):
            try:
                return TIMESTAMP, parse_timestamp(text)
            except ValueError:  # 2023-02-30: a string, as resolve() has it
                return STR, text
        return resolve(text)
    except Exception:  # whatever it is, the libyaml path reports it
        return None


def _scalar(raw: str, start: int, end: int) -> _nodes.Scalar | None:
    """The node of the scalar *raw* at ``[start, end)``; ``None`` if it is not for this reader."""
    first = raw[0]
    if first == '"':
        value = raw[1:-1]
        if "\\" in value:
            unescaped = _unescape(value)
            if unescaped is None:
                return None
            value = unescaped
        return tuple.__new__(_nodes.Scalar, (start, end, '"', value, None, None))
    if first == "'":
        value = raw[1:-1].replace("''", "'")
        return tuple.__new__(_nodes.Scalar, (start, end, "'", value, None, None))
    resolved = _resolve(raw)
    if resolved is None:
        return None
    return tuple.__new__(_nodes.Scalar, (start, end, "", resolved[1], resolved[0], None))


def read(text: str, max_depth: int, max_nodes: int) -> Result:
    """The tree :func:`newsitem._tree.parse` would build for *text*, or :data:`FALLBACK`.

    ``None`` when the text holds no node (empty, blank or comments only). Never
    raises for any text: whatever is outside the subset, or would be an error,
    gives :data:`FALLBACK`.
    """
    scalar_cls = _nodes.Scalar
    mapping_cls = _nodes.Mapping
    sequence_cls = _nodes.Sequence
    new_scalar = tuple.__new__
    not_str = _NOT_STR
    words = _WORDS
    not_plain_str = _NOT_PLAIN_STR
    known_word = _KNOWN.get
    str_tag = STR
    null_tag, null_value = _KNOWN[""]
    max_key = _MAX_KEY

    p = 0  # where the line starts
    count = 0  # nodes read so far, as _tree._build counts them
    root: _nodes.Node | None = None
    # The open containers, innermost last: each with its column, whether it is an
    # indentless sequence, and ``count`` when it was opened.
    stack: list[tuple[Any, int, bool, int]] = []
    # The innermost open container, its column, whether it is a mapping and an
    # indentless sequence; None, -1, False, False when there is none.
    top: Any = None
    top_col = -1
    top_map = top_indentless = False
    # Where the empty value of the innermost container's last key or entry would
    # be, while that value is still to come; -1 when it is not.
    empty_at = -1
    # The column of the next key of the innermost mapping, while it takes one: the
    # common case, read first; -2 when the innermost is not such a mapping.
    key_col = -2
    node: Any
    knode: Any

    for ind, dash, key, sep, val, rest, bad in _LINE.findall(text):
        col = len(ind)
        if col == key_col and key and not dash:
            # -- the common case: "key: value" or "key:" in the innermost mapping --
            sep_len = len(sep)
            end = len(key)
            if end + sep_len > max_key:
                return FALLBACK
            start = p + col
            end += start
            first = key[0]
            if first not in not_str:
                if first in words and (resolved := known_word(key)) is not None:
                    tag, k = resolved
                    knode = new_scalar(scalar_cls, (start, end, "", k, tag, None))
                else:
                    k = key
                    knode = new_scalar(scalar_cls, (start, end, "", key, str_tag, None))
            else:
                knode = _scalar(key, start, end)
                if knode is None or (knode[4] == MERGE and not knode[2]):
                    return FALLBACK
                k = knode[3]
            top.keys.append(knode)
            if val:
                start = end + sep_len
                end = start + len(val)
                first = val[0]
                if first == '"' and "\\" not in val:
                    value = val[1:-1]
                    node = new_scalar(scalar_cls, (start, end, '"', value, None, None))
                elif first not in not_str:
                    if first in words and (resolved := known_word(val)) is not None:
                        tag, value = resolved
                        node = new_scalar(scalar_cls, (start, end, "", value, tag, None))
                    else:
                        value = val
                        node = new_scalar(scalar_cls, (start, end, "", val, str_tag, None))
                else:
                    node = _scalar(val, start, end)
                    if node is None:
                        return FALLBACK
                    value = node[3]
                count += 2
                top.nodes.append(node)
                values = top.value
                if k in values:
                    return FALLBACK  # a duplicate key
                values[k] = value
                p = end + len(rest)
            else:
                count += 1
                top.pending = knode
                empty_at = end + sep.index(":") + 1
                key_col = -2
                p = end + sep_len + len(rest)
            continue

        if bad:
            return FALLBACK
        if not (dash or key or val):  # a blank line or a comment
            p += col + len(rest)
            continue

        # -- every other line: first, where its first node goes -------------------
        start = p + col
        opening = False  # whether the line opens a container inside the innermost
        if empty_at >= 0:
            if col > top_col or (col == top_col and dash and top_map):
                opening = True  # the value still to come (an indentless sequence if "-")
            else:  # the value still to come is empty after all
                count += 1
                node = new_scalar(scalar_cls, (empty_at, empty_at, "", null_value, null_tag, None))
                empty_at = -1
                top.nodes.append(node)
                if top_map:
                    k = top.pending[3]
                    top.pending = None
                    if k in top.value:
                        return FALLBACK
                    top.value[k] = null_value
                else:
                    top.value.append(null_value)
        if not opening:
            # Close what this line's indentation ends.
            while top_col > col or (top_col == col and top_indentless and not dash):
                node = top
                node.end = start
                node.size = count - stack.pop()[3] + 1
                if not stack:
                    root = node
                    top = None
                    top_col = -1
                    top_map = top_indentless = False
                    break
                top, top_col, top_indentless, _ = stack[-1]
                top_map = type(top) is mapping_cls
                top.nodes.append(node)
                if top_map:
                    k = top.pending[3]
                    top.pending = None
                    if k in top.value:
                        return FALLBACK
                    top.value[k] = node.value
                else:
                    top.value.append(node.value)
            if top is None:
                if root is not None:
                    return FALLBACK  # more after the document's node ended
                opening = True
            elif top_col != col:
                return FALLBACK  # more indented than a value can start here
            elif dash:
                if top_map:
                    return FALLBACK  # "-" where a key should be
            elif not key or not top_map:
                return FALLBACK  # a scalar where a key or "-" should be
        if opening:
            if not (dash or key):
                return FALLBACK  # a scalar on a line of its own
            count += 1
            if count > max_nodes or len(stack) >= max_depth:
                return FALLBACK
            top_indentless = bool(dash) and col == top_col
            if dash:
                top = sequence_cls(start, False, None, None)
                top_map = False
            else:
                top = mapping_cls(start, False, None, None)
                top_map = True
            top_col = col
            stack.append((top, col, top_indentless, count))
            empty_at = -1

        # -- then the rest of the line: "-", a key, a value -------------------------
        if dash:
            start += len(dash)
            if key:
                # A mapping that starts on the entry's line, at its key's column.
                count += 1
                if count > max_nodes or len(stack) >= max_depth:
                    return FALLBACK
                top = mapping_cls(start, False, None, None)
                top_col = start - p
                top_map = True
                top_indentless = False
                stack.append((top, top_col, False, count))
            elif not val:
                empty_at = start - len(dash) + 1
                key_col = -2
                p = start + len(rest)
                continue
        if key:
            if len(key) + len(sep) > _MAX_KEY:
                return FALLBACK
            end = start + len(key)
            if key[0] in not_plain_str:
                knode = _scalar(key, start, end)
                if knode is None or (knode[4] == MERGE and not knode[2]):
                    return FALLBACK
            else:
                knode = new_scalar(scalar_cls, (start, end, "", key, str_tag, None))
            count += 1
            top.keys.append(knode)
            top.pending = knode
            start = end + len(sep)
            if not val:
                empty_at = end + sep.index(":") + 1
                key_col = -2
                p = start + len(rest)
                continue
        end = start + len(val)
        first = val[0]
        if first == '"' and "\\" not in val:
            node = new_scalar(scalar_cls, (start, end, '"', val[1:-1], None, None))
        elif first not in not_plain_str:
            node = new_scalar(scalar_cls, (start, end, "", val, str_tag, None))
        else:
            node = _scalar(val, start, end)
            if node is None:
                return FALLBACK
        count += 1
        top.nodes.append(node)
        if top_map:
            k = top.pending[3]
            top.pending = None
            if k in top.value:
                return FALLBACK
            top.value[k] = node[3]
            key_col = top_col
        else:
            top.value.append(node[3])
            key_col = -2
        p = end + len(rest)

    # -- the end of the text: the empty value still to come, then every open container
    end = len(text)
    if p != end:  # pragma: no cover - the lines cover the text, always; if not, be safe
        return FALLBACK
    if empty_at >= 0:
        count += 1
        node = new_scalar(scalar_cls, (empty_at, empty_at, "", null_value, null_tag, None))
        top.nodes.append(node)
        if top_map:
            k = top.pending[3]
            top.pending = None
            if k in top.value:
                return FALLBACK
            top.value[k] = null_value
        else:
            top.value.append(null_value)
    while stack:
        node = top
        node.end = end
        node.size = count - stack.pop()[3] + 1
        if not stack:
            return node  # type: ignore[no-any-return]
        top = stack[-1][0]
        top.nodes.append(node)
        top_map = type(top) is mapping_cls
        if top_map:
            k = top.pending[3]
            top.pending = None
            if k in top.value:
                return FALLBACK
            top.value[k] = node.value
        else:
            top.value.append(node.value)
    return root
