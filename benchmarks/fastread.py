"""Time the fast reader (newsitem._fastread) against libyaml, and newsitem against python-frontmatter.

Run from the repository root, after installing the benchmark extras::

    pip install -e '.[bench]'
    python benchmarks/fastread.py
    python benchmarks/fastread.py --rounds 21 --cold-rounds 9

Every file with a ``_news`` directory in its path under the corpus
(``../shared/corpus`` by default) is a news item. Five operations, each over all
items, in microseconds per item:

* ``parse, fast path``: ``newsitem._tree.parse(front)`` with the fast reader on;
* ``parse, libyaml``: the same with it off (``_fastread.ENABLED = False``);
* ``newsitem.loads, fast path`` and ``newsitem.loads, libyaml``: the whole typed load;
* ``frontmatter.loads``: python-frontmatter (PyYAML's C loader).

Repeated: in one process, after a warm-up pass, ``--rounds`` rounds; each round
runs one full pass of each operation in turn (interleaved, so drift in the
machine's speed hits all alike), garbage collection off inside a pass. The
median round counts.

Cold: each file seen once. Each measurement is a fresh process that imports
everything, warms up on one synthetic item that is not in the corpus (so that
one-time setup such as cattrs' generated code is not counted), empties the fast
reader's cache of resolved scalars, then times one pass over the items. The
operations take turns, ``--cold-rounds`` processes each; the median counts.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import frontmatter

import newsitem
from newsitem import _fastread, _tree
from newsitem._split import split

DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
OPERATIONS = ["parse_fast", "parse_libyaml", "loads_fast", "loads_libyaml", "frontmatter"]
LABELS = {
    "parse_fast": "`_tree.parse`, fast path",
    "parse_libyaml": "`_tree.parse`, libyaml",
    "loads_fast": "`newsitem.loads`, fast path",
    "loads_libyaml": "`newsitem.loads`, libyaml",
    "frontmatter": "`frontmatter.loads`",
}
WARM_UP = (
    '---\ncategory: warm\ntitle: "Warm-up"\npublishedDateTime: 1999-01-02T03:04:05Z\nquality: 7\n'
    'provider:\n  name: W\ntopics:\n  - w\nimages:\n  - url: "https://w.example/w.png"\n    width: 9\n'
    "---\nbody\n"
)


def news_items(corpus: Path) -> list[str]:
    texts = []
    for path in sorted(corpus.rglob("*")):
        if path.is_file() and "_news" in path.relative_to(corpus).parts[:-1]:
            with open(path, encoding="utf-8", newline="") as f:
                texts.append(f.read())
    if not texts:
        raise SystemExit(f"no news items (files under a _news directory) in {corpus}")
    return texts


def operation(name: str, texts: list[str]) -> tuple[Callable[[Any], object], list[Any]]:
    """The function to time and its inputs; sets the fast path on or off as *name* says."""
    _fastread.ENABLED = not name.endswith("libyaml")
    if name.startswith("parse"):
        fronts = [split(t).front for t in texts]
        return _tree.parse, fronts
    if name.startswith("loads"):
        return newsitem.loads, texts
    return frontmatter.loads, texts


def one_pass(fn: Callable[[Any], object], inputs: Sequence[Any]) -> float:
    """Microseconds per input of one pass over *inputs*, GC off."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        for x in inputs:
            fn(x)
        elapsed = time.perf_counter() - start
    finally:
        gc.enable()
    return elapsed / len(inputs) * 1e6


def repeated(texts: list[str], rounds: int) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {name: [] for name in OPERATIONS}
    for name in OPERATIONS:  # warm-up
        one_pass(*operation(name, texts))
    for _ in range(rounds):
        for name in OPERATIONS:
            fn, inputs = operation(name, texts)
            results[name].append(one_pass(fn, inputs))
    _fastread.ENABLED = True
    return results


def cold_child(name: str, corpus: Path) -> None:
    """In a fresh process: warm up on a synthetic item, then one pass over the corpus."""
    texts = news_items(corpus)
    fn, inputs = operation(name, texts)
    warm = split(WARM_UP).front if name.startswith("parse") else WARM_UP
    fn(warm)
    print(json.dumps(one_pass(fn, inputs)))


def cold(corpus: Path, rounds: int) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {name: [] for name in OPERATIONS}
    for _ in range(rounds):
        for name in OPERATIONS:
            out = subprocess.run(
                [sys.executable, __file__, "--corpus", str(corpus), "--cold-child", name],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            results[name].append(json.loads(out))
    return results


def fast_path_share(texts: list[str]) -> tuple[int, int]:
    """How many items' front matter the fast reader reads itself, of how many."""
    handled = sum(_fastread.read(split(t).front, 64, 200_000) is not _fastread.FALLBACK for t in texts)
    return handled, len(texts)


def report(title: str, results: dict[str, list[float]]) -> list[str]:
    med = {name: statistics.median(v) for name, v in results.items()}
    fm = med["frontmatter"]
    lines = [
        f"### {title}",
        "",
        "| operation | µs per item (median) | min-max | ratio to frontmatter.loads |",
        "|---|---:|---:|---:|",
    ]
    for name in OPERATIONS:
        v = results[name]
        lines.append(
            f"| {LABELS[name]} | {med[name]:,.1f} | {min(v):,.1f}-{max(v):,.1f} | {med[name] / fm:.3f} |"
        )
    speedup = med["parse_libyaml"] / med["parse_fast"]
    lines += ["", f"`_tree.parse`: the fast path is {speedup:.2f}x as fast as libyaml's.", ""]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=15, help="interleaved rounds, repeated")
    parser.add_argument("--cold-rounds", type=int, default=7, help="fresh processes per operation, cold")
    parser.add_argument("--cold-child", choices=OPERATIONS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.cold_child:
        cold_child(args.cold_child, args.corpus)
        return 0
    texts = news_items(args.corpus)
    handled, total = fast_path_share(texts)
    lines = [
        f"{total} news items; the fast reader reads {handled} of them itself ({handled / total:.1%}).",
        "",
    ]
    lines += report(
        f"Repeated: {args.rounds} interleaved rounds in one process", repeated(texts, args.rounds)
    )
    if args.cold_rounds:
        lines += report(
            f"Cold: each file once, {args.cold_rounds} fresh processes per operation",
            cold(args.corpus, args.cold_rounds),
        )
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
