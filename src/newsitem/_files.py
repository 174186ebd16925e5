"""The I/O edge: ``load`` and ``dump`` for paths and file objects."""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path
from typing import IO, Any, TypeAlias, TypeVar, overload

from ._document import Document, dumps, loads
from ._errors import NewsItemError, ParseError
from ._model import NewsItem

__all__ = ["Source", "Target", "decode", "dump", "load", "write_atomic"]

T = TypeVar("T")
#: What :func:`load` reads: a path, or a text or binary file object.
Source: TypeAlias = str | os.PathLike[str] | IO[str] | IO[bytes]
#: What :func:`dump` writes to: a path, or a text or binary file object.
Target: TypeAlias = str | os.PathLike[str] | IO[str] | IO[bytes]

_BARE_SUFFIXES = (".yaml", ".yml")


def decode(data: bytes) -> str:
    """UTF-8 bytes to text; a BOM is kept (as ``\\ufeff``) so it can be written back."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError(
            "the file is UTF-16 (it starts with a UTF-16 BOM); newsitem reads UTF-8",
            line=1,
            column=1,
            offset=0,
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        before = data[: e.start].decode("utf-8", errors="replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        raise ParseError(
            f"invalid UTF-8 at byte offset {e.start}: {e.reason}", line=line, column=column, offset=e.start
        ) from None


@overload
def load(source: Source, *, bare: bool | None = ...) -> Document[NewsItem]: ...
@overload
def load(source: Source, *, schema: type[T], bare: bool | None = ...) -> Document[T]: ...
@overload
def load(source: Source, *, schema: None, bare: bool | None = ...) -> Document[dict[str, Any]]: ...


def load(source: Source, *, schema: type[Any] | None = NewsItem, bare: bool | None = None) -> Document[Any]:
    """Read a document from a path or an open file (text or binary).

    Bytes are decoded as UTF-8; a BOM is remembered and written back. *bare*
    defaults to true for ``.yaml`` and ``.yml`` paths (whole-file YAML, no
    fences). Errors carry the path in ``.path``.
    """
    name: str | None = None
    if isinstance(source, str | os.PathLike):
        name = os.fspath(source)
        try:
            data: str | bytes = Path(name).read_bytes()
        except OSError as e:
            raise _file_error(e, name) from None
    else:
        data = source.read()
        name = getattr(source, "name", None)
        name = name if isinstance(name, str) else None
    if bare is None:
        bare = bool(name and name.endswith(_BARE_SUFFIXES))
    try:
        text = decode(data) if isinstance(data, bytes) else data
        return loads(text, schema=schema, bare=bare)
    except NewsItemError as e:
        e.path = name
        raise


class FileError(NewsItemError, OSError):
    """A file could not be read or written (``errno`` and ``filename`` as in OSError)."""


FileError.__module__ = "newsitem"


def _file_error(e: OSError, name: str) -> FileError:
    err = FileError(e.errno, e.strerror or str(e))
    err.filename = name
    err.path = name
    return err


def dump(doc: Document[Any], target: Target) -> None:
    """Write *doc* to a path (atomically) or to an open file (text or binary)."""
    text = dumps(doc)
    if isinstance(target, str | os.PathLike):
        write_atomic(os.fspath(target), text.encode("utf-8"))
        return
    if isinstance(target, io.TextIOBase) or "b" not in getattr(target, "mode", "b"):
        target.write(text)  # type: ignore[call-overload]
    else:
        target.write(text.encode("utf-8"))  # type: ignore[arg-type]


def write_atomic(path: str, data: bytes) -> None:
    """Replace *path* with *data*: a temporary file in the same folder, flushed and
    fsynced, then renamed over the target. The target's permission bits are kept.
    On any failure the target is untouched and the temporary file removed."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".newsitem-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError):
            raise _file_error(e, path) from None
        raise
