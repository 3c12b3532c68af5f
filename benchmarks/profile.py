"""Profile one in-process MkDocs build of a generated project with pyinstrument.

Generates a synthetic project (the corpus of ``benchmarks/scale.py``, N=3000 sheets by default), runs
``mkdocs.commands.build.build`` on it once under pyinstrument, and prints the functions that take the
most time (flat, by own time) and the call tree.

Run from the repository root: ``.venv/bin/python benchmarks/profile.py [--sheets 3000]
[--project DIR] [--top 30]``. ``--project`` reuses a project kept by ``scale.py --keep``
(e.g. ``DIR/n3000/project``) instead of generating one; its copied templates must still match the
generator's code.

Note: this file is named like the standard library's ``profile`` module; nothing it imports needs that
module, and it is only ever run as a script.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from scale import make_project, snapshot_code, use_code

DEFAULT_SHEETS = 3000
DEFAULT_TOP = 30
TREE_SHOW = r".*/(mkdocs|material|markdown|generator)/.*"
"""Library frames the call tree shows instead of folding them away (pyinstrument's ``show_regex``)."""


def load_profiler() -> Any:
    """pyinstrument's ``Profiler`` class, or exit with how to install it."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        sys.exit("pyinstrument is not installed. Install it into the venv with:\n"
                 "  .venv/bin/pip install pyinstrument")
    return Profiler


def build_once(project: Path, site: Path) -> None:
    """One MkDocs build of ``project`` into ``site``, as ``mkdocs build --strict`` does it."""
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from inprocess import build_in_process

    show_mkdocs_warnings()
    build_in_process(project, site)


def show_mkdocs_warnings() -> None:
    """Print MkDocs' warnings and errors as its command line does (a library build logs nowhere)."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    handler.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(handler)


def flat_top(text: str, top: int) -> str:
    """The first ``top`` entries of pyinstrument's flat text output, with its header."""
    lines = text.splitlines()
    return "\n".join(lines[: top + 8])


def profile_build(project: Path, site: Path, top: int) -> None:
    """Build ``project`` under pyinstrument and print the flat top entries and the call tree."""
    profiler_class = load_profiler()
    profiler = profiler_class(interval=0.001)
    from mkdocs.exceptions import Abort

    profiler.start()
    try:
        build_once(project, site)
    except Abort as exc:
        sys.exit(f"The build failed ({exc}); see the messages above.")
    finally:
        profiler.stop()
    print(f"== top {top} functions by own time ==")
    print(flat_top(profiler.output_text(flat=True, flat_time="self"), top))
    print(f"\n== top {top} functions by total time (including callees) ==")
    print(flat_top(profiler.output_text(flat=True, flat_time="total"), top))
    print("\n== call tree (frames under 1% hidden; MkDocs, Material and Markdown frames shown) ==")
    print(profiler.output_text(processor_options={"filter_threshold": 0.01, "show_regex": TREE_SHOW}))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sheets", type=int, default=DEFAULT_SHEETS,
                        help=f"sheets in the generated project (default: {DEFAULT_SHEETS})")
    parser.add_argument("--project", type=Path, metavar="DIR",
                        help="profile this existing project instead of generating one")
    parser.add_argument("--top", type=int, default=DEFAULT_TOP,
                        help=f"how many functions to list (default: {DEFAULT_TOP})")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Generate (or reuse) a project, profile one build of it, print the profile."""
    args = parse_args(argv)
    load_profiler()  # fail before the slow part if pyinstrument is missing
    with tempfile.TemporaryDirectory(prefix="explainer-profile-") as tmp:
        code = snapshot_code(Path(tmp) / "code")  # as scale.py: immune to edits made meanwhile
        use_code(code)
        if args.project is not None:
            project = args.project.resolve()
        else:
            project = make_project(Path(tmp) / "project", args.sheets, source=code)
            print(f"generated a project of {args.sheets} sheets")
        profile_build(project, Path(tmp) / "site", args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
