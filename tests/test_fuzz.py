"""Fuzzing the real content (issue 14): no traceback, no page without its title, nothing read from
outside the project, whatever a sheet, an article or the files themselves hold.

The machinery is in ``fuzz_harness.py`` and the mutations in ``fuzzing.py``; ``benchmarks/fuzz.py``
runs the same with 3,000 cases and prints a reproducer for each distinct failure.
"""

from __future__ import annotations

import math
import random
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import fuzz_harness as harness
import pytest
from fuzzing import MUTATIONS

SEED = 14
ROUNDS = 1
"""Cases per mutation class: the cases take every class in turn (benchmarks/fuzz.py runs thousands)."""


@pytest.fixture(scope="module")
def workspace() -> Iterator[harness.Workspace]:
    """A pristine copy of the repository's project, with fresh copies for each case."""
    space = harness.Workspace()
    yield space
    space.close()


def test_every_mutation_applies_to_the_real_content(workspace: harness.Workspace) -> None:
    for name, mutate in MUTATIONS.items():
        project = workspace.fresh(f"apply-{name}")
        applied = mutate(project, random.Random(SEED))
        assert (applied.label, bool(applied.note)) == (name, True)
        harness.discard(project)


def test_the_unchanged_project_is_accepted_with_no_finding(workspace: harness.Workspace) -> None:
    # A generous timeout: on a loaded machine a real build can outlive the harness's default,
    # and "hang" here would be the machine's speed, not a finding. For the same reason no case
    # is judged slow here: speed is measured by benchmarks/fuzz.py, which reports slow cases.
    settings = harness.Settings(seed=SEED, cases=2, mutations=("unchanged",), timeout=60.0, slow=math.inf)
    results = harness.run(settings, workspace)
    assert [(r.outcome, r.flags, r.outside) for r in results] == [("accepted", {}, [])] * 2


def _report(results: list[harness.Result], settings: harness.Settings) -> str:
    broken = harness.failures(results)
    lines = [f"{len(broken)} of {len(results)} cases broke a property:"]
    for (flag, signature), cases in harness.signatures(broken).items():
        if flag in harness.FAILURES:
            example = min(cases, key=lambda r: len(r.diff))
            lines.append(f"  {len(cases):3d} [{flag}] {signature} (e.g. case {example.index}: "
                         f"{harness.visible(example.note, 100)})")
    lines.append(f"Reproduce with: benchmarks/fuzz.py --seed {settings.seed} --only N --keep /tmp/case")
    return "\n".join(lines)


def test_mutated_content_never_crashes_loses_a_title_or_reads_outside(workspace: harness.Workspace) -> None:
    # Four at a time on two cores: a hung case (a FIFO) sleeps while the others run.
    # A generous timeout: a hang never ends, while a loaded CI machine may be slow.
    settings = harness.Settings(seed=SEED, cases=ROUNDS * len(MUTATIONS), workers=4, timeout=30.0,
                                memory=1 << 30)
    results = harness.run(settings, workspace)
    assert {r.mutation for r in results} == set(MUTATIONS)
    assert not harness.failures(results), _report(results, settings)


def test_the_audit_hook_tells_outside_from_inside(tmp_path: Path) -> None:
    """The harness itself: what counts as touching a file outside the project."""
    project, outside = tmp_path / "project", tmp_path / "outside"
    (project / "content").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.yml").write_text("name: x\n", encoding="utf-8")
    (project / "content" / "link.yml").symlink_to(outside / "secret.yml")
    recorder = harness.Recorder(project, harness._allowed_roots())
    recorder("open", (str(project / "content" / "x.yml"), "r", 0))
    recorder("open", (sysconfig.get_paths()["stdlib"] + "/json/__init__.py", "r", 0))
    recorder("open", ("/dev/null", "w", 0))
    recorder("open", (7, "r", 0))
    recorder("os.listdir", (str(project / "content"),))
    assert recorder.outside == []
    recorder("open", (str(project / "content" / "link.yml"), "r", 0))
    recorder("os.listdir", (str(outside),))
    recorder("open", ("/etc/hostname", "rb", 0))
    assert [(event, real) for event, _asked, real in recorder.outside] == [
        ("open", str(outside / "secret.yml")), ("os.listdir", str(outside)), ("open", "/etc/hostname")]
