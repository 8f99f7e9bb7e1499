#!/usr/bin/env python3
"""Flat nights (issue "A night costs the night", must-show 2), in one command.

On the generated year (bench/station.py, about 600,000 invoice lines against about 650,000 order lines):
- the night of 2026-12-31, run after one run over 2026-01-01..2026-12-30;
- the night of 2026-01-08 on a week-old station (2026-01-01..01-07 run first) with the same orders.csv;
- a plain Python csv.reader pass over that orders.csv, the floor of any tool that reads it;
- a late file: the night of 2026-12-31 with a file of invoices dated 30 days back, against the year's range run
  (the median of RUNS range runs, each on a fresh copy).

With --days 1095 (and --lines 1800000) the history is three years: the night of its last day, 2028-12-30, after the
run up to the day before, against the same week-old night with the three-year orders.csv.

Every copy is flushed to disk (os.sync) before a night is timed: the run syncs the file system once after archiving
its files, and would otherwise pay for writing out the copy the benchmark has just made.

Each night starts from a fresh copy of its prepared station; the figures are medians of RUNS, taken alternately.
Peak memory is the child's maximum resident set (wait4). Also checked: the year's night writes no order row again
(orders.csv did not change), and it still reports its not_delivered order lines.

With --nights N it measures instead N nights in a row, as a station lives them: one run over the history up to N
days before its last day, then each of the N nights with its files, on one station. Each night stores its range's
order findings, so the database grows every night; the first and the last nights' times and the database's size
show whether a night's cost grows with the nights before it.

Usage: nights.py BIN_DIR [--lines 600000] [--days 365] [--runs 3] [--nights N]
"""
import argparse
import csv
import datetime
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import run  # noqa: E402

DATA = run.DATA


def timed(cmd, cwd):
    """bench/run.py's timed, in the station's folder; a run that fails voids the measurement."""
    wall, peak, status, text, errors = run.timed(cmd, cwd)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit("failed: %s\n%s%s" % (" ".join(cmd), text, errors))
    return wall, peak, text


def hold(station, keep):
    """Moves the inbox files whose date `keep` refuses to station/held/."""
    for supplier in sorted(os.listdir(os.path.join(station, "inbox"))):
        os.makedirs(os.path.join(station, "held", supplier), exist_ok=True)
        for name in os.listdir(os.path.join(station, "inbox", supplier)):
            date = name.rsplit("-", 3)[-3:]
            date = "-".join(date).split(".")[0]
            if not keep(date):
                os.rename(os.path.join(station, "inbox", supplier, name),
                          os.path.join(station, "held", supplier, name))


def release(station, dates):
    for supplier in sorted(os.listdir(os.path.join(station, "held"))):
        for name in os.listdir(os.path.join(station, "held", supplier)):
            if any(d in name for d in dates):
                shutil.copy(os.path.join(station, "held", supplier, name),
                            os.path.join(station, "inbox", supplier, name))


def in_a_row(nakladna, source, work, last, count):
    """Nights in a row on one station after one run over the history before them."""
    days = [str(last - datetime.timedelta(days=count - 1 - k)) for k in range(count)]
    station = os.path.join(work, "station")
    shutil.copytree(source, station)
    hold(station, lambda d: d < days[0])
    os.sync()
    eve = str(datetime.date.fromisoformat(days[0]) - datetime.timedelta(days=1))
    wall, peak, _ = timed([nakladna, "run", "--config", "nakladna.yaml", "--from", "2026-01-01", "--to", eve], station)
    db = os.path.join(station, "out", "nakladna.sqlite")
    print("the range run up to %s: %.1f s, %.0f MiB, database %.0f MB" % (eve, wall, peak, os.path.getsize(db) / 1e6))
    nights = []
    for day in days:
        release(station, [day])
        os.sync()
        wall, peak, _ = timed([nakladna, "run", "--config", "nakladna.yaml", "--date", day], station)
        nights.append((day, wall, peak, os.path.getsize(db) / 1e6))
        print("night of %s: %.2f s, %.0f MiB, database %.0f MB" % nights[-1], flush=True)
    k = min(5, count)
    head = statistics.median(n[1] for n in nights[:k])
    tail = statistics.median(n[1] for n in nights[-k:])
    print("%d nights in a row: the first %d nights' median %.2f s, the last %d nights' %.2f s: %.2fx" % (
        count, k, head, k, tail, tail / head))
    print("the database grew %.1f MB a night" % ((nights[-1][3] - nights[0][3]) / max(count - 1, 1)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("--lines", type=int, default=600000)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--nights", type=int, default=0)
    args = ap.parse_args()
    nakladna = os.path.join(os.path.abspath(args.bin), "nakladna")
    source = os.path.join(DATA, "year-%d" % args.lines if args.days == 365 else "days%d-%d" % (args.days, args.lines))
    if not os.path.exists(os.path.join(source, "orders.csv")):
        subprocess.check_call(
            [sys.executable, os.path.join(HERE, "station.py"), source, str(args.lines), str(args.days)])
    first = datetime.date(2026, 1, 1)
    last = str(first + datetime.timedelta(days=args.days - 1))
    eve = str(first + datetime.timedelta(days=args.days - 2))
    month = str(first + datetime.timedelta(days=args.days - 31))
    work = tempfile.mkdtemp(prefix="nakladna-nights-", dir=DATA)
    if args.nights:
        try:
            in_a_row(nakladna, source, work, first + datetime.timedelta(days=args.days - 1), args.nights)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return
    try:
        # The history up to the day before the last, and the week-old station, each run once as the start of every
        # night.
        year = os.path.join(work, "year")
        shutil.copytree(source, year)
        hold(year, lambda d: d < last)
        os.sync()
        run_year, peak_year_range, _ = timed(
            [nakladna, "run", "--config", "nakladna.yaml", "--from", "2026-01-01", "--to", eve], year)
        # The late file's baseline is a median too: the range run again on fresh copies, each deleted after.
        ranges = [run_year]
        for _ in range(args.runs - 1):
            again = os.path.join(work, "range-again")
            shutil.copytree(source, again)
            hold(again, lambda d: d < last)
            os.sync()
            ranges.append(timed(
                [nakladna, "run", "--config", "nakladna.yaml", "--from", "2026-01-01", "--to", eve], again)[0])
            shutil.rmtree(again)
        run_year = statistics.median(ranges)
        print("the range run (2026-01-01..%s): %s s, median %.1f s, first run's peak %.0f MiB" % (
            eve, " ".join("%.1f" % r for r in ranges), run_year, peak_year_range))
        week = os.path.join(work, "week")
        shutil.copytree(source, week)
        hold(week, lambda d: d < "2026-01-08")
        shutil.rmtree(os.path.join(week, "held"))
        os.makedirs(os.path.join(week, "held"))
        for supplier in os.listdir(os.path.join(source, "inbox")):
            os.makedirs(os.path.join(week, "held", supplier))
            for name in os.listdir(os.path.join(source, "inbox", supplier)):
                if "2026-01-08" in name:
                    shutil.copy(os.path.join(source, "inbox", supplier, name), os.path.join(week, "held", supplier))
        timed([nakladna, "run", "--config", "nakladna.yaml", "--from", "2026-01-01", "--to", "2026-01-07"], week)

        # A late file: the omega invoices of 30 days back again, under other numbers.
        late = os.path.join(work, "late.json")
        with open(os.path.join(source, "inbox", "omega", "omega-%s.json" % month), encoding="utf-8") as f:
            text = f.read()
        with open(late, "w", encoding="utf-8") as f:
            f.write(text.replace('"Number": "', '"Number": "L'))

        nights = {"year": [], "week": [], "late": [], "csv": []}
        peaks = {"year": [], "week": [], "late": []}
        details = {}
        for i in range(args.runs):
            for kind in ("year", "week", "late", "csv"):
                if kind == "csv":
                    start = time.perf_counter()
                    with open(os.path.join(source, "orders.csv"), newline="", encoding="utf-8") as f:
                        rows = sum(1 for _ in csv.reader(f))
                    nights["csv"].append(time.perf_counter() - start)
                    continue
                base = year if kind in ("year", "late") else week
                night = os.path.join(work, "night")
                if os.path.exists(night):
                    shutil.rmtree(night)
                shutil.copytree(base, night, symlinks=True)
                day = "2026-01-08" if kind == "week" else last
                release(night, [day])
                if kind == "late":
                    shutil.copy(late, os.path.join(night, "inbox", "omega", "omega-late-%s.json" % month))
                os.sync()
                db = os.path.join(night, "out", "nakladna.sqlite")
                before = sqlite3.connect(db).execute("SELECT MAX(rowid), COUNT(*) FROM orders").fetchone()
                wall, peak, out = timed([nakladna, "run", "--config", "nakladna.yaml", "--date", day], night)
                after = sqlite3.connect(db).execute("SELECT MAX(rowid), COUNT(*) FROM orders").fetchone()
                nights[kind].append(wall)
                peaks[kind].append(peak)
                details[kind] = (out.strip().splitlines(), before == after)
        med = {k: statistics.median(v) for k, v in nights.items()}
        peak = {k: max(v) for k, v in peaks.items()}
        print("orders.csv: %d rows" % rows)
        print("night of %s after the history: %.2f s, peak %.0f MiB" % (last, med["year"], peak["year"]))
        print("night of 2026-01-08 after a week:   %.2f s, peak %.0f MiB" % (med["week"], peak["week"]))
        print("csv.reader over orders.csv:         %.2f s" % med["csv"])
        print("late file dated %s:         %.2f s, peak %.0f MiB" % (month, med["late"], peak["late"]))
        print("the year's night / the week's night: %.2fx (at most 2x)" % (med["year"] / med["week"]))
        print("the year's night / csv.reader:       %.2fx (at most 3x)" % (med["year"] / med["csv"]))
        print("late-file night / the year's range:  %.2fx (at most 0.2x)" % (med["late"] / run_year))
        print("orders rows of the year's night unchanged: %s" % details["year"][1])
        findings = [l for l in details["year"][0] if "not_delivered" in l]
        print("the year's night says: %s" % (findings[0] if findings else "(no not_delivered)"))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
