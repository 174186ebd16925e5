"""The nodes of a front-matter tree: spans in the text, styles and built values.

:mod:`newsitem._tree` builds them from libyaml's events and
:mod:`newsitem._fastread` straight from the text; the patcher, the formats and the
document layer read them. They live apart from both builders so that the two
depend on them and not on each other.
"""

from __future__ import annotations

from typing import Any, NamedTuple, TypeAlias

__all__ = ["Alias", "Mapping", "Node", "Scalar", "Sequence"]


class Scalar(NamedTuple):
    """A scalar: its span ``[start, end)`` in the YAML text, style and value.

    ``style`` is ``""`` for plain, ``'"'``, ``"'"``, ``"|"`` or ``">"``; ``tag`` is
    the resolved tag of a plain scalar, or an explicit tag, or ``None``. Scalars are
    the most numerous nodes, so they are tuples, built without a Python-level call.
    """

    start: int
    end: int
    style: str
    value: Any
    tag: str | None
    anchor: str | None


class _Container:
    """What mappings and sequences share: a span, style, tag, anchor and children."""

    __slots__ = ("anchor", "end", "flow", "nodes", "size", "start", "tag")

    def __init__(self, start: int, flow: bool, tag: str | None, anchor: str | None) -> None:
        self.start = start
        self.end = start  # set when the container ends
        self.flow = flow
        self.tag = tag
        self.anchor = anchor
        self.nodes: list[Node] = []
        self.size = 1  # nodes in this subtree, aliases expanded


class Mapping(_Container):
    """A mapping: key nodes and value nodes in order, and the built ``dict``."""

    __slots__ = ("keys", "merged", "pending", "value")

    def __init__(self, start: int, flow: bool, tag: str | None, anchor: str | None) -> None:
        super().__init__(start, flow, tag, anchor)
        self.keys: list[Node] = []
        self.value: dict[Any, Any] = {}
        self.merged = False
        self.pending: Node | None = None  # a key whose value is still being read

    def get(self, key: Any) -> Node | None:
        for k, n in zip(self.keys, self.nodes, strict=True):
            if k.value == key:
                return n
        return None

    def __repr__(self) -> str:
        return f"Mapping({len(self.keys)} keys, span={self.start}:{self.end})"


class Sequence(_Container):
    """A sequence: item nodes in order, and the built ``list``."""

    __slots__ = ("value",)

    def __init__(self, start: int, flow: bool, tag: str | None, anchor: str | None) -> None:
        super().__init__(start, flow, tag, anchor)
        self.value: list[Any] = []

    def __repr__(self) -> str:
        return f"Sequence({len(self.nodes)} items, span={self.start}:{self.end})"


class Alias:
    """``*name``: its own span, and the anchored node it stands for."""

    __slots__ = ("end", "start", "target", "value")

    def __init__(self, start: int, end: int, target: Node) -> None:
        self.start = start
        self.end = end
        self.target = target
        self.value: Any = target.value

    def __repr__(self) -> str:
        return f"Alias({self.target!r}, span={self.start}:{self.end})"


Node: TypeAlias = Scalar | Mapping | Sequence | Alias
