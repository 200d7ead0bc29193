#!/usr/bin/env bash
# Search precision, recall and bytes per query against a plain scan (see SEARCH_BENCH.md).
# Usage: scripts/search_exact.sh SITE_DIR [QUERIES] [SEED] [QUERY...]
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --quiet --release --example search_bench -- "$@"
