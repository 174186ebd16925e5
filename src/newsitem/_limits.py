"""Bounds on untrusted input, so that no file makes newsitem hang or run out of memory."""

from __future__ import annotations

import attrs

__all__ = ["DEFAULT_LIMITS", "Limits"]


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

    max_size: int = 1 << 20
    max_depth: int = 64
    max_nodes: int = 200_000


Limits.__module__ = "newsitem"
DEFAULT_LIMITS = Limits()
