"""The MkDocs adapter: runs the core before each build and adds its pages as virtual files.

With :mod:`generator.rebuilds`, the only modules that import MkDocs, so the core can move to another
site builder.
"""

from __future__ import annotations

import functools
import gc
import logging
import os
import traceback
import zlib
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypedDict

import jinja2
import jinja2.bccache
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.toc import get_toc

from generator import searchindex
from generator.errors import ContentErrors, ExplainerError, Problem
from generator.fragments import Fragments
from generator.incremental import BuildState
from generator.layout import CACHE_FILE, LayoutCache
from generator.pageloop import SharedLoop
from generator.pages import PACK_LEVEL, Page
from generator.parallel import apart
from generator.pipeline import Project, Timings, generate
from generator.rebuilds import ChangeAwareFile, Rebuilds
from generator.site import Site
from generator.theme import KINDS_STYLESHEET

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.nav import Navigation
    from mkdocs.utils.templates import TemplateContext

log = get_plugin_logger("explainer")


class GenerateOptions(TypedDict):
    """The site settings :func:`~generator.pipeline.generate` takes from ``mkdocs.yml``."""

    directory_urls: bool
    site_url: str | None
    site_name: str
    workers: int | None


def _build_once(project: Project, options: GenerateOptions) -> tuple[Site, Timings]:
    """The core of a build that keeps nothing for the next: the site, without the content it
    was made from, and the time each stage took."""
    timings: Timings = {}
    layouts = LayoutCache(project.root / CACHE_FILE, keep=False)
    site = generate(project, timings=timings, layouts=layouts, **options)
    layouts.save()
    return Site(site.pages, site.data, site.nav), timings


class _CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled templates in memory, by template and source checksum."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self.compiled.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


class PackedFile(ChangeAwareFile):
    """A generated file MkDocs holds compressed until it reads or writes it.

    MkDocs keeps every file's content for the whole build: at 30,000 sheets the open data were
    225 MB of it, and the pages' front matter 90 MB. Change-aware, for ``--dirty`` rebuilds,
    like every generated file.
    """

    packed: bytes = b""

    @classmethod
    def holding(cls, config: MkDocsConfig, path: str, packed: bytes,
                inclusion: InclusionLevel = InclusionLevel.UNDEFINED) -> PackedFile:
        """The file at ``path`` in the site whose content, compressed, is ``packed``."""
        file = File.generated(config, path, content=b"", inclusion=inclusion)
        file.__class__ = cls
        assert isinstance(file, PackedFile)
        file.packed = packed
        return file

    @property
    def content_bytes(self) -> bytes:
        return zlib.decompress(self.packed)

    @content_bytes.setter
    def content_bytes(self, value: bytes) -> None:
        self.packed = zlib.compress(value, PACK_LEVEL)

    @property
    def content_string(self) -> str:
        return self.content_bytes.decode("utf-8-sig")

    @content_string.setter
    def content_string(self, value: str) -> None:
        self.content_bytes = value.encode()

    def copy_file(self, dirty: bool = False) -> None:
        if dirty and not self.is_modified():
            return
        os.makedirs(os.path.dirname(self.abs_dest_path), exist_ok=True)
        Path(self.abs_dest_path).write_bytes(self.content_bytes)


class GeneratedPage(MkDocsPage):
    """A generated page: its front matter is all the Markdown it has, so there is nothing to convert.

    MkDocs builds a whole Markdown parser for every page it renders, a few percent of a large
    build; the body is raw HTML, put in by ``on_page_content``, with its anchors and headings.
    """

    anchors = ""
    """The ids of the body, space-separated (see :attr:`generator.pages.Page.anchors`)."""

    @property
    def present_anchor_ids(self) -> set[str]:
        """The ids MkDocs checks a link's anchor against, made only for a page a link points
        into: a set for every page, kept to the end of the build, was 100 MB at 30,000 sheets."""
        return set(self.anchors.split())

    @present_anchor_ids.setter
    def present_anchor_ids(self, ids: set[str] | None) -> None:
        self.anchors = " ".join(sorted(ids or ()))

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.markdown is None or self.markdown.strip():
            super().render(config, files)
            return
        self.content = ""
        self.toc = get_toc([])
        self._title_from_render = None
        self.anchors = ""
        self.links_to_anchors = {}


def _exact_dirty_builds(record: logging.LogRecord) -> bool:
    """Drop MkDocs' warning that a dirty build may be inaccurate: this plugin's are exact."""
    return not str(record.msg).startswith("A 'dirty' build is being performed")

COLLECT_EVERY = 50
"""Builds of ``mkdocs serve`` between two full garbage collections (see :func:`_exempt_from_collection`)."""
JSONLD = "jsonld"
"""The front matter key of a page's structured data (read by ``overrides/main.html``)."""


class ExplainerConfig(base.Config):  # type: ignore[no-untyped-call]
    """Options under ``plugins: - explainer:`` in ``mkdocs.yml``."""

    content_dir = c.Type(str, default="content")
    templates_dir = c.Type(str, default="templates")
    workers = c.Type(int, default=0)
    """Processes that share a large build (reading, resolving, laying out, rendering, MkDocs' page
    loop); 0, one per processor; 1, this process alone."""


class ExplainerPlugin(BasePlugin[ExplainerConfig]):  # type: ignore[no-untyped-call]
    """Generates the explainer's pages from ``content/`` and ``templates/``."""

    def __init__(self) -> None:
        self.serving = False
        self.site = Site([], [])
        self.pending: dict[str, Page] = {}  # generated pages MkDocs has yet to read
        # Their bodies, while the indexer has their search version, and their structured data
        # (JSON-LD, from the front matter), until their templates render.
        self.swapped: dict[str, tuple[Page, bytes | None]] = {}
        self.generated: set[str] = set()
        self.last_good: Site | None = None
        self.own_nav: list[object] = []
        self.layouts: LayoutCache | None = None  # kept across the rebuilds of `mkdocs serve`
        self.dirty = False
        self.fallback = False  # serving the last good site after a failed rebuild
        self.bytecode = _CompiledTemplates()  # the theme's, kept across the rebuilds of `mkdocs serve`
        self.state: BuildState | None = None  # what a build of `mkdocs serve --dirty` keeps for the next
        self.rebuilds = Rebuilds()
        self.building = False
        self.nav: Navigation | None = None
        self.loop = SharedLoop()  # MkDocs' page loop, shared with a child on a large site

    def _project(self, config: MkDocsConfig) -> Project:
        root = Path(config.config_file_path).resolve().parent
        return Project.at(root, self.config.content_dir, self.config.templates_dir)

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.serving = command == "serve"
        self.building = command == "build"
        self.dirty = dirty
        if dirty:
            # MkDocs warns on every --dirty build that links may be wrong; with this plugin they
            # are not (tests/test_incremental.py), and a warning on each save would teach
            # contributors to ignore warnings.
            logging.getLogger("mkdocs.commands.build").addFilter(_exact_dirty_builds)
            log.info("Rebuilds render only the pages a save changes; the result is what a full build makes.")

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # The kinds' colours come from the table of kinds, as a generated stylesheet.
        if KINDS_STYLESHEET not in config.extra_css:
            config.extra_css.insert(0, KINDS_STYLESHEET)
        self.own_nav = list(config.nav or [])
        if self.dirty and self.rebuilds.configure(config):
            self.state = None  # settings or theme changed: everything is rebuilt
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # Runs before MkDocs cleans the site folder: bad content stops the build
        # while the last good site is still in place.
        timings: Timings = {}
        self.rebuilds.started()
        try:
            site = self._generate(config, timings)
        except ContentErrors as exc:
            if not self.serving:
                raise PluginError(exc.format_message()) from None
            # Raising here would leave `mkdocs serve` unable to answer; keep serving.
            self._keep_serving(config, exc.format_message, exc.format_message())
            return
        except ExplainerError as exc:  # e.g. Graphviz missing: a message, not a traceback
            if not self.serving:
                raise PluginError(exc.format_message()) from None
            message = exc.format_message()
            self._keep_serving(config, lambda outcome: f"{message} ({outcome}.)", message)
            return
        except Exception:
            if not self.serving:
                raise  # a bug in the generator: the traceback is what a report needs
            report = ("the generator failed; this is a bug, please report it with this traceback:\n"
                      + traceback.format_exc())
            self._keep_serving(config, lambda outcome: f"{report}{outcome}.", report)
            return
        if not config.site_url and not self.serving:
            log.info("No site_url set (SITE_URL): the open data use relative URLs and the RSS feed, "
                     "which needs absolute ones, is left out. Set SITE_URL to the published address.")
        log.info(f"{len(site.pages)} pages generated in {sum(timings.values()):.2f} s ("
                 + ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in timings.items()) + ")")
        self.site = site
        self.fallback = False
        if self.serving:
            self.last_good = site
        self._set_nav(config, site)

    def _generate(self, config: MkDocsConfig, timings: Timings) -> Site:
        project = self._project(config)
        options = GenerateOptions(directory_urls=config.use_directory_urls, site_url=config.site_url or None,
                                  site_name=config.site_name, workers=self.config.workers or None)
        if not self.serving and not self.dirty:
            # A build that keeps nothing for the next: the core runs in a child process, and
            # only its pages come back. Its content's objects, and the holes they leave when
            # freed, never share this process's memory with MkDocs' pages, which the page
            # loop's child would then copy: 290 MB less at 30,000 sheets.
            site, found = apart(functools.partial(_build_once, project, options), errors=(ExplainerError,))
            timings.update(found)
        else:
            if self.layouts is None:
                self.layouts = LayoutCache(project.root / CACHE_FILE, keep=self.serving)
            if self.dirty and self.state is None:
                self.state = BuildState(layouts=self.layouts)
            site = generate(project, timings=timings, layouts=self.layouts, state=self.state, **options)
            self.layouts.save(prune=site.changed is None)  # a partial build used only some graphs
            if self.serving:
                _exempt_from_collection()
        root = Path(config.config_file_path).resolve().parent
        docs = Path(config.docs_dir)
        hand_written = _paths_under(docs)  # one walk, not a stat per generated file (0.5 s at 30,000)
        taken = [Problem((docs / path).relative_to(root).as_posix(), 0,
                         "a hand-written file would be replaced by a generated page",
                         "Rename or remove the hand-written file")
                 for path in [*(p.path for p in site.pages), *(d.path for d in site.data)]
                 if path in hand_written]
        if taken:
            raise ContentErrors(taken)
        return site

    def _keep_serving(self, config: MkDocsConfig, message: Callable[[str], str], shown: str) -> None:
        """Report a failed rebuild and serve the last good site, or a page listing the problems."""
        if self.last_good is None:
            log.error(message("serving a page that lists them"))
            self.site = Site([Page.from_text("index.md", _error_page(shown))], [])
            self.state = None
        else:
            log.error(message("still serving the last good build"))
            self.site = self.last_good
            self.fallback = True
        self._set_nav(config, self.site)

    def _set_nav(self, config: MkDocsConfig, site: Site) -> None:
        # The generated pages lead the navigation; mkdocs.yml's own nav lists the hand-written ones.
        config.nav = [{title: path} for title, path in site.nav] + self.own_nav

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        # `mkdocs serve` loads the theme afresh for every rebuild, and compiling Material's
        # templates again was a fifth of a save's time at 3,000 sheets. Compiled code is kept
        # by each template's source checksum, so an edited template compiles again.
        if self.serving:
            env.bytecode_cache = self.bytecode
        Fragments(env, config).install()
        self.loop = SharedLoop()
        if self.building and not self.dirty and self.nav is not None:
            pages = [file.page for file in files.documentation_pages(inclusion=InclusionLevel.is_included)
                     if isinstance(file.page, GeneratedPage)]
            if SharedLoop.wanted(config, pages, self.config.workers):
                self.loop.start(env, config, files, self.nav, pages)
        return env

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav  # for the page loop's child (on_env is not given it)
        return nav

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        # The pages' bodies are raw HTML: Markdown would only copy them, after parsing
        # them twice. MkDocs gets the front matter; on_page_content puts the body in.
        # A fresh start each build: a build that failed half-way may have left pages behind.
        self.pending = {page.path: page for page in self.site.pages}
        self.swapped = {}
        self.generated = set(self.pending)
        in_nav = {path for _, path in self.site.nav}
        # Serving the last good site after a failed rebuild: what was written stays as it is.
        changed = frozenset() if self.fallback else self.site.changed
        kept = self.rebuilds.reusable(changed)
        generated: dict[str, File] = {}
        for page in self.site.pages:
            inclusion = InclusionLevel.UNDEFINED if page.path in in_nav else InclusionLevel.NOT_IN_NAV
            file = kept.get(page.path)
            if file is None or file.inclusion != inclusion:
                file = PackedFile.holding(config, page.path, page.packed_front_matter, inclusion)
                if inclusion is InclusionLevel.NOT_IN_NAV:  # in the nav, MkDocs titles it from the nav
                    GeneratedPage(None, file, config)
            generated[page.path] = file
        for data in self.site.data:
            generated[data.path] = kept.get(data.path) or PackedFile.holding(config, data.path, data.packed)
        for file in generated.values():
            files.append(file)
        if self.dirty:  # only what changed is read, rendered and written again
            self.rebuilds.mark(files, generated, changed)
        if not self.serving:
            self.site = Site([], [])  # MkDocs holds the files now; only serve needs the last good site
        return files

    def on_page_content(self, html: str, *, page: MkDocsPage, config: MkDocsConfig,
                        files: Files) -> str:
        generated = self.pending.pop(page.file.src_uri, None)
        if generated is None:
            return html
        # Register the body's anchors, as Markdown would have, for MkDocs' link validation.
        if isinstance(page, GeneratedPage):
            page.anchors = generated.anchors
        else:
            page.present_anchor_ids = (page.present_anchor_ids or set()) | set(generated.anchors.split())
        # The page's headings as its table of contents: Material's skip link goes to the first.
        page.toc = get_toc(_toc_tokens(generated.headings))
        # The search indexer parses every page it is given, and that is the slowest step of a
        # large build: it gets the page's search version, and the body goes in once it has run
        # (on_page_context). Both stay packed until the page is built: MkDocs reads every page
        # first, and the search versions unpacked were 110 MB at 30,000 sheets, which the page
        # loop's child then copied. The structured data are a page's largest metadata and only
        # its own template reads them: packed too until then.
        jsonld = page.meta.pop(JSONLD, None)
        packed_jsonld = None if jsonld is None else zlib.compress(str(jsonld).encode(), PACK_LEVEL)
        self.swapped[page.file.src_uri] = (generated, packed_jsonld)
        return ""

    @event_priority(100)  # before the search plugin indexes the page
    def _search_version_in(self, context: TemplateContext, *, page: MkDocsPage, config: MkDocsConfig,
                           nav: Navigation) -> TemplateContext:
        held = self.swapped.get(page.file.src_uri)
        if held is not None and page.file.src_uri not in self.loop.pages:
            page.content = held[0].search
        return context

    @event_priority(-100)  # after the search plugin has indexed the page
    def _body_in(self, context: TemplateContext, *, page: MkDocsPage, config: MkDocsConfig,
                 nav: Navigation) -> TemplateContext:
        held = self.swapped.pop(page.file.src_uri, None)
        if self.loop.pages and self.loop.mark(page, searchindex.search_entries(config)):
            return context  # another process builds it; this one renders it empty
        if held is not None:
            generated, packed_jsonld = held
            page.content = generated.body
            if packed_jsonld is not None:
                page.meta[JSONLD] = zlib.decompress(packed_jsonld).decode()
        if self.dirty:
            self.rebuilds.indexed_page(page, config)
        return context

    on_page_context = CombinedEvent(_search_version_in, _body_in)

    @event_priority(100)  # before the search plugin writes its index
    def _finish_build(self, *, config: MkDocsConfig) -> None:
        self.pending, self.swapped = {}, {}
        self.loop.finish(searchindex.search_entries(config))
        if self.dirty and self.rebuilds.files is not None:
            self.rebuilds.finish(config, self.serving)
        search = searchindex.search_plugin(config)
        if search is not None:
            searchindex.hold(search.search_index)

    @event_priority(-100)  # after the search plugin has written nothing
    def _write_search_index(self, *, config: MkDocsConfig) -> None:
        search = searchindex.search_plugin(config)
        if search is not None:
            index = search.search_index
            entries = (self.rebuilds.search_entries() if self.dirty and self.rebuilds.files is not None
                       else (searchindex.entry_json(entry) for entry in index.entries))
            searchindex.write(config.site_dir, index, entries)
        if self.serving:
            _exempt_from_collection(collect_first=self.rebuilds.builds % COLLECT_EVERY == 0)

    on_post_build = CombinedEvent(_finish_build, _write_search_index)

    @event_priority(-100)  # after every other plugin has seen the page
    def on_post_page(self, output: str, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        # MkDocs keeps every page's HTML until the build ends, though nothing reads it once
        # the page is written: let the generated pages' bodies go. At 3,000 sheets this
        # keeps the peak at 220 MB instead of 277 MB.
        if page.file.src_uri in self.generated:
            page.content = ""
            page.meta.pop(JSONLD, None)
        return output

    def on_build_error(self, *, error: Exception) -> None:
        self.loop.abandon()  # a build that failed before its end leaves no child behind

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig,
                 builder: object) -> LiveReloadServer:
        project = self._project(config)
        folders = [str(project.content_dir), str(project.templates_dir)]
        if not _watch_with_events(server, folders):
            for folder in folders:
                server.watch(folder)
        return server


def _watch_with_events(server: LiveReloadServer, folders: list[str]) -> bool:
    """Have the system tell ``server`` of changes under ``folders``; False if it cannot.

    MkDocs watches by polling: every half second it lists and stats every file, in a thread of
    the server's process. At 30,000 sheets that kept a core 65 % busy, idle or not, and slowed
    every rebuild it ran beside. The system's file events (inotify on Linux) cost nothing until
    a file changes. They wake the server as its own watcher does (MkDocs 1.6's rebuild flag).
    """
    import watchdog.events
    import watchdog.observers

    writes = {watchdog.events.EVENT_TYPE_CREATED, watchdog.events.EVENT_TYPE_DELETED,
              watchdog.events.EVENT_TYPE_MODIFIED, watchdog.events.EVENT_TYPE_MOVED,
              watchdog.events.EVENT_TYPE_CLOSED}
    condition = getattr(server, "_rebuild_cond", None)
    if condition is None or not hasattr(server, "_want_rebuild"):
        return False  # another MkDocs: its own watcher it is

    def changed(event: watchdog.events.FileSystemEvent) -> None:
        # Only writes: a build reads content, and "opened" or "closed unwritten" would start
        # the next build, and so on for ever.
        if event.is_directory or event.event_type not in writes:
            return
        with condition:
            server._want_rebuild = True
            condition.notify_all()

    handler = watchdog.events.FileSystemEventHandler()
    handler.on_any_event = changed  # type: ignore[method-assign]
    observer = watchdog.observers.Observer()
    observer.daemon = True
    try:
        for folder in folders:
            observer.schedule(handler, folder, recursive=True)
        observer.start()
    except OSError as exc:  # e.g. no inotify watches left: poll, as MkDocs does
        log.info(f"Watching content by polling (file events unavailable: {exc})")
        return False
    return True


def _exempt_from_collection(*, collect_first: bool = False) -> None:
    """Keep Python's cyclic garbage collector from walking what a build keeps for the next.

    A served site keeps millions of objects between saves (at 30,000 sheets); each full
    collection walked them all, freeing nothing, and added 2 s to one save in three. Frozen
    objects are still freed by reference counting when the next build replaces them; those in
    reference cycles (about 1,400 a save, 0.6 MB, the same at 300 and 3,000 sheets) wait for
    the full collection made first once every :data:`COLLECT_EVERY` builds.
    """
    if collect_first:
        gc.unfreeze()
        gc.collect()
    gc.freeze()


def _paths_under(folder: Path) -> set[str]:
    """Every file and folder under ``folder``, as POSIX paths relative to it."""
    found: set[str] = set()
    for top, folders, files in os.walk(folder):
        prefix = Path(top).relative_to(folder).as_posix()
        found.update(name if prefix == "." else f"{prefix}/{name}" for name in (*folders, *files))
    return found


def _toc_tokens(headings: tuple[tuple[int, str, str], ...]) -> list[Any]:
    """A generated page's h1 and h2 headings, as MkDocs' table-of-contents tokens."""
    tokens: list[Any] = []
    for level, anchor, name in headings:
        token = {"level": level, "id": anchor, "name": name, "children": []}
        if token["level"] == 2 and tokens:
            tokens[-1]["children"].append(token)
        else:
            tokens.append(token)
    return tokens


def _error_page(message: str) -> str:
    return ("---\ntitle: Content errors\n---\n<div class=\"explainer content-errors\">\n"
            "<h1 id=\"content-errors\">The content has errors</h1>\n"
            "<p>Fix these and save; this page reloads.</p>\n"
            f"<pre>{escape(message)}</pre>\n</div>\n")
