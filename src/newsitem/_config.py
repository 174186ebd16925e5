"""Site configuration: which schema each file has, and which files to leave alone.

A site is configured once, in ``newsitem.toml`` at its root or in the
``[tool.newsitem]`` table of its ``pyproject.toml``; every command and
:func:`~newsitem.load_many` find it by walking up from the paths they are given.
Globs are relative to the folder of the configuration file, with ``**`` for any
number of folders (none included), as in ``.gitignore``.
"""

from __future__ import annotations

import functools
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from ._errors import NewsItemError, ParseError
from ._model import NewsItem

__all__ = [
    "CONFIG_FILES",
    "Config",
    "ConfigError",
    "NoFrontMatterError",
    "Target",
    "load_config",
    "resolve_schema",
    "select",
]

#: The files a configuration is read from, in the order they are looked for in a folder.
CONFIG_FILES = ("newsitem.toml", "pyproject.toml")
#: Suffixes of the files picked up when a folder is walked.
SUFFIXES = (".md", ".markdown", ".html")
#: Schema names that are not ``module:Class``.
BUILT_IN = {"news": NewsItem, "newsitem": NewsItem, "none": None}
_KEYS = ("schemas", "exclude", "require-front-matter")


class ConfigError(NewsItemError, ValueError):
    """A configuration file (or a ``--schema`` / ``--exclude`` option) that newsitem cannot use.

    ``path`` is the configuration file, when there is one.
    """

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self._where()}{self.message}"


class NoFrontMatterError(ParseError):
    """A file that should hold an item has no front matter at all."""


for _cls in (ConfigError, NoFrontMatterError):
    _cls.__module__ = "newsitem"


# -- globs ------------------------------------------------------------------------------


@functools.cache
def glob_regex(pattern: str) -> re.Pattern[str]:
    """The regular expression for a glob over ``/``-separated relative paths.

    ``*`` and ``?`` stay inside one folder, ``**`` spans any number of folders
    (none included), ``[abc]`` is a character class. A pattern with no ``/`` but a
    trailing one matches the name at any depth; a leading ``/`` anchors it.

    >>> bool(glob_regex("_news/**/*.md").match("_news/2024/a.md"))
    True
    >>> bool(glob_regex("_news/**/*.md").match("_news/a.md"))
    True
    >>> bool(glob_regex("README.md").match("a/README.md"))
    True
    >>> bool(glob_regex("_people/*.md").match("_people/x/y.md"))
    False
    """
    anchored = pattern.startswith("/")
    body = pattern.strip("/")
    if not body:
        raise ConfigError(f"not a glob: {pattern!r}")
    out = [] if anchored or "/" in body else ["(?:.*/)?"]
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if body.startswith("**", i):
            start_ok = i == 0 or body[i - 1] == "/"
            end = i + 2
            if start_ok and end < n and body[end] == "/":
                out.append("(?:.*/)?")  # "**/": any number of folders, none included
                i = end + 1
                continue
            if start_ok and end == n:
                out.append(".*")
                i = end
                continue
            out.append("[^/]*")  # "**" inside a name is "*"
            i = end
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            close = body.find("]", i + 2 if body.startswith(("[!", "[^"), i) else i + 1)
            if close < 0:
                out.append(re.escape(c))
                i += 1
                continue
            inner = body[i + 1 : close]
            if inner.startswith("!"):
                inner = "^" + inner[1:]
            out.append("[" + inner.replace("\\", "\\\\") + "]")
            i = close + 1
        else:
            out.append(re.escape(c))
            i += 1
    try:
        return re.compile("".join(out) + r"\Z")
    except re.error as e:  # a class such as [z-a]
        raise ConfigError(f"not a glob: {pattern!r} ({e.msg})") from None


def _matches(pattern: str, rel: str) -> bool:
    return glob_regex(pattern).match(rel) is not None


# -- schemas ----------------------------------------------------------------------------


def _check_spec(spec: Any, where: str, path: str | None) -> str:
    if not isinstance(spec, str) or not (spec.lower() in BUILT_IN or ":" in spec.strip(":")):
        raise ConfigError(
            f"{where}: expected 'news', 'none' or 'module:Class', got {spec!r}",
            path=path,
        )
    return spec.lower() if spec.lower() in BUILT_IN else spec


def _add_to_path(folders: Iterable[str]) -> list[str]:
    """Put *folders* on ``sys.path`` (first, as ``python -m`` does); the folders looked in."""
    looked = []
    for folder in folders:
        folder = os.path.abspath(folder)
        if folder not in looked:
            looked.append(folder)
        if folder not in sys.path:
            sys.path.insert(0, folder)
    return looked


@functools.cache
def resolve_schema(spec: str, paths: tuple[str, ...] = ()) -> type[Any] | None:
    """The schema a spec names: ``news`` (:class:`~newsitem.NewsItem`), ``none``
    (``None``: untyped) or ``module:Class``, an attrs class imported with *paths*
    and the current folder on the import path.

    :class:`ConfigError` when it cannot be imported (saying where it looked) or
    is not an attrs class.

    >>> resolve_schema("news").__name__, resolve_schema("none")
    ('NewsItem', None)
    >>> resolve_schema("newsitem:Provider").__name__
    'Provider'
    """
    if spec.lower() in BUILT_IN:
        return BUILT_IN[spec.lower()]
    module, sep, name = spec.partition(":")
    if not sep or not module or not name:
        raise ConfigError(f"expected 'news', 'none' or 'module:Class', got {spec!r}")
    looked = _add_to_path([*paths, os.getcwd()])
    try:
        import importlib

        obj: Any = importlib.import_module(module)
        for part in name.split("."):
            obj = getattr(obj, part)
    except (Exception, SystemExit) as e:  # importing someone's module may raise anything
        where = ", ".join(looked)
        raise ConfigError(
            f"cannot import {spec!r}: {type(e).__name__}: {e} (looked in {where} and the installed packages)"
        ) from None
    if not isinstance(obj, type) or not attrs.has(obj):
        raise ConfigError(f"{spec!r} is not an attrs class")
    return obj


# -- the configuration ------------------------------------------------------------------


def _strings(value: Any, where: str, path: str | None) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of globs, got {value!r}", path=path)
    for v in value:
        try:
            glob_regex(v)
        except ConfigError as e:
            raise ConfigError(f"{where}: {e.message}", path=path) from None
    return tuple(value)


def _absolute(path: str | os.PathLike[str]) -> str:
    return os.path.abspath(os.fspath(path))


@attrs.frozen
class Config:
    """Which schema each file of a site has, and which files to leave alone.

    ``schemas`` maps globs to schema specs (``news``, ``none``, ``module:Class``);
    the first pattern that matches a file's path, relative to ``root``, wins, and
    a file no pattern matches is a news item. ``exclude`` lists globs of files
    (or folders) to leave alone. ``require_front_matter`` lists globs of files that
    must have front matter even when found by walking a folder. ``path`` is the
    file it was read from, if any.

    >>> cfg = Config.from_mapping(
    ...     {"exclude": ["README.md"], "schemas": {"_news/**/*.md": "news", "**/*.md": "none"}},
    ...     root="/site",
    ... )
    >>> cfg.schema_spec("/site/_news/2024/a.md"), cfg.schema_spec("/site/about.md")
    ('news', 'none')
    >>> cfg.is_excluded("/site/README.md"), cfg.is_excluded("/site/_news/a.md")
    (True, False)
    """

    root: str = attrs.field(converter=_absolute, factory=os.getcwd)
    schemas: tuple[tuple[str, str], ...] = ()
    exclude: tuple[str, ...] = ()
    require_front_matter: tuple[str, ...] = ()
    path: str | None = None
    #: One schema spec for every file, overriding ``schemas`` (``--schema``).
    schema: str | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, root: str, path: str | None = None) -> Config:
        """A configuration from the data of a ``newsitem.toml`` file (or ``[tool.newsitem]``)."""
        unknown = sorted(set(data) - set(_KEYS))
        if unknown:
            raise ConfigError(
                f"unknown key {unknown[0]!r} (known: {', '.join(_KEYS)})",
                path=path,
            )
        schemas = data.get("schemas", {})
        if not isinstance(schemas, dict):
            raise ConfigError(f"schemas: expected a table of glob = schema, got {schemas!r}", path=path)
        pairs = []
        for pattern, spec in schemas.items():
            _strings([pattern], "schemas", path)
            pairs.append((pattern, _check_spec(spec, f"schemas.{pattern!r}", path)))
        return cls(
            root=root,
            schemas=tuple(pairs),
            exclude=_strings(data.get("exclude", []), "exclude", path),
            require_front_matter=_strings(data.get("require-front-matter", []), "require-front-matter", path),
            path=path,
        )

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Config:
        """Read a ``newsitem.toml``, or the ``[tool.newsitem]`` table of a ``pyproject.toml``."""
        import tomllib  # only when there is a configuration to read

        name = os.fspath(path)
        try:
            with open(name, "rb") as f:
                data = tomllib.load(f)
        except OSError as e:
            raise ConfigError(f"cannot read the configuration: {e.strerror or e}", path=name) from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise ConfigError(f"not valid TOML: {e}", path=name) from None
        if os.path.basename(name) == "pyproject.toml":
            tool = data.get("tool")
            data = tool.get("newsitem", {}) if isinstance(tool, dict) else {}
            if not isinstance(data, dict):
                raise ConfigError(f"[tool.newsitem]: expected a table, got {data!r}", path=name)
        return cls.from_mapping(data, root=os.path.dirname(os.path.abspath(name)), path=name)

    @classmethod
    def find(cls, start: str | os.PathLike[str] = ".") -> Config:
        """The configuration that applies to *start* (a file or folder): the nearest
        ``newsitem.toml``, or ``pyproject.toml`` with a ``[tool.newsitem]`` table, in
        its folder or a folder above. A default configuration when there is none.
        """
        found = find_config_file(start)
        return cls() if found is None else cls.from_file(found)

    def relative(self, path: str | os.PathLike[str]) -> str | None:
        """*path* relative to ``root``, with ``/``; ``None`` when it is outside."""
        full = os.path.abspath(path)
        prefix = self.root if self.root.endswith(os.sep) else self.root + os.sep
        if not full.startswith(prefix):
            return None
        rel = full[len(prefix) :]
        return rel if os.sep == "/" else rel.replace(os.sep, "/")

    def schema_spec(self, path: str | os.PathLike[str]) -> str:
        """The spec of the schema for *path*: the first matching pattern's, else ``news``."""
        if self.schema is not None:
            return self.schema
        rel = self.relative(path)
        if rel is not None:
            for pattern, spec in self.schemas:
                if _matches(pattern, rel):
                    return spec
        return "news"

    def schema_for(self, path: str | os.PathLike[str]) -> type[Any] | None:
        """The schema class for *path* (``None``: untyped); see :meth:`schema_spec`."""
        return resolve_schema(self.schema_spec(path), self.import_paths)

    @property
    def import_paths(self) -> tuple[str, ...]:
        """Folders put on the import path for ``module:Class`` schemas."""
        return (self.root,) if self.path is not None else ()

    def is_excluded(self, path: str | os.PathLike[str]) -> bool:
        """Whether *path*, or a folder it is in, matches an ``exclude`` glob."""
        rel = self.relative(path)
        if rel is None:
            return False
        parts = rel.split("/")
        prefixes = ["/".join(parts[:i]) for i in range(len(parts), 0, -1)]
        return any(_matches(pattern, prefix) for pattern in self.exclude for prefix in prefixes)

    def requires_front_matter(self, path: str | os.PathLike[str]) -> bool:
        """Whether *path* matches a ``require-front-matter`` glob."""
        rel = self.relative(path)
        return rel is not None and any(_matches(p, rel) for p in self.require_front_matter)

    def check(self) -> None:
        """Import every schema now; :class:`ConfigError` for one that cannot be used."""
        if self.schema is not None:
            resolve_schema(self.schema, self.import_paths)
            return
        for pattern, spec in self.schemas:
            try:
                resolve_schema(spec, self.import_paths)
            except ConfigError as e:
                raise ConfigError(f"schemas.{pattern!r}: {e.message}", path=self.path) from None

    def with_schema(self, spec: str) -> Config:
        """This configuration with one schema for every file (``--schema``)."""
        return attrs.evolve(self, schema=_check_spec(spec, "--schema", None))

    def with_exclude(self, globs: Sequence[str]) -> Config:
        """This configuration with other ``exclude`` globs (``--exclude``)."""
        return attrs.evolve(self, exclude=_strings(list(globs), "exclude", None))


def find_config_file(start: str | os.PathLike[str] = ".") -> str | None:
    """The configuration file for *start*, walking up; ``None`` when there is none."""
    folder = os.path.abspath(start)
    if not os.path.isdir(folder):
        folder = os.path.dirname(folder)
    while True:
        for name in CONFIG_FILES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate) and (name != "pyproject.toml" or _has_tool_table(candidate)):
                return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _has_tool_table(path: str) -> bool:
    import tomllib

    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return False
    try:
        tool = tomllib.loads(data.decode()).get("tool")
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        # Not TOML: the configuration if it names the table, so that its mistake is said.
        return b"tool.newsitem" in data
    return isinstance(tool, dict) and "newsitem" in tool


def load_config(path: str | os.PathLike[str] = ".") -> Config:
    """The configuration for *path*: read from it if it is a configuration file, else
    found by walking up from it (:meth:`Config.find`).

    >>> import pathlib, tempfile
    >>> site = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (site / "newsitem.toml").write_text('[schemas]\\n"_people/*.md" = "none"\\n')
    >>> (site / "_people").mkdir()
    >>> load_config(site / "_people").schema_spec(site / "_people" / "ada.md")
    'none'
    """
    if os.path.isfile(path) and os.path.basename(path) in CONFIG_FILES:
        return Config.from_file(path)
    return Config.find(path)


# -- selecting files --------------------------------------------------------------------


@attrs.frozen
class Target:
    """One file to work on, with what the configuration says about it."""

    path: str
    #: The schema spec: ``news``, ``none`` or ``module:Class``.
    schema: str
    #: Folders to import a ``module:Class`` schema from.
    import_paths: tuple[str, ...] = ()
    #: Whether the file must have front matter (named directly, or required by the configuration).
    require_front_matter: bool = True

    def resolve(self) -> type[Any] | None:
        return resolve_schema(self.schema, self.import_paths)


@attrs.frozen
class Skipped:
    """A file left alone, and why: ``"excluded"`` or ``"without front matter"``."""

    path: str
    reason: str


def _walk(path: str) -> Iterator[str]:
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(SUFFIXES) and not is_special(file := os.path.join(root, name)):
                yield file


def is_special(path: str) -> bool:
    """Whether *path* is there but is not a regular file, even through a link: a named
    pipe (reading it waits for ever) or a device (``/dev/zero`` never ends). A walk
    leaves these out; a file that cannot be looked at stays in, to give its error."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def select(
    paths: Iterable[str | os.PathLike[str]],
    config: Config | None = None,
    *,
    schema: str | None = None,
    exclude: Sequence[str] | None = None,
) -> Iterator[Target | Skipped]:
    """The files named by *paths*, each as a :class:`Target` or, if excluded, :class:`Skipped`.

    Folders are walked recursively in sorted order for ``.md``, ``.markdown`` and
    ``.html`` files, skipping hidden folders. The configuration is *config*, or
    else, for each file, the nearest one in its folder or above (so a site inside
    a larger tree keeps its own). *schema* and *exclude* override it.
    :class:`ConfigError` for a configuration that cannot be used.
    """
    by_folder: dict[str, Config] = {}
    by_file: dict[str | None, Config] = {}
    checked: set[Config] = set()

    def config_for(file: str) -> Config:
        folder = os.path.dirname(os.path.abspath(file))
        cfg = by_folder.get(folder)
        if cfg is None:
            if config is not None:
                cfg = config
            else:
                found = find_config_file(folder)
                if found not in by_file:
                    by_file[found] = Config() if found is None else Config.from_file(found)
                cfg = by_file[found]
            if schema is not None:
                cfg = cfg.with_schema(schema)
            if exclude is not None:
                cfg = cfg.with_exclude(exclude)
            if cfg not in checked:
                cfg.check()
                checked.add(cfg)
            by_folder[folder] = cfg
        return cfg

    for path in paths:
        path = os.fspath(path)
        if os.path.isdir(path):
            for file in _walk(path):
                cfg = config_for(file)
                if cfg.is_excluded(file):
                    yield Skipped(file, "excluded")
                else:
                    yield Target(
                        file, cfg.schema_spec(file), cfg.import_paths, cfg.requires_front_matter(file)
                    )
        else:
            cfg = config_for(path)
            if cfg.is_excluded(path):
                yield Skipped(path, "excluded")
            else:
                yield Target(path, cfg.schema_spec(path), cfg.import_paths, True)
