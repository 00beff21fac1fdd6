#!/usr/bin/env python3
"""Runs a command and prints {"seconds", "peak_rss_mb", "stdout"} as JSON: wall time and the
peak resident memory of the command (its process and the children it waited for)."""
import json
import resource
import subprocess
import sys
import time

t0 = time.monotonic()
p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
seconds = time.monotonic() - t0
if p.returncode != 0:
    sys.stderr.write(p.stdout + p.stderr)
    sys.exit(p.returncode)
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_rss_mb": peak_kb / 1024, "stdout": p.stdout}))
