#!/usr/bin/env python3
"""Size of tongxin's search index and the bytes one query downloads.

    python3 scripts/search_bench.py SITE_OUT_DIR [QUERY ...] [--json FILE]

SITE_OUT_DIR is a built tongxin output folder (the one holding search/index/).
Default queries: 协商 (2 characters), 民主监督 (4), 2024年 (mixed), meeting
(an English word; it occurs in the TOML code blocks of the generated corpus).

For each query this follows themes/default/static/tongxin/search.js step by
step: fetch meta.json; cut the query into terms as queryTerms() does; fetch the
shard of every term (counted once per distinct shard); intersect the posting
lists (AND); rank pages holding every term in the title first, then lower id;
fetch the page chunks holding the first 10 results. It prints the exact bytes
of those files, and the same files gzip-compressed (level 6, as a web server
would send them with compression on) for reference.

--json FILE also writes, per query, the full ranked hit list as URLs (read from
the chunks, which a reader would only fetch page by page) for comparison with
other engines. Python 3 standard library only.
"""

import argparse
import gzip
import json
import os
import re
import sys

DEFAULT_QUERIES = ["协商", "民主监督", "2024年", "meeting"]
PAGE = 10  # search.js: PAGE

# search.js: cjk = /[\u4E00-\u9FFF\u3400-\u4DBF\uF900-\uFAFF\u3040-\u30FF\uAC00-\uD7AF]|[astral 0x20000-0x3FFFF]/
_CJK = re.compile("[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af\U00020000-\U0003ffff]")


def normalize(c):
    """Full-width ASCII to half-width, lower case (search.js normalize)."""
    code = ord(c)
    if 0xFF01 <= code <= 0xFF5E:
        c = chr(code - 0xFEE0)
    low = c.lower()
    return low if low else c


def _kind(c):
    if _CJK.match(c):
        return "c"
    # search.js: /[\p{Alphabetic}\p{N}]/u ; Python's isalnum() is the near equivalent.
    if c.isalnum():
        return "w"
    return "o"


def runs(text):
    """Runs of CJK ('c') or word ('w') characters, normalised: [(kind, [chars])]."""
    out, cur = [], None
    for ch in text:
        c = normalize(ch)
        k = _kind(c[0])
        if k == "o":
            cur = None
            continue
        if cur is not None and cur[0] == k:
            cur[1].append(c)
        else:
            cur = (k, [c])
            out.append(cur)
    return out


def query_terms(q):
    """search.js queryTerms / tokenize.rs query_terms."""
    terms = []
    for k, chars in runs(q):
        if k == "w" or len(chars) == 1:
            terms.append("".join(chars))
        else:
            terms.extend(chars[i] + chars[i + 1] for i in range(len(chars) - 1))
    return sorted(set(terms), key=lambda t: t.encode("utf-16-be"))  # JS sort: UTF-16 code units


def shard_of(term, shards):
    """FNV-1a 32-bit of the UTF-8 bytes, mod shards."""
    h = 0x811C9DC5
    for b in term.encode("utf-8"):
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h % shards


def undelta(lst):
    acc, out = 0, []
    for d in lst:
        acc += d
        out.append(acc)
    return out


class Index:
    def __init__(self, out_dir):
        self.root = os.path.join(out_dir, "search", "index")
        if not os.path.isfile(os.path.join(self.root, "meta.json")):
            sys.exit(f"search_bench: no search/index/meta.json under {out_dir}")
        self._raw = {}
        self.meta = json.loads(self.read("meta.json"))

    def read(self, rel):
        if rel not in self._raw:
            with open(os.path.join(self.root, rel), "rb") as f:
                self._raw[rel] = f.read()
        return self._raw[rel]

    def json(self, rel):
        return json.loads(self.read(rel))

    def totals(self):
        """{'meta'|'shards'|'chunks'|'other': (files, bytes)} and the whole."""
        groups = {}
        for dirpath, _, files in os.walk(self.root):
            for name in files:
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, self.root).replace(os.sep, "/")
                g = ("meta" if rel == "meta.json" else "shards" if rel.startswith("s/")
                     else "chunks" if rel.startswith("p/") else "other")
                n, b = groups.get(g, (0, 0))
                groups[g] = (n + 1, b + os.path.getsize(path))
        return groups

    def search(self, q):
        """What search.js does for q: the ranked hits and the files fetched for the first page."""
        terms = query_terms(q)
        shards = self.meta["shards"]
        chunk = self.meta["chunk"]
        fetched = ["meta.json"]
        if not terms:
            return {"terms": [], "hits": [], "files": fetched, "requests": 1}
        sets = []
        requests = 1
        for t in terms:
            rel = f"s/{shard_of(t, shards)}.json"
            requests += 1  # search.js fetches once per term, even when two terms share a shard
            if rel not in fetched:
                fetched.append(rel)
            lists = self.json(rel).get(t)
            sets.append(None if lists is None else (undelta(lists[0]), undelta(lists[1])))
        hits = []
        if all(s is not None for s in sets):
            alls = [set(s[0]) | set(s[1]) for s in sets]
            # search.js: Array.from(all[0]) keeps title ids before other ids, then a stable sort.
            first = list(dict.fromkeys(sets[0][0] + sets[0][1]))
            hits = [i for i in first if all(i in a for a in alls)]
            titles = [set(s[0]) for s in sets]

            def in_title(i):
                return all(i in t for t in titles)

            hits.sort(key=lambda i: (0 if in_title(i) else 1, i))
        chunks = list(dict.fromkeys(i // chunk for i in hits[:PAGE]))
        for c in chunks:
            fetched.append(f"p/{c}.json")
        requests += len(chunks)
        return {"terms": terms, "hits": hits, "files": fetched, "requests": requests}

    def url_of(self, page_id):
        chunk = self.meta["chunk"]
        return self.json(f"p/{page_id // chunk}.json")[page_id % chunk][1]


def fmt_bytes(n):
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.2f} MiB"
    if n >= 1024:
        return f"{n / 1024:.1f} KiB"
    return f"{n} B"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", metavar="SITE_OUT_DIR")
    ap.add_argument("queries", nargs="*", metavar="QUERY")
    ap.add_argument("--json", metavar="FILE", help="write totals, per-query bytes and full hit URL lists")
    args = ap.parse_args()
    queries = args.queries or DEFAULT_QUERIES
    idx = Index(args.out_dir)

    groups = idx.totals()
    total_files = sum(n for n, _ in groups.values())
    total_bytes = sum(b for _, b in groups.values())
    print(f"index: {args.out_dir}/search/index  meta={json.dumps(idx.meta)}")
    print("| part | files | bytes |")
    print("|---|---:|---:|")
    for g in ("meta", "shards", "chunks", "other"):
        if g in groups:
            n, b = groups[g]
            print(f"| {g} | {n} | {b:,} ({fmt_bytes(b)}) |")
    print(f"| **total** | **{total_files}** | **{total_bytes:,} ({fmt_bytes(total_bytes)})** |")
    print()
    print("| query | terms | hits | requests | shards | chunks | bytes (raw) | of which shards | bytes (gzip -6) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    report = {"out_dir": args.out_dir, "meta": idx.meta,
              "index": {"files": total_files, "bytes": total_bytes,
                        "parts": {g: {"files": n, "bytes": b} for g, (n, b) in groups.items()}},
              "queries": []}
    for q in queries:
        r = idx.search(q)
        raw = {f: len(idx.read(f)) for f in r["files"]}
        gz = sum(len(gzip.compress(idx.read(f), 6, mtime=0)) for f in r["files"])
        shard_bytes = sum(b for f, b in raw.items() if f.startswith("s/"))
        nshards = sum(1 for f in raw if f.startswith("s/"))
        nchunks = sum(1 for f in raw if f.startswith("p/"))
        total = sum(raw.values())
        print(f"| {q} | {' '.join(r['terms'])} | {len(r['hits'])} | {r['requests']} | {nshards} | "
              f"{nchunks} | {total:,} ({fmt_bytes(total)}) | {shard_bytes:,} | {gz:,} ({fmt_bytes(gz)}) |")
        entry = {"query": q, "terms": r["terms"], "hits": len(r["hits"]), "requests": r["requests"],
                 "files": raw, "bytes": total, "bytes_gzip": gz}
        if args.json:
            entry["urls"] = [idx.url_of(i) for i in r["hits"]]
        report["queries"].append(entry)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, ensure_ascii=False, indent=1)
        print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()
