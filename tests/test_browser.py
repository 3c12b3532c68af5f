"""The reader's experience in a real Chromium (Playwright driving Debian's /usr/bin/chromium)."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import REPO, BuiltSite
from playwright.sync_api import Browser, Page, expect
from static_server import StaticServer

from generator.model import KINDS

SCREENSHOTS = REPO / "test-output" / "screenshots"
ARTICLE = "articles/russian-fighters-flown-out/"
PAGE_KINDS = {
    "home": "",
    "article": ARTICLE,
    "sheet": "actors/wagner-group/",
    "event": None,  # filled in from the site: the first event sheet
    "kind index": "actors/",
    "timeline": "timeline/",
    "graph": "graph/",
    "contributing": "contributing/",
    "open data": "open-data/",
}


@pytest.fixture
def site(served_seed: StaticServer, seed_site: BuiltSite) -> StaticServer:
    served_seed.root = seed_site.root  # type: ignore[attr-defined]
    return served_seed


def page_kinds(site: StaticServer) -> dict[str, str]:
    kinds = dict(PAGE_KINDS)
    events = sorted(p.parent.name for p in (site.root / "events").glob("*/index.html"))  # type: ignore[attr-defined]
    kinds["event"] = f"events/{events[0]}/"
    return kinds


def open_page(browser: Browser, url: str, **context: object) -> tuple[Page, list[str], list[str]]:
    """A new page at ``url``; returns it with the console errors and every URL it requested."""
    page = browser.new_context(**context).new_page()  # type: ignore[arg-type]
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url)
    return page, errors, requests


def search(page: Page, query: str) -> None:
    """Type ``query`` into Material's search box."""
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=20)


def shot(page: Page, name: str, full_page: bool = False) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


# Citation previews ----------------------------------------------------------

def test_hovering_a_citation_previews_the_passage_with_the_quote_marked(site: StaticServer,
                                                                       browser: Browser) -> None:
    page, errors, _ = open_page(browser, site.url("actors/wagner-group/"))
    claim = page.locator("li.claim").first
    quote = claim.locator("q.quote").inner_text()
    cite = claim.locator("a.cite")
    cite.hover()
    popover = page.locator("#explainer-popover")
    expect(popover).to_be_visible()
    expect(popover.locator("mark.quote")).to_have_text(quote)
    passage_id = cite.inner_text()
    assert popover.locator(".preview-head").inner_text().startswith(passage_id + " \u00b7 ")
    shot(page, "preview-hover")
    page.mouse.move(0, 0)
    expect(popover).to_be_hidden()
    assert page.url == site.url("actors/wagner-group/")
    assert errors == []


def test_keyboard_focus_opens_the_preview_and_escape_closes_it(site: StaticServer, browser: Browser) -> None:
    page, _, _ = open_page(browser, site.url("actors/wagner-group/"))
    cite = page.locator("li.claim a.cite").nth(1)
    cite.focus()
    popover = page.locator("#explainer-popover")
    expect(popover).to_be_visible()
    expect(cite).to_have_attribute("aria-describedby", "explainer-popover")
    page.keyboard.press("Escape")
    expect(popover).to_be_hidden()
    expect(cite).not_to_have_attribute("aria-describedby", "explainer-popover")
    assert page.evaluate("document.activeElement.classList.contains('cite')")
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    expect(popover).to_be_visible()


def test_tapping_a_citation_on_touch_previews_then_its_link_follows(site: StaticServer,
                                                                   browser: Browser) -> None:
    page, _, _ = open_page(browser, site.url("actors/wagner-group/"), has_touch=True, is_mobile=True,
                           viewport={"width": 390, "height": 844})
    cite = page.locator("li.claim a.cite").first
    cite.tap()
    popover = page.locator("#explainer-popover")
    expect(popover).to_be_visible()
    assert page.url == site.url("actors/wagner-group/")
    box = popover.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    shot(page, "preview-touch-390")
    popover.locator("a.preview-go").tap()
    page.wait_for_url(re.compile(re.escape(site.url(ARTICLE)) + r"\?cite=wagner-group/claim-1#p\d+"))


def test_article_margin_previews_the_citing_claims(site: StaticServer, browser: Browser) -> None:
    page, _, _ = open_page(browser, site.url(ARTICLE))
    item = page.locator("#p2 aside.cited-by li a").first
    citation = item.get_attribute("data-citation")
    item.hover()
    popover = page.locator("#explainer-popover")
    expect(popover).to_be_visible()
    expect(popover.locator(".preview-label")).to_have_text(
        page.locator(f'#p2 aside.cited-by li[data-citation="{citation}"] .cited-label').inner_text())
    related = page.locator("#p2 mark.quote.is-related")
    assert related.count() >= 1
    words = "".join(related.all_text_contents())
    expect(popover.locator(".preview-quote")).to_have_text(words)
    expect(popover.locator("a.preview-go")).to_have_attribute("href", item.get_attribute("href") or "")
    shot(page, "article-margin-preview")


# Landing --------------------------------------------------------------------

def test_following_a_citation_lands_on_the_passage_with_the_quote_marked(site: StaticServer,
                                                                         browser: Browser) -> None:
    page, _, _ = open_page(browser, site.url("actors/khalifa-haftar/"))
    claim = page.locator("li.claim").first
    quote = claim.locator("q.quote").inner_text()
    citation = claim.locator("a.cite").get_attribute("data-citation")
    passage_id = claim.locator("a.cite").inner_text()
    claim.locator("a.cite").click()
    page.wait_for_url(re.compile(rf".*#{passage_id}$"))
    passage = page.locator(f"section.passage#{passage_id}")
    expect(passage).to_be_in_viewport()
    targets = page.locator(f"#{passage_id} mark.quote.is-target")
    assert " ".join("".join(targets.all_inner_texts()).split()) == " ".join(quote.split())
    current = page.locator(f'#{passage_id} aside.cited-by li.is-current[data-citation="{citation}"]')
    expect(current).to_be_visible()
    expect(current).to_be_in_viewport()
    shot(page, "landing")


def test_landing_on_a_narrow_screen_keeps_the_citing_list_in_view(site: StaticServer,
                                                                  browser: Browser) -> None:
    article = open_page(browser, site.url(ARTICLE))[0]
    citation = article.locator("#p12 aside.cited-by li").last.get_attribute("data-citation")
    page, _, _ = open_page(browser, site.url(f"{ARTICLE}?cite={citation}#p12"),
                           viewport={"width": 390, "height": 844})
    current = page.locator(f'#p12 aside.cited-by li.is-current[data-citation="{citation}"]')
    expect(current).to_be_in_viewport()
    expect(page.locator("#p12 mark.quote.is-target").first).to_be_in_viewport()
    shot(page, "landing-390")


# Graph, coverage, search ----------------------------------------------------

def test_relationship_graph_draws_every_sheet_as_a_link_with_a_legend(site: StaticServer,
                                                                      browser: Browser) -> None:
    page, errors, _ = open_page(browser, site.url("graph/"))
    nodes = page.locator("svg.graph-svg a.graph-node")
    sheets = [p for kind in KINDS for p in (site.root / kind).glob("*/index.html")]  # type: ignore[attr-defined]
    assert nodes.count() == len(sheets)
    edges = page.locator("svg.graph-svg .graph-edge")
    assert edges.count() > 10
    assert all((t or "").strip() for t in page.locator(".graph-edge-label").all_text_contents())
    expect(page.locator(".graph-legend .legend-item")).to_have_count(5)
    shot(page, "graph", full_page=True)
    nodes.filter(has_text="Turkey").first.click()
    page.wait_for_url(site.url("actors/turkey/"))
    neighbours = page.locator("#neighbours + figure svg a.graph-node")
    assert neighbours.count() >= 3
    assert page.locator("svg a.graph-node.is-center text").text_content() == "Turkey"
    assert errors == []


def test_coverage_shows_how_many_claims_cite_each_passage(site: StaticServer, browser: Browser) -> None:
    page, _, _ = open_page(browser, site.url(ARTICLE))
    bars = page.locator(".coverage-bar")
    expect(bars).to_have_count(13)
    boxes = [bars.nth(i).bounding_box() for i in range(13)]
    assert all(b is not None for b in boxes)
    # One row of bars, left to right, each as tall as its share of the busiest passage.
    assert len({round(b["y"]) for b in boxes if b}) == 1
    assert [b["x"] for b in boxes if b] == sorted(b["x"] for b in boxes if b)
    fills = [page.locator(".coverage-fill").nth(i).bounding_box() for i in range(13)]
    assert max(f["height"] for f in fills if f) > min(f["height"] for f in fills if f) > 0
    for n in range(1, 14):
        count = int(bars.nth(n - 1).get_attribute("data-count") or "-1")
        assert count == page.locator(f"#p{n} aside.cited-by li").count()
        assert count >= 1
    shot(page, "article", full_page=False)


@pytest.mark.parametrize(("query", "expected"), [
    ("Pantsir", "equipment/pantsir/"),
    ("Wagner Group", "actors/wagner-group/"),
    ("Libyan National Army", "actors/libyan-national-army/"),
])
def test_search_finds_sheets_by_name_and_alias(site: StaticServer, browser: Browser, query: str,
                                               expected: str) -> None:
    page, _, _ = open_page(browser, site.url(""))
    search(page, query)
    results = page.locator(".md-search-result__item a.md-search-result__link")
    expect(results.first).to_be_visible()
    hrefs = [h or "" for h in results.evaluate_all("els => els.map(e => e.getAttribute('href'))")]
    paths = [urlparse(h).path for h in hrefs]
    assert site.url(expected).removeprefix(site.origin) in paths, paths


def test_search_finds_a_sheet_by_an_alias_alone(site: StaticServer, browser: Browser) -> None:
    page, _, _ = open_page(browser, site.url("equipment/pantsir/"))
    aliases = page.locator(".alias").all_inner_texts()
    lna = open_page(browser, site.url("actors/libyan-national-army/"))[0]
    lna_aliases = lna.locator(".alias").all_inner_texts()
    assert "LNA" in lna_aliases, lna_aliases
    search(page, "LNA")
    results = page.locator(".md-search-result__item a.md-search-result__link")
    expect(results.first).to_be_visible()
    hrefs = results.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert any("actors/libyan-national-army" in (h or "") for h in hrefs), (hrefs, aliases)


def test_search_finds_a_claim_by_its_words_in_the_sheets_claims_section(site: StaticServer,
                                                                         browser: Browser) -> None:
    # The index gets each sheet's search version: claim texts, not the quotes or links.
    page, _, _ = open_page(browser, site.url(""))
    search(page, "Watiya southwest")
    links = page.locator(".md-search-result__item a")
    expect(links.first).to_be_visible()
    hrefs = [urlparse(h or "").path + "#" + urlparse(h or "").fragment
             for h in links.evaluate_all("els => els.map(e => e.getAttribute('href'))")]
    assert site.url("places/watiya-airbase/").removeprefix(site.origin) + "#claims" in hrefs, hrefs


# Self-contained, accessible, responsive ---------------------------------------

def test_no_request_leaves_the_sites_own_origin_and_no_console_errors(site: StaticServer,
                                                                     browser: Browser) -> None:
    for name, path in page_kinds(site).items():
        page, errors, requests = open_page(browser, site.url(path))
        search(page, "Turkey")  # search loads its index and worker
        expect(page.locator(".md-search-result__item").first).to_be_visible()
        outside = [u for u in requests if not u.startswith(site.origin) and not u.startswith("data:")]
        assert outside == [], (name, outside)
        assert errors == [], (name, errors)
        page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_or_critical_axe_violations_on_any_page_kind(site: StaticServer, browser: Browser,
                                                                scheme: str) -> None:
    axe = Axe()
    found = {}
    for name, path in page_kinds(site).items():
        page, _, _ = open_page(browser, site.url(path), color_scheme=scheme)
        expected = "slate" if scheme == "dark" else "default"
        assert page.locator("body").get_attribute("data-md-color-scheme") == expected
        violations = axe.run(page).response["violations"]
        bad = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations
               if v["impact"] in ("serious", "critical")]
        found[name] = bad
        if name in ("article", "sheet"):
            shot(page, f"{name}-{scheme}")
        page.context.close()
    assert found == {name: [] for name in found}


def test_every_page_kind_fits_a_390px_screen(site: StaticServer, browser: Browser) -> None:
    for name, path in page_kinds(site).items():
        page, _, _ = open_page(browser, site.url(path), viewport={"width": 390, "height": 844})
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (name, overflow)
        if name in ("article", "sheet", "graph", "home"):
            shot(page, f"{name}-390", full_page=True)
        page.context.close()


def test_home_lays_the_kind_cards_out_as_a_grid(site: StaticServer, browser: Browser) -> None:
    page, _, _ = open_page(browser, site.url(""), viewport={"width": 1280, "height": 900})
    cards = page.locator("ul.kind-cards > li")
    expect(cards).to_have_count(5)
    boxes = [cards.nth(i).bounding_box() for i in range(5)]
    rows = {round(b["y"]) for b in boxes if b}
    assert len(rows) < 5, "the cards stack in a single column"
    shot(page, "home")


def test_previews_and_landing_work_after_instant_navigation(site: StaticServer, browser: Browser) -> None:
    # Material's instant navigation swaps pages without reloading the script.
    page, errors, _ = open_page(browser, site.url(""))
    page.evaluate("window.loadedOnce = true")  # gone if a page loads in full
    page.locator("nav.md-tabs a", has_text="Actors").first.click()
    page.wait_for_url(site.url("actors/"))
    page.locator("a.entry-name", has_text="Wagner").first.click()
    page.wait_for_url(site.url("actors/wagner-group/"))
    expect(page.locator("h1")).to_have_text("Wagner")
    assert page.evaluate("window.loadedOnce") is True
    claim = page.locator("li.claim").first
    quote = claim.locator("q.quote").inner_text()
    cite = claim.locator("a.cite")
    cite.hover()
    popover = page.locator("#explainer-popover")
    expect(popover).to_be_visible()
    expect(popover.locator("mark.quote")).to_have_text(quote)
    passage_id = cite.inner_text()
    cite.click()
    page.wait_for_url(re.compile(rf".*#{passage_id}$"))
    targets = page.locator(f"#{passage_id} mark.quote.is-target")
    expect(targets.first).to_be_visible()
    assert " ".join("".join(targets.all_inner_texts()).split()) == " ".join(quote.split())
    assert errors == []
