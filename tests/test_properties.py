"""Invariants, checked with Hypothesis: round trips and the locality of edits."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsitem
from newsitem._convert import key_of
from newsitem._tree import Mapping, position_of

from .conftest import news_files, read_exact, removed_outside
from .strategies import edits, items

NEWS = news_files()


def entry_lines(text: str) -> dict[str, range]:
    """0-based file line range of each top-level ``key: value`` entry in *text*.

    Line 0 is the opening fence, so an entry on front-matter line ``n`` (1-based) is
    file line ``n``; the last entry runs to the closing fence.
    """
    doc = newsitem.loads(text)
    assert doc._source is not None
    root, parts = doc._source.tree, doc._source.parts
    assert type(root) is Mapping
    starts = [position_of(parts.front, k.start)[0] for k in root.keys]
    ends = [*starts[1:], 1 + parts.front.count("\n")]
    return {k.value: range(s, e) for k, s, e in zip(root.keys, starts, ends, strict=True)}


def edited_keys(a: newsitem.NewsItem, b: newsitem.NewsItem) -> set[str]:
    return {key_of(f) for f in attrs.fields(type(a)) if getattr(a, f.name) != getattr(b, f.name)}


def assert_local(before: str, after: str, edited: set[str]) -> None:
    """Removed lines lie inside the entries of edited keys; other entries stay verbatim."""
    ranges = entry_lines(before)
    allowed = {line for key in edited if key in ranges for line in ranges[key]}
    old_lines, new_lines = before.splitlines(True), after.splitlines(True)
    outside = removed_outside(old_lines, new_lines, allowed)
    assert not outside, (outside, edited)
    for key, lines in ranges.items():
        if key not in edited:
            block = "".join(old_lines[i] for i in lines if old_lines[i].strip())
            assert block in after, key


@given(items)
def test_fresh_items_load_back_equal(item: newsitem.NewsItem) -> None:
    text = newsitem.dumps(newsitem.Document(item=item, body="Body\n"))
    doc = newsitem.loads(text)
    assert doc.item == item
    assert newsitem.dumps(doc) == text


@given(st.data())
def test_edits_load_back_and_touch_only_edited_entries(data: st.DataObject) -> None:
    item = data.draw(items)
    text = newsitem.dumps(newsitem.Document(item=item, body="Body\n"))
    doc = newsitem.loads(text)
    new_item = data.draw(edits(doc.item))
    doc.item = new_item
    out = newsitem.dumps(doc)
    again = newsitem.loads(out)
    assert again.item == new_item
    assert again.body == "Body\n"
    assert_local(text, out, edited_keys(item, new_item))


@pytest.mark.corpus
@given(st.data())
def test_edits_of_corpus_items_are_local(corpus: Path, data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(NEWS))
    text = read_exact(path)
    doc = newsitem.loads(text)
    original = attrs.evolve(doc.item)
    new_item = data.draw(edits(doc.item))
    doc.item = new_item
    out = newsitem.dumps(doc)
    assert newsitem.loads(out).item == new_item
    if "\r\n" not in text:
        assert_local(text, out, edited_keys(original, new_item))
