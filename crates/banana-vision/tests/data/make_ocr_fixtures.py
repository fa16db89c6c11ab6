#!/usr/bin/env python3
"""Renders the OCR test fixtures (needs Pillow, DejaVu fonts and the shared ImageNet sample).

    python3 make_ocr_fixtures.py [/path/to/imagenet-sample]

Writes ocr_sign.jpg, ocr_receipt.jpg and ocr_notext.jpg beside this script and prints the
text boxes (x, y, w, h as fractions) the tests check against.
"""
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
SAMPLE = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "../../../../../shared/data/imagenet-sample"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"


def background(name, size):
    return Image.open(SAMPLE / name).convert("RGB").resize(size, Image.BICUBIC)


def frac(box, size):
    x0, y0, x1, y1 = box
    w, h = size
    return [round(x0 / w, 3), round(y0 / h, 3), round((x1 - x0) / w, 3), round((y1 - y0) / h, 3)]


def sign():
    size = (800, 600)
    img = background("n02281406_sulphur_butterfly.JPEG", size)
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(BOLD, 64)
    text = "FRESH BAKERY"
    tb = d.textbbox((0, 0), text, font=font)
    tw, th = tb[2] - tb[0], tb[3] - tb[1]
    x, y = (size[0] - tw) // 2, 200
    d.rectangle([x - 30, y - 30, x + tw + 30, y + th + 40], fill=(245, 240, 225), outline=(90, 50, 20), width=6)
    d.text((x - tb[0], y - tb[1]), text, font=font, fill=(120, 40, 10))
    img.save(HERE / "ocr_sign.jpg", quality=85)
    print("sign", text, frac((x, y, x + tw, y + th), size))


def receipt():
    size = (640, 800)
    img = background("n03000134_chainlink_fence.JPEG", size)
    d = ImageDraw.Draw(img)
    d.rectangle([120, 60, 520, 740], fill=(250, 250, 245))
    font = ImageFont.truetype(MONO, 28)
    lines = ["CORNER SHOP", "MILK 1.20", "BREAD 2.50", "APPLES 3.10", "TOTAL 6.80", "THANK YOU"]
    y = 100
    for line in lines:
        tb = d.textbbox((0, 0), line, font=font)
        d.text((150 - tb[0], y - tb[1]), line, font=font, fill=(20, 20, 20))
        print("receipt", line, frac((150, y, 150 + tb[2] - tb[0], y + tb[3] - tb[1]), size))
        y += 100
    img.save(HERE / "ocr_receipt.jpg", quality=85)


def notext():
    img = background("n01440764_tench.JPEG", (640, 480))
    img.save(HERE / "ocr_notext.jpg", quality=85)


if __name__ == "__main__":
    sign()
    receipt()
    notext()
