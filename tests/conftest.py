from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile("long", max_examples=20_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

# Data folders: their .md files are inputs, not doctests.
collect_ignore = ["fixtures", "invalid"]

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("NEWSITEM_CORPUS", ROOT.parent / "shared" / "corpus"))
FIXTURES = Path(__file__).parent / "fixtures"
_MISSING = f"corpus not found at {CORPUS} (set NEWSITEM_CORPUS or put shared/ beside the repo)"


def corpus_files() -> list[Path]:
    """Every front-matter file in the corpus (the manifest and its README are not)."""
    if not CORPUS.is_dir():
        return []
    skip = {CORPUS / "README.md"}
    return sorted(
        p for p in CORPUS.rglob("*") if p.is_file() and p not in skip and not p.name.startswith("MANIFEST")
    )


def news_files() -> list[Path]:
    return [p for p in corpus_files() if "_news" in p.parts]


def as_params(files: list[Path]) -> list[Any]:
    """Parameters for a test over corpus files: one skipped parameter, with the reason,
    when the corpus is absent (pytest would only say "got empty parameter set")."""
    if files:
        return list(files)
    return [pytest.param(None, id="no-corpus", marks=pytest.mark.skip(reason=_MISSING))]


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        # .ci/run requires it; GitHub's runners (CI=true there too) have no corpus and skip.
        if os.environ.get("NEWSITEM_REQUIRE_CORPUS"):
            pytest.fail(f"the corpus is required (NEWSITEM_REQUIRE_CORPUS) but {CORPUS} does not exist")
        pytest.skip(_MISSING)
    return CORPUS


def read_exact(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def removed_outside(old_lines: list[str], new_lines: list[str], allowed: set[int]) -> list[str]:
    """The lines of *old_lines* outside *allowed* (the edited entries' lines) that an edit
    removed: those difflib finds removed, unless the lines outside *allowed* still stand
    in *new_lines* in their order (difflib may align a repeated line, such as
    ``volume:`` in each of several entries, with another copy of it than the one kept)."""
    import difflib

    removed = [
        i
        for op, i1, i2, _, _ in difflib.SequenceMatcher(
            None, old_lines, new_lines, autojunk=False
        ).get_opcodes()
        if op in ("replace", "delete")
        for i in range(i1, i2)
        if i not in allowed
    ]
    if not removed:
        return []
    rest = iter(new_lines)  # each kept line found after the one before it
    if all(any(line == new for new in rest) for i, line in enumerate(old_lines) if i not in allowed):
        return []
    return [old_lines[i] for i in removed]
