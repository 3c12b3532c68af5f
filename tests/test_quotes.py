"""Quote normalisation and resolution."""

from __future__ import annotations

from generator.model import Article, Passage
from generator.quotes import (
    Ambiguous,
    NotFound,
    Span,
    article_words,
    find_all,
    normalise,
    normalise_text,
    resolve,
)

ARTICLE = Article(
    slug="a",
    title="A",
    path="content/articles/a.md",
    passages=(
        Passage("p1", "The town\u2019s mayor said \u201cthey left\u201d at dawn.", 5),
        Passage("p2", "A growing list of\u00a0problems \u2013 and more.", 7),
        Passage("p3", "They left. They left again.", 9),
        Passage("p4", "Ends here", 11),
        Passage("p5", "starts there.", 13),
    ),
)


def test_normalise_folds_typography_and_whitespace_and_maps_back() -> None:
    text = "  The\u00a0town\u2019s   \u201cmayor\u201d\n\u2013 "
    result = normalise(text)
    assert result.text == "The town's \"mayor\" -"
    assert result.start(0) == 2
    assert text[result.start(8)] == "\u2019"
    assert text[result.start(len(result.text) - 1)] == "\u2013"


def test_straight_quote_matches_curly_article_text_and_span_is_in_original() -> None:
    found = resolve("The town's mayor said \"they left\"", ARTICLE)
    assert isinstance(found, Span)
    assert (found.passage, found.start, found.end) == ("p1", 0, 33)
    expected = "The town\u2019s mayor said \u201cthey left\u201d"
    assert ARTICLE.passages[0].text[found.start:found.end] == expected


def test_plain_space_matches_no_break_space_and_hyphen_matches_dash() -> None:
    found = resolve("list of problems - and", ARTICLE)
    assert isinstance(found, Span)
    assert ARTICLE.passages[1].text[found.start:found.end] == "list of\u00a0problems \u2013 and"


def test_matching_is_otherwise_exact() -> None:
    assert isinstance(resolve("the town's mayor", ARTICLE), NotFound)  # case
    assert isinstance(resolve("The towns mayor", ARTICLE), NotFound)  # punctuation


def test_quote_in_two_places_is_ambiguous() -> None:
    assert resolve("They left", ARTICLE) == Ambiguous(("p3",))
    assert resolve("left", ARTICLE) == Ambiguous(("p1", "p3"))


def test_quote_across_two_passages_is_reported_as_spanning() -> None:
    found = resolve("Ends here starts there", ARTICLE)
    assert isinstance(found, NotFound)
    assert found.spans_passages == ("p4", "p5")


def test_not_found_names_the_closest_passage() -> None:
    found = resolve("a growing list of problem", ARTICLE)
    assert isinstance(found, NotFound)
    assert found.closest is not None
    assert found.closest[0] == "p2"


def test_find_all_counts_overlapping_matches() -> None:
    assert find_all("aa", "aaa") == [(0, 2), (1, 3)]


def test_an_articles_words_are_its_passages_words_as_a_quote_is_searched() -> None:
    expected = {word for p in ARTICLE.passages for word in normalise_text(p.text).split(" ")}
    assert article_words(ARTICLE) == expected
    assert {"town's", "\"they", "-", "there."} <= expected  # folded as quotes are
