#!/usr/bin/env python3
"""A/B of two nakladna builds on the same generated year, in one command.

Usage: bench/ab.py BASE_BIN NEW_BIN [--lines 600000] [--runs 5]

Each run copies the generated station afresh and runs `nakladna run` over the year, alternating the two builds so
that the machine's drift falls on both alike. Prints the medians, the ratio NEW/BASE, peak memory, and whether the
two builds wrote byte-identical CSV files (a change meant to keep the output must keep it). Build the baseline
from a worktree of the commit to compare against: `git worktree add /tmp/base REV && cd /tmp/base &&
swift build -c release --product nakladna`.
"""
import argparse
import csv
import filecmp
import os
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from run import DATA, timed  # noqa: E402

RANGE = ["--from", "2026-01-01", "--to", "2026-12-31"]
FOLDER = os.path.join("out", "2026-01-01_2026-12-31")
FILES = ["inc_documents.csv", "inc_lines.csv", "reconciliation.csv"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("new")
    ap.add_argument("--lines", type=int, default=600000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    station = os.path.join(DATA, "year-%d" % args.lines)
    if not os.path.exists(os.path.join(station, "orders.csv")):
        subprocess.check_call([sys.executable, os.path.join(HERE, "station.py"), station, str(args.lines)])
    results = {"base": [], "new": []}
    kept = {}
    for i in range(args.runs):
        for name in (["base", "new"] if i % 2 == 0 else ["new", "base"]):
            work = os.path.join(DATA, "ab-%s" % name)
            shutil.rmtree(work, ignore_errors=True)
            shutil.copytree(station, work)
            os.sync()
            binary = os.path.join(getattr(args, name), "nakladna")
            wall, peak, status, _, err = timed([binary, "run", "--config", os.path.join(work, "nakladna.yaml")] + RANGE)
            if status != 0:
                sys.exit("%s failed: %s" % (name, err))
            results[name].append((wall, peak))
            kept[name] = work
    same = all(filecmp.cmp(os.path.join(kept["base"], FOLDER, f), os.path.join(kept["new"], FOLDER, f), shallow=False)
               for f in FILES)
    differences = [] if same else [describe(os.path.join(kept["base"], FOLDER, f), os.path.join(kept["new"], FOLDER, f),
                                            f) for f in FILES]
    b = statistics.median(w for w, _ in results["base"])
    n = statistics.median(w for w, _ in results["new"])
    print("| build | median s | peak MiB | runs |")
    print("|---|---:|---:|---|")
    for name, median in (("base", b), ("new", n)):
        print("| %s | %.2f | %.0f | %s |" % (name, median, max(m for _, m in results[name]),
                                           " ".join("%.2f" % w for w, _ in results[name])))
    print("new / base: %.3f; CSV files byte-identical: %s" % (n / b, "yes" if same else "NO"))
    for line in differences:
        print("  " + line)


def describe(base, new, name):
    """Where two CSV files differ: how many rows, and in which columns (a change of notes shows as 'note' alone)."""
    with open(base, encoding="utf-8", newline="") as a, open(new, encoding="utf-8", newline="") as b:
        old_rows, new_rows = list(csv.reader(a)), list(csv.reader(b))
    if len(old_rows) != len(new_rows):
        return "%s: %d rows against %d" % (name, len(new_rows), len(old_rows))
    header = old_rows[0] if old_rows else []
    rows, columns = 0, {}
    for x, y in zip(old_rows, new_rows):
        changed = [header[i] if i < len(header) else str(i) for i in range(max(len(x), len(y)))
                   if (x[i] if i < len(x) else None) != (y[i] if i < len(y) else None)]
        if changed:
            rows += 1
            for c in changed:
                columns[c] = columns.get(c, 0) + 1
    if rows == 0:
        return "%s: identical" % name
    return "%s: %d rows differ, in %s" % (name, rows, ", ".join("%s (%d)" % kv for kv in sorted(columns.items())))


if __name__ == "__main__":
    main()
