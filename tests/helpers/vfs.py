"""A test VFS inside the app's own SQLite: every file operation SQLite makes goes through
Python, where the power-cut recorder (power_cut.py) and the fault injection see it.

The app's SQLite is the one `core/store/sqlite.py` picks (pysqlite3's own build). Its
shared library exports `sqlite3_vfs_register`, so ctypes can register, in that very
library, a VFS that wraps the default "unix" one and make it the default: the app's own
`open_database`, its pragmas (WAL, synchronous FULL), its schema and its operations then
run unchanged on top of it. (APSW could write a VFS too, but over its own, different
SQLite build: what would be tested is not the engine the app runs on.)

Each file SQLite opens is the real unix file with a 16-byte head in front (our methods
table, then a handle number); every method calls the real one on the real file, after
telling the `observer` (recording) and asking the `faults` (an error code instead).
The wal-index (`-shm`) is memory that unix maps itself, not file writes: after a power
cut SQLite rebuilds it from the WAL, so it is not part of a crash image.
"""

from __future__ import annotations

import ctypes
import os
import sys
from ctypes import CFUNCTYPE, POINTER, Structure, c_char_p, c_int, c_int64, c_void_p

from r3izzy_desktop.core.store.sqlite import sqlite3

SQLITE_OK = 0
SQLITE_IOERR = 10
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_IOERR_SHORT_READ = SQLITE_IOERR | (2 << 8)

OPEN_CREATE = 0x4
OPEN_DELETEONCLOSE = 0x8
OPEN_MAIN_DB = 0x100
OPEN_MAIN_JOURNAL = 0x800
OPEN_SUPER_JOURNAL = 0x4000
OPEN_WAL = 0x80000
JOURNALS = OPEN_MAIN_JOURNAL | OPEN_SUPER_JOURNAL | OPEN_WAL

NAME = b"r3izzy-test"
HEAD = 16  # our methods pointer and the handle number, before the real unix file

F = ctypes.c_void_p  # sqlite3_file*
X_CLOSE = CFUNCTYPE(c_int, F)
X_READ = CFUNCTYPE(c_int, F, c_void_p, c_int, c_int64)
X_WRITE = CFUNCTYPE(c_int, F, c_void_p, c_int, c_int64)
X_TRUNCATE = CFUNCTYPE(c_int, F, c_int64)
X_SYNC = CFUNCTYPE(c_int, F, c_int)
X_FILE_SIZE = CFUNCTYPE(c_int, F, POINTER(c_int64))
X_LOCK = CFUNCTYPE(c_int, F, c_int)
X_CHECK_RESERVED = CFUNCTYPE(c_int, F, POINTER(c_int))
X_FILE_CONTROL = CFUNCTYPE(c_int, F, c_int, c_void_p)
X_INT = CFUNCTYPE(c_int, F)
X_SHM_MAP = CFUNCTYPE(c_int, F, c_int, c_int, c_int, c_void_p)
X_SHM_LOCK = CFUNCTYPE(c_int, F, c_int, c_int, c_int)
X_SHM_BARRIER = CFUNCTYPE(None, F)
X_SHM_UNMAP = CFUNCTYPE(c_int, F, c_int)
X_FETCH = CFUNCTYPE(c_int, F, c_int64, c_int, c_void_p)
X_UNFETCH = CFUNCTYPE(c_int, F, c_int64, c_void_p)

METHODS = (
    ("xClose", X_CLOSE),
    ("xRead", X_READ),
    ("xWrite", X_WRITE),
    ("xTruncate", X_TRUNCATE),
    ("xSync", X_SYNC),
    ("xFileSize", X_FILE_SIZE),
    ("xLock", X_LOCK),
    ("xUnlock", X_LOCK),
    ("xCheckReservedLock", X_CHECK_RESERVED),
    ("xFileControl", X_FILE_CONTROL),
    ("xSectorSize", X_INT),
    ("xDeviceCharacteristics", X_INT),
    ("xShmMap", X_SHM_MAP),
    ("xShmLock", X_SHM_LOCK),
    ("xShmBarrier", X_SHM_BARRIER),
    ("xShmUnmap", X_SHM_UNMAP),
    ("xFetch", X_FETCH),
    ("xUnfetch", X_UNFETCH),
)


class IoMethods(Structure):
    _fields_ = [("iVersion", c_int), *METHODS]


X_OPEN = CFUNCTYPE(c_int, c_void_p, c_void_p, c_void_p, c_int, POINTER(c_int))
X_DELETE = CFUNCTYPE(c_int, c_void_p, c_char_p, c_int)


class Vfs(Structure):
    pass


Vfs._fields_ = [
    ("iVersion", c_int),
    ("szOsFile", c_int),
    ("mxPathname", c_int),
    ("pNext", POINTER(Vfs)),
    ("zName", c_char_p),
    ("pAppData", c_void_p),
    ("xOpen", X_OPEN),
    ("xDelete", X_DELETE),
    *((name, c_void_p) for name in (
        "xAccess", "xFullPathname", "xDlOpen", "xDlError", "xDlSym", "xDlClose",
        "xRandomness", "xSleep", "xCurrentTime", "xGetLastError", "xCurrentTimeInt64",
        "xSetSystemCall", "xGetSystemCall", "xNextSystemCall",
    )),
]  # fmt: skip


def library() -> ctypes.CDLL:
    """The shared library of the app's SQLite (already loaded: dlopen gives it back)."""
    extension = (
        sys.modules[sqlite3.__name__.rpartition(".")[0] + "._sqlite3"]
        if ("." in sqlite3.__name__)
        else sys.modules["_sqlite3"]
    )
    lib = ctypes.CDLL(extension.__file__)
    if not hasattr(lib, "sqlite3_vfs_register"):  # e.g. a Windows .pyd exports none
        import pytest

        pytest.skip(f"{extension.__file__} does not export SQLite's VFS functions")
    lib.sqlite3_vfs_find.restype = POINTER(Vfs)
    lib.sqlite3_vfs_find.argtypes = [c_char_p]
    lib.sqlite3_vfs_register.argtypes = [POINTER(Vfs), c_int]
    lib.sqlite3_vfs_unregister.argtypes = [POINTER(Vfs)]
    lib.sqlite3_libversion.restype = c_char_p
    return lib


class Observer:
    """What a recorder is told (power_cut.Recorder). Paths are absolute file names."""

    def opened(self, handle: int, path: str, flags: int, existed: bool) -> None: ...
    def wrote(self, handle: int, offset: int, data: bytes) -> None: ...
    def truncated(self, handle: int, size: int) -> None: ...
    def synced(self, handle: int) -> None: ...
    def closed(self, handle: int) -> None: ...
    def deleted(self, path: str, sync_dir: bool) -> None: ...


class Faults:
    """No faults: every operation goes through. Subclasses return an error code."""

    def check(self, operation: str, path: str, size: int = 0) -> int:
        return SQLITE_OK


_RETIRED: list[FileLayer] = []  # memory SQLite may still point to (see `uninstall`)


class FileLayer:
    """The test VFS, registered as the default of the app's SQLite while installed.

    `root`: only files under it are told to the observer and subject to faults (SQLite's
    temporary files and everything else pass untouched)."""

    def __init__(self, root: str, observer: Observer | None = None, faults: Faults | None = None):
        self.root = os.path.abspath(root) + os.sep
        self.observer = observer or Observer()
        self.faults = faults or Faults()
        self.errors: list[BaseException] = []  # exceptions raised inside callbacks
        self._lib = library()
        self._real = self._lib.sqlite3_vfs_find(b"unix")
        if not self._real:
            raise RuntimeError("the unix VFS is not there")
        self._files: dict[int, tuple[str | None, object]] = {}  # handle -> (path, methods)
        self._next = 1
        self._keep: list[object] = []
        self._build()

    # -- set-up -------------------------------------------------------------------------
    def _build(self) -> None:
        real = self._real.contents
        vfs = Vfs()
        ctypes.memmove(ctypes.addressof(vfs), ctypes.addressof(real), ctypes.sizeof(Vfs))
        # ... every field as the unix VFS has it, but opening and deleting:
        vfs.iVersion = min(real.iVersion, 3)
        vfs.szOsFile = real.szOsFile + HEAD
        vfs.zName = NAME
        vfs.pNext = None
        vfs.xOpen = X_OPEN(self._guard(self._open))
        vfs.xDelete = X_DELETE(self._guard(self._delete))
        self._vfs = vfs
        methods = IoMethods()
        methods.iVersion = 3
        for name, kind in METHODS:
            function = getattr(self, "_" + name[1:].lower(), None) or self._passthrough(name)
            callback = kind(self._guard(function, none=name == "xShmBarrier"))
            self._keep.append(callback)
            setattr(methods, name, callback)
        self._methods = methods
        self._real_open = X_OPEN(ctypes.cast(real.xOpen, c_void_p).value)
        self._real_delete = X_DELETE(ctypes.cast(real.xDelete, c_void_p).value)

    def install(self) -> FileLayer:
        """Register as the default VFS: every connection opened from now on uses it."""
        self._lib.sqlite3_vfs_register(ctypes.pointer(self._vfs), 1)
        return self

    def uninstall(self) -> None:
        """Give the default back to "unix" and leave SQLite's list of VFSes. The layer is
        kept alive for good: a connection still open through it keeps working."""
        self._lib.sqlite3_vfs_register(self._real, 1)
        self._lib.sqlite3_vfs_unregister(ctypes.pointer(self._vfs))
        _RETIRED.append(self)
        if self.errors:
            raise AssertionError(f"the test VFS failed: {self.errors[0]!r}") from self.errors[0]

    def __enter__(self) -> FileLayer:
        return self.install()

    def __exit__(self, *exc) -> None:
        self.uninstall()

    def _guard(self, function, none: bool = False):
        def call(*args):
            try:
                return function(*args)
            except BaseException as exc:  # never let an exception unwind through C
                self.errors.append(exc)
                return None if none else SQLITE_IOERR

        return call

    # -- the file's two halves --------------------------------------------------------------
    @staticmethod
    def _handle(file: int) -> int:
        return c_int64.from_address(file + 8).value

    def _real_file(self, file: int) -> tuple[int, IoMethods]:
        handle = self._handle(file)
        return file + HEAD, self._files[handle][1]

    def _path(self, file: int) -> str | None:
        return self._files[self._handle(file)][0]

    def _passthrough(self, name: str):
        kind = dict(METHODS)[name]
        cache: dict[int, object] = {}

        def call(file, *args):
            real, methods = self._real_file(file)
            pointer = ctypes.cast(getattr(methods, name), c_void_p).value
            function = cache.get(pointer) or cache.setdefault(pointer, kind(pointer))
            return function(real, *args)

        return call

    # -- the VFS ---------------------------------------------------------------------------
    def _open(self, vfs, name, file, flags, out_flags):
        path = ctypes.string_at(name).decode() if name else None
        if path is not None and not os.path.abspath(path).startswith(self.root):
            path = None
        if path is not None and flags & OPEN_DELETEONCLOSE:
            path = None
        existed = path is not None and os.path.exists(path)
        ctypes.c_void_p.from_address(file).value = None
        if path is not None:
            rc = self.faults.check("open", path)
            if rc:
                return rc
        rc = self._real_open(self._real, name, file + HEAD, flags, out_flags)
        real_methods = ctypes.c_void_p.from_address(file + HEAD).value
        if rc != SQLITE_OK or not real_methods:
            return rc or SQLITE_CANTOPEN
        handle = self._next
        self._next += 1
        self._files[handle] = (path, IoMethods.from_address(real_methods))
        c_int64.from_address(file + 8).value = handle
        ctypes.c_void_p.from_address(file).value = ctypes.addressof(self._methods)
        if path is not None:
            self.observer.opened(handle, path, flags, existed)
        return SQLITE_OK

    def _delete(self, vfs, name, sync_dir):
        path = name.decode()
        tracked = os.path.abspath(path).startswith(self.root)
        if tracked:
            rc = self.faults.check("delete", path)
            if rc:
                return rc
        rc = self._real_delete(self._real, name, sync_dir)
        if tracked and rc == SQLITE_OK:
            self.observer.deleted(os.path.abspath(path), bool(sync_dir))
        return rc

    # -- the methods that are watched -----------------------------------------------------------
    def _close(self, file):
        handle = self._handle(file)
        rc = self._passthrough_close(file)
        if self._files.get(handle, (None,))[0] is not None:
            self.observer.closed(handle)
        self._files.pop(handle, None)
        return rc

    def _passthrough_close(self, file):
        real, methods = self._real_file(file)
        return X_CLOSE(ctypes.cast(methods.xClose, c_void_p).value)(real)

    def _call(self, name: str, file, *args):
        real, methods = self._real_file(file)
        kind = dict(METHODS)[name]
        return kind(ctypes.cast(getattr(methods, name), c_void_p).value)(real, *args)

    def _read(self, file, buffer, amount, offset):
        path = self._path(file)
        if path is not None:
            rc = self.faults.check("read", path, amount)
            if rc:
                ctypes.memset(buffer, 0, amount)
                return rc
        return self._call("xRead", file, buffer, amount, offset)

    def _write(self, file, buffer, amount, offset):
        path = self._path(file)
        if path is not None:
            rc = self.faults.check("write", path, amount)
            if rc:
                return rc
        rc = self._call("xWrite", file, buffer, amount, offset)
        if path is not None and rc == SQLITE_OK:
            self.observer.wrote(self._handle(file), offset, ctypes.string_at(buffer, amount))
        return rc

    def _truncate(self, file, size):
        path = self._path(file)
        if path is not None:
            rc = self.faults.check("truncate", path)
            if rc:
                return rc
        rc = self._call("xTruncate", file, size)
        if path is not None and rc == SQLITE_OK:
            self.observer.truncated(self._handle(file), size)
        return rc

    def _sync(self, file, flags):
        path = self._path(file)
        if path is not None:
            rc = self.faults.check("sync", path)
            if rc:
                return rc
        rc = self._call("xSync", file, flags)
        if path is not None and rc == SQLITE_OK:
            self.observer.synced(self._handle(file))
        return rc

    def _filesize(self, file, size):
        path = self._path(file)
        if path is not None:
            rc = self.faults.check("file size", path)
            if rc:
                return rc
        return self._call("xFileSize", file, size)

    def _shmmap(self, file, page, page_size, extend, pointer):
        path = self._path(file)
        if path is not None:
            rc = self.faults.check("shm map", path)
            if rc:
                ctypes.c_void_p.from_address(pointer).value = None
                return rc
        return self._call("xShmMap", file, page, page_size, extend, pointer)


# The error each kind of operation returns when it fails (SQLite's extended codes).
ERROR_OF = {
    "open": SQLITE_CANTOPEN,
    "read": SQLITE_IOERR | (1 << 8),
    "write": SQLITE_IOERR | (3 << 8),
    "sync": SQLITE_IOERR | (4 << 8),
    "truncate": SQLITE_IOERR | (6 << 8),
    "file size": SQLITE_IOERR | (7 << 8),
    "delete": SQLITE_IOERR | (10 << 8),
    "shm map": SQLITE_IOERR | (21 << 8),
}


class FailAt(Faults):
    """The k-th file operation fails (k from 1); `persistent`: every one after it too,
    until `healed` is set (the disk is back)."""

    def __init__(self, k: int, persistent: bool = False):
        self.k, self.persistent = k, persistent
        self.count = 0
        self.healed = False
        self.failed: list[str] = []

    def check(self, operation: str, path: str, size: int = 0) -> int:
        if self.healed:
            return SQLITE_OK
        self.count += 1
        if self.count == self.k or (self.persistent and self.count > self.k):
            self.failed.append(operation)
            return ERROR_OF[operation]
        return SQLITE_OK


class FullDisk(Faults):
    """A disk of `capacity` bytes holding the watched files: a write that would grow them
    past it fails with SQLITE_FULL, as the kernel's ENOSPC makes the unix VFS do."""

    def __init__(self, root: str, capacity: int):
        self.root, self.capacity = root, capacity
        self.refused = 0

    def used(self) -> int:
        total = 0
        for folder, _dirs, names in os.walk(self.root):
            total += sum(os.path.getsize(os.path.join(folder, name)) for name in names)
        return total

    def check(self, operation: str, path: str, size: int = 0) -> int:
        if operation != "write":
            return SQLITE_OK
        if self.used() + size > self.capacity:  # at worst the write grows the file by all
            self.refused += 1
            return SQLITE_FULL
        return SQLITE_OK
