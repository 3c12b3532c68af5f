"""Content to pages: a pure function from resolved content and templates to the site's pages.

One builder per kind of page; each gathers its view models (:mod:`generator.views`) and
renders its template. The open data comes from :mod:`generator.exports`.
"""

from __future__ import annotations

import itertools
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field

from generator import exports
from generator.exports import DataFile, schema_org_sheet, script_json
from generator.graph import Graph, NodeSpec, full_graph, neighbour_graph
from generator.index import SiteIndex
from generator.model import KIND, KINDS, RELATION_TYPES, Article, EventSheet, LoadedSheet
from generator.pages import (
    ARTICLES,
    GRAPH,
    HOME,
    OPEN_DATA,
    TIMELINE,
    Page,
    article_path,
    index_path,
    sheet_path,
)
from generator.render import Renderer
from generator.resolve import Citation, Resolved
from generator.theme import KINDS_STYLESHEET, kinds_css, navigation
from generator.urls import Linker, relative_href, relative_url
from generator.views import (
    CitedByView,
    CiteView,
    ClaimView,
    EntryView,
    KindView,
    PassageView,
    RelationView,
    SegmentView,
    TimelineEntryView,
)


@dataclass(frozen=True)
class Site:
    """Everything the core generates: Markdown pages, data files and the main navigation."""

    pages: list[Page]
    data: list[DataFile]
    nav: list[tuple[str, str]] = field(default_factory=list)
    """(title, page path) of the generated pages in the site's main navigation, in order."""
    resolved: Resolved | None = None
    """The content the site was built from."""


def build_site(resolved: Resolved, renderer: Renderer, *, directory_urls: bool = True,
               site_url: str | None = None, site_name: str = "Libya explainer") -> Site:
    """Render every page of the site and its open-data exports."""
    index = SiteIndex.of(resolved)
    linker = Linker(site_url, directory_urls)
    builder = _Builder(resolved, renderer, directory_urls, index, linker)
    pages = [builder.home(), builder.articles_index(), builder.timeline(), builder.graph(),
             builder.open_data()]
    pages += [builder.kind_index(kind) for kind in KINDS]
    pages += [builder.article(article) for article in resolved.articles.values()]
    pages += [builder.sheet(loaded) for loaded in resolved.sheets.values()]
    data = [*exports.data_files(resolved, index, linker, site_name),
            DataFile.from_text(KINDS_STYLESHEET, kinds_css())]
    return Site(pages, data, navigation(len(resolved.articles)), resolved)


@dataclass
class _Builder:
    resolved: Resolved
    renderer: Renderer
    directory_urls: bool
    index: SiteIndex
    linker: Linker

    def href(self, source: str, target: str, anchor: str | None = None) -> str:
        return relative_href(source, target, anchor, self.directory_urls)

    def cite(self, source: str, citation: Citation) -> CiteView:
        """A citation link that lands on the passage and tells it which quote to highlight."""
        article = self.resolved.articles[citation.span.article]
        href = (f"{self.href(source, article_path(article))}?cite={citation.id}"
                f"#{citation.span.passage}")
        passage = article.passage(citation.span.passage)
        preview: dict[str, object] = {
            "passage": passage.id,
            "article": article.title,
            "segments": _quote_segments(passage.text, citation.span.start, citation.span.end),
        }
        return CiteView(href, passage.id, article.title, citation.id, preview)

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
                      len(a.passages), "passage")
            for a in self.resolved.articles.values()
        ]
        kinds = [
            KindView(KIND[kind].title, self.href(HOME, index_path(kind)),
                     sum(1 for s in self.resolved.sheets.values() if s.kind == kind))
            for kind in KINDS
        ]
        return self.render(HOME, "home.md.j2", articles=articles, kinds=kinds,
                           timeline_href=self.href(HOME, TIMELINE),
                           sheet_count=len(self.resolved.sheets),
                           claim_count=len(self.resolved.claims))

    def articles_index(self) -> Page:
        path = index_path(ARTICLES)
        entries = [
            EntryView(a.title, self.href(path, article_path(a)), ARTICLES, a.passages[0].text,
                      len(self.index.citing(a)), "citation", extra=f"{len(a.passages)} passages")
            for a in self.resolved.articles.values()
        ]
        return self.render(path, "kind_index.md.j2", title="Articles", kind=ARTICLES,
                           entries=entries)

    def kind_index(self, kind: str) -> Page:
        path = index_path(kind)
        entries = [
            EntryView(s.sheet.name, self.href(path, sheet_path(s)), kind, s.sheet.summary,
                      len(s.sheet.claims), "claim")
            for s in self.resolved.sheets.values() if s.kind == kind
        ]
        return self.render(path, "kind_index.md.j2", title=KIND[kind].title, kind=kind,
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
                (self.cite(TIMELINE, self.index.dates[loaded.slug])
                 if loaded.slug in self.index.dates else None),
            )
            for loaded, date in events
        ]
        return self.render(TIMELINE, "timeline.md.j2", entries=entries,
                           previews=_previews(e.cite for e in entries if e.cite))

    def graph(self) -> Page:
        sheets = self.resolved.sheets
        graph = full_graph([self.node(GRAPH, s) for s in sheets.values()],
                           [(lk.source, lk.target, RELATION_TYPES[lk.type].forward)
                            for lk in self.resolved.links],
                           [(kind, KIND[kind].title) for kind in KINDS])
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
                               [(lk.source, lk.target, RELATION_TYPES[lk.type].forward) for lk in links])

    def sheet(self, loaded: LoadedSheet) -> Page:
        path = sheet_path(loaded)
        sheets = self.resolved.sheets
        own = self.index.by_sheet[loaded.slug]
        claims = [
            ClaimView(c.anchor, c.text, self.quoted(c), c.attribution, self.cite(path, c))
            for c in own if c.kind == "claim"
        ]
        outgoing = [
            RelationView(link.citation.anchor, RELATION_TYPES[link.type].forward,
                         sheets[link.target].sheet.name, sheets[link.target].kind,
                         self.href(path, sheet_path(sheets[link.target])),
                         link.citation.attribution, self.cite(path, link.citation))
            for link in self.index.outgoing[loaded.slug]
        ]
        incoming = [
            RelationView(f"from-{link.source}-{link.citation.anchor}", RELATION_TYPES[link.type].backward,
                         sheets[link.source].sheet.name, sheets[link.source].kind,
                         self.href(path, sheet_path(sheets[link.source])),
                         link.citation.attribution, self.cite(path, link.citation))
            for link in self.index.incoming[loaded.slug]
        ]
        graph = self.neighbours(path, loaded)
        date_cite = (self.cite(path, self.index.dates[loaded.slug])
                     if loaded.slug in self.index.dates else None)
        cites = [*(c.cite for c in claims), *(r.cite for r in outgoing), *(r.cite for r in incoming)]
        if date_cite is not None:
            cites.append(date_cite)
        articles = dict.fromkeys(c.span.article for c in own)
        kind = KIND[loaded.kind]
        return self.render(path, "sheet.md.j2", sheet=loaded.sheet, kind=loaded.kind,
                           kind_label=kind.singular, kind_title=kind.title,
                           kind_href=self.href(path, index_path(loaded.kind)),
                           date=getattr(loaded.sheet, "date", None),
                           date_cite=date_cite, previews=_previews(cites),
                           graph=graph, graph_href=self.href(path, GRAPH),
                           jsonld=script_json(schema_org_sheet(
                               loaded, self.linker, path,
                               [(self.resolved.articles[a].title, article_path(a)) for a in articles])),
                           legend=_legend({n.kind for n in graph.nodes} if graph else set()),
                           claims=claims, outgoing=outgoing, incoming=incoming)

    def article(self, article: Article) -> Page:
        path = article_path(article)
        passages = []
        for number, passage in enumerate(article.passages, start=1):
            citations = self.index.by_passage.get((article.slug, passage.id), [])
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
                           data_href=self.href(path, OPEN_DATA))

    def article_jsonld(self, article: Article) -> dict[str, object]:
        """NewsArticle: about the sheets its first passage cites, mentioning every other citing sheet."""
        path = article_path(article)
        citing = [c.sheet for c in self.index.citing(article)]
        lede = {c.sheet for c in self.index.by_passage.get((article.slug, article.passages[0].id), [])}
        ordered = sorted(set(citing), key=self.index.rank.__getitem__)
        sheets = self.resolved.sheets
        return exports.schema_org_article(
            article, self.linker, path,
            [(sheets[s], sheet_path(sheets[s])) for s in ordered if s in lede],
            [(sheets[s], sheet_path(sheets[s])) for s in ordered if s not in lede])

    def open_data(self) -> Page:
        path = OPEN_DATA
        articles = [
            (a.title, self._data_href(path, exports.annotations_path(a)),
             self._data_href(path, exports.plain_text_path(a)), exports.text_hash(a),
             len(self.index.claims_citing(a)))
            for a in self.resolved.articles.values()
        ]
        return self.render(path, "open_data.md.j2", articles=articles,
                           timeline_href=self._data_href(path, exports.TIMELINE_JSON),
                           feed_href=(self._data_href(path, exports.FEED) if self.linker.site_url
                                      else None),
                           sitemap_href=self._data_href(path, "sitemap.xml"))

    def _data_href(self, page: str, target: str) -> str:
        """Relative link from a page to a data file under the site root."""
        return relative_url(target, posixpath.dirname(self.linker.output_of(page)))

    def _cited_by(self, path: str, citation: Citation) -> CitedByView:
        loaded = self.resolved.sheets[citation.sheet]
        if citation.kind == "date":
            label = f"when: {citation.text}"
        elif citation.kind == "relation":
            link = self.index.link_of(citation)
            label = f"{RELATION_TYPES[link.type].forward} {self.resolved.sheets[link.target].sheet.name}"
        else:
            label = citation.text
        href = self.href(path, sheet_path(loaded), citation.anchor)
        # The rest of the preview (sheet, label, link, quoted words) is already on the page.
        preview: dict[str, object] = {"kind": KIND[loaded.kind].singular, "attribution": citation.attribution}
        return CitedByView(loaded.sheet.name, loaded.kind, href, label, citation.id, preview)


def _legend(kinds: set[str]) -> list[tuple[str, str]]:
    """(kind, title) for each kind present, in the site's order of kinds."""
    return [(kind, KIND[kind].title) for kind in KINDS if kind in kinds]


def _previews(cites: Iterable[CiteView]) -> dict[str, object]:
    """Citation id -> what its preview shows, for the page's embedded JSON."""
    return {cite.citation_id: cite.preview for cite in cites}


def _quote_segments(text: str, start: int, end: int) -> list[list[object]]:
    """``text`` as [words, quoted?] pieces around the one quote at [start, end)."""
    pieces = ((text[:start], False), (text[start:end], True), (text[end:], False))
    return [[words, quoted] for words, quoted in pieces if words]


def _segments(text: str, citations: list[Citation]) -> tuple[SegmentView, ...]:
    """Split ``text`` at every quote boundary; each piece lists the citations covering it."""
    cuts = sorted({0, len(text), *(c.span.start for c in citations), *(c.span.end for c in citations)})
    segments = []
    for start, end in itertools.pairwise(cuts):
        covering = tuple(c.id for c in citations if c.span.start <= start and end <= c.span.end)
        segments.append(SegmentView(text[start:end], covering))
    return tuple(segments)
