#!/usr/bin/env bash
# Regenerates docs/screenshots/ from the sample site: home, an article, /members/, /proposals/, a 提案,
# a 通知, the 专题 landing page, the 图片新闻 grid and the 政协领导 page at 375 and 1280 px, the
# staff guide's home and one chapter at 375 px, in
# headless Debian chromium (fonts: Debian's fonts-noto-cjk).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
port=$((20000 + RANDOM % 20000))  # not a fixed port: another server may hold it
cargo run --release --quiet -- build --output-dir "$out/site" --today 2026-11-20
python3 -m http.server $port --bind 127.0.0.1 --directory "$out/site" >/dev/null 2>&1 &
server=$!
trap 'kill $server' EXIT
sleep 1
profile=$(mktemp -d)
shot() { # name path width height
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --no-first-run --user-data-dir="$profile" --hide-scrollbars \
    --window-size="$3,$4" --screenshot="docs/screenshots/$1.png" "http://127.0.0.1:$port$2" 2>/dev/null
}
for w in 375 1280; do
  h=$([ "$w" = 375 ] && echo 1400 || echo 1500)
  shot "home-$w" / "$w" "$h"
  shot "article-$w" /news/yaowen/jiu-jie-er-shi-ci-chang-wei-hui-yi/ "$w" "$h"
  shot "members-$w" /members/ "$w" "$h"
  shot "proposals-$w" /proposals/ "$w" "$h"
  shot "proposal-$w" /proposals/yi-wu-jiao-yu-ke-hou-fu-wu/ "$w" "$([ "$w" = 375 ] && echo 2400 || echo 1700)"
  [ "$w" = 1280 ] && shot "home-full-$w" / "$w" 3000  # down to the 政协领导 block
  shot "topic-$w" /zhuanti/jiu-jie-si-ci-hui-yi/ "$w" "$h"
  shot "picture-list-$w" /news/tupian/ "$w" "$([ "$w" = 375 ] && echo 2400 || echo 1500)"
  shot "leaders-$w" /about/leaders/ "$w" "$h"
  shot "notice-$w" /news/tongzhi/zhao-kai-jiu-jie-si-ci-hui-yi-de-tong-zhi/ "$w" "$([ "$w" = 375 ] && echo 2400 || echo 1500)"
  shot "sitemap-$w" /sitemap/ "$w" "$h"
done
node scripts/elder_shots.mjs http://127.0.0.1:$port docs/screenshots /news/yaowen/jiu-jie-er-shi-ci-chang-wei-hui-yi/
# The editor of `serve` (/_tongxin/), on a copy of the site: the shots type but never save.
copy=$(mktemp -d)
cp -r config.toml content static check data "$copy"/
cargo run --release --quiet -- serve --root "$copy" --port 0 --today 2026-11-20 >"$copy/url" 2>/dev/null &
editor=$!
trap 'kill $server $editor' EXIT
for _ in $(seq 50); do [ -s "$copy/url" ] && break; sleep 0.2; done
node scripts/editor_shots.mjs "$(head -1 "$copy/url" | sed 's#/$##')" docs/screenshots
# The staff guide (docs/guide/), served as it is: its home and one chapter at 375 px.
cargo run --release --quiet -- serve --root docs/guide --port 0 --today 2026-11-20 >"$copy/guide-url" 2>/dev/null &
guide=$!
trap 'kill $server $editor $guide' EXIT
for _ in $(seq 50); do [ -s "$copy/guide-url" ] && break; sleep 0.2; done
guide_url=$(head -1 "$copy/guide-url" | sed 's#/$##')
shot_url() { # name url width height
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --no-first-run --user-data-dir="$profile" --hide-scrollbars \
    --window-size="$3,$4" --screenshot="docs/screenshots/$1.png" "$2" 2>/dev/null
}
shot_url guide-home-375 "$guide_url/" 375 1400
shot_url guide-chapter-375 "$guide_url/xie-gao/xie-xin-wen/" 375 2000
ls -la docs/screenshots
