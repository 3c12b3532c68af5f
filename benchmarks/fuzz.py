"""Fuzz the explainer with mutated copies of the repository's own content (issue 14).

Each case copies the project, applies one mutation from ``tests/fuzzing.py`` (every class in
turn, shuffled by the seed) and runs ``explainer check`` on it in a forked child with a
timeout, a memory limit and an audit hook that records every file touched outside the
project; when the check passes, the core renders the site and every page's front matter is
parsed as MkDocs parses it. Prints the outcome counts overall and per mutation class, then
one smallest reproducer per distinct failure signature.

    .venv/bin/python benchmarks/fuzz.py                      # 3,000 cases, seed 14
    .venv/bin/python benchmarks/fuzz.py --cases 300 --seed 1
    .venv/bin/python benchmarks/fuzz.py --only 17 --keep /tmp/case   # rebuild one case and keep it
    .venv/bin/python benchmarks/fuzz.py --mkdocs 10          # also 10 real `mkdocs build --strict`

The last line reads ``fuzz: cases=... clean=... accepted=... crash=...`` for comparing runs.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import fuzz_harness as harness
from fuzzing import MUTATIONS


def main(argv: list[str] | None = None) -> int:
    """Run the fuzz cases and print the report; exit 1 if any case broke a property."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=3,
                        help="cases at a time (a hung case sleeps, so more than the cores pays)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds before a case counts as a hang")
    parser.add_argument("--memory", type=int, default=2048, help="address-space limit of a case, in MiB")
    parser.add_argument("--slow", type=float, default=3.0, help="seconds after which a case is reported slow")
    parser.add_argument("--only", type=lambda s: tuple(int(i) for i in s.split(",")),
                        help="comma-separated case numbers to run (of the same seed)")
    parser.add_argument("--class", dest="classes", action="append", choices=sorted(MUTATIONS),
                        help="run only this mutation class (repeatable); renumbers the cases")
    parser.add_argument("--keep", type=Path, help="keep the workspace (every case's project) in this folder")
    parser.add_argument("--mkdocs", type=int, default=0, metavar="K",
                        help="also build K sampled accepted cases with the real `mkdocs build --strict`")
    parser.add_argument("--json", type=Path, help="write every case's result to this file")
    parser.add_argument("--all-findings", action="store_true",
                        help="print reproducers for message findings too, not only failures")
    args = parser.parse_args(argv)
    # On SIGTERM, unwind like Ctrl-C so that running cases are killed and the workspace removed.
    signal.signal(signal.SIGTERM, lambda number, frame: signal.default_int_handler(number, frame))
    settings = harness.Settings(
        seed=args.seed, cases=args.cases, workers=args.workers, timeout=args.timeout,
        memory=args.memory << 20, slow=args.slow, only=args.only, keep=args.keep,
        mutations=tuple(args.classes) if args.classes else None)
    workspace = harness.Workspace(root=args.keep)
    started = time.monotonic()
    done = 0

    def progress(result: harness.Result) -> None:
        nonlocal done
        done += 1
        if done % 250 == 0:
            print(f"  {done} cases, {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)

    try:
        results = harness.run(settings, workspace, progress)
        elapsed = time.monotonic() - started
        findings = harness.mkdocs_titles(workspace, settings, results, args.mkdocs) if args.mkdocs else []
    finally:
        if args.keep is None:
            workspace.close()
    counts = harness.summary(results)
    print(f"Fuzzing {len(results)} cases ({len(MUTATIONS)} mutation classes, seed {settings.seed}, "
          f"{settings.workers} workers, timeout {settings.timeout:g} s) took {elapsed:.0f} s.\n")
    print(harness.table(results))
    flags = (*harness.FAILURES, *harness.FINDINGS) if args.all_findings else harness.FAILURES
    print("\nDistinct signatures (all flags), cases each:")
    for (flag, signature), cases in harness.signatures(results).items():
        print(f"  {len(cases):5d}  [{flag}] {signature}")
    print("\nReproducers, one per signature:\n")
    print(harness.reproducers(results, settings, flags))
    if args.mkdocs:
        print(f"\nReal MkDocs builds of {args.mkdocs} accepted cases:")
        print("\n".join(f"  {line}" for line in findings) or "  every page kept its title")
    if args.json:
        args.json.write_text(json.dumps(harness.to_json(results), indent=1), encoding="utf-8")
    print("\nfuzz: " + " ".join(f"{key}={value}" for key, value in counts.items())
          + f" seconds={elapsed:.0f}")
    return 1 if harness.failures(results) or findings else 0


if __name__ == "__main__":
    raise SystemExit(main())
