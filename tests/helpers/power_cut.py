"""Power cuts at the file level: what the disk may hold when the power goes, as SQLite's
own crash tests model it (its test VFS "randomly reorders and corrupts the unsynchronized
write operations").

`Recorder` is told every file operation of the app's SQLite (vfs.FileLayer) and, through
`replace` and `fsync` (patched over `os.replace` / `os.fsync` by the test), the renames
and directory syncs of the app's own code. It keeps one event log. `crash_images` replays
the log and, at chosen moments, writes what a disk could hold after a power cut there:

- a file's content: what it held at its last sync, plus, for each 512-byte sector the
  later writes touched, one of the versions that sector went through (the old one, an
  intermediate one, the last one: write-back order is the disk's business), some sectors
  garbage over the bytes written since the sync (a torn write); its size is one of the
  sizes it had since that sync, and space it grew by that was never written holds garbage
  (SQLite's assumptions, "Atomic Commit In SQLite", section 2);
- the directory: every name operation made durable by a directory sync (SQLite's own
  when it creates a journal or WAL, or deletes with syncDir; the app's `fsync` of a
  folder), plus a random prefix of the later ones (journaling file systems keep the
  order of name operations): a renamed file may still have its old name, a new file
  may not exist, a deleted one may still be there.

The `-shm` index is not a file write (see vfs.py): no crash image has one.
"""

from __future__ import annotations

import os
import random
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .vfs import JOURNALS, OPEN_CREATE, Observer

SECTOR = 512


@dataclass
class Event:
    kind: str  # open, write, truncate, sync, delete, rename, dirsync, mark
    inode: int = 0
    offset: int = 0
    data: bytes = b""
    path: str = ""
    other: str = ""
    flag: bool = False


@dataclass
class Moment:
    """A point of the log where the power may go, and what was acknowledged before it."""

    index: int
    marks: list[str]


class Recorder(Observer):
    """The event log of one run (see the module's docstring)."""

    def __init__(self, root: str | Path):
        self.root = os.path.abspath(root)
        self.events: list[Event] = []
        self._inode_of_handle: dict[int, int] = {}
        self._inode_of_path: dict[str, int] = {}  # the names as they are now
        self._dirsync_on_sync: set[int] = set()
        self._next_inode = 1
        self.initial: dict[int, bytes] = {}  # content of files found already on disk

    # -- what SQLite does ---------------------------------------------------------------
    def opened(self, handle: int, path: str, flags: int, existed: bool) -> None:
        path = os.path.abspath(path)
        inode = self._inode_of_path.get(path)
        if inode is None:
            inode = self._new_inode()
            self._inode_of_path[path] = inode
            if existed:  # there before the recording started: durable as it is
                self.initial[inode] = Path(path).read_bytes()
                self.events.append(Event("exists", inode, path=path))
            else:
                self.events.append(Event("create", inode, path=path))
        self._inode_of_handle[handle] = inode
        if flags & OPEN_CREATE and flags & JOURNALS:
            # unix: a journal or WAL opened to be created syncs its folder at its first sync
            self._dirsync_on_sync.add(inode)

    def wrote(self, handle: int, offset: int, data: bytes) -> None:
        self.events.append(Event("write", self._inode_of_handle[handle], offset, data))

    def truncated(self, handle: int, size: int) -> None:
        self.events.append(Event("truncate", self._inode_of_handle[handle], size))

    def synced(self, handle: int) -> None:
        inode = self._inode_of_handle[handle]
        self.events.append(Event("sync", inode))
        if inode in self._dirsync_on_sync:
            self._dirsync_on_sync.discard(inode)
            self.events.append(Event("dirsync"))

    def closed(self, handle: int) -> None:
        self._inode_of_handle.pop(handle, None)

    def deleted(self, path: str, sync_dir: bool) -> None:
        path = os.path.abspath(path)
        if self._inode_of_path.pop(path, None) is not None:
            self.events.append(Event("delete", path=path))
            if sync_dir:
                self.events.append(Event("dirsync"))

    # -- what the app's own code does (patched over os.replace and os.fsync) ----------------
    def replace(self, source, target, *, real=os.replace) -> None:
        source, target = os.path.abspath(source), os.path.abspath(target)
        real(source, target)
        if not target.startswith(self.root):
            return
        inode = self._inode_of_path.pop(source, None)
        if inode is None:
            raise AssertionError(f"a rename of a file SQLite did not write: {source}")
        self._inode_of_path[target] = inode
        self.events.append(Event("rename", path=source, other=target))

    def unlink(self, path, *, dir_fd=None, real=os.unlink) -> None:
        real(path, dir_fd=dir_fd)
        path = os.path.abspath(path)
        if self._inode_of_path.pop(path, None) is not None:
            self.events.append(Event("delete", path=path))

    def patch_os(self, monkeypatch) -> None:
        """Route the app's renames, deletions and folder syncs through the recorder."""
        monkeypatch.setattr(os, "replace", self.replace)
        monkeypatch.setattr(os, "unlink", self.unlink)
        monkeypatch.setattr(os, "remove", self.unlink)
        monkeypatch.setattr(os, "fsync", self.fsync)

    def fsync(self, fd: int, *, real=os.fsync) -> None:
        real(fd)
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            self.events.append(Event("dirsync"))

    def mark(self, label: str) -> None:
        """Something was acknowledged to the user (a payment returned, a backup done)."""
        self.events.append(Event("mark", path=label))

    def _new_inode(self) -> int:
        self._next_inode += 1
        return self._next_inode - 1

    def moments(self) -> list[Moment]:
        """Every point of the log where the power may go: before each file operation."""
        marks: list[str] = []
        out = []
        for index, event in enumerate(self.events):
            if event.kind == "mark":
                marks.append(event.path)
            else:
                out.append(Moment(index, list(marks)))
        out.append(Moment(len(self.events), list(marks)))
        return out


@dataclass
class _File:
    synced: bytearray
    pending: list[tuple[str, int, bytes]] = field(default_factory=list)


@dataclass
class ImageStats:
    images: int = 0
    torn_writes: int = 0  # multi-sector writes that reached the disk only in part
    lost_writes: int = 0  # unsynced writes of which no sector reached the disk
    garbage_sectors: int = 0


def crash_images(
    recorder: Recorder, moments: list[Moment], per_moment: int, folder: Path, seed: int
) -> Iterator[tuple[Moment, Path, ImageStats]]:
    """For each moment (in log order), `per_moment` crash images, one at a time, in a
    fresh sub-folder of `folder` (reused: each image replaces the previous one)."""
    rng = random.Random(seed)
    files: dict[int, _File] = {
        inode: _File(bytearray(content)) for inode, content in recorder.initial.items()
    }
    # Names after the last directory sync; a file found on disk was there from the start.
    durable = {e.path: e.inode for e in recorder.events if e.kind == "exists"}
    pending_names: list[Event] = []
    stats = ImageStats()
    wanted = sorted(moments, key=lambda m: m.index)
    events = recorder.events
    position = 0
    for moment in wanted:
        while position < moment.index:
            _apply(events[position], files, durable, pending_names)
            position += 1
        for _ in range(per_moment):
            image = folder / "image"
            _clear(image)
            names = dict(durable)
            cut = rng.randint(0, len(pending_names))
            for event in pending_names[:cut]:
                _rename_or_delete(names, event)
            for path, inode in names.items():
                content = _crash_content(files[inode], rng, stats)
                target = image / os.path.relpath(path, recorder.root)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
            stats.images += 1
            yield moment, image, stats


def _apply(event: Event, files, durable, pending_names) -> None:
    kind = event.kind
    if kind == "create":
        files[event.inode] = _File(bytearray())
        pending_names.append(event)
    elif kind == "write":
        files[event.inode].pending.append(("w", event.offset, event.data))
    elif kind == "truncate":
        files[event.inode].pending.append(("t", event.offset, b""))
    elif kind == "sync":
        file = files[event.inode]
        file.synced = _replay(file.synced, file.pending)
        file.pending = []
    elif kind in ("delete", "rename"):
        pending_names.append(event)
    elif kind == "dirsync":
        for name_event in pending_names:
            _rename_or_delete(durable, name_event)
        pending_names.clear()


def _rename_or_delete(names: dict[str, int], event: Event) -> None:
    if event.kind == "create":
        names[event.path] = event.inode
    elif event.kind == "delete":
        names.pop(event.path, None)
    elif event.kind == "rename" and event.path in names:
        names[event.other] = names.pop(event.path)


def _replay(content: bytearray, ops) -> bytearray:
    out = bytearray(content)
    for op in ops:
        _apply_op(out, op)
    return out


def _apply_op(out: bytearray, op) -> None:
    """One write or truncate, in place."""
    kind, offset, data = op
    if kind == "t":
        del out[offset:]
        out.extend(bytes(max(0, offset - len(out))))
        return
    if len(out) < offset:
        out.extend(bytes(offset - len(out)))
    out[offset : offset + len(data)] = data


def _crash_content(file: _File, rng: random.Random, stats: ImageStats) -> bytes:
    if not file.pending:
        return bytes(file.synced)
    work = bytearray(file.synced)
    sizes = [len(work)]
    versions: dict[int, list[bytes]] = {}  # sector -> the contents it went through
    written: dict[int, list[tuple[int, int]]] = {}  # sector -> byte ranges written since
    writes: list[list[int]] = []
    for kind, offset, data in file.pending:
        _apply_op(work, (kind, offset, data))
        if kind == "w":
            first, last = offset // SECTOR, (offset + len(data) - 1) // SECTOR
            writes.append(list(range(first, last + 1)))
            for sector in range(first, last + 1):
                versions.setdefault(sector, []).append(
                    bytes(work[sector * SECTOR : (sector + 1) * SECTOR])
                )
                low = max(offset, sector * SECTOR)
                high = min(offset + len(data), (sector + 1) * SECTOR)
                written.setdefault(sector, []).append((low, high))
        sizes.append(len(work))
    size = rng.choice(sizes)
    synced = file.synced
    out = bytearray(synced[:size])
    if len(out) < size:  # grown space never written: garbage until written
        out.extend(rng.randbytes(size - len(out)))
    picked: dict[int, bool] = {}  # sector -> whether a new version landed
    for sector, contents in versions.items():
        start = sector * SECTOR
        if start >= size:
            continue
        choice = rng.randrange(len(contents) + 1)  # 0: the sector as it was synced
        if rng.random() < 0.03:
            stats.garbage_sectors += 1
            for low, high in written[sector]:
                high = min(high, size)
                if low < high:
                    out[low:high] = rng.randbytes(high - low)
            picked[sector] = True
        elif choice:
            chunk = contents[choice - 1][: size - start]
            out[start : start + len(chunk)] = chunk
            picked[sector] = True
        else:
            picked[sector] = False
    for sectors in writes:
        landed = [picked.get(s, False) for s in sectors]
        if len(sectors) > 1 and any(landed) and not all(landed):
            stats.torn_writes += 1
        elif not any(landed):
            stats.lost_writes += 1
    return bytes(out)


def _clear(folder: Path) -> None:
    if folder.exists():
        for path in sorted(folder.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
    folder.mkdir(parents=True, exist_ok=True)
