"""The JSON Schema generated from the attrs classes, checked with the jsonschema package."""

from __future__ import annotations

import datetime as dt
import enum
from pathlib import Path
from typing import Any, Literal

import attrs
import pytest
from hypothesis import given

import newsitem
from newsitem._convert import unstructure
from newsitem._jsonschema import iso, json_ready, json_schema

from . import strategies
from .conftest import news_files

jsonschema = pytest.importorskip(
    "jsonschema", reason="jsonschema is in the test extra: pip install -e '.[test]'"
)

SCHEMA = json_schema(newsitem.NewsItem)

# jsonschema asserts "date-time" only with an extra package; editors do check it, so check it here.
FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parsed = dt.datetime.fromisoformat(value)  # RFC 3339: a full date, "T", a time and an offset
    return value[10:11] in "Tt" and parsed.tzinfo is not None


VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=FORMATS)

GOOD: dict[str, Any] = {
    "title": "T",
    "publishedDateTime": "2023-11-28T13:36:00Z",
    "quality": 5,
    "provider": {"name": "P", "images": [{"url": "https://x/y.png", "width": 10}]},
    "related": [{"title": "R", "publishedDateTime": "2023-11-27T00:00:00Z"}],
    "topics": ["AI"],
    "secured": "abc",
    "somethingNew": {"any": ["thing"]},
}


def _where(error: Any) -> str:
    """Where an error is; for "one of" errors, the deepest place one of the options failed."""
    if error.context:
        return max((_where(e) for e in error.context), key=lambda w: w.count("/") + bool(w))
    return "/".join(map(str, error.absolute_path))


def _errors(instance: Any) -> list[str]:
    return sorted(_where(e) for e in VALIDATOR.iter_errors(instance))


def test_the_schema_is_a_valid_2020_12_schema() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["required"] == ["title", "publishedDateTime"]
    assert set(SCHEMA["$defs"]) == {"Image", "Provider", "RelatedItem"}
    assert SCHEMA["$defs"]["RelatedItem"]["required"] == ["title"]


def test_it_follows_the_classes_not_a_hand_written_list() -> None:
    # Every field of every class is there, under the key it is written with.
    for cls, props in [
        (newsitem.NewsItem, SCHEMA["properties"]),
        (newsitem.Image, SCHEMA["$defs"]["Image"]["properties"]),
        (newsitem.Provider, SCHEMA["$defs"]["Provider"]["properties"]),
        (newsitem.RelatedItem, SCHEMA["$defs"]["RelatedItem"]["properties"]),
    ]:
        fields = [f for f in attrs.fields(cls) if f.name != "extras"]
        assert list(props) == [
            f.name.split("_")[0] + "".join(w.title() for w in f.name.split("_")[1:]) for f in fields
        ]
    assert SCHEMA["properties"]["publishedDateTime"] == {"type": "string", "format": "date-time"}
    assert SCHEMA["properties"]["cdnAmpWebUrl"] == {"type": ["string", "null"]}


def test_a_good_item_validates() -> None:
    assert _errors(GOOD) == []


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"title": 1}, "title"),
        ({"title": None}, "title"),
        ({"quality": "high"}, "quality"),
        ({"quality": True}, "quality"),
        ({"topics": "AI"}, "topics"),
        ({"topics": [1]}, "topics/0"),
        ({"publishedDateTime": "someday"}, "publishedDateTime"),
        ({"provider": "P"}, "provider"),
        ({"provider": {"images": [{"width": "wide"}]}}, "provider/images/0/width"),
        ({"related": [{"excerpt": "no title"}]}, "related/0"),
        ({"removed": "yes"}, "removed"),
    ],
)
def test_broken_items_do_not_validate(change: dict[str, Any], where: str) -> None:
    assert _errors({**GOOD, **change}) == [where]


def test_a_missing_required_field_does_not_validate() -> None:
    broken = {k: v for k, v in GOOD.items() if k != "publishedDateTime"}
    assert _errors(broken) == [""]


def _as_json(path: Path) -> Any:
    return json_ready(newsitem.load(path, schema=None).item)


@pytest.mark.corpus
def test_every_corpus_news_item_validates(corpus: Path) -> None:
    files = news_files()
    assert len(files) >= 100
    failures = {str(p): _errors(_as_json(p)) for p in files}
    assert {p: e for p, e in failures.items() if e} == {}


@pytest.mark.corpus
def test_the_library_and_the_schema_agree_on_the_corpus(corpus: Path) -> None:
    # Files the typed model rejects (people, courses...) mostly fail the schema too.
    from .conftest import corpus_files

    agree = disagree = 0
    for path in corpus_files():
        if path.suffix not in (".md", ".html", ".markdown"):
            continue
        try:
            data = _as_json(path)
        except (newsitem.NewsItemError, ValueError):
            continue
        try:
            newsitem.load(path)
            typed_ok = True
        except newsitem.NewsItemError:
            typed_ok = False
        if typed_ok == (not _errors(data)):
            agree += 1
        else:
            disagree += 1
    assert agree > 150 and disagree == 0


@given(strategies.items)
def test_generated_items_validate(item: newsitem.NewsItem) -> None:
    assert _errors(json_ready(unstructure(item))) == []


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@attrs.define
class Node:
    name: str
    kind: Literal["leaf", "branch"] = "leaf"
    colour: Colour | None = None
    children: list[Node] = attrs.Factory(list)
    parent: Node | None = None
    weights: dict[str, float] = attrs.Factory(dict)
    tags: tuple[str, ...] = ()
    pair: tuple[int, str] | None = None
    anything: Any = None
    born: dt.date | None = None
    score: int | str | None = None


def test_other_schemas_nest_and_refer_to_themselves() -> None:
    schema = json_schema(Node)
    jsonschema.Draft202012Validator.check_schema(schema)
    props = schema["properties"]
    assert props["children"] == {"type": "array", "items": {"$ref": "#"}}
    assert props["parent"] == {"anyOf": [{"$ref": "#"}, {"type": "null"}]}
    assert props["kind"] == {"enum": ["leaf", "branch"]}
    assert props["colour"] == {"anyOf": [{"enum": ["red", "blue"]}, {"type": "null"}]}
    assert props["weights"] == {"type": "object", "additionalProperties": {"type": "number"}}
    assert props["tags"] == {"type": "array", "items": {"type": "string"}}
    assert props["pair"] == {"type": ["array", "null"]}
    assert props["anything"] == {}
    assert props["born"] == {"type": ["string", "null"], "format": "date"}
    assert props["score"] == {"type": ["integer", "string", "null"]}
    assert "$defs" not in schema
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid({"name": "root", "children": [{"name": "a", "children": [{"name": "b"}]}]})
    assert not validator.is_valid({"name": "root", "children": [{"name": "a", "children": [{"kind": "x"}]}]})


def test_only_attrs_classes_have_a_schema() -> None:
    with pytest.raises(TypeError, match="attrs class"):
        json_schema(dict)


def test_json_ready_dates_and_what_json_cannot_hold() -> None:
    utc = dt.datetime(2023, 11, 28, 13, 36, tzinfo=dt.UTC)
    plus2 = dt.datetime(2023, 11, 28, 13, 36, 5, 120, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert iso(utc) == "2023-11-28T13:36:00Z"
    assert iso(plus2) == "2023-11-28T13:36:05.000120+02:00"
    assert iso(dt.date(2023, 1, 2)) == "2023-01-02"
    data = {"a": [utc, {dt.date(2020, 1, 1): b"\x00\x01"}], 1: None}
    assert json_ready(data) == {"a": ["2023-11-28T13:36:00Z", {"2020-01-01": "AAE="}], 1: None}
    with pytest.raises(ValueError, match="nan"):
        json_ready({"x": float("nan")})
    with pytest.raises(ValueError, match="key"):
        json_ready({("a", "b"): 1})
