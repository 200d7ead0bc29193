#!/usr/bin/env bash
# Benchmark `tongxin build` on generated sites.
#
#   scripts/bench.sh [--cold] [N ...]        (default N: 1000 10000)
#
# Builds the release binary once, generates target/bench/site-N once (reused
# afterwards; delete it to regenerate), times the build with hyperfine
# (1 warmup + RUNS runs, default 5) and measures peak RSS with /usr/bin/time -v.
# --cold removes the output directory before every run (hyperfine --prepare).
# Env: RUNS (timed runs), SEED (corpus seed, default 1).
set -euo pipefail

usage() {
    sed -n '2,11s/^# \{0,1\}//p' "$0"
}

cold=0
sizes=()
for arg in "$@"; do
    case "$arg" in
        --cold) cold=1 ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "bench.sh: unknown option: $arg" >&2; usage >&2; exit 2 ;;
        *)
            if ! [[ "$arg" =~ ^[1-9][0-9]*$ ]]; then
                echo "bench.sh: N must be a positive integer: $arg" >&2
                exit 2
            fi
            sizes+=("$arg")
            ;;
    esac
done
if [ ${#sizes[@]} -eq 0 ]; then
    sizes=(1000 10000)
fi
runs="${RUNS:-5}"
seed="${SEED:-1}"
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
    echo "bench.sh: RUNS must be a positive integer: $runs" >&2
    exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bench="$root/target/bench"
bin="${CARGO_TARGET_DIR:-$root/target}/release/tongxin"
case "$bin" in /*) ;; *) bin="$root/$bin" ;; esac
mkdir -p "$bench"

# --- tools -------------------------------------------------------------------
apt_updated=0
apt_install() {
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            sudo="sudo"
        else
            echo "bench.sh: need root or sudo to install $*" >&2
            exit 1
        fi
    fi
    if [ "$apt_updated" -eq 0 ]; then
        $sudo apt-get update
        apt_updated=1
    fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}
if ! command -v hyperfine >/dev/null 2>&1; then
    echo "==> installing hyperfine" >&2
    apt_install hyperfine
fi
if [ ! -x /usr/bin/time ]; then
    echo "==> installing time" >&2
    apt_install time
fi
command -v python3 >/dev/null 2>&1 || { echo "bench.sh: python3 is required" >&2; exit 1; }

# --- binary ------------------------------------------------------------------
echo "==> cargo build --release" >&2
cargo build --release
[ -x "$bin" ] || { echo "bench.sh: binary not found: $bin" >&2; exit 1; }

# --- corpora -----------------------------------------------------------------
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
done

# --- timings -----------------------------------------------------------------
summary="$bench/summary.md"
{
    echo "| N | mean ± σ (s) | peak RSS (MiB) |"
    echo "|---:|---:|---:|"
} >"$summary"

for n in "${sizes[@]}"; do
    site="$bench/site-$n"
    out="$bench/out-$n"
    cmd="$(printf '%q ' "$bin" build --root "$site" --output-dir "$out" --today 2026-11-20)"
    hf=(hyperfine --warmup 1 --runs "$runs"
        --command-name "tongxin build N=$n"
        --export-markdown "$bench/hyperfine-$n.md"
        --export-json "$bench/hyperfine-$n.json")
    if [ "$cold" -eq 1 ]; then
        hf+=(--prepare "$(printf 'rm -rf %q' "$out")")
    fi
    echo "==> timing N=$n" >&2
    "${hf[@]}" "$cmd"

    if [ "$cold" -eq 1 ]; then
        rm -rf "$out"
    fi
    timelog="$bench/time-$n.txt"
    /usr/bin/time -v -o "$timelog" \
        "$bin" build --root "$site" --output-dir "$out" --today 2026-11-20 \
        2>"$bench/build-$n.log" >/dev/null || {
        echo "bench.sh: build failed for N=$n; see $bench/build-$n.log" >&2
        exit 1
    }
    rss_kb="$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): *//p' "$timelog")"

    python3 - "$bench/hyperfine-$n.json" "$n" "${rss_kb:-0}" >>"$summary" <<'PY'
import json, sys
path, n, rss_kb = sys.argv[1], sys.argv[2], int(sys.argv[3])
r = json.load(open(path, encoding="utf-8"))["results"][0]
sd = r.get("stddev")
sd = f"{sd:.3f}" if sd is not None else "n/a"
print(f"| {n} | {r['mean']:.3f} ± {sd} | {rss_kb / 1024:.1f} |")
PY
done

echo
if [ "$cold" -eq 1 ]; then
    echo "tongxin build (cold: output removed before each run), $runs runs:"
else
    echo "tongxin build (warm: output present), $runs runs:"
fi
cat "$summary"
echo
echo "details: $bench/hyperfine-N.md, $bench/time-N.txt"
