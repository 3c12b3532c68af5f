"""Quote matching: typography-insensitive, otherwise exact.

Both the quote and the passage are normalised the same way: Unicode text is composed
(NFC, so an é typed as e and an accent matches é), invisible formatting characters
(soft hyphens, zero-width spaces and joiners, direction marks) vanish, curly quotes and
apostrophes become straight, dashes become '-', every kind of space becomes one plain
space, and runs of whitespace collapse. Case, letters, digits and all other punctuation
must match exactly.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from generator.model import Article

_TYPOGRAPHY = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-",
})


_TYPOGRAPHIC = re.compile("[" + re.escape("".join(map(chr, _TYPOGRAPHY))) + "]")
_PLAIN = {chr(code): plain for code, plain in _TYPOGRAPHY.items()}


def _plain_typography(text: str) -> str:
    """``text.translate(_TYPOGRAPHY)``, several times faster: translate looks up every
    character of a non-ASCII text in the table; the regex engine finds the few to change."""
    if text.isascii():
        return text
    return _TYPOGRAPHIC.sub(lambda match: _PLAIN[match.group()], text)


@dataclass(frozen=True)
class Normalised:
    """Normalised text and, for each of its characters, the index in the original.

    ``origin`` is an array of machine integers (a tuple of Python ints costs nine times
    the memory, and every passage of every article is kept normalised while quotes are
    found), or None when every character stands where it stood: the common case of a
    single-spaced passage, where the array was most of the resolve step's memory at
    30,000 sheets. ``ends``, kept only when composing changed lengths, gives where each
    character's source ends.
    """

    text: str
    origin: array[int] | None
    ends: array[int] | None = None

    def start(self, index: int) -> int:
        """Where the source of normalised character ``index`` starts in the original."""
        return self.origin[index] if self.origin is not None else index

    def end(self, index: int) -> int:
        """Where the source of normalised character ``index`` ends in the original."""
        return self.ends[index] if self.ends is not None else self.start(index) + 1


_WORD = re.compile(r"\S+")
_INVISIBLE_CHARS = ("\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff")
_INVISIBLE = frozenset(_INVISIBLE_CHARS)
_HAS_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
"""Invisible formatting characters: soft hyphen, zero-width space and joiners, direction marks,
word joiner, byte-order mark. Editors and web pages add them; a reader never sees them."""


def _simple(text: str) -> bool:
    """Whether ``text`` needs no composing and holds no invisible characters (the common case)."""
    return text.isascii() or (_HAS_INVISIBLE.search(text) is None
                              and unicodedata.is_normalized("NFC", text))


def normalise(text: str) -> Normalised:
    """Normalise Unicode, typography and whitespace, remembering where each character came from."""
    if not _simple(text):
        return _normalise_by_char(text)
    if " ".join(text.split()) == text:
        # Already single-spaced, as the loader joins passages: every offset maps to itself.
        return Normalised(_plain_typography(text), None)
    # Words found by the regex engine, offsets copied in bulk.
    parts: list[str] = []
    origin: list[int] = []
    previous_end = -1
    for match in _WORD.finditer(text):
        if parts:
            parts.append(" ")
            origin.append(previous_end)
        parts.append(match.group())
        origin.extend(range(match.start(), match.end()))
        previous_end = match.end()
    return Normalised(_plain_typography("".join(parts)), array("l", origin))


def normalise_text(text: str) -> str:
    """``normalise(text).text`` without the offsets: what a quote is searched as."""
    if not _simple(text):
        return _normalise_by_char(text).text
    return _plain_typography(" ".join(text.split()))


def _normalise_by_char(text: str) -> Normalised:
    """The reference definition, one character (with its combining marks) at a time."""
    chars: list[str] = []
    origin: list[int] = []
    ends: list[int] = []
    pending_space = -1
    at, size = 0, len(text)
    while at < size:
        if text[at] in _INVISIBLE:
            at += 1
            continue
        if text[at].isspace():
            if pending_space < 0:
                pending_space = at
            at += 1
            continue
        stop = at + 1  # a character and what composes with it (accents, Hangul jamo) go together
        while stop < size and (unicodedata.combining(text[stop]) or text[stop] in _INVISIBLE
                               or _composes(text[at:stop], text[stop])):
            stop += 1
        if pending_space >= 0:
            if chars:
                chars.append(" ")
                origin.append(pending_space)
                ends.append(pending_space + 1)
            pending_space = -1
        group = "".join(c for c in text[at:stop] if c not in _INVISIBLE)
        composed = unicodedata.normalize("NFC", group)
        if composed == text[at:stop]:  # nothing to compose or drop: each character stands for itself
            for index in range(at, stop):
                chars.append(text[index].translate(_TYPOGRAPHY))
                origin.append(index)
                ends.append(index + 1)
        else:
            for char in composed.translate(_TYPOGRAPHY):
                chars.append(char)
                origin.append(at)
                ends.append(stop)
        at = stop
    return Normalised("".join(chars), array("l", origin), array("l", ends))


def _composes(group: str, char: str) -> bool:
    """Whether NFC joins ``char``, not a combining mark, onto ``group`` (Hangul jamo, a few scripts)."""
    if char.isspace() or char.isascii():
        return False
    group = "".join(c for c in group if c not in _INVISIBLE)
    return len(unicodedata.normalize("NFC", group + char)) <= len(unicodedata.normalize("NFC", group))


@dataclass(frozen=True, slots=True)
class Span:
    """Where a quote was found: the passage and the [start, end) characters in its text."""

    article: str
    passage: str
    start: int
    end: int


@dataclass(frozen=True)
class NotFound:
    """The quote is in no passage; ``closest`` is the best guess (passage id, excerpt)."""

    closest: tuple[str, str] | None
    spans_passages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ambiguous:
    """The quote occurs more than once: every passage id it occurs in, in order."""

    passages: tuple[str, ...]


@dataclass(frozen=True)
class _ArticleText:
    """An article's passages normalised and joined by newlines (which normalised text never holds).

    One ``find`` over the whole article replaces one per passage, and no match can run
    from one passage into the next.
    """

    text: str
    starts: tuple[int, ...]
    passages: tuple[Normalised, ...]

    def hits(self, needle: str) -> list[tuple[int, int, int]]:
        """(passage index, start, end in the passage's original text) of every match."""
        found = []
        at = self.text.find(needle) if needle else -1
        while at >= 0:
            number = bisect_right(self.starts, at) - 1
            local = at - self.starts[number]
            passage = self.passages[number]
            found.append((number, passage.start(local), passage.end(local + len(needle) - 1)))
            at = self.text.find(needle, at + 1)
        return found


@lru_cache(maxsize=4096)
def _article_text(passages: tuple[str, ...]) -> _ArticleText:
    # Every quote of an article is searched in it: normalise the article once.
    normalised = tuple(_normalised(text) for text in passages)
    starts = list(itertools.accumulate((len(n.text) + 1 for n in normalised), initial=0))
    return _ArticleText("\n".join(n.text for n in normalised), tuple(starts[:-1]), normalised)


@lru_cache(maxsize=65536)
def _normalised(text: str) -> Normalised:
    return normalise(text)


def forget_passages() -> None:
    """Drop the normalised articles kept while resolving (they are only needed then)."""
    _article_text.cache_clear()
    _normalised.cache_clear()


def find_all(quote: str, text: str) -> list[tuple[int, int]]:
    """Every (start, end) in ``text`` where ``quote`` matches, overlapping ones included."""
    return [(start, end) for _, start, end in _article_text((text,)).hits(normalise_text(quote))]


def normalised_article(article: Article) -> None:
    """Normalise ``article`` for :func:`find` now (it is kept until :func:`forget_passages`)."""
    _article_text(tuple(p.text for p in article.passages))


def article_words(article: Article) -> set[str]:
    """The distinct words of ``article``, normalised as a quote is searched (each passage's
    ``normalise_text(...).split(" ")``); normalises it for :func:`find` too."""
    return set(_article_text(tuple(p.text for p in article.passages)).text.replace("\n", " ").split(" "))


def find(quote: str, article: Article) -> Span | Ambiguous | None:
    """The single place of ``quote`` in ``article``; Ambiguous if it occurs more than once."""
    hits = _article_text(tuple(p.text for p in article.passages)).hits(normalise_text(quote))
    if len(hits) == 1:
        number, start, end = hits[0]
        return Span(article.slug, article.passages[number].id, start, end)
    if hits:
        return Ambiguous(tuple(dict.fromkeys(article.passages[n].id for n, _, _ in hits)))
    return None


def resolve(quote: str, article: Article) -> Span | NotFound | Ambiguous:
    """Find the single passage of ``article`` containing ``quote``, and where."""
    found = find(quote, article)
    if found is not None:
        return found
    best = closest(quote, article)
    return NotFound(best[1:] if best else None, spanned(quote, article))


def spanned(quote: str, article: Article) -> tuple[str, ...]:
    """The two passages a quote runs across, if it joins the end of one to the start of the next."""
    return _spanned(quote, article)


def _spanned(quote: str, article: Article) -> tuple[str, ...]:
    """The passages a quote runs across, when it joins the end of one to the start of the next."""
    needle = normalise_text(quote)
    for first, second in itertools.pairwise(article.passages):
        head = _normalised(first.text).text
        joined = head + " " + _normalised(second.text).text
        at = joined.find(needle)
        if at >= 0 and at < len(head) < at + len(needle):
            return (first.id, second.id)
    return ()


HINT_QUOTE_LIMIT = 300
"""Characters of an unfound quote the closest-passage hint compares: enough to find its place."""


def closest(quote: str, article: Article) -> tuple[float, str, str] | None:
    """(score out of 100, passage id, excerpt) of the passage most like ``quote``.

    RapidFuzz's partial-ratio alignment is linear in the passage's length (difflib's matcher,
    used before, took minutes on a 1 MB paragraph).
    """
    needle = normalise_text(quote)[:HINT_QUOTE_LIMIT]
    best: tuple[float, str, str] | None = None
    for passage in article.passages:
        hay = _normalised(passage.text).text
        found = fuzz.partial_ratio_alignment(needle, hay)
        if found is None:
            continue
        if best is None or found.score > best[0]:
            best = (found.score, passage.id, _excerpt(hay, found.dest_start, len(needle)))
    return best


def _excerpt(text: str, start: int, length: int) -> str:
    """About ``length`` characters of ``text`` from ``start``, cut at word boundaries."""
    if start > 0:
        start = text.rfind(" ", 0, start) + 1
    end = min(len(text), start + max(length, 40) + 20)
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    prefix = "..." if start > 0 else ""
    suffix = " ..." if end < len(text) else ""
    return f"{prefix}{text[start:end]}{suffix}"
