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

    #: The image's address (``url``), written double-quoted.
    url: str | None = _quoted()
    #: Width in pixels (``width``).
    width: int | None = None
    #: Height in pixels (``height``).
    height: int | None = None
    #: A caption or alternative text (``title``), written double-quoted.
    title: str | None = _quoted()
    #: Whether the site keeps its own copy of the image (``isCached``).
    is_cached: bool | None = None
    #: Keys this class does not know, in file order, written back as they were.
    extras: dict[str, Any] = _extras()  # noqa: RUF009 - an attrs field, not a dataclass default


@attrs.define(kw_only=True)
class Provider:
    """Who published the item: ``name``, ``domain`` and logo ``images``."""

    #: The publisher's name as shown on the site (``name``).
    name: str | None = None
    #: The publisher's web domain, such as ``example.org`` (``domain``).
    domain: str | None = None
    #: The publisher's logos (``images``).
    images: list[Image] = attrs.Factory(list)
    #: Keys this class does not know, in file order, written back as they were.
    extras: dict[str, Any] = _extras()  # noqa: RUF009 - an attrs field, not a dataclass default


@attrs.define(kw_only=True)
class RelatedItem:
    """Another article on the same story, listed under ``related`` (its ``type`` as for
    :class:`NewsItem`)."""

    #: The related article's headline (``title``; required), written double-quoted.
    title: str = attrs.field(metadata=QUOTE)
    #: Its first lines or summary (``excerpt``).
    excerpt: str | None = _quoted()
    #: When it was published (``publishedDateTime``), time-zone aware.
    published_date_time: dt.datetime | None = None
    #: Its address on the publisher's site (``webUrl``).
    web_url: str | None = _quoted()
    #: Its AMP page (``ampWebUrl``).
    amp_web_url: str | None = _quoted()
    #: Its AMP page on an AMP cache (``cdnAmpWebUrl``).
    cdn_amp_web_url: str | None = _quoted()
    #: What it is: ``article``, ``video``... (``type``).
    type: str | None = None
    #: Who published it (``provider``).
    provider: Provider | None = None
    #: Its quality score (``quality``), as for :attr:`NewsItem.quality`.
    quality: int | None = None
    #: Its pictures (``images``).
    images: list[Image] = attrs.Factory(list)
    #: Keys this class does not know, in file order, written back as they were.
    extras: dict[str, Any] = _extras()  # noqa: RUF009 - an attrs field, not a dataclass default


@attrs.define(kw_only=True)
class NewsItem:
    """One news item: the front matter of a file under ``_news/``.

    ``title`` and ``published_date_time`` are required; every other field is
    optional (``None`` or an empty list means the key is absent). ``secured`` is an
    opaque string that newsitem never rewrites unless you assign to it. ``type`` says
    what the item is: ``article``, ``video``, ``course``...
    """

    #: The collection the site files it under, such as ``news`` (``category``).
    category: str | None = None
    #: The headline (``title``; required), written double-quoted.
    title: str = attrs.field(metadata=QUOTE)
    #: The first lines or a summary shown in lists (``excerpt``), written double-quoted.
    excerpt: str | None = _quoted()
    #: When the article was published (``publishedDateTime``; required): a time-zone aware
    #: ``datetime`` (a file's date-time without an offset, or a date alone, is UTC). An edit
    #: keeps the file's spelling (``Z``, an offset, fractions of a second) where it can.
    published_date_time: dt.datetime
    #: Where the article was first found (``originalUrl``).
    original_url: str | None = _quoted()
    #: The article on the publisher's site (``webUrl``).
    web_url: str | None = _quoted()
    #: The article's AMP page (``ampWebUrl``).
    amp_web_url: str | None = _quoted()
    #: The article's AMP page on an AMP cache (``cdnAmpWebUrl``).
    cdn_amp_web_url: str | None = _quoted()
    #: What the item is: ``article``, ``video``, ``course``... (``type``).
    type: str | None = None
    #: A score of the item's quality that the site's curation tooling computes, used to
    #: rank items; higher is better (``quality``, an integer; the corpus ranges from
    #: about -1 to a few hundred).
    quality: int | None = None
    #: How much attention the story is getting, from the same tooling (``heat``, an
    #: integer; ``-1`` when not measured).
    heat: int | None = None
    #: ``true`` when the item was taken down and must not be shown (``removed``).
    removed: bool | None = None
    #: Whether the site shows the item (``published``); Jekyll skips ``false`` ones.
    published: bool | None = None
    #: Text or markup shown when the item is featured (``featuredContent``), written
    #: double-quoted and set apart by blank lines.
    featured_content: str | None = _quoted(standalone=True)
    #: Who published the article (``provider``).
    provider: Provider | None = None
    #: The site's topics the item belongs to (``topics``).
    topics: list[str] = attrs.Factory(list)
    #: Free tags (``tags``); a key written empty (``tags:``) reads as no tags.
    tags: list[str] = attrs.Factory(list)
    #: The article's pictures (``images``).
    images: list[Image] = attrs.Factory(list)
    #: Other articles on the same story (``related``).
    related: list[RelatedItem] = attrs.Factory(list)
    #: An opaque, encrypted blob (base64 text) that the site's tooling reads
    #: (``secured``): newsitem never changes a byte of it unless you assign a new one,
    #: and shows only its start in ``repr``. Written double-quoted, set apart by blank lines.
    secured: str | None = attrs.field(
        default=None, repr=lambda s: _short(s), metadata={**QUOTE, **STANDALONE}
    )
    #: Keys this class does not know, in file order, written back as they were.
    extras: dict[str, Any] = _extras()  # noqa: RUF009 - an attrs field, not a dataclass default


def _short(value: str | None) -> str:
    if value is None or len(value) <= 24:
        return repr(value)
    return repr(value[:20] + "...")
