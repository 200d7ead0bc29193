#!/usr/bin/env bash
# Builds one site with two tongxin binaries and compares the outputs byte for byte.
#
#   scripts/diff_output.sh OLD_BIN NEW_BIN SITE_ROOT [--today YYYY-MM-DD]
#
# Runs `BIN build --root SITE_ROOT --output-dir DIR --today D` for both binaries into two
# temporary folders (removed at the end), then `diff -rq` on the trees. Prints the differing
# paths (at most 20, then how many more) and exits 1 on any difference, 0 when the trees are
# identical, 2 on a usage error or a failed build. --today defaults to today's date, taken
# once so both builds see the same day.
set -euo pipefail

usage() {
    sed -n '2,10s/^# \{0,1\}//p' "$0"
}

fail_usage() {
    echo "diff_output.sh: $1" >&2
    usage >&2
    exit 2
}

args=()
today=$(date +%F)
while [ $# -gt 0 ]; do
    case "$1" in
        --today)
            [ $# -ge 2 ] || fail_usage "--today needs a date"
            today=$2
            shift 2
            ;;
        --today=*) today=${1#--today=}; shift ;;
        -h|--help) usage; exit 0 ;;
        -*) fail_usage "unknown option: $1" ;;
        *) args+=("$1"); shift ;;
    esac
done
[ ${#args[@]} -eq 3 ] || fail_usage "expected OLD_BIN NEW_BIN SITE_ROOT"
old_bin=${args[0]}
new_bin=${args[1]}
site=${args[2]}
for bin in "$old_bin" "$new_bin"; do
    [ -x "$bin" ] || fail_usage "not an executable file: $bin"
done
[ -f "$site/config.toml" ] || fail_usage "no config.toml in $site"

work=$(mktemp -d "${TMPDIR:-/tmp}/tongxin-diff.XXXXXX")
trap 'rm -rf "$work"' EXIT

# build NAME BIN: builds the site into $work/NAME, timing it; exits 2 when the build fails.
build() {
    local name=$1 bin=$2 start end
    start=$(date +%s%N)
    if ! "$bin" build --root "$site" --output-dir "$work/$name" --today "$today" \
        >"$work/$name.log" 2>&1; then
        echo "diff_output.sh: the $name build failed ($bin):" >&2
        cat "$work/$name.log" >&2
        exit 2
    fi
    end=$(date +%s%N)
    echo "$name: $bin, $(( (end - start) / 1000000 )) ms, $(find "$work/$name" -type f | wc -l) files"
}

build old "$old_bin"
build new "$new_bin"

# `diff -rq` lines ("Files A and B differ", "Only in DIR: NAME") as "differ PATH",
# "only old PATH", "only new PATH", sorted in that order and by path.
diff -rq "$work/old" "$work/new" >"$work/diff.txt" || true
sed -E \
    -e "s#^Files $work/old/(.*) and $work/new/.* differ\$#differ   \\1#" \
    -e "s#^Only in $work/old(/(.*))?: (.*)\$#only old \\2/\\3#" \
    -e "s#^Only in $work/new(/(.*))?: (.*)\$#only new \\2/\\3#" \
    -e 's#(only (old|new)) /#\1 #' \
    "$work/diff.txt" | LC_ALL=C sort >"$work/paths.txt"
count=$(wc -l <"$work/paths.txt")
if [ "$count" -eq 0 ]; then
    echo "identical: $site (--today $today)"
    exit 0
fi
head -n 20 "$work/paths.txt"
if [ "$count" -gt 20 ]; then
    echo "… and $((count - 20)) more"
fi
echo "$count path(s) differ: $site (--today $today)"
exit 1
