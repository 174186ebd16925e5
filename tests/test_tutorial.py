"""docs/tutorial.rst runs as written: each ``sh`` block in order, in one shell, in a
fresh folder with ``.venv`` standing for the virtual environment of the quick start.

A block followed by a ``text`` block must print exactly that; any other block must
succeed. Blocks that install packages (``pip install``) are left out: this
environment already has what they install.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL = ROOT / "docs" / "tutorial.rst"
_BLOCK = re.compile(r"^\.\. code-block:: (\w+)\n\n((?:(?:   .*)?\n)+)", re.MULTILINE)


def blocks(text: str) -> list[tuple[str, str]]:
    """``(language, code)`` for each code block of an .rst text, in order."""
    return [(m.group(1), textwrap.dedent(m.group(2)).strip("\n") + "\n") for m in _BLOCK.finditer(text)]


def steps(text: str) -> list[tuple[str, str | None]]:
    """Each shell block to run, with the output it must print (``None``: must succeed)."""
    found = blocks(text)
    out = []
    for i, (language, code) in enumerate(found):
        if language != "sh" or "pip install" in code:
            continue
        following = found[i + 1] if i + 1 < len(found) else None
        out.append((code, following[1] if following and following[0] == "text" else None))
    return out


def test_the_tutorial_has_the_blocks_this_test_expects() -> None:
    found = steps(TUTORIAL.read_text())
    assert len(found) >= 6
    assert sum(expected is not None for _, expected in found) >= 4
    assert [code for language, code in blocks(TUTORIAL.read_text()) if "pip install" in code] == [
        "python3 -m venv .venv && .venv/bin/pip install .\n",
        "../.venv/bin/pip install pre-commit\n",
    ]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_tutorial_runs_as_written(tmp_path: Path) -> None:
    venv = Path(sys.prefix)
    if not (venv / "bin" / "newsitem").exists() or not (venv / "bin" / "pre-commit").exists():
        pytest.skip("needs the newsitem and pre-commit commands in this virtual environment")
    (tmp_path / ".venv").symlink_to(venv)
    script = ["set -u", f"cd {tmp_path}"]
    found = steps(TUTORIAL.read_text())
    for i, (code, _) in enumerate(found):
        script.append(f"{{\n{code}}} > {tmp_path}/out{i} 2>&1\necho $? > {tmp_path}/rc{i}")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PYTHON", "NO_COLOR"))},
        "GIT_AUTHOR_NAME": "Tutorial",
        "GIT_AUTHOR_EMAIL": "tutorial@example.org",
        "GIT_COMMITTER_NAME": "Tutorial",
        "GIT_COMMITTER_EMAIL": "tutorial@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
        "HOME": str(tmp_path),
        "PYTHONUNBUFFERED": "1",  # stdout and stderr in the order a terminal shows them
    }
    subprocess.run(["bash", "-c", "\n".join(script)], env=env, check=True, timeout=300)
    for i, (code, expected) in enumerate(found):
        output = (tmp_path / f"out{i}").read_text()
        status = int((tmp_path / f"rc{i}").read_text())
        if expected is not None:
            assert output == expected, f"block {i}:\n{code}"
        else:
            assert status == 0, f"block {i} failed ({status}):\n{code}\n{output}"
    assert "newsitem check" in output and "Passed" in output  # the last block: pre-commit
