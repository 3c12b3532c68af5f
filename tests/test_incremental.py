"""Incremental rebuilds are never wrong: after any sequence of edits, what `mkdocs serve --dirty`
serves is byte for byte what a full build of the same content makes.

The serve side runs MkDocs' own build in this process, as `mkdocs serve --dirty` does (one
plugin instance kept across rebuilds, the config read again each time); the full build is the
real `mkdocs build` in a fresh process.
"""

from __future__ import annotations

import gc
import json
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import ARTICLE_ONE, ARTICLE_TWO, ProjectDir, make_project
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator import load, plugin, site
from generator.incremental import BuildState
from generator.load import FileMemo, load_content
from generator.pages import ARTICLES, OPEN_DATA, Page, index_path
from generator.pipeline import Project, check, generate
from generator.resolve import QuoteMemo, resolve_content
from generator.story import FigureMemo, key_figures

SERVE_URL = "http://127.0.0.1:8000/"
EPOCH = "1700000000"

SHEET = """\
name: {name}
summary: {summary}
claims:
  - text: {text}
    quote: "{quote}"
{relations}"""


def sheet(name: str, quote: str, summary: str = "A sheet.", text: str = "It was so.",
          target: str = "") -> str:
    relations = (f"relations:\n  - type: located-in\n    target: {target}\n    quote: \"{quote}\"\n"
                 if target else "")
    return SHEET.format(name=name, summary=summary, text=text, quote=quote, relations=relations)


def seed(root: Path) -> ProjectDir:
    project = make_project(root)
    project.write("content/articles/ships.md", ARTICLE_ONE)
    project.write("content/articles/harbour-reopens.md", ARTICLE_TWO)
    project.write("content/places/harbour.yml", sheet("The harbour", "The harbour was quiet by noon."))
    project.write("content/actors/captain.yml", sheet(
        "The captain", "The ships sailed from the harbour at dawn", target="harbour",
        text="The captain said the ships sailed at dawn.").replace(
        "    quote: \"The ships sailed from the harbour at dawn\"\n",
        "    quote: \"The ships sailed from the harbour at dawn\"\n    attribution: the captain\n", 1))
    project.write("content/places/quay.yml", sheet("The old quay", "returned to the", target="harbour"))
    project.write("content/events/reopening.yml", sheet(
        "The harbour reopens", "The harbour reopened on Monday, the mayor said.").replace(
        "    quote: \"The harbour reopened on Monday, the mayor said.\"\n",
        "    quote: \"The harbour reopened on Monday, the mayor said.\"\n    attribution: the mayor\n")
        + "date:\n  as_written: on Monday\n  precision: weekday\n  quote: \"reopened on Monday\"\n")
    return project


Edit = Callable[[ProjectDir, random.Random], None]


def edit_claim(project: ProjectDir, rng: random.Random) -> None:
    path = rng.choice(sorted((project.root / "content").glob("*/*.yml")))
    text = path.read_text()
    path.write_text(text.replace("text: ", f"text: {rng.choice(['Quietly', 'Later', 'Then', 'Still'])}, ", 1))


def rename_sheet(project: ProjectDir, rng: random.Random) -> None:
    path = project.root / "content/places/quay.yml"
    if path.exists():
        path.write_text(path.read_text().replace("The old quay", f"The quay {rng.choice('ABCDE')}"))


def add_sheet(project: ProjectDir, rng: random.Random) -> None:
    slug = f"boat-{rng.randrange(5)}"
    project.write(f"content/equipment/{slug}.yml", sheet(f"Boat {slug[-1].upper()}", "The ships sailed",
                                                         target=rng.choice(["harbour", ""])))


def delete_sheet(project: ProjectDir, rng: random.Random) -> None:
    boats = sorted((project.root / "content/equipment").glob("boat-*.yml"))
    if boats:
        rng.choice(boats).unlink()


def move_sheet(project: ProjectDir, rng: random.Random) -> None:
    boats = sorted((project.root / "content/equipment").glob("boat-*.yml"))
    if boats:
        source = rng.choice(boats)
        target = source.with_name(f"boat-{rng.randrange(5, 9)}.yml")
        if not target.exists():
            source.rename(target)


def edit_article(project: ProjectDir, rng: random.Random) -> None:
    path = project.root / "content/articles/harbour-reopens.md"
    word = rng.choice(["calm", "grey", "late"])
    path.write_text(path.read_text() + f"\nA later line, {word}, was added.\n")


def add_article(project: ProjectDir, rng: random.Random) -> None:
    project.write("content/articles/later.md", "---\ntitle: Later\npublished: 2020-05-25\n---\n\n"
                  f"Nothing else happened at the {rng.choice(['docks', 'quays', 'piers'])}, a report said.\n")


def break_sheet(project: ProjectDir, rng: random.Random) -> None:
    project.write("content/places/harbour.yml", "name: [The harbour\n")


EDITS: dict[str, Edit] = {"claim": edit_claim, "rename": rename_sheet, "add": add_sheet,
                          "delete": delete_sheet, "move": move_sheet, "article": edit_article,
                          "new article": add_article, "break": break_sheet}


class DirtyServe:
    """MkDocs' build as `mkdocs serve --dirty` runs it, in this process."""

    def __init__(self, root: Path, site: Path) -> None:
        from mkdocs.config.defaults import MkDocsConfig

        MkDocsConfig.plugins.plugin_cache.clear()  # type: ignore[attr-defined]  # a fresh serve
        self.root, self.site = root, site
        config = self.config()
        config.plugins.on_startup(command="serve", dirty=True)
        self.build(config)

    def config(self):  # type: ignore[no-untyped-def]
        from mkdocs.config import load_config

        config = load_config(config_file=str(self.root / "mkdocs.yml"), site_dir=str(self.site))
        config.site_url = SERVE_URL
        return config

    def build(self, config=None) -> None:  # type: ignore[no-untyped-def]
        from mkdocs.commands.build import build

        build(config or self.config(), serve_url=SERVE_URL, dirty=True)


def full_build(root: Path, site: Path) -> None:
    env = dict(os.environ, SITE_URL=SERVE_URL, SOURCE_DATE_EPOCH=EPOCH, NO_MKDOCS_2_WARNING="1")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], cwd=root, env=env,
                   check=True, capture_output=True)


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture
def epoch() -> Iterator[None]:
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    yield
    if old is None:
        del os.environ["SOURCE_DATE_EPOCH"]
    else:
        os.environ["SOURCE_DATE_EPOCH"] = old


@example(edits=["add", "add"], seed_value=2)  # a second view appears: every graph page's menu changes
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.sampled_from(sorted(EDITS)), min_size=2, max_size=5), seed_value=st.integers(0, 99))
def test_any_sequence_of_edits_serves_what_a_full_build_makes(tmp_path_factory: pytest.TempPathFactory,
                                                              epoch: None, edits: list[str],
                                                              seed_value: int,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # Trust every file's stamp, as a build does once files have settled: the edits come faster.
    monkeypatch.setattr(load, "SETTLED_NS", 0)
    root = tmp_path_factory.mktemp("incremental")
    project = seed(root / "project")
    good = (project.root / "content/places/harbour.yml").read_text()
    serve = DirtyServe(project.root, root / "served")
    rng = random.Random(seed_value)
    for name in edits:
        EDITS[name](project, rng)
        serve.build()
    (project.root / "content/places/harbour.yml").write_text(good)  # fix what a 'break' broke
    serve.build()
    full_build(project.root, root / "full")
    served, full = tree(root / "served"), tree(root / "full")
    assert sorted(served) == sorted(full), edits
    assert [name for name in full if served[name] != full[name]] == [], edits
    shutil.rmtree(root)


def test_a_save_renders_only_the_pages_it_changes(tmp_path: Path) -> None:
    project = seed(tmp_path / "project")
    state = BuildState()
    first = generate(Project.at(project.root), state=state)
    assert first.changed is None
    again = generate(Project.at(project.root), state=state)
    assert again.changed == frozenset()
    edit = project.root / "content/places/quay.yml"
    edit.write_text(edit.read_text().replace("It was so.", "It was quiet."))
    after = generate(Project.at(project.root), state=state)
    # the quay's own page, the article it cites (its margin lists the claim), the open data that
    # carry the claim, and pages listing every sheet's claims; nothing else
    assert after.changed is not None and "places/quay.md" in after.changed
    assert after.changed <= {"places/quay.md", "articles/harbour-reopens.md", "index.md",
                             "data/annotations/harbour-reopens.jsonld"}
    full = generate(Project.at(project.root))
    assert [(p.path, p.markdown) for p in after.pages] == [(p.path, p.markdown) for p in full.pages]
    assert [(d.path, d.content) for d in after.data] == [(d.path, d.content) for d in full.data]


def test_a_save_keeps_every_graph_layout_a_later_build_will_need(tmp_path: Path) -> None:
    """A rebuild lays out only the changed pages' graphs; the layout file must keep the others,
    or the next `mkdocs build` runs Graphviz for every graph again."""
    project = seed(tmp_path / "project")
    serve = DirtyServe(project.root, tmp_path / "site")
    store = project.root / ".cache/graph-layouts.json"
    laid_out = set(json.loads(store.read_text())["layouts"])
    assert len(laid_out) >= 3
    edit = project.root / "content/places/quay.yml"
    edit.write_text(edit.read_text().replace("It was so.", "It was quiet."))
    serve.build()
    assert set(json.loads(store.read_text())["layouts"]) >= laid_out


def test_serving_keeps_its_objects_from_the_garbage_collector_but_collects_now_and_then(
        tmp_path: Path, epoch: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plugin, "COLLECT_EVERY", 3)
    project = seed(tmp_path / "project")
    try:
        serve = DirtyServe(project.root, tmp_path / "site")  # build 1
        frozen = [gc.get_freeze_count()]
        for _ in range(3):  # builds 2, 3 (collects first) and 4
            serve.build()
            frozen.append(gc.get_freeze_count())
        # What a build keeps is frozen; a build adds the garbage in cycles that it leaves; the
        # third collects it first, and what stays frozen is only what is alive.
        assert frozen[0] > 0
        assert frozen[1] > frozen[0]
        assert frozen[2] < frozen[1]
        assert frozen[3] > frozen[2]
    finally:
        gc.unfreeze()


def test_resolving_with_the_last_build_s_results_gives_what_resolving_afresh_gives(tmp_path: Path) -> None:
    project = seed(tmp_path / "project")
    content_dir = project.root / "content"
    memo = QuoteMemo()
    files: FileMemo = {}

    def both() -> tuple[object, list[str]]:
        kept, kept_problems = resolve_content(load_content(project.root, content_dir, files), memo)
        fresh, fresh_problems = resolve_content(load_content(project.root, content_dir))
        assert kept == fresh
        assert [p.format() for p in kept_problems] == [p.format() for p in fresh_problems]
        return kept, [p.format() for p in kept_problems]

    both()
    quay = content_dir / "places/quay.yml"
    quay.write_text(quay.read_text().replace('quote: "returned to the"', 'quote: "never in the article"'))
    _, problems = both()  # one sheet's quote lost: its problem, the others from the memo
    assert any("quay.yml" in p for p in problems)
    (content_dir / "places/harbour.yml").unlink()  # every relation to it now names nothing
    _, problems = both()
    assert any("captain.yml" in p and "harbour" in p for p in problems)
    project.write("content/places/harbour.yml", sheet("The harbour", "The harbour was quiet by noon."))
    quay.write_text(quay.read_text().replace('quote: "never in the article"', 'quote: "returned to the"'))
    assert both()[1] == []


def test_key_figures_from_remembered_texts_are_the_figures_found_afresh() -> None:
    # the seed's own article and sheets: their claims carry figures, years and repeats
    root = Path(__file__).resolve().parents[1]
    resolved = check(Project.at(root))
    memo: FigureMemo = {}
    for limit in (1, 3, 8, 100):
        fresh = key_figures(resolved, limit)
        assert fresh and key_figures(resolved, limit, memo) == fresh
        assert key_figures(resolved, limit, memo) == fresh  # now from the memo
    # The memo is what is read: told that no text has a figure, it finds none.
    memo.update({text: None for text in memo})
    assert key_figures(resolved, 100, memo) == []


def test_the_article_lists_render_again_only_when_what_they_count_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = seed(tmp_path / "project")
    state = BuildState()
    generate(Project.at(project.root), state=state)
    rendered: list[str] = []
    render = site._Builder.render

    def counting(self: site._Builder, path: str, template: str, **context: object) -> Page:
        rendered.append(path)
        return render(self, path, template, **context)

    monkeypatch.setattr(site._Builder, "render", counting)
    lists = {index_path(ARTICLES), OPEN_DATA}
    quay = project.root / "content/places/quay.yml"
    quay.write_text(quay.read_text().replace("summary: A sheet.", "summary: A quay of the harbour."))
    generate(Project.at(project.root), state=state)
    assert "places/quay.md" in rendered and not lists & set(rendered)
    rendered.clear()
    quay.write_text(quay.read_text().replace("claims:\n", "claims:\n  - text: Many came back.\n"
                                             "    quote: \"Fishermen returned to the\"\n", 1))
    after = generate(Project.at(project.root), state=state)
    assert lists <= set(rendered) and after.changed is not None and lists <= after.changed
    full = generate(Project.at(project.root))
    assert [(p.path, p.markdown) for p in after.pages] == [(p.path, p.markdown) for p in full.pages]
