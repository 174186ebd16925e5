"""Writing back by difference: a pure function from old text to new text.

:func:`patch` takes the original front-matter text and its span tree, the plain
data before and after the edit (``old`` and ``new``: only the top-level keys that
differ), the new key order and the line ending, and returns the new text. It
walks the tree alongside the data and turns each difference into a text edit on
the smallest span that holds it:

* a changed scalar: its own characters, in its own style (plain, quoted, block),
  with its anchor and the comment after it kept;
* a key or list item added or removed: its own lines (block style) or its own
  entry and separator (flow style, which stays flow), new ones written like
  their neighbours;
* a changed item of a list that also grows or shrinks: edited in place, paired
  with its new version by similarity;
* an anchored node: edited in place, so it keeps its anchor; an alias whose value
  no longer follows its anchor (the caller changed one side only) is written out
  as its own value; ``<<`` merges keep working.

Everything else is copied through untouched. Nothing here parses text or touches a
file: the caller verifies the result by reading it back.
"""

from __future__ import annotations

import base64
import bisect
import datetime as dt
import itertools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from ._convert import MISSING, Record, same
from ._emit import (
    Layout,
    Styles,
    double_quoted,
    emit_entry,
    emit_flow,
    emit_item,
    emit_mapping,
    format_datetime,
    plain_ok,
    quoted_keys,
    render_key,
    render_scalar,
    respell_datetime,
    same_spelling,
    single_quoted,
    standalone_keys,
)
from ._scalars import BINARY, BOOL, FLOAT, INT, MERGE, NULL, STR, TIMESTAMP
from ._schema import fields
from ._tree import Alias, Mapping, Node, Scalar, Sequence

if TYPE_CHECKING:
    import difflib


def _json_text(value: Any, spelling: tuple[bool, bool] = (False, False)) -> str:
    """*value* as JSON text (newsitem._json, imported when a JSON edit needs it), its
    strings spelled as *spelling* says (``(ascii, slashes)``: see ``_json.spelling``)."""
    from ._json import dumps_value

    return dumps_value(value, ascii=spelling[0], slashes=spelling[1])


__all__ = ["Patched", "flow_separator", "list_ops", "patch", "rewrite_between"]

#: YAML 1.1 (libyaml) also breaks lines at NEL, LS and PS.
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
_BREAKS = "\n\r\x85\u2028\u2029"
_COMMENT = re.compile(r"(?:^|[ \t])#")
_BEFORE_COMMENT = re.compile(r"[ \t]+(?=#)")
_BLANK_LINE = re.compile(r"[ \t]*(?:\r\n|\n|\r)")
_BLANK_LINES = re.compile("(?:[ \t]*(?:\r\n|[\n\r\x85\u2028\u2029]))*")
#: What may follow an entry of a flow collection written one entry a line.
_ENTRY_TAIL = re.compile("[ \t]*(,?)[ \t]*(?:#[^\r\n\x85\u2028\u2029]*)?(?:\r\n|[\n\r\x85\u2028\u2029])")
#: What a literal or folded block cannot hold as it is.
_NOT_IN_BLOCK = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_DROPPED: Any = object()
#: Which Python types an explicit tag can keep describing.
_TAG_TYPES: dict[str, tuple[type, ...]] = {
    STR: (str,),
    INT: (int,),
    FLOAT: (float,),
    BOOL: (bool,),
    NULL: (type(None),),
    TIMESTAMP: (dt.date,),
    BINARY: (bytes,),
}


class Patched(NamedTuple):
    """The new text, and, when every edit replaced one scalar's characters and nothing
    else, those scalars: ``(node, new text, new value, in flow, rest of its line)`` each."""

    text: str
    scalars: tuple[tuple[Scalar, str, Any, bool, str], ...] | None


def patch(
    text: str,
    root: Node | None,
    old: dict[Any, Any],
    new: dict[Any, Any],
    order: list[Any],
    newline: str,
    *,
    json: bool = False,
) -> Patched:
    """*text* (whose tree is *root*) with the differences between *old* and *new* applied.

    *old* and *new* hold the top-level keys whose values differ (absent keys left
    out); *order* is every key of the new data, in order, so that new keys go
    where they belong.
    """
    p = _Patcher(text, newline, json=json)
    p.root = root
    if type(root) is Mapping:
        if root.flow:
            p.flow_mapping(root, old, new, order)
        else:
            p.mapping(root, old, new, order=order, top=True)
    else:
        p.top_of_nothing(root, new, order)
    p.settle_aliases(root)
    return Patched(p.apply(), tuple(p.scalars) if p.scalars is not None else None)


def _is_merge(key: Node) -> bool:
    return type(key) is Scalar and key.tag == MERGE and not key.style


def _null_ok(data: Any, key: Any) -> bool:
    """Whether *key*, absent from *data*, may be written as null instead (an optional
    field of a typed record: null and absent read back the same)."""
    if type(data) is not Record:
        return False
    return any(f.key == key and f.optional for f in fields(data.schema))


def _subset(data: dict[Any, Any], keys: list[Any]) -> dict[Any, Any]:
    out = Record(data.schema) if type(data) is Record else {}
    out.update((k, data[k]) for k in keys if k in data)
    return out


class _Patcher:
    """Collects ``(start, end, replacement)`` edits on one YAML text."""

    def __init__(self, text: str, newline: str, *, json: bool = False) -> None:
        self.text = text
        self.nl = newline
        #: Writing JSON: every new scalar and key in strict JSON, its strings escaped as
        #: the text's are (non-ASCII as \\u00e9, "/" as \\/, or as they are).
        self.json = json
        self.json_spelling = (False, False)
        if json:
            from ._json import spelling

            self.json_spelling = spelling(text)
        self.edits: list[tuple[int, int, int, str]] = []
        self._layout: Layout | None = None
        self.root: Node | None = None
        #: id(anchored node) -> its new value, or _DROPPED when its text is gone.
        self.fates: dict[int, Any] = {}
        self.changed: set[int] = set()
        self.visited: set[int] = set()
        self.has_anchors = "&" in text
        #: The text breaks lines at NEL, LS or PS too (YAML 1.1 readers do).
        self.odd_breaks = any(b in text for b in "\x85\u2028\u2029")
        #: The scalars replaced, while every edit is one.
        self.scalars: list[tuple[Scalar, str, Any, bool, str]] | None = []
        #: Where removed lines ended right after a block scalar that keeps its empty lines.
        self.keep_tails: set[int] = set()
        #: id(block scalar) -> whether its new text keeps its trailing empty lines.
        self.new_keep: dict[int, bool] = {}
        #: Where a new top-level block went past a blank line it took as its own: the
        #: keys added after the same entry follow it there.
        self.moved: dict[int, int] = {}

    # -- positions ------------------------------------------------------------------

    def line_start(self, index: int) -> int:
        text = self.text
        start = max(text.rfind("\n", 0, index), text.rfind("\r", 0, index))
        if self.odd_breaks:
            start = max(start, *(text.rfind(b, 0, index) for b in "\x85\u2028\u2029"))
        return start + 1

    def line_end(self, index: int) -> int:
        """The index just past the line break that ends the line holding *index*."""
        m = _LINE_BREAK.search(self.text, index)
        return m.end() if m else len(self.text)

    def column(self, index: int) -> int:
        return index - self.line_start(index)

    def content_start(self, node: Scalar) -> int:
        """Where a scalar's own text starts, after its anchor and tag."""
        i, text = node.start, self.text
        while i < node.end and text[i] in "&!":
            while i < node.end and text[i] not in " \t\r\n":
                i += 1
            while i < node.end and text[i] in " \t\r\n":
                i += 1
        return i

    def content_end(self, node: Node) -> int:
        """Where a node's own text ends (block containers' marks run on past it)."""
        while True:
            if type(node) is Scalar:
                if node.style in ("|", ">"):
                    if self.keeps(node) and self.text[node.end - 1] in "\r\n":
                        return node.end - 1  # its trailing empty lines are its own
                    return self.block_end(node)
                return node.end
            if type(node) is Alias or node.flow:  # type: ignore[union-attr]
                return node.end
            assert isinstance(node, Mapping | Sequence)
            if not node.nodes:
                return node.start
            node = node.nodes[-1]

    def block_end(self, node: Scalar) -> int:
        """The end of a literal or folded block's last line of text (its trailing empty
        lines, which chomping drops or clips, are not its own). A line of spaces only is
        text when it has more of them than the block's indentation."""
        text = self.text
        # YAML's blanks and breaks only: U+00A0 and the like are text
        end = node.start + len(text[node.start : node.end].rstrip(" \t" + _BREAKS))
        while end < node.end and text[end] in " \t":
            end += 1  # blanks that end its last line are its own too
        lines = node.value.split("\n") if type(node.value) is str else []
        first = next((line for line in lines if line.strip(" ")), None)  # its first line of text
        # Only spaces: its lines are the value's, one for one; the last with spaces ends it.
        last = max((i for i, line in enumerate(lines) if line), default=-1) if first is None else -1
        if first is None and last < 0:
            return end
        indent: int | None = None  # the block's: its first text line's, less its own leading spaces
        pos = self.line_end(node.start)
        i = 0
        while pos < node.end:
            m = _LINE_BREAK.search(text, pos, node.end)
            stop = m.start() if m is not None else node.end
            line = text[pos:stop]
            if first is not None and indent is None and line.strip(" "):
                indent = len(line) - len(line.lstrip(" ")) - (len(first) - len(first.lstrip(" ")))
            if (indent is not None and len(line) > indent) or i == last:
                end = max(end, stop)
            pos = m.end() if m is not None else node.end
            i += 1
        return end

    def ends_with_keep(self, node: Node) -> bool:
        """Whether *node*'s text ends with a block scalar that keeps its trailing lines."""
        while type(node) in (Mapping, Sequence) and not node.flow and node.nodes:  # type: ignore[union-attr]
            node = node.nodes[-1]  # type: ignore[union-attr]
        return type(node) is Scalar and self.keeps_now(node)

    def keeps_now(self, node: Scalar) -> bool:
        """Whether a scalar is a block that keeps its trailing empty lines, as edited."""
        keep = self.new_keep.get(id(node))
        return keep if keep is not None else node.style in ("|", ">") and self.keeps(node)

    def keeps(self, node: Scalar) -> bool:
        """Whether a block scalar keeps its trailing line breaks (``|+``, ``>+``)."""
        header = self.text[self.content_start(node) : self.line_end(node.start)]
        return "+" in header.split("#")[0]

    def remove_lines(self, start: int, end: int) -> None:
        """Remove whole lines; if they follow a block scalar that keeps its trailing
        empty lines, empty lines after them go too (they would become its own)."""
        end = self.block_tail_end(start, end)
        end = self.inner_comments_end(start, end)
        if start in self.keep_tails or self.after_keep(start):
            m = _BLANK_LINES.match(self.text, end)
            if m is not None:
                end = m.end()
            self.keep_tails.add(end)
        self.replace(start, end, "")

    def block_tail_end(self, start: int, end: int) -> int:
        """*end*, moved past the trailing empty lines of a literal or folded block that
        the lines ``[start, end)`` hold the text of: they go with it (left behind after
        another block, lines of spaces would be read as its text)."""
        if "|" not in self.text and ">" not in self.text:
            return end
        todo = [self.root] if self.root is not None else []
        while todo:
            n = todo.pop()
            if type(n) is Scalar:
                if n.style in ("|", ">") and start <= n.start < end < n.end:
                    end = n.end
            elif type(n) in (Mapping, Sequence):
                todo.extend(n.nodes)  # type: ignore[union-attr]
        return end

    def inner_comments_end(self, start: int, end: int) -> int:
        """*end*, moved past the comment lines after the lines ``[start, end)`` that stand
        in further than their first (they were inside what goes), when a literal or folded
        block ends at *start*: left behind, they would be read as its text."""
        if "|" not in self.text and ">" not in self.text:
            return end
        todo = [self.root] if self.root is not None else []
        while todo:
            n = todo.pop()
            if type(n) is Scalar and n.style in ("|", ">") and n.end == start:
                break
            if type(n) in (Mapping, Sequence):
                todo.extend(n.nodes)  # type: ignore[union-attr]
        else:
            return end
        text = self.text
        first = text[start:end]
        column = len(first) - len(first.lstrip(" "))
        pos = new_end = end
        while pos < len(text):
            m = _LINE_BREAK.search(text, pos)
            stop = m.start() if m is not None else len(text)
            line = text[pos:stop]
            rest = line.lstrip(" \t")
            if rest and (not rest.startswith("#") or len(line) - len(line.lstrip(" ")) <= column):
                break
            pos = m.end() if m is not None else len(text)
            if rest:  # a comment line further in (blank lines go only before one)
                new_end = pos
        return new_end

    def after_keep(self, at: int) -> bool:
        if "+" not in self.text and not any(self.new_keep.values()):
            return False
        todo = [self.root] if self.root is not None else []
        while todo:
            n = todo.pop()
            if type(n) is Scalar:
                if n.end == at and self.keeps_now(n):
                    return True
            elif type(n) in (Mapping, Sequence):
                todo.extend(n.nodes)  # type: ignore[union-attr]
        return False

    def entry_end(self, key: Node, child: Node) -> int:
        """The end of a block ``key: value`` entry's last line, line break included."""
        if type(child) is Scalar and child.start == child.end and not child.style:
            colon = self.colon(key, child)  # an empty value: the entry ends with its ":"
            return self.line_end(max(key.end, colon))
        return self.line_end(max(key.end, self.content_end(child)))

    def spare_blank(self, at: int) -> int | None:
        """The end of the blank line at *at* when another blank line or the end of the
        text follows it (so a new block after it is still set apart), else ``None``."""
        blank = _BLANK_LINE.match(self.text, at)
        if blank is None:
            return None
        end = blank.end()
        if end < len(self.text) and _BLANK_LINE.match(self.text, end) is None:
            return None
        return end

    def colon(self, key: Node, value: Node) -> int:
        """The index of the ``:`` that ends a block key (comments and line breaks may
        come between them after an explicit ``? key``), or -1 for an explicit key with
        no ``:`` at all (its value is null)."""
        text, i, end = self.text, key.end, max(value.start, key.end)
        while i < len(text):
            ch = text[i]
            if ch == ":":
                return i
            if ch == "#":
                i = self.line_end(i)
                continue
            if i >= end and ch not in " \t\r\n":
                break
            i += 1
        return -1

    def entry_start(self, key: Node) -> int:
        """Where a block mapping entry starts: its key, or the ``?`` of an explicit key."""
        i = key.start - 1
        while i >= 0 and self.text[i] in " \t":
            i -= 1
        return i if i >= 0 and self.text[i] == "?" else key.start

    def on_dash(self, at: int) -> bool:
        """Whether the text before *at* on its line is a list item's ``- `` (or several)."""
        prefix = self.text[self.line_start(at) : at].strip()
        return bool(prefix) and not prefix.strip("- ")

    def layout(self) -> Layout:
        """The file's own indentation: how far nested keys and dashes stand in."""
        if self._layout is None:
            indent = dash = None
            todo: list[Node] = [self.root] if self.root is not None else []
            while todo and (indent is None or dash is None):
                node = todo.pop(0)
                if type(node) is Mapping and not node.flow:
                    for key, child in zip(node.keys, node.nodes, strict=True):
                        if type(child) is Mapping and not child.flow and child.keys and indent is None:
                            indent = self.column(child.keys[0].start) - self.column(key.start)
                        elif type(child) is Sequence and not child.flow and child.nodes and dash is None:
                            d = self._dash(child.nodes[0])
                            if d is not None and self.line_start(d) != self.line_start(key.start):
                                dash = self.column(d) - self.column(key.start)
                        todo.append(child)
                elif type(node) is Sequence and not node.flow:
                    todo.extend(node.nodes)
            indent = indent if indent and indent > 0 else 2  # a file without nesting: the house's
            self._layout = Layout(indent, dash if dash is not None and dash >= 0 else indent)
        return self._layout

    # -- edits ----------------------------------------------------------------------

    def replace(self, start: int, end: int, text: str) -> None:
        self.edits.append((start, end, len(self.edits), text))
        self.scalars = None

    def insert(self, at: int, text: str) -> None:
        self.edits.append((at, at, len(self.edits), text))
        self.scalars = None

    def replace_scalar(self, node: Scalar, start: int, end: int, text: str, value: Any, flow: bool) -> None:
        """Replace a scalar's own characters by a one-line scalar (reported in ``scalars``,
        with the rest of its line, which the new text must read well before)."""
        if self.text[end : end + 1] == "#":  # "'x'#c": a comment needs a space before it
            text += " "
        self.edits.append((start, end, len(self.edits), text))
        if self.scalars is not None:
            self.scalars.append(
                (node, text, value, flow, self.text[end : self.line_end(end)].rstrip(_BREAKS))
            )

    def apply(self) -> str:
        out = []
        pos = 0
        spans = [(s, e) for s, e, _, _ in self.edits if s < e]
        edits = []
        for start, end, seq, text in self.edits:
            if start == end:  # text to put after an entry whose own text is being rewritten
                for s, e in spans:
                    if s < start < e:
                        start = end = e
            edits.append((start, end, seq, text))
        for start, end, _, text in sorted(edits):
            if start < pos:  # pragma: no cover - the walk never overlaps edits
                raise AssertionError(f"overlapping edits at {start}")
            out.append(self.text[pos:start])
            out.append(text)
            pos = end
        out.append(self.text[pos:])
        return "".join(out)

    def lines(self, lines: list[str]) -> str:
        return "".join(line + self.nl for line in lines)

    def ensure_break(self, at: int) -> str:
        """A line break to put first when inserting at *at* after a last line with none."""
        return "" if at == 0 or self.text[at - 1] in _BREAKS else self.nl

    def flow_text(self, value: Any, *, quoted: frozenset[Any] = frozenset(), key: Any = None) -> str:
        """*value* on one line in the collection's own style: YAML flow, or JSON."""
        if self.json:
            return _json_text(value, self.json_spelling)
        return emit_flow(value, quoted=quoted, key=key)

    def flow_key(self, key: Any) -> str:
        if self.json:
            return _json_text(str(key), self.json_spelling)
        text = render_key(key, flow=True)
        return "? " + text if len(text) > 1022 else text

    # -- anchors and aliases --------------------------------------------------------

    def fate(self, node: Node, old: Any, new: Any) -> None:
        """Remember what an anchored node now holds (it was edited in place)."""
        if self.has_anchors and not isinstance(node, Alias) and node.anchor is not None:
            self.fates[id(node)] = new
            if not same(old, new):
                self.changed.add(id(node))

    def drop(self, node: Node) -> None:
        """The text of *node* is being replaced or removed: its anchors go with it."""
        if not self.has_anchors:
            return
        todo = [node]
        while todo:
            n = todo.pop()
            if isinstance(n, Alias):
                self.visited.add(id(n))
                continue
            if n.anchor is not None:
                self.fates[id(n)] = _DROPPED
                self.changed.add(id(n))
            if type(n) is Mapping:
                todo.extend(n.keys)
            if type(n) is not Scalar:
                todo.extend(n.nodes)  # type: ignore[union-attr]

    def alias_holds(self, node: Alias, old: Any, new: Any) -> bool:
        """Whether an alias still stands for *new* once its anchor is edited."""
        self.visited.add(id(node))
        target = self.fates.get(id(node.target), old)
        return target is not _DROPPED and same(target, new)

    def settle_aliases(self, root: Node | None) -> None:
        """Aliases the walk did not reach whose anchor changed: written out as the
        value they stood for (it has not changed where they stand)."""
        if not self.changed or root is None:
            return
        spans = [(s, e) for s, e, _, _ in self.edits if s < e]
        todo = [root]
        while todo:
            n = todo.pop()
            if type(n) is Alias:
                if id(n) in self.visited or id(n.target) not in self.changed:
                    continue
                if any(s <= n.start and n.end <= e for s, e in spans):
                    continue
                self.replace(n.start, n.end, self.flow_text(n.target.value))
                continue
            if type(n) is Mapping:
                todo.extend(n.keys)
            if type(n) is not Scalar:
                todo.extend(n.nodes)  # type: ignore[union-attr]

    # -- the top ------------------------------------------------------------------------

    def top_of_nothing(self, root: Node | None, new: dict[Any, Any], order: list[Any]) -> None:
        """Front matter with no mapping yet (empty, comments only, or a lone null)."""
        data = _subset(new, order)
        if not data:
            return
        body = self.lines(emit_mapping(data, top=True))
        if root is not None and root.start < root.end:  # "~" or "null": the mapping takes its place
            self.replace(root.start, root.end, body.rstrip("\r\n"))
            return
        at = len(self.text)
        self.insert(at, self.ensure_break(at) + body)

    # -- block mappings -----------------------------------------------------------------

    def mapping(
        self,
        node: Mapping,
        old: dict[Any, Any],
        new: dict[Any, Any],
        *,
        order: list[Any] | None = None,
        top: bool = False,
    ) -> bool:
        """Edit a block mapping in place; ``False`` (and nothing done) for a mapping on a
        ``- `` line that loses every key, which its list item rewrites whole."""
        present: dict[Any, tuple[Node, Node]] = {}
        merges: list[tuple[Node, Node]] = []
        for key, child in zip(node.keys, node.nodes, strict=True):
            if _is_merge(key):
                merges.append((key, child))
            else:
                present.setdefault(key.value, (key, child))
        # merged keys (their values are settled after this mapping's own anchors are)
        merged_keys = {k for _, child in merges for k in _merge_sources_value(child)}
        unmerge = False
        first = self.entry_start(node.keys[0])
        on_dash = self.on_dash(first)  # "- key: ..."
        typed_new = {(type(k), k) for k in new}
        if (
            on_dash
            and not merges
            and all(
                (type(k.value), k.value) not in typed_new and old.get(k.value, MISSING) is not MISSING
                for k in node.keys
            )
        ):
            return False  # every key goes (an equal key of another type, 1 and True, goes too)
        retyped: set[Any] = set()
        for i, (key, child) in enumerate(zip(node.keys, node.nodes, strict=True)):
            if _is_merge(key):
                on_dash = False
                continue
            o, n = old.get(key.value, MISSING), new.get(key.value, MISSING)
            if n is not MISSING and (type(key.value), key.value) not in typed_new:
                n = MISSING  # an equal key of another type (1 and True): this one goes, that one comes
                retyped.add(key.value)
            elif same(o, n):
                on_dash = False
                continue
            if n is MISSING and key.value in merged_keys:  # removing it would bring the merged value back
                if _null_ok(new, key.value):
                    n = None
                else:
                    unmerge = True
            if n is not MISSING:
                on_dash = False
                self.change(key, child, o, n, quote=key.value in quoted_keys(new))
            elif on_dash and i + 1 < len(node.keys):  # keep the dash; the next key moves up
                self.drop(child)
                self.replace(self.entry_start(key), self.entry_start(node.keys[i + 1]), "")
            else:
                self.drop(child)
                self.remove_lines(self.line_start(self.entry_start(key)), self.entry_end(key, child))
        # at the top, the data holds only what changed: a key in the order but not in
        # the data is one that stays as it was
        kept = frozenset(order) - new.keys() if order is not None else frozenset()
        inherited = self.inherited(merges, present, new, kept) if merges else {}
        indent = self.column(first)
        order = list(new) if order is None else order
        additions: list[Any] = []
        for k in order:
            if (k in present and k not in retyped) or k in kept:
                continue
            n = new.get(k, MISSING)
            if k in inherited:
                if unmerge or not same(inherited[k], n):
                    additions.append(k)
            elif n is not MISSING and (k in retyped or not same(old.get(k, MISSING), n)):
                additions.append(k)
        for k in inherited:  # merged keys the new data leaves out
            if k not in present and k not in new and k not in kept:
                if _null_ok(new, k) and not unmerge:
                    additions.append(k)
                else:
                    unmerge = True
        if unmerge:
            additions = [k for k in order if k not in present and k in new]
            for key, child in merges:
                self.drop(child)
                self.visited.update(id(a) for a in _aliases_in(child))
                if self.entry_start(key) != first or not self.on_dash(first):
                    self.remove_lines(self.line_start(key.start), self.entry_end(key, child))
                elif any(k in new for k in present):
                    self.remove_first_on_dash(node, key, child)
                else:  # no key of its own stays: the new keys take the merge's place, after the dash
                    lines = [
                        line
                        for k in additions
                        for line in emit_entry(
                            k, new[k], indent, layout=self.layout(), quote=k in quoted_keys(new)
                        )
                    ]
                    self.replace(first, self.content_end(child), self.nl.join(lines)[indent:])
                    additions = []
        for k in additions:
            self.add_key(node, present, order, k, new.get(k), indent, top, new, first)
        return True

    def remove_first_on_dash(self, node: Mapping, key: Node, child: Node) -> None:
        """Remove the first entry of a mapping that starts on a ``- `` line, keeping the
        dash: the next entry moves up onto it when only blanks lie between them and no
        other edit touches them, else the dash stays on a line of its own (with the
        entry's comment, if it had one)."""
        start = self.entry_start(key)
        end = self.content_end(child)
        i = next(j for j, k in enumerate(node.keys) if k is key)
        if i + 1 < len(node.keys):
            after = self.entry_start(node.keys[i + 1])
            if not self.text[end:after].strip() and not any(
                s < after and start < e for s, e, _, _ in self.edits if s < e
            ):
                self.replace(start, after, "")
                return
        blanks = re.compile(r"[ \t]*").match(self.text, end)
        self.replace(start, blanks.end() if blanks is not None else end, "")

    def inherited(
        self,
        merges: list[tuple[Node, Node]],
        present: dict[Any, Any],
        new: dict[Any, Any],
        kept: frozenset[Any] = frozenset(),
    ) -> dict[Any, Any]:
        """The values a mapping takes from its ``<<`` merges once the walk is done.

        If the merged anchors were edited and the new data follows them, the merges
        stay live; otherwise they are written out as the values they stood for."""
        live: dict[Any, Any] = {}
        frozen: dict[Any, Any] = {}
        follows = True
        for _, child in merges:
            sources = child.nodes if type(child) is Sequence else [child]
            for source in sources:
                target = source.target if type(source) is Alias else source
                value = target.value
                if not isinstance(value, dict):  # pragma: no cover - the parser refuses these
                    continue
                fate = self.fates.get(id(target), value)
                if fate is _DROPPED or not isinstance(fate, dict):
                    follows = False
                    fate = value
                for k, v in value.items():
                    frozen.setdefault(k, v)
                for k, v in fate.items():
                    live.setdefault(k, v)
        inherited_keys = (live.keys() | frozen.keys()) - present.keys()
        wanted = {k: frozen.get(k, MISSING) if k in kept else new.get(k, MISSING) for k in inherited_keys}
        if follows and all(same(live.get(k, MISSING), w) for k, w in wanted.items()):
            for _, child in merges:  # the merges' own aliases stay: they follow their anchors
                sources = child.nodes if type(child) is Sequence else [child]
                self.visited.update(id(a) for a in sources if type(a) is Alias)
            return live
        return frozen

    def add_key(
        self,
        node: Mapping,
        present: dict[Any, tuple[Node, Node]],
        order: list[Any],
        k: Any,
        value: Any,
        indent: int,
        top: bool,
        new: dict[Any, Any],
        first: int,
    ) -> None:
        if k in order:
            i = order.index(k)
            before = next((present[p] for p in reversed(order[:i]) if p in present), None)
        else:  # a merged key written as null: after the mapping's last key
            before = next(reversed(present.values()), None)
        lines = emit_entry(k, value, indent, layout=self.layout(), quote=k in quoted_keys(new))
        if before is not None:
            after = self.entry_end(*before)
            at = self.moved.get(after, after)
            # at the top, blocks and standalone keys are set apart by a blank line (unless a
            # block scalar that keeps its trailing lines would take it for its own: one that
            # ends the entry, or that does once the lines after it are removed)
            block = (
                top
                and (
                    len(lines) > 1
                    or k in standalone_keys(new)
                    or self.line_start(before[0].start) != self.line_start(self.content_end(before[1]))
                )
                and not self.ends_with_keep(before[1])
                and not any(s < at <= e and e in self.keep_tails for s, e, _, _ in self.edits)
            )
            spare = self.spare_blank(at) if block and not self.ensure_break(at) else None
            if spare is not None:  # blank lines a removed block left: one sets this one apart
                self.moved[after] = spare
                self.insert(spare, self.lines(lines))
                return
            self.insert(at, self.ensure_break(at) + (self.nl if block else "") + self.lines(lines))
            return
        at = self.line_start(first)
        if self.on_dash(first):  # the mapping starts on a "- " line
            self.insert(first, self.lines(lines)[indent:] + " " * indent)
            return
        block = top and len(lines) > 1
        self.insert(at, self.lines(lines) + (self.nl if block else ""))

    def change(self, key: Node, child: Node, old: Any, new: Any, *, quote: bool = False) -> None:
        """Give a block mapping entry a new value (*quote*: the house style quotes its strings)."""
        if type(child) is Alias:
            if self.alias_holds(child, old, new):
                return
            if not isinstance(new, dict | list) or getattr(child.target, "flow", False):
                self.replace(child.start, child.end, self.flow_text(new))  # in the style of its anchor
                return
        elif type(child) is Mapping and isinstance(old, dict) and isinstance(new, dict) and new:
            if child.flow:
                self.flow_mapping(child, old, new, list(new))
                self.fate(child, old, new)
                return
            if child.keys:
                self.mapping(child, old, new)
                self.fate(child, old, new)
                return
        elif type(child) is Sequence and type(old) is list and type(new) is list:
            if child.flow:
                self.flow_sequence(child, old, new, key.value)
                self.fate(child, old, new)
                return
            if new and self.block_sequence(child, old, new, key.value):
                self.fate(child, old, new)
                return
        elif type(child) is Scalar and not isinstance(new, dict | list):
            self.scalar(child, old, new, quote=False, key=key)
            self.fate(child, old, new)
            return
        self.change_whole(key, child, new, quote)

    def change_whole(self, key: Node, child: Node, new: Any, quote: bool) -> None:
        """Replace a block mapping entry's value text whole, keeping its key (and the
        value's anchor, which then stands for the new value)."""
        kept = self.props_end(child)  # an anchor (and a tag that still fits) stay
        self.drop(child)
        if kept > child.start and type(child) is not Alias:
            self.fates[id(child)] = new
        if type(child) in (Mapping, Sequence) and child.flow and isinstance(new, dict | list):  # type: ignore[union-attr]
            self.replace(
                kept, child.end, (" " if kept > child.start else "") + self.flow_text(new)
            )  # flow stays flow
            return
        # a new value of another kind: the old value's text gives way, the key stays
        indent = self.column(self.entry_start(key))
        colon = self.colon(key, child)
        if colon < 0:  # "? key" alone: its value comes on a line of its own
            at = self.line_end(key.end)
            lines = emit_entry("k", new, indent, layout=self.layout(), quote=quote)
            self.insert(at, self.ensure_break(at) + " " * indent + ":" + self.lines(lines)[indent + 2 :])
            return
        start = max(colon + 1, kept) if kept > child.start else colon + 1
        end = max(self.content_end(child), start)
        lines = emit_entry("k", new, indent, layout=self.layout(), quote=quote)
        first = lines[0][indent + 2 :]  # what follows "k:"
        rest = self.lines(lines[1:])
        text = first + self.nl + rest.rstrip("\r\n") if rest else first
        comment = _BEFORE_COMMENT.match(self.text, end)
        if comment is not None:  # the comment after the old value stays, after the new one
            end = comment.end()
            text += "  " if text else " "
        self.replace(start, end, text)

    # -- scalars --------------------------------------------------------------------

    def scalar(
        self, node: Scalar, old: Any, new: Any, *, quote: bool, flow: bool = False, key: Node | None = None
    ) -> None:
        """Write *new* in place of a scalar, in its style where that style can hold it."""
        start = self.content_start(node)
        tagged = False
        if start > node.start and "!" in self.text[node.start : start]:
            kinds = _TAG_TYPES.get(node.tag or "", ())
            tagged = isinstance(new, kinds) and not (type(new) is bool and bool not in kinds)
            if not tagged:
                self.replace(node.start, start, self.props_without_tag(node.start, start))
        style = node.style
        if start == node.end and not style:  # an empty value: "key:" -> "key: new"
            if key is not None and not flow and self.colon(key, node) < 0:
                self.change_whole(key, node, new, quote)
                return
            self.empty(start, new, flow)
            return
        end = self.content_end(node)
        if tagged:  # the tag stays and says what the value is: only its text changes
            text = self.tagged_text(node, new, flow)
        else:
            text = self.spell(node, start, end, old, new, quote=quote, flow=flow)
        if style in ("|", ">"):
            self.new_keep[id(node)] = text[:1] == style and text[1:2] == "+"
        if style in ("|", ">") and text[:1] == style:
            chomp = text[1:2] if text[1:2] in ("-", "+") else ""
            if chomp == "+":  # its trailing empty lines are its own: they replace the old ones
                end = node.end
            elif chomp not in ("-", "+") and not self.text[end : node.end].startswith(("\n", "\r")):
                text += self.nl  # clipped: it keeps one final line break, which must be there
            self.replace(start, end, text)
            return
        self.replace_scalar(node, start, end, text, new, flow)

    def props_end(self, node: Node) -> int:
        """Where a node's anchor (``&a``) ends: the start of the text a new value of any
        kind may replace. A tag goes with the old value."""
        if isinstance(node, Alias) or node.anchor is None:
            return node.start
        i, text = node.start, self.text
        end = i
        while i < len(text) and text[i] in "&!":
            j = i
            while j < len(text) and text[j] not in " \t\r\n":
                j += 1
            if text[i] == "&":
                end = j
            i = j
            while i < len(text) and text[i] in " \t":
                i += 1
        return end

    def props_without_tag(self, start: int, end: int) -> str:
        tokens = self.text[start:end].split()
        kept = [t for t in tokens if t.startswith("&")]
        return " ".join(kept) + " " if kept else ""

    def empty(self, at: int, new: Any, flow: bool) -> None:
        text = self.flow_text(new) if flow else render_scalar(new)
        if flow:
            before = self.text[:at].rstrip()
            if before.endswith(":"):
                self.insert(at, ("" if self.text[at - 1] in " \t" else " ") + text)
            else:  # "{a}": a key with no ":"
                self.insert(at, ": " + text)
            return
        m = re.compile(r"[ \t]*(?=\r|\n|\Z)").match(self.text, at)
        if m is not None:  # nothing but spaces after it: they go
            self.replace(at, m.end(), " " + text)
        else:
            self.insert(at, " " + text)

    def spell(
        self, node: Scalar, start: int, end: int, old: Any, new: Any, *, quote: bool, flow: bool
    ) -> str:
        style = node.style
        raw = self.text[start:end]
        if self.json and not (
            isinstance(new, dt.date) and type(node.value) is str and isinstance(old, dt.date)
        ):
            return _json_text(new, self.json_spelling)
        if isinstance(new, dt.date):
            if isinstance(old, dt.date) and type(node.value) is str and style in ("'", '"', ""):
                # a date-time the schema reads from a string: the same kind of string
                inner = raw[1:-1] if style else raw
                spelled = respell_datetime(inner, new, date_only=type(old) is dt.datetime)
                if style:
                    return style + spelled + style
                if plain_ok(spelled, flow=flow) or (not flow and same_spelling(inner, spelled)):
                    return spelled  # the kind of plain text the file already had there
                return double_quoted(spelled)
            if isinstance(node.value, dt.date) and not style:
                spelled = respell_datetime(raw, new, date_only=type(old) is dt.datetime)
                return f'!!timestamp "{spelled}"' if flow and ":" in spelled else spelled
            return render_scalar(new, flow=flow)
        if type(new) is not str:
            return render_scalar(new, flow=flow)
        if style in ("|", ">"):
            block = self.block_text(node, start, end, new, style)
            if block is not None:
                return block
            return double_quoted(new)
        if style == "'":
            return single_quoted(new) or double_quoted(new)
        if style == "" and not quote and plain_ok(new, flow=flow):
            return new
        return double_quoted(new)

    def tagged_text(self, node: Scalar, new: Any, flow: bool) -> str:
        """The text of *new* under the scalar's own tag (``!!str 12``, ``!!timestamp "..."``)."""
        quote = node.style if node.style in ("'", '"') else ""
        if type(new) is bytes:
            return double_quoted(base64.b64encode(new).decode("ascii"))
        if type(new) is str:
            if quote == "'":
                return single_quoted(new) or double_quoted(new)
            return new if not quote and plain_ok(new, flow=flow) else double_quoted(new)
        text = format_datetime(new) if isinstance(new, dt.date) else render_scalar(new)
        if not quote and flow and ":" in text:
            quote = '"'
        return f"{quote}{text}{quote}"

    def block_text(self, node: Scalar, start: int, end: int, new: str, style: str) -> str | None:
        """*new* as a literal (``|``) or folded (``>``) block like the one at *start*,
        or ``None`` if that style cannot hold it exactly (then it is double-quoted)."""
        body = new.rstrip("\n")
        trailing = len(new) - len(body)
        if not body or _NOT_IN_BLOCK.search(new) is not None:
            return None
        lines = body.split("\n")
        first_text = next(line for line in lines if line)
        if first_text.startswith(" ") or any(line.strip(" ") == "" and line for line in lines):
            return None  # would need an indentation indicator, or lines of spaces only
        if style == ">":
            if body.startswith("\n") or any(line.startswith(" ") or line.endswith(" ") for line in lines):
                return None
            folded: list[str] = []
            for line in lines:  # one line break in the value is one empty line between lines
                if folded and line:
                    folded.append("")
                folded.append(line)
            lines = folded
        indent = None
        for line in self.text[self.line_end(start) : end].splitlines():
            if line.strip():
                indent = len(line) - len(line.lstrip(" "))
                break
        if indent is None:  # an empty block: indent under the key
            line = self.text[self.line_start(start) : start]
            col = len(line) - len(line.lstrip(" "))
            while line[col:].startswith("- "):
                col += 2 + len(line[col + 2 :]) - len(line[col + 2 :].lstrip(" "))
            indent = col + self.layout().indent
        pad = " " * indent
        chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
        header = self.text[start : self.line_end(start)].rstrip(_BREAKS)
        comment = header[len(header.rstrip("#").split("#")[0].rstrip()) :] if "#" in header else ""
        text = style + chomp + comment + self.nl + self.nl.join(pad + line if line else "" for line in lines)
        if chomp == "+":
            return text + self.nl * trailing
        return text

    # -- block sequences ----------------------------------------------------------------

    def _dash(self, node: Node, floor: int = 0) -> int | None:
        """The index of the ``-`` that introduces a block sequence item: before it on
        its line, or on an earlier line with nothing but comments after it (``- # c``),
        searching back no further than *floor*."""
        text = self.text
        i = node.start - 1
        while i >= floor:
            ch = text[i]
            if ch in " \t":
                i -= 1
            elif ch in _BREAKS:  # the line before, without its comment
                start = self.line_start(i)
                line = text[start:i].rstrip("\r")
                m = _COMMENT.search(line)
                if m is not None:
                    line = line[: m.start()]
                if not line.strip():
                    i = start - 1
                    continue
                i = start + len(line.rstrip()) - 1
            elif ch == "-":
                return i if not text[self.line_start(i) : i].strip("- \t") else None
            else:
                return None
        return None

    def item_text(self, node: Node, dash: int) -> str | None:
        """An item's own whole lines, to move it as it is (``None`` if it cannot move:
        it shares its line, or holds anchors and aliases)."""
        start = self.line_start(dash)
        if self.text[start:dash].strip():
            return None
        text = self.text[start : self.line_end(self.content_end(node))]
        if "&" in text or "*" in text or not text.endswith(("\n", "\r")):
            return None
        return text

    def block_sequence(self, node: Sequence, old: list[Any], new: list[Any], key: Any) -> bool:
        items = node.nodes
        if len(items) != len(old):  # pragma: no cover - the data came from this text
            return False
        dashes: list[int] = []
        floor = node.start
        for item in items:
            d = self._dash(item, floor)
            if d is None:
                return False
            dashes.append(d)
            floor = self.content_end(item)
        dash_col = self.column(dashes[0])
        gap = next(
            (
                n.start - d
                for n, d in zip(items, dashes, strict=True)
                if n.start > d
                and self.line_start(n.start) == self.line_start(d)
                and not (type(n) is Scalar and n.start == n.end)
            ),
            2,
        )
        ops = list_ops(old, new)
        gone = {i for op, i, _ in ops if op == "del"}
        shared = [i for i, d in enumerate(dashes) if self.text[self.line_start(d) : d].strip()]
        if shared and any(i in gone for i in shared):
            # "- - a": an item that shares its line with its parent's dash
            chain = 0
            while chain in gone:
                chain += 1
            if chain == len(items) or any(i in gone for i in shared if i >= chain):
                return False  # the parent item is written whole
        styles = _styles(items, key)
        inserts: dict[int, list[Any]] = {}
        moved = {i: self.item_text(items[i], dashes[i]) for i in gone}
        moved_up: dict[int, int] = {}  # item -> where its dash now is, once it moved up a line
        for op, i, j in ops:
            if op == "pair":
                if not same(old[i], new[j]):
                    self.item(items[i], dashes[i], old[i], new[j], dash_col, key)
            elif op == "del":
                self.drop(items[i])
                if i in shared or (shared and i < len(items) - 1 and all(k in gone for k in range(i + 1))):
                    self.replace(dashes[i], dashes[i + 1], "")  # the next item moves up onto this line
                    moved_up[i + 1] = moved_up.get(i, dashes[i])
                else:
                    self.remove_lines(self.line_start(dashes[i]), self.line_end(self.content_end(items[i])))
            else:
                inserts.setdefault(i, []).append(new[j])
        for i, values in inserts.items():
            text = ""
            for v in values:
                source = next((k for k, t in moved.items() if t is not None and same(old[k], v)), None)
                if source is not None:  # an item that moved: its own text, comments and all
                    text += moved.pop(source) or ""
                else:
                    lines = emit_item(v, dash_col, layout=self.layout(), key=key, styles=styles, gap=gap)
                    text += self.lines(lines)
            if i < len(items):
                at = dashes[i] if self.text[self.line_start(dashes[i]) : dashes[i]].strip() else None
                at = moved_up.get(i, at)
                if at is not None:  # before an item that shares its line: after the dash(es)
                    self.insert(at, text[dash_col:] + " " * dash_col)
                else:
                    self.insert(self.line_start(dashes[i]), text)
            else:
                at = self.line_end(self.content_end(items[-1]))
                self.insert(at, self.ensure_break(at) + text)
        return True

    def item(self, node: Node, dash: int, old: Any, new: Any, dash_col: int, key: Any) -> None:
        if type(node) is Alias:
            if self.alias_holds(node, old, new):
                return
        elif (
            type(node) is Mapping
            and not node.flow
            and node.keys
            and isinstance(old, dict)
            and isinstance(new, dict)
            and new
        ):
            if self.mapping(node, old, new):
                self.fate(node, old, new)
                return
        elif type(node) is Mapping and node.flow and isinstance(old, dict) and isinstance(new, dict):
            self.flow_mapping(node, old, new, list(new))
            self.fate(node, old, new)
            return
        elif type(node) is Sequence and node.flow and type(old) is list and type(new) is list:
            self.flow_sequence(node, old, new, key)
            self.fate(node, old, new)
            return
        elif (
            type(node) is Sequence
            and type(old) is list
            and type(new) is list
            and new
            and node.nodes
            and self.block_sequence(node, old, new, key)
        ):
            self.fate(node, old, new)
            return
        elif type(node) is Scalar and not isinstance(new, dict | list):
            self.scalar(node, old, new, quote=False)
            self.fate(node, old, new)
            return
        self.drop(node)
        lines = emit_item(new, dash_col, layout=self.layout(), key=key)
        end = self.line_end(self.content_end(node))
        self.replace(dash, end, self.lines(lines)[dash_col:])

    # -- flow collections ---------------------------------------------------------------

    def flow_sequence(self, node: Sequence, old: list[Any], new: list[Any], key: Any) -> None:
        items = node.nodes
        if len(items) != len(old):  # pragma: no cover - the data came from this text
            self.drop(node)
            self.replace(node.start, node.end, self.flow_text(new))
            return
        kept: list[tuple[int, int]] = []  # (old index, new index) that stay, in order
        inserts: dict[int, list[str]] = {}  # texts to put before old item i
        ops = list_ops(old, new)
        gone = [i for op, i, _ in ops if op == "del"]
        for op, i, j in ops:
            if op == "pair":
                kept.append((i, j))
            elif op == "del":
                self.drop(items[i])
            else:
                moved = next((k for k in gone if same(old[k], new[j])), None)
                text = (
                    self.text[items[moved].start : self.content_end(items[moved])]
                    if moved is not None
                    else ""
                )
                if moved is not None and not any(c in text for c in "&*"):
                    gone.remove(moved)  # an item that moved: its own text
                else:
                    text = self.flow_text(new[j])
                inserts.setdefault(i, []).append(text)
        for i, j in kept:
            self.flow_item(items[i], old[i], new[j])
        self.regions(node, [i for i, _ in kept], inserts, "[")

    def flow_item(self, node: Node, old: Any, new: Any) -> None:
        if same(old, new):
            return
        if type(node) is Alias:
            if not self.alias_holds(node, old, new):
                self.replace(node.start, node.end, self.flow_text(new))
            return
        if type(node) is Scalar and not isinstance(new, dict | list):
            self.scalar(node, old, new, quote=False, flow=True)
        elif type(node) is Sequence and type(old) is list and type(new) is list:
            self.flow_sequence(node, old, new, None)
        elif type(node) is Mapping and isinstance(old, dict) and isinstance(new, dict):
            self.flow_mapping(node, old, new, list(new))
        else:
            self.drop(node)
            self.replace(node.start, self.content_end(node), self.flow_text(new))
            return
        self.fate(node, old, new)

    def separator(self, spans: list[tuple[int, int]]) -> str:
        return flow_separator(self.text, spans, self.nl)

    def regions(
        self, node: Mapping | Sequence, kept: list[int], inserts: dict[int, list[str]], bracket: str
    ) -> None:
        """Rewrite the stretches between the entries that stay: removed entries go, new
        ones come in, each with a separator; untouched stretches stay as they are."""
        spans = self.spans(node)
        n = len(spans)
        if n == 0:
            texts = inserts.get(0, [])
            if texts:
                open_at = self.text.index(bracket, node.start) + 1
                close_at = node.end - 1
                self.replace(open_at, close_at, ", ".join(texts))
            return
        edit = (self.line_start, self.insert, self.replace)
        if entries_as_lines(self.text, spans, kept, inserts, self.nl, *edit, json=self.json):
            return
        inside = (self.text.index(bracket, node.start) + 1, node.end - 1)
        rewrite_between(spans, kept, inserts, self.separator(spans), self.replace, inside)

    def spans(self, node: Mapping | Sequence) -> list[tuple[int, int]]:
        """The ``(start, end)`` of each entry of a flow collection."""
        if type(node) is Sequence:
            return [(n.start, self.content_end(n)) for n in node.nodes]
        assert type(node) is Mapping
        out = []
        for k, v in zip(node.keys, node.nodes, strict=True):
            start = k.start
            if start > 0 and self.text[start - 1] == "?":  # pragma: no cover - rare
                start -= 1
            out.append((start, max(k.end, self.content_end(v))))
        return out

    def flow_mapping(self, node: Mapping, old: dict[Any, Any], new: dict[Any, Any], order: list[Any]) -> None:
        if any(_is_merge(k) for k in node.keys):  # merges in flow: written out whole
            if not same(old, new):
                self.drop(node)
                self.replace(node.start, node.end, self.flow_text(new))
            return
        if self.text[self.props_end(node) :].lstrip(" \t&!")[:1] != "{" and set(old) ^ set(new):
            self.drop(node)  # "[a: 1]": a pair without braces takes one key only; it gets them
            self.replace(self.props_end(node), node.end, self.flow_text(new))
            return
        present = [k.value for k in node.keys]
        kept: list[int] = []
        for i, (key, child) in enumerate(zip(node.keys, node.nodes, strict=True)):
            o, n = old.get(key.value, MISSING), new.get(key.value, MISSING)
            if n is MISSING and not same(o, n):
                self.drop(child)
                continue
            kept.append(i)
            if same(o, n):
                continue
            self.flow_value(key, child, o, n, quote=key.value in quoted_keys(new))
        inserts: dict[int, list[str]] = {}
        quoted = quoted_keys(new)
        for idx, k in enumerate(order):
            if k in present or k not in new or same(old.get(k, MISSING), new[k]):
                continue
            before = next((p for p in reversed(order[:idx]) if p in present), None)
            at = present.index(before) + 1 if before is not None else 0
            kt = self.flow_key(k)
            inserts.setdefault(at, []).append(f"{kt}: {self.flow_text(new[k], quoted=quoted, key=k)}")
        self.regions(node, kept, inserts, "{")

    def flow_value(self, key: Node, child: Node, old: Any, new: Any, *, quote: bool) -> None:
        if type(child) is Scalar and child.start == child.end and not child.style and child.anchor is None:
            self.empty(child.start, new, flow=True)
            return
        if type(child) is Scalar and not isinstance(new, dict | list):
            self.scalar(child, old, new, quote=quote, flow=True)
            self.fate(child, old, new)
            return
        self.flow_item(child, old, new)


def _merge_sources_value(child: Node) -> dict[Any, Any]:
    """The keys and values a ``<<`` entry brings in (as the text stood)."""
    out: dict[Any, Any] = {}
    for source in child.nodes if type(child) is Sequence else [child]:
        value = source.value
        if isinstance(value, dict):
            for k, v in value.items():
                out.setdefault(k, v)
    return out


def _aliases_in(node: Node) -> list[Alias]:
    out = []
    todo = [node]
    while todo:
        n = todo.pop()
        if type(n) is Alias:
            out.append(n)
        elif type(n) is not Scalar:
            if type(n) is Mapping:
                todo.extend(n.keys)
            todo.extend(n.nodes)  # type: ignore[union-attr]
    return out


def _styles(nodes: list[Node], key: Any) -> Styles:
    """The scalar style each key's values have in these sibling nodes (first seen wins).

    New items are written like their neighbours: a list whose URLs are plain gets a
    new item with a plain URL.
    """
    styles: Styles = {}
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


def _fingerprint(value: Any) -> str:
    return f"{type(value).__name__}:{value!r}"


def _similarity(a: Any, b: Any) -> float:
    """How alike two list items are (0 to 1), to pair an edited item with its old self."""
    if isinstance(a, dict) and isinstance(b, dict):
        if not a or not b:
            return 0.0
        shared = sum(1 for k, v in a.items() if k in b and same(v, b[k]))
        keys = len(a.keys() | b.keys())
        return (shared + 0.5 * len(a.keys() & b.keys())) / (1.5 * keys)
    if type(a) is list and type(b) is list:
        if not a or not b:
            return 0.0
        return _matcher()(None, [_fingerprint(x) for x in a], [_fingerprint(x) for x in b]).ratio()
    if type(a) is type(b) and isinstance(a, str):
        return 0.5 * _matcher()(None, a, b).ratio() if len(a) + len(b) < 2000 else 0.1
    return 0.1 if type(a) is type(b) else 0.0


def _matcher() -> type[difflib.SequenceMatcher[Any]]:
    import difflib  # only for edits of lists and long strings

    return difflib.SequenceMatcher


def flow_separator(text: str, spans: list[tuple[int, int]], nl: str) -> str:
    """How a flow collection (YAML flow, JSON, a TOML array or inline table) separates
    its entries, whose spans in *text* are *spans*: ``", "``, the file's own comma with a
    line break before or after it, or a comma, *nl* and the next entry's indentation."""
    if len(spans) < 2:
        return ", "
    between = text[spans[0][1] : spans[1][0]]
    if between.strip() == ",":  # as the file has it, a line break before the comma or after
        return between
    if "\n" in between or "\r" in between:
        return "," + nl + between[max(between.rfind("\n"), between.rfind("\r")) + 1 :]
    return ", "


def entries_as_lines(
    text: str,
    spans: list[tuple[int, int]],
    kept: list[int],
    inserts: dict[int, list[str]],
    nl: str,
    line_start: Callable[[int], int],
    insert: Callable[[int, str], None],
    replace: Callable[[int, int, str], None],
    *,
    tail: re.Pattern[str] = _ENTRY_TAIL,
    json: bool = False,
) -> bool:
    """A flow collection (YAML flow, JSON, a TOML array) written one entry a line
    (``[\\n  a,  # c\\n  b\\n]``): entries go and come as whole lines, so each keeps its
    own comma and comment, through *insert* and *replace*. *tail* matches what may
    follow an entry on its line; *json*: no comma after the last entry. ``False``
    (nothing done) for a collection not written so."""
    tails = []
    for start, end in spans:
        if text[line_start(start) : start].strip():
            return False
        m = tail.match(text, end)
        if m is None:
            return False
        tails.append(m)
    keep = set(kept)
    indent = text[line_start(spans[0][0]) : spans[0][0]]  # tabs stay tabs
    last_comma = bool(tails[-1].group(1))
    # JSON allows no comma after the last entry: where the last one now stands
    last_insert = max((i for i, texts in inserts.items() if texts), default=-1)
    last_kept = max(keep, default=-1)
    for i, (start, _) in enumerate(spans):
        texts = inserts.get(i, [])
        if texts:
            lines = [f"{indent}{t}," for t in texts]
            if json and i == last_insert and last_kept < i:  # the entries after it all go
                lines[-1] = lines[-1][:-1]
            insert(line_start(start), "".join(line + nl for line in lines))
        if i not in keep:
            replace(line_start(start), tails[i].end(), "")
    texts = inserts.get(len(spans), [])
    if json and last_insert <= last_kept < len(spans) - 1 and tails[last_kept].group(1):
        comma = tails[last_kept]
        replace(comma.start(1), comma.end(1), "")
    if texts:
        last = spans[-1]
        if not last_comma and len(spans) - 1 in keep:
            insert(last[1], ",")
        lines = [f"{indent}{t}," for t in texts]
        if not last_comma:
            lines[-1] = lines[-1][:-1]
        insert(tails[-1].end(), "".join(line + nl for line in lines))
    return True


def rewrite_between(
    spans: list[tuple[int, int]],
    kept: list[int],
    inserts: dict[int, list[str]],
    sep: str,
    replace: Callable[[int, int, str], None],
    inside: tuple[int, int],
) -> None:
    """Rewrite the stretches between the entries of a flow collection that stay (*kept*,
    of the entries at *spans*): removed entries go, the new ones of *inserts* (new texts
    by the index they go before) come in, each with *sep*; untouched stretches stay as
    they are. *inside* is the span between the brackets, emptied when every entry goes."""
    n = len(spans)
    keep = set(kept)
    bounds = [-1, *sorted(keep), n]
    for a, b in itertools.pairwise(bounds):
        gone = [i for i in range(a + 1, b) if i not in keep]
        texts = [t for i in range(a + 1, b + 1) for t in inserts.get(i, [])]
        if not gone and not texts:
            continue
        if a >= 0 and b < n:
            replace(spans[a][1], spans[b][0], sep + "".join(t + sep for t in texts))
        elif a >= 0:  # to the end
            end = spans[-1][1] if gone else spans[a][1]
            replace(spans[a][1], end, "".join(sep + t for t in texts))
        elif b < n:  # from the start
            replace(spans[0][0], spans[b][0], "".join(t + sep for t in texts))
        elif texts:  # every entry goes, new ones come
            replace(spans[0][0], spans[-1][1], sep.join(texts))
        else:  # every entry goes: the brackets close up
            replace(*inside, "")


def list_ops(old: list[Any], new: list[Any]) -> list[tuple[str, int, int]]:
    """How a list became another: ``("pair", i, j)`` (item i is now new[j], edited in
    place if it differs), ``("del", i, -1)`` and ``("ins", i, j)`` (new[j] goes before
    old item i), in order."""
    a, b = [_fingerprint(x) for x in old], [_fingerprint(x) for x in new]
    if a != b and sorted(a) == sorted(b):  # the same items in another order: they move
        return _moves(a, b)
    matcher = _matcher()(None, a, b, autojunk=False)
    opcodes = matcher.get_opcodes()
    if len(old) == len(new):  # item by item, unless moving items changes fewer lines
        in_place = sum(1 for a, b in zip(old, new, strict=True) if not same(a, b))
        moved = sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in opcodes if op != "equal")
        if in_place < moved:
            return [("pair", i, i) for i in range(len(old))]
    ops: list[tuple[str, int, int]] = []
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            ops.extend(("pair", i, j) for i, j in zip(range(i1, i2), range(j1, j2), strict=True))
        elif op == "delete":
            ops.extend(("del", i, -1) for i in range(i1, i2))
        elif op == "insert":
            ops.extend(("ins", i1, j) for j in range(j1, j2))
        else:
            ops.extend(_align(old, new, i1, i2, j1, j2))
    return ops


def _moves(old: list[str], new: list[str]) -> list[tuple[str, int, int]]:
    """Ops for a reordering: the longest run of items already in order stays, every
    other item is removed where it was and inserted where it goes."""
    sources: dict[str, list[int]] = {}
    for i, f in enumerate(old):
        sources.setdefault(f, []).append(i)
    source = [sources[f].pop(0) for f in new]  # new position -> old position
    # longest increasing subsequence of source (patience sorting, with back links)
    tails: list[int] = []
    links: list[int] = [-1] * len(source)
    for j, i in enumerate(source):
        k = bisect.bisect_left([source[t] for t in tails], i)
        links[j] = tails[k - 1] if k else -1
        if k == len(tails):
            tails.append(j)
        else:
            tails[k] = j
    stay: set[int] = set()
    j = tails[-1] if tails else -1
    while j >= 0:
        stay.add(j)
        j = links[j]
    ops: list[tuple[str, int, int]] = [("pair", source[j], j) for j in sorted(stay)]
    ops += [("del", source[j], -1) for j in range(len(new)) if j not in stay]
    for j in range(len(new)):
        if j not in stay:
            following = [source[k] for k in sorted(stay) if k > j]
            ops.append(("ins", following[0] if following else len(old), j))
    return ops


def _align(old: list[Any], new: list[Any], i1: int, i2: int, j1: int, j2: int) -> list[tuple[str, int, int]]:
    """Pair the items of a replaced stretch by similarity (an order-keeping best match);
    the rest are removed or inserted."""
    m, n = i2 - i1, j2 - j1
    if m == n:  # as many items as before: each one edited in place
        return [("pair", i1 + k, j1 + k) for k in range(m)]
    if m * n > 2500:  # too large to align: pair in order, then remove or insert the rest
        k = min(m, n)
        tail = [("pair", i1 + x, j1 + x) for x in range(k)]
        tail += [("del", i, -1) for i in range(i1 + k, i2)]
        tail += [("ins", i2, j) for j in range(j1 + k, j2)]
        return tail
    score = [[0.0] * (n + 1) for _ in range(m + 1)]
    sims = [[_similarity(old[i1 + a], new[j1 + b]) for b in range(n)] for a in range(m)]
    for a in range(m - 1, -1, -1):
        for b in range(n - 1, -1, -1):
            pair = sims[a][b] + score[a + 1][b + 1] if sims[a][b] > 0 else -1.0
            score[a][b] = max(pair, score[a + 1][b], score[a][b + 1])
    ops: list[tuple[str, int, int]] = []
    a = b = 0
    while a < m or b < n:
        if a < m and b < n and sims[a][b] > 0 and score[a][b] == sims[a][b] + score[a + 1][b + 1]:
            ops.append(("pair", i1 + a, j1 + b))
            a += 1
            b += 1
        elif a < m and (b == n or score[a][b] == score[a + 1][b]):
            ops.append(("del", i1 + a, -1))
            a += 1
        else:
            ops.append(("ins", i1 + a, j1 + b))
            b += 1
    return ops
