"""A head start: Pagefind begins on the shard of a few new or changed reports before the site is written.

The builder renders those reports' pages from a model of them alone; the shard's other copies are
predicted from the last index. index_site takes the run over if the prediction holds, else stops it.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from .copy import index_copy
from .finish import MergePlan, merge_plan
from .pagefind import PagefindRun, SearchError, memory_folder, pagefind_executable
from .pages import remembered_digests, seen_key, write_copies
from .shards import CACHE, Shard, code_digest, shard_key, shards_of


class HeadStart:
    """A Pagefind run begun before the site is written (head_start), and the folders it works in:
    read/<shard> holds the copies it reads, work/<shard> gets its bundle. index_site takes them over."""

    def __init__(self, number: int, key: str, read: Path, work: Path, run: PagefindRun,
                 plan: MergePlan | None = None) -> None:
        self.number, self.key, self.read, self.work, self.plan = number, key, read, work, plan
        self.run: PagefindRun | None = run

    def take(self, number: int, key: str) -> PagefindRun | None:
        """Return the run if it indexes shard *number* as keyed *key* now; if it indexes that shard
        otherwise, stop it and clear its folders for the shard as it is."""
        if number != self.number or self.run is None:
            return None
        run, self.run = self.run, None
        if key == self.key:
            return run
        run.stop()
        shutil.rmtree(self.read / f"{number}", ignore_errors=True)
        shutil.rmtree(self.work / f"{number}", ignore_errors=True)
        return None

    def stop(self) -> None:
        """Stop the run if nothing took it."""
        if self.run is not None:
            self.run.stop()
            self.run = None

    def close(self) -> None:
        """Stop the run and remove the folders: for a build that ends before its index."""
        self.stop()
        shutil.rmtree(self.read, ignore_errors=True)
        shutil.rmtree(self.work, ignore_errors=True)


def head_start(current: Path, pages: Iterable[str], changed: Mapping[str, str],
               cache_dir: Path | None = None, per_shard: int | None = None) -> HeadStart | None:
    """Begin indexing, before the next site is written, the first of its shards the cache lacks.

    The next site's pages with a search body are at *pages* (site-relative paths). Those of
    *changed* will have the HTML given; the others are taken to be as in the *current* site,
    whose copies' digests the last index remembered (by path and stat, as ReportPages). The
    prediction is checked when the next site is indexed (HeadStart.take): a page that differs
    only makes the run wasted. None when there is nothing to predict from or nothing to index, or
    when the run cannot begin (the index, later, meets the same problem and says so).
    """
    cache = Path(cache_dir) if cache_dir else current.parent / CACHE
    memo = remembered_digests(cache)
    digests, copies = {}, {}
    for relative in pages:
        if relative in changed:
            copies[relative] = copy = index_copy(changed[relative]).encode("utf-8")
            if copy:
                digests[relative] = hashlib.sha256(copy).hexdigest()
            continue
        try:
            digest = memo.get(seen_key(relative, os.stat(current / relative)))
        except OSError:
            digest = None
        if not digest:
            return None                      # a page the last index did not see
        digests[relative] = digest
    code = code_digest()
    shards = shards_of(digests, per_shard)
    for number, members in enumerate(shards):
        shard = [(relative, digests[relative]) for relative in members]
        key = shard_key(shard, code)
        if not (cache / key).is_dir():
            break
    else:
        return None
    plan = merge_plan(cache, Shard(number, key, shard, len(shards)))
    if plan is not None and not plan.changed:
        return None                          # pages only gone: no run to begin
    folders: list[Path] = []
    try:
        folders.append(Path(tempfile.mkdtemp(prefix="lawreport-pages-", dir=memory_folder())))
        folders.append(Path(tempfile.mkdtemp(prefix="work-", dir=cache)))
        read, work = folders
        if plan is None:
            write_copies(current, shard, read / f"{number}", copies)
        else:
            write_copies(current, plan.changed, read / f"{number}", copies)
        run = PagefindRun(pagefind_executable(), read / f"{number}", work / f"{number}", current)
    except (OSError, ValueError, SearchError):
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
        return None
    return HeadStart(number, key, read, work, run, plan)
