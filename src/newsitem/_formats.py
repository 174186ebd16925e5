"""The front-matter formats behind one seam: YAML, TOML and JSON.

Each format reads its text into plain values (and, where it edits through one, a
span tree), points at the place of a key path for error messages, writes the
differences between two sets of values into its text, writes fresh text, and
says which values it cannot hold. The document layer (``_document``) picks the
format the split found and never looks inside it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ._convert import KeyOf, Missing
from ._emit import emit_mapping
from ._errors import LimitError, ParseError
from ._limits import Limits
from ._patch import Patched, patch
from ._scalars import MERGE
from ._tree import Alias, Mapping, Node, Scalar, Sequence, parse, position_of

__all__ = ["SYNTAX", "Syntax"]

Problems = list[tuple[tuple[str | int, ...], str]]


class Syntax:
    """One front-matter format (this base class is YAML's)."""

    name = "yaml"
    #: Whether :meth:`read` builds the tree that editing uses (else :meth:`tree` does, later).
    eager_tree = True
    #: Whether an edit that only replaced scalars may be checked scalar by scalar.
    local_check = True

    def read(self, front: str, line_offset: int, limits: Limits) -> tuple[Any, dict[Any, Any]]:
        """``(tree or None, values)`` of the front matter."""
        _size(front, line_offset, limits)
        if not front:
            return None, {}
        root = parse(front, line_offset=line_offset, max_depth=limits.max_depth, max_nodes=limits.max_nodes)
        if root is not None and not isinstance(root.value, dict) and root.value is not None:
            kind = "a list" if isinstance(root.value, list) else "a scalar"
            line, column = position_of(front, root.start)
            raise ParseError(
                f"front matter must be a mapping of keys to values, not {kind}",
                line=line + line_offset,
                column=column,
            )
        value = root.value if root is not None else None
        return root, value if isinstance(value, dict) else {}

    def tree(self, front: str, line_offset: int, limits: Limits) -> Any:
        return self.read(front, line_offset, limits)[0]

    def locate(self, tree: Any, front: str, keys: tuple[Any, ...]) -> tuple[int, int] | None:
        """``(line, column)`` in *front* of the value at *keys* (or of the mapping that
        lacks the last one)."""
        node = _find(tree, keys)
        return position_of(front, node.start) if node is not None else None

    def patch(
        self, front: str, tree: Any, old: dict[Any, Any], new: dict[Any, Any], order: list[Any], newline: str
    ) -> Patched:
        return patch(front, tree, old, new, order, newline)

    def emit(self, data: dict[Any, Any], newline: str) -> str:
        return "".join(line + newline for line in emit_mapping(data, top=True))

    def check(self, new: dict[Any, Any], old: dict[Any, Any] | None = None) -> Problems:
        """Values of *new* this format cannot hold (of those that reach here, YAML lacks
        only TOML's time of day); *old*, when *new* is an edit of values read from a file,
        what they were."""
        out: Problems = []
        todo: list[tuple[Any, tuple[str | int, ...]]] = [(new, ())]
        while todo:
            value, path = todo.pop()
            if isinstance(value, dict):
                todo.extend((v, (*path, k)) for k, v in value.items())
            elif isinstance(value, list):
                todo.extend((v, (*path, i)) for i, v in enumerate(value))
            elif type(value) is dt.time:
                out.append((path, "YAML has no time of day; write it as a string, such as '07:32:00'"))
        return out


class _Json(Syntax):
    name = "json"
    eager_tree = False

    def read(self, front: str, line_offset: int, limits: Limits) -> tuple[Any, dict[Any, Any]]:
        from . import _json

        _size(front, line_offset, limits)
        return None, _json.read(front, line_offset, limits)

    def tree(self, front: str, line_offset: int, limits: Limits) -> Any:
        from . import _json

        return _json.tree(front, line_offset, limits)

    def patch(
        self, front: str, tree: Any, old: dict[Any, Any], new: dict[Any, Any], order: list[Any], newline: str
    ) -> Patched:
        return patch(front, tree, old, new, order, newline, json=True)

    def emit(self, data: dict[Any, Any], newline: str) -> str:
        from . import _json

        return _json.emit(data, newline)

    def check(self, new: dict[Any, Any], old: dict[Any, Any] | None = None) -> Problems:
        from . import _json

        return _json.check(new, old=old)


class _Toml(Syntax):
    name = "toml"
    eager_tree = False
    local_check = False

    def read(self, front: str, line_offset: int, limits: Limits) -> tuple[Any, dict[Any, Any]]:
        from . import _toml

        _size(front, line_offset, limits)
        return None, _toml.read(front, line_offset, limits)

    def tree(self, front: str, line_offset: int, limits: Limits) -> Any:
        return None  # TOML edits go through tomlkit, from the text

    def locate(self, tree: Any, front: str, keys: tuple[Any, ...]) -> tuple[int, int] | None:
        from . import _toml

        keys = tuple(str(k.key) if isinstance(k, KeyOf) else k for k in keys)  # (TOML keys are strings)
        return _toml.locate(front, tuple(str(k) if isinstance(k, Missing) else k for k in keys))

    def patch(
        self, front: str, tree: Any, old: dict[Any, Any], new: dict[Any, Any], order: list[Any], newline: str
    ) -> Patched:
        from . import _toml

        return Patched(_toml.patch(front, old, new, order, newline), None)

    def emit(self, data: dict[Any, Any], newline: str) -> str:
        from . import _toml

        return _toml.emit(data, newline)

    def check(self, new: dict[Any, Any], old: dict[Any, Any] | None = None) -> Problems:
        from . import _toml

        return _toml.check(new)


#: Each format's syntax, by name.
SYNTAX: dict[str, Syntax] = {"yaml": Syntax(), "json": _Json(), "toml": _Toml()}


def _size(front: str, line_offset: int, limits: Limits) -> None:
    if len(front) > limits.max_size:
        raise LimitError(
            f"front matter of {len(front)} characters is larger than the limit of {limits.max_size}",
            line=line_offset + 1,
            column=1,
        )


def _find(root: Node | None, keys: tuple[Any, ...]) -> Node | None:
    """The node at a key path (a missing last key gives its mapping)."""
    node = root
    for key in keys:
        while type(node) is Alias:
            node = node.target
        if isinstance(key, Missing):
            return node
        if isinstance(key, KeyOf):
            return (_get(node, key.key, key_node=True) if type(node) is Mapping else None) or node
        if type(node) is Mapping:
            child = _get(node, key)
            if child is None:
                return node
            node = child
        elif type(node) is Sequence and isinstance(key, int) and 0 <= key < len(node.nodes):
            node = node.nodes[key]
        else:
            return node
    return node


def _get(node: Mapping, key: Any, *, key_node: bool = False) -> Node | None:
    """The value node of *key* in a mapping (its key node with *key_node*): its own, or
    one a ``<<`` merge key brings in (the first source that has it wins, as when the
    mapping was built)."""
    for k, n in zip(node.keys, node.nodes, strict=True):
        if k.value == key:
            return k if key_node else n
    if not node.merged:
        return None
    for k, value in zip(node.keys, node.nodes, strict=True):
        if type(k) is not Scalar or k.tag != MERGE or k.style:
            continue
        while type(value) is Alias:
            value = value.target
        for source in value.nodes if type(value) is Sequence else [value]:
            while type(source) is Alias:
                source = source.target
            if type(source) is Mapping:
                child = _get(source, key, key_node=key_node)
                if child is not None:
                    return child
    return None
