"""The content standards that a machine can check, for every project.

- A quote with a reporting verb ("said", "according to") needs an attribution: the claim
  rests on what someone says, and the page must say who.
- A figure (a count, a distance: "some 1,500", "three planes") is never stated bare: a claim
  that states one says who reports it.
- A date is never more precise than its words: every digit of its EDTF value comes from
  the quoted words ("on Friday" is not ``2019-12-06``).
- A sheet's lead is at most two sentences.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from generator.dates import MONTHS
from generator.errors import Problem
from generator.model import EventSheet, LoadedSheet, Sourced, Story, line_of
from generator.yamlread import PackedLines

REPORTING = re.compile(r"\b(said|says|say|saying|told|tells|reported|reports|according to|showed|citing|"
                       r"announced|quoted)\b", re.IGNORECASE)
"""Words that attribute what follows to someone."""

_NUMBER_WORDS = ("two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
                 "hundred|hundreds|thousand|thousands|million|millions|dozen|dozens|scores")
FIGURE = re.compile(rf"(?<![\w-])(?:\d+(?:[.,]\d+)*(?:\s*(?:km|kilometres|miles|%|per cent|percent))?|"
                    rf"(?:{_NUMBER_WORDS}))(?![\w-])", re.IGNORECASE)
"""A count or a measure: digits, or a number word."""

_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_SENTENCE_END = re.compile(r"(\S*)[.!?][\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]*[A-Z0-9])")
_ABBREVIATIONS = {"mr", "ms", "mrs", "dr", "st", "gen", "col", "lt", "no", "vs", "jr", "sr", "u.s", "u.n"}
MAX_LEAD_SENTENCES = 2


def check_sheet(loaded: LoadedSheet) -> Iterator[Problem]:
    """Every content standard ``loaded`` breaks, at the line of the value that breaks it."""
    yield from _sheet_rules(loaded)


def check_story(path: str, story: Story, lines: PackedLines) -> Iterator[Problem]:
    """The content standards the home page's story breaks: attribution and figures, as for claims."""
    yield from _sourced_rules(path, lambda *loc: line_of(lines, loc), "sentences", story.sentences,
                              "sentence")


def _sheet_rules(loaded: LoadedSheet) -> Iterator[Problem]:
    sheet = loaded.sheet
    sentences = count_sentences(sheet.summary)
    if sentences > MAX_LEAD_SENTENCES:
        yield Problem(loaded.path, loaded.line("summary"),
                      f"the lead ('summary') has {sentences} sentences; at most {MAX_LEAD_SENTENCES}",
                      "Say who or what this is in the story and on which side; the claims say the rest")
    yield from _sourced_rules(loaded.path, loaded.line, "claims", sheet.claims, "claim")
    yield from _sourced_rules(loaded.path, loaded.line, "relations", sheet.relations, "relation")
    if isinstance(sheet, EventSheet):
        yield from _date_precision(loaded, sheet)


def _sourced_rules(path: str, line: Callable[..., int], key: str, items: Sequence[Sourced],
                   noun: str) -> Iterator[Problem]:
    """Attribution for reporting verbs, and a source for every figure a claim states."""
    for index, item in enumerate(items):
        attributed = item.attribution is not None or item.source is not None
        verb = REPORTING.search(item.quote)
        if verb and not attributed:
            yield Problem(path, line(key, index, "quote"),
                          f"the quote says '{verb.group()}' but the {noun} has no attribution",
                          "Add 'attribution:' with who the article says says it")
        text = getattr(item, "text", None)
        figure = next((m.group() for m in FIGURE.finditer(text or "") if not _YEAR.match(m.group())), None)
        if figure and not attributed:
            yield Problem(path, line(key, index, "text"),
                          f"the {noun} states a figure ('{figure}') without saying who reports it",
                          "Add 'attribution:' (who the article says gives the figure; 'the article' "
                          "if it gives it itself) and say so in the claim")


def count_sentences(text: str) -> int:
    """Sentences in ``text``; an initial ("Seth J. Frantzmann") or an abbreviation ends none."""
    ends = [m for m in _SENTENCE_END.finditer(text.strip())
            if not (len(m.group(1)) == 1 and m.group(1).isupper())
            and m.group(1).lower() not in _ABBREVIATIONS]
    return len(ends) + 1


def _date_precision(loaded: LoadedSheet, sheet: EventSheet) -> Iterator[Problem]:
    date = sheet.date
    if not date.edtf or date.as_written is None:
        return
    words = date.as_written
    for part in date.edtf.split("/"):
        pieces = part.split("-")
        given = []
        if pieces[0].isdigit() and pieces[0] not in words:
            given.append(f"the year {pieces[0]}")
        if len(pieces) > 1 and pieces[1].isdigit():
            month = MONTHS[int(pieces[1]) - 1] if 1 <= int(pieces[1]) <= 12 else pieces[1]
            if month.lower() not in words.lower() and month[:3].lower() not in words.lower():
                given.append(f"the month ({month})")
        if len(pieces) > 2 and pieces[2].isdigit() and not re.search(rf"\b0?{int(pieces[2])}\b", words):
            given.append(f"the day ({int(pieces[2])})")
        if given:
            yield Problem(loaded.path, loaded.line("date", "edtf"),
                          f"edtf '{date.edtf}' gives {' and '.join(given)}, which the words "
                          f"'{words}' do not", "Write X for every digit the article's words do not give")
            return
