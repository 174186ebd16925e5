"""Bounds on untrusted input, so that no file makes newsitem hang or run out of memory."""

from __future__ import annotations

import attrs

__all__ = ["DEFAULT_LIMITS", "Limits"]


def _positive(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if type(value) is not int:
        raise TypeError(f"Limits.{attribute.name} must be an int, not {value!r}")
    if value < 1:
        raise ValueError(f"Limits.{attribute.name} must be 1 or more, not {value}")


@attrs.frozen
class Limits:
    """How much newsitem reads before it gives up with a :class:`~newsitem.LimitError`.

    * ``max_size``: characters of front matter (or of a whole bare YAML file);
      the default, 1 MiB, is thirty times the largest news item seen in the wild.
    * ``max_depth``: how deeply mappings and sequences may nest.
    * ``max_nodes``: scalars, mappings and sequences in the front matter, counting
      each alias as the nodes it stands for. A "billion laughs" document, whose
      few lines of aliases expand to billions of nodes, is refused here, before
      anything walks the expansion.

    >>> import newsitem
    >>> newsitem.loads("---\\na: [[[1]]]\\n---\\n", schema=None, limits=newsitem.Limits(max_depth=3))
    Traceback (most recent call last):
      ...
    newsitem.LimitError: line 2, column 6: nesting deeper than 3 levels
    """

    max_size: int = attrs.field(default=1 << 20, validator=_positive)
    max_depth: int = attrs.field(default=64, validator=_positive)
    max_nodes: int = attrs.field(default=200_000, validator=_positive)


Limits.__module__ = "newsitem"
DEFAULT_LIMITS = Limits()
