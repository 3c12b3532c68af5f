"""The whole core in two calls: check the content, or check it and render every page."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.errors import ContentErrors, Problem
from generator.incremental import BuildState, templates_digest
from generator.layout import LayoutCache
from generator.load import load_content
from generator.model import LoadedSheet
from generator.parallel import fork_map
from generator.render import Renderer, TemplateProblem
from generator.resolve import Resolved, resolve_content
from generator.rules import check_sheet, check_story
from generator.site import Site, build_site


@dataclass(frozen=True)
class Project:
    """Where a project keeps its content and templates."""

    root: Path
    content_dir: Path
    templates_dir: Path

    @classmethod
    def at(cls, root: Path, content: str = "content", templates: str = "templates") -> Project:
        """The project at ``root`` with the given folders (relative to it)."""
        return cls(root, root / content, root / templates)


@dataclass(frozen=True)
class Summary:
    """Counts for the one-line report of a good check."""

    articles: int
    sheets: int
    claims: int
    relations: int
    passages_cited: int
    passages: int
    uncited: tuple[str, ...] = ()
    """``<article> <passage>`` of every passage no sheet cites yet."""

    def format(self) -> str:
        """``N sheets, N claims, ...`` in one line, then the passages not cited yet, if any."""
        line = (f"{self.sheets} sheets, {self.claims} claims, {self.relations} relations; "
                f"{self.passages_cited} of {self.passages} passages cited in "
                f"{self.articles} article{'s' if self.articles != 1 else ''}.")
        if self.uncited:
            shown = ", ".join(self.uncited[:MAX_UNCITED_SHOWN])
            more = len(self.uncited) - MAX_UNCITED_SHOWN
            line += (f"\nNot cited yet (coverage, not an error): {shown}"
                     + (f", and {more} more." if more > 0 else "."))
        return line


MAX_UNCITED_SHOWN = 30
"""Passages the coverage line names; a new long article would otherwise fill the terminal."""

Timings = dict[str, float]
"""Seconds spent in each stage of the core: ``load`` (with validation), ``resolve``, ``render``."""


def check(project: Project, timings: Timings | None = None, state: BuildState | None = None,
          workers: int | None = None) -> Resolved:
    """Load and resolve all content; raise :class:`ContentErrors` listing every problem.

    ``timings``, if given, receives the seconds spent loading and resolving; ``state``, kept
    from an earlier build, spares parsing files and finding quotes that did not change.
    ``workers`` caps the processes that read and resolve the sheets (by default, one per
    processor; with ``state``, one).
    """
    started = time.perf_counter()
    if state is not None:
        # What loading and resolving make is kept for every later save, which walks it all:
        # copies sent back by other processes (their strings equal, no longer the same
        # objects) made each save at 30,000 sheets 0.5 s slower. Rendered pages are not walked.
        workers = 1
    content = load_content(project.root, project.content_dir, state.files if state is not None else None,
                           workers)
    loaded = time.perf_counter()
    resolved, problems = resolve_content(content, state.quotes if state is not None else None, workers)
    problems += _standards_of(list(resolved.sheets.values()), state, workers)
    if content.story is not None:
        problems += check_story(content.story.path, content.story.story, content.story.lines)
    if timings is not None:
        timings["load"] = loaded - started
        timings["resolve"] = time.perf_counter() - loaded
    if problems:
        raise ContentErrors(problems)
    return resolved


def summarise(resolved: Resolved) -> Summary:
    """Count what a good check found."""
    cited = {(c.span.article, c.span.passage) for c in resolved.citations}
    return Summary(
        articles=len(resolved.articles),
        sheets=len(resolved.sheets),
        claims=len(resolved.claims),
        relations=len(resolved.links),
        passages_cited=len(cited),
        passages=sum(len(a.passages) for a in resolved.articles.values()),
        uncited=tuple(f"{a.slug} {p.id}" for a in resolved.articles.values() for p in a.passages
                      if (a.slug, p.id) not in cited),
    )


def generate(project: Project, *, directory_urls: bool = True, site_url: str | None = None,
             site_name: str = "Libya explainer", timings: Timings | None = None,
             layouts: LayoutCache | None = None, state: BuildState | None = None,
             workers: int | None = None) -> Site:
    """Check the content, render every page and export the open data.

    Raises :class:`ContentErrors` on any problem, before anything is returned. ``timings``, if
    given, receives the seconds spent in each stage (see :data:`Timings`). ``layouts`` keeps the
    graphs' layouts between builds (by default, for this call only). ``state``, kept from the
    last build, makes this one redo only what changed; the site then says what did
    (:attr:`Site.changed`). ``workers`` caps the processes that share the work of reading
    sheets and rendering pages (by default, one per processor; 1, this process alone; with
    ``state``, only rendering is shared: see :func:`check`).
    """
    with _cyclic_gc_paused():
        resolved = check(project, timings, state, workers)
        started = time.perf_counter()
        templates = templates_digest(project.templates_dir) if state else ""
        renderer = _renderer(project, templates, state)
        try:
            site = build_site(resolved, renderer, directory_urls=directory_urls, site_url=site_url,
                              site_name=site_name, layouts=layouts, state=state, templates=templates,
                              workers=workers)
        except TemplateProblem as exc:
            raise ContentErrors([exc.problem]) from None
        if timings is not None:
            timings["render"] = time.perf_counter() - started
        return site


STANDARDS_PER_PROCESS = 2000
"""Fewest sheets worth a process of their own for the content standards (about 0.1 ms a sheet)."""


def _standards_of(sheets: list[LoadedSheet], state: BuildState | None,
                  workers: int | None) -> list[Problem]:
    """The content standards ``sheets`` break: shared among processes in a build that keeps nothing
    (at 30,000 sheets, 2.5 s in one), else remembered in ``state``."""
    if state is None:
        found = fork_map(_broken_standards, sheets, workers=workers, min_share=STANDARDS_PER_PROCESS)
    else:
        found = [_standards(loaded, state) for loaded in sheets]
    return [problem for problems in found for problem in problems]


def _broken_standards(loaded: LoadedSheet) -> tuple[Problem, ...]:
    return tuple(check_sheet(loaded))


def _standards(loaded: LoadedSheet, state: BuildState) -> tuple[Problem, ...]:
    """The content standards a sheet breaks, remembered in ``state`` while its bytes stay the same."""
    key = (loaded.path, loaded.digest)
    if (found := state.rules.get(key)) is None:
        found = state.rules[key] = _broken_standards(loaded)
    return found


def _renderer(project: Project, templates: str, state: BuildState | None) -> Renderer:
    """A renderer for the project's templates; the last build's while they are unchanged,
    since Jinja keeps what it compiled."""
    if state is None:
        return Renderer(project.templates_dir, project.root)
    key = f"{project.templates_dir.resolve()}:{templates}"
    if state.renderer is None or state.renderer[0] != key:
        state.renderer = (key, Renderer(project.templates_dir, project.root))
    return state.renderer[1]


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the core runs.

    The core allocates hundreds of thousands of objects that all stay alive until the site
    is built, so each collection walks them all and frees nothing: about 15 % of the core's
    time on a large site. Reference counting still frees everything else as it goes.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
