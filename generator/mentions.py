"""Names of other sheets in a page's text, linked at their first mention.

Every sheet's name and the aliases the article itself uses (not inferred ones: linking those
would assert an identity the article does not) are indexed by their first word, so finding
mentions costs a dictionary lookup per word of text, whatever the number of sheets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from markupsafe import Markup, escape

_WORD = re.compile(r"[\w\u2019']+(?:[-.][\w\u2019']+)*")


class Mentions:
    """Finds sheet names and aliases in text."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        """``names``: (slug, name or alias) pairs."""
        # A trie of words: each node maps the next word to its node; "" holds the slug a name ends on.
        self.trie: dict[str, Any] = {}
        for slug, name in names:
            words = [m.group() for m in _WORD.finditer(name)]
            if not words:
                continue
            node = self.trie
            for word in words:
                node = node.setdefault(word, {})
            node.setdefault("", slug)  # the first sheet to claim a name keeps it

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
            if found is not None:
                slug, size = found
                if slug != exclude and slug not in seen:
                    start, end = words[index].start(), words[index + size - 1].end()
                    out.append(escape(text[at:start]))
                    link = Markup('<a class="mention" href="{}">{}</a>')
                    out.append(link.format(href(slug), text[start:end]))
                    seen.add(slug)
                    at = end
                index += size
                continue
            index += 1
        out.append(escape(text[at:]))
        return Markup("").join(out)

    def _match(self, words: list[re.Match[str]], index: int) -> tuple[str, int] | None:
        """The longest name starting at word ``index``: (slug, number of words), or None."""
        node = self.trie.get(words[index].group())
        best = None
        size = 1
        while node is not None:
            if "" in node:
                best = (node[""], size)
            if index + size >= len(words) or words[index + size].start() - words[index + size - 1].end() > 1:
                break
            node = node.get(words[index + size].group())
            size += 1
        return best
