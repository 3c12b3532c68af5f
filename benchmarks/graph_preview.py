"""Draw example relationship graphs of the real content and screenshot them at 1280 and 390 px.

    .venv/bin/python benchmarks/graph_preview.py [--out test-output/layout] [--slug turkey ...]

For each graph: an HTML page with the SVG drawn by ``templates/_graph_svg.j2`` and
styled by ``docs/assets/graph.css``, in a column as wide as Material's at that screen
width (688 px at 1280, 358 px at 390), and a PNG of it taken by Chromium. Look at
the PNGs after changing the layout's attributes or the drawing.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from markupsafe import Markup

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from graph_geometry import COLUMNS, draw, standalone_page  # noqa: E402

from generator.layout import Edge, GraphSpec, LayoutCache, Node, graph_spec  # noqa: E402
from generator.model import RELATION_TYPES  # noqa: E402
from generator.pipeline import Project, check  # noqa: E402
from generator.resolve import Resolved  # noqa: E402


def neighbour_nodes_edges(resolved: Resolved, slug: str,
                          sides: str = "after") -> tuple[list[Node], list[Edge]]:
    """The sheet ``slug`` and its direct neighbours, with every relation between it and them.

    With every neighbour after the sheet (``sides="after"``), relations to the sheet are
    labelled as its own page lists them (``backed by``), so each label reads from the sheet.
    """
    links = [lk for lk in resolved.links if slug in (lk.source, lk.target)]
    slugs = {slug} | {lk.source for lk in links} | {lk.target for lk in links}
    nodes = [_node(resolved, s) for s in slugs]
    edges = [Edge(lk.source, lk.target,
                  (RELATION_TYPES[lk.type].backward if sides == "after" and lk.target == slug
                   else RELATION_TYPES[lk.type].forward), lk.type)
             for lk in links]
    return nodes, edges


def overview_nodes_edges(resolved: Resolved, count: int) -> tuple[list[Node], list[Edge]]:
    """The ``count`` most connected sheets and every relation among them."""
    degree: Counter[str] = Counter()
    for lk in resolved.links:
        degree[lk.source] += 1
        degree[lk.target] += 1
    chosen = {s for s, _ in sorted(degree.items(), key=lambda item: (-item[1], item[0]))[:count]}
    links = [lk for lk in resolved.links if lk.source in chosen and lk.target in chosen]
    nodes = [_node(resolved, s) for s in chosen]
    edges = [Edge(lk.source, lk.target, RELATION_TYPES[lk.type].forward, lk.type) for lk in links]
    return nodes, edges


def _node(resolved: Resolved, slug: str) -> Node:
    loaded = resolved.sheets[slug]
    return Node(slug, loaded.sheet.name, loaded.kind)


def main(argv: list[str] | None = None) -> int:
    """Write an HTML page and two PNGs per example graph; print their paths."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "test-output" / "layout")
    parser.add_argument("--slug", action="append", help="a sheet whose own graph to draw (repeatable)")
    parser.add_argument("--sides", action="append", choices=["after", "both"],
                        help="where a sheet's graph puts its neighbours (repeatable)")
    parser.add_argument("--overview", type=int, action="append", help="draw the N most connected sheets")
    args = parser.parse_args(argv)
    resolved = check(Project.at(ROOT))
    examples: list[tuple[str, GraphSpec, str, str]] = []
    for slug in args.slug or ["turkey", "government-of-national-accord", "wagner-group", "pantsir"]:
        for sides in args.sides or ["after"]:
            nodes, edges = neighbour_nodes_edges(resolved, slug, sides)
            examples.append((f"sheet-{slug}-{sides}", graph_spec(nodes, edges, center=slug, sides=sides),
                             "scale", f"{resolved.sheets[slug].sheet.name}: its relations"))
    for count in args.overview or [30, 63]:
        nodes, edges = overview_nodes_edges(resolved, count)
        examples.append((f"overview-{count}", graph_spec(nodes, edges), "scroll",
                         f"The {count} most connected sheets"))
    cache = LayoutCache()
    layouts = cache.layout_many([spec for _, spec, _, _ in examples])
    args.out.mkdir(parents=True, exist_ok=True)
    css = (ROOT / "docs" / "assets" / "graph.css").as_uri()
    js = (ROOT / "docs" / "assets" / "graph.js").as_uri()
    pages: list[tuple[Path, int]] = []
    for (name, _, fit, title), laid in zip(examples, layouts, strict=True):
        svg = draw(laid, fit, {node.id: f"../{node.kind}/{node.id}/" for node in laid.nodes})
        for screen, column in COLUMNS.items():
            page = args.out / f"{name}-{screen}.html"
            page.write_text(standalone_page([svg], column, css, js, str(Markup.escape(title))),
                            encoding="utf-8")
            pages.append((page, screen))
        print(f"{name}: {len(laid.nodes)} nodes, {len(laid.edges)} edges, "
              f"{laid.width:.0f} x {laid.height:.0f} px")
    _screenshot(pages)
    return 0


def _screenshot(pages: list[tuple[Path, int]]) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update"])
        for page_path, screen in pages:
            page = browser.new_page(viewport={"width": screen, "height": 800})
            page.goto(page_path.as_uri())
            png = page_path.with_suffix(".png")
            page.screenshot(path=str(png), full_page=True)
            print(png.relative_to(ROOT) if png.is_relative_to(ROOT) else png)
            if screen == max(COLUMNS) and page.locator(".relgraph-fit-scroll").count():
                # A large graph scrolls in its frame: also the whole drawing, at its own size.
                whole = page_path.with_name(page_path.stem + "-whole.png")
                width = float(page.locator("svg.relgraph-svg").get_attribute("width") or 0)
                page.set_viewport_size({"width": int(width) + 40, "height": 800})
                page.add_style_tag(content=".relgraph-frame { overflow: visible !important;"
                                   " max-height: none !important; } .column { width: auto !important; }")
                page.locator("svg.relgraph-svg").screenshot(path=str(whole))
                print(whole.relative_to(ROOT) if whole.is_relative_to(ROOT) else whole)
            page.close()
        browser.close()


if __name__ == "__main__":
    raise SystemExit(main())
