"""Regressions: each case broke the write path once (found by adversarial testing).

Every case must write (or refuse with a ValidationError) exactly as recorded, and
what it writes must read back to the edited item.
"""

from __future__ import annotations

import datetime as dt
import enum
import io
import zoneinfo
from typing import Any, Literal

import attrs
import pytest

import newsitem

UTC = dt.UTC
H = "---\ntitle: T\npublishedDateTime: 2024-01-01T00:00:00Z\n"


class Tz(dt.tzinfo):
    def utcoffset(self, d: Any) -> dt.timedelta:
        raise RuntimeError("tz!")


class Evil(dict[str, Any]):
    def items(self) -> Any:
        raise KeyError("boom")


def case(title: str, text: str, edit: Any, schema: Any = None, bare: bool = False, *, expect: Any) -> Any:
    return pytest.param(text, edit, schema, bare, expect, id=title)


CASES = [
    case(
        "D1 top-level alias, anchor edited (typed)",
        H + "provider: &p\n  name: Example\nrelated:\n  - title: R\n    provider: *p\n---\n",
        lambda d: setattr(d.item.provider, "name", "Other"),
        newsitem.NewsItem,
        expect="---\ntitle: T\npublishedDateTime: 2024-01-01T00:00:00Z\nprovider: &p\n  name: Other\nrelated:\n  - title: R\n    provider: {name: Example}\n---\n",  # noqa: E501
    ),
    case(
        "D1 untyped",
        "---\na: &x 1\nb: *x\n---\n",
        lambda d: d.item.__setitem__("a", 2),
        expect="---\na: &x 2\nb: 1\n---\n",
    ),
    case(
        "D1 delete anchored key",
        "---\na: &x 1\nb: *x\n---\n",
        lambda d: d.item.pop("a"),
        expect="---\nb: 1\n---\n",
    ),
    case(
        "D1 merge: edit the base",
        "base: &b\n  layout: post\nm:\n  <<: *b\n",
        lambda d: d.item["base"].__setitem__("layout", "page"),
        bare=True,
        expect="base: &b\n  layout: page\nm:\n  <<: {layout: post}\n",
    ),
    case(
        "D2 datetime into flow (typed related)",
        H + "related: [{title: A}]\n---\n",
        lambda d: setattr(d.item.related[0], "published_date_time", dt.datetime(2024, 2, 1, tzinfo=UTC)),
        newsitem.NewsItem,
        expect='---\ntitle: T\npublishedDateTime: 2024-01-01T00:00:00Z\nrelated: [{title: A, publishedDateTime: !!timestamp "2024-02-01T00:00:00Z"}]\n---\n',  # noqa: E501
    ),
    case(
        "D2 untyped",
        "---\nb: [x]\n---\n",
        lambda d: d.item["b"].append(dt.datetime(2024, 1, 1, tzinfo=UTC)),
        expect='---\nb: [x, !!timestamp "2024-01-01T00:00:00Z"]\n---\n',
    ),
    case(
        "D3 '?' into flow (typed topics)",
        H + "topics: [AI, ML]\n---\n",
        lambda d: d.item.topics.append("What is AI?"),
        newsitem.NewsItem,
        expect='---\ntitle: T\npublishedDateTime: 2024-01-01T00:00:00Z\ntopics: [AI, ML, "What is AI?"]\n---\n',  # noqa: E501
    ),
    case(
        "D4 trailing comma, remove last",
        "---\nt: [a,]\n---\n",
        lambda d: d.item["t"].pop(),
        expect="---\nt: []\n---\n",
    ),
    case(
        "D4 trailing comma multi-line flow map, clear",
        "---\n{\n  b: 1,\n}\n---\n",
        lambda d: d.item.clear(),
        expect="---\n{\n}\n---\n",
    ),
    case(
        "D5 keep-chomp |+ last entry, add key",
        "---\na: |+\n  hi\n---\n",
        lambda d: d.item.__setitem__("b", 1),
        expect="---\na: |+\n  hi\nb: 1\n---\n",
    ),
    case(
        "D5 nested, blank after |+",
        "---\nm:\n  a: |+\n    x\n\nc: 1\n---\n",
        lambda d: d.item["m"].__setitem__("b", 1),
        expect="---\nm:\n  a: |+\n    x\n\n  b: 1\nc: 1\n---\n",
    ),
    case(
        "D6 explicit key: delete",
        "---\n? a\n: 1\nb: 2\n---\n",
        lambda d: d.item.pop("a"),
        expect="---\nb: 2\n---\n",
    ),
    case(
        "D6 explicit null key: add sibling",
        "---\n? a\n---\n",
        lambda d: d.item.__setitem__("b", 1),
        expect="---\n? a\n\nb: 1\n---\n",
    ),
    case(
        "D6 explicit null key: set",
        "---\n? a\n---\n",
        lambda d: d.item.__setitem__("a", 5),
        expect="---\n? a\n: 5\n---\n",
    ),
    case(
        "D6 long (>1024) key: delete",
        "---\n? " + "x" * 1100 + "\n: 1\nb: 2\n---\n",
        lambda d: d.item.pop("x" * 1100),
        expect="---\nb: 2\n---\n",
    ),
    case(
        "D7 !!binary edited",
        "---\nm: !!binary aGVsbG8=\n---\n",
        lambda d: d.item.__setitem__("m", b"bye"),
        expect='---\nm: !!binary "Ynll"\n---\n',
    ),
    case(
        "D8 offset with seconds (zoneinfo LMT)",
        H + "---\n",
        lambda d: setattr(
            d.item,
            "published_date_time",
            dt.datetime(1900, 1, 1, tzinfo=zoneinfo.ZoneInfo("Europe/Amsterdam")),
        ),
        newsitem.NewsItem,
        expect=newsitem.ValidationError,
    ),
    case(
        "D9 DST fold (fresh or edited)",
        H + "---\n",
        lambda d: setattr(
            d.item,
            "published_date_time",
            dt.datetime(2024, 10, 27, 2, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Amsterdam")),
        ),
        newsitem.NewsItem,
        expect="---\ntitle: T\npublishedDateTime: 2024-10-27T02:30:00+02:00\n---\n",
    ),
    case(
        "D10 untyped date -> midnight UTC datetime",
        "---\nk: 2024-03-09\n---\n",
        lambda d: d.item.__setitem__("k", dt.datetime(2025, 1, 2, tzinfo=UTC)),
        expect="---\nk: 2025-01-02T00:00:00Z\n---\n",
    ),
    case(
        "D10 hour-only offset respelled",
        "---\nk: 2024-03-09T06:00:00+02\n---\n",
        lambda d: d.item.__setitem__("k", dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)),
        expect="---\nk: 2025-01-02T03:04:05+00\n---\n",
    ),
    case(
        "D10 RFC 2822 string, year < 100",
        H.replace("2024-01-01T00:00:00Z", '"Sat, 09 Mar 2024 06:00:00 +0000"') + "---\n",
        lambda d: setattr(d.item, "published_date_time", dt.datetime(5, 1, 2, tzinfo=UTC)),
        newsitem.NewsItem,
        expect='---\ntitle: T\npublishedDateTime: "0005-01-02T00:00:00Z"\n---\n',
    ),
    case(
        "D11 flow merge list, edit base",
        "---\nb: &b {x: 1}\nm:\n  <<: [*b]\n---\n",
        lambda d: d.item["b"].__setitem__("x", 2),
        expect="---\nb: &b {x: 2}\nm:\n  <<: [{x: 1}]\n---\n",
    ),
    case(
        "D11 anchored flow map aliased, edit anchor side",
        "---\na: &x {b: 1}\nc: *x\n---\n",
        lambda d: d.item["a"].__setitem__("b", 2),
        expect="---\na: &x {b: 2}\nc: {b: 1}\n---\n",
    ),
    case(
        "D12 [a: 1] pair in flow seq, add key",
        "---\nl: [a: 1, b]\n---\n",
        lambda d: d.item["l"][0].__setitem__("c", 2),
        expect="---\nl: [{a: 1, c: 2}, b]\n---\n",
    ),
    case(
        "D13 NaN key",
        "---\na: 1\n---\n",
        lambda d: d.item.__setitem__(float("nan"), 1),
        expect=newsitem.ValidationError,
    ),
    case(
        "D13 lone-surrogate top-level key",
        "---\na: 1\n---\n",
        lambda d: d.item.__setitem__("\ud800", 1),
        expect=newsitem.ValidationError,
    ),
    case(
        "D13 lone-surrogate key in typed extras",
        H + "---\n",
        lambda d: d.item.extras.__setitem__("\udc00", 1),
        newsitem.NewsItem,
        expect=newsitem.ValidationError,
    ),
    case(
        "D14 bare '---' without newline, add key",
        "---",
        lambda d: d.item.__setitem__("b", 2),
        bare=True,
        expect="---\nb: 2\n",
    ),
    case(
        "D15 tzinfo raising",
        H + "---\n",
        lambda d: setattr(d.item, "published_date_time", dt.datetime(2024, 1, 1, tzinfo=Tz())),
        newsitem.NewsItem,
        expect=newsitem.ValidationError,
    ),
    case(
        "D15 dict subclass raising",
        "---\na: 1\n---\n",
        lambda d: d.item.__setitem__("b", Evil(a=1)),
        expect=newsitem.ValidationError,
    ),
    case(
        "L1 compact nested seq: inner edit rewrites the outer item",
        "---\nk:\n- - a  # c\n  - 'b'\n---\n",
        lambda d: d.item["k"][0].__setitem__(1, "c"),
        expect="---\nk:\n- - a  # c\n  - 'c'\n---\n",
    ),
    case(
        "L1 same, `-\\n    - a` form collapsed",
        "---\nk:\n  -\n    - a  # c\n    - 'b'\n---\n",
        lambda d: d.item["k"][0].append("c"),
        expect="---\nk:\n  -\n    - a  # c\n    - 'b'\n    - c\n---\n",
    ),
    case(
        "L2 item after '- # comment': any list edit rewrites the list",
        "---\nk:\n  - 'q'\n  - # c\n    x: 1\n---\n",
        lambda d: d.item["k"].append(2),
        expect="---\nk:\n  - 'q'\n  - # c\n    x: 1\n  - 2\n---\n",
    ),
    case(
        "L3 list item -> other type: comment lost",
        "---\nl:\n  - 5  # c\n  - x\n---\n",
        lambda d: d.item["l"].__setitem__(0, "five"),
        expect="---\nl:\n  - five  # c\n  - x\n---\n",
    ),
    case(
        "L3 typed topics: comment + quotes lost",
        H + "topics:\n  - 'AI'  # main\n  - Robots\n---\n",
        lambda d: d.item.topics.__setitem__(0, "ML"),
        newsitem.NewsItem,
        expect="---\ntitle: T\npublishedDateTime: 2024-01-01T00:00:00Z\ntopics:\n  - 'ML'  # main\n  - Robots\n---\n",  # noqa: E501
    ),
    case(
        "L3 empty flow item edited -> block",
        "---\nl:\n  - x\n  - []  # c\n---\n",
        lambda d: d.item["l"][1].append("y"),
        expect='---\nl:\n  - x\n  - ["y"]  # c\n---\n',
    ),
    case(
        "L3 flow map item -> block",
        "---\nl:\n  - {a: 1}  # c\n---\n",
        lambda d: d.item["l"].__setitem__(0, {"b": 2}),
        expect="---\nl:\n  - {b: 2}  # c\n---\n",
    ),
    case(
        "L4 reorder loses comments",
        "---\na:\n  - x: 1  # one\n  - x: 3  # three\n---\n",
        lambda d: d.item["a"].reverse(),
        expect="---\na:\n  - x: 3  # three\n  - x: 1  # one\n---\n",
    ),
    case(
        "L5 multi-line flow: delete middle drops neighbour's comment",
        "---\nl: [\n  a,  # first\n  b,  # second\n  c\n]\n---\n",
        lambda d: d.item["l"].pop(1),
        expect="---\nl: [\n  a,  # first\n  c\n]\n---\n",
    ),
    case(
        "L5 multi-line flow: append moves comment to new item",
        "---\nl: [\n  a,  # first\n  b  # second\n]\n---\n",
        lambda d: d.item["l"].append("c"),
        expect="---\nl: [\n  a,  # first\n  b,  # second\n  c\n]\n---\n",
    ),
    case(
        "L6 clearing an anchored container drops the anchor",
        "---\nm: &a\n  k: x\n---\n",
        lambda d: d.item["m"].clear(),
        expect="---\nm: &a {}\n---\n",
    ),
    case(
        "L6 flow map",
        "---\nm: &a {k: 1}\n---\n",
        lambda d: d.item["m"].clear(),
        expect="---\nm: &a {}\n---\n",
    ),
    case(
        "L7 flow mapping with merge: any edit writes the merge out",
        "---\nb: &b {x: 1}\nm: {<<: *b, z: 2}\n---\n",
        lambda d: d.item["m"].__setitem__("z", 3),
        expect="---\nb: &b {x: 1}\nm: {x: 1, z: 3}\n---\n",
    ),
    case(
        "L8 anchored list item edited next to its alias: anchor moves, flow->block",
        "---\nl:\n  - &i {a: 1}\n  - *i\n---\n",
        lambda d: d.item["l"][0].__setitem__("a", 2),
        expect="---\nl:\n  - &i {a: 2}\n  - {a: 1}\n---\n",
    ),
    case(
        "L9 alias written out in block style though anchor is flow",
        "---\na: &x {k: 1, l: [1, 2]}\nb: *x\n---\n",
        lambda d: d.item["b"].__setitem__("k", 2),
        expect="---\na: &x {k: 1, l: [1, 2]}\nb: {k: 2, l: [1, 2]}\n---\n",
    ),
]


@pytest.mark.parametrize(("text", "edit", "schema", "bare", "expect"), CASES)
def test_regression(text: str, edit: Any, schema: Any, bare: bool, expect: Any) -> None:
    doc = newsitem.loads(text, schema=schema, bare=bare)
    edit(doc)
    if expect is newsitem.ValidationError:
        with pytest.raises(newsitem.ValidationError):
            newsitem.dumps(doc)
        return
    out = newsitem.dumps(doc)
    assert out == expect
    assert newsitem.dumps(newsitem.loads(out, schema=schema, bare=bare)) == out
    back = newsitem.loads(out, schema=schema, bare=bare).item
    assert newsitem._convert.same(back, doc.item) or newsitem._convert.same(
        newsitem._convert.unstructure(back), newsitem._convert.unstructure(doc.item)
    )


@pytest.mark.parametrize("spelling", ["!!bool yes", "!!bool on", "!!bool 1", "!!bool whatever"])
def test_an_explicit_bool_tag_takes_only_true_or_false(spelling: str) -> None:
    with pytest.raises(newsitem.ParseError, match="true or false"):
        newsitem.loads(f"---\nm: {spelling}\n---\n", schema=None)


# -- round two -----------------------------------------------------------------------------

D = dt.datetime(2024, 2, 1, 12, 0, tzinfo=UTC)


def setk(k: Any, v: Any) -> Any:
    return lambda d: d.item.__setitem__(k, v)


@attrs.define
class WithUnion:
    x: int | str | None = None


@attrs.define
class WithDict:
    m: dict[str, int] = attrs.Factory(dict)


ROUND_TWO = [
    case(
        "comment right after a quoted value",
        "---\nk: 'x'#c\n---\n",
        setk("k", 5),
        expect="---\nk: 5 #c\n---\n",
    ),
    case(
        "null right before a comment",
        '---\nk: "x"#c\n---\n',
        setk("k", None),
        expect="---\nk: null #c\n---\n",
    ),
    case("in a flow root", "---\n{k: 'x'#c\n}\n---\n", setk("k", True), expect="---\n{k: true #c\n}\n---\n"),
    case(
        "nested",
        "---\na:\n  k: 'x'#c\n---\n",
        lambda d: d.item["a"].__setitem__("k", 5),
        expect="---\na:\n  k: 5 #c\n---\n",
    ),
    case(
        "CR file, body from a LF",
        "---\rk: 1\r---\r",
        lambda d: setattr(d, "body", "\nx"),
        expect="---\rk: 1\r---\r\n\nx",
    ),
    case(
        "a key spelled like an attribute name",
        "---\ntitle: T\npublishedDateTime: 2024-01-01T00:00:00Z\nweb_url: x\n---\n",
        lambda d: None,
        newsitem.NewsItem,
        expect="---\ntitle: T\npublishedDateTime: 2024-01-01T00:00:00Z\nweb_url: x\n---\n",
    ),
    case(
        "flow date to date-time",
        "---\nk: [2024-03-09]\n---\n",
        lambda d: d.item["k"].__setitem__(0, D),
        expect='---\nk: [!!timestamp "2024-02-01T12:00:00Z"]\n---\n',
    ),
    case(
        "typed flow date to date-time",
        "---\n{title: T, publishedDateTime: 2024-01-01}\n---\n",
        lambda d: setattr(d.item, "published_date_time", D),
        newsitem.NewsItem,
        expect='---\n{title: T, publishedDateTime: !!timestamp "2024-02-01T12:00:00Z"}\n---\n',
    ),
    case(
        "re-edit a tagged timestamp",
        '---\nk: [!!timestamp "2024-01-01T00:00:00Z"]\n---\n',
        lambda d: d.item["k"].__setitem__(0, D),
        expect='---\nk: [!!timestamp "2024-02-01T12:00:00Z"]\n---\n',
    ),
    case(
        "union field",
        "---\nx: 1\n---\n",
        lambda d: setattr(d.item, "x", "one"),
        WithUnion,
        expect="---\nx: one\n---\n",
    ),
    case(
        "empty literal kept, key added",
        "---\nk: |\n\n---\n",
        lambda d: (d.item.__setitem__("z", 1), d.item.__setitem__("k", "a\n\n")),
        expect="---\nk: |+\n  a\n\nz: 1\n---\n",
    ),
    case("tab before a comment", "---\nk:\n  j: 1\t# c\n---\n", setk("k", None), expect="---\nk: # c\n---\n"),
    case(
        "alias inside a merge",
        "---\nk: &a x\n<<: {j: *a}\n---\n",
        setk("k", "y"),
        expect='---\nk: &a "y"\n<<: {j: x}\n---\n',
    ),
    case(
        "a quoted << beside a merge",
        "---\nb: &b {x: 1}\nm:\n  <<: *b\n---\n",
        lambda d: d.item["m"].__setitem__("<<", "v"),
        expect='---\nb: &b {x: 1}\nm:\n  "<<": v\n  <<: *b\n---\n',
    ),
    case(
        "LS between entries",
        "---\nk: 1\u2028j: 2\nz: 3\n---\n",
        lambda d: d.item.pop("k"),
        expect="---\nj: 2\nz: 3\n---\n",
    ),
    case(
        "NEL between entries",
        "---\nk: 1\x85j: 2\n---\n",
        lambda d: d.item.pop("k"),
        expect="---\nj: 2\n---\n",
    ),
    case(
        "a dict's key type",
        "---\nm: {a: 1}\n---\n",
        lambda d: d.item.m.__setitem__(1, 2),
        WithDict,
        expect=newsitem.ValidationError,
    ),
    case(
        "block header comment",
        "---\nk: |  # c\n  a\n---\n",
        setk("k", "b\n"),
        expect="---\nk: |  # c\n  b\n---\n",
    ),
    case(
        "reversed with comments",
        "---\nl:\n- 1  # one\n- 2  # two\n- 3  # three\n---\n",
        lambda d: d.item["l"].reverse(),
        expect="---\nl:\n- 3  # three\n- 2  # two\n- 1  # one\n---\n",
    ),
    case(
        "reversed flow keeps quotes",
        "---\nl: [a, 'b', \"c\"]\n---\n",
        lambda d: d.item["l"].reverse(),
        expect="---\nl: [\"c\", 'b', a]\n---\n",
    ),
    case(
        "1 becomes True",
        "---\n1: a\n---\n",
        lambda d: (d.item.pop(1), d.item.__setitem__(True, "a")),
        expect="---\ntrue: a\n---\n",
    ),
    case("-0.0", "---\nk: 0.0\n---\n", setk("k", -0.0), expect="---\nk: -0.0\n---\n"),
]


@pytest.mark.parametrize(("text", "edit", "schema", "bare", "expect"), ROUND_TWO)
def test_regression_round_two(text: str, edit: Any, schema: Any, bare: bool, expect: Any) -> None:
    test_regression(text, edit, schema, bare, expect)


def test_the_scalar_shortcut_honours_the_size_limit() -> None:
    doc = newsitem.loads("---\nk: x\n---\n", schema=None, limits=newsitem.Limits(max_size=50))
    doc.item["k"] = "y" * 100
    with pytest.raises(newsitem.LimitError):
        newsitem.dumps(doc)


def test_fields_that_cannot_be_read_are_refused_with_the_schema() -> None:
    @attrs.define
    class A:
        k: int = 0
        z: int = attrs.field(init=False, default=0)

    with pytest.raises(newsitem.SchemaError, match="init=False"):
        newsitem.loads("---\nk: 1\n---\n", schema=A)


def test_a_timestamp_every_reader_agrees_on_is_read_as_one() -> None:
    value = newsitem.loads("---\nk: 2024-01-01 00:00:00.5 -5\n---\n", schema=None).item["k"]
    assert value == dt.datetime(2024, 1, 1, 0, 0, 0, 500000, tzinfo=dt.timezone(-dt.timedelta(hours=5)))


def test_a_copy_written_elsewhere_keeps_the_document_tied_to_its_file(tmp_path: Any) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: T\npublishedDateTime: 2024-01-01T00:00:00Z\n---\n")
    doc = newsitem.load(path)
    doc.item.title = "Mine"
    newsitem.dump(doc, io.StringIO())
    newsitem.dump(doc, tmp_path / "copy.md")
    path.write_text("---\ntitle: Theirs\npublishedDateTime: 2024-01-01T00:00:00Z\n---\n")
    with pytest.raises(newsitem.ConflictError):
        newsitem.dump(doc, path)
    assert "Theirs" in path.read_text()


# -- round three ---------------------------------------------------------------------------

MERGED = "---\nb: &a\n  e: 3\n  g: 4\nr:\n"

ROUND_THREE = [
    case(
        "a merge first on a '- ' line, a merged key removed",
        MERGED + "- <<: *a\n  f: 1\n---\n",
        lambda d: d.item["r"][0].pop("e"),
        expect=MERGED + "- g: 4\n  f: 1\n---\n",
    ),
    case(
        "a merge alone on a '- ' line, a merged key removed",
        MERGED + "- <<: *a\n---\n",
        lambda d: d.item["r"][0].pop("e"),
        expect=MERGED + "- g: 4\n---\n",
    ),
    case(
        "a merge with a comment first on a '- ' line",
        MERGED + "- <<: *a  # c\n  f: 1\n---\n",
        lambda d: d.item["r"][0].pop("e"),
        expect=MERGED + "- g: 4\n  # c\n  f: 1\n---\n",
    ),
    case(
        "a merge first on a '- ' line, its own key removed too",
        MERGED + "- <<: *a\n  f: 1\n---\n",
        lambda d: (d.item["r"][0].pop("e"), d.item["r"][0].pop("f")),
        expect=MERGED + "- g: 4\n---\n",
    ),
    case(
        "CR file whose closing fence ends the text, body from a LF",
        "---\rk: 1\r---",
        lambda d: setattr(d, "body", "\nx"),
        expect="---\rk: 1\r---\r\n\nx",
    ),
    case(
        "the same with an edit",
        "---\rk: 1\r...",
        lambda d: (d.item.__setitem__("k", 2), setattr(d, "body", "\n")),
        expect="---\rk: 2\r...\r\n\n",
    ),
    case(
        "a body that opens front matter never closed, in a file without any",
        "plain body\n",
        lambda d: setattr(d, "body", "---\nno closing fence\n"),
        expect=newsitem.ValidationError,
    ),
    case(
        "a block made to keep its empty lines, the key after it replaced",
        "---\nk: |\n  two\nextra: x\n---\n",
        lambda d: (d.item.__setitem__("k", "a\n\n"), d.item.pop("extra"), d.item.__setitem__("z", 1)),
        expect="---\nk: |+\n  a\n\nz: 1\n---\n",
    ),
    case(
        "a block made to keep its empty lines, the key after it removed",
        "---\nk: |\n  two\nextra: x\n\nz: 1\n---\n",
        lambda d: (d.item.__setitem__("k", "a\n\n"), d.item.pop("extra")),
        expect="---\nk: |+\n  a\n\nz: 1\n---\n",
    ),
    case(
        "'- - a': the first inner item replaced, the second edited, one added",
        "---\nu:\n- - 1\n  - b\n---\n",
        lambda d: d.item["u"].__setitem__(0, ["x", "b2", "c"]),
        expect="---\nu:\n- - x\n  - b2\n  - c\n---\n",
    ),
    case(
        "'- - a': the first inner item replaced by two",
        "---\nu:\n  - - - 1\n      - b\n---\n",
        lambda d: d.item["u"][0].__setitem__(0, ["x", "y", "b"]),
        expect='---\nu:\n  - - - x\n      - "y"\n      - b\n---\n',
    ),
    case(
        "'- 1:' item whose keys all go, one for an equal key of another type",
        "---\nt:\n- 1:\n  x:\n---\n",
        lambda d: d.item.__setitem__("t", [None, {True: "a"}]),
        expect="---\nt:\n- null\n- true: a\n---\n",
    ),
    case(
        "a block scalar whose last line ends with a blank",
        "---\nk: |-\n  trailing \nz: 1\n---\n",
        lambda d: d.item.__setitem__("k", "new"),
        expect="---\nk: |-\n  new\nz: 1\n---\n",
    ),
    case(
        "a block scalar whose text ends with U+00A0 (no YAML blank)",
        "---\nk: >-\n  nbsp\xa0\nz: 1\n---\n",
        lambda d: d.item.__setitem__("k", "  "),
        expect='---\nk: "  "\nz: 1\n---\n',
    ),
    case(
        "a key added after an entry that now ends with a '|+' block",
        "---\ni:\n    n: |+\n      x\n    k: 1\n---\n",
        lambda d: (d.item["i"].pop("k"), d.item.__setitem__("z", 1)),
        expect="---\ni:\n    n: |+\n      x\nz: 1\n---\n",
    ),
    case(
        "a block scalar whose last line is spaces beyond its indentation",
        "---\nk: |\n  t\n    \nz: 1\n---\n",
        lambda d: d.item.__setitem__("k", "new"),
        expect="---\nk: |-\n  new\nz: 1\n---\n",
    ),
    case(
        "the same under an indentation indicator",
        "---\nk:\n- >-1\n   t\n  \n---\n",
        lambda d: d.item["k"].append("z"),
        expect="---\nk:\n- >-1\n   t\n  \n- z\n---\n",
    ),
    case(
        "an entry removed after a block scalar, with a comment further in",
        "---\nk: |-\n  a\nj:\n  i: 1\n  # c\n# top\nz: 1\n---\n",
        lambda d: d.item.pop("j"),
        expect="---\nk: |-\n  a\n# top\nz: 1\n---\n",
    ),
    case(
        "an entry removed after a block scalar, with empty lines of spaces of its own",
        "---\nk: >-1\n a\nj:\n- |-\n    b\n  \n---\n",
        lambda d: d.item.pop("j"),
        expect="---\nk: >-1\n a\n---\n",
    ),
    case(
        "a block scalar of spaces only, under an indentation indicator",
        "---\nk:\n- v\n- >-1\n  \n---\n",
        lambda d: d.item["k"].append("x"),
        expect="---\nk:\n- v\n- >-1\n  \n- x\n---\n",
    ),
]


@pytest.mark.parametrize(("text", "edit", "schema", "bare", "expect"), ROUND_THREE)
def test_regression_round_three(text: str, edit: Any, schema: Any, bare: bool, expect: Any) -> None:
    test_regression(text, edit, schema, bare, expect)


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('k: "\\U00110000"\n', 1, 7),  # ValueError from chr() before
        ('k: "\\UFFFFFFFF"\n', 1, 7),  # OverflowError from chr() before
        ('k: "x\\ud800"\n', 1, 8),  # a lone surrogate, taken before
        ('k: "a\n  \\uDC00"\n', 2, 5),
        ('k: "x\\q"\n', 1, 6),  # at the backslash, as libyaml has it
    ],
)
def test_the_pure_parser_refuses_bad_escapes_as_libyaml_does(
    text: str, line: int, column: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsitem import _fastread, _pure, _tree

    monkeypatch.setattr(_fastread, "ENABLED", False)
    for source in (_pure.event_source, _tree._event_source):  # the second is libyaml where installed
        monkeypatch.setattr(_tree, "_event_source", source)
        with pytest.raises(newsitem.ParseError) as info:
            _tree.parse(text)
        assert (info.value.line, info.value.column) == (line, column)
        with pytest.raises(newsitem.ParseError):
            newsitem.loads("---\n" + text + "---\n", schema=None)


def test_a_failed_check_in_the_patcher_is_an_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not a bare AssertionError: whatever the walk gets wrong comes out as newsitem's own error."""
    from newsitem import _patch

    def overlapping(self: Any) -> str:
        raise AssertionError("overlapping edits at 8")

    monkeypatch.setattr(_patch._Patcher, "apply", overlapping)
    doc = newsitem.loads("---\nk: 1\n---\n", schema=None)
    doc.item["k"] = 2
    with pytest.raises(newsitem.NewsItemError, match=r"internal error.*overlapping edits at 8"):
        newsitem.dumps(doc)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("k: 1\u2028j: 2\n", {"k": 1, "j": 2}),
        ("k: 1\x85j: 2\n", {"k": 1, "j": 2}),
        ('k: "1"\u2029j: 2\n', {"k": "1", "j": 2}),
        ("- 1\u2028- 2\n", [1, 2]),
    ],
)
def test_the_pure_parser_breaks_lines_at_nel_ls_ps_as_libyaml_does(
    text: str, value: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the libyaml extra these were one line (YAML 1.2): an error, or one scalar."""
    from newsitem import _fastread, _pure, _tree

    monkeypatch.setattr(_fastread, "ENABLED", False)
    for source in (_pure.event_source, _tree._event_source):  # the second is libyaml where installed
        monkeypatch.setattr(_tree, "_event_source", source)
        root = _tree.parse(text)
        assert root is not None
        assert root.value == value


# -- round four: typed edits ---------------------------------------------------------------

SPACED = (
    '---\ntitle: "T"\npublishedDateTime: 2024-01-01T00:00:00Z\ntype: article\n\nprovider:\n  name: P\n\n'
    'topics:\n  - a\n\nsecured: "abc"\n---\nBody\n'
)


@pytest.mark.parametrize("field", ["provider", "topics", "secured"])
def test_a_block_removed_and_added_back_does_not_gather_blank_lines(field: str) -> None:
    """Its blank lines stay when it goes; when it comes back it takes one of them
    instead of bringing its own, so cycles of both leave the file as it was."""
    value = getattr(newsitem.loads(SPACED).item, field)
    text = SPACED
    for _ in range(3):
        doc = newsitem.loads(text)
        setattr(doc.item, field, [] if isinstance(value, list) else None)
        text = newsitem.dumps(doc)
        doc = newsitem.loads(text)
        setattr(doc.item, field, value)
        text = newsitem.dumps(doc)
    assert text == SPACED


@attrs.define
class Dup:
    a: str | None = attrs.field(default=None, metadata={"newsitem.key": "b"})
    b: str | None = None


@attrs.define
class Outer:
    inner: Dup | None = None


def test_two_fields_under_one_key_are_refused_with_the_schema() -> None:
    """One of them was lost without a word: Dup(a="1", b="2") was written 'b: "2"'."""
    for schema in (Dup, Outer):
        with pytest.raises(newsitem.SchemaError, match=r"Dup\.b: its key 'b' is the key of Dup\.a too"):
            newsitem.loads("---\nb: x\n---\n", schema=schema)
    with pytest.raises(newsitem.SchemaError, match="key 'b'"):
        newsitem.dumps(newsitem.Document(Dup(a="1", b="2")))


@attrs.define
class Private:
    _x: str = ""
    extras: dict[str, Any] = attrs.field(factory=dict, metadata={"newsitem.extras": True})


def test_a_private_field_is_written_under_its_init_name() -> None:
    """``_x`` was written under the key ``X``, so a file's ``x:`` went to extras."""
    doc = newsitem.loads("---\nx: a\n---\n", schema=Private)
    assert doc.item._x == "a" and doc.item.extras == {}
    assert newsitem.dumps(newsitem.Document(Private(x="b"))) == "---\nx: b\n---\n"


class Colour(str, enum.Enum):  # noqa: UP042 - the mixin spelling; StrEnum is one too
    RED = "red"
    BLUE = "blue"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Shape(enum.Enum):
    ROUND = "round"
    SIDES = 2


@attrs.define
class Paint:
    colour: Colour | None = None
    level: Level | None = None
    shape: Shape | None = None
    levels: list[Level] = attrs.Factory(list)


def test_enums_with_a_str_or_int_mixin_read_as_members() -> None:
    """A ``str``/``int`` enum was read as the plain string or integer, unchecked (a
    ``colour: green`` loaded), and then refused when written or exported."""
    doc = newsitem.loads("---\ncolour: red\nlevel: 2\nshape: 2\nlevels: [1]\n---\n", schema=Paint)
    assert doc.item == Paint(Colour.RED, Level.HIGH, Shape.SIDES, [Level.LOW])
    assert all(type(v) is not str and type(v) is not int for v in (doc.item.colour, doc.item.level))
    assert newsitem.to_json(doc.item) == {"colour": "red", "level": 2, "shape": 2, "levels": [1]}
    doc.item.colour = Colour.BLUE
    assert newsitem.dumps(doc) == "---\ncolour: blue\nlevel: 2\nshape: 2\nlevels: [1]\n---\n"
    for text, field in [
        ("colour: green", "colour"),
        ("level: 3", "level"),
        ("level: true", "level"),
        ("level: '2'", "level"),
        ("shape: 2.0", "shape"),
        ("levels: [3]", "levels[0]"),
    ]:
        with pytest.raises(newsitem.ValidationError) as e:
            newsitem.loads(f"---\n{text}\n---\n", schema=Paint)
        assert [err.field for err in e.value.errors] == [field]
        assert "expected one of" in e.value.errors[0].message and e.value.errors[0].line == 2


@attrs.define
class Mode:
    mode: Literal["x", 3, 1] | None = None
    other: int | None = None


@pytest.mark.parametrize("value", ["3.0", "true", "1.0"])
def test_a_literal_takes_only_its_own_values(value: str) -> None:
    """``3.0`` and ``true`` were read as ``Literal[3, 1]`` values (they compare equal),
    and then refused by ``to_json`` and written back as they were read."""
    with pytest.raises(newsitem.ValidationError) as e:
        newsitem.loads(f"---\nmode: {value}\n---\n", schema=Mode)
    assert [(err.field, err.line) for err in e.value.errors] == [("mode", 2)]
    assert e.value.errors[0].message.startswith("expected one of 'x', 3, 1, got")


@attrs.frozen
class Frozen:
    title: str
    extras: dict[str, Any] = attrs.field(factory=dict, metadata={"newsitem.extras": True})


def test_a_frozen_schema_keeps_unknown_keys() -> None:
    """A frozen class with an extras field could not load a file with an unknown key:
    "can't set attribute", as a validation error of the whole front matter."""
    doc = newsitem.loads("---\ntitle: a\nz: 1\n---\n", schema=Frozen)
    assert doc.item == Frozen("a", {"z": 1})
    doc.item = attrs.evolve(doc.item, title="b")
    assert newsitem.dumps(doc) == "---\ntitle: b\nz: 1\n---\n"


class Seconds(int):
    """A registered type whose structure hook fails with a KeyError."""


@attrs.define
class Timed:
    length: Seconds | None = None


def test_a_key_error_from_a_hook_is_not_a_missing_field() -> None:
    """A KeyError from a registered type's *structure* was reported as "required
    field is missing" for a field that the file has."""
    newsitem.register_type(Seconds, structure=lambda v: {}[v], unstructure=int)
    with pytest.raises(newsitem.ValidationError) as e:
        newsitem.loads("---\nlength: 3\n---\n", schema=Timed)
    [error] = e.value.errors
    assert (error.field, error.line, error.column) == ("length", 2, 9)
    assert "missing" not in error.message and "KeyError: 3" in error.message


@pytest.mark.parametrize("tp", [str, int, bool, float, dt.datetime, dt.date, list, dict, type(None)])
def test_register_type_refuses_the_types_newsitem_reads_itself(tp: Any) -> None:
    """register_type(str, ...) replaced how every NewsItem title was read and written (a
    hook that upper-cased titles then made dumps fail as an internal error)."""
    with pytest.raises(newsitem.SchemaError, match=f"newsitem reads and writes {tp.__name__} itself"):
        newsitem.register_type(tp, structure=tp, unstructure=tp)
    doc = newsitem.loads(H + "---\n")
    assert doc.item.title == "T"


@pytest.mark.parametrize("tp", ["str", None, list[int], int | str])
def test_register_type_takes_a_class(tp: Any) -> None:
    """A non-class raised cattrs' own TypeError ("Invalid first argument to `register()`")."""
    with pytest.raises(newsitem.SchemaError, match="register_type\\(\\) takes a class"):
        newsitem.register_type(tp, structure=str, unstructure=str)


def test_a_fresh_item_beyond_the_limits_is_refused_without_a_place_in_unwritten_text() -> None:
    """It pointed at 'line 66, column 129' of text that was never written."""
    deep: dict[str, Any] = {"a": 1}
    inner = deep
    for _ in range(70):
        inner["n"] = {}
        inner = inner["n"]
    with pytest.raises(newsitem.LimitError) as caught:
        newsitem.dumps(newsitem.Document(deep))
    assert (caught.value.line, caught.value.column) == (None, None)
    assert (
        str(caught.value)
        == "once written, the front matter would go beyond the limits: nesting deeper than 64 levels"
    )
