"""One fuzz step, shared by the Hypothesis tests and the atheris target.

Whatever the input, only newsitem's own errors may escape loading, writing back and
editing; whatever loads must write back byte for byte; an edit that is written must
load back as the edited item.
"""

from __future__ import annotations

import io
from typing import Any

import newsitem


def check_bytes(data: bytes) -> None:
    """Load *data* as a file would be loaded, untyped and typed, and exercise it."""
    for schema in (None, newsitem.NewsItem):
        try:
            doc: newsitem.Document[Any] = newsitem.load(io.BytesIO(data), schema=schema)
        except newsitem.NewsItemError:
            continue
        assert newsitem.dumps(doc).encode("utf-8") == data
        edit(doc)


def check_text(text: str) -> None:
    for schema in (None, newsitem.NewsItem):
        for bare in (False, True):
            try:
                doc: newsitem.Document[Any] = newsitem.loads(text, schema=schema, bare=bare)
            except newsitem.NewsItemError:
                continue
            assert newsitem.dumps(doc) == text
            edit(doc, bare=bare)


def edit(doc: newsitem.Document[Any], *, bare: bool = False) -> None:
    """Change the document a little; a result that is returned must mean the edit."""
    item = doc.item
    if isinstance(item, dict):
        item["fuzzEdited"] = "yes: really"
        for key, value in list(item.items())[:3]:
            if isinstance(value, str):
                item[key] = value + " (edited)"
            elif isinstance(value, list):
                value.append("added")
            elif isinstance(value, int) and not isinstance(value, bool):
                item[key] = value + 1
    else:
        item.title = item.title + ' "edited"'
        item.topics.append("Fuzz: topic")
        item.quality = None if item.quality else 1
        if item.images:
            item.images.pop(0)
    try:
        out = newsitem.dumps(doc)
    except newsitem.NewsItemError:
        return
    schema = None if isinstance(item, dict) else type(item)
    again = newsitem.loads(out, schema=schema, bare=bare)
    assert again.item == item
    assert again.body == doc.body
