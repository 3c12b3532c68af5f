"""The ``explainer`` command: check content without building the site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.errors import ExplainerError
from generator.pipeline import Project, check, summarise


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="explainer", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path("."),
                        help="the project folder (default: the current folder)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="validate all content and report every problem")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (0 good, 1 bad content, 2 bad usage)."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    project = Project.at(args.root)
    try:
        resolved = check(project)
    except ExplainerError as exc:
        print(exc.format_message(), file=sys.stderr)
        return exc.exit_code
    print(f"OK: {summarise(resolved).format()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
