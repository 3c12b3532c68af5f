"""Pages rendered by several processes: the same results, in order, and errors raised as before."""

from __future__ import annotations

import functools
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, make_project
from inprocess import build_in_process
from mkdocs.exceptions import Abort

from generator import pageloop, parallel, pipeline
from generator.errors import ContentErrors, Problem
from generator.incremental import BuildState
from generator.layout import GraphvizMissing, LayoutCache
from generator.load import load_content
from generator.parallel import apart, fork_map
from generator.pipeline import Project, check, generate


def _gone(pid: int) -> bool:
    """Whether process ``pid`` has exited and been reaped (no zombie left behind)."""
    return not Path(f"/proc/{pid}").exists()


def _counting_forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the forks from now on (each still forks)."""
    forks: list[int] = []
    real_fork: Callable[[], int] = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            forks.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return forks


def _meeting(folder: Path, processes: int, make: Callable[[int], Any]) -> Callable[[int], Any]:
    """``make``, which first waits (up to 20 s) until ``processes`` processes have called it: so
    that each of them surely takes some of the work, however late a child starts."""

    def met(n: int) -> Any:
        (folder / str(os.getpid())).touch()
        waited = 0.0
        while len(list(folder.iterdir())) < processes and waited < 20:
            time.sleep(0.01)
            waited += 0.01
        return make(n)

    return met


def test_the_work_is_shared_among_processes_and_comes_back_in_order(tmp_path: Path) -> None:
    made = fork_map(_meeting(tmp_path, 3, lambda n: (n * n, os.getpid())), list(range(50)), workers=3,
                    min_share=1)
    assert [square for square, _ in made] == [n * n for n in range(50)]
    pids = {pid for _, pid in made}
    assert len(pids) == 3 and os.getpid() in pids
    assert all(_gone(pid) for pid in pids - {os.getpid()})


def test_each_process_takes_the_next_chunk_when_done_so_all_finish_together(tmp_path: Path) -> None:
    # Every other item is slow: a fixed share of every other item gave one process all of them.
    items = list(range(4 * 2 * parallel.CHUNKS_PER_PROCESS))
    made = fork_map(_meeting(tmp_path, 2, lambda n: (time.sleep(0.05 * (n % 2)), os.getpid())[1]), items,
                    workers=2, min_share=1)
    mine = [n for n, pid in zip(items, made, strict=True) if pid == os.getpid()]
    slow_here = sum(n % 2 for n in mine)
    assert 0 < len(mine) < len(items)
    assert abs(slow_here - len(items) // 4) <= len(items) // 8, (len(mine), slow_here)


def test_a_long_share_comes_back_whole_from_many_pickles_and_leaves_no_file_open(tmp_path: Path) -> None:
    open_before = set(os.listdir("/proc/self/fd"))
    items = list(range(5 * 2 * parallel.CHUNKS_PER_PROCESS * parallel.CHUNK + 7))  # chunks of CHUNK
    made = fork_map(_meeting(tmp_path, 2, lambda n: (str(n) * 3, os.getpid())), items, workers=2, min_share=1)
    assert [text for text, _ in made] == [str(n) * 3 for n in items]
    assert len({pid for _, pid in made}) == 2
    assert set(os.listdir("/proc/self/fd")) == open_before  # each child's file is closed once read


class _Made:
    """A result that counts how often it is pickled in this process."""

    pickled_here = 0

    def __init__(self, n: int) -> None:
        self.n, self.pid = n, os.getpid()

    def __getstate__(self) -> dict[str, int]:
        if os.getpid() == _PARENT:
            _Made.pickled_here += 1
        return self.__dict__


_PARENT = os.getpid()  # the test's process (each of pytest's workers imports this module anew)


@pytest.mark.parametrize("spill", [False, True], ids=["kept", "spilled"])
def test_this_process_spills_its_share_to_a_file_only_when_asked(spill: bool, tmp_path: Path) -> None:
    assert os.getpid() == _PARENT
    _Made.pickled_here = 0
    items = list(range(3 * parallel.CHUNK + 5))
    made = fork_map(_meeting(tmp_path, 2, _Made), items, workers=2, min_share=1, spill=spill)
    assert [m.n for m in made] == items
    assert len({m.pid for m in made}) == 2
    # Spilled, what this process made went through a file, as the child's did.
    assert _Made.pickled_here == (sum(m.pid == _PARENT for m in made) if spill else 0)


def test_no_child_is_forked_when_memory_would_not_hold_its_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    forks = _counting_forks(monkeypatch)
    monkeypatch.setattr(parallel, "affordable_children", lambda: 0)
    assert fork_map(lambda n: n * 2, list(range(30)), workers=3, min_share=1) == [n * 2 for n in range(30)]
    assert forks == []


def test_a_short_list_stays_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    forks = _counting_forks(monkeypatch)
    assert fork_map(lambda n: n + 1, list(range(parallel.MIN_SHARE)), workers=4) == \
        list(range(1, parallel.MIN_SHARE + 1))
    assert forks == []


def test_a_failure_in_a_child_is_raised_here_as_it_would_have_been() -> None:
    def make(n: int) -> int:
        if n == 7:  # in whichever process takes its chunk
            raise ValueError(f"item {n} is bad")
        return n

    with pytest.raises(ValueError, match="item 7 is bad") as raised:
        fork_map(make, list(range(30)), workers=3, min_share=1)
    assert raised.traceback[-1].name == "make"  # raised again here, with its own traceback


def test_a_failure_here_stops_and_reaps_the_children(monkeypatch: pytest.MonkeyPatch) -> None:
    forks = _counting_forks(monkeypatch)

    def make(n: int) -> int:
        if os.getpid() == parent:
            raise RuntimeError("this process failed first")
        time.sleep(0.2)  # the children are still at work
        return n

    parent = os.getpid()
    with pytest.raises(RuntimeError, match="failed first"):
        fork_map(make, list(range(30)), workers=3, min_share=1)
    assert len(forks) == 2
    assert all(_gone(pid) for pid in forks)


def test_work_done_apart_comes_back_from_a_process_that_is_gone() -> None:
    open_before = set(os.listdir("/proc/self/fd"))
    made = apart(lambda: (os.getpid(), ["text"] * 3))
    assert made[1] == ["text"] * 3
    assert made[0] != os.getpid() and _gone(made[0])
    assert set(os.listdir("/proc/self/fd")) == open_before


def test_an_error_raised_apart_is_raised_here_whole() -> None:
    problems = [Problem("content/actors/x.yml", 3, "a problem", "Fix it"),
                Problem("content/places/y.yml", 1, "another", "Fix that")]

    def fail(error: Exception) -> None:
        raise error

    with pytest.raises(ContentErrors) as raised:
        apart(functools.partial(fail, ContentErrors(problems)), errors=(ContentErrors, GraphvizMissing))
    assert raised.value.problems == sorted(problems)  # not only its text: the plugin words it anew
    assert raised.value.format_message("kept") == ContentErrors(problems).format_message("kept")
    with pytest.raises(GraphvizMissing) as missing:
        apart(functools.partial(fail, GraphvizMissing("dot")), errors=(ContentErrors, GraphvizMissing))
    assert missing.value.format_message() == GraphvizMissing("dot").format_message()


def test_work_that_fails_apart_otherwise_is_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    forks = _counting_forks(monkeypatch)
    parent = os.getpid()

    def only_here() -> int:
        if os.getpid() != parent:
            os.kill(os.getpid(), 9)  # the child is killed, say for want of memory
        return 42

    assert apart(only_here) == 42
    assert len(forks) == 1 and _gone(forks[0])

    def bug() -> None:
        raise KeyError("a bug")

    with pytest.raises(KeyError, match="a bug") as raised:
        apart(bug, errors=(ContentErrors,))
    assert raised.traceback[-1].name == "bug"  # raised here, with the traceback a report needs


def test_a_site_rendered_by_three_processes_is_the_one_rendered_by_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    project = Project.at(REPO)
    alone = generate(project, layouts=LayoutCache(), workers=1)
    monkeypatch.setattr(parallel, "MIN_SHARE", 1)  # the seed site is too small to share otherwise
    forks = _counting_forks(monkeypatch)
    shared = generate(project, layouts=LayoutCache(), workers=3)
    assert len(forks) == 6  # two each to read the sheets, resolve their quotes and render the pages
    assert [(p.path, p.packed_front_matter, p.packed_body, p.packed_search) for p in shared.pages] == \
        [(p.path, p.packed_front_matter, p.packed_body, p.packed_search) for p in alone.pages]
    assert [(d.path, d.packed) for d in shared.data] == [(d.path, d.packed) for d in alone.data]


def test_sheets_read_by_three_processes_are_the_ones_read_by_one(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path / "project", seed=True).root
    sheets = sorted((root / "content" / "actors").glob("*.yml"))
    sheets[1].write_text("name: [unclosed\n", encoding="utf-8")  # each bad file in another share
    sheets[2].write_text("name: Nobody\nsummary: Fine.\nclaims: 3\n", encoding="utf-8")
    sheets[3].write_bytes(b"name: \xff\n")
    alone = load_content(root, root / "content", workers=1)
    monkeypatch.setattr(parallel, "MIN_SHARE", 1)
    forks = _counting_forks(monkeypatch)
    shared = load_content(root, root / "content", workers=3)
    assert len(forks) == 2
    assert sorted(shared.problems) == sorted(alone.problems) and len(alone.problems) >= 3
    assert {slug: (s.path, s.digest, s.sheet) for slug, s in shared.sheets.items()} == \
        {slug: (s.path, s.digest, s.sheet) for slug, s in alone.sheets.items()}
    assert list(shared.sheets) == list(alone.sheets) and sorted(shared.raw) == sorted(alone.raw)
    assert shared.digests == alone.digests


@pytest.mark.parametrize(("folder", "old", "new", "shared_by", "forks", "found"), [
    # A quote the article lacks, in each share: its problems come from resolving.
    ("equipment", "quote: ", "quote: Words {number} nobody wrote, ", (parallel, "MIN_SHARE"), 4,
     "quote not found"),
    # A lead too long, in each chunk: the content standards; the seed's sheets are too few to share
    # reading or resolving them at this share.
    ("places", "summary: ", "summary: It is one. It is two. It is three. ",
     (pipeline, "STANDARDS_PER_PROCESS"), 2, "the lead ('summary') has"),
], ids=["quotes", "standards"])
def test_problems_found_by_three_processes_are_the_ones_one_finds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str, old: str, new: str,
        shared_by: tuple[object, str], forks: int, found: str) -> None:
    root = make_project(tmp_path / "project", seed=True).root
    for number, path in enumerate(sorted((root / "content" / folder).glob("*.yml"))[:3]):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(old, new.format(number=number), 1), encoding="utf-8")
    with pytest.raises(ContentErrors) as alone:
        check(Project.at(root), workers=1)
    monkeypatch.setattr(*shared_by, 1)
    forked = _counting_forks(monkeypatch)
    with pytest.raises(ContentErrors) as shared:
        check(Project.at(root), workers=3)
    assert len(forked) == forks
    assert shared.value.format_message() == alone.value.format_message()
    assert shared.value.format_message().count(found) == 3


def test_a_rebuilding_server_reads_and_resolves_in_its_own_process(monkeypatch: pytest.MonkeyPatch) -> None:
    # What it reads and resolves is walked again on every save: its own objects walk faster.
    monkeypatch.setattr(parallel, "MIN_SHARE", 1)
    forks = _counting_forks(monkeypatch)
    generate(Project.at(REPO), layouts=LayoutCache(), state=BuildState(), workers=3)
    assert len(forks) == 2  # the pages only


def _build(root: Path, site: Path) -> dict[str, bytes]:
    """An in-process ``mkdocs build --strict`` of ``root`` into ``site``: every file it wrote."""
    build_in_process(root, site)
    return {path.relative_to(site).as_posix(): path.read_bytes()
            for path in site.rglob("*") if path.is_file()}


_FRESH_BUILD = """
import os, sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from generator import pageloop, parallel, pipeline
from inprocess import build_in_process
parallel.MIN_SHARE = pageloop.MIN_PAGES = 1  # the seed site is too small to share otherwise
forks, real_fork = [], os.fork
def fork():
    pid = real_fork()
    if pid:
        forks.append(pid)
    return pid
os.fork = fork
build_in_process(Path(sys.argv[1]), Path(sys.argv[2]))
print(len(forks))
"""


def _fresh_build(root: Path, site: Path) -> tuple[dict[str, bytes], int]:
    """A real ``mkdocs build --strict`` in a new interpreter, sharing the work even on the seed
    site: every file it wrote, and how many processes it forked."""
    command = [sys.executable, "-c", _FRESH_BUILD, str(root), str(site), str(Path(__file__).parent)]
    done = subprocess.run(command, capture_output=True, text=True, check=True,
                          env=dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1700000000"))
    written = {path.relative_to(site).as_posix(): path.read_bytes()
               for path in site.rglob("*") if path.is_file()}
    return written, int(done.stdout.split()[-1])


def test_a_real_build_shared_among_processes_writes_the_same_site(tmp_path: Path) -> None:
    # In a new interpreter each: what earlier tests left in this one cannot touch the builds.
    root = make_project(tmp_path / "project", seed=True).root
    config = root / "mkdocs.yml"
    settings = config.read_text(encoding="utf-8")
    option = "      templates_dir: templates\n"
    assert option in settings
    config.write_text(settings.replace(option, f"{option}      workers: 1\n"), encoding="utf-8")
    alone, forked = _fresh_build(root, tmp_path / "alone")
    assert forked == 1  # the plugin's option keeps the work in one process: the core's, apart
    config.write_text(settings.replace(option, f"{option}      workers: 3\n"), encoding="utf-8")
    shared, forked = _fresh_build(root, tmp_path / "shared")
    assert forked == 2  # one for the core (which forks its own, to read, resolve and render); one for
    # MkDocs' page loop
    assert sorted(shared) == sorted(alone) and len(shared) > 50
    assert [path for path in shared if shared[path] != alone[path]] == []  # the search index too


def _shared_loop_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                         fault: Callable[[str], None]) -> Path:
    """The seed project, built with MkDocs' page loop shared, and ``fault`` called with the source
    path of each page MkDocs builds (in whichever process builds it)."""
    from mkdocs.commands import build as mkdocs_build

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setattr(pageloop, "MIN_PAGES", 1)
    real = mkdocs_build._build_page

    def build_page(page: Any, *args: Any, **kwargs: Any) -> None:
        fault(page.file.src_uri)
        real(page, *args, **kwargs)

    monkeypatch.setattr(mkdocs_build, "_build_page", build_page)
    return make_project(tmp_path / "project", seed=True).root


def test_a_warning_in_the_page_loops_child_fails_a_strict_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def fault(source: str) -> None:
        if os.getpid() != parent and source.startswith("actors/"):
            logging.getLogger("mkdocs.test").warning("a warning about %s", source)

    parent = os.getpid()
    root = _shared_loop_project(tmp_path, monkeypatch, fault)
    with pytest.raises(Abort, match=r"Aborted with \d+ warnings in strict mode"):
        _build(root, tmp_path / "site")
    warned = [r.getMessage() for r in caplog.records if r.getMessage().startswith("a warning about")]
    assert warned and all(message.startswith("a warning about actors/") for message in warned)


def test_a_failure_in_the_page_loops_child_fails_the_build_with_its_traceback(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def fault(source: str) -> None:
        if os.getpid() != parent:
            raise RuntimeError(f"cannot build {source}")

    parent = os.getpid()
    root = _shared_loop_project(tmp_path, monkeypatch, fault)
    with pytest.raises(Abort, match="BuildError"):  # MkDocs' ending for a plugin's error
        _build(root, tmp_path / "site")
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(message.startswith("Building the pages failed in the second process:\nTraceback")
               and "RuntimeError: cannot build " in message for message in errors), errors


def test_a_failure_in_the_page_loops_parent_stops_and_reaps_the_child(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fault(source: str) -> None:
        if os.getpid() == parent and source.startswith("places/"):
            raise RuntimeError(f"cannot build {source}")
        if os.getpid() != parent:
            time.sleep(0.05)  # the child is still at work when the parent fails

    parent = os.getpid()
    root = _shared_loop_project(tmp_path, monkeypatch, fault)
    forks = _counting_forks(monkeypatch)
    with pytest.raises(RuntimeError, match="cannot build places/"):
        _build(root, tmp_path / "site")
    assert len(forks) == 2 and all(_gone(pid) for pid in forks)  # the core's process, the loop's child


def test_the_page_loop_stays_whole_with_a_plugin_it_does_not_know(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    builders = tmp_path / "builders"  # the pid of each process that built a page

    def fault(source: str) -> None:
        with builders.open("a", encoding="ascii") as pids:
            pids.write(f"{os.getpid()}\n")

    root = _shared_loop_project(tmp_path, monkeypatch, fault)
    _build(root, tmp_path / "shared")
    assert len(set(builders.read_text(encoding="ascii").split())) == 2
    builders.unlink()
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("plugins:\n", "plugins:\n  - tags\n"),
                      encoding="utf-8")
    _build(root, tmp_path / "site")
    # Another plugin may gather what it sees of every page: one process sees them all.
    assert set(builders.read_text(encoding="ascii").split()) == {str(os.getpid())}
