"""MkDocs' side of incremental rebuilds (``mkdocs serve --dirty``): part of the MkDocs adapter.

With ``--dirty``, MkDocs reads, renders and writes only the files that say they are modified;
but every generated file says so (its content is in memory), and Material's search then indexes
only the pages built, in another order. Here generated files know whether their content
changed since the last build, stale pages are removed, and the search index is put back
together in the order of a full build, from the entries each page gave when last built.
Together: after any sequence of edits, the served site is what a full build would make.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.structure.files import File, Files, InclusionLevel

from generator.searchindex import SEARCH_PLUGIN, entry_json

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page as MkDocsPage


class ChangeAwareFile(File):
    """A generated file that says whether its content changed since the last build."""

    changed: bool = True

    def is_modified(self) -> bool:
        return self.changed


class Rebuilds:
    """What the adapter keeps between the builds of ``mkdocs serve``."""

    def __init__(self) -> None:
        self.settings = ""
        """A digest of the configuration and theme overrides: a change makes the next build full."""
        self.full = True
        self.outputs: dict[str, str] = {}
        """Generated file -> where it was written, in the last build."""
        self.fragments: dict[str, str] = {}
        """Page -> the search entries it gave when last built, as they appear in the index's JSON
        (comma-separated)."""
        self.files: Files | None = None
        self.generated: dict[str, File] = {}
        """Generated file -> its File in the last build, with the MkDocs page made for it."""
        self.indexed = 0
        self.builds = 0
        """Builds begun in this process."""

    def configure(self, config: MkDocsConfig) -> bool:
        """Note the settings of this build; True when they changed (everything is to be rebuilt)."""
        parts = [Path(config.config_file_path).read_bytes() if config.config_file_path else b""]
        if config.theme.custom_dir:
            for path in sorted(Path(config.theme.custom_dir).rglob("*")):
                if path.is_file():
                    parts.append(path.as_posix().encode() + path.read_bytes())
        settings = hashlib.blake2b(b"\0".join(parts), digest_size=16).hexdigest()
        if settings != self.settings:
            self.settings, self.full = settings, True
        return self.full

    def reusable(self, changed: frozenset[str] | None) -> dict[str, File]:
        """The last build's files, by path, that this build may use again: those it did not change.

        With its File, a generated page keeps its MkDocs page, which MkDocs makes only for a file
        that has none: at 30,000 sheets, making them all again was a quarter of a save's time.
        Nothing of an unchanged page differs between builds of the same settings, and a change
        of settings (or a full rebuild) reuses nothing.
        """
        if self.full or changed is None:
            return {}
        return {path: file for path, file in self.generated.items() if path not in changed}

    def mark(self, files: Files, generated: dict[str, File], changed: frozenset[str] | None) -> None:
        """Say which generated files changed; with a full rebuild, every file did."""
        self.files = files
        self.generated = generated
        for path, file in generated.items():
            if not isinstance(file, ChangeAwareFile):
                file.__class__ = ChangeAwareFile
            assert isinstance(file, ChangeAwareFile)
            file.changed = self.full or changed is None or path in changed
        if self.full:
            for file in files:
                if file.src_uri not in generated:
                    file.is_modified = lambda: True  # type: ignore[method-assign]

    def started(self) -> None:
        """A build begins: its search index starts empty."""
        self.indexed = 0
        self.builds += 1

    def indexed_page(self, page: MkDocsPage, config: MkDocsConfig) -> None:
        """Keep the search entries the page just gave (the search plugin appends them in order)."""
        search = config.plugins.get(SEARCH_PLUGIN)
        if search is None:
            return
        entries = search.search_index.entries
        self.fragments[page.file.src_uri] = ",".join(entry_json(entry) for entry in entries[self.indexed:])
        self.indexed = len(entries)

    def finish(self, config: MkDocsConfig, serve: bool) -> None:
        """Remove what the last build wrote that this one no longer makes, and put the search index
        back together in the order of a full build."""
        files = self.files
        assert files is not None
        outputs = {f.src_uri: f.abs_dest_path for f in files if isinstance(f, ChangeAwareFile)}
        for src, dest in self.outputs.items():
            if src not in outputs and os.path.isfile(dest):
                os.remove(dest)
        self.outputs = outputs
        inclusion = InclusionLevel.is_in_serve if serve else InclusionLevel.is_included
        order = [f.src_uri for f in files.documentation_pages(inclusion=inclusion)]
        self.fragments = {src: self.fragments[src] for src in order if src in self.fragments}
        search = config.plugins.get(SEARCH_PLUGIN)
        if search is not None:
            search.search_index_prev = None  # its own merge would reorder the index
        self.full = False

    def search_entries(self) -> Iterable[str]:
        """The search index's entries, as JSON, from each page's entries as serialised when the
        page was last built, in the order of a full build.

        The search plugin would serialise every entry again: half a second of each save at
        30,000 sheets.
        """
        return self.fragments.values()
