"""Writing back by difference: only what was edited changes."""

from __future__ import annotations

import datetime as dt
import decimal
import difflib
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml

import newsitem
from newsitem import _convert, _patch

UTC = dt.UTC

ITEM = """\
---
category: news
title: "Old \\"quoted\\" title"   # keep me
excerpt: 'single ''quoted'''
publishedDateTime: 2023-11-28T13:36:00Z
webUrl: "https://example.org/a"
type: article
quality: 56
unknownKey: kept as is

provider:
  name: Example
  domain: example.org

topics:
  - AI
  - Robots

images:
  - url: "https://example.org/1.jpg"
    width: 100
    height: 50

secured: "b3BhcXVl;c2VjcmV0"
---
Body stays.
"""


def edited(text: str, change: Any, **load: Any) -> str:
    doc = newsitem.loads(text, **load)
    change(doc.item)
    return newsitem.dumps(doc)


def diff(a: str, b: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(a.splitlines(True), b.splitlines(True), n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_unedited_is_identical() -> None:
    assert newsitem.dumps(newsitem.loads(ITEM)) == ITEM


def test_double_quoted_scalar_stays_double_quoted_with_escapes_and_comment() -> None:
    out = edited(ITEM, lambda i: setattr(i, "title", 'He said "hi" \\ é\t'))
    assert diff(ITEM, out) == [
        '-title: "Old \\"quoted\\" title"   # keep me\n',
        '+title: "He said \\"hi\\" \\\\ é\\t"   # keep me\n',
    ]
    assert newsitem.loads(out).item.title == 'He said "hi" \\ é\t'


def test_single_quoted_stays_single_quoted() -> None:
    out = edited(ITEM, lambda i: setattr(i, "excerpt", "it's"))
    assert diff(ITEM, out) == ["-excerpt: 'single ''quoted'''\n", "+excerpt: 'it''s'\n"]


@pytest.mark.parametrize(
    ("value", "line"),
    [
        ("video", "type: video"),
        ("true", 'type: "true"'),
        ("123", 'type: "123"'),
        ("a: b", 'type: "a: b"'),
        ("- x", 'type: "- x"'),
        ("", 'type: ""'),
        ("null", 'type: "null"'),
        ("2023-01-01", 'type: "2023-01-01"'),
    ],
)
def test_plain_stays_plain_unless_that_would_change_its_meaning(value: str, line: str) -> None:
    out = edited(ITEM, lambda i: setattr(i, "type", value))
    assert diff(ITEM, out) == ["-type: article\n", f"+{line}\n"]
    assert newsitem.loads(out).item.type == value


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("2023-11-28T13:36:00Z", "2024-01-02T03:04:05Z"),
        ("2023-11-28T13:36:00.000Z", "2024-01-02T03:04:05.000Z"),
        ("2023-11-28 13:36:00", "2024-01-02 03:04:05"),
        ("2023-11-28T15:36:00+02:00", "2024-01-02T03:04:05+00:00"),
        ('"Tue, 28 Nov 2023 13:36:00 +0000"', '"Tue, 02 Jan 2024 03:04:05 +0000"'),
    ],
)
def test_date_times_keep_their_spelling(spelling: str, expected: str) -> None:
    text = ITEM.replace("2023-11-28T13:36:00Z", spelling)
    new = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    out = edited(text, lambda i: setattr(i, "published_date_time", new))
    assert diff(text, out) == [f"-publishedDateTime: {spelling}\n", f"+publishedDateTime: {expected}\n"]
    assert newsitem.loads(out).item.published_date_time == new


def test_appending_inserting_and_removing_list_items() -> None:
    out = edited(ITEM, lambda i: i.topics.append("Policy"))
    assert diff(ITEM, out) == ["+  - Policy\n"]
    out = edited(ITEM, lambda i: i.topics.insert(1, "Middle"))
    assert diff(ITEM, out) == ["+  - Middle\n"]
    assert newsitem.loads(out).item.topics == ["AI", "Middle", "Robots"]
    out = edited(ITEM, lambda i: i.topics.pop(0))
    assert diff(ITEM, out) == ["-  - AI\n"]


def test_new_list_items_look_like_their_siblings() -> None:
    text = ITEM.replace(
        '  - url: "https://example.org/1.jpg"\n    width: 100\n    height: 50\n',
        "    -   url: https://example.org/1.jpg\n        width: 100\n        height: 50\n",
    )
    img = newsitem.Image(url="https://example.org/2.jpg", width=7, height=8)
    out = edited(text, lambda i: i.images.append(img))
    assert diff(text, out) == [
        "+    -   url: https://example.org/2.jpg\n",
        "+        width: 7\n",
        "+        height: 8\n",
    ]


def test_setting_an_absent_field_puts_it_in_house_order() -> None:
    out = edited(ITEM, lambda i: setattr(i, "heat", 7))
    assert diff(ITEM, out) == ["+heat: 7\n"]
    assert out.index("quality: 56\nheat: 7\n") > 0
    out = edited(ITEM, lambda i: setattr(i, "original_url", "https://example.org/o"))
    assert 'publishedDateTime: 2023-11-28T13:36:00Z\noriginalUrl: "https://example.org/o"\nwebUrl' in out


def test_adding_a_block_field_sets_it_apart_like_its_neighbours() -> None:
    rel = newsitem.RelatedItem(title="Other", quality=3)
    out = edited(ITEM, lambda i: i.related.append(rel))
    assert sorted(diff(ITEM, out)) == sorted(
        ["+\n", "+related:\n", '+  - title: "Other"\n', "+    quality: 3\n"]
    )
    assert '    height: 50\n\nrelated:\n  - title: "Other"\n    quality: 3\n\nsecured:' in out
    assert newsitem.loads(out).item.related == [rel]


def test_none_and_emptied_lists_lose_their_lines_and_nothing_else() -> None:
    out = edited(ITEM, lambda i: setattr(i, "quality", None))
    assert diff(ITEM, out) == ["-quality: 56\n"]
    out = edited(ITEM, lambda i: i.images.clear())
    assert diff(ITEM, out) == [
        "-images:\n",
        '-  - url: "https://example.org/1.jpg"\n',
        "-    width: 100\n",
        "-    height: 50\n",
    ]


def test_nested_edits_and_evolve() -> None:
    def change(i: newsitem.NewsItem) -> None:
        assert i.provider is not None
        i.provider.name = "Renamed"

    assert diff(ITEM, edited(ITEM, change)) == ["-  name: Example\n", "+  name: Renamed\n"]
    doc = newsitem.loads(ITEM)
    doc.item = attrs.evolve(doc.item, quality=57)
    assert diff(ITEM, newsitem.dumps(doc)) == ["-quality: 56\n", "+quality: 57\n"]


def test_unknown_keys_opaque_fields_and_body_are_untouched() -> None:
    out = edited(ITEM, lambda i: i.extras.update(unknownKey="changed", added=1))
    assert diff(ITEM, out) == ["-unknownKey: kept as is\n", "+unknownKey: changed\n", "+added: 1\n"]
    doc = newsitem.loads(ITEM)
    doc.body = "New body.\n"
    assert newsitem.dumps(doc) == ITEM.replace("Body stays.\n", "New body.\n")


def test_removing_the_first_key_of_a_list_item_keeps_the_dash() -> None:
    out = edited(ITEM, lambda i: setattr(i.images[0], "url", None))
    assert diff(ITEM, out) == [
        '-  - url: "https://example.org/1.jpg"\n',
        "-    width: 100\n",
        "+  - width: 100\n",
    ]
    assert newsitem.loads(out).item.images[0] == newsitem.Image(width=100, height=50)


def test_crlf_files_get_crlf_lines() -> None:
    text = ITEM.replace("\n", "\r\n")
    out = edited(text, lambda i: i.topics.append("New"))
    assert out == text.replace("  - Robots\r\n", "  - Robots\r\n  - New\r\n")


def test_flow_and_block_scalars() -> None:
    text = (
        "---\ntitle: T\npublishedDateTime: 2023-11-28T13:36:00Z\n"
        "topics: [AI, ML]\nexcerpt: |\n  one\n  two\n\ntype: x\n---\n"
    )
    out = edited(text, lambda i: i.topics.append("New"))
    assert diff(text, out) == ["-topics: [AI, ML]\n", "+topics: [AI, ML, New]\n"]
    out = edited(text, lambda i: setattr(i, "excerpt", "three\nfour\n"))
    assert diff(text, out) == ["-  one\n", "-  two\n", "+  three\n", "+  four\n"]


def test_untyped_and_custom_schemas_edit_the_same_way() -> None:
    text = "---\n# people\nname: Ada   # first\nlinks:\n  - a\nbio: 'x'\n---\nBody\n"
    doc = newsitem.loads(text, schema=None)
    doc.item["name"] = "Grace"
    doc.item["links"].append("b")
    del doc.item["bio"]
    assert sorted(diff(text, newsitem.dumps(doc))) == sorted(
        ["-name: Ada   # first\n", "+name: Grace   # first\n", "+  - b\n", "-bio: 'x'\n"]
    )

    @attrs.define
    class Person:
        name: str
        links: list[str] = attrs.Factory(list)
        extras: dict[str, Any] = attrs.field(factory=dict, metadata={"newsitem.extras": True})

    doc2 = newsitem.loads(text, schema=Person)
    doc2.item.links = []
    assert diff(text, newsitem.dumps(doc2)) == ["-links:\n", "-  - a\n"]


def test_a_write_that_would_change_meaning_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = newsitem.loads(ITEM)
    doc.item.quality = 99
    monkeypatch.setattr(_patch, "render_scalar", lambda *a, **k: "98")
    with pytest.raises(newsitem.NewsItemError, match="could not write this edit exactly"):
        newsitem.dumps(doc)


def test_edit_context_manager(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(ITEM)
    with newsitem.edit(path) as doc:
        doc.item.quality = 1
    assert diff(ITEM, path.read_text()) == ["-quality: 56\n", "+quality: 1\n"]
    stamp = path.stat().st_mtime_ns
    with newsitem.edit(path) as doc:
        pass
    assert path.stat().st_mtime_ns == stamp  # nothing changed, nothing written
    with pytest.raises(RuntimeError), newsitem.edit(path) as doc:
        doc.item.quality = 2
        raise RuntimeError("stop")
    assert "quality: 1\n" in path.read_text()


def test_dump_refuses_when_the_file_changed_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(ITEM)
    doc = newsitem.load(path)
    doc.item.quality = 1
    path.write_text(ITEM.replace("Body stays.", "Someone else's edit."))
    with pytest.raises(newsitem.ConflictError, match="changed on disk"):
        newsitem.dump(doc, path)
    assert "Someone else's edit." in path.read_text()
    newsitem.dump(doc, path, force=True)
    assert "quality: 1\n" in path.read_text()
    # after a write the document's baseline is the new file: edit again, dump again
    doc.item.quality = 2
    newsitem.dump(doc, path)
    assert diff(ITEM, path.read_text()) == ["-quality: 56\n", "+quality: 2\n"]


def test_changes_lists_only_differing_fields() -> None:
    doc = newsitem.loads(ITEM)
    item = attrs.evolve(doc.item, quality=1, topics=[])
    old, new, order = _convert.changes(doc.item, item)
    assert old == {"quality": 56, "topics": ["AI", "Robots"]}
    assert new == {"quality": 1}
    assert "topics" not in order and order[:2] == ["category", "title"]


def test_mappings_with_merge_keys_edit_their_own_keys() -> None:
    text = "---\nbase: &b\n  layout: post\n  deleted: false\n# news\nnews:\n  <<: *b\n  category: news\n---\n"
    doc = newsitem.loads(text, schema=None)
    assert doc.item["news"] == {"layout": "post", "deleted": False, "category": "news"}
    doc.item["news"]["category"] = "archive"
    assert diff(text, newsitem.dumps(doc)) == ["-  category: news\n", "+  category: archive\n"]
    doc = newsitem.loads(text, schema=None)
    doc.item["news"]["deleted"] = True  # overrides the merged value
    out = newsitem.dumps(doc)
    assert diff(text, out) == ["+  deleted: true\n"]
    assert newsitem.loads(out, schema=None).item["base"]["deleted"] is False


# -- the write path's edges (issue: "The write path, rebuilt") ---------------------------


def test_a_body_after_a_closing_fence_at_the_end_of_the_file_gets_a_line_break(tmp_path: Path) -> None:
    text = '---\ntitle: "T"\npublishedDateTime: 2024-01-01T00:00:00Z\n---'
    for body in ("Body\n", "\nBody", "---\n"):
        doc = newsitem.loads(text)
        doc.body = body
        out = newsitem.dumps(doc)
        assert out == text + "\n" + body
        assert newsitem.loads(out).body == body
    path = tmp_path / "a.md"
    path.write_text(text)
    with newsitem.edit(path) as doc:
        doc.body = "Body\n"
    assert path.read_text() == text + "\nBody\n"


def test_nothing_is_written_when_the_text_would_not_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.md"
    path.write_text(ITEM)
    monkeypatch.setattr(_patch, "render_scalar", lambda *a, **k: "[unclosed")
    with pytest.raises(newsitem.NewsItemError, match="nothing was written"), newsitem.edit(path) as doc:
        doc.item.quality = 1
    doc = newsitem.load(path)
    doc.item.quality = 2
    with pytest.raises(newsitem.NewsItemError, match="nothing was written"):
        newsitem.dump(doc, path)
    assert path.read_text() == ITEM
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left either


@pytest.mark.parametrize(
    ("value", "spelled"),
    [
        ("yes", '"yes"'),
        ("No", '"No"'),
        ("on", '"on"'),
        ("y", '"y"'),
        ("12:30", '"12:30"'),
        ("0777", '"0777"'),
        ("1_000", '"1_000"'),
        ("1,000", '"1,000"'),
        ("2023-02-30", '"2023-02-30"'),
        ("2023-01-01 10:00:00", '"2023-01-01 10:00:00"'),
        (":sym", '":sym"'),
        ("<<", '"<<"'),
        ("=", '"="'),
        ("~", '"~"'),
        ("--- x", '"--- x"'),
        ("plain words", "plain words"),
        ("/a/path", "/a/path"),
    ],
)
def test_strings_every_yaml_reader_would_read_otherwise_are_quoted(value: str, spelled: str) -> None:
    doc = newsitem.loads("---\nk: x\n---\n", schema=None)
    doc.item["k"] = value
    out = newsitem.dumps(doc)
    assert out == f"---\nk: {spelled}\n---\n"
    front = out.split("---\n")[1]
    assert yaml.safe_load(front) == {"k": value}  # YAML 1.1
    assert newsitem.loads(out, schema=None).item == {"k": value}  # YAML 1.2


@pytest.mark.parametrize(
    ("value", "spelled"),
    [(1e-07, "1.0e-07"), (1e20, "1.0e+20"), (0.5, "0.5"), (float("inf"), ".inf"), (-float("inf"), "-.inf")],
)
def test_floats_read_alike_in_yaml_1_1_and_1_2(value: float, spelled: str) -> None:
    doc = newsitem.loads("---\nk: 1.5\n---\n", schema=None)
    doc.item["k"] = value
    out = newsitem.dumps(doc)
    assert out == f"---\nk: {spelled}\n---\n"
    assert yaml.safe_load(out.split("---\n")[1]) == {"k": value}


def test_an_anchored_node_nothing_aliases_is_edited_in_place() -> None:
    text = (
        "---\ntitle: T\npublishedDateTime: 2024-01-01T00:00:00Z\n"
        'provider: &p\n  name: "A"  # c\n  domain: a.org\n---\n'
    )
    out = edited(text, lambda i: setattr(i.provider, "domain", "b.org"))
    assert diff(text, out) == ["-  domain: a.org\n", "+  domain: b.org\n"]


def test_an_anchored_scalar_keeps_its_anchor_and_an_alias_follows_only_when_meant() -> None:
    text = "---\na: &x one\nb: *x\n---\n"
    out = edited(text, lambda d: d.update(a="two"), schema=None)
    assert out == "---\na: &x two\nb: one\n---\n"
    out = edited(text, lambda d: d.update(a="two", b="two"), schema=None)
    assert out == "---\na: &x two\nb: *x\n---\n"
    out = edited(text, lambda d: d.update(b="three"), schema=None)
    assert out == "---\na: &x one\nb: three\n---\n"
    out = edited(text, lambda d: d.pop("a"), schema=None)
    assert out == "---\nb: one\n---\n"


@attrs.define
class Page:
    layout: str | None = None
    title: str | None = None


@attrs.define
class Site:
    base: Page
    news: Page


def test_an_inherited_key_set_to_none_on_a_typed_item_keeps_the_merge() -> None:
    text = "---\nbase: &b\n  layout: post\nnews:\n  <<: *b\n  title: News\n---\n"
    doc = newsitem.loads(text, schema=Site)
    assert doc.item.news.layout == "post"
    doc.item.news.layout = None
    out = newsitem.dumps(doc)
    assert out == "---\nbase: &b\n  layout: post\nnews:\n  <<: *b\n  title: News\n  layout:\n---\n"
    assert newsitem.loads(out, schema=Site).item.news.layout is None
    untyped = newsitem.loads(text, schema=None)
    del untyped.item["news"]["layout"]  # an untyped key cannot be null instead: the merge is written out
    out = newsitem.dumps(untyped)
    assert newsitem.loads(out, schema=None).item["news"] == {"title": "News"}


@pytest.mark.parametrize(
    ("spelling", "value", "expected"),
    [
        ("2023-11-28", dt.datetime(2024, 1, 2, tzinfo=UTC), "2024-01-02"),
        ("2023-11-28", dt.datetime(2024, 1, 2, 3, 4, tzinfo=UTC), "2024-01-02T03:04:00Z"),
        (
            "2023-11-28T13:36:00.000Z",
            dt.datetime(2024, 1, 2, 3, 4, 5, 120000, tzinfo=UTC),
            "2024-01-02T03:04:05.120Z",
        ),
        (
            "2023-11-28T13:36:00.000Z",
            dt.datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=UTC),
            "2024-01-02T03:04:05.123456Z",
        ),
        (
            '"Tue, 28 Nov 2023 13:36:00 +0000"',
            dt.datetime(2024, 1, 2, 3, 4, 5, 5, tzinfo=UTC),
            '"2024-01-02T03:04:05.000005Z"',
        ),
        ("2023-11-28T13:36:00Z", dt.datetime(999, 1, 2, tzinfo=UTC), "0999-01-02T00:00:00Z"),
        (
            "2023-11-28T13:36:00Z",
            dt.datetime(2023, 11, 28, 14, 36, tzinfo=dt.timezone(dt.timedelta(hours=1))),
            "2023-11-28T14:36:00+01:00",
        ),
        (
            "2023-11-28T15:36:00+0200",
            dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
            "2024-01-02T03:04:05-0500",
        ),
    ],
)
def test_date_times_a_spelling_cannot_hold_are_written_in_the_house_style(
    spelling: str, value: dt.datetime, expected: str
) -> None:
    text = ITEM.replace("2023-11-28T13:36:00Z", spelling)
    out = edited(text, lambda i: setattr(i, "published_date_time", value))
    assert diff(text, out) == [f"-publishedDateTime: {spelling}\n", f"+publishedDateTime: {expected}\n"]
    back = newsitem.loads(out).item.published_date_time
    assert back == value and back.utcoffset() == value.utcoffset()


def test_nested_lists_long_keys_and_odd_keys_are_written_readably() -> None:
    doc = newsitem.loads("---\na: 1\n---\n", schema=None)
    doc.item["lists"] = [["http://x.org", "b?", dt.datetime(2024, 1, 1, 12, 30, tzinfo=UTC)], []]
    doc.item["k" * 2000] = "long"
    doc.item["--- x"] = 1
    doc.item["? q"] = 2
    doc.item["yes"] = 3
    out = newsitem.dumps(doc)
    back = newsitem.loads(out, schema=None).item
    assert back == doc.item
    assert yaml.safe_load(out.split("---\n")[1])["--- x"] == 1
    assert f"? {'k' * 2000}\n: long\n" in out


def test_a_comment_only_front_matter_keeps_its_comment() -> None:
    text = "---\n# drafts go here\n---\nBody\n"
    out = edited(text, lambda d: d.update(title="T"), schema=None)
    assert out == "---\n# drafts go here\ntitle: T\n---\nBody\n"


def test_an_empty_list_field_loads_as_an_empty_list_and_stays_as_written() -> None:
    for empty in ("tags:", "tags: ~", "tags: []"):
        text = f"---\ntitle: T\npublishedDateTime: 2024-01-01T00:00:00Z\n{empty}\n---\n"
        doc = newsitem.loads(text)
        assert doc.item.tags == []
        assert newsitem.dumps(doc) == text
        doc.item.tags.append("x")
        assert newsitem.loads(newsitem.dumps(doc)).item.tags == ["x"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            lambda i: setattr(i, "published_date_time", dt.datetime(2024, 1, 1)),
            "published_date_time",
            "without a time zone",
        ),
        (
            lambda i: setattr(i, "published_date_time", dt.date(2024, 1, 1)),
            "published_date_time",
            "got a date",
        ),
        (lambda i: setattr(i, "published_date_time", "2024-01-01"), "published_date_time", "got a string"),
        (lambda i: setattr(i, "provider", "Example"), "provider", "expected a Provider"),
        (lambda i: i.images.append({"url": 5}), "images[1].url", "expected a string"),
        (lambda i: setattr(i, "quality", True), "quality", "got a boolean"),
        (lambda i: setattr(i, "quality", 10**5000), "quality", "4,300 digits"),
        (lambda i: setattr(i, "title", "a\ud800"), "title", "lone surrogate"),
        (lambda i: i.extras.update(s={1}), "s", "a set has no order"),
        (lambda i: i.extras.update(d=decimal.Decimal("1.5")), "d", "Decimal"),
        (lambda i: i.extras.update(o=object()), "o", "an object cannot be written"),
        (lambda i: i.extras.update(n=dt.datetime(2024, 1, 1)), "n", "without a time zone"),
        (lambda i: setattr(i, "topics", "AI"), "topics", "expected a list"),
    ],
)
def test_caller_mistakes_are_validation_errors_naming_the_field(
    change: Any, field: str, message: str
) -> None:
    doc = newsitem.loads(ITEM)
    change(doc.item)
    with pytest.raises(newsitem.ValidationError) as info:
        newsitem.dumps(doc)
    assert [e.field for e in info.value.errors] == [field]
    assert message in info.value.errors[0].message


def test_what_can_be_accepted_without_guessing_is() -> None:
    doc = newsitem.loads(ITEM)
    doc.item.topics = ("AI", "Robots", "New")  # type: ignore[assignment]
    doc.item.images.append({"url": "https://example.org/2.jpg", "width": 3})  # type: ignore[arg-type]
    doc.item.provider = {"name": "Example", "domain": "example.org"}  # type: ignore[assignment]
    doc.item.extras["pair"] = (1, 2)
    out = newsitem.dumps(doc)
    back = newsitem.loads(out).item
    assert back.topics == ["AI", "Robots", "New"]
    assert back.images[1] == newsitem.Image(url="https://example.org/2.jpg", width=3)
    assert back.extras["pair"] == [1, 2]
    assert sorted(diff(ITEM, out)) == sorted(
        [
            "+  - New\n",
            '+  - url: "https://example.org/2.jpg"\n',
            "+    width: 3\n",
            "+\n",
            "+pair:\n",
            "+  - 1\n",
            "+  - 2\n",
        ]
    )


def test_a_body_on_a_bare_document_and_a_body_that_looks_like_front_matter_are_refused() -> None:
    data = newsitem.loads("a: 1\n", schema=None, bare=True)
    data.body = "x"
    with pytest.raises(newsitem.ValidationError, match="has no body"):
        newsitem.dumps(data)
    plain = newsitem.loads("Just text.\n", schema=None)
    plain.body = "---\na: 1\n---\n"
    with pytest.raises(newsitem.ValidationError, match="would be read as such"):
        newsitem.dumps(plain)
