"""Real data decides: every corpus file loads and round-trips byte for byte."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml

import newsitem
from newsitem._split import split

from .conftest import as_params, corpus_files, news_files, read_exact

pytestmark = pytest.mark.corpus

ALL = corpus_files()
NEWS = news_files()
ALL_PARAMS, NEWS_PARAMS = as_params(ALL), as_params(NEWS)


def _id(p: Path) -> str:
    return "/".join(p.parts[-3:])


def test_corpus_is_complete(corpus: Path) -> None:
    # The manifest lists every file; a missing or extra file means a broken checkout.
    listed = {line.split("\t")[0] for line in (corpus / "MANIFEST.tsv").read_text().splitlines()[1:] if line}
    found = {str(p.relative_to(corpus)) for p in corpus_files()}
    assert listed == found
    assert len(NEWS) >= 100


@pytest.mark.parametrize("path", ALL_PARAMS, ids=_id)
def test_every_file_round_trips_untyped(corpus: Path, path: Path) -> None:
    text = read_exact(path)
    doc = newsitem.load(path, schema=None)
    assert newsitem.dumps(doc) == text


@pytest.mark.parametrize("path", ALL_PARAMS, ids=_id)
def test_every_file_round_trips_from_bytes_and_text(corpus: Path, path: Path) -> None:
    text = read_exact(path)
    bare = path.suffix in (".yaml", ".yml")
    assert newsitem.dumps(newsitem.loads(text, schema=None, bare=bare)) == text
    with open(path, "rb") as f:
        assert newsitem.dumps(newsitem.load(f, schema=None)) == text


@pytest.mark.parametrize("path", NEWS_PARAMS, ids=_id)
def test_news_items_load_typed_and_round_trip(corpus: Path, path: Path) -> None:
    text = read_exact(path)
    doc = newsitem.load(path)
    assert isinstance(doc.item, newsitem.NewsItem)
    assert newsitem.dumps(doc) == text


def _safe_load(text: str) -> dict[str, Any]:
    data = yaml.safe_load(split(text).front)
    assert isinstance(data, dict)
    return data


def _instant(value: Any) -> dt.datetime:
    assert isinstance(value, dt.datetime)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


@pytest.mark.parametrize("path", NEWS_PARAMS, ids=_id)
def test_typed_values_agree_with_a_plain_safe_load(corpus: Path, path: Path) -> None:
    raw = _safe_load(read_exact(path))
    item = newsitem.load(path).item
    assert item.title == raw["title"]
    assert item.excerpt == raw.get("excerpt")
    assert item.published_date_time == _instant(raw["publishedDateTime"])
    assert item.published_date_time.tzinfo is not None
    for attr, key in [
        ("web_url", "webUrl"),
        ("original_url", "originalUrl"),
        ("amp_web_url", "ampWebUrl"),
        ("cdn_amp_web_url", "cdnAmpWebUrl"),
        ("quality", "quality"),
        ("heat", "heat"),
        ("published", "published"),
        ("secured", "secured"),
        ("category", "category"),
        ("type", "type"),
    ]:
        assert getattr(item, attr) == raw.get(key), attr
    assert item.topics == raw.get("topics", [])
    assert len(item.images) == len(raw.get("images", []))
    assert len(item.related) == len(raw.get("related", []))
    for rel, raw_rel in zip(item.related, raw.get("related", []), strict=True):
        assert rel.title == raw_rel["title"]
        assert rel.quality == raw_rel.get("quality")
        assert rel.published_date_time == _instant(raw_rel["publishedDateTime"])
        assert [i.width for i in rel.images] == [i["width"] for i in raw_rel.get("images", [])]
    for img, raw_img in zip(item.images, raw.get("images", []), strict=True):
        assert (img.url, img.width, img.height, img.is_cached) == (
            raw_img["url"],
            raw_img["width"],
            raw_img["height"],
            raw_img.get("isCached"),
        )
    assert item.provider is not None
    assert item.provider.name == raw["provider"]["name"]


def test_fresh_emission_reproduces_most_corpus_items(corpus: Path) -> None:
    """A fresh document from a loaded item writes the house style.

    Every one loads back to an equal item; most are byte-identical to the file
    (the rest come from older tooling that left some URLs unquoted).
    """
    identical = 0
    for path in NEWS:
        text = read_exact(path)
        doc = newsitem.loads(text)
        fresh = newsitem.dumps(newsitem.Document(item=doc.item, body=doc.body))
        assert newsitem.loads(fresh).item == doc.item
        identical += fresh == text
    print(f"fresh emission byte-identical: {identical}/{len(NEWS)}")
    assert identical / len(NEWS) >= 0.75


def _changed_lines(a: str, b: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(a.splitlines(True), b.splitlines(True), n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


EDITS = {
    "title": lambda i: setattr(i, "title", 'A "new" title: é'),
    "excerpt": lambda i: setattr(i, "excerpt", "Short."),
    "date": lambda i: setattr(i, "published_date_time", i.published_date_time + dt.timedelta(minutes=5)),
    "provider": lambda i: setattr(i.provider, "name", "Renamed: Provider"),
    "secured": lambda i: setattr(i, "secured", "bmV3;c2VjcmV0"),
    "evolve": None,
}


@pytest.mark.parametrize("edit", sorted(EDITS))
@pytest.mark.parametrize("path", NEWS_PARAMS, ids=_id)
def test_one_field_edit_is_a_one_line_diff(corpus: Path, path: Path, edit: str) -> None:
    text = read_exact(path)
    doc = newsitem.loads(text)
    if edit == "evolve":
        doc.item = attrs.evolve(doc.item, type="podcast")
    else:
        EDITS[edit](doc.item)
    out = newsitem.dumps(doc)
    changed = _changed_lines(text, out)
    assert len(changed) == 2, changed
    assert changed[0].startswith("-") and changed[1].startswith("+")
    again = newsitem.loads(out)
    assert again.item == doc.item
    assert again.body == doc.body


def _first_one_line_string(value: Any) -> tuple[Any, Any] | None:
    """The container and key (or index) of the first one-line string, depth first."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        if isinstance(child, str) and "\n" not in child:
            return value, key
        found = _first_one_line_string(child)
        if found is not None:
            return found
    return None


@pytest.mark.parametrize("path", ALL_PARAMS, ids=_id)
def test_untyped_edit_of_every_file_is_a_one_line_diff(corpus: Path, path: Path) -> None:
    text = read_exact(path)
    doc = newsitem.load(path, schema=None)
    found = _first_one_line_string(doc.item)
    if found is None:  # a file without front matter: there is nothing to edit
        assert not doc.has_front_matter or not doc.item
        return
    container, key = found
    container[key] += " (edited)"
    out = newsitem.dumps(doc)
    changed = _changed_lines(text, out)
    assert len(changed) == 2, changed
    assert newsitem.loads(out, schema=None, bare=path.suffix in (".yaml", ".yml")).item == doc.item
