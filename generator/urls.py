"""Page paths to URLs, and relative links between pages, as MkDocs lays them out."""

from __future__ import annotations

import posixpath
from functools import lru_cache


@lru_cache(maxsize=65536)
def page_url(path: str, directory_urls: bool = True) -> str:
    """URL of the page built from Markdown file ``path`` (``actors/x.md`` -> ``actors/x/``)."""
    stem = path.removesuffix(".md")
    if directory_urls:
        if stem == "index":
            return ""
        if stem.endswith("/index"):
            return stem.removesuffix("index")
        return stem + "/"
    return stem + ".html"


def relative_href(from_path: str, to_path: str, anchor: str | None = None,
                  directory_urls: bool = True) -> str:
    """Link from page ``from_path`` to page ``to_path`` (optionally ``#anchor``), relative."""
    source = page_url(from_path, directory_urls)
    target = page_url(to_path, directory_urls)
    source_dir = source.rstrip("/") if source.endswith("/") else posixpath.dirname(source)
    rel = "" if source == target and anchor else relative_url(target, source_dir)
    return f"{rel}#{anchor}" if anchor else rel


@lru_cache(maxsize=65536)
def relative_url(target: str, from_dir: str) -> str:
    """``target`` (a path under the site root) as seen from folder ``from_dir``.

    Both are clean site paths (no '.' or '..' parts), so plain segment arithmetic
    does what posixpath.relpath does, without its calls to the file system's cwd.
    """
    to_parts = [part for part in target.split("/") if part]
    from_parts = [part for part in from_dir.split("/") if part]
    common = 0
    while (common < len(to_parts) and common < len(from_parts)
           and to_parts[common] == from_parts[common]):
        common += 1
    rel = "/".join([".."] * (len(from_parts) - common) + to_parts[common:]) or "."
    if target.endswith("/") or not target:
        rel = "./" if rel == "." else rel + "/"
    return rel


class Linker:
    """URLs for files outside the page tree (data exports, head metadata).

    With ``site_url`` the URLs are absolute; without it they are relative to the
    file that holds them, so the exports still resolve on any static server.
    """

    def __init__(self, site_url: str | None, directory_urls: bool = True) -> None:
        self.site_url = site_url.rstrip("/") + "/" if site_url else None
        self.directory_urls = directory_urls

    def page(self, from_file: str, to_path: str, anchor: str | None = None) -> str:
        """URL of page ``to_path`` (a Markdown path) as written in ``from_file``."""
        target = page_url(to_path, self.directory_urls)
        return self.file(from_file, target) + (f"#{anchor}" if anchor else "")

    def file(self, from_file: str, target: str) -> str:
        """URL of ``target`` (a path under the site root) as written in ``from_file``."""
        if self.site_url:
            return self.site_url + target
        return relative_url(target, posixpath.dirname(from_file))

    def output_of(self, path: str) -> str:
        """The HTML file a Markdown page becomes (``actors/x.md`` -> ``actors/x/index.html``)."""
        url = page_url(path, self.directory_urls)
        return url + "index.html" if self.directory_urls else url
