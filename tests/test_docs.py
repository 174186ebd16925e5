"""The documentation says what is true: the command-line examples print what they
show, the shell blocks run as written, the API examples type-check, and the
release details (pre-commit rev, changelog) are consistent."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from .test_tutorial import blocks

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def _newsitem() -> list[str]:
    script = Path(sys.executable).parent / "newsitem"
    return [str(script)] if script.exists() else [sys.executable, "-m", "newsitem"]


def _sandbox(tmp_path: Path) -> Path:
    """A folder with a copy of examples/ and .venv standing for the quick start's."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    (tmp_path / ".venv").symlink_to(Path(sys.prefix))
    return tmp_path


def _cli_examples() -> list[tuple[str, str]]:
    """``(command, output)`` for each ``$ newsitem ...`` line of a text block in cli.rst."""
    found = []
    for language, code in blocks((DOCS / "cli.rst").read_text()):
        if language != "text" or not code.startswith("$ newsitem "):
            continue
        for part in re.split(r"^(?=\$ )", code, flags=re.MULTILINE):
            if part:
                command, _, output = part.partition("\n")
                found.append((command[2:], output))
    return found


def test_cli_reference_has_examples_to_run() -> None:
    assert len(_cli_examples()) >= 6


@pytest.mark.parametrize(("command", "output"), _cli_examples(), ids=lambda c: c[:60])
def test_cli_reference_examples_print_what_they_show(tmp_path: Path, command: str, output: str) -> None:
    cwd = _sandbox(tmp_path)
    args = [a.strip('"') for a in re.findall(r'"[^"]*"|\S+', command)][1:]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    done = subprocess.run(
        [*_newsitem(), *args], cwd=cwd, capture_output=False, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, env=env, check=False,
    )  # fmt: skip
    lines = [line.rstrip() for line in done.stdout.splitlines()]
    assert lines == [line.rstrip() for line in output.splitlines()]


def test_cli_reference_overview_runs_as_written(tmp_path: Path) -> None:
    cwd = _sandbox(tmp_path)
    (first,) = [code for lang, code in blocks((DOCS / "cli.rst").read_text()) if lang == "sh"][:1]
    assert first.count(".venv/bin/newsitem ") == 8
    done = subprocess.run(["bash", "-e", "-c", first], cwd=cwd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert len((cwd / "items.jsonl").read_text().splitlines()) == 3
    assert len(list((cwd / "new-items").iterdir())) == 3
    assert (cwd / "newsitem.schema.json").read_text().startswith("{")


def test_readme_commands_use_the_quick_starts_virtual_environment() -> None:
    readme = (ROOT / "README.md").read_text()
    shell = re.findall(r"```sh\n(.*?)```", readme, flags=re.DOTALL)
    assert shell[0].strip() == (
        "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/newsitem check examples/"
    )
    for block in shell:
        for line in block.splitlines():
            assert not re.match(r"\s*newsitem ", line), f"not copy-pasteable after the quick start: {line}"


def test_pre_commit_rev_in_the_cookbook_is_this_version() -> None:
    revs = re.findall(r"rev: (\S+)", (DOCS / "cookbook.rst").read_text())
    assert revs and set(revs) == {f"v{VERSION}"}


def test_changelog_has_no_duplicate_bullets() -> None:
    text = (ROOT / "CHANGELOG.md").read_text()
    for section in re.split(r"^## ", text, flags=re.MULTILINE)[1:]:
        bullets = [b.strip() for b in re.split(r"^- ", section, flags=re.MULTILINE)[1:]]
        # Two bullets about one thing start alike: compare their first four words.
        firsts = [" ".join(b.split()[:4]) for b in bullets]
        assert len(set(firsts)) == len(firsts), [f for f in firsts if firsts.count(f) > 1]
        assert "## [Unreleased]" in text


def api_examples() -> str:
    """The Python code blocks of api.rst, as one module."""
    code = [c for lang, c in blocks((DOCS / "api.rst").read_text()) if lang == "python"]
    return "\n\n".join(code)


def test_api_examples_pass_mypy_strict(tmp_path: Path) -> None:
    mypy = shutil.which("mypy", path=str(Path(sys.executable).parent))
    if mypy is None:
        pytest.skip("mypy is not installed (the 'dev' extra)")
    source = api_examples()
    assert source.count("\n") > 10
    module = tmp_path / "api_examples.py"
    module.write_text(source)
    done = subprocess.run(
        [mypy, "--strict", "--no-incremental", "--config-file", os.devnull, str(module)],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    subprocess.run([sys.executable, str(module)], check=True, cwd=tmp_path)  # and they run
