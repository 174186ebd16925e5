"""Hypothesis strategies for corpus-like news items and edits to them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from hypothesis import strategies as st

import newsitem

UTC = dt.UTC

# Any text but lone surrogates (which UTF-8 files cannot hold).
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
words = st.text(st.characters(categories=("L", "N"), include_characters=" -'&."), min_size=1, max_size=20)
urls = st.builds(lambda path: f"https://example.org/{path}", st.text("abc/-_?=&%0123", max_size=20))
instants = st.datetimes(
    min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2090, 1, 1), timezones=st.just(UTC)
).map(lambda d: d.replace(microsecond=0))
counts = st.integers(min_value=-(10**6), max_value=10**6)

images = st.builds(
    newsitem.Image,
    url=urls,
    width=st.none() | st.integers(1, 5000),
    height=st.none() | st.integers(1, 5000),
    is_cached=st.none() | st.booleans(),
)
providers = st.builds(newsitem.Provider, name=words, domain=st.none() | words)
related = st.builds(
    newsitem.RelatedItem,
    title=text,
    excerpt=st.none() | text,
    published_date_time=st.none() | instants,
    web_url=st.none() | urls,
    provider=st.none() | providers,
    quality=st.none() | counts,
    images=st.lists(images, max_size=2),
)
items = st.builds(
    newsitem.NewsItem,
    category=st.none() | st.just("news"),
    title=text,
    excerpt=st.none() | text,
    published_date_time=instants,
    original_url=st.none() | urls,
    web_url=st.none() | urls,
    type=st.none() | words,
    quality=st.none() | counts,
    heat=st.none() | counts,
    published=st.none() | st.booleans(),
    provider=st.none() | providers,
    topics=st.lists(words, max_size=4),
    images=st.lists(images, max_size=3),
    related=st.lists(related, max_size=3),
    secured=st.none() | st.text("ABCabc0123+/=;", min_size=1, max_size=60),
)


@st.composite
def edits(draw: st.DrawFn, item: newsitem.NewsItem) -> newsitem.NewsItem:
    """A copy of *item* with one to three random field edits."""
    changes: dict[str, Any] = {}
    for _ in range(draw(st.integers(1, 3))):
        field = draw(
            st.sampled_from(
                [
                    *("title", "excerpt", "published_date_time", "quality", "heat", "type", "published"),
                    *("web_url", "topics", "images", "related", "provider", "secured"),
                ]
            )
        )
        current = changes.get(field, getattr(item, field))
        if field == "topics":
            topics = list(current)
            action = draw(st.sampled_from(["append", "insert", "remove", "clear"]))
            if action == "append" or not topics:
                topics.append(draw(words))
            elif action == "insert":
                topics.insert(draw(st.integers(0, len(topics))), draw(words))
            elif action == "remove":
                topics.pop(draw(st.integers(0, len(topics) - 1)))
            else:
                topics = []
            changes[field] = topics
        elif field in ("images", "related"):
            values = list(current)
            strategy = images if field == "images" else related
            if values and draw(st.booleans()):
                values.pop(draw(st.integers(0, len(values) - 1)))
            else:
                values.insert(draw(st.integers(0, len(values))), draw(strategy))
            changes[field] = values
        else:
            strategy = {
                "title": text,
                "excerpt": st.none() | text,
                "published_date_time": instants,
                "quality": st.none() | counts,
                "heat": st.none() | counts,
                "type": st.none() | words,
                "published": st.none() | st.booleans(),
                "web_url": st.none() | urls,
                "provider": st.none() | providers,
                "secured": st.none() | st.text("ABCabc0123+/=;", min_size=1, max_size=60),
            }[field]
            changes[field] = draw(strategy)
    return attrs.evolve(item, **changes)
