#!/usr/bin/env python3
"""Compare the file trees written by `tongxin build` and by Hugo for one corpus.

    python3 scripts/hugo_compare_outputs.py TONGXIN_OUT HUGO_OUT [--json FILE]

Prints counts of .html and .xml files for both, how many of Hugo's .html files
are pagination redirect stubs (`.../page/1/index.html`, a `<meta
http-equiv="refresh">` alias Hugo writes for every paginated list), and which
paths only one tool writes. Term folders differ by design (tongxin: pinyin
slugs, `/tags/min-zhu-jian-du/`; Hugo: the term itself, `/tags/民主监督/`),
so paths under `tags/<term>/` are compared as `tags/*/...` multisets.
Python 3.11+, standard library only.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path


def files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def is_redirect(path: Path) -> bool:
    try:
        head = path.read_bytes()[:600]
    except OSError:
        return False
    return b'http-equiv="refresh"' in head or b"http-equiv=refresh" in head


def normalise(rel: str) -> str:
    parts = rel.split("/")
    if len(parts) >= 3 and parts[0] == "tags":
        parts[1] = "*"
    return "/".join(parts)


def count(root: Path) -> dict:
    fl = files(root)
    html = [f for f in fl if f.endswith(".html")]
    xml = [f for f in fl if f.endswith(".xml")]
    redirects = [f for f in html if f.endswith("/page/1/index.html") and is_redirect(root / f)]
    return {
        "files": len(fl),
        "html": len(html),
        "xml": len(xml),
        "redirects": len(redirects),
        "other": len(fl) - len(html) - len(xml),
        "bytes": sum((root / f).stat().st_size for f in fl),
        "_paths": fl,
        "_redirects": set(redirects),
    }


def pattern(rel: str) -> str:
    """Coarse description of a path for the 'only in' listing."""
    parts = rel.split("/")
    out = []
    for p in parts:
        if p.isdigit():
            out.append("N")
        else:
            out.append(p)
    return "/".join(out)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("tongxin_out", type=Path)
    ap.add_argument("hugo_out", type=Path)
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()

    tx = count(a.tongxin_out)
    hu = count(a.hugo_out)
    tx_set = Counter(normalise(f) for f in tx["_paths"])
    hu_set = Counter(normalise(f) for f in hu["_paths"] if f not in hu["_redirects"])
    only_tx = tx_set - hu_set
    only_hu = hu_set - tx_set

    print(f"tongxin: {tx['html']} html, {tx['xml']} xml, {tx['other']} other, "
          f"{tx['bytes'] / 2**20:.1f} MiB")
    print(f"hugo:    {hu['html']} html ({hu['redirects']} of them page/1/ redirect stubs), "
          f"{hu['xml']} xml, {hu['other']} other, {hu['bytes'] / 2**20:.1f} MiB")
    common = sum((tx_set & hu_set).values())
    print(f"same relative path (tags/<term>/ folded, redirects left out): {common}")
    for name, diff in (("only tongxin", only_tx), ("only hugo", only_hu)):
        pats = Counter()
        for p, c in diff.items():
            pats[pattern(p)] += c
        total = sum(diff.values())
        print(f"{name}: {total}" + ("" if total else " (none)"))
        for p, c in pats.most_common(12):
            print(f"    {c:6d}  {p}")
    if a.json:
        a.json.write_text(json.dumps({
            "tongxin": {k: v for k, v in tx.items() if not k.startswith("_")},
            "hugo": {k: v for k, v in hu.items() if not k.startswith("_")},
            "common": common,
            "only_tongxin": sum(only_tx.values()),
            "only_hugo": sum(only_hu.values()),
        }, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
