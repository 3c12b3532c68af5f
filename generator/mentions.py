"""Names of other sheets in a page's text, linked at their first mention.

Every sheet's name and the aliases the article itself uses (not inferred ones: linking those
would assert an identity the article does not) are indexed by their first word, so finding
mentions costs a dictionary lookup per word of text, whatever the number of sheets.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

_WORD = re.compile(r"[\w\u2019']+(?:[-.][\w\u2019']+)*")


@dataclass(frozen=True)
class _Name:
    words: tuple[str, ...]
    slug: str


class Mentions:
    """Finds sheet names and aliases in text."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        """``names``: (slug, name or alias) pairs."""
        self.by_first: dict[str, list[_Name]] = defaultdict(list)
        for slug, name in names:
            words = tuple(m.group() for m in _WORD.finditer(name))
            if words:
                self.by_first[words[0]].append(_Name(words, slug))
        for candidates in self.by_first.values():
            candidates.sort(key=lambda n: -len(n.words))  # the longest name wins: "Turkish Air Force jets"

    def link(self, text: str, exclude: str, seen: set[str], href: Callable[[str], str]) -> Markup:
        """``text`` as HTML, each sheet's first mention on the page (``seen`` carries it) linked.

        ``exclude`` is the page's own sheet; ``href`` gives a sheet's link from its slug.
        """
        words = list(_WORD.finditer(text))
        out: list[str] = []
        at = 0
        index = 0
        while index < len(words):
            found = self._match(words, index)
            if found is not None and found.slug != exclude and found.slug not in seen:
                start, end = words[index].start(), words[index + len(found.words) - 1].end()
                out.append(escape(text[at:start]))
                out.append(Markup('<a class="mention" href="{}">{}</a>').format(href(found.slug),
                                                                               text[start:end]))
                seen.add(found.slug)
                at = end
                index += len(found.words)
                continue
            index += 1 if found is None else len(found.words)
        out.append(escape(text[at:]))
        return Markup("").join(out)

    def _match(self, words: list[re.Match[str]], index: int) -> _Name | None:
        for name in self.by_first.get(words[index].group(), ()):
            size = len(name.words)
            if index + size <= len(words) and all(
                    words[index + k].group() == name.words[k] for k in range(1, size)) and all(
                    words[index + k].start() - words[index + k - 1].end() <= 1 for k in range(1, size)):
                return name
        return None
