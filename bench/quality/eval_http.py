#!/usr/bin/env python3
"""Search quality through the HTTP API: P@10 and recall per query family, hybrid and keyword.

Usage:  eval_http.py URL USER PASSWORD [--modes hybrid,keyword] [--limit 50] [--json OUT]

The server at URL must already hold the photos (the 1000 ImageNet samples and the rendered
text set, make_text_set.py), analysed; USER/PASSWORD is the account that owns them. Queries:

  crates/banana-search/data/queries.tsv   family "labels" (the existing 38; relevant when the
                                          WordNet id of the file name is listed)
  bench/quality/queries.tsv               families people, text, colour (relevant file names)

Each query runs as GET /api/v1/search?q=…&limit=LIMIT&mode=MODE (a server without the `mode`
parameter ignores it and runs hybrid: the script then prints "(mode ignored)"). P@10 is over
the first 10 hits (fewer hits count as misses); recall is recall@LIMIT over the relevant files
the server holds (files it does not hold are left out of the judgement).
"""
import argparse
import json
import os
import sys
import urllib.parse
import urllib.request

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def load_queries():
    out = []
    with open(os.path.join(REPO, "crates/banana-search/data/queries.tsv")) as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            q, ids = line.rstrip("\n").split("\t")
            out.append(("labels", q, {"wnids": set(ids.split())}))
    with open(os.path.join(REPO, "bench/quality/queries.tsv")) as f:
        next(f)
        for line in f:
            fam, q, files = line.rstrip("\n").split("\t")
            out.append((fam, q, {"files": set(files.split(","))}))
    return out


def relevant(judge, filename):
    if "files" in judge:
        return filename in judge["files"]
    return filename.split("_")[0] in judge["wnids"]


class Api:
    def __init__(self, url, user, password):
        self.url = url.rstrip("/")
        body = json.dumps({"username": user, "password": password}).encode()
        req = urllib.request.Request(self.url + "/api/v1/auth/login", data=body,
                                     headers={"Content-Type": "application/json"})
        self.token = json.load(urllib.request.urlopen(req))["token"]

    def get(self, path):
        req = urllib.request.Request(self.url + path,
                                     headers={"Authorization": "Bearer " + self.token})
        return json.load(urllib.request.urlopen(req))

    def filenames(self):
        names, cursor = set(), None
        while True:
            q = "/api/v1/images?limit=100" + ("&cursor=" + urllib.parse.quote(cursor) if cursor else "")
            page = self.get(q)
            names.update(i["filename"] for i in page["items"])
            cursor = page.get("next_cursor")
            if not cursor:
                return names


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("url")
    ap.add_argument("user")
    ap.add_argument("password")
    ap.add_argument("--modes", default="hybrid,keyword")
    ap.add_argument("--limit", type=int, default=50)
    ap.add_argument("--json")
    a = ap.parse_args()
    api = Api(a.url, a.user, a.password)
    held = api.filenames()
    print(f"{len(held)} images on the server", file=sys.stderr)
    rows = []
    for fam, q, judge in load_queries():
        rel = {f for f in held if relevant(judge, f)}
        if not rel:
            continue
        for mode in a.modes.split(","):
            page = api.get(f"/api/v1/search?q={urllib.parse.quote(q)}&limit={a.limit}&mode={mode}")
            hits = [h["image"]["filename"] for h in page["items"]]
            top = hits[:10]
            p10 = sum(1 for h in top if h in rel) / 10
            recall = len(set(hits) & rel) / len(rel)
            rows.append({"family": fam, "query": q, "mode": mode, "ran": page.get("mode", "hybrid"),
                         "relevant": len(rel), "p10": p10, "recall": recall,
                         "ceiling": min(10, len(rel)) / 10,
                         "misses": [h for h in top if h not in rel][:3], "top10": top})
    families = sorted({r["family"] for r in rows}, key=["labels", "people", "text", "colour"].index)
    print(f"| family | queries | mode | P@10 | recall@{a.limit} | best possible P@10 |")
    print("|---|---|---|---|---|---|")
    for fam in families + ["all"]:
        for mode in a.modes.split(","):
            rs = [r for r in rows if (fam == "all" or r["family"] == fam) and r["mode"] == mode]
            if not rs:
                continue
            ignored = " (mode ignored)" if any(r["ran"] != mode for r in rs) else ""
            n = len(rs)
            print(f"| {fam} | {n} | {mode}{ignored} | {sum(r['p10'] for r in rs) / n:.3f} | "
                  f"{sum(r['recall'] for r in rs) / n:.3f} | {sum(r['ceiling'] for r in rs) / n:.3f} |")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
