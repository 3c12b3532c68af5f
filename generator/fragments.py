"""Material's navigation, tabs, header, table of contents, source-file facts and per-depth
blocks, rendered once for the pages they are alike on.

Part of the theme adapter. Material renders the site navigation, the navigation tabs and the
header for every page: at 3,000 sheets that was 60 % of its templates' time. On a page outside
the navigation (every sheet and article page), they differ from one page to the next only in
their links, which are relative to the page, and, for the header, in the page's title. So each
is rendered from Material's own template once per set of relative links, and the header's title
is put in. The navigation pages themselves (home, indexes) mark their own entry active and list
their headings in the navigation: they are rendered in full, as Material does.

The table of contents depends on nothing but the page's headings, and many sheets have the
same ones ("Claims", "Relations" ...): it is rendered once per set of headings. The source-file
partial shows nothing on a page without git dates or authors: rendered once.

The stylesheets, analytics, footer, configuration and scripts blocks differ only by the path to
the site's root (the footer, on a page outside the nav): they are kept once per depth.

A fragment that cannot be cached (its template changed shape) is rendered in full too: the
output is always Material's.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

GLOBAL = "explainer_fragment"
"""The name the overriding partials call (``overrides/partials/{nav,tabs,header,toc,source-file}.html``)."""

HEADER = "partials/header.html"
TOC = "partials/toc.html"
SOURCE_FILE = "partials/source-file.html"
CACHED = ("partials/nav.html", "partials/tabs.html", HEADER, TOC, SOURCE_FILE)
TITLE_SLOT = "\x00explainer:title\x00"
"""The title the header is rendered with once, to be replaced by each page's title."""

KEPT, KEEP = "explainer_kept", "explainer_keep"
"""What ``overrides/main.html`` calls for the blocks it renders once per depth."""

UrlFilter = Callable[[jinja2.runtime.Context, str], str]


class Fragments:
    """Renders Material's ``CACHED`` partials through one cache for the build of ``env``."""

    def __init__(self, env: jinja2.Environment, config: Any) -> None:
        """The cache for one build of ``env``, with MkDocs' ``config`` (its theme, extras, scripts)."""
        self.env = env
        self.originals = {name: _original(env, name, config.theme.dirs, config.theme.custom_dir)
                          for name in CACHED}
        homepage = config.extra.get("homepage")
        self.homepage = None if homepage is None else str(homepage)
        """Material's ``extra.homepage``: one more link, not in the nav."""
        self.linked_folders = tuple({"assets/", *(posixpath.dirname(str(script)) + "/"
                                                  for script in config.extra_javascript)} - {"/"})
        """The folders the per-depth blocks link into (see :func:`_block_key`)."""
        self.cache: dict[tuple[object, ...], tuple[str, ...] | None] = {}
        self.blocks: dict[tuple[str, str], Markup] = {}
        self._nav_id = -1
        self._nav_urls: tuple[str, ...] = ()
        self._nav_pages: frozenset[int] = frozenset()
        self._nav_folders: tuple[str, ...] = ()
        self._page_id = -1
        self._links: tuple[str, ...] = ()

    def install(self) -> None:
        """Make the renderer callable from templates as ``GLOBAL``, and the block cache as ``KEPT``
        and ``KEEP``."""
        for name, method in ((GLOBAL, self.render), (KEPT, self.kept_block), (KEEP, self.keep_block)):
            self.env.globals[name] = _with_context(method)

    def kept_block(self, context: jinja2.runtime.Context, name: str) -> Markup | None:
        """Block ``name`` as kept for a page like that of ``context``, None if none was."""
        key = _block_key(context, name, self.linked_folders)
        return None if key is None else self.blocks.get(key)

    def keep_block(self, context: jinja2.runtime.Context, name: str, html: str) -> Markup:
        """Keep block ``name``, rendered as ``html`` for the page of ``context``; give it back."""
        key = _block_key(context, name, self.linked_folders)
        if key is not None:
            self.blocks[key] = Markup(html)
        return Markup(html)

    def render(self, context: jinja2.runtime.Context, name: str) -> Markup:
        """Material's partial ``name`` for the page of ``context``."""
        template, page = self.originals[name], context.get("page")
        key = self._key(context, name)
        if key is None:
            return Markup(template.render(context.get_all()))
        if key not in self.cache:
            self.cache[key] = _parts(name, template, context, page)
        parts = self.cache[key]
        if parts is None:  # a header that shows the title more than once: rendered every time
            return Markup(template.render(context.get_all()))
        return Markup(_title(page).join(parts))

    def _key(self, context: jinja2.runtime.Context, name: str) -> tuple[object, ...] | None:
        """What partial ``name`` differs by between pages; None if it must be rendered in full."""
        page, nav = context.get("page"), context.get("nav")
        if page is None:
            return None
        if name == TOC:
            headings = _toc_key(page.toc)
            return None if headings is None else (name, headings)
        if name == SOURCE_FILE:  # its whitespace differs with and without front matter
            return None if _source_facts(context, page) else (name, bool(page.meta))
        if nav is None or self._in_nav(nav, page):
            return None
        return (name, *self._link_key(context, nav, page))

    def _in_nav(self, nav: Any, page: Any) -> bool:
        self._know(nav)
        return id(page) in self._nav_pages

    def _know(self, nav: Any) -> None:
        if id(nav) != self._nav_id:
            self._nav_id = id(nav)
            self._nav_urls = tuple(dict.fromkeys(_urls(nav)))
            self._nav_pages = frozenset(id(page) for page in nav.pages)
            self._nav_folders = tuple(posixpath.normpath("/" + url) for url in self._nav_urls)
            self.cache.clear()

    def _link_key(self, context: jinja2.runtime.Context, nav: Any, page: Any) -> tuple[str, ...]:
        """What the navigation links written on ``page`` differ by from other pages.

        MkDocs writes a link relative to the folder of the linking page. Two folders side by side
        (``actors/turkey``, ``actors/wagner``) give every link the same relative form, unless it
        leads into one of them: the common case is keyed by the parent folder alone, which saves
        writing a dozen links for each page only to compare them.
        """
        self._know(nav)
        folder = _link_folder(page.url)
        inside = (target == folder or target.startswith(folder + "/") for target in self._nav_folders)
        if self.homepage is None and not any(inside):
            return ("in", posixpath.dirname(folder))
        return ("as", *self._relative_links(context, page))

    def _relative_links(self, context: jinja2.runtime.Context, page: Any) -> tuple[str, ...]:
        """Every navigation link as written on ``page``: what the fragments differ by."""
        if id(page) != self._page_id:
            url: UrlFilter = self.env.filters["url"]
            urls = self._nav_urls if self.homepage is None else (*self._nav_urls, self.homepage)
            self._links = tuple(url(context, target) for target in urls)
            self._page_id = id(page)
        return self._links


def _parts(name: str, template: jinja2.Template, context: jinja2.runtime.Context,
           page: Any) -> tuple[str, ...] | None:
    """Partial ``name`` for ``page``, as the text around its title (header) or whole (the others).

    The header is rendered for a stand-in of ``page`` titled ``TITLE_SLOT``; None if that title
    is not shown exactly once.
    """
    variables = context.get_all()
    if name != HEADER:
        return (template.render(variables),)
    parts = template.render({**variables, "page": _Titled(page, TITLE_SLOT)}).split(TITLE_SLOT)
    return tuple(parts) if len(parts) == 2 else None


class _Titled:
    """``page`` with another title."""

    def __init__(self, page: Any, title: str) -> None:
        self._page = page
        self.title = title
        self.meta = {**(page.meta or {}), "title": title}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._page, name)


def _toc_key(items: Any) -> tuple[object, ...] | None:
    """A table of contents as all Material's toc partial shows of it: each heading's level,
    link and title, and its children's; None if it shows more (a typeset title)."""
    key = []
    for item in items:
        children = _toc_key(item.children)
        if children is None or getattr(item, "typeset", None) is not None:
            return None
        key.append((item.level, item.url, item.title, children))
    return tuple(key)


def _source_facts(context: jinja2.runtime.Context, page: Any) -> bool:
    """Whether Material's source-file partial shows anything for ``page`` (dates or authors from
    git plugins); without them it is whitespace, the same on every page with front matter."""
    meta = page.meta or {}
    return bool(meta.get("git_revision_date_localized") or meta.get("revision_date")
                or meta.get("git_creation_date_localized") or context.get("git_info")
                or context.get("committers"))


def _link_folder(url: str) -> str:
    """The folder MkDocs writes the links of the page at ``url`` relative to (``/actors/turkey``)."""
    head, tail = posixpath.split(url)
    return posixpath.normpath("/" + (head if "." in tail else url))


def _block_key(context: jinja2.runtime.Context, name: str,
               folders: tuple[str, ...]) -> tuple[str, str] | None:
    """What block ``name`` (``styles``, ``analytics``, ``footer``, ``config``, ``scripts``) differs by
    between pages: their path back to the site's root. None when it may differ by more.

    The blocks link only to files under ``assets/`` and to the extra scripts of ``mkdocs.yml``
    (``folders``), each by a path relative to the page: the same for every page at one depth,
    except a page under one of those folders. The footer also links to the previous and next pages
    of the nav, which only the nav's own pages have.
    """
    page, base = context.get("page"), context.get("base_url")
    if page is None or not isinstance(base, str) or "://" in base:
        return None
    if name == "footer" and (page.previous_page is not None or page.next_page is not None):
        return None  # links to the pages before and after it in the nav
    if any(page.url.startswith(folder) for folder in folders):
        return None
    return name, base


def _with_context(method: Callable[..., Any]) -> Callable[..., Any]:
    """``method`` as a template global that Jinja passes the template's context first."""
    @jinja2.pass_context
    def call(context: jinja2.runtime.Context, *args: Any) -> Any:
        return method(context, *args)
    return call


def _title(page: Any) -> str:
    """The title Material's header shows for ``page``."""
    meta = page.meta
    return str(meta["title"] if meta and meta.get("title") else page.title)


def _urls(nav: Any) -> Iterator[str]:
    """The address of every page and link in ``nav``, and of its home page."""
    if nav.homepage is not None:
        yield nav.homepage.url
    stack = list(nav.items)
    while stack:
        item = stack.pop()
        if getattr(item, "children", None):
            stack.extend(item.children)
        url = getattr(item, "url", None)
        if url is not None:
            yield url


def _original(env: jinja2.Environment, name: str, theme_dirs: Sequence[str],
              custom_dir: str | None) -> jinja2.Template:
    """Material's own ``name``, which the custom directory's partial of the same name hides."""
    for folder in theme_dirs:
        if custom_dir is not None and Path(folder) == Path(custom_dir):
            continue
        path = Path(folder) / name
        if path.is_file():
            return env.from_string(path.read_text(encoding="utf-8"))
    raise jinja2.TemplateNotFound(name)
