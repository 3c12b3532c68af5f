"""Page weight: the bytes a reader's browser fetches for the annotated article page.

Usage: .venv/bin/python benchmarks/page_weight.py [PATH]   (default: the seed article page)
Builds the repository's site into a temporary folder, serves it on 127.0.0.1 and loads the page
in Debian's Chromium, summing the body of every response (uncompressed, as a static server sends).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from playwright.sync_api import sync_playwright  # noqa: E402
from static_server import StaticServer  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def main() -> None:
    page_path = sys.argv[1] if len(sys.argv) > 1 else "articles/russian-fighters-flown-out/"
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
                       cwd=REPO, check=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
        sizes: dict[str, int] = {}
        with StaticServer(site) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page()
            page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body())) if r.ok else None)
            page.goto(server.url(page_path))
            page.wait_for_load_state("networkidle")
            browser.close()
        html = sizes.get(server.url(page_path), 0)
    for url, size in sorted(sizes.items(), key=lambda item: -item[1]):
        print(f"{size:>9,}  {url.split('/', 3)[-1] or '/'}")
    print(f"weight: page={page_path} html_bytes={html} total_bytes={sum(sizes.values())} "
          f"requests={len(sizes)}")


if __name__ == "__main__":
    main()
