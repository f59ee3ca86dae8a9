"""One child process run to its end, with its wall time and its own peak memory.

Shared by bench/speed.py and bench/batch_throughput.py, so that both report peak
RSS the same way.
"""

from __future__ import annotations

import functools
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@functools.cache
def gnu_time() -> str | None:
    """/usr/bin/time if it is GNU time (it takes -f and -o), else None."""
    try:
        probe = subprocess.run(["/usr/bin/time", "-f", "%M", "true"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return "/usr/bin/time" if probe.returncode == 0 and probe.stderr.strip().isdigit() else None


@dataclass
class Measured:
    wall_s: float
    maxrss_kib: int
    rc: int
    usage: os.struct_rusage | object  # the child's resource usage (CPU times), from wait4


def run_measured(argv: list[str], *, env: dict, cwd: Path, stdout=None, stderr=None) -> Measured:
    """Run `argv` to its end; its peak RSS is its own, not this script's."""
    with tempfile.TemporaryDirectory() as scratch:
        rss = Path(scratch) / "maxrss"
        # A child's ru_maxrss starts from the RSS of the process it was forked from (Linux keeps the
        # high-water mark across exec), so this script's own size would leak into small figures
        # like `mujaz --help`. GNU time forks the command from its own tiny process; wait4 on the
        # child itself is the fallback (RUSAGE_CHILDREN would give the maximum over all children).
        command = [gnu_time(), "-f", "%M", "-o", str(rss), *argv] if gnu_time() else argv
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr, cwd=cwd, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        reported = rss.read_text().split() if rss.is_file() else []  # "Command exited with non-zero status N" first
        maxrss = int(reported[-1]) if gnu_time() and reported and reported[-1].isdigit() else usage.ru_maxrss
        return Measured(wall, maxrss, os.waitstatus_to_exitcode(status), usage)
