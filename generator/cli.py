"""The ``explainer`` command: check content, scaffold sheets, build the site, refresh the JSON Schemas."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

import yaml

from generator import publish, schema
from generator.errors import ContentErrors, ExplainerError
from generator.layout import CACHE_FILE, LayoutCache
from generator.pipeline import Project, generate, summarise
from generator.scaffold import new_sheet

PLUGIN = "explainer"
"""The plugin's name in ``mkdocs.yml``, whose options say where content and templates are."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="explainer", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path("."),
                        help="the project folder (default: the current folder)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check_cmd = commands.add_parser(
        "check", help="validate all content, render every page, and report every problem")
    check_cmd.add_argument(
        "--format", choices=("text", "github"), default=None,
        help="'github' prints GitHub Actions annotations (the default when GITHUB_ACTIONS=true)")
    new_cmd = commands.add_parser("new", help="write a ready-to-fill sheet")
    new_cmd.add_argument("kind", help="actor, equipment, agreement, place or event (or the plural)")
    new_cmd.add_argument("name", help='the entity\'s name, e.g. "Khalifa Haftar"')
    build_cmd = commands.add_parser(
        "build", help="build the site strictly beside the published one, then swap it in whole")
    build_cmd.add_argument("--site-dir", type=Path, default=None,
                           help="where the site goes (default: mkdocs.yml's site_dir, or 'site')")
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
            return _check(project_at(args.root), github)
        if args.command == "new":
            path = new_sheet(project_at(args.root).content_dir, args.kind, args.name)
            print(f"Wrote {path.relative_to(args.root).as_posix()}. Fill it in, then run "
                  "'explainer check'.")
            return 0
        if args.command == "build":
            site_dir = args.site_dir or Path(str(_config(args.root / "mkdocs.yml").get("site_dir") or "site"))
            return publish.build(args.root.resolve(), site_dir)
        return _schema(args.root, only_check=args.check)
    except ExplainerError as exc:
        print(exc.format_message(), file=sys.stderr)
        return exc.exit_code


def project_at(root: Path) -> Project:
    """The project at ``root``, with the folders its ``mkdocs.yml`` gives the explainer plugin."""
    options = _plugin_options(root / "mkdocs.yml")
    return Project.at(root, str(options.get("content_dir", "content")),
                      str(options.get("templates_dir", "templates")))


class _ConfigLoader(yaml.SafeLoader):
    """Reads ``mkdocs.yml`` as data: MkDocs' own tags (``!ENV``, ``!relative``) read as plain values."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def _config(config: Path) -> dict[str, Any]:
    """``mkdocs.yml`` as data; empty if it is missing or unreadable (MkDocs will say why)."""
    try:
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def _plugin_options(config: Path) -> dict[str, Any]:
    """The explainer plugin's options in ``config``; none if the file or the plugin is not there."""
    plugins = _config(config).get("plugins")
    entries = plugins.items() if isinstance(plugins, dict) else (
        (next(iter(item.items())) if isinstance(item, dict) and len(item) == 1 else (item, None))
        for item in plugins or [])
    for name, options in entries:
        if name == PLUGIN and isinstance(options, dict):
            return options
    return {}


def _check(project: Project, github: bool) -> int:
    try:
        layouts = LayoutCache(project.root / CACHE_FILE)
        resolved = generate(project, layouts=layouts).resolved
        layouts.save()
    except ContentErrors as exc:
        if github:
            for problem in exc.problems:
                print(problem.github())
        print(exc.format_message(), file=sys.stderr)
        return exc.exit_code
    assert resolved is not None  # generate always records it
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
