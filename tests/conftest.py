"""Shared fixtures: small projects on disk built from the real templates and config."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

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


def _quiet_env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


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

