"""The batch API: load_many, and the streaming, ordered, parallel map under it."""

from __future__ import annotations

import itertools
import os
import pickle
from pathlib import Path
from typing import Any

import attrs
import pytest

import newsitem
from newsitem._batch import CHUNK, iter_files, map_files

from .conftest import news_files, read_exact

GOOD = (
    '---\ntitle: "{title}"  # keep me\npublishedDateTime: 2023-11-28T13:36:00Z\nquality: {n}\n---\nBody {n}\n'
)


@attrs.define
class Person:
    name: str
    age: int | None = None


def _folder(tmp_path: Path, n: int, bad: tuple[int, ...] = ()) -> list[Path]:
    paths = []
    for i in range(n):
        path = tmp_path / f"item-{i:03d}.md"
        text = '---\ntitle: "open\n---\n' if i in bad else GOOD.format(title=f"T{i}", n=i)
        path.write_text(text)
        paths.append(path)
    return paths


def test_load_many_yields_documents_and_errors_in_order(tmp_path: Path) -> None:
    paths = _folder(tmp_path, 5, bad=(1, 3))
    results = list(newsitem.load_many(paths))
    assert [p for p, _ in results] == [str(p) for p in paths]
    titles = [r.item.title if isinstance(r, newsitem.Document) else type(r).__name__ for _, r in results]
    assert titles == ["T0", "ParseError", "T2", "ParseError", "T4"]
    error = results[1][1]
    assert isinstance(error, newsitem.ParseError)
    assert (error.path, error.line, error.column) == (str(paths[1]), 2, 8)


def test_load_many_walks_folders_like_the_cli(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    for rel in ["b/2.md", "a.markdown", "c.html", ".hidden/x.md", "notes.txt", "b/1.md"]:
        (tmp_path / rel).write_text(GOOD.format(title=rel, n=1))
    found = [Path(p).relative_to(tmp_path).as_posix() for p in iter_files([tmp_path])]
    assert found == ["a.markdown", "c.html", "b/1.md", "b/2.md"]
    loaded = [
        (Path(p).name, r.item.title)
        for p, r in newsitem.load_many([tmp_path])
        if not isinstance(r, Exception)
    ]
    assert loaded == [
        ("a.markdown", "a.markdown"),
        ("c.html", "c.html"),
        ("1.md", "b/1.md"),
        ("2.md", "b/2.md"),
    ]


def test_load_many_missing_file_is_a_file_error(tmp_path: Path) -> None:
    ((path, result),) = newsitem.load_many([tmp_path / "nope.md"])
    assert isinstance(result, newsitem.FileError)
    assert result.path == path == str(tmp_path / "nope.md")


def test_load_many_with_schemas(tmp_path: Path) -> None:
    (tmp_path / "ada.md").write_text("---\nname: Ada\nage: 36\n---\n")
    ((_, untyped),) = newsitem.load_many([tmp_path], schema=None)
    assert isinstance(untyped, newsitem.Document)
    assert untyped.item == {"name": "Ada", "age": 36}
    ((_, typed),) = newsitem.load_many([tmp_path], schema=Person)
    assert isinstance(typed, newsitem.Document)
    assert typed.item == Person("Ada", 36)
    ((_, invalid),) = newsitem.load_many([tmp_path])
    assert isinstance(invalid, newsitem.ValidationError)
    assert [e.field for e in invalid.errors] == ["title", "published_date_time"]


def test_parallel_results_equal_serial_results(tmp_path: Path) -> None:
    paths = _folder(tmp_path, CHUNK * 3 + 5, bad=(0, 40, CHUNK * 3 + 4))

    def summary(jobs: int) -> list[tuple[str, str]]:
        return [
            (p, r.item.title if isinstance(r, newsitem.Document) else repr(r))
            for p, r in newsitem.load_many([tmp_path], jobs=jobs)
        ]

    serial = summary(1)
    assert len(serial) == len(paths)
    assert serial == summary(2)
    assert sum("ParseError" in r for _, r in serial) == 3


def test_documents_from_workers_edit_and_dump_like_loaded_ones(tmp_path: Path) -> None:
    paths = _folder(tmp_path, CHUNK + 1)
    docs = dict(newsitem.load_many(paths, jobs=2))
    first = docs[str(paths[0])]
    assert isinstance(first, newsitem.Document)
    first.item.quality = 99
    newsitem.dump(first, paths[0])
    assert paths[0].read_text() == GOOD.format(title="T0", n=0).replace("quality: 0", "quality: 99")
    # an unedited document writes back its exact text
    second = docs[str(paths[1])]
    assert isinstance(second, newsitem.Document)
    assert newsitem.dumps(second) == paths[1].read_text()
    # and conflict detection still knows what the file held
    paths[1].write_text(paths[1].read_text() + "changed by someone else\n")
    second.item.title = "mine"
    with pytest.raises(newsitem.ConflictError):
        newsitem.dump(second, paths[1])


def test_errors_survive_the_trip_from_a_worker() -> None:
    errors: list[newsitem.NewsItemError] = []
    for text in ["---\ntitle: 1\npublishedDateTime: x\n---\n", '---\ntitle: "open\n---\n']:
        with pytest.raises(newsitem.NewsItemError) as info:
            newsitem.loads(text)
        info.value.path = "x.md"
        errors.append(info.value)
    with pytest.raises(newsitem.FileError) as missing:
        newsitem.load("/nonexistent/newsitem/x.md")
    errors.append(missing.value)
    for error in errors:
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error)
        assert (str(back), repr(back), back.path) == (str(error), repr(error), error.path)
    assert pickle.loads(pickle.dumps(errors[0])).errors == errors[0].errors  # type: ignore[attr-defined]


def _pid(path: str) -> int:
    return os.getpid()


def _fail_on_b(path: str) -> str:
    if path == "b":
        raise RuntimeError("boom")
    return path.upper()


def test_small_batches_and_one_job_stay_in_this_process() -> None:
    me = os.getpid()
    assert {pid for _, pid in map_files(_pid, ["a"] * (CHUNK - 1), jobs=2)} == {me}
    assert {pid for _, pid in map_files(_pid, ["a"] * (CHUNK * 3), jobs=1)} == {me}
    others = {pid for _, pid in map_files(_pid, ["a"] * (CHUNK * 3), jobs=2)}
    assert me not in others and 1 <= len(others) <= 2


def test_map_files_keeps_input_order_and_raises_in_turn() -> None:
    names = [f"f{i}" for i in range(CHUNK * 4)]
    assert [r for _, r in map_files(_fail_on_b, names, jobs=2)] == [n.upper() for n in names]
    results = map_files(_fail_on_b, ["a", "b", "c"], jobs=1)
    assert next(results) == ("a", "A")
    with pytest.raises(RuntimeError, match="boom"):
        next(results)


@pytest.mark.parametrize("jobs", [1, 2])
def test_map_files_streams_an_endless_input(jobs: int) -> None:
    # Only a bounded amount of work is read ahead, so an endless input still gives results.
    endless = (f"f{i}" for i in itertools.count())
    first = list(itertools.islice(map_files(_fail_on_b, endless, jobs=jobs), CHUNK * 3))
    assert first == [(f"f{i}", f"F{i}") for i in range(CHUNK * 3)]


def test_jobs_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        newsitem.load_many([tmp_path], jobs=0)
    with pytest.raises(ValueError, match="at least 1"):
        list(map_files(_pid, ["a"], jobs=0))
    assert list(newsitem.load_many([tmp_path], jobs=None)) == []


@pytest.mark.corpus
def test_load_many_over_the_corpus_news(corpus: Path) -> None:
    files = news_files()
    results = list(newsitem.load_many(files, jobs=2))
    assert [p for p, _ in results] == [str(p) for p in files]
    for path, doc in results:
        assert isinstance(doc, newsitem.Document), path
        assert isinstance(doc.item, newsitem.NewsItem)
        assert newsitem.dumps(doc) == read_exact(Path(path))


@pytest.mark.parametrize("one", ["site/_news", Path("site/_news"), b"site/_news"])
def test_load_many_of_one_path_rather_than_a_list_is_refused(one: Any) -> None:
    # A str is an iterable of one-letter paths: "/" among them would walk the whole disk.
    with pytest.raises(TypeError, match=r"a list of paths.*\[path\]"):
        newsitem.load_many(one)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_walking_a_folder_skips_what_is_not_a_regular_file(tmp_path: Path) -> None:
    # A named pipe would block the read for ever; a link to /dev/zero would fill memory.
    (tmp_path / "a.md").write_text("---\ntitle: x\n---\n")
    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "zero.md").symlink_to("/dev/zero")
    (tmp_path / "link.md").symlink_to(tmp_path / "a.md")
    assert [Path(p).name for p in iter_files([tmp_path])] == ["a.md", "link.md"]
