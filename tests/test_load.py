"""Loading articles and sheets: passages, line numbers, schema."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest
from conftest import ARTICLE_ONE, ProjectDir

from generator import load
from generator.errors import Problem
from generator.files import Entry
from generator.load import load_content
from generator.model import EventSheet


def test_article_paragraphs_become_passages_with_their_lines(project: ProjectDir) -> None:
    project.write("content/articles/ships.md", ARTICLE_ONE)
    content = load_content(project.root, project.root / "content")
    assert content.problems == []
    article = content.articles["ships"]
    assert article.title == "Ships sail from the harbour"
    assert [(p.id, p.line) for p in article.passages] == [("p1", 5), ("p2", 7), ("p3", 9)]
    assert article.passages[1].text == "Some 40 sailors were on board, according to port officials."


def test_a_paragraph_wrapped_over_lines_is_one_passage(project: ProjectDir) -> None:
    project.write("content/articles/wrapped.md", "---\ntitle: T\n---\nOne\nparagraph\n\n\n\nTwo\n")
    article = load_content(project.root, project.root / "content").articles["wrapped"]
    assert [(p.id, p.text, p.line) for p in article.passages] == [("p1", "One paragraph", 4),
                                                                  ("p2", "Two", 9)]


def test_an_unknown_front_matter_key_is_reported_at_its_line(project: ProjectDir) -> None:
    project.write("content/articles/a.md", "---\ntitle: T\n\nedition: Late\n---\nText\n")
    problems = load_content(project.root, project.root / "content").problems
    assert problems[0].format().startswith(
        "content/articles/a.md:4: front matter: unknown key 'edition'.")


def test_sheet_keeps_the_line_of_every_value(harbour: ProjectDir) -> None:
    content = load_content(harbour.root, harbour.root / "content")
    captain = content.sheets["captain"]
    assert captain.kind == "actors"
    assert captain.path == "content/actors/captain.yml"
    assert captain.line("name") == 1
    assert captain.line("claims", 0) == 4
    assert captain.line("claims", 0, "quote") == 5
    assert captain.line("relations", 0, "target") == 9
    assert captain.line("relations", 0, "nothing-here") == 8


def test_loaded_sheets_hold_their_values_in_slots_frozen(harbour: ProjectDir) -> None:
    # No dictionary of its own per model instance (about 70 MB at 30,000 sheets): values in slots.
    content = load_content(harbour.root, harbour.root / "content")
    claims = [claim for loaded in content.sheets.values() for claim in loaded.sheet.claims]
    assert len(claims) > 2
    assert all(not hasattr(claim, "__dict__") for claim in claims)
    assert all(not hasattr(loaded.sheet, "__dict__") for loaded in content.sheets.values())
    first = claims[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.text = "changed"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(first)) == first  # as sent back by the processes that load


UNDATED_EVENT = """\
name: Sailing
summary: s
claims:
  - text: t
    quote: at dawn
"""


def test_event_sheets_need_a_date(project: ProjectDir) -> None:
    project.write("content/articles/ships.md", ARTICLE_ONE)
    project.write("content/events/sailing.yml", UNDATED_EVENT)
    content = load_content(project.root, project.root / "content")
    assert [p.format() for p in content.problems] == [
        "content/events/sailing.yml:1: missing required key 'date'. Add 'date:' with a value."]
    project.write("content/events/sailing.yml", UNDATED_EVENT + """\
date:
  as_written: at dawn
  precision: relative
  quote: at dawn
""")
    content = load_content(project.root, project.root / "content")
    assert content.problems == []
    loaded = content.sheets["sailing"].sheet
    assert isinstance(loaded, EventSheet)
    assert loaded.date.precision == "relative" and loaded.date.edtf is None


def test_missing_content_folder_is_reported(tmp_path: Path) -> None:
    content = load_content(tmp_path, tmp_path / "content")
    assert [p.format() for p in content.problems] == [
        "content: content folder not found. Create it, or point the explainer at the right folder."]


def test_a_file_not_written_since_the_last_load_is_not_read_again(harbour: ProjectDir,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "SETTLED_NS", 0)  # trust every stamp: no waiting for the clock to move on
    read: list[str] = []
    real_read = load.read_bytes

    def counting(entry: Entry, problems: list[Problem]) -> bytes | None:
        read.append(entry.rel)
        return real_read(entry, problems)

    monkeypatch.setattr(load, "read_bytes", counting)
    memo: load.FileMemo = {}
    first = load.load_content(harbour.root, harbour.root / "content", memo)
    assert sorted(read) == ["content/actors/captain.yml", "content/articles/ships.md",
                            "content/places/harbour.yml"]
    read.clear()
    again = load.load_content(harbour.root, harbour.root / "content", memo)
    assert read == [] and again.sheets["captain"] is first.sheets["captain"]
    assert again.digests == first.digests
    # The same size, other bytes: the stamp (times, at least the change time) tells it apart.
    captain = harbour.root / "content/actors/captain.yml"
    captain.write_text(captain.read_text().replace("The captain spoke", "The captain SPOKE"))
    after = load.load_content(harbour.root, harbour.root / "content", memo)
    assert read == ["content/actors/captain.yml"]
    assert after.sheets["captain"].sheet.summary.startswith("The captain SPOKE")


def test_a_file_written_moments_ago_is_read_again_though_its_stamp_is_the_same(harbour: ProjectDir) -> None:
    # Written within the clock's tick of the last load, a file could keep its stamp: it is read.
    memo: load.FileMemo = {}
    load.load_content(harbour.root, harbour.root / "content", memo)
    assert all(stamp is None for _, _, _, stamp in memo.values())
