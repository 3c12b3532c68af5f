"""Graph layout by Graphviz's ``dot``, run at build time: typed nodes and edges in, boxes and Béziers out.

``dot`` (Graphviz's layered layout) places nodes in ranks, orders each rank to
cut crossings, and routes every edge as a spline through the free space between
boxes (``splines=true``), clipped at its two ends. Edge labels are laid out as
nodes of their own (``label``, not ``xlabel``, which is placed after the layout and
may overlap), so edges are routed around them. Afterwards each label moves onto its
own edge where that place is free (no node, label or other edge in it), which ties
it to its edge in a fan of edges; the rare label ``dot`` packs into another's room
(of an edge it turned round to break a cycle) moves to the nearest free place.

Graphs run left to right (``rankdir=LR``; nodes 12 px apart in a rank, ranks 18 px
apart). A sheet's own graph (``center``) puts every neighbour to the right of the
sheet, edges to the sheet drawn with their arrow pointing back (``sides="after"``):
two columns, under 500 px wide (under 400 for the seed content), so it shrinks to a
358 px phone column by less than 30 % (10 % for the seed content). ``sides="both"``
puts sources left and targets right (three columns, up to about 600 px).

Text is never measured by Graphviz (its metrics depend on the fonts installed
where it runs): nodes are fixed-size boxes with no text, edge labels fixed-size
empty HTML tables, and both are sized here from conservative font metrics
(:mod:`generator.textwidth`), names wrapped onto lines, never cut short. The
output is in SVG user units (px), y pointing down.

Cost, from ``benchmarks/layout_bench.py``: Graphviz 2.43.0, 2 cores shared with other
jobs (load 5 to 8, so wall-clock time runs up to twice the CPU time), 3,000 neighbour
graphs of 3 to 12 nodes (mean 5), per graph:

==========================================  ===========  ===============
                                            CPU (ours     wall-clock
                                            and dot's)
==========================================  ===========  ===============
one ``dot`` process per graph               6 ms         8 to 16 ms
batches of 100 in one ``dot`` at a time     0.66 ms      1.0 to 1.3 ms
batches, two ``dot`` processes at a time    0.65 ms      0.8 to 1.2 ms
cached, in memory (``mkdocs serve``)        0.02 ms      0.03 ms
cached, in the file (a new build)           0.10 ms      0.14 to 0.19 ms
one graph of 80 nodes and 150 edges         160 ms       200 to 340 ms
==========================================  ===========  ===============

A first layout is about 0.4 ms of ``dot`` and 0.25 ms of Python (reading its output,
placing labels); ``dot``'s start-up, about 5 ms, is what batching saves. So a site lays
its graphs out together (:func:`layout_many`, :class:`LayoutCache`), and a rebuild lays
out only the graphs whose input changed: the cache is keyed by a hash of the ``dot``
input and kept in one JSON file (about 0.7 KB a graph).
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import shutil
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

from generator.errors import ExplainerError
from generator.parallel import fork_map
from generator.textwidth import text_width, wrap

CACHE_FILE = Path(".cache") / "graph-layouts.json"
"""Where a project keeps its :class:`LayoutCache`, relative to its root (to be git-ignored)."""

LAYOUT_VERSION = "2"
"""Part of every cache key: change it when the ``dot`` input or the reading of its output changes."""

ARROW_HALF_WIDTH = 3.2
"""Half the width of an arrowhead's base, in px (its length is Graphviz's: 8 px at ``arrowsize=0.8``)."""

RankDir = Literal["LR", "TB"]
Sides = Literal["both", "after"]


class LayoutError(ExplainerError):
    """Graphviz could not lay a graph out."""


class GraphvizMissing(LayoutError):
    """The ``dot`` program is not installed (or not on ``PATH``)."""

    def __init__(self, program: str) -> None:
        super().__init__(
            f"Graphviz's '{program}' program was not found; the relationship graphs are laid out with it. "
            "Install Graphviz (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz)."
        )


class GraphvizFailed(LayoutError):
    """``dot`` ran but failed: a bug in the input we gave it, or in Graphviz."""

    def __init__(self, returncode: int, stderr: str) -> None:
        super().__init__(f"Graphviz's dot failed (exit status {returncode}): {stderr.strip()[:2000]}")


@dataclass(frozen=True, order=True, slots=True)
class Node:
    """A node to lay out: ``label`` is drawn in full, wrapped onto lines; ``kind`` styles it."""

    id: str
    label: str
    kind: str = ""


@dataclass(frozen=True, order=True, slots=True)
class Edge:
    """A directed edge to lay out, with the label drawn beside it and the ``type`` that styles it."""

    source: str
    target: str
    label: str
    type: str = ""


@dataclass(frozen=True)
class Style:
    """Text sizes and spacing, in px: the template must draw text at these sizes."""

    node_font: float = 14.0
    label_font: float = 13.0
    line_height: float = 1.25
    """Line spacing as a multiple of the font size."""
    node_text_width: float = 130.0
    """Names wrap onto lines of at most this width (a longer word gets a line of its own)."""
    label_text_width: float = 100.0
    node_pad_x: float = 9.0
    node_pad_y: float = 6.0
    label_pad_x: float = 3.0
    label_pad_y: float = 1.0
    label_gap: int = 2
    """Graphviz reserves this much more than the label's box on every side (it sometimes packs
    labels a pixel closer than the space it was given)."""
    labels_on_edges: bool = True
    """Centre each label on its edge where there is room (else beside it, where ``dot`` put it)."""
    margin: float = 4.0
    """Around the whole drawing (Graphviz keeps 4 px of its own)."""
    nodesep: float = 12.0
    """Between neighbouring nodes of one rank."""
    ranksep: float = 18.0
    """Between ranks (edge labels get a rank of their own between two node ranks)."""


DEFAULT_STYLE = Style()


@dataclass(frozen=True)
class GraphSpec:
    """One graph to lay out. Build it with :func:`graph_spec`, which sorts and checks the input."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    rankdir: RankDir = "LR"
    center: str | None = None
    """For a sheet's own graph: the sheet, whose neighbours are placed by ``sides``."""
    sides: Sides = "after"
    """With a ``center``: ``"both"`` puts the nodes with edges to it before it and those it has edges to
    after it (three columns left to right); ``"after"`` puts every neighbour after it (two columns: half as
    wide, for phones), the arrows of edges to it pointing back."""
    style: Style = DEFAULT_STYLE

    def dot(self) -> str:
        """Return the ``dot`` source for this graph; equal specs give identical text.

        Made afresh each call, not kept: every graph's key is needed, its source only when
        the cache misses it (at 30,000 sheets the sources were 30 MB, held through the render).
        """
        return _dot_source(self)

    def key(self) -> str:
        """Return the cache key: a hash of the ``dot`` source and of what reads its output."""
        return self._key

    @cached_property
    def _key(self) -> str:
        return hashlib.sha256(f"{LAYOUT_VERSION} {self.style!r}\n{self.dot()}".encode()).hexdigest()


def graph_spec(nodes: Iterable[Node], edges: Iterable[Edge], *, rankdir: RankDir = "LR",
               center: str | None = None, sides: Sides = "after", style: Style = DEFAULT_STYLE) -> GraphSpec:
    """Return a :class:`GraphSpec` with nodes and edges sorted and duplicates dropped.

    Raises:
        ValueError: an edge or the center names a node that is not in ``nodes``, or two
            nodes share an id.
    """
    by_id: dict[str, Node] = {}
    for node in nodes:
        if node.id in by_id and by_id[node.id] != node:
            raise ValueError(f"two nodes have the id {node.id!r}")
        by_id[node.id] = node
    edge_set = set(edges)
    for edge in edge_set:
        for end in (edge.source, edge.target):
            if end not in by_id:
                raise ValueError(f"edge {edge.source!r} -> {edge.target!r} names an unknown node {end!r}")
    if center is not None and center not in by_id:
        raise ValueError(f"the center {center!r} is not a node")
    return GraphSpec(tuple(sorted(by_id.values())), tuple(sorted(edge_set)), rankdir, center, sides, style)


@dataclass(frozen=True, slots=True)
class LaidNode:
    """A node placed: its box's centre ``x``, ``y`` and size, and its label's lines."""

    id: str
    x: float
    y: float
    width: float
    height: float
    label: str
    lines: tuple[str, ...]
    kind: str
    center: bool
    font_size: float
    line_height: float

    @property
    def left(self) -> float:
        """The box's left edge."""
        return round(self.x - self.width / 2, 1)

    @property
    def top(self) -> float:
        """The box's top edge."""
        return round(self.y - self.height / 2, 1)

    @property
    def baselines(self) -> tuple[tuple[float, str], ...]:
        """Each line of the label with the y of its baseline, the block centred on the box."""
        return _baselines(self.y, self.lines, self.font_size, self.line_height)


@dataclass(frozen=True, slots=True)
class LaidEdge:
    """An edge drawn: ``path`` an SVG path of cubic Béziers from the source's box towards the target's,
    ``arrow`` the arrowhead (an SVG path ending on the target's box), the label's box by its centre."""

    source: str
    target: str
    type: str
    label: str
    path: str
    arrow: str
    label_x: float
    label_y: float
    label_width: float
    label_height: float
    label_lines: tuple[str, ...]
    font_size: float
    line_height: float

    @property
    def label_left(self) -> float:
        """The label box's left edge."""
        return round(self.label_x - self.label_width / 2, 1)

    @property
    def label_top(self) -> float:
        """The label box's top edge."""
        return round(self.label_y - self.label_height / 2, 1)

    @property
    def baselines(self) -> tuple[tuple[float, str], ...]:
        """Each line of the label with the y of its baseline, centred on the label box."""
        return _baselines(self.label_y, self.label_lines, self.font_size, self.line_height)


@dataclass(frozen=True, slots=True)
class Layout:
    """A laid-out graph in a ``width`` x ``height`` px drawing, y pointing down."""

    width: float
    height: float
    nodes: tuple[LaidNode, ...]
    edges: tuple[LaidEdge, ...]
    rankdir: RankDir = "LR"
    center: str | None = None


def _baselines(center_y: float, lines: tuple[str, ...], font_size: float,
               line_height: float) -> tuple[tuple[float, str], ...]:
    step = font_size * line_height
    # The middle of a line of text sits about 0.35 em above its baseline.
    first = center_y - step * (len(lines) - 1) / 2 + 0.35 * font_size
    return tuple((round(first + i * step, 1), line) for i, line in enumerate(lines))


# --- dot input -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sized:
    lines: tuple[str, ...]
    width: int
    height: int


@lru_cache(maxsize=65536)
def _node_size(node: Node, style: Style, center: bool) -> _Sized:
    lines = wrap(node.label, style.node_text_width, style.node_font, bold=center)
    text = max(text_width(line, style.node_font, bold=center) for line in lines)
    return _Sized(lines, math.ceil(text + 2 * style.node_pad_x),
                  math.ceil(len(lines) * style.node_font * style.line_height + 2 * style.node_pad_y))


@lru_cache(maxsize=65536)
def _label_size(label: str, style: Style) -> _Sized:
    lines = wrap(label, style.label_text_width, style.label_font)
    text = max(text_width(line, style.label_font) for line in lines)
    return _Sized(lines, math.ceil(text + 2 * style.label_pad_x),
                  math.ceil(len(lines) * style.label_font * style.line_height + 2 * style.label_pad_y))


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _inches(px: float) -> str:
    return f"{px / 72:.4f}"


def _dot_source(spec: GraphSpec) -> str:
    style = spec.style
    index = {node.id: i for i, node in enumerate(spec.nodes)}
    lines = [
        "digraph G {",
        f"graph [rankdir={spec.rankdir}, nodesep={_inches(style.nodesep)}, ranksep={_inches(style.ranksep)},"
        " splines=true, ordering=\"\", pad=0, margin=0];",
        'node [shape=box, fixedsize=true, label="", margin=0];',
        "edge [arrowsize=0.8];",
    ]
    for node in spec.nodes:
        size = _node_size(node, style, node.id == spec.center)
        lines.append(f"n{index[node.id]} [width={_inches(size.width)}, height={_inches(size.height)}];")
    outgoing_targets = {e.target for e in spec.edges if e.source == spec.center}
    related = {e.source for e in spec.edges if e.target == spec.center} | outgoing_targets
    strangers = spec.center is not None and len(related - {spec.center}) < len(spec.nodes) - 1
    for number, edge in enumerate(spec.edges):
        size = _label_size(edge.label, style)
        attrs = [f"id=e{number}",
                 f'label=<<TABLE FIXEDSIZE="TRUE" WIDTH="{size.width + 2 * style.label_gap}" '
                 f'HEIGHT="{size.height + 2 * style.label_gap}" BORDER="0" '
                 'CELLBORDER="0" CELLPADDING="0" CELLSPACING="0"><TR><TD></TD></TR></TABLE>>']
        tail, head = edge.source, edge.target
        if head == spec.center and tail != head:
            if spec.sides == "after":
                # Laid out as an edge from the center, drawn with its arrow at the center.
                tail, head = head, tail
                attrs.append("dir=back")
            elif tail in outgoing_targets:
                # A neighbour both ways stays on the targets' side; this edge runs back to the center.
                attrs.append("constraint=false")
        if strangers and "constraint=false" not in attrs and spec.rankdir == "LR":
            # A node unrelated to the center may share its rank, above or below it: edges must
            # not wrap round the center to reach its top or bottom, past that node's corner.
            # (Ports bunch the edges into a trunk, so only then.)
            attrs += ["tailport=e", "headport=w"]
        lines.append(f"n{index[tail]} -> n{index[head]} [{', '.join(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


# --- running dot -----------------------------------------------------------------------------------


def _dot_program() -> str:
    return os.environ.get("EXPLAINER_DOT", "dot")


def run_dot(sources: Sequence[str]) -> list[str]:
    """Lay out every ``dot`` source in one ``dot -Tjson0`` process; return its JSON output for each.

    Raises:
        GraphvizMissing: ``dot`` is not installed.
        GraphvizFailed: ``dot`` failed.
    """
    if not sources:
        return []
    program = _dot_program()
    if shutil.which(program) is None:
        raise GraphvizMissing(program)
    try:
        done = subprocess.run([program, "-Tjson0"], input="".join(sources).encode(), capture_output=True,
                              check=False)
    except FileNotFoundError as error:
        raise GraphvizMissing(program) from error
    if done.returncode != 0:
        raise GraphvizFailed(done.returncode, done.stderr.decode(errors="replace"))
    outputs = _split_json(done.stdout.decode())
    if len(outputs) != len(sources):
        raise GraphvizFailed(done.returncode, f"expected {len(sources)} layouts, got {len(outputs)}")
    return outputs


def _split_json(text: str) -> list[str]:
    decoder = json.JSONDecoder()
    outputs: list[str] = []
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            return outputs
        _, end = decoder.raw_decode(text, position)
        outputs.append(text[position:end])
        position = end


# --- reading dot's output --------------------------------------------------------------------------


def _arrow(base: tuple[float, float], tip: tuple[float, float], half_width: float) -> str:
    dx, dy = tip[0] - base[0], tip[1] - base[1]
    length = math.hypot(dx, dy) or 1.0
    px, py = -dy / length * half_width, dx / length * half_width
    corners = ((tip[0], tip[1]), (base[0] + px, base[1] + py), (base[0] - px, base[1] - py))
    return "M " + " L ".join(f"{x:.1f} {y:.1f}" for x, y in corners) + " Z"


Geometry = list[Any]
"""What :func:`geometry` makes of ``dot``'s output, :func:`read_layout` reads and caches keep (as JSON)."""


def geometry(output: str, spec: GraphSpec) -> Geometry:
    """Turn ``dot -Tjson0`` output for ``spec`` into the compact geometry :func:`read_layout` reads.

    A list (what caches keep, as JSON): the drawing's width and height, each node's centre (in
    the order of the graph's nodes), and each edge's path, arrowhead and label centre (in the
    order of its edges), in px with the style's margin all round, y pointing down. A label
    that ``dot`` left overlapping another is moved along its own edge to the nearest free place.
    """
    data: dict[str, Any] = json.loads(output)
    margin = spec.style.margin
    left, bottom, right, top = (float(v) for v in data["bb"].split(","))

    def place(text: str) -> tuple[float, float]:
        x, y = text.split(",")
        return float(x) - left + margin, top - float(y) + margin

    centres = [point for _, point in sorted((int(drawn["name"][1:]), place(drawn["pos"]))
                                            for drawn in data.get("objects", ()))]
    splines: list[list[tuple[float, float]]] = []
    drawn_edges: list[tuple[str, str, float, float]] = []
    for drawn in sorted(data.get("edges", ()), key=lambda e: int(e["id"][1:])):
        points: list[tuple[float, float]] = []
        end: tuple[float, float] | None = None
        start: tuple[float, float] | None = None
        for part in drawn["pos"].split():
            if part[0] == "e":  # the arrowhead's tip at the head: "e,x,y"
                end = place(part[2:])
            elif part[0] == "s":  # ... at the tail
                start = place(part[2:])
            else:
                points.append(place(part))
        if drawn.get("dir") == "back":
            # Laid out from target to source: turn the path round so it runs from source to target.
            points.reverse()
            end = start
        xy = [f"{x:.1f} {y:.1f}" for x, y in points]
        path = f"M {xy[0]}" + "".join(f" C {xy[i]} {xy[i + 1]} {xy[i + 2]}" for i in range(1, len(xy) - 2, 3))
        arrow = _arrow(points[-1], end, ARROW_HALF_WIDTH) if end is not None else ""
        splines.append(points)
        drawn_edges.append((path, arrow, *place(drawn["lp"])))
    width, height = right - left + 2 * margin, top - bottom + 2 * margin
    style = spec.style
    nodes = [_box(centre, _node_size(node, style, node.id == spec.center))
             for node, centre in zip(spec.nodes, centres, strict=True)]
    labels = [_box((e[2], e[3]), _label_size(edge.label, style)) for edge, e in zip(spec.edges, drawn_edges,
                                                                                     strict=True)]
    moved = _free_labels(nodes, labels, splines, width, height)
    if spec.style.labels_on_edges:
        moved.update(_snap_labels(nodes, labels, splines, width, height))
    for number, (label_x, label_y) in moved.items():
        drawn_edges[number] = (*drawn_edges[number][:2], label_x, label_y)
    return [round(width, 1), round(height, 1), [[round(x, 1), round(y, 1)] for x, y in centres],
            [[path, arrow, round(x, 1), round(y, 1)] for path, arrow, x, y in drawn_edges]]


_Box = tuple[float, float, float, float]
"""left, top, right, bottom"""


def _box(centre: tuple[float, float], size: _Sized) -> _Box:
    return (centre[0] - size.width / 2, centre[1] - size.height / 2,
            centre[0] + size.width / 2, centre[1] + size.height / 2)


def _overlap(a: _Box, b: _Box, *, touching: bool = False) -> bool:
    if touching:
        return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _free_labels(nodes: list[_Box], labels: list[_Box], splines: list[list[tuple[float, float]]],
                 width: float, height: float) -> dict[int, tuple[float, float]]:
    """Move each label that overlaps a node or another label to the nearest free place on its edge.

    ``dot`` gives every label room of its own, but now and then packs two labels of one
    rank (of edges it turned round to break a cycle) into each other's room. Returns the
    new centres of the labels moved; a label with no free place on its edge stays.
    """
    moved: dict[int, tuple[float, float]] = {}
    for number, label in enumerate(labels):
        others = nodes + labels[:number] + labels[number + 1:]
        if not any(_overlap(label, other) for other in others):
            continue
        half_w, half_h = (label[2] - label[0]) / 2, (label[3] - label[1]) / 2
        x0, y0 = (label[0] + label[2]) / 2, (label[1] + label[3]) / 2
        for _, x, y in sorted([((x - x0) ** 2 + (y - y0) ** 2, x, y) for x, y in _sample(splines[number])]):
            box = (x - half_w, y - half_h, x + half_w, y + half_h)
            if (box[0] >= 0 and box[1] >= 0 and box[2] <= width and box[3] <= height
                    and not any(_overlap(box, other) for other in others)):
                labels[number] = box
                moved[number] = (x, y)
                break
    return moved


def _snap_labels(nodes: list[_Box], labels: list[_Box], splines: list[list[tuple[float, float]]],
                 width: float, height: float) -> dict[int, tuple[float, float]]:
    """Centre each label on its own edge, at the free place nearest where ``dot`` put it.

    ``dot`` puts a label beside its edge, and where many edges fan out of one node a
    label can sit as near another edge as its own. On its edge (its box hides the line
    under it) it can only be read as that edge's. A place is free if the box is inside the
    drawing, overlaps no node and no other label, and no other edge crosses it; a label
    with no free place on its edge stays where it is.
    """
    moved: dict[int, tuple[float, float]] = {}
    polylines = [[*_sample(spline, 8), spline[-1]] for spline in splines]
    bounds = [_bounds(line) for line in polylines]
    for number, label in enumerate(labels):
        half_w, half_h = (label[2] - label[0]) / 2, (label[3] - label[1]) / 2
        x0, y0 = (label[0] + label[2]) / 2, (label[1] + label[3]) / 2
        candidates = _sample(splines[number])
        # Only what is near this edge can be in the way.
        region = _bounds(candidates)
        region = (region[0] - half_w, region[1] - half_h, region[2] + half_w, region[3] + half_h)
        others = [box for box in (*nodes, *labels[:number], *labels[number + 1:]) if _overlap(box, region)]
        crossing = [line for other, line in enumerate(polylines)
                    if other != number and _overlap(bounds[other], region, touching=True)]
        for _, x, y in sorted([((x - x0) ** 2 + (y - y0) ** 2, x, y) for x, y in candidates]):
            box = (x - half_w, y - half_h, x + half_w, y + half_h)
            if (box[0] >= 0 and box[1] >= 0 and box[2] <= width and box[3] <= height
                    and not any(_overlap(box, other) for other in others)
                    and not any(_crosses(box, line) for line in crossing)):
                labels[number] = box
                moved[number] = (x, y)
                break
    return moved


def _bounds(points: list[tuple[float, float]]) -> _Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _crosses(box: _Box, line: list[tuple[float, float]]) -> bool:
    """Whether a polyline passes through ``box`` (Liang-Barsky clipping of each segment)."""
    for (ax, ay), (bx, by) in pairwise(line):
        if (ax < box[0] and bx < box[0]) or (ax > box[2] and bx > box[2]) or \
                (ay < box[1] and by < box[1]) or (ay > box[3] and by > box[3]):
            continue
        dx, dy = bx - ax, by - ay
        low, high = 0.0, 1.0
        for p, q in ((-dx, ax - box[0]), (dx, box[2] - ax), (-dy, ay - box[1]), (dy, box[3] - ay)):
            if p == 0:
                if q < 0:
                    break
                continue
            t = q / p
            if p < 0:
                low = max(low, t)
            else:
                high = min(high, t)
            if low > high:
                break
        else:
            return True
    return False


def _sample(points: list[tuple[float, float]], steps: int = 16) -> list[tuple[float, float]]:
    """Points along a path of cubic Béziers (``points``: start, then three per segment)."""
    weights = _bernstein(steps)
    found = []
    for i in range(1, len(points) - 2, 3):
        (ax, ay), (bx, by), (cx, cy), (dx, dy) = points[i - 1:i + 3]
        found += [(a * ax + b * bx + c * cx + d * dx, a * ay + b * by + c * cy + d * dy)
                  for a, b, c, d in weights]
    return found


@lru_cache(maxsize=8)
def _bernstein(steps: int) -> tuple[tuple[float, float, float, float], ...]:
    return tuple(((1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t ** 3)
                 for t in (step / steps for step in range(steps)))


@dataclass(frozen=True, slots=True)
class StoredLayout:
    """A graph's layout as a cache keeps it, its geometry as JSON text: read only when drawn.

    A build holds every graph's layout from before its pages are shared among processes until
    its page is drawn; read, they were 220 MB at 30,000 sheets, each copied into any process
    that touched it.
    """

    spec: GraphSpec
    text: str

    def read(self) -> Layout:
        """The :class:`Layout`."""
        return read_layout(self.spec, json.loads(self.text))


def read_layout(spec: GraphSpec, stored: Geometry) -> Layout:
    """Build the :class:`Layout` of ``spec`` from its :func:`geometry`."""
    width, height, centres, drawn_edges = stored
    style = spec.style
    nodes = []
    for node, (x, y) in zip(spec.nodes, centres, strict=True):
        center = node.id == spec.center
        size = _node_size(node, style, center)
        nodes.append(LaidNode(node.id, x, y, size.width, size.height, node.label, size.lines, node.kind,
                              center, style.node_font, style.line_height))
    edges = []
    for edge, (path, arrow, label_x, label_y) in zip(spec.edges, drawn_edges, strict=True):
        size = _label_size(edge.label, style)
        edges.append(LaidEdge(edge.source, edge.target, edge.type, edge.label, path, arrow, label_x, label_y,
                              size.width, size.height, size.lines, style.label_font, style.line_height))
    return Layout(width, height, tuple(nodes), tuple(edges), spec.rankdir, spec.center)


# --- the public entry points -----------------------------------------------------------------------


def layout(spec: GraphSpec) -> Layout:
    """Lay out one graph (one ``dot`` process: prefer :func:`layout_many` or :class:`LayoutCache`)."""
    return read_layout(spec, geometry(run_dot([spec.dot()])[0], spec))


def layout_many(specs: Sequence[GraphSpec], *, processes: int = 1) -> list[Layout]:
    """Lay out many graphs in batches, ``processes`` ``dot`` processes at a time."""
    return [read_layout(spec, geometry(output, spec)) for spec, output in
            zip(specs, _run_batches([spec.dot() for spec in specs], processes), strict=True)]


BATCH = 100
"""Graphs per ``dot`` process: its start-up (about 5 ms) shared by many, and batches small enough
that reading one batch's output (in Python) overlaps with ``dot`` laying out the next."""


def geometries(specs: Sequence[GraphSpec], processes: int = 1) -> list[Geometry]:
    """Lay out ``specs`` and read each layout: with many, shared among ``processes`` processes.

    Reading ``dot``'s output and placing the labels is Python, and takes longer than ``dot``
    itself: in one process, two ``dot`` processes at a time leave Python the bottleneck.
    Each process (:func:`~generator.parallel.fork_map`) takes its own part of the graphs,
    reading one batch while ``dot`` lays out the next.
    """
    parts = min(processes, len(specs) // (2 * BATCH))
    if parts < 2:
        return _geometries(specs, processes)
    size = -(-len(specs) // parts)
    shares = [specs[start:start + size] for start in range(0, len(specs), size)]
    # One dot at a time in each: the processes keep both processors busy.
    each = functools.partial(_geometries, processes=1)
    return [made for share in fork_map(each, shares, workers=parts, min_share=1) for made in share]


def _geometries(specs: Sequence[GraphSpec], processes: int = 1) -> list[Geometry]:
    return [geometry(output, spec) for spec, output in
            zip(specs, _run_batches([spec.dot() for spec in specs], processes), strict=True)]


def _run_batches(sources: Sequence[str], processes: int) -> Iterator[str]:
    """``dot``'s output for each source, in order, as the batches finish."""
    if len(sources) <= BATCH:
        yield from run_dot(sources)
        return
    batches = [sources[i:i + BATCH] for i in range(0, len(sources), BATCH)]
    with ThreadPoolExecutor(max(1, processes)) as pool:
        for outputs in pool.map(run_dot, batches):
            yield from outputs


KEYS_PER_PROCESS = 2000
"""Fewest graph keys worth a process of their own (forking a large process costs milliseconds)."""


@dataclass
class LayoutCache:
    """Layouts by content: a graph is laid out only if no earlier build laid out the same ``dot`` input.

    Keeps every graph's key in memory unless told not to (a rebuild in the same process, such as
    ``mkdocs serve``, costs a dictionary look-up per unchanged graph) and, when ``path`` is
    given, the geometry of each in one JSON file, keyed by a hash of the ``dot`` input
    and tagged with the Graphviz version that made it, so a build in a new process lays
    out only what changed. Each geometry is stored, and kept in memory, as its own JSON
    text, read only when its graph is: at 30,000 sheets the whole file read as lists and
    numbers was 74 MB, as texts 23 MB. Misses are laid out together, in ``processes`` parallel
    ``dot`` processes. Call :meth:`save` after a build: it writes the graphs used since
    the last save (so stale ones drop out), whole, renamed into place.
    """

    path: Path | None = None
    processes: int = field(default_factory=lambda: min(2, os.cpu_count() or 1))
    keep: bool = True
    """Whether to keep each graph's key for a later build in the same process (finding it
    again means writing the graph's ``dot`` source and hashing it)."""
    hits: int = 0
    misses: int = 0
    _keys: dict[GraphSpec, str] = field(default_factory=dict, repr=False)
    """The key of each graph laid out, while ``keep``: a dictionary look-up, not a hash of its source."""
    _stored: dict[str, str] | None = field(default=None, repr=False)
    """The JSON text of each geometry, by key."""
    _used: dict[str, str] = field(default_factory=dict, repr=False)
    _changed: bool = field(default=False, repr=False)

    def layout_many(self, specs: Sequence[GraphSpec]) -> list[Layout]:
        """Lay out ``specs``, from the cache where it has them."""
        return [stored.read() for stored in self.stored_many(specs)]

    def stored_many(self, specs: Sequence[GraphSpec]) -> list[StoredLayout]:
        """Lay out ``specs`` (those the cache misses), each read only when its graph is drawn."""
        stored = self._load()
        keys = self._keys_of(specs)
        missing: dict[str, GraphSpec] = {}
        misses = 0
        for spec, key in zip(specs, keys, strict=True):
            if key not in stored:
                missing.setdefault(key, spec)
                misses += 1
        self.misses += misses
        self.hits += len(specs) - misses
        if missing:
            for key, made in zip(missing, geometries(list(missing.values()), self.processes), strict=True):
                stored[key] = json.dumps(made, separators=(",", ":"))
                self._changed = True
        used = self._used
        for key in keys:
            used[key] = stored[key]
        return [StoredLayout(spec, stored[key]) for spec, key in zip(specs, keys, strict=True)]

    def _keys_of(self, specs: Sequence[GraphSpec]) -> list[str]:
        """Each spec's key: a known one's looked up (while ``keep``), the others' worked out.

        Working one out writes the graph's ``dot`` source and hashes it, about a tenth of a
        millisecond: 4 s of one process at 30,000 sheets, so many are shared among processes.
        Without ``keep`` no spec is hashed (as a dictionary key): that was a fifth of the time.
        """
        if not self.keep:
            return fork_map(GraphSpec.key, specs, workers=self.processes, min_share=KEYS_PER_PROCESS)
        known = self._keys
        todo = [spec for spec in dict.fromkeys(specs) if spec not in known]
        known.update(zip(todo, fork_map(GraphSpec.key, todo, workers=self.processes,
                                        min_share=KEYS_PER_PROCESS), strict=True))
        return [known[spec] for spec in specs]

    def layout(self, spec: GraphSpec) -> Layout:
        """Lay out one graph, from the cache if it has it."""
        return self.layout_many([spec])[0]

    def save(self, *, prune: bool = True) -> None:
        """Write the geometry of every graph laid out or read since the last save; forget the rest.

        After a build that laid out only some graphs (an incremental rebuild keeps the other
        pages as they were), pass ``prune=False``: the others are still in use, and a later
        build in a new process would otherwise lay them all out again.
        """
        used, self._used = self._used, {}
        if not prune:
            # Nothing is dropped: every layout in memory is among those stored. (Filtering
            # would hash every graph's spec again: 0.9 s of each save at 30,000 sheets.)
            used = {**(self._stored or {}), **used}
        else:
            self._keys = {spec: key for spec, key in self._keys.items() if key in used}
        stale = self._stored is not None and set(self._stored) != set(used)
        self._stored = used
        if self.path is None or not (self._changed or stale):
            return
        self._changed = False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps({"version": LAYOUT_VERSION, "graphviz": graphviz_version(),
                                         "layouts": self._stored}, separators=(",", ":")), encoding="utf-8")
        temporary.replace(self.path)

    def _load(self) -> dict[str, str]:
        if self._stored is None:
            self._stored = {}
            if self.path is not None:
                try:
                    data = json.loads(self.path.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    data = {}
                if (isinstance(data, dict) and data.get("version") == LAYOUT_VERSION
                        and data.get("graphviz") == graphviz_version()):
                    self._stored = {key: text for key, text in dict(data.get("layouts", {})).items()
                                    if isinstance(text, str)}
        return self._stored


@lru_cache(maxsize=1)
def graphviz_version() -> str:
    """What ``dot -V`` says (its version), or raise :class:`GraphvizMissing`."""
    program = _dot_program()
    if shutil.which(program) is None:
        raise GraphvizMissing(program)
    done = subprocess.run([program, "-V"], capture_output=True, check=False)
    return (done.stderr or done.stdout).decode(errors="replace").strip()
