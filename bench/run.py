#!/usr/bin/env python3
"""`make bench`: nakladna against its floor and its peers on the same generated files, in one command.

Every figure is the median of several runs; ratios are taken against a baseline run in this same command, on the
same files, so a noisy machine moves both sides. Peak memory is the child's maximum resident set (wait4).
Each tool prints "documents D lines L gross G"; the peers must agree with nakladna, or the comparison is void.

Usage: run.py BIN_DIR [--sizes 100000,1000000] [--runs 5]
"""
import argparse
import os
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
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    subprocess.check_call([sys.executable, os.path.join(HERE, "generate.py"), DATA] + [str(s) for s in sizes])
    bench = os.path.join(args.bin_dir, "nakladna-bench")
    py = sys.executable
    rows, verdicts = [], []
    for n in sizes:
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


if __name__ == "__main__":
    main()
