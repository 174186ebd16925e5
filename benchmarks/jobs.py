"""Where worker processes start to pay: ``newsitem check -j 1`` against ``-j N`` by folder size.

Makes folders of 100 to 8,000 news items (copies of the corpus's news items) and
times the whole command on each, one process against ``--jobs`` workers (default:
one per core), alternating the two, best and median of ``--repeat`` runs. The
crossover it shows is what ``-j auto`` (``AUTO_MIN_FILES`` in ``newsitem._batch``)
is set from.

    python benchmarks/jobs.py                 # sizes 100 .. 8000, 5 runs each
    python benchmarks/jobs.py --sizes 500 1000 2000 --repeat 9
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("NEWSITEM_CORPUS", ROOT.parent / "shared" / "corpus"))


def make_folder(folder: Path, count: int) -> None:
    sources = sorted(p for p in CORPUS.rglob("*.md") if "_news" in p.parts)
    if not sources:
        sys.exit(f"no news items under {CORPUS} (set NEWSITEM_CORPUS)")
    folder.mkdir(parents=True)
    for i in range(count):
        source = sources[i % len(sources)]
        shutil.copyfile(source, folder / f"{i:05d}-{source.name}")


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 250, 500, 1000, 2000, 4000, 8000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args()
    base = [sys.executable, "-m", "newsitem", "check", "--no-progress", "--no-config"]
    print(
        f"Python {sys.version.split()[0]}, {args.jobs} workers against 1, best/median of {args.repeat} runs"
    )
    print(
        f"{'files':>6}  {'-j 1 best':>9}  {'median':>7}  {f'-j {args.jobs} best':>9}  {'median':>7}  speed-up"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            folder = Path(tmp) / str(size)
            make_folder(folder, size)
            one: list[float] = []
            many: list[float] = []
            wall([*base, "-j", "1", str(folder)])  # warm the file cache
            for _ in range(args.repeat):
                one.append(wall([*base, "-j", "1", str(folder)]))
                many.append(wall([*base, "-j", str(args.jobs), str(folder)]))
            ratio = statistics.median(one) / statistics.median(many)
            print(
                f"{size:>6}  {min(one):>8.2f}s  {statistics.median(one):>6.2f}s  "
                f"{min(many):>8.2f}s  {statistics.median(many):>6.2f}s  {ratio:>7.2f}x",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
