#!/usr/bin/env bash
# Compare `tongxin build` with Hugo on the same generated content.
#
#   scripts/bench_hugo.sh [--cold] [N ...]        (default N: 1000 10000)
#
# For each N: reuses (or generates) target/bench/site-N, converts it once into
# the Hugo site target/bench-hugo/hugo-N (delete it to reconvert; layouts and
# static files are refreshed from scripts/hugo_layouts/ on every run), then
# times both builds with hyperfine (1 warmup + RUNS runs) and measures each
# one's peak RSS with /usr/bin/time -v. Warm by default: the output folder of
# the previous run is left in place; --cold removes both output folders
# before every run. Before every run, unmeasured, it waits until the old output
# tongxin deletes in the background is gone, and runs sync. Installs hugo, hyperfine and time with apt-get if missing.
# Env: RUNS (default 5), RUNS_<N> (per size, e.g. RUNS_10000=3), SEED (corpus
# seed, default 1), TONGXIN (binary, default target/release/tongxin).
# Results: target/bench-hugo/summary.md (rows of earlier runs of other sizes
# or modes are kept; a row is replaced when the same N and mode run again).
set -euo pipefail

usage() {
    sed -n '2,17s/^# \{0,1\}//p' "$0"
}

cold=0
sizes=()
for arg in "$@"; do
    case "$arg" in
        --cold) cold=1 ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "bench_hugo.sh: unknown option: $arg" >&2; usage >&2; exit 2 ;;
        *)
            if ! [[ "$arg" =~ ^[1-9][0-9]*$ ]]; then
                echo "bench_hugo.sh: N must be a positive integer: $arg" >&2
                exit 2
            fi
            sizes+=("$arg")
            ;;
    esac
done
if [ ${#sizes[@]} -eq 0 ]; then
    sizes=(1000 10000)
fi
runs_default="${RUNS:-5}"
seed="${SEED:-1}"
mode=warm
[ "$cold" -eq 1 ] && mode=cold

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bench="$root/target/bench"
work="$root/target/bench-hugo"
mkdir -p "$bench" "$work/rows"

# --- tools -------------------------------------------------------------------
apt_updated=0
apt_install() {
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            sudo="sudo"
        else
            echo "bench_hugo.sh: need root or sudo to install $*" >&2
            exit 1
        fi
    fi
    if [ "$apt_updated" -eq 0 ]; then
        $sudo apt-get update
        apt_updated=1
    fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}
missing=()
command -v hugo >/dev/null 2>&1 || missing+=(hugo)
command -v hyperfine >/dev/null 2>&1 || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
    echo "==> installing ${missing[*]}" >&2
    apt_install "${missing[@]}"
fi
command -v python3 >/dev/null 2>&1 || { echo "bench_hugo.sh: python3 is required" >&2; exit 1; }

hugo_version_line="$(hugo version)"
echo "==> $hugo_version_line"
hugo_version="$(printf '%s\n' "$hugo_version_line" | sed -n 's/^hugo v\{0,1\}\([0-9][0-9.]*\).*/\1/p')"
hugo_version="${hugo_version:-0.111.3}"

# --- tongxin binary ----------------------------------------------------------
# target/release/tongxin may be rebuilt by someone else while this runs; time
# a private copy so every run of one size uses the same binary.
src_bin="${TONGXIN:-${CARGO_TARGET_DIR:-$root/target}/release/tongxin}"
case "$src_bin" in /*) ;; *) src_bin="$root/$src_bin" ;; esac
if [ ! -x "$src_bin" ]; then
    echo "==> $src_bin missing: cargo build --release" >&2
    cargo build --release
fi
[ -x "$src_bin" ] || { echo "bench_hugo.sh: binary not found: $src_bin" >&2; exit 1; }
mkdir -p "$work/bin"
bin="$work/bin/tongxin"
cp "$src_bin" "$bin.tmp" && mv "$bin.tmp" "$bin"
bin_info="$(sha256sum "$bin" | cut -c1-12), built $(date -u -r "$src_bin" '+%Y-%m-%d %H:%M:%S UTC')"
echo "==> tongxin: copy of $src_bin (sha256 $bin_info)"

# --- corpora and Hugo sites ---------------------------------------------------
for n in "${sizes[@]}"; do
    site="$bench/site-$n"
    if [ -f "$site/config.toml" ]; then
        echo "==> reusing $site" >&2
    else
        echo "==> generating $site" >&2
        rm -rf "$site" "$site.tmp"
        python3 "$root/scripts/gen_corpus.py" "$site.tmp" "$n" --seed "$seed"
        mv "$site.tmp" "$site"
    fi
    hsite="$work/hugo-$n"
    if [ -f "$hsite/hugo.toml" ]; then
        echo "==> reusing $hsite" >&2
    else
        echo "==> converting $site -> $hsite" >&2
        rm -rf "$hsite" "$hsite.tmp"
        python3 "$root/scripts/hugo_convert.py" "$site" "$hsite.tmp" --hugo-version "$hugo_version"
        mv "$hsite.tmp" "$hsite"
    fi
    # layouts and static files: refreshed every run
    rm -rf "$hsite/layouts" "$hsite/static"
    cp -r "$root/scripts/hugo_layouts" "$hsite/layouts"
    mkdir -p "$hsite/static"
    cp -r "$root"/themes/default/static/. "$hsite/static/"
    # tongxin writes syntax.css for its highlight classes; Hugo's equivalent
    hugo gen chromastyles --style=github >"$hsite/static/syntax.css"
done

# --- timings -----------------------------------------------------------------
peak_rss_kb() { sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): *//p' "$1"; }

for n in "${sizes[@]}"; do
    runs_var="RUNS_$n"
    runs="${!runs_var:-$runs_default}"
    if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
        echo "bench_hugo.sh: RUNS must be a positive integer: $runs" >&2
        exit 2
    fi
    site="$bench/site-$n"
    hsite="$work/hugo-$n"
    tx_out="$work/out-tongxin-$n"
    hu_out="$work/out-hugo-$n"
    tx_argv=("$bin" build --root "$site" --output-dir "$tx_out" --today 2026-11-20)
    hu_argv=(hugo --quiet -s "$hsite" -d "$hu_out")
    tx_cmd="$(printf '%q ' "${tx_argv[@]}")"
    hu_cmd="$(printf '%q ' "${hu_argv[@]}")"
    tag="$n-$mode"

    echo
    load="$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "==> N=$n, $mode, $runs runs; load average: $load"
    # make sure both build before timing anything
    "${tx_argv[@]}" >/dev/null 2>"$work/build-tongxin-$n.log" || {
        echo "bench_hugo.sh: tongxin build failed; see $work/build-tongxin-$n.log" >&2; exit 1; }
    "${hu_argv[@]}" >"$work/build-hugo-$n.log" 2>&1 || {
        echo "bench_hugo.sh: hugo build failed; see $work/build-hugo-$n.log" >&2; exit 1; }

    hf=(hyperfine --warmup 1 --runs "$runs"
        --command-name "tongxin N=$n" --command-name "hugo N=$n"
        --export-markdown "$work/hyperfine-$tag.md"
        --export-json "$work/hyperfine-$tag.json")
    # Before every run, unmeasured: wait until tongxin's previous output, which a
    # background process deletes after the swap, is gone, and write back what the
    # previous run left dirty, so that neither slows the next run of either tool.
    settle="$(printf 'while ls -d %q/.%q.old-* >/dev/null 2>&1; do sleep 0.05; done; sync' \
        "$(dirname "$tx_out")" "$(basename "$tx_out")")"
    if [ "$cold" -eq 1 ]; then
        settle="$settle; $(printf 'rm -rf %q %q; sync' "$tx_out" "$hu_out")"
    fi
    hf+=(--prepare "$settle")
    "${hf[@]}" "$tx_cmd" "$hu_cmd"

    # peak RSS: one more run of each, in the same mode
    if [ "$cold" -eq 1 ]; then rm -rf "$tx_out"; fi
    /usr/bin/time -v -o "$work/time-tongxin-$tag.txt" "${tx_argv[@]}" \
        >/dev/null 2>>"$work/build-tongxin-$n.log"
    if [ "$cold" -eq 1 ]; then rm -rf "$hu_out"; fi
    /usr/bin/time -v -o "$work/time-hugo-$tag.txt" "${hu_argv[@]}" \
        >>"$work/build-hugo-$n.log" 2>&1
    tx_rss="$(peak_rss_kb "$work/time-tongxin-$tag.txt")"
    hu_rss="$(peak_rss_kb "$work/time-hugo-$tag.txt")"

    echo "==> output of N=$n"
    python3 "$root/scripts/hugo_compare_outputs.py" "$tx_out" "$hu_out" \
        --json "$work/outputs-$n.json" | tee "$work/outputs-$n.txt"

    python3 - "$work/hyperfine-$tag.json" "$work/outputs-$n.json" "$n" "$mode" "$runs" \
        "${tx_rss:-0}" "${hu_rss:-0}" >"$work/rows/$tag.md" <<'PY'
import json, sys
hf, outs, n, mode, runs, tx_rss, hu_rss = sys.argv[1:]
res = json.load(open(hf, encoding="utf-8"))["results"]
o = json.load(open(outs, encoding="utf-8"))
rss = {"tongxin": int(tx_rss), "hugo": int(hu_rss)}
for r, tool in zip(res, ("tongxin", "hugo")):
    sd = r.get("stddev")
    sd = f"{sd:.3f}" if sd is not None else "n/a"
    c = o[tool]
    files = f"{c['html']} html + {c['xml']} xml"
    if c.get("redirects"):
        files = f"{c['html']} html ({c['redirects']} redirects) + {c['xml']} xml"
    print(f"| {n} | {tool} | {mode} | {runs} | {r['mean']:.3f} ± {sd} | {r['min']:.3f} | "
          f"{r['user']:.3f} | {r['system']:.3f} | {rss[tool] / 1024:.1f} | {files} |")
PY
    echo "- $n $mode ($(date -u '+%Y-%m-%d %H:%M UTC'), load before: $load): hugo $hugo_version, tongxin $bin_info" \
        >"$work/rows/$tag.meta"
done

# --- summary -----------------------------------------------------------------
summary="$work/summary.md"
{
    echo "# tongxin vs Hugo"
    echo
    echo "- latest run: $hugo_version_line; tongxin $bin_info"
    echo "- machine: $(nproc) CPUs; times are hyperfine means (1 warmup), user/sys are"
    echo "  mean CPU seconds per run, peak RSS from one extra run under /usr/bin/time -v"
    echo "- warm: output folder left from the previous run; cold: removed before each run"
    echo
    echo "| N | tool | mode | runs | wall mean ± σ (s) | wall min (s) | user (s) | sys (s) | peak RSS (MiB) | output files |"
    echo "|---:|---|---|---:|---:|---:|---:|---:|---:|---|"
    for f in $(ls "$work"/rows/*.md | sort -V); do
        cat "$f"
    done
    echo
    echo "Rows measured:"
    echo
    for f in $(ls "$work"/rows/*.meta | sort -V); do
        cat "$f"
    done
} >"$summary"

echo
cat "$summary"
echo
echo "details: $work/hyperfine-N-MODE.{md,json}, time-TOOL-N-MODE.txt, outputs-N.txt"
