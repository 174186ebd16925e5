"""Many files at once: walk folders, run a function over files in worker
processes, and :func:`load_many`.

Work is streamed: paths are read from the folder walk a chunk at a time, at most a
few chunks per worker are in flight, and results come back in input order as soon
as they are ready, so memory stays flat however many files there are.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import chain, islice
from typing import Any, TypeVar, overload

from ._document import Document
from ._errors import NewsItemError
from ._files import load
from ._model import NewsItem

__all__ = ["SUFFIXES", "all_cores", "iter_files", "load_many", "map_files"]

T = TypeVar("T")
R = TypeVar("R")

#: Suffixes of the files picked up when a folder is walked.
SUFFIXES = (".md", ".markdown", ".html")
#: Files per unit of work sent to a worker process.
CHUNK = 32
#: Chunks in flight per worker: enough to keep every worker busy, few enough to stay small.
IN_FLIGHT = 4


def iter_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str]:
    """Files named directly, and files with a front-matter suffix under folders.

    Folders are walked recursively in sorted order, skipping hidden folders, so the
    order is the same on every run.
    """
    for path in paths:
        path = os.fspath(path)
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.endswith(SUFFIXES):
                        yield os.path.join(root, name)
        else:
            yield path


def all_cores() -> int:
    """The number of CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def map_files(
    func: Callable[[str], R], files: Iterable[str], *, jobs: int = 1, chunk: int = CHUNK
) -> Iterator[tuple[str, R]]:
    """``(path, func(path))`` for each file, in input order.

    With *jobs* above 1, *func* runs in that many worker processes (it must be
    picklable: a module-level function or a :func:`functools.partial` of one) on
    chunks of *chunk* files. Fewer files than one chunk, or ``jobs=1``, run in this
    process and start no worker. An exception raised by *func* propagates when its
    file's turn comes.
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    it = iter(files)
    first = list(islice(it, chunk))
    if jobs == 1 or len(first) < chunk:
        for path in chain(first, it):
            yield path, func(path)
        return
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_context(), initializer=_ignore_interrupts)
    pending: deque[tuple[list[str], Future[list[R]]]] = deque()
    batch = first
    try:
        while batch or pending:
            while batch and len(pending) < jobs * IN_FLIGHT:
                pending.append((batch, pool.submit(_apply, func, batch)))
                batch = list(islice(it, chunk))
            paths, future = pending.popleft()
            yield from zip(paths, future.result(), strict=True)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _ignore_interrupts() -> None:
    """Ctrl-C is for the parent, which stops the workers; they must not print tracebacks."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _apply(func: Callable[[str], R], paths: list[str]) -> list[R]:
    return [func(path) for path in paths]


def _context() -> multiprocessing.context.BaseContext:
    """Workers start from a fresh server process, not a fork of this one.

    A fork copies whatever this process holds (threads included, such as a
    progress bar's), which is unsafe; ``forkserver`` forks workers from a small
    server that has imported only newsitem. Where it is missing, ``spawn``.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([__name__])
        return ctx
    return multiprocessing.get_context("spawn")  # pragma: no cover - Windows


@overload
def load_many(
    paths: Iterable[str | os.PathLike[str]], *, jobs: int | None = ...
) -> Iterator[tuple[str, Document[NewsItem] | NewsItemError]]: ...
@overload
def load_many(
    paths: Iterable[str | os.PathLike[str]], *, schema: type[T], jobs: int | None = ...
) -> Iterator[tuple[str, Document[T] | NewsItemError]]: ...
@overload
def load_many(
    paths: Iterable[str | os.PathLike[str]], *, schema: None, jobs: int | None = ...
) -> Iterator[tuple[str, Document[dict[str, Any]] | NewsItemError]]: ...


def load_many(
    paths: Iterable[str | os.PathLike[str]], *, schema: type[Any] | None = NewsItem, jobs: int | None = 1
) -> Iterator[tuple[str, Document[Any] | NewsItemError]]:
    """Load many files, yielding ``(path, document)`` or ``(path, error)`` for each.

    *paths* are files and folders; a folder is walked recursively, in sorted
    order, for ``.md``, ``.markdown`` and ``.html`` files (hidden folders are
    skipped). Each file is loaded as :func:`load` would, with *schema*. A file
    that cannot be read, parsed or validated gives its :class:`NewsItemError`
    instead of a document, so one bad file never stops a batch.

    With *jobs* above 1 the files are loaded in that many worker processes
    (``None``: one per CPU core); results still come in input order, and the
    documents can be edited and written back with :func:`dump` as usual. The
    iterator is lazy and streams: it reads the folders as it goes and holds only
    a few files per worker at a time.

    >>> import pathlib, tempfile, newsitem
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.md").write_text('---\\ntitle: "A"\\npublishedDateTime: 2024-01-01\\n---\\n')
    >>> _ = (folder / "b.md").write_text('---\\ntitle: "B"\\npublishedDateTime: soon\\n---\\n')
    >>> for path, result in newsitem.load_many([folder]):
    ...     if isinstance(result, newsitem.NewsItemError):
    ...         print(pathlib.Path(path).name, "failed:", result.errors[0].message)
    ...     else:
    ...         print(pathlib.Path(path).name, result.item.title)
    a.md A
    b.md failed: not a date-time: 'soon'
    """
    workers = all_cores() if jobs is None else jobs
    if workers < 1:
        raise ValueError(f"jobs must be at least 1 (or None for all cores), not {jobs}")
    func = functools.partial(_load_one, schema)
    return map_files(func, iter_files(paths), jobs=workers)


def _load_one(schema: type[Any] | None, path: str) -> Document[Any] | NewsItemError:
    try:
        return load(path, schema=schema)
    except NewsItemError as e:
        return e
