"""The test server: plain by default, like a static host with ``host_like``, types overridable."""

from __future__ import annotations

import gzip
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from static_server import StaticServer

TEXT = "Fishermen returned to the \u201cold quay\u201d.\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A tiny site: a page, a plain-text file, a stylesheet, an image and a 404 page."""
    (tmp_path / "page").mkdir()
    (tmp_path / "page" / "index.html").write_text("<p>" + TEXT * 50, encoding="utf-8")
    (tmp_path / "notes.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "404.html").write_text("<p>Not here</p>", encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return tmp_path


def get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and raw body of ``url``; errors are answers too."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_plain_mode_serves_text_without_a_charset_as_before(site: Path) -> None:
    with StaticServer(site) as server:
        status, headers, body = get(server.url("notes.txt"), **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-type"] == "text/plain"
    assert "Content-Encoding" not in headers
    assert body.decode("utf-8") == TEXT


def test_host_like_mode_compresses_text_and_declares_its_charset(site: Path) -> None:
    with StaticServer(site, host_like=True) as server:
        status, headers, body = get(server.url("page/"), **{"Accept-Encoding": "gzip, deflate"})
        _, plain_headers, plain_body = get(server.url("page/"))
        _, image_headers, _ = get(server.url("logo.png"), **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Vary"] == "Accept-Encoding"
    assert headers["Cache-Control"] == "max-age=600"
    assert int(headers["Content-Length"]) == len(body) < len(plain_body)
    assert gzip.decompress(body) == plain_body == (site / "page" / "index.html").read_bytes()
    assert "Content-Encoding" not in plain_headers
    assert "Content-Encoding" not in image_headers and image_headers["Content-Type"] == "image/png"


def test_host_like_mode_redirects_folders_answers_304_and_serves_the_404_page(site: Path) -> None:
    with StaticServer(site, host_like=True) as server:
        opener = urllib.request.build_opener(type("NoRedirect", (urllib.request.HTTPRedirectHandler,),
                                                  {"redirect_request": lambda *args: None}))
        with pytest.raises(urllib.error.HTTPError) as redirect:
            opener.open(server.url("page"))
        _, headers, _ = get(server.url("notes.txt"))
        again, _, empty = get(server.url("notes.txt"), **{"If-None-Match": headers["ETag"]})
        missing, _, page = get(server.url("nowhere/"))
    assert redirect.value.code == 301 and redirect.value.headers["Location"] == "/page/"
    assert (again, empty) == (304, b"")
    assert (missing, page) == (404, b"<p>Not here</p>")


def test_content_types_override_the_charset_in_either_mode(site: Path) -> None:
    with StaticServer(site, host_like=True, content_types={".txt": "text/plain"}) as server:
        _, headers, _ = get(server.url("notes.txt"))
    assert headers["Content-Type"] == "text/plain"
