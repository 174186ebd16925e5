"""Time newsitem against the tools users would pick instead, side by side, in one run.

Run from the repository root, after installing the benchmark extras::

    pip install -e '.[bench]'
    python benchmarks/bench.py                      # the full run (a few minutes)
    python benchmarks/bench.py --quick              # fewer rounds, for CI
    python benchmarks/bench.py --output docs/_static/bench.md --chart docs/_static/scaling.png

What it measures, and how:

* Per-file rows on the corpus's news items (``_news/`` folders): every round runs every
  contender over every file, contenders and files each in a new shuffled order; a
  file's time is the median over rounds, a row's figure the mean of the files'
  medians (microseconds per file), and a ratio both the ratio of those means and the
  median of the files' own ratios. "Cold" rows hand each call a fresh copy of the
  text (no string hash or other per-object cache is warm); "repeated" rows the same
  string every time. Each call times the whole operation, including building the
  document (nothing is loaded ahead of an edit).
* Edits: load, change the title (a string that needs quoting rules) or the quality
  (an integer), write back; python-frontmatter does the same edit and dump.
* Formats: newsitem's typed load of the corpus's TOML and JSON front matter against
  python-frontmatter's TOML and JSON handlers on the same files.
* Scaling: synthetic front matter of distinct strings from 1 KB to 1 MB: newsitem,
  python-frontmatter and PyYAML's C loader (the chart plots time per file against
  size, log-log).
* Start-up: whole processes (``python -c pass``, ``import frontmatter``, ``import
  newsitem``, ``newsitem check FILE``), medians over interleaved runs.
* Memory: the peak Python allocation (tracemalloc) during load + edit + dumps, in bytes
  per character of front matter.

Timings are informational: nothing here fails on a number (``--check`` exits 1 if a
target is missed, for use by hand). A sanity check (round trips byte for byte, one-line
edits) runs first and exits 2 on failure.
"""

from __future__ import annotations

import argparse
import difflib
import gc
import importlib.metadata
import io
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from frontmatter.default_handlers import JSONHandler, TOMLHandler
from ruamel.yaml import YAML

import newsitem

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
SIZES = (1_000, 10_000, 100_000, 1_000_000)


# -- inputs --------------------------------------------------------------------------------


def read_exact(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def corpus_files(corpus: Path) -> tuple[list[str], list[str], list[str]]:
    """The texts of the news items, and of the TOML and JSON front-matter files."""
    news, toml, json_ = [], [], []
    for path in sorted(corpus.rglob("*")):
        if not path.is_file() or path.suffix not in (".md", ".html"):
            continue
        text = read_exact(path)
        start = text.lstrip("\ufeff").lstrip()
        if "_news" in path.relative_to(corpus).parts[:-1]:
            news.append(text)
        elif start.startswith("+++") and text.lstrip("\ufeff").startswith(("+++", "\n")):
            toml.append(text)
        elif start.startswith("{"):
            json_.append(text)
    return news, toml, json_


def synthetic(size: int, seed: int = 7) -> str:
    """A news item whose front matter is about *size* characters of distinct strings."""
    rng = random.Random(seed + size)
    words = ["heat", "pump", "city", "council", "bike", "lane", "library", "subsidy", "energy", "policy"]
    lines = ['title: "Synthetic item"', "publishedDateTime: 2024-03-09T06:00:00Z", "tags:"]
    n = 0
    while sum(len(line) + 1 for line in lines) < size:
        phrase = " ".join(rng.choice(words) for _ in range(4))
        lines.append(f"  - {phrase} {n}")
        n += 1
    return "---\n" + "\n".join(lines) + "\n---\nBody.\n"


# -- the operations ------------------------------------------------------------------------


def nl_load(text: str) -> Any:
    return newsitem.loads(text)


def fm_load(text: str) -> Any:
    return frontmatter.loads(text)


def pyyaml_load(text: str) -> Any:
    return yaml.load(text.split("---\n", 2)[1], Loader=yaml.CSafeLoader)


def nl_title(text: str) -> str:
    doc = newsitem.loads(text)
    doc.item.title = doc.item.title + ": updated"
    return newsitem.dumps(doc)


def fm_title(text: str) -> str:
    post = frontmatter.loads(text)
    post["title"] = str(post.get("title")) + ": updated"
    return frontmatter.dumps(post)


def nl_quality(text: str) -> str:
    doc = newsitem.loads(text)
    doc.item.quality = (doc.item.quality or 0) + 1
    return newsitem.dumps(doc)


def fm_quality(text: str) -> str:
    post = frontmatter.loads(text)
    post["quality"] = (post.get("quality") or 0) + 1
    return frontmatter.dumps(post)


# What a careful user of a ruamel.yaml round trip would set: keep quotes, never fold lines.
_rt = YAML()
_rt.preserve_quotes = True
_rt.width = 1 << 16


_FENCED = re.compile(r"---\r?\n(.*?\r?\n)---[ \t]*(\r?\n|$)(.*)", re.S)


def _rt_split(text: str) -> tuple[str, str]:
    m = _FENCED.match(text)
    if m is None:
        raise ValueError("no front matter")
    return m[1], m[3]


def rt_load(text: str) -> Any:
    return _rt.load(_rt_split(text)[0])


def rt_title(text: str) -> str:
    front, body = _rt_split(text)
    data = _rt.load(front)
    data["title"] = str(data.get("title")) + ": updated"
    out = io.StringIO()
    _rt.dump(data, out)
    return "---\n" + out.getvalue() + "---\n" + body


def nl_untyped(text: str) -> Any:
    return newsitem.loads(text, schema=None)


_toml_handler, _json_handler = TOMLHandler(), JSONHandler()


def fm_toml(text: str) -> Any:
    return frontmatter.loads(text, handler=_toml_handler)


def fm_json(text: str) -> Any:
    return frontmatter.loads(text, handler=_json_handler)


# -- timing ----------------------------------------------------------------------------------


@dataclass
class Row:
    key: str
    label: str
    per_file: list[float] = field(default_factory=list)  # microseconds, median over rounds

    @property
    def mean(self) -> float:
        return statistics.fmean(self.per_file)


def interleaved(
    contenders: dict[str, Callable[[str], Any]], texts: Sequence[str], rounds: int, *, cold: bool, seed: int
) -> dict[str, list[float]]:
    """Per contender, each file's median time (µs) over *rounds* interleaved rounds."""
    rng = random.Random(seed)
    samples: dict[str, list[list[float]]] = {k: [[] for _ in texts] for k in contenders}
    order = list(range(len(texts)))
    clock = time.perf_counter_ns
    for _ in range(rounds):
        names = list(contenders)
        rng.shuffle(names)
        for name in names:
            fn = contenders[name]
            rng.shuffle(order)
            gc.collect()
            gc.disable()
            try:
                for i in order:
                    text = texts[i]
                    if cold:
                        text = "".join([text[:1], text[1:]])  # a new string object: nothing cached
                    start = clock()
                    fn(text)
                    samples[name][i].append((clock() - start) / 1000)
            finally:
                gc.enable()
    return {k: [statistics.median(s) for s in v] for k, v in samples.items()}


def ratio_text(a: list[float], b: list[float]) -> tuple[float, float]:
    """(ratio of the means, median of the per-file ratios)."""
    return statistics.fmean(a) / statistics.fmean(b), statistics.median(
        x / y for x, y in zip(a, b, strict=True)
    )


def startup(files: list[str], runs: int) -> dict[str, float]:
    """Median wall milliseconds of whole processes, interleaved."""
    py = sys.executable
    script = str(Path(py).with_name("newsitem"))
    commands = {
        "python -c pass": [py, "-c", "pass"],
        "python -c 'import frontmatter'": [py, "-c", "import frontmatter"],
        "python -c 'import newsitem'": [py, "-c", "import newsitem"],
        "newsitem check FILE": [script, "check", "--no-config", files[0]],
    }
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    times: dict[str, list[float]] = {k: [] for k in commands}
    for cmd in commands.values():  # warm-up: bytecode written, files in the page cache
        subprocess.run(cmd, check=False, capture_output=True, env=env)
    for _ in range(runs):
        for name, cmd in commands.items():
            start = time.perf_counter()
            subprocess.run(cmd, check=False, capture_output=True, env=env)
            times[name].append((time.perf_counter() - start) * 1000)
    return {k: statistics.median(v) for k, v in times.items()}


def peak_bytes_per_char(text: str) -> float:
    front = text.split("---\n", 2)[1]
    gc.collect()
    tracemalloc.start()
    try:
        doc = newsitem.loads(text)
        doc.item.title = doc.item.title + ": updated"
        newsitem.dumps(doc)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / len(front)


# -- sanity ------------------------------------------------------------------------------------


def changed_lines(before: str, after: str) -> int:
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    return sum(
        max(i2 - i1, j2 - j1)
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        if tag != "equal"
    )


def sanity(news: list[str], toml: list[str], json_: list[str]) -> list[str]:
    problems = []
    for text in news:
        if newsitem.dumps(newsitem.loads(text)) != text:
            problems.append("a news item does not round-trip byte for byte")
        if changed_lines(text, nl_quality(text)) != 1 or changed_lines(text, nl_title(text)) != 1:
            problems.append("an edit changed more than one line")
    for text in [*toml, *json_]:
        if newsitem.dumps(newsitem.loads(text, schema=None)) != text:
            problems.append("a TOML or JSON file does not round-trip byte for byte")
    return problems


# -- the report ------------------------------------------------------------------------------


def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover
        cores = os.cpu_count() or 1
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    versions = ", ".join(
        f"{name} {importlib.metadata.version(name)}"
        for name in ("newsitem", "python-frontmatter", "PyYAML", "ruamel.yaml", "cattrs", "attrs", "tomlkit")
    )
    return [
        f"- Python {platform.python_version()} ({platform.python_implementation()}) on {platform.platform()}",
        f"- CPU: {cpu}; {cores} cores available to this process; load average at the end "
        f"{load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}",
        f"- {versions}",
        f"- libyaml in PyYAML: {yaml.__with_libyaml__}",
    ]


@dataclass(frozen=True)
class Target:
    label: str
    value: float
    limit: float

    @property
    def met(self) -> bool:
        return self.value <= self.limit


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=15, help="interleaved rounds per row (default 15)")
    parser.add_argument("--quick", action="store_true", help="3 rounds, smaller series: for CI")
    parser.add_argument("--output", type=Path, help="also write the report to this file")
    parser.add_argument("--chart", type=Path, help="write the scaling chart (PNG; needs matplotlib)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    rounds = 3 if args.quick else args.rounds
    if not args.corpus.is_dir():
        raise SystemExit(f"corpus not found: {args.corpus}")
    news, toml, json_ = corpus_files(args.corpus)
    problems = sanity(news, toml, json_)
    if problems:
        print("sanity check failed: " + "; ".join(sorted(set(problems))), file=sys.stderr)
        return 2

    for fn in (nl_load, fm_load, nl_title, fm_title, nl_untyped, fm_toml, fm_json):  # warm imports
        fn(news[0]) if fn not in (fm_toml, fm_json) else None
    out: list[str] = ["# newsitem benchmark", ""]

    loads = interleaved({"nl": nl_load, "fm": fm_load}, news, rounds, cold=True, seed=1)
    warm = interleaved({"nl": nl_load, "fm": fm_load}, news, rounds, cold=False, seed=2)
    edits = interleaved(
        {"nl_title": nl_title, "fm_title": fm_title, "nl_quality": nl_quality, "fm_quality": fm_quality},
        news,
        rounds,
        cold=True,
        seed=3,
    )
    formats = {}
    if toml:
        formats["toml"] = interleaved({"nl": nl_untyped, "fm": fm_toml}, toml, rounds, cold=True, seed=4)
    if json_:
        formats["json"] = interleaved({"nl": nl_untyped, "fm": fm_json}, json_, rounds, cold=True, seed=5)

    rows = [
        ("typed `loads`, cold (a fresh copy of each text)", loads["nl"], loads["fm"]),
        ("typed `loads`, repeated", warm["nl"], warm["fm"]),
        ("load + title edit + `dumps`", edits["nl_title"], edits["fm_title"]),
        ("load + quality edit + `dumps`", edits["nl_quality"], edits["fm_quality"]),
    ]
    for name, result in formats.items():
        rows.append((f"{name.upper()} `loads` (schema=None) vs python-frontmatter's {name.upper()} handler",
                     result["nl"], result["fm"]))  # fmt: skip
    out += [
        f"## Per file ({len(news)} news items; {rounds} interleaved rounds, medians)",
        "",
        "| row | newsitem µs | python-frontmatter µs | ratio of means | median per-file ratio |",
        "|---|---:|---:|---:|---:|",
    ]
    ratios: dict[str, float] = {}
    for label, a, b in rows:
        r_mean, r_median = ratio_text(a, b)
        ratios[label] = r_mean
        mean_a, mean_b = statistics.fmean(a), statistics.fmean(b)
        out.append(f"| {label} | {mean_a:,.1f} | {mean_b:,.1f} | {r_mean:.3f} | {r_median:.3f} |")

    rt_rounds = max(1, rounds // 5)
    rt = interleaved(
        {"nl_load": nl_load, "rt_load": rt_load, "nl_title": nl_title, "rt_title": rt_title},
        news,
        rt_rounds,
        cold=True,
        seed=6,
    )
    out += [
        "",
        f"## Against a ruamel.yaml round trip ({rt_rounds} interleaved rounds, medians)",
        "",
        "`YAML()` (round trip) with `preserve_quotes = True` and no line folding.",
        "",
        "| row | newsitem µs | ruamel.yaml µs | ratio of means | median per-file ratio |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, a, b in (
        ("`loads` / round-trip load", rt["nl_load"], rt["rt_load"]),
        ("load + title edit + `dumps` / round-trip load, edit, dump", rt["nl_title"], rt["rt_title"]),
    ):
        r_mean, r_median = ratio_text(a, b)
        ratios[label] = r_mean
        mean_a, mean_b = statistics.fmean(a), statistics.fmean(b)
        out.append(f"| {label} | {mean_a:,.1f} | {mean_b:,.1f} | {r_mean:.3f} | {r_median:.3f} |")
    editors = {"newsitem": nl_title, "ruamel.yaml round trip": rt_title, "python-frontmatter": fm_title}
    lines = {name: sum(changed_lines(text, fn(text)) for text in news) for name, fn in editors.items()}
    out += ["", f"Lines a title edit changes, over all {len(news)} items:", ""]
    out += [f"- {name}: {n:,}" for name, n in lines.items()]

    sizes = SIZES[:3] if args.quick else SIZES
    series = {"newsitem": [], "python-frontmatter": [], "PyYAML (C)": []}
    out += ["", "## Scaling: distinct strings, 1 KB to 1 MB of front matter", ""]
    out += [
        "| size | newsitem ms | python-frontmatter ms | PyYAML C ms | newsitem / frontmatter |",
        "|---:|---:|---:|---:|---:|",
    ]
    big = newsitem.Limits(max_size=2_000_000, max_nodes=1_000_000)
    scale_rounds = max(3, rounds // 3)
    for size in sizes:
        text = synthetic(size)
        res = interleaved(
            {
                "newsitem": lambda t: newsitem.loads(t, limits=big),
                "python-frontmatter": fm_load,
                "PyYAML (C)": pyyaml_load,
            },
            [text],
            scale_rounds,
            cold=True,
            seed=size,
        )
        for k in series:
            series[k].append(res[k][0] / 1000)
        out.append(
            f"| {size:,} | {res['newsitem'][0] / 1000:,.2f} | {res['python-frontmatter'][0] / 1000:,.2f} | "
            f"{res['PyYAML (C)'][0] / 1000:,.2f} | {res['newsitem'][0] / res['python-frontmatter'][0]:.3f} |"
        )
    per_kb = [t / (s / 1000) for t, s in zip(series["newsitem"], sizes, strict=True)]
    out.append("")
    out.append(
        "newsitem ms per KB across the series: " + ", ".join(f"{x:.3f}" for x in per_kb)
        + f" (largest / smallest: {max(per_kb) / min(per_kb):.2f})"
    )  # fmt: skip

    starts = startup(
        [str(ROOT / "examples" / "_news" / "2024-03-09-heat-pump-subsidy.md")], 5 if args.quick else 15
    )
    out += ["", "## Start-up (whole processes, medians)", "", "| command | wall ms |", "|---|---:|"]
    out += [f"| `{k}` | {v:,.1f} |" for k, v in starts.items()]

    largest = max(news, key=len)
    memory = {"largest news item": peak_bytes_per_char(largest)}
    if not args.quick:
        memory["1 MB synthetic"] = peak_bytes_per_char(synthetic(1_000_000))
    out += ["", "## Memory: peak allocation during load + title edit + dumps", ""]
    out += [f"- {k}: {v:.1f} bytes per front-matter character" for k, v in memory.items()]

    targets = [
        Target("typed loads, cold / frontmatter loads", ratios[rows[0][0]], 0.5),
        Target("typed loads, repeated / frontmatter loads", ratios[rows[1][0]], 0.4),
        Target("load + title edit + dumps / frontmatter", ratios[rows[2][0]], 0.5),
        Target(
            f"{sizes[-1] // 1000:,} KB load / frontmatter",
            series["newsitem"][-1] / series["python-frontmatter"][-1],
            1.0,
        ),
        Target("newsitem check one-file.md (ms)", starts["newsitem check FILE"], 90.0),
        Target("peak bytes per front-matter character (largest item)", memory["largest news item"], 15.0),
    ]
    for name in formats:
        label = next(r[0] for r in rows if r[0].startswith(name.upper()))
        targets.append(
            Target(f"{name.upper()} load / python-frontmatter {name.upper()} handler", ratios[label], 1.0)
        )
    out += ["", "## Targets", "", "| target | value | limit | met? |", "|---|---:|---:|---|"]
    out += [f"| {t.label} | {t.value:.3f} | {t.limit:g} | {'yes' if t.met else 'no'} |" for t in targets]
    out += ["", "## Machine", "", *machine()]
    report = "\n".join(out) + "\n"
    print(report)
    if args.output:
        args.output.write_text(report)
    if args.chart:
        chart(args.chart, sizes, series)
    missed = [t for t in targets if not t.met]
    return 1 if args.check and missed else 0


def chart(path: Path, sizes: Sequence[int], series: dict[str, list[float]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4), dpi=120)
    for name, times in series.items():
        ax.plot([s / 1000 for s in sizes], times, marker="o", label=name)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("front matter (KB)")
    ax.set_ylabel("load time per file (ms)")
    ax.set_title("Load time against front-matter size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)


if __name__ == "__main__":
    sys.exit(main())
