"""The ``explainer`` command: check content, scaffold sheets, refresh the JSON Schemas."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from generator import schema
from generator.errors import ContentErrors, ExplainerError
from generator.pipeline import Project, check, summarise
from generator.scaffold import new_sheet


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="explainer", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path("."),
                        help="the project folder (default: the current folder)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check_cmd = commands.add_parser("check", help="validate all content and report every problem")
    check_cmd.add_argument(
        "--format", choices=("text", "github"), default=None,
        help="'github' prints GitHub Actions annotations (the default when GITHUB_ACTIONS=true)")
    new_cmd = commands.add_parser("new", help="write a ready-to-fill sheet")
    new_cmd.add_argument("kind", help="actor, equipment, agreement, place or event (or the plural)")
    new_cmd.add_argument("name", help='the entity\'s name, e.g. "Khalifa Haftar"')
    schema_cmd = commands.add_parser("schema", help="write the sheets' JSON Schemas to schema/")
    schema_cmd.add_argument("--check", action="store_true",
                            help="only report whether the committed schemas are up to date")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (0 good, 1 bad content, 2 bad usage)."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        if args.command == "check":
            github = args.format == "github" or (
                args.format is None and os.environ.get("GITHUB_ACTIONS") == "true")
            return _check(Project.at(args.root), github)
        if args.command == "new":
            path = new_sheet(args.root / "content", args.kind, args.name)
            print(f"Wrote {path.relative_to(args.root).as_posix()}. Fill it in, then run "
                  "'explainer check'.")
            return 0
        return _schema(args.root, only_check=args.check)
    except ExplainerError as exc:
        print(exc.format_message(), file=sys.stderr)
        return exc.exit_code


def _check(project: Project, github: bool) -> int:
    try:
        resolved = check(project)
    except ContentErrors as exc:
        if github:
            for problem in exc.problems:
                print(problem.github())
        print(exc.format_message(), file=sys.stderr)
        return exc.exit_code
    print(f"OK: {summarise(resolved).format()}")
    return 0


def _schema(root: Path, *, only_check: bool) -> int:
    if only_check:
        stale = schema.stale(root)
        for name in stale:
            print(f"{name}: out of date. Run 'explainer schema' and commit the result.",
                  file=sys.stderr)
        return 1 if stale else 0
    for written in schema.write(root):
        print(f"Wrote {written.relative_to(root).as_posix()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
