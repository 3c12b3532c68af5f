"""The W3C Web Annotations anchor with Apache Annotator, in Chromium, where readers meet the text.

Every TextQuoteSelector in ``data/annotations/<slug>.jsonld`` must anchor exactly once, on its
``exact`` words, in two representations of the article:

(a) the plain-text source ``data/articles/<slug>.txt`` as Chromium shows it when a host serves it as
    ``text/plain`` without a charset (Chromium then guesses windows-1252 unless the file says otherwise);
(b) the built article page, searched within the article's content (``div.explainer.article``), where
    passages are separate elements and each has a "Cited by" aside that repeats article words.

Both hold: prefixes and suffixes stay within the quote's passage, the plain text starts with a
byte-order mark (so Chromium decodes it as UTF-8 with no charset), and each annotation also targets
the page itself (the passage's element, refined by the quote). Run with ``-s`` to see the counts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from annotator import (
    Selector,
    anchor,
    failures,
    page_selectors,
    position_selectors,
    quote_selectors,
    text_target,
)
from conftest import BuiltSite
from playwright.sync_api import Browser
from static_server import StaticServer

ARTICLE_ROOT = "div.explainer.article"
"""The article page's content: heading, lede, coverage strip, passages with their asides."""
TEXT_ROOT = "body > pre"
"""Where Chromium puts a text/plain document."""
NO_CHARSET = ("data/articles/*.txt does not declare its encoding: served as text/plain without a charset, "
              "Chromium decodes it as windows-1252 and curly quotes no longer match")
SHIFTED = ("without a declared encoding each curly quote decodes to three characters, so every offset "
           "after the first one shifts")
ACROSS_PASSAGES = ("prefixes and suffixes run across passage boundaries (a blank line in the text, "
                   "a 'Cited by' aside on the page), so most quotes do not anchor on the article page")

Annotations = dict[str, dict[str, Any]]
"""Every article's AnnotationCollection, by slug."""


@pytest.fixture(scope="module")
def built_site(seed_site: BuiltSite) -> Path:
    """The session's seed build (the repository's content, real templates and config)."""
    return seed_site.root


@pytest.fixture(scope="module")
def collections(built_site: Path) -> Annotations:
    """Every article's AnnotationCollection, by slug."""
    files = sorted((built_site / "data" / "annotations").glob("*.jsonld"))
    assert files, "the build wrote no data/annotations/*.jsonld"
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in files}


def anchor_at(browser: Browser, url: str, selectors: list[Selector], root: str) -> list[list[str]]:
    """Open ``url`` in a fresh page and anchor ``selectors`` within ``root``."""
    page = browser.new_page()
    try:
        page.goto(url)
        return anchor(page, selectors, root)
    finally:
        page.close()


def report(what: str, total: int, failed: list[tuple[Selector, list[str]]]) -> str:
    """One line of counts and the first failures, for the test output and assertion messages."""
    lines = [f"{what}: {total - len(failed)} of {total} anchored, {len(failed)} failed"]
    for selector, found in failed[:5]:
        shown = repr(selector["exact"]) if "exact" in selector else f"[{selector['start']}:{selector['end']}]"
        lines.append(f"  {selector['type']} {shown:.70} matched {len(found)}x: {[f[:40] for f in found[:3]]}")
    text = "\n".join(lines)
    print(text)
    return text


def check_text(browser: Browser, built_site: Path, collections: Annotations,
               content_type: str, kind: str) -> None:
    """Every selector of ``kind`` anchors once on ``exact`` in the plain text served as ``content_type``."""
    problems, total = [], 0
    with StaticServer(built_site, content_types={".txt": content_type}) as server:
        for slug, collection in collections.items():
            quotes = quote_selectors(collection)
            selectors = quotes if kind == "quote" else position_selectors(collection)
            source = text_target(collection["first"]["items"][0])["source"]["id"]
            assert source.endswith(f"data/articles/{slug}.txt"), source
            matches = anchor_at(browser, server.url(f"data/articles/{slug}.txt"), selectors, TEXT_ROOT)
            problems += failures(selectors, matches, [q["exact"] for q in quotes])
            total += len(selectors)
    message = report(f"{kind} selectors in the plain text served as {content_type!r}", total, problems)
    assert problems == [], message


def test_annotations_exist_for_every_article(built_site: Path, collections: Annotations) -> None:
    articles = sorted(p.stem for p in (built_site / "data" / "articles").glob("*.txt"))
    assert sorted(collections) == articles
    assert all(quote_selectors(c) for c in collections.values())


def test_quotes_and_positions_anchor_in_the_plain_text_served_with_its_charset(
        browser: Browser, built_site: Path, collections: Annotations) -> None:
    check_text(browser, built_site, collections, "text/plain; charset=utf-8", "quote")
    check_text(browser, built_site, collections, "text/plain; charset=utf-8", "position")


def test_quotes_anchor_in_the_plain_text_served_without_a_charset(
        browser: Browser, built_site: Path, collections: Annotations) -> None:
    check_text(browser, built_site, collections, "text/plain", "quote")


def test_positions_anchor_in_the_plain_text_served_without_a_charset(
        browser: Browser, built_site: Path, collections: Annotations) -> None:
    check_text(browser, built_site, collections, "text/plain", "position")


def test_quotes_anchor_once_on_the_article_page(browser: Browser, served_seed: StaticServer,
                                               collections: Annotations) -> None:
    problems, total = [], 0
    server = served_seed  # the seed site is built for this server's address
    for slug, collection in collections.items():
        quotes = quote_selectors(collection)
        scope = text_target(collection["first"]["items"][0])["scope"]
        assert scope.split("#")[0].endswith(f"articles/{slug}/"), scope
        # The bare quote (its context stays within the passage) anchors in the article's content ...
        matches = anchor_at(browser, server.url(f"articles/{slug}/"), quotes, ARTICLE_ROOT)
        problems += failures(quotes, matches)
        # ... and so does the page's own target: the passage's element, refined by the quote.
        on_page = page_selectors(collection)
        matches = anchor_at(browser, server.url(f"articles/{slug}/"), on_page, "body")
        problems += failures(on_page, matches, [s["refinedBy"]["exact"] for s in on_page])
        total += len(quotes) + len(on_page)
    message = report(f"quote selectors on the article pages within {ARTICLE_ROOT}", total, problems)
    assert problems == [], message
