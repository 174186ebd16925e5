"""JSON front matter (a ``{ ... }`` object at the top of the file): split, read, edit, write.

JSON is the format with the least help from its library: :mod:`json` reads values but
keeps no spans, so newsitem finds where the object ends, tokenizes it into a span
tree and writes every edit as strict JSON. These tests attack each of those steps:
odd openings and line endings, every spelling JSON allows (and some it does not),
edits of every kind at every depth, typed items, conversion, fresh documents and
files. The Hypothesis property writes random objects in random layouts, edits them
at random and checks that (a) :func:`json.loads` reads exactly the edited data, (b)
no line outside the edited entries changes but for a trailing comma, and (c) an
unedited document comes back byte for byte.

The "ci" profile runs 200 trials per property; ``HYPOTHESIS_PROFILE=long`` runs 20,000.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

import newsitem
from newsitem.__main__ import main
from newsitem._convert import same
from newsitem._json import spelling, tree
from newsitem._split import split
from newsitem._tree import Mapping, Node, Sequence

from . import strategies
from .conftest import as_params, corpus_files, read_exact

UTC = dt.UTC
Path_ = tuple[Any, ...]
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


# -- helpers ------------------------------------------------------------------------------


def lines(text: str) -> list[str]:
    """The lines of *text* with their breaks, split only at JSON's line breaks (a JSON
    string may hold U+2028 or NEL as they are, which :meth:`str.splitlines` splits at)."""
    return _LINE.findall(text)


def line_at(text: str, index: int) -> int:
    """The 0-based line of character *index* in *text*."""
    return len(lines(text[:index])) - (0 if text[:index].endswith(("\n", "\r")) or not index else 1)


def front_of(text: str) -> str:
    parts = split(text)
    assert parts.format == "json", parts
    return parts.front


def strict(value: Any) -> Any:
    """*value* with every scalar tagged by its type (``1``, ``1.0`` and ``True`` differ;
    so do ``0.0`` and ``-0.0``)."""
    if isinstance(value, dict):
        return {k: strict(v) for k, v in value.items()}
    if isinstance(value, list):
        return [strict(v) for v in value]
    if isinstance(value, float):
        return ("float", repr(value))
    return (type(value).__name__, value)


def _bare(line: str) -> str:
    """A line without its break and without a trailing comma (JSON's bookkeeping, which
    an entry added after it or removed after it changes)."""
    return line.rstrip("\r\n").rstrip(" \t").removesuffix(",")


def lost_lines(before: str, after: str, allowed: set[int]) -> list[str]:
    """The lines of *before* outside *allowed* (0-based) that are not in *after*, as they
    were and in order (a trailing comma that came or went aside)."""
    new = [_bare(line) for line in lines(after)]
    at = 0
    lost = []
    for i, line in enumerate(lines(before)):
        if i in allowed:
            continue
        j = at
        while j < len(new) and new[j] != _bare(line):
            j += 1
        if j == len(new):
            lost.append(line)
        else:
            at = j + 1
    return lost


def diff(before: str, after: str) -> list[str]:
    """The lines an edit removes (``-``) and adds (``+``), as the docs show them."""
    out = []
    for line in difflib.unified_diff(lines(before), lines(after), n=0):
        if line[:1] in "+-" and not line.startswith(("+++", "---")):
            out.append(line.rstrip("\r\n"))
    return out


def edit(text: str, change: Any, **load: Any) -> str:
    """The text after *change* (called with the item), checked to read back as strict JSON."""
    load.setdefault("schema", None)
    doc = newsitem.loads(text, **load)
    change(doc.item)
    out = newsitem.dumps(doc)
    again = newsitem.loads(out, **load)
    assert again.format == "json"
    assert again.body == doc.body
    if load["schema"] is None:
        assert strict(json.loads(front_of(out))) == strict(doc.item)
        assert strict(again.item) == strict(doc.item)
    else:
        json.loads(front_of(out))
        assert again.item == doc.item
    assert newsitem.dumps(again) == out
    return out


# -- random objects in random layouts -------------------------------------------------------

json_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    json_text,
    st.sampled_from(["", "}", "{", '"', "\\", "\\/", "a,b", "</script>", "\u2028", "\x85", "\x00\x1f\x7f"]),
)
json_keys = json_text | st.sampled_from(["title", "", " ", "}", '"', "ключ", "😀", "a\nb"])
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(json_keys, inner, max_size=4),
    max_leaves=8,
)
json_objects = st.dictionaries(json_keys, json_values, max_size=6)


class Layout:
    """How a random JSON text is written: drawn once per text, and per container."""

    def __init__(self, data: st.DataObject) -> None:
        self.data = data
        self.unit = data.draw(st.sampled_from(["  ", "    ", "\t", " ", "   "]), label="indent")
        self.newline = data.draw(st.sampled_from(["\n", "\r\n", "\r"]), label="newline")
        self.colon = data.draw(st.sampled_from([": ", ":", " : ", ":\t"]), label="colon")
        self.comma = data.draw(st.sampled_from([", ", ",", " , "]), label="comma")
        self.ascii = data.draw(st.booleans(), label="ensure_ascii")
        self.slash = data.draw(st.booleans(), label="escape slashes")

    def scalar(self, value: Any) -> str:
        text = json.dumps(value, ensure_ascii=self.ascii)
        if self.slash and isinstance(value, str):
            text = text.replace("/", "\\/")
        if isinstance(value, float) and value == int(value) and abs(value) < 1e15:
            other = f"{value:.1e}".replace("e+", "E+")  # 100.0 as 1.0E+02 (when that is exact)
            if float(other) == value:
                text = self.data.draw(st.sampled_from([text, other]), label="spelling")
        return text

    def write(self, value: Any, level: int = 0, multi: bool = True) -> str:
        if not isinstance(value, dict | list) or not value:
            if isinstance(value, dict | list):
                empty = ["{}", "{ }"] if isinstance(value, dict) else ["[]", "[ ]"]
                return self.data.draw(st.sampled_from(empty))
            return self.scalar(value)
        multi = multi and self.data.draw(st.booleans(), label="multi-line")
        opening, closing = ("{", "}") if isinstance(value, dict) else ("[", "]")
        if isinstance(value, dict):
            entries = [
                self.scalar(str(k)) + self.colon + self.write(v, level + 1, multi) for k, v in value.items()
            ]
        else:
            entries = [self.write(v, level + 1, multi) for v in value]
        if not multi:
            return opening + self.comma.join(entries) + closing
        inner = self.unit * (level + 1)
        nl = self.newline
        return opening + nl + ("," + nl).join(inner + e for e in entries) + nl + self.unit * level + closing

    def document(self, value: dict[str, Any]) -> str:
        data = self.data
        before = data.draw(st.sampled_from(["", self.newline, self.newline * 2 + "  ", " "]), label="before")
        bom = data.draw(st.sampled_from(["", "\ufeff"]), label="bom")
        after = data.draw(st.sampled_from(["", self.newline, "  " + self.newline]), label="after")
        body = data.draw(st.sampled_from(["", "Body" + self.newline, self.newline + "# Head" + self.newline]))
        if not after and body:
            body = self.newline + body  # the body starts on the next line
        return bom + before + self.write(value) + after + body


@st.composite
def json_edits(draw: st.DrawFn, data: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, Path_]]]:
    """*data* after one to four random edits, and what each touched: ``("value", path)``
    for a value replaced, ``("list", path)`` for a list that grew, shrank or moved,
    ``("key", path)`` for a key added to or removed from the object at path."""
    data = copy.deepcopy(data)
    touched: list[tuple[str, Path_]] = []
    for _ in range(draw(st.integers(1, 4))):
        spots = containers(data)
        path, target = draw(st.sampled_from(spots))
        if isinstance(target, dict):
            choice = draw(st.sampled_from(["set", "add", "delete", "clear"] if target else ["add"]))
            if choice == "add":
                k = draw(json_keys.filter(lambda k: k not in target))  # noqa: B023 - drawn at once
                target[k] = draw(json_values)
                touched.append(("key", path))
            elif choice == "delete":
                del target[draw(st.sampled_from(list(target)))]
                touched.append(("key", path))
            elif choice == "clear":
                target.clear()
                touched.append(("key", path))
            else:
                k = draw(st.sampled_from(list(target)))
                target[k] = draw(json_values)
                touched.append(("value", (*path, k)))
        else:
            choices = ["set", "insert", "remove", "reverse", "clear"] if target else ["insert"]
            choice = draw(st.sampled_from(choices))
            if choice == "set":
                i = draw(st.integers(0, len(target) - 1))
                target[i] = draw(json_values)
                touched.append(("value", (*path, i)))
            else:
                if choice == "insert":
                    target.insert(draw(st.integers(0, len(target))), draw(json_values))
                elif choice == "remove":
                    target.pop(draw(st.integers(0, len(target) - 1)))
                elif choice == "reverse":
                    target.reverse()
                else:
                    target.clear()
                touched.append(("list", path))
    return data, touched


def containers(data: Any, path: Path_ = ()) -> list[tuple[Path_, Any]]:
    out = [(path, data)] if isinstance(data, dict | list) else []
    if isinstance(data, dict):
        for k, v in data.items():
            out += containers(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += containers(v, (*path, i))
    return out


def nodes_by_path(root: Node, path: Path_ = ()) -> dict[Path_, tuple[Node | None, Node]]:
    """Every node of a JSON span tree by path, with its key node (``None`` for list items)."""
    out: dict[Path_, tuple[Node | None, Node]] = {path: (None, root)}
    todo = [(path, root)]
    while todo:
        p, node = todo.pop()
        if type(node) is Mapping:
            for k, v in zip(node.keys, node.nodes, strict=True):
                out[(*p, k.value)] = (k, v)
                todo.append(((*p, k.value), v))
        elif type(node) is Sequence:
            for i, v in enumerate(node.nodes):
                out[(*p, i)] = (None, v)
                todo.append(((*p, i), v))
    return out


def allowed_lines(front: str, edited: dict[str, Any], touched: list[tuple[str, Path_]]) -> set[int]:
    """The lines of *front* the edits may change: a replaced value's entry, a list that
    changed (from its key to its end), the entries a key edit removed, and the brackets
    of an object a key edit emptied or filled."""
    nodes = nodes_by_path(tree(front))
    allowed: set[int] = set()

    def span(key: Node | None, node: Node) -> range:
        start = key.start if key is not None else node.start
        return range(line_at(front, start), line_at(front, max(node.end - 1, start)) + 1)

    for kind, path in touched:
        while path and path not in nodes:  # made by an earlier edit: its deepest old ancestor
            path = path[:-1]
            kind = "value"
        key, node = nodes[path]
        if kind in ("value", "list") or type(node) is not Mapping:
            allowed.update(span(key, node))
            continue
        now = _at(edited, path)
        if not isinstance(now, dict):  # replaced by a later edit of an ancestor
            allowed.update(span(key, node))
            continue
        for k, v in zip(node.keys, node.nodes, strict=True):
            if k.value not in now or not same(v.value, now[k.value]):  # gone, or gone and back
                allowed.update(span(k, v))
        if not node.keys or not now or len(node.keys) == sum(1 for k in node.keys if k.value not in now):
            allowed.update({line_at(front, node.start), line_at(front, node.end - 1)})
        if line_at(front, node.start) == line_at(front, node.end - 1):  # a one-line object
            allowed.add(line_at(front, node.start))
    return allowed


def _at(data: Any, path: Path_) -> Any:
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


@given(st.data())
def test_random_edits_of_random_layouts(data: st.DataObject) -> None:
    """The property: random objects, random layouts, random edits."""
    value = data.draw(json_objects, label="object")
    layout = Layout(data)
    text = layout.document(value)
    note(f"text: {text!r}")
    doc = newsitem.loads(text, schema=None)
    assert doc.format == "json"
    assert strict(doc.item) == strict(value)
    assert newsitem.dumps(doc) == text  # (c)
    edited, touched = data.draw(json_edits(value), label="edits")
    doc.item = copy.deepcopy(edited)
    out = newsitem.dumps(doc)
    note(f"out: {out!r}")
    before, after = split(text), split(out)
    assert (after.bom, after.open_fence, after.body) == (before.bom, before.open_fence, before.body)
    assert strict(json.loads(after.front)) == strict(edited)  # (a)
    if spelling(before.front)[0]:  # a file that escapes its Unicode gets no raw Unicode
        assert after.front.isascii()
    again = newsitem.loads(out, schema=None)
    assert strict(again.item) == strict(edited)
    assert newsitem.dumps(again) == out
    allowed = allowed_lines(before.front, edited, touched)
    assert not lost_lines(before.front, after.front, allowed), touched  # (b)
    if re.search(r"\r\n|\r|\n", before.front):  # (d) the file's line break, and its indentation
        assert set(re.findall(r"\r\n|\r|\n", after.front)) <= {layout.newline}
        for line in lines(after.front)[1:]:  # (the first is the "{" line, as the file had it)
            assert set(line[: len(line) - len(line.lstrip(" \t"))]) <= set(layout.unit), line


# -- regressions the property found ------------------------------------------------------------


def test_entries_replaced_whole_leave_no_trailing_comma() -> None:
    # every old entry goes and a new one comes before where they stood
    assert edit('{\n  "": []\n}\n', lambda d: (d.clear(), d.update({"0": None}))) == '{\n  "0": null\n}\n'
    # the last entries go and a new one takes their place: the kept one keeps its comma
    text = '{\n  "a": 1,\n  "b": 2,\n  "c": 3\n}\n'
    out = edit(text, lambda d: (d.pop("b"), d.pop("c"), d.update(x=4)))
    assert out == '{\n  "a": 1,\n  "x": 4\n}\n'


def test_reversed_list_written_one_item_a_line() -> None:
    text = '{\n  "l": [\n    null,\n    false\n  ]\n}\n'
    assert edit(text, lambda d: d["l"].reverse()) == '{\n  "l": [\n    false,\n    null\n  ]\n}\n'
    text = '{\n  "l": [\n    1,\n    2,\n    3\n  ]\n}\n'
    assert edit(text, lambda d: d["l"].reverse()) == '{\n  "l": [\n    3,\n    2,\n    1\n  ]\n}\n'


def test_new_entries_are_indented_with_tabs_in_a_tab_indented_file() -> None:
    text = '{\n\t"a": 1,\n\t"b": {\n\t\t"c": 1\n\t}\n}\n'
    out = edit(text, lambda d: (d.update(z=3), d["b"].update(d=4)))
    assert out == '{\n\t"a": 1,\n\t"b": {\n\t\t"c": 1,\n\t\t"d": 4\n\t},\n\t"z": 3\n}\n'


# -- the split: where JSON front matter starts and ends ------------------------------------------

SPLITS = {
    # name: (text, open_fence, front, close_fence, body)
    "plain": ('{"a": 1}\nBody\n', "", '{"a": 1}', "\n", "Body\n"),
    "blank lines first": ('\n\n{"a": 1}\nBody\n', "\n\n", '{"a": 1}', "\n", "Body\n"),
    "indented": ('\n  \t{"a": 1}\n', "\n", '  \t{"a": 1}', "\n", ""),
    "crlf": ('\r\n{\r\n  "a": 1\r\n}\r\nBody\r\n', "\r\n", '{\r\n  "a": 1\r\n}', "\r\n", "Body\r\n"),
    "cr": ('{\r  "a": 1\r}\rBody\r', "", '{\r  "a": 1\r}', "\r", "Body\r"),
    "no final newline": ('{"a": 1}', "", '{"a": 1}', "", ""),
    "spaces after": ('{"a": 1}  \t\nBody\n', "", '{"a": 1}', "  \t\n", "Body\n"),
    "body on the closing line": ('{"a": 1} Body\n', "", '{"a": 1}', "", " Body\n"),
    "body right after": ('{"a": 1}Body\n', "", '{"a": 1}', "", "Body\n"),
    "braces in strings": ('{"a": "}{", "b": "\\"}"}\n}\n', "", '{"a": "}{", "b": "\\"}"}', "\n", "}\n"),
    "escaped backslash": ('{"a": "\\\\"}\n"}"\n', "", '{"a": "\\\\"}', "\n", '"}"\n'),
    "nested": ('{"a": {"b": [{"c": {}}]}}\n{}\n', "", '{"a": {"b": [{"c": {}}]}}', "\n", "{}\n"),
    "empty object": ("{}\nBody\n", "", "{}", "\n", "Body\n"),
    "empty object, spaced": ("{ \n }", "", "{ \n }", "", ""),
    "a second object is body": ('{"a": 1}{"b": 2}\n', "", '{"a": 1}', "", '{"b": 2}\n'),
    "a brace in the body": ('{\n"a": 1\n}\n}\n{\n', "", '{\n"a": 1\n}', "\n", "}\n{\n"),
}


@pytest.mark.parametrize("name", sorted(SPLITS))
def test_split(name: str) -> None:
    text, open_fence, front, close_fence, body = SPLITS[name]
    for bom in ("", "\ufeff"):
        parts = split(bom + text)
        assert parts.format == "json"
        assert parts.bom == bool(bom)
        assert (parts.open_fence, parts.front, parts.close_fence, parts.body) == (
            open_fence,
            front,
            close_fence,
            body,
        )
        assert parts.join() == bom + text
        doc = newsitem.loads(bom + text, schema=None)
        assert doc.item == json.loads(front)
        assert doc.body == body
        assert newsitem.dumps(doc) == bom + text


@pytest.mark.parametrize(
    "text",
    [
        "[1, 2]\n",
        "  [{}]\n",
        '"{"\n',
        "x {}\n",
        "\u2028\n",
        "---\n{}\n---\n",
        "+++\n+++\n{}\n",
        '\u00a0{"a": 1}\n',  # only spaces, tabs and line breaks may come first (Hugo's rule)
        '\x0c{"a": 1}\n',
        '\u3000\n{"a": 1}\n',
    ],
)
def test_only_an_object_opens_json_front_matter(text: str) -> None:
    doc = newsitem.loads(text, schema=None)
    assert not doc.item
    assert doc.format != "json" or not text.lstrip().startswith("{")
    assert newsitem.dumps(doc) == text


@pytest.mark.parametrize(
    "text",
    [
        "{% include header.html %}\n# Title\n",
        "{{ site.title }}\n",
        "\n  {{< figure src=x >}}\nText\n",
        "{%- comment -%}{ not json }{%- endcomment -%}\n",
    ],
)
def test_a_page_that_starts_with_a_template_tag_has_no_front_matter(text: str, tmp_path: Path) -> None:
    """Jekyll includes and layouts and Hugo pages may open with a Liquid or Go template
    tag: that is body text, not JSON (which "{{" and "{%" can never start)."""
    parts = split(text)
    assert not parts.has_front_matter and parts.body == text
    doc = newsitem.loads(text, schema=None)
    assert doc.item == {} and doc.body == text and newsitem.dumps(doc) == text
    page = tmp_path / "page.html"
    page.write_text(text, encoding="utf-8", newline="")
    ((where, named),) = newsitem.load_many([str(page)], jobs=1)  # named directly: an error
    assert where == str(page)
    assert isinstance(named, newsitem.NoFrontMatterError)
    assert list(newsitem.load_many([str(tmp_path)], jobs=1)) == []  # walked: skipped


# -- errors point at the file's line and column ---------------------------------------------------

ERRORS = [
    # text, line, column, message
    ('{\n  "a": 1,\n}\n', 3, 1, "invalid JSON: Expecting property name enclosed in double quotes"),
    ('\n\n{\n  "a": tru\n}\n', 4, 8, "invalid JSON: Expecting value"),
    ('{\r\n  "a": 1,\r\n  "b": tru\r\n}\r\n', 3, 8, "invalid JSON: Expecting value"),
    ('{\r  "a": 1,\r  "b": tru\r}\r', 3, 8, "invalid JSON: Expecting value"),  # CR alone ends lines
    ('   {"a": tru}\n', 1, 10, "invalid JSON: Expecting value"),  # columns count the indentation
    ('\n\n\t{"a": 1, "b": tru}\n', 3, 16, "invalid JSON: Expecting value"),
    ('\ufeff{"a": tru}\n', 1, 7, "invalid JSON: Expecting value"),  # the BOM is not counted
    ('{\n  "a": [1, 2,]\n}\n', 2, 14, "invalid JSON: Expecting value"),
    ("{\n  'a': 1\n}\n", 2, 3, "invalid JSON: Expecting property name enclosed in double quotes"),
    ('{\n  // c\n  "a": 1\n}\n', 2, 3, "invalid JSON: Expecting property name enclosed in double quotes"),
    ('{\n  "a": "x\ty"\n}\n', 2, 10, "invalid JSON: Invalid control character"),
    ('{\n  "a": "\\x41"\n}\n', 2, 9, "invalid JSON: Invalid \\escape"),
    ('{"a": [1}\n', 1, 9, "invalid JSON: Expecting ',' delimiter"),  # closed by the wrong bracket
    ('{"a": {"b": 1]}\n', 1, 14, "invalid JSON: Expecting ',' delimiter"),
    ('{\n  "a": 1\nBody\n', 1, 1, "JSON front matter opened with '{' is never closed (no matching '}')"),
    (
        '\n\n  {\n  "a": "x\nBody\n',
        3,
        3,
        "JSON front matter opened with '{' is never closed (no matching '}')",
    ),
    ('{\n  "a": 1,\n  "a": 2\n}\n', 3, 3, "duplicate key 'a'"),
    ('{"a": {"b": 1, "c": {}, "b": 2}}\n', 1, 25, "duplicate key 'b'"),
    ('{\n  "a": NaN\n}\n', 2, 8, "invalid JSON: NaN is not JSON (it has no NaN or infinities)"),
    ('{"a": [1, -Infinity]}\n', 1, 11, "invalid JSON: -Infinity is not JSON (it has no NaN or infinities)"),
    ('{"a": {"b": Infinity}}\n', 1, 13, "invalid JSON: Infinity is not JSON (it has no NaN or infinities)"),
]


@pytest.mark.parametrize(("text", "line", "column", "message"), ERRORS)
def test_parse_errors_point_into_the_whole_file(text: str, line: int, column: int, message: str) -> None:
    for schema in (None, newsitem.NewsItem):
        with pytest.raises(newsitem.ParseError) as caught:
            newsitem.loads(text, schema=schema)
        assert (caught.value.line, caught.value.column, caught.value.message) == (line, column, message)


def test_an_integer_too_long_for_python_is_a_parse_error() -> None:
    text = '{\n  "ok": 1,\n  "n": ' + "9" * 5000 + "\n}\n"
    with pytest.raises(newsitem.ParseError) as caught:  # not a bare ValueError from int()
        newsitem.loads(text, schema=None)
    assert (caught.value.line, caught.value.column) == (3, 8)
    assert caught.value.message.startswith("invalid value '9999")
    ok = '{"n": ' + "9" * 4000 + "}\n"
    assert newsitem.dumps(newsitem.loads(ok, schema=None)) == ok


def test_json_honours_the_limits() -> None:
    deep = '{"a": ' + "[" * 64 + "]" * 64 + "}\n"  # 65 levels with the object
    with pytest.raises(newsitem.LimitError) as caught:
        newsitem.loads(deep, schema=None)
    assert (caught.value.line, caught.value.column, caught.value.message) == (
        1,
        70,  # the 64th "[", the 65th level
        "nesting deeper than 64 levels",
    )
    fits = '{"a": ' + "[" * 63 + "]" * 63 + "}\n"
    assert newsitem.dumps(newsitem.loads(fits, schema=None)) == fits
    limits = newsitem.Limits(max_depth=3, max_nodes=8)
    with pytest.raises(newsitem.LimitError, match="nesting deeper than 3 levels"):
        newsitem.loads('{"a": [[[1]]]}\n', schema=None, limits=limits)
    with pytest.raises(newsitem.LimitError, match="more than 8 nodes") as caught:
        newsitem.loads('{\n  "a": [1, 2, 3],\n  "b": [4, 5]\n}\n', schema=None, limits=limits)
    assert (caught.value.line, caught.value.column) == (3, 9)  # the 9th: the object, keys, lists, items
    newsitem.loads('{"a": [1, 2, 3], "b": []}\n', schema=None, limits=limits)  # 8 nodes: fine
    with pytest.raises(newsitem.LimitError, match="larger than the limit"):
        newsitem.loads('{"a": "' + "x" * 100 + '"}\n', schema=None, limits=newsitem.Limits(max_size=50))


def test_nesting_beyond_pythons_recursion_is_a_limit_error() -> None:
    deep = '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
    with pytest.raises(newsitem.LimitError):
        newsitem.loads(deep, schema=None, limits=newsitem.Limits(max_depth=10**6, max_nodes=10**6))
    with pytest.raises(newsitem.LimitError, match="nesting deeper than 64 levels"):
        newsitem.loads(deep, schema=None)


def test_bare_json_data_files() -> None:
    text = '\n  {"a": [1, 2]}\n\n'
    doc = newsitem.loads(text, schema=None, bare=True, format="json")
    assert doc.item == {"a": [1, 2]}
    assert newsitem.dumps(doc) == text
    doc.item["a"].append(3)
    assert newsitem.dumps(doc) == '\n  {"a": [1, 2, 3]}\n\n'
    for bad, line, column in (("[1, 2]\n", 1, 1), ('\n\n  "x"', 3, 3)):
        with pytest.raises(newsitem.ParseError, match="must be an object") as caught:
            newsitem.loads(bad, schema=None, bare=True, format="json")
        assert (caught.value.line, caught.value.column) == (line, column)
    with pytest.raises(newsitem.ParseError, match="Extra data"):
        newsitem.loads('{"a": 1} x', schema=None, bare=True, format="json")


@given(json_objects, st.integers(1, 6), st.integers(1, 40))
def test_limits_are_counted_alike_by_the_reader_and_the_tokenizer(
    value: dict[str, Any], max_depth: int, max_nodes: int
) -> None:
    """The fast check after :func:`json.loads` and the tokenizer that points at the
    place agree: a refused object is always refused with a line and column."""
    text = json.dumps(value, indent=1) + "\n"
    limits = newsitem.Limits(max_depth=max_depth, max_nodes=max_nodes)
    try:
        doc = newsitem.loads(text, schema=None, limits=limits)
    except newsitem.LimitError as e:
        assert e.line is not None
        assert e.message in (f"nesting deeper than {max_depth} levels", f"more than {max_nodes} nodes")
        with pytest.raises(newsitem.LimitError, match=re.escape(e.message)):
            tree(split(text).front, 0, limits)
    else:
        assert strict(doc.item) == strict(value)
        tree(split(text).front, 0, limits)  # the tokenizer takes it too


def test_a_number_too_large_for_a_float_stays_as_written() -> None:
    """``1e400`` is JSON; Python reads it as ``inf``, which JSON cannot hold. Its text
    stays while it is not edited, and does not stop the edit of a neighbour."""
    text = '{"m": {"a": 1e400, "b": 1}, "n": -1e400, "l": [1e999]}\n'
    doc = newsitem.loads(text, schema=None)
    assert doc.item["m"]["a"] == math.inf and doc.item["n"] == -math.inf
    assert newsitem.dumps(doc) == text
    assert edit(text, lambda d: d["m"].update(b=2)) == text.replace('"b": 1', '"b": 2')
    assert edit(text, lambda d: d.update(x=1)) == text.replace("]}", '], "x": 1}')
    for change, field in (
        (lambda d: d["m"].update(c=math.inf), "m.c"),  # a new inf
        (lambda d: d.update(x=d["n"]), "x"),  # an old one, moved
        (lambda d: d["l"].append(2), "l[0]"),  # an edited list: its items may move, each is checked
    ):
        doc = newsitem.loads(text, schema=None)
        change(doc.item)
        with pytest.raises(newsitem.ValidationError) as caught:
            newsitem.dumps(doc)
        assert [e.field for e in caught.value.errors] == [field]
        assert "JSON cannot hold the number" in caught.value.errors[0].message


# -- unedited: byte for byte, whatever the spelling ----------------------------------------------

ODD = {
    "compact": '{"a":1,"b":[1,2,{"c":null}],"d":{"e":"f"}}\nBody\n',
    "spaced": '{ "a" : 1 , "b" : [ 1 , 2 ] , "c" : { } , "d" : [ ] }\n',
    "tabs": '{\n\t"a": 1,\n\t"b": {\n\t\t"c": [\n\t\t\t1\n\t\t]\n\t}\n}\n',
    "four spaces": '{\n    "a": 1,\n    "b": [\n        "x"\n    ]\n}\n',
    "three spaces, CRLF": '{\r\n   "a": 1,\r\n   "b": [\r\n      "x"\r\n   ]\r\n}\r\nBody\r\n',
    "CR": '{\r  "a": 1,\r  "b": "x"\r}\rBody\r',
    "escapes": '{"a": "caf\\u00e9 \\u00E9 \\/ \\" \\\\ \\b\\f\\n\\r\\t \\ud83d\\ude00", '
    '"\\u006b": "\\u0000"}\n',
    "lone surrogate escape": '{"a": "\\ud800", "b": "\\udfff x"}\n',
    "raw unicode": '{"clé": "é 😀 \u2028 \u0085 \u00a0 \ufeff", "\u05d0": "rtl"}\n',
    "numbers": '{"a": 1.0, "b": 1e5, "c": -0, "d": 1E+2, "e": -0.0, "f": 0.1e-2, "g": 2.50, "h": 1E400}\n',
    "huge ints": '{"a": 123456789012345678901234567890, "b": -18446744073709551616, "c": 1'
    + "0" * 500
    + "}\n",
    "literals": '{"t": true, "f": false, "n": null}\n',
    "empty key": '{"": "", " ": " "}\n',
    "blank lines inside": '{\n\n  "a": 1,\n\n\n  "b": 2\n\n}\n',
    "trailing spaces": '{  \n  "a": 1,   \n  "b": 2  \n}   \nBody\n',
    "one key a line, commas first": '{ "a": 1\n, "b": 2\n, "c": 3\n}\n',
    "deep": '{"a": ' + "[" * 60 + "]" * 60 + "}\n",
    "no body": '{"a": 1}',
    "html body": '{"title": "x"}\n<script>{"not": "front matter"}</script>\n',
}


@pytest.mark.parametrize("name", sorted(ODD))
def test_odd_spellings_round_trip(name: str) -> None:
    text = ODD[name]
    for schema in (None, newsitem.NewsItem):
        try:
            doc = newsitem.loads(text, schema=schema)
        except newsitem.ValidationError:
            assert schema is not None  # not a news item: typed loading says so
            continue
        assert newsitem.dumps(doc) == text
    assert newsitem.loads(text, schema=None).item == json.loads(front_of(text))


@pytest.mark.parametrize("name", sorted(ODD))
def test_odd_spellings_survive_an_edit_elsewhere(name: str) -> None:
    text = ODD[name]
    out = edit(text, lambda d: d.update(added="x"))
    front, new_front = front_of(text), front_of(out)
    # the old text is all there: only the new entry (and a comma, or the space it takes) came in
    matcher = difflib.SequenceMatcher(None, front, new_front, autojunk=False)
    for op, i1, i2, _, _ in matcher.get_opcodes():
        assert op in ("equal", "insert") or (op == "delete" and not front[i1:i2].strip()), (op, front[i1:i2])
    assert split(out).body == split(text).body


# -- edits --------------------------------------------------------------------------------------

PAGE = (
    "{\n"
    '  "title": "Caf\\u00e9 \\/ news",\n'
    '  "count": 1.0,\n'
    '  "big": 1e5,\n'
    '  "tags": ["a", "b"],\n'
    '  "meta": {"x": 1, "y": 2},\n'
    '  "images": [\n'
    '    {"url": "https:\\/\\/example.org\\/1.jpg", "width": 800},\n'
    "    {\n"
    '      "url": "https://example.org/2.jpg",\n'
    '      "width": 640\n'
    "    }\n"
    "  ],\n"
    '  "draft": false\n'
    "}\n"
    "Body \\u00e9 {}\n"
)


@pytest.mark.parametrize(
    ("change", "removed", "added"),
    [
        (lambda d: d.update(draft=True), ['  "draft": false'], ['  "draft": true']),
        (lambda d: d.update(count=2), ['  "count": 1.0,'], ['  "count": 2,']),
        (lambda d: d.update(count=2.0), ['  "count": 1.0,'], ['  "count": 2.0,']),
        (lambda d: d.update(big=-0.0), ['  "big": 1e5,'], ['  "big": -0.0,']),
        (
            lambda d: d.update(title="Tea </script>"),
            ['  "title": "Caf\\u00e9 \\/ news",'],
            ['  "title": "Tea </script>",'],
        ),
        (
            lambda d: d.update(title='q"\\\x00\x1f\n\t'),
            ['  "title": "Caf\\u00e9 \\/ news",'],
            ['  "title": "q\\"\\\\\\u0000\\u001f\\n\\t",'],
        ),
        (
            lambda d: d.update(title="é\u2028😀"),
            ['  "title": "Caf\\u00e9 \\/ news",'],
            ['  "title": "\\u00e9\\u2028\\ud83d\\ude00",'],  # the page escapes its Unicode
        ),
        (lambda d: d.update(title=None), ['  "title": "Caf\\u00e9 \\/ news",'], ['  "title": null,']),
        (lambda d: d.update(count="one"), ['  "count": 1.0,'], ['  "count": "one",']),
        (lambda d: d.update(count=[1, {"a": None}]), ['  "count": 1.0,'], ['  "count": [1, {"a": null}],']),
        (lambda d: d.update(tags={"k": "v"}), ['  "tags": ["a", "b"],'], ['  "tags": {"k": "v"},']),
        (lambda d: d.update(meta=0), ['  "meta": {"x": 1, "y": 2},'], ['  "meta": 0,']),
        (lambda d: d["meta"].update(y=3), ['  "meta": {"x": 1, "y": 2},'], ['  "meta": {"x": 1, "y": 3},']),
        (
            lambda d: d["meta"].update(z=3),
            ['  "meta": {"x": 1, "y": 2},'],
            ['  "meta": {"x": 1, "y": 2, "z": 3},'],
        ),
        (lambda d: d["meta"].pop("x"), ['  "meta": {"x": 1, "y": 2},'], ['  "meta": {"y": 2},']),
        (lambda d: d["meta"].pop("y"), ['  "meta": {"x": 1, "y": 2},'], ['  "meta": {"x": 1},']),
        (lambda d: d["meta"].clear(), ['  "meta": {"x": 1, "y": 2},'], ['  "meta": {},']),
        (lambda d: d["tags"].clear(), ['  "tags": ["a", "b"],'], ['  "tags": [],']),
        (lambda d: d["tags"].insert(0, "z"), ['  "tags": ["a", "b"],'], ['  "tags": ["z", "a", "b"],']),
        (lambda d: d["tags"].reverse(), ['  "tags": ["a", "b"],'], ['  "tags": ["b", "a"],']),
        (lambda d: d.pop("title"), ['  "title": "Caf\\u00e9 \\/ news",'], []),
        (lambda d: d.pop("tags"), ['  "tags": ["a", "b"],'], []),
        (lambda d: d.pop("draft"), ["  ],", '  "draft": false'], ["  ]"]),
        (lambda d: d.update(added=1), ['  "draft": false'], ['  "draft": false,', '  "added": 1']),
        (
            lambda d: d.update({"ключ": "значение", "": [], "\x7f": {}}),
            ['  "draft": false'],
            [
                '  "draft": false,',
                '  "\\u043a\\u043b\\u044e\\u0447": '
                '"\\u0437\\u043d\\u0430\\u0447\\u0435\\u043d\\u0438\\u0435",',
                '  "": [],',
                '  "\\u007f": {}',
            ],
        ),
        (lambda d: d["images"][1].update(width=1024), ['      "width": 640'], ['      "width": 1024']),
        (
            lambda d: d["images"][0].update(width=1),
            ['    {"url": "https:\\/\\/example.org\\/1.jpg", "width": 800},'],
            ['    {"url": "https:\\/\\/example.org\\/1.jpg", "width": 1},'],
        ),
        (
            lambda d: d["images"][1].update(title="T"),
            ['      "width": 640'],
            ['      "width": 640,', '      "title": "T"'],
        ),
        (
            lambda d: d["images"][1].pop("width"),
            ['      "url": "https://example.org/2.jpg",', '      "width": 640'],
            ['      "url": "https://example.org/2.jpg"'],
        ),
        (lambda d: d["images"].pop(0), ['    {"url": "https:\\/\\/example.org\\/1.jpg", "width": 800},'], []),
        (
            lambda d: d["images"].pop(1),
            [
                '    {"url": "https:\\/\\/example.org\\/1.jpg", "width": 800},',
                "    {",
                '      "url": "https://example.org/2.jpg",',
                '      "width": 640',
                "    }",
            ],
            ['    {"url": "https:\\/\\/example.org\\/1.jpg", "width": 800}'],
        ),
        (lambda d: d["images"].append({"url": "u"}), ["    }"], ["    },", '    {"url": "u"}']),
        (lambda d: d["images"].insert(0, {"url": "u"}), [], ['    {"url": "u"},']),
    ],
)
def test_edits_change_only_their_entry(change: Any, removed: list[str], added: list[str]) -> None:
    out = edit(PAGE, change)
    assert diff(PAGE, out) == [f"-{line}" for line in removed] + [f"+{line}" for line in added]
    assert out.endswith("}\nBody \\u00e9 {}\n")


def test_a_scalar_edit_changes_only_its_characters() -> None:
    text = '{"a": "x\\u00e9", "b": 1.50, "c": [1e5, "\\/"], "d": {"e": -0}}'
    for change, old, new in (
        (lambda d: d.update(b=2.5), "1.50", "2.5"),
        (lambda d: d["c"].__setitem__(0, 7), "1e5", "7"),
        (lambda d: d["d"].update(e=True), "-0", "true"),
        (lambda d: d.update(a="y"), '"x\\u00e9"', '"y"'),
    ):
        out = edit(text, change)
        i = text.index(old)
        assert out == text[:i] + new + text[i + len(old) :]


def test_empty_objects_and_lists_fill_up() -> None:
    assert edit("{}\nBody\n", lambda d: d.update(a=1)) == '{"a": 1}\nBody\n'
    assert edit("{ }", lambda d: d.update(a=1, b=[])) == '{"a": 1, "b": []}'
    assert edit('{"a": []}', lambda d: d["a"].extend([1, "2"])) == '{"a": [1, "2"]}'
    assert edit('{"a": {}}', lambda d: d["a"].update(k={"n": None})) == '{"a": {"k": {"n": null}}}'
    assert edit('{"a": {"b": {}}}', lambda d: d["a"]["b"].update(c=1)) == '{"a": {"b": {"c": 1}}}'


def test_emptying_leaves_no_dangling_comma() -> None:
    text = '{\n  "a": 1,\n  "b": [\n    1,\n    2\n  ],\n  "c": {\n    "d": 1\n  }\n}\n'
    assert edit(text, lambda d: d.clear()) == "{\n}\n"
    assert edit(text, lambda d: (d.pop("b"), d.pop("c"))) == '{\n  "a": 1\n}\n'
    assert edit(text, lambda d: (d.pop("a"), d.pop("b"))) == '{\n  "c": {\n    "d": 1\n  }\n}\n'
    assert (
        edit(text, lambda d: d["b"].clear()) == '{\n  "a": 1,\n  "b": [\n  ],\n  "c": {\n    "d": 1\n  }\n}\n'
    )
    assert (
        edit(text, lambda d: d["c"].clear())
        == '{\n  "a": 1,\n  "b": [\n    1,\n    2\n  ],\n  "c": {\n  }\n}\n'
    )
    compact = '{"a":1,"b":2,"c":3}'
    assert edit(compact, lambda d: d.pop("a")) == '{"b":2,"c":3}'
    assert edit(compact, lambda d: d.pop("b")) == '{"a":1,"c":3}'
    assert edit(compact, lambda d: d.pop("c")) == '{"a":1,"b":2}'
    assert edit(compact, lambda d: d.clear()) == "{}"


def test_nested_lists_of_objects() -> None:
    text = (
        '{\n  "related": [\n    {\n      "title": "A",\n      "images": [{"url": "a"}]\n    },\n'
        '    {\n      "title": "B",\n      "images": []\n    }\n  ]\n}\n'
    )
    out = edit(text, lambda d: d["related"][1]["images"].append({"url": "b", "width": 1}))
    assert diff(text, out) == ['-      "images": []', '+      "images": [{"url": "b", "width": 1}]']
    out = edit(text, lambda d: d["related"][0]["images"][0].update(url="c"))
    assert diff(text, out) == ['-      "images": [{"url": "a"}]', '+      "images": [{"url": "c"}]']
    out = edit(text, lambda d: d["related"].reverse())
    assert json.loads(out)["related"][0]["title"] == "B"
    out = edit(text, lambda d: (d["related"].pop(0), d["related"][0].update(title="C")))
    assert diff(text, out) == [
        '-      "title": "A",',
        '-      "images": [{"url": "a"}]',
        "-    },",
        "-    {",
        '-      "title": "B",',
        '+      "title": "C",',
    ]


def test_a_lone_surrogate_is_refused_by_name() -> None:
    doc = newsitem.loads('{"a": "\\ud800", "b": 1}\n', schema=None)
    doc.item["b"] = 2  # one read from the file stays as its escape
    assert newsitem.dumps(doc) == '{"a": "\\ud800", "b": 2}\n'
    doc.item["b"] = "x\udc00"
    with pytest.raises(newsitem.ValidationError) as caught:
        newsitem.dumps(doc)
    assert caught.value.errors[0].field == "b"
    assert "lone surrogate" in caught.value.errors[0].message


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (math.nan, "JSON cannot hold the number nan"),
        (-math.inf, "JSON cannot hold the number -inf"),
        (b"x", "JSON cannot hold binary data"),
        (dt.datetime(2024, 1, 1, tzinfo=UTC), "JSON has no date-time type"),
        (dt.date(2024, 1, 1), "JSON has no date-time type"),
        ({1: "x"}, "JSON keys are strings, not int"),
        ({"k": [None, {"d": dt.date(2024, 1, 1)}]}, "JSON has no date-time type"),
    ],
)
def test_what_json_cannot_hold_is_refused_naming_the_field(value: Any, message: str) -> None:
    for text in ('{"a": 1, "b": {"c": 1}}\n', '{\n  "a": 1,\n  "b": {\n    "c": 1\n  }\n}\n'):
        doc = newsitem.loads(text, schema=None)
        doc.item["b"]["new"] = value
        with pytest.raises(newsitem.ValidationError) as caught:
            newsitem.dumps(doc)
        (error,) = caught.value.errors
        assert error.field.startswith("b.new")
        assert message in error.message
        assert newsitem.dumps(newsitem.loads(text, schema=None)) == text


def test_comma_first_layout_takes_new_entries_alike() -> None:
    text = '{ "a": 1\n, "b": 2\n, "c": [ 1\n       , 2\n       ]\n}\n'
    assert (
        edit(text, lambda d: d.update(d=4))
        == '{ "a": 1\n, "b": 2\n, "c": [ 1\n       , 2\n       ]\n, "d": 4\n}\n'
    )
    assert (
        edit(text, lambda d: d["c"].insert(1, 9))
        == '{ "a": 1\n, "b": 2\n, "c": [ 1\n       , 9\n       , 2\n       ]\n}\n'
    )
    assert edit(text, lambda d: d.pop("c")) == '{ "a": 1\n, "b": 2\n}\n'
    assert edit(text, lambda d: d.pop("a")) == '{ "b": 2\n, "c": [ 1\n       , 2\n       ]\n}\n'
    # the same patcher edits YAML's flow style
    yaml = "---\nl: [ a\n   , b\n   ]\n---\n"
    doc = newsitem.loads(yaml, schema=None)
    doc.item["l"].append("c")
    assert newsitem.dumps(doc) == "---\nl: [ a\n   , b\n   , c\n   ]\n---\n"


# -- typed items -----------------------------------------------------------------------------------

NEWS = (
    "{\n"
    '  "title": "Heat pumps",\n'
    '  "publishedDateTime": "2024-03-09T06:00:00.000Z",\n'
    '  "topics": ["Energy"],\n'
    '  "provider": {"name": "Example"},\n'
    '  "custom": {"k": "v", "when": "2024-01-01"}\n'
    "}\n"
    "Body.\n"
)


def test_typed_date_times_are_written_as_strings_in_the_files_spelling() -> None:
    out = edit(
        NEWS,
        lambda i: setattr(i, "published_date_time", dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)),
        schema=newsitem.NewsItem,
    )
    assert diff(NEWS, out) == [
        '-  "publishedDateTime": "2024-03-09T06:00:00.000Z",',
        '+  "publishedDateTime": "2025-01-02T03:04:05.000Z",',
    ]
    paris = dt.timezone(dt.timedelta(hours=1))
    out = edit(
        NEWS,
        lambda i: setattr(i, "published_date_time", dt.datetime(2025, 1, 2, 3, 4, 5, 120000, tzinfo=paris)),
        schema=newsitem.NewsItem,
    )
    assert diff(NEWS, out)[1] == '+  "publishedDateTime": "2025-01-02T03:04:05.120+01:00",'
    item = newsitem.loads(out).item
    assert item.published_date_time == dt.datetime(2025, 1, 2, 3, 4, 5, 120000, tzinfo=paris)


def test_typed_records_added_to_json() -> None:
    def add(i: newsitem.NewsItem) -> None:
        i.related.append(
            newsitem.RelatedItem(
                title="Other",
                published_date_time=dt.datetime(2024, 5, 6, tzinfo=UTC),
                provider=newsitem.Provider(name="B"),
            )
        )
        i.images.append(newsitem.Image(url="https://example.org/a.jpg", width=3))
        i.quality = 7
        i.topics.append("Housing")

    out = edit(NEWS, add, schema=newsitem.NewsItem)
    data = json.loads(front_of(out))
    assert data["related"] == [
        {"title": "Other", "publishedDateTime": "2024-05-06T00:00:00Z", "provider": {"name": "B"}}
    ]
    assert data["images"] == [{"url": "https://example.org/a.jpg", "width": 3}]
    assert data["quality"] == 7 and data["topics"] == ["Energy", "Housing"]
    assert data["custom"] == {"k": "v", "when": "2024-01-01"}  # unknown keys stay, as text
    assert list(data)[:2] == ["title", "publishedDateTime"]


def test_typed_removals() -> None:
    def remove(i: newsitem.NewsItem) -> None:
        i.provider = None
        i.topics = []
        i.extras.pop("custom")

    out = edit(NEWS, remove, schema=newsitem.NewsItem)
    assert out == (
        '{\n  "title": "Heat pumps",\n  "publishedDateTime": "2024-03-09T06:00:00.000Z"\n}\nBody.\n'
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            lambda i: i.extras.update(when=dt.datetime(2024, 1, 1, tzinfo=UTC)),
            "when",
            "JSON has no date-time",
        ),
        (lambda i: i.extras["custom"].update(d=dt.date(2024, 1, 1)), "custom.d", "JSON has no date-time"),
        (
            lambda i: setattr(i.provider, "extras", {"since": dt.date(2020, 1, 1)}),
            "provider.since",
            "JSON has no date-time",
        ),
        (
            lambda i: setattr(i, "published_date_time", dt.datetime(2024, 1, 1)),
            "published_date_time",
            "time zone",
        ),
        (lambda i: setattr(i, "quality", math.inf), "quality", "expected an integer"),
        (lambda i: i.extras.update(score=math.nan), "score", "JSON cannot hold the number nan"),
    ],
)
def test_typed_values_json_cannot_hold_name_the_field(change: Any, field: str, message: str) -> None:
    doc = newsitem.loads(NEWS)
    change(doc.item)
    with pytest.raises(newsitem.ValidationError) as caught:
        newsitem.dumps(doc)
    assert [e.field for e in caught.value.errors] == [field]
    assert message in caught.value.errors[0].message


def test_typed_validation_errors_point_into_json() -> None:
    text = '\n  {"title": 5,\n   "publishedDateTime": "soon",\n   "images": [{"width": "x"}]}\n'
    with pytest.raises(newsitem.ValidationError) as caught:
        newsitem.loads(text)
    assert [(e.line, e.column, e.field) for e in caught.value.errors] == [
        (2, 13, "title"),
        (3, 25, "published_date_time"),
        (4, 25, "images[0].width"),
    ]


# -- conversion and fresh documents ------------------------------------------------------------------


def _strict_json(front: str) -> Any:
    def refuse(name: str) -> Any:
        raise ValueError(f"not JSON: {name}")

    return json.loads(front, parse_constant=refuse)


@given(strategies.items, st.sampled_from(["", "Body\n", "{ not front matter }\n"]))
def test_fresh_json_documents_are_strict_json(item: newsitem.NewsItem, body: str) -> None:
    out = newsitem.dumps(newsitem.Document(item, body, format="json"))
    parts = split(out)
    assert parts.format == "json" and parts.body == body
    data = _strict_json(parts.front)
    assert data["publishedDateTime"].endswith("Z")
    assert parts.front.startswith("{\n  ") or parts.front == "{}"
    again = newsitem.loads(out)
    assert again.item == item
    assert newsitem.dumps(again) == out


@given(strategies.items, st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_convert_yaml_to_json_and_back(item: newsitem.NewsItem, newline: str, bom: bool) -> None:
    yaml = newsitem.dumps(newsitem.Document(item, "Body\n"))
    yaml = ("\ufeff" if bom else "") + yaml.replace("\n", newline)
    doc = newsitem.loads(yaml)
    as_json = newsitem.convert(doc, "json")
    text = newsitem.dumps(as_json)
    assert as_json.format == "json"
    parts = split(text)
    assert parts.bom == bom and parts.body == "Body" + newline
    assert set(re.findall(r"\r\n|\n", parts.front)) <= {newline}
    _strict_json(parts.front)
    assert newsitem.loads(text).item == item
    back = newsitem.convert(as_json, "yaml")
    assert back.item == doc.item and back.body == doc.body
    assert newsitem.dumps(back) == yaml  # the house style both ways


def test_convert_refuses_what_json_cannot_hold() -> None:
    data = newsitem.loads("---\ntitle: Hi\nwhen: 2024-01-01\nscore: .nan\n---\n", schema=None)
    with pytest.raises(newsitem.ValidationError) as caught:
        newsitem.convert(data, "json")
    assert sorted(e.field for e in caught.value.errors) == ["score", "when"]
    # each at its place in the file it was read from (line 1 is the fence)
    places = sorted((e.field, e.line, e.column) for e in caught.value.errors)
    assert places == [("score", 4, 8), ("when", 3, 7)]
    data = newsitem.loads("---\ntags: [a, ~]\n---\n", schema=None)
    with pytest.raises(newsitem.ValidationError) as caught:
        newsitem.convert(data, "toml")
    assert [(e.field, e.line, e.column) for e in caught.value.errors] == [("tags[1]", 2, 11)]
    typed = newsitem.loads("---\ntitle: Hi\npublishedDateTime: 2024-01-01T00:00:00Z\nwhen: 2024-01-01\n---\n")
    with pytest.raises(newsitem.ValidationError, match="when: JSON has no date-time"):
        newsitem.convert(typed, "json")


def test_fresh_json_refuses_nan_and_untyped_dates() -> None:
    for value in (math.nan, math.inf, dt.date(2024, 1, 1), b"x"):
        with pytest.raises(newsitem.ValidationError):
            newsitem.dumps(newsitem.Document({"a": [value]}, format="json"))
    assert newsitem.dumps(newsitem.Document({}, format="json")) == "{}\n"
    assert newsitem.dumps(newsitem.Document({"a": []}, "x", format="json")) == '{\n  "a": []\n}\nx'


# -- files and the command line ------------------------------------------------------------------------


def test_dump_refused_or_failing_leaves_the_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "page.md"
    path.write_bytes(PAGE.encode())
    doc = newsitem.load(path, schema=None)
    doc.item["meta"]["when"] = dt.date(2024, 1, 1)  # JSON cannot hold it
    with pytest.raises(newsitem.ValidationError):
        newsitem.dump(doc, path)
    assert path.read_bytes() == PAGE.encode()
    doc.item["meta"].pop("when")
    doc.item["draft"] = True
    import os

    def fail(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(newsitem.FileError):
        newsitem.dump(doc, path)
    monkeypatch.undo()
    assert path.read_bytes() == PAGE.encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.md"]  # no temporary file left
    with pytest.raises(RuntimeError), newsitem.edit(path, schema=None) as d:
        d.item["draft"] = True
        raise RuntimeError("changed my mind")
    assert path.read_bytes() == PAGE.encode()
    newsitem.dump(doc, path)
    assert path.read_bytes() == PAGE.replace('"draft": false', '"draft": true').encode()


def test_edit_a_json_file_keeps_its_bytes(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    raw = ("\ufeff" + PAGE.replace("\n", "\r\n")).encode()
    path.write_bytes(raw)
    with newsitem.edit(path, schema=None) as doc:
        doc.item["tags"].append("c")
    assert path.read_bytes() == raw.replace(b'["a", "b"]', b'["a", "b", "c"]')
    data = tmp_path / "data.json"  # a data file: the whole file is the object
    data.write_bytes(b'{\n    "a": 1\n}\n')
    with newsitem.edit(data, schema=None) as doc:
        doc.item["b"] = [True]
    assert data.read_bytes() == b'{\n    "a": 1,\n    "b": [true]\n}\n'


def test_cli_edits_json_front_matter(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "item.md"
    path.write_text(NEWS, encoding="utf-8")
    assert main(["set", "title", "New </title>", str(path)]) == 0
    assert diff(NEWS, path.read_text()) == ['-  "title": "Heat pumps",', '+  "title": "New </title>",']
    assert main(["add", "topics", "Housing", str(path)]) == 0
    assert main(["remove", "topics", "Energy", str(path)]) == 0
    assert main(["set", "provider.domain", "example.org", str(path)]) == 0
    assert main(["set", "publishedDateTime", "2025-01-02T03:04:05Z", str(path)]) == 0
    assert main(["unset", "custom", str(path)]) == 0
    capsys.readouterr()
    assert path.read_text() == (
        "{\n"
        '  "title": "New </title>",\n'
        '  "publishedDateTime": "2025-01-02T03:04:05.000Z",\n'
        '  "topics": ["Housing"],\n'
        '  "provider": {"name": "Example", "domain": "example.org"}\n'
        "}\n"
        "Body.\n"
    )
    assert main(["fmt", str(path)]) == 0
    assert path.read_text() == (
        "{\n"
        '  "title": "New </title>",\n'
        '  "publishedDateTime": "2025-01-02T03:04:05Z",\n'
        '  "provider": {\n'
        '    "name": "Example",\n'
        '    "domain": "example.org"\n'
        "  },\n"
        '  "topics": [\n'
        '    "Housing"\n'
        "  ]\n"
        "}\n"
        "Body.\n"
    )


def test_cli_converts_to_json_and_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    yaml = '---\r\ntitle: "Hi"\r\npublishedDateTime: 2024-03-09T06:00:00Z\r\ntopics: [AI]\r\n---\r\nBody\r\n'
    path = tmp_path / "item.md"
    path.write_bytes(yaml.encode())
    assert main(["convert", "--to", "json", str(path)]) == 0
    text = path.read_bytes().decode()
    assert text == (
        '{\r\n  "title": "Hi",\r\n  "publishedDateTime": "2024-03-09T06:00:00Z",\r\n'
        '  "topics": [\r\n    "AI"\r\n  ]\r\n}\r\nBody\r\n'
    )
    assert main(["convert", "--to", "yaml", str(path)]) == 0
    assert newsitem.load(path).item == newsitem.loads(yaml).item
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: Hi\npublishedDateTime: 2024-03-09T06:00:00Z\nwhen: 2024-01-01\n---\n")
    before = bad.read_bytes()
    assert main(["convert", "--to", "json", str(bad)]) == 1
    assert bad.read_bytes() == before
    assert "when: JSON has no date-time type" in capsys.readouterr().err


# -- the corpus's JSON front matter ------------------------------------------------------------------------


def _is_json(path: Path) -> bool:
    return path.suffix == ".md" and read_exact(path).lstrip("\ufeff \t\r\n")[:1] == "{"


CORPUS_JSON = [p for p in corpus_files() if _is_json(p)]


def _id(p: Path | None) -> str:
    return "/".join(p.parts[-2:]) if p is not None else "none"


@pytest.mark.corpus
def test_corpus_has_json_files(corpus: Path) -> None:
    assert len(CORPUS_JSON) >= 6
    assert any("\r\n" in read_exact(p) for p in CORPUS_JSON)


@pytest.mark.corpus
@pytest.mark.parametrize("path", as_params(CORPUS_JSON), ids=_id)
def test_corpus_json_round_trips_and_edits_one_line(corpus: Path, path: Path) -> None:
    text = read_exact(path)
    doc = newsitem.loads(text, schema=None)
    assert doc.format == "json"
    assert strict(doc.item) == strict(json.loads(front_of(text)))
    assert newsitem.dumps(doc) == text
    assert newsitem.dumps(newsitem.load(path, schema=None)) == text
    key = next(k for k, v in doc.item.items() if isinstance(v, str))
    out = edit(text, lambda d: d.update({key: d[key] + " (edited)"}))
    node = nodes_by_path(tree(front_of(text)))[(key,)][1]
    spelled = front_of(text)[node.start : node.end]
    new = json.dumps(doc.item[key] + " (edited)", ensure_ascii=False)
    (removed, added) = diff(text, out)  # one line, and of it only the value
    assert spelled in removed
    assert added == "+" + removed[1:].replace(spelled, new)
    back = newsitem.convert(newsitem.convert(doc, "yaml"), "json")
    assert strict(back.item) == strict(doc.item) and back.body == doc.body


@pytest.mark.corpus
@given(st.data())
def test_random_edits_of_corpus_json(corpus: Path, data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(CORPUS_JSON))
    text = read_exact(path)
    doc = newsitem.loads(text, schema=None)
    edited, touched = data.draw(json_edits(doc.item), label="edits")
    doc.item = copy.deepcopy(edited)
    out = newsitem.dumps(doc)
    before, after = split(text), split(out)
    assert strict(json.loads(after.front)) == strict(edited)
    assert after.body == before.body
    assert not lost_lines(before.front, after.front, allowed_lines(before.front, edited, touched)), touched


@pytest.mark.parametrize(
    ("text", "value", "written"),
    [
        # json.dumps's default: everything beyond ASCII escaped; new strings too
        ('{"a": "caf\\u00e9", "b": 1}', "thé 😀", '"th\\u00e9 \\ud83d\\ude00"'),
        # PHP's json_encode: "/" escaped too
        ('{"a": "https:\\/\\/example.org\\/caf\\u00e9"}', "https://x.org/é", '"https:\\/\\/x.org\\/\\u00e9"'),
        # Unicode as it is, and "/" as it is: as json.dumps(ensure_ascii=False) writes
        ('{"a": "café", "b": "a/b"}', "thé/x", '"thé/x"'),
        # a file that mixes both ways, or shows neither: as it is
        ('{"a": "café \\u00e9", "b": "\\/ /"}', "thé/x", '"thé/x"'),
        ('{"a": "plain"}', "thé/x", '"thé/x"'),
    ],
)
def test_new_strings_are_escaped_as_the_file_escapes_its_own(text: str, value: str, written: str) -> None:
    out = edit(text, lambda d: d.update(a=value))
    old = nodes_by_path(tree(text))[("a",)][1]
    assert out == text[: old.start] + written + text[old.end :]
    out = edit(text, lambda d: d.update({value: [value]}))  # keys too, and values in new entries
    assert out.endswith(f"{written}: [{written}]}}")


# -- typed edits, conversion chains and fresh documents (a later adversarial round) --------


@pytest.mark.parametrize("after", [" trailing text\nBody\n", "Body\n", "\t<!--more-->\r\n"])
def test_an_edit_keeps_a_body_that_starts_on_the_closing_brace_line(after: str) -> None:
    text = '{\n  "title": "Hi",\n  "publishedDateTime": "2024-03-09T06:00:00Z"\n}' + after
    doc = newsitem.loads(text)
    assert doc.body == after
    doc.item.title = "New"
    assert newsitem.dumps(doc) == text.replace('"Hi"', '"New"')


@pytest.mark.parametrize("tz", ["UTC", "America/New_York", "Europe/London"])
def test_a_date_time_in_text_never_takes_the_machines_time_zone(tz: str) -> None:
    import os
    import time

    before = os.environ.get("TZ")
    os.environ["TZ"] = tz
    time.tzset()
    try:
        for text, offset in [("Z", 0), (" UTC", 0), (" GMT", 0), ("+01:00", 60), ("-05:00", -300), ("", 0)]:
            doc = newsitem.loads('{"title": "Hi", "publishedDateTime": "2024-07-09T06:00:00' + text + '"}')
            when = doc.item.published_date_time
            assert type(when.tzinfo) is dt.timezone, text  # never dateutil's tzlocal()
            assert when.utcoffset() == dt.timedelta(minutes=offset), text
        # a zone name that is no offset (EST is -05:00, or -04:00 in a New York summer): refused,
        # not read as UTC (nor as the machine's zone)
        for name in ("EST", "EDT", "BST", "CET"):
            text = f'{{\n  "title": "Hi",\n  "publishedDateTime": "2024-07-09T06:00:00 {name}"\n}}\n'
            with pytest.raises(newsitem.ValidationError) as e:
                newsitem.loads(text)
            assert f"3:24: published_date_time: not a date-time: '2024-07-09T06:00:00 {name}'" in str(e.value)
            assert f"time zone {name!r}" in str(e.value)
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


@pytest.mark.parametrize(
    "written",
    [
        "Sat Mar 09 2024 06:00:00 GMT+0100 (Central European Standard Time)",  # JavaScript's Date
        "2024-03-09T06:00:00 UTC+3",
        "2024-03-09 06:00 GMT -05:00",
        "2024-03-09T06:00:00Z+01:00",
    ],
)
def test_an_offset_after_utc_or_gmt_is_refused_not_reversed(written: str) -> None:
    # dateutil reads "GMT+0100" the POSIX way, as -01:00 (and ignored "GMT +3"): two hours
    # off for what JavaScript writes
    with pytest.raises(newsitem.ValidationError) as e:
        newsitem.loads(json.dumps({"title": "Hi", "publishedDateTime": written}))
    assert f"published_date_time: not a date-time: {written!r}" in str(e.value)
    assert "offset" in str(e.value)
