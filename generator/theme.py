"""What the site's frame derives from the content tables: the navigation and the kinds' colours.

Written here once so that adding a kind (a row of :data:`generator.model.KIND_TABLE`) needs
no edit to ``mkdocs.yml`` or the stylesheet.
"""

from __future__ import annotations

from generator.model import KIND_TABLE
from generator.pages import ARTICLES, GRAPH, HOME, OPEN_DATA, TIMELINE, index_path

KINDS_STYLESHEET = "assets/kinds.css"
"""The generated stylesheet that gives each ``.kind-<folder>`` element its colour as ``--kind``."""


def navigation(article_count: int) -> list[tuple[str, str]]:
    """(title, page path) of each generated page in the site's main navigation, in order."""
    return [
        ("Home", HOME),
        ("Article" if article_count == 1 else "Articles", index_path(ARTICLES)),
        ("Timeline", TIMELINE),
        ("Graph", GRAPH),
        *((kind.title, index_path(kind.folder)) for kind in KIND_TABLE),
        ("Open data", OPEN_DATA),
    ]


def kinds_css() -> str:
    """CSS giving each kind's elements their colour as the custom property ``--kind``."""
    rules = "".join(f".kind-{kind.folder}{{--kind:{kind.colour}}}\n" for kind in KIND_TABLE)
    return "/* Generated from the table of kinds (generator/model.py). */\n" + rules
