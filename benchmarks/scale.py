"""How the explainer's MkDocs build scales with the amount of content.

Generates synthetic projects in the real content format (N sheets of five claims, N/10 articles of 20
passages), builds each with the real ``mkdocs build --strict`` in a subprocess, and reports build time,
milliseconds per page, the generator's share of the build, peak memory, the time of a rebuild after one
sheet changes, and the speed-up against a "naive" Material site of the same pages with every page in
the nav. The last line sums up the largest size::

    scale: ms_per_page=<x> ratio_10x=<x> generator_share=<x>% peak_mb=<x> speedup_vs_naive=<x>
           edit_s=<x> total_mb=<x>

``peak_mb`` is the largest resident size of one process of the build; the build forks children
on a large site (``generator/parallel.py``), so ``total_mb`` gives the peak of all of them together.

Run from the repository root: ``.venv/bin/python benchmarks/scale.py [--sizes 300,3000] [--quick]
[--keep DIR]``.

The generator's code, templates, docs and config are copied once at the start and every build (and the
in-process timing of the core) uses that copy, so edits to the working tree during a run cannot mix two
versions of the code in one report.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

# The generator is imported inside the functions that use it, once main() has put the snapshot of the
# code first on sys.path (see use_code); scale.py's own top level never imports it.

REPO = Path(__file__).resolve().parent.parent
PROJECT_FOLDERS = ("templates", "docs", "overrides")
"""Folders of the repository a throwaway project copies (``overrides`` is Material's custom_dir)."""
CODE_FOLDERS = ("generator", *PROJECT_FOLDERS)
"""Folders of the repository the snapshot of the code copies."""

CLAIMS_PER_SHEET = 5
RELATIONS_PER_SHEET = 2
PASSAGES_PER_ARTICLE = 20
SHEETS_PER_ARTICLE = 10
GENERATOR_REPEATS = 3
CORE_LOG_LINE = re.compile(r"explainer: \d+ pages generated in ([\d.]+) s")
"""The plugin's report of the core's time inside a build."""

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")

PHRASES = (
    "moved heavy equipment towards the coast",
    "was seen near the southern airbase",
    "withdrew from positions outside the capital",
    "received drones and armoured vehicles",
    "signed a memorandum on security cooperation",
    "lost ground after weeks of fighting",
    "flew fighters out of a desert airfield",
    "sent advisers to the front lines",
    "denied any role in the offensive",
    "recaptured a key strategic crossroads",
    "held talks with foreign officials",
    "reinforced its garrison in the oil region",
)

# Typographic apostrophes and quotes, as in real news copy: they make the text non-ASCII, and
# CPython then stores it at two bytes a character, which the memory figure must include.
SOURCES = ("the town\u2019s mayor", "Western officials", "press reports", "a local commander", None)

FILLER = ("Residents described the situation in district {token} as \u201ccalm but uncertain\u201d, "
          "and the district\u2019s shops reopened for a few hours.")


# Synthetic corpus ---------------------------------------------------------

@dataclass(frozen=True)
class Fact:
    """One sentence of an article, written so that ``quote`` occurs in it and nowhere else."""

    sentence: str
    quote: str


@dataclass
class ArticleDraft:
    """An article being written: its slug, title and the facts its sheets will quote."""

    slug: str
    title: str
    facts: list[Fact]

    def add(self, subject: str, predicate: str, prefix: str = "") -> str:
        """Add a sentence about ``subject`` with a unique dispatch token; return its quote."""
        token = f"{self.slug.rsplit('-', 1)[1]}-{len(self.facts):04d}"
        quote = f"{prefix}{subject} {predicate}, in dispatch {token}"
        self.facts.append(Fact(f"{quote}.", quote))
        return quote

    def markdown(self) -> str:
        """The article file: front matter, then ``PASSAGES_PER_ARTICLE`` paragraphs."""
        paragraphs = []
        for number in range(PASSAGES_PER_ARTICLE):
            sentences = [fact.sentence for fact in self.facts[number::PASSAGES_PER_ARTICLE]]
            token = f"{self.slug.rsplit('-', 1)[1]}-p{number + 1:02d}"
            sentences.append(FILLER.format(token=token))
            paragraphs.append(" ".join(sentences))
        front = yaml.safe_dump({"title": self.title}, allow_unicode=True, width=1000)
        return f"---\n{front}---\n\n" + "\n\n".join(paragraphs) + "\n"


def sheet_slug(index: int) -> str:
    """Slug of sheet ``index``: kind-prefixed, so unique across kinds."""
    from generator.model import KIND

    return f"{KIND[sheet_kind(index)].singular}-{index:05d}"


def sheet_kind(index: int) -> str:
    """Kind of sheet ``index``: the five kinds in turn."""
    from generator.model import KINDS

    return KINDS[index % len(KINDS)]


def sheet_name(index: int) -> str:
    """Display name of sheet ``index`` (unique, as the generator requires)."""
    from generator.model import KIND

    return f"{KIND[sheet_kind(index)].singular.capitalize()} {_letters(index)}"


def _letters(number: int) -> str:
    """``number`` in letters (``Baaa``, ``Baab`` ...): names hold no digits, which the content
    rules would read as a figure stated without a source."""
    letters = ""
    for _ in range(4):
        number, digit = divmod(number, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[digit] + letters
    return "B" + letters[1:] if letters[0] == "a" else letters.capitalize()


def relation_targets(index: int, n_sheets: int) -> list[int]:
    """Indexes of the sheets that sheet ``index`` relates to: a neighbour and a distant one."""
    candidates = [(index + 1) % n_sheets, (index + n_sheets // 2 + 3) % n_sheets]
    return [t for t in dict.fromkeys(candidates) if t != index][:RELATIONS_PER_SHEET]


def sheet_data(index: int, n_sheets: int, article: ArticleDraft) -> dict[str, Any]:
    """A sheet's YAML data; every quote it needs is added to ``article`` as a new sentence."""
    from generator.model import KIND, RELATION_TYPES

    name = sheet_name(index)
    claims = []
    for number in range(CLAIMS_PER_SHEET):
        phrase = PHRASES[(index + number) % len(PHRASES)]
        source = SOURCES[(index + number) % len(SOURCES)]
        claim: dict[str, Any] = {
            "text": f"The article reports that {name} {phrase}.",
            "quote": article.add(name, phrase),
            "article": article.slug,
        }
        if source is not None:
            claim["attribution"] = source
        claims.append(claim)
    relation_types = list(RELATION_TYPES)
    relations = []
    for number, target in enumerate(relation_targets(index, n_sheets)):
        rtype = relation_types[(index + number) % len(relation_types)]
        predicate = f"{RELATION_TYPES[rtype].forward} {sheet_name(target)}"
        relations.append({"type": rtype, "target": sheet_slug(target),
                          "quote": article.add(name, predicate), "article": article.slug,
                          "attribution": "the dispatch"})
    data: dict[str, Any] = {
        "name": name,
        "aliases": [f"{KIND[sheet_kind(index)].singular} no. {index}"],
        "summary": f"{name} is mentioned {CLAIMS_PER_SHEET} times in {article.title}.",
        "claims": claims,
        "relations": relations,
    }
    if KIND[sheet_kind(index)].dated:
        month = index % len(MONTHS)
        as_written = f"In {MONTHS[month]}"
        data["date"] = {
            "as_written": as_written,
            "precision": "month-without-year",
            "edtf": f"XXXX-{month + 1:02d}",
            "quote": article.add(name.lower(), "took place", prefix=f"{as_written}, "),
            "article": article.slug,
        }
    return data


def write_corpus(content: Path, n_sheets: int) -> None:
    """Write ``n_sheets`` sheets and ``n_sheets / 10`` articles under ``content``."""
    n_articles = max(1, n_sheets // SHEETS_PER_ARTICLE)
    articles = [ArticleDraft(f"dispatch-{j:04d}", f"Dispatch {j:04d}: fighting around the capital", [])
                for j in range(n_articles)]
    for index in range(n_sheets):
        article = articles[min(index // SHEETS_PER_ARTICLE, n_articles - 1)]
        data = sheet_data(index, n_sheets, article)
        _write(content / sheet_kind(index) / f"{sheet_slug(index)}.yml",
               yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000))
    for article in articles:
        _write(content / "articles" / f"{article.slug}.md", article.markdown())


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def make_project(root: Path, n_sheets: int, source: Path = REPO) -> Path:
    """A throwaway project at ``root``: templates, docs, overrides and config copied from ``source``
    (the repository, or a snapshot of it), and synthetic content."""
    _copy_tree(source, root, PROJECT_FOLDERS)
    write_corpus(root / "content", n_sheets)
    return root


def _copy_tree(source: Path, target: Path, folders: tuple[str, ...]) -> None:
    """Copy ``folders`` (those that exist) and ``mkdocs.yml`` from ``source`` into ``target``."""
    for folder in folders:
        if (source / folder).is_dir():
            shutil.copytree(source / folder, target / folder,
                            ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(source / "mkdocs.yml", target / "mkdocs.yml")


def change_one_sheet(project: Path) -> Path:
    """Rewrite the summary of the first actor sheet; return its path."""
    path = min((project / "content" / "actors").glob("*.yml"))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["summary"] = data["summary"] + " Its summary was edited for the rebuild benchmark."
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000),
                    encoding="utf-8")
    return path


def generated_files(project: Path) -> list[tuple[str, str]]:
    """Every file the core generates for ``project``, as (path under docs/, text): its pages and
    its data files (open-data exports and the kinds' stylesheet, served as they are)."""
    from generator.pipeline import Project, generate

    site = generate(Project.at(project), directory_urls=True)
    return [*((page.path, page.markdown) for page in site.pages),
            *((data.path, data.text) for data in site.data)]


def make_naive_project(root: Path, project: Path) -> Path:
    """A plain Material project holding the same pages as ``project``, every page in the nav.

    The generated pages are written as ordinary Markdown files next to the hand-written ``docs/``;
    the config has no ``nav`` key, so MkDocs lists every page in the navigation of every page.
    """
    shutil.copytree(project / "docs", root / "docs")
    for path, text in generated_files(project):
        _write(root / "docs" / path, text)
    config = {"site_name": "Naive explainer", "theme": {"name": "material", "font": False}}
    _write(root / "mkdocs.yml", yaml.safe_dump(config, sort_keys=False))
    return root


# Measuring ----------------------------------------------------------------

class BuildFailed(RuntimeError):
    """A measured build exited with an error."""


@dataclass(frozen=True)
class Measurement:
    """Wall time, peak resident memory and output of one subprocess."""

    seconds: float
    peak_mb: float
    """The largest resident size of one process (the build or a child it forked)."""
    log: str = ""
    total_mb: float | None = None
    """The peak of all its processes' memory together (proportional set sizes, sampled every
    0.1 s; a child shares its parent's memory until either writes to it); None without /proc."""

    @property
    def core_seconds(self) -> float | None:
        """The core's time inside this build, from the plugin's log line (None if absent)."""
        match = CORE_LOG_LINE.search(self.log)
        return float(match.group(1)) if match else None


def run_measured(command: list[str], cwd: Path, code: Path) -> Measurement:
    """Run ``command`` with the generator from ``code`` and measure it alone.

    ``os.wait4`` gives this child's own ``ru_maxrss``; ``PYTHONPATH`` puts the snapshot ahead of the
    editable install of the working tree.
    """
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(code))
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT)
        with TreeMemory(process.pid) as tree:
            _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        log = output.read().decode("utf-8", errors="replace")
        if process.returncode != 0:
            raise BuildFailed(f"{' '.join(command)} failed in {cwd} ({process.returncode}):\n{log[-5000:]}")
    return Measurement(seconds, usage.ru_maxrss / 1024, log,  # ru_maxrss is in KiB on Linux
                       None if tree.peak_kib is None else tree.peak_kib / 1024)


class TreeMemory:
    """Samples the memory of a process and its descendants together, in a thread, until exit."""

    INTERVAL = 0.1

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kib: int | None = 0 if Path(f"/proc/{pid}/smaps_rollup").exists() else None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        if self.peak_kib is not None:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(self.INTERVAL):
            total = sum(_pss_kib(pid) for pid in _tree(self.pid))
            self.peak_kib = max(self.peak_kib or 0, total)


def _tree(pid: int) -> list[int]:
    """``pid`` and its living descendants."""
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as children:
                    stack.extend(int(child) for child in children.read().split())
        except OSError:
            continue  # it has exited
    return found


def _pss_kib(pid: int) -> int:
    """A process's proportional set size (its shared pages split among their sharers), in KiB."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            return next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
    except OSError:
        return 0


def mkdocs_build(project: Path, site: Path, code: Path) -> Measurement:
    """The real ``mkdocs build --strict`` of ``project`` into ``site``, measured."""
    return run_measured([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                        project, code)


def count_pages(site: Path) -> int:
    """HTML pages built: the ``index.html`` files under ``site``."""
    return sum(1 for _ in site.rglob("index.html"))


def generator_seconds(project: Path, repeats: int = GENERATOR_REPEATS) -> tuple[float, dict[str, float]]:
    """Median time of the core alone (load with validation, resolve, render), run in this process,
    and the median of each stage."""
    from generator.pipeline import Project, generate

    times = []
    stages: dict[str, list[float]] = {}
    for _ in range(repeats):
        timings: dict[str, float] = {}
        start = time.perf_counter()
        generate(Project.at(project), directory_urls=True, timings=timings)
        times.append(time.perf_counter() - start)
        for stage, seconds in timings.items():
            stages.setdefault(stage, []).append(seconds)
    return statistics.median(times), {stage: statistics.median(s) for stage, s in stages.items()}


# One size -----------------------------------------------------------------

@dataclass(frozen=True)
class SizeResult:
    """Everything measured for one corpus size."""

    n_sheets: int
    n_articles: int
    pages: int
    build: Measurement
    generator_seconds: float
    generator_stages: dict[str, float]
    rebuild: Measurement
    naive: Measurement | None
    naive_pages: int | None
    edit_seconds: float | None = None
    """Edit-to-view in ``mkdocs serve --dirty`` (as ``make serve`` runs it): median of a few saves."""
    template_seconds: float | None = None
    """The same after a change to a template (every page renders again)."""

    @property
    def ms_per_page(self) -> float:
        """Build time per HTML page, in milliseconds."""
        return 1000 * self.build.seconds / self.pages

    @property
    def generator_share(self) -> float:
        """The core's time as a percentage of the whole build."""
        return 100 * self.generator_seconds / self.build.seconds

    @property
    def speedup_vs_naive(self) -> float | None:
        """Naive build time over ours, when the naive site was built."""
        return None if self.naive is None else self.naive.seconds / self.build.seconds


def measure_size(n_sheets: int, workdir: Path, code: Path, *, naive: bool) -> SizeResult:
    """Generate, build and measure one corpus size under ``workdir``, with the code in ``code``."""
    project = make_project(workdir / "project", n_sheets, source=code)
    site = workdir / "site"
    build = mkdocs_build(project, site, code)
    pages = count_pages(site)
    gen, stages = generator_seconds(project)
    change_one_sheet(project)
    rebuild = mkdocs_build(project, site, code)
    naive_build = naive_pages = None
    if naive:
        naive_project = make_naive_project(workdir / "naive", project)
        naive_site = workdir / "naive-site"
        naive_build = mkdocs_build(naive_project, naive_site, code)
        naive_pages = count_pages(naive_site)
    edit, template = edit_to_view(project, code)
    return SizeResult(n_sheets, max(1, n_sheets // SHEETS_PER_ARTICLE), pages, build, gen, stages,
                      rebuild, naive_build, naive_pages, edit, template)


EDIT_RUNS = 3


def edit_to_view(project: Path, code: Path) -> tuple[float, float]:
    """Seconds from saving a sheet (median of :data:`EDIT_RUNS`), then a template, to the first
    response of a real ``mkdocs serve --dirty`` that shows the change."""
    sys.path.insert(0, str(REPO / "tests"))
    from mkdocs_serve import MkDocsServe

    sheet = sorted((project / "content/actors").glob("*.yml"))[len(list((project / "content/actors")
                                                                       .glob("*.yml"))) // 2]
    page = f"actors/{sheet.stem}/"
    original = sheet.read_text(encoding="utf-8")
    template = project / "templates/sheet.md.j2"
    template_text = template.read_text(encoding="utf-8")
    timings = []
    try:
        with MkDocsServe(project, dirty=True, env={"PYTHONPATH": str(code)}) as server:
            server.wait_for(lambda: server.get(page)[0] == 200, timeout=900)
            time.sleep(1.0)
            for run in range(EDIT_RUNS):
                marker = f"Edited{run}x{time.monotonic_ns()}"
                data = yaml.safe_load(original)
                data["summary"] = f"{marker} {data['summary']}"
                start = time.monotonic()
                sheet.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000),
                                 encoding="utf-8")
                server.wait_for(lambda m=marker: m in server.get(page)[1], timeout=900)
                timings.append(time.monotonic() - start)
                print(f"  edit {run + 1}: {timings[-1]:.2f} s", flush=True)
                time.sleep(1.0)  # let the watcher settle before the next save
            marker = f"Template{time.monotonic_ns()}"
            start = time.monotonic()
            edited = template_text.replace('<p class="sheet-kind">',
                                           f'<p class="sheet-kind" data-edit="{marker}">', 1)
            template.write_text(edited, encoding="utf-8")
            server.wait_for(lambda: marker in server.get(page)[1], timeout=900)
            template_seconds = time.monotonic() - start
    finally:  # a kept project (--keep) is measured again as it was
        sheet.write_text(original, encoding="utf-8")
        template.write_text(template_text, encoding="utf-8")
    return statistics.median(timings), template_seconds


def report_size(result: SizeResult) -> None:
    """Print the measurements of one size."""
    print(f"N={result.n_sheets}: {result.n_sheets} sheets, {result.n_articles} articles, "
          f"{result.pages} HTML pages")
    print(f"  build (mkdocs build --strict)    {result.build.seconds:8.2f} s   "
          f"{result.ms_per_page:6.2f} ms/page")
    print(f"  generator core (median of {GENERATOR_REPEATS})    {result.generator_seconds:8.2f} s   "
          f"{result.generator_share:6.1f} % of the build")
    if result.generator_stages:
        print("    " + ", ".join(f"{stage} {seconds:.2f} s"
                                 for stage, seconds in result.generator_stages.items()))
    in_build = result.build.core_seconds
    if in_build is not None:
        print(f"    inside the measured build itself: {in_build:.2f} s, "
              f"{100 * in_build / result.build.seconds:.1f} % of it")
    total = result.build.total_mb
    print(f"  peak memory                      {result.build.peak_mb:8.1f} MB   (largest process)"
          + (f"; all its processes together {total:.1f} MB" if total is not None else ""))
    print(f"  full rebuild after one sheet     {result.rebuild.seconds:8.2f} s   "
          f"(peak {result.rebuild.peak_mb:.1f} MB)")
    if result.edit_seconds is not None:
        print(f"  edit to view, mkdocs serve --dirty {result.edit_seconds:6.2f} s   (median of {EDIT_RUNS} "
              f"saves); after a template change {result.template_seconds:.2f} s")
    if result.naive is not None:
        print(f"  naive site, every page in nav    {result.naive.seconds:8.2f} s   "
              f"{result.naive_pages} pages, peak {result.naive.peak_mb:.1f} MB, "
              f"speed-up {result.speedup_vs_naive:.2f}x")
    else:
        print("  naive site                       skipped (--quick)")
    sys.stdout.flush()


def summary_line(results: list[SizeResult]) -> str:
    """The one-line summary for the largest size."""
    smallest, largest = results[0], results[-1]
    ratio = largest.build.seconds / smallest.build.seconds
    with_naive = [r for r in results if r.speedup_vs_naive is not None]
    speedup = f"{with_naive[-1].speedup_vs_naive:.2f}" if with_naive else "n/a"
    edit = f" edit_s={largest.edit_seconds:.2f}" if largest.edit_seconds is not None else ""
    total = f" total_mb={largest.build.total_mb:.1f}" if largest.build.total_mb is not None else ""
    return (f"scale: ms_per_page={largest.ms_per_page:.2f} ratio_10x={ratio:.2f} "
            f"generator_share={largest.generator_share:.1f}% peak_mb={largest.build.peak_mb:.1f} "
            f"speedup_vs_naive={speedup}{edit}{total}")


# Command line -------------------------------------------------------------

def snapshot_code(target: Path) -> Path:
    """Copy the generator, templates, docs, overrides and ``mkdocs.yml`` to ``target``; return it."""
    _copy_tree(REPO, target, CODE_FOLDERS)
    return target


def use_code(code: Path) -> None:
    """Make this process import the generator from ``code`` (before anything has imported it)."""
    if "generator" in sys.modules:
        raise RuntimeError("the generator was imported before the snapshot of the code was taken")
    sys.path.insert(0, str(code))


def fingerprint(code: Path) -> str:
    """A short hash of every file under ``code``, to tell runs of different code apart."""
    digest = hashlib.sha256()
    for path in sorted(p for p in code.rglob("*") if p.is_file()):
        digest.update(path.relative_to(code).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@contextmanager
def workspace(keep: Path | None) -> Iterator[Path]:
    """``keep`` (created, kept afterwards) or a temporary folder removed at the end."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep.resolve()
        return
    with tempfile.TemporaryDirectory(prefix="explainer-scale-") as tmp:
        yield Path(tmp)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="300,3000",
                        help="comma-separated sheet counts, smallest first (default: 300,3000)")
    parser.add_argument("--quick", action="store_true",
                        help="build the naive site at the smallest size only (it is slow at large ones)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="generate the projects under DIR and keep them (e.g. for profiling)")
    args = parser.parse_args(argv)
    args.sizes = sorted(int(size) for size in args.sizes.split(","))
    if any(size < 3 for size in args.sizes):
        parser.error("every size must be at least 3 sheets")
    return args


def main(argv: list[str] | None = None) -> int:
    """Measure every size, print each, then the ratio and the summary line."""
    args = parse_args(argv)
    started = time.perf_counter()
    results = []
    with workspace(args.keep) as root:
        code = snapshot_code(root / "code")
        use_code(code)
        print(f"code snapshot {fingerprint(code)} (generator/, templates/, docs/, overrides/, mkdocs.yml)")
        for size in args.sizes:
            naive = not args.quick or size == args.sizes[0]
            results.append(measure_size(size, root / f"n{size}", code, naive=naive))
            report_size(results[-1])
        if args.keep is not None:
            print(f"projects kept under {root}")
    if len(results) > 1:
        ratio = results[-1].build.seconds / results[0].build.seconds
        print(f"build time N={results[-1].n_sheets} / N={results[0].n_sheets}: {ratio:.2f} "
              f"(content x{results[-1].n_sheets / results[0].n_sheets:g})")
    if args.quick and len(results) > 1:
        print(f"(--quick: speedup_vs_naive is measured at N={results[0].n_sheets})")
    print(f"total benchmark time {time.perf_counter() - started:.1f} s")
    print(summary_line(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
