"""Keep the repository's own content honest as it grows."""

from __future__ import annotations

import re

import pytest
from conftest import REPO

from generator.model import KINDS, EventSheet
from generator.pipeline import Project, check
from generator.resolve import Resolved

REPORTING = re.compile(r"\b(said|says|say|told|reported|reports|according to|showed|citing)\b", re.I)
REPORTED_FIGURES = ("1,500", "1,400", "three military planes", "two heavy transport aircraft", "150 km")


@pytest.fixture(scope="module")
def resolved() -> Resolved:
    return check(Project.at(REPO))


def test_every_passage_of_every_article_is_cited(resolved: Resolved) -> None:
    cited = {(c.span.article, c.span.passage) for c in resolved.citations}
    for article in resolved.articles.values():
        missing = [p.id for p in article.passages if (article.slug, p.id) not in cited]
        assert missing == [], f"{article.path}: passages cited by no claim: {missing}"


def test_quotes_that_carry_a_reporting_verb_have_an_attribution(resolved: Resolved) -> None:
    unattributed = []
    for loaded in resolved.sheets.values():
        items = [*loaded.sheet.claims, *loaded.sheet.relations]
        for item in items:
            if REPORTING.search(item.quote) and not item.attribution:
                unattributed.append(f"{loaded.path}: {item.quote!r}")
    assert unattributed == []


def test_reported_figures_are_never_stated_without_attribution(resolved: Resolved) -> None:
    unattributed = []
    for loaded in resolved.sheets.values():
        for claim in loaded.sheet.claims:
            if any(f in claim.quote or f in claim.text for f in REPORTED_FIGURES) and not claim.attribution:
                unattributed.append(f"{loaded.path}: {claim.text!r}")
    assert unattributed == []


def test_the_seed_entities_have_sheets(resolved: Resolved) -> None:
    required = {
        "actors": {"wagner-group", "libyan-national-army", "khalifa-haftar",
                   "government-of-national-accord", "turkey"},
        "equipment": {"pantsir", "turkish-drones"},
        "agreements": {"military-memorandum", "maritime-deal"},
        "places": {"tripoli", "bani-walid", "jufra"},
    }
    for kind, slugs in required.items():
        have = {slug for slug, s in resolved.sheets.items() if s.kind == kind}
        assert slugs <= have, (kind, slugs - have)
    assert {s.kind for s in resolved.sheets.values()} == set(KINDS)


def test_event_dates_never_claim_more_precision_than_the_article(resolved: Resolved) -> None:
    for loaded in resolved.sheets.values():
        if not isinstance(loaded.sheet, EventSheet):
            continue
        date = loaded.sheet.date
        if date.as_written is None:
            assert date.precision == "unstated" and date.edtf is None, loaded.path
            continue
        years = re.findall(r"\b\d{4}\b", date.as_written)
        if date.edtf is not None:
            edtf_year = date.edtf[:4]
            assert (edtf_year == "XXXX") == (not years), loaded.path
            if years:
                assert edtf_year == years[0], loaded.path
        if date.precision in ("relative", "weekday"):
            assert date.edtf is None, loaded.path
