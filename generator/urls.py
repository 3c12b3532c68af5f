"""Page paths to URLs, and relative links between pages, as MkDocs lays them out."""

from __future__ import annotations

import posixpath


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
    rel = posixpath.relpath(target or ".", source_dir or ".")
    if target.endswith("/") or not target:
        rel = "./" if rel == "." else rel + "/"
    if source == target and anchor:
        rel = ""
    return f"{rel}#{anchor}" if anchor else rel
