"""Peak resident memory of a process, as crawl summaries and benchmarks report it."""

from __future__ import annotations

import resource


def peak_rss_mb(pid: int | str = "self") -> float:
    """A process's peak resident memory in MB (0.0 for a process that is gone).

    VmHWM, not getrusage: the kernel carries the parent's peak over into
    ru_maxrss across fork and exec, so a crawl started by a big process would
    report that process's memory as its own."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        if pid != "self":
            return 0.0
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
