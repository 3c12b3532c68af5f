"""The Graphviz-laid graphs in a real Chromium: real fonts fit the boxes, sizes on screen, hover and focus.

The layout sizes every box from conservative font metrics; here the browser measures the
text it actually draws (with the CSS's font list, and again with the widest common
sans-serif forced), at a 1280 px and a 390 px wide screen, in the session's Chromium (conftest).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from graph_geometry import COLUMNS, REPO, draw, standalone_page
from playwright.sync_api import Browser, Page
from static_server import StaticServer
from test_layout import HAND_MADE, neighbour_spec, random_spec

from generator.layout import Edge, GraphSpec, LayoutCache, Node, graph_spec
from generator.model import RELATION_TYPES
from generator.pipeline import Project, check

MIN_FONT = 12.0

MEASURE = """() => Array.from(document.querySelectorAll('svg.relgraph-svg')).flatMap(svg => {
  const scale = svg.getScreenCTM().a;
  const out = [];
  svg.querySelectorAll('.relgraph-node, .relgraph-label').forEach(group => {
    const rect = group.querySelector('rect').getBBox();
    const text = group.querySelector('text');
    const box = text.getBBox();
    out.push({name: (group.getAttribute('data-slug') || group.getAttribute('data-source') + ' -> ' +
                     group.getAttribute('data-target')) + ': ' + text.textContent,
              fits: box.x >= rect.x - 0.5 && box.x + box.width <= rect.x + rect.width + 0.5 &&
                    box.y >= rect.y - 0.5 && box.y + box.height <= rect.y + rect.height + 0.5,
              need: [box.width, box.height], have: [rect.width, rect.height],
              px: parseFloat(getComputedStyle(text).fontSize) * scale,
              family: getComputedStyle(text).fontFamily});
  });
  return out;
})"""


def seed_specs() -> list[tuple[GraphSpec, str]]:
    resolved = check(Project.at(REPO))
    nodes = {slug: Node(slug, s.sheet.name, s.kind) for slug, s in resolved.sheets.items()}
    specs = []
    for slug in ("turkey", "government-of-national-accord", "wagner-group"):
        own = [lk for lk in resolved.links if slug in (lk.source, lk.target)]
        ends = {slug} | {lk.source for lk in own} | {lk.target for lk in own}
        kinds = {lk: RELATION_TYPES[lk.type] for lk in own}
        edges = [Edge(lk.source, lk.target, kinds[lk].backward if lk.target == slug else kinds[lk].forward,
                      lk.type) for lk in own]
        specs.append((graph_spec([nodes[e] for e in ends], edges, center=slug), "scale"))
    linked = {lk.source for lk in resolved.links} | {lk.target for lk in resolved.links}
    specs.append((graph_spec([nodes[s] for s in linked],
                             [Edge(lk.source, lk.target, RELATION_TYPES[lk.type].forward, lk.type)
                              for lk in resolved.links]), "scroll"))
    return specs


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaticServer]:
    root = tmp_path_factory.mktemp("graphs")
    shutil.copy(REPO / "docs" / "assets" / "graph.css", root / "graph.css")
    shutil.copy(REPO / "docs" / "assets" / "graph.js", root / "graph.js")
    specs = [*seed_specs(), *((spec, "scale") for spec in HAND_MADE.values()),
             (neighbour_spec("c", 15, seed=5), "scale"), (random_spec(3, 40, 90), "scroll")]
    layouts = LayoutCache().layout_many([spec for spec, _ in specs])
    figures = [draw(laid, fit) for laid, (_, fit) in zip(layouts, specs, strict=True)]
    for screen, column in COLUMNS.items():
        (root / f"{screen}.html").write_text(standalone_page(figures, column, "graph.css", "graph.js"),
                                             encoding="utf-8")
    with StaticServer(root) as server:
        yield server


def open_at(browser: Browser, pages: StaticServer, screen: int) -> tuple[Page, list[str]]:
    page = browser.new_page(viewport={"width": screen, "height": 900})
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(pages.url(f"{screen}.html"))
    return page, requested


@pytest.mark.parametrize("font", ["the CSS's fonts", "DejaVu Sans"])
@pytest.mark.parametrize("screen", list(COLUMNS))
def test_every_name_and_label_fits_its_box_in_real_fonts(browser: Browser, pages: StaticServer, screen: int,
                                                         font: str) -> None:
    page, requested = open_at(browser, pages, screen)
    if font != "the CSS's fonts":
        page.add_style_tag(content=f'.explainer .relgraph-svg {{ font-family: "{font}" !important; }}')
    measured = page.evaluate(MEASURE)
    page.close()
    assert len(measured) > 100
    assert [m for m in measured if not m["fits"]] == []
    assert {urlparse(url).hostname for url in requested} == {"127.0.0.1"}


def test_text_is_at_least_12px_at_1280_and_a_sheets_graph_fits_a_phone(browser: Browser,
                                                                        pages: StaticServer) -> None:
    page, _ = open_at(browser, pages, 1280)
    assert min(m["px"] for m in page.evaluate(MEASURE)) >= MIN_FONT
    page.close()
    page, _ = open_at(browser, pages, 390)
    widths = page.evaluate("""() => Array.from(document.querySelectorAll('.relgraph-fit-scale svg'))
        .map(svg => [svg.getBoundingClientRect().width, svg.getScreenCTM().a])""")
    assert document_width(page) <= 390
    page.close()
    assert all(width <= COLUMNS[390] + 0.5 for width, _ in widths)
    # The seed content's sheet graphs (the first three) shrink by less than a tenth: text stays >= 11.5 px.
    assert all(scale >= 0.9 for _, scale in widths[:3]), widths[:3]


def document_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_hovering_or_focusing_a_node_highlights_its_edges_and_neighbours(browser: Browser,
                                                                          pages: StaticServer) -> None:
    page, _ = open_at(browser, pages, 1280)
    svg = page.locator("svg.relgraph-svg").first
    center = svg.locator(".relgraph-node.is-center")
    slug = center.get_attribute("data-slug")
    center.hover()
    assert "has-focus" in (svg.get_attribute("class") or "")
    near = svg.locator(".relgraph-edge.is-near")
    assert near.count() == svg.locator(f'.relgraph-edge[data-source="{slug}"], '
                                       f'.relgraph-edge[data-target="{slug}"]').count() > 0
    assert svg.locator(".relgraph-node.is-near").count() > 0
    page.mouse.move(1, 1)
    assert "has-focus" not in (svg.get_attribute("class") or "")
    assert svg.locator(".is-near, .is-focus").count() == 0
    other = svg.locator(".relgraph-node:not(.is-center)").first
    other.focus()
    assert "is-focus" in (other.get_attribute("class") or "")
    assert svg.locator(".relgraph-edge.is-near").count() >= 1
    assert svg.locator(".relgraph-node.is-center.is-near").count() == 1
    page.close()
