"""Banana's flat index against FAISS IndexFlatIP, same vectors, same threads, alternating.

usage: compare.py SEARCH_SPEED_BINARY DATA_DIR SIZES QUERIES THREADS ROUNDS

For each size N, starts `search_speed --sizes N --serve --dump DATA_DIR` (Banana builds its
index from seeded random 384-d unit vectors and writes them to files), loads the same files
into faiss.IndexFlatIP, deletes the files, then for ROUNDS rounds and each thread count
alternates: Banana exact, Banana int8+rerank, FAISS. Each measurement times QUERIES single
queries (k=10) after 5 warm-ups. The machine is shared and noisy, so the figures reported are
the medians over rounds of each measurement's p50 and p99; the ratio is Banana exact / FAISS.
FAISS's and the int8 scan's answers are checked against Banana's exact top-10 (1.0 = the same
rows for every query).
"""
import os
import statistics
import subprocess
import sys
import time

import faiss
import numpy as np

DIM = 384
K = 10


def faiss_round(index, xq, threads, banana):
    faiss.omp_set_num_threads(threads)
    for i in range(5):
        index.search(xq[i : i + 1], K)
    ms, same = [], 0
    for i in range(len(xq)):
        q = xq[i : i + 1]
        t0 = time.perf_counter()
        _, ids = index.search(q, K)
        ms.append((time.perf_counter() - t0) * 1e3)
        same += len(set(map(str, ids[0])) & set(banana[i]))
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 99)), same / (len(xq) * K)


def banana_round(proc, mode, threads):
    proc.stdin.write(f"{mode} {threads}\n")
    proc.stdin.flush()
    while True:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit("search_speed exited early")
        if line.startswith("RESULT "):
            f = dict(kv.split("=") for kv in line.split()[2:])
            # The next line is Banana's agreement with its own exact top-k.
            recall = float(proc.stdout.readline().split()[-1])
            return float(f["p50"]), float(f["p99"]), recall


def main():
    binary, data, sizes, nq, threads, rounds = sys.argv[1:7]
    nq, rounds = int(nq), int(rounds)
    threads = [int(t) for t in threads.split(",")]
    rows = []
    for n in [int(x) for x in sizes.split(",")]:
        proc = subprocess.Popen(
            [binary, "--sizes", str(n), "--queries", str(nq), "--k", str(K), "--skip-embed",
             "--serve", "--dump", data],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for line in proc.stdout:
            print("  banana:", line.rstrip())
            if line.startswith("READY"):
                break
        xb = np.fromfile(f"{data}/base-{n}.f32", dtype="<f4").reshape(n, DIM)
        xq = np.fromfile(f"{data}/queries-{n}.f32", dtype="<f4").reshape(-1, DIM)[:nq]
        banana_top = [line.split() for line in open(f"{data}/banana-top-{n}.txt")]
        index = faiss.IndexFlatIP(DIM)
        index.add(xb)
        del xb
        for f in os.listdir(data):
            os.remove(os.path.join(data, f))
        res = {}
        for r in range(rounds):
            for t in threads:
                for name, fn in [
                    ("exact", lambda: banana_round(proc, "exact", t)),
                    ("int8", lambda: banana_round(proc, "int8", t)),
                    ("faiss", lambda: faiss_round(index, xq, t, banana_top)),
                ]:
                    out = fn()
                    res.setdefault((name, t), []).append(out)
                    extra = f", same rows as Banana exact {out[2]:.4f}"
                    print(f"  N={n} round {r + 1} {name:5} {t} thread(s): p50 {out[0]:.3f} ms, p99 {out[1]:.3f} ms{extra}",
                          flush=True)
        proc.stdin.write("quit\n")
        proc.stdin.flush()
        proc.wait()
        del index
        for t in threads:
            med = {name: (statistics.median(x[0] for x in res[(name, t)]),
                          statistics.median(x[1] for x in res[(name, t)]))
                   for name in ("exact", "int8", "faiss")}
            same = min(x[2] for x in res[("faiss", t)])
            same8 = min(x[2] for x in res[("int8", t)])
            rows.append((n, t, med, same, same8))
    print()
    print(f"Medians over {rounds} rounds of {nq} single queries each, k={K}, 384-d:")
    print()
    print("| N | threads | Banana exact p50 / p99 ms | Banana int8+rerank p50 / p99 ms "
          "| FAISS IndexFlatIP p50 / p99 ms | exact / FAISS p50 | exact / FAISS p99 | FAISS = exact rows "
          "| int8 = exact rows |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n, t, m, same, same8 in rows:
        e, i, f = m["exact"], m["int8"], m["faiss"]
        print(f"| {n} | {t} | {e[0]:.3f} / {e[1]:.3f} | {i[0]:.3f} / {i[1]:.3f} | {f[0]:.3f} / {f[1]:.3f} "
              f"| {e[0] / f[0]:.2f} | {e[1] / f[1]:.2f} | {same:.4f} | {same8:.4f} |")


if __name__ == "__main__":
    main()
