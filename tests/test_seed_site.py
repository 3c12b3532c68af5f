"""The real site, built from the repository's own content with the real MkDocs."""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin, urlparse

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, ProjectDir, make_project

ARTICLE_URL = "articles/russian-fighters-flown-out/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> ProjectDir:
    project = make_project(tmp_path_factory.mktemp("seed") / "project", seed=True)
    result = project.mkdocs_build()
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return project


def pages(site: ProjectDir) -> dict[str, BeautifulSoup]:
    out = {}
    for path in sorted((site.root / "site").rglob("index.html")):
        url = path.parent.relative_to(site.root / "site").as_posix()
        out["" if url == "." else url + "/"] = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return out


def seed_paragraphs() -> list[str]:
    text = (REPO / "content/articles/russian-fighters-flown-out.md").read_text(encoding="utf-8")
    body = text.split("---", 2)[2]
    return [" ".join(p.split()) for p in body.split("\n\n") if p.strip()]


def test_article_has_13_passages_in_order_with_the_articles_text(site: ProjectDir) -> None:
    article = BeautifulSoup(site.html(ARTICLE_URL), "html.parser")
    passages = article.select("section.passage")
    assert [p["id"] for p in passages] == [f"p{n}" for n in range(1, 14)]
    texts = [" ".join(p.select_one(".passage-text").get_text().split()) for p in passages]
    assert texts == [" ".join(t.split()) for t in seed_paragraphs()]


def test_every_citation_lands_on_a_passage_that_lists_the_citing_page(site: ProjectDir) -> None:
    built = pages(site)
    checked = 0
    for url, page in built.items():
        for link in page.select("a.cite"):
            target = urljoin("/" + url, link["href"])
            parsed = urlparse(target)
            target_page = built[parsed.path.lstrip("/")]
            passage = target_page.select_one(f"section.passage#{parsed.fragment}")
            assert passage is not None, (url, link["href"])
            if url.startswith(("actors/", "equipment/", "agreements/", "places/", "events/")):
                citing = {urljoin("/" + parsed.path.lstrip("/"), a["href"]).split("#")[0]
                          for a in passage.select("aside.cited-by a")}
                own = {"/" + url} | {urljoin("/" + url, a["href"]) for a in page.select(
                    "li.relation-in a.relation-source")}
                assert citing & own, (url, link["href"])
            checked += 1
    assert checked > 50


def test_every_claims_quoted_words_are_marked_in_its_passage(site: ProjectDir) -> None:
    built = pages(site)
    article = built[ARTICLE_URL]
    for url, page in built.items():
        for claim in page.select("li.claim"):
            cite = claim.select_one("a.cite")
            quote = " ".join(claim.select_one("q.quote").get_text().split())
            passage_id = cite["href"].split("#")[1]
            marks = article.select(f"#{passage_id} mark.quote")
            cited = [m for m in marks if cite["data-citation"] in m["data-citations"].split()]
            assert " ".join("".join(m.get_text() for m in cited).split()) == quote, (url, quote)


def test_every_sheet_page_is_reachable_from_its_kind_index(site: ProjectDir) -> None:
    built = pages(site)
    for kind in ("actors", "equipment", "agreements", "places", "events"):
        index = built[f"{kind}/"]
        linked = {urljoin(f"/{kind}/", a["href"]) for a in index.select("a.entry-name")}
        sheets = {"/" + url for url in built if re.fullmatch(rf"{kind}/[a-z0-9-]+/", url)}
        assert linked == sheets
        assert sheets


def test_navigation_stays_small(site: ProjectDir) -> None:
    home = BeautifulSoup(site.html(""), "html.parser")
    nav_links = home.select("nav.md-nav--primary a.md-nav__link[href]")
    assert 0 < len(nav_links) <= 12


def test_the_site_is_self_contained(site: ProjectDir) -> None:
    for path in (site.root / "site").rglob("*.html"):
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


def test_the_search_index_gets_names_and_claims_and_the_page_gets_everything(site: ProjectDir) -> None:
    turkey = BeautifulSoup(site.html("actors/turkey"), "html.parser")
    assert turkey.select("figure.explainer-graph svg a.graph-node")
    assert turkey.select_one("script.explainer-previews") is not None
    assert turkey.select("p.claim-source q.quote") and turkey.select("a.cite")
    index = json.loads((site.root / "site/search/search_index.json").read_text(encoding="utf-8"))
    entries = {d["location"]: d["text"] for d in index["docs"] if d["location"].startswith("actors/turkey/")}
    assert set(entries) == {"actors/turkey/", "actors/turkey/#claims", "actors/turkey/#relations"}
    claims = [" ".join(p.get_text().split()) for p in turkey.select("p.claim-text")]
    assert claims and all(claim in entries["actors/turkey/#claims"] for claim in claims)
    # Citation links ("p3") and the neighbour graph are not in the index.
    assert not re.search(r"\bp\d+\b", " ".join(entries.values()))
    assert not any("{" in text or "graph" in text for text in entries.values())
    # The article's words are indexed once, on the article's page.
    article = [d for d in index["docs"] if d["location"] == "articles/russian-fighters-flown-out/"]
    assert len(article) == 1 and "flown away from the front lines" in article[0]["text"]
