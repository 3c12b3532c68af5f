"""Serve a built site on 127.0.0.1 from a background thread.

``StaticServer(site)`` serves files as Python's ``http.server`` does (no compression, no charset).
``StaticServer(site, host_like=True)`` serves them as a static host does: ``Content-Type`` with
``charset=utf-8`` for text, gzip (brotli too, when the ``brotli`` module is installed) for clients
that accept it, ``Cache-Control``, ``ETag`` and 304s, and the site's ``404.html`` for missing paths.
``content_types`` overrides the ``Content-Type`` per file suffix in either mode, e.g.
``{".txt": "text/plain"}`` to serve plain text without a charset, as some hosts do.
"""

from __future__ import annotations

import email.utils
import functools
import gzip
import hashlib
import http.server
import os
import sys
import threading
import urllib.parse
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

try:  # optional: hosts prefer brotli, but it is not a dependency of the project
    import brotli  # type: ignore[import-not-found, unused-ignore]
except ImportError:  # pragma: no cover - depends on the environment
    brotli = None

HOST_CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".jsonld": "application/ld+json; charset=utf-8",
    ".map": "application/json; charset=utf-8",
    ".webmanifest": "application/manifest+json; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml; charset=utf-8",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".gz": "application/gzip",
}
"""What a static host (GitHub Pages, Netlify, nginx's mime.types) sends for the site's file types."""

COMPRESSIBLE = ("text/", "application/json", "application/ld+json", "application/manifest+json",
                "application/xml", "image/svg+xml")
CACHE_CONTROL = "max-age=600"
"""GitHub Pages' policy for every file, where CI deploys the site."""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    content_types: Mapping[str, str] = {}

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        """The overridden type for the file's suffix, else http.server's guess."""
        suffix = Path(path).suffix.lower()
        return self.content_types.get(suffix) or super().guess_type(path)


class _HostHandler(_QuietHandler):
    """GET and HEAD as a static host answers them: compressed, typed, cacheable."""

    protocol_version = "HTTP/1.1"
    cache: dict[tuple[Path, float, str], bytes]
    lock: threading.Lock

    def do_GET(self) -> None:
        self._respond(body=True)

    def do_HEAD(self) -> None:
        self._respond(body=False)

    def _respond(self, *, body: bool) -> None:
        url = urllib.parse.urlsplit(self.path)
        fs_path = Path(self.translate_path(url.path))
        status = 200
        if fs_path.is_dir():
            if not url.path.endswith("/"):
                location = urllib.parse.urlunsplit(("", "", url.path + "/", url.query, ""))
                self._send(301, b"", "text/plain; charset=utf-8", body=body, extra={"Location": location})
                return
            fs_path = fs_path / "index.html"
        if not fs_path.is_file():
            status, fs_path = 404, Path(self.directory) / "404.html"
            if not fs_path.is_file():
                self._send(404, b"Not found\n", "text/plain; charset=utf-8", body=body)
                return
        ctype = self.guess_type(fs_path)
        stat = fs_path.stat()
        version = f"{fs_path}:{stat.st_mtime_ns}:{stat.st_size}".encode()
        etag = f'"{hashlib.sha1(version).hexdigest()[:16]}"'
        headers = {"Cache-Control": CACHE_CONTROL, "ETag": etag,
                   "Last-Modified": email.utils.formatdate(stat.st_mtime, usegmt=True)}
        if status == 200 and self.headers.get("If-None-Match") == etag:
            self._send(304, b"", None, body=False, extra=headers)
            return
        content = fs_path.read_bytes()
        if ctype.startswith(COMPRESSIBLE):
            headers["Vary"] = "Accept-Encoding"
            encoding = self._encoding()
            if encoding:
                content = self._compressed(fs_path, stat.st_mtime, encoding, content)
                headers["Content-Encoding"] = encoding
        self._send(status, content, ctype, body=body, extra=headers)

    def _encoding(self) -> str | None:
        accepted = {part.split(";")[0].strip().lower()
                    for part in self.headers.get("Accept-Encoding", "").split(",")}
        if brotli is not None and "br" in accepted:
            return "br"
        return "gzip" if "gzip" in accepted else None

    def _compressed(self, path: Path, mtime: float, encoding: str, content: bytes) -> bytes:
        key = (path, mtime, encoding)
        with self.lock:
            if key not in self.cache:
                # mtime=0: the same bytes every time, as a host's precompressed files are.
                self.cache[key] = (brotli.compress(content) if encoding == "br"
                                   else gzip.compress(content, compresslevel=9, mtime=0))
            return self.cache[key]

    def _send(self, status: int, content: bytes, ctype: str | None, *, body: bool,
              extra: Mapping[str, str] | None = None) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if body and content:
            self.wfile.write(content)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that drops a request it no longer needs (a prefetch, a page left) is normal."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class StaticServer:
    """``with StaticServer(site) as server: server.url("actors/")``."""

    def __init__(self, root: Path, *, host_like: bool = False,
                 content_types: Mapping[str, str] | None = None) -> None:
        """Serve ``root``; see the module docstring for ``host_like`` and ``content_types``."""
        self.directory = root
        base = _HostHandler if host_like else _QuietHandler
        types = {**(HOST_CONTENT_TYPES if host_like else {}), **(content_types or {})}
        attributes: dict[str, Any] = {"content_types": types}
        if host_like:
            attributes |= {"cache": {}, "lock": threading.Lock()}
        handler_class = type("Handler", (base,), attributes)
        handler = functools.partial(handler_class, directory=str(root))
        self.httpd = _Server(("127.0.0.1", 0), handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str = "") -> str:
        """The absolute URL of ``path`` (relative to the site root)."""
        return f"{self.origin}/{path}"

    def __enter__(self) -> StaticServer:
        self.thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

