"""The pure-Python parser path: used when the libyaml extra is missing, and equal to libyaml.

``.ci/run`` runs the whole suite twice: once as installed (libyaml, through
``ruamel.yaml.clibz``) and once in a second environment where that distribution was
uninstalled, so ruamel.yaml's pure-Python parser (mended in ``newsitem._pure``) reads
every document. ``NEWSITEM_EXPECT_PURE`` tells each run which parser it must be using.
Where both parsers are installed, the differential tests below parse the same text with
each and require the same tree, or the same error at the same place.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsitem
from newsitem import _pure, _tree
from newsitem._split import split

from .conftest import FIXTURES, as_params, corpus_files, read_exact

HAVE_LIBYAML = _tree._clib is not None
needs_both = pytest.mark.skipif(
    not HAVE_LIBYAML, reason="the libyaml extra is not installed: nothing to compare"
)


# -- which parser is in use ---------------------------------------------------------------


def test_the_expected_parser_is_in_use() -> None:
    expect = os.environ.get("NEWSITEM_EXPECT_PURE")
    if expect is None:
        pytest.skip("NEWSITEM_EXPECT_PURE is not set (CI sets it to 0 or 1)")
    assert expect in ("0", "1"), f"NEWSITEM_EXPECT_PURE must be 0 or 1, not {expect!r}"
    installed = importlib.util.find_spec("_ruamel_yaml_clibz") is not None
    if expect == "1":
        assert not installed, "ruamel.yaml.clibz is installed: this run would not test the pure parser"
        assert _tree._clib is None
    else:
        assert installed, "ruamel.yaml.clibz is missing: the libyaml extra did not install"
        assert _tree._clib is not None


def test_loading_goes_through_the_parser_in_use(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    pure = _pure.event_source

    def spy(text: str) -> Callable[[], Any]:
        calls.append(text)
        return pure(text)

    monkeypatch.setattr(_pure, "event_source", spy)
    # A flow list is outside the fast reader's subset (newsitem._fastread): the parser reads it.
    doc = newsitem.loads("---\ntitle: T\npublishedDateTime: 2024-03-09T06:00:00Z\ntopics: [a]\n---\n")
    assert doc.item.topics == ["a"]
    assert len(calls) == (0 if HAVE_LIBYAML else 1)


# -- the same tree from both parsers -------------------------------------------------------


def _dump(node: _tree.Node | None) -> Any:
    """Everything a node knows, spans included, as plain tuples."""
    if node is None:
        return None
    if isinstance(node, _tree.Scalar):
        return ("scalar", node.start, node.end, node.style, repr(node.value), node.tag, node.anchor)
    if isinstance(node, _tree.Alias):
        return ("alias", node.start, node.end, node.target.start)
    keys = [_dump(k) for k in node.keys] if isinstance(node, _tree.Mapping) else []
    kids = [_dump(n) for n in node.nodes]
    return (
        type(node).__name__,
        node.start,
        node.end,
        node.flow,
        node.tag,
        node.anchor,
        keys,
        kids,
        node.size,
    )


def _outcome(text: str, source: Callable[[str], Callable[[], Any]], monkeypatch: pytest.MonkeyPatch) -> Any:
    with monkeypatch.context() as m:
        m.setattr(_tree, "_event_source", source)
        try:
            return _dump(_tree.parse(text))
        except newsitem.NewsItemError as e:
            # The words may differ (libyaml's or ruamel.yaml's); the kind and place may not.
            return (type(e).__name__, e.line, e.column)


def assert_same(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    libyaml = _outcome(text, _tree._event_source, monkeypatch)
    pure = _outcome(text, _pure.event_source, monkeypatch)
    assert pure == libyaml, text


def _front_matter(path: Path) -> str:
    """A corpus file's YAML (a TOML or JSON front matter has none: then "")."""
    text = read_exact(path).lstrip("\ufeff")
    if path.suffix in (".yaml", ".yml"):
        return text
    parts = split(text)
    return parts.front if parts.format == "yaml" else ""


@needs_both
@pytest.mark.corpus
@pytest.mark.parametrize("path", as_params(corpus_files()), ids=lambda p: "/".join(p.parts[-2:]))
def test_corpus_files_parse_the_same(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_same(_front_matter(path), monkeypatch)


def _readable(paths: list[Path]) -> list[Path]:
    """The files whose front matter reaches the YAML parser (not those with bad UTF-8)."""
    readable = []
    for path in paths:
        try:
            _front_matter(path)
        except (newsitem.NewsItemError, UnicodeDecodeError):
            continue
        readable.append(path)
    return readable


FIXTURE_FILES = _readable(
    sorted((FIXTURES / "roundtrip").iterdir()) + sorted((FIXTURES.parent / "invalid").glob("*.md"))
)


@needs_both
@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixtures_and_invalid_files_parse_the_same(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_same(_front_matter(path), monkeypatch)


EDGES = [
    # tabs as separators, where libyaml takes them and where it refuses them
    "a:\tb\n",
    "a: b\t# c\n",
    "a: b\t\n",
    "a\t: b\n",
    'a: "x"\t# c\n',
    "a:\t[1, 2]\n",
    "a:\t{b: 1}\n",
    "a:\t\n  b: 1\n",
    "a: one\ttwo\n",
    "a: one\n  \ttwo\n",
    "a: one\n\ttwo\n",
    "l:\n  - a\t# c\n  - b\n",
    "a: |\t# c\n  x\n",
    "a: >-\t\n  x\n",
    "\ta: b\n",
    "a:\n\t- b\n",
    "-\ta\n",
    "? a\n:\tb\n",
    "a: |\n\tx\n",
    "a: |\n  x\n\t\n",
    "a: |\n  x\n \tx\n",
    "a: |\n  x\n  \ty\n",
    "a: |\n  \tx\n",
    "a: |\n\n\t\n  x\n",
    "a: |\n  \n    x\n",
    "a: |\n    \n  x\n",
    "a: |2\n   x\n  \ty\n",
    "a: {b:\t1,\tc: 2}\n",
    # empty values: where they sit is where an edit writes
    "a: \nb: 1\n",
    "a:\nb: 1\n",
    "a:   # c\nb: 1\n",
    "a:\n",
    "a: ",
    "a:\r\nb:\r\n",
    "l:\n  - \n  -\n  - x\n",
    "{a: , b: }\n",
    "{a: }\n",
    "{a:\n}\n",
    "[a: , b]\n",
    "[a:\n, b]\n",
    "? a\n",
    "? a\n: \n",
    "a: !!str\nb: 1\n",
    "a: &x\nb: *x\n",
    "a: &x  \n\nb: 1\n",
    # node properties: a node starts at its first one
    "a: !!str &x 1\nb: *x\n",
    "a: &x !!str 1\nb: *x\n",
    "a: !!str &x\n  - 1\n",
    "a: &x !!map\n  b: 1\nc: *x\n",
    "a: ! &x y\n",
    # no key: libyaml refuses what ruamel.yaml reads as a null key
    ": a\n",
    "a: 1\n: b\n",
    "- : b\n",
    # a character YAML does not allow
    "a: b\x00c\n",
    "a: \x07\n",
    "a: \ufffe\n",
    "a: \u00e9\u00e9\u00e9\x00\n",
    "a: \U0001f600\n\u00e9: \x1b\n",
    # ordinary trouble
    'a: "unterminated\n',
    "a: [1, 2\n",
    "a: b: c\n",
    "a: 1\n a: 2\n",
    "a: *nothing\n",
    "a: !custom x\n",
]


@needs_both
@pytest.mark.parametrize("text", EDGES)
def test_edge_cases_parse_the_same(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_same(text, monkeypatch)


# Front matter as people write it, tabs and empty values included: a grammar, not noise
# (on noise the two parsers differ in where they report some errors, and in a few corners
# of YAML no front matter uses: '|#' with no blank before the comment, a tag right before
# a tab, explicit '?' keys inside flow collections).
_BLANK = st.sampled_from([" ", " ", "  ", "\t", " \t"])
_SCALAR = st.sampled_from(
    [
        "x",
        "two words",
        "tab\tinside",
        "42",
        "-2.5e3",
        "true",
        "null",
        "~",
        "2024-03-09T06:00:00Z",
        "2024-03-09 06:00:00 +01:00",
        "2024-02-30",
        "a:b",
        "https://example.net/a?b=1#c",
        "0x1F",
        ".inf",
        '"double"',
        '"esc \\" \\u00e9 \\t"',
        '""',
        "'single'",
        "'it''s'",
        "''",
        "!!str 12",
        "!!int '7'",
        "&anchor value",
        "!!str &both v",
    ]
)
_COMMENT = st.sampled_from(["", "", " # note", "\t# tab", "  #"])
_KEY = st.sampled_from(["title", "a", "b", "webUrl", "quality", "k e y", '"quoted"', "'q'", "x1"])


@st.composite
def _block(draw: st.DrawFn, indent: int, depth: int) -> str:
    pad = " " * indent
    lines: list[str] = []
    as_list = depth > 0 and draw(st.booleans())
    keys = draw(st.lists(_KEY, min_size=1, max_size=4, unique=True))
    for key in keys:
        head = f"{pad}- " if as_list else f"{pad}{key}:"
        kind = draw(st.sampled_from(["scalar", "scalar", "empty", "block", "flow", "literal"]))
        if kind == "block" and depth < 3:
            lines.append(head + draw(_COMMENT))
            lines.append(draw(_block(indent + draw(st.sampled_from([2, 4])), depth + 1)))
        elif kind == "flow":
            items = draw(st.lists(_SCALAR.filter(lambda s: not s.startswith(("&", "!"))), max_size=3))
            flow = draw(st.sampled_from(["[{}]", "{{k: {}}}", "[k: {}]"]))
            lines.append(head + draw(_BLANK) + flow.format(("," + draw(_BLANK)).join(items)) + draw(_COMMENT))
        elif kind == "literal":
            style = draw(st.sampled_from(["|", ">", "|-", ">+", "|2"]))
            lines.append(head + " " + style + draw(_COMMENT))
            lines.append(f"{pad}  body line\n{pad}  \tmore\n")
        elif kind == "empty" or (as_list and kind == "block"):
            lines.append(head + draw(st.sampled_from(["", " ", "\t", "  "])) + draw(_COMMENT))
        else:
            lines.append(head + draw(_BLANK) + draw(_SCALAR) + draw(_COMMENT))
        if draw(st.integers(0, 5)) == 0:
            lines.append(draw(st.sampled_from(["", "# comment", "  ", "\t"])))
    return "\n".join(lines) + "\n"


@needs_both
@given(doc=_block(0, 0), crlf=st.booleans())
def test_front_matter_parses_the_same(doc: str, crlf: bool) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert_same(doc.replace("\n", "\r\n") if crlf else doc, monkeypatch)


def test_each_pure_parse_has_its_own_state() -> None:
    # A parse abandoned halfway (as when an error stops the tree) is reset when it is
    # collected; that must not reset another parse under way.
    first = _pure.event_source("a: [1, 2]\n")
    first()
    second = _pure.event_source("b: 2\n")
    events = [type(second()).__name__]
    del first
    while (event := second()) is not None:
        events.append(type(event).__name__)
    assert events == [
        "StreamStartEvent",
        "DocumentStartEvent",
        "MappingStartEvent",
        "ScalarEvent",
        "ScalarEvent",
        "MappingEndEvent",
        "DocumentEndEvent",
        "StreamEndEvent",
    ]
