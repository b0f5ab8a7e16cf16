"""Run a command and measure its wall time and peak memory.

Two memory figures, because neither alone is honest for a build that runs helpers:

* ``tree_mb``: the peak of the summed resident set size (RSS) of the command and all its
  descendants, sampled every SAMPLE_SECONDS with psutil. This is what the machine must hold when
  our Python process and the Pagefind binary it drives are alive at once. A peak shorter than
  the sampling interval can be missed; pages shared between processes are counted once per process.
* ``pss_mb``: the peak of the summed proportional set size (PSS) of the same processes, read every
  PSS_SAMPLE_SECONDS: each page
  shared by k processes counts 1/k in each. Our build forks workers that share the parent's model
  copy-on-write; the RSS sum counts those pages once per worker, the PSS sum once. This is the
  memory the tree really holds. For a single process (Hugo, Pagefind) it is close to its RSS.
* ``max_mb``: the largest RSS any single process of the tree reached, from the kernel
  (``os.wait4`` → ``ru_maxrss``, the same figure as ``/usr/bin/time -v``'s "Maximum resident set
  size"). Exact, but it is a maximum over processes, not a sum.
"""
from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

SAMPLE_SECONDS = 0.05
PSS_SAMPLE_SECONDS = 1.0
"""PSS costs the kernel a walk over every page of each process: read at every RSS sample it kept
~30 % of a core busy (psutil's full smaps) and slowed the builds being measured. So it is read
from smaps_rollup once a second; a PSS peak shorter than that can be missed."""


@dataclass(frozen=True)
class Sample:
    wall: float
    """Seconds from start to exit."""
    tree_mb: float
    """Peak summed RSS of the process tree, sampled (MB = 10^6 bytes)."""
    max_mb: float
    """Peak RSS of the largest single process, from the kernel."""
    output: str
    """What the command printed (stdout and stderr together)."""
    pss_mb: float = 0.0
    """Peak summed PSS of the process tree, sampled (0 when not measured)."""


class LimitExceeded(Exception):
    """The command ran longer or grew larger than allowed and was stopped."""


def run(cmd: list[str], cwd: Path | None = None, max_seconds: float | None = None,
        max_mb: float | None = None) -> Sample:
    """Run *cmd*; return its Sample, or raise CalledProcessError with its output when it fails.

    Past *max_seconds* or *max_mb* (summed RSS), the command and its descendants are killed and
    LimitExceeded says which limit and where it stood.
    """
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-{os.getpid()}.log"
    with log.open("w+b") as out:
        start = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        root = psutil.Process(process.pid)
        peak = peak_pss = 0
        status, pss_read = None, -PSS_SAMPLE_SECONDS
        while status is None:
            processes = _tree(root)
            peak = max(peak, sum(_memory(process, "rss") for process in processes))
            if time.perf_counter() - pss_read >= PSS_SAMPLE_SECONDS:
                pss_read = time.perf_counter()
                peak_pss = max(peak_pss, sum(_memory(process, "pss") for process in processes))
            elapsed = time.perf_counter() - start
            if (max_seconds and elapsed > max_seconds) or (max_mb and peak / 1e6 > max_mb):
                _kill_tree(root)
                process.wait()
                raise LimitExceeded(f"stopped after {elapsed:.0f} s at {peak / 1e6:,.0f} MB "
                                    f"(limits: {max_seconds} s, {max_mb} MB): {' '.join(map(str, cmd))}")
            time.sleep(SAMPLE_SECONDS)
            pid, status_word, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                status = os.waitstatus_to_exitcode(status_word)
        wall = time.perf_counter() - start
        process.returncode = status            # reaped above; keep Popen from waiting again
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    log.unlink()
    if status:
        raise subprocess.CalledProcessError(status, cmd, output=text)
    return Sample(wall, peak / 1e6, usage.ru_maxrss * 1024 / 1e6, text, peak_pss / 1e6)


def _tree(root: psutil.Process) -> list[psutil.Process]:
    """Return *root* and its descendants (none when it has gone)."""
    try:
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _memory(process: psutil.Process, kind: str) -> int:
    """Return the RSS (cheap: /proc/<pid>/statm) or the PSS (/proc/<pid>/smaps_rollup) of *process*."""
    try:
        if kind == "rss":
            return process.memory_info().rss
        with open(f"/proc/{process.pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (psutil.NoSuchProcess, psutil.AccessDenied, OSError, ValueError):
        pass
    return 0


def _kill_tree(root: psutil.Process) -> None:
    try:
        processes = [*root.children(recursive=True), root]
    except psutil.NoSuchProcess:
        return
    for process in processes:
        try:
            process.kill()
        except psutil.NoSuchProcess:
            pass


def combine(*samples: Sample) -> Sample:
    """Return the Sample of commands run one after the other: times add, peaks take the max."""
    return Sample(sum(s.wall for s in samples), max(s.tree_mb for s in samples),
                  max(s.max_mb for s in samples), "".join(s.output for s in samples),
                  max(s.pss_mb for s in samples))
