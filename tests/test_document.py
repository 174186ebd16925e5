"""Splitting, fidelity on hand-written fixtures, values and errors of ``loads``/``dumps``."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import newsitem
from newsitem._split import split

from .conftest import FIXTURES, read_exact

ROUNDTRIP = sorted((FIXTURES / "roundtrip").iterdir())
UTC = dt.UTC
HEAD = "---\ntitle: T\npublishedDateTime: 2023-11-28T13:36:00Z\n"


@pytest.mark.parametrize("path", ROUNDTRIP, ids=lambda p: p.name)
def test_fixture_round_trips_byte_for_byte(path: Path) -> None:
    text = read_exact(path)
    assert newsitem.dumps(newsitem.loads(text, schema=None)) == text
    assert newsitem.dumps(newsitem.loads(text)) == text


@pytest.mark.parametrize("path", ROUNDTRIP, ids=lambda p: p.name)
def test_fixture_values_match_a_safe_load(path: Path) -> None:
    text = read_exact(path).lstrip("\ufeff")
    expected = yaml.safe_load(split(text).front)
    got = newsitem.loads(text, schema=None).item

    def norm(v: object) -> object:
        if isinstance(v, dict):
            return {k: norm(x) for k, x in v.items()}
        if isinstance(v, list):
            return [norm(x) for x in v]
        if isinstance(v, dt.datetime) and v.tzinfo is None:
            return v.replace(tzinfo=UTC)
        return v

    assert norm(got) == norm(expected)


@pytest.mark.parametrize(
    ("text", "yaml_text", "body"),
    [
        ("---\na: 1\n---\nbody\n", "a: 1\n", "body\n"),
        ("---\na: 1\n...\nbody\n", "a: 1\n", "body\n"),
        ("---\r\na: 1\r\n---\r\nbody\r\n", "a: 1\r\n", "body\r\n"),
        ("---\na: 1\n---", "a: 1\n", ""),
        ("---\n---\nbody", "", "body"),
        ("---  \na: 1\n---\t\n", "a: 1\n", ""),
        ("no front matter\n---\n", "", "no front matter\n---\n"),
        ("----\nnot a fence\n", "", "----\nnot a fence\n"),
        ("---\na: 1\n---\n---\nmore\n---\n", "a: 1\n", "---\nmore\n---\n"),
    ],
)
def test_split_is_exact(text: str, yaml_text: str, body: str) -> None:
    parts = split(text)
    assert (parts.front, parts.body) == (yaml_text, body)
    assert parts.join() == text


def test_bom_is_remembered() -> None:
    text = "\ufeff---\na: 1\n---\n"
    doc = newsitem.loads(text, schema=None)
    assert doc.item == {"a": 1}
    assert newsitem.dumps(doc) == text


@pytest.mark.parametrize("text", ["---\na: 1\n", "---\n", "---"])
def test_unclosed_front_matter_is_a_parse_error(text: str) -> None:
    with pytest.raises(newsitem.ParseError) as info:
        newsitem.loads(text, schema=None)
    assert (info.value.line, info.value.column) == (1, 1)
    assert "never closed" in str(info.value)


def test_empty_and_missing_front_matter_load_untyped() -> None:
    for text in ["---\n---\n", "just a body\n", "", "---\n# only a comment\n---\n"]:
        doc = newsitem.loads(text, schema=None)
        assert doc.item == {}
        assert newsitem.dumps(doc) == text
    assert not newsitem.loads("just a body\n", schema=None).has_front_matter


def test_adding_keys_to_a_file_without_front_matter_creates_it() -> None:
    doc = newsitem.loads("Body.\n", schema=None)
    doc.item["title"] = "New"
    assert newsitem.dumps(doc) == "---\ntitle: New\n---\nBody.\n"


def test_bare_yaml_files() -> None:
    text = "# settings\nname: x\nlist:\n  - 1\n"
    doc = newsitem.loads(text, schema=None, bare=True)
    assert doc.item == {"name": "x", "list": [1]}
    assert doc.body == ""
    assert newsitem.dumps(doc) == text


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("2023-11-28T13:36:00Z", dt.datetime(2023, 11, 28, 13, 36, tzinfo=UTC)),
        ("2023-11-28T13:36:00.000Z", dt.datetime(2023, 11, 28, 13, 36, tzinfo=UTC)),
        ("2023-11-28 13:36:00", dt.datetime(2023, 11, 28, 13, 36, tzinfo=UTC)),
        ("2023-11-28 15:36:00 +02:00", dt.datetime(2023, 11, 28, 13, 36, tzinfo=UTC)),
        ("2023-11-28T08:36:00-05:00", dt.datetime(2023, 11, 28, 13, 36, tzinfo=UTC)),
        ('"Tue, 28 Nov 2023 13:36:00 GMT"', dt.datetime(2023, 11, 28, 13, 36, tzinfo=UTC)),
        ('"Tue, 28 Nov 2023 14:36:00 +0100"', dt.datetime(2023, 11, 28, 13, 36, tzinfo=UTC)),
        ('"November 28, 2023 1:36 PM"', dt.datetime(2023, 11, 28, 13, 36, tzinfo=UTC)),
        ("2023-11-28", dt.datetime(2023, 11, 28, tzinfo=UTC)),
    ],
)
def test_date_time_spellings_parse_to_aware_datetimes(spelling: str, expected: dt.datetime) -> None:
    item = newsitem.loads(f"---\ntitle: T\npublishedDateTime: {spelling}\n---\n").item
    assert item.published_date_time == expected
    assert item.published_date_time.tzinfo is not None


def test_unparseable_date_names_field_and_line() -> None:
    with pytest.raises(newsitem.ValidationError) as info:
        newsitem.loads('---\ntitle: T\n\npublishedDateTime: "not a date"\n---\n')
    (error,) = info.value.errors
    assert (error.field, error.line, error.column) == ("published_date_time", 4, 20)
    assert "not a date-time" in error.message


def test_validation_collects_every_problem_with_paths() -> None:
    text = (
        "---\n"
        "title: 5\n"
        "publishedDateTime: 2023-11-28T13:36:00Z\n"
        "quality: high\n"
        "related:\n"
        "  - title: ok\n"
        "  - title: also ok\n"
        "    images:\n"
        "      - url: x\n"
        "        width: wide\n"
        "  - excerpt: no title\n"
        "---\n"
    )
    with pytest.raises(newsitem.ValidationError) as info:
        newsitem.loads(text)
    got = {(e.field, e.line, e.column) for e in info.value.errors}
    assert got == {
        ("title", 2, 8),
        ("quality", 4, 10),
        ("related[1].images[0].width", 10, 16),
        ("related[2].title", 11, 5),
    }
    assert isinstance(info.value, ValueError)
    assert "related[1].images[0].width" in str(info.value)


def test_wrong_container_types() -> None:
    with pytest.raises(newsitem.ValidationError) as info:
        newsitem.loads(HEAD + "provider: just a name\ntopics: AI\n---\n")
    fields = {e.field: e.message for e in info.value.errors}
    assert "expected a mapping" in fields["provider"]
    assert set(fields) == {"provider", "topics"}


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ('---\ntitle: "unterminated\n---\n', 2, 8, "quoted scalar"),
        ("---\na: 1\n  b: 2\n---\n", 3, 4, "mapping values are not allowed"),
        ("---\na: 1\na: 2\n---\n", 3, 1, "duplicate key"),
        ("---\n- a\n- b\n---\n", 2, 1, "must be a mapping"),
        ("---\njust text\n---\n", 2, 1, "must be a mapping"),
        ("---\na: !!python/object:os.system x\n---\n", 2, 4, "unsupported YAML tag"),
        ("---\na: !custom x\n---\n", 2, 4, "unsupported YAML tag"),
        ("---\na: *nowhere\n---\n", 2, 4, "alias"),
        ("---\na:\tb\n\tc: d\n---\n", 3, 1, "tab"),
    ],
)
def test_parse_errors_carry_line_and_column(text: str, line: int, column: int, words: str) -> None:
    with pytest.raises(newsitem.ParseError) as info:
        newsitem.loads(text, schema=None)
    err = info.value
    assert (err.line, err.column) == (line, column), str(err)
    assert words in str(err)
    assert f"line {line}, column {column}" in str(err)
    assert err.__cause__ is None and (err.__context__ is None or err.__suppress_context__)


def test_tags_never_construct_objects() -> None:
    with pytest.raises(newsitem.ParseError):
        newsitem.loads("---\nx: !!python/object/apply:os.system ['echo hi']\n---\n", schema=None)


def test_schema_none_and_custom_schemas() -> None:
    import attrs

    @attrs.define(kw_only=True)
    class Course:
        title: str
        price: str | None = None
        page_size: int = attrs.field(default=0, metadata={"newsitem.key": "page_size"})
        extras: dict[str, object] = attrs.field(factory=dict, metadata={"newsitem.extras": True})

    text = "---\ntitle: C\nprice: Free\npage_size: 3\nlength: PT10M\n---\n"
    doc = newsitem.loads(text, schema=Course)
    assert doc.item == Course(title="C", price="Free", page_size=3, extras={"length": "PT10M"})
    assert newsitem.dumps(doc) == text
    with pytest.raises(TypeError):
        newsitem.loads(text, schema=dict)  # type: ignore[call-overload]


def test_unknown_keys_are_kept_in_order_on_every_class() -> None:
    text = (
        HEAD + "zeta: 1\nalpha: [2]\nprovider:\n  name: P\n  rank: 3\nimages:\n  - url: u\n    alt: a\n---\n"
    )
    item = newsitem.loads(text).item
    assert list(item.extras) == ["zeta", "alpha"]
    assert item.provider is not None and item.provider.extras == {"rank": 3}
    assert item.images[0].extras == {"alt": "a"}


def test_repr_is_helpful() -> None:
    doc = newsitem.loads(HEAD + 'secured: "' + "A" * 100 + '"\n---\nbody\n')
    text = repr(doc)
    assert text.startswith("Document(item=NewsItem(")
    assert "AAAAAAAAAAAAAAAAAAAA..." in text and "A" * 30 not in text
    assert "body='body\\n'" in text


def test_loads_rejects_bytes() -> None:
    with pytest.raises(TypeError):
        newsitem.loads(b"---\n---\n")  # type: ignore[call-overload]


def test_impossible_dates_are_validation_errors_naming_the_field() -> None:
    with pytest.raises(newsitem.ValidationError) as info:
        newsitem.loads("---\ntitle: T\npublishedDateTime: 2023-02-30T10:00:00Z\n---\n")
    (error,) = info.value.errors
    assert (error.field, error.line, error.column) == ("published_date_time", 3, 20)
    assert newsitem.loads("---\nd: 2023-02-30\n---\n", schema=None).item == {"d": "2023-02-30"}


def test_values_python_cannot_hold_are_parse_errors() -> None:
    with pytest.raises(newsitem.ParseError) as info:
        newsitem.loads("---\nbig: " + "9" * 5000 + "\n---\n", schema=None)
    assert (info.value.line, info.value.column) == (2, 6)


@pytest.mark.parametrize("body", [None, b"x" * 100, 5])
def test_repr_of_a_document_with_a_body_that_is_not_a_str(body: object) -> None:
    """repr raised TypeError (len of None, bytes + str) for a body dumps refuses clearly."""
    doc = newsitem.Document({"a": 1}, body)  # type: ignore[arg-type]
    assert repr(doc).startswith("Document(item={'a': 1}, body=") and len(repr(doc)) < 100
    with pytest.raises(newsitem.ValidationError, match="body"):
        newsitem.dumps(doc)


def test_an_item_or_another_object_in_place_of_a_document_is_a_type_error(tmp_path: Path) -> None:
    """dumps(item) raised AttributeError: 'NewsItem' object has no attribute '_source'."""
    item = newsitem.loads(HEAD + "---\n").item
    for call in (
        lambda: newsitem.dumps(item),  # type: ignore[arg-type]
        lambda: newsitem.dump(item, tmp_path / "a.md"),  # type: ignore[arg-type]
        lambda: newsitem.dump(None, io.StringIO()),  # type: ignore[arg-type]
        lambda: newsitem.convert(item, "json"),  # type: ignore[arg-type]
    ):
        with pytest.raises(TypeError, match=r"takes a Document, not (NewsItem|NoneType); wrap an item"):
            call()
    assert not (tmp_path / "a.md").exists()


@pytest.mark.parametrize("source", [None, b"a.md", 3])
def test_load_and_dump_of_something_neither_a_path_nor_a_file_is_a_type_error(source: object) -> None:
    with pytest.raises(TypeError, match="takes a path or an open file"):
        newsitem.load(source)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="writes to a path or an open file"):
        newsitem.dump(newsitem.Document({}), source)  # type: ignore[arg-type]


def test_a_schema_that_is_an_instance_is_a_schema_error() -> None:
    """An unhashable schema (an instance, a dict) raised functools.cache's TypeError."""
    item = newsitem.loads(HEAD + "---\n").item
    for schema in (item, {"title": str}):
        with pytest.raises(newsitem.SchemaError, match="a schema must be an attrs class"):
            newsitem.loads(HEAD + "---\n", schema=schema)  # type: ignore[call-overload]


@pytest.mark.parametrize(
    "line",
    [
        "publishedDateTime: " + "x" * 100_000,
        "publishedDateTime: UTC+1 " + "x" * 100_000,
        "a: !!int " + "x" * 100_000,
        "a: !!timestamp " + "x" * 100_000,
        "a: !" + "x" * 100_000 + " 1",
        "a: *" + "x" * 100_000,
    ],
)
def test_an_error_quotes_a_long_value_in_part(line: str) -> None:
    """The whole value was quoted: a 1 MB front matter made a 1 MB (or 2 MB) message."""
    with pytest.raises(newsitem.NewsItemError) as e:
        newsitem.loads("---\ntitle: T\n" + line + "\n---\n")
    assert len(str(e.value)) < 400 and len(repr(e.value)) < 400 and "xxx..." in str(e.value)


def test_convert_keeps_the_item_type_for_type_checkers(tmp_path: Path) -> None:
    """convert returned Document[Any]: a misspelt attribute of its item type-checked."""
    mypy = shutil.which("mypy", path=str(Path(sys.executable).parent))
    if mypy is None:
        pytest.skip("mypy is not installed (the 'dev' extra)")
    module = tmp_path / "user.py"
    module.write_text(
        "from typing import Any, assert_type\n"
        "import newsitem\n"
        "doc = newsitem.loads('')\n"
        "assert_type(newsitem.convert(doc, 'json'), newsitem.Document[newsitem.NewsItem])\n"
        "plain = newsitem.loads('', schema=None)\n"
        "assert_type(newsitem.convert(plain, 'toml'), newsitem.Document[dict[str, Any]])\n"
    )
    done = subprocess.run(
        [mypy, "--strict", "--no-incremental", "--config-file", os.devnull, str(module)],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
