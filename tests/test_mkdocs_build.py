"""Real MkDocs builds of small projects; assertions on the real HTML."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from conftest import ProjectDir
from test_cli import CASES


def soup(project: ProjectDir, url_path: str) -> BeautifulSoup:
    return BeautifulSoup(project.html(url_path), "html.parser")


def test_sheet_page_cites_passage_and_article_lists_citing_page(harbour: ProjectDir) -> None:
    result = harbour.mkdocs_build()
    assert result.returncode == 0, result.stderr
    # The build says what the core did and how long each stage took.
    pages = len(list((harbour.root / "site").rglob("index.html"))) - 1  # less the sheet guide
    assert re.search(rf"explainer: {pages} pages generated in [\d.]+ s "
                     r"\(load [\d.]+ s, resolve [\d.]+ s, render [\d.]+ s\)", result.stderr), result.stderr

    sheet = soup(harbour, "places/harbour")
    cites = sheet.select("ol.claims li.claim a.cite")
    assert [a["href"] for a in cites] == ["../../articles/ships/?cite=harbour/claim-1#p2",
                                          "../../articles/ships/?cite=harbour/claim-2#p3"]
    assert sheet.select_one("#claim-1 .attribution").get_text() == "Said by port officials"
    # the incoming relation from the captain
    incoming = sheet.select_one("tr#from-captain-relation-1")  # read with its subject first
    assert [td.get_text(" ", strip=True) for td in incoming.select("td")][:3] == [
        "The captain", "located in", "The harbour"]
    assert incoming.select_one("a.sheet-ref")["href"] == "../../actors/captain/"

    article = soup(harbour, "articles/ships")
    passages = article.select("section.passage")
    assert [p["id"] for p in passages] == ["p1", "p2", "p3"]
    assert [a["href"] for a in article.select("#p2 .margin a.margin-sheet")] == ["../../places/harbour/"]
    assert [a["href"] for a in article.select("#p2 .margin-claims a")] == ["../../places/harbour/#claim-1"]
    marks = article.select("#p2 mark.quote")
    assert [m.get_text() for m in marks] == ["Some 40 sailors were on board"]
    assert marks[0]["data-citations"] == "harbour/claim-1"


def test_overlapping_quotes_are_marked_piece_by_piece(harbour: ProjectDir) -> None:
    assert harbour.mkdocs_build().returncode == 0
    article = soup(harbour, "articles/ships")
    marks = article.select("#p1 mark.quote")
    # "The ships sailed from the harbour at dawn" (claim) and "sailed from the harbour at dawn" (relation)
    assert [(m.get_text(), m["data-citations"]) for m in marks] == [
        ("The ships ", "captain/claim-1"),
        ("sailed from the harbour at dawn", "captain/claim-1 captain/relation-1"),
    ]
    assert article.select_one("#p1 .passage-text").get_text() == (
        "The ships sailed from the harbour at dawn, the captain told a radio station.")


def test_bad_sheet_fails_the_build_with_the_message_and_keeps_the_old_site(harbour: ProjectDir) -> None:
    assert harbour.mkdocs_build().returncode == 0
    before = harbour.html("places/harbour")
    harbour.write("content/places/bad.yml", "name: Bad\nsumary: x\n")
    result = harbour.mkdocs_build()
    assert result.returncode == 1
    assert "content/places/bad.yml:2: unknown key 'sumary'. Did you mean 'summary'?" in result.stderr
    assert "3 errors; nothing was written." in result.stderr
    assert "Traceback" not in result.stderr
    assert harbour.html("places/harbour") == before
    assert not (harbour.root / "site" / "places" / "bad").exists()


def test_generated_page_never_replaces_a_hand_written_one(harbour: ProjectDir) -> None:
    harbour.write("docs/timeline.md", "# Mine\n")
    result = harbour.mkdocs_build()
    assert result.returncode == 1
    assert ("docs/timeline.md: a hand-written file would be replaced by a generated page. "
            "Rename or remove the hand-written file.") in result.stderr


# Every message's full text is tested through the CLI (test_cli.py); the plugin prints the same
# text, which a few cases of different kinds (YAML, schema, files, quotes, references) show.
PLUGIN_CASES = ["unknown key", "malformed yaml", "not utf-8", "quote not in the article",
                "relation to a missing sheet"]


@pytest.mark.parametrize("case", PLUGIN_CASES)
def test_each_bad_input_fails_the_mkdocs_build_with_the_same_message(case: str, harbour: ProjectDir) -> None:
    path, text, message, *_ = CASES[case]
    harbour.write(str(path), text)  # type: ignore[arg-type]
    result = harbour.mkdocs_build()
    assert result.returncode == 1
    assert str(message) in result.stderr
    assert "nothing was written." in result.stderr
    assert "Traceback" not in result.stderr
    assert not (harbour.root / "site").exists()


def test_material_parts_rendered_once_give_materials_own_pages(harbour: ProjectDir) -> None:
    # A sheet titled with a word of the header's own markup ("span"), in a third folder.
    harbour.write("content/equipment/span.yml", """\
        name: span
        summary: The ships sailed.
        claims:
          - text: The ships left at dawn, the captain said.
            quote: "sailed from the harbour at dawn"
            attribution: the captain
        """)
    # A page outside the nav whose folder holds a page of the nav: its links differ from its
    # neighbours' (notes/ links to extra/ where other pages link to notes/extra/).
    harbour.write("docs/notes.md", "# Notes\n")
    harbour.write("docs/notes/extra.md", "# Extra\n")
    harbour.write("docs/other.md", "# Other\n")  # its neighbour, whose links are the usual ones
    config = harbour.root / "mkdocs.yml"
    # With links to the previous and next pages of the nav in the footer, which only nav pages have.
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - Contribute: contributing/index.md\n",
        "  - Contribute: contributing/index.md\n  - Extra: notes/extra.md\n").replace(
        "    - navigation.tabs\n", "    - navigation.tabs\n    - navigation.footer\n"), encoding="utf-8")
    assert harbour.mkdocs_build().returncode == 0
    assert 'href="extra/"' in harbour.html("notes")
    assert "md-footer__link" in harbour.html("timeline") and "md-footer__link" not in harbour.html("other")
    cached = {path.relative_to(harbour.root / "site"): path.read_bytes()
              for path in (harbour.root / "site").rglob("*") if path.is_file()}
    for name in ("nav", "tabs", "header", "toc", "source-file"):  # Material's own, for every page
        (harbour.root / "overrides" / "partials" / f"{name}.html").unlink()
    main = harbour.root / "overrides" / "main.html"
    kept_blocks = re.compile(r"^\{% block (styles|analytics|footer|config|scripts) %\}.*\n", re.MULTILINE)
    assert len(kept_blocks.findall(main.read_text(encoding="utf-8"))) == 5
    main.write_text(kept_blocks.sub("", main.read_text(encoding="utf-8")), encoding="utf-8")
    assert harbour.mkdocs_build().returncode == 0
    material = {path.relative_to(harbour.root / "site"): path.read_bytes()
                for path in (harbour.root / "site").rglob("*") if path.is_file()}
    assert material.keys() == cached.keys()
    assert [path for path in material if material[path] != cached[path]] == []
    topic = soup(harbour, "equipment/span").select_one('[data-md-component="header-topic"]')
    assert topic is not None and topic.get_text(strip=True) == "span"


def test_links_into_a_generated_page_are_checked_against_its_anchors(harbour: ProjectDir) -> None:
    # MkDocs asks a generated page for its anchors only when a link points into it.
    harbour.write("docs/notes.md", "# Notes\n\n[The captain's first claim](actors/captain.md#claim-1)\n")
    assert harbour.mkdocs_build().returncode == 0
    harbour.write("docs/notes.md", "# Notes\n\n[A claim it lacks](actors/captain.md#claim-99)\n")
    failed = harbour.mkdocs_build()
    assert failed.returncode != 0
    assert "the doc 'actors/captain.md' does not contain an anchor '#claim-99'" in failed.stderr
