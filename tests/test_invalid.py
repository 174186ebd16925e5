"""The invalid suite: each file in tests/invalid/ must raise exactly the error listed
for it in tests/invalid/expected.json (class, line, column, field paths, message)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import attrs
import pytest

import newsitem

INVALID = Path(__file__).parent / "invalid"
EXPECTED: dict[str, dict[str, Any]] = json.loads((INVALID / "expected.json").read_text())


def test_every_file_has_an_expectation() -> None:
    files = {p.name for p in INVALID.iterdir() if p.name != "expected.json"}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_file_raises_the_listed_error(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expect = EXPECTED[name]
    monkeypatch.chdir(tmp_path)  # a tag that ran a command would leave a file here
    schema = None if expect.get("schema") == "none" else newsitem.NewsItem
    path = INVALID / name
    with pytest.raises(newsitem.NewsItemError) as info:
        newsitem.load(path, schema=schema)
    err = info.value
    assert type(err).__name__ == expect["error"], str(err)
    assert err.path == str(path)
    assert err.__cause__ is None
    if isinstance(err, newsitem.ValidationError):
        got = [[e.field, e.line, e.column] for e in err.errors]
        assert got == expect["fields"], str(err)
        assert all(e.message for e in err.errors)
    else:
        assert isinstance(err, newsitem.ParseError)
        assert (err.line, err.column) == (expect["line"], expect["column"]), str(err)
        assert expect["message"] in str(err)
        assert err.offset == expect.get("offset")
    assert isinstance(err, ValueError)
    assert list(tmp_path.iterdir()) == []


def test_tags_never_run_anything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = (
        "---\nx: !!python/object/apply:os.system ['touch ran']\n"
        "y: !!python/object/new:os.system [touch ran]\n---\n"
    )
    for schema in (None, newsitem.NewsItem):
        with pytest.raises(newsitem.ParseError):
            newsitem.loads(text, schema=schema)
    assert not (tmp_path / "ran").exists()
    assert not os.path.exists("ran")


def test_front_matter_size_limit_default_and_configurable() -> None:
    big = '---\nexcerpt: "' + "x" * (1 << 20) + '"\n---\n'
    with pytest.raises(newsitem.LimitError, match="larger than the limit of 1048576") as info:
        newsitem.loads(big, schema=None)
    assert (info.value.line, info.value.column) == (2, 1)
    doc = newsitem.loads(big, schema=None, limits=newsitem.Limits(max_size=2 << 20))
    assert len(doc.item["excerpt"]) == 1 << 20
    with pytest.raises(newsitem.LimitError):
        newsitem.loads("---\na: 1\n---\n", schema=None, limits=newsitem.Limits(max_size=3))


def test_alias_limit_is_configurable_and_counts_expansion() -> None:
    text = "---\na: &a [1, 2, 3]\nb: [*a, *a, *a]\n---\n"
    assert newsitem.loads(text, schema=None).item["b"] == [[1, 2, 3]] * 3
    # root 1 + key a 1 + [1, 2, 3] 4 + key b 1 + b's list 1 + 3 aliases standing for 4 nodes each
    assert newsitem.loads(text, schema=None, limits=newsitem.Limits(max_nodes=20)).item["b"][2] == [1, 2, 3]
    with pytest.raises(newsitem.LimitError, match="aliases expand"):
        newsitem.loads(text, schema=None, limits=newsitem.Limits(max_nodes=19))


def test_limits_hold_for_every_way_in() -> None:
    laughs = (INVALID / "billion-laughs.md").read_text()
    with pytest.raises(newsitem.LimitError):
        newsitem.loads(laughs)  # typed
    with pytest.raises(newsitem.LimitError):
        newsitem.loads(laughs, bare=False, schema=None)
    smaller = laughs.split("\ng:")[0] + "\n---\n"  # f alone stands for about 600,000 nodes
    with pytest.raises(newsitem.LimitError):
        newsitem.loads(smaller, schema=None)
    ok = laughs.split("\nd:")[0] + "\n---\n"  # about 900 expanded nodes: fine, and fast to walk
    doc = newsitem.loads(ok, schema=None)
    assert newsitem.dumps(doc) == ok
    doc.item["c"][0][0][0] = "changed"  # one copy of a shared list: only that copy is written out
    out = newsitem.dumps(doc)
    assert out.startswith(ok.split("\nc:")[0] + "\nc: &c [[[changed, lol,")
    assert out.endswith("], *b, *b, *b, *b, *b, *b, *b, *b]\n---\n")
    assert newsitem.loads(out, schema=None).item == doc.item


def test_no_recursion_error_even_when_the_depth_limit_is_raised() -> None:
    deep = "---\nx: " + "[" * 3000 + "]" * 3000 + "\n---\n"
    limits = newsitem.Limits(max_depth=10_000)
    with pytest.raises(newsitem.LimitError, match="nested too deeply for this Python"):
        newsitem.loads(deep, schema=None, limits=limits)
    fine = "---\nx: " + "[" * 150 + "]" * 150 + "\n---\n"
    doc = newsitem.loads(fine, schema=None, limits=limits)
    doc.item["y"] = 1
    assert newsitem.loads(newsitem.dumps(doc), schema=None, limits=limits).item == doc.item


@pytest.mark.parametrize("source", ["libyaml", "pure"])
@pytest.mark.parametrize("brk", ["\u2028", "\u2029", "\x85"])
def test_yaml_syntax_error_lines_end_only_at_cr_and_lf(
    source: str, brk: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # YAML 1.1 (libyaml, ruamel.yaml) counts NEL, LS and PS as line breaks; the file's
    # lines, as every other position newsitem gives counts them, end only at CR, LF, CRLF
    from newsitem import _pure, _tree

    if source == "pure":
        monkeypatch.setattr(_tree, "_event_source", _pure.event_source)
    elif _tree._clib is None:
        pytest.skip("the libyaml extra is not installed")
    for text, where in [
        (f'---\nx: "a{brk}b"\na: b: c\n---\n', (3, 5)),
        (f"---\n# a{brk}b\na: b: c\n---\n", (3, 2)),
    ]:
        with pytest.raises(newsitem.ParseError) as info:
            newsitem.loads(text, schema=None)
        assert (info.value.line, info.value.column) == where, repr(text)


def test_a_merged_value_is_pointed_at_where_it_is_written() -> None:
    text = (
        '---\ntitle: "T"\npublishedDateTime: 2024-03-05T09:00:00Z\n'
        "a: &a {width: wa}\n"
        "b: &b {<<: *a, height: hb}\n"
        "images:\n"
        "  - <<: [*b]\n"
        "    url: 5\n"
        "related:\n"
        "  - <<: *a\n"
        "---\n"
    )
    with pytest.raises(newsitem.ValidationError) as info:
        newsitem.loads(text)
    got = [(e.field, e.line, e.column) for e in info.value.errors]
    assert got == [
        ("images[0].width", 4, 15),
        ("images[0].height", 5, 24),
        ("images[0].url", 8, 10),
        ("related[0].title", 10, 5),  # the mapping that lacks it
    ]


@attrs.define
class _Keyed:
    counts: dict[str, int]


def test_a_wrong_mapping_key_is_named_by_its_mapping_and_pointed_at() -> None:
    text = "---\ncounts:\n  2024: 1\n  ok: x\n  true: 2\n---\n"
    with pytest.raises(newsitem.ValidationError) as info:
        newsitem.loads(text, schema=_Keyed)
    got = [(e.field, e.line, e.column, e.message) for e in info.value.errors]
    assert got == [
        ("counts", 3, 3, "a key: expected a string, got an integer 2024"),
        ("counts.ok", 4, 7, "expected an integer, got a string 'x'"),
        ("counts", 5, 3, "a key: expected a string, got a boolean True"),
    ]
