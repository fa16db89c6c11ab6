# Reference values for tests/metadata.rs, read by an independent EXIF reader (Pillow, with
# pillow-heif for HEIF). Regenerate: python exif_reference.py ../../../../../shared/data/exif-samples > exif-reference.json
import sys, os, json
from PIL import Image, ExifTags
from PIL.TiffImagePlugin import IFDRational
try:
    import pillow_heif; pillow_heif.register_heif_opener()
except Exception: pass
root = sys.argv[1]
out = {}
def f(v):
    if v is None: return None
    if isinstance(v, tuple): return [f(x) for x in v]
    try: return float(v)
    except Exception: return str(v)
for dp, dn, fn in os.walk(root):
    for n in sorted(fn):
        p = os.path.join(dp, n); rel = os.path.relpath(p, root)
        try:
            im = Image.open(p); ex = im.getexif()
        except Exception as e:
            continue
        ifd = ex.get_ifd(0x8769); gps = ex.get_ifd(0x8825)
        d = {
          'make': ex.get(0x010F), 'model': ex.get(0x0110),
          'dto': ifd.get(0x9003), 'oto': ifd.get(0x9011), 'dtd': ifd.get(0x9004),
          'lens': ifd.get(0xA434), 'focal': f(ifd.get(0x920A)), 'fnum': f(ifd.get(0x829D)),
          'exp': f(ifd.get(0x829A)), 'iso': ifd.get(0x8827),
          'lat': f(gps.get(2)), 'latref': gps.get(1), 'lon': f(gps.get(4)), 'lonref': gps.get(3),
        }
        out[rel] = {k: (v if not isinstance(v, bytes) else v.decode('latin1')) for k, v in d.items()}
json.dump(out, sys.stdout, indent=0, default=str)
