"""A real `mkdocs serve` keeps serving through a broken edit and shows the fix; with `--dirty`, as
`make serve` runs it, too."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from conftest import ProjectDir
from mkdocs_serve import MkDocsServe


@pytest.mark.parametrize("dirty", [False, True], ids=["serve", "serve --dirty"])
def test_serve_survives_a_broken_edit_and_serves_the_fix(harbour: ProjectDir, dirty: bool) -> None:
    sheet = harbour.root / "content/places/harbour.yml"
    good = sheet.read_text()
    with MkDocsServe(harbour.root, dirty=dirty) as server:
        server.wait_for(lambda: server.get("places/harbour/")[0] == 200)
        assert "A harbour the ships sailed from." in server.get("places/harbour/")[1]

        sheet.write_text(good.replace("summary:", "sumary:"))
        server.wait_for(lambda: server.logged("unknown key 'sumary'"))
        message = "".join(server.log)
        assert "content/places/harbour.yml:3: unknown key 'sumary'. Did you mean 'summary'?" in message
        assert "still serving the last good build" in message
        assert "Traceback" not in message
        # The next request is answered with the last good page.
        server.wait_for(lambda: server.logged("Reloading browsers"), timeout=30)
        status, body = server.get("places/harbour/")
        assert status == 200
        assert "A harbour the ships sailed from." in body

        sheet.write_text(good.replace("A harbour the ships sailed from.", "The fixed summary."))
        server.wait_for(lambda: "The fixed summary." in server.get("places/harbour/")[1])
        assert server.get("articles/ships/")[0] == 200
        # MkDocs warns on every dirty build that links may be wrong; ours are exact, so it says so once.
        assert "A 'dirty' build is being performed" not in "".join(server.log)
        assert server.logged("Rebuilds render only the pages a save changes") == dirty


def test_serve_starting_on_broken_content_shows_the_errors_then_the_site(harbour: ProjectDir) -> None:
    sheet = harbour.root / "content/places/harbour.yml"
    good = sheet.read_text()
    sheet.write_text(good.replace("quiet by noon.", "quiet by midnight."))
    with MkDocsServe(harbour.root) as server:
        server.wait_for(lambda: server.get("")[0] == 200)
        body = server.get("")[1]
        assert "The content has errors" in body
        assert "content/places/harbour.yml:9: quote not found in article &#x27;ships&#x27;." in body
        sheet.write_text(good)
        server.wait_for(lambda: server.get("places/harbour/")[0] == 200)
        assert "The content has errors" not in server.get("")[1]


def test_serve_hears_of_content_edits_from_the_system_not_by_polling(harbour: ProjectDir,
                                                                      tmp_path: Path) -> None:
    # MkDocs polls what it watches (every file, twice a second); content and templates, which
    # grow with the story, are watched through the system's file events instead.
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer

    config = load_config(config_file=str(harbour.root / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    config.plugins.on_serve(server, config=config, builder=lambda: None)
    assert str(harbour.root / "content") not in server._watched_paths
    assert str(harbour.root / "templates") not in server._watched_paths
    # A build reads content: reading must not ask for the next build (that would loop for ever).
    (harbour.root / "content/places/harbour.yml").read_text()
    with server._rebuild_cond:
        assert not server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=1)
    harbour.write("content/places/quay.yml", "name: The quay\nsummary: A quay.\n")
    with server._rebuild_cond:
        assert server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=10)
    server.server_close()


@pytest.mark.parametrize("interrupts", ["heard", "ignored"])
def test_stopping_serve_leaves_no_served_site_behind(harbour: ProjectDir, tmp_path: Path,
                                                     interrupts: str) -> None:
    # `mkdocs serve` builds into a temporary folder and deletes it when stopped with Ctrl-C, as
    # the tests and the benchmark stop it; stopped otherwise, each run left a whole site there.
    # A runner started in the background has Ctrl-C ignored, and so would its server.
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    handler = signal.SIG_IGN if interrupts == "ignored" else signal.getsignal(signal.SIGINT)
    before = signal.signal(signal.SIGINT, handler)
    try:
        server = MkDocsServe(harbour.root, dirty=True, env={"TMPDIR": str(scratch)})
    finally:
        signal.signal(signal.SIGINT, before)
    with server:
        server.wait_for(lambda: server.get("places/harbour/")[0] == 200)
        served = [path.name for path in scratch.iterdir()]
        assert served and all(name.startswith("mkdocs_") for name in served)
    assert server.process.returncode is not None
    assert list(scratch.iterdir()) == []
