"""What one build keeps for the next, so that a save in ``mkdocs serve`` redoes only what it changed.

A build reads every content file's bytes but parses only files whose bytes changed (the
:data:`~generator.load.FileMemo`), searches only quotes it has not found in the same articles
(:class:`~generator.resolve.QuoteMemo`), lays out only graphs it has not laid out
(:class:`~generator.layout.LayoutCache`), and renders only pages whose inputs changed.

A page's inputs are summed up in a fingerprint: a digest of everything its template can read.
That is the page's own sheet or article, the sheets it shows something of (those it relates to,
conflicting accounts, what it is the source of), the names of all sheets (any page may link a
name), the articles' texts and labels, the templates and the build's settings. Equal
fingerprints, equal pages: the page kept from the last build is the page this build would render.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.dates import Placement
from generator.errors import Problem
from generator.exports import DataFile
from generator.index import SiteIndex
from generator.layout import LAYOUT_VERSION, LayoutCache
from generator.load import FileMemo
from generator.mentions import Mentions
from generator.pages import Page
from generator.render import Renderer
from generator.resolve import STORY, Citation, QuoteMemo, Resolved
from generator.story import FigureMemo


@dataclass
class BuildState:
    """Everything a build leaves for the next one in the same process."""

    files: FileMemo = field(default_factory=dict)
    quotes: QuoteMemo = field(default_factory=QuoteMemo)
    layouts: LayoutCache = field(default_factory=LayoutCache)
    pages: dict[str, tuple[Fingerprint, Page]] = field(default_factory=dict)
    """Page path -> (its inputs' fingerprint, the page rendered from them)."""
    data: dict[str, tuple[Fingerprint, DataFile]] = field(default_factory=dict)
    """Data file path -> (its inputs' fingerprint, the file)."""
    rules: dict[tuple[str, str], tuple[Problem, ...]] = field(default_factory=dict)
    """(Sheet path, its digest) -> the content standards it breaks."""
    mentions: tuple[tuple[tuple[str, str], ...], Mentions] | None = None
    """Every (sheet, name or alias) and the matcher made of them: it takes a trie of all names."""
    figures: FigureMemo = field(default_factory=dict)
    """Claim text -> its first figure, for the home page's key figures."""
    renderer: tuple[str, Renderer] | None = None
    """The templates' digest and the renderer that compiled them: compiling is most of a save's cost."""


def digest(*parts: object) -> str:
    """A short digest of ``parts`` (their ``repr``): what fingerprints are made of."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def templates_digest(folder: Path) -> str:
    """A digest of every template's text: change one, and every page renders again."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return digest(LAYOUT_VERSION, *((p.relative_to(folder).as_posix(), p.read_bytes()) for p in files))


Fingerprint = object
"""What a page's inputs come to: compared with ``==`` to the last build's, never stored on disk.

Whole-site parts (every sheet's name, every article) are digests, made once per build; a page's
own parts are kept as they are, so that 33,000 pages cost no hashing (at 30,000 sheets,
hashing each page's parts was a fifth of a second of every save)."""


class Fingerprints:
    """The inputs' fingerprint of each page and data file of one build."""

    def __init__(self, resolved: Resolved, index: SiteIndex, placed: dict[str, Placement],
                 settings: object) -> None:
        self.resolved = resolved
        self.index = index
        sheets = resolved.sheets
        self.digests = {slug: loaded.digest for slug, loaded in sheets.items()}
        names = digest(*((slug, s.kind, s.sheet.name, s.sheet.stated_aliases) for slug, s in sheets.items()))
        articles = digest(*((slug, a.digest) for slug, a in resolved.articles.items()))
        self.site = digest(settings, names, articles)
        """What every page depends on."""
        self.story = digest(*((c.text, c.span) for c in resolved.story))
        lanes: dict[str, list[tuple[str, str | None]]] = {}
        for slug, placement in placed.items():
            lanes.setdefault(placement.lane, []).append((slug, placement.sort_start))
        self.lanes = {lane: digest(*sorted(members, key=str)) for lane, members in lanes.items()}
        self.lane_of = {slug: placement.lane for slug, placement in placed.items()}
        # Several pages and files depend on every sheet, or every event: each digest made once.
        self.all_sheets = digest(*sorted(self.digests.items()))
        self.events = digest("timeline", self.site, sorted((s, self.digests[s]) for s in self.lane_of))
        self.partners_of = _partners(index)
        self._articles: dict[str, Fingerprint] = {}
        self._citations: dict[str, list[Citation]] = {}

    def _of(self, slugs: Iterable[str]) -> tuple[tuple[str, str], ...]:
        return tuple(sorted((slug, self.digests.get(slug, "")) for slug in set(slugs)))

    def sheet(self, slug: str) -> Fingerprint:
        """A sheet's page."""
        lane = self.lane_of.get(slug)
        return ("sheet", self.site, slug, self.digests[slug], self._of(self.partners_of.get(slug, ())),
                self.lanes.get(lane) if lane else None)

    def article(self, slug: str) -> Fingerprint:
        """An article's page and its annotations: the article and every sheet citing it."""
        if (found := self._articles.get(slug)) is None:
            citing = {c.sheet for c in self._citing(slug)}
            found = self._articles[slug] = ("article", self.site, slug, self._of(citing), self.story)
        return found

    def kind(self, kind: str) -> Fingerprint:
        """A kind's index page."""
        sheets = self.resolved.sheets
        own = [(slug, d) for slug, d in self.digests.items() if sheets[slug].kind == kind]
        return digest("kind", self.site, kind, own)

    def articles_list(self, what: str) -> Fingerprint:
        """A page listing the articles (their index, the open data): the articles, and how many
        citations and claims quote each. A save that changes no count leaves them as they were."""
        return (what, self.site, self._counts)

    @functools.cached_property
    def _counts(self) -> tuple[tuple[str, int, int], ...]:
        counts = []
        for slug in self.resolved.articles:
            citing = self._citing(slug)
            counts.append((slug, len(citing), sum(1 for c in citing if c.kind == "claim")))
        return tuple(counts)

    def _citing(self, slug: str) -> list[Citation]:
        if (found := self._citations.get(slug)) is None:
            found = self._citations[slug] = self.index.citing(self.resolved.articles[slug])
        return found

    def everything(self, what: str) -> Fingerprint:
        """A page that may show anything: the home page, the feed."""
        return digest(what, self.site, self.story, self.all_sheets)

    def timeline(self) -> Fingerprint:
        """The timeline and its export: every event."""
        return self.events

    def view(self, slug: str, sheets: Iterable[str], menu: list[tuple[str, str]]) -> Fingerprint:
        """A graph view: the sheets it draws, and the views it links to."""
        return ("view", self.site, slug, self._of(sheets), tuple(menu))


class Unprinted(Fingerprints):
    """The fingerprints of a build that keeps nothing for the next, where none is compared:
    each is None, and nothing is worked out (at 30,000 sheets, 2.5 s and 30 MB before the
    pages were made, the 30 MB then copied by the process that shares the rendering)."""

    def __init__(self) -> None:
        pass  # nothing to work out

    def sheet(self, slug: str) -> Fingerprint:
        """None."""
        return None

    def article(self, slug: str) -> Fingerprint:
        """None."""
        return None

    def kind(self, kind: str) -> Fingerprint:
        """None."""
        return None

    def articles_list(self, what: str) -> Fingerprint:
        """None."""
        return None

    def everything(self, what: str) -> Fingerprint:
        """None."""
        return None

    def timeline(self) -> Fingerprint:
        """None."""
        return None

    def view(self, slug: str, sheets: Iterable[str], menu: list[tuple[str, str]]) -> Fingerprint:
        """None."""
        return None


def _partners(index: SiteIndex) -> dict[str, set[str]]:
    """Sheet -> the sheets whose content shows on its page, in one pass over the index.

    Each tie shows on both pages: a relation on its source's and its target's, a dispute on
    both claims' sheets, a source or outlet on its own page and on the citing sheet's.
    """
    found: dict[str, set[str]] = {}
    for slug, links in index.outgoing.items():
        for link in links:
            found.setdefault(slug, set()).add(link.target)
            found.setdefault(link.target, set()).add(slug)
    for slug, claims in index.disputes.items():
        for disputing in claims.values():
            for claim in disputing:
                found.setdefault(slug, set()).add(claim.sheet)
    for slug, citations in index.by_sheet.items():
        for citation in citations:
            for named in (citation.source, citation.via):
                if named:
                    found.setdefault(slug, set()).add(named)
                    found.setdefault(named, set()).add(slug)
    for partners in found.values():
        partners.discard(STORY)
    return found
