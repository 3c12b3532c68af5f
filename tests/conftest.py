"""Shared fixtures: small projects on disk built from the real templates and config."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup

if TYPE_CHECKING:
    from playwright.sync_api import Browser
    from static_server import StaticServer

REPO = Path(__file__).resolve().parent.parent

ARTICLE_ONE = """\
---
title: "Ships sail from the harbour"
---

The ships sailed from the harbour at dawn, the captain told a radio station.

Some 40 sailors were on board, according to port officials.

The harbour was quiet by noon.
"""

ARTICLE_TWO = """\
---
title: "Harbour reopens"
---

The harbour reopened on Monday, the mayor said.

Fishermen returned to the \u201cold quay\u201d in large numbers.
"""


class ProjectDir:
    """A throwaway project: real templates, real mkdocs.yml, content written by the test."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, rel: str, text: str | bytes) -> Path:
        """Write a file under the project (dedenting text)."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def mkdocs_build(self, *extra: str) -> subprocess.CompletedProcess[str]:
        """Run the real `mkdocs build --strict` into ``site/``."""
        return subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(self.root / "site"), *extra],
            cwd=self.root, capture_output=True, text=True, env=_quiet_env(), check=False,
        )

    def html(self, url_path: str) -> str:
        """The built page at ``url_path`` (``actors/x/``)."""
        return (self.root / "site" / url_path / "index.html").read_text(encoding="utf-8")


def _quiet_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SITE_URL", None)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.update(extra)
    return env


class BuiltSite:
    """A built site folder; each page is parsed once, however many tests read it."""

    def __init__(self, root: Path, log: str, site_url: str | None = None) -> None:
        self.root = root
        self.log = log
        self.site_url = site_url
        """The address the site was built for (SITE_URL), if any."""

    def file(self, rel: str) -> Path:
        """The built file for URL path ``rel`` (``actors/x/`` -> ``actors/x/index.html``)."""
        return self.root / rel / "index.html" if rel == "" or rel.endswith("/") else self.root / rel

    @functools.cache  # noqa: B019 - one parse per page for the whole session is the point
    def page(self, url: str) -> BeautifulSoup:
        """The parsed page at URL path ``url`` (``""``, ``actors/x/``); do not modify it."""
        return BeautifulSoup(self.file(url).read_text(encoding="utf-8"), "html.parser")

    @functools.cached_property
    def urls(self) -> list[str]:
        """The URL path of every HTML page, ``""`` for the home page."""
        out = []
        for path in sorted(self.root.rglob("*.html")):
            rel = path.relative_to(self.root).as_posix()
            out.append(rel.removesuffix("index.html") if rel.endswith("index.html") else rel)
        return out

    def pages(self) -> dict[str, BeautifulSoup]:
        """Every page, parsed, by URL path."""
        return {url: self.page(url) for url in self.urls}


def build_site(project: ProjectDir, **env: str) -> BuiltSite:
    """Run the real strict build of ``project`` into its ``site/``; fail the test if it fails."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(project.root / "site")],
        cwd=project.root, capture_output=True, text=True, env=_quiet_env(**env), check=False)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return BuiltSite(project.root / "site", result.stderr, env.get("SITE_URL"))


@pytest.fixture(scope="session")
def served_seed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaticServer]:
    """A server on 127.0.0.1 for the shared seed build, started first: the site is built for its
    address, as a published site is for its own (Material's instant navigation needs that)."""
    from static_server import StaticServer

    site = tmp_path_factory.mktemp("seed") / "project" / "site"
    site.mkdir(parents=True)
    with StaticServer(site) as server:
        yield server


@pytest.fixture(scope="session")
def seed_site(served_seed: StaticServer) -> BuiltSite:
    """The repository's own content, built once for the whole session, as published at
    ``served_seed``'s address."""
    project = make_project(Path(served_seed.directory).parent, seed=True)
    return build_site(project, SITE_URL=served_seed.url(""), SOURCE_DATE_EPOCH="1700000000")


def make_project(root: Path, *, seed: bool = False) -> ProjectDir:
    """A project at ``root`` with the repository's templates, config and assets.

    With ``seed``, the repository's own content is copied too.
    """
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    if seed:
        shutil.copytree(REPO / "content", root / "content")
    else:
        (root / "content").mkdir()
    return ProjectDir(root)


@pytest.fixture
def project(tmp_path: Path) -> ProjectDir:
    """An empty project with the real templates and config."""
    return make_project(tmp_path / "project")


@pytest.fixture
def harbour(project: ProjectDir) -> ProjectDir:
    """A project with one small article and two sheets that cite it."""
    project.write("content/articles/ships.md", ARTICLE_ONE)
    project.write("content/actors/captain.yml", """\
        name: The captain
        summary: The captain spoke to a radio station about the ships.
        claims:
          - text: The captain told a radio station that the ships sailed at dawn.
            quote: "The ships sailed from the harbour at dawn"
            attribution: the captain, speaking to a radio station
        relations:
          - type: located-in
            target: harbour
            quote: "sailed from the harbour at dawn"
        """)
    project.write("content/places/harbour.yml", """\
        name: The harbour
        aliases: [port]
        summary: A harbour the ships sailed from.
        claims:
          - text: Port officials said some 40 sailors were on board.
            quote: "Some 40 sailors were on board"
            attribution: port officials
          - text: The harbour was quiet by noon.
            quote: "The harbour was quiet by noon."
        """)
    return project



CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One real Chromium (Debian's) for the whole session; a test that needs it fails without it."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: install Debian's chromium (make browser)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
