#!/usr/bin/env bash
# Fuzz tongxin's parsers with cargo-fuzz, one target at a time, and print a summary table.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# SECONDS_PER_TARGET defaults to 60; TARGETs default to every fuzz/fuzz_targets/*.rs.
# Needs the nightly toolchain and `cargo install cargo-fuzz`. See scripts/README.md.
#
# Environment:
#   FUZZ_SANITIZER  cargo-fuzz --sanitizer (default none: the crate is safe Rust; `address`
#                   checks the unsafe code of dependencies at about half the speed)
#   FUZZ_RSS_MB     libFuzzer -rss_limit_mb (default 1024)
#   FUZZ_TIMEOUT    seconds one input may take before it counts as a hang (default 10)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
fuzz="$root/fuzz"
seconds=${1:-60}
shift || true
sanitizer=${FUZZ_SANITIZER:-none}
rss_mb=${FUZZ_RSS_MB:-1024}
timeout_s=${FUZZ_TIMEOUT:-10}

if [[ $# -gt 0 ]]; then
    targets=("$@")
else
    targets=()
    for f in "$fuzz"/fuzz_targets/*.rs; do
        targets+=("$(basename "$f" .rs)")
    done
fi

# Longest input per target: enough for a real file of that kind, short enough to stay fast.
max_len() {
    case $1 in
        slug | dates) echo 256 ;;
        config | search) echo 4096 ;;
        front_matter) echo 8192 ;;
        markdown) echo 16384 ;;
        *) echo 4096 ;;
    esac
}

# Build against the versions the site builds with: the fuzz crate's lock file (not committed)
# starts as a copy of the main one, and cargo adds libFuzzer to it.
cp "$root/Cargo.lock" "$fuzz/Cargo.lock"
cd "$fuzz"
echo "building fuzz targets (sanitizer: $sanitizer) ..." >&2
mkdir -p "$fuzz/logs"
if ! cargo +nightly fuzz build --sanitizer "$sanitizer" --debug-assertions \
    >"$fuzz/logs/build.log" 2>&1; then
    tail -30 "$fuzz/logs/build.log" >&2
    exit 1
fi

rows=()
for t in "${targets[@]}"; do
    corpus="$fuzz/corpus/$t"
    artifacts="$fuzz/artifacts/$t"
    mkdir -p "$corpus" "$artifacts"
    # The committed seeds and regressions stay as they are: libFuzzer grows this scratch copy.
    for dir in "$fuzz/seeds/$t" "$fuzz/regressions/$t"; do
        [[ -d $dir ]] && cp -n "$dir"/* "$corpus"/ 2>/dev/null || true
    done
    dict=()
    [[ -f $fuzz/dicts/$t.dict ]] && dict=("-dict=$fuzz/dicts/$t.dict")
    before=$(find "$artifacts" -type f -name '*-*' | wc -l)
    log="$fuzz/logs/$t.log"
    echo "fuzzing $t for ${seconds}s (log: fuzz/logs/$t.log) ..." >&2
    status=0
    # One rayon worker: the harnesses resolve pages and build indexes with rayon, and the
    # machine is shared.
    RAYON_NUM_THREADS=1 cargo +nightly fuzz run --sanitizer "$sanitizer" --debug-assertions \
        "$t" "$corpus" -- \
        -max_total_time="$seconds" -max_len="$(max_len "$t")" -rss_limit_mb="$rss_mb" \
        -timeout="$timeout_s" -print_final_stats=1 "${dict[@]}" >"$log" 2>&1 || status=$?
    after=$(find "$artifacts" -type f -name '*-*' | wc -l)
    stat() { grep -a "^stat::$1:" "$log" | tail -1 | awk '{print $2}'; }
    cov_line=$(grep -a -E '^#[0-9]+.*cov: ' "$log" | tail -1)
    field() { sed -n -E "s/.* $1: ([0-9]+).*/\1/p" <<<"$cov_line"; }
    crashes=$((after - before))
    [[ $status -ne 0 && $crashes -eq 0 ]] && crashes="exit $status"
    rows+=("$(printf '%-13s %10s %8s %7s %7s %6s %8s %s' "$t" "$(stat number_of_executed_units)" \
        "$(stat average_exec_per_sec)" "$(field cov)" "$(field ft)" "$(field corp)" \
        "$(stat peak_rss_mb)" "$crashes")")
done

echo
printf '%-13s %10s %8s %7s %7s %6s %8s %s\n' target runs exec/s cov ft corpus rss_mb crashes
for r in "${rows[@]}"; do
    echo "$r"
done
echo
echo "crash inputs are under fuzz/artifacts/<target>/; logs under fuzz/logs/" >&2
