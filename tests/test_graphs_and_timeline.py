"""The built site's graphs and timeline, read as a reader would: geometry, fit, and honest order."""

from __future__ import annotations

import datetime

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, BuiltSite
from graph_geometry import edges_through_nodes, font_sizes, overlapping_labels, parse_svg
from playwright.sync_api import Browser
from static_server import StaticServer

from generator.dates import period
from generator.pipeline import Project, check

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
NODES_IN_VIEW = """(frame) => {
  const view = frame.getBoundingClientRect();
  return [...frame.querySelectorAll('.relgraph-node rect')].filter((node) => {
    const box = node.getBoundingClientRect();
    return box.left >= view.left && box.right <= view.right
      && box.top >= view.top && box.bottom <= view.bottom;
  }).length;
}"""


def graphs(site: BuiltSite) -> dict[str, list[str]]:
    """Every drawn graph of the site, as SVG markup, by page."""
    found: dict[str, list[str]] = {}
    for url, page in site.pages().items():
        svgs = page.select("figure.relgraph svg.relgraph-svg")
        if svgs:
            found[url] = [str(svg) for svg in svgs]
    return found


def test_no_edge_crosses_a_node_it_does_not_connect_and_no_labels_overlap(seed_site: BuiltSite) -> None:
    drawn = graphs(seed_site)
    sheets_with_relations = {link.source for link in check(Project.at(REPO)).links} | {
        link.target for link in check(Project.at(REPO)).links}
    assert "graph/" in drawn and sum(1 for url in drawn if url.startswith(("actors/", "events/"))) > 10
    assert len([u for u in drawn if not u.startswith("graph")]) == len(sheets_with_relations)
    problems = {}
    for url, svgs in drawn.items():
        for svg in svgs:
            drawing = parse_svg(svg)
            found = edges_through_nodes(drawing) + overlapping_labels(drawing)
            if found:
                problems[url] = found
            assert min(font_sizes(drawing)) >= 12, url
    assert problems == {}


def test_sheet_graphs_scale_to_the_column_and_views_scroll_with_a_cue(seed_site: BuiltSite) -> None:
    for url, page in seed_site.pages().items():
        for figure in page.select("figure.relgraph"):
            if url.startswith("graph"):
                assert "relgraph-fit-scroll" in figure["class"]
                assert figure.select_one(".relgraph-cue") is not None
                assert figure.select_one(".relgraph-frame")["tabindex"] == "0"
            else:
                assert "relgraph-fit-scale" in figure["class"]


def test_every_graph_fits_a_phone_or_shows_its_cue_and_no_page_scrolls_sideways(
        served_seed: StaticServer, seed_site: BuiltSite, browser: Browser) -> None:
    drawn = graphs(seed_site)
    largest = sorted((u for u in drawn if not u.startswith("graph")), key=lambda u: -len(drawn[u][0]))[:6]
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    for url in [u for u in drawn if u.startswith("graph")] + largest:
        page.goto(served_seed.url(url))
        assert page.evaluate(OVERFLOW) <= 0
        for figure in page.locator("figure.relgraph").all():
            frame = figure.locator(".relgraph-frame").bounding_box()
            svg = figure.locator("svg.relgraph-svg").bounding_box()
            assert frame is not None and svg is not None
            fits = svg["width"] <= frame["width"] + 1
            assert fits or figure.locator(".relgraph-cue").is_visible(), url
            if not url.startswith("graph"):
                assert fits, url
            # what a reader sees first of a drawing larger than its frame holds sheets, not blank space
            assert figure.locator(".relgraph-frame").evaluate(NODES_IN_VIEW) >= 3, url
    context.close()


# The timeline ---------------------------------------------------------------

def timeline_lanes(site: BuiltSite) -> dict[str, BeautifulSoup]:
    return {section["class"][1].removeprefix("lane-"): section
            for section in site.page("timeline/").select("section.timeline-lane")}


def test_the_timeline_implies_no_order_the_articles_do_not_give(seed_site: BuiltSite) -> None:
    resolved = check(Project.at(REPO))
    events = {slug: loaded.sheet.date for slug, loaded in resolved.sheets.items() if loaded.kind == "events"}
    lanes = timeline_lanes(seed_site)
    placed = {}
    for lane, section in lanes.items():
        entries = section.select("li.timeline-entry")
        slugs = [li["id"] for li in entries]
        if lane in ("vague", "unstated"):
            # no order in time: an unordered list, in alphabetical order
            assert section.select_one("ul.timeline-unordered") is not None and not section.select("ol")
            names = [li.select_one(".timeline-name a").get_text() for li in entries]
            assert names == sorted(names, key=str.casefold)
        else:
            assert section.select_one("ol.timeline-ordered") is not None
            periods = [period(li["data-start"]) for li in entries]
            assert periods == sorted(periods, reverse=True)  # the latest first
        for slug in slugs:
            placed[slug] = lane
    assert set(placed) == set(events)
    for slug, date in events.items():
        given_year = bool(date.edtf and date.edtf[:4].isdigit())
        if date.precision in ("relative", "weekday", "unstated") or not given_year:
            assert placed[slug] in ("vague", "unstated"), slug  # the seed article gives no date of its own
        if date.precision == "unstated":
            assert placed[slug] == "unstated"


def test_each_entry_says_the_articles_words_and_what_they_leave_out(seed_site: BuiltSite) -> None:
    for section in timeline_lanes(seed_site).values():
        for entry in section.select("li.timeline-entry"):
            date = entry.select_one(".timeline-date")
            words = date.select_one("q.date-words")
            gap = date.select_one(".date-gap").get_text()
            if words is None:
                assert gap == "The article gives no time."
            else:
                assert words.get_text() and gap and date.select_one("a.cite")


def test_an_event_sheet_shows_its_place_on_the_timeline(seed_site: BuiltSite) -> None:
    for url, page in seed_site.pages().items():
        if url.startswith("events/") and url != "events/":
            link = page.select_one('.infobox a[href*="timeline/#"]')
            assert link is not None, url
            slug = link["href"].split("#")[1]
            assert seed_site.page("timeline/").select_one(f"li#{slug}") is not None


def test_periods_are_as_long_as_their_words_allow() -> None:
    assert period("2019") == ("2019-01-01", "2019-12-31")
    assert period("2020-02") == ("2020-02-01", "2020-02-29")
    assert period("2019-12") == ("2019-12-01", "2019-12-31")
    assert period("2019-12-06") == ("2019-12-06", "2019-12-06")
    assert datetime.date.fromisoformat(period("2021-02")[1]).day == 28


@pytest.mark.parametrize("width", [1280, 390])
def test_the_timeline_is_read_by_keyboard_and_fits(served_seed: StaticServer, browser: Browser,
                                                   width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(served_seed.url("timeline/"))
    assert page.evaluate(OVERFLOW) <= 0
    lane = page.locator("nav.timeline-lanes a").first
    lane.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/timeline/#lane-*")
    context.close()


def test_the_overview_of_a_large_story_draws_relations_not_isolated_hubs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Forty places each with three actors in them: the 36 most connected sheets are the places,
    which share no relation; the overview must still be a graph a reader can follow."""
    from conftest import ARTICLE_ONE, make_project

    from generator.graphs import OVERVIEW_SIZE, views

    project = make_project(tmp_path)
    project.write("content/articles/ships.md", ARTICLE_ONE)
    for hub in range(40):
        project.write(f"content/places/place-{hub}.yml", f"""\
name: Place {hub}
summary: A place.
claims:
  - text: It was quiet.
    quote: "The harbour was quiet by noon."
""")
        for leaf in range(3):
            project.write(f"content/actors/actor-{hub}-{leaf}.yml", f"""\
name: Actor {hub} {leaf}
summary: An actor.
claims:
  - text: It returned.
    quote: "The harbour was quiet by noon."
relations:
  - type: located-in
    target: place-{hub}
    quote: "The harbour was quiet by noon."
""")
    resolved = check(Project.at(project.root))
    overview = views(resolved)[0]
    assert len(overview.sheets) == OVERVIEW_SIZE
    related = {lk.source for lk in overview.links} | {lk.target for lk in overview.links}
    assert related == set(overview.sheets), "every sheet drawn relates to another drawn sheet"
    assert len(overview.links) == OVERVIEW_SIZE * 3 // 4  # nine places, each with its three actors
