"""Schemas for the collections of a Jekyll news site, besides its news items.

The sites of everyday.cc and Smartable keep people, companies, events, communities,
learning resources and challenges next to their news items. Each class here types
the keys those files share and keeps every other key in ``extras``, so newsitem
writes them back untouched. ``newsitem.toml`` beside this file maps each folder to
its class; newsitem puts this folder on the import path, so ``schemas:Person`` is
found whichever folder you run ``newsitem`` from.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from newsitem import Image, Provider

#: Metadata of the field that keeps the keys a class does not declare, in file order.
EXTRAS: dict[str, Any] = {"newsitem.extras": True}


@attrs.define(kw_only=True)
class Link:
    """A profile elsewhere: ``twitter``, ``linkedin``, ``crunchbase``, ``wikipedia``."""

    url: str | None = None
    username: str | None = None
    followers: int | None = None
    extras: dict[str, Any] = attrs.field(factory=dict, metadata=EXTRAS)


@attrs.define(kw_only=True)
class Person:
    """A person (``_people/``): ``name`` is required."""

    name: str
    bio: str | None = None
    location: str | None = None
    type: str | None = None
    heat: int | None = None
    website: str | None = None
    affiliation: dict[str, Any] | None = None
    twitter: Link | None = None
    linkedin: Link | None = None
    wikipedia: Link | None = None
    topics: list[str] = attrs.Factory(list)
    images: list[Image] = attrs.Factory(list)
    secured: str | None = None
    extras: dict[str, Any] = attrs.field(factory=dict, metadata=EXTRAS)


@attrs.define(kw_only=True)
class Company:
    """A company (``_companies/``): ``name`` is required."""

    name: str
    overview: str | None = None
    type: str | None = None
    heat: int | None = None
    website: str | None = None
    linkedin: Link | None = None
    crunchbase: Link | None = None
    twitter: Link | None = None
    size: str | None = None
    year_founded: int | None = None
    locations: list[str] = attrs.Factory(list)
    topics: list[str] = attrs.Factory(list)
    images: list[Image] = attrs.Factory(list)
    secured: str | None = None
    extras: dict[str, Any] = attrs.field(factory=dict, metadata=EXTRAS)


@attrs.define(kw_only=True)
class Event:
    """An event (``_events/``): ``name`` and ``startDateTime`` are required."""

    name: str
    excerpt: str | None = None
    original_url: str | None = None
    website: str | None = None
    type: str | None = None
    start_date_time: dt.datetime
    end_date_time: dt.datetime | None = None
    location: str | None = None
    provider: Provider | None = None
    topics: list[str] = attrs.Factory(list)
    tags: list[str] = attrs.Factory(list)
    images: list[Image] = attrs.Factory(list)
    extras: dict[str, Any] = attrs.field(factory=dict, metadata=EXTRAS)


@attrs.define(kw_only=True)
class Community:
    """A community (``_communities/``): ``name`` is required."""

    name: str
    excerpt: str | None = None
    original_url: str | None = None
    web_url: str | None = None
    type: str | None = None
    members: int | None = None
    heat: int | None = None
    provider: Provider | None = None
    topics: list[str] = attrs.Factory(list)
    images: list[Image] = attrs.Factory(list)
    extras: dict[str, Any] = attrs.field(factory=dict, metadata=EXTRAS)


@attrs.define(kw_only=True)
class Resource:
    """A learning resource, a sample, a form or a page of statistics (``_learning/``,
    ``_samples/``, ``_forms/``, ``_stats/``): ``title`` is required, and unlike a
    news item it need not have a ``publishedDateTime``."""

    title: str
    excerpt: str | None = None
    original_url: str | None = None
    web_url: str | None = None
    type: str | None = None
    price: str | None = None
    length: str | None = None
    published_date_time: dt.datetime | None = None
    heat: int | None = None
    provider: Provider | None = None
    levels: list[str] = attrs.Factory(list)
    topics: list[str] = attrs.Factory(list)
    images: list[Image] = attrs.Factory(list)
    secured: str | None = None
    extras: dict[str, Any] = attrs.field(factory=dict, metadata=EXTRAS)


@attrs.define(kw_only=True)
class Challenge:
    """A coding challenge (``_challenges/``): ``related`` names other challenges by slug."""

    title: str
    excerpt: str | None = None
    original_url: str | None = None
    type: str | None = None
    heat: int | None = None
    provider: Provider | None = None
    levels: list[str] = attrs.Factory(list)
    topics: list[str] = attrs.Factory(list)
    related: list[str] = attrs.Factory(list)
    extras: dict[str, Any] = attrs.field(factory=dict, metadata=EXTRAS)
