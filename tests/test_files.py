"""The I/O edge: paths, file objects, encodings, atomic writes."""

from __future__ import annotations

import errno
import io
import os
import stat
from pathlib import Path

import pytest

import newsitem

TEXT = '---\ntitle: "T"\npublishedDateTime: 2023-11-28T13:36:00Z\n---\nbody é\n'


def test_load_from_path_text_and_binary_files(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(TEXT.encode())
    assert newsitem.load(path).item.title == "T"
    assert newsitem.load(str(path)).body == "body é\n"
    with open(path, encoding="utf-8", newline="") as f:
        assert newsitem.dumps(newsitem.load(f)) == TEXT
    assert newsitem.dumps(newsitem.load(io.BytesIO(TEXT.encode()))) == TEXT


def test_bom_survives_a_file_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "bom.md"
    data = b"\xef\xbb\xbf" + TEXT.encode()
    path.write_bytes(data)
    doc = newsitem.load(path)
    doc.item.title = "U"
    newsitem.dump(doc, path)
    assert path.read_bytes() == data.replace(b'"T"', b'"U"')


def test_invalid_utf8_reports_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "bad.md"
    path.write_bytes(b'---\ntitle: "caf\xe9"\n---\n')
    with pytest.raises(newsitem.ParseError) as info:
        newsitem.load(path)
    err = info.value
    assert (err.offset, err.line, err.column, err.path) == (15, 2, 12, str(path))
    assert "byte offset 15" in str(err) and str(path) in str(err)


def test_utf16_is_refused_clearly() -> None:
    with pytest.raises(newsitem.ParseError, match="UTF-16"):
        newsitem.load(io.BytesIO(TEXT.encode("utf-16")))


@pytest.mark.parametrize(
    ("encoding", "named"),
    [
        ("utf-32", "UTF-32 \\(it starts with a UTF-32 BOM"),
        ("utf-16-le", "UTF-16 or UTF-32 \\(a NUL byte"),
        ("utf-16-be", "UTF-16 or UTF-32 \\(a NUL byte"),
        ("utf-32-le", "UTF-16 or UTF-32 \\(a NUL byte"),
    ],
)
def test_utf32_and_utf16_without_a_bom_are_named(encoding: str, named: str) -> None:
    with pytest.raises(newsitem.ParseError, match=named) as caught:
        newsitem.load(io.BytesIO(TEXT.encode(encoding)), schema=None)
    assert (caught.value.line, caught.value.column) == (1, 1)


def test_an_edit_that_does_not_validate_names_the_file_it_was_for(tmp_path: Path) -> None:
    path = tmp_path / "item.md"
    path.write_text(TEXT)
    doc = newsitem.load(path)
    doc.item.title = 5  # type: ignore[assignment]
    with pytest.raises(newsitem.ValidationError) as caught:
        newsitem.dump(doc, path)
    assert caught.value.path == str(path) and str(path) in str(caught.value)
    with pytest.raises(newsitem.ValidationError) as caught, newsitem.edit(path) as doc:
        doc.item.title = 5  # type: ignore[assignment]
    assert caught.value.path == str(path)
    assert path.read_text() == TEXT


def test_yaml_suffix_means_bare(tmp_path: Path) -> None:
    path = tmp_path / "data.yml"
    path.write_text("a: 1\nb: [x]\n")
    doc = newsitem.load(path, schema=None)
    assert doc.item == {"a": 1, "b": ["x"]}


def test_missing_file_is_a_newsitem_error(tmp_path: Path) -> None:
    with pytest.raises(newsitem.FileError) as info:
        newsitem.load(tmp_path / "nope.md")
    assert isinstance(info.value, FileNotFoundError.__mro__[1])  # an OSError
    assert info.value.path == str(tmp_path / "nope.md")


def test_errors_from_files_carry_the_path(tmp_path: Path) -> None:
    path = tmp_path / "v.md"
    path.write_text("---\ntitle: T\n---\n")
    with pytest.raises(newsitem.ValidationError) as info:
        newsitem.load(path)
    assert info.value.path == str(path)
    assert str(info.value).startswith(f"{path}: 1 invalid field")


def test_dump_is_atomic_and_keeps_permissions(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(TEXT)
    os.chmod(path, 0o640)
    doc = newsitem.load(path)
    doc.item.title = "Changed"
    newsitem.dump(doc, path)
    assert path.read_text() == TEXT.replace('"T"', '"Changed"')
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_failed_write_leaves_the_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.md"
    path.write_text(TEXT)
    doc = newsitem.load(path)
    doc.item.title = "Changed"

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(newsitem.FileError, match="No space left"):
        newsitem.dump(doc, path)
    assert path.read_text() == TEXT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_dump_to_file_objects() -> None:
    doc = newsitem.loads(TEXT)
    text_out, bytes_out = io.StringIO(), io.BytesIO()
    newsitem.dump(doc, text_out)
    newsitem.dump(doc, bytes_out)
    assert text_out.getvalue() == TEXT
    assert bytes_out.getvalue() == TEXT.encode()


def test_dump_through_a_symlink_replaces_the_target_and_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text(TEXT)
    link = tmp_path / "link.md"
    link.symlink_to(real)
    doc = newsitem.load(link)
    doc.item.title = "Via link"
    newsitem.dump(doc, link)
    assert link.is_symlink()
    assert real.read_text() == TEXT.replace('"T"', '"Via link"')
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.md", "real.md"]


@pytest.mark.parametrize("how", ["link re-pointed", "file replaced by a link"])
def test_a_path_that_now_names_another_file_is_a_conflict(tmp_path: Path, how: str) -> None:
    loaded, other = tmp_path / "loaded.md", tmp_path / "other.md"
    loaded.write_text(TEXT)
    other.write_text(TEXT.replace("body", "someone else's body"))
    path = tmp_path / "item.md"
    path.symlink_to(loaded) if how == "link re-pointed" else path.write_text(TEXT)
    doc = newsitem.load(path)
    doc.item.title = "Mine"
    path.unlink()
    path.symlink_to(other)  # the path now names another file, with other bytes
    with pytest.raises(newsitem.ConflictError, match="changed on disk") as caught:
        newsitem.dump(doc, path)
    assert caught.value.filename == caught.value.path == str(other) and caught.value.errno is None
    assert other.read_text() == TEXT.replace("body", "someone else's body")
    newsitem.dump(doc, path, force=True)  # forced: through the link, as always
    assert other.read_text() == TEXT.replace('"T"', '"Mine"')
    assert path.is_symlink()


def test_a_path_with_a_nul_byte_is_a_file_error(tmp_path: Path) -> None:
    bad = str(tmp_path / "a\0.md")
    for call in (lambda: newsitem.load(bad), lambda: newsitem.dump(newsitem.loads(TEXT), bad)):
        with pytest.raises(newsitem.FileError) as caught:
            call()
        assert caught.value.path == bad and caught.value.errno == errno.EINVAL
    ((path, result),) = newsitem.load_many([bad])  # one bad path does not stop a batch
    assert path == bad and isinstance(result, newsitem.FileError)


def test_a_new_file_gets_the_umask_without_changing_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Setting the process's umask to read it left other threads creating files with
    # umask 0 (world-writable) meanwhile.
    umask = os.umask(0o027)
    try:

        def no_umask(mask: int) -> int:
            raise AssertionError("os.umask changes the mask of every thread")

        monkeypatch.setattr(os, "umask", no_umask)
        newsitem.dump(newsitem.loads(TEXT), tmp_path / "new.md")
    finally:
        monkeypatch.undo()
        os.umask(umask)
    assert stat.S_IMODE(os.stat(tmp_path / "new.md").st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.md"]


def test_an_open_file_that_cannot_be_read_is_a_newsitem_error(tmp_path: Path) -> None:
    path = tmp_path / "item.md"
    path.write_bytes(b'---\ntitle: "caf\xe9"\n---\n')
    with open(tmp_path / "other.md", "w") as not_for_reading:
        with pytest.raises(newsitem.FileError) as caught:
            newsitem.load(not_for_reading)
        assert caught.value.path == not_for_reading.name
    with pytest.raises(newsitem.FileError, match="closed file"):
        newsitem.load(not_for_reading)
    with (
        open(path, encoding="utf-8") as text,
        pytest.raises(newsitem.ParseError, match="could not be read as text"),
    ):
        newsitem.load(text)


@pytest.mark.parametrize(
    ("limits", "error"),
    [({"max_size": "10"}, TypeError), ({"max_depth": 0}, ValueError), ({"max_nodes": True}, TypeError)],
)
def test_limits_are_checked_when_made(limits: dict[str, object], error: type[Exception]) -> None:
    """Limits(max_size="10") failed later, inside a comparison; negative limits were taken."""
    with pytest.raises(error, match=r"Limits\.max_"):
        newsitem.Limits(**limits)


@pytest.mark.parametrize(
    ("name", "text", "bare"),
    [
        ("page.yaml", TEXT, False),  # fenced YAML in a .yaml file reads as bare YAML: refused
        ("page.json", '{"title": "T", "publishedDateTime": "2024-01-02T03:04:05Z"}\nbody\n', False),
        ("data.md", "title: T\npublishedDateTime: 2024-01-02T03:04:05Z\n", True),
    ],
)
def test_dump_refuses_a_name_under_which_the_text_would_read_back_otherwise(
    tmp_path: Path, name: str, text: str, bare: bool
) -> None:
    doc = newsitem.loads(text, bare=bare, format="json" if name.endswith(".json") else None)
    target = tmp_path / name
    with pytest.raises(newsitem.ValidationError, match="would not read back as it is") as caught:
        newsitem.dump(doc, target)
    assert caught.value.path == str(target) and not target.exists()


def test_dump_to_a_data_name_that_reads_back_as_written(tmp_path: Path) -> None:
    toml_page = '+++\ntitle = "T"\npublishedDateTime = 2024-01-02T03:04:05Z\n+++\nbody\n'
    newsitem.dump(newsitem.loads(toml_page), tmp_path / "feed.toml")  # a fence says: a page
    assert newsitem.load(tmp_path / "feed.toml").body == "body\n"
    data = newsitem.loads("title: T\npublishedDateTime: 2024-01-02T03:04:05Z\n", bare=True)
    newsitem.dump(data, tmp_path / "item.yml")
    assert newsitem.load(tmp_path / "item.yml").item.title == "T"
