#!/usr/bin/env python3
"""A chain of stations on one PostgreSQL server (issue "A chain of stations on PostgreSQL", must-show 2).

STATIONS generated stations of a month each (bench/station.py, LINES invoice lines over DAYS days; the same
files under each id), each run once over its month:
- on SQLite, one station after another: the baseline, the same work without the server;
- with `nakladna chain run --workers 1`, one worker process against a fresh database;
- with two `nakladna chain run` processes at once against another fresh database.

Each is timed as stations per minute and peak memory (the largest process of the tree: a worker or a station's
run, from wait4), and split into where the time goes: CPU of the client processes (workers and station runs) and
of the server's processes (from /proc), against the wall clock. Every station's CSV files from PostgreSQL are
checked equal, byte for byte, to its files from SQLite. Medians of RUNS.

The server is a throwaway cluster (initdb in a temporary folder, as the postgres user when run as root).

Usage: chain.py BIN_DIR [--stations 50] [--lines 20000] [--days 30] [--runs 3]
"""
import argparse
import datetime
import filecmp
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PG_BIN = "/usr/lib/postgresql/15/bin"
PASSWORD = "bench-chain-password"


def as_server(cmd):
    return (["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []) + cmd


class Server:
    """A throwaway PostgreSQL cluster on a free port of 127.0.0.1."""

    def __init__(self, work):
        self.folder = os.path.join(work, "pg")
        os.makedirs(os.path.join(self.folder, "socket"))
        os.chmod(work, 0o755)
        if os.getuid() == 0:
            shutil.chown(self.folder, "postgres")
            shutil.chown(os.path.join(self.folder, "socket"), "postgres")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        subprocess.run(as_server([PG_BIN + "/initdb", "-D", self.folder + "/data", "-U", "postgres",
                                  "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
                                  "--locale=C.UTF-8", "--no-sync"]), check=True, stdout=subprocess.DEVNULL)
        subprocess.run(as_server([PG_BIN + "/pg_ctl", "-D", self.folder + "/data", "-l", self.folder + "/log", "-w",
                                  "-o", "-p %d -k %s/socket -c listen_addresses=127.0.0.1" % (self.port, self.folder),
                                  "start"]), check=True, stdout=subprocess.DEVNULL)
        self.psql("CREATE ROLE nakladna LOGIN PASSWORD '%s'" % PASSWORD)

    def psql(self, sql, database="postgres"):
        return subprocess.run(["psql", "-h", self.folder + "/socket", "-p", str(self.port), "-U", "postgres", "-At",
                               "-c", sql, database], check=True, capture_output=True, text=True).stdout.strip()

    def database(self, name):
        self.psql("CREATE DATABASE %s OWNER nakladna" % name)
        return "postgres://nakladna:${PG_PASSWORD}@127.0.0.1:%d/%s" % (self.port, name)

    def cpu_seconds(self):
        """CPU of every process of the cluster so far: the postmaster's own and its reaped children's, and the
        live children's (the backends end with their connections and are counted by the postmaster then)."""
        tick = os.sysconf("SC_CLK_TCK")
        with open(self.folder + "/data/postmaster.pid") as f:
            postmaster = int(f.readline())
        total = 0
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % pid) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ppid = int(fields[1])
            if int(pid) == postmaster:
                total += sum(int(x) for x in fields[11:15])
            elif ppid == postmaster:
                total += int(fields[11]) + int(fields[12])
        return total / tick

    def stop(self):
        subprocess.run(as_server([PG_BIN + "/pg_ctl", "-D", self.folder + "/data", "-m", "fast", "-w", "stop"]),
                       stdout=subprocess.DEVNULL)


def stations(template, folder, count):
    """COUNT copies of the template station under folder, and the ids."""
    ids = ["s%02d" % (k + 1) for k in range(count)]
    for i in ids:
        shutil.copytree(template, os.path.join(folder, i))
    return ids


def start(cmd, env):
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(procs):
    """Waits for every process: the largest peak of their trees (MiB), their CPU (s), and their output."""
    peak, cpu, out = 0.0, 0.0, []
    for p in procs:
        _, status, usage = os.wait4(p.pid, 0)
        text = p.stdout.read() + p.stderr.read()
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit("failed: %s\n%s" % (" ".join(p.args), text))
        peak = max(peak, usage.ru_maxrss / 1024.0)
        cpu += usage.ru_utime + usage.ru_stime
        out.append(text)
    return peak, cpu, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin_dir")
    ap.add_argument("--stations", type=int, default=50)
    ap.add_argument("--lines", type=int, default=20000)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    nakladna = os.path.join(args.bin_dir, "nakladna")
    first = datetime.date(2026, 1, 1)
    last = first + datetime.timedelta(days=args.days - 1)
    rng = ["--from", str(first), "--to", str(last)]
    folder = "%s_%s" % (first, last)
    env = dict(os.environ, PG_PASSWORD=PASSWORD)
    results = {"sqlite": [], "1 worker": [], "2 workers": []}
    with tempfile.TemporaryDirectory(prefix="nakladna-chain-bench-") as work:
        template = os.path.join(work, "template")
        subprocess.run([sys.executable, os.path.join(HERE, "station.py"), template, str(args.lines), str(args.days)],
                       check=True, stdout=subprocess.DEVNULL)
        server = Server(work)
        try:
            for run in range(args.runs):
                base = os.path.join(work, "run%d" % run)
                # SQLite, one station after another.
                os.makedirs(base + "/sqlite")
                ids = stations(template, base + "/sqlite", args.stations)
                start_time = time.perf_counter()
                peak, cpu = 0.0, 0.0
                for i in ids:
                    p, c, _ = finish([start([nakladna, "run", "--config", "%s/sqlite/%s/nakladna.yaml" % (base, i)]
                                            + rng, env)])
                    peak, cpu = max(peak, p), cpu + c
                results["sqlite"].append((time.perf_counter() - start_time, peak, cpu, 0.0))
                for mode, processes in (("1 worker", 1), ("2 workers", 2)):
                    chain = os.path.join(base, mode.replace(" ", "-"))
                    os.makedirs(chain)
                    ids = stations(template, chain, args.stations)
                    url = server.database("r%d_%s" % (run, mode.replace(" ", "_")))
                    with open(chain + "/chain.yaml", "w") as f:
                        f.write('database: "%s"\nstations:\n' % url)
                        for i in ids:
                            f.write("  %s: { config: %s/nakladna.yaml }\n" % (i, i))
                    server_cpu = server.cpu_seconds()
                    start_time = time.perf_counter()
                    procs = [start([nakladna, "chain", "run", "--config", chain + "/chain.yaml"] + rng, env)
                             for _ in range(processes)]
                    peak, cpu, outs = finish(procs)
                    wall = time.perf_counter() - start_time
                    results[mode].append((wall, peak, cpu, server.cpu_seconds() - server_cpu))
                    if "done: %d" % args.stations not in outs[0]:
                        sys.exit("%s: not every station is done:\n%s" % (mode, outs[0]))
                    for i in ids:
                        for name in ("inc_documents.csv", "inc_lines.csv", "reconciliation.csv"):
                            a = "%s/sqlite/%s/out/%s/%s" % (base, i, folder, name)
                            b = "%s/%s/out/%s/%s" % (chain, i, folder, name)
                            if not filecmp.cmp(a, b, shallow=False):
                                sys.exit("%s: %s %s differs from its SQLite run" % (mode, i, name))
                    size = server.psql("SELECT pg_database_size(current_database())", database=url.rsplit("/", 1)[1])
                    results[mode][-1] += (int(size) / 2**20,)
                shutil.rmtree(base)
        finally:
            server.stop()
    print("%d stations of %d days, %d invoice lines each; medians of %d; CSV files equal to SQLite's: yes"
          % (args.stations, args.days, args.lines, args.runs))
    baseline = statistics.median(r[0] for r in results["sqlite"])
    for mode, rows in results.items():
        wall = statistics.median(r[0] for r in rows)
        peak = statistics.median(r[1] for r in rows)
        client = statistics.median(r[2] for r in rows)
        server_cpu = statistics.median(r[3] for r in rows)
        line = ("%-9s %6.1f s  %5.1f stations/min  %.2fx SQLite's time  peak %4.0f MiB  CPU: client %5.1f s, "
                "server %5.1f s" % (mode, wall, args.stations * 60 / wall, wall / baseline, peak, client, server_cpu))
        if len(rows[0]) > 4:
            line += "  database %.0f MiB" % statistics.median(r[4] for r in rows)
        print(line)


if __name__ == "__main__":
    main()
