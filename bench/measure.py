#!/usr/bin/env python3
"""Runs a command and prints {"seconds", "user_seconds", "system_seconds", "peak_rss_mb",
"stdout"} as JSON: wall time, CPU time in user space and in the kernel, and the peak resident
memory of the command (its process and the children it waited for)."""
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
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "user_seconds": usage.ru_utime,
                  "system_seconds": usage.ru_stime, "peak_rss_mb": usage.ru_maxrss / 1024,
                  "stdout": p.stdout}))
