#!/usr/bin/env python3
"""Pairwise precision, recall and F1 of `liaison cluster` output against the
labels of an evaluation set.

    liaison cluster --input bench/cluster/dev.jsonl > /tmp/out.jsonl
    python3 bench/cluster/score.py bench/cluster/dev.jsonl /tmp/out.jsonl

Two demands form a pair when they share a cluster; a pair is right when
they also share a "problem" label.
"""
import json
import sys
from itertools import combinations


def pairs(groups):
    out = set()
    for members in groups.values():
        out.update(combinations(sorted(members), 2))
    return out


def main(labelled, clustered, verbose=False):
    truth, found = {}, {}
    for line in open(labelled, encoding="utf-8"):
        if line.strip():
            d = json.loads(line)
            truth.setdefault(d["problem"], []).append(str(d["id"]))
    for line in open(clustered, encoding="utf-8"):
        if line.strip():
            d = json.loads(line)
            found.setdefault(d["cluster"], []).append(str(d["id"]))
    t, f = pairs(truth), pairs(found)
    right = len(t & f)
    precision = right / len(f) if f else 1.0
    recall = right / len(t) if t else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"pairs: labelled {len(t)}, proposed {len(f)}, right {right}")
    print(f"precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")
    if verbose:
        label = {i: p for p, ids in truth.items() for i in ids}
        for c, ids in found.items():
            labels = {label[i] for i in ids}
            if len(labels) > 1:
                print("wrong merge:", c, [(i, label[i]) for i in ids])
    return precision, recall, f1


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], "-v" in sys.argv)
