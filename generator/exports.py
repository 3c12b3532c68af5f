"""Open data built from the same sheets: W3C Web Annotations, schema.org, TimelineJS, RSS.

Pure functions from resolved content to file texts. Offsets in annotations count
Unicode code points in the article's plain text: its passages joined by one blank
line, exactly the text published at ``data/articles/<slug>.txt``.
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from generator.index import SiteIndex
from generator.model import KIND, Article, EventSheet, LoadedSheet
from generator.pages import HOME, article_path, sheet_path
from generator.resolve import Citation, Resolved
from generator.urls import Linker

ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
QUOTE_CONTEXT = 32
"""Characters of prefix and suffix around each quoted passage."""

DATA = "data"
FEED = "feed.xml"
TIMELINE_JSON = f"{DATA}/timeline.json"


@dataclass(frozen=True)
class DataFile:
    """A generated file that is not a page: its path under the site and its content (UTF-8)."""

    path: str
    content: bytes

    @classmethod
    def from_text(cls, path: str, text: str) -> DataFile:
        """The file at ``path`` holding ``text``."""
        return cls(path, text.encode())

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


def data_files(resolved: Resolved, index: SiteIndex, linker: Linker, site_name: str) -> list[DataFile]:
    """Every data file: plain texts and annotations per article, the TimelineJS export and the feed."""
    sheet_paths = {slug: sheet_path(s) for slug, s in resolved.sheets.items()}
    article_paths = {slug: article_path(a) for slug, a in resolved.articles.items()}
    files = []
    for article in resolved.articles.values():
        files.append(DataFile.from_text(plain_text_path(article), plain_text(article)))
        files.append(DataFile.from_text(annotations_path(article), dumps(annotation_collection(
            article, index.claims_citing(article), linker, sheet_paths, article_path(article)))))
    files.append(DataFile.from_text(TIMELINE_JSON, dumps(timeline_json(resolved, linker, sheet_paths))))
    if linker.site_url:  # RSS links must be absolute: no feed until the site's address is known
        files.append(DataFile.from_text(FEED, rss_feed(resolved, linker, site_name, article_paths, HOME)))
    return files


def plain_text(article: Article) -> str:
    """The article's plain text: passages joined by a blank line."""
    return "\n\n".join(p.text for p in article.passages)


def passage_offsets(article: Article) -> dict[str, int]:
    """Where each passage starts in :func:`plain_text`."""
    offsets, at = {}, 0
    for passage in article.passages:
        offsets[passage.id] = at
        at += len(passage.text) + 2
    return offsets


def text_hash(article: Article) -> str:
    """SHA-256 of the plain text (UTF-8): which version of the article offsets refer to."""
    return hashlib.sha256(plain_text(article).encode("utf-8")).hexdigest()


def schema_type(loaded: LoadedSheet) -> str:
    """The schema.org type of a sheet: its own ``schema_type``, or its kind's default."""
    return loaded.sheet.schema_type or KIND[loaded.kind].schema_type


def dumps(data: Any) -> str:
    """Stable, compact JSON with sorted keys (no indent keeps json's C encoder in use)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


def annotation_collection(article: Article, citations: list[Citation], linker: Linker,
                          sheet_path: dict[str, str], article_page: str) -> dict[str, Any]:
    """One W3C Web Annotation per claim citing ``article``, as an AnnotationCollection."""
    here = annotations_path(article)
    text = plain_text(article)
    offsets = passage_offsets(article)
    collection_id = linker.file(here, here)
    source = {"id": linker.file(here, plain_text_path(article)), "type": "Text",
              "format": "text/plain", "sha256": text_hash(article)}
    items = []
    for citation in citations:
        start = offsets[citation.span.passage] + citation.span.start
        end = offsets[citation.span.passage] + citation.span.end
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
            "target": {
                "source": source,
                "scope": linker.page(here, article_page, citation.span.passage),
                "selector": [
                    {"type": "TextQuoteSelector", "exact": text[start:end],
                     "prefix": text[max(0, start - QUOTE_CONTEXT):start],
                     "suffix": text[end:end + QUOTE_CONTEXT]},
                    {"type": "TextPositionSelector", "start": start, "end": end},
                ],
            },
        })
    return {
        "@context": [ANNOTATION_CONTEXT, {"sha256": "http://schema.org/sha256"}],
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": f"Claims citing \u201c{article.title}\u201d",
        "sha256": text_hash(article),
        "total": len(items),
        "first": {"id": f"{collection_id}#page-1", "type": "AnnotationPage", "startIndex": 0,
                  "items": items},
    }


def timeline_json(resolved: Resolved, linker: Linker, sheet_path: dict[str, str]) -> dict[str, Any]:
    """The events in TimelineJS3's JSON format.

    TimelineJS needs a year for every event, so only events whose year the article
    gives go into ``events``; the rest go, in order and with their words, into
    ``undated_events`` (TimelineJS ignores the key), never with a guessed year.
    TimelineJS puts headlines, texts and display dates into the page as HTML: all escaped.
    """
    events, undated = [], []
    for loaded in resolved.sheets.values():
        if not isinstance(loaded.sheet, EventSheet):
            continue
        date = loaded.sheet.date
        link = linker.page(TIMELINE_JSON, sheet_path[loaded.slug])
        # TimelineJS renders text as HTML: escape the summary, then link the sheet.
        text = {"headline": html.escape(loaded.sheet.name),
                "text": f'{html.escape(loaded.sheet.summary)} <a href="{html.escape(link)}">The sheet</a>'}
        parts = (date.edtf or "").split("-")
        if parts and parts[0].isdigit():
            start: dict[str, Any] = {"year": int(parts[0]),
                                     "display_date": html.escape(date.as_written or "")}
            if len(parts) > 1 and parts[1].isdigit():
                start["month"] = int(parts[1])
            if len(parts) > 2 and parts[2].isdigit():
                start["day"] = int(parts[2])
            events.append({"start_date": start, "text": text, "unique_id": loaded.slug,
                           "group": KIND[loaded.kind].title, "url": link,
                           "precision": date.precision, "order": date.order})
        else:
            undated.append({"display_date": html.escape(date.as_written) if date.as_written else None,
                            "precision": date.precision,
                            "edtf": date.edtf, "order": date.order, "text": text,
                            "unique_id": loaded.slug, "url": link})
    return {
        "title": {"text": {"headline": "Timeline",
                           "text": "Events the article reports, each date as the article gives it."}},
        "events": sorted(events, key=lambda e: (e["order"], e["unique_id"])),
        "undated_events": sorted(undated, key=lambda e: (e["order"], e["unique_id"])),
    }


def rss_feed(resolved: Resolved, linker: Linker, site_name: str, article_page: dict[str, str],
             home: str) -> str:
    """An RSS 2.0 feed of the articles (RSS needs no dates, so none are made up).

    Feed readers render titles and descriptions as HTML: the text is escaped as HTML, then as XML.
    """
    items = []
    for article in resolved.articles.values():
        link = linker.page(FEED, article_page[article.slug])
        items.append(
            "  <item>\n"
            f"    <title>{xml_escape(html.escape(article.title))}</title>\n"
            f"    <link>{xml_escape(link)}</link>\n"
            f"    <guid isPermaLink=\"false\">{article.slug}:{text_hash(article)}</guid>\n"
            f"    <description>{xml_escape(html.escape(article.passages[0].text))}</description>\n"
            "  </item>\n")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n'
            f"  <title>{xml_escape(site_name)}</title>\n"
            f"  <link>{xml_escape(linker.page(FEED, home))}</link>\n"
            "  <description>Annotated articles, every claim linked to the passage it quotes."
            "</description>\n"
            + "".join(items) + "</channel>\n</rss>\n")


def schema_org_sheet(loaded: LoadedSheet, linker: Linker, page: str, articles: list[tuple[str, str]],
                     ) -> dict[str, Any]:
    """JSON-LD for a sheet page; ``articles`` are (title, page path) of the articles it cites."""
    here = linker.output_of(page)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
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
    return data


def schema_org_article(article: Article, linker: Linker, page: str,
                       about: list[tuple[LoadedSheet, str]],
                       mentions: list[tuple[LoadedSheet, str]]) -> dict[str, Any]:
    """JSON-LD for an article page: a NewsArticle with what it is about and mentions.

    Only what the article itself gives: its headline and text; no author, publisher or date.
    """
    here = linker.output_of(page)

    def ref(loaded: LoadedSheet, path: str) -> dict[str, Any]:
        return {"@type": schema_type(loaded), "name": loaded.sheet.name, "url": linker.page(here, path)}

    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "url": linker.page(here, page),
        "articleBody": plain_text(article),
        "about": [ref(loaded, path) for loaded, path in about],
        "mentions": [ref(loaded, path) for loaded, path in mentions],
    }


def script_json(data: Any) -> str:
    """JSON safe inside a <script> element: no '<', '>' or '&' left as themselves."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
