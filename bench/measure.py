"""One child process run to its end, with its wall time and its own peak memory.

Shared by bench/speed.py and bench/batch_throughput.py, so that both report peak
RSS the same way.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
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


@dataclass
class Ct2Backend:
    """The CPU backend CTranslate2 picks on this machine, from its own log (CT2_VERBOSE=1)."""

    cpu_vendor: str  # GenuineIntel, AuthenticAMD, ...
    isa: str  # the instruction set its own kernels use
    mkl: bool  # Intel MKL for the matrix products (CTranslate2's default on Intel CPUs only)
    int8_products: str  # e.g. "MKL (packed: true, u8s8 preferred: true)"

    def describe(self) -> str:
        return (f"CTranslate2 on {self.cpu_vendor}: {self.isa} kernels, int8 products by {self.int8_products}"
                f"{'' if self.mkl else ' (Intel MKL is its default on Intel CPUs only)'}")


def ctranslate2_backend(model_folder: Path) -> Ct2Backend:
    """Load a CTranslate2 model in a child with CT2_VERBOSE=1 and read the backend it reports.

    The backend decides how a decoding step's products run: with MKL, every layer's
    weights but the output layer's are packed at load; oneDNN packs none. It is the
    first thing to know when comparing figures from different machines.
    """
    code = f"import ctranslate2; ctranslate2.Translator({str(model_folder)!r}, device='cpu')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "CT2_VERBOSE": "1"})

    def field(name: str) -> str:
        match = re.search(rf"{re.escape(name)}:? (.+)", done.stderr + done.stdout)
        return match.group(1).strip() if match else "?"

    return Ct2Backend(cpu_vendor=field("CPU").split(" ")[0], isa=field("Selected ISA"),
                      mkl=field("Use Intel MKL") == "true", int8_products=field("GEMM_S8 backend"))
