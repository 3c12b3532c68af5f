"""View models: the data the page templates read.

These classes are the templates' API: a template may use exactly the fields documented
here (the Jinja environment is strict, so anything else is an error naming the template
line). Every ``href`` is relative to the page being rendered. Text fields are plain text;
the templates escape them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CiteView:
    """A citation link: to the passage a claim, relation or date quotes."""

    href: str
    """The article page, with ``?cite=<citation id>`` (which quote to highlight) and ``#<passage>``."""
    passage: str
    """The passage id, e.g. ``p3``."""
    article_title: str
    """The quoted article's title."""
    citation_id: str
    """``<sheet>/<anchor>``: the key of this citation's preview in the page's preview data."""
    preview: dict[str, object]
    """What the citation's preview shows: ``passage``, ``article`` and ``segments`` (the passage as
    ``[words, quoted?]`` pieces). Written into the page as JSON, not read by templates."""


@dataclass(frozen=True)
class ClaimView:
    """A claim on its sheet."""

    anchor: str
    """Its id on the page, e.g. ``claim-2``."""
    text: str
    """The claim in the sheet's words."""
    quote: str
    """The article's words it rests on, exactly as the article writes them."""
    attribution: str | None
    """Who the article says says it, if anyone."""
    cite: CiteView


@dataclass(frozen=True)
class RelationView:
    """A relation, read from the sheet being shown (outgoing: "backs"; incoming: "backed by")."""

    anchor: str
    """Its id on the page: ``relation-N`` for the sheet's own, ``from-<sheet>-relation-N`` for others'."""
    label: str
    """The relation type, read from this sheet's side."""
    other_name: str
    """The sheet at the other end."""
    other_kind: str
    """Its kind folder, e.g. ``actors``."""
    other_href: str
    attribution: str | None
    cite: CiteView


@dataclass(frozen=True)
class SegmentView:
    """A run of a passage's text that the same citations cover (none for unquoted words)."""

    text: str
    citations: tuple[str, ...]
    """Ids of the citations whose quote covers this run."""


@dataclass(frozen=True)
class CitedByView:
    """One citing part of a sheet, beside the passage it quotes on the article page."""

    sheet_name: str
    sheet_kind: str
    href: str
    """The citing part on its sheet's page."""
    label: str
    """The claim's text, ``<relation> <target>``, or ``when: <date words>``."""
    citation_id: str
    preview: dict[str, object]
    """What its preview adds to the page: ``kind`` (singular) and ``attribution``."""


@dataclass(frozen=True)
class PassageView:
    """A passage of the annotated article."""

    id: str
    """``p1``, ``p2`` ...: the passage's anchor."""
    number: int
    segments: tuple[SegmentView, ...]
    """The passage's text, cut wherever a quote starts or ends."""
    cited_by: tuple[CitedByView, ...]
    """Every citation of the passage, in sheet order."""


@dataclass(frozen=True)
class EntryView:
    """A line of an index page (a kind's sheets, or the articles)."""

    name: str
    href: str
    kind: str
    summary: str
    count: int
    """How many claims (a sheet) or citations (an article) it has."""
    count_noun: str
    """What ``count`` counts, singular: ``claim`` or ``citation``."""
    extra: str = ""
    """Anything else worth a word, e.g. ``13 passages``."""


@dataclass(frozen=True)
class KindView:
    """A kind of sheet, as the home page lists it."""

    title: str
    href: str
    count: int


@dataclass(frozen=True)
class TimelineEntryView:
    """An event on the timeline."""

    date: str | None
    """The article's words for its time, or None when the article gives none."""
    precision: str
    name: str
    href: str
    summary: str
    cite: CiteView | None
    """The citation of the date's words, if it has any."""
