"""Material's search index, written a page at a time: part of the MkDocs adapter.

Material's search plugin serialises its whole index into one string and encodes it into bytes
before writing: at 30,000 sheets, two copies of about 60 MB each at the very end of the build,
when the build holds the most. Here the same file, byte for byte, is written entry by entry;
Material's own writing is given nothing to serialise.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import Any

SEARCH_PLUGIN = "material/search"
SETTINGS = ("lang", "separator", "pipeline", "fields")
"""The search plugin's settings the index carries, in its order."""


def search_plugin(config: Any) -> Any:
    """Material's search plugin in MkDocs' ``config``, if it is on."""
    search = config.plugins.get(SEARCH_PLUGIN)
    return search if search is not None and search.config.enabled else None


def search_entries(config: Any) -> list[Any] | None:
    """The search index's entries so far, if Material's search plugin is on."""
    search = search_plugin(config)
    return None if search is None else search.search_index.entries


def entry_json(value: object) -> str:
    """``value`` as Material's search plugin writes it in its index."""
    return json.dumps(value, separators=(",", ":"), default=str)


def hold(index: Any) -> None:
    """Have the search plugin's ``index`` write nothing of its own (``write`` writes it)."""
    index.generate_search_index = lambda prev: ""


def write(site_dir: str, index: Any, entries: Iterable[str]) -> None:
    """Write the index of ``index``'s settings and ``entries`` (each already as JSON, or empty)
    where the search plugin writes it, as it would write it."""
    settings = {key: index.config[key] for key in SETTINGS}
    path = os.path.join(site_dir, "search", "search_index.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(entry_json({"config": settings})[:-1] + ',"docs":[')
        first = True
        for entry in entries:
            if not entry:
                continue
            if not first:
                out.write(",")
            out.write(entry)
            first = False
        out.write("]}")
