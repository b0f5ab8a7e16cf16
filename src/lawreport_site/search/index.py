"""Search: index the built site's report pages with Pagefind (extended), shard by shard, cached.

Each shard is cached under a digest of its pages' index copies and of this package's code, so a
build indexes only the shards whose pages changed and links the others from the cache: the same
bytes as a clean build. The shards (shards.py says why) are pagefind/shard-<n>/, listed in
SHARDS_FILE and merged by the search page in a language for which Pagefind leaves the query as
the page cut it (templates/static/search-query.js). pagefind/ itself, which Pagefind's UI loads in
the page's language (zh-Hans, whose queries it would cut), holds only its code and an empty index.
"""
from __future__ import annotations

import collections
import fnmatch
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from ..build.staging import files_of, prune, put_bytes, put_link
from .bundle import ENTRY, empty_index
from .finish import RECORDS, MergePlan, Unmergeable, finish_shard, merge_plan, merge_shard
from .head_start import HeadStart
from .pagefind import PagefindRun, SearchError, memory_folder, pagefind_executable
from .pages import DIGESTS, ReportPages, write_copies
from .shards import CACHE, OUTPUT, SHARDS_FILE, Shard, code_digest, shard_folder, shard_key, shards_json, shards_of


RUNS = 2
"""Pagefind runs at once, given two workers or more. A run reads and cuts its pages on two cores,
then builds and writes its index on one, holding it in memory from then on: one run at a time
left a core idle for most of the index stage."""
_CODE_FILES = ("pagefind*.js", "pagefind*.css", "wasm.*")
"""Pagefind's code in each bundle it writes: the shards leave it out, pagefind/ has the first's."""


def index_site(site_dir: Path, cache_dir: Path | None = None, per_shard: int | None = None,
               workers: int = 1, head: HeadStart | None = None) -> dict:
    """Index the report pages of *site_dir* into site_dir/pagefind/; return summary figures.

    Only pages with ``data-pagefind-body`` (the reports) are indexed, as index_copy gives them, with
    the sub-word terms of subwords.py, in shards of about *per_shard* (default PAGES_PER_SHARD)
    pages; see the module docstring. A shard whose pages are unchanged since a build that used
    *cache_dir* (default: CACHE beside the site) is linked from there instead of indexed again: the
    same bytes. The pages are read as their shards come, the first shard's in *workers* processes
    (_index_shards). The *head* start's run is taken over if it indexes a shard as it now is, else
    stopped. Raise SearchError, with a one-line message, when Pagefind is missing or fails.
    """
    try:
        return _index_site(site_dir, cache_dir, per_shard, workers, head)
    finally:
        if head is not None:
            head.close()                   # if nothing took it


def _index_site(site_dir: Path, cache_dir: Path | None, per_shard: int | None, workers: int,
                head: HeadStart | None) -> dict:
    executable = pagefind_executable()
    cache = Path(cache_dir) if cache_dir else site_dir.parent / CACHE
    cache.mkdir(parents=True, exist_ok=True)
    pages = ReportPages(site_dir, cache, workers)
    if not pages.digests:
        raise SearchError(f"{site_dir}: no page has data-pagefind-body, so there is nothing to "
                          "search; check that report.html marks the article")
    members = shards_of(pages.digests, per_shard)
    output = site_dir / OUTPUT
    made = not output.is_dir()
    output.mkdir(exist_ok=True)
    there = files_of(output)               # a spare site's index (build/staging.py), updated in place
    placed = {SHARDS_FILE}

    def place(number: int, key: str) -> None:
        placed.update(_place_shard(cache / key, output, shard_folder(number), there, code=False))

    try:
        keys, indexed = _index_shards(executable, site_dir, cache, members, pages, place, workers, head)
    except BaseException:
        if made:                           # no half index left in a site that had none
            shutil.rmtree(output, ignore_errors=True)
        raise
    finally:
        pages.remember()
    # The code's bundle: Pagefind's code, any shard's, and an index of no pages (module docstring).
    placed.update(_place_shard(cache / keys[0], output, "", there, code=True))
    first_entry = json.loads((cache / keys[0] / ENTRY).read_text(encoding="utf-8"))
    written = {**empty_index(first_entry), SHARDS_FILE: shards_json(len(members)).encode("utf-8")}
    for name, data in written.items():
        put_bytes(output / name, data)
        placed.add(name)
    prune(output, there, placed)
    _prune(cache, set(keys), len(members))
    return {**index_figures(output, len(pages.digests), placed), "shards": len(members),
            "shards_indexed": indexed}


def _index_shards(executable: Path, site_dir: Path, cache: Path, members: list[list[str]],
                  pages: ReportPages, place: Callable[[int, str], None], workers: int = 1,
                  head: HeadStart | None = None) -> tuple[list[str], int]:
    """Index each shard of *members* (its pages) that the cache lacks into cache/<key>/, up to RUNS
    Pagefind runs at once (one with a single worker), and place(number, key) every shard; return the
    shards' keys and how many were indexed.

    The shards are taken in order. A shard's key needs its pages' digests, so the pages not read
    yet are read as it comes: in *workers* processes before the first run, later here while
    Pagefind runs; the next shard to index has its copies written then too, and the cached shards
    found meanwhile are placed. A shard Pagefind is done with is finished here (finish_shard)
    once the next run has started: in one process while a run goes on, the last one in *workers*.
    The *head* start's folders are used, and its run if it indexes a shard as it now is.
    """
    code = code_digest()
    keys: list[str] = []
    shards: dict[int, Shard] = {}               # those to index
    plans: dict[int, MergePlan | None] = {}     # how each is made: merged, or in full (None)
    cached: list[int] = []                       # shards found in the cache, to place
    if head is None:
        work = Path(tempfile.mkdtemp(prefix="work-", dir=cache))
        read = Path(tempfile.mkdtemp(prefix="lawreport-pages-", dir=memory_folder()))
    else:
        work, read = head.work, head.read
    running: collections.deque[tuple[int, PagefindRun]] = collections.deque()
    taken: dict[int, PagefindRun] = {}          # the head start's run, with its copies written
    indexed: list[int] = []

    def next_to_index(processes: int) -> int | None:
        """Key the next shards until one the cache lacks; write its copies and return its number
        (None after the last shard)."""
        while len(keys) < len(members):
            number = len(keys)
            copies = pages.read(members[number], processes)
            shard = [(relative, pages.digests[relative]) for relative in members[number]]
            keys.append(shard_key(shard, code))
            shards[number] = Shard(number, keys[number], shard, len(members))
            if head is not None and (run := head.take(number, keys[number])) is not None:
                taken[number], plans[number] = run, head.plan
                return number
            if (cache / keys[number]).is_dir():
                cached.append(number)
            else:
                plans[number] = plan = merge_plan(cache, shards[number])
                if plan is None:
                    write_copies(site_dir, shard, read / f"{number}", copies, processes)
                elif not plan.changed:           # pages only gone: nothing for Pagefind to read
                    finish(number, processes)
                    indexed.append(number)
                    continue
                else:
                    write_copies(site_dir, plan.changed, read / f"{number}", copies, processes)
                return number
        return None

    def finish(number: int, processes: int) -> None:
        """Finish shard *number*, which Pagefind is done with; if it cannot be merged, index it in full."""
        folders = read / f"{number}", work / f"{number}"
        if (plan := plans[number]) is None:
            finish_shard(shards[number], *folders, cache, processes)
            return
        try:
            merge_shard(shards[number], plan, *(folders if plan.changed else (None, None)), cache, processes)
        except Unmergeable:
            shutil.rmtree(folders[1], ignore_errors=True)
            write_copies(site_dir, shards[number].pages, folders[0], None, processes)
            PagefindRun(executable, *folders, site_dir).wait()
            finish_shard(shards[number], *folders, cache, processes)

    def place_cached() -> None:
        while cached:
            number = cached.pop()
            place(number, keys[number])

    runs = RUNS if workers > 1 else 1
    try:
        upcoming = next_to_index(workers)
        done: list[int] = []
        while True:
            while upcoming is not None and len(running) < runs:
                running.append((upcoming, taken.pop(upcoming, None) or PagefindRun(
                    executable, read / f"{upcoming}", work / f"{upcoming}", site_dir)))
                place_cached()
                upcoming = next_to_index(1)
            place_cached()                       # when no shard is to be indexed
            for number in done:
                finish(number, 1 if running else workers)
            done.clear()
            if not running:
                break
            number, run = running[0]
            run.wait()
            running.popleft()
            indexed.append(number)
            done.append(number)
    finally:
        # Every run still going ends before its folders go: the head start's, taken or not, too.
        if head is not None:
            head.stop()
        for run in [*taken.values(), *(run for _, run in running)]:
            run.stop()
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(read, ignore_errors=True)
    for number in indexed:
        place(number, keys[number])
    return keys, len(indexed)


def _place_shard(bundle: Path, output: Path, folder: str, there: Mapping[str, int], *,
                 code: bool) -> set[str]:
    """Put a cached shard's index (or with *code*, its Pagefind code instead) into *folder* of
    *output* as hard links (neither the cache nor a file already there is ever written into),
    skipping the files *there* (path → inode) shows are in place already; return the files' paths
    relative to *output*."""
    placed, folders = set(), set()
    for relative, inode in files_of(bundle).items():
        if code != ("/" not in relative and any(fnmatch.fnmatch(relative, ui) for ui in _CODE_FILES)):
            continue
        target = folder + relative
        if there.get(target) != inode:
            if (parent := os.path.dirname(target)) not in folders:
                (output / parent).mkdir(parents=True, exist_ok=True)
                folders.add(parent)
            put_link(bundle / relative, output / target)
        placed.add(target)
    return placed


def _prune(cache: Path, keep: set[str], count: int) -> None:
    """Remove the cached shards this build did not use, so the cache stays the size of one index,
    and the records of shards it no longer has."""
    for entry in cache.iterdir():
        if entry.name not in keep and entry.name not in (DIGESTS, RECORDS):
            shutil.rmtree(entry, ignore_errors=True)
    for entry in (cache / RECORDS).glob("*") if (cache / RECORDS).is_dir() else ():
        if not (entry.name.isdigit() and int(entry.name) < count):
            entry.unlink(missing_ok=True)


def index_figures(output: Path, pages: int, files: Iterable[str]) -> dict:
    """Return the figures the build prints: Pagefind version, size and count of the index's
    *files* (relative to *output*), pages."""
    entry = json.loads((output / ENTRY).read_text(encoding="utf-8"))
    sizes = [os.stat(os.path.join(output, relative)).st_size for relative in files]
    return {"pagefind_version": entry["version"], "index_bytes": sum(sizes), "index_files": len(sizes),
            "pages": pages}
