# Reference values for tests/heic.rs, from libheif's own converter (not from Banana's code):
# each HEIF/AVIF file is converted by `heif-convert` (which applies the container's crop,
# rotation and mirror) to PNG, and Pillow reads the PNG: its size and the mean RGB of an 8x8 grid
# of blocks (block i spans [i*W//8, (i+1)*W//8)). Regenerate:
#   python heic_reference.py ../../../../../shared/data/exif-samples samplefilehub.avif > heic-reference.json
import json, os, subprocess, sys, tempfile
from PIL import Image
root = sys.argv[1]
files = []
for dp, dn, fn in os.walk(os.path.join(root, 'heic')):
    files += [os.path.join(dp, n) for n in fn if n.lower().endswith(('.heic', '.heif'))]
files = sorted(os.path.relpath(f, root) for f in files)
out = {}
for rel in files + sys.argv[2:]:
    path = os.path.join(root, rel) if rel in files else rel
    with tempfile.TemporaryDirectory() as tmp:
        png = os.path.join(tmp, 'out.png')
        subprocess.run(['heif-convert', path, png], check=True, capture_output=True)
        im = Image.open(png).convert('RGB')
        w, h = im.size
        px = im.load()
        grid = []
        for by in range(8):
            for bx in range(8):
                x0, x1, y0, y1 = bx * w // 8, (bx + 1) * w // 8, by * h // 8, (by + 1) * h // 8
                s = [0, 0, 0]
                for y in range(y0, y1):
                    for x in range(x0, x1):
                        p = px[x, y]
                        s[0] += p[0]; s[1] += p[1]; s[2] += p[2]
                n = (x1 - x0) * (y1 - y0)
                grid.append([round(c / n, 2) for c in s])
        out[rel] = {'width': w, 'height': h, 'grid': grid}
json.dump(out, sys.stdout, indent=0)
