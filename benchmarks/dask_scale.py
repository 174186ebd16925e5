"""Dask against ``newsitem check -j``: 200,000 items on the local file system.

Generates a ``_news`` folder of *count* items (corpus news items, each with its own
title, URLs and date, as ``benchmarks/scale.py`` makes them), then times, in turns
(one of each per round, so a slow spell of the machine hits all of them alike):

- ``newsitem check -j 1`` (one process) and ``newsitem check -j 2``, as processes;
- Dask on a ``distributed.LocalCluster`` of 2 worker processes (one thread each):
  ``newsitem.dask.read(folder)`` and the count of files with problems, computed on
  the workers; the cluster is started once, before the rounds, and its start-up is
  timed on its own;
- Dask in this one process (``scheduler="sync"``): Dask's own cost without parallelism.

and prints wall times, items/s, the cores this process may use and the load average
(how many of them were actually free), and the scheduler's cost per task (measured
with tasks that do nothing), then what that makes of N machines on paper.

    python benchmarks/dask_scale.py                  # 200,000 items, one round
    python benchmarks/dask_scale.py --count 2000     # a smoke run
    python benchmarks/dask_scale.py --keep /tmp/big  # generate once, reuse later

Not a test: nothing here fails on timing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dask
import dask.bag as db
import distributed
from scale import generate

import newsitem
import newsitem.dask


def _cpu_times() -> tuple[int, int]:
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    return values[3] + values[4], sum(values)  # idle + iowait, all


def free_cores(seconds: float = 3.0) -> tuple[int, tuple[float, float, float], float]:
    """Cores this process may run on, the load average, and how many cores sat idle
    over *seconds* (from /proc/stat, Linux; elsewhere the cores less the load)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    load = os.getloadavg()
    try:
        idle0, all0 = _cpu_times()
        time.sleep(seconds)
        idle1, all1 = _cpu_times()
        online = os.cpu_count() or cores
        idle = online * (idle1 - idle0) / max(1, all1 - all0)
    except OSError:
        idle = cores - load[0]
    return cores, load, max(0.0, min(float(cores), idle))


def _processes() -> dict[int, tuple[int, int]]:
    """Every process: ``pid -> (parent pid, CPU ticks used so far)``, from /proc."""
    found = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[int(name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))  # ppid, utime + stime
    return found


class Busy:
    """How busy the machine was during a run, and how much of that was the run itself.

    ``cores_busy``: the average number of busy cores, all processes (/proc/stat).
    ``ours``: CPU time of this process and all its descendants (the command and its
    workers, the cluster's workers), sampled from /proc every 0.2 s, over the wall
    time. ``others``: the difference, the load of everything else on the machine.
    """

    def __enter__(self) -> Busy:
        self.first: dict[int, int] = {}
        self.last: dict[int, int] = {}
        self.stop = threading.Event()
        self._sample()
        self.first = dict(self.last)
        self.idle0, self.all0 = _cpu_times()
        self.start = time.perf_counter()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        return self

    def _sample(self) -> None:
        table = _processes()
        me = os.getpid()
        for pid, (_, ticks) in table.items():
            p, seen = pid, set()
            while p not in (me, 0, 1) and p in table and p not in seen:
                seen.add(p)
                p = table[p][0]
            if p == me:
                self.last[pid] = ticks

    def _run(self) -> None:
        while not self.stop.wait(0.2):
            self._sample()

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
        self._sample()
        self.wall = time.perf_counter() - self.start
        idle1, all1 = _cpu_times()
        online = os.cpu_count() or 1
        self.cores_busy = online * (1 - (idle1 - self.idle0) / max(1, all1 - self.all0))
        ticks = sum(t - self.first.get(pid, 0) for pid, t in self.last.items())
        self.ours = ticks / os.sysconf("SC_CLK_TCK") / self.wall
        self.others = max(0.0, self.cores_busy - self.ours)


def check_command(folder: Path, jobs: int) -> list[str]:
    return [sys.executable, "-m", "newsitem", "check", "-j", str(jobs), "--no-progress", str(folder)]


def run_check(folder: Path, jobs: int) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(check_command(folder, jobs), capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"check -j {jobs} failed: {done.stderr}")
    return seconds, done.stdout.strip().splitlines()[-1]


def _failed(pair: tuple[str, object]) -> int:
    return int(isinstance(pair[1], newsitem.NewsItemError))


def run_dask(folder: Path, partition_size: int, scheduler: str | None) -> tuple[float, str]:
    start = time.perf_counter()
    bag = newsitem.dask.read(str(folder), partition_size=partition_size)
    # One chain, so Dask fuses reading and flagging into one task per partition and the
    # documents are dropped inside it (two consumers of the documents would keep them).
    flags = bag.map(_failed)
    total = flags.count()
    failed = flags.sum()
    options = {"scheduler": scheduler} if scheduler else {}
    items, bad = dask.compute(total, failed, **options)
    seconds = time.perf_counter() - start
    return seconds, f"{items:,} files, {bad:,} with problems, {bag.npartitions:,} tasks"


def _nothing(x: object) -> object:
    return x


def task_overhead(client: distributed.Client, tasks: int) -> tuple[float, float]:
    """Seconds per task for tasks that do nothing: submitted as futures, and as a bag."""
    client.gather(client.map(_nothing, range(200), pure=False))  # warm up
    start = time.perf_counter()
    client.gather(client.map(_nothing, range(tasks), pure=False))
    futures = (time.perf_counter() - start) / tasks
    start = time.perf_counter()
    db.from_sequence(range(tasks), npartitions=tasks).map_partitions(_nothing).count().compute()
    bag = (time.perf_counter() - start) / tasks
    return futures, bag


def rate(count: int, seconds: float) -> str:
    return f"{seconds:8.2f} s  {count / seconds:9,.0f} items/s"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=200_000, help="items to generate (default 200,000)")
    parser.add_argument("--rounds", type=int, default=1, help="rounds of all runs, interleaved (median kept)")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes")
    parser.add_argument("--partition-size", type=int, default=newsitem.dask.PARTITION_SIZE)
    parser.add_argument("--tasks", type=int, default=2_000, help="empty tasks to time the scheduler with")
    parser.add_argument("--keep", type=Path, help="generate into (or reuse) this folder")
    args = parser.parse_args()

    base = args.keep or Path(tempfile.mkdtemp(prefix="newsitem-dask-scale-"))
    folder = base / "_news"
    try:
        if not (folder.is_dir() and len(os.listdir(folder)) == args.count):
            shutil.rmtree(folder, ignore_errors=True)
            print(f"generating {args.count:,} items in {folder} ...", flush=True)
            start = time.perf_counter()
            generate(folder, args.count)
            print(f"  {time.perf_counter() - start:.1f} s", flush=True)
        size = sum(e.stat().st_size for e in os.scandir(folder)) / 2**20

        cores, load, free = free_cores()
        print(
            f"\nPython {sys.version.split()[0]}, dask {dask.__version__}, "
            f"distributed {distributed.__version__}, newsitem {newsitem.__version__}; "
            f"{args.count:,} files, {size:,.0f} MiB"
        )
        print(
            f"cores usable: {cores}; idle over 3 s before the runs: {free:.2f} cores; "
            f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
        )

        start = time.perf_counter()
        cluster = distributed.LocalCluster(
            n_workers=args.workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
        )
        client = distributed.Client(cluster)
        client.run(lambda: __import__("newsitem.dask"))  # workers import newsitem before timing
        startup = time.perf_counter() - start
        print(f"LocalCluster of {args.workers} workers started in {startup:.2f} s")

        runs: dict[str, Callable[[], tuple[float, str]]] = {
            "check -j 1 (one process)": lambda: run_check(folder, 1),
            "check -j 2": lambda: run_check(folder, 2),
            f"dask, LocalCluster {args.workers} workers": lambda: run_dask(folder, args.partition_size, None),
            "dask, one process (sync)": lambda: run_dask(folder, args.partition_size, "sync"),
        }
        times: dict[str, list[float]] = {name: [] for name in runs}
        cpu: dict[str, list[float]] = {name: [] for name in runs}
        others: list[float] = []
        for r in range(args.rounds):
            for name, run in runs.items():
                with Busy() as busy:
                    seconds, note = run()
                times[name].append(seconds)
                cpu[name].append(busy.ours * busy.wall)
                others.append(busy.others)
                print(
                    f"  round {r + 1}: {name:34} {rate(args.count, seconds)}  ({note}); "
                    f"cores busy {busy.cores_busy:.2f}: this run {busy.ours:.2f}, others {busy.others:.2f}; "
                    f"{args.count / (busy.ours * busy.wall):,.0f} items per CPU-second",
                    flush=True,
                )
        load_after = os.getloadavg()

        per_task_futures, per_task_bag = task_overhead(client, args.tasks)
        client.close()
        cluster.close()

        print(f"\nmedian of {args.rounds} round(s):")
        median = {name: statistics.median(t) for name, t in times.items()}
        per_cpu = {name: args.count / statistics.median(c) for name, c in cpu.items()}
        for name in runs:
            print(f"  {name:34} {rate(args.count, median[name])}  {per_cpu[name]:7,.0f} items per CPU-second")
        print(f"load average after the rounds: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
        print(
            f"cores taken by other processes during the runs: {min(others):.2f} to {max(others):.2f} "
            f"(median {statistics.median(others):.2f}) of {cores}"
        )
        print(
            f"scheduler cost per task (tasks doing nothing, {args.tasks:,} of them): "
            f"{per_task_futures * 1e3:.2f} ms as futures, {per_task_bag * 1e3:.2f} ms in a bag"
        )

        cluster_name = f"dask, LocalCluster {args.workers} workers"
        measured_per_worker = args.count / median[cluster_name] / args.workers
        # A worker with a core of its own: the CPU cost per item of the whole Dask run
        # (workers, scheduler and client), which the other load here does not change.
        per_worker = per_cpu[cluster_name]
        single = args.count / median["check -j 1 (one process)"]
        j2 = args.count / median["check -j 2"]
        items_per_task = args.partition_size
        cap = items_per_task / per_task_bag
        print(
            f"\nper worker on the cluster: {measured_per_worker:,.0f} items/s measured here (sharing the "
            f"cores), {per_worker:,.0f} items/s with a core of its own; check -j 1: {single:,.0f} items/s"
        )
        print(
            f"scheduler ceiling: {items_per_task} items per task / {per_task_bag * 1e3:.2f} ms per task "
            f"= {cap:,.0f} items/s"
        )
        print("on paper, N workers (one per core, files as near as a local disk):")
        for workers in (2, 8, 32, 128, 512):
            paper = min(workers * per_worker, cap)
            crossover = startup / (1 / j2 - 1 / paper) if paper > j2 else float("inf")
            where = f"pays from ~{crossover:,.0f} files" if crossover != float("inf") else "never pays"
            print(f"  {workers:4} workers: {paper:11,.0f} items/s; against check -j 2 here, {where}")
        return 0
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
