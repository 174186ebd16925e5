"""Exceptions raised by newsitem.

Every error newsitem raises derives from :class:`NewsItemError`; the concrete ones
also derive from the built-in they really are (:class:`ValueError`),
so ``except ValueError`` keeps working for callers who do not know newsitem.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

__all__ = [
    "FieldError",
    "LimitError",
    "NewsItemError",
    "ParseError",
    "SchemaError",
    "ValidationError",
]


def clip(text: str, limit: int = 100) -> str:
    """*text* as an error message quotes it: its start only, when long (a value from a
    file may be a megabyte)."""
    return text if len(text) <= limit else text[:limit] + "..."


class NewsItemError(Exception):
    """Root of every exception newsitem raises.

    ``path`` is the file the problem was found in, when newsitem read it from a file.
    """

    path: str | None = None

    def _where(self) -> str:
        return f"{self.path}: " if self.path else ""


class ParseError(NewsItemError, ValueError):
    """The text is not a well-formed front-matter document.

    Broken fences, invalid YAML, bad encoding, unsupported tags. ``line`` and
    ``column`` are 1-based positions in the whole file (BOM not counted), or
    ``None`` when no position applies; ``offset`` is the byte offset for encoding
    errors.
    """

    def __init__(
        self,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        path: str | None = None,
        offset: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.path = path
        self.offset = offset

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self._where()}line {self.line}, column {self.column}: {self.message}"
        return f"{self._where()}{self.message}"

    def __repr__(self) -> str:
        name = type(self).__name__
        return f"{name}({self.message!r}, line={self.line!r}, column={self.column!r}, path={self.path!r})"


class LimitError(ParseError):
    """The input is beyond one of the :class:`~newsitem.Limits`: too large, nested too
    deeply, or its aliases expand to too many nodes (a "billion laughs" document).

    ``line`` and ``column`` point at where the limit was crossed, when known.
    """


class SchemaError(NewsItemError, TypeError):
    """A schema class that newsitem cannot use: not an attrs class, or a field of a
    type newsitem cannot read and write (the message names the class, the field and
    the type). Raised the first time the schema is used."""


@attrs.frozen
class FieldError:
    """One field's problem inside a :class:`ValidationError`.

    ``field`` is a path such as ``related[2].images[0].width`` (attribute names of
    the typed classes; keys as written for untyped parts); ``line`` and ``column``
    are 1-based and point at the offending value (or at the mapping that lacks a
    required key).
    """

    field: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = f"{self.line}:{self.column}: " if self.line is not None else ""
        return f"{where}{self.field or '(front matter)'}: {self.message}"


class ValidationError(NewsItemError, ValueError):
    """The front matter is well-formed YAML but does not fit the schema.

    ``errors`` lists every problem found, not just the first.
    """

    def __init__(self, errors: Iterable[FieldError], *, path: str | None = None) -> None:
        self.errors: Sequence[FieldError] = tuple(errors)
        self.path = path
        super().__init__(self.errors)

    def __str__(self) -> str:
        n = len(self.errors)
        lines = [f"{self._where()}{n} invalid field{'s' if n != 1 else ''}"]
        lines += [f"  {e}" for e in self.errors]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"ValidationError({list(self.errors)!r}, path={self.path!r})"


for _cls in (NewsItemError, ParseError, LimitError, SchemaError, FieldError, ValidationError):
    _cls.__module__ = "newsitem"
