#!/usr/bin/env python3
"""Makes camera-like JPEGs for measuring tongxin's image stage (not a test).

    python3 scripts/gen_photos.py DIR N [--site] [--width 4000 --height 3000]

Writes N photos of WIDTHxHEIGHT (default 4000x3000) at quality 92 into DIR: smooth
gradients and shapes under per-pixel noise, so that they compress like photographs
(3-8 MB each), each with EXIF GPS coordinates; every third one has EXIF orientation 6
(seen as portrait), as phones held upright write it. With --site, DIR becomes a small tongxin site: the
photos go under static/images/ and one news page per photo shows it (every fifth one
as its cover too).

Needs Pillow (pip install pillow). Deterministic: the same N gives the same files.
"""

import argparse
import os
import random
import sys

try:
    from PIL import Image, ImageDraw, ImageFilter
except ImportError:
    sys.exit("需要 Pillow：pip install pillow")


def gps_exif(i, turned):
    """EXIF with GPS (somewhere around 28°N 115°E) and, when turned, orientation 6."""
    exif = Image.Exif()
    exif[0x010F] = "Camera"  # Make
    exif[0x0110] = "Model %d" % (i % 3)
    exif[0x0112] = 6 if turned else 1  # Orientation
    gps = {
        1: "N",
        2: (28.0, 40.0, 12.5 + i % 40),
        3: "E",
        4: (115.0, 51.0, 3.25 + i % 50),
    }
    exif[0x8825] = gps  # GPSInfo IFD
    return exif


def photo(i, width, height):
    """A noisy landscape-like picture: sky and ground gradients, blurred shapes, grain."""
    rnd = random.Random(i)
    small = Image.new("RGB", (width // 8, height // 8))
    draw = ImageDraw.Draw(small)
    w, h = small.size
    horizon = int(h * rnd.uniform(0.35, 0.65))
    sky = (rnd.randint(90, 160), rnd.randint(140, 200), rnd.randint(200, 255))
    ground = (rnd.randint(60, 120), rnd.randint(80, 140), rnd.randint(30, 80))
    for y in range(h):
        if y < horizon:
            t = y / max(horizon, 1)
            c = tuple(int(sky[k] * (1 - 0.4 * t)) for k in range(3))
        else:
            t = (y - horizon) / max(h - horizon, 1)
            c = tuple(int(ground[k] * (0.7 + 0.5 * t)) for k in range(3))
        draw.line([(0, y), (w, y)], fill=c)
    for _ in range(40):
        x, y = rnd.randint(0, w), rnd.randint(0, h)
        r = rnd.randint(5, w // 6)
        colour = tuple(rnd.randint(0, 255) for _ in range(3))
        draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)
    small = small.filter(ImageFilter.GaussianBlur(2))
    big = small.resize((width, height), Image.BICUBIC)
    grain = Image.effect_noise((width, height), 28).convert("RGB")
    return Image.blend(big, grain, 0.18)


def write_site(root, names):
    """A minimal site around the photos."""
    os.makedirs(os.path.join(root, "content/news"), exist_ok=True)
    with open(os.path.join(root, "config.toml"), "w", encoding="utf-8") as f:
        f.write('title = "图片测试"\nbase_url = "https://example.org"\n')
    with open(os.path.join(root, "content/news/_index.md"), "w", encoding="utf-8") as f:
        f.write('+++\ntitle = "新闻"\nkind = "news"\n+++\n')
    for i, name in enumerate(names):
        cover = 'cover = "/images/%s"\n' % name if i % 5 == 0 else ""
        with open(os.path.join(root, "content/news/2025-01-01-p%03d.md" % i), "w", encoding="utf-8") as f:
            f.write(
                '+++\ntitle = "活动%d"\n%s+++\n\n委员们参加活动。\n\n![活动现场](/images/%s "第%d张")\n'
                % (i, cover, name, i)
            )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("n", type=int)
    ap.add_argument("--site", action="store_true")
    ap.add_argument("--width", type=int, default=4000)
    ap.add_argument("--height", type=int, default=3000)
    args = ap.parse_args()
    out = os.path.join(args.dir, "static/images") if args.site else args.dir
    os.makedirs(out, exist_ok=True)
    names = []
    total = 0
    for i in range(args.n):
        turned = i % 3 == 2
        # A phone held upright stores the sensor's landscape pixels and orientation 6: the
        # picture is seen as portrait.
        img = photo(i, args.width, args.height)
        name = "photo-%03d.jpg" % i
        path = os.path.join(out, name)
        img.save(path, "JPEG", quality=92, exif=gps_exif(i, turned))
        total += os.path.getsize(path)
        names.append(name)
    if args.site:
        write_site(args.dir, names)
    print("%d 张照片，共 %.1f MB，写入 %s" % (args.n, total / 1e6, out))


if __name__ == "__main__":
    main()
