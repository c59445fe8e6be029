"""Run a command and report its peak resident memory on stderr (PEAK_RSS_KB=…)."""

import resource
import subprocess
import sys

proc = subprocess.run(sys.argv[1:], check=False)
sys.stderr.write(f"PEAK_RSS_KB={resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\n")
raise SystemExit(proc.returncode)
