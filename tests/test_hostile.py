"""Whatever a sheet contains renders as text: never markup, script or template code."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from conftest import ARTICLE_ONE, ProjectDir

NAME = "<script>alert('name')</script> {{ 7*7 }} *bold* [x](javascript:alert(1)) & \"q\""
ALIAS = "<img src=x onerror=alert(1)>"
SUMMARY = "**sum** <b onclick=alert(1)>b</b> {{ config }} `code` &amp; [link](javascript:alert(2))"
CLAIM = "<script>alert(3)</script> {% if true %}x{% endif %} <!-- comment --> ]]>"
ATTRIBUTION = "<a href='javascript:alert(4)'>a</a> {#"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> ProjectDir:
    from conftest import make_project

    project = make_project(tmp_path_factory.mktemp("hostile") / "project")
    project.write("content/articles/ships.md", ARTICLE_ONE)
    sheet = {
        "name": NAME,
        "aliases": [ALIAS],
        "summary": SUMMARY,
        "claims": [{"text": CLAIM, "quote": "The ships sailed", "attribution": ATTRIBUTION}],
        "relations": [{"type": "backs", "target": "other", "quote": "at dawn"}],
    }
    project.write("content/actors/evil.yml", json.dumps(sheet))  # JSON is YAML
    project.write("content/actors/other.yml", json.dumps({
        "name": "Other", "summary": "s", "claims": [{"text": "t", "quote": "quiet by noon"}]}))
    result = project.mkdocs_build()
    assert result.returncode == 0, result.stderr
    return project


def _all_pages(project: ProjectDir) -> dict[str, BeautifulSoup]:
    return {
        str(path.relative_to(project.root / "site")): BeautifulSoup(path.read_text(encoding="utf-8"),
                                                                    "html.parser")
        for path in (project.root / "site").rglob("*.html")
    }


def test_no_injected_script_handler_or_javascript_link_anywhere(built: ProjectDir) -> None:
    for name, page in _all_pages(built).items():
        for script in page.find_all("script"):
            if script.get("type") in ("application/json", "application/ld+json"):
                # Data, never run: it must parse, and never close its script element early.
                json.loads(script.get_text())
                assert "</" not in script.get_text(), name
                continue
            # Material's own inline scripts are fine; none may carry the sheet's text.
            assert "alert" not in script.get_text(), name
            assert not script.get("src") or "alert" not in script["src"], name
        for tag in page.find_all(True):
            assert not [a for a in tag.attrs if a.lower().startswith("on")], (name, str(tag)[:80])
            href = tag.get("href")
            assert not (isinstance(href, str) and href.strip().lower().startswith("javascript:")), name
        assert page.find("img", src="x") is None, name


def test_hostile_text_shows_exactly_as_typed(built: ProjectDir) -> None:
    page = BeautifulSoup(built.html("actors/evil"), "html.parser")
    assert page.select_one("h1#top").get_text() == NAME
    assert page.title is not None and page.title.get_text() == f"{NAME} - Libya explainer"
    assert page.select_one(".md-header__topic[data-md-component='header-topic']").get_text(
        strip=True) == NAME
    assert page.select_one(".alias").get_text() == ALIAS
    assert page.select_one("p.lead").get_text() == SUMMARY
    assert page.select_one("#claim-1 .claim-text").get_text() == CLAIM
    assert page.select_one("#claim-1 .attribution").get_text() == f"Said by {ATTRIBUTION}"
    article = BeautifulSoup(built.html("articles/ships"), "html.parser")
    assert article.select_one("#p1 .margin a.margin-sheet").get_text() == NAME
    other = BeautifulSoup(built.html("actors/other"), "html.parser")
    assert other.select_one("tr.relation a.sheet-ref").get_text() == NAME


def test_search_index_holds_the_name_as_escaped_text(built: ProjectDir) -> None:
    index = json.loads((built.root / "site/search/search_index.json").read_text(encoding="utf-8"))
    titles = [doc["title"] for doc in index["docs"] if doc["location"] == "actors/evil/"]
    assert titles and all("<script>" not in t for t in titles)
    assert BeautifulSoup(titles[0], "html.parser").get_text() == NAME
