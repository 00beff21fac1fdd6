#!/usr/bin/env python3
"""What-if latency through the server (docs/what-if.md), called by bench/run.sh.

Usage: what_if.py VALUEPACT CONTRACT DATA WORK THREADS

Settles CONTRACT on DATA into a fresh store under WORK, starts `valuepact serve` on loopback with
a token, and times POST /api/runs/{run}/what-if: the first request (the run's aggregates read
from the store and checked against its settlement), then 200 requests with sharing rates from
0.30 to 0.70. One answer is compared with a `settle` of the changed contract. Prints the
latencies and whether the 100 ms goal is met.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request

vp, contract, data, work, threads = sys.argv[1:6]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
store = os.path.join(work, "runs.sqlite")


def run(*args):
    return subprocess.run([vp, *args], check=True, capture_output=True, text=True).stdout


run("settle", contract, "--data", data, "--out", os.path.join(work, "settle"), "--threads",
    threads, "--store", store)
summary = json.load(open(os.path.join(work, "settle", "summary.json")))
run_id, contract_id = summary["run_id"], summary["contract_id"]
run("admin", "--store", store, "org-add", "plan")
run("admin", "--store", store, "user-add", "bench", "--org", "plan", "--role", "viewer")
run("admin", "--store", store, "partnership-add", "bench", "--party", "plan", "--contract",
    contract_id)
token = re.search(r"vp_\S+", run("admin", "--store", store, "token-add", "bench", "--days", "1"))
token = token.group(0)
server = subprocess.Popen([vp, "serve", "--store", store, "--port", "0", "--rate", "100000"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
try:
    port = None
    for line in server.stdout:
        m = re.search(r"127\.0\.0\.1:(\d+)", line)
        if m:
            port = int(m.group(1))
            break
    if port is None:
        sys.exit("valuepact serve did not say where it listens")

    def what_if(rate):
        body = json.dumps({"payment.savings.sharing_rate": rate}).encode()
        req = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/runs/{run_id}/what-if", data=body, method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        t0 = time.perf_counter()
        with urllib.request.urlopen(req) as r:
            answer = json.load(r)
        return (time.perf_counter() - t0) * 1000, answer

    first_ms, _ = what_if(0.5)
    times = []
    answers = {}
    for i in range(200):
        rate = round(0.30 + 0.002 * i, 3)
        ms, answers[rate] = what_if(rate)
        times.append(ms)
finally:
    server.terminate()
    server.wait()

# The same change settled from the contract file.
changed = os.path.join(work, "changed.toml")
text = open(contract).read()
open(changed, "w").write(text.replace("sharing_rate = 0.5", "sharing_rate = 0.6"))
run("settle", changed, "--data", data, "--out", os.path.join(work, "changed"), "--threads",
    threads, "--no-store")
settled = json.load(open(os.path.join(work, "changed", "summary.json")))
times.sort()
p50, p95 = times[len(times) // 2], times[len(times) * 95 // 100]
same = answers[0.6]["net_payer_to_provider"]["what_if"] == settled["net_payer_to_provider"]
print(f"{summary['population']['members']} members: first request {first_ms:.1f} ms; then p50 "
      f"{p50:.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms; equals a settle of the changed "
      f"contract: {'yes' if same else 'NO'}")
print("goal: under 100 ms:", "met" if p95 < 100 else "NOT met")
if not same:
    sys.exit(1)
