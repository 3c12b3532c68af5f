"""The Graphviz layout, checked on the SVG the site's template draws from it.

Every graph here is laid out by the real ``dot`` (a missing Graphviz fails the
tests, with the message that says to install it), drawn by
``templates/_graph_svg.j2`` and read back by ``tests/graph_geometry.py``: no edge
through a node it does not connect, no two labels overlapping, every name in
full and fitting its box, no text under 12 px, every node a link.
"""

from __future__ import annotations

import json
import os
import random
import re
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from graph_geometry import (
    Box,
    Drawing,
    draw,
    edges_through_nodes,
    font_sizes,
    overlapping_labels,
    parse_svg,
    text_overflows,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import layout as layout_module
from generator.graph_style import side_of
from generator.layout import (
    BATCH,
    Edge,
    GraphSpec,
    GraphvizMissing,
    Layout,
    LayoutCache,
    Node,
    graph_spec,
    layout,
    layout_many,
)
from generator.model import KINDS, RELATION_TYPES
from generator.pipeline import Project, check
from generator.textwidth import text_width, wrap

REPO = Path(__file__).resolve().parent.parent
MIN_FONT = 12.0
TYPES = sorted(RELATION_TYPES)
WORDS = ("Libyan", "National", "Army", "of", "the", "Turkish", "air", "defence", "systems", "Tripoli",
         "Wagner", "memorandum", "Jufra", "Watiya", "Ḥaftar", "Égypte", "Al-Watiya", "forces", "W", "i",
         "near", "M", "reinforcements", "counter-offensive", "\u2019s", "&", "<b>")


def _label(kind: str, outgoing: bool) -> str:
    """The label of a relation of type ``kind`` as read from the sheet of a neighbour graph."""
    return RELATION_TYPES[kind].forward if outgoing else RELATION_TYPES[kind].backward


def problems(drawing: Drawing) -> list[str]:
    """Everything the issue forbids, as found in the drawing."""
    found = edges_through_nodes(drawing) + overlapping_labels(drawing) + text_overflows(drawing)
    found += [f"text at {size} px" for size in font_sizes(drawing) if size < MIN_FONT]
    return found


def assert_readable(spec: GraphSpec, laid: Layout) -> Drawing:
    """Draw ``laid`` and assert every property the drawing must have; return the drawing."""
    drawing = parse_svg(draw(laid))
    assert problems(drawing) == []
    # Every node of the input, as a link, with its full name, and every edge.
    assert sorted(n.slug for n in drawing.nodes) == sorted(n.id for n in spec.nodes)
    names = {n.id: n.label for n in spec.nodes}
    for node in drawing.nodes:
        assert node.name == " ".join(names[node.slug].split())
        assert "".join(node.text.lines).replace(" ", "") == "".join(names[node.slug].split())
        assert node.href
    assert Counter((e.source, e.target) for e in drawing.edges) == Counter(
        (e.source, e.target) for e in spec.edges)
    # Inside the drawing.
    everything = Box(0, 0, drawing.width, drawing.height)
    for node in drawing.nodes:
        assert not node.box.overlaps(Box(-1e9, -1e9, 1e9, 0)) and node.box.right <= everything.right + 0.5
        assert node.box.bottom <= everything.bottom + 0.5 and node.box.left >= -0.5
    return drawing


def neighbour_spec(center: str, count: int, seed: int, *, both_ways: bool = True) -> GraphSpec:
    """A sheet with ``count`` neighbours, relations both ways and several between one pair."""
    rng = random.Random(seed)
    nodes = [Node(center, "Government of National Accord", "actors")]
    edges = []
    for i in range(count):
        slug = f"n{i}"
        nodes.append(Node(slug, random_name(rng), rng.choice(KINDS)))
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            kind = rng.choice(TYPES)
            outgoing = not both_ways or rng.random() < 0.6
            source, target = (center, slug) if outgoing else (slug, center)
            edges.append(Edge(source, target, _label(kind, outgoing), kind))
    return graph_spec(nodes, edges, center=center)


def random_name(rng: random.Random) -> str:
    """A name of 1 to 14 words, some long, some with accents, typographic quotes or markup."""
    return " ".join(rng.choice(WORDS) for _ in range(rng.choice((1, 1, 2, 3, 3, 4, 6, 9, 14))))


def random_spec(seed: int, nodes: int, edges: int) -> GraphSpec:
    """A random directed multigraph (no loops): ``nodes`` sheets, a tenth of them unrelated (as in a
    graph of one kind's sheets), and ``edges`` relations among the others."""
    rng = random.Random(seed)
    made = [Node(f"s{i}", random_name(rng), rng.choice(KINDS)) for i in range(nodes)]
    related = made[: max(2, nodes - nodes // 10)]
    relations = []
    for _ in range(edges):
        source, target = rng.sample(related, 2)
        kind = rng.choice(TYPES)
        relations.append(Edge(source.id, target.id, RELATION_TYPES[kind].forward, kind))
    return graph_spec(made, relations)


HAND_MADE = {
    "one relation": graph_spec([Node("a", "Turkey", "actors"), Node("b", "Libya", "places")],
                               [Edge("a", "b", "backs", "backs")], center="a"),
    "both ways, three between one pair": graph_spec(
        [Node("gna", "Government of National Accord", "actors"),
         Node("lna", "Libyan National Army", "actors"), Node("tr", "Turkey", "actors")],
        [Edge("lna", "gna", "attacked by", "attacked"), Edge("gna", "lna", "opposes", "opposes"),
         Edge("gna", "lna", "recaptured from", "recaptured"), Edge("tr", "gna", "backed by", "backs"),
         Edge("gna", "tr", "signed with", "signed")], center="gna"),
    "sources left, targets right": graph_spec(
        [Node("gna", "Government of National Accord", "actors"),
         Node("lna", "Libyan National Army", "actors"), Node("tr", "Turkey", "actors"),
         Node("un", "United Nations", "actors"), Node("w", "Watiya airbase", "places")],
        [Edge("lna", "gna", "attacked", "attacked"), Edge("gna", "lna", "opposes", "opposes"),
         Edge("tr", "gna", "backs", "backs"), Edge("un", "gna", "recognises", "recognises"),
         Edge("gna", "w", "recaptured", "recaptured")], center="gna", sides="both"),
    "fifteen neighbours": neighbour_spec("gna", 15, seed=3),
    "two neighbours, all outgoing": neighbour_spec("gna", 2, seed=4, both_ways=False),
    "long names": graph_spec(
        [Node("x", " ".join(["reinforcements"] * 3 + ["of", "the", "Libyan", "Army"] * 4), "events"),
         Node("y", "Counter-offensive-against-the-positions-south-of-Tripoli", "events"),
         Node("z", "W" * 40, "actors")],
        [Edge("x", "y", "took part in the long named relation of the test", "took-part-in"),
         Edge("z", "x", "w" * 30, "reported")], center="x"),
    "markup and quotes": graph_spec(
        [Node("a", "<script>alert(1)</script> & \u201cfriends\u201d", "actors"),
         Node("b", "Al-Watiya\u2019s base", "places")],
        [Edge("a", "b", "</text><text>", "attacked")]),
    "a cycle": graph_spec([Node(c, f"Sheet {c.upper()}", "events") for c in "abcd"],
                          [Edge(s, t, "part of", "part-of") for s, t in ("ab", "bc", "cd", "da", "ac")]),
}


@pytest.fixture(scope="module")
def hand_made() -> dict[str, tuple[GraphSpec, Layout]]:
    specs = list(HAND_MADE.values())
    return dict(zip(HAND_MADE, zip(specs, layout_many(specs), strict=True), strict=True))


@pytest.mark.parametrize("name", list(HAND_MADE))
def test_hand_made_graphs_are_readable(hand_made: dict[str, tuple[GraphSpec, Layout]], name: str) -> None:
    assert_readable(*hand_made[name])


RANDOM_SIZES = [(seed, n, e) for seed, (n, e) in enumerate([(3, 2), (8, 10), (15, 25), (30, 60), (45, 100),
                                                             (60, 150), (60, 150), (80, 150)])]


@pytest.fixture(scope="module")
def random_layouts() -> list[tuple[GraphSpec, Layout]]:
    specs = [random_spec(*size) for size in RANDOM_SIZES]
    specs += [neighbour_spec("c", count, seed) for seed, count in enumerate((1, 3, 5, 8, 12, 15, 15))]
    return list(zip(specs, layout_many(specs, processes=2), strict=True))


def test_random_graphs_up_to_60_nodes_and_150_edges_are_readable(
        random_layouts: list[tuple[GraphSpec, Layout]]) -> None:
    for spec, laid in random_layouts:
        assert_readable(spec, laid)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_neighbour_graph_is_readable(data: st.DataObject) -> None:
    count = data.draw(st.integers(1, 15), label="neighbours")
    name = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz WMil\u2019\u00e9<&"), min_size=1, max_size=60)
    names = data.draw(st.lists(name.filter(str.strip), min_size=count, max_size=count))
    nodes = [Node("c", data.draw(st.sampled_from(WORDS)), "actors")]
    nodes += [Node(f"n{i}", name, KINDS[i % len(KINDS)]) for i, name in enumerate(names)]
    relation = st.tuples(st.integers(0, count - 1), st.booleans(), st.sampled_from(TYPES))
    relations = data.draw(st.lists(relation, min_size=count, max_size=3 * count))
    edges = [Edge(*(("c", f"n{i}") if out else (f"n{i}", "c")), _label(kind, out), kind)
             for i, out, kind in relations]
    spec = graph_spec(nodes, edges, center="c")
    assert_readable(spec, layout(spec))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_graph_of_sheets_is_readable(data: st.DataObject) -> None:
    count = data.draw(st.integers(2, 20), label="sheets")
    names = data.draw(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join),
                               min_size=count, max_size=count))
    nodes = [Node(f"s{i}", name, KINDS[i % len(KINDS)]) for i, name in enumerate(names)]
    pair = st.tuples(st.integers(0, count - 1), st.integers(0, count - 1), st.sampled_from(TYPES))
    relations = data.draw(st.lists(pair.filter(lambda p: p[0] != p[1]), max_size=2 * count))
    edges = [Edge(f"s{a}", f"s{b}", RELATION_TYPES[kind].forward, kind) for a, b, kind in relations]
    spec = graph_spec(nodes, edges)
    assert_readable(spec, layout(spec))


def test_the_seed_contents_whole_graph_and_every_sheets_graph_are_readable() -> None:
    resolved = check(Project.at(REPO))
    nodes = [Node(slug, s.sheet.name, s.kind) for slug, s in resolved.sheets.items()]
    edges = [Edge(lk.source, lk.target, RELATION_TYPES[lk.type].forward, lk.type) for lk in resolved.links]
    specs = [graph_spec([n for n in nodes if any(n.id in (e.source, e.target) for e in edges)], edges)]
    for slug in sorted(resolved.sheets):
        own = [e for e in edges if slug in (e.source, e.target)]
        if own:
            ends = {slug} | {e.source for e in own} | {e.target for e in own}
            specs.append(graph_spec([n for n in nodes if n.id in ends], own, center=slug))
    for spec, laid in zip(specs, LayoutCache().layout_many(specs), strict=True):
        assert_readable(spec, laid)


def test_a_sheets_graph_is_narrow_enough_for_a_phone(random_layouts: list[tuple[GraphSpec, Layout]]) -> None:
    # Neighbours all on one side: at most about 1.4 times a 358 px column (text >= 9.5 px on a phone).
    widths = [laid.width for spec, laid in random_layouts if spec.center]
    assert widths and max(widths) <= 500


def test_the_layout_is_byte_identical_whatever_the_input_order() -> None:
    spec = random_spec(7, 20, 40)
    shuffled = list(spec.edges)
    random.Random(1).shuffle(shuffled)
    again = graph_spec(reversed(spec.nodes), shuffled)
    assert again == spec and again.dot() == spec.dot()
    first, second = layout(spec), layout_many([again, spec])
    assert first == second[0] == second[1]
    assert draw(first) == draw(second[0])


def test_a_batch_lays_out_each_graph_as_alone() -> None:
    specs = [random_spec(seed, 6, 8) for seed in range(4)]
    assert layout_many(specs, processes=2) == [layout(spec) for spec in specs]


def test_many_graphs_laid_out_by_two_processes_are_laid_out_as_by_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    specs = [neighbour_spec("c", 2 + seed % 6, seed) for seed in range(4 * BATCH + 10)]  # 2 batches each
    forks: list[int] = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    shared = LayoutCache(processes=2).layout_many(specs)
    assert len(forks) == 1
    assert shared == LayoutCache(processes=1).layout_many(specs)


def test_many_graphs_keys_are_worked_out_by_two_processes_as_by_one(monkeypatch: pytest.MonkeyPatch,
                                                                    tmp_path: Path) -> None:
    specs = [neighbour_spec("c", 2 + seed % 6, seed) for seed in range(12)]
    store = tmp_path / "graph-layouts.json"
    alone = LayoutCache(store, processes=1)
    expected = [s.text for s in alone.stored_many(specs)]
    alone.save()
    monkeypatch.setattr(layout_module, "KEYS_PER_PROCESS", 4)
    forks: list[int] = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    for keep in (False, True):
        shared = LayoutCache(store, processes=2, keep=keep)
        assert [s.text for s in shared.stored_many(specs)] == expected
        assert (shared.misses, shared.hits) == (0, len(specs))
    assert len(forks) == 2  # one for the keys of each cache, none to lay out: every graph was stored


def test_the_cache_lays_out_only_new_graphs_and_keeps_them_on_disk(tmp_path: Path) -> None:
    specs = [random_spec(seed, 5, 6) for seed in range(5)]
    store = tmp_path / ".cache" / "graph-layouts.json"
    first = LayoutCache(store)
    assert first.layout_many(specs) == [layout(spec) for spec in specs]
    assert (first.misses, first.hits) == (5, 0)
    first.layout_many(specs)
    assert (first.misses, first.hits) == (5, 5)
    first.save()
    changed = [*specs[:4], random_spec(99, 5, 6)]
    later = LayoutCache(store)
    assert later.layout_many(changed) == [layout(spec) for spec in changed]
    assert (later.misses, later.hits) == (1, 4)
    later.save()
    # The graph no longer used dropped out; the new one is in.
    assert set(json.loads(store.read_text())["layouts"]) == {spec.key() for spec in changed}


def test_a_stored_layout_is_the_geometry_as_text_and_reads_as_the_graph_laid_out(tmp_path: Path) -> None:
    specs = [random_spec(seed, 5, 6) for seed in range(4)]
    store = tmp_path / "graph-layouts.json"
    cache = LayoutCache(store, keep=True)
    stored = cache.stored_many([*specs, specs[0]])  # the same graph twice: one geometry
    assert (cache.misses, cache.hits) == (5, 0) and stored[4].text is stored[0].text
    assert [s.spec for s in stored] == [*specs, specs[0]]
    assert all(isinstance(s.text, str) for s in stored)  # nothing read until a page draws it
    assert [s.read() for s in stored] == [layout(spec) for spec in [*specs, specs[0]]]
    # A known graph is found again by its spec: its dot source is not written again to hash it.
    again = [random_spec(seed, 5, 6) for seed in range(4)]  # equal specs, new objects
    assert [s.text for s in cache.stored_many(again)] == [s.text for s in stored[:4]]
    assert all("_key" not in vars(spec) for spec in again)
    cache.save()
    fresh = LayoutCache(store)
    assert [s.text for s in fresh.stored_many(specs)] == [s.text for s in stored[:4]] and fresh.misses == 0


def test_a_cache_from_another_graphviz_is_not_used(tmp_path: Path) -> None:
    spec = random_spec(1, 5, 6)
    store = tmp_path / "graph-layouts.json"
    cache = LayoutCache(store)
    cache.layout(spec)
    cache.save()
    data = json.loads(store.read_text())
    data["graphviz"] = "dot - graphviz version 0.1"
    geometry = json.loads(data["layouts"][spec.key()])  # each geometry is kept as its JSON text
    geometry[0] = 9999
    data["layouts"][spec.key()] = json.dumps(geometry)
    store.write_text(json.dumps(data))
    again = LayoutCache(store)
    assert again.layout(spec) == layout(spec) and again.misses == 1


def test_a_missing_graphviz_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLAINER_DOT", "no-such-dot-program")
    with pytest.raises(GraphvizMissing) as raised:
        layout(HAND_MADE["one relation"])
    assert str(raised.value) == (
        "Graphviz's 'no-such-dot-program' program was not found; the relationship graphs are laid out "
        "with it. Install Graphviz (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz).")


def test_a_graph_spec_rejects_edges_to_unknown_nodes() -> None:
    with pytest.raises(ValueError, match="unknown node 'b'"):
        graph_spec([Node("a", "A")], [Edge("a", "b", "backs")])


def test_every_edge_of_one_type_is_drawn_alike_and_the_sides_differ(
        random_layouts: list[tuple[GraphSpec, Layout]]) -> None:
    looks: dict[str, set[tuple[str, ...]]] = {}
    for _, laid in random_layouts:
        for edge in parse_svg(draw(laid)).edges:
            kind = next(c[4:] for c in edge.classes if c.startswith("rel-"))
            look = tuple(sorted(c for c in edge.classes if not c.startswith("rel-")))
            looks.setdefault(kind, set()).add(look)
    assert all(len(variants) == 1 for variants in looks.values()), looks
    assert side_of("backs") != side_of("opposes") != side_of("located-in") != side_of("backs")


def test_the_drawing_escapes_text_links_every_node_and_shows_a_legend(
        hand_made: dict[str, tuple[GraphSpec, Layout]]) -> None:
    figure = draw(hand_made["markup and quotes"][1], hrefs={"a": "../a/?x=1&y=2", "b": "../b/"})
    assert "<script>" not in figure and "&lt;script&gt;" in figure and "&lt;/text&gt;" in figure
    soup = BeautifulSoup(figure, "html.parser")
    svg = soup.select_one("figure.relgraph svg.relgraph-svg")
    assert svg is not None and svg["viewbox" if "viewbox" in svg.attrs else "viewBox"].startswith("0 0 ")
    links = svg.select("a.relgraph-node")
    assert [a["href"] for a in links] == ["../a/?x=1&y=2", "../b/"]
    assert [a["data-slug"] for a in links] == ["a", "b"]
    assert links[0]["aria-label"] == "<script>alert(1)</script> & \u201cfriends\u201d"
    edges = svg.select("g.relgraph-edge")
    assert [(e["data-source"], e["data-target"]) for e in edges] == [("a", "b")]
    legend = soup.select_one("figure.relgraph figcaption.relgraph-legend")
    assert legend is not None and "Opposition: </text><text>" in legend.get_text()


def test_the_checks_find_an_edge_through_a_box_and_overlapping_labels(
        hand_made: dict[str, tuple[GraphSpec, Layout]]) -> None:
    """The geometry helpers are not vacuous: break a good drawing and they say what broke."""
    laid = hand_made["both ways, three between one pair"][1]
    figure = draw(laid)
    drawing = parse_svg(figure)
    assert problems(drawing) == []
    # Move Turkey's box onto the middle of an edge between the two armies.
    edge = next(e for e in drawing.edges if {e.source, e.target} == {"gna", "lna"})
    x, y = edge.line[len(edge.line) // 2]
    moved = re.sub(r'(data-slug="tr"[^>]*><rect x=")[^"]+(" y=")[^"]+',
                   lambda m: f"{m.group(1)}{x - 10}{m.group(2)}{y - 10}", figure)
    assert moved != figure
    found = edges_through_nodes(parse_svg(moved))
    assert any("crosses the box of tr" in problem for problem in found), found
    # Make one label's box cover another's.
    labels = [e.label for e in drawing.edges if e.label is not None]
    first, second = labels[0].box, labels[1].box
    covered = figure.replace(f'<rect x="{first.left}" y="{first.top}"', f'<rect x="{second.left}" '
                             f'y="{second.top}"', 1)
    assert any("overlaps label of" in problem for problem in overlapping_labels(parse_svg(covered)))


def test_wrapping_keeps_every_word_and_balances_lines() -> None:
    name = "Turkish soldiers and allied Syrian militia fighters sent since November, as press reports say"
    lines = wrap(name, 130, 14)
    assert " ".join(lines) == name
    assert all(text_width(line, 14) <= 130 for line in lines)
    widths = [text_width(line, 14) for line in lines]
    assert max(widths) - min(widths) < 60
    parts = ("Counter-", "offensive-", "south-of-", "Tripoli")
    assert wrap("".join(parts), 80, 14) == parts
    assert "".join(wrap("W" * 40, 80, 14)) == "W" * 40
    assert all(text_width(line, 14) <= 80 for line in wrap("W" * 40, 80, 14))
    assert text_width("é", 14) == text_width("e", 14) and text_width("W", 14, bold=True) > text_width("W", 14)
