"""The real site, built from the repository's own content with the real MkDocs."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urldefrag, urljoin, urlparse, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, BuiltSite

from generator.model import KINDS
from generator.pipeline import Project, check
from generator.resolve import Resolved

ARTICLE_URL = "articles/russian-fighters-flown-out/"


@pytest.fixture
def site(seed_site: BuiltSite) -> BuiltSite:
    return seed_site


def pages(site: BuiltSite) -> dict[str, BeautifulSoup]:
    return {url: page for url, page in site.pages().items() if url == "" or url.endswith("/")}


@pytest.fixture(scope="module")
def content() -> Resolved:
    """The repository's content, as the core reads it (any number of articles)."""
    return check(Project.at(REPO))


def test_every_article_page_has_its_passages_in_order_with_their_text(site: BuiltSite,
                                                                      content: Resolved) -> None:
    assert content.articles
    for slug, article in content.articles.items():
        page = site.page(f"articles/{slug}/")
        passages = page.select("section.passage")
        assert [p["id"] for p in passages] == [p.id for p in article.passages]
        assert [p.select_one(".passage-text").get_text() for p in passages] == [
            p.text for p in article.passages]
        assert page.select_one("h1").get_text() == article.title


def test_every_citation_lands_on_a_passage_whose_margin_lists_the_citing_sheet(site: BuiltSite) -> None:
    built = pages(site)
    checked = 0
    for url, page in built.items():
        for link in page.select("a.cite"):
            target = urljoin("/" + url, link["href"])
            parsed = urlparse(target)
            target_page = built[parsed.path.lstrip("/")]
            passage = target_page.select_one(f"section.passage#{parsed.fragment}")
            assert passage is not None, (url, link["href"])
            citation = link["data-citation"]
            assert parse_qs(parsed.query)["cite"] == [citation]
            marks = [m for m in passage.select("mark.quote") if citation in m["data-citations"].split()]
            assert marks, (url, citation)  # the landing highlight has words to mark
            if citation.startswith("_story/"):
                continue  # the home page's story is no sheet: it has no place in the margin
            margin = [a for a in passage.select(".margin a.margin-sheet")
                      if citation in a["data-citations"].split()]
            sheet = citation.split("/")[0]
            assert len(margin) == 1 and margin[0]["href"].rstrip("/").endswith(sheet), (url, citation)
            checked += 1
    assert checked >= sum(1 for page in built.values() for _ in page.select("li.claim"))


def test_every_claims_quoted_words_are_marked_in_its_passage(site: BuiltSite) -> None:
    built = pages(site)
    for url, page in built.items():
        for claim in page.select("li.claim"):
            cite = claim.select_one("a.cite")
            quote = " ".join(claim.select_one("q.quote").get_text().split())
            target, passage_id = urldefrag(urljoin(f"http://x/{url}", cite["href"]))
            article = built[urlsplit(target).path.lstrip("/")]  # the article the claim quotes
            marks = article.select(f"#{passage_id} mark.quote")
            cited = [m for m in marks if cite["data-citation"] in m["data-citations"].split()]
            assert " ".join("".join(m.get_text() for m in cited).split()) == quote, (url, quote)


def test_every_sheet_page_is_reachable_from_its_kind_index(site: BuiltSite) -> None:
    built = pages(site)
    for kind in KINDS:
        index = built[f"{kind}/"]
        linked = {urljoin(f"/{kind}/", a["href"]) for a in index.select("a.entry-name")}
        sheets = {"/" + url for url in built if re.fullmatch(rf"{kind}/[a-z0-9-]+/", url)}
        assert linked == sheets
        assert sheets


def test_navigation_stays_small(site: BuiltSite) -> None:
    home = site.page("")
    nav_links = home.select("nav.md-nav--primary > ul.md-nav__list > li.md-nav__item > a.md-nav__link[href]")
    assert 0 < len(nav_links) <= 12


def test_the_site_is_self_contained(site: BuiltSite) -> None:
    for path in site.root.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html, path
        page = BeautifulSoup(html, "html.parser")
        # Canonical and alternate links name the published address; browsers do not fetch them.
        for tag in page.select("script[src], link[href]:not([rel=canonical]):not([rel=alternate]), img[src]"):
            ref = tag.get("src") or tag.get("href")
            assert not urlparse(ref).netloc, (path, ref)


def test_generated_pages_are_not_committed() -> None:
    for kind in ("actors", "equipment", "agreements", "places", "events", "articles"):
        assert not (REPO / "docs" / kind).exists()
    assert not (REPO / "docs" / "index.md").exists()


def test_the_search_index_gets_names_and_claims_and_the_page_gets_everything(site: BuiltSite) -> None:
    turkey = site.page("actors/turkey/")
    assert turkey.select("figure.relgraph svg a.relgraph-node")
    assert turkey.select_one("template.explainer-previews") is not None
    assert turkey.select("blockquote.claim-source q.quote") and turkey.select("a.cite")
    index = json.loads((site.root / "search/search_index.json").read_text(encoding="utf-8"))
    entries = {d["location"]: d["text"] for d in index["docs"] if d["location"].startswith("actors/turkey/")}
    assert set(entries) == {"actors/turkey/", "actors/turkey/#claims", "actors/turkey/#relations"}
    claims = [" ".join(p.get_text().split()) for p in turkey.select("p.claim-text")]
    assert claims and all(claim in entries["actors/turkey/#claims"] for claim in claims)
    # Citation links ("p3") and the neighbour graph are not in the index.
    assert not re.search(r"\bp\d+\b", " ".join(entries.values()))
    assert not any("{" in text or "graph" in text for text in entries.values())
    # The article's words are indexed once, on the article's page, each passage as its own entry
    # so that a hit lands on its passage.
    passage = [d for d in index["docs"] if "flown away from the front lines of the civil war" in d["text"]
               and d["location"].startswith("articles/")]
    assert [d["location"] for d in passage] == [f"{ARTICLE_URL}#p1"]


def test_every_internal_link_and_anchor_of_every_page_exists(site: BuiltSite) -> None:
    # MkDocs validates links in Markdown, never in the generated pages' HTML: check them all here.
    ids = {url: {tag["id"] for tag in page.select("[id]")} for url, page in site.pages().items()}
    broken, checked = [], 0
    for url, page in site.pages().items():
        for tag in page.select("a[href], area[href], a[xlink\\:href]"):
            href = tag.get("href") or tag["xlink:href"]
            parsed = urlparse(urljoin(f"{site.site_url}{url}", href))
            if not parsed.geturl().startswith(str(site.site_url)):
                continue
            target = parsed.path.removeprefix(urlparse(site.site_url).path)
            if target != "" and not target.endswith("/") and (site.root / target).is_dir():
                target += "/"
            if not site.file(target).is_file():
                broken.append((url, href, "no such page"))
            elif parsed.fragment and target in ids and parsed.fragment not in ids[target]:
                broken.append((url, href, "no such anchor"))
            checked += 1
    assert broken == []
    assert checked > 500
