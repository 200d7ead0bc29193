#!/usr/bin/env python3
"""Makes the sample site's 焦点图, 图片新闻, 专题 banner and 政协领导 pictures (small original
drawings, not photographs of anyone), and the sample attachments.

    python3 scripts/gen_portal_samples.py

Needs Pillow and python-docx. Deterministic: the same script writes the same pictures.
"""

import os
import random
import zipfile

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


def sky_and_hills(w, h, seed, sky, land, sun=True):
    """A landscape: a sky gradient, a sun, layered hills and a few buildings."""
    rnd = random.Random(seed)
    img = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(img)
    for y in range(h):
        t = y / h
        d.line([(0, y), (w, y)], fill=tuple(int(sky[0][k] * (1 - t) + sky[1][k] * t) for k in range(3)))
    if sun:
        r = h // 9
        cx, cy = rnd.randint(w // 5, 4 * w // 5), rnd.randint(h // 8, h // 3)
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(255, 226, 160))
    for layer in range(3):
        base = int(h * (0.55 + 0.12 * layer))
        pts = [(0, h)]
        for x in range(0, w + 40, 40):
            pts.append((x, base - rnd.randint(0, h // 8)))
        pts.append((w, h))
        c = tuple(max(0, v - 25 * layer) for v in land)
        d.polygon(pts, fill=c)
    for _ in range(rnd.randint(4, 8)):
        bw, bh = rnd.randint(w // 20, w // 10), rnd.randint(h // 8, h // 3)
        x = rnd.randint(0, w - bw)
        y = int(h * 0.8) - bh
        d.rectangle([x, y, x + bw, int(h * 0.8)], fill=(235, 232, 224))
        for wy in range(y + 8, int(h * 0.8) - 8, 16):
            for wx in range(x + 6, x + bw - 6, 14):
                d.rectangle([wx, wy, wx + 6, wy + 8], fill=(120, 140, 160))
    return img.filter(ImageFilter.SMOOTH)


def meeting_hall(w, h, seed):
    """A meeting hall: a red stage curtain, a rostrum and rows of seats."""
    rnd = random.Random(seed)
    img = Image.new("RGB", (w, h), (120, 20, 28))
    d = ImageDraw.Draw(img)
    for x in range(0, w, 24):
        d.rectangle([x, 0, x + 12, int(h * 0.55)], fill=(150, 28, 36))
    d.rectangle([0, int(h * 0.08), w, int(h * 0.16)], fill=(200, 160, 60))
    d.rectangle([w // 4, int(h * 0.42), 3 * w // 4, int(h * 0.55)], fill=(90, 50, 30))
    d.rectangle([0, int(h * 0.55), w, h], fill=(70, 55, 50))
    for row in range(5):
        y = int(h * (0.62 + 0.075 * row))
        for x in range(rnd.randint(0, 20), w, 34):
            d.ellipse([x, y - 12, x + 18, y + 6], fill=(30 + rnd.randint(0, 30), 30, 35))
    return img.filter(ImageFilter.SMOOTH)


def portrait(w, h, seed):
    """A simple figure in a dark suit before a plain backdrop (no real person)."""
    rnd = random.Random(seed)
    bg = (200 + rnd.randint(0, 30), 210 + rnd.randint(0, 20), 225)
    img = Image.new("RGB", (w, h), bg)
    d = ImageDraw.Draw(img)
    d.ellipse([w * 0.1, h * 0.62, w * 0.9, h * 1.3], fill=(40, 45, 60))
    d.polygon([(w * 0.42, h * 0.62), (w * 0.58, h * 0.62), (w * 0.5, h * 0.8)], fill=(245, 245, 245))
    d.polygon([(w * 0.48, h * 0.65), (w * 0.52, h * 0.65), (w * 0.5, h * 0.78)], fill=(170, 20, 30))
    d.rectangle([w * 0.43, h * 0.5, w * 0.57, h * 0.64], fill=(230, 195, 165))
    d.ellipse([w * 0.3, h * 0.18, w * 0.7, h * 0.58], fill=(236, 200, 170))
    d.chord([w * 0.29, h * 0.14, w * 0.71, h * 0.45], 180, 360, fill=(35, 30, 30))
    return img.filter(ImageFilter.SMOOTH)


def save(img, rel, quality=80):
    path = os.path.join(ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    img.save(path, "JPEG", quality=quality, optimize=True)


def banner():
    w, h = 1200, 300
    img = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(img)
    for x in range(w):
        t = x / w
        d.line([(x, 0), (x, h)], fill=(int(181 - 60 * t), int(18 + 10 * t), int(27 + 10 * t)))
    for i in range(12):
        d.arc([w - 420 + i * 12, -200 + i * 8, w + 200, 360], 100, 260, fill=(246, 196, 83), width=2)
    title = ImageFont.truetype(FONT, 64)
    sub = ImageFont.truetype(FONT, 28)
    d.text((60, 80), "青山区政协九届四次会议", font=title, fill=(255, 255, 255))
    d.text((62, 180), "团结民主　协商建言　共谋发展", font=sub, fill=(246, 196, 83))
    save(img, "static/images/zhuanti/quanhui-banner.jpg", 85)


def docx_form():
    import docx

    doc = docx.Document()
    doc.add_heading("青山区政协委员读书交流会报名表", 1)
    table = doc.add_table(rows=5, cols=2)
    for row, label in zip(table.rows, ["姓名", "界别", "联系电话", "交流书目", "备注"]):
        row.cells[0].text = label
    path = os.path.join(ROOT, "static/files/du-shu-jiao-liu-bao-ming-biao.docx")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    doc.core_properties.created = __import__("datetime").datetime(2026, 11, 1)
    doc.save(path)


def main():
    for i, (sky, land) in enumerate([
        (((120, 170, 220), (230, 236, 240)), (90, 140, 90)),
        (((250, 190, 140), (250, 230, 200)), (110, 130, 80)),
        (((140, 190, 230), (210, 230, 245)), (70, 120, 110)),
    ]):
        save(sky_and_hills(1280, 720, 10 + i, sky, land), f"static/images/focus/focus-{i + 1}.jpg")
    save(meeting_hall(1280, 720, 7), "static/images/focus/focus-4.jpg")
    scenes = [
        lambda s: sky_and_hills(800, 600, s, ((130, 180, 225), (225, 235, 240)), (95, 145, 85)),
        lambda s: meeting_hall(800, 600, s),
        lambda s: sky_and_hills(800, 600, s, ((245, 200, 150), (250, 235, 210)), (120, 135, 85), False),
    ]
    for i in range(6):
        save(scenes[i % 3](100 + i), f"static/images/tupian/tupian-{i + 1}.jpg")
    for i in range(5):
        save(portrait(300, 400, 200 + i), f"static/images/members/leader-{i + 1}.jpg", 82)
    banner()
    docx_form()


if __name__ == "__main__":
    main()
