"""Writing back by difference, and writing fresh items.

``rewrite`` compares the plain data of the item as loaded with the plain data of
the item now, walks the node tree of the original text alongside, and turns each
difference into a text edit on the smallest span that holds it: a scalar's own
characters, one list item's lines, one key's lines. Everything else is copied
through untouched. The result is loaded again and compared with the item before
it is returned, so newsitem never writes text that means something else.
"""

from __future__ import annotations

import datetime as dt
import difflib
import email.utils
import functools
import re
from typing import TYPE_CHECKING, Any

import attrs

from ._convert import converter, extras_field, key_of, unstructure
from ._emit import (
    STANDALONE_KEYS,
    double_quoted,
    emit_entry,
    emit_item,
    emit_mapping,
    format_datetime,
    plain_ok,
    render_scalar,
)
from ._errors import NewsItemError
from ._tree import Alias, Mapping, Node, Scalar, Sequence

if TYPE_CHECKING:
    from ._document import _Source

__all__ = ["emit_fresh", "rewrite"]

_MISSING: Any = object()


def emit_fresh(item: Any, body: str) -> str:
    """A whole new file for *item* in the house style."""
    data = unstructure(item)
    if not isinstance(data, dict):
        raise TypeError(f"a document's item must be an attrs instance or a dict, not {type(item).__name__}")
    lines = emit_mapping(data, top=True)
    return "---\n" + "".join(line + "\n" for line in lines) + "---\n" + body


def _same(a: Any, b: Any) -> bool:
    """Equal, and of the same type (so ``1`` and ``True`` differ at this level).

    Deeper type confusions are caught by the check that reloads the result."""
    return type(a) is type(b) and bool(a == b)


def rewrite(source: _Source, original: Any, item: Any, body: str) -> str:
    """The text of *source* with the differences between *original* and *item* applied."""
    from ._document import loads

    parts = source.parts
    newline = parts.newline()
    root = source.root
    if type(root) is Mapping and not root.flow and root.keys:
        old, new, order = changes(original, item)
        editor = _Editor(parts.yaml, newline)
        editor.mapping(root, old, new, order=order, top=True)
        text = parts.join(yaml=editor.apply(), body=body)
    else:
        new = unstructure(item)
        if not isinstance(new, dict):
            raise TypeError(
                f"a document's item must be an attrs instance or a dict, not {type(item).__name__}"
            )
        yaml = "".join(line + newline for line in emit_mapping(new, top=True))
        if parts.has_front_matter:
            text = parts.join(yaml=yaml, body=body)
        else:
            text = ("\ufeff" if parts.bom else "") + f"---{newline}{yaml}---{newline}{body}"
    bare = parts.has_front_matter and not parts.open_fence
    check = loads(text, schema=source.schema, bare=bare, limits=source.limits)
    if not _same(check.item, item):
        raise NewsItemError(
            "newsitem could not write this edit without changing its meaning; "
            "nothing was written (please report this with the file)"
        )
    return text


def changes(original: Any, item: Any) -> tuple[dict[Any, Any], dict[Any, Any], list[Any]]:
    """What differs between two items, as plain data: ``(old, new, order)``.

    ``old`` and ``new`` hold, for each top-level key whose value differs, its plain
    value before and after (a key that is absent is left out); ``order`` lists the
    keys the new item has, in its order. Only differing fields are unstructured, so
    a one-field edit of a large item costs little.
    """
    if type(item) is dict:
        if type(original) is not dict:
            original = {}
        old = {k: v for k, v in original.items() if not _same(v, item.get(k, _MISSING))}
        new = {k: v for k, v in item.items() if not _same(v, original.get(k, _MISSING))}
        return old, new, list(item)
    if type(item) is not type(original) or not attrs.has(type(item)):
        raise TypeError(f"a document's item must be an attrs instance or a dict, not {type(item).__name__}")
    old, new, order = {}, {}, []
    cls: type = type(item)
    extras = extras_field(cls)
    for name, key, optional in _fields(cls):
        a, b = getattr(original, name), getattr(item, name)
        b_absent = optional and (b is None or (type(b) is list and not b))
        if not b_absent:
            order.append(key)
        if type(a) is type(b) and a == b:
            continue
        if not (optional and (a is None or (type(a) is list and not a))):
            old[key] = converter.unstructure(a)
        if not b_absent:
            new[key] = converter.unstructure(b)
    if extras is not None:
        a_extra, b_extra = getattr(original, extras.name), getattr(item, extras.name)
        order.extend(k for k in b_extra if k not in order)
        old.update((k, v) for k, v in a_extra.items() if not _same(v, b_extra.get(k, _MISSING)))
        new.update((k, v) for k, v in b_extra.items() if not _same(v, a_extra.get(k, _MISSING)))
    return old, new, order


@functools.cache
def _fields(cls: type) -> tuple[tuple[str, str, bool], ...]:
    """``(attribute, key, optional)`` for each field but the extras field.

    An optional field (one with a default) is absent from the file when its value
    is ``None`` or an empty list.
    """
    extras = extras_field(cls)
    return tuple(
        (f.name, key_of(f), f.default is not attrs.NOTHING) for f in attrs.fields(cls) if f is not extras
    )


_LINE_BREAK = re.compile(r"\r\n|\n|\r")


class _Editor:
    """Collects ``(start, end, replacement)`` edits on one YAML text."""

    def __init__(self, text: str, newline: str) -> None:
        self.text = text
        self.nl = newline
        self.edits: list[tuple[int, int, int, str]] = []

    # -- positions ------------------------------------------------------------------

    def line_start(self, index: int) -> int:
        text = self.text
        return max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1

    def line_end(self, index: int) -> int:
        """The index just past the line break that ends the line holding *index*."""
        m = _LINE_BREAK.search(self.text, index)
        return m.end() if m else len(self.text)

    def column(self, index: int) -> int:
        return index - self.line_start(index)

    def content_end(self, node: Node) -> int:
        """Where a node's own text ends (block containers' marks run on past it)."""
        while True:
            if type(node) is Scalar:
                if node.style in ("|", ">"):
                    return node.start + len(self.text[node.start : node.end].rstrip())
                return node.end
            if type(node) is Alias or node.flow:  # type: ignore[union-attr]
                return node.end
            assert isinstance(node, Mapping | Sequence)
            if not node.nodes:
                return node.start
            node = node.nodes[-1]

    def entry_end(self, key: Node, child: Node) -> int:
        """The end of a ``key: value`` entry's last line, line break included."""
        return self.line_end(max(key.end, self.content_end(child)))

    # -- edits ----------------------------------------------------------------------

    def replace(self, start: int, end: int, text: str) -> None:
        self.edits.append((start, end, len(self.edits), text))

    def insert(self, at: int, text: str) -> None:
        self.edits.append((at, at, len(self.edits), text))

    def apply(self) -> str:
        out = []
        pos = 0
        for start, end, _, text in sorted(self.edits):
            if start < pos:  # pragma: no cover - the walk never overlaps edits
                raise NewsItemError("internal error: overlapping edits")
            out.append(self.text[pos:start])
            out.append(text)
            pos = end
        out.append(self.text[pos:])
        return "".join(out)

    def lines(self, lines: list[str]) -> str:
        return "".join(line + self.nl for line in lines)

    def ensure_break(self, at: int) -> str:
        """A line break to put first when inserting at *at* after a last line with none."""
        return "" if at == 0 or self.text[at - 1] in "\r\n" else self.nl

    # -- the walk -------------------------------------------------------------------

    def mapping(
        self,
        node: Mapping,
        old: dict[Any, Any],
        new: dict[Any, Any],
        *,
        order: list[Any] | None = None,
        top: bool = False,
    ) -> None:
        present: dict[Any, tuple[Node, Node]] = {}
        first = node.keys[0].start
        on_dash = bool(self.text[self.line_start(first) : first].strip())  # "- key: ..."
        for i, (key, child) in enumerate(zip(node.keys, node.nodes, strict=True)):
            present.setdefault(key.value, (key, child))
            o, n = old.get(key.value, _MISSING), new.get(key.value, _MISSING)
            if _same(o, n):
                on_dash = False
                continue
            if n is not _MISSING:
                on_dash = False
                self.change(key, child, o, n)
            elif on_dash and i + 1 < len(node.keys):  # keep the dash; the next key moves up
                self.replace(key.start, node.keys[i + 1].start, "")
            else:
                self.replace(self.line_start(key.start), self.entry_end(key, child), "")
        indent = self.column(first)
        order = list(new) if order is None else order
        for i, k in enumerate(order):
            # a key only the new item has; keys merged in with "<<" that did not change stay merged
            if k in present or k not in new or _same(old.get(k, _MISSING), new[k]):
                continue
            before = next((present[p] for p in reversed(order[:i]) if p in present), None)
            lines = emit_entry(k, new[k], indent)
            if before is not None:
                at = self.entry_end(*before)
                # at the top, blocks and standalone keys are set apart by a blank line
                block = top and (
                    len(lines) > 1
                    or k in STANDALONE_KEYS
                    or self.line_start(before[0].start) != self.line_start(self.content_end(before[1]))
                )
                text = self.ensure_break(at) + (self.nl if block else "") + self.lines(lines)
            else:
                at = self.line_start(first)
                if self.text[at:first].strip():  # the mapping starts on a "- " line
                    self.insert(first, self.lines(lines)[indent:] + " " * indent)
                    continue
                block = top and len(lines) > 1
                text = self.lines(lines) + (self.nl if block else "")
            self.insert(at, text)

    def change(self, key: Node, child: Node, old: Any, new: Any) -> None:
        plain_child = not isinstance(child, Alias) and child.anchor is None
        if plain_child and type(child) is Mapping and not child.flow and child.keys:
            if type(old) is dict and type(new) is dict and new:
                self.mapping(child, old, new)
                return
        elif plain_child and type(child) is Sequence and not child.flow and child.nodes:
            if type(old) is list and type(new) is list and new and self.sequence(child, old, new, key.value):
                return
        elif plain_child and type(child) is Scalar and not isinstance(new, dict | list):
            if child.start == child.end:  # an empty value: "key:" -> "key: new"
                self.replace(child.start, child.start, " " + render_scalar(new, key=key.value))
            else:
                self.scalar(child, new, key.value)
            return
        start = key.start
        indent = self.column(start)
        lines = emit_entry(key.value, new, indent)
        self.replace(start, self.entry_end(key, child), self.lines(lines)[indent:])

    def scalar(self, node: Scalar, new: Any, key: Any) -> None:
        raw = self.text[node.start : node.end]
        style = node.style
        if style in ("|", ">"):
            self.block_scalar(node, new, key)
            return
        if isinstance(new, dt.datetime | dt.date) and isinstance(node.value, dt.date | str):
            inner = raw[1:-1] if style in ("'", '"') else raw
            text = _like(inner, new)
            if style in ("'", '"'):
                text = style + text + style
        elif isinstance(new, str):
            if style == '"':
                text = double_quoted(new)
            elif style == "'" and _single_ok(new):
                text = "'" + new.replace("'", "''") + "'"
            elif style == "" and plain_ok(new):
                text = new
            else:
                text = double_quoted(new)
        else:
            text = render_scalar(new, key=key)
        self.replace(node.start, node.end, text)

    def block_scalar(self, node: Scalar, new: Any, key: Any) -> None:
        end = self.content_end(node)
        if not isinstance(new, str) or not new.strip() or any(c in new for c in "\r\x85\u2028\u2029"):
            self.replace(node.start, end, render_scalar(new, key=key, quote=True))
            return
        header_end = self.line_end(node.start)
        body = self.text[header_end:end]
        indent = len(body) - len(body.lstrip(" "))
        pad = " " * max(indent, 1)
        lines = new.split("\n")
        chomp = (
            ""
            if new.endswith("\n") and not new.endswith("\n\n")
            else ("-" if not new.endswith("\n") else "+")
        )
        if chomp == "+":
            lines = new.rstrip("\n").split("\n")
        elif new.endswith("\n"):
            lines = lines[:-1]
        if lines and lines[0].startswith(" "):
            chomp = str(len(pad)) + chomp
        text = "|" + chomp + self.nl + self.nl.join(pad + line if line else "" for line in lines)
        if chomp.endswith("+"):
            text += self.nl * (len(new) - len(new.rstrip("\n")) - 1)
        self.replace(node.start, end, text)

    def sequence(self, node: Sequence, old: list[Any], new: list[Any], key: Any) -> bool:
        dashes = [self._dash(item) for item in node.nodes]
        if any(d is None for d in dashes) or len(node.nodes) != len(old):
            return False
        dash_col = self.column(dashes[0])  # type: ignore[arg-type]
        gap = node.nodes[0].start - dashes[0]  # type: ignore[operator]
        styles = _styles(node.nodes, key)
        matcher = difflib.SequenceMatcher(
            None, [_fingerprint(x) for x in old], [_fingerprint(x) for x in new], autojunk=False
        )
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            if op == "replace" and i2 - i1 == j2 - j1:
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                    self.item(node.nodes[i], dashes[i], old[i], new[j], dash_col, key)  # type: ignore[arg-type]
                continue
            for i in range(i1, i2):  # delete (or the old side of an uneven replace)
                start = self.line_start(dashes[i])  # type: ignore[arg-type]
                self.replace(start, self.line_end(self.content_end(node.nodes[i])), "")
            if j2 > j1:
                lines = [
                    line
                    for j in range(j1, j2)
                    for line in emit_item(new[j], dash_col, key=key, styles=styles, gap=gap)
                ]
                if i1 < len(node.nodes):
                    at = self.line_start(dashes[i1])  # type: ignore[arg-type]
                    self.insert(at, self.lines(lines))
                else:
                    at = self.line_end(self.content_end(node.nodes[-1]))
                    self.insert(at, self.ensure_break(at) + self.lines(lines))
        return True

    def item(self, node: Node, dash: int, old: Any, new: Any, dash_col: int, key: Any) -> None:
        plain_node = not isinstance(node, Alias) and node.anchor is None
        if (
            plain_node
            and type(node) is Mapping
            and not node.flow
            and node.keys
            and type(old) is dict
            and type(new) is dict
            and new
        ):
            self.mapping(node, old, new)
            return
        if (
            plain_node
            and type(node) is Scalar
            and not isinstance(new, dict | list)
            and node.start != node.end
        ):
            self.scalar(node, new, key)
            return
        lines = emit_item(new, dash_col, key=key)
        end = self.line_end(self.content_end(node))
        self.replace(dash, end, self.lines(lines)[dash_col:])

    def _dash(self, node: Node) -> int | None:
        """The index of the ``-`` that introduces a block sequence item."""
        i = node.start - 1
        text = self.text
        while i >= 0 and text[i] == " ":
            i -= 1
        if i < 0 or text[i] != "-" or text[self.line_start(i) : i].strip():
            return None
        return i


def _styles(nodes: list[Node], key: Any) -> dict[Any, str]:
    """The scalar style each key's values have in these sibling nodes (first seen wins).

    New items are written like their neighbours: a list whose URLs are plain gets a
    new item with a plain URL.
    """
    styles: dict[Any, str] = {}
    todo: list[tuple[Any, Node]] = [(key, n) for n in nodes]
    while todo:
        k, node = todo.pop(0)
        if type(node) is Scalar:
            if isinstance(node.value, str) and node.style in ("", '"', "'"):
                styles.setdefault(k, node.style)
        elif type(node) is Mapping:
            todo.extend(zip((kn.value for kn in node.keys), node.nodes, strict=True))
        elif type(node) is Sequence:
            todo.extend((k, n) for n in node.nodes)
    return styles


def _single_ok(text: str) -> bool:
    return (
        all(c not in text for c in "\r\n\t") and double_quoted(text) == '"' + text.replace('"', '\\"') + '"'
    )


def _fingerprint(value: Any) -> str:
    return f"{type(value).__name__}:{value!r}"


_ISO = re.compile(
    r"(?P<date>\d{4}-\d\d?-\d\d?)(?:(?P<sep>[Tt]|[ \t]+)\d\d?:\d\d:\d\d(?P<frac>\.\d*)?"
    r"(?P<zsep>[ \t]*)(?P<zone>Z|z|[-+]\d\d?(?::?\d\d)?)?)?"
)


def _like(original: str, value: dt.datetime | dt.date) -> str:
    """*value* spelled the way *original* spelled its date-time."""
    if not isinstance(value, dt.datetime):
        return value.isoformat()
    m = _ISO.fullmatch(original.strip())
    if m is None:
        if "," in original or re.search(r"[A-Za-z]{3}", original):
            return email.utils.format_datetime(value)
        return format_datetime(value)
    if m.group("sep") is None:  # the original was a date alone
        return (
            value.date().isoformat()
            if value.utcoffset() in (None, dt.timedelta(0))
            else format_datetime(value)
        )
    frac = m.group("frac")
    digits = len(frac) - 1 if frac else 0
    text = value.strftime("%Y-%m-%d") + m.group("sep") + value.strftime("%H:%M:%S")
    if digits:
        text += "." + f"{value.microsecond:06d}"[:digits].ljust(digits, "0")
    elif value.microsecond:
        text += f".{value.microsecond:06d}"
    zone = m.group("zone")
    offset = value.utcoffset()
    if zone is None and offset in (None, dt.timedelta(0)):
        return text
    if zone in ("Z", "z") and offset == dt.timedelta(0):
        return text + zone
    sign = "-" if offset is not None and offset < dt.timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds()) // 60) if offset is not None else 0
    colon = ":" if zone is None or ":" in zone or zone in ("Z", "z") else ""
    return text + m.group("zsep") + f"{sign}{minutes // 60:02d}{colon}{minutes % 60:02d}"
