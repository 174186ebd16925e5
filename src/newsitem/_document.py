"""Documents and the string API: ``loads`` and ``dumps``.

Sans-I/O: everything here works on ``str``; files live in ``_files.py``. Data
flows one way. Reading: text -> :func:`~newsitem._split.split` (which finds the
format) -> the format's values and span tree (``_formats``) -> typed item
(``_convert``) -> :class:`Document`. Writing (:func:`render`, the one driver):
:class:`Document` -> what changed, as plain data (``_convert.changes``) -> the
format's patched front matter, or fresh text -> the joined text
(``_split.Parts``) -> verified by reading it back -> a :class:`Rendered` result,
which the file layer writes only then.
"""

from __future__ import annotations

import sys
import typing
from typing import Any, Generic, NamedTuple, TypeVar, overload

import attrs

from ._convert import (
    changes,
    check_plain,
    copy_plain,
    dotted,
    field_errors,
    plan,
    same,
    structure_fn,
)
from ._convert import describe as _describe
from ._errors import FieldError, LimitError, NewsItemError, ParseError, SchemaError, ValidationError
from ._formats import SYNTAX, Syntax
from ._limits import DEFAULT_LIMITS, Limits
from ._model import NewsItem
from ._patch import Patched
from ._schema import fields, memo
from ._split import FORMATS, Parts, split
from ._tree import Mapping, Node, Scalar, Sequence, parse

__all__ = [
    "Document",
    "Rendered",
    "check_document",
    "check_schema",
    "convert",
    "converted",
    "dumps",
    "from_text",
    "loads",
    "render",
    "restyle",
]

T = TypeVar("T")


_UNREAD: Any = object()


class _Source:
    """What a loaded document remembers of its text, to write back by difference."""

    __slots__ = ("_original", "_tree", "limits", "origin", "parts", "schema", "values")

    def __init__(
        self,
        parts: Parts,
        tree: Any,
        values: dict[Any, Any] | None,
        schema: type[Any] | None,
        limits: Limits,
        original: Any = None,
    ) -> None:
        self.parts = parts
        self._tree = tree
        #: The plain values the front matter holds (``None``: not read yet).
        self.values = values
        self.schema = schema
        self.limits = limits
        self._original: Any = original  # built on first use; an item is never None
        #: ``(real path, digest of the bytes, absolute path as named)`` when loaded from
        #: (or written to) a file.
        self.origin: tuple[str, bytes, str] | None = None

    @classmethod
    def unread(cls, parts: Parts, schema: type[Any] | None, limits: Limits) -> _Source:
        """The source of a text already checked to read back right, read when needed."""
        return cls(parts, _UNREAD, None, schema, limits)

    @property
    def syntax(self) -> Syntax:
        return SYNTAX[self.parts.format]

    @property
    def tree(self) -> Any:
        """The format's span tree of the front matter (built when first needed)."""
        if self._tree is _UNREAD:
            parts = self.parts
            if self.values is None:
                self._tree, self.values = self.syntax.read(parts.front, parts.line_offset, self.limits)
            else:
                self._tree = self.syntax.tree(parts.front, parts.line_offset, self.limits)
        return self._tree

    def plain(self) -> dict[Any, Any]:
        if self.values is None:
            self.tree  # noqa: B018 - reads the values too
        assert self.values is not None
        return self.values

    def original(self) -> Any:
        """The item exactly as loaded (built again from the pristine values)."""
        if self._original is None:
            self._original = _typed(self.plain(), self.schema, self)
        return self._original

    def text(self) -> str:
        return self.parts.join()


class Document(Generic[T]):
    """A front-matter file: the typed ``item`` and the ``body`` after the fences.

    ``Document(item=..., body=...)`` makes a fresh document, which :func:`dumps`
    writes in the house style of its *format* (``"yaml"``, the default, ``"toml"``
    or ``"json"``). A document returned by :func:`loads` remembers its text, so
    :func:`dumps` gives back exactly that text while nothing is edited.
    """

    __slots__ = ("_format", "_source", "body", "item")

    def __init__(self, item: T, body: str = "", *, format: str = "yaml") -> None:
        if format not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
        self.item: T = item
        self.body: str = body
        self._format = format
        self._source: _Source | None = None

    def __repr__(self) -> str:
        body: Any = self.body
        if isinstance(body, str) and len(body) > 40:
            body = body[:37] + "..."
        elif not isinstance(body, str):  # not a body dumps takes; shown as what it is
            body = _describe(body)
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

    @property
    def bare(self) -> bool:
        """Whether the document is a whole data file with no fences and no body."""
        return self._source is not None and self._source.parts.bare

    @property
    def format(self) -> str:
        """The front matter's format: ``"yaml"``, ``"toml"`` or ``"json"``."""
        return self._source.parts.format if self._source is not None else self._format

    def _rebase(self, rendered: Rendered, origin: tuple[str, bytes, str] | None) -> None:
        """The document's text is now *rendered* (just written, to *origin*): later
        edits are differences from it."""
        if rendered.source is not None:
            self._source = rendered.source
        if self._source is not None:
            self._source.origin = origin


@overload
def loads(
    text: str, *, bare: bool = ..., format: str | None = ..., limits: Limits = ...
) -> Document[NewsItem]: ...
@overload
def loads(
    text: str, *, schema: type[T], bare: bool = ..., format: str | None = ..., limits: Limits = ...
) -> Document[T]: ...
@overload
def loads(
    text: str, *, schema: None, bare: bool = ..., format: str | None = ..., limits: Limits = ...
) -> Document[dict[str, Any]]: ...


def loads(
    text: str,
    *,
    schema: type[Any] | None = NewsItem,
    bare: bool = False,
    format: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Document[Any]:
    """Parse a front-matter document from a string.

    The format is read from the opening fence: ``---`` YAML, ``+++`` TOML, ``{``
    JSON. *schema* is any attrs class (default :class:`NewsItem`), or ``None`` for a
    plain ``dict``. With ``bare=True`` the whole text is front matter with no
    fences and no body (a data file) in *format* (YAML unless given). Raises
    :class:`ParseError` or :class:`ValidationError`, :class:`LimitError` for input
    beyond *limits* (see :class:`Limits`), and :class:`SchemaError` for a schema
    class newsitem cannot use.

    >>> doc = loads('---\\ntitle: "Hello"\\npublishedDateTime: 2023-11-28T13:36:00Z\\n---\\nBody\\n')
    >>> doc.item.title, doc.item.published_date_time.isoformat(), doc.body
    ('Hello', '2023-11-28T13:36:00+00:00', 'Body\\n')
    """
    if not isinstance(text, str):
        raise TypeError(f"loads() takes a str, not {type(text).__name__}; use load() for bytes")
    if schema is not None:
        check_schema(schema)
    return _load(split(text, bare=bare, format=format), schema, limits)


def from_text(
    text: str,
    *,
    schema: type[Any] | None,
    bare: bool,
    format: str | None = None,
    limits: Limits,
    origin: tuple[str, bytes, str] | None,
) -> Document[Any]:
    """:func:`loads` for the file layer, which knows where the text came from."""
    doc = _load(split(text, bare=bare, format=format), schema, limits)
    assert doc._source is not None
    doc._source.origin = origin
    return doc


def _load(parts: Parts, schema: type[Any] | None, limits: Limits) -> Document[Any]:
    syntax = SYNTAX[parts.format]
    tree, values = syntax.read(parts.front, parts.line_offset, limits)
    source = _Source(parts, tree if syntax.eager_tree else _UNREAD, values, schema, limits)
    try:
        item = copy_plain(values) if schema is None else _typed(values, schema, source)
    except RecursionError:
        raise _too_deep() from None
    doc: Document[Any] = Document(item, parts.body)
    doc._source = source
    return doc


def check_schema(schema: Any) -> None:
    """Refuse a schema class newsitem cannot read or write, naming the field."""
    if not isinstance(schema, type) or not attrs.has(schema):  # an instance may be unhashable
        raise SchemaError(f"a schema must be an attrs class (or None for plain dicts), not {schema!r}"[:200])
    _check_class(schema)


def check_document(doc: Any, function: str) -> None:
    """A :class:`TypeError` for an item (or anything else) passed where a document goes."""
    if not isinstance(doc, Document):
        raise TypeError(
            f"{function}() takes a Document, not {type(doc).__name__}; wrap an item in one: Document(item)"
        )


@memo
def _check_class(schema: type) -> None:
    """:func:`check_schema` of an attrs class, once."""
    seen: set[type] = set()
    todo = [schema]
    for cls in _attrs_closure(schema):
        try:
            typing.get_type_hints(cls)
        except Exception as e:  # NameError for an annotation naming nothing in reach
            raise SchemaError(f"{cls.__name__}: cannot resolve its type annotations ({e})") from None
        for a in attrs.fields(cls):
            if not a.init:
                raise SchemaError(
                    f"{cls.__name__}.{a.name}: a field with init=False cannot be read from a file; "
                    "give it init=True, or keep it out of the schema"
                )
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        named: dict[str, str] = {}
        for f in fields(cls):
            other = named.setdefault(f.key, f.name)
            if other != f.name:
                raise SchemaError(
                    f"{cls.__name__}.{f.name}: its key {f.key!r} is the key of {cls.__name__}.{other} too, "
                    "so one of them would be lost; give one another key (metadata={'newsitem.key': ...})"
                )
            try:
                plan(f.type)
                structure_fn(f.type)
            except Exception:  # cattrs' StructureHandlerNotFoundError among them
                name = getattr(f.type, "__name__", None) or str(f.type)
                raise SchemaError(
                    f"{cls.__name__}.{f.name}: newsitem cannot read or write a field of type {name} "
                    "(str, int, float, bool, datetime, date, lists, dicts, Literal, Enum, attrs classes "
                    "and Any, each optional)"
                ) from None
            todo.extend(_attrs_classes(f.type))


def _attrs_closure(schema: type) -> list[type]:
    """*schema* and the attrs classes its fields name, as far as they can be resolved."""
    out: list[type] = []
    todo = [schema]
    while todo:
        cls = todo.pop()
        if cls in out:
            continue
        out.append(cls)
        for f in attrs.fields(cls):
            if not isinstance(f.type, str):
                todo.extend(_attrs_classes(f.type))
    return out


def _attrs_classes(tp: Any) -> list[type]:
    if isinstance(tp, type) and attrs.has(tp):
        return [tp]
    return [c for a in getattr(tp, "__args__", ()) for c in _attrs_classes(a)]


def _typed(values: dict[Any, Any], schema: type[Any] | None, source: _Source) -> Any:
    if schema is None:
        return copy_plain(values)
    try:
        return structure_fn(schema)(values, schema)
    except RecursionError:
        raise
    except Exception as e:  # cattrs' errors, and whatever a custom hook raises
        error = _validation_error(e, source)
    # Raised outside the handler, so it carries no cattrs error as its __context__: once
    # dask is imported, tblib pickles an exception's context too, and cannot rebuild cattrs'.
    raise error


def _validation_error(exc: BaseException, source: _Source) -> ValidationError:
    errors = []
    for path, keys, message in field_errors(exc):
        where = source.syntax.locate(source.tree, source.parts.front, keys)
        line = column = None
        if where is not None:
            line, column = where
            line += source.parts.line_offset
        elif source.parts.open_fence or source.parts.format == "json":
            line, column = 1, 1
        errors.append(FieldError(dotted(path), message, line, column))
    errors.sort(key=lambda e: (e.line or 0, e.column or 0))  # in file order
    return ValidationError(errors)


# -- writing ------------------------------------------------------------------------------


class Rendered(NamedTuple):
    """The text of a document, verified, and what it parses to (``source``; ``None``
    when it is a fresh document's text)."""

    text: str
    source: _Source | None


def dumps(doc: Document[Any]) -> str:
    """The text of *doc*.

    A loaded document that was not edited comes back byte for byte; an edited one
    changes only what was edited; a fresh one is written in the house style. The
    text is read back and checked before it is returned. Raises
    :class:`ValidationError`, naming each field, for values that do not fit the
    schema or that YAML cannot hold.

    >>> text = '---\\ntitle: "Hello"  # note\\npublishedDateTime: 2023-11-28T13:36:00Z\\n---\\n'
    >>> dumps(loads(text)) == text
    True
    """
    check_document(doc, "dumps")
    return render(doc).text


def render(doc: Document[Any]) -> Rendered:
    """The verified text of *doc* and its parse (see :func:`dumps`)."""
    try:
        source = doc._source
        body = _body(doc, source)
        if source is None:
            return _fresh(doc.item, body, doc._format)
        parts = source.parts
        original = source.original()
        old, new, order = _changes(original, doc.item)
        if not old and not new:
            if body == parts.body:
                return Rendered(parts.join(), source)
            new_parts = parts.with_text(body=body)
            text = new_parts.join()
            if not parts.has_front_matter and _opens_front_matter(text):
                raise ValidationError([FieldError("body", _BODY_LOOKS_LIKE_FRONT_MATTER)])
            moved = _Source(new_parts, source._tree, source.values, source.schema, source.limits, original)
            return Rendered(text, moved)
        newline = parts.newline
        syntax = source.syntax
        _refuse(syntax.check(new, old), syntax.name)
        if parts.has_front_matter:
            try:
                patched = syntax.patch(parts.front, source.tree, old, new, order, newline)
            except ParseError as e:  # text the format cannot edit, at its line in the front matter
                if e.line is None:
                    raise
                raise ParseError(e.message, line=e.line + parts.line_offset, column=e.column) from None
            new_parts = parts.with_text(front=patched.text, body=body)
            fits = len(patched.text) <= source.limits.max_size
            if fits and syntax.local_check and _scalars_read_back(patched, source.tree, new):
                return Rendered(new_parts.join(), _Source.unread(new_parts, source.schema, source.limits))
        else:
            new_parts = Parts.new(newline=newline, bom=parts.bom, body=body)
            new_parts.front = syntax.patch("", None, old, new, order, newline).text
        return _verified(new_parts, doc.item, body, source.schema, source.limits)
    except RecursionError:
        raise _too_deep() from None
    except AssertionError as e:  # a check inside the patcher failed (overlapping edits): its bug
        raise _cannot_write(f"the edit failed a check: {e}") from e


_BODY_LOOKS_LIKE_FRONT_MATTER = (
    "the body starts like front matter ('---', '+++' or '{'), so it would be read as such; "
    "give the document front matter, or start the body differently"
)


def _opens_front_matter(text: str) -> bool:
    """Whether *text* would be read as front matter and a body (or refused as front
    matter that is never closed)."""
    try:
        return split(text).has_front_matter
    except ParseError:
        return True


def _refuse(problems: list[tuple[tuple[Any, ...], str]], format: str, source: _Source | None = None) -> None:
    """Values the format cannot hold: a validation error naming each field (and its
    place in *source*, the text the values were read from, when given)."""
    if problems:
        where = format.upper()
        raise ValidationError(
            _located(dotted(path), f"{message} ({where})", path, source) for path, message in problems
        )


def _located(field: str, message: str, keys: tuple[Any, ...], source: _Source | None) -> FieldError:
    if source is None or not source.parts.has_front_matter:
        return FieldError(field, message)
    where = source.syntax.locate(source.tree, source.parts.front, keys)
    if where is None:
        return FieldError(field, message)
    return FieldError(field, message, where[0] + source.parts.line_offset, where[1])


def _changes(original: Any, item: Any) -> tuple[dict[Any, Any], dict[Any, Any], list[Any]]:
    """:func:`~newsitem._convert.changes`, with any failure of the caller's objects
    (a ``tzinfo`` or a ``dict`` subclass that raises) reported as a validation error."""
    try:
        return changes(original, item)
    except (NewsItemError, RecursionError):
        raise
    except Exception as e:
        raise ValidationError([FieldError("", f"reading the item failed: {type(e).__name__}: {e}")]) from e


def _scalars_read_back(patched: Patched, root: Node | None, new: dict[Any, Any]) -> bool:
    """Whether an edit that only replaced top-level scalars reads back right, checked
    without reading the whole text again.

    This holds when every changed key's value was a plain or quoted scalar, replaced
    by one complete one-line scalar that reads back as the new value on its own (in
    the same block or flow context): every other character of the text is as it
    was, so every other value is too. Anything else is read back whole.
    """
    scalars = patched.scalars
    if not scalars or type(root) is not Mapping or len(scalars) != len(new):
        return False
    by_node = {id(node): (text, value, flow, tail) for node, text, value, flow, tail in scalars}
    for key, child in zip(root.keys, root.nodes, strict=True):
        if key.value in new:
            found = by_node.pop(id(child), None)
            if found is None:
                return False
            text, value, flow, tail = found
            if not same(value, new[key.value]) or not _reads_as(text, value, flow, tail):
                return False
    return not by_node


def _reads_as(text: str, value: Any, flow: bool, tail: str) -> bool:
    """Whether *text*, followed by *tail* (the rest of its line), is one scalar that
    reads as *value*, ending where *text* ends (in block or flow context)."""
    if any(c in text for c in "\n\r\x85\u2028\u2029*&!"):
        return False
    if flow:
        if tail[:1] not in ("", ",", "]", "}", " ", "\t"):
            return False
        before, after = "[", "]"
    else:
        before, after = "k: ", tail + "\n"
    try:
        root = parse(before + text + after)
    except NewsItemError:
        return False
    if type(root) not in (Mapping, Sequence) or len(root.nodes) != 1:  # type: ignore[union-attr]
        return False
    node = root.nodes[0]  # type: ignore[union-attr]
    return (
        type(node) is Scalar
        and node.start == len(before)
        and node.end == len(before) + len(text.rstrip(" "))
        and same(node.value, value)
    )


def _body(doc: Document[Any], source: _Source | None) -> str:
    body = doc.body
    if not isinstance(body, str):
        raise ValidationError([FieldError("body", f"expected a string, got {_describe(body)}")])
    if source is not None and source.parts.bare and body:
        raise ValidationError(
            [FieldError("body", f"a bare {source.parts.format.upper()} document (a data file) has no body")]
        )
    if not body.isascii():
        try:
            body.encode("utf-8")
        except UnicodeEncodeError as e:
            raise ValidationError(
                [FieldError("body", f"holds a lone surrogate {body[e.start]!r}, which UTF-8 cannot hold")]
            ) from None
    return body


def _fresh(item: Any, body: str, format: str = "yaml", *, newline: str = "\n", bom: bool = False) -> Rendered:
    """A new document in the house style of *format*."""
    schema = type(item) if attrs.has(type(item)) else None
    if schema is None and not isinstance(item, dict):
        raise ValidationError(
            [FieldError("", f"a document's item must be an attrs object or a dict, not {_describe(item)}")]
        )
    if schema is not None:
        check_schema(schema)
    data = _data(item, schema)
    syntax = SYNTAX[format]
    _refuse(syntax.check(data), format)
    parts = Parts.new(format=format, newline=newline, bom=bom, body=body)
    parts.front = syntax.emit(data, newline)
    return _verified(parts, item, body, schema, DEFAULT_LIMITS)


def _data(item: Any, schema: type[Any] | None) -> Any:
    errors: list[FieldError] = []
    try:
        data = plan(schema)(item, (), errors) if schema is not None else check_plain(item, (), errors)
    except RecursionError:
        raise
    except Exception as e:  # the caller's objects failing as they are read
        raise ValidationError([FieldError("", f"reading the item failed: {type(e).__name__}: {e}")]) from e
    if errors:
        raise ValidationError(errors)
    return data


def _verified(parts: Parts, item: Any, body: str, schema: type[Any] | None, limits: Limits) -> Rendered:
    """Read the new text back; it must mean exactly *item* and *body*."""
    text = parts.join()
    try:
        check = _load(split(text, bare=parts.bare, format=parts.format), schema, limits)
    except LimitError as e:  # its place is in text that was not written: say what, not where
        raise LimitError(f"once written, the front matter would go beyond the limits: {e.message}") from None
    except NewsItemError as e:
        raise _cannot_write(f"it would not read back ({e})") from None
    if check.body != body or check.format != parts.format:
        raise _cannot_write("the body would read back differently")
    if not same(check.item, item) and not same(_data(check.item, schema), _data(item, schema)):
        raise _cannot_write("it would read back as other values")
    assert check._source is not None
    check._source._original = check.item
    return Rendered(text, check._source)


def _cannot_write(why: str) -> NewsItemError:
    return NewsItemError(
        f"internal error: newsitem could not write this edit exactly ({why}); nothing was written. "
        "Please report this, with the file and the edit, at https://github.com/newsitem/newsitem/issues"
    )


def restyle(doc: Document[Any]) -> Rendered:
    """*doc*'s text with its front matter written afresh in the house style of its
    format. The body, a BOM and the file's line ending are kept; fences become the
    format's own (``---``, ``+++``). A document without front matter comes back as
    it is.
    """
    source = doc._source
    if source is None or not source.parts.has_front_matter:
        return render(doc)
    return _rewritten(doc, source, source.parts.format)


def convert(doc: Document[T], format: str) -> Document[T]:
    """A new document holding *doc*'s item and body with its front matter in another
    *format* (``"yaml"``, ``"toml"`` or ``"json"``), in that format's house style.

    :func:`dumps` of the result gives the converted text; the BOM and the line ending
    are kept. Values the target cannot hold (TOML has no null; JSON no date-time
    outside a typed field) raise :class:`ValidationError` naming each field; comments
    do not carry over from one format to another.

    >>> doc = loads('---\\ntitle: "Hi"\\npublishedDateTime: 2024-03-09T06:00:00Z\\n---\\nBody\\n')
    >>> print(dumps(convert(doc, "json")), end="")
    {
      "title": "Hi",
      "publishedDateTime": "2024-03-09T06:00:00Z"
    }
    Body
    """
    check_document(doc, "convert")
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
    source = doc._source
    if source is None:
        new = Document(doc.item, doc.body, format=format)
        rendered = _fresh(doc.item, _body(doc, None), format)
    else:
        rendered = _rewritten(doc, source, format)
        new = Document(doc.item, doc.body)
    assert rendered.source is not None
    fresh = _load(rendered.source.parts, rendered.source.schema, rendered.source.limits)
    new.item, new._source = fresh.item, fresh._source
    return new


def converted(doc: Document[Any], format: str) -> Rendered:
    """The verified text of :func:`convert` (for the file layer, which writes it)."""
    source = doc._source
    if source is None:
        return _fresh(doc.item, _body(doc, None), format)
    return _rewritten(doc, source, format)


def _rewritten(doc: Document[Any], source: _Source, format: str) -> Rendered:
    parts = source.parts
    body = _body(doc, source)
    newline = parts.newline
    data = _data(doc.item, source.schema)
    syntax = SYNTAX[format]
    _refuse(syntax.check(data), format, source)
    front = syntax.emit(data, newline)
    if parts.bare:
        new_parts = Parts(
            bom=parts.bom, open_fence="", front=front, close_fence="", body="", has_front_matter=True,
            bare=True, format=format,
        )  # fmt: skip
    else:
        new_parts = Parts.new(format=format, newline=newline, bom=parts.bom, body=body)
        new_parts.front = front
    return _verified(new_parts, doc.item, body, source.schema, source.limits)


def _too_deep() -> LimitError:
    """Nesting that :class:`Limits` allowed but Python's own recursion limit does not."""
    return LimitError(
        f"nested too deeply for this Python (recursion limit {sys.getrecursionlimit()}); "
        "keep Limits.max_depth at a few hundred at most"
    )
