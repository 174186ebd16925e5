"""Many files at once: walk folders, run a function over files in worker
processes, and :func:`load_many`.

Work is streamed: paths are read from the folder walk a chunk at a time, at most a
few chunks per worker are in flight, and results come back in input order as soon
as they are ready, so memory stays flat however many files there are.
"""

from __future__ import annotations

import functools
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypeVar, overload

if TYPE_CHECKING:  # worker processes are started only when a batch asks for them
    import ast
    import multiprocessing.context
    from concurrent.futures import Future

from ._config import SUFFIXES, Config, NoFrontMatterError, Skipped, Target, _walk, select
from ._document import Document
from ._errors import NewsItemError, ValidationError
from ._files import load

__all__ = [
    "AUTO_MIN_FILES",
    "SUFFIXES",
    "Jobs",
    "all_cores",
    "iter_files",
    "load_many",
    "load_target",
    "map_files",
]

T = TypeVar("T")
P = TypeVar("P")
R = TypeVar("R")

#: How many processes: a number, ``None`` for one per core, or ``"auto"``.
Jobs: TypeAlias = int | Literal["auto"] | None
#: Files per unit of work sent to a worker process.
CHUNK = 32
#: Chunks in flight per worker: enough to keep every worker busy, few enough to stay small.
IN_FLIGHT = 4
#: With ``jobs="auto"``, batches of fewer files than this stay in one process: starting
#: workers costs more than they save (measured on 2 cores: see docs/cli.rst, "Parallel work").
AUTO_MIN_FILES = 4000


def iter_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str]:
    """Files named directly, and files with a front-matter suffix under folders.

    Folders are walked recursively in sorted order, skipping hidden folders, so the
    order is the same on every run.
    """
    for path in paths:
        path = os.fspath(path)
        if os.path.isdir(path):
            yield from _walk(path)
        else:
            yield path


def all_cores() -> int:
    """The number of CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def map_files(
    func: Callable[[P], R], files: Iterable[P], *, jobs: int | Literal["auto"] = 1, chunk: int = CHUNK
) -> Iterator[tuple[P, R]]:
    """``(file, func(file))`` for each file, in input order.

    With *jobs* above 1, *func* runs in that many worker processes (it must be
    picklable: a module-level function or a :func:`functools.partial` of one) on
    chunks of *chunk* files. Fewer files than one chunk, or ``jobs=1``, run in this
    process and start no worker. ``jobs="auto"`` works in this process for fewer
    than :data:`AUTO_MIN_FILES` files and in one worker per core for more. An
    exception raised by *func* propagates when its file's turn comes.
    """
    if not _valid_jobs(jobs):
        raise ValueError(f"jobs must be at least 1 (or 'auto'), not {jobs!r}")
    it = iter(files)
    if jobs == "auto":
        first = list(islice(it, AUTO_MIN_FILES))
        workers = all_cores() if len(first) >= AUTO_MIN_FILES else 1
    else:
        first = list(islice(it, chunk))
        workers = jobs
    if workers == 1 or len(first) < chunk:
        for path in chain(first, it):
            yield path, func(path)
        return
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_ignore_interrupts)
    pending: deque[tuple[list[P], Future[list[R]]]] = deque()
    rest = chain(first, it)
    batch = list(islice(rest, chunk))
    try:
        while batch or pending:
            while batch and len(pending) < workers * IN_FLIGHT:
                pending.append((batch, pool.submit(_apply, func, batch)))
                batch = list(islice(rest, chunk))
            paths, future = pending.popleft()
            yield from zip(paths, future.result(), strict=True)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _valid_jobs(jobs: object) -> bool:
    return jobs == "auto" or (type(jobs) is int and jobs >= 1)


def _ignore_interrupts() -> None:
    """Ctrl-C is for the parent, which stops the workers; they must not print tracebacks."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _apply(func: Callable[[P], R], paths: list[P]) -> list[R]:
    return [func(path) for path in paths]


def _context() -> multiprocessing.context.BaseContext:
    """Workers start from a fresh server process, not a fork of this one.

    A fork copies whatever this process holds (threads included, such as a
    progress bar's), which is unsafe; ``forkserver`` forks workers from a small
    server that has imported only newsitem. Where it is missing, ``spawn``.
    """
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([__name__])
        return ctx
    return multiprocessing.get_context("spawn")  # pragma: no cover - Windows


# -- worker processes and the caller's script -------------------------------------------


def _is_main_guard(node: ast.stmt) -> bool:
    """Whether *node* is ``if __name__ == "__main__":`` (either way round)."""
    import ast

    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    test = node.test
    if len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s.id for s in sides if isinstance(s, ast.Name)]
    consts = [s.value for s in sides if isinstance(s, ast.Constant)]
    return names == ["__name__"] and consts == ["__main__"]


def _unguarded_main_line() -> tuple[str, int] | None:
    """``(script, line)`` when this call comes from the top level of the script being
    run, outside ``if __name__ == "__main__":``; worker processes import that script
    again (as ``__mp_main__``), so they would run that code too."""
    main = sys.modules.get("__main__")
    filename = getattr(main, "__file__", None)
    if main is None or not isinstance(filename, str):
        return None  # an interactive session, python -c: workers import nothing
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "<module>" and frame.f_globals is vars(main):
            break
        frame = frame.f_back  # type: ignore[assignment]
    else:
        return None
    line = frame.f_lineno
    import ast
    import linecache

    try:
        tree = ast.parse("".join(linecache.getlines(filename)))
    except (OSError, SyntaxError, ValueError):
        return None
    for node in tree.body:
        end = node.end_lineno or node.lineno
        if node.lineno <= line <= end:
            return None if _is_main_guard(node) else (filename, line)
    return None


def check_workers_can_start(jobs: int | Literal["auto"]) -> None:
    """:class:`RuntimeError` if worker processes would run the caller's script again.

    Called before any worker starts, so the script's code never runs twice.
    """
    if jobs == 1:
        return
    import multiprocessing

    if multiprocessing.parent_process() is not None and getattr(
        multiprocessing.current_process(), "_inheriting", False
    ):
        raise RuntimeError(
            "load_many() with worker processes was called while a worker process was starting: "
            'call it under `if __name__ == "__main__":` in the script you run'
        )
    where = _unguarded_main_line()
    if where is not None:
        script, line = where
        raise RuntimeError(
            f"load_many() with worker processes (jobs={jobs!r}) was called from the top level of "
            f"{script} (line {line}): each worker process imports that script again, so it "
            'would run again. Put the code that runs under `if __name__ == "__main__":`, '
            "or pass jobs=1."
        )


# -- load_many --------------------------------------------------------------------------


def has_front_matter(path: str) -> bool:
    """Whether the file has front matter (a file that cannot be read or parsed counts as having it)."""
    try:
        return load(path, schema=None).has_front_matter
    except NewsItemError:
        return True  # it has something that is not well-formed: let the real error speak


def no_front_matter(path: str) -> NoFrontMatterError:
    return NoFrontMatterError("no front matter", line=1, column=1, path=path)


def load_target(target: Target) -> Document[Any] | NewsItemError | None:
    """Load one selected file with its schema: its document, its error, or ``None``
    when it has no front matter and need not have any."""
    return _load_with(target.resolve(), target)


_NO_SCHEMA: Any = object()


@overload
def load_many(
    paths: Iterable[str | os.PathLike[str]], *, config: Config | bool | None = ..., jobs: Jobs = ...
) -> Iterator[tuple[str, Document[Any] | NewsItemError]]: ...
@overload
def load_many(
    paths: Iterable[str | os.PathLike[str]],
    *,
    schema: type[T],
    config: Config | bool | None = ...,
    jobs: Jobs = ...,
) -> Iterator[tuple[str, Document[T] | NewsItemError]]: ...
@overload
def load_many(
    paths: Iterable[str | os.PathLike[str]],
    *,
    schema: None,
    config: Config | bool | None = ...,
    jobs: Jobs = ...,
) -> Iterator[tuple[str, Document[dict[str, Any]] | NewsItemError]]: ...


def load_many(
    paths: Iterable[str | os.PathLike[str]],
    *,
    schema: type[Any] | None = _NO_SCHEMA,
    config: Config | bool | None = None,
    jobs: Jobs = 1,
) -> Iterator[tuple[str, Document[Any] | NewsItemError]]:
    """Load many files, yielding ``(path, document)`` or ``(path, error)`` for each.

    *paths* are files and folders; a folder is walked recursively, in sorted
    order, for ``.md``, ``.markdown`` and ``.html`` files (hidden folders are
    skipped). A file that cannot be read, parsed or validated gives its
    :class:`NewsItemError` instead of a document, so one bad file never stops a
    batch.

    The site's configuration (see :class:`Config`) says which schema each file
    has and which files to leave alone: by default (``config=None``) it is found
    by walking up from each path, as the command line does; pass a
    :class:`Config` to use that one, or ``config=False`` for none (every file is
    then a news item). *schema* (any attrs class, or ``None`` for untyped
    dicts) overrides the configuration's schemas for every file. Excluded files
    are not yielded, nor are files without front matter found by walking a
    folder (a site's pages and notes), unless the configuration's
    ``require-front-matter`` names them; a file named directly that has no front
    matter gives a :class:`NoFrontMatterError`.

    With *jobs* above 1 the files are loaded in that many worker processes
    (``None``: one per CPU core; ``"auto"``: one process for fewer than
    4,000 files, else one per core); results still come in
    input order, and the documents can be edited and written back with
    :func:`dump` as usual. Each worker imports the script you run, as
    ``multiprocessing`` does, so call ``load_many`` with workers under
    ``if __name__ == "__main__":``; it raises :class:`RuntimeError`, before any
    worker starts, when it is called from the top level of a script outside
    that guard. Schema classes must be importable (defined in a module, not in
    the script). The iterator is lazy and streams: it reads the folders as it
    goes and holds only a few files per worker at a time.

    >>> import pathlib, tempfile, newsitem
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.md").write_text('---\\ntitle: "A"\\npublishedDateTime: 2024-01-01\\n---\\n')
    >>> _ = (folder / "b.md").write_text('---\\ntitle: "B"\\npublishedDateTime: soon\\n---\\n')
    >>> _ = (folder / "notes.md").write_text("No front matter: not an item.\\n")
    >>> for path, result in newsitem.load_many([folder]):
    ...     if isinstance(result, newsitem.NewsItemError):
    ...         print(pathlib.Path(path).name, "failed:", result.errors[0].message)
    ...     else:
    ...         print(pathlib.Path(path).name, result.item.title)
    a.md A
    b.md failed: not a date-time: 'soon'

    A site's configuration gives each collection its schema:

    >>> _ = (folder / "newsitem.toml").write_text(
    ...     'exclude = ["b.md"]\\n[schemas]\\n"people/*.md" = "none"\\n"*.md" = "news"\\n'
    ... )
    >>> (folder / "people").mkdir()
    >>> _ = (folder / "people" / "ada.md").write_text("---\\nname: Ada\\n---\\n")
    >>> config = newsitem.Config.find(folder)
    >>> for path, result in newsitem.load_many([folder], config=config):
    ...     print(pathlib.Path(path).name, type(result).__name__, result.item)  # doctest: +ELLIPSIS
    a.md Document NewsItem(category=None, title='A', ...)
    ada.md Document {'name': 'Ada'}
    """
    if isinstance(paths, str | bytes | os.PathLike):  # a str iterates as one-letter paths, "/" too
        raise TypeError(f"load_many() takes a list of paths, not one ({paths!r}): pass [path]")
    if jobs is not None and not _valid_jobs(jobs):
        raise ValueError(f"jobs must be at least 1 (or None for all cores, or 'auto'), not {jobs!r}")
    workers: int | Literal["auto"] = all_cores() if jobs is None else jobs
    check_workers_can_start(workers)
    if schema is not _NO_SCHEMA:
        if schema is not None and getattr(schema, "__module__", None) == "__main__" and workers != 1:
            raise ValueError(
                f"the schema {schema.__qualname__} is defined in the script being run, which worker "
                "processes cannot import it from: define it in a module, or pass jobs=1"
            )
        return _load_classic(paths, schema, config, workers)
    cfg = None if config is None or config is True else (config or Config())
    return _load_selected(select(paths, cfg), workers)


def _load_classic(
    paths: Iterable[str | os.PathLike[str]],
    schema: type[Any] | None,
    config: Config | bool | None,
    workers: int | Literal["auto"],
) -> Iterator[tuple[str, Document[Any] | NewsItemError]]:
    """One schema for every file (the 0.1 API), with the configuration's excludes."""
    if config is False:
        func = functools.partial(_load_one, schema)
        yield from map_files(func, iter_files(paths), jobs=workers)
        return
    cfg = None if config is None or config is True else config
    for path, result in map_files(
        functools.partial(_load_with, schema), _targets(select(paths, cfg)), jobs=workers
    ):
        if result is not None:
            yield path.path, result


def _load_selected(
    selected: Iterable[Target | Skipped], workers: int | Literal["auto"]
) -> Iterator[tuple[str, Document[Any] | NewsItemError]]:
    for target, result in map_files(load_target, _targets(selected), jobs=workers):
        if result is not None:
            yield target.path, result


def _targets(selected: Iterable[Target | Skipped]) -> Iterator[Target]:
    for s in selected:
        if isinstance(s, Target):
            yield s


def _load_with(schema: type[Any] | None, target: Target) -> Document[Any] | NewsItemError | None:
    try:
        doc = load(target.path, schema=schema)
    except ValidationError as e:
        if schema is None or has_front_matter(target.path):
            return e
        return no_front_matter(target.path) if target.require_front_matter else None
    except NewsItemError as e:
        return e
    if not doc.has_front_matter:
        return no_front_matter(target.path) if target.require_front_matter else None
    return doc


def _load_one(schema: type[Any] | None, path: str) -> Document[Any] | NewsItemError:
    try:
        return load(path, schema=schema)
    except NewsItemError as e:
        return e
