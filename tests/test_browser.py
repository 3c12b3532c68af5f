"""The reader's experience in a real Chromium (Playwright driving Debian's /usr/bin/chromium)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import REPO, BuiltSite
from playwright.sync_api import Browser, Locator, Page, expect
from static_server import StaticServer

from generator.graphs import OVERVIEW_SIZE
from generator.model import KINDS

SCREENSHOTS = REPO / "test-output" / "screenshots"
ARTICLE = "articles/russian-fighters-flown-out/"
WIDTHS = (1280, 390)
CITATIONS = "els => els.map(e => e.getAttribute('data-citations'))"
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
PAGE_KINDS = {
    "home": "",
    "article": ARTICLE,
    "sheet": "actors/wagner-group/",
    "event": None,  # filled in from the site: the first event sheet
    "kind index": "actors/",
    "articles index": "articles/",
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
    return {name: path for name, path in kinds.items() if path is not None}


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


@pytest.fixture
def pages(browser: Browser) -> Iterator[list[Page]]:
    """Pages the test opened, closed afterwards."""
    opened: list[Page] = []
    yield opened
    for page in opened:
        page.context.close()


def search(page: Page, query: str) -> None:
    """Put ``query`` in Material's search box, so that only its results ever show.

    Material sends the box's value to its search worker on every key released. Typed key by
    key, "GNA" also asks for "G" and "GN", and under load the list can still show one of
    those when it is read. The whole query goes in at once, and one key released sends it.
    """
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")


def result_paths(page: Page) -> list[str]:
    """The locations of the search results, in their order."""
    links = page.locator(".md-search-result__item > a.md-search-result__link")
    expect(links.first).to_be_visible()
    hrefs = links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    return [urlparse(h or "").path + ("#" + urlparse(h or "").fragment if urlparse(h or "").fragment else "")
            for h in hrefs]


def shot(page: Page, name: str, full_page: bool = False) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def serious(page: Page) -> list[tuple[str, list[object]]]:
    """axe-core's serious and critical violations on the page as it settles.

    Transitions finish first: axe reads colours as they are, and half-way through a fade (the
    header's title appears when the page scrolls) any text has too little contrast."""
    page.evaluate("Promise.all(document.getAnimations().map((a) => a.finished))")
    violations = Axe().run(page).response["violations"]
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations
            if v["impact"] in ("serious", "critical")]


# Citation previews ----------------------------------------------------------

def preview_first_claim(page: Page) -> tuple[Locator, Locator, str]:
    """Hover the first claim's citation; check the preview marks its quote. Returns the citation
    link, the preview and the quote."""
    claim = page.locator("li.claim").first
    quote = claim.locator("q.quote").inner_text()
    cite = claim.locator("a.cite")
    cite.hover()
    popover = page.locator("#explainer-popover")
    expect(popover).to_be_visible()
    expect(popover.locator("mark.quote")).to_have_text(quote)
    return cite, popover, quote


def test_hovering_a_citation_previews_the_passage_in_a_dialog_with_the_quote_marked(
        site: StaticServer, browser: Browser) -> None:
    page, errors, _ = open_page(browser, site.url("actors/wagner-group/"))
    cite, popover, _ = preview_first_claim(page)
    expect(popover).to_have_attribute("role", "dialog")
    assert page.locator("main #explainer-popover").count() == 1  # inside the main landmark
    passage = cite.get_attribute("href").split("#")[1].removeprefix("p")  # type: ignore[union-attr]
    assert popover.locator(".preview-head").inner_text().startswith(f"Passage {passage} \u00b7 ")
    shot(page, "preview-hover")
    page.mouse.move(0, 0)
    expect(popover).to_be_hidden()
    assert page.url == site.url("actors/wagner-group/")
    assert errors == []
    page.context.close()


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
    page.context.close()


def test_tapping_a_citation_on_touch_previews_then_its_link_follows(site: StaticServer,
                                                                   browser: Browser) -> None:
    page, _, _ = open_page(browser, site.url("actors/wagner-group/"), has_touch=True, is_mobile=True,
                           viewport={"width": 390, "height": 844})
    cite = page.locator("li.claim a.cite").first
    citation = cite.get_attribute("data-citation") or ""
    article = urldefrag(urljoin(page.url, cite.get_attribute("href") or "")).url.split("?")[0]
    cite.tap()
    popover = page.locator("#explainer-popover")
    expect(popover).to_be_visible()
    assert page.url == site.url("actors/wagner-group/")
    box = popover.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    shot(page, "preview-touch-390")
    popover.locator("a.preview-go").tap()
    page.wait_for_url(re.compile(re.escape(article) + rf"\?cite={re.escape(citation)}#p\d+"))
    page.context.close()


# The annotated article --------------------------------------------------------

def test_the_margin_marks_a_sheets_words_on_hover_and_focus(site: StaticServer, browser: Browser) -> None:
    page, errors, _ = open_page(browser, site.url(ARTICLE))
    link = page.locator("#p2 .margin a.margin-sheet").first
    ids = set((link.get_attribute("data-citations") or "").split())
    related = page.locator("#p2 mark.quote.is-related")
    expect(related).to_have_count(0)
    for action in (link.hover, link.focus):
        action()
        expect(related.first).to_be_visible()
        marked = related.evaluate_all(CITATIONS)
        assert marked and all(ids & set(m.split()) for m in marked)
        # every mark of this sheet's citations in the passage is marked, and no other
        every = page.locator("#p2 mark.quote").evaluate_all(CITATIONS)
        assert len(marked) == sum(1 for m in every if ids & set(m.split()))
        page.mouse.move(0, 0)
        page.locator("h1").first.click()
        expect(related).to_have_count(0)
    assert errors == []
    page.context.close()


def test_the_margin_and_its_claims_are_operable_by_keyboard(site: StaticServer, browser: Browser) -> None:
    page, _, _ = open_page(browser, site.url(ARTICLE))
    summary = page.locator("#p3 details.margin-claims summary")
    summary.focus()
    page.keyboard.press("Enter")
    claims = page.locator("#p3 details.margin-claims a")
    expect(claims.first).to_be_visible()
    claims.first.focus()
    expect(page.locator("#p3 mark.quote.is-related").first).to_be_visible()
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_following_a_citation_marks_exactly_that_claims_words(site: StaticServer, browser: Browser,
                                                              width: int) -> None:
    haftar = site.url("actors/khalifa-haftar/")
    page, _, _ = open_page(browser, haftar, viewport={"width": width, "height": 900})
    claim = page.locator("li.claim").first
    quote = claim.locator("q.quote").inner_text()
    cite = claim.locator("a.cite")
    citation = cite.get_attribute("data-citation")
    href = cite.get_attribute("href") or ""
    page.goto(urljoin(site.url("actors/khalifa-haftar/"), href))
    passage_id = href.split("#")[1]
    passage = page.locator(f"section.passage#{passage_id}")
    expect(passage).to_be_in_viewport()
    targets = page.locator("mark.quote.is-target")
    expect(targets.first).to_be_in_viewport()
    assert "".join(targets.all_inner_texts()) == quote
    assert all(citation in (c or "").split() for c in targets.evaluate_all(CITATIONS))
    expect(page.locator(f"#{passage_id} .margin a.margin-sheet.is-current")).to_have_count(1)
    shot(page, f"landing-{width}")
    page.context.close()


HIGHLIGHTED_SHARE = """() => {
  let all = 0, lit = 0;
  for (const p of document.querySelectorAll('.passage-text')) {
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const text = walker.currentNode.textContent.length;
      all += text;
      let el = walker.currentNode.parentElement, on = false;
      while (el && el !== p.parentElement) {
        const bg = getComputedStyle(el).backgroundColor;
        if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent' && el !== p) on = true;
        el = el.parentElement;
      }
      if (on) lit += text;
    }
  }
  return lit / all;
}"""

PLAIN_HEIGHT = """() => {
  const passages = document.querySelector('.passages');
  const plain = document.createElement('div');
  plain.className = 'plain-copy';
  for (const node of passages.querySelectorAll('.passage-text, .article-subhead')) {
    const copy = document.createElement(node.tagName === 'P' ? 'p' : node.tagName);
    copy.textContent = node.textContent;
    plain.appendChild(copy);
  }
  passages.parentElement.appendChild(plain);
  const height = plain.getBoundingClientRect().height;
  plain.remove();
  return [passages.getBoundingClientRect().height, height];
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_the_article_reads_as_prose(site: StaticServer, browser: Browser, width: int) -> None:
    page, errors, _ = open_page(browser, site.url(ARTICLE), viewport={"width": width, "height": 900})
    shown, plain = page.evaluate(PLAIN_HEIGHT)
    assert shown <= 2 * plain, (shown, plain)
    assert page.evaluate(HIGHLIGHTED_SHARE) <= 0.10
    assert page.evaluate(OVERFLOW) <= 0
    shot(page, f"article-{width}", full_page=True)
    assert errors == []
    page.context.close()


# Each margin's "claims" toggle against the sheet link before it: the horizontal overlap of the two
# where they share a line (Material pulls a summary 12 px into its neighbour), and how far apart
# their text's middles sit.
MARGIN_TOGGLE = """() => Array.from(document.querySelectorAll('.margin')).flatMap((margin) => {
  const toggle = margin.querySelector('details.margin-claims > summary');
  const links = margin.querySelectorAll('a.margin-sheet');
  if (!toggle || !links.length) return [];
  const link = links[links.length - 1].getClientRects();
  const last = link[link.length - 1], box = toggle.getBoundingClientRect();
  const middle = (r) => (r.top + r.bottom) / 2;
  // The toggle wrapped: it starts a line below, left of where the link starts.
  if (box.left <= last.left + 1 || Math.abs(middle(last) - middle(box)) > box.height) return [];
  return [[last.right - box.left, Math.abs(middle(last) - middle(box))]];
})"""


@pytest.mark.parametrize("width", WIDTHS)
def test_the_margins_claims_toggle_sits_on_the_line_after_the_last_sheet(site: StaticServer,
                                                                       browser: Browser, width: int) -> None:
    page, errors, _ = open_page(browser, site.url(ARTICLE), viewport={"width": width, "height": 900})
    pairs = page.evaluate(MARGIN_TOGGLE)
    assert pairs, "no margin has its toggle on the line of a sheet link"
    assert max(overlap for overlap, _ in pairs) <= 0.5, pairs
    assert max(apart for _, apart in pairs) <= 2, pairs
    assert errors == []
    page.context.close()


# Keyboard and search --------------------------------------------------------

def test_the_skip_link_is_the_first_tab_stop_and_skips_to_the_content(site: StaticServer,
                                                                      browser: Browser) -> None:
    # The last path runs on a CPU slowed tenfold, where Material's own handling of the link
    # (a refetch of the page) lost the focus and sent the next Tab back to the header.
    for path, slowdown in (("actors/turkey/", 1), (ARTICLE, 1), ("", 1), ("actors/turkey/", 10)):
        page, errors, requests = open_page(browser, site.url(path))
        if slowdown > 1:
            cdp = page.context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
            page.reload()
        page.mouse.wheel(0, 600)  # the reader has scrolled away from the heading
        page.keyboard.press("Tab")
        skip = page.locator("a.md-skip")
        expect(skip).to_be_focused()
        expect(skip).to_be_visible()
        heading = page.locator("h1").first
        fetched = len(requests)
        page.keyboard.press("Enter")
        expect(heading).to_be_focused()
        expect(heading).to_be_in_viewport()
        page.keyboard.press("Tab")
        inside = page.evaluate("!!document.activeElement.closest('.md-content')")
        assert inside, (path, page.evaluate("document.activeElement.outerHTML.slice(0, 100)"))
        assert len(requests) == fetched, requests[fetched:]  # no refetch of the page it is on
        assert errors == []
        page.context.close()


def test_hidden_search_results_never_take_focus(site: StaticServer, browser: Browser) -> None:
    page, _, _ = open_page(browser, site.url(""))
    for _ in range(12):
        page.keyboard.press("Tab")
        # What has focus is visible: itself, or the label that shows a visually hidden input.
        visible = page.evaluate("""() => { const el = document.activeElement;
            const shown = e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
                                 return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; };
            const label = el.id && document.querySelector(`label[for="${el.id}"]`);
            const next = el.matches('input.md-option') && el.nextElementSibling;
            return shown(el) || (!!label && shown(label)) || (!!next && shown(next)); }""")
        assert visible, page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
    page.context.close()


@pytest.mark.parametrize(("query", "expected", "kind"), [
    ("LNA", "actors/libyan-national-army/", "actor"),
    ("GNA", "actors/government-of-national-accord/", "actor"),
    ("Pantsir", "equipment/pantsir/", "equipment"),
    ("Watiya", "places/watiya-airbase/", "place"),
])
def test_an_exact_name_or_alias_ranks_its_sheet_first_and_says_its_kind(
        site: StaticServer, browser: Browser, query: str, expected: str, kind: str) -> None:
    page, _, _ = open_page(browser, site.url(""))
    search(page, query)
    paths = result_paths(page)
    assert paths[0] == urlparse(site.url(expected)).path, paths[:5]
    first = page.locator(".md-search-result__item").first
    assert kind in first.locator(".md-tag").all_inner_texts()
    page.context.close()


def test_a_search_hit_in_the_articles_words_lands_on_its_passage(site: StaticServer,
                                                                 browser: Browser) -> None:
    page, _, _ = open_page(browser, site.url(""))
    search(page, "humiliation")
    article = urlparse(site.url(ARTICLE)).path
    passages = [p for p in result_paths(page) if p.startswith(article + "#p")]
    assert passages and passages[0] == article + "#p10", passages
    page.context.close()


def test_search_finds_a_claim_by_its_words_in_the_sheets_claims_section(site: StaticServer,
                                                                         browser: Browser) -> None:
    page, _, _ = open_page(browser, site.url(""))
    search(page, "recaptured southwest")
    paths = result_paths(page)
    assert urlparse(site.url("places/watiya-airbase/")).path in paths, paths
    page.context.close()


# Self-contained, accessible, responsive ---------------------------------------

def test_no_request_leaves_the_sites_own_origin_and_no_console_errors(site: StaticServer,
                                                                     browser: Browser) -> None:
    for name, path in page_kinds(site).items():
        page, errors, requests = open_page(browser, site.url(path))
        if name == "home":
            search(page, "Turkey")  # search loads its index and worker (the same on every page)
            expect(page.locator(".md-search-result__item").first).to_be_visible()
        page.wait_for_load_state("load")
        outside = [u for u in requests if not u.startswith(site.origin) and not u.startswith("data:")]
        assert outside == [], (name, outside)
        assert errors == [], (name, errors)
        page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_or_critical_axe_violations_at_rest_or_in_use(site: StaticServer, browser: Browser,
                                                                 scheme: str) -> None:
    found = {}
    context = browser.new_context(color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    expected = "slate" if scheme == "dark" else "default"
    for name, path in page_kinds(site).items():
        page.goto(site.url(path))
        assert page.locator("body").get_attribute("data-md-color-scheme") == expected
        found[name] = serious(page)
    # After following a citation (the landing highlight), with a preview open, with search open.
    page.goto(site.url("actors/khalifa-haftar/"))
    first_cite = page.locator("a.cite").first.get_attribute("href") or ""
    page.goto(urljoin(site.url("actors/khalifa-haftar/"), first_cite))
    expect(page.locator("mark.quote.is-target").first).to_be_visible()
    page.locator(".margin a.margin-sheet").first.hover()
    found["article, landed, margin hovered"] = serious(page)
    shot(page, f"article-landed-{scheme}")
    page.goto(site.url("actors/wagner-group/"))
    page.locator("li.claim a.cite").first.hover()
    expect(page.locator("#explainer-popover")).to_be_visible()
    found["sheet, preview open"] = serious(page)
    shot(page, f"sheet-preview-{scheme}")
    search(page, "Turkey")
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    found["search open"] = serious(page)
    context.close()
    assert found == {name: [] for name in found}


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_kind_fits_the_screen(site: StaticServer, browser: Browser, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    for name, path in page_kinds(site).items():
        page.goto(site.url(path))
        overflow = page.evaluate(OVERFLOW)
        assert overflow <= 0, (name, overflow)
        if name in ("article", "sheet", "graph", "home", "timeline"):
            shot(page, f"{name}-{width}", full_page=True)
    context.close()


def test_home_tells_the_story_before_any_list(site: StaticServer, browser: Browser) -> None:
    page, _, _ = open_page(browser, site.url(""), viewport={"width": 1280, "height": 900})
    headings = page.locator(".explainer.home h2").all_inner_texts()
    assert headings.index("Who is on which side") < headings.index("Who and what the story involves")
    assert page.locator(".home-sides .side").count() == 2
    assert page.locator("table.figures tbody tr").count() >= 1
    cards = page.locator("ul.kind-cards > li")
    expect(cards).to_have_count(len(KINDS))
    rows = {round(b["y"]) for b in (cards.nth(i).bounding_box() for i in range(len(KINDS))) if b}
    assert len(rows) < len(KINDS), "the cards stack in a single column"
    shot(page, "home", full_page=True)
    page.context.close()


def test_the_graph_starts_from_what_a_reader_can_take_in_and_expands(site: StaticServer,
                                                                     browser: Browser) -> None:
    page, errors, _ = open_page(browser, site.url("graph/"))
    nodes = page.locator("svg.relgraph-svg a.relgraph-node")
    assert 3 <= nodes.count() <= OVERVIEW_SIZE
    # the table beside the drawing lists exactly the relations drawn
    edges = page.locator("svg.relgraph-svg g.relgraph-edge")
    rows = page.locator("table.relations-table tbody tr")
    assert rows.count() == edges.count() > 0
    # hovering a node highlights its edges and neighbours
    first = nodes.first
    slug = first.get_attribute("data-slug")
    first.hover()
    near = page.locator("svg.relgraph-svg .relgraph-edge.is-near")
    expect(near.first).to_be_visible()
    assert all(slug in (e.get_attribute("data-source"), e.get_attribute("data-target")) for e in near.all())
    # the filter narrows the table
    page.locator("input.relations-filter-input").fill("opposes")
    visible = [r for r in rows.all() if r.is_visible()]
    assert visible and all("opposes" in r.inner_text() for r in visible)
    # every kind has its view; a node opens its sheet, whose own graph expands the view
    assert page.locator("nav.graph-views a").count() >= 2
    nodes.filter(has_text="Turkey").first.click()
    page.wait_for_url(site.url("actors/turkey/"))
    assert page.locator("#relations ~ figure svg a.relgraph-node").count() >= 3
    assert errors == []
    page.context.close()


def test_previews_and_landing_work_after_instant_navigation(site: StaticServer, browser: Browser) -> None:
    # Material's instant navigation swaps pages without reloading the script. It intercepts
    # only links listed in sitemap.xml, which it fetches after the page loads: click before
    # that arrives and the browser loads the next page in full.
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    with page.expect_response(lambda response: response.url.endswith("/sitemap.xml")) as sitemap:
        page.goto(site.url(""))
    assert sitemap.value.ok
    page.wait_for_load_state("networkidle")  # the sitemap parsed, the links claimed
    page.evaluate("window.loadedOnce = true")  # gone if a page loads in full
    page.locator("nav.md-tabs a", has_text="Actors").first.click()
    page.wait_for_url(site.url("actors/"))
    page.locator("a.entry-name", has_text="Wagner").first.click()
    page.wait_for_url(site.url("actors/wagner-group/"))
    expect(page.locator("h1")).to_have_text("Wagner")
    assert page.evaluate("window.loadedOnce") is True
    cite, _, quote = preview_first_claim(page)
    passage_id = cite.get_attribute("href").split("#")[1]  # type: ignore[union-attr]
    cite.click()
    page.wait_for_url(re.compile(rf".*#{passage_id}$"))
    targets = page.locator(f"#{passage_id} mark.quote.is-target")
    expect(targets.first).to_be_visible()
    assert "".join(targets.all_inner_texts()) == quote
    assert page.evaluate("window.loadedOnce") is True
    assert errors == []
    page.context.close()


def test_a_sheet_draws_its_relations_and_unfolds_the_table_when_a_link_points_into_it(
        site: StaticServer, browser: Browser) -> None:
    page, errors, _ = open_page(browser, site.url("actors/turkey/"))
    # the drawing first; the table (its text alternative, with sources) folded beneath it
    assert page.locator("#relations ~ figure svg a.relgraph-node").count() >= 3
    table = page.locator("details.relations-details")
    assert table.get_attribute("open") is None
    assert not page.locator("#relation-2").is_visible()
    rows = table.locator("tbody tr").count()
    assert f"The {rows} relations" in table.locator("summary").inner_text()
    # a citation in the article's margin links straight to a relation: it must be visible
    page.goto(site.url("actors/turkey/#relation-2"))
    expect(page.locator("#relation-2")).to_be_visible()
    assert table.get_attribute("open") is not None
    assert errors == []
    page.context.close()
