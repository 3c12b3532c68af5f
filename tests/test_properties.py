"""Property-based tests (hypothesis) for the normaliser, the resolver, the loader and the page's ids."""

from __future__ import annotations

import posixpath
import random
import re
import string
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import Problem
from generator.load import load_content, load_sheet
from generator.model import Article, Passage
from generator.pages import _anchors
from generator.quotes import (
    Ambiguous,
    NotFound,
    Span,
    _normalise_by_char,
    normalise,
    normalise_text,
    resolve,
)
from generator.urls import relative_url

TYPOGRAPHY = {"'": "\u2019\u2018", '"': "\u201c\u201d", "-": "\u2013\u2014", " ": "\u00a0\t\n  "}
plain_text = st.text(alphabet=string.ascii_letters + string.digits + " .,'\"-", min_size=1, max_size=80)


def typographic_variant(text: str, data: st.DataObject) -> str:
    """Swap plain characters for typographic ones the way an article might spell them."""
    out = []
    for char in text:
        choices = TYPOGRAPHY.get(char)
        out.append(data.draw(st.sampled_from([char, *choices])) if choices else char)
    return "".join(out)


@given(st.text(max_size=200))
def test_normalise_is_idempotent_and_maps_every_character_back(text: str) -> None:
    once = normalise(text)
    assert normalise(once.text).text == once.text
    starts = [once.start(i) for i in range(len(once.text))]
    assert starts == sorted(starts)
    assert all(0 <= once.start(i) < once.end(i) <= len(text) for i in range(len(once.text)))
    assert "  " not in once.text and once.text == once.text.strip()


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=120)
       | st.text(alphabet=" \t\n\u00a0\u2009\u200b\ufeffab'\u2019-\u2013", max_size=60))
def test_fast_normalise_agrees_with_the_character_by_character_definition(text: str) -> None:
    fast, reference = normalise(text), _normalise_by_char(text)
    assert fast.text == reference.text
    assert [(fast.start(i), fast.end(i)) for i in range(len(fast.text))] == [
        (reference.start(i), reference.end(i)) for i in range(len(reference.text))]
    assert normalise_text(text) == reference.text


@given(st.text(max_size=80), st.lists(st.sampled_from("\u00ad\u200b\u200d\u2060\ufeff\u200e"), max_size=4),
       st.randoms())
def test_composed_decomposed_and_invisible_characters_normalise_alike(
        text: str, invisible: list[str], rng: random.Random) -> None:
    import unicodedata

    cluttered = list(unicodedata.normalize("NFD", text))
    for char in invisible:
        cluttered.insert(rng.randrange(len(cluttered) + 1), char)
    assert normalise_text("".join(cluttered)) == normalise_text(unicodedata.normalize("NFC", text))


@given(plain_text, st.data())
def test_typography_never_changes_the_normalised_text(text: str, data: st.DataObject) -> None:
    assert normalise(typographic_variant(text, data)).text == normalise(text).text


@given(st.lists(st.text(alphabet=string.ascii_lowercase + " ", min_size=1, max_size=40), min_size=1,
                max_size=5), st.data())
def test_a_quote_taken_from_a_passage_resolves_to_its_own_words(paragraphs: list[str],
                                                                data: st.DataObject) -> None:
    passages = tuple(Passage(f"p{i + 1}", f"{i}x {text} y{i}", 1) for i, text in enumerate(paragraphs))
    article = Article("a", "A", "a.md", passages)
    index = data.draw(st.integers(0, len(passages) - 1))
    source = passages[index].text
    start = data.draw(st.integers(0, len(source) - 1))
    end = data.draw(st.integers(start + 1, len(source)))
    quote = source[start:end]
    if not quote.strip():
        return
    variant = typographic_variant(quote, data)
    found = resolve(variant, article)
    if isinstance(found, Span):
        assert normalise(passages_text(article, found)).text == normalise(quote).text
    else:
        # Only ever ambiguous (it is in the article), never "not found".
        assert isinstance(found, Ambiguous)
        assert f"p{index + 1}" in found.passages


def passages_text(article: Article, span: Span) -> str:
    return article.passage(span.passage).text[span.start:span.end]


@given(st.text(alphabet=string.ascii_uppercase, min_size=3, max_size=20))
def test_words_absent_from_the_article_are_not_found(quote: str) -> None:
    article = Article("a", "A", "a.md", (Passage("p1", "lowercase only here", 1),))
    assert isinstance(resolve(quote, article), NotFound)


# Fuzzing the loader: no input may raise; every bad one yields a located problem.

yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["name", "summary", "claims", "text", "quote", "aliases",
                                       "relations", "type", "target", "date", "article", "x"]),
                      children, max_size=5),
    max_leaves=20,
)


def _load_bytes(tmp: Path, data: bytes, kind: str = "actors") -> list[Problem]:
    path = tmp / "content" / kind / "fuzz.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    problems: list[Problem] = []
    load_sheet(path, "content/actors/fuzz.yml", kind, problems)
    return problems


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=200)
@given(st.binary(max_size=300))
def test_random_bytes_never_raise(tmp_path: Path, data: bytes) -> None:
    for problem in _load_bytes(tmp_path, data):
        assert problem.path == "content/actors/fuzz.yml"
        assert problem.line >= 1 and problem.problem and problem.fix
        assert problem.format().startswith(f"content/actors/fuzz.yml:{problem.line}: ")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=200)
@given(yaml_values, st.sampled_from(["actors", "events"]))
def test_random_yaml_structures_never_raise(tmp_path: Path, value: object, kind: str) -> None:
    text = yaml.safe_dump(value, allow_unicode=True)
    for problem in _load_bytes(tmp_path, text.encode("utf-8"), kind):
        assert problem.line >= 1


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=100)
@given(st.binary(max_size=300))
def test_random_articles_never_raise(tmp_path: Path, data: bytes) -> None:
    folder = tmp_path / "content" / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "fuzz.md").write_bytes(b"---\ntitle: T\n---\n" + data)
    load_content(tmp_path, tmp_path / "content")
    (folder / "fuzz.md").write_bytes(data)
    load_content(tmp_path, tmp_path / "content")


def test_alias_bomb_is_cheap(tmp_path: Path) -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 8)]
    text = "\n".join(levels) + "\nname: *a7\n"
    problems = _load_bytes(tmp_path, text.encode())
    assert [p.format() for p in problems] == [
        "content/actors/fuzz.yml:1: the YAML expands to more than 20,000 values through its aliases "
        "('*name'). Write the values out instead of repeating aliases."]


def test_deep_nesting_is_reported_not_raised(tmp_path: Path) -> None:
    problems = _load_bytes(tmp_path, ("name: " + "[" * 5000 + "]" * 5000 + "\n").encode())
    assert [p.format() for p in problems] == [
        "content/actors/fuzz.yml:1: the YAML is nested too deeply. "
        "A sheet needs only a few levels: see the sheet guide."]


site_paths = st.lists(st.sampled_from(["a", "b", "actors", "x-y"]), max_size=4).map("/".join)


@given(site_paths, site_paths, st.booleans())
def test_relative_url_agrees_with_posixpath_relpath(target: str, from_dir: str, directory: bool) -> None:
    target = target + "/" if directory and target else target
    expected = posixpath.relpath(target or ".", from_dir or ".")
    if target.endswith("/") or not target:
        expected = "./" if expected == "." else expected + "/"
    assert relative_url(target, from_dir) == expected


HTML_PIECES = st.lists(st.sampled_from([' id="', 'id="', "data-", '"', " ", "\n", "\u00a0", "a", "b-1", "<p",
                                        ">", '="']), max_size=30).map("".join)


@settings(max_examples=500)
@given(HTML_PIECES)
def test_a_pages_ids_are_what_the_plain_pattern_finds(html: str) -> None:
    assert _anchors(html) == re.findall(r'\sid="([^"]+)"', html)
