"""Site configuration: newsitem.toml and [tool.newsitem], globs, schemas per file,
excludes, files without front matter, and load_many with a configuration."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import newsitem
from newsitem.__main__ import main
from newsitem._config import Config, Target, glob_regex, resolve_schema, select

from .conftest import CORPUS

ROOT = Path(__file__).resolve().parents[1]
GOOD = '---\ntitle: "T"\npublishedDateTime: 2023-11-28T13:36:00Z\n---\n'
PERSON = "---\nname: Ada\nage: 36\n---\n"
SCHEMAS = """\
import attrs

@attrs.define
class Person:
    name: str
    age: int | None = None
"""
CONFIG = """\
exclude = ["README.md", "vendor/**"]

[schemas]
"_news/**/*.md" = "news"
"_people/*.md" = "mysite.schemas:Person"
"**/*.md" = "none"
"""


def site(root: Path, config: str = CONFIG) -> Path:
    """A small site: news, people, a page without front matter, excluded files."""
    (root / "mysite").mkdir(parents=True)
    (root / "mysite" / "__init__.py").write_text("")
    (root / "mysite" / "schemas.py").write_text(SCHEMAS)
    for rel, text in {
        "_news/2024/2024-03-05-a.md": GOOD,
        "_news/2024-03-06-b.md": GOOD.replace('"T"', '"B"'),
        "_people/ada.md": PERSON,
        "about.md": "---\nlayout: page\n---\nAbout us.\n",
        "notes.md": "Notes, no front matter.\n",
        "README.md": "# The site\n",
        "vendor/lib/x.md": "---\n: broken\n",
    }.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (root / "newsitem.toml").write_text(config)
    return root


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("_news/**/*.md", "_news/a.md", True),
        ("_news/**/*.md", "_news/2024/03/a.md", True),
        ("_news/**/*.md", "other/_news/a.md", False),
        ("_news/**", "_news/x/y.html", True),
        ("_people/*.md", "_people/ada.md", True),
        ("_people/*.md", "_people/x/ada.md", False),
        ("**/*.md", "a.md", True),
        ("**/*.md", "a/b/c.md", True),
        ("**/*.md", "a/b/c.html", False),
        ("README.md", "README.md", True),
        ("README.md", "docs/README.md", True),  # no slash: any depth, as in .gitignore
        ("/README.md", "docs/README.md", False),  # a leading slash anchors it
        ("vendor/**", "vendor/lib/x.md", True),
        ("*.md", "a/b.md", True),
        ("2024-0?-*.md", "2024-03-x.md", True),
        ("[ab].md", "b.md", True),
        ("[!ab].md", "b.md", False),
        ("a**b.md", "axxb.md", True),
        ("a.md", "a-md", False),
    ],
)
def test_globs_match_as_gitignore_does(pattern: str, path: str, matches: bool) -> None:
    assert bool(glob_regex(pattern).match(path)) is matches


def test_first_matching_pattern_wins_and_unmatched_files_are_news(tmp_path: Path) -> None:
    cfg = Config.from_mapping(
        {"schemas": {"_people/*.md": "none", "_people/**": "news", "*.html": "none"}}, root=tmp_path
    )
    assert cfg.schema_spec(tmp_path / "_people" / "a.md") == "none"
    assert cfg.schema_spec(tmp_path / "_people" / "x" / "a.md") == "news"
    assert cfg.schema_spec(tmp_path / "page.md") == "news"
    assert cfg.schema_spec(tmp_path.parent / "elsewhere.html") == "news"  # outside the site
    assert cfg.with_schema("none").schema_spec(tmp_path.parent / "elsewhere.html") == "none"


def test_excluding_a_folder_excludes_what_is_in_it(tmp_path: Path) -> None:
    cfg = Config.from_mapping({"exclude": ["vendor", "_drafts/"]}, root=tmp_path)
    assert cfg.is_excluded(tmp_path / "vendor" / "a" / "b.md")
    assert cfg.is_excluded(tmp_path / "x" / "_drafts" / "b.md")
    assert not cfg.is_excluded(tmp_path / "vendors.md")


def test_newsitem_toml_and_pyproject_are_found_walking_up(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text('[tool.newsitem]\nexclude = ["x.md"]\n')
    (tmp_path / "a" / "pyproject.toml").write_text("[project]\nname = 'not-newsitem'\n")  # no table: skipped
    found = newsitem.Config.find(deep)
    assert (found.path, found.root, found.exclude) == (
        str(tmp_path / "pyproject.toml"),
        str(tmp_path),
        ("x.md",),
    )
    (tmp_path / "newsitem.toml").write_text('exclude = ["y.md"]\n')  # beats pyproject.toml beside it
    assert newsitem.load_config(deep).exclude == ("y.md",)
    assert newsitem.load_config(tmp_path / "pyproject.toml").exclude == ("x.md",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("exclud = []\n", "unknown key 'exclud' (known: schemas, exclude, require-front-matter)"),
        ("exclude = 3\n", "exclude: expected a list of globs, got 3"),
        ('[schemas]\n"*.md" = "Person"\n', "expected 'news', 'none' or 'module:Class', got 'Person'"),
        ("schemas = [1]\n", "schemas: expected a table of glob = schema"),
        ("exclude = [\n", "not valid TOML"),
        (b'exclude = ["\xff"]\n', "not valid TOML"),
        ('exclude = ["[z-a].md"]\n', "exclude: not a glob: '[z-a].md' (bad character range z-a"),
    ],
)
def test_a_bad_configuration_says_what_is_wrong(tmp_path: Path, text: str | bytes, message: str) -> None:
    if isinstance(text, bytes):
        (tmp_path / "newsitem.toml").write_bytes(text)
    else:
        (tmp_path / "newsitem.toml").write_text(text)
    with pytest.raises(newsitem.ConfigError) as info:
        newsitem.Config.find(tmp_path)
    assert message in str(info.value)
    assert str(info.value).startswith(str(tmp_path / "newsitem.toml") + ": ")
    with pytest.raises(SystemExit) as exit_info:
        main(["check", str(tmp_path)])
    assert exit_info.value.code == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('tool = "newsitem"\n', None),  # no [tool] table: passed over
        ('tool = ["newsitem"]\n', None),
        ("[tool]\nnewsitem = 3\n", "[tool.newsitem]: expected a table, got 3"),
        ('[tool]\nnewsitem = ["exclude"]\n', "[tool.newsitem]: expected a table, got ['exclude']"),
    ],
)
def test_a_pyproject_without_a_newsitem_table_is_passed_over_or_said_to_be_wrong(
    tmp_path: Path, text: str, message: str | None
) -> None:
    (tmp_path / "pyproject.toml").write_text(text)
    (tmp_path / "a.md").write_text(GOOD)
    if message is None:
        assert newsitem.Config.find(tmp_path).path is None
        assert main(["check", str(tmp_path)]) == 0
        return
    with pytest.raises(newsitem.ConfigError) as info:
        newsitem.Config.find(tmp_path)
    assert str(info.value) == f"{tmp_path / 'pyproject.toml'}: {message}"
    with pytest.raises(SystemExit) as exit_info:
        main(["check", str(tmp_path)])
    assert exit_info.value.code == 2


def test_a_pyproject_that_is_not_toml_is_the_configuration_if_it_names_the_table(tmp_path: Path) -> None:
    (tmp_path / "ada.md").write_text(PERSON)
    (tmp_path / "pyproject.toml").write_text('[project\nname = "x"\n')  # not ours: passed over
    assert newsitem.Config.find(tmp_path).path is None
    (tmp_path / "pyproject.toml").write_text('[tool.newsitem]\nschemas = { "*.md" = "none"\n')
    with pytest.raises(newsitem.ConfigError, match="not valid TOML"):
        newsitem.Config.find(tmp_path)
    done = cli("check", ".", cwd=tmp_path)
    assert done.returncode == 2 and "pyproject.toml: not valid TOML" in done.stderr


def test_a_bad_glob_on_the_command_line_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(GOOD)
    done = cli("check", "--exclude", "[z-a]", ".", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "not a glob: '[z-a]'" in done.stderr


def test_select_names_the_schema_of_each_file_and_skips_excluded_ones(tmp_path: Path) -> None:
    site(tmp_path)
    rows = [
        (Path(s.path).relative_to(tmp_path).as_posix(), s.schema if isinstance(s, Target) else s.reason)
        for s in select([tmp_path])
    ]
    assert rows == [
        ("README.md", "excluded"),
        ("about.md", "none"),
        ("notes.md", "none"),
        ("_news/2024-03-06-b.md", "news"),
        ("_news/2024/2024-03-05-a.md", "news"),
        ("_people/ada.md", "mysite.schemas:Person"),
        ("vendor/lib/x.md", "excluded"),
    ]


def cli(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The installed ``newsitem`` command (or ``python -m newsitem``) run in *cwd*."""
    script = Path(sys.executable).parent / "newsitem"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "newsitem"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [*command, *args], cwd=cwd, capture_output=True, text=True, input=stdin, env=env, check=False
    )


def test_check_at_a_site_root_reports_only_real_problems(tmp_path: Path) -> None:
    site(tmp_path)
    done = cli("check", ".", cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        "checked 4 files: 4 ok, 0 with problems (0 problems); "
        "skipped 3: 1 without front matter, 2 excluded\n",
        "",
    )
    (tmp_path / "_people" / "bob.md").write_text("---\nname: Bob\nage: old\n---\n")
    (tmp_path / "_news" / "2024-03-07-c.md").write_text("Lost its front matter.\n")
    done = cli("check", ".", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [  # without require-front-matter, c.md is not an item
        "./_people/bob.md:3:6: age: expected an integer, got a string 'old'",
        "checked 5 files: 4 ok, 1 with problems (1 problem); skipped 4: 2 without front matter, 2 excluded",
    ]


def test_files_without_front_matter_are_skipped_unless_required_or_named(tmp_path: Path) -> None:
    site(tmp_path, CONFIG.replace("[schemas]", '[schemas]\n"notes.md" = "news"'))
    done = cli("check", ".", cwd=tmp_path)
    assert done.stdout.splitlines()[-1] == (
        "checked 4 files: 4 ok, 0 with problems (0 problems); skipped 3: 1 without front matter, 2 excluded"
    )
    done = cli("check", "notes.md", cwd=tmp_path)  # named directly: it must have front matter
    assert (done.returncode, done.stdout.splitlines()[0]) == (
        1,
        "notes.md:1:1: (front matter): no front matter",
    )
    (tmp_path / "newsitem.toml").write_text(
        CONFIG.replace("[schemas]", 'require-front-matter = ["*.md"]\n[schemas]')
    )
    done = cli("check", ".", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == "./notes.md:1:1: (front matter): no front matter"


def test_an_empty_selection_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    done = cli("check", "empty", cwd=tmp_path)
    assert done.returncode == 2
    assert "no files to work on in empty" in done.stderr
    site(tmp_path / "s")
    done = cli("check", "README.md", cwd=tmp_path / "s")  # found, but excluded: nothing wrong
    assert (done.returncode, done.stdout) == (
        0,
        "checked 0 files: 0 ok, 0 with problems (0 problems); skipped 1: 1 excluded\n",
    )


def test_command_line_options_override_the_configuration(tmp_path: Path) -> None:
    site(tmp_path)
    done = cli("check", "--schema", "news", "_people", cwd=tmp_path)
    assert "_people/ada.md:2:1: title: required field is missing" in done.stdout
    done = cli("check", "--exclude", "vendor/**", ".", cwd=tmp_path)  # README.md is no longer excluded
    assert done.stdout.endswith("skipped 3: 2 without front matter, 1 excluded\n")
    done = cli("check", "--no-config", "_people", cwd=tmp_path)
    assert "title: required field is missing" in done.stdout
    other = tmp_path / "other.toml"
    other.write_text('[schemas]\n"**" = "none"\n')
    done = cli("check", "--config", str(other), "_people", cwd=tmp_path)
    assert done.returncode == 0
    done = cli("check", "--config", str(other), "--no-config", ".", cwd=tmp_path)
    assert done.returncode == 2 and "not allowed with argument" in done.stderr


@pytest.mark.parametrize(
    "command", [["fmt"], ["convert", "--to", "toml"], ["set", "quality", "5"], ["unset", "title"]]
)
def test_a_bad_configuration_found_deep_in_a_walk_writes_nothing(tmp_path: Path, command: list[str]) -> None:
    ugly = '---\ntitle:    "T"\npublishedDateTime: 2023-11-28T13:36:00Z\n---\n'
    (tmp_path / "a").mkdir()
    for i in range(40):  # more than one chunk of files before the bad configuration is found
        (tmp_path / "a" / f"{i:02d}.md").write_text(ugly)
    (tmp_path / "z").mkdir()
    (tmp_path / "z" / "newsitem.toml").write_text("exclud = 1\n")
    (tmp_path / "z" / "b.md").write_text(ugly)
    with pytest.raises(SystemExit) as info:
        main([*command, "-j", "1", str(tmp_path)])
    assert info.value.code == 2
    assert {p.read_text() for p in tmp_path.glob("*/*.md")} == {ugly}


def test_the_configuration_named_by_config_is_the_one_used(tmp_path: Path) -> None:
    (tmp_path / "newsitem.toml").write_text("")  # found by walking up: every file is a news item
    (tmp_path / "ada.md").write_text(PERSON)
    (tmp_path / "site.toml").write_text('[schemas]\n"**" = "none"\n')
    assert cli("check", "ada.md", cwd=tmp_path).returncode == 1
    done = cli("check", "--config", "site.toml", "ada.md", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    (tmp_path / "excluding.toml").write_text('exclude = ["ada.md"]\n')
    done = cli("check", "--config", "excluding.toml", ".", cwd=tmp_path)
    assert "skipped 1: 1 excluded" in done.stdout
    for missing in ("nope.toml", "."):  # not silently replaced by the one found by walking up
        done = cli("check", "--config", missing, "ada.md", cwd=tmp_path)
        assert done.returncode == 2 and "cannot read the configuration" in done.stderr, missing
        assert "Traceback" not in done.stderr


def test_schema_modules_are_imported_from_the_site_and_the_current_folder(tmp_path: Path) -> None:
    site(tmp_path)
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    elsewhere.mkdir()
    done = cli("check", str(tmp_path / "_people"), cwd=elsewhere)  # the configuration's folder is on the path
    assert done.returncode == 0, done.stderr
    shutil.copytree(tmp_path / "mysite", elsewhere / "mine")
    done = cli(
        "check", "--no-config", "--schema", "mine.schemas:Person", str(tmp_path / "_people"), cwd=elsewhere
    )
    assert done.returncode == 0, done.stderr
    done = cli(
        "check", "--no-config", "--schema", "nosuch.schemas:Person", str(tmp_path / "_people"), cwd=elsewhere
    )
    assert done.returncode == 2
    assert (
        "cannot import 'nosuch.schemas:Person': ModuleNotFoundError: No module named 'nosuch'" in done.stderr
    )
    assert f"(looked in {elsewhere} and the installed packages)" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_0_1_way_of_declaring_a_schema_keeps_working(tmp_path: Path) -> None:
    (tmp_path / "schemas.py").write_text(
        "import attrs\n\n@attrs.define(kw_only=True)\nclass Video:\n    title: str\n"
        '    extras: dict = attrs.field(factory=dict, metadata={"newsitem.extras": True})\n'
    )
    (tmp_path / "v.md").write_text("---\ntitle: Talk\nlength: 12 min\n---\n")
    done = cli("check", "--schema", "schemas:Video", "v.md", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert cli("get", "--schema", "schemas:Video", "v.md", "length", cwd=tmp_path).stdout == "12 min\n"


def test_load_many_uses_the_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    results = {Path(p).relative_to(tmp_path).as_posix(): r for p, r in newsitem.load_many([tmp_path])}
    assert sorted(results) == [
        "_news/2024-03-06-b.md",
        "_news/2024/2024-03-05-a.md",
        "_people/ada.md",
        "about.md",
    ]
    assert type(results["_people/ada.md"].item).__name__ == "Person"  # type: ignore[union-attr]
    assert results["about.md"].item == {"layout": "page"}  # type: ignore[union-attr]
    config = newsitem.Config.find(tmp_path)
    assert [p for p, _ in newsitem.load_many([tmp_path], config=config)] == [
        str(tmp_path / k)
        for k in ["about.md", "_news/2024-03-06-b.md", "_news/2024/2024-03-05-a.md", "_people/ada.md"]
    ]
    # schema= overrides the configuration's schemas (excludes still apply) ...
    untyped = dict(newsitem.load_many([tmp_path], schema=None))
    assert str(tmp_path / "README.md") not in untyped and len(untyped) == 4
    # ... and config=False is 0.1's behaviour: every file, one schema.
    plain = dict(newsitem.load_many([tmp_path], schema=None, config=False))
    assert len(plain) == 7 and isinstance(plain[str(tmp_path / "vendor/lib/x.md")], newsitem.ParseError)
    named = dict(newsitem.load_many([tmp_path / "notes.md"]))
    assert isinstance(named[str(tmp_path / "notes.md")], newsitem.NoFrontMatterError)


def test_load_many_in_workers_uses_the_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site(tmp_path)
    for i in range(40):
        (tmp_path / "_people" / f"p{i:02d}.md").write_text(PERSON.replace("Ada", f"P{i}"))
    serial = [(p, r.item) for p, r in newsitem.load_many([tmp_path])]  # type: ignore[union-attr]
    parallel = [(p, r.item) for p, r in newsitem.load_many([tmp_path], jobs=2)]  # type: ignore[union-attr]
    assert parallel == serial and len(serial) == 44


def test_a_schema_module_that_exits_when_imported_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "quitting.py").write_text("import sys\nsys.exit(3)\n")
    (tmp_path / "newsitem.toml").write_text('[schemas]\n"*.md" = "quitting:Person"\n')
    (tmp_path / "ada.md").write_text(PERSON)
    done = cli("check", ".", cwd=tmp_path)
    assert done.returncode == 2
    assert "cannot import 'quitting:Person': SystemExit: 3" in done.stderr


def test_resolve_schema_says_what_is_wrong() -> None:
    with pytest.raises(newsitem.ConfigError, match="'os:path' is not an attrs class"):
        resolve_schema("os:path")
    with pytest.raises(newsitem.ConfigError, match="expected 'news', 'none' or 'module:Class'"):
        resolve_schema("Person")


GUARDED = """\
import sys
import newsitem
if __name__ == "__main__":
    print("top level ran")
    n = sum(1 for _ in newsitem.load_many([sys.argv[1]], jobs=2))
    print("loaded", n)
"""


def test_load_many_with_workers_needs_the_main_guard(tmp_path: Path) -> None:
    folder = tmp_path / "items"
    folder.mkdir()
    for i in range(40):
        (folder / f"{i:02d}.md").write_text(GOOD)
    script = tmp_path / "guarded.py"
    script.write_text(GUARDED)
    done = subprocess.run(
        [sys.executable, str(script), str(folder)], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout) == (0, "top level ran\nloaded 40\n"), done.stderr
    # Without the guard: a clear error before any worker starts, and the script runs once.
    unguarded = tmp_path / "unguarded.py"
    unguarded.write_text(
        "import sys\nimport newsitem\nprint('top level ran')\n"
        "n = sum(1 for _ in newsitem.load_many([sys.argv[1]], jobs=2))\nprint('loaded', n)\n"
    )
    done = subprocess.run(
        [sys.executable, str(unguarded), str(folder)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert done.stdout == "top level ran\n"
    assert f"was called from the top level of {unguarded} (line 4)" in done.stderr
    assert 'if __name__ == "__main__":' in done.stderr
    # One process needs no guard.
    one = tmp_path / "one.py"
    one.write_text(unguarded.read_text().replace("jobs=2", "jobs=1"))
    done = subprocess.run(
        [sys.executable, str(one), str(folder)], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout) == (0, "top level ran\nloaded 40\n")


def test_a_schema_defined_in_the_script_cannot_go_to_workers(tmp_path: Path) -> None:
    script = tmp_path / "script.py"
    script.write_text(
        textwrap.dedent(
            """\
            import attrs, newsitem
            @attrs.define
            class Person:
                name: str
            if __name__ == "__main__":
                try:
                    newsitem.load_many(["."], schema=Person, jobs=2)
                except ValueError as e:
                    print(e)
            """
        )
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert "the schema Person is defined in the script being run" in done.stdout


@pytest.mark.corpus
@pytest.mark.parametrize(
    "name",
    [
        "SmartableAI-algorithm",
        "SmartableAI-artificial-intelligence",
        "SmartableAI-microsoft-power-apps",
        "everyday-cc-ai",
        "everyday-cc-powerapps",
        "scottge-coronavirus",
    ],
)
def test_each_jekyll_site_of_the_corpus_checks_clean_with_the_documented_configuration(
    corpus: Path, tmp_path: Path, name: str
) -> None:
    root = tmp_path / name
    shutil.copytree(CORPUS / name, root)
    for f in ["newsitem.toml", "schemas.py"]:
        shutil.copy(ROOT / "examples" / "site" / f, root / f)
    done = cli("check", ".", cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert ", 0 with problems (0 problems)" in done.stdout
    # Every file is checked against a class, or at least for well-formed front matter,
    # and an invalid one is named: break one news item and one person.
    news = sorted((root / "_news").glob("*.md")) if (root / "_news").is_dir() else []
    people = sorted((root / "_people").glob("*.md")) if (root / "_people").is_dir() else []
    for path in [*news[:1], *people[:1]]:
        path.write_text(
            path.read_text(encoding="utf-8").replace("\nheat: ", "\nheat: hot #", 1), encoding="utf-8"
        )
    if news or people:
        done = cli("check", ".", cwd=root)
        broken = {line.split(":")[0] for line in done.stdout.splitlines()[:-1]}
        expected = {
            f"./{p.relative_to(root).as_posix()}"
            for p in [*news[:1], *people[:1]]
            if "heat: hot" in p.read_text(encoding="utf-8")
        }
        assert broken == expected
