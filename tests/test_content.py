"""Keep the repository's own content honest as it grows."""

from __future__ import annotations

import pytest
from conftest import REPO

from generator.model import KINDS
from generator.pipeline import Project, check
from generator.resolve import Resolved


@pytest.fixture(scope="module")
def resolved() -> Resolved:
    return check(Project.at(REPO))


# The content standards a machine can check (attribution, figures, date precision, lead length)
# are rules of `explainer check` for every project (generator/rules.py, tests/test_rules.py):
# `resolved` exists only if the seed passes them.


def test_every_passage_of_every_article_is_cited(resolved: Resolved) -> None:
    cited = {(c.span.article, c.span.passage) for c in resolved.citations}
    for article in resolved.articles.values():
        missing = [p.id for p in article.passages if (article.slug, p.id) not in cited]
        assert missing == [], f"{article.path}: passages cited by no claim: {missing}"


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
