"""View models: the data the page templates read.

These classes are the templates' API: a template may use exactly the fields documented
here (the Jinja environment is strict, so anything else is an error naming the template
line). Every ``href`` is relative to the page being rendered. Text fields are plain text
that templates escape, except fields typed ``Markup``, which are HTML built by the core
(text with links to other sheets).

A sheet link, a citation link and an attribution are drawn on most lines of a page, so they
write themselves (``__html__``): a template writes ``{{ ref }}``, ``{{ cite }}``, ``{{ said }}``.
As Jinja macros, calling them was half of a sheet page's rendering. So do the annotated
article's runs of text and margin entries, its most repeated lines.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from markupsafe import Markup, escape

from generator.graph_style import Legend
from generator.layout import Layout

TEXT_CACHE = 8192
"""How many escaped texts are kept: names, labels and titles recur on page after page (at 3,000
sheets, the 4,096 commonest texts were 86 % of 350,000)."""


def text(value: object) -> Markup:
    """Escape ``value`` for HTML and fold its whitespace onto one line (the templates' ``text``)."""
    if type(value) is str:
        return _text(value)
    return escape(" ".join(str(value).split()))


@functools.lru_cache(maxsize=TEXT_CACHE)
def _text(value: str) -> Markup:
    return escape(" ".join(value.split()))


@dataclass(frozen=True)
class SheetRef:
    """A link to a sheet."""

    name: str
    href: str
    kind: str
    """Its kind's folder, e.g. ``actors`` (the CSS class ``kind-<kind>`` gives its colour)."""
    kind_label: str
    """One of its kind, e.g. ``actor``."""

    def __html__(self) -> str:
        """The link, as a template writes ``{{ ref }}``."""
        kind, href = escape(self.kind), escape(self.href)
        return f'<a class="sheet-ref kind-{kind}" href="{href}">{text(self.name)}</a>'


@dataclass(frozen=True)
class CiteView:
    """A citation link: to the passage a claim, relation or date quotes."""

    href: str
    """The article page, with ``?cite=<citation id>`` (which quote to highlight) and ``#<passage>``."""
    passage: str
    """The passage id, e.g. ``p3``."""
    article_title: str
    article_label: str | None
    """The article's short name (publisher and date, or title), once the site has several articles."""
    citation_id: str
    """``<sheet>/<anchor>``: the key of this citation's preview in the page's preview data."""
    preview: dict[str, object]
    """What the citation's preview shows: ``passage``, ``article`` and ``segments`` (the passage as
    ``[words, quoted?]`` pieces). Written into the page as JSON, not read by templates."""

    def __html__(self) -> str:
        """The link, as a template writes ``{{ cite }}``: the passage's number, the article's short
        name first once there are several articles."""
        label = text(self.article_label) if self.article_label else ""
        named = f"{label}, " if label else ""
        shown = f'<span class="cite-article">{label}</span> ' if label else ""
        return (f'<a class="cite" href="{escape(self.href)}" data-citation="{escape(self.citation_id)}" '
                f'aria-label="Source: {named}passage {escape(self.passage[1:])} of &#8220;'
                f'{text(self.article_title)}&#8221;">{shown}{escape(self.passage)}</a>')


@dataclass(frozen=True)
class SaidView:
    """Who the article says says something: its words for it, and the sheets of source and outlet."""

    attribution: str | None
    """The attribution in the article's terms, e.g. ``the mayor told Reuters``."""
    source: SheetRef | None
    via: SheetRef | None

    def __bool__(self) -> bool:
        return bool(self.attribution or self.source or self.via)

    def __html__(self) -> str:
        """Who says it, as a template writes ``{{ said }}``: the source's and the outlet's sheets
        with the article's words, or the article's words alone; nothing if the article names none."""
        if not self:
            return ""
        words = text(self.attribution) if self.attribution else ""
        if self.source:
            via = f", via {self.via.__html__()}" if self.via else ""
            put = f' <span class="said-words">(as the article puts it: {words})</span>' if words else ""
            inner = f"{self.source.__html__()}{via}{put}"
        elif self.via:
            put = f' <span class="said-words">({words})</span>' if words else ""
            inner = f"via {self.via.__html__()}{put}"
        else:
            inner = words
        return f'<span class="said">{inner}</span>'


@dataclass(frozen=True)
class AccountView:
    """One side of a conflicting account: a claim with its sheet, quote and source."""

    sheet: SheetRef
    anchor: str
    text: str
    quote: str
    said: SaidView
    cite: CiteView


@dataclass(frozen=True)
class ClaimView:
    """A claim on its sheet."""

    anchor: str
    """Its id on the page, e.g. ``claim-2``."""
    text: Markup
    """The claim in the sheet's words, other sheets' names linked at their first mention."""
    quote: str
    """The article's words it rests on, exactly as the article writes them."""
    said: SaidView
    inference: str | None
    """Set when the claim goes beyond the words: how it follows from them."""
    cite: CiteView
    disputes: tuple[AccountView, ...] = ()
    """Accounts this claim conflicts with (either side may have said so)."""


@dataclass(frozen=True)
class RelationView:
    """A relation, read from the sheet being shown (outgoing: "backs"; incoming: "backed by")."""

    anchor: str
    """Its id on the page: ``relation-N`` for the sheet's own, ``from-<sheet>-relation-N`` for others'."""
    label: str
    """The relation type, read from this sheet's side."""
    label_forward: str
    """The relation type read from its subject (``backs``), for tables that name the subject first."""
    other: SheetRef
    role: str | None
    """The subject's role in the article's words, e.g. ``Greek Foreign Minister``."""
    outgoing: bool
    """Whether this sheet is the relation's subject (else ``other`` is, and holds ``role``)."""
    side: str
    """``support``, ``opposition`` or ``other``."""
    said: SaidView
    inference: str | None
    cite: CiteView


@dataclass(frozen=True)
class InfoRow:
    """A row of a sheet's infobox: a relation label and the sheets it links to."""

    label: str
    refs: tuple[SheetRef, ...]
    side: str


@dataclass(frozen=True)
class DateView:
    """An event's time: the article's words first, then what they leave out and what is derived."""

    words: str | None
    """The article's words, or None when it gives no time."""
    gap: str
    """What the words leave out, e.g. ``November, no year given``."""
    lane: str
    """``dated``, ``anchored``, ``vague`` or ``unstated``."""
    derived: str | None
    """A placement derived from the article's date, e.g. ``November 2019``; never the article's words."""
    published: str | None
    """The article's date the placement comes from, e.g. ``25 May 2020``."""
    cite: CiteView | None
    start: str | None = None
    """The ISO date the event sorts by on a time axis (its words' or its placement's), if any."""
    lane_title: str = ""
    """The timeline lane it is in, e.g. ``Dated by the article``."""
    timeline_href: str = ""
    """Its entry on the timeline page."""
    earlier: SheetRef | None = None
    """The event just before it in its lane, when the dates say so."""
    later: SheetRef | None = None
    """The event just after it in its lane, when the dates say so."""


@dataclass(frozen=True)
class SourcedView:
    """A claim or relation on another sheet that this sheet is the source or the outlet of."""

    sheet: SheetRef
    href: str
    """The claim on its sheet."""
    text: str
    role: str
    """``source`` or ``outlet``."""
    cite: CiteView


@dataclass(frozen=True)
class SegmentView:
    """A run of a passage's text that the same citations cover (none for unquoted words)."""

    text: str
    citations: tuple[str, ...]
    """Ids of the citations whose quote covers this run."""

    def __html__(self) -> str:
        """The run as the annotated article shows it: marked when quoted, with the quotes' ids."""
        if not self.citations:
            return escape(self.text)
        ids = escape(" ".join(self.citations))
        return f'<mark class="quote" data-citations="{ids}">{escape(self.text)}</mark>'


@dataclass(frozen=True)
class MarginItem:
    """One citing part of a sheet in an article's margin: a claim, a relation or a date."""

    label: str
    """The claim's text, ``<relation> <other sheet>``, or ``when: <date words>``."""
    href: str
    """The part on its sheet's page."""
    citation_id: str
    attribution: str | None


@dataclass(frozen=True)
class MarginSheet:
    """A sheet citing a passage, with the parts of it that do."""

    ref: SheetRef
    items: tuple[MarginItem, ...]

    @property
    def citations(self) -> str:
        """The ids of its citations of the passage, space-separated (for the highlight script)."""
        return " ".join(item.citation_id for item in self.items)

    def __html__(self) -> str:
        """Its link in the margin, which marks the words its citations quote."""
        href, ids = escape(self.ref.href), escape(self.citations)
        return f'<a class="margin-sheet" href="{href}" data-citations="{ids}">{text(self.ref.name)}</a>'

    @property
    def claims(self) -> Markup:
        """Its citing parts as items of the margin's list of claims, one a line."""
        name = text(self.ref.name)
        return Markup("".join(
            f'<li class="cited-by-item" data-citation="{escape(item.citation_id)}">'
            f'<a href="{escape(item.href)}" data-citation="{escape(item.citation_id)}">'
            f'<span class="cited-sheet">{name}</span>: '
            f'<span class="cited-label">{text(item.label)}</span></a></li>\n'
            for item in self.items))


@dataclass(frozen=True)
class MarginGroup:
    """The sheets of one kind citing a passage."""

    kind: str
    title: str
    sheets: tuple[MarginSheet, ...]

    def __html__(self) -> str:
        """The group as an item of the margin: its kind, how many, and each sheet's link."""
        links = ", ".join(sheet.__html__() for sheet in self.sheets)
        return (f'<li class="margin-group kind-{escape(self.kind)}"><span class="margin-kind">'
                f'{text(self.title)} {len(self.sheets)}</span> {links}</li>')


@dataclass(frozen=True)
class HeadingView:
    """A subhead of the article."""

    text: str
    level: int
    anchor: str


@dataclass(frozen=True)
class PassageView:
    """A passage of the annotated article."""

    id: str
    """``p1``, ``p2`` ...: the passage's anchor."""
    number: int
    headings: tuple[HeadingView, ...]
    """The article's subheads just before this passage."""
    segments: tuple[SegmentView, ...]
    """The passage's text, cut wherever a quote starts or ends."""
    margin: tuple[MarginGroup, ...]
    """The distinct sheets citing the passage, grouped by kind."""
    citation_count: int

    @property
    def sheet_count(self) -> int:
        """How many distinct sheets cite the passage."""
        return sum(len(group.sheets) for group in self.margin)


@dataclass(frozen=True)
class ArticleView:
    """An article as pages introduce it: title, who published it and when."""

    title: str
    href: str
    label: str
    """Its short name: publisher and date, or the title."""
    publisher: str | None
    author: str | None
    published: str | None
    """e.g. ``25 May 2020``."""
    published_iso: str | None
    url: str | None
    """Where it was first published."""
    lede: str
    """Its first passage."""
    passages: int
    citations: int


@dataclass(frozen=True)
class EntryView:
    """A line of a kind's index page."""

    ref: SheetRef
    summary: str
    count: int
    """How many claims the sheet has."""


@dataclass(frozen=True)
class KindView:
    """A kind of sheet, as the home page lists it."""

    title: str
    href: str
    count: int


@dataclass(frozen=True)
class StoryLine:
    """A sentence of the home page's story, with its citation."""

    text: Markup
    said: SaidView
    cite: CiteView


@dataclass(frozen=True)
class SideView:
    """One side of the story: its members and how they back or supply each other."""

    members: tuple[SheetRef, ...]
    ties: tuple[RelationLine, ...]


@dataclass(frozen=True)
class RelationLine:
    """A relation as a sentence: subject, label, object, with its citation."""

    subject: SheetRef
    label: str
    object: SheetRef
    cite: CiteView


@dataclass(frozen=True)
class FigureView:
    """A reported figure with who reports it, for the home page."""

    figure: str
    """The figure as the article words it, e.g. ``some 1,500``."""
    text: str
    """The claim stating it."""
    sheet: SheetRef
    said: SaidView
    cite: CiteView


@dataclass(frozen=True)
class TimelineEntryView:
    """An event on the timeline."""

    ref: SheetRef
    slug: str
    """Its anchor on the timeline page."""
    date: DateView
    article_label: str | None
    """The article its date quotes, once the site has several."""
    year: str | None = None
    """Set on the first entry of each year on a time axis: the axis label."""


@dataclass(frozen=True)
class LaneView:
    """A lane of the timeline: events grouped by what the articles say about their time."""

    lane: str
    title: str
    order: str
    """How the lane is ordered, and why; or that the articles give no order."""
    ordered: bool
    """Whether the entries' order means an order in time."""
    entries: tuple[TimelineEntryView, ...]


@dataclass(frozen=True)
class RelationRow:
    """A row of a graph's relations table, its text alternative."""

    subject: SheetRef
    label: str
    object: SheetRef
    side: str
    cite: CiteView


@dataclass(frozen=True)
class GraphView:
    """A relationship graph laid out by Graphviz, with what the template needs to draw it."""

    layout: Layout
    hrefs: dict[str, str]
    """Each node's sheet page, relative to the page drawing the graph."""
    legend: Legend
    label: str
    """The drawing's accessible name."""
    fit: str
    """``scale`` (shrinks to the column: a sheet's own graph) or ``scroll`` (keeps its size)."""
    relations: tuple[RelationRow, ...]
    """The relations drawn, as a table: the graph's text alternative."""


@dataclass(frozen=True)
class GraphLink:
    """A link to one of the graph pages (a view of the whole graph)."""

    title: str
    href: str
    current: bool
