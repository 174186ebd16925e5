"""Regressions: each case broke the write path once (found by adversarial testing).

Every case must write (or refuse with a ValidationError) exactly as recorded, and
what it writes must read back to the edited item.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

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
