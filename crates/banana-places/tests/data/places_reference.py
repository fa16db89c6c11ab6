"""Independent reference for banana-places: the nearest GeoNames place of test positions,
computed by the Python `reverse_geocoder` package (its own data file, rg_cities1000.csv, and
its own k-d tree), plus the great-circle distance to it. GPS positions of the shared camera
files are read with Pillow.

    python3 -m venv /tmp/pyref && /tmp/pyref/bin/pip install reverse_geocoder==1.5.1 Pillow==11.3.0
    /tmp/pyref/bin/python places_reference.py ../../../../../shared/data > places-reference.json
"""
import json, math, os, sys

import reverse_geocoder as rg
from PIL import Image

# Known positions: city centres on every inhabited continent, and open sea.
POSITIONS = [
    ("paris", 48.8566, 2.3522),
    ("tokyo", 35.6812, 139.7671),
    ("new-york", 40.7484, -73.9857),
    ("sydney", -33.8688, 151.2093),
    ("sao-paulo", -23.5505, -46.6333),
    ("nairobi", -1.2864, 36.8172),
    ("reykjavik", 64.1466, -21.9426),
    ("cape-town", -33.9249, 18.4241),
    ("mid-atlantic", 30.0, -40.0),
    ("south-pacific", -40.0, -120.0),
]


def haversine_km(a, b, c, d):
    p1, p2 = math.radians(a), math.radians(c)
    dp, dl = math.radians(c - a), math.radians(d - b)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def gps_of(path):
    exif = Image.open(path).getexif().get_ifd(0x8825)
    if 2 not in exif or 4 not in exif:
        return None
    deg = lambda v: float(v[0]) + float(v[1]) / 60 + float(v[2]) / 3600
    lat, lon = deg(exif[2]), deg(exif[4])
    if exif.get(1) == "S":
        lat = -lat
    if exif.get(3) == "W":
        lon = -lon
    return lat, lon


def main(shared):
    points = list(POSITIONS)
    folder = os.path.join(shared, "exif-samples", "jpg", "gps")
    for name in sorted(os.listdir(folder)):
        if name.lower().endswith(".jpg"):
            p = gps_of(os.path.join(folder, name))
            if p:
                points.append(("jpg/gps/" + name, p[0], p[1]))
    found = rg.search([(lat, lon) for _, lat, lon in points], mode=1, verbose=False)
    out = []
    for (name, lat, lon), f in zip(points, found):
        out.append({
            "name": name, "lat": round(lat, 6), "lon": round(lon, 6),
            "nearest": f["name"], "admin1": f["admin1"], "cc": f["cc"],
            "nearest_lat": float(f["lat"]), "nearest_lon": float(f["lon"]),
            "distance_km": round(haversine_km(lat, lon, float(f["lat"]), float(f["lon"])), 3),
        })
    json.dump({"generator": "reverse_geocoder 1.5.1 (PyPI)", "places": out}, sys.stdout, indent=1, ensure_ascii=False)
    print()


main(sys.argv[1])
