"""A build's per-file work spread over forked worker processes.

Fork, not spawn: a worker starts with the parent's imports and data, so only the items and the
results are pickled. Used where the work is pure per item: deriving reports (builder.py), reading
pages and finishing index files for search (search/pages.py, finish.py, merge.py, bundle.py), and
rendering pages (pages/render.py, which also hands the workers the site model by inheritance).
Every pool comes from fork_pool, so every worker starts with start_worker.
"""
from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.pool
import os
from collections.abc import Callable, Sequence
from typing import TypeVar

from .cache import paused_gc

MIN_PARALLEL = 200
"""Fewer items than this are done in this process: starting workers costs more."""

_T = TypeVar("_T")
_R = TypeVar("_R")


def cores() -> int:
    """Return how many cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:                      # not on Linux
        return os.cpu_count() or 1


def worth_forking(items: int, workers: int) -> bool:
    """Return True when *items* items are worth *workers* forked processes."""
    return workers > 1 and items >= MIN_PARALLEL and "fork" in multiprocessing.get_all_start_methods()


def start_worker() -> None:
    """Set up a forked worker: its garbage collector on, but blind to what the parent made.

    gc.freeze() moves every object inherited from the parent (at render time, the whole site
    model) to a generation the collector never walks: a full collection would otherwise visit them
    all, writing to each one's header, and so copy the pages the fork shares with the parent.
    """
    gc.freeze()
    gc.enable()


def fork_pool(workers: int) -> multiprocessing.pool.Pool:
    """Return a pool of *workers* forked processes, each set up by start_worker."""
    return multiprocessing.get_context("fork").Pool(workers, initializer=start_worker)


def forked_map(function: Callable[[_T], _R], items: Sequence[_T], workers: int, chunksize: int,
               fork: bool | None = None) -> list[_R]:
    """Return function(item) for every item, in no set order: in *workers* forked processes,
    *chunksize* items a task, when *fork* is true (by default, when worth_forking says so), else
    here, in order."""
    if not (worth_forking(len(items), workers) if fork is None else fork):
        return [function(item) for item in items]
    # The parent only collects results meanwhile: its garbage collector would walk the model for
    # nothing. The workers collect as usual.
    with paused_gc(), fork_pool(workers) as pool:
        return list(pool.imap_unordered(function, items, chunksize=chunksize))
