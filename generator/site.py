"""Content to pages: a pure function from resolved content and templates to Markdown pages."""

from __future__ import annotations

import itertools
import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from generator import exports
from generator.exports import DataFile, schema_org_sheet, script_json
from generator.graph import Graph, NodeSpec, full_graph, neighbour_graph
from generator.model import (
    KIND_SINGULAR,
    KIND_TITLES,
    KINDS,
    RELATION_TYPES,
    Article,
    EventSheet,
    LoadedSheet,
)
from generator.render import Renderer
from generator.resolve import Citation, Link, Resolved
from generator.urls import Linker, relative_href, relative_url

ARTICLES = "articles"
_UNSEARCHED = re.compile(r"<!--unsearched-->.*?<!--/unsearched-->", re.DOTALL)
"""A fragment the search index should not get (markers never nest)."""
HOME = "index.md"
TIMELINE = "timeline.md"
GRAPH = "graph.md"


@dataclass(frozen=True)
class Page:
    """A generated page: its Markdown path under ``docs/``, YAML front matter and HTML body.

    Kept apart so that a site builder can take the front matter and the body separately
    without copying either. The body is kept in UTF-8: CPython stores a string with any
    character beyond Latin-1 (a curly apostrophe) at two bytes a character, and a large
    site holds every body at once.
    """

    path: str
    front_matter: str
    """The YAML front matter with its ``---`` lines, or nothing."""
    encoded_body: bytes
    """The HTML body, UTF-8, with its ``<!--unsearched-->`` markers."""
    search: str
    """What the search index gets instead of the body: the template's ``search`` block (see
    ``Renderer.render_page``), or else the body without its unsearched fragments."""

    @classmethod
    def from_text(cls, path: str, text: str, search: str | None = None) -> Page:
        """The page whose Markdown text is ``text``: front matter, then one raw HTML block."""
        front_matter, body = "", text
        if text.startswith("---\n"):
            end = text.index("\n---\n", 3) + 5
            front_matter, body = text[:end], text[end:]
        if search is None:
            search = _UNSEARCHED.sub("", body)
        return cls(path, front_matter, body.encode(), search)

    @property
    def body(self) -> str:
        """The HTML body."""
        return self.encoded_body.decode()

    @property
    def markdown(self) -> str:
        """The page as one Markdown file."""
        return self.front_matter + self.body


def sheet_path(loaded: LoadedSheet) -> str:
    """Markdown path of a sheet's page."""
    return f"{loaded.kind}/{loaded.slug}.md"


def article_path(article: Article | str) -> str:
    """Markdown path of an article's annotated page."""
    slug = article if isinstance(article, str) else article.slug
    return f"{ARTICLES}/{slug}.md"


def index_path(kind: str) -> str:
    """Markdown path of a kind's index page (``articles`` included)."""
    return f"{kind}/index.md"


# View models handed to templates -------------------------------------------

@dataclass(frozen=True)
class CiteView:
    """A link to a cited passage."""

    href: str
    passage: str
    article_title: str
    citation_id: str
    preview: dict[str, object]


@dataclass(frozen=True)
class ClaimView:
    anchor: str
    text: str
    quote: str
    attribution: str | None
    cite: CiteView


@dataclass(frozen=True)
class RelationView:
    anchor: str
    label: str
    other_name: str
    other_kind: str
    other_href: str
    attribution: str | None
    cite: CiteView


@dataclass(frozen=True)
class SegmentView:
    text: str
    citations: tuple[str, ...]


@dataclass(frozen=True)
class CitedByView:
    sheet_name: str
    sheet_kind: str
    href: str
    label: str
    citation_id: str
    preview: dict[str, object]


@dataclass(frozen=True)
class PassageView:
    id: str
    number: int
    segments: tuple[SegmentView, ...]
    cited_by: tuple[CitedByView, ...]


@dataclass(frozen=True)
class EntryView:
    name: str
    href: str
    kind: str
    summary: str
    claim_count: int
    extra: str = ""


@dataclass(frozen=True)
class TimelineEntryView:
    date: str | None
    precision: str
    name: str
    href: str
    summary: str
    cite: CiteView | None


@dataclass
class _Index:
    """Lookups shared by every page: citations by passage, links by sheet."""

    by_passage: dict[tuple[str, str], list[Citation]] = field(default_factory=lambda: defaultdict(list))
    by_sheet: dict[str, list[Citation]] = field(default_factory=lambda: defaultdict(list))
    outgoing: dict[str, list[Link]] = field(default_factory=lambda: defaultdict(list))
    incoming: dict[str, list[Link]] = field(default_factory=lambda: defaultdict(list))
    rank: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Site:
    """Everything the core generates: Markdown pages and data files."""

    pages: list[Page]
    data: list[DataFile]


def build_site(resolved: Resolved, renderer: Renderer, *, directory_urls: bool = True,
               site_url: str | None = None, site_name: str = "Libya explainer") -> Site:
    """Render every page of the site and its open-data exports."""
    index = _Index()
    for citation in resolved.citations:
        index.by_passage[(citation.span.article, citation.span.passage)].append(citation)
        index.by_sheet[citation.sheet].append(citation)
    for link in resolved.links:
        index.outgoing[link.source].append(link)
        index.incoming[link.target].append(link)
        index.by_passage[(link.citation.span.article, link.citation.span.passage)].append(link.citation)
    for citation in resolved.dates.values():
        index.by_passage[(citation.span.article, citation.span.passage)].append(citation)
    index.rank.update({slug: n for n, slug in enumerate(resolved.sheets)})
    for citations in index.by_passage.values():
        citations.sort(key=lambda c: (index.rank[c.sheet], *_anchor_order(c.anchor)))
    builder = _Builder(resolved, renderer, directory_urls, index, Linker(site_url, directory_urls))
    pages = [builder.home(), builder.articles_index(), builder.timeline(), builder.graph(),
             builder.open_data()]
    pages += [builder.kind_index(kind) for kind in KINDS]
    pages += [builder.article(article) for article in resolved.articles.values()]
    pages += [builder.sheet(loaded) for loaded in resolved.sheets.values()]
    return Site(pages, builder.data_files(site_name))


@dataclass
class _Builder:
    resolved: Resolved
    renderer: Renderer
    directory_urls: bool
    index: _Index
    linker: Linker

    def href(self, source: str, target: str, anchor: str | None = None) -> str:
        return relative_href(source, target, anchor, self.directory_urls)

    def cite(self, source: str, citation: Citation) -> CiteView:
        """A citation link that lands on the passage and tells it which quote to highlight."""
        article = self.resolved.articles[citation.span.article]
        citation_id = f"{citation.sheet}/{citation.anchor}"
        href = (f"{self.href(source, article_path(article))}?cite={citation_id}"
                f"#{citation.span.passage}")
        passage = article.passage(citation.span.passage)
        preview: dict[str, object] = {
            "passage": passage.id,
            "article": article.title,
            "segments": _quote_segments(passage.text, citation.span.start, citation.span.end),
        }
        return CiteView(href, passage.id, article.title, citation_id, preview)

    def quoted(self, citation: Citation) -> str:
        passage = self.resolved.articles[citation.span.article].passage(citation.span.passage)
        return passage.text[citation.span.start:citation.span.end]

    def node(self, source: str, loaded: LoadedSheet) -> NodeSpec:
        return NodeSpec(loaded.slug, loaded.sheet.name, loaded.kind, self.href(source, sheet_path(loaded)))

    def render(self, path: str, template: str, **context: object) -> Page:
        text, search = self.renderer.render_page(template, page_path=path, **context)
        return Page.from_text(path, text, search)

    # Pages --------------------------------------------------------------

    def home(self) -> Page:
        articles = [
            EntryView(a.title, self.href(HOME, article_path(a)), ARTICLES, a.passages[0].text,
                      len(a.passages))
            for a in self.resolved.articles.values()
        ]
        kinds = [
            (KIND_TITLES[kind], self.href(HOME, index_path(kind)),
             sum(1 for s in self.resolved.sheets.values() if s.kind == kind))
            for kind in KINDS
        ]
        return self.render(HOME, "home.md.j2", articles=articles, kinds=kinds,
                           timeline_href=self.href(HOME, TIMELINE),
                           sheet_count=len(self.resolved.sheets),
                           claim_count=len(self.resolved.citations))

    def articles_index(self) -> Page:
        path = index_path(ARTICLES)
        entries = [
            EntryView(a.title, self.href(path, article_path(a)), ARTICLES, a.passages[0].text,
                      sum(len(self.index.by_passage[(a.slug, p.id)]) for p in a.passages),
                      extra=f"{len(a.passages)} passages")
            for a in self.resolved.articles.values()
        ]
        return self.render(path, "kind_index.md.j2", title="Articles", kind=ARTICLES,
                           entries=entries)

    def kind_index(self, kind: str) -> Page:
        path = index_path(kind)
        entries = [
            EntryView(s.sheet.name, self.href(path, sheet_path(s)), kind, s.sheet.summary,
                      len(s.sheet.claims))
            for s in self.resolved.sheets.values() if s.kind == kind
        ]
        return self.render(path, "kind_index.md.j2", title=KIND_TITLES[kind], kind=kind,
                           entries=entries)

    def timeline(self) -> Page:
        events = sorted(
            ((s, s.sheet.date) for s in self.resolved.sheets.values() if isinstance(s.sheet, EventSheet)),
            key=lambda pair: (pair[1].order, pair[0].sheet.name.casefold(), pair[0].slug),
        )
        entries = [
            TimelineEntryView(
                date.as_written, date.precision, loaded.sheet.name,
                self.href(TIMELINE, sheet_path(loaded)), loaded.sheet.summary,
                (self.cite(TIMELINE, self.resolved.dates[loaded.slug])
                 if loaded.slug in self.resolved.dates else None),
            )
            for loaded, date in events
        ]
        return self.render(TIMELINE, "timeline.md.j2", entries=entries,
                           previews=_previews(e.cite for e in entries if e.cite))

    def graph(self) -> Page:
        sheets = self.resolved.sheets
        graph = full_graph([self.node(GRAPH, s) for s in sheets.values()],
                           [(lk.source, lk.target, RELATION_TYPES[lk.type][0]) for lk in self.resolved.links],
                           [(kind, KIND_TITLES[kind]) for kind in KINDS])
        return self.render(GRAPH, "graph.md.j2", graph=graph,
                           legend=_legend({s.kind for s in sheets.values()}),
                           relation_count=len(self.resolved.links))

    def neighbours(self, path: str, loaded: LoadedSheet) -> Graph | None:
        links = [*self.index.outgoing[loaded.slug], *self.index.incoming[loaded.slug]]
        if not links:
            return None
        others = sorted({lk.target if lk.source == loaded.slug else lk.source for lk in links},
                        key=self.index.rank.__getitem__)
        return neighbour_graph(self.node(path, loaded),
                               [self.node(path, self.resolved.sheets[o]) for o in others],
                               [(lk.source, lk.target, RELATION_TYPES[lk.type][0]) for lk in links])

    def sheet(self, loaded: LoadedSheet) -> Page:
        path = sheet_path(loaded)
        sheets = self.resolved.sheets
        own = self.index.by_sheet[loaded.slug]
        claims = [
            ClaimView(c.anchor, c.text, self.quoted(c), c.attribution, self.cite(path, c))
            for c in own
        ]
        outgoing = [
            RelationView(link.citation.anchor, RELATION_TYPES[link.type][0],
                         sheets[link.target].sheet.name, sheets[link.target].kind,
                         self.href(path, sheet_path(sheets[link.target])),
                         link.citation.attribution, self.cite(path, link.citation))
            for link in self.index.outgoing[loaded.slug]
        ]
        incoming = [
            RelationView(f"from-{link.source}-{link.citation.anchor}", RELATION_TYPES[link.type][1],
                         sheets[link.source].sheet.name, sheets[link.source].kind,
                         self.href(path, sheet_path(sheets[link.source])),
                         link.citation.attribution, self.cite(path, link.citation))
            for link in self.index.incoming[loaded.slug]
        ]
        graph = self.neighbours(path, loaded)
        date_cite = (self.cite(path, self.resolved.dates[loaded.slug])
                     if loaded.slug in self.resolved.dates else None)
        cites = [*(c.cite for c in claims), *(r.cite for r in outgoing), *(r.cite for r in incoming)]
        if date_cite is not None:
            cites.append(date_cite)
        return self.render(path, "sheet.md.j2", sheet=loaded.sheet, kind=loaded.kind,
                           kind_label=KIND_SINGULAR[loaded.kind], kind_title=KIND_TITLES[loaded.kind],
                           kind_href=self.href(path, index_path(loaded.kind)),
                           date=getattr(loaded.sheet, "date", None),
                           date_cite=date_cite, previews=_previews(cites),
                           graph=graph, graph_href=self.href(path, GRAPH),
                           jsonld=script_json(schema_org_sheet(
                               loaded, self.linker, path,
                               [(self.resolved.articles[a].title, article_path(a))
                                for a in dict.fromkeys(c.span.article for c in own)])),
                           legend=_legend({n.kind for n in graph.nodes} if graph else set()),
                           claims=claims, outgoing=outgoing, incoming=incoming)

    def article(self, article: Article) -> Page:
        path = article_path(article)
        passages = []
        for number, passage in enumerate(article.passages, start=1):
            citations = self.index.by_passage[(article.slug, passage.id)]
            passages.append(PassageView(
                passage.id, number, _segments(passage.text, citations),
                tuple(self._cited_by(path, c) for c in citations),
            ))
        previews = {item.citation_id: item.preview for p in passages for item in p.cited_by}
        most = max((len(p.cited_by) for p in passages), default=0)
        coverage = [(p.id, len(p.cited_by), round(100 * len(p.cited_by) / most) if most else 0)
                    for p in passages]
        return self.render(path, "article.md.j2", article=article, passages=passages,
                           previews=previews, coverage=coverage,
                           jsonld=script_json(self.article_jsonld(article)),
                           data_href=self.href(path, exports.OPEN_DATA_PAGE))

    def article_jsonld(self, article: Article) -> dict[str, object]:
        """NewsArticle: about the sheets its first passage cites, mentioning every other citing sheet."""
        path = article_path(article)
        citing = [c.sheet for p in article.passages for c in self.index.by_passage[(article.slug, p.id)]]
        lede = {c.sheet for c in self.index.by_passage[(article.slug, article.passages[0].id)]}
        ordered = sorted(set(citing), key=self.index.rank.__getitem__)
        sheets = self.resolved.sheets
        return exports.schema_org_article(
            article, self.linker, path,
            [(sheets[s], sheet_path(sheets[s])) for s in ordered if s in lede],
            [(sheets[s], sheet_path(sheets[s])) for s in ordered if s not in lede])

    def open_data(self) -> Page:
        path = exports.OPEN_DATA_PAGE
        articles = [
            (a.title, self._data_href(path, exports.annotations_path(a)),
             self._data_href(path, exports.plain_text_path(a)), exports.text_hash(a),
             len(self.claims_citing(a)))
            for a in self.resolved.articles.values()
        ]
        return self.render(path, "open_data.md.j2", articles=articles,
                           timeline_href=self._data_href(path, exports.TIMELINE_JSON),
                           feed_href=self._data_href(path, exports.FEED),
                           sitemap_href=self._data_href(path, "sitemap.xml"))

    def claims_citing(self, article: Article) -> list[Citation]:
        """The claims (not relations or dates) that quote ``article``, in passage order."""
        return [c for p in article.passages for c in self.index.by_passage[(article.slug, p.id)]
                if c.anchor.startswith("claim-")]

    def _data_href(self, page: str, target: str) -> str:
        """Relative link from a page to a data file under the site root."""
        return relative_url(target, posixpath.dirname(self.linker.output_of(page)))

    def data_files(self, site_name: str) -> list[DataFile]:
        """Plain texts and annotations per article, the TimelineJS export and the feed."""
        sheet_paths = {slug: sheet_path(s) for slug, s in self.resolved.sheets.items()}
        article_paths = {slug: article_path(a) for slug, a in self.resolved.articles.items()}
        files = []
        for article in self.resolved.articles.values():
            claims = self.claims_citing(article)
            files.append(DataFile.from_text(exports.plain_text_path(article), exports.plain_text(article)))
            files.append(DataFile.from_text(exports.annotations_path(article), exports.dumps(
                exports.annotation_collection(article, claims, self.linker, sheet_paths,
                                              article_path(article)))))
        files.append(DataFile.from_text(exports.TIMELINE_JSON, exports.dumps(
            exports.timeline_json(self.resolved, self.linker, sheet_paths))))
        files.append(DataFile.from_text(exports.FEED, exports.rss_feed(self.resolved, self.linker, site_name,
                                                             article_paths, HOME)))
        return files

    def _cited_by(self, path: str, citation: Citation) -> CitedByView:
        loaded = self.resolved.sheets[citation.sheet]
        if citation.anchor == "date":
            label = f"when: {citation.text}"
        elif citation.anchor.startswith("relation-"):
            link = next(lk for lk in self.index.outgoing[citation.sheet] if lk.citation == citation)
            label = f"{RELATION_TYPES[link.type][0]} {self.resolved.sheets[link.target].sheet.name}"
        else:
            label = citation.text
        href = self.href(path, sheet_path(loaded), citation.anchor)
        # The rest of the preview (sheet, label, link, quoted words) is already on the page.
        preview: dict[str, object] = {"kind": KIND_SINGULAR[loaded.kind], "attribution": citation.attribution}
        return CitedByView(loaded.sheet.name, loaded.kind, href, label,
                           f"{citation.sheet}/{citation.anchor}", preview)


def _legend(kinds: set[str]) -> list[tuple[str, str]]:
    """(kind, title) for each kind present, in the site's order of kinds."""
    return [(kind, KIND_TITLES[kind]) for kind in KINDS if kind in kinds]


def _previews(cites: Iterable[CiteView]) -> dict[str, object]:
    """Citation id -> what its preview shows, for the page's embedded JSON."""
    return {cite.citation_id: cite.preview for cite in cites}


def _anchor_order(anchor: str) -> tuple[int, int]:
    """Claims, then relations, then the date; each in number order."""
    kind, _, number = anchor.partition("-")
    return ({"claim": 0, "relation": 1}.get(kind, 2), int(number) if number.isdigit() else 0)


def _quote_segments(text: str, start: int, end: int) -> list[list[object]]:
    """``text`` as [words, quoted?] pieces around the one quote at [start, end)."""
    pieces = ((text[:start], False), (text[start:end], True), (text[end:], False))
    return [[words, quoted] for words, quoted in pieces if words]


def _segments(text: str, citations: list[Citation]) -> tuple[SegmentView, ...]:
    """Split ``text`` at every quote boundary; each piece lists the citations covering it."""
    cuts = sorted({0, len(text), *(c.span.start for c in citations), *(c.span.end for c in citations)})
    segments = []
    for start, end in itertools.pairwise(cuts):
        covering = tuple(f"{c.sheet}/{c.anchor}" for c in citations
                         if c.span.start <= start and end <= c.span.end)
        segments.append(SegmentView(text[start:end], covering))
    return tuple(segments)
