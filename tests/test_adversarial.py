"""Random edit sequences against odd YAML and the corpus: the write path's promises.

For every trial: (a) only newsitem's own errors escape (and none here, since every
edit is a valid one); (b) the output loads back to the edited data and body;
(c) removed lines lie inside the edited entries, and a lone scalar edit changes only
that scalar's characters (its comment survives); (d) flow collections stay flow and
untouched scalars keep their style; (e) PyYAML's and ruamel's safe loaders (YAML
1.1 and 1.2) read the edited values wherever they agreed with newsitem on the
input; (f) writing twice gives the same text.

The "ci" profile runs a few hundred trials per test; ``HYPOTHESIS_PROFILE=long``
runs 20,000.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import math
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, note
from hypothesis import strategies as st
from ruamel.yaml import YAML

import newsitem
from newsitem._convert import same
from newsitem._formats import SYNTAX
from newsitem._tree import Alias, Mapping, Node, Scalar, Sequence

from .conftest import as_params, corpus_files, read_exact, removed_outside

UTC = dt.UTC

ODD = {
    "flow": (
        "---\ntitle: T   # the title\ntopics: [AI, \"Funding, Seed\", 'x']   # keep\n"
        "meta: {a: 1, b: [x, y], 'c d': \"e\"}  # flow map\nempty: []\nnone: {}\n"
        "multi: [\n  one,  # first\n  two,\n  three,\n]\n---\nBody\n"
    ),
    "anchors": (
        '---\nprovider: &prov\n  name: A   # c\n  domain: "a.org"\nsame: *prov\n'
        "list: [&x one, *x, two]\nbase: &b\n  layout: post\n  draft: false\n"
        "news:\n  <<: *b\n  category: news\nboth:\n  <<: [*b, *prov]\n  own: 1\n---\n"
    ),
    "blocks": (
        "---\nlit: |\n  line one\n  line two\n\nkeep: |+\n  kept\n\nstrip: |-\n  stripped\n"
        "fold: >\n  folded\n  text\n\nfoldstrip: >-\n  a\n  b\nafter: x\n---\n"
    ),
    "comments": (
        "---\n# leading\na: 1  # one\n# between\nb:   # empty\n  - x  # item\n  # inside\n  - y\n"
        "c:\n  d: e  # nested\n  # tail\n# end\n---\n"
    ),
    "crlf": '---\r\ntitle: "T"\r\nlist:\r\n  - a\r\n  - b\r\nmap:\r\n  k: v\r\n---\r\nBody\r\n',
    "bom": "\ufeff---\ntitle: T\nn: 1\n---\nBody\n",
    "dots": "---\ntitle: T\nitems:\n- a\n- b\n...\nBody\n",
    "no-final-newline": "---\ntitle: T\nn: 1\n---",
    "dates": (
        "---\nd: 2023-11-28\ndt: 2023-11-28T13:36:00Z\nms: 2023-11-28T13:36:00.000Z\n"
        'sp: 2023-11-28 13:36:00\noff: 2023-11-28T15:36:00+02:00\nq: "2023-11-28T13:36:00Z"\n---\n'
    ),
    "empty-values": "---\na:\nb: \nc: ~\nd: null\ne: ''\nf: []\n---\n",
    "indents": (
        "---\nfour:\n    k: v\n    list:\n        - a\n        - b\nindentless:\n- x\n- y\n"
        "deep:\n    - name: n\n      v: 1\n---\n"
    ),
    "quotes": "---\nsingle: 'it''s'\ndouble: \"a \\\"b\\\" \\u00e9\"\nplain: word\nmultiline: a\n  b\n---\n",
    "empty": "---\n---\nBody only\n",
    "comment-only": "---\n# nothing but a comment\n---\n",
    "no-front-matter": "Just a body.\n",
    "root-flow": '---\n{title: "T", n: 1, l: [a, b]}\n---\n',
    "nested-lists": "---\nm:\n  - [1, 2]\n  - - a\n    - b\n---\n",
    "explicit-keys": "---\n? a\n: 1\n? b\nc: 2\n---\n",
    "compact": "---\nk:\n- - a  # c\n  - 'b'\n- # c\n  x: 1\n-\n  - z\n---\n",
    "keep-last": "---\na: x\nb: |+\n  kept\n\n---\n",
    "tags": "---\nm: !!binary aGVsbG8=\ns: !!str 12\ni: !!int '7'\nf: !!float 1\n---\n",
    "pairs": "---\nl: [a: 1, b, {c: d}]\n---\n",
    "flow-lines": "---\nl: [\n  a,  # first\n  b,  # second\n  c\n]\nm: {\n  x: 1,  # x\n  y: 2,\n}\n---\n",
    "anchored-flow": "---\na: &x {k: 1, l: [1, 2]}\nb: *x\nc: &y [1, 2]\nd: [*y, *y]\n---\n",
}

_yaml_words = [
    "yes", "No", "on", "OFF", "y", "n", "Y", "~", "null", "Null", "true", "False", "nil",
    "12:30", "-1:30", "1:20:30.5", "0777", "012", "0b101", "0x1F", "0o17", "1_000", "1,000",
    "1e-07", "1.5", ".5", "1.", ".inf", "-.inf", ".nan", "2023-02-30", "2023-01-01",
    "2023-01-01 10:00:00", "2023-01-01t10:00:00", "=", "<<", ":sym", "- x", "? x", "--- x", "...",
    "a: b", "a #b", "#c", "[x]", "{x}", "*a", "&a", "!tag", "|", ">", "'q'", '"q"', "http://x.org",
    "b?", "x,y", "", " lead", "trail ", "multi\nline", "tab\tx", "\x00ctl", "é ünï", "a\u2028b",
    "\ufeffbom", "x\r", "\n", "\n  x", "%percent", "@at", "`tick", "a\\b", "-", "+1", "1e5",
]  # fmt: skip
tricky = st.sampled_from(_yaml_words)
texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)
scalars = st.one_of(
    tricky,
    texts,
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.datetimes(
        min_value=dt.datetime(1, 1, 1, 0, 0, 0),
        max_value=dt.datetime(9998, 12, 31),
        timezones=st.sampled_from(
            [UTC, dt.timezone(dt.timedelta(hours=2)), dt.timezone(-dt.timedelta(hours=5, minutes=30))]
        ),
    ),
    st.dates(),
)
keys = st.one_of(
    tricky.filter(bool),
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=10),
    st.integers(-5, 5),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
    max_leaves=6,
)

Path_ = tuple[Any, ...]


def containers(data: Any, path: Path_ = ()) -> list[tuple[Path_, Any]]:
    out = [(path, data)] if isinstance(data, dict | list) else []
    if isinstance(data, dict):
        for k, v in data.items():
            out += containers(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += containers(v, (*path, i))
    return out


def _new_key(taken: frozenset[Any], key: Any) -> bool:
    return key not in taken


@st.composite
def edit_sequence(draw: st.DrawFn, data: dict[Any, Any]) -> tuple[dict[Any, Any], list[tuple[str, Path_]]]:
    """*data* after one to four random edits, and what each touched: ``("value", path)``
    for a value replaced, ``("list", path)`` for a list that grew, shrank or moved,
    ``("key", path)`` for a key added to or removed from the mapping at path."""
    data = copy.deepcopy(data)
    touched: list[tuple[str, Path_]] = []
    for _ in range(draw(st.integers(1, 4))):
        spots = containers(data)
        path, target = draw(st.sampled_from(spots))
        if isinstance(target, dict):
            choice = draw(st.sampled_from(["set", "add", "delete"] if target else ["add"]))
            if choice == "add":
                k = draw(keys.filter(functools.partial(_new_key, frozenset(target))))
                target[k] = draw(values)
                touched.append(("key", path))
            elif choice == "delete":
                k = draw(st.sampled_from(list(target)))
                del target[k]
                touched.append(("key", path))
            else:
                k = draw(st.sampled_from(list(target)))
                target[k] = draw(values)
                touched.append(("value", (*path, k)))
        else:
            choice = draw(st.sampled_from(["set", "insert", "remove", "reverse"] if target else ["insert"]))
            if choice == "set":
                i = draw(st.integers(0, len(target) - 1))
                target[i] = draw(values)
                touched.append(("value", (*path, i)))
            elif choice == "insert":
                target.insert(draw(st.integers(0, len(target))), draw(values))
                touched.append(("list", path))
            elif choice == "remove":
                target.pop(draw(st.integers(0, len(target) - 1)))
                touched.append(("list", path))
            else:
                target.reverse()
                touched.append(("list", path))
    return data, touched


# -- reading the trees ------------------------------------------------------------------


def index(root: Node | None, path: Path_ = ()) -> dict[Path_, Node]:
    """Every node reachable without passing through an alias, by path."""
    out: dict[Path_, Node] = {}
    if root is None:
        return out
    out[path] = root
    if type(root) is Mapping:
        for k, v in zip(root.keys, root.nodes, strict=True):
            if type(k) is Scalar:
                out.update(index(v, (*path, k.value)))
    elif type(root) is Sequence:
        for i, v in enumerate(root.nodes):
            out.update(index(v, (*path, i)))
    return out


def tree_of(doc: newsitem.Document[Any]) -> tuple[Node | None, str]:
    assert doc._source is not None
    return doc._source.tree, doc._source.parts.front


def has_aliases(root: Node | None) -> bool:
    todo = [root] if root is not None else []
    while todo:
        n = todo.pop()
        if type(n) is Alias:
            return True
        if type(n) in (Mapping, Sequence):
            todo.extend(n.nodes)  # type: ignore[union-attr]
            if type(n) is Mapping:
                todo.extend(n.keys)
    return False


def line_of(text: str, i: int) -> int:
    return text.count("\n", 0, i)


def entry_range(front: str, nodes: dict[Path_, Node], path: Path_) -> range:
    """Front-matter lines an edit at *path* may touch: the entry of the deepest node
    that exists on the way there, from its key's line (or its parent's, for a key
    added or removed) to the end of its value."""
    while path and path not in nodes:
        path = path[:-1]
    node = nodes.get(path)
    if node is None:
        return range(front.count("\n") + 1)
    start = node.start
    if path:
        parent = nodes[path[:-1]]
        if type(parent) is Mapping:
            for k, v in zip(parent.keys, parent.nodes, strict=True):
                if v is node:
                    start = k.start
        elif type(parent) is Sequence and not parent.flow:  # from the item's dash on
            i = parent.nodes.index(node)
            start = parent.start if i == 0 else content_end(front, parent.nodes[i - 1]) + 1
        start = min(start, front.rfind("\n", 0, start) + 1)
    return range(line_of(front, start), line_of(front, content_end(front, node)) + 1)


def content_end(front: str, node: Node) -> int:
    """Where a node's own text ends (block containers' and block scalars' marks run on)."""
    if type(node) is Scalar:
        if node.style in ("|", ">"):
            header = front[node.start : front.find("\n", node.start)]
            if "+" in header.split("#")[0]:
                return node.end - 1  # keeps its trailing empty lines
            return node.start + len(front[node.start : node.end].rstrip())
        return node.end
    if type(node) is Alias or node.flow:  # type: ignore[union-attr]
        return node.end
    ends = [node.start]
    if type(node) is Mapping:
        ends += [k.end for k in node.keys]
    ends += [content_end(front, n) for n in node.nodes]  # type: ignore[union-attr]
    return max(ends)


# -- the checks --------------------------------------------------------------------------

_pyyaml_fail = object()


def _norm(value: Any) -> Any:
    """PyYAML and ruamel's ways of saying the same thing, made equal."""
    if isinstance(value, dict):
        return {_norm(k): _norm(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_norm(v) for v in value]
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return ("datetime", value.timestamp(), value.utcoffset())
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    return value


def pyyaml(front: str) -> Any:
    try:
        return _norm(yaml.safe_load(front) or {})
    except Exception:
        return _pyyaml_fail


def json_reader(front: str) -> Any:
    return _norm(json.loads(front))


def toml_reader(front: str) -> Any:
    return _norm(tomllib.loads(front))


_ruamel = YAML(typ="safe", pure=True)


def ruamel(front: str) -> Any:
    try:
        return _norm(_ruamel.load(front) or {})
    except Exception:
        return _pyyaml_fail


def check(text: str, edited: dict[Any, Any], touched: list[tuple[str, Path_]], *, bare: bool = False) -> None:
    before = newsitem.loads(text, schema=None, bare=bare)
    root, front = tree_of(before)
    nodes = index(root)
    doc = newsitem.loads(text, schema=None, bare=bare)
    doc.item = edited
    note(f"edited: {edited!r}")
    syntax = SYNTAX[before.format]
    if syntax.check(edited):  # values this format cannot hold (TOML: null; JSON: dates...)
        with pytest.raises(newsitem.ValidationError):
            newsitem.dumps(doc)
        return
    out = newsitem.dumps(doc)  # (a): nothing but newsitem's errors, and none for valid edits
    note(f"out: {out!r}")
    assert newsitem.dumps(doc) == out  # (f)
    again = newsitem.loads(out, schema=None, bare=bare)
    assert same(again.item, edited), (again.item, edited)  # (b)
    assert again.body == before.body
    assert newsitem.dumps(again) == out
    if not before.has_front_matter:
        return
    new_root, new_front = tree_of(again)
    # (c) removed lines lie inside the touched entries
    allowed: set[int] = set()
    for _kind, path in touched:
        allowed.update(entry_range(front, nodes, path))
    old_lines, new_lines = front.splitlines(True), new_front.splitlines(True)
    outside = removed_outside(old_lines, new_lines, allowed)
    assert not outside or has_aliases(root), (outside, touched)
    # a lone scalar edit: only its own characters change
    if len(touched) == 1 and touched[0][0] == "value" and not has_aliases(root):
        node = nodes.get(touched[0][1])
        value = edited_value(edited, touched[0][1])
        if (
            type(node) is Scalar
            and node.style not in ("|", ">")
            and node.start < node.end
            and not isinstance(value, dict | list)
        ):
            assert new_front.startswith(front[: node.start]), "text before the scalar changed"
            assert new_front.endswith(front[node.end :]), "text after the scalar changed"
    # (d) flow stays flow; untouched scalars keep their style
    new_nodes = index(new_root)
    prefixes = [p for _, p in touched]
    for path, node in nodes.items():
        if any(path[: len(p)] == p for p in prefixes) or path not in new_nodes:
            continue
        if any(p[: len(path)] == path for p in prefixes):  # an ancestor of an edit
            if type(node) in (Mapping, Sequence) and node.flow:  # type: ignore[union-attr]
                still = new_nodes[path]
                if type(still) in (Mapping, Sequence):
                    assert still.flow, f"{path} was flow"  # type: ignore[union-attr]
            continue
        if type(node) is Scalar and not any(
            p[: len(path) - 1] == path[:-1] for k, p in touched if k != "value"
        ):
            assert type(new_nodes[path]) is Scalar and new_nodes[path].style == node.style, path  # type: ignore[union-attr]
    # (e) YAML 1.1 (PyYAML) and ruamel's safe loader read what newsitem reads (JSON: json)
    readers = {"yaml": (pyyaml, ruamel), "json": (json_reader,), "toml": (toml_reader,)}[before.format]
    for reader in readers:
        if reader(front) == _norm(before.item):
            assert reader(new_front) == _norm(edited), reader.__name__


def edited_value(data: Any, path: Path_) -> Any:
    for step in path:
        data = data[step]
    return data


@pytest.mark.parametrize("name", sorted(ODD))
def test_odd_documents_round_trip(name: str) -> None:
    text = ODD[name]
    assert newsitem.dumps(newsitem.loads(text, schema=None)) == text


@given(st.data())
def test_random_edits_of_odd_documents(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(ODD)))
    text = ODD[name]
    doc = newsitem.loads(text, schema=None)
    if not doc.item and name not in ("empty", "comment-only", "no-front-matter"):
        return
    base = doc.item or {}
    if not base:
        base = {}
        edited = {data.draw(keys): data.draw(values)}
        touched: list[tuple[str, Path_]] = [("key", ())]
    else:
        edited, touched = data.draw(edit_sequence(base))
    check(text, edited, touched)


CORPUS = [p for p in corpus_files() if p.suffix in (".md", ".html", ".yaml", ".yml")]


@pytest.mark.corpus
@given(st.data())
def test_random_edits_of_corpus_files(corpus: Path, data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(CORPUS))
    text = read_exact(path)
    bare = path.suffix in (".yaml", ".yml")
    try:
        doc = newsitem.loads(text, schema=None, bare=bare)
    except newsitem.ParseError:
        assert text.lstrip("\ufeff").startswith(("+++", "{")), path  # other formats
        return
    if not isinstance(doc.item, dict) or not doc.item:
        return
    edited, touched = data.draw(edit_sequence(doc.item))
    check(text, edited, touched, bare=bare)


@pytest.mark.corpus
@pytest.mark.parametrize("path", as_params(CORPUS), ids=lambda p: getattr(p, "name", "none"))
def test_every_corpus_file_reads_alike_in_yaml_1_1_where_written(corpus: Path, path: Path) -> None:
    """Writing every value of a corpus file afresh gives text every reader agrees on."""
    text = read_exact(path)
    bare = path.suffix in (".yaml", ".yml")
    try:
        doc = newsitem.loads(text, schema=None, bare=bare)
    except newsitem.ParseError:
        pytest.skip("not YAML front matter")
    fresh = newsitem.dumps(newsitem.Document(item=doc.item, body=""))
    front = fresh.removeprefix("---\n").removesuffix("---\n")
    assert pyyaml(front) == _norm(doc.item)
    assert ruamel(front) == _norm(doc.item)


@given(st.none())  # check() notes what it saw, as inside any property
def test_the_locality_check_accepts_any_alignment_of_repeated_lines(_: None) -> None:
    """The long run's example (a corpus tag file): difflib aligned one 'volume:' line with
    another copy of it and reported an untouched line removed; the edit was exact."""
    text = (
        "---\nservices:\n  news: \n    url: a\n    volume: \n  learning: \n    url: b\n    volume: \n"
        "  projects: \n    url: c\n    volume: \n---\n"
    )
    edited = copy.deepcopy(newsitem.loads(text, schema=None).item)
    edited["services"].update(news="yes", projects="yes")
    edited["services"]["learning"]["url"] = []
    touched = [("value", ("services", "news")), ("value", ("services", "projects"))]
    check(text, edited, [*touched, ("value", ("services", "learning", "url"))])
