#!/usr/bin/env python3
"""Recall and precision of bigram AND matching vs dictionary segmentation (jieba).

    pip install jieba
    python3 scripts/search_segmentation.py [CONTENT_DIR ...] [--seed 1] [--per-length 100]
                                           [--json FILE] [--no-search-mode]

CONTENT_DIR: folders of Markdown pages (default: content/ and
target/bench/site-10000/content/ when it exists). Each is one corpus.

Per corpus:
- page text = title + description + body, markup stripped roughly (front
  matter, fenced code blocks, HTML tags, link targets, Markdown markers); a
  line break between two Chinese characters is joined as tongxin does.
- ground truth: the pages whose text contains the query string.
- (a) bigram: tongxin's terms (scripts/search_bench.py mirrors
  src/search/tokenize.rs): a page matches when it holds every bigram of the
  query (every character for a 1-character query).
- (b) jieba: jieba.lcut (default dictionary, HMM on) for the pages and for the
  query; a page matches when its token set holds every query token.
- (c) jieba search mode (extra, --no-search-mode drops it): the index takes
  jieba.lcut_for_search tokens (words plus their dictionary sub-words), the
  query is still cut with jieba.lcut.
- queries: --per-length random 2-, 3- and 4-character substrings of pure
  Chinese characters (uniform page, then uniform position; distinct; seeded),
  plus 20 common 政协 terms.

Prints recall and precision (micro: summed over queries; macro: mean over
queries) per method and query group, and examples of misses.
"""

import argparse
import bisect
import json
import os
import random
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from search_bench import query_terms, runs  # noqa: E402  (same cutting as search.js)

COMMON = ["协商", "民主监督", "提案", "委员", "政协委员", "履职", "界别", "文史", "调研", "常委会",
          "政治协商", "参政议政", "建言资政", "凝聚共识", "专委会", "主席会议", "提案办理",
          "民主党派", "统一战线", "社情民意"]

HAN = re.compile(r"[\u4e00-\u9fff]+")
CJK = "\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"


def index_terms(text):
    """src/search/tokenize.rs index_terms: words, CJK bigrams and single characters."""
    terms = set()
    for k, chars in runs(text):
        if k == "w":
            terms.add("".join(chars))
        else:
            terms.update(chars[i] + chars[i + 1] for i in range(len(chars) - 1))
            terms.update(chars)
    return terms


FRONT = re.compile(r"\A\+\+\+\n(.*?)\n\+\+\+\n?|\A---\n(.*?)\n---\n?", re.S)


def front_value(front, key):
    m = re.search(rf'^{key}\s*[=:]\s*"?(.*?)"?\s*$', front, re.M)
    return m.group(1) if m else ""


def strip_markdown(body):
    body = re.sub(r"^(```|~~~).*?^\1[^\n]*$", " ", body, flags=re.S | re.M)  # fenced code
    body = re.sub(r"<!--.*?-->", " ", body, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)  # HTML tags
    body = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", body)  # images -> alt
    body = re.sub(r"\[\^[^\]]*\]:?", " ", body)  # footnote marks
    body = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", body)  # links -> text
    body = re.sub(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+", "", body, flags=re.M)  # block markers
    body = re.sub(r"^\s*\|?\s*:?-{3,}.*$", " ", body, flags=re.M)  # table rules
    body = re.sub(r"[|*_`~]", " ", body)
    # A soft line break inside Chinese text joins without a gap (tongxin's joins_without_space).
    body = re.sub(rf"(?<=[{CJK}，。、；：！？（）“”《》])\n(?=[{CJK}，。、；：！？（）“”《》])", "", body)
    return body


def load_pages(content_dir):
    pages = []
    for dirpath, _, files in os.walk(content_dir):
        for name in sorted(files):
            if not name.endswith(".md"):
                continue
            path = os.path.join(dirpath, name)
            with open(path, encoding="utf-8") as f:
                raw = f.read()
            m = FRONT.match(raw)
            front = (m.group(1) or m.group(2)) if m else ""
            body = raw[m.end():] if m else raw
            title = front_value(front, "title")
            desc = front_value(front, "description")
            text = "\n".join(x for x in (title, desc, strip_markdown(body)) if x)
            pages.append((os.path.relpath(path, content_dir), text))
    pages.sort()
    return pages


def draw_queries(texts, per_length, seed):
    rng = random.Random(seed)
    out = []
    for length in (2, 3, 4):
        seen = set()
        tries = 0
        while len(seen) < per_length and tries < per_length * 10000:
            tries += 1
            t = texts[rng.randrange(len(texts))]
            if len(t) < length:
                continue
            i = rng.randrange(len(t) - length + 1)
            s = t[i:i + length]
            if HAN.fullmatch(s) and s not in seen:
                seen.add(s)
                out.append((f"random-{length}", s))
    out.extend(("common", q) for q in COMMON)
    return out


def jieba_query_tokens(jieba, q):
    return sorted({w.lower() for w in jieba.lcut(q) if w.strip()})


class Corpus:
    def __init__(self, content_dir, jieba, search_mode):
        t0 = time.time()
        self.dir = content_dir
        self.pages = load_pages(content_dir)
        self.texts = [t for _, t in self.pages]
        # One string for fast substring scans; page k starts at starts[k].
        self.starts, pos = [], 0
        for t in self.texts:
            self.starts.append(pos)
            pos += len(t) + 1
        self.blob = "\x00".join(self.texts)
        self.chars = pos
        self.load_s = time.time() - t0
        self.jieba = jieba
        self.search_mode = search_mode

    def truth(self, q):
        hits, at = set(), self.blob.find(q)
        while at >= 0:
            k = bisect.bisect_right(self.starts, at) - 1
            hits.add(k)
            nxt = self.starts[k + 1] if k + 1 < len(self.starts) else len(self.blob)
            at = self.blob.find(q, nxt)  # next page
        return hits

    def build(self, queries):
        """Postings, for the terms the queries need only."""
        jieba = self.jieba
        need_bi = set()
        need_jb = set()
        self.q_bi, self.q_jb = {}, {}
        for _, q in queries:
            self.q_bi[q] = query_terms(q)
            self.q_jb[q] = jieba_query_tokens(jieba, q)
            need_bi.update(self.q_bi[q])
            need_jb.update(self.q_jb[q])
        self.post = {"bigram": {t: set() for t in need_bi},
                     "jieba": {t: set() for t in need_jb}}
        if self.search_mode:
            self.post["jieba-search"] = {t: set() for t in need_jb}
        timing = {}
        t0 = time.time()
        for k, text in enumerate(self.texts):
            for t in index_terms(text) & need_bi:
                self.post["bigram"][t].add(k)
        timing["bigram"] = time.time() - t0
        t0 = time.time()
        for k, text in enumerate(self.texts):
            for t in {w.lower() for w in jieba.lcut(text)} & need_jb:
                self.post["jieba"][t].add(k)
        timing["jieba"] = time.time() - t0
        if self.search_mode:
            t0 = time.time()
            for k, text in enumerate(self.texts):
                for t in {w.lower() for w in jieba.lcut_for_search(text)} & need_jb:
                    self.post["jieba-search"][t].add(k)
            timing["jieba-search"] = time.time() - t0
        self.timing = timing

    def retrieve(self, method, q):
        terms = self.q_bi[q] if method == "bigram" else self.q_jb[q]
        post = self.post[method]
        if not terms:
            return set()
        sets = sorted((post.get(t, set()) for t in terms), key=len)
        out = set(sets[0])
        for s in sets[1:]:
            out &= s
        return out

    def context_tokens(self, k, q, mode="lcut"):
        """jieba's tokens around the first occurrence of q in page k."""
        text = self.texts[k]
        at = text.find(q)
        cut = self.jieba.lcut if mode == "lcut" else self.jieba.lcut_for_search
        # Segment the page's line holding q (jieba cuts lines independently).
        ls = text.rfind("\n", 0, at) + 1
        le = text.find("\n", at)
        le = len(text) if le < 0 else le
        line = text[ls:le]
        toks, pos, out = cut(line), 0, []
        rel = at - ls
        for w in toks:
            if pos + len(w) > rel - 4 and pos < rel + len(q) + 4:
                out.append(w)
            pos += len(w)
        return out


def metrics(rows):
    """rows: [(tp, retrieved, relevant)] -> dict."""
    tp = sum(r[0] for r in rows)
    ret = sum(r[1] for r in rows)
    rel = sum(r[2] for r in rows)
    recs = [r[0] / r[2] for r in rows if r[2]]
    precs = [r[0] / r[1] for r in rows if r[1]]
    return {
        "queries": len(rows),
        "micro_recall": tp / rel if rel else None,
        "micro_precision": tp / ret if ret else None,
        "macro_recall": sum(recs) / len(recs) if recs else None,
        "macro_precision": sum(precs) / len(precs) if precs else None,
        "recall_below_1": sum(1 for r in rows if r[2] and r[0] < r[2]),
        "no_result": sum(1 for r in rows if r[2] and r[1] == 0),
        "precision_below_1": sum(1 for r in rows if r[1] and r[0] < r[1]),
    }


def pct(x):
    return "–" if x is None else f"{100 * x:.1f}%"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", nargs="*", metavar="CONTENT_DIR")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-length", type=int, default=100)
    ap.add_argument("--json", metavar="FILE")
    ap.add_argument("--no-search-mode", action="store_true", help="skip (c) jieba lcut_for_search")
    ap.add_argument("--examples", type=int, default=6)
    args = ap.parse_args()
    try:
        import jieba
    except ImportError:
        sys.exit("search_segmentation: needs jieba (pip install jieba)")
    jieba.setLogLevel(60)
    jieba.initialize()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    dirs = args.dirs or [d for d in (os.path.join(root, "content"),
                                     os.path.join(root, "target/bench/site-10000/content"))
                         if os.path.isdir(d)]
    methods = ["bigram", "jieba"] + ([] if args.no_search_mode else ["jieba-search"])
    report = {"seed": args.seed, "per_length": args.per_length, "jieba": jieba.__version__,
              "corpora": []}
    for d in dirs:
        c = Corpus(d, jieba, not args.no_search_mode)
        queries = draw_queries(c.texts, args.per_length, args.seed)
        c.build(queries)
        print(f"\n## {os.path.relpath(d, root)}: {len(c.pages)} pages, {c.chars:,} characters "
              f"(load {c.load_s:.1f}s; cut: " + ", ".join(f"{m} {s:.1f}s" for m, s in c.timing.items()) + ")")
        per = {m: {} for m in methods}
        detail = []
        for group, q in queries:
            truth = c.truth(q)
            row = {"group": group, "query": q, "relevant": len(truth),
                   "bigram_terms": c.q_bi[q], "jieba_tokens": c.q_jb[q]}
            for m in methods:
                got = c.retrieve(m, q)
                tp = len(got & truth)
                per[m].setdefault(group, []).append((tp, len(got), len(truth)))
                row[m] = {"retrieved": len(got), "tp": tp,
                          "missed": sorted(truth - got)[:3], "extra": sorted(got - truth)[:3]}
            detail.append(row)
        groups = ["random-2", "random-3", "random-4", "common"]
        print("\n| method | queries | recall (micro) | precision (micro) | recall (macro) | precision (macro) "
              "| queries recall<1 | queries with no result | queries precision<1 |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        summary = {}
        for m in methods:
            summary[m] = {}
            for g in groups + ["all random", "all"]:
                if g == "all":
                    rows = [r for gg in groups for r in per[m].get(gg, [])]
                elif g == "all random":
                    rows = [r for gg in groups[:3] for r in per[m].get(gg, [])]
                else:
                    rows = per[m].get(g, [])
                s = metrics(rows)
                summary[m][g] = s
                print(f"| {m} | {g} ({s['queries']}) | {pct(s['micro_recall'])} | {pct(s['micro_precision'])} | "
                      f"{pct(s['macro_recall'])} | {pct(s['macro_precision'])} | {s['recall_below_1']} | "
                      f"{s['no_result']} | {s['precision_below_1']} |")
        # Examples of misses.
        print("\njieba (lcut/lcut) misses, worst recall first:")
        misses = [r for r in detail if r["relevant"] and r["jieba"]["tp"] < r["relevant"]]
        misses.sort(key=lambda r: (r["jieba"]["tp"] / r["relevant"], -r["relevant"]))
        examples = []
        for r in misses[:args.examples]:
            k = r["jieba"]["missed"][0]
            ctx = c.context_tokens(k, r["query"])
            ex = {"query": r["query"], "group": r["group"], "query_tokens": r["jieba_tokens"],
                  "found": r["jieba"]["tp"], "relevant": r["relevant"], "page": c.pages[k][0],
                  "page_tokens": ctx}
            if "jieba-search" in methods:
                ex["found_search_mode"] = r["jieba-search"]["tp"]
            examples.append(ex)
            print(f"- {r['query']} ({r['group']}): query → {'/'.join(r['jieba_tokens'])}; "
                  f"found {r['jieba']['tp']} of {r['relevant']}; in {c.pages[k][0]} jieba cut "
                  f"{'/'.join(ctx)}" + (f"; search mode found {r['jieba-search']['tp']}"
                                       if 'jieba-search' in methods else ""))
        print("\nbigram false positives, worst precision first:")
        fps = [r for r in detail if r["bigram"]["retrieved"] > r["bigram"]["tp"]]
        fps.sort(key=lambda r: (r["bigram"]["tp"] / r["bigram"]["retrieved"], -r["bigram"]["retrieved"]))
        fp_examples = []
        for r in fps[:args.examples]:
            k = r["bigram"]["extra"][0]
            text = c.texts[k]
            where = []
            for t in r["bigram_terms"]:
                i = text.find(t)
                where.append(text[max(0, i - 3):i + len(t) + 3].replace("\n", " "))
            fp_examples.append({"query": r["query"], "retrieved": r["bigram"]["retrieved"],
                                "tp": r["bigram"]["tp"], "page": c.pages[k][0], "contexts": where})
            print(f"- {r['query']} ({r['group']}): {r['bigram']['retrieved']} pages, {r['bigram']['tp']} hold it; "
                  f"{c.pages[k][0]} has " + " … ".join(f"「{w}」" for w in where))
        report["corpora"].append({"dir": d, "pages": len(c.pages), "chars": c.chars, "timing": c.timing,
                                  "summary": summary, "miss_examples": examples,
                                  "false_positive_examples": fp_examples, "queries": detail})
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, ensure_ascii=False, indent=1)
        print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()
