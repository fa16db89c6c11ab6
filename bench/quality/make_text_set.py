#!/usr/bin/env python3
"""Render a deterministic OCR evaluation set: text placed onto real photos.

Usage:  make_text_set.py SRC_DIR OUT_DIR [--count 60] [--seed 20261202] [--debug-boxes]

SRC_DIR is the ImageNet sample (../shared/data/imagenet-sample/). OUT_DIR gets
text_NNN_<kind>.jpg (JPEG quality 90) and truth.json. Nothing here is committed
to the repository except this script; the images are regenerated on demand.

Three kinds, one third each, interleaved sign, receipt, screen, sign, ...:
  sign     coloured panel with a short shop word or phrase (one or two lines),
           text height 6-15% of the image height, angle 0, +-5 or +-12 degrees
  receipt  white paper panel with a shop name, 3-5 "item  price" lines, a total;
           text height 3-5%, angle 0, +-5 or +-12
  screen   flat UI panel (light or dark) with a title bar and wrapped sentences;
           text height 3-5%, angle 0 or +-5

truth.json maps each output file name to
  {"source": ..., "kind": ..., "font": ..., "angle": degrees (counter-clockwise),
   "size": [w, h],
   "lines": [{"text": exact string drawn, "box": [x0, y0, x1, y1],
              "quad": [[x, y] x4], "height": h}]}
where box is the axis-aligned bounding box of the (rotated) line, quad its four
corners (top-left, top-right, bottom-right, bottom-left of the unrotated line),
both as fractions of the image width and height, and height the nominal text
height of the line (ink height of "HXgy" in its font and size) as a fraction of
the image height. Lines are listed in reading order.

Deterministic: same SRC_DIR contents, same fonts, same Pillow major version ->
same file names, same strings, same boxes (pixels may differ slightly between
Pillow versions because of font rasterisation and JPEG encoding).
"""
import argparse
import json
import math
import os
import random
import sys

try:
    from PIL import Image, ImageDraw, ImageFont
except ImportError:
    sys.exit("needs Pillow: python3 -m venv /work/dev/eval-venv && "
             "/work/dev/eval-venv/bin/pip install pillow numpy")

FONT_DIRS = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation",
             "/usr/share/fonts/TTF", "/usr/share/fonts/dejavu", "/usr/share/fonts/liberation",
             "/Library/Fonts", "/System/Library/Fonts/Supplemental"]
SIGN_FONTS = ["DejaVuSans-Bold.ttf", "DejaVuSerif-Bold.ttf", "LiberationSans-Bold.ttf",
              "LiberationSerif-Bold.ttf", "LiberationSansNarrow-Bold.ttf",
              "DejaVuSansCondensed-Bold.ttf", "DejaVuSans.ttf", "LiberationSerif-Regular.ttf"]
RECEIPT_FONTS = ["DejaVuSansMono.ttf", "LiberationMono-Regular.ttf", "DejaVuSansMono-Bold.ttf",
                 "LiberationMono-Bold.ttf", "DejaVuSans.ttf"]
SCREEN_FONTS = ["DejaVuSans.ttf", "LiberationSans-Regular.ttf", "DejaVuSerif.ttf",
                "LiberationSerif-Regular.ttf", "DejaVuSansCondensed.ttf"]

# Sign phrases: each is used at least once (signs cycle through a shuffled copy).
# A "/" splits a phrase over two lines.
SIGN_PHRASES = ["FRESH BAKERY", "OPEN", "EXIT", "HOTEL ROMA", "CAFE", "PHARMACY",
                "NO PARKING", "PIZZA", "TAXI", "CITY MUSEUM", "SALE/50% OFF", "FLORIST",
                "BUS STOP", "POST OFFICE", "ICE CREAM", "WELCOME", "BOOKS/AND MAPS",
                "GARAGE", "CAFE/DEL MAR", "HOTEL/ASTORIA"]
SIGN_COLOURS = [((200, 30, 30), (255, 255, 255)), ((20, 90, 40), (255, 255, 255)),
                ((20, 40, 110), (255, 220, 0)), ((15, 15, 15), (255, 255, 255)),
                ((250, 250, 245), (10, 10, 10)), ((255, 210, 0), (10, 10, 10)),
                ((90, 50, 20), (250, 235, 200)), ((0, 110, 200), (255, 255, 255)),
                ((240, 120, 0), (0, 0, 0)), ((0, 130, 120), (255, 255, 255))]
SHOPS = ["CORNER MARKET", "GREEN GROCER", "CAFE LUNA", "CITY PHARMACY", "HARDWARE CO",
         "BAKERY ROSSI", "FUEL STOP", "BOOK NOOK"]
ITEMS = ["MILK 1L", "BREAD", "COFFEE", "EGGS X6", "BANANAS", "TEA", "BUTTER", "APPLES",
         "RICE 1KG", "PASTA", "CHEESE", "WATER", "SOAP", "TOMATOES", "CROISSANT",
         "NEWSPAPER", "BATTERIES", "YOGURT", "HONEY", "ORANGE JUICE"]
TITLES = ["Messages", "Settings", "Notes", "Calendar", "Weather", "Reminders", "Mail"]
SENTENCES = ["The meeting has moved to Thursday at ten.",
             "Your photos were backed up last night.",
             "Remember to buy milk on the way home.",
             "The train to Lyon leaves from platform four.",
             "Rain is expected later this afternoon.",
             "Please confirm the booking before Friday.",
             "Dinner is ready, come downstairs.",
             "The garden needs watering every morning.",
             "Battery low, connect your charger soon.",
             "Tickets for the concert are now available.",
             "Call the dentist to change the appointment.",
             "The library closes early on Sundays.",
             "Sunny with light wind near the coast.",
             "Two new albums were shared with you.",
             "Pick up the keys from the front desk."]
# Classes whose sample photo already shows prominent text; skipped as sources so
# that OCR output on the rendered set is (nearly) only the rendered text.
TEXTY = {"web_site", "scoreboard", "book_jacket", "menu", "comic_book", "crossword_puzzle",
         "street_sign", "packet", "carton", "shoe_shop", "bookshop", "cinema", "tobacco_shop",
         "toyshop", "Band_Aid", "cassette", "accordion", "lotion", "sunscreen", "swab",
         "hand-held_computer", "water_tower", "envelope", "pill_bottle", "digital_clock",
         "rule", "odometer", "slide_rule", "pop_bottle", "beer_bottle", "wine_bottle",
         "trailer_truck", "trolleybus", "jean", "rugby_ball", "cocktail_shaker", "perfume",
         "bookcase", "library", "grocery_store", "confectionery", "hatchet", "monitor",
         "screen", "television", "notebook", "laptop", "desktop_computer", "iPod",
         "cellular_telephone", "harmonica", "mailbox", "parking_meter", "pay-phone",
         "police_van", "school_bus", "ambulance", "lens_cap", "wall_clock", "analog_clock",
         "barometer", "stopwatch", "magnetic_compass", "sundial", "balloon", "garbage_truck"}
ANGLES = [0, 5, -5, 12, -12]


def find_font(name):
    for d in FONT_DIRS:
        p = os.path.join(d, name)
        if os.path.exists(p):
            return p
    return None


def available(names):
    out = [(n, find_font(n)) for n in names]
    out = [(n, p) for n, p in out if p]
    if not out:
        sys.exit("no usable fonts found in " + ", ".join(FONT_DIRS))
    return out


def line_size(font, text):
    x0, y0, x1, y1 = font.getbbox(text)
    return x1 - x0, y1 - y0, x0, y0


def font_for_height(path, px):
    """TrueType font whose ink height for 'HXgy' is about px pixels."""
    ref = ImageFont.truetype(path, 100)
    _, h, _, _ = line_size(ref, "HXgy")
    return ImageFont.truetype(path, max(6, round(100 * px / h)))


def build_panel(kind, rng, img_h, hfrac, fontpath, panel_w_max):
    """Return (RGBA panel, [(text, (x0, y0, x1, y1) in panel px, ink height px)])."""
    px = hfrac * img_h
    font = font_for_height(fontpath, px)
    _, ref_h, _, _ = line_size(font, "HXgy")
    lines = []
    if kind == "sign":
        bg, fg = rng.choice(SIGN_COLOURS)
        texts = rng.sign_phrase.split("/")
        pad_x, pad_y, gap = int(ref_h * 0.6), int(ref_h * 0.45), int(ref_h * 0.35)
        widths = [line_size(font, t)[0] for t in texts]
        W = max(widths) + 2 * pad_x
        H = len(texts) * ref_h + (len(texts) - 1) * gap + 2 * pad_y
        panel = Image.new("RGBA", (W, H), bg + (255,))
        d = ImageDraw.Draw(panel)
        if rng.random() < 0.5:
            bw = max(2, ref_h // 10)
            d.rectangle([bw, bw, W - 1 - bw, H - 1 - bw], outline=fg + (255,), width=bw)
        y = pad_y
        for t, w in zip(texts, widths):
            x = (W - w) // 2
            lines.append((t, x, y))
            y += ref_h + gap
        colour = fg
    elif kind == "receipt":
        paper = rng.choice([(250, 250, 245), (255, 255, 255), (245, 242, 232)])
        colour = rng.choice([(20, 20, 20), (40, 40, 70), (0, 0, 0)])
        n = rng.randint(3, 5)
        items = rng.sample(ITEMS, n)
        prices = [rng.randint(49, 1299) / 100 for _ in items]
        width = max(len(i) for i in items) + 8
        texts = [rng.choice(SHOPS)]
        texts += [f"{i:<{width - 7}}{p:>7.2f}" for i, p in zip(items, prices)]
        texts.append(f"{'TOTAL':<{width - 7}}{sum(prices):>7.2f}")
        pad_x, pad_y, gap = int(ref_h * 0.8), int(ref_h * 0.8), int(ref_h * 0.45)
        widths = [line_size(font, t)[0] for t in texts]
        W = max(widths) + 2 * pad_x
        H = len(texts) * ref_h + (len(texts) - 1) * gap + 2 * pad_y
        panel = Image.new("RGBA", (W, H), paper + (255,))
        y = pad_y
        for k, (t, w) in enumerate(zip(texts, widths)):
            x = (W - w) // 2 if k == 0 else pad_x
            lines.append((t, x, y))
            y += ref_h + gap
            if k == 0:
                y += gap
    else:  # screen
        dark = rng.random() < 0.4
        bg = (32, 33, 36) if dark else (248, 248, 250)
        colour = (232, 234, 237) if dark else (25, 25, 30)
        bar = rng.choice([(26, 115, 232), (52, 168, 83), (120, 60, 170), (60, 60, 66)])
        title = rng.choice(TITLES)
        body = " ".join(rng.sample(SENTENCES, rng.randint(2, 3)))
        pad, gap = int(ref_h * 0.8), int(ref_h * 0.5)
        maxw = int(panel_w_max - 2 * pad)
        wrapped, cur = [], ""
        for word in body.split():
            cand = (cur + " " + word).strip()
            if cur and line_size(font, cand)[0] > maxw:
                wrapped.append(cur)
                cur = word
            else:
                cur = cand
        if cur:
            wrapped.append(cur)
        widths = [line_size(font, t)[0] for t in [title] + wrapped]
        W = max(widths) + 2 * pad
        bar_h = ref_h + 2 * gap
        H = bar_h + pad + len(wrapped) * ref_h + (len(wrapped) - 1) * gap + pad
        panel = Image.new("RGBA", (W, H), bg + (255,))
        d = ImageDraw.Draw(panel)
        d.rectangle([0, 0, W, bar_h], fill=bar + (255,))
        lines.append((title, pad, gap, (255, 255, 255)))
        y = bar_h + pad
        for t in wrapped:
            lines.append((t, pad, y))
            y += ref_h + gap
    d = ImageDraw.Draw(panel)
    out = []
    for entry in lines:
        t, x, y = entry[:3]
        c = entry[3] if len(entry) > 3 else colour
        # place the ink box of "HXgy" at (x, y): shift by the font's bbox offset
        _, _, ox, oy = line_size(font, "HXgy")
        w, h, lx, ly = line_size(font, t)
        d.text((x - lx, y - oy), t, font=font, fill=c + (255,))
        x0, y0, x1, y1 = font.getbbox(t)
        box = (x - lx + x0, y - oy + y0, x - lx + x1, y - oy + y1)
        out.append((t, box, ref_h))
    return panel, out


def rotate_point(x, y, cx, cy, ncx, ncy, deg):
    a = math.radians(deg)
    dx, dy = x - cx, y - cy
    return (ncx + math.cos(a) * dx + math.sin(a) * dy,
            ncy - math.sin(a) * dx + math.cos(a) * dy)


def render_one(src_path, kind, rng, fonts):
    img = Image.open(src_path).convert("RGB")
    W, H = img.size
    fname, fpath = rng.choice(fonts)
    if kind == "sign":
        angle = rng.choice(ANGLES)
        hfrac = rng.uniform(0.06, 0.15)
    elif kind == "receipt":
        angle = rng.choice(ANGLES)
        hfrac = rng.uniform(0.03, 0.05)
    else:
        angle = rng.choice([0, 0, 5, -5])
        hfrac = rng.uniform(0.03, 0.05)
    panel_w_max = W * rng.uniform(0.55, 0.8)
    state = rng.getstate()
    while True:
        rng.setstate(state)  # same strings at every size
        panel, lines = build_panel(kind, rng, H, hfrac, fpath, panel_w_max)
        rot = panel.rotate(angle, resample=Image.BICUBIC, expand=True)
        if (rot.width <= 0.94 * W and rot.height <= 0.94 * H) or hfrac <= 0.0301:
            break
        hfrac = max(0.03, hfrac * 0.9)
    if rot.width > W or rot.height > H:
        return None
    ox = rng.randint(int(0.03 * W), max(int(0.03 * W), W - rot.width - int(0.03 * W)))
    oy = rng.randint(int(0.03 * H), max(int(0.03 * H), H - rot.height - int(0.03 * H)))
    ox, oy = min(ox, W - rot.width), min(oy, H - rot.height)
    if kind == "receipt" or rng.random() < 0.5:  # soft shadow for paper / some signs
        shadow = Image.new("RGBA", rot.size, (0, 0, 0, 0))
        shadow.putalpha(rot.getchannel("A").point(lambda v: v * 90 // 255))
        img.paste((0, 0, 0), (ox + 4, oy + 4), shadow)
    img.paste(rot, (ox, oy), rot)
    cx, cy = panel.width / 2, panel.height / 2
    ncx, ncy = rot.width / 2 + ox, rot.height / 2 + oy
    out_lines = []
    for t, (x0, y0, x1, y1), h in lines:
        quad = [rotate_point(px, py, cx, cy, ncx, ncy, angle)
                for px, py in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]
        xs, ys = [p[0] for p in quad], [p[1] for p in quad]
        out_lines.append({
            "text": t,
            "box": [round(max(0, min(xs)) / W, 4), round(max(0, min(ys)) / H, 4),
                    round(min(W, max(xs)) / W, 4), round(min(H, max(ys)) / H, 4)],
            "quad": [[round(x / W, 4), round(y / H, 4)] for x, y in quad],
            "height": round(h / H, 4),
        })
    meta = {"source": os.path.basename(src_path), "kind": kind, "font": fname,
            "angle": angle, "size": [W, H], "lines": out_lines}
    return img, meta


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("src_dir")
    ap.add_argument("out_dir")
    ap.add_argument("--count", type=int, default=60)
    ap.add_argument("--seed", type=int, default=20261202)
    ap.add_argument("--debug-boxes", action="store_true",
                    help="also write debug_*.png with the truth quads drawn")
    a = ap.parse_args()
    names = sorted(n for n in os.listdir(a.src_dir) if n.lower().endswith((".jpeg", ".jpg")))
    if not names:
        sys.exit(f"no JPEGs in {a.src_dir}")
    names = [n for n in names if os.path.splitext(n)[0].split("_", 1)[-1] not in TEXTY]
    rng = random.Random(a.seed)
    order = names[:]
    rng.shuffle(order)
    fonts = {"sign": available(SIGN_FONTS), "receipt": available(RECEIPT_FONTS),
             "screen": available(SCREEN_FONTS)}
    phrases = SIGN_PHRASES[:]
    rng.shuffle(phrases)
    os.makedirs(a.out_dir, exist_ok=True)
    truth, kinds, k, n_sign = {}, ["sign", "receipt", "screen"], 0, 0
    for src in order:
        if len(truth) >= a.count:
            break
        with Image.open(os.path.join(a.src_dir, src)) as im:
            if min(im.size) < 300:
                continue
        kind = kinds[len(truth) % 3]
        r = random.Random(f"{a.seed}:{len(truth)}:{src}")
        if kind == "sign":
            r.sign_phrase = phrases[n_sign % len(phrases)]
        res = render_one(os.path.join(a.src_dir, src), kind, r, fonts[kind])
        if res is None:
            continue
        if kind == "sign":
            n_sign += 1
        img, meta = res
        out = f"text_{len(truth):03d}_{kind}.jpg"
        img.save(os.path.join(a.out_dir, out), quality=90)
        if a.debug_boxes:
            dbg = img.copy()
            d = ImageDraw.Draw(dbg)
            for ln in meta["lines"]:
                d.polygon([(x * img.width, y * img.height) for x, y in ln["quad"]],
                          outline=(255, 0, 255))
            dbg.save(os.path.join(a.out_dir, "debug_" + out.replace(".jpg", ".png")))
        truth[out] = meta
    with open(os.path.join(a.out_dir, "truth.json"), "w") as f:
        json.dump(truth, f, indent=1, sort_keys=True)
    print(f"wrote {len(truth)} images and truth.json to {a.out_dir}")


if __name__ == "__main__":
    main()
