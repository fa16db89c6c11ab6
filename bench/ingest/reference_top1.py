"""Top-1 WordNet id per file from the Python reference pipeline's own code (reference_ingest.py),
written as `file name<TAB>wnid`, for agreement with Banana's bench. Not timed.
Usage: reference_top1.py REFERENCE_DIR IMAGE_DIR MODEL.onnx OUT.tsv [--workers N]"""
import os, sys, tempfile
from multiprocessing import Pool

ref_dir, images, model, out = sys.argv[1:5]
workers = int(sys.argv[6]) if len(sys.argv) > 6 and sys.argv[5] == "--workers" else 2
sys.path.insert(0, ref_dir)
import reference_ingest as ri  # noqa: E402

wnids_file = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                          "crates", "banana-vision", "data", "imagenet_classes.tsv")


def main():
    with open(wnids_file) as f:
        rows = [l.rstrip("\n").split("\t") for l in f if l.strip() and not l.startswith("#")]
    wnids = sorted(r[1] for r in rows)
    assert len(wnids) == 1000, len(wnids)
    files = sorted(os.path.join(images, f) for f in os.listdir(images)
                   if f.lower().endswith((".jpg", ".jpeg", ".png", ".webp")))
    tmp = tempfile.mkdtemp(prefix="reference-top1-")
    with Pool(workers, initializer=ri._init, initargs=(model, tmp)) as pool:
        results = pool.map(ri.ingest, files, chunksize=4)
    with open(out, "w") as f:
        for path, top5, _ in results:
            f.write(f"{os.path.basename(path)}\t{wnids[top5[0]]}\n")


if __name__ == "__main__":
    main()
