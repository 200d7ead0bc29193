#!/usr/bin/env python3
"""Writes a 错敏词 dictionary of N rules (default 500) for benchmarks: the sample site's
check/words.toml rules, then generated two- to six-character phrases built from common
characters (most never occur, as in a real dictionary), a few of them common words.

Usage: python3 scripts/gen_words.py OUT.toml [N] [--seed 1]
"""
import random
import sys

COMMON = "政协委员会议协商民主监督提案工作调研发展建设经济社会文化教育卫生城乡服务群众代表全体常务主席副秘书长机关界别专门党派团体组织学习宣传报告意见建议落实推进加强完善"


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    out = args[0]
    n = int(args[1]) if len(args) > 1 else 500
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 1
    rng = random.Random(seed)
    base = open("check/words.toml", encoding="utf-8").read()
    rules = base.count("[[rule]]")
    lines = [base.rstrip(), ""]
    seen = set()
    while rules < n:
        k = rng.randint(2, 6)
        wrong = "".join(rng.choice(COMMON) for _ in range(k))
        if wrong in seen:
            continue
        seen.add(wrong)
        level = "warning" if rng.random() < 0.3 else "error"
        lines += ["[[rule]]", f'wrong = "{wrong}"', f'right = "{wrong[::-1]}"', f'level = "{level}"', ""]
        rules += 1
    open(out, "w", encoding="utf-8").write("\n".join(lines))
    print(f"{rules} rules -> {out}")


if __name__ == "__main__":
    main()
