"""A coverage-guided fuzz target for newsitem, for long runs outside the test suite.

    pip install -e '.[test]' atheris
    mkdir -p /tmp/newsitem-fuzz && cp -r ../shared/corpus /tmp/newsitem-seeds   # seeds, not committed
    python fuzz/atheris_target.py /tmp/newsitem-fuzz /tmp/newsitem-seeds -max_total_time=1800

Every input is loaded untyped and typed, written back (it must come back byte for
byte), edited and written again (it must load back as the edited item). Anything but
a newsitem error, or a broken promise, stops the run with the input saved by libFuzzer.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

with atheris.instrument_imports():  # newsitem is imported here first, so it is instrumented
    from tests.fuzzing import check_bytes

    import newsitem._cli  # noqa: F401


def main() -> None:
    atheris.Setup(sys.argv, check_bytes)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
