"""Run mutated copies of a project through the explainer, each in a sandboxed child, and judge them.

For each case: a fresh copy of the project (``content/`` copied, everything else hard-linked),
one mutation from :mod:`fuzzing`, then a child process forked from this one (the explainer
already imported, so a case costs milliseconds) that

- limits its address space (``RLIMIT_AS``, 2 GiB by default) and is killed after a timeout
  (after dumping its Python stack, so that a hang says where it hangs);
- records, with an audit hook, every file opened, listed or written outside the project
  (Python's own library, site-packages, the generator's code and files the child created
  in the temporary folder excepted);
- runs ``generator.cli.main(["--root", project, "check"])`` (or the mutation's command) with
  stdout and stderr going to files, encoded as a terminal's would be;
- when the check passes, runs the core (``generator.pipeline.generate``) and parses every
  page's front matter with libyaml, as MkDocs does, to see that each keeps a title.

:func:`judge` turns what the child saw into an outcome (see :data:`FAILURES`) and message
findings (see :data:`FINDINGS`), each with a signature that groups cases by cause;
:func:`report` prints the counts and one smallest reproducer per signature.
"""

from __future__ import annotations

import contextlib
import ctypes
import difflib
import faulthandler
import gc
import html
import json
import os
import random
import re
import resource
import select
import shutil
import signal
import stat
import subprocess
import sys
import sysconfig
import tempfile
import time
import traceback
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import yaml
from fuzzing import KINDS, MUTATIONS, OUTSIDE_DIR, SENTINEL, Applied

REPO = Path(__file__).resolve().parent.parent
SITE_NAME = "Libya explainer"

FAILURES = ("hang", "memory", "crash", "leak", "unsafe", "oversized", "loss")
"""What must never happen, worst first; a case's outcome is the first it shows.

- ``hang``: the child outlived the timeout.
- ``memory``: it ran out of its address space (``MemoryError``).
- ``crash``: a traceback, an exit code other than 0 or 1 (0 to 2 for ``new``), a signal, or
  the core failing on content the check passed.
- ``leak``: a file outside the project was opened, listed or written, or an outside file's
  name or content shows in the output or the generated pages.
- ``unsafe``: output with a line that starts with ``::`` (GitHub Actions runs it as a
  workflow command) or raw control characters (terminal escapes, carriage returns).
- ``oversized``: more than :data:`MAX_OUTPUT` bytes of output.
- ``loss``: the check passed but a page's front matter does not parse with libyaml or has
  no title, two pages share a path, or fewer sheets or articles loaded than there are files.
"""

FINDINGS = ("messy", "false-rejection", "silent-acceptance", "wrong-line", "confusing", "slow")
"""Worth fixing, but not failures of the fuzz test.

- ``messy``: an error report with a line that is not ``path:line: ...``, an indented detail
  or the final count (an absolute path, a blank line, a message split by a newline).
- ``false-rejection``: good content (the mutation says so) rejected.
- ``silent-acceptance``: bad content (the mutation says so) accepted.
- ``wrong-line``: the errors about the mutated file never name the line the mutation changed.
- ``confusing``: "quote not found" for a quote that reads exactly like the article.
- ``slow``: the case took more than the ``slow`` threshold.
"""

OK_OUTCOMES = ("clean", "accepted")
MAX_OUTPUT = 100_000
READ_LIMIT = 4 << 20
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)
"""MkDocs' own pattern for YAML front matter (``mkdocs.utils.meta.YAML_RE``)."""
UNSAFE_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
LINE_BREAKS = re.compile("\r\n|\r|\n")
LOCATED = re.compile(r"(content|templates)(/[^\n]*?)?(:\d+)?: \S")
DETAIL = re.compile(r"  \S")
SUMMARY = re.compile(r"\d+ errors?; nothing was written\.")
ANNOTATION = re.compile(r"::error file=[^,\r\n]+(,line=\d+)?,title=explainer check::")
WATCHED_EVENTS = {"open", "os.listdir", "os.scandir", "os.mkdir", "os.rename", "os.remove", "os.rmdir",
                  "os.symlink", "os.link", "os.chmod", "os.truncate", "shutil.copyfile", "shutil.rmtree"}


@dataclass(frozen=True)
class Settings:
    """How many cases to run, and how."""

    seed: int = 14
    cases: int = 3000
    workers: int = 2
    timeout: float = 10.0
    memory: int = 2 << 30
    slow: float = 3.0
    only: tuple[int, ...] | None = None
    keep: Path | None = None
    mutations: tuple[str, ...] | None = None


@dataclass
class Case:
    """One mutated project, ready to run."""

    index: int
    mutation: str
    applied: Applied
    project: Path
    run_dir: Path
    diff: str
    sheets_present: int
    articles_present: int


@dataclass
class Result:
    """What became of one case."""

    index: int
    mutation: str
    note: str
    outcome: str
    flags: dict[str, str] = field(default_factory=dict)
    """Every failure and finding the case shows, each with its signature."""
    seconds: float = 0.0
    exit: int | None = None
    output_bytes: int = 0
    output: str = ""
    """The first lines of stdout and stderr."""
    diff: str = ""
    outside: list[str] = field(default_factory=list)
    """The first files touched outside the project (event, path asked for, real path)."""


# The workspace ------------------------------------------------------------------

class Workspace:
    """A pristine copy of the project, and fresh copies of it for each case.

    Cases live beside the pristine copy, so that :func:`fuzzing.outside_of` (a sibling of
    every case) is outside each of them.
    """

    def __init__(self, repo: Path = REPO, root: Path | None = None) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="fuzz-")) if root is None else root
        self.root.mkdir(parents=True, exist_ok=True)
        self.base = self.root / "base"
        if not self.base.exists():
            self.base.mkdir()
            for name in ("content", "templates", "docs", "overrides"):
                shutil.copytree(repo / name, self.base / name)
            shutil.copy(repo / "mkdocs.yml", self.base / "mkdocs.yml")
        self.snapshot = snapshot(self.base)

    def fresh(self, name: str) -> Path:
        """A new copy of the project: ``content/`` copied, the rest hard-linked."""
        case = self.root / name
        if case.exists() or case.is_symlink():
            discard(case)
        case.mkdir()
        shutil.copytree(self.base / "content", case / "content")
        for folder in ("templates", "docs", "overrides"):
            shutil.copytree(self.base / folder, case / folder, copy_function=os.link)
        os.link(self.base / "mkdocs.yml", case / "mkdocs.yml")
        return case

    def close(self) -> None:
        discard(self.root)


def discard(path: Path) -> None:
    """Remove ``path`` whatever a mutation made of it (modes, FIFOs, sockets, symlinks)."""
    if path.is_symlink() or not path.exists():
        path.unlink(missing_ok=True)
        return
    for folder, dirs, _files in os.walk(path):
        for name in dirs:
            full = os.path.join(folder, name)
            if not os.path.islink(full):
                os.chmod(full, 0o755)
    os.chmod(path, 0o755)
    shutil.rmtree(path, ignore_errors=True)


def mutation_for(seed: int, index: int, names: Iterable[str] | None = None) -> str:
    """The mutation of case ``index``: every class in turn, in an order shuffled by ``seed``."""
    order = sorted(names or MUTATIONS)
    random.Random(seed).shuffle(order)
    return order[index % len(order)]


CONTROLS: dict[str, Callable[[Path, random.Random], Applied]] = {
    "unchanged": lambda project, rng: Applied("unchanged", "no change", "accept"),
}
"""Cases that change nothing: the harness must judge them accepted, with no finding at all."""


def prepare(workspace: Workspace, seed: int, index: int, names: Iterable[str] | None = None) -> Case:
    """Make case ``index``'s project and apply its mutation."""
    name = mutation_for(seed, index, names)
    mutate = CONTROLS.get(name) or MUTATIONS[name]
    project = workspace.fresh(f"case-{index}")
    run_dir = workspace.root / f"run-{index}"
    if run_dir.exists():
        shutil.rmtree(run_dir)
    run_dir.mkdir()
    applied = mutate(project, random.Random(f"{seed}:{index}"))
    sheets, articles = present(project)
    diff = describe_changes(workspace.snapshot, snapshot(project), ("content",))
    return Case(index, name, applied, project, run_dir, diff, sheets, articles)


def present(project: Path) -> tuple[int, int]:
    """How many sheet and article files the project holds, in kind folders and their subfolders.

    Anything that is not a folder counts, whatever its type: a symlink, a FIFO, a device.
    Hidden files and folders are left out (the explainer skips them on purpose).
    """
    def count(folder: Path, suffixes: tuple[str, ...]) -> int:
        total = 0
        try:
            names = os.listdir(folder)
        except OSError:
            return 0
        for name in names:
            if name.startswith("."):
                continue
            full = folder / name
            mode = os.lstat(full).st_mode
            if stat.S_ISDIR(mode):
                total += count(full, suffixes)
            elif name.lower().endswith(suffixes) and not (stat.S_ISLNK(mode) and full.is_dir()):
                total += 1
        return total

    content = project / "content"
    sheets = sum(count(content / kind, (".yml", ".yaml")) for kind in KINDS)
    return sheets, count(content / "articles", (".md",))


# Describing a mutation as a reproducer ---------------------------------------------

Entry = tuple[str, Any]


def snapshot(root: Path) -> dict[str, Entry]:
    """Every entry under ``root`` by relative path, without opening anything but regular files."""
    entries: dict[str, Entry] = {}

    def visit(folder: str, prefix: str) -> None:
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            return
        for name in names:
            full = os.path.join(folder, name)
            rel = f"{prefix}{name}"
            info = os.lstat(full)
            mode = info.st_mode
            if stat.S_ISLNK(mode):
                entries[rel] = ("symlink", os.readlink(full))
            elif stat.S_ISDIR(mode):
                entries[rel] = ("folder", stat.S_IMODE(mode))
                visit(full, rel + "/")
            elif stat.S_ISREG(mode):
                sparse = info.st_blocks * 512 < info.st_size // 2
                data = None
                if info.st_size <= (2 << 20) and not sparse:
                    with open(full, "rb") as handle:
                        data = handle.read()
                entries[rel] = ("file", (info.st_size, stat.S_IMODE(mode), data, sparse))
            elif stat.S_ISFIFO(mode):
                entries[rel] = ("FIFO", None)
            elif stat.S_ISSOCK(mode):
                entries[rel] = ("socket", None)
            elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
                kind = "character device" if stat.S_ISCHR(mode) else "block device"
                entries[rel] = (kind, (os.major(info.st_rdev), os.minor(info.st_rdev)))
            else:
                entries[rel] = ("other", mode)

    visit(str(root), "")
    return entries


def visible(text: str, limit: int = 240) -> str:
    """``text`` with control, format, private and separator characters as Python escapes."""
    out = []
    for char in text:
        category = unicodedata.category(char)
        if (category[0] in "CZ" and char != " ") or char == "\\":
            code = ord(char)
            if char == "\\":
                out.append("\\\\")
            elif 0xDC80 <= code <= 0xDCFF:
                out.append(f"\\x{code - 0xDC00:02x}")  # an undecodable byte (surrogateescape)
            else:
                out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000
                           else f"\\U{code:08x}")
        else:
            out.append(char)
    shown = "".join(out)
    if len(shown) > limit:
        return shown[:limit] + f"...[{len(shown) - limit} more]"
    return shown


def _describe_entry(entry: Entry) -> str:
    kind, info = entry
    if kind == "symlink":
        return f"symlink -> {visible(info)}"
    if kind == "file":
        size, mode, data, sparse = info
        extra = f", mode {mode:03o}" if mode != 0o644 else ""
        if sparse:
            return f"sparse file of {size} bytes{extra}"
        if data is None:
            return f"file of {size} bytes{extra}"
        text = data.decode("utf-8", "surrogateescape")
        shown = "\n".join(f"    | {visible(line)}" for line in text.split("\n")[:12])
        more = "\n    | ..." if text.count("\n") > 12 else ""
        return f"file of {size} bytes{extra}:\n{shown}{more}"
    if kind == "folder":
        return "folder" + (f" (mode {info:03o})" if info != 0o755 else "")
    if kind in ("character device", "block device"):
        return f"{kind} {info[0]},{info[1]}"
    return kind


def describe_changes(before: dict[str, Entry], after: dict[str, Entry], roots: tuple[str, ...]) -> str:
    """The changes from ``before`` to ``after`` under ``roots``: a unified diff for edited files,
    renames, and what every added entry is."""
    def within(rel: str) -> bool:
        return any(rel == r or rel.startswith(r + "/") for r in roots)

    removed = sorted(r for r in before if within(r) and r not in after)
    added = sorted(r for r in after if within(r) and r not in before)
    lines: list[str] = []
    renamed: set[str] = set()
    for new in added:
        for old in removed:
            if old not in renamed and after[new] == before[old] and after[new][0] == "file":
                lines.append(f"renamed {visible(old)} -> {visible(new)}")
                renamed.add(old)
                after = {**after, new: ("renamed", None)}
                break
    for rel in sorted(set(before) | set(after)):
        if not within(rel):
            continue
        old_entry, new_entry = before.get(rel), after.get(rel)
        if new_entry is not None and new_entry[0] == "renamed":
            continue
        if old_entry is None and new_entry is not None:
            lines.append(f"added {visible(rel)}: {_describe_entry(new_entry)}")
        elif new_entry is None:
            if rel not in renamed and not any(rel.startswith(r + "/") for r in removed):
                lines.append(f"removed {visible(rel)}")
        elif old_entry is not None and old_entry != new_entry:
            if old_entry[0] == new_entry[0] == "file" and None not in (old_entry[1][2], new_entry[1][2]):
                lines.extend(_file_diff(rel, old_entry[1], new_entry[1]))
            elif old_entry[0] == new_entry[0] == "folder":
                lines.append(f"chmod {new_entry[1]:03o} {visible(rel)}")
            else:
                lines.append(f"replaced {visible(rel)}: now {_describe_entry(new_entry)}")
    return "\n".join(lines)


def _file_diff(rel: str, old: Any, new: Any) -> list[str]:
    if old[1] != new[1] and old[2] == new[2]:
        return [f"chmod {new[1]:03o} {visible(rel)}"]
    a = old[2].decode("utf-8", "surrogateescape").split("\n")
    b = new[2].decode("utf-8", "surrogateescape").split("\n")
    header = f"edited {visible(rel)} ({old[0]} -> {new[0]} bytes):"
    if (b"\r" in new[2] and b"\r" not in old[2]) or new[2][:3] == b"\xef\xbb\xbf" != old[2][:3]:
        note = ("CRLF/CR line endings" if b"\r" in new[2] else "") or "a BOM first"
        header += f" ({note}; the first line shown)"
        return [header, f"    + {visible(b[0], 400)}"]
    diff = list(difflib.unified_diff(a, b, lineterm="", n=0))[2:]
    shown = [f"    {visible(line)}" for line in diff[:24]]
    if len(diff) > 24:
        shown.append(f"    ...[{len(diff) - 24} more diff lines]")
    return [header, *shown]


# The child ----------------------------------------------------------------------

def _allowed_roots() -> list[str]:
    roots: set[str] = set()
    for scheme_vars in ({}, {"base": sys.base_prefix, "platbase": sys.base_exec_prefix}):
        paths = sysconfig.get_paths(vars=scheme_vars) if scheme_vars else sysconfig.get_paths()
        roots.update(paths[key] for key in ("stdlib", "platstdlib", "purelib", "platlib"))
    roots.update(p for p in sys.path if p.endswith(".zip"))
    import generator

    roots.add(str(Path(generator.__file__).parent))
    return sorted(os.path.realpath(r) for r in roots)


class Recorder:
    """An audit hook that records what the process touches outside the project."""

    def __init__(self, project: Path, allowed: list[str]) -> None:
        self.project = os.path.realpath(project)
        self.allowed = [self.project, *allowed]
        self.temp = os.path.realpath(tempfile.gettempdir())
        self.created: set[str] = set()
        self.outside: list[tuple[str, str, str]] = []
        self.busy = False

    def __call__(self, event: str, args: tuple[Any, ...]) -> None:
        if self.busy or event not in WATCHED_EVENTS:
            return
        self.busy = True
        try:
            self._check(event, args)
        except Exception:  # an audit hook must never break the code it watches
            pass
        finally:
            self.busy = False

    def _check(self, event: str, args: tuple[Any, ...]) -> None:
        if not args or isinstance(args[0], int) or args[0] is None:
            return
        requested = os.fsdecode(args[0])
        if requested in ("/dev/null", "/dev/urandom") or requested.startswith("/proc/self/"):
            return
        real = os.path.realpath(os.path.abspath(requested))
        writes = event != "open" and event not in ("os.listdir", "os.scandir")
        if event == "open":
            mode = args[1] if len(args) > 1 and isinstance(args[1], str) else ""
            flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
            writes = any(c in mode for c in "wax+") or bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
        in_temp = real == self.temp or real.startswith(self.temp + os.sep)
        if writes and in_temp and event in ("open", "os.mkdir") and not self._inside(real):
            self.created.add(real)
            return
        if self._inside(real) or any(real == c or real.startswith(c + os.sep) for c in self.created):
            return
        if len(self.outside) < 50:
            self.outside.append((event + (" (write)" if writes else ""), os.path.abspath(requested), real))

    def _inside(self, real: str) -> bool:
        return any(real == root or real.startswith(root + os.sep) for root in self.allowed)


def _describe_exception(exc: BaseException) -> dict[str, Any]:
    frames = traceback.extract_tb(exc.__traceback__)
    return {
        "type": type(exc).__name__,
        "message": str(exc)[:300] if not isinstance(exc, MemoryError) else "",
        "frames": [(f.filename, f.name, f.lineno) for f in frames[-30:]],
    }


def _check_pages(root: Path) -> dict[str, Any]:
    """Run the core on content the check passed: count what loaded, and parse each page's front
    matter as MkDocs does (libyaml), looking for a title."""
    from generator import pipeline

    project = pipeline.Project.at(root)
    found: dict[str, Any] = {"bad_pages": [], "duplicates": [], "sentinel": []}
    if hasattr(pipeline, "check"):
        resolved = pipeline.check(project)
        found["sheets"] = len(resolved.sheets)
        found["articles"] = len(resolved.articles)
    site = pipeline.generate(project)
    paths = Counter(page.path for page in site.pages)
    found["pages"] = len(site.pages)
    found["duplicates"] = sorted(p for p, n in paths.items() if n > 1)
    for page in site.pages:
        problem = _front_matter_problem(page.front_matter)
        if problem:
            found["bad_pages"].append((page.path, problem))
        texts = [page.front_matter, getattr(page, "search", "")]
        body = getattr(page, "encoded_body", b"")
        if SENTINEL in "".join(texts) or SENTINEL.encode() in body:
            found["sentinel"].append(page.path)
    for data in site.data:
        if SENTINEL.encode() in data.content:
            found["sentinel"].append(data.path)
    return found


def _front_matter_problem(front_matter: str) -> str | None:
    match = FRONT_MATTER.match(front_matter)
    if match is None:
        return "no front matter MkDocs would see"
    try:
        data = yaml.load(match.group(1), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        return f"front matter rejected by libyaml: {getattr(exc, 'problem', None) or exc}"
    if not isinstance(data, dict):
        return "front matter is not a mapping"
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        return "front matter has no title"
    return None


def _new_sheets(content: Path) -> set[str]:
    found: set[str] = set()
    for folder, _dirs, files in os.walk(content):
        found.update(os.path.join(folder, name) for name in files)
    return found


def _child(case: Case, settings: Settings, allowed: list[str]) -> NoReturn:
    """Run the case in this (forked) process; write ``result.json``; never return."""
    status = 0
    try:
        _die_with_parent()
        resource.setrlimit(resource.RLIMIT_AS, (settings.memory, settings.memory))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        os.chdir(case.project)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        # As on a terminal: stdout strict UTF-8, stderr with backslash escapes.
        out = open(case.run_dir / "stdout", "w", encoding="utf-8", newline="")  # noqa: SIM115
        err = open(case.run_dir / "stderr", "w", encoding="utf-8", errors="backslashreplace",  # noqa: SIM115
                   newline="")
        os.dup2(out.fileno(), 1)
        os.dup2(err.fileno(), 2)
        sys.stdout, sys.stderr = out, err
        faulthandler.register(signal.SIGUSR1, file=err, all_threads=False)
        os.environ.pop("GITHUB_ACTIONS", None)
        result_file = open(case.run_dir / "result.json", "w", encoding="utf-8")  # noqa: SIM115
        argv = ["--root", str(case.project), *(case.applied.argv or ("check",))]
        before = _new_sheets(case.project / "content") if argv[2] == "new" else set()
        recorder = Recorder(case.project, allowed)
        sys.addaudithook(recorder)
        result: dict[str, Any] = {}
        from generator import cli

        try:
            result["exit"] = cli.main(argv)
        except BaseException as exc:  # the real command would print a traceback
            recorder.busy = True  # printing it reads this harness's own source
            result["exception"] = _describe_exception(exc)
            traceback.print_exc()
            recorder.busy = False
        if result.get("exit") == 0 and argv[2] == "check":
            try:
                result["accepted"] = _check_pages(case.project)
            except BaseException as exc:
                result["accepted_exception"] = _describe_exception(exc)
        if result.get("exit") == 0 and argv[2] == "new":
            result["new"] = _judge_new_sheet(case, before)
        recorder.busy = True
        result["outside"] = recorder.outside
        sys.stdout.flush()
        sys.stderr.flush()
        json.dump(result, result_file)
        result_file.close()
    except BaseException:
        status = 3
    finally:
        os._exit(status)


def _die_with_parent() -> None:
    """Have the kernel kill this child if the harness dies (Linux ``PR_SET_PDEATHSIG``)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # 1 is PR_SET_PDEATHSIG


def _judge_new_sheet(case: Case, before: set[str]) -> list[str]:
    """Problems with the sheets ``explainer new`` wrote: each must parse and keep the name given."""
    assert case.applied.argv is not None
    name = case.applied.argv[2]
    problems = []
    for path in sorted(_new_sheets(case.project / "content") - before):
        try:
            data = yaml.safe_load(Path(path).read_bytes())
        except yaml.YAMLError as exc:
            problems.append(f"the new sheet is not valid YAML: {getattr(exc, 'problem', exc)}")
            continue
        if not isinstance(data, dict) or data.get("name") != name:
            problems.append("the new sheet does not keep the name given")
    return problems


# Running cases ---------------------------------------------------------------------

@dataclass
class _Running:
    case: Case
    pid: int
    pidfd: int
    started: float


def run(settings: Settings, workspace: Workspace | None = None,
        progress: Callable[[Result], None] | None = None) -> list[Result]:
    """Run every case of ``settings``, ``workers`` at a time; return their results in order."""
    from generator import cli, pipeline  # noqa: F401  (imported once, before any fork)

    own = workspace is None
    workspace = workspace or Workspace(root=settings.keep)
    allowed = _allowed_roots()
    _warm_up(workspace)
    gc.collect()
    gc.freeze()  # children then never walk (and so copy) the objects they inherit
    indexes = list(settings.only if settings.only is not None else range(settings.cases))
    results: list[Result] = []
    running: dict[int, _Running] = {}
    try:
        while indexes or running:
            while indexes and len(running) < settings.workers:
                index = indexes.pop(0)
                try:
                    case = prepare(workspace, settings.seed, index, settings.mutations)
                except Exception as exc:
                    results.append(Result(index, mutation_for(settings.seed, index, settings.mutations),
                                          f"the mutation failed: {exc!r}", "harness-error"))
                    continue
                pid = os.fork()
                if pid == 0:
                    _child(case, settings, allowed)
                running[pid] = _Running(case, pid, os.pidfd_open(pid), time.monotonic())
            if not running:
                continue
            wait = min(r.started + settings.timeout for r in running.values()) - time.monotonic()
            ready, _, _ = select.select([r.pidfd for r in running.values()], [], [], max(wait, 0))
            now = time.monotonic()
            for pid, job in list(running.items()):
                timed_out = job.pidfd not in ready and now >= job.started + settings.timeout
                if job.pidfd not in ready and not timed_out:
                    continue
                if timed_out:
                    _stop(pid)
                _, status = os.waitpid(pid, 0)
                os.close(job.pidfd)
                del running[pid]
                result = judge(job.case, status, timed_out, now - job.started, settings)
                results.append(result)
                if progress:
                    progress(result)
                if settings.keep is None:
                    discard(job.case.project)
                    shutil.rmtree(job.case.run_dir, ignore_errors=True)
    finally:
        for pid in running:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        if own and settings.keep is None:
            workspace.close()
    return sorted(results, key=lambda r: r.index)


def _stop(pid: int) -> None:
    """Ask a hung child for its Python stack (faulthandler), then kill it."""
    try:
        os.kill(pid, signal.SIGUSR1)
        time.sleep(0.5)
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _warm_up(workspace: Workspace) -> None:
    """Run the core once here, so children start with every lazy import done."""
    from generator import pipeline

    with open(os.devnull, "w") as null:
        stdout = sys.stdout
        sys.stdout = null
        try:
            pipeline.generate(pipeline.Project.at(workspace.base))
        finally:
            sys.stdout = stdout


# Judging ------------------------------------------------------------------------

def _read(path: Path) -> tuple[str, int]:
    """The first :data:`READ_LIMIT` bytes of ``path`` as text, and its size."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            return handle.read(READ_LIMIT).decode("utf-8", "backslashreplace"), size
    except OSError:
        return "", 0


def _tail(path: Path, size: int = 1 << 16) -> str:
    """The last ``size`` bytes of ``path`` as text (where a hung child's stack dump is)."""
    try:
        with path.open("rb") as handle:
            handle.seek(max(0, path.stat().st_size - size))
            return handle.read().decode("utf-8", "backslashreplace")
    except OSError:
        return ""


def generalise(text: str, limit: int = 110) -> str:
    """A message without its particulars (paths, quoted values, numbers), to group cases by cause."""
    text = re.sub(r"^(content|templates)(/[^\n]*?)?(:\d+)?: ", "", text)
    text = re.sub(r"'[^']*'|\"[^\"]*\"|“[^”]*”", "'…'", text)
    text = re.sub(r"\d+", "N", text)
    return visible(text, limit)


def _frame(frames: list[Any]) -> str:
    if not frames:
        return "?"
    filename, name, _line = frames[-1]
    return f"{_short_path(filename)}:{name}"


def _short_path(filename: str) -> str:
    for marker in ("site-packages/", "lib/python3.11/", "/generator/"):
        if marker in filename:
            tail = filename.split(marker, 1)[1]
            return ("generator/" + tail) if marker == "/generator/" else tail
    return Path(filename).name


def _own_frame(frames: list[Any]) -> str:
    for filename, name, _line in reversed(frames):
        if "/generator/" in filename:
            return f"{_short_path(filename)}:{name}"
    return "?"


def _crash_signature(exc: dict[str, Any]) -> str:
    innermost, own = _frame(exc["frames"]), _own_frame(exc["frames"])
    where = innermost if own == "?" or own == innermost else f"{innermost} via {own}"
    return f"{exc['type']} in {where}"


def _hang_signature(stderr: str) -> str:
    """The innermost frame faulthandler printed for the hung child."""
    match = re.search(r'File "([^"]+)", line \d+ in (\S+)', stderr.split("Current thread")[-1])
    return f"timeout in {_short_path(match.group(1))}:{match.group(2)}" if match else "timeout"


def _leak_signature(event: str, requested: str, real: str, project: Path) -> str:
    if OUTSIDE_DIR in real:
        where = "a folder beside the project"
    elif real.startswith(("/dev/", "/proc/", "/etc")):
        where = "/" + real.split("/")[1] + "/"
    else:
        where = "/".join(real.split("/")[:2]) + "/"
    inside = requested.startswith(str(project) + os.sep)
    through = " through a symlink in the project" if inside else ""
    return f"{event.split(' ')[0]} of {where}{through}" + (" (write)" if "write" in event else "")


def judge(case: Case, status: int, timed_out: bool, seconds: float, settings: Settings) -> Result:
    """Classify what case ``case`` did (see :data:`FAILURES` and :data:`FINDINGS`)."""
    stdout, out_size = _read(case.run_dir / "stdout")
    stderr, err_size = _read(case.run_dir / "stderr")
    child: dict[str, Any] = {}
    with contextlib.suppress(OSError, ValueError):
        child = json.loads((case.run_dir / "result.json").read_text(encoding="utf-8"))
    flags: dict[str, str] = {}
    applied = case.applied
    command = (applied.argv or ("check",))[0]
    github = applied.argv is not None and "github" in applied.argv
    code = child.get("exit")
    exc = child.get("exception")

    if timed_out:
        flags["hang"] = _hang_signature(_tail(case.run_dir / "stderr"))
    elif exc and exc["type"] == "MemoryError":
        flags["memory"] = _crash_signature(exc)
    elif exc:
        flags["crash"] = _crash_signature(exc)
    elif os.WIFSIGNALED(status):
        flags["crash"] = f"killed by signal {os.WTERMSIG(status)}"
    elif not child:
        flags["crash"] = f"the child wrote no result (exit status {os.WEXITSTATUS(status)})"
    elif code not in ((0, 1) if command == "check" else (0, 1, 2)):
        flags["crash"] = f"exit code {code}"
    elif "Traceback (most recent call last)" in stdout + stderr:
        flags["crash"] = "a traceback in the output"
    accepted_exc = child.get("accepted_exception")
    if accepted_exc and "crash" not in flags:
        flags["crash"] = "the core fails on content the check passed: " + (
            generalise(accepted_exc["message"].split("\n")[0]) if accepted_exc["type"] == "ContentErrors"
            else _crash_signature(accepted_exc))
        if accepted_exc["type"] == "MemoryError":
            flags["memory"] = flags.pop("crash")

    for event, requested, real in child.get("outside", []):
        flags.setdefault("leak", _leak_signature(event, requested, real, case.project))
    if SENTINEL in stdout + stderr or OUTSIDE_DIR in stdout + stderr:
        flags.setdefault("leak", "an outside file's name or content in the output")
    accepted = child.get("accepted") or {}
    if accepted.get("sentinel"):
        flags.setdefault("leak", "an outside file's content published on the site")

    streams = [("stdout", stdout), ("stderr", stderr)]
    for name, text in streams:
        for line in LINE_BREAKS.split(text):
            annotation = github and name == "stdout" and ANNOTATION.match(line)
            if line.lstrip().startswith("::") and not annotation:
                flags.setdefault("unsafe", f"a line of {name} starts with '::' after: "
                                 f"{generalise(_line_before(text, line))}")
        match = UNSAFE_CHARS.search(text)
        if match:
            start = text.rfind("\n", 0, match.start()) + 1
            end = text.find("\n", match.end())
            line = text[start: end if end >= 0 else len(text)]
            flags.setdefault("unsafe", f"raw U+{ord(match.group()):04X} in {name}, in: {generalise(line)}")
    if out_size + err_size > MAX_OUTPUT:
        longest = max((stdout + "\n" + stderr).split("\n"), key=len)
        size = (out_size + err_size) // 1000
        flags["oversized"] = f"{size} KB of output, the longest line: {generalise(longest)}"

    if accepted:
        if accepted["bad_pages"]:
            path, problem = accepted["bad_pages"][0]
            flags["loss"] = f"{_page_kind(path)}: {generalise(problem)}"
        elif accepted["duplicates"]:
            flags["loss"] = f"two pages at {_page_kind(accepted['duplicates'][0])} (one replaces the other)"
        elif accepted.get("sheets", case.sheets_present) < case.sheets_present:
            flags["loss"] = "a sheet file silently ignored"
        elif accepted.get("articles", case.articles_present) < case.articles_present:
            flags["loss"] = "an article file silently ignored"
    for problem in child.get("new") or []:
        flags.setdefault("loss", f"explainer new: {problem}")

    lines = [line for line in stderr.split("\n") if line]
    first = next((line for line in lines if LOCATED.match(line)), lines[0] if lines else "")
    if code == 1 and command == "check" and not set(flags) & {"crash", "memory", "hang"}:
        if stdout and not github:
            flags["messy"] = "output on stdout: " + generalise(stdout.split("\n")[0])
        bad = [line for line in lines
               if not (LOCATED.match(line) or DETAIL.match(line) or SUMMARY.fullmatch(line))]
        if bad and "messy" not in flags:
            flags["messy"] = "a line that is not 'path:line: ...': " + generalise(bad[0])
        elif lines and not SUMMARY.fullmatch(lines[-1]) and err_size <= READ_LIMIT:
            flags.setdefault("messy", "the last line is not the count of errors")
    if applied.expect == "accept" and code not in (0, None) and not exc:
        flags["false-rejection"] = f"{case.mutation}: {generalise(first)}"
    if applied.expect == "reject" and code == 0:
        flags["silent-acceptance"] = f"{case.mutation}: {generalise(_variant(applied.note))}"
    if applied.line and code == 1:
        where, number = applied.line
        about = [line for line in lines if line.startswith(where + ":")]
        if about and not any(line.startswith(f"{where}:{number}:") for line in about):
            reported = re.match(rf"{re.escape(where)}:(\d+)?", about[0])
            at = reported.group(1) if reported and reported.group(1) else "no line"
            flags["wrong-line"] = (f"{case.mutation}: '{generalise(about[0])}' given at {_rough(at, number)}")
    if applied.lookalike and "quote not found" in stderr:
        flags["confusing"] = f"{case.mutation}: 'quote not found' for a quote that reads like the article"
    if seconds > settings.slow and not timed_out:
        flags["slow"] = f"{case.mutation}: over {settings.slow:g} s"

    outcome = next((f for f in FAILURES if f in flags), None)
    if outcome is None:
        outcome = "messy" if "messy" in flags else "accepted" if code == 0 else "clean"
    head = "\n".join([*(f"stdout| {visible(line)}" for line in stdout.split("\n")[:6] if line),
                      *(f"stderr| {visible(line)}" for line in stderr.split("\n")[:14] if line)])
    outside = [f"{event} {visible(asked, 100)}" + (f" (really {visible(real, 100)})" if real != asked else "")
               for event, asked, real in child.get("outside", [])[:3]]
    return Result(case.index, case.mutation, applied.note, outcome, flags, round(seconds, 3), code,
                  out_size + err_size, head, case.diff, outside)


def _rough(reported: str, expected: int) -> str:
    if not reported.isdigit():
        return f"{reported} (the change is on line {expected})"
    delta = int(reported) - expected
    return "line 1" if reported == "1" else f"{'+' if delta > 0 else ''}{delta} lines off"


def _variant(note: str) -> str:
    return re.sub(r"^\S*content/\S*?(:\d+)?:? ", "", note)


def _line_before(text: str, line: str) -> str:
    index = text.find(line)
    before = text[:index].rstrip("\r\n")
    return before[before.rfind("\n") + 1:] or line


def _page_kind(path: str) -> str:
    parts = path.split("/")
    if len(parts) == 2 and parts[0] in KINDS and parts[1] != "index.md":
        return f"{parts[0]}/<sheet>.md"
    if len(parts) == 2 and parts[0] == "articles" and parts[1] != "index.md":
        return "articles/<article>.md"
    return path


# Real MkDocs builds --------------------------------------------------------------

TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)


def mkdocs_titles(workspace: Workspace, settings: Settings, results: list[Result], count: int,
                  timeout: float = 300) -> list[str]:
    """Build ``count`` sampled accepted cases with the real ``mkdocs build --strict``; list every page
    whose ``<title>`` is the bare site name (its front matter lost) and every failed build."""
    accepted = [r for r in results
                if r.outcome in ("accepted", "loss") and r.exit == 0 and "leak" not in r.flags]
    chosen = random.Random(settings.seed).sample(accepted, min(count, len(accepted)))
    findings = []
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("GITHUB_ACTIONS", None)
    for result in chosen:
        case = prepare(workspace, settings.seed, result.index, settings.mutations)
        site = case.run_dir / "site"
        try:
            command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)]
            build = subprocess.run(command, cwd=case.project, capture_output=True, text=True, timeout=timeout,
                                   env=env, check=False)
        except subprocess.TimeoutExpired:
            findings.append(f"case {result.index} ({result.mutation}): mkdocs build timed out")
            continue
        finally:
            discard(case.project)
        if build.returncode != 0:
            tail = [line for line in build.stderr.splitlines() if line.strip()][-3:]
            findings.append(f"case {result.index} ({result.mutation}, {result.note}): mkdocs build failed: "
                            + " / ".join(visible(line, 160) for line in tail))
        for page in sorted(site.rglob("*.html")):
            if page.name == "404.html":
                continue
            match = TITLE.search(page.read_text(encoding="utf-8", errors="replace"))
            title = html.unescape(match.group(1)).strip() if match else ""
            if title == SITE_NAME or not title:
                findings.append(f"case {result.index} ({result.mutation}, {visible(result.note, 120)}): "
                                f"{page.relative_to(site)} has the bare site name as its title")
        shutil.rmtree(case.run_dir, ignore_errors=True)
    return findings


# Reporting ------------------------------------------------------------------------

COLUMNS = ("cases", "clean", "accepted", "messy", "loss", "crash", "hang", "memory", "leak", "unsafe",
           "oversized")


def table(results: list[Result]) -> str:
    """Counts of outcomes, overall and per mutation class, then the findings per class."""
    by_class: dict[str, Counter[str]] = defaultdict(Counter)
    for result in results:
        counts = by_class[result.mutation]
        counts["cases"] += 1
        counts[result.outcome] += 1
        for flag in result.flags:
            if flag in FINDINGS:
                counts[flag] += 1
    total: Counter[str] = Counter()
    for counts in by_class.values():
        total.update(counts)
    columns = [*COLUMNS, *FINDINGS]
    if total["harness-error"]:
        columns.append("harness-error")
    width = max([len(name) for name in by_class] + [7])
    heads = ["class".ljust(width), *(c.rjust(max(len(c), 5)) for c in columns)]
    lines = [" ".join(heads), " ".join("-" * len(h) for h in heads)]

    def row(name: str, counts: Counter[str]) -> str:
        return " ".join([name.ljust(width), *(str(counts[c]).rjust(max(len(c), 5)) for c in columns)])

    lines.append(row("ALL", total))
    lines += [row(name, by_class[name]) for name in sorted(by_class)]
    lines.append("(outcome columns 'clean' to 'oversized' add up to 'cases'; " + ", ".join(FINDINGS)
                 + " are findings a case may show besides its outcome)")
    return "\n".join(lines)


def signatures(results: list[Result]) -> dict[tuple[str, str], list[Result]]:
    """Cases grouped by (flag, signature), failures first."""
    groups: dict[tuple[str, str], list[Result]] = defaultdict(list)
    for result in results:
        for flag, signature in result.flags.items():
            groups[(flag, signature)].append(result)
    order = {flag: n for n, flag in enumerate((*FAILURES, *FINDINGS))}
    return dict(sorted(groups.items(), key=lambda item: (order[item[0][0]], -len(item[1]), item[0][1])))


def reproducers(results: list[Result], settings: Settings, flags: Iterable[str] = (*FAILURES, *FINDINGS),
                rerun: str = "benchmarks/fuzz.py") -> str:
    """One smallest reproducer per distinct signature: its change to the content and its output."""
    wanted = set(flags)
    blocks = []
    for (flag, signature), cases in signatures(results).items():
        if flag not in wanted:
            continue
        smallest = min(cases, key=lambda r: (len(r.diff), r.seconds))
        classes = Counter(r.mutation for r in cases)
        blocks.append("\n".join([
            f"[{flag}] {signature}",
            f"  {len(cases)} case(s); classes: " + ", ".join(f"{c} {n}" for c, n in classes.most_common()),
            f"  smallest: case {smallest.index} ({smallest.mutation}): {visible(smallest.note, 200)}",
            f"  rerun: {rerun} --seed {settings.seed} --only {smallest.index} --keep /tmp/fuzz-case",
            "  change:",
            *(f"    {line}" for line in (smallest.diff or "(none: a command line)").split("\n")[:30]),
            *(f"  touched outside: {line}" for line in smallest.outside),
            f"  exit {smallest.exit}, {smallest.output_bytes} bytes of output, {smallest.seconds:.2f} s:",
            *(f"    {line}" for line in smallest.output.split("\n")[:12]),
        ]))
    return "\n\n".join(blocks)


def summary(results: list[Result]) -> dict[str, int]:
    """Outcome counts over all cases."""
    counts = Counter(r.outcome for r in results)
    return {"cases": len(results), **{c: counts[c] for c in COLUMNS[1:]}}


def failures(results: list[Result]) -> list[Result]:
    """Cases that broke a property the fuzz test asserts."""
    return [r for r in results if r.outcome in FAILURES or r.outcome == "harness-error"]


def to_json(results: list[Result]) -> list[dict[str, Any]]:
    return [asdict(r) for r in results]

