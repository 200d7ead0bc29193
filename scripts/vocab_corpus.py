#!/usr/bin/env python3
"""Copy a generated corpus with a large vocabulary, to measure the search index's worst case.

    python3 scripts/vocab_corpus.py SRC_SITE OUT_SITE [--seed 7] [--words N]

`scripts/gen_corpus.py` writes its pages from stock sentences, so 10,000 pages hold only about
35,000 distinct search terms (units, pairs, triples). Real news text has far more. This copies
SRC_SITE to OUT_SITE and replaces every Han character in the body of each regular page (not the
front matter, not `_index.md`) by one drawn from 4,000 Han characters with Zipf-like weights
(rank r has weight 1 / r^0.9). Nearly every triple of the result is then distinct: an upper
bound on the vocabulary, where real text lies between the two corpora.

With `--words N`, each run of Han characters is instead rewritten as words drawn from a lexicon
of N made-up words (one character 10%, two 65%, three 15%, four 10%; characters drawn as
above), words with Zipf-like weights (rank r has weight 1 / r): text whose pairs and triples
repeat inside words and vary across them, nearer real news text. Standard library only.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import shutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--words", type=int, default=0, help="lexicon size (0: characters)")
    args = ap.parse_args(argv)
    if args.out.exists():
        print(f"{args.out} exists; remove it first", file=sys.stderr)
        return 2
    shutil.copytree(args.src, args.out)
    r = random.Random(args.seed)
    chars = [chr(0x4E00 + i) for i in r.sample(range(20000), 4000)]
    cum = list(itertools.accumulate(1.0 / (k + 1) ** 0.9 for k in range(len(chars))))

    def pick() -> str:
        return chars[bisect.bisect(cum, r.random() * cum[-1])]

    lengths = [1] * 10 + [2] * 65 + [3] * 15 + [4] * 10
    words = ["".join(pick() for _ in range(r.choice(lengths))) for _ in range(args.words)]
    word_cum = list(itertools.accumulate(1.0 / (k + 1) for k in range(len(words))))

    def run_of(n: int) -> str:
        out = ""
        while len(out) < n:
            out += words[bisect.bisect(word_cum, r.random() * word_cum[-1])]
        return out[:n]

    def rewrite(body: str) -> str:
        if not words:
            return "".join(pick() if "\u4e00" <= c <= "\u9fff" else c for c in body)
        out, i = [], 0
        while i < len(body):
            j = i
            while j < len(body) and "\u4e00" <= body[j] <= "\u9fff":
                j += 1
            if j > i:
                out.append(run_of(j - i))
                i = j
            else:
                out.append(body[i])
                i += 1
        return "".join(out)

    pages = 0
    for path in sorted((args.out / "content").rglob("*.md")):
        if path.name == "_index.md":
            continue
        text = path.read_text(encoding="utf-8")
        if not text.startswith("+++"):
            continue
        end = text.index("+++", 3) + 3
        path.write_text(text[:end] + rewrite(text[end:]), encoding="utf-8")
        pages += 1
    print(f"{pages} pages rewritten in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
