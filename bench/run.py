#!/usr/bin/env python3
"""`make bench`: nakladna against its floor and its peers on the same generated files, in one command.

Every figure is the median of several runs; ratios are taken against a baseline run in this same command, on the
same files, so a noisy machine moves both sides. Peak memory is the child's maximum resident set (wait4).
Each tool prints "documents D lines L gross G"; the peers must agree with nakladna, or the comparison is void.

The end-to-end part runs `nakladna run` over a generated station's year (about 600,000 invoice lines from five
suppliers against about 650,000 order lines) and a tenth of it, against a Python peer doing the same job
(bench/year_baseline.py); both must find the same number of findings of every status.

The price part imports an Inter Cars price and stock pair of a million rows each (bench/price_station.py) with
`nakladna run` and with a Python peer (bench/prices_baseline.py); both must hold the same rows and prices. Then 20
`nakladna offers` queries are timed, each a whole process; the target is a median under 50 ms.

With --baseline OLD_BIN_DIR the readers are also timed with another build's nakladna-bench (an earlier commit's,
built with `swift build -c release --product nakladna-bench` in a worktree), in the same command, and the verdict
gives this build's time against it (target: within 10 %).

Usage: run.py BIN_DIR [--sizes 100000,1000000] [--runs 5] [--year 600000,60000] [--year-runs 3] [--skip-readers]
              [--prices 1000000] [--prices-runs 3] [--baseline OLD_BIN_DIR]
"""
import argparse
import csv
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
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


def interleaved(ours, theirs, runs):
    """Medians of `runs` runs of two commands, taken in turns."""
    a, b = [], []
    for _ in range(runs):
        a.append(measure(ours, 1)[0])
        b.append(measure(theirs, 1)[0])
    return statistics.median(a), statistics.median(b)


def timed(cmd, cwd=ROOT):
    """Runs cmd once: its wall time, peak resident set in MiB (wait4), exit status, standard output and error."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        return wall, usage.ru_maxrss / 1024.0, status, out.read().decode(), err.read().decode()


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
    ap.add_argument("--prices", type=int, default=1000000, help="rows in each Inter Cars price/stock file; 0 skips")
    ap.add_argument("--prices-runs", type=int, default=3)
    ap.add_argument("--baseline", help="another build's bin dir: its readers are timed beside this one's")
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
        if args.baseline:
            old = os.path.join(args.baseline, "nakladna-bench")
            suites[0][2].append(("nakladna (baseline build)", [old, "read", "mappings/intercars.yaml", xml]))
            suites[1][2].append(("nakladna (baseline build)", [old, "read", "mappings/omega.yaml", js]))
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
            if args.baseline:
                # Timed again in turns, one run of each build after the other, so that a drift of the machine
                # during the command weighs on both alike.
                tool = dict(tools)
                mine, theirs = interleaved(tool["nakladna"], tool["nakladna (baseline build)"], runs)
                verdicts.append("%s %d lines: %.3fx the baseline build's time, timed in turns: %.2f s against %.2f s"
                                " (target <= 1.10)" % (title, n, mine / theirs, mine, theirs))
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
    if args.prices:
        prices(args.bin_dir, args.prices, args.prices_runs)


def prices(bin_dir, n, runs):
    """An Inter Cars price and stock pair of n rows each imported by `nakladna run`, against the Python peer doing
    the same import (bench/prices_baseline.py); then 20 `nakladna offers` queries at that size, each a whole
    process, timed one by one."""
    nakladna = os.path.join(bin_dir, "nakladna")
    station = os.path.join(DATA, "prices-%d" % n)
    if not os.path.exists(os.path.join(station, "queries.txt")):
        subprocess.check_call([sys.executable, os.path.join(HERE, "price_station.py"), station, str(n)])
    work = os.path.join(DATA, "prices-run")
    ours, peer = [], []
    for _ in range(runs):
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(station, work)
        wall, peak, status, _, err = timed(
            [nakladna, "run", "--config", os.path.join(work, "nakladna.yaml"), "--date", "2026-11-28"])
        ours.append((wall, peak))
        if status != 0:
            sys.exit("nakladna run failed on %s: %s" % (station, err))
        peer_db = os.path.join(DATA, "prices-baseline.sqlite")
        wall, peak, status, _, err = timed(
            [sys.executable, os.path.join(HERE, "prices_baseline.py"), station, peer_db])
        peer.append((wall, peak))
        if status != 0:
            sys.exit("the price baseline failed: %s" % err)
    # Both must hold the same rows, with the same gross prices for the parts queried below.
    db = sqlite3.connect(os.path.join(work, "out", "nakladna.sqlite"))
    rows = db.execute("SELECT COUNT(*) FROM offers").fetchone()[0]
    base = sqlite3.connect(peer_db)
    if rows != base.execute("SELECT COUNT(*) FROM offers").fetchone()[0] or rows != 2 * n:
        sys.exit("nakladna imported %d rows, the baseline another number (expected %d)" % (rows, 2 * n))
    walls = []
    with open(os.path.join(station, "queries.txt"), encoding="utf-8") as f:
        queries = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    for brand, article in queries:
        cmd = [nakladna, "offers", "--config", os.path.join(work, "nakladna.yaml"), brand, article, "--format", "json",
               "--today", "2026-11-29"]
        start = time.perf_counter()
        out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, check=True).stdout
        walls.append(time.perf_counter() - start)
        got = [o["price"] for o in json.loads(out)]
        want = [p for (p,) in base.execute(
            "SELECT price FROM offers WHERE priced = 1 AND search_number = ? ORDER BY rowid LIMIT 1",
            ("".join(c for c in article.upper() if c.isalnum()),))]
        if got != want:
            sys.exit("offers for %s %s say %s, the baseline's table %s" % (brand, article, got, want))
    ow, om = statistics.median(w for w, _ in ours), max(m for _, m in ours)
    pw, pm = statistics.median(w for w, _ in peer), max(m for _, m in peer)
    print()
    print("| rows imported | tool | median s | rows/s | peak MiB | time vs nakladna |")
    print("|---:|---|---:|---:|---:|---:|")
    print("| %s | nakladna run | %.2f | %s | %.0f | 1.00x |" % (format(rows, ","), ow, format(int(rows / ow), ","), om))
    print("| %s | Python peer (csv, sqlite3) | %.2f | %s | %.0f | %.2fx |" % (
        format(rows, ","), pw, format(int(rows / pw), ","), pm, pw / ow))
    q = statistics.median(walls)
    print()
    print("offers at %s rows: median of %d queries %.1f ms (whole process; fastest %.1f, slowest %.1f): %s" % (
        format(rows, ","), len(walls), q * 1000, min(walls) * 1000, max(walls) * 1000,
        "under 50 ms" if q < 0.05 else "NOT under 50 ms"))


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
            # The copy's pages go to disk before the clock starts, not into whichever run syncs first.
            os.sync()
            wall, peak, status, _, err = timed(
                [nakladna, "run", "--config", os.path.join(work, "nakladna.yaml"), "--from", "2026-01-01",
                 "--to", "2026-12-31"])
            ours.append((wall, peak))
            if status != 0:
                sys.exit("nakladna run failed on %s: %s" % (station, err))
            counts = {}
            with open(os.path.join(work, "out", "2026-01-01_2026-12-31", "reconciliation.csv"), encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    counts[row["status"]] = counts.get(row["status"], 0) + 1
            with open(os.path.join(work, "out", "2026-01-01_2026-12-31", "inc_documents.csv"), encoding="utf-8") as f:
                documents = sum(1 for _ in f) - 1
            out = os.path.join(DATA, "year-baseline")
            os.sync()
            wall, peak, status, summary, err = timed(
                [sys.executable, os.path.join(HERE, "year_baseline.py"), station, out, "2026-01-01", "2026-12-31"])
            peer.append((wall, peak))
            summary = summary.strip()
            if status != 0:
                sys.exit("the baseline failed: %s" % err)
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
