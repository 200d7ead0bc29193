#!/usr/bin/env python3
"""Compare tongxin's and Pagefind's hit lists for the same queries.

    python3 scripts/search_compare.py TONGXIN.json PAGEFIND.json [--content DIR]

TONGXIN.json: from `scripts/search_bench.py OUT QUERY... --json TONGXIN.json`.
PAGEFIND.json: from `node scripts/search_pagefind.mjs BASE OUT.json QUERY...`.
--content: the site's Markdown folder; with it the ground truth (pages whose
text, markup stripped as in scripts/search_segmentation.py, contains the query
string) is added, with each engine's recall and precision against it. Page
URLs are derived from content paths the way the generated corpus lays them out
(news/S/DATE-n-000123.md -> /news/S/n-000123/, members/m-000123.md ->
/members/m-000123/, wenshi/s-001/w-000123.md -> /wenshi/s-001/w-000123/).
Python 3 standard library only.
"""

import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def url_of(rel):
    rel = rel.replace(os.sep, "/")
    if rel.endswith("_index.md"):
        return None  # section pages are not in either index
    m = re.match(r"news/([^/]+)/.*?(n-\d+)\.md$", rel)
    if m:
        return f"/news/{m.group(1)}/{m.group(2)}/"
    m = re.match(r"(members/m-\d+|wenshi/[^/]+/w-\d+)\.md$", rel)
    if m:
        return f"/{m.group(1)}/"
    return None


def pct(a, b):
    return "–" if not b else f"{100 * a / b:.1f}%"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("tongxin")
    ap.add_argument("pagefind")
    ap.add_argument("--content", metavar="DIR")
    args = ap.parse_args()
    with open(args.tongxin, encoding="utf-8") as f:
        tx = {q["query"]: q for q in json.load(f)["queries"]}
    with open(args.pagefind, encoding="utf-8") as f:
        pf = {q["query"]: q for q in json.load(f)}
    truth_of = None
    if args.content:
        from search_segmentation import load_pages
        pages = [(url_of(rel), text) for rel, text in load_pages(args.content)]
        pages = [(u, t) for u, t in pages if u]

        def truth_of(q):
            return {u for u, t in pages if q in t}

    head = "| query | tongxin hits | Pagefind hits | both | only tongxin | only Pagefind | Jaccard |"
    sep = "|---|---:|---:|---:|---:|---:|---:|"
    if truth_of:
        head += " pages holding the string | tongxin R / P | Pagefind R / P |"
        sep += "---:|---|---|"
    print(head)
    print(sep)
    for q, t in tx.items():
        if q not in pf:
            continue
        a, b = set(t["urls"]), set(pf[q]["urls"])
        row = (f"| {q} | {len(a)} | {len(b)} | {len(a & b)} | {len(a - b)} | {len(b - a)} | "
               f"{pct(len(a & b), len(a | b))} |")
        if truth_of:
            g = truth_of(q)
            row += (f" {len(g)} | {pct(len(a & g), len(g))} / {pct(len(a & g), len(a))} | "
                    f"{pct(len(b & g), len(g))} / {pct(len(b & g), len(b))} |")
        print(row)


if __name__ == "__main__":
    main()
