"""Documents and the string API: ``loads`` and ``dumps``.

Sans-I/O: everything here works on ``str``; files live in ``_files.py``.
"""

from __future__ import annotations

import sys
from typing import Any, Generic, TypeVar, overload

import attrs
import cattrs

from ._convert import _Missing, converter, copy_plain, dotted, field_errors
from ._errors import FieldError, LimitError, ParseError, ValidationError
from ._limits import DEFAULT_LIMITS, Limits
from ._model import NewsItem
from ._split import Parts, split
from ._tree import Alias, Mapping, Node, Sequence, parse, position_of

__all__ = ["Document", "dumps", "loads"]

T = TypeVar("T")


class _Source:
    """What a loaded document remembers of its text, to write back by difference."""

    __slots__ = ("_original", "limits", "origin", "parts", "root", "schema")

    def __init__(self, parts: Parts, root: Node | None, schema: type[Any] | None, limits: Limits) -> None:
        self.parts = parts
        self.root = root
        self.schema = schema
        self.limits = limits
        self._original: Any = None  # built on first use; an item is never None
        #: ``(real path, digest of the bytes)`` when loaded from a file.
        self.origin: tuple[str, bytes] | None = None

    @property
    def values(self) -> dict[Any, Any]:
        value = self.root.value if self.root is not None else None
        return value if isinstance(value, dict) else {}

    def original(self) -> Any:
        """The item exactly as loaded (built again from the pristine values)."""
        if self._original is None:
            self._original = _typed(self.values, self.schema, self)
        return self._original


class Document(Generic[T]):
    """A front-matter file: the typed ``item`` and the ``body`` after the fences.

    ``Document(item=..., body=...)`` makes a fresh document, which :func:`dumps`
    writes in the house style. A document returned by :func:`loads` remembers its
    text, so :func:`dumps` gives back exactly that text while nothing is edited.
    """

    __slots__ = ("_source", "body", "item")

    def __init__(self, item: T, body: str = "") -> None:
        self.item: T = item
        self.body: str = body
        self._source: _Source | None = None

    def __repr__(self) -> str:
        body = self.body if len(self.body) <= 40 else self.body[:37] + "..."
        return f"Document(item={self.item!r}, body={body!r})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not Document:
            return NotImplemented
        return bool(self.item == other.item and self.body == other.body)

    __hash__ = None  # type: ignore[assignment]

    @property
    def has_front_matter(self) -> bool:
        """Whether the text this document was loaded from had front matter."""
        return self._source is None or self._source.parts.has_front_matter


@overload
def loads(text: str, *, bare: bool = ..., limits: Limits = ...) -> Document[NewsItem]: ...
@overload
def loads(text: str, *, schema: type[T], bare: bool = ..., limits: Limits = ...) -> Document[T]: ...
@overload
def loads(text: str, *, schema: None, bare: bool = ..., limits: Limits = ...) -> Document[dict[str, Any]]: ...


def loads(
    text: str,
    *,
    schema: type[Any] | None = NewsItem,
    bare: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> Document[Any]:
    """Parse a front-matter document from a string.

    *schema* is any attrs class (default :class:`NewsItem`), or ``None`` for a
    plain ``dict``. With ``bare=True`` the whole text is YAML with no fences (a
    Jekyll ``_data`` file). Raises :class:`ParseError` or :class:`ValidationError`,
    and :class:`LimitError` for input beyond *limits* (see :class:`Limits`).

    >>> doc = loads('---\\ntitle: "Hello"\\npublishedDateTime: 2023-11-28T13:36:00Z\\n---\\nBody\\n')
    >>> doc.item.title, doc.item.published_date_time.isoformat(), doc.body
    ('Hello', '2023-11-28T13:36:00+00:00', 'Body\\n')
    """
    if not isinstance(text, str):
        raise TypeError(f"loads() takes a str, not {type(text).__name__}; use load() for bytes")
    parts = split(text, bare=bare)
    if len(parts.yaml) > limits.max_size:
        raise LimitError(
            f"front matter of {len(parts.yaml)} characters is larger than the limit of {limits.max_size}",
            line=parts.line_offset + 1,
            column=1,
        )
    root = (
        parse(
            parts.yaml,
            line_offset=parts.line_offset,
            max_depth=limits.max_depth,
            max_nodes=limits.max_nodes,
        )
        if parts.yaml
        else None
    )
    if root is not None and not isinstance(root.value, dict) and root.value is not None:
        kind = "a list" if isinstance(root.value, list) else "a scalar"
        line, column = position_of(parts.yaml, root.start)
        raise ParseError(
            f"front matter must be a mapping of keys to values, not {kind}",
            line=line + parts.line_offset,
            column=column,
        )
    source = _Source(parts, root, schema, limits)
    values = source.values
    try:
        item = copy_plain(values) if schema is None else _typed(values, schema, source)
    except RecursionError:
        raise _too_deep() from None
    doc: Document[Any] = Document(item, parts.body)
    doc._source = source
    return doc


def _typed(values: dict[Any, Any], schema: type[Any] | None, source: _Source) -> Any:
    if schema is None:
        return copy_plain(values)
    if not attrs.has(schema):
        raise TypeError(f"schema must be an attrs class or None, not {schema!r}")
    try:
        return converter.structure(values, schema)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as e:
        error = _validation_error(e, source)
    # Raised outside the handler, so it carries no cattrs error as its __context__: once
    # dask is imported, tblib pickles an exception's context too, and cannot rebuild cattrs'.
    raise error


def _validation_error(exc: BaseException, source: _Source) -> ValidationError:
    errors = []
    for path, keys, message in field_errors(exc):
        node = _find(source.root, keys)
        line = column = None
        if node is not None:
            line, column = position_of(source.parts.yaml, node.start)
            line += source.parts.line_offset
        elif source.parts.open_fence:
            line, column = 1, 1
        errors.append(FieldError(dotted(path), message, line, column))
    errors.sort(key=lambda e: (e.line or 0, e.column or 0))  # in file order
    return ValidationError(errors)


def _find(root: Node | None, keys: tuple[Any, ...]) -> Node | None:
    """The node at a key path (a missing last key gives its mapping)."""
    node = root
    for key in keys:
        while type(node) is Alias:
            node = node.target
        if isinstance(key, _Missing):
            return node
        if type(node) is Mapping:
            child = node.get(key)
            if child is None:
                return node
            node = child
        elif type(node) is Sequence and isinstance(key, int) and 0 <= key < len(node.nodes):
            node = node.nodes[key]
        else:
            return node
    return node


def dumps(doc: Document[Any]) -> str:
    """The text of *doc*.

    A loaded document that was not edited comes back byte for byte; an edited one
    changes only what was edited; a fresh one is written in the house style.

    >>> text = '---\\ntitle: "Hello"  # note\\npublishedDateTime: 2023-11-28T13:36:00Z\\n---\\n'
    >>> dumps(loads(text)) == text
    True
    """
    from ._edit import emit_fresh, rewrite

    source = doc._source
    try:
        if source is None:
            return emit_fresh(doc.item, doc.body)
        original = source.original()
        if _same(doc.item, original):
            return source.parts.join(body=doc.body)
        return rewrite(source, original, doc.item, doc.body)
    except RecursionError:
        raise _too_deep() from None


def _too_deep() -> LimitError:
    """Nesting that :class:`Limits` allowed but Python's own recursion limit does not."""
    return LimitError(
        f"nested too deeply for this Python (recursion limit {sys.getrecursionlimit()}); "
        "keep Limits.max_depth at a few hundred at most"
    )


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and bool(a == b)
