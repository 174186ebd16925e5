"""The command line, run through its real entry points."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from newsitem.__main__ import main

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
