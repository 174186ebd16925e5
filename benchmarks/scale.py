"""Scale: ``newsitem check`` on a folder of 20,000 items, with one and two processes.

Generates a synthetic ``_news`` folder by varying the corpus's news items (each copy
gets its own title, URLs and date, written back by newsitem, so every file keeps
its template's formatting), then times ``python -m newsitem check -j 1`` and
``-j 2`` on it, best of ``--repeat`` runs, and measures the peak resident memory
of the command on a smaller folder and on the full one, to show that it streams.

    python benchmarks/scale.py                    # 20,000 items, 5,000 for the memory check
    python benchmarks/scale.py --check            # exit 1 if a target is missed

Targets: ``-j 2`` at least 1.7 times as fast as ``-j 1`` (on a machine with two
cores or more), and the peak memory of the command's main process (which walks
the folder, hands out the work and prints the results) on the full folder within
5% (plus 1 MiB) of its peak on the small one. Peak memory is also shown for one
process doing everything (``-j 1``) and for the largest worker.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import attrs

import newsitem

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("NEWSITEM_CORPUS", ROOT.parent / "shared" / "corpus"))


def templates() -> list[newsitem.Document[newsitem.NewsItem]]:
    files = sorted(p for p in CORPUS.rglob("*.md") if "_news" in p.parts)
    if not files:
        sys.exit(f"no news items under {CORPUS} (set NEWSITEM_CORPUS)")
    return [newsitem.load(p) for p in files]


def generate(folder: Path, count: int) -> None:
    """*count* items in *folder*: corpus items with a new title, URLs and date each."""
    docs = templates()
    folder.mkdir(parents=True, exist_ok=True)
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    for i in range(count):
        doc = docs[i % len(docs)]
        original = doc.item
        slug = f"item-{i:05d}"
        item = attrs.evolve(
            original,
            title=f"{original.title} ({i})",
            published_date_time=start + dt.timedelta(minutes=37 * i),
            web_url=f"{original.web_url.rstrip('/')}/{slug}" if original.web_url else None,
            original_url=f"{original.original_url.rstrip('/')}/{slug}" if original.original_url else None,
        )
        saved, doc.item = doc.item, item
        text = newsitem.dumps(doc)
        doc.item = saved
        name = f"{item.published_date_time:%Y-%m-%d}-{slug}.md"
        (folder / name).write_text(text, encoding="utf-8", newline="")


def measure(command: list[str]) -> dict[str, float | str]:
    """Run *command* from a fresh process that reports its wall time and the peak memory
    of the command's process and of its largest descendant (the workers), polled from
    ``/proc`` (Linux; elsewhere memory shows as 0)."""
    probe = [sys.executable, __file__, "--measure", "--", *command]
    done = subprocess.run(probe, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _high_water_mark(pid: int) -> float:
    """The peak resident memory of a running process, in MiB (0 if unknown: not Linux, or gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(c) for c in f.read().split()]
        except OSError:
            continue
    return found


def _is_tracker(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"resource_tracker" in f.read()
    except OSError:
        return True


def _measure_here(command: list[str]) -> None:
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    main_peak = 0.0
    children: dict[int, float] = {}  # the fork server (forkserver) or the workers (spawn)
    grandchildren: dict[int, float] = {}  # the workers (forkserver)
    while proc.poll() is None:
        main_peak = max(main_peak, _high_water_mark(proc.pid))
        for child in _children(proc.pid):
            if not _is_tracker(child):
                children[child] = max(children.get(child, 0.0), _high_water_mark(child))
                for worker in _children(child):
                    grandchildren[worker] = max(grandchildren.get(worker, 0.0), _high_water_mark(worker))
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    out, err = proc.communicate()
    last = out.strip().splitlines()[-1] if out.strip() else err.strip()
    worker_peak = max((grandchildren or children or {0: 0.0}).values())
    record = {"seconds": seconds, "main_mib": main_peak, "worker_mib": worker_peak, "status": proc.returncode}
    print(json.dumps({**record, "summary": last}))


def check_command(folder: Path, jobs: int) -> list[str]:
    return [sys.executable, "-m", "newsitem", "check", "-j", str(jobs), "--no-progress", str(folder)]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=20_000, help="items in the full folder")
    parser.add_argument(
        "--small", type=int, default=5_000, help="items in the folder for the memory baseline"
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each command (best is kept)")
    parser.add_argument(
        "--keep", type=Path, help="generate into (or reuse) this folder instead of a temporary one"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("command", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        _measure_here(args.command)
        return 0

    base = args.keep or Path(tempfile.mkdtemp(prefix="newsitem-scale-"))
    full, small = base / "full" / "_news", base / "small" / "_news"
    try:
        if not (full.is_dir() and len(os.listdir(full)) == args.count):
            shutil.rmtree(base / "full", ignore_errors=True)
            print(f"generating {args.count:,} items in {full} ...", flush=True)
            start = time.perf_counter()
            generate(full, args.count)
            print(f"  {time.perf_counter() - start:.1f} s", flush=True)
        if not (small.is_dir() and len(os.listdir(small)) == args.small):
            shutil.rmtree(base / "small", ignore_errors=True)
            small.mkdir(parents=True)
            for name in sorted(os.listdir(full))[: args.small]:
                os.link(full / name, small / name)

        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        print(f"\nPython {sys.version.split()[0]}, {cores} cores, newsitem {newsitem.__version__}")
        results: dict[int, dict[str, float | str]] = {}
        for jobs in (1, 2):
            runs = [measure(check_command(full, jobs)) for _ in range(args.repeat)]
            best = min(runs, key=lambda r: float(r["seconds"]))
            if best["status"] != 0:
                print(f"check -j {jobs} failed: {best['summary']}")
                return 1
            results[jobs] = best
            print(f"check -j {jobs}: {float(best['seconds']):6.2f} s  ({best['summary']})")
        ratio = float(results[1]["seconds"]) / float(results[2]["seconds"])
        print(f"speed-up with -j 2: {ratio:.2f}x  (target: 1.7x or more)")

        memory: dict[int, dict[str, float]] = {}
        for folder, n in ((small, args.small), (full, args.count)):
            one = [measure(check_command(folder, 1)) for _ in range(2)]
            two = [measure(check_command(folder, 2)) for _ in range(2)]
            memory[n] = {
                "one": max(float(r["main_mib"]) for r in one),
                "two_main": max(float(r["main_mib"]) for r in two),
                "two_largest": max(float(r["worker_mib"]) for r in two),
            }
            m = memory[n]
            print(
                f"peak memory, {n:>6,} files: -j 1 {m['one']:5.1f} MiB; "
                f"-j 2 main process {m['two_main']:5.1f} MiB, largest worker {m['two_largest']:5.1f} MiB"
            )
        small_m, full_m = memory[args.small], memory[args.count]
        growth = full_m["two_main"] - small_m["two_main"]
        sizes = f"from {args.small:,} to {args.count:,} files"
        print(f"growth of the main process {sizes} (-j 2): {growth:+.1f} MiB")
        print(
            f"growth of one process doing all the parsing (-j 1): {full_m['one'] - small_m['one']:+.1f} MiB "
            "(the parser memoises plain scalars, up to 4,096 spellings)"
        )

        missed = []
        if cores and cores >= 2 and ratio < 1.7:
            missed.append(f"speed-up {ratio:.2f}x < 1.7x")
        if growth > 0.05 * small_m["two_main"] + 1:
            missed.append(f"the main process grew by {growth:.1f} MiB")
        if missed:
            print("missed: " + "; ".join(missed))
        return 1 if args.check and missed else 0
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
