"""Content to pages: a pure function from resolved content and templates to the site's pages.

One builder method per kind of page; each gathers its view models (:mod:`generator.views`)
and renders its template. The open data comes from :mod:`generator.exports`.
"""

from __future__ import annotations

import functools
import itertools
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from markupsafe import Markup

from generator import exports
from generator.dates import LANE_ORDER, LANES, Lane, Placement, period, timeline_axis
from generator.exports import DataFile, script_json
from generator.graph_style import legend
from generator.graphs import View, neighbour_spec, view_spec, views
from generator.incremental import BuildState, Fingerprint, Fingerprints, Unprinted
from generator.index import SiteIndex
from generator.layout import LayoutCache, StoredLayout
from generator.mentions import Mentions
from generator.model import KIND, KINDS, RELATION_TYPES, Article, LoadedSheet, format_date
from generator.pages import (
    ARTICLES,
    GRAPH,
    HOME,
    OPEN_DATA,
    TIMELINE,
    Page,
    article_path,
    graph_path,
    index_path,
    sheet_path,
)
from generator.parallel import fork_map
from generator.render import Renderer
from generator.resolve import Citation, Link, Resolved
from generator.story import FigureMemo, key_figures, latest_events, placements, sides
from generator.theme import KINDS_STYLESHEET, kinds_css, navigation
from generator.urls import Linker, relative_href, relative_url
from generator.views import (
    AccountView,
    ArticleView,
    CiteView,
    ClaimView,
    DateView,
    EntryView,
    FigureView,
    GraphLink,
    GraphView,
    HeadingView,
    InfoRow,
    KindView,
    LaneView,
    MarginGroup,
    MarginItem,
    MarginSheet,
    PassageView,
    RelationLine,
    RelationRow,
    RelationView,
    SaidView,
    SegmentView,
    SheetRef,
    SideView,
    SourcedView,
    StoryLine,
    TimelineEntryView,
)

INFOBOX_ORDER = ("backs", "supplies", "fights-for", "opposes", "attacked", "destroyed", "operates", "signed",
                 "leads", "part-of", "located-in", "deployed-to", "withdrew-from", "recaptured")
"""Relation types in the order a sheet's infobox lists them (the rest follow, as they come)."""


@dataclass(frozen=True)
class Site:
    """Everything the core generates: Markdown pages, data files and the main navigation."""

    pages: list[Page]
    data: list[DataFile]
    nav: list[tuple[str, str]] = field(default_factory=list)
    """(title, page path) of the generated pages in the site's main navigation, in order."""
    resolved: Resolved | None = None
    """The content the site was built from."""
    changed: frozenset[str] | None = None
    """Paths of the pages and data files whose content differs from the last build's (with a
    :class:`~generator.incremental.BuildState`); None when everything is new."""


def build_site(resolved: Resolved, renderer: Renderer, *, directory_urls: bool = True,
               site_url: str | None = None, site_name: str = "Libya explainer",
               layouts: LayoutCache | None = None, state: BuildState | None = None,
               templates: str = "", workers: int | None = None) -> Site:
    """Render every page of the site and its open-data exports.

    ``layouts`` keeps graph layouts between builds; every graph is laid out in one batch. With
    ``state`` (kept from the last build), a page whose inputs did not change is not rendered
    again (see :mod:`generator.incremental`); ``templates`` is a digest of the templates.
    The pages and data files are made by up to ``workers`` processes
    (:func:`~generator.parallel.fork_map`; by default, one per processor).
    """
    index = SiteIndex.of(resolved)
    linker = Linker(site_url, directory_urls)
    graph_views = views(resolved)
    placed = placements(resolved)
    prints = (Fingerprints(resolved, index, placed, (templates, directory_urls, site_url, site_name))
              if state is not None else Unprinted())
    wanted = _fingerprints(resolved, prints, graph_views)
    previous = state.pages if state is not None else {}
    to_render = {path for path, fingerprint in wanted.items()
                 if path not in previous or previous[path][0] != fingerprint}
    cache = layouts or (state.layouts if state is not None else LayoutCache())
    builder = _Builder(resolved, renderer, directory_urls, index, linker, _mentions(resolved, state), placed,
                       graph_views, _lay_out(resolved, index, graph_views, cache, to_render),
                       state.figures if state is not None else None)
    makers: list[tuple[str, Callable[[], Page]]] = [
        (HOME, builder.home), (index_path(ARTICLES), builder.articles_index), (TIMELINE, builder.timeline),
        (OPEN_DATA, builder.open_data)]
    makers += [(graph_path(view.slug), functools.partial(builder.graph, view)) for view in graph_views]
    makers += [(index_path(kind), functools.partial(builder.kind_index, kind)) for kind in KINDS]
    makers += [(article_path(a), functools.partial(builder.article, a)) for a in resolved.articles.values()]
    makers += [(sheet_path(s), functools.partial(builder.sheet, s)) for s in resolved.sheets.values()]
    data_prints = _data_fingerprints(resolved, prints)
    old_data = state.data if state is not None else {}
    data_makers = [*exports.data_files(resolved, index, linker, site_name),
                   (KINDS_STYLESHEET, lambda: DataFile.from_text(KINDS_STYLESHEET, kinds_css()))]
    builder.neighbours  # noqa: B018 -- worked out once, before the work is shared
    to_make: list[tuple[str, Callable[[], Page | DataFile]]] = [
        *(maker for maker in makers if maker[0] in to_render),
        *((path, make) for path, make in data_makers
          if path not in old_data or old_data[path][0] != data_prints.get(path, ""))]
    made = dict(fork_map(_make, to_make, workers=workers, spill=True))
    changed: set[str] = set()
    pages = _outputs([path for path, _ in makers], made, previous, changed)
    data = _outputs([path for path, _ in data_makers], made, old_data, changed)
    if state is None:
        return Site(pages, data, navigation(len(resolved.articles)), resolved)
    state.pages = {page.path: (wanted[page.path], page) for page in pages}
    state.data = {file.path: (data_prints.get(file.path, ""), file) for file in data}
    return Site(pages, data, navigation(len(resolved.articles)), resolved,
                frozenset(changed) if previous else None)


def _make(maker: tuple[str, Callable[[], Page | DataFile]]) -> tuple[str, Page | DataFile]:
    return maker[0], maker[1]()


Output = TypeVar("Output", Page, DataFile)


def _outputs(paths: list[str], made: dict[str, Page | DataFile], last: dict[str, tuple[Fingerprint, Output]],
             changed: set[str]) -> list[Output]:
    """The page or data file at each of ``paths``: the one made now (its path added to ``changed``
    if it differs from the last build's), or else the last build's."""
    outputs: list[Output] = []
    for path in paths:
        if path not in made:
            outputs.append(last[path][1])
            continue
        output = made[path]
        if path not in last or _contents(last[path][1]) != _contents(output):
            changed.add(path)
        outputs.append(output)  # type: ignore[arg-type]  # made[path] is of the kind last[path] is
    return outputs


def _contents(output: Page | DataFile) -> tuple[bytes, ...]:
    """What a page or data file writes (its path aside), packed."""
    if isinstance(output, Page):
        return output.packed_front_matter, output.packed_body
    return (output.packed,)


def _fingerprints(resolved: Resolved, prints: Fingerprints,
                  graph_views: list[View]) -> dict[str, Fingerprint]:
    """Each page's inputs' fingerprint, by path."""
    everything = prints.everything("home")
    wanted = {HOME: everything, index_path(ARTICLES): prints.articles_list("articles"),
              TIMELINE: prints.timeline(), OPEN_DATA: prints.articles_list("open data")}
    menu = [(view.slug, view.title) for view in graph_views]  # every graph page lists every view
    wanted |= {graph_path(view.slug): prints.view(view.slug, view.sheets, menu) for view in graph_views}
    wanted |= {index_path(kind): prints.kind(kind) for kind in KINDS}
    wanted |= {article_path(slug): prints.article(slug) for slug in resolved.articles}
    wanted |= {sheet_path(loaded): prints.sheet(slug) for slug, loaded in resolved.sheets.items()}
    return wanted


def _data_fingerprints(resolved: Resolved, prints: Fingerprints) -> dict[str, Fingerprint]:
    """Each data file's inputs' fingerprint, by path."""
    found: dict[str, Fingerprint] = {exports.TIMELINE_JSON: prints.timeline(),
                                     exports.FEED: prints.everything("feed")}
    for slug, article in resolved.articles.items():
        found[exports.plain_text_path(article)] = article.digest
        found[exports.annotations_path(article)] = prints.article(slug)
    return found


def _lay_out(resolved: Resolved, index: SiteIndex, graph_views: list[View], cache: LayoutCache,
             pages: set[str]) -> dict[str, StoredLayout]:
    """The layouts of the graphs of ``pages``, in one batch: by sheet slug for sheets, by
    ``graph:<view>`` for views. Each is read when its page is made, in the process that makes it."""
    specs = {f"graph:{view.slug}": view_spec(resolved, view) for view in graph_views
             if view.links and graph_path(view.slug) in pages}
    for slug, loaded in resolved.sheets.items():
        if sheet_path(loaded) in pages:
            spec = neighbour_spec(resolved, slug, [*index.outgoing[slug], *index.incoming[slug]])
            if spec is not None:
                specs[slug] = spec
    return dict(zip(specs, cache.stored_many(list(specs.values())), strict=True))


def _mentions(resolved: Resolved, state: BuildState | None) -> Mentions:
    """The matcher of every sheet's names; the last build's while the names are the same."""
    names = tuple((slug, name) for slug, loaded in resolved.sheets.items()
                  for name in (loaded.sheet.name, *loaded.sheet.stated_aliases))
    if state is not None and state.mentions is not None and state.mentions[0] == names:
        return state.mentions[1]
    mentions = Mentions(names)
    if state is not None:
        state.mentions = (names, mentions)
    return mentions


@dataclass
class _Builder:
    resolved: Resolved
    renderer: Renderer
    directory_urls: bool
    index: SiteIndex
    linker: Linker
    mentions: Mentions
    placed: dict[str, Placement]
    graph_views: list[View]
    layouts: dict[str, StoredLayout]
    figures: FigureMemo | None = None

    @property
    def several(self) -> bool:
        """Whether the site has more than one article (then citations name theirs)."""
        return len(self.resolved.articles) > 1

    def href(self, source: str, target: str, anchor: str | None = None) -> str:
        return relative_href(source, target, anchor, self.directory_urls)

    def ref(self, source: str, slug: str) -> SheetRef:
        loaded = self.resolved.sheets[slug]
        kind = KIND[loaded.kind]
        return SheetRef(loaded.sheet.name, self.href(source, sheet_path(loaded)), kind.folder, kind.singular)

    def cite(self, source: str, citation: Citation) -> CiteView:
        """A citation link that lands on the passage and tells it which quote to highlight."""
        article = self.resolved.articles[citation.span.article]
        href = (f"{self.href(source, article_path(article))}?cite={citation.id}"
                f"#{citation.span.passage}")
        passage = article.passage(citation.span.passage)
        preview: dict[str, object] = {
            "passage": passage.id,
            "article": article.label if self.several else article.title,
            "segments": _quote_segments(passage.text, citation.span.start, citation.span.end),
        }
        return CiteView(href, passage.id, article.title, article.label if self.several else None,
                        citation.id, preview)

    def said(self, source: str, citation: Citation) -> SaidView:
        def ref(slug: str | None) -> SheetRef | None:
            return self.ref(source, slug) if slug and slug in self.resolved.sheets else None
        return SaidView(citation.attribution, ref(citation.source), ref(citation.via))

    def quoted(self, citation: Citation) -> str:
        passage = self.resolved.articles[citation.span.article].passage(citation.span.passage)
        return passage.text[citation.span.start:citation.span.end]

    def linked(self, source: str, text: str, own: str, seen: set[str]) -> Markup:
        """``text`` with the first mention of each other sheet on the page linked."""
        return self.mentions.link(text, own, seen, lambda slug: self.href(source, sheet_path(
            self.resolved.sheets[slug])))

    def article_view(self, source: str, article: Article) -> ArticleView:
        return ArticleView(
            article.title, self.href(source, article_path(article)), article.label, article.publisher,
            article.author, format_date(article.published) if article.published else None,
            article.published.isoformat() if article.published else None, article.url,
            article.passages[0].text, len(article.passages), len(self.index.citing(article)))

    @functools.cached_property
    def lanes(self) -> dict[Lane, list[str]]:
        """The events of each timeline lane, in the lane's order (see :data:`LANE_ORDER`)."""
        lanes: dict[Lane, list[str]] = {}
        for lane in LANES:
            slugs = [slug for slug, p in self.placed.items() if p.lane == lane]
            if LANE_ORDER[lane][1]:
                slugs.sort(key=lambda s: (period(self.placed[s].sort_start or ""), self.index.rank[s]),
                           reverse=True)  # the latest first
            else:
                slugs.sort(key=lambda s: (self.resolved.sheets[s].sheet.name.casefold(), s))
            if slugs:
                lanes[lane] = slugs
        return lanes

    @functools.cached_property
    def neighbours(self) -> dict[str, tuple[str | None, str | None]]:
        """Each dated event's nearest earlier and later event in its lane, only where the dates
        say so: one period ends before the other begins.

        A lane runs latest first, by start. So the earlier events (ending before this one
        starts) all come after it, and the later ones (starting after it ends) form the run
        before it: a short scan from the event finds each, where comparing every pair of
        events was quadratic in a long story's dated events.
        """
        found: dict[str, tuple[str | None, str | None]] = {}
        for lane, slugs in self.lanes.items():
            if not LANE_ORDER[lane][1]:
                continue
            spans = [period(self.placed[s].sort_start or "") for s in slugs]
            for at, slug in enumerate(slugs):
                if not self.placed[slug].sort_start:
                    continue
                start, end = spans[at]
                earlier = next((slugs[i] for i in range(at + 1, len(slugs)) if spans[i][1] < start), None)
                later = next((slugs[i] for i in range(at - 1, -1, -1) if spans[i][0] > end), None)
                found[slug] = (earlier, later)
        return found

    def date_view(self, source: str, slug: str) -> DateView | None:
        placement = self.placed.get(slug)
        if placement is None:
            return None
        cited = self.index.dates.get(slug)
        before, after = self.neighbours.get(slug, (None, None))
        earlier = self.ref(source, before) if before else None
        later = self.ref(source, after) if after else None
        return DateView(placement.words, placement.gap, placement.lane, placement.derived,
                        format_date(placement.published) if placement.published else None,
                        self.cite(source, cited) if cited else None, placement.sort_start,
                        LANES[placement.lane], self.href(source, TIMELINE, slug), earlier, later)

    def render(self, path: str, template: str, **context: object) -> Page:
        text, search = self.renderer.render_page(template, page_path=path, **context)
        return Page.from_text(path, text, search)

    # Pages --------------------------------------------------------------

    def home(self) -> Page:
        path = HOME
        articles = [self.article_view(path, a) for a in self.resolved.articles.values()]
        kinds = [KindView(KIND[kind].title, self.href(path, index_path(kind)),
                          sum(1 for s in self.resolved.sheets.values() if s.kind == kind)) for kind in KINDS]
        seen: set[str] = set()
        story = [StoryLine(self.linked(path, c.text, "", seen), self.said(path, c), self.cite(path, c))
                 for c in self.resolved.story]
        drawn = sides(self.resolved)
        side_views = []
        if drawn is not None:
            for members, ties in zip(drawn.members, drawn.ties, strict=True):
                side_views.append(SideView(tuple(self.ref(path, s) for s in members),
                                           tuple(self.relation_line(path, lk) for lk in ties)))
        opposition = [self.relation_line(path, lk) for lk in drawn.opposition] if drawn else []
        figures = [FigureView(figure, c.text, self.ref(path, c.sheet), self.said(path, c), self.cite(path, c))
                   for figure, c in key_figures(self.resolved, memo=self.figures)]
        latest = [self.timeline_entry(path, slug) for slug in latest_events(self.placed)]
        cites = [*(line.cite for line in story), *(f.cite for f in figures),
                 *(t.cite for side in side_views for t in side.ties), *(t.cite for t in opposition)]
        return self.render(path, "home.md.j2", articles=articles, kinds=kinds, story=story,
                           sides=side_views, opposition=opposition, figures=figures, latest=latest,
                           timeline_href=self.href(path, TIMELINE), graph_href=self.href(path, GRAPH),
                           sheet_count=len(self.resolved.sheets), claim_count=len(self.resolved.claims),
                           previews=_previews(cites), several=self.several,
                           jsonld=script_json(exports.schema_org_website(self.linker, path, articles)))

    def relation_line(self, source: str, link: Link) -> RelationLine:
        return RelationLine(self.ref(source, link.source), RELATION_TYPES[link.type].forward,
                            self.ref(source, link.target), self.cite(source, link.citation))

    def articles_index(self) -> Page:
        path = index_path(ARTICLES)
        articles = [self.article_view(path, a) for a in self.resolved.articles.values()]
        return self.render(path, "articles_index.md.j2", articles=articles, several=self.several,
                           jsonld=script_json(exports.schema_org_list(
                               self.linker, path, "Articles", [(a.title, a.href) for a in articles])))

    def kind_index(self, kind: str) -> Page:
        path = index_path(kind)
        entries = [EntryView(self.ref(path, s.slug), s.sheet.summary, len(s.sheet.claims))
                   for s in self.resolved.sheets.values() if s.kind == kind]
        title = KIND[kind].title
        return self.render(path, "kind_index.md.j2", title=title, kind=kind, entries=entries,
                           jsonld=script_json(exports.schema_org_list(
                               self.linker, path, title, [(e.ref.name, e.ref.href) for e in entries])))

    def timeline_entry(self, source: str, slug: str, year: str | None = None) -> TimelineEntryView:
        date = self.date_view(source, slug)
        assert date is not None
        cited = self.index.dates.get(slug)
        label = self.resolved.articles[cited.span.article].label if cited and self.several else None
        return TimelineEntryView(self.ref(source, slug), slug, date, label, year)

    def timeline(self) -> Page:
        path = TIMELINE
        lanes = []
        for lane, slugs in self.lanes.items():
            entries = []
            previous_year = None
            for slug in slugs:
                start = self.placed[slug].sort_start
                year = start[:4] if start and LANE_ORDER[lane][1] and start[:4] != previous_year else None
                previous_year = start[:4] if start else previous_year
                entries.append(self.timeline_entry(path, slug, year))
            order, ordered = LANE_ORDER[lane]
            lanes.append(LaneView(lane, LANES[lane], order, ordered, tuple(entries)))
        axis = timeline_axis([(e.slug, self.placed[e.slug].sort_start or "", e.ref.name)
                              for lane in lanes if lane.ordered for e in lane.entries])
        return self.render(path, "timeline.md.j2", lanes=lanes, axis=axis,
                           jsonld=script_json(exports.schema_org_list(
                               self.linker, path, "Timeline",
                               [(e.ref.name, e.ref.href) for lane in lanes for e in lane.entries])))

    def graph_view(self, path: str, key: str, links: list[Link], label: str, fit: str) -> GraphView | None:
        """The drawing of a laid-out graph, with its relations as a table."""
        stored = self.layouts.pop(key, None)  # each graph is drawn once: let it go once drawn
        if stored is None:
            return None
        laid = stored.read()
        hrefs = {node.id: self.href(path, sheet_path(self.resolved.sheets[node.id])) for node in laid.nodes}
        rows = tuple(RelationRow(self.ref(path, lk.source), RELATION_TYPES[lk.type].forward,
                                 self.ref(path, lk.target), RELATION_TYPES[lk.type].side,
                                 self.cite(path, lk.citation)) for lk in links)
        kinds = [(kind.folder, kind.title) for kind in (KIND[k] for k in KINDS)]
        return GraphView(laid, hrefs, legend(laid, kinds), label, fit, rows)

    def graph(self, view: View) -> Page:
        path = graph_path(view.slug)
        drawing = self.graph_view(path, f"graph:{view.slug}", list(view.links), view.title, "scroll")
        others = [GraphLink("Most connected" if not v.slug else KIND[v.slug].title,
                            self.href(path, graph_path(v.slug)), v.slug == view.slug)
                  for v in self.graph_views]
        return self.render(path, "graph.md.j2", view=view, graph=drawing, views=others,
                           relation_count=len(self.resolved.links), sheet_count=len(self.resolved.sheets),
                           jsonld=script_json(exports.schema_org_page(self.linker, path, view.title)))

    def sheet(self, loaded: LoadedSheet) -> Page:
        path = sheet_path(loaded)
        slug = loaded.slug
        own = self.index.by_sheet[slug]
        seen: set[str] = set()
        lead = self.linked(path, loaded.sheet.summary, slug, seen)
        disputes = self.index.disputes.get(slug, {})
        claims = [
            ClaimView(c.anchor, self.linked(path, c.text, slug, seen), self.quoted(c), self.said(path, c),
                      c.inference, self.cite(path, c),
                      tuple(self.account(path, other) for other in disputes.get(c.number, ())))
            for c in own if c.kind == "claim"
        ]
        relations = [self.relation_view(path, link, outgoing=True) for link in self.index.outgoing[slug]]
        relations += [self.relation_view(path, link, outgoing=False) for link in self.index.incoming[slug]]
        sourced = [SourcedView(self.ref(path, c.sheet),
                               self.href(path, sheet_path(self.resolved.sheets[c.sheet]), c.anchor),
                               c.text if c.kind == "claim" else self.relation_label(c),
                               "source" if c.source == slug else "outlet", self.cite(path, c))
                   for c in self.index.sourced.get(slug, []) if c.sheet != slug]
        links = [*self.index.outgoing[slug], *self.index.incoming[slug]]
        graph = self.graph_view(path, slug, links, f"Sheets related to {loaded.sheet.name}", "scale")
        date = self.date_view(path, slug)
        cites = [*(c.cite for c in claims), *(a.cite for c in claims for a in c.disputes),
                 *(r.cite for r in relations), *(s.cite for s in sourced)]
        if date is not None and date.cite is not None:
            cites.append(date.cite)
        articles = [self.resolved.articles[a] for a in dict.fromkeys(c.span.article for c in own)]
        kind = KIND[loaded.kind]
        return self.render(path, "sheet.md.j2", sheet=loaded.sheet, lead=lead, kind=loaded.kind,
                           kind_label=kind.singular, kind_title=kind.title,
                           kind_href=self.href(path, index_path(loaded.kind)),
                           date=date, infobox=_infobox(relations), previews=_previews(cites),
                           graph=graph, graph_href=self.href(path, GRAPH),
                           jsonld=script_json(exports.schema_org_sheet(
                               loaded, self.linker, path, [(a.title, article_path(a)) for a in articles],
                               self.placed.get(slug))),
                           claims=claims, relations=relations, sourced=sourced,
                           articles=[self.article_view(path, a) for a in articles], several=self.several,
                           search_tags=[kind.singular, *loaded.sheet.alias_names])

    def relation_label(self, citation: Citation) -> str:
        link = self.index.link_of(citation)
        return f"{RELATION_TYPES[link.type].forward} {self.resolved.sheets[link.target].sheet.name}"

    def relation_view(self, path: str, link: Link, *, outgoing: bool) -> RelationView:
        kind = RELATION_TYPES[link.type]
        if outgoing:
            return RelationView(link.citation.anchor, kind.forward, kind.forward, self.ref(path, link.target),
                                link.role,
                                True, kind.side, self.said(path, link.citation), link.citation.inference,
                                self.cite(path, link.citation))
        return RelationView(f"from-{link.source}-{link.citation.anchor}", kind.backward, kind.forward,
                            self.ref(path, link.source), link.role, False, kind.side,
                            self.said(path, link.citation),
                            link.citation.inference, self.cite(path, link.citation))

    def account(self, path: str, citation: Citation) -> AccountView:
        return AccountView(self.ref(path, citation.sheet), citation.anchor, citation.text,
                           self.quoted(citation), self.said(path, citation), self.cite(path, citation))

    def article(self, article: Article) -> Page:
        path = article_path(article)
        headings: dict[int, list[HeadingView]] = defaultdict(list)
        for heading in article.headings:
            headings[heading.before].append(HeadingView(heading.text, heading.level,
                                                        "h-" + _anchor_slug(heading.text, heading.line)))
        passages = []
        story = defaultdict(list)
        for line in self.resolved.story:  # marked for the landing highlight; the story is no sheet
            story[(line.span.article, line.span.passage)].append(line)
        for number, passage in enumerate(article.passages, start=1):
            citations = self.index.by_passage.get((article.slug, passage.id), [])
            marked = [*citations, *story.get((article.slug, passage.id), [])]
            passages.append(PassageView(passage.id, number, tuple(headings.get(number - 1, ())),
                                        _segments(passage.text, marked), self.margin(path, citations),
                                        len(citations)))
        trailing = tuple(headings.get(len(article.passages), ()))
        previews = {item.citation_id: {"kind": group.kind, "attribution": item.attribution}
                    for p in passages for group in p.margin for sheet in group.sheets for item in sheet.items}
        return self.render(path, "article.md.j2", article=self.article_view(path, article), passages=passages,
                           trailing_headings=trailing, previews=previews, several=self.several,
                           jsonld=script_json(self.article_jsonld(article)),
                           data_href=self.href(path, OPEN_DATA))

    def margin(self, path: str, citations: list[Citation]) -> tuple[MarginGroup, ...]:
        """The distinct sheets citing a passage, grouped by kind, each with the parts that cite it."""
        by_sheet: dict[str, list[Citation]] = defaultdict(list)
        for citation in citations:
            by_sheet[citation.sheet].append(citation)
        groups = []
        for kind in KINDS:
            sheets = [MarginSheet(self.ref(path, slug), tuple(self.margin_item(path, c) for c in cited))
                      for slug, cited in by_sheet.items() if self.resolved.sheets[slug].kind == kind]
            if sheets:
                groups.append(MarginGroup(kind, KIND[kind].title, tuple(sheets)))
        return tuple(groups)

    def margin_item(self, path: str, citation: Citation) -> MarginItem:
        if citation.kind == "date":
            label = f"when: {citation.text}"
        elif citation.kind == "relation":
            label = self.relation_label(citation)
        else:
            label = citation.text
        href = self.href(path, sheet_path(self.resolved.sheets[citation.sheet]), citation.anchor)
        return MarginItem(label, href, citation.id, citation.attribution)

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
                           sitemap_href=self._data_href(path, "sitemap.xml"),
                           jsonld=script_json(exports.schema_org_dataset(
                               self.linker, path, list(self.resolved.articles.values()))))

    def _data_href(self, page: str, target: str) -> str:
        """Relative link from a page to a data file under the site root."""
        return relative_url(target, posixpath.dirname(self.linker.output_of(page)))


def _infobox(relations: list[RelationView]) -> list[InfoRow]:
    """The sheet's relations grouped by label, in :data:`INFOBOX_ORDER`, each sheet once per row."""
    rows: dict[str, list[RelationView]] = defaultdict(list)
    for relation in relations:
        rows[relation.label].append(relation)
    order = {RELATION_TYPES[t].forward: 2.0 * n for n, t in enumerate(INFOBOX_ORDER)}
    order |= {RELATION_TYPES[t].backward: 2.0 * n + 1 for n, t in enumerate(INFOBOX_ORDER)}
    ordered = sorted(rows, key=lambda label: order.get(label, 2.0 * len(INFOBOX_ORDER)))
    return [InfoRow(label, tuple({r.other.href: r.other for r in rows[label]}.values()), rows[label][0].side)
            for label in ordered]


def _anchor_slug(text: str, line: int) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or f"line-{line}"


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
