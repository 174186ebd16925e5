"""Crash safety of ``dump`` and ``edit``: failures, kills and concurrent writers.

What newsitem promises for a path target (``_files.write_atomic``):

* Until ``os.replace`` has returned, the target is untouched. Any failure before that
  (creating, writing, flushing, fsyncing, closing, chmodding the temporary file, the
  rename itself, taking the lock, re-reading the target for the conflict check) raises
  ``FileError`` (a ``NewsItemError`` and an ``OSError`` with the original ``errno``),
  leaves the target byte for byte and inode for inode as it was, removes the temporary
  file and releases the lock. ``BaseException`` (Ctrl-C) also cleans up and is re-raised
  unwrapped.
* The rename is the commit point. After it the target holds the new bytes, whatever
  happens next; syncing the folder only makes the rename survive a power cut and is
  best effort. No temporary file is left.
* A process killed outright (SIGKILL, ``os._exit``) cannot clean up: the target is intact
  but its fsynced temporary file stays behind, named ``.newsitem-*.tmp`` so it can be
  recognised and removed by hand. Later writes work (the kernel drops the dead process's
  lock) and do not touch it: a writer cannot tell it from another live writer's.
* Two writers that loaded the same bytes: exactly one wins, the other gets
  ``ConflictError`` and writes nothing.
"""

from __future__ import annotations

import contextlib
import difflib
import errno
import json
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pytest

import newsitem
from newsitem import _files

fcntl = pytest.importorskip("fcntl", reason="advisory locks and signals are POSIX")

ITEM = """\
---
category: news
title: "Original title"   # keep me
publishedDateTime: 2023-11-28T13:36:00Z
quality: 56

topics:
  - AI
  - Robots
---
Body stays.
"""
ORIGINAL = ITEM.encode()
SRC = Path(newsitem.__file__).resolve().parent.parent
CHILD_TIMEOUT = 30.0


def edited(**changes: Any) -> bytes:
    """ORIGINAL with *changes* applied, as dump writes it (one line per change differs)."""
    doc = newsitem.loads(ITEM)
    for name, value in changes.items():
        setattr(doc.item, name, value)
    out = newsitem.dumps(doc).encode()
    changed = [
        line
        for line in difflib.ndiff(ITEM.splitlines(True), out.decode().splitlines(True))
        if line.startswith("+ ")
    ]
    assert len(changed) == len(changes), changed  # sanity: each edit is exactly one line
    return out


def make_item(tmp_path: Path, name: str = "a.md", mode: int = 0o640) -> Path:
    path = tmp_path / name
    path.write_bytes(ORIGINAL)
    os.chmod(path, mode)
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob(".newsitem-*.tmp"))


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def assert_unlocked(path: Path) -> None:
    """Nobody holds newsitem's advisory lock on *path* (a non-blocking lock succeeds)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        os.close(fd)


def is_locked(path: Path) -> bool:
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def open_fds() -> int | None:
    return len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None


# ---------------------------------------------------------------------------------------
# 1. A failure at every step of a write
# ---------------------------------------------------------------------------------------

#: Steps before the rename, in the order a write takes them, with a plausible errno.
BEFORE_RENAME = {
    "lock": errno.ENOLCK,  # fcntl.flock on the target
    "check-read": errno.EIO,  # re-reading the target for the conflict check
    "mkstemp": errno.ENOSPC,  # creating the temporary file (_files._temporary)
    "write": errno.ENOSPC,  # the file object's write, before any byte lands
    "partial-write": errno.ENOSPC,  # half the bytes are in the temporary file, then the disk is full
    "flush": errno.EIO,
    "fsync": errno.EIO,  # os.fsync of the temporary file
    "close": errno.EIO,  # NFS and friends report write errors at close
    "chmod": errno.EPERM,
    "replace": errno.EXDEV,  # os.replace
}
#: Steps after the rename: the new bytes are already the file.
AFTER_RENAME = {
    "fsync-folder": errno.EINVAL,  # os.fsync of the folder (some file systems refuse)
    "open-folder": errno.EMFILE,  # os.open of the folder, to fsync it (out of descriptors)
}


class FlakyFile:
    """Stands in for the temporary file object ``os.fdopen`` returns, failing at one call."""

    def __init__(self, real: BinaryIO, step: str, fail: Callable[[str], None], hits: list[Any]) -> None:
        self._real, self._step, self._fail, self._hits = real, step, fail, hits

    def __enter__(self) -> FlakyFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fileno(self) -> int:
        return self._real.fileno()

    def write(self, data: bytes) -> int:
        if self._step == "write":
            self._fail("write")
        if self._step == "partial-write":
            half = len(data) // 2
            self._real.write(data[:half])
            self._real.flush()
            self._hits.append(("temporary size", os.fstat(self._real.fileno()).st_size, half))
            self._fail("partial-write")
        return self._real.write(data)

    def flush(self) -> None:
        if self._step == "flush":
            self._fail("flush")
        self._real.flush()

    def close(self) -> None:
        self._real.close()  # the descriptor is closed either way, as a real close does
        if self._step == "close":
            self._fail("close")


def inject(monkeypatch: pytest.MonkeyPatch, step: str, error: BaseException) -> list[Any]:
    """Make *step* of the next write raise *error*; returns the list of steps that fired."""
    hits: list[Any] = []

    def fail(what: str) -> None:
        hits.append(what)
        raise error

    if step == "lock":
        monkeypatch.setattr(fcntl, "flock", lambda fd, op: fail("lock"))
    elif step == "check-read":
        monkeypatch.setattr(_files, "_read_bytes", lambda path: fail("check-read"))
    elif step == "mkstemp":
        monkeypatch.setattr(_files, "_temporary", lambda *a, **k: fail("mkstemp"))
    elif step in ("write", "partial-write", "flush", "close"):
        real_fdopen = os.fdopen

        def fdopen(fd: int, *args: Any, **kwargs: Any) -> FlakyFile:
            return FlakyFile(real_fdopen(fd, *args, **kwargs), step, fail, hits)

        monkeypatch.setattr(os, "fdopen", fdopen)
    elif step in ("fsync", "fsync-folder"):
        real_fsync = os.fsync

        def fsync(fd: int) -> None:
            if stat.S_ISDIR(os.fstat(fd).st_mode) == (step == "fsync-folder"):
                fail(step)
            real_fsync(fd)

        monkeypatch.setattr(os, "fsync", fsync)
    elif step == "chmod":
        monkeypatch.setattr(os, "chmod", lambda *a, **k: fail("chmod"))
    elif step == "replace":
        monkeypatch.setattr(os, "replace", lambda *a, **k: fail("replace"))
    elif step == "open-folder":
        real_open = os.open

        def open_(path: Any, flags: int, mode: int = 0o777, *, dir_fd: int | None = None) -> int:
            if os.path.isdir(path):
                fail("open-folder")
            return real_open(path, flags, mode, dir_fd=dir_fd)

        monkeypatch.setattr(os, "open", open_)
    else:  # pragma: no cover
        raise AssertionError(step)
    return hits


def assert_untouched(path: Path, before: os.stat_result) -> None:
    after = path.stat()
    assert path.read_bytes() == ORIGINAL
    assert (after.st_ino, stat.S_IMODE(after.st_mode)) == (before.st_ino, stat.S_IMODE(before.st_mode))
    assert listing(path.parent) == [path.name]  # in particular no .newsitem-*.tmp
    assert_unlocked(path)


@pytest.mark.parametrize("step", list(BEFORE_RENAME))
def test_a_failure_before_the_rename_leaves_the_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    path = make_item(tmp_path)
    before = path.stat()
    doc = newsitem.load(path)
    doc.item.title = "Changed"
    code = BEFORE_RENAME[step]
    fds = open_fds()
    hits = inject(monkeypatch, step, OSError(code, os.strerror(code)))

    with pytest.raises(newsitem.NewsItemError) as info:
        newsitem.dump(doc, path)
    monkeypatch.undo()

    assert step in hits  # the failure really happened at that step
    err = info.value
    assert type(err) is newsitem.FileError  # a FileError, and not a ConflictError
    assert isinstance(err, OSError)
    assert (err.errno, err.path, err.filename) == (code, str(path), str(path))
    assert os.strerror(code) in str(err)
    assert_untouched(path, before)
    assert open_fds() == fds  # the temporary file's and the lock's descriptors are closed
    if step == "partial-write":  # a half-written temporary file really existed, and is gone
        size_hit = next(h for h in hits if isinstance(h, tuple))
        assert size_hit[1] == size_hit[2] > 0

    # nothing about the document was spoiled: the same dump now succeeds, no conflict
    newsitem.dump(doc, path)
    assert path.read_bytes() == edited(title="Changed")
    assert listing(tmp_path) == ["a.md"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


@pytest.mark.parametrize("step", ["lock", "mkstemp", "write", "partial-write", "fsync", "close", "replace"])
def test_an_interrupt_before_the_rename_cleans_up_and_is_not_wrapped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    path = make_item(tmp_path)
    before = path.stat()
    doc = newsitem.load(path)
    doc.item.title = "Changed"
    interrupt = KeyboardInterrupt()
    hits = inject(monkeypatch, step, interrupt)

    with pytest.raises(KeyboardInterrupt) as info:
        newsitem.dump(doc, path)
    monkeypatch.undo()

    assert step in hits
    assert info.value is interrupt
    assert_untouched(path, before)


@pytest.mark.parametrize("step", list(AFTER_RENAME))
def test_after_the_rename_the_new_content_is_in_place_and_no_temporary_remains(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    """The part of the promise that holds whatever dump then reports."""
    path = make_item(tmp_path)
    doc = newsitem.load(path)
    doc.item.title = "Changed"
    hits = inject(monkeypatch, step, OSError(AFTER_RENAME[step], os.strerror(AFTER_RENAME[step])))
    with contextlib.suppress(newsitem.FileError):
        newsitem.dump(doc, path)
    monkeypatch.undo()

    assert step in hits
    assert path.read_bytes() == edited(title="Changed")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert listing(tmp_path) == ["a.md"]
    assert_unlocked(path)


@pytest.mark.parametrize("step", ["fsync-folder", "open-folder"])
def test_a_failure_after_the_rename_is_not_reported_as_a_failed_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    """Once renamed, the write happened: dump must not say otherwise ("errors leave the file
    as it was" would be false), and the document's baseline must be the new text, or the
    next dump of the same document is refused as a conflict with its own write."""
    path = make_item(tmp_path)
    doc = newsitem.load(path)
    doc.item.title = "Changed"
    hits = inject(monkeypatch, step, OSError(AFTER_RENAME[step], os.strerror(AFTER_RENAME[step])))
    newsitem.dump(doc, path)  # returns normally: the folder fsync is best effort
    monkeypatch.undo()

    assert step in hits
    assert path.read_bytes() == edited(title="Changed")
    assert listing(tmp_path) == ["a.md"]
    doc.item.quality = 1
    newsitem.dump(doc, path)
    assert path.read_bytes() == edited(title="Changed", quality=1)


# ---------------------------------------------------------------------------------------
# 2. The writing process killed
# ---------------------------------------------------------------------------------------


def child_env() -> dict[str, str]:
    """The children import the newsitem under test, not whatever else is installed."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH")) if p)
    return env


def run_child(script: str, *args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script, *map(str, args)],
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
        check=False,
    )


def start_child(script: str, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until(done: Callable[[], bool], children: list[subprocess.Popen[str]], what: str) -> None:
    """Poll *done* until it holds; fail early, with the child's stderr, if a child exits."""
    deadline = time.monotonic() + CHILD_TIMEOUT
    while not done():
        for child in children:
            if child.poll() is not None:
                _, err = child.communicate()
                pytest.fail(f"child exited with {child.returncode} before {what}:\n{err}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.002)


@contextlib.contextmanager
def reaped(*children: subprocess.Popen[str]) -> Iterator[None]:
    try:
        yield
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
            child.communicate()


#: Loads argv[1], sets the title and dumps with os.replace exiting the process on the spot.
EXIT_BEFORE_RENAME = """\
import os, sys
import newsitem

path = sys.argv[1]
doc = newsitem.load(path)
doc.item.title = "Child"

def replace(src, dst):
    # the temporary file is written, flushed, fsynced, closed and chmodded: die now
    os._exit(9)

os.replace = replace
newsitem.dump(doc, path)
sys.exit("not reached")
"""

#: Like EXIT_BEFORE_RENAME, but blocks at argv[2] ("fsync" or "replace") after writing a
#: marker file (argv[3]) holding the temporary file's name, to be SIGKILLed by the parent.
BLOCK_FOR_KILL = """\
import os, stat, sys, time
import newsitem

path, point, marker = sys.argv[1:4]
doc = newsitem.load(path)
doc.item.title = "Child"
real_fsync = os.fsync

def block(tmp):
    with open(marker + ".part", "w") as f:
        f.write(os.path.basename(tmp))
    os.rename(marker + ".part", marker)
    time.sleep(60)
    os._exit(3)  # not reached: the parent kills us first

def fsync(fd):
    if point == "fsync" and stat.S_ISREG(os.fstat(fd).st_mode):
        block(os.readlink(f"/proc/self/fd/{fd}") if os.path.isdir("/proc/self/fd") else "?")
    real_fsync(fd)

def replace(src, dst):
    block(src)

os.fsync = fsync
if point == "replace":
    os.replace = replace
newsitem.dump(doc, path)
sys.exit("not reached")
"""


def assert_killed_write_left_original_and_a_recognisable_temporary(path: Path) -> str:
    """The original is intact; the one leftover is the child's complete temporary file."""
    assert path.read_bytes() == ORIGINAL
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    left = leftovers(path.parent)
    assert len(left) == 1, listing(path.parent)
    assert listing(path.parent) == sorted([path.name, left[0]])
    # it holds what the child was writing (the data was written before it died)
    assert (path.parent / left[0]).read_bytes() == edited(title="Child")
    return left[0]


def assert_later_writes_work_and_leave_the_leftover_alone(path: Path, leftover: str) -> None:
    assert_unlocked(path)  # the kernel dropped the dead child's lock
    doc = newsitem.load(path)
    doc.item.quality = 7
    newsitem.dump(doc, path)  # no ConflictError: the original was never changed
    assert path.read_bytes() == edited(quality=7)
    # dump removes only its own temporary file: it cannot tell a dead writer's from a live one's
    assert listing(path.parent) == sorted([path.name, leftover])
    assert (path.parent / leftover).read_bytes() == edited(title="Child")


def test_a_process_dying_just_before_the_rename_leaves_the_original(tmp_path: Path) -> None:
    path = make_item(tmp_path)
    inode = path.stat().st_ino

    result = run_child(EXIT_BEFORE_RENAME, path)

    assert result.returncode == 9, result.stderr
    assert path.stat().st_ino == inode
    leftover = assert_killed_write_left_original_and_a_recognisable_temporary(path)
    # the leftover was fsynced and chmodded already: it has the target's mode
    assert stat.S_IMODE((tmp_path / leftover).stat().st_mode) == 0o640
    assert_later_writes_work_and_leave_the_leftover_alone(path, leftover)


@pytest.mark.parametrize("point", ["fsync", "replace"])
def test_sigkill_while_writing_leaves_the_original(tmp_path: Path, point: str) -> None:
    (tmp_path / "items").mkdir()
    path = make_item(tmp_path / "items")
    inode = path.stat().st_ino
    marker = tmp_path / "marker"  # outside the item's folder

    child = start_child(BLOCK_FOR_KILL, path, point, marker)
    with reaped(child):
        wait_until(marker.exists, [child], f"the child to block at {point}")
        tmp_name = marker.read_text()
        assert is_locked(path)  # the child really is inside dump's locked section
        assert path.read_bytes() == ORIGINAL
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=CHILD_TIMEOUT) == -signal.SIGKILL

    assert path.stat().st_ino == inode
    leftover = assert_killed_write_left_original_and_a_recognisable_temporary(path)
    if tmp_name != "?":
        assert Path(tmp_name).name == leftover
    assert_later_writes_work_and_leave_the_leftover_alone(path, leftover)


#: Under a real file-size limit (argv[2] bytes) the temporary file is cut short by EFBIG.
SIZE_LIMITED = """\
import json, os, resource, signal, sys
import newsitem

path, limit = sys.argv[1], int(sys.argv[2])
doc = newsitem.load(path)
doc.body = "x" * (4 * limit)
unlinked = []
real_unlink = os.unlink

def unlink(p, *args, **kwargs):
    unlinked.append([os.path.basename(p), os.stat(p).st_size])
    return real_unlink(p, *args, **kwargs)

os.unlink = unlink
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
try:
    newsitem.dump(doc, path)
except BaseException as e:
    error = {"type": type(e).__name__, "newsitem": isinstance(e, newsitem.NewsItemError),
             "errno": getattr(e, "errno", None), "path": getattr(e, "path", None)}
else:
    error = None
print(json.dumps({"error": error, "unlinked": unlinked}))
"""


def test_a_really_half_written_temporary_file_leaves_the_original(tmp_path: Path) -> None:
    """No mocks: the kernel refuses the bytes past RLIMIT_FSIZE half way through the write."""
    path = make_item(tmp_path)
    limit = 1000  # bytes; the original is smaller, the new text four times larger
    assert len(ORIGINAL) < limit

    result = run_child(SIZE_LIMITED, path, limit)

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["error"] == {
        "type": "FileError",
        "newsitem": True,
        "errno": errno.EFBIG,
        "path": str(path),
    }
    [(name, size)] = report["unlinked"]  # the half-written temporary file was removed
    assert name.startswith(".newsitem-") and name.endswith(".tmp")
    assert size == limit
    assert path.read_bytes() == ORIGINAL
    assert listing(tmp_path) == ["a.md"]


# ---------------------------------------------------------------------------------------
# 3. Two processes editing the same file at once
# ---------------------------------------------------------------------------------------

#: Loads argv[1], sets field argv[2] to JSON argv[3], says so in folder argv[4], waits for
#: "go" there, then dumps. Exit 0: written; 10: ConflictError (11 if it lacks the path).
#: argv[5] == "1" widens the window between the conflict check and the rename to 50 ms.
RACER = """\
import json, os, sys, time
import newsitem
from newsitem import _files

path, field, value, sync, widen = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4], sys.argv[5]
doc = newsitem.load(path)
setattr(doc.item, field, value)
if widen == "1":
    real_write_atomic = _files.write_atomic

    def write_atomic(p, data):
        time.sleep(0.05)  # after the check, before the rename: without the lock both would pass
        real_write_atomic(p, data)

    _files.write_atomic = write_atomic
open(os.path.join(sync, f"loaded-{os.getpid()}"), "w").close()
go = os.path.join(sync, "go")
deadline = time.monotonic() + 30
while not os.path.exists(go):
    if time.monotonic() > deadline:
        sys.exit("never told to go")
    time.sleep(0.0005)
try:
    newsitem.dump(doc, path)
except newsitem.ConflictError as e:
    sys.exit(10 if e.path == path and "nothing was written" in str(e) else 11)
sys.exit(0)
"""


def all_loaded(sync: Path, count: int) -> Callable[[], bool]:
    return lambda: len(list(sync.glob("loaded-*"))) == count


EDITS: dict[str, Any] = {"title": "Edited by one", "quality": 99}
ROUNDS = 6


def test_two_processes_editing_at_once_one_wins_the_other_gets_a_conflict(tmp_path: Path) -> None:
    wins = dict.fromkeys(EDITS, 0)
    for round_ in range(ROUNDS):
        items, sync = tmp_path / f"items{round_}", tmp_path / f"sync{round_}"
        items.mkdir()
        sync.mkdir()
        path = make_item(items)
        order = list(EDITS) if round_ % 2 else list(reversed(EDITS))
        widen = "1" if round_ % 4 < 2 else "0"
        racers = {
            name: start_child(RACER, path, name, json.dumps(EDITS[name]), sync, widen) for name in order
        }
        children = list(racers.values())
        with reaped(*children):
            wait_until(all_loaded(sync, len(racers)), children, "both children to load")
            (sync / "go").touch()  # both have loaded: now both dump
            codes = {name: child.wait(timeout=CHILD_TIMEOUT) for name, child in racers.items()}
            errors = {name: child.communicate()[1] for name, child in racers.items()}

        assert sorted(codes.values()) == [0, 10], (round_, codes, errors)
        [winner] = [name for name, code in codes.items() if code == 0]
        [loser] = [name for name in EDITS if name != winner]
        wins[winner] += 1
        # exactly the winner's edit, every other byte as it was; the loser wrote nothing
        assert path.read_bytes() == edited(**{winner: EDITS[winner]}), round_
        assert listing(items) == ["a.md"]
        assert stat.S_IMODE(path.stat().st_mode) == 0o640
        # nothing is lost: the loser reloads and redoes its edit, as ConflictError says
        doc = newsitem.load(path)
        setattr(doc.item, loser, EDITS[loser])
        newsitem.dump(doc, path)
        assert path.read_bytes() == edited(**EDITS)
    assert sum(wins.values()) == ROUNDS


# ---------------------------------------------------------------------------------------
# 4. edit() with an exception in the block
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("error", [ValueError("stop"), KeyboardInterrupt(), newsitem.ParseError("user's")])
def test_edit_writes_nothing_when_the_block_raises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    path = make_item(tmp_path)
    old = 1_600_000_000_000_000_000
    os.utime(path, ns=(old, old))  # any write, even of the same bytes, would move mtime
    before = path.stat()
    writes: list[str] = []
    real_write_atomic = _files.write_atomic

    def write_atomic(target: str, data: bytes) -> None:
        writes.append(target)
        real_write_atomic(target, data)

    monkeypatch.setattr(_files, "write_atomic", write_atomic)

    with pytest.raises(type(error)) as info, newsitem.edit(path) as doc:
        doc.item.title = "Changed"
        doc.body = "Changed body.\n"
        raise error

    assert info.value is error  # the block's own exception, neither wrapped nor swallowed
    assert writes == []
    after = path.stat()
    assert path.read_bytes() == ORIGINAL
    assert (after.st_mtime_ns, after.st_ino, after.st_mode) == (old, before.st_ino, before.st_mode)
    assert listing(tmp_path) == ["a.md"]
    assert_unlocked(path)

    # the spy is wired: the same edit without the exception writes, once
    with newsitem.edit(path) as doc:
        doc.item.title = "Changed"
    assert writes == [str(path)]
    assert path.read_bytes() == edited(title="Changed")
