#!/usr/bin/env python3
"""Time two commands in turn (A B A B ...) and give their ratio run by run.

Usage:
  python3 scripts/paired.py [-n RUNS] [--warmup W] [--settle GLOB] -- A_COMMAND --vs B_COMMAND

Each command is several words, or one string split as a shell splits words (no shell is
started: write `sh -c '...'` for a pipe). Both run RUNS times (default 5) after W unmeasured runs each
(default 1), alternating, so that a drift in the machine's speed moves both alike. A run is
timed from outside as a whole process: wall seconds from a monotonic clock around start and
reaping, user and system seconds and peak memory (largest resident set, MiB) from the
kernel's accounting of the reaped child (`wait4`; it cannot read below this script's own
size, about 15 MiB, which the child has before it starts the command). Output goes to
/dev/null.

`--settle GLOB` (repeatable) waits, unmeasured, before every run until no path matches GLOB:
give it the folders a build leaves to be deleted in the background (tongxin's old output,
`OUT/../.NAME.old-*`), so that one command's background work does not slow the next.

Prints min, median and max of every figure, and of A/B for wall, user and CPU (user +
system) taken pair by pair. Quote the medians. Exit 0 when every run was started (their
own exit codes are printed); 2 for unusable arguments.
"""

import argparse
import glob
import os
import shlex
import statistics
import subprocess
import sys
import time


def settle(patterns, limit=120.0):
    """Waits until no path matches any of `patterns` (at most `limit` seconds)."""
    deadline = time.monotonic() + limit
    while any(glob.glob(p) for p in patterns):
        if time.monotonic() > deadline:
            print(f"paired.py: still there after {limit:.0f} s: {patterns}", file=sys.stderr)
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


def row(name, values, fmt="{:>10.3f}"):
    lo, mid, hi = min(values), statistics.median(values), max(values)
    return f"{name:<14}" + "".join(fmt.format(v) for v in (lo, mid, hi))


def main():
    args = sys.argv[1:]
    if "--" not in args or "--vs" not in args:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    split = args.index("--")
    parser = argparse.ArgumentParser(prog="paired.py")
    parser.add_argument("-n", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--settle", action="append", default=[])
    opts = parser.parse_args(args[:split])
    rest = args[split + 1:]
    vs = rest.index("--vs")
    a, b = words(rest[:vs]), words(rest[vs + 1:])
    if not a or not b or opts.n < 1 or opts.warmup < 0:
        print("paired.py: need A and B commands and RUNS >= 1", file=sys.stderr)
        return 2
    runs = {"A": [], "B": []}
    codes = {"A": set(), "B": set()}
    for i in range(opts.warmup + opts.n):
        for name, argv in (("A", a), ("B", b)):
            settle(opts.settle)
            try:
                result = run_once(argv)
            except OSError as e:
                print(f"paired.py: cannot start {name}: {e}", file=sys.stderr)
                return 2
            codes[name].add(result[4])
            if i >= opts.warmup:
                runs[name].append(result)
    settle(opts.settle)
    print(f"{'':<14}{'min':>10}{'median':>10}{'max':>10}   (n = {opts.n} each)")
    for name in ("A", "B"):
        r = runs[name]
        print(row(f"{name} wall s", [x[0] for x in r]))
        print(row(f"{name} user s", [x[1] for x in r]))
        print(row(f"{name} sys s", [x[2] for x in r]))
        print(row(f"{name} cpu s", [x[1] + x[2] for x in r]))
        print(row(f"{name} peak MiB", [x[3] for x in r], "{:>10.1f}"))
    pairs = list(zip(runs["A"], runs["B"]))
    ratio = lambda x, y: x / y if y > 0 else float("nan")
    print(row("A/B wall", [ratio(x[0], y[0]) for x, y in pairs], "{:>10.4f}"))
    print(row("A/B user", [ratio(x[1], y[1]) for x, y in pairs], "{:>10.4f}"))
    print(row("A/B cpu", [ratio(x[1] + x[2], y[1] + y[2]) for x, y in pairs], "{:>10.4f}"))
    print(f"exit codes: A {sorted(codes['A'])}, B {sorted(codes['B'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
