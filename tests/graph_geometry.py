"""Geometry of a relationship graph as drawn: read from the SVG, not from the layout that made it.

:func:`parse_svg` reads the markup of ``templates/_graph.j2`` (node boxes, edge
paths and arrowheads, label boxes, text sizes); the checks then say what is wrong
with the drawing, as lists a test can assert empty and print when not:

- :func:`edges_through_nodes`: an edge (its Béziers, finely sampled, and its
  arrowhead) entering the box of a node other than its own two;
- :func:`overlapping_labels`: two label boxes overlapping (node boxes, which hold
  the names, and edge labels' boxes);
- :func:`text_overflows`: a name or an edge label wider or taller than its box, by
  the conservative font metrics the layout used (a browser test checks real fonts);
- :func:`font_sizes`: every text size, to compare with the minimum.

:func:`draw` draws a layout with the site's template, for tests that start from a layout.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from generator.graph_style import legend
from generator.layout import Layout
from generator.model import KIND_TABLE
from generator.render import Renderer
from generator.textwidth import text_width
from generator.theme import kinds_css
from generator.views import GraphView

REPO = Path(__file__).resolve().parent.parent

SVG = "{http://www.w3.org/2000/svg}"
Point = tuple[float, float]


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle, y pointing down."""

    left: float
    top: float
    right: float
    bottom: float

    def shrunk(self, by: float) -> Box:
        """This box with every side moved inwards by ``by``."""
        return Box(self.left + by, self.top + by, self.right - by, self.bottom - by)

    def overlaps(self, other: Box, tolerance: float = 0.0) -> bool:
        """Whether the two boxes share more than a ``tolerance``-wide strip."""
        return (min(self.right, other.right) - max(self.left, other.left) > tolerance
                and min(self.bottom, other.bottom) - max(self.top, other.top) > tolerance)

    def crossed_by(self, a: Point, b: Point) -> bool:
        """Whether the segment from ``a`` to ``b`` passes through the box (Liang-Barsky clipping)."""
        if self.right <= self.left or self.bottom <= self.top:
            return False
        dx, dy = b[0] - a[0], b[1] - a[1]
        low, high = 0.0, 1.0
        for p, q in ((-dx, a[0] - self.left), (dx, self.right - a[0]),
                     (-dy, a[1] - self.top), (dy, self.bottom - a[1])):
            if p == 0:
                if q < 0:
                    return False
                continue
            t = q / p
            if p < 0:
                low = max(low, t)
            else:
                high = min(high, t)
            if low > high:
                return False
        return True


@dataclass(frozen=True)
class Text:
    """A text element: its lines, size and the box it must fit in."""

    lines: tuple[str, ...]
    font_size: float
    bold: bool
    box: Box


@dataclass(frozen=True)
class DrawnNode:
    """A node as drawn: its slug, link, accessible name and box."""

    slug: str
    href: str
    name: str
    box: Box
    text: Text


@dataclass(frozen=True)
class DrawnEdge:
    """An edge as drawn: its ends, the points of its path (Béziers sampled) and arrowhead, its label."""

    source: str
    target: str
    classes: tuple[str, ...]
    line: tuple[Point, ...]
    arrow: tuple[Point, ...]
    label: Text | None


@dataclass(frozen=True)
class Drawing:
    """Everything :func:`parse_svg` reads from one graph's SVG."""

    width: float
    height: float
    nodes: tuple[DrawnNode, ...]
    edges: tuple[DrawnEdge, ...]


_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_COMMAND = re.compile(r"[MLCZmlcz]|" + _NUMBER.pattern)


def sample_path(d: str, steps: int = 32) -> tuple[Point, ...]:
    """Return points along an SVG path of absolute ``M``, ``L``, ``C`` and ``Z`` commands.

    Each cubic Bézier gives ``steps`` points; straight segments their two ends.

    Raises:
        ValueError: the path uses another command (the template only writes these).
    """
    tokens = _COMMAND.findall(d)
    points: list[Point] = []
    start: Point | None = None
    command = ""
    i = 0

    def numbers(count: int) -> list[float]:
        nonlocal i
        values = [float(t) for t in tokens[i:i + count]]
        if len(values) != count:
            raise ValueError(f"path ends early: {d!r}")
        i += count
        return values

    while i < len(tokens):
        token = tokens[i]
        if token.isalpha():
            command = token
            i += 1
            if command in "Zz":
                if start is not None:
                    points.append(start)
                continue
        if command == "M":
            x, y = numbers(2)
            points.append((x, y))
            start = (x, y)
            command = "L"
        elif command == "L":
            x, y = numbers(2)
            points.append((x, y))
        elif command == "C":
            p0 = points[-1]
            x1, y1, x2, y2, x3, y3 = numbers(6)
            for step in range(1, steps + 1):
                t = step / steps
                u = 1 - t
                points.append((u * u * u * p0[0] + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t * t * t * x3,
                               u * u * u * p0[1] + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t * t * t * y3))
        else:
            raise ValueError(f"unsupported path command {command!r} in {d!r}")
    return tuple(points)


def _classes(element: ET.Element) -> tuple[str, ...]:
    return tuple(element.get("class", "").split())


def _rect_box(rect: ET.Element) -> Box:
    x, y = float(rect.get("x", 0)), float(rect.get("y", 0))
    return Box(x, y, x + float(rect.get("width", 0)), y + float(rect.get("height", 0)))


def _text(group: ET.Element, box: Box) -> Text:
    text = group.find(f"{SVG}text")
    if text is None:
        raise ValueError("a node or label without text")
    spans = text.findall(f"{SVG}tspan")
    lines = tuple("".join(span.itertext()) for span in spans) if spans else ("".join(text.itertext()),)
    classes = _classes(group)
    return Text(lines, float(text.get("font-size", "nan")), "is-center" in classes, box)


def parse_svg(svg: str | ET.Element) -> Drawing:
    """Read a graph drawn by ``templates/_graph.j2``: the ``<svg>`` element or markup holding one."""
    if isinstance(svg, str):
        start = svg.index("<svg")
        end = svg.index("</svg>", start) + len("</svg>")
        root = ET.fromstring(svg[start:end].replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1)
                             if "xmlns" not in svg[start:svg.index(">", start)] else svg[start:end])
    else:
        root = svg
    _, _, width, height = (float(v) for v in root.get("viewBox", "0 0 0 0").split())
    nodes = []
    for link in root.iter(f"{SVG}a"):
        if "relgraph-node" not in _classes(link):
            continue
        rect = link.find(f"{SVG}rect")
        if rect is None:
            raise ValueError(f"node {link.get('data-slug')!r} has no box")
        box = _rect_box(rect)
        nodes.append(DrawnNode(link.get("data-slug", ""), link.get("href", ""), link.get("aria-label", ""),
                               box, _text(link, box)))
    labels: dict[tuple[str, str, int], Text] = {}
    seen: dict[tuple[str, str], int] = {}
    for group in root.iter(f"{SVG}g"):
        if "relgraph-label" in _classes(group):
            ends = (group.get("data-source", ""), group.get("data-target", ""))
            seen[ends] = seen.get(ends, -1) + 1
            rect = group.find(f"{SVG}rect")
            if rect is None:
                raise ValueError(f"label of {ends} has no box")
            labels[(*ends, seen[ends])] = _text(group, _rect_box(rect))
    edges = []
    seen = {}
    for group in root.iter(f"{SVG}g"):
        classes = _classes(group)
        if "relgraph-edge" not in classes:
            continue
        ends = (group.get("data-source", ""), group.get("data-target", ""))
        seen[ends] = seen.get(ends, -1) + 1
        paths = {_classes(p)[0]: p.get("d", "") for p in group.findall(f"{SVG}path")}
        edges.append(DrawnEdge(*ends, classes, sample_path(paths["relgraph-line"]),
                               sample_path(paths.get("relgraph-arrow", "")),
                               labels.get((*ends, seen[ends]))))
    return Drawing(width, height, tuple(nodes), tuple(edges))


def edges_through_nodes(drawing: Drawing, tolerance: float = 1.0) -> list[str]:
    """Every edge that enters the box (less ``tolerance`` on each side) of a node it does not connect."""
    found = []
    for edge in drawing.edges:
        for node in drawing.nodes:
            if node.slug in (edge.source, edge.target):
                continue
            box = node.box.shrunk(tolerance)
            for part, points in (("path", edge.line), ("arrowhead", edge.arrow)):
                if _near(box, points) and any(box.crossed_by(a, b) for a, b in pairwise(points)):
                    found.append(f"{edge.source} -> {edge.target}: its {part} crosses the box of {node.slug}")
    return found


def _near(box: Box, points: tuple[Point, ...]) -> bool:
    """Whether the bounding box of ``points`` meets ``box`` (a quick test before the exact one)."""
    return bool(points) and Box(min(p[0] for p in points), min(p[1] for p in points),
                                max(p[0] for p in points), max(p[1] for p in points)).overlaps(box, -1.0)


def edges_through_labels(drawing: Drawing, tolerance: float = 1.0) -> list[str]:
    """Every edge that crosses another edge's label box (not required; a measure of clutter)."""
    found = []
    for edge in drawing.edges:
        for other in drawing.edges:
            if other is edge or other.label is None:
                continue
            box = other.label.box.shrunk(tolerance)
            if _near(box, edge.line) and any(box.crossed_by(a, b) for a, b in pairwise(edge.line)):
                found.append(f"{edge.source} -> {edge.target} crosses the label of "
                             f"{other.source} -> {other.target}")
    return found


def label_boxes(drawing: Drawing) -> list[tuple[str, Box]]:
    """Every box that holds text: nodes (named by slug) and edge labels (named by their ends)."""
    boxes = [(f"node {node.slug}", node.box) for node in drawing.nodes]
    boxes += [(f"label of {edge.source} -> {edge.target} ({' '.join(edge.label.lines)})", edge.label.box)
              for edge in drawing.edges if edge.label is not None]
    return boxes


def overlapping_labels(drawing: Drawing, tolerance: float = 0.5) -> list[str]:
    """Every pair of text boxes (nodes and edge labels) that overlap by more than ``tolerance``."""
    boxes = label_boxes(drawing)
    return [f"{a} overlaps {b}" for i, (a, box_a) in enumerate(boxes) for b, box_b in boxes[i + 1:]
            if box_a.overlaps(box_b, tolerance)]


def texts(drawing: Drawing) -> list[tuple[str, Text]]:
    """Every text of the drawing, named."""
    named = [(f"node {node.slug}", node.text) for node in drawing.nodes]
    named += [(f"label of {edge.source} -> {edge.target}", edge.label)
              for edge in drawing.edges if edge.label is not None]
    return named


def text_overflows(drawing: Drawing, line_height: float = 1.25) -> list[str]:
    """Every text wider or taller than its box, by the layout's conservative font metrics."""
    found = []
    for name, text in texts(drawing):
        width = max(text_width(line, text.font_size, bold=text.bold) for line in text.lines)
        height = len(text.lines) * text.font_size * line_height
        box = text.box
        if width > box.right - box.left or height > box.bottom - box.top:
            found.append(f"{name}: {' / '.join(text.lines)!r} needs {width:.0f} x {height:.0f} px, "
                         f"has {box.right - box.left:.0f} x {box.bottom - box.top:.0f}")
    return found


def font_sizes(drawing: Drawing) -> list[float]:
    """The font size of every text in the drawing."""
    return [text.font_size for _, text in texts(drawing)]


def distance_to_path(box: Box, points: tuple[Point, ...]) -> float:
    """The shortest distance from ``box`` to a sampled path (0 when the path enters the box)."""
    best = math.inf
    for x, y in points:
        dx = max(box.left - x, 0.0, x - box.right)
        dy = max(box.top - y, 0.0, y - box.bottom)
        best = min(best, math.hypot(dx, dy))
    return best


def draw(layout: Layout, fit: str = "scale", hrefs: dict[str, str] | None = None) -> str:
    """The figure the site's template (``templates/_graph.j2``) draws for ``layout``."""
    macro = _renderer().env.get_template("_graph.j2").module.draw  # type: ignore[attr-defined]
    links = hrefs or {node.id: f"../{node.id}/" for node in layout.nodes}
    key = legend(layout, [(kind.folder, kind.title) for kind in KIND_TABLE])
    return str(macro(GraphView(layout, links, key, "Relationship graph", fit, ())))


@lru_cache(maxsize=1)
def _renderer() -> Renderer:
    return Renderer(REPO / "templates", REPO)


PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>
:root {{ --md-default-bg-color: #fff; --md-default-fg-color: rgba(0,0,0,.87);
  --md-default-fg-color--light: rgba(0,0,0,.54); --md-default-fg-color--lighter: rgba(0,0,0,.32);
  --md-default-fg-color--lightest: rgba(0,0,0,.07); --md-accent-fg-color: #526cfe; }}
body {{ margin: 0; padding: 16px; font: 16px/1.5 -apple-system, Helvetica, Arial, sans-serif; }}
.column {{ width: {column}px; }}
</style>
<style>{kinds}</style>
<link rel="stylesheet" href="{css}"></head>
<body><main class="column md-typeset"><div class="explainer"><h1>{title}</h1>
{figures}
</div></main><script src="{js}"></script></body></html>
"""
"""A page like a sheet's, for graphs alone: Material's colour variables, the kinds' colours, a column
as wide as its content column (688 px at a 1280 px screen, 358 px at 390 px), the graph's CSS and script."""

COLUMNS = {1280: 688, 390: 358}


def standalone_page(figures: list[str], column: int, css: str, js: str, title: str = "Graphs") -> str:
    """An HTML page of ``figures`` (drawn by :func:`draw`) in a ``column`` px wide column."""
    return PAGE.format(title=title, column=column, css=css, js=js, figures="\n".join(figures),
                       kinds=kinds_css())
