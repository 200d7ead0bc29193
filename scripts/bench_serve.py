#!/usr/bin/env python3
"""Save-to-served latency of `tongxin serve`: edits one page N times and measures, for each
edit, the time from writing the file to the server returning the new text. Prints the median.

Usage: python3 scripts/bench_serve.py SITE_DIR [EDITS=20] [BINARY=target/release/tongxin] [MODE]
MODE `body` (default) appends a paragraph; `title` changes the title in the front matter, which
also re-renders the lists, feeds and term pages that show the page; `new` creates a new page
(the newest of its section, so every pager of the section moves) and times until it is served,
then deletes it again (untimed).
(SITE_DIR is modified in place: use a copy, e.g. of target/bench/site-10000.)

With BINARY a `hugo` executable, SITE_DIR is a Hugo site made by bench_hugo.sh (a copy of
target/bench-hugo/hugo-N) and `hugo server` is measured the same way. HUGO_FLAGS adds flags,
e.g. HUGO_FLAGS=--disableFastRender.
"""
import glob
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request


def fetch_ok(url):
    try:
        urllib.request.urlopen(url).read()
        return True
    except urllib.error.HTTPError:
        return False


def main():
    site = sys.argv[1]
    edits = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    binary = sys.argv[3] if len(sys.argv) > 3 else "target/release/tongxin"
    mode = sys.argv[4] if len(sys.argv) > 4 else "body"
    pages = sorted(p for p in glob.glob(f"{site}/content/news/yaowen/*.md")
                   if p.rsplit("/", 1)[1][:10] <= "2026-11-20" and not p.endswith("_index.md"))
    page = pages[-1]
    slug = page.rsplit("/", 1)[1][11:-3]
    if binary.endswith("hugo"):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        base = f"http://127.0.0.1:{port}/"
        flags = os.environ.get("HUGO_FLAGS", "").split()
        proc = subprocess.Popen([binary, "server", "--source", site, "--bind", "127.0.0.1",
                                 "--port", str(port), "--baseURL", base, *flags],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(base).read()
                break
            except OSError:
                time.sleep(0.5)
    else:
        proc = subprocess.Popen([binary, "serve", "--root", site, "--port", "0", "--today", "2026-11-20"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        base = proc.stdout.readline().strip()
    try:
        url = base + f"news/yaowen/{slug}/"
        urllib.request.urlopen(url).read()  # waits for the first build
        original = open(page, encoding="utf-8").read()
        times = []
        for i in range(edits if mode == "new" else 0):
            new_page = page.rsplit("/", 1)[0] + f"/2026-11-20-bench-new-{i}.md"
            new_url = url.rsplit("/", 2)[0] + f"/bench-new-{i}/"
            with open(new_page, "w", encoding="utf-8") as f:
                f.write(f'+++\ntitle = "基准新增页面{i}"\n+++\n\n新增页面正文。\n')
            start = time.monotonic()
            while not fetch_ok(new_url):
                time.sleep(0.005)
            times.append((time.monotonic() - start) * 1000)
            os.remove(new_page)
            while fetch_ok(new_url):
                time.sleep(0.02)
            time.sleep(1.5)  # let the deferred search index rebuild finish
        for i in range(0 if mode == "new" else edits):
            marker = f"基准测试第{i}次修改"
            if mode == "title":
                edited = original.replace('title = "', f'title = "{marker}', 1)
            else:
                edited = original + f"\n\n{marker}\n"
            with open(page, "w", encoding="utf-8") as f:
                f.write(edited)
            start = time.monotonic()
            while marker not in urllib.request.urlopen(url).read().decode("utf-8"):
                time.sleep(0.005)
            times.append((time.monotonic() - start) * 1000)
        open(page, "w", encoding="utf-8").write(original)
        print(f"{edits} {mode} edits: median {statistics.median(times):.0f} ms, "
              f"min {min(times):.0f} ms, max {max(times):.0f} ms")
    finally:
        proc.kill()


if __name__ == "__main__":
    main()
