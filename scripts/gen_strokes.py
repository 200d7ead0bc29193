#!/usr/bin/env python3
"""Regenerates data/han_strokes.bin and data/han_stroke_rank.bin.

Inputs (not committed; install them to regenerate):
  - Unihan kTotalStrokes from Debian's `unicode-data` package
    (/usr/share/unicode/Unihan_IRGSources.txt.bz2), Unicode License.
  - The per-character stroke-order rank of the MIT-licensed PyPI package `cn-sort`
    (cn_sort/res/all_word.json, field `stroke_increment_level`): characters ordered by
    stroke count, then by the shapes of their strokes in the order 横竖撇点折.

Usage: python3 scripts/gen_strokes.py PATH/TO/all_word.json

Output formats (little-endian):
  han_strokes.bin      repeated records: u32 first code point, u32 count, then `count`
                       bytes, each a kTotalStrokes value (0 = unknown)
  han_stroke_rank.bin  u32 first code point, u32 count, then `count` u16 ranks (0 = unknown)
"""
import bz2
import json
import re
import struct
import sys

UNIHAN = "/usr/share/unicode/Unihan_IRGSources.txt.bz2"


def strokes():
    out = {}
    with bz2.open(UNIHAN, "rt", encoding="utf-8") as f:
        for line in f:
            m = re.match(r"U\+([0-9A-F]+)\tkTotalStrokes\t(\d+)", line)
            if m:
                # The first value is the count for the form used in China (GB sources).
                out[int(m.group(1), 16)] = int(m.group(2))
    return out


def runs(points):
    """Groups sorted code points into runs with gaps of at most 64 unknowns."""
    points = sorted(points)
    start = prev = points[0]
    for p in points[1:]:
        if p - prev > 64:
            yield start, prev
            start = p
        prev = p
    yield start, prev


def main():
    counts = strokes()
    with open("data/han_strokes.bin", "wb") as f:
        for a, b in runs(counts):
            f.write(struct.pack("<II", a, b - a + 1))
            f.write(bytes(min(counts.get(p, 0), 255) for p in range(a, b + 1)))
    ranks = {}
    for e in json.load(open(sys.argv[1], encoding="utf-8"))["all_word"]:
        c = e["chinese"]
        if len(c) == 1 and ord(c) >= 0x3400:
            ranks[ord(c)] = e["stroke_increment_level"]
    # Dense ranks from 1, in the package's order.
    order = {p: i + 1 for i, p in enumerate(sorted(ranks, key=lambda p: ranks[p]))}
    lo, hi = min(order), max(order)
    with open("data/han_stroke_rank.bin", "wb") as f:
        f.write(struct.pack("<II", lo, hi - lo + 1))
        f.write(b"".join(struct.pack("<H", order.get(p, 0)) for p in range(lo, hi + 1)))
    print(f"{len(counts)} stroke counts, {len(order)} ranks")


if __name__ == "__main__":
    main()
