#!/usr/bin/env python3
"""`make bench`: nakladna against its floor and its peers on the same generated files, in one command.

Every figure is the median of several runs; ratios are taken against a baseline run in this same command, on the
same files, so a noisy machine moves both sides. Peak memory is the child's maximum resident set (wait4).
Each tool prints "documents D lines L gross G"; the peers must agree with nakladna, or the comparison is void.

The end-to-end part runs `nakladna run` over a generated station's year (about 600,000 invoice lines from five
suppliers against about 650,000 order lines) and a tenth of it, against a Python peer doing the same job
(bench/year_baseline.py); both must find the same number of findings of every status.

Usage: run.py BIN_DIR [--sizes 100000,1000000] [--runs 5] [--year 600000,60000] [--year-runs 3]
"""
import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.path.join(ROOT, "bench-data")


def measure(cmd, runs):
    walls, peaks, out = [], [], None
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
        stdout, stderr = proc.communicate()
        _, status, usage = os.wait4(proc.pid, 0) if proc.returncode is None else (0, 0, None)
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            sys.exit("failed: %s\n%s" % (" ".join(cmd), stderr.decode()))
        walls.append(wall)
        out = stdout.decode().strip()
    return statistics.median(walls), out


def peak_rss(cmd):
    """The child's peak resident set in MiB, from wait4."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_maxrss / 1024.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin_dir")
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--year", default="600000,60000")
    ap.add_argument("--year-runs", type=int, default=3)
    ap.add_argument("--skip-readers", action="store_true")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    subprocess.check_call([sys.executable, os.path.join(HERE, "generate.py"), DATA] + [str(s) for s in sizes])
    bench = os.path.join(args.bin_dir, "nakladna-bench")
    py = sys.executable
    rows, verdicts = [], []
    for n in ([] if args.skip_readers else sizes):
        runs = args.runs if n <= 100000 else max(3, args.runs // 2)
        xml = os.path.join(DATA, "intercars-%d.xml" % n)
        js = os.path.join(DATA, "omega-%d.json" % n)
        suites = [
            ("Inter Cars XML", xml, [
                ("nakladna", [bench, "read", "mappings/intercars.yaml", xml]),
                ("xmllint --stream (floor)", ["xmllint", "--stream", "--noout", xml]),
                ("lxml iterparse (peer)", [py, os.path.join(HERE, "baselines.py"), "lxml-intercars", xml]),
            ]),
            ("Omega JSON", js, [
                ("nakladna", [bench, "read", "mappings/omega.yaml", js]),
                ("json.load (peer)", [py, os.path.join(HERE, "baselines.py"), "json-omega", js]),
            ]),
        ]
        for title, path, tools in suites:
            mb = os.path.getsize(path) / 1e6
            results = {}
            for name, cmd in tools:
                wall, out = measure(cmd, runs)
                results[name] = (wall, out, peak_rss(cmd))
            ours = results["nakladna"]
            for name, (wall, out, peak) in results.items():
                if name != "nakladna" and out and out != ours[1]:
                    sys.exit("%s disagrees with nakladna on %s:\n  %s\n  %s" % (name, path, out, ours[1]))
                rows.append((title, n, name, wall, n / wall, mb / wall, peak, wall / ours[0]))
            if title.startswith("Inter"):
                lxml = results["lxml iterparse (peer)"][0] / ours[0]
                floor = ours[0] / results["xmllint --stream (floor)"][0]
                verdicts.append("%s %d lines: %.1fx lxml (target >= 2), %.1fx the xmllint floor (target <= 3), "
                                "peak %.0f MiB (target < 150)" % (title, n, lxml, floor, ours[2]))
            else:
                verdicts.append("%s %d lines: %.2fx json.load (target >= 1), peak %.0f MiB"
                                % (title, n, results["json.load (peer)"][0] / ours[0], ours[2]))
    print()
    print("| feed | lines | tool | median s | lines/s | MB/s | peak MiB | time vs nakladna |")
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for title, n, name, wall, lps, mbs, peak, ratio in rows:
        print("| %s | %d | %s | %.2f | %s | %.1f | %.0f | %.2fx |"
              % (title, n, name, wall, format(int(lps), ","), mbs, peak, ratio))
    print()
    for v in verdicts:
        print(v)
    if args.year:
        year(args.bin_dir, [int(x) for x in args.year.split(",")], args.year_runs)


def year(bin_dir, sizes, runs):
    """nakladna run over a generated year against the Python peer, each on a fresh copy of the station."""
    nakladna = os.path.join(bin_dir, "nakladna")
    rows, verdicts, walls = [], [], {}
    for n in sizes:
        station = os.path.join(DATA, "year-%d" % n)
        if not os.path.exists(os.path.join(station, "orders.csv")):
            subprocess.check_call([sys.executable, os.path.join(HERE, "station.py"), station, str(n)])
        lines = sum(1 for _ in open(os.path.join(station, "orders.csv"), encoding="utf-8")) - 1
        work = os.path.join(DATA, "year-run")
        ours, peer, counts = [], [], None
        for _ in range(runs):
            shutil.rmtree(work, ignore_errors=True)
            shutil.copytree(station, work)
            cmd = [nakladna, "run", "--config", os.path.join(work, "nakladna.yaml"), "--from", "2026-01-01",
                   "--to", "2026-12-31", "--lang", "en"]
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
            _, status, usage = os.wait4(proc.pid, 0)
            ours.append((time.perf_counter() - start, usage.ru_maxrss / 1024.0))
            if status != 0:
                sys.exit("nakladna run failed on %s: %s" % (station, proc.stderr.read().decode()))
            counts = {}
            with open(os.path.join(work, "out", "2026-01-01_2026-12-31", "reconciliation.csv"), encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    counts[row["status"]] = counts.get(row["status"], 0) + 1
            with open(os.path.join(work, "out", "2026-01-01_2026-12-31", "inc_documents.csv"), encoding="utf-8") as f:
                documents = sum(1 for _ in f) - 1
            out = os.path.join(DATA, "year-baseline")
            cmd = [sys.executable, os.path.join(HERE, "year_baseline.py"), station, out, "2026-01-01", "2026-12-31"]
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
            _, status, usage = os.wait4(proc.pid, 0)
            peer.append((time.perf_counter() - start, usage.ru_maxrss / 1024.0))
            summary = proc.stdout.read().decode().strip()
            if status != 0:
                sys.exit("the baseline failed: %s" % proc.stderr.read().decode())
        ordered = ["matched", "price_mismatch", "over_delivered", "unordered", "returned", "duplicate_invoice",
                   "total_mismatch", "foreign_customer", "missing_rate", "not_delivered", "manual_receipt"]
        expected = "documents %d " % documents + " ".join("%s %d" % (k, counts[k]) for k in ordered if k in counts)
        if summary != expected:
            sys.exit("the baseline disagrees with nakladna on %s:\n  %s\n  %s" % (station, summary, expected))
        ow, om = statistics.median(w for w, _ in ours), max(m for _, m in ours)
        pw, pm = statistics.median(w for w, _ in peer), max(m for _, m in peer)
        walls[n] = ow
        rows.append((n, lines, "nakladna run", ow, om, 1.0))
        rows.append((n, lines, "Python peer (lxml, json, sqlite3)", pw, pm, pw / ow))
        verdicts.append("year of %d invoice lines: nakladna %.1f s, the peer %.1f s: %.2fx (target >= 3)" % (n, ow, pw, pw / ow))
    print()
    print("| invoice lines | order lines | tool | median s | peak MiB | time vs nakladna |")
    print("|---:|---:|---|---:|---:|---:|")
    for n, lines, name, wall, peak, ratio in rows:
        print("| %s | %s | %s | %.2f | %.0f | %.2fx |" % (format(n, ","), format(lines, ","), name, wall, peak, ratio))
    print()
    for v in verdicts:
        print(v)
    if len(walls) == 2:
        big, small = max(walls), min(walls)
        print("scaling: %dx the lines took %.1fx the time" % (big // small, walls[big] / walls[small]))


if __name__ == "__main__":
    main()
