"""The typed record: attrs classes for a news item and its parts.

Attribute names are snake_case; the keys are their camelCase spelling
(``published_date_time`` <-> ``publishedDateTime``) unless a field's metadata
says otherwise (``metadata={"newsitem.key": "page_size"}``). Each class keeps
the keys it does not know in ``extras``, in file order. Field order is the house
key order used when newsitem writes a fresh item; the house quoting and spacing
are field metadata too (see ``_schema``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from ._schema import EXTRAS, QUOTE, STANDALONE

__all__ = ["Image", "NewsItem", "Provider", "RelatedItem"]


def _extras() -> Any:
    return attrs.field(factory=dict, metadata=EXTRAS)


def _quoted(*, standalone: bool = False) -> Any:
    """An optional string field written double-quoted (free text, URLs, opaque data)."""
    return attrs.field(default=None, metadata={**QUOTE, **(STANDALONE if standalone else {})})


@attrs.define(kw_only=True)
class Image:
    """An image: ``url``, pixel ``width`` and ``height``, optional ``title``."""

    url: str | None = _quoted()
    width: int | None = None
    height: int | None = None
    title: str | None = _quoted()
    is_cached: bool | None = None
    extras: dict[str, Any] = _extras()  # noqa: RUF009 - an attrs field, not a dataclass default


@attrs.define(kw_only=True)
class Provider:
    """Who published the item: ``name``, ``domain`` and logo ``images``."""

    name: str | None = None
    domain: str | None = None
    images: list[Image] = attrs.Factory(list)
    extras: dict[str, Any] = _extras()  # noqa: RUF009 - an attrs field, not a dataclass default


@attrs.define(kw_only=True)
class RelatedItem:
    """Another article on the same story, listed under ``related``."""

    title: str = attrs.field(metadata=QUOTE)
    excerpt: str | None = _quoted()
    published_date_time: dt.datetime | None = None
    web_url: str | None = _quoted()
    amp_web_url: str | None = _quoted()
    cdn_amp_web_url: str | None = _quoted()
    type: str | None = None
    provider: Provider | None = None
    quality: int | None = None
    images: list[Image] = attrs.Factory(list)
    extras: dict[str, Any] = _extras()  # noqa: RUF009 - an attrs field, not a dataclass default


@attrs.define(kw_only=True)
class NewsItem:
    """One news item: the front matter of a file under ``_news/``.

    ``title`` and ``published_date_time`` are required; every other field is
    optional (``None`` or an empty list means the key is absent). ``secured`` is an
    opaque string that newsitem never rewrites unless you assign to it.
    """

    category: str | None = None
    title: str = attrs.field(metadata=QUOTE)
    excerpt: str | None = _quoted()
    published_date_time: dt.datetime
    original_url: str | None = _quoted()
    web_url: str | None = _quoted()
    amp_web_url: str | None = _quoted()
    cdn_amp_web_url: str | None = _quoted()
    type: str | None = None
    quality: int | None = None
    heat: int | None = None
    removed: bool | None = None
    published: bool | None = None
    featured_content: str | None = _quoted(standalone=True)
    provider: Provider | None = None
    topics: list[str] = attrs.Factory(list)
    tags: list[str] = attrs.Factory(list)
    images: list[Image] = attrs.Factory(list)
    related: list[RelatedItem] = attrs.Factory(list)
    secured: str | None = attrs.field(
        default=None, repr=lambda s: _short(s), metadata={**QUOTE, **STANDALONE}
    )
    extras: dict[str, Any] = _extras()  # noqa: RUF009 - an attrs field, not a dataclass default


def _short(value: str | None) -> str:
    if value is None or len(value) <= 24:
        return repr(value)
    return repr(value[:20] + "...")
