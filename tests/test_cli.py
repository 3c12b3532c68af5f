"""`explainer check` end to end: exit codes and the full text of every message."""

from __future__ import annotations

import pytest
from conftest import ARTICLE_TWO, ProjectDir

from generator.cli import main

GOOD_CLAIM = """\
claims:
  - text: The harbour was quiet by noon.
    quote: "The harbour was quiet by noon."
"""


def check(project: ProjectDir, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--root", str(project.root), "check"])
    out, err = capsys.readouterr()
    return code, out, err


def test_good_content_exits_0_with_a_one_line_summary(harbour: ProjectDir,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert check(harbour, capsys) == (
        0, "OK: 2 sheets, 3 claims, 1 relations; 3 of 3 passages cited in 1 article.\n", "")


CASES: dict[str, tuple[object, ...]] = {
    "unknown key": (
        "content/places/bad.yml", "name: Bad\nsumary: x\n" + GOOD_CLAIM,
        "content/places/bad.yml:1: missing required key 'summary'. Add 'summary:' with a value.\n"
        "content/places/bad.yml:2: unknown key 'sumary'. Did you mean 'summary'?",
        2,
    ),
    "missing field in a claim": (
        "content/places/bad.yml", "name: Bad\nsummary: x\nclaims:\n  - text: t\n",
        "content/places/bad.yml:4: missing required key 'quote' in item 1 of 'claims'. "
        "Add 'quote:' with a value.",
    ),
    "wrong type": (
        "content/places/bad.yml", "name: Bad\nsummary:\n  - a list\n" + GOOD_CLAIM,
        "content/places/bad.yml:2: 'summary' must be text, found a list. "
        "Write it as text; put it in quotes if YAML reads it as something else.",
    ),
    "malformed yaml": (
        "content/places/bad.yml", "name: [Bad\nsummary: x\n",
        "content/places/bad.yml:2: malformed YAML: expected ',' or ']', but got ':' "
        "(while parsing a flow sequence). Check the indentation and quoting on this line or the one "
        "above; quote text that contains ': ' or starts with a quote.",
    ),
    "empty file": (
        "content/places/bad.yml", "",
        "content/places/bad.yml:1: the file is empty. Fill it in, or delete it.",
    ),
    "not utf-8": (
        "content/places/bad.yml", b"name: caf\xe9\n",
        "content/places/bad.yml:1: the file is not UTF-8 (byte 0xe9). Save it as UTF-8.",
    ),
    "duplicate key": (
        "content/places/bad.yml", "name: Bad\nname: Worse\nsummary: x\n" + GOOD_CLAIM.replace(
            "The harbour was quiet by noon.", "was quiet by noon"),
        "content/places/bad.yml:2: duplicate key 'name'. Keep only one of them.",
    ),
    "duplicate slug across kinds": (
        "content/actors/harbour.yml", "name: Another\nsummary: x\n" + GOOD_CLAIM.replace(
            "The harbour was quiet by noon.", "was quiet by noon"),
        "content/places/harbour.yml:1: duplicate slug 'harbour': content/actors/harbour.yml has it too. "
        "Rename one of the files; slugs are unique across all kinds.",
    ),
    "relation to a missing sheet": (
        "content/places/bad.yml",
        "name: Bad\nsummary: x\nclaims:\n  - text: t\n    quote: was quiet by noon\n"
        "relations:\n  - type: backs\n    target: captian\n    quote: at dawn\n",
        "content/places/bad.yml:8: relation target 'captian' does not exist. Did you mean 'captain'?",
    ),
    "a quote with an apostrophe in single quotes": (
        "content/places/bad.yml",
        "name: Bad\nsummary: x\nclaims:\n  - text: t\n    quote: 'the harbour's quiet'\n",
        "content/places/bad.yml:5: malformed YAML: expected <block end>, but found '<scalar>' "
        "(while parsing a block mapping). Text that starts with a quote must end with the same quote: "
        "write it in double quotes (\"...\") when it holds an apostrophe, or double each apostrophe "
        "inside single quotes.",
    ),
    "a source or outlet that is no sheet": (
        "content/places/bad.yml", "name: Bad\nsummary: x\n" + GOOD_CLAIM.replace(
            "The harbour was quiet by noon.", "was quiet by noon")
        + "    source: skipper\n    via: captian\n",
        "content/places/bad.yml:6: source 'skipper' does not exist. Create that sheet, or use the file name "
        "of an existing one.\n"
        "content/places/bad.yml:7: outlet ('via') 'captian' does not exist. Did you mean 'captain'?",
        2,
    ),
    "a disputed claim that does not exist": (
        "content/places/bad.yml", "name: Bad\nsummary: x\n" + GOOD_CLAIM.replace(
            "The harbour was quiet by noon.", "was quiet by noon") + "    disputes: captain/dawn\n",
        "content/places/bad.yml:6: 'captain' has no claim with id 'dawn'. Give the claim on "
        "content/actors/captain.yml an 'id:' and name it here.",
    ),
    "an article's date and address written wrongly": (
        "content/articles/other.md", "---\ntitle: Other\npublished: 25 May 2020\nurl: http://example.org/x\n"
        "---\n\nAnother paragraph.\n",
        "content/articles/other.md:3: front matter: 'published': '25 May 2020' is not a date written as "
        "YYYY-MM-DD. Write e.g. 2019-12-01.\n"
        "content/articles/other.md:4: front matter: 'url' 'http://example.org/x' is not an https URL. "
        "Write a full https:// address.",
        2,
    ),
    "quote not in the article": (
        "content/places/bad.yml",
        "name: Bad\nsummary: x\nclaims:\n  - text: t\n    quote: Some 40 sailers were on board\n",
        "content/places/bad.yml:5: quote not found in article 'ships'.\n"
        "  Closest passage (p2): \"Some 40 sailors were on board, according to port officials.\".\n"
        "  Copy the article's exact words.",
    ),
    "quote in more than one passage": (
        "content/places/bad.yml", "name: Bad\nsummary: x\nclaims:\n  - text: t\n    quote: harbour\n",
        "content/places/bad.yml:5: quote found more than once in article 'ships' (p1, p3).\n"
        "  p1: \"The ships sailed from the harbour at dawn, the captain told a radio station.\"\n"
        "  p3: \"The harbour was quiet by noon.\"\n"
        "  Quote more of the surrounding words so that it matches only once.",
    ),
    "quote across two passages": (
        "content/places/bad.yml",
        "name: Bad\nsummary: x\nclaims:\n  - text: t\n    quote: a radio station. Some 40\n",
        "content/places/bad.yml:5: quote spans two passages (p1 and p2) of article 'ships'. "
        "Quote words from one passage; split the claim in two if needed.",
    ),
    "claim naming a missing article": (
        "content/places/bad.yml",
        "name: Bad\nsummary: x\nclaims:\n  - text: t\n    quote: at dawn\n    article: shps\n",
        "content/places/bad.yml:6: article 'shps' does not exist. Did you mean 'ships'?",
    ),
    "malformed article": (
        "content/articles/broken.md", "No front matter here.\n",
        "content/articles/broken.md:1: the article has no front matter. "
        "Start it with '---', a line 'title: ...', and '---'.",
    ),
    "unknown kind folder": (
        "content/actor/bad.yml", "name: Bad\n",
        "content/actor: unknown kind folder 'actor'. Did you mean 'actors'?",
    ),
    "event date words without a precision that takes them": (
        "content/events/sailing.yml",
        "name: Sailing\nsummary: s\ndate:\n  precision: unstated\n  as_written: at dawn\n"
        "claims:\n  - text: t\n    quote: at dawn\n",
        "content/events/sailing.yml:3: 'date': precision 'unstated' takes no as_written. "
        "Remove it, or give the precision the words have.",
    ),
    "event date without its words": (
        "content/events/sailing.yml",
        "name: Sailing\nsummary: s\ndate:\n  precision: month\n"
        "claims:\n  - text: t\n    quote: at dawn\n",
        "content/events/sailing.yml:3: 'date': precision 'month' needs as_written and quote. "
        "Quote the article's words for the time, or use precision 'unstated'.",
    ),
    "bad relation type": (
        "content/places/bad.yml",
        "name: Bad\nsummary: x\nclaims:\n  - text: t\n    quote: at dawn\n"
        "relations:\n  - type: bakcs\n    target: captain\n    quote: at dawn\n",
        "content/places/bad.yml:7: 'relations[1].type' is 'bakcs', which is not allowed. "
        "Did you mean 'backs'?",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_bad_input_gets_one_clear_message(case: str, harbour: ProjectDir,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path, text, message, *count = CASES[case]
    harbour.write(path, text)
    code, out, err = check(harbour, capsys)
    assert (code, out) == (1, "")
    n = count[0] if count else 1
    assert err == f"{message}\n{n} error{'s' if n > 1 else ''}; nothing was written.\n"


def test_every_problem_is_reported_in_one_run_sorted(harbour: ProjectDir,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    harbour.write("content/places/zeta.yml", "")
    harbour.write("content/actors/alpha.yml", "name: A\nsummary: s\nclaims:\n  - text: t\n    quote: nope\n")
    code, _, err = check(harbour, capsys)
    assert code == 1
    lines = [line for line in err.splitlines() if not line.startswith("  ")]
    assert lines == [
        "content/actors/alpha.yml:5: quote not found in article 'ships'.",
        "content/places/zeta.yml:1: the file is empty. Fill it in, or delete it.",
        "2 errors; nothing was written.",
    ]


def test_a_second_article_needs_no_edit_to_existing_sheets(harbour: ProjectDir,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    harbour.write("content/articles/harbour-reopens.md", ARTICLE_TWO)
    harbour.write("content/places/quay.yml", """\
        name: The old quay
        summary: Where the fishermen returned, the second article says.
        claims:
          - text: Fishermen went back to the old quay in large numbers.
            quote: 'returned to the "old quay" in large numbers'
        """)
    assert check(harbour, capsys) == (
        0, "OK: 3 sheets, 4 claims, 1 relations; 4 of 5 passages cited in 2 articles.\n"
           "Not cited yet (coverage, not an error): harbour-reopens p1.\n", "")


def test_words_in_two_articles_need_article_and_the_message_names_both(
        harbour: ProjectDir, capsys: pytest.CaptureFixture[str]) -> None:
    harbour.write("content/articles/harbour-reopens.md", ARTICLE_TWO + "\nThe harbour was quiet by noon.\n")
    code, _, err = check(harbour, capsys)
    assert code == 1
    assert err.splitlines() == [
        "content/places/harbour.yml:9: quote found in 2 articles: 'harbour-reopens' (p3), 'ships' (p3). "
        "Add 'article:' with the one you mean, or quote more words.",
        "1 error; nothing was written."]
    sheet = harbour.root / "content/places/harbour.yml"
    sheet.write_text(sheet.read_text().replace('quote: "The harbour was quiet by noon."',
                                               'quote: "The harbour was quiet by noon."\n    article: ships'))
    assert check(harbour, capsys)[0] == 0


def test_a_quote_found_in_another_article_than_the_one_named_says_where(
        harbour: ProjectDir, capsys: pytest.CaptureFixture[str]) -> None:
    harbour.write("content/articles/harbour-reopens.md", ARTICLE_TWO)
    sheet = harbour.root / "content/places/harbour.yml"
    quote = 'quote: "The harbour was quiet by noon."'
    sheet.write_text(sheet.read_text().replace(quote, quote + "\n    article: harbour-reopens"))
    code, _, err = check(harbour, capsys)
    assert code == 1 and err.splitlines()[0] == (
        "content/places/harbour.yml:9: quote not found in article 'harbour-reopens', but it is in article "
        "'ships' (p3). Change 'article:' to 'ships', or remove it: the words say which article.")


def test_a_sheet_that_fails_does_not_make_others_fail_and_all_errors_come_at_once(
        harbour: ProjectDir, capsys: pytest.CaptureFixture[str]) -> None:
    harbour.write("content/places/harbour.yml", """\
        name: The harbour
        summery: A harbour.
        claims:
          - text: Port officials said some 40 sailors were on board.
            quote: "Some 40 sailers were on board"
        """)
    code, _, err = check(harbour, capsys)
    assert code == 1 and err.splitlines() == [
        "content/places/harbour.yml:1: missing required key 'summary'. Add 'summary:' with a value.",
        "content/places/harbour.yml:2: unknown key 'summery'. Did you mean 'summary'?",
        "content/places/harbour.yml:5: quote not found in article 'ships'.",
        '  Closest passage (p2): "Some 40 sailors were on board, according to port officials.".',
        "  Copy the article's exact words.",
        "3 errors; nothing was written."]


def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2
    assert "invalid choice: 'frobnicate'" in capsys.readouterr().err


def test_github_format_prints_annotations_on_the_diff_line(harbour: ProjectDir,
                                                           capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    harbour.write("content/places/bad.yml",
                  "name: Bad\nsummary: x\nclaims:\n  - text: t\n    quote: Some 40 sailers\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, err = check(harbour, capsys)
    assert code == 1
    assert out == (
        "::error file=content/places/bad.yml,line=5,title=explainer check::"
        "quote not found in article 'ships'.%0A"
        "  Closest passage (p2): \"Some 40 sailors were on board, according to port officials.\".%0A"
        "  Copy the article's exact words.\n")
    assert err.endswith("1 error; nothing was written.\n")
    monkeypatch.delenv("GITHUB_ACTIONS")
    code = main(["--root", str(harbour.root), "check", "--format", "github"])
    assert code == 1
    assert capsys.readouterr().out.startswith("::error file=content/places/bad.yml,line=5,")


@pytest.mark.parametrize("kind", ["actor", "actors"])
def test_new_writes_a_ready_to_fill_sheet_at_the_right_path(kind: str, harbour: ProjectDir,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--root", str(harbour.root), "new", kind, "Seth J. Frantzmann"])
    assert code == 0
    assert capsys.readouterr().out == (
        "Wrote content/actors/seth-j-frantzmann.yml. Fill it in, then run 'explainer check'.\n")
    text = (harbour.root / "content/actors/seth-j-frantzmann.yml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../../schema/sheet.schema.json\n"
                           'name: "Seth J. Frantzmann"\n')
    # Unfilled, the check points at what to fill in.
    code, _, err = check(harbour, capsys)
    assert code == 1
    assert "content/actors/seth-j-frantzmann.yml:9: 'claims[1].quote' is empty. Fill it in." in err


def test_new_event_has_a_date_block_and_new_refuses_to_overwrite(harbour: ProjectDir,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(harbour.root), "new", "event", "Harbour reopens"]) == 0
    text = (harbour.root / "content/events/harbour-reopens.yml").read_text()
    assert "$schema=../../schema/event.schema.json" in text
    assert "\ndate:\n  as_written:" in text
    capsys.readouterr()
    assert main(["--root", str(harbour.root), "new", "place", "Harbour"]) == 1
    assert capsys.readouterr().err == (
        "content/places/harbour.yml already exists. "
        "Edit it, or choose another name.\n")


def test_new_rejects_an_unknown_kind(harbour: ProjectDir, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(harbour.root), "new", "person", "X"]) == 2
    assert capsys.readouterr().err == (
        "unknown kind 'person'. Use one of: actor, equipment, agreement, place, event (or their plurals).\n")


def test_check_and_new_use_the_folders_mkdocs_yml_gives_the_plugin(
        harbour: ProjectDir, capsys: pytest.CaptureFixture[str]) -> None:
    (harbour.root / "content").rename(harbour.root / "stories")
    (harbour.root / "templates").rename(harbour.root / "layouts")
    config = harbour.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("content_dir: content", "content_dir: stories")
                      .replace("templates_dir: templates", "templates_dir: layouts"))
    assert check(harbour, capsys)[0] == 0
    assert main(["--root", str(harbour.root), "new", "actor", "The mayor"]) == 0
    assert (harbour.root / "stories/actors/the-mayor.yml").exists()
    assert capsys.readouterr().out.startswith("Wrote stories/actors/the-mayor.yml.")


def test_check_renders_the_templates_and_reports_their_mistakes(
        harbour: ProjectDir, capsys: pytest.CaptureFixture[str]) -> None:
    template = harbour.root / "templates/sheet.md.j2"
    lines = template.read_text().splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines, 1) if "sheet.summary" in line and "<p" in line)
    lines[number - 1] = lines[number - 1].replace("sheet.summary", "sheet.sumary")
    template.write_text("".join(lines))
    code, out, err = check(harbour, capsys)
    assert (code, out) == (1, "")
    assert err == (f"templates/sheet.md.j2:{number}: 'sheet.sumary' is undefined: Sheet has no field "
                   "'sumary'. Did you mean 'summary'?\n1 error; nothing was written.\n")
