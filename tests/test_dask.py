"""newsitem.dask on the memory file system and local folders, in this process, and
the flat columns it shares with ``export --format parquet``.

The real engines (a LocalCluster of worker processes, S3 served by moto) are in
``test_dask_engines.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dask
import fsspec
import pyarrow.parquet as pq
import pytest

import newsitem
import newsitem.dask as nd
from newsitem.__main__ import main
from newsitem._flatten import cell, flatten, kind, merge, record_kinds

from .conftest import as_params, corpus_files, news_files, read_exact

pytestmark = pytest.mark.dask

GOOD = b'---\ntitle: "T"\npublishedDateTime: 2023-11-28T13:36:00Z\n---\nBody\n'
ITEM = (
    b"---\n"
    b'title: "Heat pump subsidy doubles"   # checked by the desk\n'
    b"publishedDateTime: 2024-03-09T06:00:00Z\n"
    b"quality: 55\n"
    b"\n"
    b"provider:\n"
    b"  name: Example Net\n"
    b"topics:\n"
    b"  - Energy\n"
    b"---\n"
    b"Body text.\n"
)


@pytest.fixture(autouse=True)
def _in_this_process() -> Iterator[None]:
    """memory:// lives in this process: compute here, not in worker processes."""
    with dask.config.set(scheduler="sync"):
        yield


@pytest.fixture
def mem() -> Iterator[tuple[fsspec.AbstractFileSystem, str]]:
    """The memory file system and a fresh folder on it, removed afterwards."""
    fs = fsspec.filesystem("memory")
    root = f"/t-{uuid.uuid4().hex}"
    fs.mkdir(root)
    yield fs, root
    fs.rm(root, recursive=True)


def bump(doc: newsitem.Document[newsitem.NewsItem]) -> None:
    doc.item.quality = (doc.item.quality or 0) + 1


def nothing(doc: newsitem.Document[Any]) -> None:
    pass


def expected_after(data: bytes, fn: Any, name: str = "x.md", schema: Any = newsitem.NewsItem) -> bytes:
    """What newsitem does to these bytes locally: loads, *fn*, dumps."""
    doc = newsitem.loads(data.decode("utf-8"), schema=schema, bare=name.endswith((".yaml", ".yml")))
    fn(doc)
    return newsitem.dumps(doc).encode("utf-8")


def test_import_newsitem_does_not_import_dask() -> None:
    code = "import sys, newsitem; print(sorted(m for m in ('dask', 'fsspec', 'pandas') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# -- read ---------------------------------------------------------------------------------


def test_read_gives_documents_and_errors_as_elements(
    mem: tuple[fsspec.AbstractFileSystem, str], tmp_path: Path
) -> None:
    fs, root = mem
    files = {
        "a.md": ITEM,
        "b.md": b'---\ntitle: "B"\npublishedDateTime: someday\n---\n',
        "c.md": b'---\ntitle: "open\n---\n',
        "d.md": b"\xff\xfe-\x00-\x00",
        "e.md": b'---\ntitle: "\xe9"\n---\n',
    }
    fs.pipe({f"{root}/_news/{name}": data for name, data in files.items()})
    results = nd.read(f"memory://{root}/_news/*.md").compute()
    assert [url for url, _ in results] == [f"memory://{root}/_news/{name}" for name in files]
    doc = results[0][1]
    assert isinstance(doc, newsitem.Document)
    assert doc.item.title == "Heat pump subsidy doubles" and doc.body == "Body text.\n"
    assert newsitem.dumps(doc).encode() == ITEM
    errors = [r for _, r in results[1:]]
    assert [type(e).__name__ for e in errors] == ["ValidationError", "ParseError", "ParseError", "ParseError"]
    assert [e.path for e in errors] == [url for url, _ in results[1:]]  # type: ignore[union-attr]
    assert "UTF-16" in str(errors[2])
    assert "line 2, column 9: invalid UTF-8 at byte offset 12" in str(errors[3])
    # The same bytes in local files: load_many gives the same errors.
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    local = list(newsitem.load_many(sorted(tmp_path.iterdir())))
    for (url, got), (path, want) in zip(results, local, strict=True):
        assert type(got) is type(want)
        if isinstance(want, newsitem.NewsItemError):
            assert str(got).replace(url, "") == str(want).replace(path, "")


def test_read_a_list_a_folder_and_a_missing_file(mem: tuple[fsspec.AbstractFileSystem, str]) -> None:
    fs, root = mem
    fs.pipe(
        {
            f"{root}/site/_news/b.md": GOOD,
            f"{root}/site/_news/sub/a.markdown": GOOD,
            f"{root}/site/_news/page.html": GOOD,
            f"{root}/site/_news/notes.txt": b"not an item",
            f"{root}/site/.hidden/x.md": GOOD,
            f"{root}/site/data.yaml": b'title: "Bare"\npublishedDateTime: 2024-01-01T00:00:00Z\n',
        }
    )
    walked = [url for url, _ in nd.read(f"memory://{root}/site").compute()]
    assert walked == [f"memory://{root}/site/_news/{n}" for n in ("b.md", "page.html", "sub/a.markdown")]
    assert [url for url, _ in nd.read(f"memory://{root}/site/").compute()] == walked
    listed = nd.read([f"memory://{root}/site/data.yaml", f"memory://{root}/site/gone.md"]).compute()
    (_, bare), (_, missing) = listed
    assert isinstance(bare, newsitem.Document) and bare.item.title == "Bare"  # .yaml: whole-file YAML
    assert isinstance(missing, newsitem.FileError) and isinstance(missing, OSError)
    assert missing.errno == 2 and missing.path == f"memory://{root}/site/gone.md"
    assert nd.read(f"memory://{root}/nothing/*.md").compute() == []
    assert nd.read([]).compute() == []


def test_read_with_other_schemas(mem: tuple[fsspec.AbstractFileSystem, str]) -> None:
    fs, root = mem
    fs.pipe(f"{root}/p.md", b"---\nname: Ada\n---\n")
    ((_, doc),) = nd.read(f"memory://{root}/p.md", schema=None).compute()
    assert isinstance(doc, newsitem.Document) and doc.item == {"name": "Ada"}
    ((_, err),) = nd.read(f"memory://{root}/p.md").compute()
    assert isinstance(err, newsitem.ValidationError)


@pytest.mark.corpus
@pytest.mark.parametrize("partition_size", [1, 7, 256])
def test_read_matches_load_many_on_every_corpus_file(
    corpus: Path, mem: tuple[fsspec.AbstractFileSystem, str], partition_size: int
) -> None:
    fs, root = mem
    files = corpus_files()
    fs.pipe({f"{root}/{p.relative_to(corpus)}": p.read_bytes() for p in files})
    urls = [f"memory://{root}/{p.relative_to(corpus)}" for p in files]
    got = nd.read(urls, partition_size=partition_size).compute()
    want = list(newsitem.load_many(files))
    assert len(got) == len(want) == len(files)
    for (url, result), (path, expected) in zip(got, want, strict=True):
        assert url.endswith(str(Path(path).relative_to(corpus)))
        assert type(result) is type(expected)
        if isinstance(expected, newsitem.Document):
            assert isinstance(result, newsitem.Document)
            assert result.item == expected.item and result.body == expected.body
            assert newsitem.dumps(result) == read_exact(Path(path))
        else:
            assert str(result).replace(url, "") == str(expected).replace(path, "")


def test_read_local_folder_is_load_many(tmp_path: Path) -> None:
    (tmp_path / "_news").mkdir()
    (tmp_path / "_news" / "a.md").write_bytes(ITEM)
    (tmp_path / "_news" / "b.md").write_text("---\ntitle: 1\n---\n")
    got = nd.read(tmp_path, partition_size=1).compute()
    want = list(newsitem.load_many([tmp_path]))
    assert (
        [p for p, _ in got] == [p for p, _ in want] == [str(tmp_path / "_news" / n) for n in ("a.md", "b.md")]
    )
    assert [type(r) for _, r in got] == [type(r) for _, r in want]
    assert str(got[1][1]) == str(want[1][1])
    # A local document keeps what its file held, so dump still refuses a stale write.
    doc = got[0][1]
    assert isinstance(doc, newsitem.Document)
    (tmp_path / "_news" / "a.md").write_bytes(ITEM.replace(b"55", b"56"))
    with pytest.raises(newsitem.ConflictError):
        newsitem.dump(doc, tmp_path / "_news" / "a.md")


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="partition_size"):
        nd.read("memory://x/*.md", partition_size=0)
    with pytest.raises(ValueError, match="errors must be"):
        nd.to_dataframe(nd.read([]), errors="keep")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"not to http://, where a write could be left half done"):
        nd.edit("http://127.0.0.1:9/_news/a.md", nothing)


# -- edit ---------------------------------------------------------------------------------


def test_edit_writes_only_what_changed(mem: tuple[fsspec.AbstractFileSystem, str]) -> None:
    fs, root = mem
    crlf = ITEM.replace(b"\n", b"\r\n")
    bom = b"\xef\xbb\xbf" + ITEM.replace(b"quality: 55\n", b"")
    files = {f"{root}/a.md": ITEM, f"{root}/b.md": crlf, f"{root}/c.md": bom, f"{root}/d.md": GOOD}
    fs.pipe(files)
    before = {p: fs.info(p)["created"] for p in files}
    outcomes = nd.edit(f"memory://{root}/*.md", nothing).compute()
    assert [o for _, o in outcomes] == ["unchanged"] * 4
    assert {p: fs.cat(p) for p in files} == files
    assert {p: fs.info(p)["created"] for p in files} == before  # not even rewritten

    outcomes = nd.edit(f"memory://{root}/*.md", bump, partition_size=3).compute()
    assert outcomes == [(f"memory://{p}", "written") for p in files]
    for path, data in files.items():
        after = fs.cat(path)
        assert after == expected_after(data, bump)
        changed = [
            line for line in after.splitlines(keepends=True) if line not in data.splitlines(keepends=True)
        ]
        assert len(changed) == 1 and changed[0].startswith(b"quality: ")  # a one-line diff
    assert fs.cat(f"{root}/b.md").count(b"\r\n") == crlf.count(b"\r\n")
    assert fs.cat(f"{root}/c.md").startswith(b"\xef\xbb\xbf---\n")


def test_edit_errors_are_elements(mem: tuple[fsspec.AbstractFileSystem, str]) -> None:
    fs, root = mem
    fs.pipe({f"{root}/a.md": b"---\ntitle: 1\n---\n", f"{root}/b.md": GOOD, f"{root}/c.md": ITEM})

    def invalid(doc: newsitem.Document[newsitem.NewsItem]) -> None:
        if doc.item.title == "T":
            doc.item.quality = "high"  # type: ignore[assignment]
        else:
            doc.item.quality = 1

    (_, a), (_, b), (_, c), (_, gone) = nd.edit(
        [f"memory://{root}/{n}" for n in ("a.md", "b.md", "c.md", "gone.md")], invalid
    ).compute()
    assert isinstance(a, newsitem.ValidationError)  # the file does not load
    assert isinstance(b, newsitem.ValidationError)  # the edit does not fit the schema
    assert c == "written"
    assert isinstance(gone, newsitem.FileError) and gone.errno == 2
    assert fs.cat(f"{root}/b.md") == GOOD


def test_an_exception_from_fn_fails_the_computation(mem: tuple[fsspec.AbstractFileSystem, str]) -> None:
    fs, root = mem
    fs.pipe(f"{root}/a.md", GOOD)

    def broken(doc: newsitem.Document[Any]) -> None:
        raise KeyError("a bug")

    with pytest.raises(KeyError, match="a bug"):
        nd.edit(f"memory://{root}/a.md", broken).compute()
    assert fs.cat(f"{root}/a.md") == GOOD


def test_edit_refuses_a_file_changed_since_it_was_read(mem: tuple[fsspec.AbstractFileSystem, str]) -> None:
    fs, root = mem
    fs.pipe({f"{root}/a.md": ITEM, f"{root}/b.md": ITEM})
    theirs = ITEM.replace(b"Energy", b"Heating")

    def race(doc: newsitem.Document[newsitem.NewsItem]) -> None:
        if doc.item.quality == 55 and fs.cat(f"{root}/b.md") == ITEM:
            fs.pipe(f"{root}/b.md", theirs)  # someone else writes b.md meanwhile
        bump(doc)

    outcomes = nd.edit([f"memory://{root}/a.md", f"memory://{root}/b.md"], race, partition_size=2).compute()
    assert [o for _, o in outcomes] == ["written", "conflict"]
    assert fs.cat(f"{root}/b.md") == theirs

    fs.rm(f"{root}/a.md")
    fs.pipe(f"{root}/a.md", ITEM)

    def remove(doc: newsitem.Document[newsitem.NewsItem]) -> None:
        fs.rm(f"{root}/a.md")
        bump(doc)

    assert nd.edit(f"memory://{root}/a.md", remove).compute() == [(f"memory://{root}/a.md", "conflict")]
    assert not fs.exists(f"{root}/a.md")


def test_edit_local_files_atomically_and_conflict_checked(tmp_path: Path) -> None:
    files = {tmp_path / "a.md": ITEM, tmp_path / "b.md": ITEM, tmp_path / "c.md": GOOD}
    for path, data in files.items():
        path.write_bytes(data)
        path.chmod(0o640)
    inode = {p: p.stat().st_ino for p in files}
    assert [o for _, o in nd.edit(str(tmp_path / "*.md"), nothing).compute()] == ["unchanged"] * 3
    assert {p: p.stat().st_ino for p in files} == inode  # not rewritten

    theirs = ITEM.replace(b"Energy", b"Heating")

    def race(doc: newsitem.Document[newsitem.NewsItem]) -> None:
        b = tmp_path / "b.md"
        a_done = (tmp_path / "a.md").read_bytes() != ITEM
        if a_done and b.read_bytes() == ITEM and doc.item.quality == 55:  # b.md's turn: race it
            b.write_bytes(theirs)
        bump(doc)

    outcomes = nd.edit([str(p) for p in files], race).compute()
    assert outcomes == [(str(tmp_path / "a.md"), "written"), (str(tmp_path / "b.md"), "conflict"),
                        (str(tmp_path / "c.md"), "written")]  # fmt: skip
    assert (tmp_path / "a.md").read_bytes() == expected_after(ITEM, bump)
    assert (tmp_path / "b.md").read_bytes() == theirs
    assert (tmp_path / "a.md").stat().st_mode & 0o777 == 0o640
    assert (tmp_path / "a.md").stat().st_ino != inode[tmp_path / "a.md"]  # replaced by a rename
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "b.md", "c.md"]  # no temporary left


# -- columns ------------------------------------------------------------------------------


def test_flatten_and_kinds() -> None:
    data = {"title": "T", "provider": {"name": "N", "images": [{"url": "u"}]}, "x": {}, "n": None}
    assert flatten(data) == {
        "title": "T",
        "provider.name": "N",
        "provider.images": [{"url": "u"}],
        "x": {},
        "n": None,
    }
    with pytest.raises(ValueError, match=r"same column 'a\.b'"):
        flatten({"a.b": 1, "a": {"b": 2}})
    assert [kind(v) for v in (None, True, 1, 1.5, "s", [], {}, 2**64)] == [
        "null", "bool", "int", "float", "string", "json", "json", "json",
    ]  # fmt: skip
    assert merge("bool", "int") == "json" and merge("null", "null") == "null"
    records = [{"a": 1, "b": None}, {"a": 2.5, "c": True}, {"b": "x", "c": "y"}]
    assert record_kinds(records) == {"a": "float", "b": "string", "c": "json"}
    assert [cell(v, "json") for v in ("y", True, None, {})] == ['"y"', "true", None, "{}"]


def test_to_dataframe(mem: tuple[fsspec.AbstractFileSystem, str]) -> None:
    fs, root = mem
    fs.pipe(
        {
            f"{root}/a.md": ITEM,
            f"{root}/b.md": b"---\ntitle: x\n---\n",
            f"{root}/c.md": b'---\ntitle: "C"\npublishedDateTime: 2024-01-01\nextra: 3\n---\nC body\n',
            f"{root}/d.md": b'---\ntitle: "D"\npublishedDateTime: 2024-01-02\nextra: three\n---\n',
        }
    )
    bag = nd.read(f"memory://{root}/*.md", partition_size=2)
    df = nd.to_dataframe(bag).compute()
    assert list(df.columns) == [
        "_path", "title", "publishedDateTime", "quality", "provider.name", "topics", "extra",
    ]  # fmt: skip
    assert list(df["_path"]) == [f"memory://{root}/{n}" for n in ("a.md", "c.md", "d.md")]
    assert list(df["topics"].fillna("-")) == ['["Energy"]', "-", "-"]
    assert list(df["extra"].fillna("-")) == ["-", "3", '"three"']  # mixed types: JSON text
    assert str(df.dtypes["quality"]) == "Int64" and str(df.dtypes["extra"]) == "string"

    flagged = nd.to_dataframe(bag, errors="flag", with_body=True).compute()
    assert list(flagged.columns[:2]) == ["_path", "title"] and "_error" in flagged and "_body" in flagged
    assert flagged["_error"].notna().tolist() == [False, True, False, False]
    assert flagged["_error"].tolist()[1].startswith(f"ValidationError: memory://{root}/b.md: ")
    assert flagged["_body"].tolist()[2] == "C body\n"

    kinds = nd.columns(bag)
    assert kinds["quality"] == "int" and kinds["extra"] == "json"
    only = nd.to_dataframe(bag, columns={"_path": "string", "title": "string"}).compute()
    assert list(only.columns) == ["_path", "title"] and len(only) == 3
    assert len(nd.to_dataframe(nd.read([])).compute()) == 0


def test_untyped_values_json_cannot_hold_are_errors(mem: tuple[fsspec.AbstractFileSystem, str]) -> None:
    fs, root = mem
    fs.pipe({f"{root}/a.md": b"---\nx: .nan\n---\n", f"{root}/b.md": b"---\nx: 1.5\n---\n"})
    bag = nd.read(f"memory://{root}/*.md", schema=None)
    assert nd.to_dataframe(bag).compute()["x"].tolist() == [1.5]
    flagged = nd.to_dataframe(bag, errors="flag").compute()
    assert flagged["_error"].tolist()[0] == "cannot export as JSON: JSON cannot hold the number nan"


# -- Parquet: to_dataframe and export --format parquet write the same table -----------------


@pytest.mark.corpus
def test_parquet_from_dask_and_from_the_command_line_are_the_same(corpus: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    for path in news_files():
        target = site / path.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    (site / "broken.md").write_text("---\ntitle: [\n---\n")
    out = tmp_path / "items.parquet"
    assert main(["export", "-j", "1", "--format", "parquet", "-o", str(out), "--with-path", str(site)]) == 1
    frame = nd.to_dataframe(nd.read(str(site), partition_size=16))
    frame.to_parquet(tmp_path / "dask", write_index=False)
    cli, dsk = pq.read_table(out), pq.read_table(tmp_path / "dask")
    assert cli.schema.names == dsk.schema.names
    parts = sorted((tmp_path / "dask").glob("*.parquet"))
    assert len(parts) == 8  # 113 files, 16 a task

    def columns(path: Path) -> list[tuple[str, str, str]]:
        schema = pq.ParquetFile(path).schema
        return [
            (c.name, c.physical_type, str(c.logical_type)) for c in map(schema.column, range(len(schema)))
        ]

    assert columns(out) == columns(parts[0])  # Parquet's own types: the same in both
    assert cli.to_pylist() == dsk.to_pylist()
    assert cli.num_rows == len(news_files())
    row = cli.to_pylist()[0]
    exported = json.loads(subprocess.run(
        [sys.executable, "-m", "newsitem", "export", "--with-path", row["_path"]],
        capture_output=True, text=True, check=True,
    ).stdout)  # fmt: skip
    flat = flatten(exported)
    assert {k: v for k, v in row.items() if v is not None} == {
        k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v for k, v in flat.items()
    }


def test_export_parquet_usage(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any) -> None:
    (tmp_path / "a.md").write_bytes(GOOD)
    with pytest.raises(SystemExit) as info:
        main(["export", "--format", "parquet", str(tmp_path)])
    assert info.value.code == 2 and "name it with -o FILE" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["export", "-o", str(tmp_path / "x"), str(tmp_path)])
    assert info.value.code == 2 and "-o/--output is for --format parquet" in capsys.readouterr().err
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)  # as if pyarrow were not installed
    assert main(["export", "--format", "parquet", "-o", str(tmp_path / "x.parquet"), str(tmp_path)]) == 2
    assert "needs pyarrow: pip install 'newsitem[dask]'" in capsys.readouterr().err
    assert not (tmp_path / "x.parquet").exists()


def test_export_parquet_of_nothing_and_of_mixed_values(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\nn: 1\nm: [1]\n---\n")
    (tmp_path / "b.md").write_text("---\nn: 2.5\nm: x\nflag: true\n---\n")
    out = tmp_path / "t.parquet"
    assert main(["export", "--schema", "none", "--format", "parquet", "-o", str(out), str(tmp_path)]) == 0
    table = pq.read_table(out)
    assert [(f.name, str(f.type)) for f in table.schema] == [
        ("n", "double"),
        ("m", "string"),
        ("flag", "bool"),
    ]
    assert table.to_pylist() == [{"n": 1.0, "m": "[1]", "flag": None}, {"n": 2.5, "m": '"x"', "flag": True}]
    empty = tmp_path / "empty"
    empty.mkdir()
    out.unlink()
    with pytest.raises(SystemExit) as stop:  # no files at all: a usage error, as for every command
        main(["export", "--format", "parquet", "-o", str(out), str(empty)])
    assert stop.value.code == 2 and not out.exists()


@pytest.mark.parametrize("path", as_params(news_files()[:1]))
def test_documents_from_read_pickle(path: Path | None) -> None:
    """Elements travel between worker processes: documents and errors must pickle."""
    import pickle

    assert path is not None
    ((_, doc),) = nd.read(str(path)).compute()
    again = pickle.loads(pickle.dumps(doc))
    assert again.item == doc.item and newsitem.dumps(again) == newsitem.dumps(doc)
    err = nd.read(str(path) + ".missing").compute()[0][1]
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is type(err) and str(back) == str(err)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_read_leaves_out_local_files_that_are_not_regular(tmp_path: Path) -> None:
    # As load_many walks: a named pipe would block a worker for ever, /dev/zero fill its memory.
    (tmp_path / "a.md").write_bytes(ITEM)
    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "zero.md").symlink_to("/dev/zero")
    fs = fsspec.filesystem("file")
    for urlpath in (str(tmp_path), str(tmp_path / "*.md")):
        assert nd._files(fs, [urlpath]) == [str(tmp_path / "a.md")]


@pytest.mark.parametrize("where", ["memory", "local"])
def test_edit_a_file_named_twice_edits_it_once(
    where: str, mem: tuple[fsspec.AbstractFileSystem, str], tmp_path: Path
) -> None:
    # A list naming a file and a glob that matches it again: one edit, one true outcome
    # (on a store, the second write was refused, and both were reported as conflicts).
    fs, root = mem
    if where == "memory":
        fs.pipe(f"{root}/a.md", ITEM)
        base, read_back = f"memory://{root}", lambda: fs.cat(f"{root}/a.md")
    else:
        (tmp_path / "a.md").write_bytes(ITEM)
        base, read_back = str(tmp_path), (tmp_path / "a.md").read_bytes
    for partition_size in (1, 256):
        outcomes = nd.edit([f"{base}/a.md", f"{base}/*.md"], bump, partition_size=partition_size).compute()
        assert [o for _, o in outcomes] == ["written"]
    assert read_back() == expected_after(expected_after(ITEM, bump), bump)


def test_a_file_whose_name_looks_like_a_glob_is_that_file(
    mem: tuple[fsspec.AbstractFileSystem, str], tmp_path: Path
) -> None:
    # "[1]" would match the name "1": a glob that matches nothing but names a file is the file.
    fs, root = mem
    fs.pipe(f"{root}/c [1].md", ITEM)
    (tmp_path / "c [1].md").write_bytes(ITEM)
    for url, name in (
        (f"memory://{root}/c [1].md", f"memory://{root}/c [1].md"),
        ((str(tmp_path / "c [1].md"),) * 2),
    ):
        ((got, doc),) = nd.read(url).compute()
        assert got == name and isinstance(doc, newsitem.Document)
        assert nd.edit(url, bump).compute() == [(name, "written")]
    assert nd.read(f"memory://{root}/c [2].md").compute() == []  # a glob matching nothing is nothing


def test_a_file_name_that_is_not_utf8_is_escaped_in_tables(tmp_path: Path) -> None:
    # Python holds such a name's bytes as lone surrogates, which UTF-8 cannot hold: one
    # such name failed the whole table (pyarrow's UnicodeEncodeError), here and in export.
    with open(os.path.join(os.fsencode(tmp_path), b"caf\xe9.md"), "wb") as f:
        f.write(ITEM)
    df = nd.to_dataframe(nd.read(tmp_path)).compute()
    assert df["_path"].tolist() == [str(tmp_path / "caf\\udce9.md")]
    assert cell("caf\udce9", "string") == "caf\\udce9" and cell("é", "string") == "é"
    out = tmp_path / "out.parquet"
    assert main(["export", str(tmp_path), "--with-path", "--format", "parquet", "-o", str(out)]) == 0
    assert pq.read_table(out).column("_path").to_pylist() == [str(tmp_path / "caf\\udce9.md")]
