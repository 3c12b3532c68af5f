"""Run the real `mkdocs serve` on a free loopback port, collecting its log."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from types import TracebackType


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _hear_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class MkDocsServe:
    """`mkdocs serve` in a subprocess; ``log`` grows as the server prints."""

    def __init__(self, root: Path, *, dirty: bool = False, env: dict[str, str] | None = None) -> None:
        self.root = root
        self.port = free_port()
        self.log: list[str] = []
        environment = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1", **(env or {}))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{self.port}",
             *(["--dirty"] if dirty else [])],
            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment,
            # Ctrl-C must reach it even from a runner started in the background, where the shell
            # has SIGINT ignored, and an ignored signal stays ignored in every program it starts.
            preexec_fn=_hear_interrupts,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.log.append(line)

    def get(self, path: str) -> tuple[int, str]:
        """Status and body of ``path``; status 0 when nothing answers."""
        url = f"http://127.0.0.1:{self.port}/{path}"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, ""
        except OSError:
            return 0, ""

    def wait_for(self, condition: Callable[[], bool], timeout: float = 60) -> float:
        """Poll ``condition`` until true; return the seconds it took. Fails on timeout or exit."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if condition():
                return time.monotonic() - start
            if self.process.poll() is not None:
                raise AssertionError("mkdocs serve exited:\n" + "".join(self.log))
            time.sleep(0.05)
        raise AssertionError(f"timed out after {timeout} s; log:\n" + "".join(self.log))

    def logged(self, text: str) -> bool:
        return any(text in line for line in self.log)

    def __enter__(self) -> MkDocsServe:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        # Ctrl-C, as a contributor stops it: MkDocs then deletes the temporary folder it serves
        # from. Terminated, it left that folder behind (the whole site, 1.8 GB at 30,000 sheets).
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
