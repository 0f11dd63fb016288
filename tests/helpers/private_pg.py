"""A PostgreSQL cluster of the test's own (never the shared server at 5432): initdb in a
temporary folder, its own port on 127.0.0.1 and its own socket folder, so a test may kill
it, restart it or cut it off. And `Proxy`, a loopback TCP relay between the app and it
that can drop a connection exactly around its COMMIT.

As root (here and in CI) the server runs as the `postgres` user (it refuses root).
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest


def bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    def __init__(self, port: int | None = None, settings: dict[str, str] | None = None):
        if sys.platform == "win32":
            pytest.skip("a private PostgreSQL cluster runs Debian's server as a POSIX user")
        self.bin = bin_dir()
        if self.bin is None:
            pytest.skip("PostgreSQL's server programs (initdb) are not installed")
        self.folder = Path(tempfile.mkdtemp(prefix="r3izzy-pg-"))
        self.data = self.folder / "data"
        self.port = port or free_port()
        self.settings = settings or {}
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            import pwd  # POSIX only, like the rest of this cluster

            user = pwd.getpwnam("postgres")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*self.as_user, str(self.bin / command[0]), *command[1:]],
            capture_output=True,
            text=True,
            check=check,
            timeout=120,
        )

    def init(self) -> Cluster:
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                 "--no-sync", "--no-instructions")  # fmt: skip
        return self.start()

    def start(self) -> Cluster:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        for name, value in self.settings.items():
            options += f" -c {name}={value}"
        log = str(self.folder / "log.txt")
        done = self.run(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "-t", "60", "start",
            check=False,
        )  # fmt: skip
        if done.returncode != 0:
            tail = Path(log).read_text(errors="replace")[-2000:]
            raise RuntimeError(f"the private PostgreSQL did not start: {done.stderr}\n{tail}")
        return self

    def url(self, database: str = "postgres", port: int | None = None) -> str:
        return f"postgresql://postgres@127.0.0.1:{port or self.port}/{database}"

    def socket_url(self, database: str = "postgres") -> str:
        """Through the Unix socket: a way in that no TCP fault touches."""
        return f"postgresql://postgres@/{database}?host={self.folder}&port={self.port}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True, connect_timeout=10) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def processes(self) -> list[int]:
        """The postmaster and every process it started."""
        pid_file = self.data / "postmaster.pid"
        try:
            postmaster = int(pid_file.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return []
        found = [postmaster]
        for stat in glob.glob("/proc/[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = Path(stat).read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == postmaster:
                    found.append(int(stat.split("/")[2]))
        return found

    def kill(self) -> int:
        """SIGKILL the whole server at once (a crash); returns how many processes died."""
        pids = self.processes()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.02)
        # Where nothing reaps orphans, the dead postmaster stays a zombie and its lock file
        # would make the next start think it is still running.
        socket_file = self.folder / f".s.PGSQL.{self.port}"
        for lock in (self.data / "postmaster.pid", Path(f"{socket_file}.lock")):
            with contextlib.suppress(OSError):
                lock.unlink()
        return len(pids)

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop", check=False)
        self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class Proxy:
    """127.0.0.1:`port` relayed to the server. `cut_at_commit("after")`: the next COMMIT
    is passed on and its answer never comes back (both sockets closed); `"before"`: the
    COMMIT itself never reaches the server."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self._cut: str | None = None
        self.cuts = 0
        self._commit_names: set[bytes] = set()
        self._silence = None
        self._watch = None
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def cut_at_commit(self, when: str) -> None:
        self._cut = when

    def on_commit(self, silence) -> None:
        """At the next COMMIT: keep it, call `silence()` (the test makes the network
        silent) and forward nothing more, closing nothing."""
        self._cut = "silence"
        self._silence = silence

    def on_first(self, pattern: bytes, callback) -> None:
        """Call `callback()` once, after forwarding client bytes that contain `pattern`."""
        self._watch = (pattern, callback)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target_port))
            self._open += [client, server]
            pair = {"muted": False}  # the server's answers are thrown away once cut
            for ends in ((client, server, True), (server, client, False)):
                threading.Thread(target=self._pump, args=(*ends, pair), daemon=True).start()

    def _is_commit(self, data: bytes) -> bool:
        """The client's bytes carry a COMMIT: as text, or as the prepared statement psycopg
        makes of a query it sends often (Parse "_pg3_N" once, then Bind by that name)."""
        for parsed in re.finditer(rb"P.{4}([^\x00]+)\x00COMMIT\x00", data, re.S):
            self._commit_names.add(parsed.group(1))
        if b"COMMIT" in data:
            return True
        return any(
            re.search(rb"B.{4}[^\x00]*\x00" + re.escape(name) + rb"\x00", data, re.S)
            for name in self._commit_names
        )

    def _pump(self, source: socket.socket, target: socket.socket, upstream: bool, pair) -> None:
        try:
            while data := source.recv(65536):
                with self._lock:
                    cut = self._cut if upstream and self._is_commit(data) else None
                    if cut:
                        self._cut = None
                        self.cuts += 1
                        pair["muted"] = True
                if cut == "silence":
                    self._silence()
                    return  # nothing more goes through; the sockets stay open
                if cut == "before":
                    break
                if pair["muted"] and not upstream:
                    continue
                target.sendall(data)
                watch = self._watch
                if upstream and watch and watch[0] in data:
                    self._watch = None
                    watch[1]()
                if cut == "after":
                    time.sleep(0.3)  # the server commits; its answer is then thrown away
                    break
        except OSError:
            pass
        for end in (source, target):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()

    def close(self) -> None:
        self.listener.close()
        for end in self._open:
            with contextlib.suppress(OSError):
                end.close()
