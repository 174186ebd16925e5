"""The command line, run through its real entry points."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsitem
from newsitem.__main__ import main
from newsitem._batch import CHUNK
from newsitem._commands import set_file
from newsitem._fieldpath import assign, get, parse, parse_value, type_at
from newsitem._jsonschema import iso

from . import strategies
from .conftest import news_files

ROOT = Path(__file__).resolve().parents[1]
GOOD = '---\ntitle: "T"\npublishedDateTime: 2023-11-28T13:36:00Z\n---\n'


def test_check_examples_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(ROOT / "examples")]) == 0
    out = capsys.readouterr().out
    assert out.strip().splitlines()[-1] == "checked 3 files: 3 ok, 0 with problems (0 problems)"


def test_check_reports_each_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "good.md").write_text(GOOD)
    (tmp_path / "sub" / "bad.md").write_text("---\ntitle: 1\npublishedDateTime: x\n---\n")
    (tmp_path / "sub" / "broken.md").write_text('---\ntitle: "open\n---\n')
    (tmp_path / "notes.txt").write_text("not checked")
    assert main(["check", str(tmp_path)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    bad, broken = str(tmp_path / "sub" / "bad.md"), str(tmp_path / "sub" / "broken.md")
    assert lines == [
        f"{bad}:2:8: title: expected a string, got an integer 1",
        f"{bad}:3:20: published_date_time: not a date-time: 'x'",
        f"{broken}:2:8: (front matter): while scanning a quoted scalar found unexpected end of stream",
        "checked 3 files: 1 ok, 2 with problems (3 problems)",
    ]


def test_check_with_schema_none(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "person.md").write_text("---\nname: Ada\n---\n")
    assert main(["check", "--schema", "none", str(tmp_path)]) == 0
    assert main(["check", str(tmp_path)]) == 1
    assert "title: required field is missing" in capsys.readouterr().out


def test_check_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "nope.md")]) == 1
    assert "nope.md:0:0: (file):" in capsys.readouterr().out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["check"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["check", "--schema", "nomodule", "x"])
    assert info.value.code == 2
    assert "module:Class" in capsys.readouterr().err


@pytest.mark.parametrize(
    "command", [[sys.executable, "-m", "newsitem"], [str(Path(sys.executable).parent / "newsitem")]]
)
def test_entry_points_run_the_same_code(command: list[str], tmp_path: Path) -> None:
    if not Path(command[0]).exists():
        pytest.skip("the newsitem script is not installed next to this interpreter")
    (tmp_path / "a.md").write_text(GOOD)
    done = subprocess.run([*command, "check", str(tmp_path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "checked 1 file: 1 ok, 0 with problems (0 problems)\n"
    help_text = subprocess.run(
        [*command, "check", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "path:line:column: field:" in " ".join(help_text.split())


# -- helpers for the commands below ------------------------------------------------------

ITEM = (ROOT / "examples" / "_news" / "2024-03-05-library-opens-late.md").read_text()


@attrs.define
class Person:
    """A schema without an extras field: it knows only these keys."""

    name: str
    age: int | None = None


@attrs.define
class Rated:
    """A schema whose validators run as a field is set."""

    kind: str = attrs.field(validator=attrs.validators.in_(["news", "blog"]))
    stars: int = attrs.field(default=1, validator=attrs.validators.le(5))


def run(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m newsitem ARGS`` in a fresh process, from the repository root."""
    return subprocess.run(
        [sys.executable, "-m", "newsitem", *args],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        check=False,
    )


def items(folder: Path, n: int, *, bad: tuple[int, ...] = ()) -> list[Path]:
    paths = []
    for i in range(n):
        path = folder / f"item-{i:03d}.md"
        text = '---\ntitle: "open\n---\n' if i in bad else ITEM.replace("Example Net", f"Example Net {i}")
        path.write_text(text)
        paths.append(path)
    return paths


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


# -- check ------------------------------------------------------------------------------


def test_check_json_prints_no_fragment_of_json_on_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "newsitem.toml").write_text("exclud = 1\n")
    (tmp_path / "site" / "a.md").write_text(GOOD)
    for folder in ("empty", "site"):
        with pytest.raises(SystemExit) as info:
            main(["check", "--format", "json", str(tmp_path / folder)])
        assert info.value.code == 2
        assert capsys.readouterr().out == ""


def test_export_json_prints_no_fragment_of_json_on_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "newsitem.toml").write_text("exclud = 1\n")
    (tmp_path / "a.md").write_text(GOOD)
    with pytest.raises(SystemExit) as info:
        main(["export", "--format", "json", str(tmp_path)])
    assert info.value.code == 2
    assert capsys.readouterr().out == ""


def test_check_json_reports_what_the_text_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "good.md").write_text(GOOD)
    (tmp_path / "bad.md").write_text("---\ntitle: 1\npublishedDateTime: x\n---\n")
    (tmp_path / "broken.md").write_text('---\ntitle: "open\n---\n')
    assert main(["check", "--format", "json", str(tmp_path)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert main(["check", str(tmp_path)]) == 1
    text = capsys.readouterr().out.strip().splitlines()
    assert report["summary"] == {
        "files": 3,
        "ok": 1,
        "withProblems": 2,
        "problems": 3,
        "skipped": {"withoutFrontMatter": 0, "excluded": 0},
    }
    as_text = [
        f"{p['path']}:{p['line'] or 0}:{p['column'] or 0}: {p['field'] or '(front matter)'}: {p['message']}"
        for p in report["problems"]
    ]
    assert as_text == text[:-1]
    assert [p["error"] for p in report["problems"]] == ["ValidationError", "ValidationError", "ParseError"]
    assert main(["check", "--format", "json", str(tmp_path / "good.md")]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "problems": [],
        "summary": {
            "files": 1,
            "ok": 1,
            "withProblems": 0,
            "problems": 0,
            "skipped": {"withoutFrontMatter": 0, "excluded": 0},
        },
    }


def test_check_in_parallel_prints_what_one_process_prints(tmp_path: Path) -> None:
    paths = items(tmp_path, CHUNK * 2 + 3, bad=(2, CHUNK + 7))
    one, two = run("check", "-j", "1", str(tmp_path)), run("check", "-j", "2", str(tmp_path))
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout
    unclosed = "2:8: (front matter): while scanning a quoted scalar found unexpected end of stream"
    assert one.stdout.splitlines()[:2] == [f"{paths[2]}:{unclosed}", f"{paths[CHUNK + 7]}:{unclosed}"]
    assert (
        one.stdout.splitlines()[-1]
        == f"checked {len(paths)} files: {len(paths) - 2} ok, 2 with problems (2 problems)"
    )
    assert one.stderr == two.stderr == ""


def test_check_in_parallel_in_process(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    items(tmp_path, CHUNK + 1, bad=(CHUNK,))
    assert main(["check", "--jobs", "2", str(tmp_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == f"checked {CHUNK + 1} files: {CHUNK} ok, 1 with problems (1 problem)"


def test_check_with_another_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ada.md").write_text("---\nname: Ada\nage: 36\n---\n")
    (tmp_path / "bob.md").write_text("---\nname: Bob\nage: old\n---\n")
    assert main(["check", "--schema", "tests.test_cli:Person", str(tmp_path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{tmp_path / 'bob.md'}:3:6: age: expected an integer, got a string 'old'",
        "checked 2 files: 1 ok, 1 with problems (1 problem)",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "-j", "0", "x"], "expected 'auto' or a number of processes"),
        (["check", "--jobs", "many", "x"], "expected 'auto' or a number of processes"),
        (["check", "--schema", "os:path", "x"], "is not an attrs class"),
        (["check", "--schema", "tests.test_cli:Nope", "x"], "cannot import"),
        (["check", "--format", "xml", "x"], "invalid choice"),
        (["get", "x.md", "related[0"], "not a field path"),
        (["get", "x.md", "name.first", "--schema", "tests.test_cli:Person"], "name is a string"),
        (["get", "x.md", "title[0]"], "title is not a list"),
        (["get", "x.md", "title.text"], "title is a string, which has no field 'text'"),
        (["set", "age", "old", "x.md", "--schema", "tests.test_cli:Person"], "age: expected an integer"),
        (
            ["set", "nickname", "x", "x.md", "--schema", "tests.test_cli:Person"],
            "no field 'nickname' in Person; did you mean 'name'?",
        ),
        (["set", "quality", "1.5", "x.md"], "quality: expected an integer, got '1.5'"),
        (["set", "removed", "yes", "x.md"], "expected true or false"),
        (["set", "publishedDateTime", "soon", "x.md"], "expected an ISO 8601 date-time"),
        (["set", "topics", "[1]", "x.md"], "[0]: expected a string, got an integer 1"),
        (["set", "images", "[{", "x.md"], "expected JSON for a list"),
        (["new", "-o", "x.md"], "--from-json"),
        (["schema", "--schema", "none"], "no fields to describe"),
        ([], "required: COMMAND"),
    ],
)
def test_usage_errors_say_what_is_wrong(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""


def test_a_schema_module_that_fails_to_import_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "broken_schemas.py").write_text("def oops(:\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(SystemExit) as info:
        main(["check", "--schema", "broken_schemas:Video", str(tmp_path)])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "cannot import 'broken_schemas:Video': SyntaxError" in err
    assert "Traceback" not in err


def test_every_command_has_help_with_exit_codes() -> None:
    for command in ["check", "get", "set", "add", "remove", "unset", "fmt", "export", "new", "schema"]:
        done = run(command, "--help")
        assert done.returncode == 0, done.stderr
        assert "Exit status: 0 all good, 1 problems found, 2 usage error." in done.stdout
    listing = run("--help").stdout
    assert all(
        c in listing
        for c in ["check", "get", "set", "add", "remove", "unset", "fmt", "export", "new", "schema"]
    )


def test_no_colour_or_progress_bar_when_piped(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text("---\ntitle: 1\npublishedDateTime: x\n---\n")
    done = run("check", str(tmp_path))
    assert done.returncode == 1
    assert "\x1b[" not in done.stdout + done.stderr
    assert done.stderr == ""


def _on_a_terminal(*args: str, env: dict[str, str]) -> tuple[int, str]:
    """Run ``python -m newsitem ARGS`` with stdout and stderr on a pseudo-terminal."""
    pty = pytest.importorskip("pty")
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsitem", *args],
        stdin=subprocess.DEVNULL,
        stdout=secondary,
        stderr=secondary,
        cwd=ROOT,
        env={k: v for k, v in {**os.environ, **env}.items() if v is not None},
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            data = os.read(primary, 65536)
        except OSError:  # the other end closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(primary)
    return proc.wait(), b"".join(chunks).decode()


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_colour_on_a_terminal_unless_no_color(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text("---\ntitle: 1\npublishedDateTime: 2023-11-28T13:36:00Z\n---\n")
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    status, text = _on_a_terminal("check", str(tmp_path), env={**env, "NO_COLOR": ""})
    assert status == 1
    assert f"\x1b[1m{tmp_path / 'bad.md'}\x1b[0m:2:8: \x1b[33mtitle\x1b[0m: expected a string" in text
    assert "\x1b[31mchecked 1 file: 0 ok, 1 with problems (1 problem)\x1b[0m" in text
    status, text = _on_a_terminal("check", str(tmp_path), env={**env, "NO_COLOR": "1"})
    assert status == 1
    assert "\x1b" not in text
    assert f"{tmp_path / 'bad.md'}:2:8: title: expected a string" in text


def test_progress_bar_on_request(tmp_path: Path) -> None:
    pytest.importorskip("tqdm", reason="the progress bar comes with the cli extra (tqdm)")
    items(tmp_path, 3)
    done = run("check", "--progress", str(tmp_path))
    assert done.returncode == 0
    assert done.stdout == "checked 3 files: 3 ok, 0 with problems (0 problems)\n"
    assert "| 0/3 [" in done.stderr and "file/s]" in done.stderr
    assert run("check", "--no-progress", str(tmp_path)).stderr == ""


def test_progress_bar_without_tqdm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    items(tmp_path, 1)
    monkeypatch.setitem(sys.modules, "tqdm", None)  # import tqdm now raises ImportError
    assert main(["check", "--progress", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert captured.err == (
        "newsitem: warning: --progress needs tqdm (pip install 'newsitem[cli]'); going on without a bar\n"
    )
    assert captured.out == "checked 1 file: 1 ok, 0 with problems (0 problems)\n"


# -- get --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("title", "The central library will stay open until midnight"),
        ("provider.name", "Example Net"),
        ("provider.images[0].width", "50"),
        ("provider.images[-1].url", "https://example.net/logo-50x50.png"),
        ("publishedDateTime", "2024-03-05T17:40:00Z"),
        ("published_date_time", "2024-03-05T17:40:00Z"),
        ("related[0].publishedDateTime", "2024-01-18T08:00:00Z"),
        ("topics", '[\n  "Libraries"\n]'),
        ("topics[0]", "Libraries"),
        ("secured", "b3BhcXVlLWJsb2I=;c2Vjb25kLXBhcnQ="),
    ],
)
def test_get_prints_values(
    tmp_path: Path, field: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "item.md"
    path.write_text(ITEM)
    assert main(["get", str(path), field]) == 0
    assert capsys.readouterr().out == expected + "\n"


def test_get_prints_structures_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "item.md"
    path.write_text(
        ITEM.replace("type: article\n\n", "type: article\nremoved: false\nmood: {calm: true}\n\n", 1)
    )
    assert main(["get", str(path), "related[0]"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "title": "Students ask for longer opening hours",
        "excerpt": "A petition with 3,000 signatures reached the mayor's office.",
        "publishedDateTime": "2024-01-18T08:00:00Z",
        "webUrl": "https://example.org/news/petition-library",
        "type": "article",
        "provider": {"name": "Example Gazette", "domain": "example.org"},
        "quality": 40,
    }
    assert main(["get", str(path), "removed"]) == 0
    assert main(["get", str(path), "mood"]) == 0
    assert main(["get", str(path), "mood.calm"]) == 0
    assert capsys.readouterr().out == 'false\n{\n  "calm": true\n}\ntrue\n'


def test_get_untyped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "data.md"
    path.write_text("---\nname: Ada\nscores: [1, 2.5]\nwhen: 2024-01-02\n2020: leap\n---\n")
    for field in ["name", "scores[1]", "when", "2020", "scores"]:
        assert main(["get", "--schema", "none", str(path), field]) == 0
    assert capsys.readouterr().out == "Ada\n2.5\n2024-01-02\nleap\n[\n  1,\n  2.5\n]\n"


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("quality", "quality is not set"),
        ("provider.images[3]", "provider.images has 1 item, so no [3]"),
        ("related[0].images[0]", "related[0].images has 0 items, so no [0]"),
        ("nothing.here", "no field 'nothing' in NewsItem"),
        ("titel", "no field 'titel' in NewsItem; did you mean 'title'?"),
        ("provider.nmae", "no field 'nmae' in Provider; did you mean 'name'?"),
        ("tags", "tags is not set"),
    ],
)
def test_get_unset_fields_exit_1(
    tmp_path: Path, field: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "item.md"
    path.write_text(ITEM)
    assert main(["get", str(path), field]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"{path}: {message}\n"


def test_get_from_a_broken_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.md"
    path.write_text("---\ntitle: 1\npublishedDateTime: 2023-11-28T13:36:00Z\n---\n")
    assert main(["get", str(path), "title"]) == 1
    assert capsys.readouterr().err == f"{path}:2:8: title: expected a string, got an integer 1\n"
    assert main(["get", "--schema", "none", str(path), "title"]) == 0
    assert capsys.readouterr().out == "1\n"
    assert main(["get", "--schema", "none", str(path), "title[0]"]) == 1
    assert main(["get", "--schema", "none", str(path), "title.text"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{path}: title is an integer, not a list",
        f"{path}: title is an integer, which has no field 'text'",
    ]


# -- set --------------------------------------------------------------------------------


def test_set_changes_one_line_in_each_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = items(tmp_path, 3)
    before = {p: p.read_text() for p in paths}
    assert main(["set", "provider.name", "Example Org", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [str(p) for p in paths]
    assert captured.err == "set provider.name: 3 files changed, 0 unchanged, 0 failed\n"
    for i, p in enumerate(paths):
        assert changed_lines(before[p], p.read_text()) == [
            f"-  name: Example Net {i}",
            "+  name: Example Org",
        ]
    assert main(["set", "provider.name", "Example Org", str(tmp_path)]) == 0
    assert capsys.readouterr().err == "set provider.name: 0 files changed, 3 unchanged, 0 failed\n"


@pytest.mark.parametrize(
    ("field", "value", "lines", "check"),
    [
        ("quality", "56", ["+quality: 56"], ("quality", 56)),
        ("heat", "-3", ["+heat: -3"], ("heat", -3)),
        ("removed", "true", ["+removed: true"], ("removed", True)),
        ("published", "False", ["+published: false"], ("published", False)),
        (
            "publishedDateTime",
            "2024-03-06T08:00:00+01:00",
            ["-publishedDateTime: 2024-03-05T17:40:00Z", "+publishedDateTime: 2024-03-06T08:00:00+01:00"],
            ("published_date_time", dt.datetime(2024, 3, 6, 7, tzinfo=dt.UTC)),
        ),
        (
            "related[0].publishedDateTime",
            "2024-01-19T00:00:00",
            ["-    publishedDateTime: 2024-01-18T08:00:00Z", "+    publishedDateTime: 2024-01-19T00:00:00Z"],
            None,
        ),
        (
            "topics",
            '["Libraries", "Night life"]',
            ["+  - Night life"],
            ("topics", ["Libraries", "Night life"]),
        ),
        ("topics[0]", "Books", ["-  - Libraries", "+  - Books"], ("topics", ["Books"])),
        (
            "title",
            "null",
            ['-title: "The central library will stay open until midnight"', '+title: "null"'],
            None,
        ),
        (
            "ampWebUrl",
            "null",
            ['-ampWebUrl: "https://example.net/amp/library-late-hours"', '+ampWebUrl: "null"'],
            ("amp_web_url", "null"),
        ),
        ("provider.images[0].width", "64", ["-      width: 50", "+      width: 64"], None),
        ("images", '[{"url": "https://example.net/a.png", "width": 640}]', None, None),
        ("mood", '{"calm": true}', ["+", "+mood:", "+  calm: true"], None),
        ("mood", "calm", ["+mood: calm"], None),
    ],
)
def test_set_reads_the_value_for_the_field_type(
    tmp_path: Path, field: str, value: str, lines: list[str] | None, check: tuple[str, Any] | None
) -> None:
    path = tmp_path / "item.md"
    path.write_text(ITEM)
    assert main(["set", field, value, str(path)]) == 0
    after = path.read_text()
    if lines is not None:
        assert changed_lines(ITEM, after) == lines
    item = newsitem.load(path).item
    if check is not None:
        assert getattr(item, check[0]) == check[1]
    if field == "images":
        assert item.images == [newsitem.Image(url="https://example.net/a.png", width=640)]


def test_set_creates_a_missing_parent(tmp_path: Path) -> None:
    path = tmp_path / "item.md"
    path.write_text(GOOD)
    assert main(["set", "provider.domain", "example.org", str(path)]) == 0
    assert path.read_text() == GOOD.replace("Z\n---", "Z\n\nprovider:\n  domain: example.org\n---")
    assert newsitem.load(path).item.provider == newsitem.Provider(domain="example.org")


def test_set_dry_run_prints_a_diff_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = items(tmp_path, 2)
    assert main(["set", "--dry-run", "quality", "70", str(paths[0]), str(paths[1])]) == 0
    captured = capsys.readouterr()
    assert all(p.read_text() == ITEM.replace("Example Net", f"Example Net {i}") for i, p in enumerate(paths))
    expected = "".join(
        f"--- a/{os.path.relpath(p)}\n+++ b/{os.path.relpath(p)}\n@@ -6,6 +6,7 @@\n"
        ' webUrl: "https://example.net/library-late-hours"\n'
        ' ampWebUrl: "https://example.net/amp/library-late-hours"\n'
        " type: article\n+quality: 70\n \n provider:\n"
        f"   name: Example Net {i}\n"
        for i, p in enumerate(paths)
    )
    assert captured.out == expected
    assert captured.err == "set quality: 2 files would change, 0 unchanged, 0 failed\n"


def test_set_reports_bad_files_and_does_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = items(tmp_path, 4, bad=(1,))
    (tmp_path / "short.md").write_text(GOOD)
    broken = paths[1].read_bytes()
    assert main(["set", "related[0].quality", "5", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert paths[1].read_bytes() == broken
    assert (tmp_path / "short.md").read_text() == GOOD
    assert captured.out.splitlines() == [str(paths[0]), str(paths[2]), str(paths[3])]
    assert captured.err.splitlines() == [
        f"{paths[1]}:2:8: (front matter): while scanning a quoted scalar found unexpected end of stream",
        f"{tmp_path / 'short.md'}:0:0: related[0].quality: related has 0 items, so no [0]",
        "set related[0].quality: 3 files changed, 0 unchanged, 2 failed",
    ]
    assert all(newsitem.load(p).item.related[0].quality == 5 for p in paths if p != paths[1])


def test_set_an_item_of_an_absent_untyped_list_says_it_is_not_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "data.md"
    path.write_text("---\nname: Ada\n---\n")
    assert main(["set", "--schema", "none", "a[0].b", "1", str(path)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == f"{path}:0:0: a[0].b: a is not set"
    assert path.read_text() == "---\nname: Ada\n---\n"


def test_set_a_value_the_schema_validators_refuse(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.md"
    path.write_text("---\nkind: news\nstars: 3\n---\n")
    for field, value in [("kind", "poem"), ("stars", "9")]:
        assert main(["set", "--schema", "tests.test_cli:Rated", field, value, str(path)]) == 1
        err = capsys.readouterr().err.splitlines()
        assert err[0].startswith(f"{path}:0:0: {field}: "), err
        assert err[1] == f"set {field}: 0 files changed, 0 unchanged, 1 failed"
    assert path.read_text() == "---\nkind: news\nstars: 3\n---\n"
    path.write_text("---\nkind: poem\n---\n")  # check names the field the validator refused
    assert main(["check", "--schema", "tests.test_cli:Rated", str(path)]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        f"{path}:2:7: kind: 'kind' must be in ['news', 'blog'] (got 'poem')"
    )


def test_set_untyped_keeps_yaml_types(tmp_path: Path) -> None:
    path = tmp_path / "data.md"
    text = "---\nname: Ada   # who\nwhen: 2024-01-02T03:04:05Z\ncount: 1\n---\nBody\n"
    path.write_text(text)
    for field, value in [
        ("count", "2"),
        ("name", "Grace"),
        ("when", "2025-01-01T00:00:00Z"),
        ("tags", '["a"]'),
    ]:
        assert main(["set", "--schema", "none", field, value, str(path)]) == 0
    assert path.read_text() == (
        "---\nname: Grace   # who\nwhen: 2025-01-01T00:00:00Z\ncount: 2\n\ntags:\n  - a\n---\nBody\n"
    )
    item = newsitem.load(path, schema=None).item
    assert item["when"] == dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    assert main(["set", "--schema", "none", "extra.deep", "x", str(path)]) == 0
    assert newsitem.load(path, schema=None).item["extra"] == {"deep": "x"}


@given(
    item=strategies.items,
    field=st.sampled_from(
        ["title", "quality", "heat", "published", "provider.name", "topics", "publishedDateTime"]
    ),
    data=st.data(),
)
def test_set_then_get_gives_the_value_and_changes_nothing_else(
    item: newsitem.NewsItem, field: str, data: st.DataObject
) -> None:
    steps = parse(field)
    tp = type_at(newsitem.NewsItem, steps)
    value: Any = data.draw(
        {
            "title": strategies.text,
            "quality": strategies.counts,
            "heat": strategies.counts,
            "published": st.booleans(),
            "provider.name": strategies.words,
            "topics": st.lists(strategies.words, min_size=1, max_size=3),
            "publishedDateTime": strategies.instants,
        }[field]
    )
    raw = (
        json.dumps(value)
        if isinstance(value, list)
        else iso(value)
        if isinstance(value, dt.datetime)
        else str(value)
    )
    raw = raw.lower() if isinstance(value, bool) else raw
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "item.md"
        path.write_bytes(newsitem.dumps(newsitem.Document(item=item, body="Body\n")).encode())
        outcome = set_file(newsitem.NewsItem, steps, parse_value(raw, tp), None, False, str(path))
        assert outcome.status in ("changed", "unchanged"), outcome
        after = newsitem.load(path).item
    assert get(after, steps) == value
    expected = attrs.evolve(item)
    assign(expected, steps, value)
    assert after == expected


def test_set_in_parallel(tmp_path: Path) -> None:
    paths = items(tmp_path, CHUNK + 9)
    done = run("set", "-j", "2", "heat", "7", str(tmp_path), str(paths[0]))  # paths[0] twice: done once
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [str(p) for p in paths]
    assert done.stderr == f"set heat: {len(paths)} files changed, 0 unchanged, 0 failed\n"
    assert all(newsitem.load(p).item.heat == 7 for p in paths)


# -- fmt --------------------------------------------------------------------------------

UGLY = (
    "---\ntitle:   Hi\npublishedDateTime: 2024-01-01 10:00:00\n"
    "topics: [a, b]\nprovider: {name: P}\n---\nBody\n"
)
PRETTY = (
    '---\ntitle: "Hi"\npublishedDateTime: 2024-01-01T10:00:00Z\n\nprovider:\n  name: P\n\n'
    "topics:\n  - a\n  - b\n---\nBody\n"
)


def test_fmt_rewrites_and_a_second_run_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ugly, pretty = tmp_path / "ugly.md", tmp_path / "pretty.md"
    ugly.write_text(UGLY)
    pretty.write_text(PRETTY)
    assert main(["fmt", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == (f"{ugly}\n", "1 file reformatted, 1 unchanged, 0 failed\n")
    assert ugly.read_text() == PRETTY
    assert pretty.read_text() == PRETTY
    assert main(["fmt", "--check", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "0 files would be reformatted, 2 unchanged, 0 failed\n")


def test_fmt_check_and_diff_write_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ugly.md"
    path.write_text(UGLY)
    assert main(["fmt", "--check", str(path)]) == 1
    assert capsys.readouterr().out == f"{path}\n"
    assert main(["fmt", "--diff", str(path)]) == 1
    diff = capsys.readouterr().out
    assert path.read_text() == UGLY
    name = os.path.relpath(path)
    assert diff.startswith(f"--- a/{name}\n+++ b/{name}\n@@ -1,7 +1,12 @@\n ---\n-title:   Hi\n")
    assert changed_lines(UGLY, PRETTY) == [line for line in diff.splitlines()[3:] if line[:1] in "+-"]


def test_fmt_keeps_bom_line_endings_and_body(tmp_path: Path) -> None:
    path = tmp_path / "crlf.md"
    path.write_bytes(("\ufeff" + UGLY.replace("Body\n", "Body\nline two\n")).replace("\n", "\r\n").encode())
    assert main(["fmt", str(path)]) == 0
    expected = "\ufeff" + PRETTY.replace("Body\n", "Body\nline two\n").replace("\n", "\r\n")
    assert path.read_bytes() == expected.encode()
    assert main(["fmt", "--check", str(path)]) == 0


def test_fmt_refuses_to_drop_comments_or_unknown_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    commented = tmp_path / "commented.md"
    commented.write_text(UGLY.replace("Hi\n", "Hi   # checked\n"))
    assert main(["fmt", str(commented)]) == 1
    assert "the front matter has comments" in capsys.readouterr().err
    assert "# checked" in commented.read_text()
    assert main(["fmt", "--drop-comments", str(commented)]) == 0
    assert commented.read_text() == PRETTY
    person = tmp_path / "person.md"
    text = "---\nage: 3\nname:   Ada\nnickname: A\n---\n"
    person.write_text(text)
    assert main(["fmt", "--schema", "tests.test_cli:Person", str(person)]) == 1
    assert "would drop keys the schema does not know (nickname)" in capsys.readouterr().err
    assert person.read_text() == text
    assert main(["fmt", "--schema", "none", str(person)]) == 0
    assert person.read_text() == "---\nage: 3\nname: Ada\nnickname: A\n---\n"


def test_a_tab_after_a_colon_is_not_a_comment(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tabbed = tmp_path / "tabbed.md"
    tabbed.write_text('---\ntitle:\t"T"\npublishedDateTime:\t2023-11-28T13:36:00Z\n---\n')
    assert main(["fmt", str(tabbed)]) == 0, capsys.readouterr().err
    assert tabbed.read_text() == GOOD
    commented = tmp_path / "commented.md"
    commented.write_text('---\ntitle:\t"T"\t# checked\npublishedDateTime: 2023-11-28T13:36:00Z\n---\n')
    assert main(["fmt", str(commented)]) == 1
    assert "the front matter has comments" in capsys.readouterr().err


def test_fmt_leaves_files_without_front_matter(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "plain.md"
    path.write_text("# Just Markdown\n")
    assert main(["fmt", "--schema", "none", str(path)]) == 0
    assert path.read_text() == "# Just Markdown\n"
    assert capsys.readouterr().err == "0 files reformatted, 1 unchanged, 0 failed\n"


def test_fmt_does_not_overwrite_a_file_changed_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsitem import _commands

    path = tmp_path / "ugly.md"
    path.write_text(UGLY)
    real = _commands.restyle

    def meanwhile(doc: Any) -> Any:
        path.write_text(UGLY + "someone else's line\n")
        return real(doc)

    monkeypatch.setattr(_commands, "restyle", meanwhile)
    outcome = _commands.fmt_file(newsitem.NewsItem, True, False, False, str(path))
    assert outcome.status == "failed"
    assert outcome.problems[0].error == "ConflictError"
    assert path.read_text() == UGLY + "someone else's line\n"


@pytest.mark.corpus
def test_fmt_over_the_corpus_is_idempotent_and_keeps_each_item(corpus: Path, tmp_path: Path) -> None:
    files = news_files()
    copies = []
    for i, path in enumerate(files):
        copy = tmp_path / f"{i:03d}-{path.name}"
        copy.write_bytes(path.read_bytes())
        copies.append(copy)
    first = run("fmt", "-j", "2", "--drop-comments", str(tmp_path))
    assert first.returncode == 0, first.stderr
    changed = len(first.stdout.splitlines())
    assert first.stderr == f"{changed} files reformatted, {len(files) - changed} unchanged, 0 failed\n"
    for original, copy in zip(files, copies, strict=True):
        assert newsitem.load(copy).item == newsitem.load(original).item, copy
        assert newsitem.load(copy).body == newsitem.load(original).body
    second = run("fmt", "--check", str(tmp_path))
    assert (second.returncode, second.stdout) == (0, "")
    assert second.stderr == f"0 files would be reformatted, {len(files)} unchanged, 0 failed\n"


# -- export and new ---------------------------------------------------------------------


def test_export_json_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = items(tmp_path, 2)
    assert main(["export", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["provider"]["name"] for r in records] == ["Example Net 0", "Example Net 1"]
    first = records[0]
    assert list(first)[:4] == ["category", "title", "excerpt", "publishedDateTime"]
    assert first["publishedDateTime"] == "2024-03-05T17:40:00Z"
    assert first["related"][0]["publishedDateTime"] == "2024-01-18T08:00:00Z"
    assert first["provider"]["images"] == [
        {"url": "https://example.net/logo-50x50.png", "width": 50, "height": 50}
    ]
    assert "_path" not in first and "_body" not in first
    assert main(["export", "--format", "json", "--with-path", "--with-body", str(paths[1])]) == 0
    (record,) = json.loads(capsys.readouterr().out)
    assert (record["_path"], record["_body"]) == (str(paths[1]), "")
    assert next(iter(record)) == "_path"


def test_export_reports_bad_files_and_exports_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items(tmp_path, 3, bad=(1,))
    (tmp_path / "nan.md").write_text("---\nx: .nan\n---\n")
    assert main(["export", "--format", "json", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert len(json.loads(captured.out)) == 2
    assert captured.err.splitlines()[-1] == "exported 2 items; 2 files failed"
    assert main(["export", "--schema", "none", str(tmp_path / "nan.md")]) == 1
    assert "cannot export as JSON: JSON cannot hold the number nan" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    with pytest.raises(SystemExit) as stop:  # no files at all: a usage error, as for every command
        main(["export", "--format", "json", str(tmp_path / "empty")])
    assert stop.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "no files to work on in" in captured.err


def test_new_from_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = {
        "title": "Library opens late",
        "publishedDateTime": "2024-03-05T17:40:00Z",
        "provider": {"name": "Example Net"},
        "topics": ["Libraries"],
        "category": "news",
        "_path": "ignored.md",
        "_body": "Body.\n",
    }
    source = tmp_path / "item.json"
    source.write_text(json.dumps(data))
    assert main(["new", "--from-json", str(source)]) == 0
    text = capsys.readouterr().out
    assert text == (
        '---\ncategory: news\ntitle: "Library opens late"\npublishedDateTime: 2024-03-05T17:40:00Z\n\n'
        "provider:\n  name: Example Net\n\ntopics:\n  - Libraries\n---\nBody.\n"
    )
    out = tmp_path / "_news" / "new.md"
    out.parent.mkdir()
    assert main(["new", "--from-json", str(source), "-o", str(out)]) == 0
    assert out.read_text() == text
    out.write_text("mine")
    assert main(["new", "--from-json", str(source), "-o", str(out)]) == 1
    assert "exists; nothing was written (use --force to overwrite)" in capsys.readouterr().err
    assert out.read_text() == "mine"
    assert main(["new", "--from-json", str(source), "-o", str(out), "--force"]) == 0
    assert out.read_text() == text
    for data_name in ("item.yaml", "item.JSON", "item.toml"):  # read back bare: refused, not written
        with pytest.raises(SystemExit) as stop:
            main(["new", "--from-json", str(source), "-o", str(tmp_path / data_name)])
        assert stop.value.code == 2 and not (tmp_path / data_name).exists()
        assert "is read as a bare data file; name it .md" in capsys.readouterr().err


def test_new_into_a_folder_that_does_not_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "item.json"
    source.write_text('{"title": "T", "publishedDateTime": "2024-01-01T00:00:00Z"}')
    missing = tmp_path / "missing" / "x.md"
    assert main(["new", "--from-json", str(source), "-o", str(missing)]) == 1
    assert capsys.readouterr().err.startswith(f"{missing}:0:0: (file): [Errno 2] No such file or directory")
    assert not missing.parent.exists()
    folder = tmp_path / "new"  # a trailing / names a folder (created), as for several items
    assert main(["new", "--from-json", str(source), "-o", f"{folder}/"]) == 0
    assert [p.name for p in folder.iterdir()] == ["2024-01-01-t.md"]


def test_new_into_a_folder_that_cannot_be_made(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "items.json"
    source.write_text('[{"title": "A"}, {"title": "B"}]')
    (tmp_path / "file").write_text("mine")
    for out in (tmp_path / "file", tmp_path / "file" / "sub"):
        assert main(["new", "--schema", "none", "--from-json", str(source), "-o", str(out)]) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"newsitem: error: cannot make the folder {out}: "), err
    assert (tmp_path / "file").read_text() == "mine"


def test_new_from_stdin_and_bad_input(tmp_path: Path) -> None:
    done = run("new", "--from-json", "-", stdin='{"title": "T", "publishedDateTime": "2024-01-01T00:00:00Z"}')
    assert (done.returncode, done.stdout) == (
        0,
        '---\ntitle: "T"\npublishedDateTime: 2024-01-01T00:00:00Z\n---\n',
    )
    done = run("new", "--from-json", "-", stdin='{"title": 5, "quality": "x"}')
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "<stdin>:0:0: title: expected a string, got an integer 5",
        "<stdin>:0:0: published_date_time: required field is missing",
        "<stdin>:0:0: quality: expected an integer, got a string 'x'",
    ]
    done = run("new", "--from-json", "-", "-o", str(tmp_path), stdin="[1, 2]")
    assert (done.returncode, done.stderr) == (
        1,
        "<stdin>[0]:0:0: (front matter): expected a JSON object, got int\n"
        "<stdin>[1]:0:0: (front matter): expected a JSON object, got int\n"
        "newsitem: error: nothing was written\n",
    )
    done = run("new", "--from-json", "-", stdin="[1, 2]")
    assert done.returncode == 2
    assert "holds 2 items: give a folder to write them to with -o DIR" in done.stderr
    done = run("new", "--from-json", "-", stdin="{oops")
    assert done.returncode == 1
    assert done.stderr.startswith("newsitem: error: <stdin> is not JSON: Expecting property name")
    done = run("new", "--from-json", str(tmp_path / "missing.json"))
    assert (done.returncode, done.stderr) == (
        1,
        f"newsitem: error: cannot read {tmp_path / 'missing.json'}: No such file or directory\n",
    )
    assert "Traceback" not in done.stderr


@pytest.mark.corpus
def test_export_then_new_gives_every_corpus_item_back(corpus: Path, tmp_path: Path) -> None:
    files = news_files()
    done = run("export", "-j", "2", "--with-body", *map(str, files))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == len(files)
    for path, line in zip(files, lines, strict=True):
        source = tmp_path / "item.json"
        source.write_text(line)
        out = tmp_path / "item.md"
        assert main(["new", "--from-json", str(source), "-o", str(out), "--force"]) == 0
        original, copy = newsitem.load(path), newsitem.load(out)
        assert copy.item == original.item, path
        assert copy.body == original.body


# -- schema -----------------------------------------------------------------------------


def test_schema_prints_the_generated_schema(capsys: pytest.CaptureFixture[str]) -> None:
    from newsitem._jsonschema import json_schema

    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == json_schema(newsitem.NewsItem)
    assert main(["schema", "--schema", "tests.test_cli:Person"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["required"] == ["name"]
    assert schema["properties"] == {"name": {"type": "string"}, "age": {"type": ["integer", "null"]}}


# -- the real entry points, every command -----------------------------------------------


@pytest.mark.parametrize(
    "command", [[sys.executable, "-m", "newsitem"], [str(Path(sys.executable).parent / "newsitem")]]
)
def test_every_command_through_the_entry_points(command: list[str], tmp_path: Path) -> None:
    if not Path(command[0]).exists():
        pytest.skip("the newsitem script is not installed next to this interpreter")
    path = tmp_path / "a.md"
    path.write_text(UGLY)

    def call(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*command, *args], capture_output=True, text=True, input=stdin, check=False)

    assert call("check", str(path)).returncode == 0
    assert call("get", str(path), "topics[1]").stdout == "b\n"
    assert call("set", "quality", "9", str(path)).returncode == 0
    assert call("fmt", "--check", str(path)).returncode == 1
    assert call("fmt", str(path)).returncode == 0
    assert path.read_text() == PRETTY.replace("Z\n\n", "Z\nquality: 9\n\n", 1)
    exported = call("export", "--with-body", str(path)).stdout
    assert json.loads(exported)["quality"] == 9
    assert call("new", "--from-json", "-", stdin=exported).stdout == path.read_text()
    assert json.loads(call("schema").stdout)["title"] == "NewsItem"


def test_a_closed_pipe_is_not_a_traceback(tmp_path: Path) -> None:
    items(tmp_path, 300)
    done = subprocess.run(
        f"{shlex.quote(sys.executable)} -m newsitem export {shlex.quote(str(tmp_path))} | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert json.loads(done.stdout)["provider"]["name"] == "Example Net 0"
    assert done.stderr == ""


# -- pre-commit -------------------------------------------------------------------------


def test_pre_commit_hooks_are_declared() -> None:
    yaml = pytest.importorskip("yaml")
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"newsitem-check", "newsitem-fmt"}
    assert hooks["newsitem-check"]["entry"].startswith("newsitem check")
    assert hooks["newsitem-fmt"]["entry"].startswith("newsitem fmt")
    pattern = re.compile(hooks["newsitem-check"]["files"])
    assert pattern.search("_news/2024-01-01-a.md") and pattern.search("site/_archive/_news/x.html")
    assert not pattern.search("README.md") and not pattern.search("_people/ada.md")
    assert all(h["language"] == "python" for h in hooks.values())


@pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")
def test_pre_commit_try_repo(tmp_path: Path) -> None:
    """The hooks as pre-commit runs them: it builds a virtualenv and pip-installs this tree (needs PyPI)."""
    pre_commit = str(Path(sys.executable).parent / "pre-commit")
    if not Path(pre_commit).exists():
        pytest.skip("pre-commit is not installed next to this interpreter (pip install pre-commit)")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    # The hooks repository: this working tree as it is, committed in a scratch copy.
    hooks = tmp_path / "hooks"
    shutil.copytree(
        ROOT,
        hooks,
        ignore=shutil.ignore_patterns(".git", ".venv", "*_cache", ".hypothesis", "dist", "_build"),
    )
    subprocess.run([*git, "init", "-q", "."], cwd=hooks, check=True)
    subprocess.run([*git, "add", "-A"], cwd=hooks, check=True)
    subprocess.run([*git, "commit", "-qm", "hooks"], cwd=hooks, check=True)
    # A site with one good item, one bad one, and one in need of formatting.
    site = tmp_path / "site"
    (site / "_news").mkdir(parents=True)
    (site / "README.md").write_text("# not an item\n")
    (site / "_news" / "good.md").write_text(PRETTY)
    (site / "_news" / "bad.md").write_text("---\ntitle: 1\npublishedDateTime: 2024-01-01T00:00:00Z\n---\n")
    subprocess.run([*git, "init", "-q", "."], cwd=site, check=True)
    subprocess.run([*git, "add", "-A"], cwd=site, check=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}

    def try_repo(hook: str, *files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [pre_commit, "try-repo", str(hooks), hook, "--files", *files],
            cwd=site,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )

    done = try_repo("newsitem-check", "README.md", "_news/good.md", "_news/bad.md")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "_news/bad.md:2:8: title: expected a string, got an integer 1" in done.stdout
    assert "checked 2 files: 1 ok, 1 with problems (1 problem)" in done.stdout
    assert try_repo("newsitem-check", "README.md", "_news/good.md").returncode == 0
    (site / "_news" / "ugly.md").write_text(UGLY)
    subprocess.run(
        [*git, "add", "_news/ugly.md"], cwd=site, check=True
    )  # pre-commit sees changes to tracked files
    done = try_repo("newsitem-fmt", "_news/good.md", "_news/ugly.md")
    assert done.returncode == 1  # pre-commit fails a hook that changed files
    assert "files were modified by this hook" in done.stdout
    assert (site / "_news" / "ugly.md").read_text() == PRETTY
    assert try_repo("newsitem-fmt", "_news/good.md", "_news/ugly.md").returncode == 0


# -- lists: add and remove; unset --------------------------------------------------------


def test_add_appends_to_a_list_once_and_remove_takes_it_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = items(tmp_path, 2)
    before = paths[0].read_text()
    assert main(["add", "topics", "Night life", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [str(p) for p in paths]
    assert captured.err == "add topics: 2 files changed, 0 unchanged, 0 failed\n"
    assert changed_lines(before, paths[0].read_text()) == ["+  - Night life"]
    assert main(["add", "topics", "Night life", str(tmp_path)]) == 0  # already there: unchanged
    assert capsys.readouterr().err == "add topics: 0 files changed, 2 unchanged, 0 failed\n"
    assert main(["remove", "topics", "Night life", str(paths[0])]) == 0
    assert paths[0].read_text() == before
    assert main(["remove", "topics", "Night life", str(paths[0])]) == 0  # not there: unchanged
    assert paths[0].read_text() == before
    # An absent list is created; a list of objects takes JSON; a value of the wrong type is refused.
    assert main(["add", "tags", "city", str(paths[0])]) == 0
    assert newsitem.load(paths[0]).item.tags == ["city"]
    assert main(["add", "images", '{"url": "https://example.net/x.png"}', str(paths[0])]) == 0
    assert newsitem.load(paths[0]).item.images[-1] == newsitem.Image(url="https://example.net/x.png")
    with pytest.raises(SystemExit) as info:
        main(["add", "title", "x", str(paths[0])])
    assert info.value.code == 2
    assert "title is not a list" in capsys.readouterr().err


def test_add_dry_run_prints_a_diff_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (path,) = items(tmp_path, 1)
    before = path.read_text()
    assert main(["add", "--dry-run", "topics", "Books", str(path)]) == 0
    assert path.read_text() == before
    diff = capsys.readouterr().out
    assert "+  - Books\n" in diff and diff.startswith(f"--- a/{os.path.relpath(path)}\n")


def test_add_and_remove_untyped_lists(tmp_path: Path) -> None:
    path = tmp_path / "data.md"
    path.write_text("---\nname: Ada\nscores: [1, 2]\n---\n")
    assert main(["add", "--schema", "none", "scores", "3", str(path)]) == 0
    assert main(["remove", "--schema", "none", "scores", "1", str(path)]) == 0
    assert newsitem.load(path, schema=None).item["scores"] == [2, 3]
    assert main(["add", "--schema", "none", "name", "x", str(path)]) == 1  # not a list: this file fails


def test_unset_removes_a_field_and_refuses_a_required_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (path,) = items(tmp_path, 1)
    before = path.read_text()
    assert main(["unset", "ampWebUrl", str(path)]) == 0
    assert changed_lines(before, path.read_text()) == [
        '-ampWebUrl: "https://example.net/amp/library-late-hours"'
    ]
    assert main(["unset", "ampWebUrl", str(path)]) == 0  # already absent: unchanged
    assert capsys.readouterr().err.endswith("unset ampWebUrl: 0 files changed, 1 unchanged, 0 failed\n")
    assert main(["unset", "topics", str(path)]) == 0
    assert newsitem.load(path).item.topics == []
    assert main(["unset", "provider.images[0]", str(path)]) == 0
    assert newsitem.load(path).item.provider.images == []  # type: ignore[union-attr]
    assert main(["unset", "title", str(path)]) == 1
    assert "NewsItem requires 'title'; it cannot be removed" in capsys.readouterr().err


def test_unset_sets_a_required_nullable_field_to_null(tmp_path: Path) -> None:
    path = tmp_path / "n.md"
    path.write_text("---\nname: Ada\nnote: hi\n---\n")
    assert main(["unset", "--schema", "tests.test_cli:Noted", "note", str(path)]) == 0
    assert newsitem.load(path, schema=Noted).item.note is None
    untyped = tmp_path / "u.md"
    untyped.write_text("---\nname: Ada\nnote: hi\n---\n")
    assert main(["unset", "--schema", "none", "note", str(untyped)]) == 0
    assert untyped.read_text() == "---\nname: Ada\n---\n"


@attrs.define
class Noted:
    name: str
    note: str | None


def test_set_null_is_never_a_silent_removal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (path,) = items(tmp_path, 1)
    with pytest.raises(SystemExit) as info:
        main(["set", "related[0].quality", "null", str(path)])
    assert info.value.code == 2
    assert "use 'newsitem unset related[0].quality PATH...'" in capsys.readouterr().err
    assert main(["set", "excerpt", "null", str(path)]) == 0
    assert newsitem.load(path).item.excerpt == "null"


# -- standard input ----------------------------------------------------------------------


def test_dash_reads_standard_input(tmp_path: Path) -> None:
    done = run("check", "-", stdin=ITEM)
    assert (done.returncode, done.stdout) == (0, "checked 1 file: 1 ok, 0 with problems (0 problems)\n")
    done = run("check", "-", stdin="---\nquality: high\n---\n")
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == "-:2:1: title: required field is missing"
    done = run("check", "--stdin-filename", "_news/x.md", "-", stdin="no front matter\n")
    assert done.stdout.splitlines()[0] == "_news/x.md:1:1: (front matter): no front matter"
    done = run("get", "-", "provider.name", stdin=ITEM)
    assert (done.returncode, done.stdout) == (0, "Example Net\n")
    done = run("export", "--with-path", "-", stdin=ITEM)
    assert json.loads(done.stdout)["_path"] == "-"
    done = run("fmt", "-", stdin=UGLY)
    assert (done.returncode, done.stdout) == (0, PRETTY)
    done = run("fmt", "--check", "-", stdin=UGLY)
    assert (done.returncode, done.stdout) == (1, "")
    done = run("fmt", "--diff", "--stdin-filename", "_news/u.md", "-", stdin=UGLY)
    assert done.returncode == 1 and done.stdout.startswith("--- a/_news/u.md\n+++ b/_news/u.md\n")
    done = run("check", "-", "examples", stdin=ITEM)
    assert done.returncode == 2 and "cannot be given with other paths" in done.stderr


def test_standard_input_that_is_not_utf_8_is_a_problem_not_a_crash() -> None:
    for command in (["check", "-"], ["export", "-"], ["fmt", "-"], ["fmt", "--diff", "-"]):
        done = subprocess.run(
            [sys.executable, "-m", "newsitem", *command],
            input=b'---\ntitle: "\xff"\n---\n',
            capture_output=True,
            cwd=ROOT,
            check=False,
        )
        assert done.returncode == 1, command
        assert b"-:2:9: (front matter): invalid UTF-8 at byte offset 12" in done.stdout + done.stderr
        assert b"Traceback" not in done.stderr


@pytest.mark.parametrize("name", [".", "..", "_news/..", "/"])
def test_stdin_filename_naming_a_folder_is_not_a_crash(name: str) -> None:
    done = run("check", "--stdin-filename", name, "-", stdin=ITEM)
    assert (done.returncode, done.stderr) == (0, "")
    done = run("fmt", "--stdin-filename", name, "-", stdin=UGLY)
    assert (done.returncode, done.stdout, done.stderr) == (0, PRETTY, "")


# -- diffs that git apply accepts ---------------------------------------------------------


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_dry_run_and_fmt_diff_are_patches_git_applies(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "_news").mkdir(parents=True)
    (repo / "_news" / "a.md").write_text(ITEM)
    (repo / "_news" / "b.md").write_text(UGLY)
    (repo / "c.md").write_text(ITEM.rstrip("\n"))  # no final newline
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "items"], cwd=repo, check=True)

    def patch(*args: str, cwd: Path) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "newsitem", *args], cwd=cwd, capture_output=True, text=True, check=False
        )
        assert done.stdout, done.stderr
        return done.stdout

    for diff in [
        patch("set", "--dry-run", "quality", "70", "./_news/a.md", "c.md", cwd=repo),
        patch("add", "--dry-run", "topics", "Books", "_news", cwd=repo),
        patch("fmt", "--diff", "./_news", cwd=repo),
        patch("unset", "--dry-run", "excerpt", str(repo), cwd=repo),
        patch("set", "--dry-run", "quality", "70", "repo/_news/a.md", cwd=tmp_path),  # from above: a/repo/...
    ]:
        assert "a/./" not in diff and "a//" not in diff
        (tmp_path / "change.diff").write_text(diff)
        where = tmp_path if "a/repo/" in diff else repo
        args = ["git", "apply", "--check", "-v", str(tmp_path / "change.diff")]
        if where == tmp_path:
            args[2:2] = ["--directory=repo"]
            args = ["git", "apply", "-p2", "--check", str(tmp_path / "change.diff")]
            where = repo
        done = subprocess.run(args, cwd=where, capture_output=True, text=True, check=False)
        assert done.returncode == 0, diff + done.stderr
    diff = patch("set", "--dry-run", "quality", "70", "_news/a.md", cwd=repo)
    (tmp_path / "change.diff").write_text(diff)
    subprocess.run(["git", "apply", str(tmp_path / "change.diff")], cwd=repo, check=True)
    assert newsitem.load(repo / "_news" / "a.md").item.quality == 70


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize(
    "name", ["tab\tx.md", "new\nline.md", 'q"uote\tx.md', "back\\slash\r.md", "plain ü.md"]
)
def test_dry_run_diffs_of_files_with_odd_names_are_patches_git_applies(tmp_path: Path, name: str) -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / name).write_text(ITEM)
    subprocess.run([*git, "add", "."], cwd=tmp_path, check=True)
    done = subprocess.run(
        [sys.executable, "-m", "newsitem", "set", "--dry-run", "quality", "70", "."],
        cwd=tmp_path,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    subprocess.run(["git", "apply", "-"], cwd=tmp_path, input=done.stdout, check=True)
    assert newsitem.load(tmp_path / name).item.quality == 70


# -- new from many records ------------------------------------------------------------------


def test_new_writes_one_file_per_record_of_an_array_or_json_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = [
        {"title": "Library opens late!", "publishedDateTime": "2024-03-05T17:40:00Z", "_body": "B1\n"},
        {"title": "Night buses return", "publishedDateTime": "2024-03-08T22:00:00Z"},
    ]
    lines = tmp_path / "items.jsonl"
    lines.write_text("".join(json.dumps(r) + "\n" for r in records))
    out = tmp_path / "_news"
    assert main(["new", "--from-json", str(lines), "-o", str(out)]) == 0
    names = ["2024-03-05-library-opens-late.md", "2024-03-08-night-buses-return.md"]
    assert capsys.readouterr().out.splitlines() == [str(out / n) for n in names]
    assert sorted(p.name for p in out.iterdir()) == names
    assert newsitem.load(out / names[0]).body == "B1\n"
    # Refuses to overwrite: nothing is written, whatever exists.
    array = tmp_path / "items.json"
    array.write_text(json.dumps([*records, {"title": "New", "publishedDateTime": "2024-03-09T00:00:00Z"}]))
    assert main(["new", "--from-json", str(array), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{out / names[0]} exists; nothing was written" in err
    assert not (out / "2024-03-09-new.md").exists()
    # What export writes comes back.
    assert main(["export", str(out)]) == 0
    exported = tmp_path / "export.jsonl"
    exported.write_text(capsys.readouterr().out)
    again = tmp_path / "again"
    assert main(["new", "--from-json", str(exported), "-o", str(again)]) == 0
    assert sorted(p.name for p in again.iterdir()) == names
    # Two records that would get one name are refused.
    array.write_text(json.dumps([records[1], records[1]]))
    assert main(["new", "--from-json", str(array), "-o", str(tmp_path / "dup")]) == 1
    assert "2 items would be written to" in capsys.readouterr().err


# -- -j auto, GitHub annotations -----------------------------------------------------------


def test_jobs_auto_works_in_one_process_for_small_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsitem import _batch

    names = [f"f{i}" for i in range(CHUNK * 3)]
    me = os.getpid()
    assert {pid for _, pid in _batch.map_files(_pid, names, jobs="auto")} == {me}
    monkeypatch.setattr(_batch, "AUTO_MIN_FILES", CHUNK * 2)
    pids = {pid for _, pid in _batch.map_files(_pid, names, jobs="auto")}
    assert me not in pids
    assert [r for r, _ in _batch.map_files(_pid, names, jobs="auto")] == names  # order kept


def _pid(path: str) -> int:
    return os.getpid()


def test_check_github_annotations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.md").write_text('---\ntitle: "a, b: c"\nquality: "50%"\n---\n')
    (tmp_path / "broken.md").write_text('---\ntitle: "open\n---\n')
    assert main(["check", "--format", "github", str(tmp_path)]) == 1
    name = os.path.relpath(tmp_path).replace(":", "%3A").replace(",", "%2C")
    assert capsys.readouterr().out.splitlines() == [
        f"::error file={name}/bad.md,line=2,col=1,title=newsitem (published_date_time)"
        "::published_date_time: required field is missing",
        f"::error file={name}/bad.md,line=3,col=10,title=newsitem (quality)"
        "::quality: expected an integer, got a string '50%25'",
        f"::error file={name}/broken.md,line=2,col=8,title=newsitem (front matter)"
        "::while scanning a quoted scalar found unexpected end of stream",
        "checked 2 files: 0 ok, 2 with problems (3 problems)",
    ]


def test_set_null_in_untyped_data_and_extras_writes_the_word(tmp_path: Path) -> None:
    path = tmp_path / "item.md"
    path.write_text(ITEM.replace("type: article\n", "type: article\nmood: calm\n", 1))
    assert main(["set", "mood", "null", str(path)]) == 0  # an extras key of a news item
    assert newsitem.load(path).item.extras["mood"] == "null"
    data = tmp_path / "data.md"
    data.write_text("---\nname: Ada\n---\n")
    assert main(["set", "--schema", "none", "name", "null", str(data)]) == 0
    assert newsitem.load(data, schema=None).item == {"name": "null"}


def test_set_untyped_nan_and_infinity_are_words_not_json(tmp_path: Path) -> None:
    """Python's json reads NaN and Infinity, which JSON does not have: they were written .nan and .inf."""
    path = tmp_path / "item.md"
    path.write_text(ITEM)
    for word in ("NaN", "Infinity", "-Infinity"):
        assert main(["set", "--", "mood", word, str(path)]) == 0
        assert newsitem.load(path).item.extras["mood"] == word
    assert main(["set", "mood", '["NaN", 1.5]', str(path)]) == 0
    assert newsitem.load(path).item.extras["mood"] == ["NaN", 1.5]
    assert main(["set", "mood", "[NaN]", str(path)]) == 0
    assert newsitem.load(path).item.extras["mood"] == "[NaN]"
    assert main(["set", "mood", "1e400", str(path)]) == 0  # beyond a float: the text, not inf
    assert newsitem.load(path).item.extras["mood"] == "1e400"


def test_new_from_json_reads_strict_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """NaN in the input became .nan; a pretty-printed array with an error was blamed on line 1."""
    source = tmp_path / "items.json"
    source.write_text('[\n {"title": "A", "publishedDateTime": "2024-01-01T00:00:00Z", "quality": NaN}\n]\n')
    assert main(["new", "--from-json", str(source)]) == 1
    assert "is not JSON: NaN is not JSON" in capsys.readouterr().err
    source.write_text('[\n {"title": "A"\n]\n')
    assert main(["new", "--from-json", str(source)]) == 1
    assert "Expecting ',' delimiter: line 3" in capsys.readouterr().err


def test_get_from_stdin_refuses_a_path_the_schema_cannot_have() -> None:
    done = run("get", "-", "title[0]", stdin=ITEM)
    assert done.returncode == 2 and "title is not a list" in done.stderr


def test_parser_for_one_command_matches_the_full_parser() -> None:
    """main() sets up only the command it runs: the names it knows are the full parser's,
    and each command's own parser takes the same options as in the full one."""
    import argparse

    from newsitem import _cli

    def commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
        (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        return dict(sub.choices)

    full = commands(_cli._parser())
    assert set(full) == _cli._COMMANDS
    for name, parser in full.items():
        alone = commands(_cli._parser(name))
        assert name in alone and len(alone) <= 2  # add and remove are set up together
        assert alone[name].format_help() == parser.format_help()


@pytest.mark.parametrize(
    "argv", [["get", "--exclude", "x.md", "x.md", "title"], ["new", "--exclude", "x", "--from-json", "-"]]
)
def test_commands_that_name_their_files_take_no_exclude(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """get and new accepted --exclude and did nothing with it."""
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2 and "unrecognized arguments: --exclude" in capsys.readouterr().err


def test_check_prints_each_problem_on_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A key with a line break in it broke the one-line-per-problem output of check."""

    @attrs.define
    class Counts:
        counts: dict[str, int]

    path = tmp_path / "a\nb.md"
    path.write_text('---\ncounts: {"x\\ny": many}\n---\n')
    doc_error = pytest.raises(newsitem.ValidationError)
    with doc_error:
        newsitem.load(path, schema=Counts)
    from newsitem._cli import _Output
    from newsitem._commands import problems_of

    out = _Output(sys.stdout, sys.stderr)
    for p in problems_of(doc_error.excinfo.value):
        out.problem("a\nb.md", p)
    assert (
        capsys.readouterr().out == "a\\nb.md:2:18: counts.x\\ny: expected an integer, got a string 'many'\n"
    )
