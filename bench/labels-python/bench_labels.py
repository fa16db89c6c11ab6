"""ONNX Runtime from Python on the same ONNX file and images as `bench_labels` (Rust).

Decodes with Pillow (EXIF orientation applied), preprocesses exactly like the reference ingest
(centre crop of the central 224/256 of the short side, bicubic resize with Pillow's `box`,
(x-127)/128, NCHW), runs one image at a time with the given intra-op thread count, and prints
accuracy against the WordNet id in each file name and median milliseconds per stage.
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np
import onnxruntime as ort
from PIL import Image, ImageOps


def model_input(img):
    w, h = img.size
    s = min(w, h) * 224 / 256
    left, top = (w - s) / 2, (h - s) / 2
    x = img.resize((224, 224), Image.BICUBIC, box=(left, top, left + s, top + s))
    x = (np.asarray(x, dtype=np.float32) - 127.0) / 128.0
    return np.ascontiguousarray(x.transpose(2, 0, 1)[None])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("images")
    ap.add_argument("model")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--dump", help="write 'file name<TAB>top-1 wnid' per image")
    a = ap.parse_args()

    so = ort.SessionOptions()
    so.intra_op_num_threads = a.threads
    so.inter_op_num_threads = 1
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    sess = ort.InferenceSession(a.model, so, providers=["CPUExecutionProvider"])
    inp = sess.get_inputs()[0].name

    files = sorted(f for f in os.listdir(a.images) if f.lower().endswith((".jpeg", ".jpg", ".png")))
    wnids = sorted({f.split("_")[0] for f in files})
    if len(wnids) != 1000:
        sys.exit(f"expected 1000 classes in the file names, found {len(wnids)}")
    zeros = np.zeros((1, 3, 224, 224), np.float32)
    for _ in range(3):
        sess.run(["logits"], {inp: zeros})

    dec, pre, inf = [], [], []
    top1 = top5 = 0
    dump = []
    start = time.perf_counter()
    for f in files:
        t0 = time.perf_counter()
        img = ImageOps.exif_transpose(Image.open(os.path.join(a.images, f))).convert("RGB")
        t1 = time.perf_counter()
        x = model_input(img)
        t2 = time.perf_counter()
        logits = sess.run(["logits"], {inp: x})[0][0]
        best = np.argsort(-logits)[:5].tolist()
        t3 = time.perf_counter()
        dec.append(t1 - t0); pre.append(t2 - t1); inf.append(t3 - t2)
        truth = wnids.index(f.split("_")[0])
        top1 += best[0] == truth
        top5 += truth in best
        dump.append(f"{f}\t{wnids[best[0]]}\n")
    wall = time.perf_counter() - start
    n = len(files)
    ms = lambda v: statistics.median(v) * 1e3
    p90 = sorted(inf)[int(0.9 * (n - 1))] * 1e3
    print(f"images={n} threads={a.threads} top1={100 * top1 / n:.1f}% ({top1}/{n}) top5={100 * top5 / n:.1f}% ({top5}/{n})")
    print(f"wall_s={wall:.2f} images_per_s={n / wall:.1f}")
    print(f"median ms per image: decode={ms(dec):.2f} preprocess={ms(pre):.2f} inference={ms(inf):.2f} (inference p90={p90:.2f})")
    if a.dump:
        with open(a.dump, "w") as fh:
            fh.writelines(dump)


if __name__ == "__main__":
    main()
