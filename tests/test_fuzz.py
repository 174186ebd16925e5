"""Fuzzing with Hypothesis: arbitrary text, and corpus files with random damage.

A bounded run happens with every test run (the ``ci`` profile in CI). For a long
run, see docs/security.rst: ``HYPOTHESIS_PROFILE=long pytest tests/test_fuzz.py``,
or the atheris target in ``fuzz/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import corpus_files
from .fuzzing import check_bytes, check_text

CORPUS = [p for p in corpus_files() if p.stat().st_size < 20_000]
YAMLISH = st.sampled_from(
    [*":-[]{}#&*!|>'\"%@,?~=<\n\t \r\\\ufeff\x00\x85", "---\n", "...\n", "<<: *a\n", "&a ", "*a"]
)

fuzz_settings = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@fuzz_settings
@given(st.text())
def test_arbitrary_text(text: str) -> None:
    check_text(text)


@fuzz_settings
@given(st.lists(st.one_of(YAMLISH, st.text(max_size=5)), max_size=40).map("".join))
def test_yaml_punctuation_soup(text: str) -> None:
    check_text("---\n" + text + "\n---\nbody\n")
    check_text(text)


@fuzz_settings
@given(st.binary())
def test_arbitrary_bytes(data: bytes) -> None:
    check_bytes(data)


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    """A corpus file with a few random deletions, duplications, swaps and insertions."""
    data = bytearray(draw(st.sampled_from(CORPUS)).read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "swap-lines", "delete-line"]))
        n = len(data)
        if n < 2:
            break
        i = draw(st.integers(0, n - 1))
        j = min(n, i + draw(st.integers(1, 8)))
        if op == "delete":
            del data[i:j]
        elif op == "duplicate":
            data[i:i] = data[i:j]
        elif op == "swap":
            k = draw(st.integers(0, n - 1))
            data[i], data[k] = data[k], data[i]
        elif op == "insert":
            data[i:i] = draw(YAMLISH).encode("utf-8")
        else:
            lines = bytes(data).splitlines(keepends=True)
            a = draw(st.integers(0, len(lines) - 1))
            if op == "swap-lines":
                b = draw(st.integers(0, len(lines) - 1))
                lines[a], lines[b] = lines[b], lines[a]
            else:
                del lines[a]
            data = bytearray(b"".join(lines))
    return bytes(data)


@pytest.mark.corpus
@fuzz_settings
@given(damaged())
def test_damaged_corpus_files(corpus: Path, data: bytes) -> None:
    check_bytes(data)
