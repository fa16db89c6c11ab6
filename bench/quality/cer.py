#!/usr/bin/env python3
"""Score OCR output against the rendered text set.

Usage:  cer.py TRUTH_JSON RESULTS_JSON [--per-file]

TRUTH_JSON   truth.json written by make_text_set.py
RESULTS_JSON what the OCR found, one list of recognised lines per file:
                 {"text_000_sign.jpg": ["POST OFFICE"],
                  "text_001_receipt.jpg": ["HARDWARE CO", "TOMATOES 1.74", ...], ...}
             Line order matters only through concatenation (lines are joined with
             a space, in the order given; sort OCR boxes top-to-bottom, then
             left-to-right). A truth file missing from RESULTS_JSON counts as
             "nothing recognised"; files not in the truth are ignored (reported).

Per image:
  normalise(s) = lower-case, every run of whitespace -> one space, stripped
  truth  = normalise(" ".join(truth lines)),  hyp = normalise(" ".join(result lines))
  CER    = levenshtein(truth, hyp) / len(truth)        (can exceed 1 for junk output)
  word recall = share of truth words (split on spaces, punctuation kept, counted
                with multiplicity) that occur among the hypothesis words
Reported: mean CER over images, pooled CER (sum of edits / sum of truth chars),
pooled word recall, and the same per kind (sign / receipt / screen).
Exit code 0; prints JSON to stdout.
"""
import argparse
import collections
import json
import sys


def normalise(s):
    return " ".join(s.lower().split())


def levenshtein(a, b):
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def word_hits(truth, hyp):
    have = collections.Counter(hyp.split())
    hits = 0
    words = truth.split()
    for w in words:
        if have[w] > 0:
            have[w] -= 1
            hits += 1
    return hits, len(words)


def main():
    ap = argparse.ArgumentParser(description="character error rate and word recall")
    ap.add_argument("truth_json")
    ap.add_argument("results_json")
    ap.add_argument("--per-file", action="store_true", help="include per-file scores")
    a = ap.parse_args()
    truth = json.load(open(a.truth_json))
    results = json.load(open(a.results_json))
    if not isinstance(results, dict) or not all(isinstance(v, list) for v in results.values()):
        sys.exit('RESULTS_JSON must be {"file.jpg": ["line", ...], ...}')
    groups = collections.defaultdict(lambda: {"n": 0, "cer_sum": 0.0, "edits": 0, "chars": 0,
                                              "hits": 0, "words": 0})
    per_file = {}
    for name in sorted(truth):
        t = normalise(" ".join(l["text"] for l in truth[name]["lines"]))
        h = normalise(" ".join(str(x) for x in results.get(name, [])))
        e = levenshtein(t, h)
        hits, words = word_hits(t, h)
        cer = e / max(1, len(t))
        per_file[name] = {"cer": round(cer, 4), "word_recall": round(hits / max(1, words), 4),
                          "missing": name not in results}
        for g in ("all", truth[name].get("kind", "?")):
            s = groups[g]
            s["n"] += 1
            s["cer_sum"] += cer
            s["edits"] += e
            s["chars"] += len(t)
            s["hits"] += hits
            s["words"] += words
    out = {}
    for g, s in sorted(groups.items()):
        out[g] = {"images": s["n"],
                  "mean_cer": round(s["cer_sum"] / max(1, s["n"]), 4),
                  "pooled_cer": round(s["edits"] / max(1, s["chars"]), 4),
                  "word_recall": round(s["hits"] / max(1, s["words"]), 4)}
    report = {"summary": out,
              "missing_results": sum(1 for v in per_file.values() if v["missing"]),
              "extra_results": sorted(set(results) - set(truth))}
    if a.per_file:
        report["files"] = per_file
    json.dump(report, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
