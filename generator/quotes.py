"""Quote matching: typography-insensitive, otherwise exact.

Both the quote and the passage are normalised the same way: curly quotes and
apostrophes become straight, dashes become '-', every kind of space becomes one
plain space, and runs of whitespace collapse. Case, letters, digits and all
other punctuation must match exactly.
"""

from __future__ import annotations

import difflib
import itertools
import re
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

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

    ``origin`` is an array of machine integers: a tuple of Python ints costs nine
    times the memory, and every passage of every article is kept normalised.
    """

    text: str
    origin: array[int]


_WORD = re.compile(r"\S+")
_INVISIBLE = ("\u200b", "\ufeff")


def normalise(text: str) -> Normalised:
    """Normalise typography and whitespace, remembering where each character came from."""
    if any(char in text for char in _INVISIBLE):
        return _normalise_by_char(text)
    if " ".join(text.split()) == text:
        # Already single-spaced, as the loader joins passages: every offset maps to itself.
        return Normalised(_plain_typography(text), array("l", range(len(text))))
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
    if any(char in text for char in _INVISIBLE):
        return _normalise_by_char(text).text
    return _plain_typography(" ".join(text.split()))


def _normalise_by_char(text: str) -> Normalised:
    """The reference definition, one character at a time; zero-width characters vanish."""
    chars: list[str] = []
    origin: list[int] = []
    pending_space = -1
    for index, char in enumerate(text):
        if char in _INVISIBLE:
            continue
        if char.isspace():
            if pending_space < 0:
                pending_space = index
            continue
        if pending_space >= 0:
            if chars:
                chars.append(" ")
                origin.append(pending_space)
            pending_space = -1
        chars.append(char.translate(_TYPOGRAPHY))
        origin.append(index)
    return Normalised("".join(chars), array("l", origin))


@dataclass(frozen=True)
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
            origin = self.passages[number].origin
            found.append((number, origin[local], origin[local + len(needle) - 1] + 1))
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


def resolve(quote: str, article: Article) -> Span | NotFound | Ambiguous:
    """Find the single passage of ``article`` containing ``quote``, and where."""
    hits = _article_text(tuple(p.text for p in article.passages)).hits(normalise_text(quote))
    if len(hits) == 1:
        number, start, end = hits[0]
        return Span(article.slug, article.passages[number].id, start, end)
    if hits:
        return Ambiguous(tuple(dict.fromkeys(article.passages[n].id for n, _, _ in hits)))
    return NotFound(_closest(quote, article), _spanned(quote, article))


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


def _closest(quote: str, article: Article) -> tuple[str, str] | None:
    needle = normalise_text(quote)
    best: tuple[float, str, str] | None = None
    for passage in article.passages:
        hay = _normalised(passage.text).text
        matcher = difflib.SequenceMatcher(None, needle, hay, autojunk=False)
        block = matcher.find_longest_match(0, len(needle), 0, len(hay))
        # Score by the longest shared run, then by overall similarity.
        score = block.size + matcher.ratio()
        if best is None or score > best[0]:
            start = max(0, block.b - block.a)
            best = (score, passage.id, _excerpt(hay, start, len(needle)))
    return None if best is None else (best[1], best[2])


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
