"""The I/O edge: ``load`` and ``dump`` for paths and file objects."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
from collections.abc import Iterator
from typing import IO, Any, TypeAlias, TypeVar, overload

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks
    fcntl = None  # type: ignore[assignment]

try:  # BLAKE2 is built into CPython; hashlib would load OpenSSL first, for nothing here
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover - another Python
    from hashlib import blake2b as _blake2b

from ._document import Document, Rendered, check_document, check_schema, from_text, render
from ._errors import FieldError, NewsItemError, ParseError, ValidationError
from ._limits import DEFAULT_LIMITS, Limits
from ._model import NewsItem

__all__ = [
    "ConflictError",
    "FileError",
    "Source",
    "Target",
    "decode",
    "dump",
    "edit",
    "data_format",
    "load",
    "parse_bytes",
    "reads_bare",
    "write_atomic",
    "write_verified",
]

T = TypeVar("T")
#: What :func:`load` reads: a path, or a text or binary file object.
Source: TypeAlias = str | os.PathLike[str] | IO[str] | IO[bytes]
#: What :func:`dump` writes to: a path, or a text or binary file object.
Target: TypeAlias = str | os.PathLike[str] | IO[str] | IO[bytes]

_FENCED = re.compile(r"\ufeff?(?:---|\+\+\+)[ \t]*(?:\r\n|\n|\r)")
#: Data files: the whole file is front matter in a format, with no fences and no body.
DATA_FORMATS = {".yaml": "yaml", ".yml": "yaml", ".toml": "toml", ".json": "json"}


_NOT_UTF8 = "the file is {}; newsitem reads UTF-8"


def decode(data: bytes) -> str:
    """UTF-8 bytes to text; a BOM is kept (as ``\\ufeff``) so it can be written back."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise ParseError(_NOT_UTF8.format("UTF-32 (it starts with a UTF-32 BOM)"), line=1, column=1, offset=0)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError(_NOT_UTF8.format("UTF-16 (it starts with a UTF-16 BOM)"), line=1, column=1, offset=0)
    if data[:1] == b"\x00" or data[1:2] == b"\x00":
        raise ParseError(
            _NOT_UTF8.format("UTF-16 or UTF-32 (a NUL byte in its first two bytes)"),
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


class FileError(NewsItemError, OSError):
    """A file could not be read or written (``errno`` and ``filename`` as in OSError)."""


class ConflictError(FileError):
    """The file changed on disk after it was loaded; nothing was written.

    ``path`` and ``filename`` name the file; ``errno`` is ``None`` (no system call
    failed).

    Load it again and redo the edit, or pass ``force=True`` to overwrite.
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else super().__str__()


for _cls in (FileError, ConflictError):
    _cls.__module__ = "newsitem"


def _file_error(e: OSError, name: str) -> FileError:
    err = FileError(e.errno, e.strerror or str(e))
    err.filename = name
    err.path = name
    return err


def _check_name(name: str) -> None:
    """A :class:`FileError` for a path no file can have (``open`` raises ValueError)."""
    if "\0" in name:
        raise _file_error(OSError(errno.EINVAL, "a path cannot hold a NUL character"), name)


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def _digest(data: bytes) -> bytes:
    return _blake2b(data, digest_size=20).digest()


@overload
def load(source: Source, *, bare: bool | None = ..., limits: Limits = ...) -> Document[NewsItem]: ...
@overload
def load(
    source: Source, *, schema: type[T], bare: bool | None = ..., limits: Limits = ...
) -> Document[T]: ...
@overload
def load(
    source: Source, *, schema: None, bare: bool | None = ..., limits: Limits = ...
) -> Document[dict[str, Any]]: ...


def load(
    source: Source,
    *,
    schema: type[Any] | None = NewsItem,
    bare: bool | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Document[Any]:
    """Read a document from a path or an open file (text or binary).

    Bytes are decoded as UTF-8; a BOM is remembered and written back. The front
    matter's format is read from its fence (``---``, ``+++`` or ``{``). *bare*
    defaults to true for data files, whose names say their format: ``.yaml`` and
    ``.yml``, ``.toml``, ``.json`` (the whole file, no fences), unless a ``.toml``
    or ``.json`` file opens with a fence (a site's page with front matter). Errors carry the
    path in ``.path``. A document loaded from a path remembers what the file held,
    so :func:`dump` can refuse to overwrite a file that changed since.

    A file opened in text mode gives the text Python made of it: with the default
    ``newline=None``, CRLF line endings are already LF, and are written back so.
    Open files in binary mode (or with ``newline=""``) to keep them; a path does.
    """
    name: str | None = None
    origin: tuple[str, bytes, str] | None = None
    if isinstance(source, str | os.PathLike):
        name = os.fspath(source)
        _check_name(name)
        try:
            raw = _read_bytes(name)
        except OSError as e:
            raise _file_error(e, name) from None
        origin = (os.path.realpath(name), _digest(raw), os.path.abspath(name))
        data: str | bytes = raw
    elif callable(getattr(source, "read", None)):
        name = getattr(source, "name", None)
        name = name if isinstance(name, str) else None
        data = _read_file(source, name)
    else:
        raise TypeError(f"load() takes a path or an open file, not {type(source).__name__}")
    return parse_bytes(data, name, schema=schema, bare=bare, limits=limits, origin=origin)


def _read_file(source: IO[Any], name: str | None) -> str | bytes:
    """What an open file holds; its failures (closed, not open for reading, text it
    cannot decode) as newsitem's errors."""
    try:
        data: str | bytes = source.read()
    except UnicodeDecodeError as e:  # a file opened in text mode with another encoding
        err: NewsItemError = ParseError(f"the file could not be read as text: {e.reason}")
    except (OSError, ValueError) as e:  # ValueError: "I/O operation on closed file"
        err = _file_error(e if isinstance(e, OSError) else OSError(errno.EBADF, str(e)), name or "<file>")
    else:
        return data
    err.path = name
    raise err


def parse_bytes(
    data: str | bytes,
    name: str | None,
    *,
    schema: type[Any] | None = NewsItem,
    bare: bool | None = None,
    limits: Limits = DEFAULT_LIMITS,
    origin: tuple[str, bytes, str] | None = None,
) -> Document[Any]:
    """A document from a file's bytes (or text) and its name, as :func:`load` reads a
    path: UTF-8 with a BOM kept, bare for data-file names, errors carrying *name*."""
    format = data_format(name)
    if schema is not None:
        check_schema(schema)
    try:
        text = decode(data) if isinstance(data, bytes) else data
        if bare is None:
            bare = reads_bare(name, text)
        return from_text(
            text, schema=schema, bare=bare, format=format if bare else None, limits=limits, origin=origin
        )
    except NewsItemError as e:
        e.path = name
        raise


def reads_bare(name: str | None, text: str) -> bool:
    """Whether :func:`load` reads *text*, in a file named *name*, as a whole data file.

    By the name: ``.yaml``, ``.yml``, ``.toml``, ``.json``. But a ``.json`` or ``.toml``
    page of a site (a feed, say) may have front matter: a fence, which neither JSON nor
    TOML can start with, says so. YAML data may start with ``---``.
    """
    format = data_format(name)
    return format is not None and not (format != "yaml" and _FENCED.match(text) is not None)


def data_format(name: str | None) -> str | None:
    """The format of a data file by its name (``"yaml"``, ``"toml"``, ``"json"``), or
    ``None`` for a file with front matter (Markdown, HTML...)."""
    if not name:
        return None
    return DATA_FORMATS.get(os.path.splitext(name)[1].lower())


def dump(doc: Document[Any], target: Target, *, force: bool = False) -> None:
    """Write *doc* to a path, or to an open file (text or binary).

    A path is written atomically: a temporary file in the same folder, flushed and
    fsynced, then renamed over the target, keeping its permission bits. When *doc*
    was loaded from that same path and the file has changed since, nothing is
    written and :class:`ConflictError` is raised (unless *force* is true). A path
    under which :func:`load` would read the text otherwise (a page with front matter
    named ``.yaml``, a data file named ``.md``) is a :class:`ValidationError`, and
    nothing is written. Errors leave the file as it was.
    """
    check_document(doc, "dump")
    if not isinstance(target, str | os.PathLike) and not callable(getattr(target, "write", None)):
        raise TypeError(f"dump() writes to a path or an open file, not {type(target).__name__}")
    if not isinstance(target, str | os.PathLike):
        rendered = render(doc)  # verified before anything is written
        if isinstance(target, io.TextIOBase) or "b" not in getattr(target, "mode", "b"):
            target.write(rendered.text)  # type: ignore[call-overload]
        else:
            target.write(rendered.text.encode("utf-8"))  # type: ignore[arg-type]
        return  # a copy: the document still belongs to the file it came from
    write_verified(doc, _render_for(doc, target), target, force=force)


def _render_for(doc: Document[Any], path: str | os.PathLike[str]) -> Rendered:
    """``render(doc)`` for writing to *path*: an error names the file it was for."""
    try:
        return render(doc)
    except NewsItemError as e:
        if e.path is None:
            e.path = os.fspath(path)
        raise


def write_verified(
    doc: Document[Any], rendered: Rendered, target: str | os.PathLike[str], *, force: bool = False
) -> None:
    """Write verified text to a path, atomically, unless the file changed since *doc*
    was loaded from it; then *doc*'s baseline is what the file now holds."""
    path = os.fspath(target)
    _check_name(path)
    if reads_bare(path, rendered.text) != doc.bare:  # load(path) would read something else
        what = "a data file without front matter" if doc.bare else "a page with front matter"
        raise ValidationError(
            [FieldError("", f"{what} written to {os.path.basename(path)} would not read back as it is")],
            path=path,
        )
    real = os.path.realpath(path)  # through a symlink, replace the file it points to
    named = os.path.abspath(path)
    source = doc._source
    origin = source.origin if source is not None else None
    # The file it was loaded from, by any name; or the path it was loaded by, which may
    # now name another file (a link re-pointed, a file replaced by a link): that file
    # holds other bytes than were loaded from that path, a conflict like any change.
    same = origin is not None and (origin[0] == real or origin[2] == named)
    expected = origin[1] if origin is not None and same and not force else None
    data = rendered.text.encode("utf-8")
    try:
        with _locked(real):
            if expected is not None:
                _check_unchanged(real, expected)
            write_atomic(real, data)
    except OSError as e:
        if isinstance(e, NewsItemError):
            raise
        raise _file_error(e, path) from None
    if origin is None or same:  # written where it came from: that is its text now
        doc._rebase(rendered, (real, _digest(data), named))


def _check_unchanged(path: str, expected: bytes) -> None:
    try:
        current = _read_bytes(path)
    except FileNotFoundError:
        current = None
    if current is None or _digest(current) != expected:
        what = "was removed" if current is None else "changed on disk"
        err = ConflictError(
            f"{path} {what} since it was loaded; nothing was written (use force=True to overwrite)"
        )
        err.path = err.filename = path
        raise err


@contextlib.contextmanager
def _locked(path: str) -> Iterator[None]:
    """Hold an advisory lock on *path* (when it exists) while it is checked and replaced.

    Two processes writing the same file take turns; the second then sees the first's
    change and is refused instead of overwriting it.
    """
    if fcntl is None:  # pragma: no cover
        yield
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@overload
def edit(
    path: str | os.PathLike[str], *, bare: bool | None = ..., force: bool = ...
) -> contextlib.AbstractContextManager[Document[NewsItem]]: ...
@overload
def edit(
    path: str | os.PathLike[str], *, schema: type[T], bare: bool | None = ..., force: bool = ...
) -> contextlib.AbstractContextManager[Document[T]]: ...
@overload
def edit(
    path: str | os.PathLike[str], *, schema: None, bare: bool | None = ..., force: bool = ...
) -> contextlib.AbstractContextManager[Document[dict[str, Any]]]: ...


def edit(
    path: str | os.PathLike[str],
    *,
    schema: type[Any] | None = NewsItem,
    bare: bool | None = None,
    force: bool = False,
) -> contextlib.AbstractContextManager[Document[Any]]:
    """Load *path*, hand you the document, and write it back if you changed it.

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "item.md"
    >>> _ = path.write_text('---\\ntitle: "Old"\\npublishedDateTime: 2024-01-02T03:04:05Z\\n---\\n')
    >>> with edit(path) as doc:
    ...     doc.item.title = "New"
    >>> print(path.read_text(), end="")
    ---
    title: "New"
    publishedDateTime: 2024-01-02T03:04:05Z
    ---

    Nothing is written when the block leaves the document as it was, or when it
    raises. Writing is :func:`dump`'s: atomic, and refused with
    :class:`ConflictError` if the file changed on disk meanwhile (unless *force*).
    """
    return _edit(path, schema, bare, force)


@contextlib.contextmanager
def _edit(
    path: str | os.PathLike[str], schema: type[Any] | None, bare: bool | None, force: bool
) -> Iterator[Document[Any]]:
    doc = load(path, schema=schema, bare=bare)
    before = render(doc).text
    yield doc
    rendered = _render_for(doc, path)
    if rendered.text != before:
        write_verified(doc, rendered, path, force=force)


def write_atomic(path: str, data: bytes) -> None:
    """Replace *path* with *data*: a temporary file in the same folder, flushed and
    fsynced, then renamed over the target, then the folder fsynced. The target's
    permission bits are kept. On any failure the target is untouched and the
    temporary file removed."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        mode: int | None = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        mode = None  # a new file: created 0o666 less the umask, by the system
    fd, tmp = _temporary(folder, 0o600 if mode is not None else 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_folder(folder)


def _temporary(folder: str, mode: int) -> tuple[int, str]:
    """A new file in *folder*, open for writing, created with *mode* less the umask
    (which only the system applies: reading it means setting it, for every thread)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = os.path.join(folder, f".newsitem-{os.urandom(6).hex()}.tmp")
        try:
            return os.open(tmp, flags, mode), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", folder)  # pragma: no cover


def _fsync_folder(folder: str) -> None:
    """Make the rename durable. Best effort: the new file is already in place, so a
    failure here (a file system that refuses, no file descriptors left) is not an error."""
    if os.name != "posix":  # pragma: no cover
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
