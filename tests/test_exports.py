"""Open data: every JSON-LD block, selector, URL and feed checked against the built site."""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import pytest
import yaml
from conftest import REPO, BuiltSite, ProjectDir, build_site

from generator.urls import Linker

ARTICLE = "russian-fighters-flown-out"


@pytest.fixture
def built(seed_site: BuiltSite) -> BuiltSite:
    return seed_site


@pytest.fixture
def site(seed_site: BuiltSite) -> Path:
    return seed_site.root


def resolve_url(built: BuiltSite, url: str) -> tuple[Path, str]:
    """The built file a published URL names, and its fragment; fails if it does not exist."""
    assert built.site_url and url.startswith(built.site_url), url
    path, fragment = urldefrag(url[len(built.site_url):])
    target = built.file(path)
    assert target.is_file(), url
    if fragment:
        assert built.page(path).find(id=fragment) is not None, url
    return target, fragment


def json_ld_blocks(built: BuiltSite) -> dict[str, list[dict[str, object]]]:
    return {url.rstrip("/"): [json.loads(tag.get_text())
                              for tag in page.select('script[type="application/ld+json"]')]
            for url, page in built.pages().items() if url == "" or url.endswith("/")}


def test_annotations_select_exactly_the_quoted_words(site: Path, built: BuiltSite) -> None:
    files = sorted((site / "data/annotations").glob("*.jsonld"))
    assert files
    total = 0
    for path in files:
        collection = json.loads(path.read_text(encoding="utf-8"))
        raw = (site / f"data/articles/{path.stem}.txt").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # a byte-order mark declares UTF-8 to any host
        text = raw.decode("utf-8-sig")
        digest = hashlib.sha256(raw).hexdigest()
        assert collection["type"] == "AnnotationCollection"
        assert collection["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
        assert collection["sha256"] == digest
        first = collection["first"]
        assert first["partOf"] == collection["id"] and collection["last"] == first["id"]
        items = first["items"]
        assert collection["total"] == len(items)
        total += len(items)
        passages = text.split("\n\n")
        for item in items:
            text_target, page_target = item["target"]
            assert text_target["type"] == page_target["type"] == "SpecificResource"
            quote, position = text_target["selector"]
            assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
            start, end = position["start"], position["end"]
            assert text[start:end] == quote["exact"]
            # Prefix and suffix stay within the quote's passage, so the quote anchors on the page too.
            passage = next(p for p in passages if quote["prefix"] + quote["exact"] + quote["suffix"] in p)
            at = text.index(passage)
            assert at <= start and end <= at + len(passage)
            assert text[:start].endswith(quote["prefix"]) and text[end:].startswith(quote["suffix"])
            source = text_target["source"]
            assert source["sha256"] == digest
            assert resolve_url(built, source["id"])[0].read_bytes() == raw
            page, passage_id = resolve_url(built, text_target["scope"])
            html = built.page(page.parent.relative_to(site).as_posix() + "/")
            css = page_target["selector"]
            assert css["type"] == "CssSelector" and css["value"] == f"#{passage_id} .passage-text"
            assert css["refinedBy"] == quote
            assert resolve_url(built, page_target["source"]["id"])[0] == page
            (element,) = html.select(css["value"])
            assert element.get_text().count(quote["prefix"] + quote["exact"] + quote["suffix"]) == 1
            textual, link = item["body"]
            assert textual["type"] == "TextualBody" and textual["value"]
            sheet, anchor = resolve_url(built, link["id"])
            assert anchor.startswith("claim-")
            assert item["id"].endswith(f"#{sheet.parent.name}/{anchor}")
    claims = sum(len(yaml.safe_load(p.read_text(encoding="utf-8"))["claims"])
                 for p in (REPO / "content").glob("*/*.yml"))
    assert total == claims


def test_plain_text_is_the_passages_joined_by_a_blank_line(site: Path, built: BuiltSite) -> None:
    for path in sorted((site / "data/articles").glob("*.txt")):
        text = path.read_bytes().decode("utf-8-sig")
        article = built.page(f"articles/{path.stem}/")
        assert text.split("\n\n") == [p.get_text() for p in article.select(".passage-text")]


def test_every_page_carries_valid_schema_org_json_ld(site: Path, built: BuiltSite) -> None:
    blocks = json_ld_blocks(built)
    generated = {url for url in blocks if not url.startswith("contributing")}
    assert all(len(blocks[url]) == 1 and blocks[url][0]["@context"] == "https://schema.org"
               for url in generated), [url for url in generated if len(blocks[url]) != 1]
    assert blocks[""][0]["@type"] == "WebSite" and blocks["actors"][0]["@type"] == "CollectionPage"
    assert blocks["open-data"][0]["@type"] == "Dataset"
    for url in ("actors", "timeline"):
        for item in blocks[url][0]["mainEntity"]["itemListElement"]:
            resolve_url(built, item["url"])
    kinds = {"actors": {"Person", "Organization", "Thing"}, "equipment": {"Product", "Thing"},
             "agreements": {"Thing"}, "places": {"Place"}, "events": {"Event"}}
    sheets = 0
    for url, found in blocks.items():
        kind = url.split("/")[0]
        if kind in kinds and url.count("/") == 1:
            assert len(found) == 1, url
            data = found[0]
            assert data["@context"] == "https://schema.org"
            assert data["@type"] in kinds[kind], (url, data["@type"])
            assert resolve_url(built, data["url"])[0] == site / url / "index.html"
            for article in data["subjectOf"]:
                resolve_url(built, article["url"])
            assert "sameAs" not in data  # no seed sheet records one
            sheets += 1
    assert sheets == len(list((REPO / "content").glob("*/*.yml")))
    (news,) = blocks[f"articles/{ARTICLE}"]
    assert news["@type"] == "NewsArticle"
    assert news["headline"].startswith("Russian fighters flown out")
    assert not {"datePublished", "author", "publisher"} & set(news)
    assert news["about"] and news["mentions"]
    for ref in [*news["about"], *news["mentions"]]:
        resolve_url(built, ref["url"])
    assert {"Person", "Organization"} <= {ref["@type"] for ref in [*news["about"], *news["mentions"]]}


def test_timeline_export_keeps_each_dates_precision(site: Path, built: BuiltSite) -> None:
    timeline = json.loads((site / "data/timeline.json").read_text(encoding="utf-8"))
    sheets = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
              for p in (REPO / "content/events").glob("*.yml")}
    assert len(timeline["events"]) + len(timeline["undated_events"]) == len(sheets)
    for event in timeline["events"]:
        date = sheets[event["unique_id"]]["date"]
        start = event["start_date"]
        assert start["display_date"].startswith(date["as_written"])
        if event["lane"] == "dated":  # exactly as precise as the words, never more
            given = [part for part in date["edtf"].split("/")[0].split("-") if part.isdigit()]
            assert [str(start.get(key)).zfill(len(part)) for key, part in
                    zip(("year", "month", "day"), given, strict=False)] == given
            assert len([k for k in ("year", "month", "day") if k in start]) == len(given)
        else:
            assert event["lane"] == "anchored" and "placed from the article's date" in start["display_date"]
        resolve_url(built, event["url"])
    for event in timeline["undated_events"]:
        date = sheets[event["unique_id"]]["date"]
        assert event["display_date"] == date.get("as_written")
        assert event["what_is_missing"]
        assert not (date.get("edtf") or "XXXX")[:4].isdigit()
        resolve_url(built, event["url"])


def test_feed_and_sitemap_list_the_published_pages(site: Path, built: BuiltSite) -> None:
    feed = ET.parse(site / "feed.xml").getroot()
    links = [item.findtext("link") for item in feed.iter("item")]
    articles = {p.stem for p in (REPO / "content/articles").glob("*.md")}  # any number of them
    assert len(links) == len(articles) and set(links) == {f"{built.site_url}articles/{a}/" for a in articles}
    for link in links:
        resolve_url(built, link or "")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {loc.text for loc in ET.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", ns)}
    assert f"{built.site_url}actors/wagner-group/" in locs
    assert f"{built.site_url}articles/{ARTICLE}/" in locs
    for loc in locs:
        resolve_url(built, loc or "")


def test_open_data_page_links_every_export(site: Path, built: BuiltSite) -> None:
    page = built.page("open-data/")
    hrefs = [a["href"] for a in page.select(".open-data a[href]") if not a["href"].startswith("http")]
    articles = list((REPO / "content/articles").glob("*.md"))
    assert len(hrefs) == 2 * len(articles) + 3  # annotations and text per article, timeline, feed, sitemap
    for href in hrefs:
        assert (site / urljoin("open-data/", href)).is_file(), href


def test_without_a_site_url_export_links_are_relative_to_their_file() -> None:
    linker = Linker(None)
    assert linker.page("data/annotations/a.jsonld", "actors/x.md", "claim-1") == "../../actors/x/#claim-1"
    assert linker.file("data/timeline.json", "data/articles/a.txt") == "articles/a.txt"
    assert linker.page(linker.output_of("actors/x.md"), "index.md") == "../../"
    absolute = Linker("https://example.org/x")
    assert absolute.page("feed.xml", "articles/a.md") == "https://example.org/x/articles/a/"


def test_a_build_without_a_site_url_carries_no_local_address(harbour: ProjectDir) -> None:
    built = build_site(harbour)
    assert ("No site_url set (SITE_URL): the open data use relative URLs and the RSS feed, which needs "
            "absolute ones, is left out. Set SITE_URL to the published address.") in built.log
    assert not (built.root / "feed.xml").exists()
    for path in built.root.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".jsonld", ".xml", ".txt"):
            text = path.read_text(encoding="utf-8")
            assert "127.0.0.1" not in text and "localhost" not in text, path
    (sheet,) = json_ld_blocks(built)["places/harbour"]
    assert sheet["url"] == "./"
    annotations = json.loads((built.root / "data/annotations/ships.jsonld").read_text(encoding="utf-8"))
    assert annotations["id"] == "ships.jsonld"
    assert "RSS" in built.page("open-data/").select_one("#feeds + p").get_text()
