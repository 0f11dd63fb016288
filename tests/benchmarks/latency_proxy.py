"""A loopback TCP proxy that delays each direction by half a round trip (no netem here).

    python tests/benchmarks/latency_proxy.py --target 127.0.0.1:5432 --rtt-ms 5

Listens on 127.0.0.1 (a free port, printed as `listening 127.0.0.1:PORT` on the first
line of its output) and forwards every connection to `--target`; every chunk of bytes,
either way, is written out `rtt/2` ms after it was read, in order, so a request and its
answer cost one full round trip more than on loopback, as on a clinic's Wi-Fi. Bandwidth
is not limited. Threads (two per direction of each connection), whose `time.sleep`
wakes closer to its time than an event loop's timers. run.py starts it as a process of
its own (`running()`), so its work never shares an interpreter with the app measured.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path


def _pipe(source: socket.socket, target: socket.socket, delay: float) -> None:
    """Forward what `source` sends to `target`, each chunk `delay` seconds after it came
    (a reading thread and a writing one: a late chunk never holds up the reading)."""
    chunks: collections.deque = collections.deque()
    arrived = threading.Condition()

    def deliver() -> None:
        while True:
            with arrived:
                while not chunks:
                    arrived.wait()
                due, data = chunks.popleft()
            if data is None:
                with contextlib.suppress(OSError):
                    target.shutdown(socket.SHUT_WR)
                return
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                target.sendall(data)
            except OSError:
                return

    threading.Thread(target=deliver, daemon=True).start()
    while True:
        try:
            data = source.recv(65536)
        except OSError:
            data = b""
        with arrived:
            chunks.append((time.monotonic() + delay, data or None))
            arrived.notify()
        if not data:
            return


def serve(host: str, port: int, rtt_ms: float) -> None:
    delay = rtt_ms / 2000
    listener = socket.create_server(("127.0.0.1", 0))
    print(f"listening 127.0.0.1:{listener.getsockname()[1]}", flush=True)
    while True:
        client, _address = listener.accept()
        try:
            server = socket.create_connection((host, port))
        except OSError:
            client.close()
            continue
        for sock in (client, server):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=_pipe, args=(client, server, delay), daemon=True).start()
        threading.Thread(target=_pipe, args=(server, client, delay), daemon=True).start()


@contextlib.contextmanager
def running(target_host: str, target_port: int, rtt_ms: float) -> Iterator[int]:
    """Run the proxy in a process of its own; yields the port it listens on."""
    process = subprocess.Popen(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "--target",
            f"{target_host}:{target_port}",
            "--rtt-ms",
            str(rtt_ms),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        if not line.startswith("listening "):
            raise RuntimeError(f"the latency proxy did not start: {line!r}")
        yield int(line.rsplit(":", 1)[1])
    finally:
        process.terminate()
        process.wait(10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", required=True, help="HOST:PORT of the server")
    parser.add_argument("--rtt-ms", type=float, required=True, help="round trip added, ms")
    args = parser.parse_args()
    host, _, port = args.target.rpartition(":")
    with contextlib.suppress(KeyboardInterrupt):
        serve(host, int(port), args.rtt_ms)
    return 0


if __name__ == "__main__":
    sys.exit(main())
