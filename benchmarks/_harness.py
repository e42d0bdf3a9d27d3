"""Shared set-up of the benchmarks: pinned threads, interleaved timing, a table of ratios.

Import this module *first* in every benchmark: it pins BLAS and OpenMP to one
thread before NumPy (or PyTorch) is imported, since unpinned threads make a
shared 2-core machine swing by 10x between runs.
"""

from __future__ import annotations

import os

THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
for _var in (*THREAD_VARIABLES, "VECLIB_MAXIMUM_THREADS"):
    os.environ[_var] = "1"

import importlib.util  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402


def keep_freed_memory() -> bool:
    """Ask glibc's malloc to keep freed memory for reuse instead of returning it to the system.

    By default glibc serves every allocation above 128 kB (a 1024 x 128 float64
    array is 1 MB) from fresh pages that the kernel maps in on first touch, one
    page fault per 4 kB, and returns them on free. A backward pass that makes a
    few such arrays per layer then spends more time in page faults than in
    arithmetic. Raising the two thresholds (as ``MALLOC_MMAP_THRESHOLD_=64M``
    ``MALLOC_TRIM_THRESHOLD_=128M`` in the environment would) makes freed arrays
    reusable. Returns False where this is not glibc.
    """
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if platform.system() != "Linux" or not name:
        return False
    libc = ctypes.CDLL(name)
    m_trim_threshold, m_mmap_threshold = -1, -3  # from glibc's malloc.h
    return bool(libc.mallopt(m_mmap_threshold, 64 << 20)) and bool(
        libc.mallopt(m_trim_threshold, 128 << 20)
    )


def available(module: str) -> bool:
    """Whether an optional reference system (torch, micrograd) is installed."""
    return importlib.util.find_spec(module) is not None


def interleaved(
    systems: dict[str, Callable[[], object]], rounds: int = 21, warmup: int = 2
) -> dict[str, list[float]]:
    """Time every system once per round, in an order that rotates every round.

    Interleaving spreads any slow period of the machine over all systems instead
    of penalising whichever ran during it. Returns the seconds of every round.
    """
    names = list(systems)
    for _ in range(warmup):
        for name in names:
            systems[name]()
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        order = names[r % len(names):] + names[: r % len(names)]
        for name in order:
            start = time.perf_counter()
            systems[name]()
            times[name].append(time.perf_counter() - start)
    return times


def table(times: dict[str, list[float]], reference: str, unit: str = "ms") -> str:
    """A Markdown table of median and minimum times, and the ratio of medians to ``reference``."""
    scale = {"ms": 1e3, "us": 1e6, "s": 1.0}[unit]
    ref = statistics.median(times[reference])
    lines = [
        f"| system | median ({unit}) | min ({unit}) | median / {reference} |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, ts in times.items():
        med = statistics.median(ts)
        lines.append(f"| {name} | {med * scale:.3f} | {min(ts) * scale:.3f} | {med / ref:.2f} |")
    return "\n".join(lines)


def machine() -> str:
    """One line describing where the numbers came from."""
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"threads pinned to 1"
    )
