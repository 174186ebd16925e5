"""Typed news items from Markdown front matter, written back byte for byte.

>>> import newsitem
>>> doc = newsitem.loads('---\\ntitle: "Hi"\\npublishedDateTime: 2023-11-28T13:36:00Z\\n---\\n')
>>> doc.item.title
'Hi'
"""

from __future__ import annotations

from ._batch import load_many
from ._config import Config, ConfigError, NoFrontMatterError, load_config
from ._convert import register_type
from ._document import Document, convert, dumps, loads
from ._errors import FieldError, LimitError, NewsItemError, ParseError, SchemaError, ValidationError
from ._files import ConflictError, FileError, dump, edit, load
from ._jsonschema import json_schema, to_json
from ._limits import Limits
from ._model import Image, NewsItem, Provider, RelatedItem


def __getattr__(name: str) -> str:
    """``__version__``, read from the installed metadata only when asked for (importing
    :mod:`importlib.metadata` costs more than the rest of ``import newsitem``)."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("newsitem")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            return "0+unknown"
    raise AttributeError(f"module 'newsitem' has no attribute {name!r}")


__all__ = [
    "Config",
    "ConfigError",
    "ConflictError",
    "Document",
    "FieldError",
    "FileError",
    "Image",
    "LimitError",
    "Limits",
    "NewsItem",
    "NewsItemError",
    "NoFrontMatterError",
    "ParseError",
    "Provider",
    "RelatedItem",
    "SchemaError",
    "ValidationError",
    "convert",
    "dump",
    "dumps",
    "edit",
    "json_schema",
    "load",
    "load_config",
    "load_many",
    "loads",
    "register_type",
    "to_json",
]


def __dir__() -> list[str]:
    return [*__all__, "__version__"]
