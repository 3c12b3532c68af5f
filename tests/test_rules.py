"""The content standards `explainer check` enforces for every project, each message in full."""

from __future__ import annotations

import pytest
from conftest import ProjectDir

from generator.cli import main
from generator.rules import count_sentences

CLAIM = """\
name: The port
summary: {summary}
claims:
  - text: {text}
    quote: "{quote}"
{extra}"""


def errors(project: ProjectDir, capsys: pytest.CaptureFixture[str]) -> list[str]:
    code = main(["--root", str(project.root), "check"])
    err = capsys.readouterr().err
    return err.splitlines()[:-1] if code else []


@pytest.mark.parametrize(("quote", "verb"), [
    ("Some 40 sailors were on board, according to port officials", "according to"),
    ("the captain told a radio station", "told"),
])
def test_a_quote_with_a_reporting_verb_needs_an_attribution(
        harbour: ProjectDir, capsys: pytest.CaptureFixture[str], quote: str, verb: str) -> None:
    harbour.write("content/places/port.yml", CLAIM.format(summary="A port.", text="Something was said.",
                                                          quote=quote, extra=""))
    assert errors(harbour, capsys) == [
        f"content/places/port.yml:5: the quote says '{verb}' but the claim has no attribution. "
        "Add 'attribution:' with who the article says says it."]
    harbour.write("content/places/port.yml", CLAIM.format(
        summary="A port.", text="Something was said.", quote=quote, extra="    source: captain\n"))
    assert errors(harbour, capsys) == []


@pytest.mark.parametrize(("text", "figure"), [
    ("Some 40 sailors were on board.", "40"), ("Dozens of sailors were on board.", "Dozens"),
    ("It is 150 km from the capital.", "150 km"), ("Three ships sailed.", "Three"),
])
def test_a_figure_is_never_stated_bare(harbour: ProjectDir, capsys: pytest.CaptureFixture[str],
                                       text: str, figure: str) -> None:
    harbour.write("content/places/port.yml", CLAIM.format(summary="A port.", text=text,
                                                          quote="quiet by noon", extra=""))
    assert errors(harbour, capsys) == [
        f"content/places/port.yml:4: the claim states a figure ('{figure}') without saying who reports it. "
        "Add 'attribution:' (who the article says gives the figure; 'the article' if it gives it itself) "
        "and say so in the claim."]


def test_a_year_is_not_a_figure(harbour: ProjectDir, capsys: pytest.CaptureFixture[str]) -> None:
    harbour.write("content/places/port.yml", CLAIM.format(summary="A port.", text="It was quiet in 2019.",
                                                          quote="quiet by noon", extra=""))
    assert errors(harbour, capsys) == []


@pytest.mark.parametrize(("as_written", "edtf", "gives"), [
    ("on Friday", "2019-12-06", "the year 2019 and the month (December) and the day (6)"),
    ("in December", "2019-12", "the year 2019"),
    ("in 2019", "2019-12", "the month (December)"),
    ("since November", "2019-11/..", "the year 2019"),
])
def test_a_date_is_never_more_precise_than_its_words(
        harbour: ProjectDir, capsys: pytest.CaptureFixture[str], as_written: str, edtf: str,
        gives: str) -> None:
    harbour.write("content/articles/ships.md", f"---\ntitle: Ships\n---\n\nThe ships sailed {as_written}.\n")
    for sheet in ("actors/captain.yml", "places/harbour.yml"):
        (harbour.root / "content" / sheet).unlink()
    harbour.write("content/events/sailing.yml", f"""\
        name: Sailing
        summary: The ships sailed.
        date:
          as_written: "{as_written}"
          precision: day
          edtf: "{edtf}"
          quote: "sailed {as_written}"
        claims:
          - text: The ships sailed.
            quote: "The ships sailed"
        """)
    assert errors(harbour, capsys) == [
        f"content/events/sailing.yml:6: edtf '{edtf}' gives {gives}, which the words '{as_written}' do not. "
        "Write X for every digit the article's words do not give."]


def test_a_lead_has_at_most_two_sentences(harbour: ProjectDir, capsys: pytest.CaptureFixture[str]) -> None:
    harbour.write("content/places/port.yml", CLAIM.format(
        summary="A port. Ships sail from it. Gen. J. Smith runs it.", text="It was quiet.",
        quote="quiet by noon", extra=""))
    assert errors(harbour, capsys) == [
        "content/places/port.yml:2: the lead ('summary') has 3 sentences; at most 2. Say who or what this "
        "is in the story and on which side; the claims say the rest."]


@pytest.mark.parametrize(("text", "count"), [
    ("Jerusalem Post analyst Seth J. Frantzmann said so.", 1), ("One. Two!", 2),
    ("U.S. forces left. Then \u201cthey came back.\u201d", 2), ("It ended (at noon). Then more", 2),
])
def test_counting_sentences(text: str, count: int) -> None:
    assert count_sentences(text) == count


def test_uncited_passages_are_coverage_not_errors(harbour: ProjectDir,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    (harbour.root / "content/places/harbour.yml").write_text((harbour.root / "content/places/harbour.yml")
                                                             .read_text().split("  - text: The harbour")[0])
    assert main(["--root", str(harbour.root), "check"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "OK: 2 sheets, 2 claims, 1 relations; 2 of 3 passages cited in 1 article.",
        "Not cited yet (coverage, not an error): ships p3."]
