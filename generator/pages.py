"""Generated pages: what one is, and where each kind of page lives.

Paths are Markdown paths under the site's docs folder (``actors/turkey.md``), as a
site builder lays them out; :mod:`generator.urls` turns them into links.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from generator.model import KINDS, Article, LoadedSheet

ARTICLES = "articles"
"""The folder of the annotated articles' pages (and the kind name of their index)."""
HOME = "index.md"
TIMELINE = "timeline.md"
GRAPH = "graph.md"
OPEN_DATA = "open-data.md"

SINGLE_PAGES: tuple[str, ...] = (HOME, TIMELINE, GRAPH, OPEN_DATA)
"""Pages the site has once, whatever the content."""

PACK_LEVEL = 1
"""zlib's fastest level: a few percent of the build's time, most of the saving."""

RESERVED_SLUGS = frozenset({"index"})
"""Names a sheet or article cannot have: its page would take the place of its folder's index."""


@dataclass(frozen=True, slots=True)
class Page:
    """A generated page: its Markdown path under ``docs/``, YAML front matter and HTML body.

    Kept apart so that a site builder can take the front matter and the body separately
    without copying either. A large site holds every page at once (MkDocs reads every page
    before it writes any), so each part is kept compressed: HTML packs about sixfold; at
    30,000 sheets the bodies were most of the build's memory, the front matter's structured
    data the next part.
    """

    path: str
    packed_front_matter: bytes
    """The YAML front matter with its ``---`` lines, or nothing; UTF-8, compressed."""
    packed_body: bytes
    """The HTML body, UTF-8, compressed (:func:`zlib.compress`; equal bodies, equal bytes)."""
    packed_search: bytes | None = None
    """:attr:`search`, UTF-8, compressed; None when it is the body."""
    anchors: str = ""
    """The ids of the body's elements, space-separated (an HTML id holds no space): where a link
    into the page can land. One string: at 30,000 sheets a tuple of strings was 44 MB more."""
    headings: tuple[tuple[int, str, str], ...] = ()
    """(level, id, text without markup) of the body's h1 and h2 headings with an id, in order:
    the page's table of contents."""

    @classmethod
    def from_text(cls, path: str, text: str, search: str | None = None) -> Page:
        """The page whose Markdown text is ``text``: front matter, then one raw HTML block."""
        front_matter, body = "", text
        if text.startswith("---\n"):
            end = text.index("\n---\n", 3) + 5
            front_matter, body = text[:end], text[end:]
        # Found here, where pages are made (by several processes on a large site), so that a
        # site builder need not unpack every body to find them.
        headings = tuple((int(level), anchor, _TAG.sub("", inner)) for level, anchor, inner
                         in _HEADING.findall(body))
        return cls(path, _pack(front_matter), _pack(body), None if search is None else _pack(search),
                   " ".join(_anchors(body)), headings)

    @property
    def front_matter(self) -> str:
        """The YAML front matter with its ``---`` lines, or nothing."""
        return zlib.decompress(self.packed_front_matter).decode()

    @property
    def search(self) -> str:
        """What the search index gets instead of the body: the template's ``search`` block
        (see :meth:`generator.render.Renderer.render_page`), or else the body itself."""
        return self.body if self.packed_search is None else zlib.decompress(self.packed_search).decode()

    @property
    def encoded_body(self) -> bytes:
        """The HTML body, UTF-8."""
        return zlib.decompress(self.packed_body)

    @property
    def body(self) -> str:
        """The HTML body."""
        return self.encoded_body.decode()

    @property
    def markdown(self) -> str:
        """The page as one Markdown file."""
        return self.front_matter + self.body


_ID = re.compile(r'id="([^"]+)"')
_HEADING = re.compile(r'<h([12])[^>]*\sid="([^"]+)"[^>]*>(.*?)</h\1>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def _anchors(html: str) -> list[str]:
    """The ids of ``html``'s elements: each ``id="..."`` after a space, as ``\\sid="([^"]+)"`` finds them.

    Searched for by its literal start, then checked for the space: a pattern that starts with a
    class of characters tries it at every character, and took three times as long (5 % of the
    rendering of a large site).
    """
    found = []
    match = _ID.search(html)
    while match:
        at = match.start()
        if at and html[at - 1].isspace():
            found.append(match.group(1))
            match = _ID.search(html, match.end())
        else:  # not an attribute of its own (say, data-id): an id may still start inside it
            match = _ID.search(html, at + 1)
    return found


def _pack(text: str) -> bytes:
    return zlib.compress(text.encode(), PACK_LEVEL)


def sheet_path(loaded: LoadedSheet) -> str:
    """Markdown path of a sheet's page."""
    return f"{loaded.kind}/{loaded.slug}.md"


def article_path(article: Article | str) -> str:
    """Markdown path of an article's annotated page."""
    slug = article if isinstance(article, str) else article.slug
    return f"{ARTICLES}/{slug}.md"


def index_path(kind: str) -> str:
    """Markdown path of a kind's index page (``articles`` included)."""
    return f"{kind}/index.md"


def graph_path(view: str) -> str:
    """Markdown path of a graph page: the overview (``""``) or a kind's view."""
    return GRAPH if not view else f"graph/{view}.md"


def index_paths() -> tuple[str, ...]:
    """Every index page: the articles' and each kind's."""
    return tuple(index_path(kind) for kind in (ARTICLES, *KINDS))
