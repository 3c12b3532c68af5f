"""A running story: a second article joins the project without touching the sheets that cite the first.

The article is our own text (never a published one): it has metadata, a subhead and Windows line
ends. One existing sheet cites it; new sheets add a source with a role, two conflicting accounts
and an event whose month the article's date places.
"""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET

import pytest
from conftest import BuiltSite, ProjectDir, build_site

from generator.cli import main
from generator.incremental import _partners
from generator.index import SiteIndex
from generator.pipeline import Project, check
from generator.resolve import STORY

SECOND_ARTICLE = """\
---
title: "Harbour talks end without a deal"
publisher: Coast Courier
url: https://example.org/coast-courier/harbour-talks
published: 2020-05-25
author: Ada Writer
---

The harbour authority and the fishermen's union ended their talks on Sunday without a deal,
union leader Sam Reed said.

## What each side says

The authority said the new quay rules were lawful, according to a statement.

The union called the rules a breach of the old charter.

In November, the captain had warned of trouble at the quay.
"""


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> tuple[ProjectDir, BuiltSite]:
    from conftest import ARTICLE_ONE, make_project

    project = make_project(tmp_path_factory.mktemp("story") / "project")
    project.write("content/articles/ships.md", ARTICLE_ONE)
    project.write("content/actors/captain.yml", """\
        name: The captain
        summary: The captain spoke to a radio station about the ships.
        claims:
          - text: The captain told a radio station that the ships sailed at dawn.
            quote: "The ships sailed from the harbour at dawn"
            attribution: the captain, speaking to a radio station
        """)
    harbour = project.write("content/places/harbour.yml", """\
        name: The harbour
        summary: A harbour the ships sailed from.
        claims:
          - text: Port officials said some 40 sailors were on board.
            quote: "Some 40 sailors were on board"
            attribution: port officials
        """)
    before = {path: path.read_bytes() for path in (project.root / "content").rglob("*.yml")}
    # The second article, saved with Windows line ends.
    (project.root / "content/articles/harbour-talks.md").write_bytes(
        SECOND_ARTICLE.replace("\n", "\r\n").encode())
    # One existing sheet cites it (no 'article:' needed: the words say which article) ...
    harbour.write_text(harbour.read_text() + """\
  - id: rules-lawful
    text: The authority said in a statement that the new quay rules were lawful.
    quote: "The authority said the new quay rules were lawful, according to a statement"
    attribution: a statement by the authority
  - text: Talks between the authority and the union ended on Sunday without a deal, Sam Reed said.
    quote: "ended their talks on Sunday without a deal, union leader Sam Reed said"
    attribution: union leader Sam Reed
    source: sam-reed
""")
    # ... and new sheets add the rest; no other existing sheet changes.
    project.write("content/actors/sam-reed.yml", """\
        name: Sam Reed
        summary: The fishermen's union's leader.
        claims:
          - text: The union called the rules a breach of the old charter.
            quote: "The union called the rules a breach of the old charter"
            disputes: harbour/rules-lawful
        relations:
          - type: leads
            target: union
            role: union leader
            quote: "union leader Sam Reed said"
            attribution: union leader Sam Reed
        """)
    project.write("content/actors/union.yml", """\
        name: The fishermen's union
        summary: The union that ended the talks with the authority.
        claims:
          - text: The union ended its talks with the authority without a deal.
            quote: "The harbour authority and the fishermen's union ended their talks"
        """)
    project.write("content/events/warning.yml", """\
        name: The captain's warning
        summary: The captain warned of trouble at the quay.
        date:
          as_written: In November
          precision: month-without-year
          edtf: XXXX-11
          quote: "In November, the captain had warned"
        claims:
          - text: The captain had warned of trouble at the quay.
            quote: "the captain had warned of trouble at the quay"
            source: captain
        """)
    assert {path: path.read_bytes() for path in before} == before | {
        project.root / "content/places/harbour.yml": harbour.read_bytes()}
    return project, build_site(project, SITE_URL="https://example.org/explainer/")


def test_check_passes_with_the_second_article(story: tuple[ProjectDir, BuiltSite],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    project, _ = story
    assert main(["--root", str(project.root), "check"]) == 0
    assert capsys.readouterr().out == ("OK: 5 sheets, 7 claims, 1 relations; 6 of 7 passages cited in 2 "
                                       "articles.\nNot cited yet (coverage, not an error): ships p3.\n")


def test_the_article_page_shows_its_metadata_and_subhead(story: tuple[ProjectDir, BuiltSite]) -> None:
    _, site = story
    page = site.page("articles/harbour-talks/")
    meta = page.select_one(".article-meta")
    assert meta.select_one(".article-publisher").get_text() == "Coast Courier"
    assert meta.select_one(".article-author").get_text() == "Ada Writer"
    assert meta.select_one("time")["datetime"] == "2020-05-25" and meta.select_one("time").get_text() == \
        "25 May 2020"
    assert meta.select_one("a.article-original")["href"] == "https://example.org/coast-courier/harbour-talks"
    assert [p["id"] for p in page.select("section.passage")] == ["p1", "p2", "p3", "p4"]
    assert [h.get_text() for h in page.select("h2.article-subhead")] == ["What each side says"]
    assert "##" not in page.select_one(".passages").get_text()
    index = site.page("articles/")
    assert "Coast Courier" in index.get_text() and "25 May 2020" in index.get_text()
    assert "Coast Courier" in site.page("").select_one(".home-articles").get_text()


def test_a_sheet_citing_two_articles_names_each_and_shows_who_says_it(
        story: tuple[ProjectDir, BuiltSite]) -> None:
    _, site = story
    page = site.page("places/harbour/")
    labels = [a.get_text(" ", strip=True) for a in page.select("li.claim > blockquote a.cite")]
    assert labels == ["Ships sail from the harbour p2", "Coast Courier, 25 May 2020 p2",
                      "Coast Courier, 25 May 2020 p1"]
    sources = page.select_one(".infobox dd:last-of-type").get_text()
    assert "Coast Courier, 25 May 2020" in sources and "Ships sail from the harbour" in sources
    said = page.select_one("#claim-3 .attribution")
    assert said.select_one("a.sheet-ref").get_text() == "Sam Reed"
    # the conflicting accounts, side by side on both sheets
    for url, other in (("places/harbour/", "Sam Reed"), ("actors/sam-reed/", "The harbour")):
        accounts = site.page(url).select(".accounts .account")
        assert len(accounts) == 2 and accounts[1].select_one("a.sheet-ref").get_text() == other
        assert all(a.select_one("q.quote") and a.select_one("a.cite") for a in accounts)
    # the source's sheet lists what it says, and a relation shows the role
    reed = site.page("actors/sam-reed/")
    assert "union leader" in reed.select_one("tr#relation-1").get_text()
    captain = site.page("actors/captain/")
    assert [li.select_one("a.sheet-ref").get_text() for li in captain.select("ul.sourced li")] == [
        "The captain's warning"]


def test_a_date_the_article_leaves_vague_is_placed_from_its_date(story: tuple[ProjectDir, BuiltSite]) -> None:
    _, site = story
    date = site.page("events/warning/").select_one("#date")
    assert date.select_one("q.date-words").get_text() == "In November"
    assert date.select_one(".date-gap").get_text() == "November, no year given"
    assert date.select_one(".date-derived").get_text() == (
        "Placed: November 2019, derived from the article\u2019s date (25 May 2020), "
        "not the article\u2019s words.")
    assert "startDate" not in json.loads(site.page("events/warning/").select_one(
        'script[type="application/ld+json"]').get_text())
    timeline = json.loads((site.root / "data/timeline.json").read_text(encoding="utf-8"))
    (event,) = [e for e in timeline["events"] if e["unique_id"] == "warning"]
    assert (event["start_date"]["year"], event["start_date"]["month"]) == (2019, 11)
    assert "placed from the article's date" in html.unescape(event["start_date"]["display_date"])


def test_the_open_data_carry_the_articles_metadata(story: tuple[ProjectDir, BuiltSite]) -> None:
    _, site = story
    news = json.loads(site.page("articles/harbour-talks/").select_one(
        'script[type="application/ld+json"]').get_text())
    assert news["publisher"] == {"@type": "Organization", "name": "Coast Courier"}
    assert news["author"] == {"@type": "Person", "name": "Ada Writer"}
    assert news["datePublished"] == "2020-05-25"
    assert news["isBasedOn"] == "https://example.org/coast-courier/harbour-talks"
    collection = json.loads((site.root / "data/annotations/harbour-talks.jsonld").read_text(encoding="utf-8"))
    source = collection["first"]["items"][0]["target"][0]["source"]
    assert (source["via"], source["publisher"], source["datePublished"]) == (
        "https://example.org/coast-courier/harbour-talks", "Coast Courier", "2020-05-25")
    feed = ET.parse(site.root / "feed.xml").getroot()
    (item,) = [i for i in feed.iter("item") if "harbour-talks" in (i.findtext("link") or "")]
    assert item.findtext("pubDate") == "Mon, 25 May 2020 00:00:00 +0000"
    assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == "Ada Writer"


def test_a_sheet_page_s_partners_are_every_sheet_tied_to_it_either_way(
        story: tuple[ProjectDir, BuiltSite]) -> None:
    # A save re-renders a sheet's page when a partner changes (generator.incremental): each
    # relation, dispute, source and outlet, read from either end.
    resolved = check(Project.at(story[0].root))
    index = SiteIndex.of(resolved)
    partners = _partners(index)
    for slug in resolved.sheets:
        expected = {lk.target for lk in index.outgoing[slug]} | {lk.source for lk in index.incoming[slug]}
        expected |= {c.sheet for claims in index.disputes.get(slug, {}).values() for c in claims}
        expected |= {c.sheet for c in index.sourced.get(slug, [])}
        expected |= {named for c in index.by_sheet[slug] for named in (c.source, c.via) if named}
        assert partners.get(slug, set()) == expected - {STORY}, slug
    assert any(index.disputes.values()) and any(index.sourced.values())


def test_citations_come_in_sheet_order_then_in_order_on_the_sheet(
        story: tuple[ProjectDir, BuiltSite]) -> None:
    # The site index relies on it: each passage lists its citations in this order, unsorted.
    resolved = check(Project.at(story[0].root))
    rank = {slug: n for n, slug in enumerate(resolved.sheets)}
    assert len({c.sheet for c in resolved.citations}) > 3
    assert list(resolved.citations) == sorted(resolved.citations, key=lambda c: (rank[c.sheet], c.order))
