"""Open data built from the same sheets: W3C Web Annotations, schema.org, TimelineJS, RSS.

Pure functions from resolved content to file texts. Offsets in annotations count
Unicode code points in the article's plain text: its passages joined by one blank
line, exactly the text published at ``data/articles/<slug>.txt``.
"""

from __future__ import annotations

import datetime
import email.utils
import functools
import hashlib
import html
import json
import posixpath
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin
from xml.sax.saxutils import escape as xml_escape

from generator.dates import LANES, Placement
from generator.index import SiteIndex
from generator.model import KIND, Article, LoadedSheet
from generator.pages import HOME, PACK_LEVEL, article_path, sheet_path
from generator.resolve import Citation, Resolved
from generator.story import placements
from generator.urls import Linker

ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
QUOTE_CONTEXT = 32
"""Characters of prefix and suffix around each quoted passage."""

DATA = "data"
FEED = "feed.xml"
TIMELINE_JSON = f"{DATA}/timeline.json"


@dataclass(frozen=True, slots=True)
class DataFile:
    """A generated file that is not a page: its path under the site and its content.

    The content is kept compressed, as pages' bodies are (:class:`generator.pages.Page`): a site
    builder holds every file until it writes it, and at 30,000 sheets the open data are 225 MB.
    """

    path: str
    packed: bytes
    """The content, compressed (:func:`zlib.compress`; equal contents, equal bytes)."""

    @classmethod
    def from_bytes(cls, path: str, content: bytes) -> DataFile:
        """The file at ``path`` holding ``content``."""
        return cls(path, zlib.compress(content, PACK_LEVEL))

    @classmethod
    def from_text(cls, path: str, text: str) -> DataFile:
        """The file at ``path`` holding ``text``, UTF-8."""
        return cls.from_bytes(path, text.encode())

    @property
    def content(self) -> bytes:
        """The content."""
        return zlib.decompress(self.packed)

    @property
    def text(self) -> str:
        """The content as text."""
        return self.content.decode()


def plain_text_path(article: Article) -> str:
    """Where an article's plain text is published."""
    return f"{DATA}/articles/{article.slug}.txt"


def annotations_path(article: Article) -> str:
    """Where an article's Web Annotations are published."""
    return f"{DATA}/annotations/{article.slug}.jsonld"


def data_files(resolved: Resolved, index: SiteIndex, linker: Linker,
               site_name: str) -> list[tuple[str, Callable[[], DataFile]]]:
    """Every data file, as (path, how to make it): plain texts and annotations per article, the
    TimelineJS export and the feed. Made by the caller, which may keep some from a last build."""
    sheet_paths = {slug: sheet_path(s) for slug, s in resolved.sheets.items()}
    article_paths = {slug: article_path(a) for slug, a in resolved.articles.items()}
    files: list[tuple[str, Callable[[], DataFile]]] = []
    for article in resolved.articles.values():
        files.append((plain_text_path(article), functools.partial(_text_file, article)))
        files.append((annotations_path(article), functools.partial(
            _annotations_file, article, index, linker, sheet_paths)))
    files.append((TIMELINE_JSON, lambda: DataFile.from_text(
        TIMELINE_JSON, dumps(timeline_json(resolved, linker, sheet_paths)))))
    if linker.site_url:  # RSS links must be absolute: no feed until the site's address is known
        files.append((FEED, lambda: DataFile.from_text(
            FEED, rss_feed(resolved, linker, site_name, article_paths, HOME))))
    return files


def _text_file(article: Article) -> DataFile:
    return DataFile.from_bytes(plain_text_path(article), plain_text_file(article))


def _annotations_file(article: Article, index: SiteIndex, linker: Linker,
                      sheet_paths: dict[str, str]) -> DataFile:
    return DataFile.from_text(annotations_path(article), dumps(annotation_collection(
        article, index.claims_citing(article), linker, sheet_paths, article_path(article))))


def plain_text(article: Article) -> str:
    """The article's plain text: passages joined by a blank line (its subheads are not passages)."""
    return "\n\n".join(p.text for p in article.passages)


BOM = "\ufeff"


def plain_text_file(article: Article) -> bytes:
    """The published plain text: UTF-8 with a byte-order mark, which declares the encoding to a
    browser even when a host serves ``text/plain`` without a charset (else curly quotes garble).
    Decoders drop the mark, so offsets count code points of :func:`plain_text`."""
    return (BOM + plain_text(article)).encode("utf-8")


def passage_offsets(article: Article) -> dict[str, int]:
    """Where each passage starts in :func:`plain_text`."""
    offsets, at = {}, 0
    for passage in article.passages:
        offsets[passage.id] = at
        at += len(passage.text) + 2
    return offsets


def text_hash(article: Article) -> str:
    """SHA-256 of the published plain-text file's bytes: which version of the article offsets refer to."""
    return hashlib.sha256(plain_text_file(article)).hexdigest()


def schema_type(loaded: LoadedSheet) -> str:
    """The schema.org type of a sheet: its own ``schema_type``, or its kind's default."""
    return loaded.sheet.schema_type or KIND[loaded.kind].schema_type


def dumps(data: Any) -> str:
    """Stable, compact JSON with sorted keys (no indent keeps json's C encoder in use)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


def annotation_collection(article: Article, citations: list[Citation], linker: Linker,
                          sheet_path: dict[str, str], article_page: str) -> dict[str, Any]:
    """One W3C Web Annotation per claim citing ``article``, as an AnnotationCollection.

    Each annotation targets the words in two representations: the plain text (a quote and a
    position) and the annotated article page (the passage's element, refined by the quote).
    The quote's prefix and suffix stay within its passage, so it anchors in both.
    """
    here = annotations_path(article)
    text = plain_text(article)
    offsets = passage_offsets(article)
    collection_id = linker.file(here, here)
    page_id = f"{collection_id}#page-1"
    source: dict[str, Any] = {"id": linker.file(here, plain_text_path(article)), "type": "Text",
                              "format": "text/plain", "sha256": text_hash(article), "title": article.title}
    if article.url:
        source["via"] = article.url
    if article.publisher:
        source["publisher"] = article.publisher
    if article.published:
        source["datePublished"] = article.published.isoformat()
    items = []
    for citation in citations:
        passage = article.passage(citation.span.passage)
        start = offsets[citation.span.passage] + citation.span.start
        end = offsets[citation.span.passage] + citation.span.end
        quote = {"type": "TextQuoteSelector", "exact": text[start:end],
                 "prefix": passage.text[max(0, citation.span.start - QUOTE_CONTEXT):citation.span.start],
                 "suffix": passage.text[citation.span.end:citation.span.end + QUOTE_CONTEXT]}
        items.append({
            "id": f"{collection_id}#{citation.id}",
            "type": "Annotation",
            "motivation": "describing",
            "body": [
                {"type": "TextualBody", "value": citation.text, "format": "text/plain",
                 "language": "en", "purpose": "describing"},
                {"id": linker.page(here, sheet_path[citation.sheet], citation.anchor),
                 "type": "Text", "format": "text/html", "purpose": "linking"},
            ],
            "target": [
                {"type": "SpecificResource", "source": source,
                 "scope": linker.page(here, article_page, citation.span.passage),
                 "selector": [quote, {"type": "TextPositionSelector", "start": start, "end": end}]},
                {"type": "SpecificResource",
                 "source": {"id": linker.page(here, article_page), "type": "Text", "format": "text/html"},
                 "selector": {"type": "CssSelector", "value": f"#{passage.id} .passage-text",
                              "refinedBy": {**quote}}},
            ],
        })
    return {
        "@context": [ANNOTATION_CONTEXT, {"sha256": "http://schema.org/sha256",
                                          "title": "http://purl.org/dc/terms/title",
                                          "publisher": "http://schema.org/publisher",
                                          "datePublished": "http://schema.org/datePublished"}],
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": f"Claims citing \u201c{article.title}\u201d",
        "sha256": text_hash(article),
        "total": len(items),
        "first": {"id": page_id, "type": "AnnotationPage", "startIndex": 0, "partOf": collection_id,
                  "items": items},
        "last": page_id,
    }


def timeline_json(resolved: Resolved, linker: Linker, sheet_path: dict[str, str]) -> dict[str, Any]:
    """The events in TimelineJS3's JSON format.

    TimelineJS needs a year for every event, so only events whose year the article gives, or
    that the article's date places, go into ``events`` (a placement says so in its display
    date); the rest go, with their words, into ``undated_events`` (TimelineJS ignores the key),
    never with a guessed year. TimelineJS puts headlines, texts and display dates into the page
    as HTML: all escaped.
    """
    several = len(resolved.articles) > 1
    dates = {c.sheet: c for c in resolved.citations if c.kind == "date"}
    events, undated = [], []
    for slug, placement in placements(resolved).items():
        loaded = resolved.sheets[slug]
        link = linker.page(TIMELINE_JSON, sheet_path[slug])
        source = dates.get(slug)
        label = f" ({resolved.articles[source.span.article].label})" if source and several else ""
        summary = html.escape(loaded.sheet.summary + label)
        text = {"headline": html.escape(loaded.sheet.name),
                "text": f'{summary} <a href="{html.escape(link)}">The sheet</a>'}
        words = placement.words
        start = placement.start or placement.derived_start
        if start is not None and words is not None:
            shown = (words if placement.start
                     else f"{words} (placed from the article's date: {placement.derived})")
            date: dict[str, Any] = {"display_date": html.escape(shown)}
            for key, part in zip(("year", "month", "day"), start.split("-"), strict=False):
                date[key] = int(part)
            events.append({"start_date": date, "text": text, "unique_id": slug, "url": link,
                           "group": LANES[placement.lane], "lane": placement.lane})
        else:
            undated.append({"display_date": html.escape(words) if words else None,
                            "what_is_missing": placement.gap, "text": text, "unique_id": slug, "url": link,
                            "lane": placement.lane})
    return {
        "title": {"text": {"headline": "Timeline",
                           "text": "Events the articles report, each date as the article gives it."}},
        "events": sorted(events, key=lambda e: (e["start_date"].get("year"), e["start_date"].get("month", 0),
                                                e["start_date"].get("day", 0), e["unique_id"])),
        "undated_events": sorted(undated, key=lambda e: e["unique_id"]),
    }


def rss_feed(resolved: Resolved, linker: Linker, site_name: str, article_page: dict[str, str],
             home: str) -> str:
    """An RSS 2.0 feed of the articles, dated only where an article gives its date.

    Feed readers render titles and descriptions as HTML: the text is escaped as HTML, then as XML.
    """
    items = []
    for article in resolved.articles.values():
        link = linker.page(FEED, article_page[article.slug])
        extra = ""
        if article.published:
            day = article.published
            midnight = datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)
            extra += f"    <pubDate>{email.utils.format_datetime(midnight)}</pubDate>\n"
        if article.author:
            extra += f"    <dc:creator>{xml_escape(html.escape(article.author))}</dc:creator>\n"
        if article.publisher:
            url = f' url="{xml_escape(article.url, {chr(34): "&quot;"})}"' if article.url else ""
            extra += f"    <source{url}>{xml_escape(html.escape(article.publisher))}</source>\n"
        items.append(
            "  <item>\n"
            f"    <title>{xml_escape(html.escape(article.title))}</title>\n"
            f"    <link>{xml_escape(link)}</link>\n"
            f"    <guid isPermaLink=\"false\">{article.slug}:{text_hash(article)}</guid>\n"
            f"    <description>{xml_escape(html.escape(article.passages[0].text))}</description>\n"
            + extra + "  </item>\n")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n'
            f"  <title>{xml_escape(site_name)}</title>\n"
            f"  <link>{xml_escape(linker.page(FEED, home))}</link>\n"
            "  <description>Annotated articles, every claim linked to the passage it quotes."
            "</description>\n"
            + "".join(items) + "</channel>\n</rss>\n")


_CONTEXT = "https://schema.org"


def schema_org_sheet(loaded: LoadedSheet, linker: Linker, page: str, articles: list[tuple[str, str]],
                     placement: Placement | None = None) -> dict[str, Any]:
    """JSON-LD for a sheet page; ``articles`` are (title, page path) of the articles it cites.

    An event's ``startDate`` is exactly as precise as the article's words (``2019-04``), and
    only when the words give a year.
    """
    here = linker.output_of(page)
    data: dict[str, Any] = {
        "@context": _CONTEXT,
        "@type": schema_type(loaded),
        "name": loaded.sheet.name,
        "description": loaded.sheet.summary,
        "url": linker.page(here, page),
        "subjectOf": [{"@type": "NewsArticle", "headline": title, "url": linker.page(here, path)}
                      for title, path in articles],
    }
    if loaded.sheet.stated_aliases:  # inferred names are the site's reading, not the article's
        data["alternateName"] = list(loaded.sheet.stated_aliases)
    if loaded.sheet.same_as:
        data["sameAs"] = list(loaded.sheet.same_as)
    if placement is not None and placement.start is not None:
        data["startDate"] = placement.start
    return data


def schema_org_article(article: Article, linker: Linker, page: str,
                       about: list[tuple[LoadedSheet, str]],
                       mentions: list[tuple[LoadedSheet, str]]) -> dict[str, Any]:
    """JSON-LD for an article page: a NewsArticle with what it is about and mentions.

    Only what the article's file records: its headline and text, and its publisher, byline,
    date and original address where it gives them.
    """
    here = linker.output_of(page)

    def ref(loaded: LoadedSheet, path: str) -> dict[str, Any]:
        return {"@type": schema_type(loaded), "name": loaded.sheet.name, "url": linker.page(here, path)}

    data: dict[str, Any] = {
        "@context": _CONTEXT,
        "@type": "NewsArticle",
        "headline": article.title,
        "url": linker.page(here, page),
        "articleBody": plain_text(article),
        "about": [ref(loaded, path) for loaded, path in about],
        "mentions": [ref(loaded, path) for loaded, path in mentions],
    }
    if article.publisher:
        data["publisher"] = {"@type": "Organization", "name": article.publisher}
    if article.author:
        data["author"] = {"@type": "Person", "name": article.author}
    if article.published:
        data["datePublished"] = article.published.isoformat()
    if article.url:
        data["isBasedOn"] = article.url
    return data


def _absolute(linker: Linker, page: str, href: str) -> str:
    """A link written relative to ``page``, absolute when the site's address is known."""
    if not linker.site_url:
        return href
    return urljoin(linker.site_url + posixpath.dirname(linker.output_of(page)) + "/", href)


def schema_org_page(linker: Linker, page: str, name: str) -> dict[str, Any]:
    """JSON-LD for a page that is neither a sheet nor an article."""
    here = linker.output_of(page)
    return {"@context": _CONTEXT, "@type": "WebPage", "name": name, "url": linker.page(here, page)}


def schema_org_list(linker: Linker, page: str, name: str, items: list[tuple[str, str]]) -> dict[str, Any]:
    """JSON-LD for an index page: a CollectionPage whose main entity lists (name, relative link)."""
    data = schema_org_page(linker, page, name)
    data["@type"] = "CollectionPage"
    data["mainEntity"] = {"@type": "ItemList", "numberOfItems": len(items), "itemListElement": [
        {"@type": "ListItem", "position": n, "name": item, "url": _absolute(linker, page, href)}
        for n, (item, href) in enumerate(items, 1)]}
    return data


def schema_org_website(linker: Linker, page: str, articles: list[Any]) -> dict[str, Any]:
    """JSON-LD for the home page: the site, and the news articles it explains."""
    data = schema_org_page(linker, page, "Libya explainer")
    data["@type"] = "WebSite"
    data["about"] = [{"@type": "NewsArticle", "headline": a.title, "url": _absolute(linker, page, a.href)}
                     for a in articles]
    return data


def schema_org_dataset(linker: Linker, page: str, articles: list[Article]) -> dict[str, Any]:
    """JSON-LD for the open-data page: a Dataset and where to download each part."""
    here = linker.output_of(page)
    data = schema_org_page(linker, page, "Open data")
    data["@type"] = "Dataset"
    data["description"] = ("Claims about news articles, each linked to the passage it quotes: W3C Web "
                           "Annotations, the articles' plain texts and a TimelineJS export.")
    downloads = [(annotations_path(a), "application/ld+json") for a in articles]
    downloads += [(plain_text_path(a), "text/plain") for a in articles]
    downloads.append((TIMELINE_JSON, "application/json"))
    data["distribution"] = [{"@type": "DataDownload", "contentUrl": linker.file(here, path),
                             "encodingFormat": media} for path, media in downloads]
    return data


def script_json(data: Any) -> str:
    """JSON safe inside a <script> element: no '<', '>' or '&' left as themselves."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
