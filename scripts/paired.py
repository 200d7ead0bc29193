#!/usr/bin/env python3
"""Time two commands in turn (A B A B ...) and give their ratio run by run.

Usage:
  python3 scripts/paired.py [-n RUNS] [--warmup W] [--settle GLOB] -- A_COMMAND --vs B_COMMAND

Each command is several words, or one string split as a shell splits words (no shell is
started: write `sh -c '...'` for a pipe; a one-word command whose path holds a space must be
quoted inside the string). Both run RUNS times (default 5) after W unmeasured runs each
(default 1), alternating, so that a drift in the machine's speed moves both alike. A run is
timed from outside as a whole process: wall seconds from a monotonic clock around start and
reaping, user and system seconds and peak memory (largest resident set, MiB) from the
kernel's accounting of the reaped child (`wait4`; it cannot read below this script's own
size, about 15 MiB, which the child has before it starts the command). Output goes to
/dev/null.

`--settle GLOB` (repeatable) waits, unmeasured, before every run until no path matches GLOB:
give it the folders a build leaves to be deleted in the background (tongxin's old output,
`OUT/../.NAME.old-*`), so that one command's background work does not slow the next. The
waits share one bound of 300 s; past it, runs start unsettled and the result says so.

Prints min, median and max of every figure, and of A/B for wall, user and CPU (user +
system) taken pair by pair (a pair whose B figure is 0 has no ratio: it is left out and
counted). Quote the medians. Exit 0 when every run started, exited 0 and was settled; 1
when a run failed or started unsettled (the table is printed, with a warning above it); 2
for unusable arguments or a command that cannot start.
"""

import argparse
import glob
import os
import shlex
import statistics
import subprocess
import sys
import time

SETTLE_LIMIT = 300.0


class Settler:
    """Waits until no path matches the patterns, within one bound for the whole call."""

    def __init__(self, patterns):
        self.patterns = patterns
        self.deadline = time.monotonic() + SETTLE_LIMIT
        self.unsettled = 0

    def wait(self):
        while any(glob.glob(p) for p in self.patterns):
            if time.monotonic() > self.deadline:
                self.unsettled += 1
                return
            time.sleep(0.02)


def run_once(argv):
    """One whole-process run: (wall s, user s, sys s, peak MiB, exit code)."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime, usage.ru_stime, usage.ru_maxrss / 1024.0, proc.returncode


def words(given):
    """A command given as one string (split as a shell would) or as several words."""
    return shlex.split(given[0]) if len(given) == 1 else list(given)


def row(name, values, fmt="{:>10.3f}", note=""):
    lo, mid, hi = min(values), statistics.median(values), max(values)
    return f"{name:<14}" + "".join(fmt.format(v) for v in (lo, mid, hi)) + note


def ratio_row(name, pairs):
    """A/B over the pairs whose B is above 0; the others are counted, not averaged in."""
    ratios = [a / b for a, b in pairs if b > 0]
    left_out = len(pairs) - len(ratios)
    note = f"   ({left_out} of {len(pairs)} pairs left out: B was 0)" if left_out else ""
    if not ratios:
        return f"{name:<14}{'—':>10}{'—':>10}{'—':>10}{note}"
    return row(name, ratios, "{:>10.4f}", note)


def usage_error(message):
    print(f"paired.py: {message}", file=sys.stderr)
    print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
    return 2


def parse(args):
    """(options, A argv, B argv), or an exit code for unusable arguments."""
    if "--" not in args:
        return usage_error("no `--` before the commands")
    split = args.index("--")
    rest = args[split + 1:]
    if "--vs" not in rest:
        return usage_error("no `--vs` after `--` and command A")
    parser = argparse.ArgumentParser(prog="paired.py", add_help=False)
    parser.add_argument("-n", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--settle", action="append", default=[])
    opts, unknown = parser.parse_known_args(args[:split])
    if unknown:
        return usage_error(f"unknown options before `--`: {' '.join(unknown)}")
    if opts.n < 1 or opts.warmup < 0:
        return usage_error("RUNS must be 1 or more and W 0 or more")
    vs = rest.index("--vs")
    try:
        a, b = words(rest[:vs]), words(rest[vs + 1:])
    except ValueError as e:
        return usage_error(f"cannot split a command: {e}")
    if not a or not b:
        return usage_error("command A or B is empty")
    return opts, a, b


def main():
    args = sys.argv[1:]
    if args[:1] in (["-h"], ["--help"]):
        print(__doc__.strip())
        return 0
    parsed = parse(args)
    if isinstance(parsed, int):
        return parsed
    opts, a, b = parsed
    runs = {"A": [], "B": []}
    codes = {"A": set(), "B": set()}
    settler = Settler(opts.settle)
    for i in range(opts.warmup + opts.n):
        for name, argv in (("A", a), ("B", b)):
            settler.wait()
            try:
                result = run_once(argv)
            except OSError as e:
                print(f"paired.py: cannot start {name}: {e}", file=sys.stderr)
                return 2
            codes[name].add(result[4])
            if i >= opts.warmup:
                runs[name].append(result)
    settler.wait()
    failed = any(code != 0 for name in codes for code in codes[name])
    if failed:
        print(f"WARNING: a run failed (exit codes: A {sorted(codes['A'])}, "
              f"B {sorted(codes['B'])}): its times are in the table")
    if settler.unsettled:
        print(f"WARNING: {settler.unsettled} runs started before {opts.settle} cleared "
              f"(the waits' bound is {SETTLE_LIMIT:.0f} s)")
    print(f"{'':<14}{'min':>10}{'median':>10}{'max':>10}   (n = {opts.n} each)")
    for name in ("A", "B"):
        r = runs[name]
        print(row(f"{name} wall s", [x[0] for x in r]))
        print(row(f"{name} user s", [x[1] for x in r]))
        print(row(f"{name} sys s", [x[2] for x in r]))
        print(row(f"{name} cpu s", [x[1] + x[2] for x in r]))
        print(row(f"{name} peak MiB", [x[3] for x in r], "{:>10.1f}"))
    pairs = list(zip(runs["A"], runs["B"]))
    print(ratio_row("A/B wall", [(x[0], y[0]) for x, y in pairs]))
    print(ratio_row("A/B user", [(x[1], y[1]) for x, y in pairs]))
    print(ratio_row("A/B cpu", [(x[1] + x[2], y[1] + y[2]) for x, y in pairs]))
    print(f"exit codes: A {sorted(codes['A'])}, B {sorted(codes['B'])}")
    return 1 if failed or settler.unsettled else 0


if __name__ == "__main__":
    sys.exit(main())
