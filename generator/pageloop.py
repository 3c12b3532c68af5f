"""MkDocs' page loop, shared with a forked child on a large site (part of the MkDocs adapter).

MkDocs renders and writes its pages one at a time: at 30,000 sheets that loop was 35 s, on
one processor. Once MkDocs has read every page (``on_env``), the pages do not depend on one
another, so a child forked there builds every other generated page outside the nav with
MkDocs' own ``_build_page``, exactly as the loop would, and writes it. The parent's loop
still visits those pages, but its page is an empty template (MkDocs writes nothing for an
empty page) and Material's search skips it (``search.exclude``). The child sends back what
the parent cannot see: each page's search entries, spliced into the index where the page
stands in the loop, and any warning it logged, logged again by the parent (so that
``--strict`` counts it). If the child fails, the build fails with its traceback.

Only for ``mkdocs build``, and only with no plugin but Material's search and this one: another
plugin may gather what it sees of each page, which the child's pages would hide from it.
"""

from __future__ import annotations

import logging
import os
import pickle
import traceback
from collections.abc import Sequence
from typing import Any, BinaryIO

import jinja2
from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage

from generator import searchindex
from generator.parallel import Child, affordable_children, processors

ELSEWHERE = "explainer/built-elsewhere.html"
"""The empty template the parent renders for a page the child builds."""
KNOWN_PLUGINS = frozenset({searchindex.SEARCH_PLUGIN, "explainer"})
"""The plugins a shared loop is safe with: MkDocs' own search would index the parent's empty
pages (only Material's honours ``search.exclude``)."""
MIN_PAGES = 400
"""Fewest generated pages worth a child: forking a large process costs tens of milliseconds."""
_SKIPPED = "Page skipped: '"


class SharedLoop:
    """One build's page loop, shared with a child process."""

    def __init__(self) -> None:
        self.child: Child | None = None
        self.pages: dict[str, MkDocsPage] = {}
        """The pages the child builds, by source path."""
        self.slots: dict[str, int] = {}
        """Where each of the child's pages' search entries go in the parent's index."""

    @staticmethod
    def wanted(config: MkDocsConfig, pages: Sequence[MkDocsPage], workers: int) -> bool:
        """Whether to share this build's loop: a plain ``mkdocs build`` of a large site, with
        processors and memory to spare."""
        return (hasattr(os, "fork") and workers != 1 and len(pages) >= MIN_PAGES
                and set(config.plugins) <= KNOWN_PLUGINS and processors() > 1 and affordable_children() > 0)

    def start(self, env: jinja2.Environment, config: MkDocsConfig, files: Files, nav: Navigation,
              pages: Sequence[MkDocsPage]) -> None:
        """Fork the child that builds every other page of ``pages``; mark those pages for the parent."""
        share = pages[1::2]
        self.child = Child(lambda output: _build(share, env, config, files, nav, output))
        self.pages = {page.file.src_uri: page for page in share}  # the parent's; the child builds them
        empty = jinja2.DictLoader({ELSEWHERE: ""})
        env.loader = jinja2.ChoiceLoader([empty, env.loader] if env.loader is not None else [empty])
        for page in share:
            page.meta = {**page.meta, "template": ELSEWHERE, "search": {"exclude": True}}
        logging.getLogger("mkdocs.commands.build").addFilter(self._quiet)

    def mark(self, page: MkDocsPage, entries: list[Any] | None) -> bool:
        """In the parent's loop: whether the child builds ``page`` (then its search entries' place
        is noted)."""
        if page.file.src_uri not in self.pages:
            return False
        self.slots[page.file.src_uri] = len(entries) if entries is not None else 0
        return True

    def finish(self, entries: list[Any] | None) -> None:
        """Wait for the child; put its pages' search entries in place and log its warnings."""
        if self.child is None:
            return
        try:
            output = self.child.result()
        finally:
            self.child = None
            logging.getLogger("mkdocs.commands.build").removeFilter(self._quiet)
        if output is None:
            raise PluginError("The process that built half of the pages stopped before it finished. "
                              "Set 'workers: 1' under the explainer plugin to build in one process.")
        with output:
            built, records, failure = pickle.load(output)
        for name, level, message in records:
            logging.getLogger(name).log(level, message)
        if failure is not None:
            raise PluginError(f"Building the pages failed in the second process:\n{failure}")
        if entries is not None:
            # From the loop's last page back: each insertion leaves the places before it as they
            # were, and of two pages at one place the later goes in first, so it ends up after.
            for source in reversed(self.slots):
                entries[self.slots[source]:self.slots[source]] = built[source]

    def abandon(self) -> None:
        """Stop the child of a build that failed before its end, and reap it."""
        if self.child is None:
            return
        self.child.stop()
        self.child = None
        logging.getLogger("mkdocs.commands.build").removeFilter(self._quiet)

    def _quiet(self, record: logging.LogRecord) -> bool:
        """Drop MkDocs' note that a page rendered empty, for the pages the child builds."""
        message = str(record.msg)
        return not (message.startswith(_SKIPPED) and message[len(_SKIPPED):].split("'", 1)[0] in self.pages)


class _Records(logging.Handler):
    """Keeps what the child logs at warning level and above, for the parent to log."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.kept: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.kept.append((record.name, record.levelno, record.getMessage()))


def _build(share: Sequence[MkDocsPage], env: jinja2.Environment, config: MkDocsConfig, files: Files,
           nav: Navigation, output: BinaryIO) -> None:
    """In the child: build ``share`` as MkDocs' loop would; write to ``output``, pickled, the
    search entries of each page, the warnings logged and the failure's traceback, if any."""
    records = _Records()  # everything logged reaches the root logger, and only its handler
    logging.getLogger().handlers = [records]
    logging.getLogger("mkdocs").handlers = []
    logging.getLogger("mkdocs").propagate = True
    entries = searchindex.search_entries(config)
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    built: dict[str, list[Any]] = {}
    failure = None
    try:
        for page in share:
            before = len(entries) if entries is not None else 0
            mkdocs_build._build_page(page, config, doc_files, nav, env)
            built[page.file.src_uri] = entries[before:] if entries is not None else []
    except Exception:
        failure = traceback.format_exc()
    pickle.dump((built, records.kept, failure), output, pickle.HIGHEST_PROTOCOL)
