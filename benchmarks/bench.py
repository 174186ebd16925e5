"""Time newsitem against python-frontmatter and ruamel.yaml on the corpus's news items.

Run from the repository root, after installing the benchmark extras::

    pip install -e '.[bench]'
    python benchmarks/bench.py
    python benchmarks/bench.py --repeat 10 --output bench.md --check

The corpus defaults to ``../shared/corpus`` next to the repository; every file with a
``_news`` directory in its path is a news item (``_news/`` and ``_archive/_news/``).

Each row is the best of ``--repeat`` full passes over all items, in microseconds per
item (the slow ruamel.yaml round-trip rows use at most 3 passes). Garbage collection
is off inside each timed pass. ``--check`` exits with status 1 when a target ratio
is missed; a failed sanity check (round trip not byte for byte, or an edit that
changes more than one line) exits with status 2 before anything is timed.
"""

from __future__ import annotations

import argparse
import difflib
import gc
import importlib.metadata
import io
import math
import platform
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import frontmatter
import yaml
from ruamel.yaml import YAML

import newsitem

T = TypeVar("T")

DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
RUAMEL_MAX_REPEAT = 3

# The front matter between the fences, for the ruamel.yaml rows (split up front, untimed).
_FRONT_MATTER = re.compile(
    r"\A(?P<open>\ufeff?---[ \t]*\r?\n)(?P<yaml>.*?)(?P<close>^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z))",
    re.DOTALL | re.MULTILINE,
)


@dataclass(frozen=True)
class Item:
    """One news item: its text and the pieces of it around the front matter."""

    path: Path
    text: str
    open_fence: str
    front_matter: str
    close_fence: str
    body: str


@dataclass(frozen=True)
class Target:
    """A ratio of two rows that should stay at or under *limit*."""

    label: str
    numerator: str
    denominator: str
    limit: float


# Row keys, in the order they are printed, with their labels.
ROWS = {
    "typed_loads": "`newsitem.loads(text)` (typed)",
    "fm_loads": "`frontmatter.loads(text)`",
    "ruamel_load": "ruamel.yaml round-trip `YAML().load(front_matter)`",
    "typed_dumps": "`newsitem.dumps(doc)`, unedited",
    "fm_dumps": "`frontmatter.dumps(post)`",
    "typed_rt": "newsitem loads + dumps, unedited",
    "fm_rt": "frontmatter loads + dumps",
    "typed_edit": "newsitem edit: loads, `quality += 1`, dumps",
    "ruamel_edit": "ruamel.yaml round-trip edit: load, `quality += 1`, dump",
    "fm_edit": "frontmatter edit: loads, `quality += 1`, dumps",
}

# How the ratio column names a comparison row.
SHORT = {
    "fm_loads": "frontmatter loads",
    "fm_rt": "frontmatter loads+dumps",
    "ruamel_edit": "ruamel.yaml edit",
    "fm_edit": "frontmatter edit",
}

TARGETS = [
    Target("typed loads / frontmatter loads", "typed_loads", "fm_loads", 1.0),
    Target("newsitem loads+dumps / frontmatter loads+dumps", "typed_rt", "fm_rt", 1.0),
    Target("newsitem edit / ruamel.yaml round-trip edit", "typed_edit", "ruamel_edit", 0.1),
    Target("newsitem edit / frontmatter edit", "typed_edit", "fm_edit", 1.0),
]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus directory")
    parser.add_argument("--repeat", type=int, default=5, help="passes per row; the best counts")
    parser.add_argument("--output", type=Path, help="also write the report to this markdown file")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target ratio is missed")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def load_items(corpus: Path) -> list[Item]:
    """Every file under *corpus* with a ``_news`` directory in its path, split up front."""
    items = []
    for path in sorted(corpus.rglob("*")):
        if not path.is_file() or "_news" not in path.relative_to(corpus).parts[:-1]:
            continue
        with open(path, encoding="utf-8", newline="") as f:
            text = f.read()
        m = _FRONT_MATTER.match(text)
        if m is None:
            raise SystemExit(f"{path}: no front matter between '---' fences")
        items.append(
            Item(path, text, m["open"], m["yaml"], m["close"], text[m.end() :]),
        )
    return items


# The operations timed, one item at a time.


def typed_roundtrip(text: str) -> str:
    return newsitem.dumps(newsitem.loads(text))


def fm_roundtrip(text: str) -> str:
    return frontmatter.dumps(frontmatter.loads(text))


def typed_edit(text: str) -> str:
    doc = newsitem.loads(text)
    doc.item.quality = (doc.item.quality or 0) + 1
    return newsitem.dumps(doc)


def ruamel_load(item: Item) -> Any:
    return YAML().load(item.front_matter)


def ruamel_edit(item: Item) -> str:
    y = YAML()
    data = y.load(item.front_matter)
    data["quality"] = (data.get("quality") or 0) + 1
    out = io.StringIO()
    y.dump(data, out)
    return item.open_fence + out.getvalue() + item.close_fence + item.body


def fm_edit(text: str) -> str:
    post = frontmatter.loads(text)
    post["quality"] = (post.get("quality") or 0) + 1
    return frontmatter.dumps(post)


def best_of(fn: Callable[[T], object], inputs: Sequence[T], repeat: int) -> float:
    """Microseconds per input of the fastest of *repeat* passes over *inputs*."""
    best = math.inf
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            for x in inputs:
                fn(x)
            elapsed = time.perf_counter() - start
        finally:
            gc.enable()
        best = min(best, elapsed)
    return best / len(inputs) * 1e6


# Sanity checks, before anything is timed.


def changed_lines(before: str, after: str) -> tuple[int, int]:
    """How many lines *after* removes from and adds to *before*."""
    a = before.splitlines(keepends=True)
    b = after.splitlines(keepends=True)
    removed = added = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += i2 - i1
            added += j2 - j1
    return removed, added


def sanity_checks(items: Sequence[Item]) -> list[str]:
    """Check round trips and one-line edits; return the report lines (exit 2 on failure)."""
    roundtrip_ok = replaced = inserted = 0
    failures = []
    for item in items:
        if typed_roundtrip(item.text) == item.text:
            roundtrip_ok += 1
        else:
            failures.append(f"{item.path}: newsitem.dumps(newsitem.loads(t)) != t")
        removed, added = changed_lines(item.text, typed_edit(item.text))
        if (removed, added) == (1, 1):
            replaced += 1
        elif (removed, added) == (0, 1):
            inserted += 1
        else:
            failures.append(f"{item.path}: the edit removed {removed} and added {added} lines")
    lines = [
        f"- byte-for-byte round trip (`dumps(loads(t)) == t`): {roundtrip_ok}/{len(items)}",
        f"- one-line edit: {replaced + inserted}/{len(items)} "
        f"({replaced} replace the `quality` line, {inserted} add one)",
    ]
    others: list[tuple[str, Callable[[Item], str]]] = [
        ("ruamel.yaml round-trip edit", ruamel_edit),
        ("frontmatter edit", lambda item: fm_edit(item.text)),
    ]
    for label, edit in others:
        total = sum(sum(changed_lines(item.text, edit(item))) for item in items)
        lines.append(f"- for comparison, lines removed + added by the {label}: {total} over all items")
    if failures:
        print("\n".join(["Sanity checks failed:", *lines, *failures]), file=sys.stderr)
        raise SystemExit(2)
    return lines


def version_of(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def environment(items: Sequence[Item], corpus: Path, repeat: int) -> list[str]:
    try:
        import _ruamel_yaml_clibz  # noqa: F401
    except ImportError:
        clibz = "no"
    else:
        clibz = "yes"
    newsitem_version = version_of("newsitem")
    if newsitem_version == "not installed":
        newsitem_version = f"{newsitem.__version__} (from {Path(newsitem.__file__).parent})"
    loader = frontmatter.default_handlers.SafeLoader.__name__
    return [
        f"- Python {platform.python_version()} ({platform.python_implementation()}) on {platform.platform()}",
        f"- newsitem {newsitem_version}",
        f"- ruamel.yaml {version_of('ruamel.yaml')}; `_ruamel_yaml_clibz` imports: {clibz}",
        f"- python-frontmatter {version_of('python-frontmatter')} (loader: PyYAML `{loader}`)",
        f"- PyYAML {version_of('PyYAML')} (libyaml: {'yes' if yaml.__with_libyaml__ else 'no'})",
        f"- corpus: {corpus.resolve()}: {len(items)} news items",
        f"- best of {repeat} passes (ruamel.yaml rows: best of {min(repeat, RUAMEL_MAX_REPEAT)}), "
        "`time.perf_counter`, GC off inside each pass",
    ]


def table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str) -> list[str]:
    """A markdown table; *align* has one of ``l``/``r`` per column."""
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=True)]
    widths = [max(w, 3) for w in widths]

    def line(cells: Sequence[str]) -> str:
        padded = (
            c.rjust(w) if a == "r" else c.ljust(w) for c, w, a in zip(cells, widths, align, strict=True)
        )
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join(
        "-" * (w + 1) + ":" if a == "r" else "-" * (w + 2) for w, a in zip(widths, align, strict=True)
    )
    return [line(header), rule + "|", *(line(r) for r in rows)]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    corpus: Path = args.corpus
    if not corpus.is_dir():
        raise SystemExit(f"corpus not found: {corpus}")
    items = load_items(corpus)
    if not items:
        raise SystemExit(f"no news items (files under a _news directory) in {corpus}")
    texts = [item.text for item in items]

    checks = sanity_checks(items)

    docs = [newsitem.loads(t) for t in texts]
    posts = [frontmatter.loads(t) for t in texts]
    repeat: int = args.repeat
    ruamel_repeat = min(repeat, RUAMEL_MAX_REPEAT)
    timings = {
        "typed_loads": best_of(newsitem.loads, texts, repeat),
        "fm_loads": best_of(frontmatter.loads, texts, repeat),
        "ruamel_load": best_of(ruamel_load, items, ruamel_repeat),
        "typed_dumps": best_of(newsitem.dumps, docs, repeat),
        "fm_dumps": best_of(frontmatter.dumps, posts, repeat),
        "typed_rt": best_of(typed_roundtrip, texts, repeat),
        "fm_rt": best_of(fm_roundtrip, texts, repeat),
        "typed_edit": best_of(typed_edit, texts, repeat),
        "ruamel_edit": best_of(ruamel_edit, items, ruamel_repeat),
        "fm_edit": best_of(fm_edit, texts, repeat),
    }

    def ratio(target: Target) -> float:
        return timings[target.numerator] / timings[target.denominator]

    comparisons: dict[str, list[str]] = {}
    for target in TARGETS:
        comparisons.setdefault(target.numerator, []).append(
            f"{ratio(target):.3f} vs. {SHORT[target.denominator]} (target ≤ {target.limit:g})"
        )
    results = [
        (ROWS[key], f"{us:,.1f}", "; ".join(comparisons.get(key, ["—"]))) for key, us in timings.items()
    ]
    missed = [t for t in TARGETS if ratio(t) > t.limit]
    verdicts = [
        (t.label, f"≤ {t.limit:g}", f"{ratio(t):.3f}", "no" if t in missed else "yes") for t in TARGETS
    ]

    report = [
        "## Sanity checks",
        "",
        *checks,
        "",
        "## Time per news item",
        "",
        *table(("operation", "µs per item", "ratio vs. comparison"), results, "lrl"),
        "",
        "## Targets",
        "",
        *table(("target", "limit", "ratio", "met?"), verdicts, "lrrl"),
        "",
        "## Environment",
        "",
        *environment(items, corpus, repeat),
    ]
    text = "\n".join(report) + "\n"
    print(text, end="")
    if args.output is not None:
        args.output.write_text(text, encoding="utf-8")
    if missed:
        for t in missed:
            print(f"missed: {t.label} = {ratio(t):.3f} > {t.limit:g}", file=sys.stderr)
        if args.check:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
