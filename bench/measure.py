#!/usr/bin/env python3
"""Runs a command and prints {"seconds", "user_seconds", "system_seconds", "peak_rss_mb",
"huge_page_faults", "stdout"} as JSON: wall time, CPU time in user space and in the kernel, the
peak resident memory of the command (its process and the children it waited for), and the 2 MiB
pages the kernel faulted in fresh while it ran (thp_fault_alloc of /proc/vmstat, counted for the
whole machine: a quiet machine's is the command's; null where the kernel has no such count)."""
import json
import resource
import subprocess
import sys
import time


def huge_page_faults():
    try:
        with open("/proc/vmstat") as f:
            for line in f:
                if line.startswith("thp_fault_alloc "):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


faults0 = huge_page_faults()
t0 = time.monotonic()
p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
seconds = time.monotonic() - t0
faults1 = huge_page_faults()
if p.returncode != 0:
    sys.stderr.write(p.stdout + p.stderr)
    sys.exit(p.returncode)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "user_seconds": usage.ru_utime,
                  "system_seconds": usage.ru_stime, "peak_rss_mb": usage.ru_maxrss / 1024,
                  "huge_page_faults": None if faults0 is None or faults1 is None
                  else faults1 - faults0,
                  "stdout": p.stdout}))
