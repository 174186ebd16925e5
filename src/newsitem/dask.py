"""Many items on `Dask <https://www.dask.org>`_: read, tabulate and edit items wherever
`fsspec <https://filesystem-spec.readthedocs.io>`_ reaches: local folders, S3, GCS,
Azure, ``memory://``.

Needs the ``dask`` extra (``pip install 'newsitem[dask]'``), plus the fsspec
driver of your store (``s3fs``, ``gcsfs``, ``adlfs``). ``import newsitem`` does not
import this module or Dask; ``import newsitem.dask`` does.

Every function returns a lazy :class:`dask.bag.Bag` (or a lazy
:class:`dask.dataframe.DataFrame`); nothing is read until it is computed, on
whichever scheduler is active: for a bag, worker processes on this machine by
default, or the workers of a ``distributed`` cluster once a
:class:`distributed.Client` exists. ``memory://`` lives inside one process, so
its examples compute with ``scheduler="sync"``.

>>> import fsspec, newsitem, newsitem.dask
>>> fs = fsspec.filesystem("memory")
>>> fs.pipe({
...     "/doctest/_news/a.md": b'---\\ntitle: "A"\\npublishedDateTime: 2024-01-01T00:00:00Z\\n---\\n',
...     "/doctest/_news/b.md": b'---\\ntitle: "B"\\npublishedDateTime: someday\\n---\\n',
... })
>>> for url, result in newsitem.dask.read("memory://doctest/_news/*.md").compute(scheduler="sync"):
...     print(url, getattr(result, "item", result).__class__.__name__)
memory:///doctest/_news/a.md NewsItem
memory:///doctest/_news/b.md ValidationError
>>> def retitle(doc):
...     doc.item.title = doc.item.title.upper()
>>> newsitem.dask.edit("memory://doctest/_news/a.md", retitle).compute(scheduler="sync")
[('memory:///doctest/_news/a.md', 'unchanged')]
>>> def shout(doc):
...     doc.item.title = doc.item.title + "!"
>>> newsitem.dask.edit("memory://doctest/_news/a.md", shout).compute(scheduler="sync")
[('memory:///doctest/_news/a.md', 'written')]
>>> print(fs.cat("/doctest/_news/a.md").decode(), end="")
---
title: "A!"
publishedDateTime: 2024-01-01T00:00:00Z
---
"""

from __future__ import annotations

import contextlib
import errno
import gc
import hashlib
import os
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypeVar

import dask.bag as db
import fsspec
from dask.delayed import delayed
from fsspec.core import url_to_fs
from fsspec.implementations.local import LocalFileSystem

import newsitem
from newsitem import ConflictError, Document, FileError, NewsItem, NewsItemError
from newsitem._batch import has_front_matter
from newsitem._config import is_special
from newsitem._files import decode, parse_bytes
from newsitem._flatten import Kind, cell, flatten, item_data, merge, record_kinds
from newsitem._split import split

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd

__all__ = ["PARTITION_SIZE", "Outcome", "columns", "edit", "read", "to_dataframe"]

A = TypeVar("A")
E = TypeVar("E", bound=NewsItemError)
T = TypeVar("T")

#: Items per partition, the unit of work of one Dask task. A few hundred keep the
#: scheduler's per-task cost (about a millisecond) well under 1% of a task's time.
PARTITION_SIZE = 256
#: Concurrent requests per task on an object store, where reading is waiting.
IO_THREADS = 16

#: What :func:`edit` did to one file (or the :class:`~newsitem.NewsItemError` it hit).
Outcome: TypeAlias = Literal["unchanged", "written", "conflict"]

# Suffixes walked in a folder, as newsitem.load_many walks them.
_WALKED = (".md", ".markdown", ".html")
# Stores whose writes replace a whole object or nothing: edit() writes only to these.
_S3 = frozenset({"s3", "s3a"})
_WHOLE_OBJECT = _S3 | {"gs", "gcs", "az", "abfs", "abfss", "memory"}
# Object metadata that changes whenever the object does: S3 ETag, GCS generation, Azure etag.
_TOKEN_KEYS = ("ETag", "generation", "etag")
# Larger than any item; below S3's 5 GiB limit for one PUT, so s3fs never splits a write.
_ONE_PUT = 2**31


# -- finding the files ------------------------------------------------------------------

#: One URL or local path, a glob, a folder, or a list of them.
UrlPath: TypeAlias = str | os.PathLike[str] | Sequence[str | os.PathLike[str]]


def _protocol(fs: fsspec.AbstractFileSystem) -> str:
    proto = fs.protocol
    return proto if isinstance(proto, str) else proto[0]


def _is_local(fs: fsspec.AbstractFileSystem) -> bool:
    return isinstance(fs, LocalFileSystem)


def _urls(urlpath: UrlPath) -> list[str]:
    if isinstance(urlpath, str | os.PathLike):
        return [os.fspath(urlpath)]
    return [os.fspath(u) for u in urlpath]


def _filesystem(urls: list[str], storage_options: Mapping[str, Any] | None) -> fsspec.AbstractFileSystem:
    """The file system of *urls* (the first one's: a list is on one file system)."""
    if not urls:
        return fsspec.filesystem("file")
    try:
        fs, _ = url_to_fs(urls[0], **dict(storage_options or {}))
    except ImportError as e:  # the store's own package (paramiko, adlfs, ...) is not installed
        raise ValueError(f"cannot open {urls[0]!r}: {e}") from None
    return fs


def _files(fs: fsspec.AbstractFileSystem, urls: list[str]) -> list[str]:
    """The files (without protocol) that *urls* name.

    A glob gives the files it matches, sorted (or, matching none, the file it names,
    if any: a name with ``[``, ``*`` or ``?`` in it); a folder gives its ``.md``,
    ``.markdown`` and ``.html`` files, recursively, skipping hidden folders, in the
    order :func:`newsitem.load_many` walks them (a folder's files, then its
    subfolders, each sorted); anything else is taken as a file, unchecked, so a
    missing file becomes that file's :class:`~newsitem.FileError` when it is read.
    A folder is a path ending in ``/``, a local folder, or, on other stores (where
    asking costs a request), a path without a file suffix that the store lists
    as a folder.
    """
    files: list[str] = []
    local = _is_local(fs)  # where a named pipe or a device may be found: left out, as load_many does
    for url in urls:
        path = fs._strip_protocol(url)
        if fsspec.core.has_magic(path):
            found = fs.glob(path, detail=True)
            if not found and fs.isfile(path):  # a name with "[", "*" or "?" in it, not a glob
                files.append(path)
                continue
            files += sorted(
                _Walked(p)
                for p, info in found.items()
                if info.get("type") != "directory" and not (local and is_special(p))
            )
        elif url.endswith("/") or (
            (_is_local(fs) or not os.path.splitext(path.rstrip("/"))[1]) and fs.isdir(path)
        ):
            root = path.rstrip("/")
            found = (
                p
                for p in fs.find(root)
                if p.endswith(_WALKED) and not _hidden(p[len(root) :]) and not (local and is_special(p))
            )
            files += [_Walked(p) for p in sorted(found, key=lambda p: _walk_order(p[len(root) :]))]
        else:
            files.append(path)
    return files


class _Walked(str):
    """A path found by a glob or a folder walk (not named): like :func:`newsitem.load_many`,
    :func:`read` leaves such a file out when it has no front matter."""

    __slots__ = ()


def _without_front_matter(path: str, result: Document[Any] | NewsItemError, data: bytes | None) -> bool:
    """Whether a walked file is one to leave out, having no front matter at all."""
    if not isinstance(path, _Walked):
        return False
    if isinstance(result, Document):
        return not result.has_front_matter
    if not isinstance(result, newsitem.ValidationError):
        return False
    if data is None:
        return not has_front_matter(path)
    try:
        return not split(decode(data)).has_front_matter
    except NewsItemError:
        return False


def _walk_order(relative: str) -> list[tuple[int, str]]:
    """Sorts paths below a folder as a top-down walk meets them: files before subfolders."""
    *folders, name = relative.strip("/").split("/")
    return [(1, f) for f in folders] + [(0, name)]


def _hidden(relative: str) -> bool:
    """Whether a path below a walked folder is inside a hidden folder."""
    return any(part.startswith(".") for part in relative.split("/")[:-1])


def _name(fs: fsspec.AbstractFileSystem, path: str) -> str:
    """How a file is named in results: a local path as it is, anything else as a URL."""
    return path if _is_local(fs) else str(fs.unstrip_protocol(path))


def _bag(paths: list[str], partition_size: int) -> db.Bag:
    if partition_size < 1:
        raise ValueError(f"partition_size must be at least 1, not {partition_size}")
    bag: db.Bag = db.from_sequence(paths, partition_size=partition_size)
    return bag


# -- reading ----------------------------------------------------------------------------


def _parse(data: bytes, name: str, schema: type[Any] | None) -> Document[Any]:
    """A document from a file's bytes, as :func:`newsitem.load` reads a path."""
    return parse_bytes(data, name, schema=schema)


def _file_error(e: BaseException, name: str) -> FileError:
    if isinstance(e, FileError):
        return e
    if isinstance(e, FileNotFoundError) and e.errno is None:
        err = FileError(errno.ENOENT, os.strerror(errno.ENOENT))
    elif isinstance(e, OSError) and e.errno is not None:
        err = FileError(e.errno, e.strerror or str(e))
    else:
        err = FileError(f"{type(e).__name__}: {e}")
    err.filename = name
    err.path = name
    return err


def _token(info: Mapping[str, Any]) -> str | None:
    """What identifies this version of an object (S3 ETag, GCS generation), if the store says."""
    for key in _TOKEN_KEYS:
        value = info.get(key)
        if value not in (None, ""):
            return f"{key}={value}"
    return None


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=20).digest()


class _Version:
    """What a remote file held when it was read: its store's version token, and a
    digest of its bytes for stores that have no token."""

    __slots__ = ("digest", "token")

    def __init__(self, token: str | None, data: bytes) -> None:
        self.token = token
        self.digest = _digest(data)


def _fetch(fs: fsspec.AbstractFileSystem, path: str) -> tuple[bytes, _Version] | FileError:
    """A remote file's bytes and the version they are, or the error.

    The version comes from the same open file that reads the bytes: s3fs reads with
    ``If-Match`` on the ETag it opened, so bytes and ETag always belong together.
    """
    name = _name(fs, path)
    try:
        fs.invalidate_cache(path)  # an ETag from an earlier listing may be stale
        with fs.open(path, "rb") as f:
            details = getattr(f, "details", None)
            data = f.read()
        return data, _Version(_token(details) if isinstance(details, Mapping) else None, data)
    except Exception as e:  # stores raise anything: OSError, botocore's, aiohttp's...
        return _element(_file_error(e, name))


def _map_io(func: Callable[[A], T], items: Sequence[A]) -> list[T]:
    """``func`` over *items*, concurrently: object stores answer slowly but in parallel."""
    if len(items) < 2:
        return [func(i) for i in items]
    with ThreadPoolExecutor(max_workers=min(IO_THREADS, len(items))) as pool:
        return list(pool.map(func, items))


_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a partition is parsed.

    A partition builds hundreds of documents that stay alive until the task ends,
    and each collection would walk all of them again: measured on 3,000 news
    items, that made parsing 45% dearer than parsing them one at a time. Memory is
    still freed by reference counting; the collector runs again when the last
    paused task ends (threads of one worker share it, hence the count).
    """
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


def _element(e: E) -> E:
    """An error as a bag element: without its traceback and the exceptions it was
    raised from (a cattrs error, say), which only weigh on the trip back from a
    worker, and which ``distributed`` (through tblib) cannot always unpickle."""
    e.__traceback__ = e.__context__ = e.__cause__ = None
    return e


def _load_local(path: str, schema: type[Any] | None) -> Document[Any] | NewsItemError:
    try:
        return newsitem.load(path, schema=schema)
    except NewsItemError as e:
        return _element(e)


def _read_partition(
    paths: Sequence[str], fs: fsspec.AbstractFileSystem, schema: type[Any] | None
) -> list[tuple[str, Document[Any] | NewsItemError]]:
    with _gc_paused():
        return _read_all(paths, fs, schema)


def _read_all(
    paths: Sequence[str], fs: fsspec.AbstractFileSystem, schema: type[Any] | None
) -> list[tuple[str, Document[Any] | NewsItemError]]:
    out: list[tuple[str, Document[Any] | NewsItemError]] = []
    if _is_local(fs):
        for p in paths:
            result = _load_local(p, schema)
            if not _without_front_matter(p, result, None):
                out.append((str(p), result))
        return out
    for path, fetched in zip(paths, _map_io(lambda p: _fetch(fs, p), paths), strict=True):
        name = _name(fs, path)
        if isinstance(fetched, FileError):
            out.append((name, fetched))
            continue
        parsed: Document[Any] | NewsItemError
        try:
            parsed = _parse(fetched[0], name, schema)
        except NewsItemError as e:
            parsed = _element(e)
        if not _without_front_matter(path, parsed, fetched[0]):
            out.append((name, parsed))
    return out


def read(
    urlpath: UrlPath,
    *,
    schema: type[Any] | None = NewsItem,
    storage_options: Mapping[str, Any] | None = None,
    partition_size: int = PARTITION_SIZE,
) -> db.Bag:
    """A bag of ``(path, document)`` or ``(path, error)`` pairs, one per file.

    *urlpath* is an fsspec URL or local path, a glob (``"s3://bucket/_news/*.md"``,
    ``"/site/_news/**/*.md"``), a folder (walked for ``.md``, ``.markdown`` and
    ``.html`` files, as :func:`newsitem.load_many` walks it), or a list of them on one
    file system. *storage_options* go to the fsspec file system (credentials, an
    endpoint). The files are listed now, on this machine; they are read when the
    bag is computed, *partition_size* files per task.

    Each element is what :func:`newsitem.load_many` yields: the file and either its
    :class:`~newsitem.Document` (of *schema*, as in :func:`newsitem.load`) or the
    :class:`~newsitem.NewsItemError` it raised, a file that cannot be read being a
    :class:`~newsitem.FileError`; one bad file never stops a job. Local files are
    named by their path, others by their URL (``s3://bucket/_news/a.md``). Local
    documents can be written back with :func:`newsitem.dump`, conflict-checked;
    to write back to an object store, use :func:`edit`.

    >>> import fsspec, newsitem.dask
    >>> text = b'---\\ntitle: "X"\\npublishedDateTime: 2024-05-01\\n---\\n'
    >>> fsspec.filesystem("memory").pipe("/read/x.md", text)
    >>> bag = newsitem.dask.read("memory://read/*.md")
    >>> [(url, doc.item.title) for url, doc in bag.compute(scheduler="sync")]
    [('memory:///read/x.md', 'X')]
    """
    urls = _urls(urlpath)
    fs = _filesystem(urls, storage_options)
    bag: db.Bag = _bag(_files(fs, urls), partition_size).map_partitions(_read_partition, fs, schema)
    return bag


# -- tables -------------------------------------------------------------------------------

Errors: TypeAlias = Literal["drop", "flag"]


def _records(
    pairs: Sequence[tuple[str, Document[Any] | NewsItemError]], errors: Errors, with_body: bool
) -> list[dict[str, Any]]:
    """Flat records of one partition, as ``export`` writes items (with ``_path``)."""
    out = []
    for path, result in pairs:
        problem: str | None = None
        if isinstance(result, NewsItemError):
            problem = f"{type(result).__name__}: {result}"
        else:
            try:
                record: dict[str, Any] = {"_path": path, **item_data(result.item)}
                if with_body:
                    record["_body"] = result.body
                out.append(flatten(record))
                continue
            except (ValueError, TypeError) as e:
                problem = f"cannot export as JSON: {e}"
        if errors == "flag":
            out.append({"_path": path, "_error": problem})
    return out


def _partition_kinds(records: Sequence[Mapping[str, Any]]) -> dict[str, Kind]:
    return record_kinds(records)


def _merge_kinds(parts: Sequence[Mapping[str, Kind]]) -> dict[str, Kind]:
    kinds: dict[str, Kind] = {"_path": "string"}
    for part in parts:
        for column, k in part.items():
            kinds[column] = merge(kinds.get(column, "null"), k)
    return kinds


def _check_errors(errors: str) -> Errors:
    if errors not in ("drop", "flag"):
        raise ValueError(f"errors must be 'drop' or 'flag', not {errors!r}")
    return errors  # type: ignore[return-value]


def columns(bag: db.Bag, *, errors: Errors = "drop", with_body: bool = False) -> dict[str, Kind]:
    """The columns :func:`to_dataframe` makes of *bag*, each with its kind.

    Computes the bag (one pass over the items). The result can be kept and
    passed to :func:`to_dataframe` as *columns*, so that a table of the same
    items, or of new items of the same kind, needs no such pass. Kinds:
    ``"string"``, ``"int"``, ``"float"``, ``"bool"``, ``"json"`` (lists, empty
    mappings, and values of mixed types, as JSON text) and ``"null"`` (no file
    has a value).
    """
    return _kinds(bag, _check_errors(errors), with_body)


def _kinds(bag: db.Bag, errors: Errors, with_body: bool) -> dict[str, Kind]:
    records = bag.map_partitions(_records, errors, with_body)
    kinds: dict[str, Kind] = records.reduction(_partition_kinds, _merge_kinds).compute()
    return kinds


# pandas' nullable types, which Parquet stores as ARROW_TYPES says ``export --format parquet`` does.
_DTYPES: dict[Kind, str] = {
    "null": "string",
    "string": "string",
    "json": "string",
    "int": "Int64",
    "float": "Float64",
    "bool": "boolean",
}


def _frame(records: Sequence[Mapping[str, Any]], kinds: Mapping[str, Kind]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(
        {
            column: pd.array([cell(r.get(column), k) for r in records], dtype=_DTYPES[k])
            for column, k in kinds.items()
        },
        columns=list(kinds),
    )


def to_dataframe(
    bag: db.Bag,
    *,
    columns: Mapping[str, Kind] | None = None,
    errors: Errors = "drop",
    with_body: bool = False,
) -> dd.DataFrame:
    """The items of *bag* (as :func:`read` makes it) as a Dask DataFrame, one row each.

    The columns are the item's keys as ``newsitem export`` writes them, flattened:
    ``_path`` (the file) first, then ``title``, ``publishedDateTime`` (ISO 8601
    text), ``provider.name``, ... in the order they first appear; a list
    (``topics``, ``images``, ``related``) is one column of JSON text. Strings,
    JSON and null-only columns are ``string``, integers ``Int64``, floats
    ``Float64``, booleans ``boolean``; a key whose values have mixed types (only
    possible for keys the schema does not type) is JSON text. With *with_body*,
    ``_body`` holds the body.

    Files that failed to load are left out (``errors="drop"``), or are rows with
    only ``_path`` and ``_error``, the error's class and message
    (``errors="flag"``); so are items JSON cannot hold (a ``.nan`` in an
    untyped key).

    A DataFrame needs its columns up front: without *columns* (as :func:`columns`
    returns them) they are found by computing the bag once more, so with a
    cluster, :meth:`~dask.bag.Bag.persist` the bag first, or pass *columns*. A
    column not in *columns* is left out.

    >>> import dask, fsspec, newsitem.dask
    >>> fsspec.filesystem("memory").pipe("/frame/x.md", (
    ...     b'---\\ntitle: "X"\\npublishedDateTime: 2024-05-01T00:00:00Z\\n'
    ...     b'provider:\\n  name: P\\ntopics: [a, b]\\nquality: 7\\n---\\n'))
    >>> with dask.config.set(scheduler="sync"):  # memory:// is in this process
    ...     df = newsitem.dask.to_dataframe(newsitem.dask.read("memory://frame/*.md")).compute()
    >>> list(df.columns)
    ['_path', 'title', 'publishedDateTime', 'quality', 'provider.name', 'topics']
    >>> row = df.iloc[0]
    >>> row["_path"], row["publishedDateTime"], int(row["quality"]), row["provider.name"], row["topics"]
    ('memory:///frame/x.md', '2024-05-01T00:00:00Z', 7, 'P', '["a", "b"]')
    >>> str(df.dtypes["quality"]), str(df.dtypes["topics"])
    ('Int64', 'string')
    """
    import dask.dataframe as dd

    errors = _check_errors(errors)
    kinds = dict(columns) if columns is not None else _kinds(bag, errors, with_body)
    records = bag.map_partitions(_records, errors, with_body)
    parts = [delayed(_frame)(part, kinds) for part in records.to_delayed()]
    meta = _frame([], kinds)
    frame: dd.DataFrame = (
        dd.from_delayed(parts, meta=meta, verify_meta=False) if parts else dd.from_pandas(meta, npartitions=1)
    )
    return frame


# -- editing ------------------------------------------------------------------------------


def _edit_local(
    path: str, fn: Callable[[Document[Any]], object], schema: type[Any] | None
) -> Outcome | NewsItemError:
    try:
        doc = newsitem.load(path, schema=schema)
        before = newsitem.dumps(doc)
        fn(doc)
        if newsitem.dumps(doc) == before:
            return "unchanged"
        newsitem.dump(doc, path)  # atomic, and refused if the file changed since it was loaded
    except ConflictError:
        return "conflict"
    except NewsItemError as e:
        return _element(e)
    return "written"


def _s3_code(e: BaseException) -> str | None:
    """The S3 error code behind an exception s3fs raised, if any."""
    while e is not None:
        response = getattr(e, "response", None)
        if isinstance(response, Mapping):
            code = response.get("Error", {}).get("Code")
            return str(code) if code is not None else None
        e = e.__cause__ or e.__context__  # type: ignore[assignment]
    return None


def _current(fs: fsspec.AbstractFileSystem, path: str, version: _Version) -> bool:
    """Whether *path* still holds what *version* describes (its token, or else its bytes)."""
    fs.invalidate_cache(path)
    try:
        if version.token is not None:
            return _token(fs.info(path)) == version.token
        return _digest(fs.cat_file(path)) == version.digest
    except FileNotFoundError:
        return False


def _write_remote(
    fs: fsspec.AbstractFileSystem, path: str, data: bytes, version: _Version
) -> Outcome | NewsItemError:
    """Write *data* over *path* only if it still holds *version*.

    S3: the PUT carries ``If-Match`` with the ETag read at load time, so the store
    itself refuses it (412) if the object changed, with no window; it is preceded
    by a check of the ETag, so a store that ignores ``If-Match`` still refuses
    a change made before that check. Other stores: the check, then the write; a
    change in between is overwritten (documented).
    """
    name = _name(fs, path)
    try:
        if not _current(fs, path, version):
            return "conflict"
        if _protocol(fs) in _S3 and version.token is not None and version.token.startswith("ETag="):
            etag = version.token.removeprefix("ETag=")
            try:
                fs.pipe_file(path, data, IfMatch=etag, chunksize=_ONE_PUT)
            except Exception as e:
                if _s3_code(e) in {"PreconditionFailed", "412", "ConditionalRequestConflict", "NoSuchKey"}:
                    return "conflict"
                raise
        else:
            fs.pipe_file(path, data)
        fs.invalidate_cache(path)
    except Exception as e:  # the store's own errors, wrapped
        return _element(_file_error(e, name))
    return "written"


def _edit_partition(
    paths: Sequence[str],
    fs: fsspec.AbstractFileSystem,
    fn: Callable[[Document[Any]], object],
    schema: type[Any] | None,
) -> list[tuple[str, Outcome | NewsItemError]]:
    with _gc_paused():
        return _edit_all(paths, fs, fn, schema)


def _edit_all(
    paths: Sequence[str],
    fs: fsspec.AbstractFileSystem,
    fn: Callable[[Document[Any]], object],
    schema: type[Any] | None,
) -> list[tuple[str, Outcome | NewsItemError]]:
    if _is_local(fs):
        return [(p, _edit_local(p, fn, schema)) for p in paths]
    results: dict[str, Outcome | NewsItemError] = {}
    writes: list[tuple[str, bytes, _Version]] = []
    for path, fetched in zip(paths, _map_io(lambda p: _fetch(fs, p), paths), strict=True):
        name = _name(fs, path)
        if isinstance(fetched, FileError):
            results[path] = fetched
            continue
        data, version = fetched
        try:
            doc = _parse(data, name, schema)
            before = newsitem.dumps(doc)
            fn(doc)
            after = newsitem.dumps(doc)
        except NewsItemError as e:
            results[path] = _element(e)
            continue
        if after == before:
            results[path] = "unchanged"
        else:
            writes.append((path, after.encode("utf-8"), version))
    written = _map_io(lambda w: _write_remote(fs, w[0], w[1], w[2]), writes)
    for (path, _, _), outcome in zip(writes, written, strict=True):
        results[path] = outcome
    return [(_name(fs, p), results[p]) for p in paths]


def edit(
    urlpath: UrlPath,
    fn: Callable[[Document[Any]], object],
    *,
    schema: type[Any] | None = NewsItem,
    storage_options: Mapping[str, Any] | None = None,
    partition_size: int = PARTITION_SIZE,
) -> db.Bag:
    """A bag that, when computed, applies *fn* to every file's document on the
    workers and writes back the files it changed; each element is ``(path, outcome)``.

    *urlpath*, *schema*, *storage_options* and *partition_size* are as for
    :func:`read`; a file that *urlpath* names more than once is edited once. *fn*
    takes a :class:`~newsitem.Document` and edits it in place (its return value is
    ignored); it must be picklable to reach worker processes (a module-level
    function, or a ``functools.partial`` of one). A file is
    written only if its text changed, and is written as :func:`newsitem.dumps`
    writes it, so only what *fn* edited differs. The outcome is:

    - ``"unchanged"``: *fn* left the text as it was; nothing was written;
    - ``"written"``: the new text replaced the file, whole;
    - ``"conflict"``: the file changed (or was removed) after it was read, and was
      left as it is: read it again and redo the edit;
    - the :class:`~newsitem.NewsItemError` the file hit (reading, parsing,
      validating, *fn* raising one, or a store error as a
      :class:`~newsitem.FileError`); nothing was written.

    An exception of another kind from *fn* is a bug, not a file's problem: it
    fails the computation, as in any Dask task; files already written stay
    written, each whole.

    How a file is written depends on where it is. Local files: as
    :func:`newsitem.dump` writes them, atomically (a temporary file renamed over
    the file) and refused if the file's bytes changed since it was read. S3:
    one PUT with ``If-Match`` on the ETag the object had when it was read, so S3
    refuses a write over a newer object without any race. GCS, Azure and
    ``memory://``: the version (GCS generation, Azure ETag; the bytes for
    ``memory://``) is checked just before the write, so a change made between
    that check and the write is overwritten. Other stores (SFTP, FTP, HTTP...)
    cannot promise that a write is whole, and are refused with
    :class:`ValueError` before anything is read.

    >>> import fsspec, newsitem.dask
    >>> fs = fsspec.filesystem("memory")
    >>> fs.pipe("/e/x.md", b'---\\ntitle: "X"  # kept\\npublishedDateTime: 2024-05-01\\nquality: 1\\n---\\n')
    >>> def bump(doc):
    ...     doc.item.quality += 1
    >>> newsitem.dask.edit("memory://e/*.md", bump).compute(scheduler="sync")
    [('memory:///e/x.md', 'written')]
    >>> print(fs.cat("/e/x.md").decode(), end="")
    ---
    title: "X"  # kept
    publishedDateTime: 2024-05-01
    quality: 2
    ---
    """
    urls = _urls(urlpath)
    fs = _filesystem(urls, storage_options)
    if not _is_local(fs) and _protocol(fs) not in _WHOLE_OBJECT:
        raise ValueError(
            f"newsitem.dask.edit writes to local files, S3, GCS, Azure and memory://, not to "
            f"{_protocol(fs)}://, where a write could be left half done"
        )
    files = list(dict.fromkeys(_files(fs, urls)))  # a file named twice is edited once
    bag: db.Bag = _bag(files, partition_size).map_partitions(_edit_partition, fs, fn, schema)
    return bag
