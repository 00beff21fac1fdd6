#!/usr/bin/env python3
"""bench/run.sh's arithmetic. `median`: of several runs of one command (bench/measure.py's
lines), the one with the median wall time, with every run's seconds; `row`: one size's
measurements as a JSON line (checks that the peers agree); `print`: that line for people;
`goals`: the issue's goals over every size."""
import csv
import json
import os
import sys


def peer_figures(stdout):
    return json.loads(stdout.strip().splitlines()[-1])


def admissions(work):
    """valuepact's monthly acute admissions: month -> (stays, member-months)."""
    out = {}
    with open(os.path.join(work, "metrics", "metrics.csv")) as f:
        for r in csv.DictReader(f):
            if (r["metric"] == "acute_admissions_per_1000" and r["stratum"] == "all" and
                    len(r["period"]) == 7):
                out[r["period"]] = (int(r["numerator"]), int(r["denominator"]))
    return out


def median(argv):
    """The run with the median wall time (the lower middle of an even count), its peak memory
    and figures with it, and `runs`: every run's seconds in the order they ran."""
    runs = [json.loads(a) for a in argv]
    chosen = sorted(runs, key=lambda r: r["seconds"])[(len(runs) - 1) // 2]
    return {**chosen, "runs": [r["seconds"] for r in runs]}


def row(argv):
    members, lines, nbytes, work = int(argv[0]), int(argv[1]), int(argv[2]), argv[3]
    runs = dict(zip(["ours_csv", "peer_csv", "ours_import", "peer_import", "ours_cache", "peer_db",
                     "ours_metrics", "peer_admissions", "ours_mpi", "ours_copy",
                     "ours_partition", "ours_mpi_parts", "ours_mapped"],
                    (json.loads(a) for a in argv[4:17])))
    for k in ("ours_mpi", "ours_partition", "ours_mpi_parts"):
        if runs.get(k) is None:
            runs.pop(k, None)
    ours = {k: json.load(open(os.path.join(work, k, "summary.json"))) for k in ("csv", "cache")}
    peers = {k: peer_figures(runs[k]["stdout"]) for k in ("peer_csv", "peer_db")}
    agree = all(int(p["member_months"]) == s["population"]["member_months"] and
                p["in_scope_amount"] == s["expenditure"]["total"]
                for p in peers.values() for s in ours.values())
    same_run = ours["csv"].get("run_id") == ours["cache"].get("run_id")
    admissions_agree = admissions(work) == {
        m["month"]: (int(m["stays"]), int(m["member_months"]))
        for m in peer_figures(runs["peer_admissions"]["stdout"])["months"]}
    def same_as_csv(folder):
        return all(open(os.path.join(work, folder, f), "rb").read() ==
                   open(os.path.join(work, "csv", f), "rb").read()
                   for f in ("summary.json", "trace.json"))
    same_mpi = same_as_csv("mpi") if "ours_mpi" in runs else None
    same_parts = same_as_csv("mpi-parts") if "ours_mpi_parts" in runs else None
    same_copy = same_as_csv("copy")
    same_mapped = same_as_csv("mapped")
    for r in runs.values():
        r.pop("stdout")
    return {"members": members, "lines": lines, "bytes": nbytes, "threads": os.cpu_count(),
            "cache_bytes": os.path.getsize(os.path.join(work, "data.vpd")),
            "figures_agree": agree, "same_run_id": same_run, "admissions_agree": admissions_agree,
            "distributed_same_bytes": same_mpi, "parts_same_bytes": same_parts,
            "copied_same_bytes": same_copy, "mapped_same_bytes": same_mapped,
            "member_months": ours["csv"]["population"]["member_months"],
            "in_scope_paid": ours["csv"]["expenditure"]["total"], **runs}


def show(r):
    n = r["lines"]
    def line(label, m):
        spread = ""
        if len(m.get("runs", [])) > 1:
            spread = " median of " + ", ".join(f"{s:.2f}" for s in m["runs"])
        return (f"  {label:<44} {m['seconds']:8.2f} s {n / m['seconds']:>13,.0f} lines/s "
                f"{m['peak_rss_mb']:8.0f} MB ({m['peak_rss_mb'] * 1048576 / n:5.0f} B/line)"
                f"{spread}")
    print(line("valuepact ingest+settle (CSV)", r["ours_csv"]))
    if "ours_copy" in r:
        print(line("valuepact, CSV copied (VALUEPACT_MAP_FILES=0)", r["ours_copy"]))
        print(f"  system CPU, mapped against copied: {r['ours_csv']['system_seconds']:.2f} s "
              f"against {r['ours_copy']['system_seconds']:.2f} s; the same summary.json and "
              f"trace.json: {r['copied_same_bytes']}")
    if "ours_mapped" in r:
        cpu = {k: r[k]["user_seconds"] + r[k]["system_seconds"] for k in ("ours_csv", "ours_mapped")}
        print(line("valuepact, CSV read mapped (COPY_IN=0)", r["ours_mapped"]))
        print(f"  CPU (user + system), copied in against read mapped: {cpu['ours_csv']:.2f} s "
              f"against {cpu['ours_mapped']:.2f} s (the median turn against one run); "
              f"the same summary.json and trace.json: {r['mapped_same_bytes']}")
        faults = [r[k].get("huge_page_faults") for k in ("ours_csv", "ours_mapped")]
        if None not in faults:
            print(f"  2 MiB pages faulted in fresh, copied in against read mapped: {faults[0]} "
                  f"against {faults[1]}")
    print(line("DuckDB same figures (CSV)", r["peer_csv"]))
    print(f"  ratio valuepact/DuckDB on CSV: {r['peer_csv']['seconds'] / r['ours_csv']['seconds']:.2f}x")
    print(line("valuepact import (cache written)", r["ours_import"]))
    print(f"  cache file: {r['cache_bytes'] / 1048576:,.0f} MiB, "
          f"{r['cache_bytes'] / r['bytes']:.0%} of the CSV's bytes")
    print(line("DuckDB import into its database file", r["peer_import"]))
    print(line("valuepact settle on its cache", r["ours_cache"]))
    print(line("DuckDB same figures on its tables", r["peer_db"]))
    print(f"  ratio valuepact/DuckDB on own caches: "
          f"{r['peer_db']['seconds'] / r['ours_cache']['seconds']:.2f}x")
    print(line("valuepact metrics (whole catalogue, CSV)", r["ours_metrics"]))
    print(line("DuckDB admissions per 1,000 by month (CSV)", r["peer_admissions"]))
    print(f"  monthly acute admissions and member-months agree: {r['admissions_agree']}")
    if "ours_mpi" in r:
        print(line("valuepact settle, mpirun -np 2 x 1 thread", r["ours_mpi"]))
        print(f"  distributed summary.json and trace.json equal to one process's: "
              f"{r['distributed_same_bytes']}")
    if "ours_mpi_parts" in r:
        print(line("valuepact partition of the cache, 2 parts", r["ours_partition"]))
        print(line("valuepact settle on 2 parts, -np 2 x 1 thread", r["ours_mpi_parts"]))
        print(f"  summary.json and trace.json equal to one process's on the CSV: "
              f"{r['parts_same_bytes']}")
    print(f"  figures agree: {r['figures_agree']} (member-months {r['member_months']}, in-scope "
          f"paid {r['in_scope_paid']}); same run id on CSV and cache: {r['same_run_id']}")


def met(ok):
    return "met" if ok else "NOT met"


def worst_off(rows, run):
    """How far the size furthest from the largest size's seconds per line is from it."""
    big = max(rows, key=lambda r: r["lines"])
    unit = big[run]["seconds"] / big["lines"]
    return max(abs(r[run]["seconds"] / r["lines"] / unit - 1) for r in rows)


def affine_fit(rows, run):
    """Seconds = fixed + per_line x lines, fitted by least squares over the sizes, and how far the
    size furthest from that line is from it: whether what departs from proportional is a fixed
    cost (start-up, the outputs' fsyncs, the run store) or a cost a line that grows with size."""
    xs = [r["lines"] for r in rows]
    ys = [r[run]["seconds"] for r in rows]
    n, mx, my = len(xs), sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    per_line = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else 0.0
    fixed = my - per_line * mx
    worst = max(abs(y / (fixed + per_line * x) - 1) for x, y in zip(xs, ys)) if n else 0.0
    return fixed, per_line, worst


def goals(rows):
    """The issue's goals at the largest size, for the settlement on the CSV files and on the
    dataset cache (each stated for both: a goal met on one path only says which)."""
    if not rows:
        return
    big = max(rows, key=lambda r: r["lines"])
    csv_ratio = big["peer_csv"]["seconds"] / big["ours_csv"]["seconds"]
    cache_ratio = big["peer_db"]["seconds"] / big["ours_cache"]["seconds"]
    rate = {k: big["lines"] / big[k]["seconds"] for k in ("ours_csv", "ours_cache")}
    per_line = {k: big[k]["peak_rss_mb"] * 1048576 / big["lines"] for k in ("ours_csv", "ours_cache")}
    print(f"== goals at {big['members']:,} members")
    print(f"  ingest+settle on CSV >= 3x DuckDB: {csv_ratio:.2f}x -> {met(csv_ratio >= 3)}")
    print(f"  >= 5M claim lines/s: CSV {rate['ours_csv']:,.0f} -> {met(rate['ours_csv'] >= 5e6)}; "
          f"settle on the cache {rate['ours_cache']:,.0f} -> {met(rate['ours_cache'] >= 5e6)}")
    print(f"  <= 40 bytes per claim line: CSV {per_line['ours_csv']:.0f} -> "
          f"{met(per_line['ours_csv'] <= 40)}; settle on the cache {per_line['ours_cache']:.0f} -> "
          f"{met(per_line['ours_cache'] <= 40)}")
    print(f"  cache >= 1.5x DuckDB on its table: {cache_ratio:.2f}x -> {met(cache_ratio >= 1.5)}")
    if len(rows) > 1:
        csv, cache = worst_off(rows, "ours_csv"), worst_off(rows, "ours_cache")
        print(f"  linear in claim lines (within 15%): worst size off by {csv:.0%} on CSV -> "
              f"{met(csv <= 0.15)}; {cache:.0%} on the cache -> {met(cache <= 0.15)}")
        for run, name in (("ours_csv", "CSV"), ("ours_cache", "cache")):
            fixed, per_line, worst = affine_fit(rows, run)
            print(f"    {name} fitted as {fixed:.3f} s + {per_line * 1e6:.3f} us a line; "
                  f"worst size off that line by {worst:.0%}")
    print(f"  figures agree at every size: "
          f"{all(r['figures_agree'] and r['admissions_agree'] for r in rows)}")


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "median":
        print(json.dumps(median(sys.argv[2:])))
    elif what == "row":
        print(json.dumps(row(sys.argv[2:])))
    elif what == "print":
        show(json.loads(sys.stdin.readline()))
    elif what == "goals":
        goals([json.loads(l) for l in sys.stdin if l.strip()])
