#!/usr/bin/env python3
"""Regenerate queries.tsv from the judgement files and the text-set truth.

Usage:  make_queries.py TRUTH_JSON [OUT_TSV]     (default OUT_TSV: queries.tsv next to this file)

TRUTH_JSON is OUT_DIR/truth.json from make_text_set.py (default seed, 60 images).
Family `people` comes from people.tsv plus the hand-picked lists below, `colour` from
colors.tsv plus the hand-picked lists below, `text` from the rendered strings.
Output: family<TAB>query<TAB>comma-separated relevant file names, one query a line.
"""
import csv
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# Judged by looking at the photos (see README.md): subsets of the people: yes files.
GROUP_EXTRA = [  # several people although fewer than two faces are visible
    "n02835271_bicycle-built-for-two.JPEG", "n02837789_bikini.JPEG",
    "n03792782_mountain_bike.JPEG", "n04019541_puck.JPEG", "n02802426_basketball.JPEG",
    "n03445924_golfcart.JPEG", "n03599486_jinrikisha.JPEG", "n04482393_tricycle.JPEG",
    "n04540053_volleyball.JPEG", "n04509417_unicycle.JPEG", "n04127249_safety_pin.JPEG",
    "n03662601_lifeboat.JPEG", "n03791053_motor_scooter.JPEG", "n04252077_snowmobile.JPEG",
    "n04418357_theater_curtain.JPEG", "n09835506_ballplayer.JPEG",
    "n03982430_pool_table.JPEG", "n02917067_bullet_train.JPEG"]
PORTRAIT = [  # one person, face large and frontal or profile, the photo is about them
    "n02807133_bathing_cap.JPEG", "n03763968_military_uniform.JPEG",
    "n03325584_feather_boa.JPEG", "n04584207_wig.JPEG", "n03692522_loupe.JPEG",
    "n03868863_oxygen_mask.JPEG", "n04251144_snorkel.JPEG", "n04591157_Windsor_tie.JPEG",
    "n03929855_pickelhaube.JPEG", "n03476991_hair_spray.JPEG", "n07714571_head_cabbage.JPEG",
    "n03617480_kimono.JPEG", "n02667093_abaya.JPEG", "n03884397_panpipe.JPEG",
    "n04136333_sarong.JPEG", "n03450230_gown.JPEG", "n10565667_scuba_diver.JPEG",
    "n03642806_laptop.JPEG", "n04532106_vestment.JPEG", "n04487394_trombone.JPEG"]
ON_WATER = [  # a person in a boat on, or standing in, open water
    "n02951358_canoe.JPEG", "n03873416_paddle.JPEG", "n03662601_lifeboat.JPEG",
    "n09421951_sandbar.JPEG"]
RED_VEHICLE = ["n03345487_fire_engine.JPEG", "n04285008_sports_car.JPEG",
               "n03100240_convertible.JPEG", "n02814533_beach_wagon.JPEG",
               "n04487081_trolleybus.JPEG"]
YELLOW_FLOWER = ["n12057211_yellow_lady's_slipper.JPEG", "n11879895_rapeseed.JPEG",
                 "n02281406_sulphur_butterfly.JPEG"]
TEXT_WORDS = ["bakery", "hotel roma", "hotel", "exit", "open", "cafe", "pharmacy", "pizza",
              "taxi", "museum", "no parking", "post office", "ice cream", "total", "coffee"]


def read_tsv(name):
    with open(os.path.join(HERE, name), newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    truth = json.load(open(sys.argv[1]))
    out_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "queries.tsv")
    people = read_tsv("people.tsv")
    colours = read_tsv("colors.tsv")
    yes = sorted(r["file"] for r in people if r["people"] == "yes")
    yes_set = set(yes)
    for lst in (GROUP_EXTRA, PORTRAIT, ON_WATER):
        missing = [f for f in lst if f not in yes_set]
        assert not missing, f"not judged people: yes: {missing}"
    group = sorted(set(r["file"] for r in people
                       if r["people"] == "yes" and r["faces"] in ("2+", "many")) | set(GROUP_EXTRA))
    rows = [("people", "people", yes), ("people", "a person", yes),
            ("people", "a group of people", group), ("people", "portrait", sorted(PORTRAIT)),
            ("people", "a person on the water", sorted(ON_WATER))]

    text = {k: " ".join(" ".join(l["text"] for l in v["lines"]).lower().split())
            for k, v in truth.items()}
    rows.append(("text", "text", sorted(truth)))
    for q, kind in (("a sign", "sign"), ("a receipt", "receipt"), ("a screenshot", "screen")):
        rows.append(("text", q, sorted(k for k, v in truth.items() if v["kind"] == kind)))
    for w in TEXT_WORDS:
        pat = re.compile(r"(?<![a-z0-9])" + re.escape(w) + r"(?![a-z0-9])")
        rel = sorted(k for k, t in text.items() if pat.search(t))
        assert rel, f"no rendered file contains {w!r}"
        rows.append(("text", w, rel))

    col = {r["file"]: r["colours"].split(",") for r in colours}
    def having(c, first_only=False):
        return sorted(f for f, cs in col.items() if (cs[0] == c if first_only else c in cs))
    rows.append(("colour", "red car", sorted(RED_VEHICLE)))
    rows.append(("colour", "a yellow flower", sorted(YELLOW_FLOWER)))
    rows.append(("colour", "something blue", having("blue")))
    for c in ("red", "green", "yellow", "orange", "pink", "purple", "brown", "white", "black"):
        rows.append(("colour", c, having(c)))
    with open(out_path, "w") as f:
        f.write("family\tquery\trelevant\n")
        for fam, q, rel in rows:
            f.write(f"{fam}\t{q}\t{','.join(rel)}\n")
    for fam, q, rel in rows:
        print(f"{fam:7} {q:24} {len(rel)}")


if __name__ == "__main__":
    main()
