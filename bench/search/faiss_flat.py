"""FAISS IndexFlatIP on the vectors written by `search_speed --dump DIR`.

usage: faiss_flat.py DIR N NQ K THREADS[,THREADS...]

Times one query at a time (like a search request) after 5 warm-up queries and prints
`RESULT faiss n=N threads=T p50=MS p99=MS recall=R`, where recall is the share of Banana's exact
top-k rows (banana-top-N.txt) that FAISS also returns: 1.0 means both searched the same data.
"""
import sys
import time

import faiss
import numpy as np

DIM = 384


def main():
    d, n, nq, k, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    xb = np.fromfile(f"{d}/base-{n}.f32", dtype="<f4").reshape(n, DIM)
    xq = np.fromfile(f"{d}/queries-{n}.f32", dtype="<f4").reshape(-1, DIM)[:nq]
    index = faiss.IndexFlatIP(DIM)
    index.add(xb)
    del xb
    banana = [line.split() for line in open(f"{d}/banana-top-{n}.txt")]
    for t in [int(x) for x in threads.split(",")]:
        faiss.omp_set_num_threads(t)
        for i in range(5):
            index.search(xq[i : i + 1], k)
        ms, same = [], 0
        for i in range(nq):
            q = xq[i : i + 1]
            t0 = time.perf_counter()
            _, ids = index.search(q, k)
            ms.append((time.perf_counter() - t0) * 1e3)
            same += len(set(map(str, ids[0])) & set(banana[i]))
        p50, p99 = np.percentile(ms, 50), np.percentile(ms, 99)
        print(f"  faiss {t} thread(s): p50 {p50:.3f} ms, p99 {p99:.3f} ms ({nq} queries, k={k}), "
              f"same rows as Banana exact {same / (nq * k):.4f}")
        print(f"RESULT faiss n={n} threads={t} p50={p50:.4f} p99={p99:.4f} recall={same / (nq * k):.4f}")


if __name__ == "__main__":
    main()
