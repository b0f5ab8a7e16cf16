"""Search: index the built site with Pagefind (extended), and close its sub-word gap.

Pagefind's extended binary segments Chinese with a dictionary and matches each query piece as the
prefix of an indexed word: the query 复议 missed reports that only say 行政复议. Each shard's index
therefore gets, after Pagefind has written it, the sub-word terms its pages need (subwords.py,
merged by pagefind_bundle.canonicalize): every two characters of a page's Han text start a word or
a term of that page. The search page cuts a query into such pieces (static/search-query.js), and
Pagefind alone answers it: its UI, filters, sub-results and JS API work unchanged, and the pages
and the excerpts hold only the reports' own text.

* **The query cut by the page, not by Pagefind.** Pagefind cuts a Chinese query with the browser's
  dictionary (ICU) when the index it searches is loaded for a language that needs it: 放管服 into
  放 管 服, each piece the start of thousands of words, which it loads and scores, and pages with
  the characters apart among the results. search-query.js cuts it into 放管 管服 and merges the
  shards under the language "und", for which Pagefind leaves a query as it is (their one index is
  loaded all the same). Pagefind's UI loads its own bundle under the page's language, zh-Hans, so
  that bundle holds no pages: pagefind/ is the code and an index of no pages (empty_index), and
  the shards are pagefind/shard-0/, shard-1/ …, all merged. A cold first query at 10,000 reports
  (benchmarks/search_anatomy.py, 2026-12-01): 1.1–1.9 s where the ICU-cut query took 1.4–5.5 s,
  and the results of 行政复议 were 8,108 reports, all holding it, where 9,664 were returned.

* **Why after Pagefind, not before.** Until 2026-11-30 the terms went into a hidden group after
  each clause of the copy Pagefind read. Pagefind's time and memory follow the words it indexes:
  a 675-page shard took 20.7 s with the groups and 8.5 s without, and the groups held every
  two-character string of the text (~3,700 a report), where knowing Pagefind's own segmentation
  leaves ~1,700 to add. The excerpts also had to be cleaned of them in the browser. Tried before
  and dropped: the terms as Latin tokens (as slow) and bigrams in place of the text with a
  whitespace-only language (14.5 s, 1.4 GB, and unreadable excerpts).

The index, built to stay bounded at 10,000–30,000 reports (issue 5):

* **The binary, not the Python API.** The pinned package's extended binary
  (``pagefind_bin_extended.get_executable()``) reads a scratch folder holding only the index
  copies of the report pages; through the API's stdio service 1,000 pages took 112 s, through the
  binary 24.5 s (both with the hidden terms).
* **Shards.** Pagefind holds a whole index in memory: fed the hidden terms, 1,000 pages peaked at
  1.7 GB, and 10,000 in one run would have needed ~17 GB; without them ~1 MB a page (700 pages: 718
  MB). Pages are split by a hash of their path into ceil(N / PAGES_PER_SHARD) shards, indexed one
  run after another, each in pagefind/shard-<n>/ (data only; the code is in pagefind/), listed in
  pagefind/lawreport-shards.json and merged in the browser with Pagefind's ``mergeIndex`` and the
  options of search-query.js (search.js, and any JS API user). A hash, not the year: shards of
  like size and like word statistics keep scores comparable across shards (results are merged by
  score). Against the first-query target each shard costs one small entry file, its meta and one
  index chunk per query piece; metas add up to the same bytes as one index's.
* **Two runs at a time, 700 pages** (RUNS). A run reads and cuts its pages on both cores for ~2 s,
  then builds and writes its index on one for ~3 s, holding ~0.75 GB from then on (a 675-page
  shard). One run after another left a core mostly idle meanwhile: 15 shards took 74.0 s of
  Pagefind alone, two at a time 52.9 s (peak 753 against 1,427 MB). In a build at 10,000 reports,
  alternating with the code before: index stage 80.6 against 87.9 s, then 91.3 against 91.5 s on
  a busier host (the stage is then bound by the two cores); in three benchmark runs 75.3–77.2 s
  against 86.0–90.5 s the day before. Peak memory ~1.67 GB against ~1.37 GB.
  Tried and dropped before: two runs at once on 350-page shards. The first query for 行政复议 loaded
  4,124 KB against 2,953 KB: twice the shards, twice the per-shard chunks. Smaller shards would
  re-index less after an edit, at the same cost to every query.
* **Finished here.** A shard's terms and canonical form (_finish_shard, ~2.3 s of CPU for a
  675-page shard) are made in this process once the next run has started, in one process while a
  run goes on, and the last one in *workers* (~1.7 s). Until 2026-12-01 forked finishers at the
  lowest priority did it while one run at a time went on; beside two runs they would add their
  own ~250 MB each (a fork counts the parent's pages again).
* **Pages read as their shards come** (_ReportPages, _index_shards). Which pages have a search
  body is known by a look for the marker, so the shards are known at once; a shard's copies are
  made just before its run, the first's in worker processes, the others' in the main process
  while Pagefind indexes the shard before. At 10,000 reports the first run starts 1.0 s into the
  index stage instead of 4.7 s, but the full build was no faster within the noise (103.2 and
  107.6 s against 102.4 and 105.4 s, alternating): reading during the runs slows them a little.
  It holds fewer copies at once: peak memory 1,613 → 1,368 MB (with one run at a time).
  Tried and dropped on 2026-11-30, when a finish still took ~12 s of CPU: the cores were busy, and
  the index stage took as long or longer. Reading in the (nice) finishers instead of the main
  process gave nothing measurable (index stage 84.8 and 87.8 s here, 92.7 and 85.2 s there).
* **One shard again** (an added or edited report): nothing else to index, so what can overlap its
  run does. The cached shards are linked into the site while Pagefind works (~0.7 of the two cores
  is idle then), the shard's unchanged pages are copied in worker processes, and canonicalize
  compresses the chunks in two threads. An added report's build at 10,000 reports: 13.2 → 11.5 s
  (medians of 3, old and new alternating), the index stage 8.7 → 7.6 s. Since 2026-12-01 the
  finish rewrites the words in two processes (pagefind_bundle.PART_CUTS), with the collector
  paused (1.84 → 1.37 s).
* **Or only its changed pages** (_merge_plan, _merge_shard). When at most MERGE_PAGES of a
  shard's pages are new or changed since the bundle last finished for it (RECORDS says which),
  Pagefind indexes those pages alone, and pagefind_merge.merge puts them into that bundle, less
  the pages that went: the same bytes as a run over the whole shard, ~1.6 s in two processes
  where Pagefind over a 675-page shard took ~8 s of CPU. An added report's build at 10,000
  reports: ~6 s against ~10.5 s (2026-12-01, benchmarks/README.md). A shard that only lost pages
  needs no run at all; one the merge refuses (Unmergeable) is indexed in full.
* **A head start** (head_start, HeadStart). When a few reports are new or changed, the builder
  renders their pages once more, from a model of those reports alone, as soon as it has read the
  content, and Pagefind begins on the shard they fall in, its other pages' copies predicted from
  the last index (by path and stat, as _ReportPages remembers them). index_site takes the run over
  if the shard's key, from the pages as written, is the one predicted, else stops it and indexes
  the shard anew. An added report's build at 10,000 reports, alternating with the code before
  under benchmarks/measure.py: 11.3, 11.6, 11.8 and 10.6 s against 12.6, 13.4, 14.0 and 14.4 s;
  its peak 1.39 GB against 0.85 GB, as Pagefind now runs beside the render's workers. Begun
  before the whole site's model (~1 s sooner) and with the link copy of staging.py: a median of
  10.49 s against 10.97 s, faster in 10 of 12 alternating pairs (2026-12-01).
* **Copies in memory.** The copies Pagefind reads are written to /dev/shm where there is one: they
  live a few seconds, and on the benchmark machine's disk a file costs ~1.1 ms to make and a folder
  ~0.4 ms: ~1 s for a shard's ~700 pages. Pagefind's output goes to the cache's disk: written to
  memory instead, a 675-page run took 9.6 and 10.2 s against 9.9 and 10.4 s (it is bound by its CPU).
* **What Pagefind reads.** index_copy keeps of a page only what Pagefind reads: the search body
  (less its ignored parts) and the filter, meta and sort elements. The index is the same, and a
  page's copy changes only with its report: adding a report changes the related-report lists of
  dozens of pages in every shard, not their copies, so it re-indexes one shard, not all of them.
* **Cache.** Each shard is cached under a digest of its pages (path and index_copy) and of this code
  (cache_dir, default .lawreport-cache/search beside the site); a build re-indexes only the shards
  whose pages changed and links the others from the cache. pagefind_bundle.canonicalize makes
  Pagefind's output a function of its input (it writes filter values in random order), so an
  incremental index is byte-identical to a clean one. The count of shards changes every
  PAGES_PER_SHARD reports added; that build re-indexes everything. In a spare site (staging.py) the
  shards' files already in place (the same inode as the cache's) are left alone, and those of
  shards no longer used are deleted. RECORDS holds, for each shard number, the pages of the bundle
  last finished for it, in page order, with their sort values: a merge's starting point.
  Until 2026-12-01 each shard's terms and index copies were kept as well, so that a shard indexed
  again in full found those of its changed pages only. Since merging made that rare, they cost
  more than they saved: keeping them took ~0.2 s of CPU each a shard in every clean build (~7 MB
  of terms and ~13 MB of copies to compress and write), against ~0.6 s to find a 675-page shard's
  terms and ~0.35 s to make its copies when it is indexed in full again.
* **Whole word families per chunk** (pagefind_bundle.write_chunks): Pagefind's browser code
  loads one index chunk per query piece; a chunk boundary between 放 and 放管 lost 放管服 in one
  shard (recall 49 % → 100 % on 1,000 reports).

Pure except index_site and the functions it calls, which read the site and run Pagefind.
"""
from __future__ import annotations

import collections
import fnmatch
import functools
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ..build.cache import CACHE_DIR, paused_gc
from ..errors import LawReportError
from .bundle import ENTRY, canonicalize, empty_index, read_bundle, read_fragment
from .merge import Unmergeable, merge, sorts_of, url_of
from ..build.parallel import forked_map
from ..build.staging import files_of, prune, put_bytes, put_link
from .subwords import term_codes

PAGEFIND_VERSION = "1.5.2"
"""The version pinned in pyproject.toml; the index format and the UI files come with it."""
LANGUAGE = "zh-hans"
"""One index for the whole site: every page is <html lang="zh-Hans">."""
OUTPUT = "pagefind"
"""Folder of the search bundle inside the site: Pagefind's code and UI, an index of no pages, the shards."""
SHARD_PREFIX = "shard-"
"""The shards are pagefind/shard-<n>/, n from 0, index data only (they use the code in pagefind/)."""
SHARDS_FILE = "lawreport-shards.json"
"""pagefind/<this> lists the shards to merge: ``{"merge": ["shard-0/", …]}``."""
PAGES_PER_SHARD = 700
"""Most pages (on average) one Pagefind run indexes. Chosen when Pagefind read the hidden terms (~1.2 GB
at 1.7 MB a page); it now needs ~0.7 GB. Larger shards would load less per query (a chunk per query
piece per shard) but re-index more pages after an edit."""
CACHE = f"{CACHE_DIR}/search"
"""Default folder, beside the site, of the indexed shards kept for the next build: inside the
build's cache (cache.py), so deleting that folder gives a clean build of both."""
DIGESTS = "page-digests.json"
"""In the cache: each page's path and stat → its index_copy's sha256, so unchanged pages are not read."""
RUNS = 2
"""Pagefind runs at once, given two workers or more. A run reads and cuts its pages on two cores
for ~2 s, then builds and writes its index on one for ~3 s, holding ~0.75 GB (700 pages) from then
on: one run at a time left a core idle for most of the index stage."""
_CODE_FILES = ("pagefind*.js", "pagefind*.css", "wasm.*")
"""Pagefind's code in each bundle it writes: the shards leave it out, pagefind/ has the first's."""
SHARED_MEMORY = "/dev/shm"
"""Linux's folder in memory (tmpfs), where there is one: for the copies Pagefind reads."""
RECORDS = "records"
"""The cache's folder recording, for each shard number, the pages of the bundle last finished for
it (path, digest, sort values, in Pagefind's order): what a merge starts from."""
MERGE_PAGES = 16
"""A shard with at most this many new, changed or removed pages has them merged into its last
bundle (pagefind_merge.py); one with more is indexed again in full."""

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"})


class SearchError(LawReportError):
    """Pagefind is missing, of the wrong version, or failed to index the site."""


# --- the copy Pagefind reads (pure) ----------------------------------------------------------

# The markup of a page: a raw-text element whole, a comment, a start or end tag (groups: "/" or
# "", the name), or another <…>. Text lies between (a "<" that starts none of these is text too).
# The pages come from our own templates, so a regular tokenizer is enough.
_MARKUP = re.compile(r"<(?:(script|style)\b[^>]*>.*?</\1\s*>|!--.*?-->|(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*>"
                     r"|[A-Za-z/!?][^>]*>)", re.S | re.I)


def _close(stack: list[tuple], tag: str) -> None:
    """Pop the open elements down to the innermost *tag*; an end tag nothing opened is ignored."""
    if stack and stack[-1][0] == tag:            # well-formed HTML: the innermost (3 M times at 10,000 reports)
        stack.pop()
    elif any(entry[0] == tag for entry in stack):
        while stack.pop()[0] != tag:
            pass


_PAGEFIND_DATA = re.compile(r"\sdata-pagefind-(?:filter|meta|sort)[\s=/>]")
_BODY = re.compile(r"\sdata-pagefind-body[\s=/>]", re.ASCII)      # HTML separates attributes by ASCII space
_IGNORE = re.compile(r"""\sdata-pagefind-ignore(?:\s*=\s*["']?(\w*))?""")


def index_copy(html: str) -> str:
    """Return the part of a page Pagefind reads: its search body, without the subtrees the body
    marks data-pagefind-ignore, and every element that carries a filter, a meta or a sort key.

    Pagefind's index of the copy is the index of the page (it reads nothing else once a page has
    a body), but the copy is smaller, and it is the same after a change that Pagefind would not
    see: a new report changes the lists of related reports on its neighbours' pages, not their
    copies, so their shards of the index stay cached. Pages without a body come back empty.
    """
    if _BODY.search(html) is None:
        return ""
    out = ['<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"></head><body>']
    stack: list[tuple[str, str]] = []                    # (tag, copy mode) of the open elements
    kept = -1          # where the text being kept began, while the innermost element is kept, else -1
    # Only tags change what is kept: the text, comments and scripts between them are copied in
    # slices: a report page's ~1,070 tokens took 2.0 ms one by one, its tags alone take 1.2 ms.
    for match in _MARKUP.finditer(html):
        if (name := match.group(3)) is None:             # a comment, script, style: like text
            continue
        name = name.lower()
        if match.group(2):                               # an end tag, kept if its element is
            _close(stack, name)
            keeping = bool(stack) and stack[-1][1] == _KEEP
            if kept >= 0 and not keeping:
                out.append(html[kept:match.end()])
                kept = -1
            elif kept < 0 and keeping:
                kept = match.end()
            continue
        token = match.group()
        element = _copy_mode(token, stack[-1][1] if stack else _LOOK)
        opens = name not in _VOID and not token.endswith("/>")
        if kept >= 0 and element != _KEEP:               # a subtree the body ignores begins
            out.append(html[kept:match.start()])
            kept = match.end() if not opens else -1
        elif kept < 0 and element == _KEEP:
            if opens:
                kept = match.start()
            else:
                out.append(token)
        if opens:
            stack.append((name, element))
    if kept >= 0:
        out.append(html[kept:])
    out.append("</body></html>\n")
    return half_width("".join(out))


_FULL_WIDTH_ALNUM = ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
"""Full-width digits, capitals and small letters: first and last code point; ASCII's are 0xFEE0 lower."""
_FULL_WIDTH = re.compile("[" + "".join(f"{chr(first)}-{chr(last)}" for first, last in _FULL_WIDTH_ALNUM) + "]")
_TO_HALF_WIDTH = {code: code - 0xFEE0 for first, last in _FULL_WIDTH_ALNUM for code in range(first, last + 1)}


def half_width(text: str) -> str:
    """Return *text* with its full-width letters and digits in ASCII (２０１９ → 2019, ＡＰＰ → APP),
    as the search page reads a query (static/search-query.js): a report that writes a year or a
    hotline full-width is found by the digits a reader types, and the other way round. Full-width
    punctuation (，（）) stays, as Chinese prose has it."""
    return text.translate(_TO_HALF_WIDTH) if _FULL_WIDTH.search(text) else text


_KEEP, _LOOK, _SKIP = "keep", "look", "skip"
"""index_copy keeps an element whole, looks inside it for filter, meta and sort elements, or skips it."""


def _copy_mode(start_tag: str, parent: str) -> str:
    """Return what index_copy does with the element that *start_tag* opens inside *parent*'s."""
    if parent == _SKIP:
        return _SKIP
    if "data-pagefind-" not in start_tag:    # most tags: no regular expression needed
        return parent
    ignore = _IGNORE.search(start_tag)
    if ignore and ignore.group(1) == "all":
        return _SKIP                         # Pagefind reads nothing there, filters included
    if _PAGEFIND_DATA.search(start_tag):
        return _KEEP
    if parent == _KEEP:
        return _LOOK if ignore else _KEEP    # ignored text; its filters and meta still count
    return _KEEP if _BODY.search(start_tag) else _LOOK


# --- shards (pure) ------------------------------------------------------------------------------

def shard_count(pages: int, per_shard: int = PAGES_PER_SHARD) -> int:
    """Return how many shards *pages* report pages are indexed in: as few as memory allows."""
    return max(1, -(-pages // per_shard))


def shard_of(relative: str, count: int) -> int:
    """Return the shard of the page at *relative*: a stable hash, so shards stay balanced and a
    page stays in its shard as long as the count does."""
    return int(hashlib.sha256(relative.encode("utf-8")).hexdigest()[:8], 16) % count


def split_shards(pages: Iterable[str], count: int) -> list[list[str]]:
    """Return the pages of each of *count* shards, in path order, leaving out empty shards (a
    small site can hash no page into some shard, and Pagefind refuses to index nothing)."""
    shards: list[list[str]] = [[] for _ in range(count)]
    for relative in sorted(pages):
        shards[shard_of(relative, count)].append(relative)
    return [shard for shard in shards if shard]


def shards_of(pages: Collection[str], per_shard: int | None = None) -> list[list[str]]:
    """Return the pages of each shard of a site whose pages with a search body are *pages*, about
    *per_shard* (default PAGES_PER_SHARD) a shard."""
    return split_shards(pages, shard_count(len(pages), per_shard or PAGES_PER_SHARD))


def shard_folder(shard: int) -> str:
    """Return where shard *shard* goes inside site/pagefind/."""
    return f"{SHARD_PREFIX}{shard}/"


def shard_key(pages: Iterable[tuple[str, str]], code: str) -> str:
    """Return the cache key of a shard: a digest of its (relative path, page digest) pairs and of
    the code that turns them into an index (this module, the bundle module, Pagefind's version)."""
    lines = [code, PAGEFIND_VERSION, LANGUAGE, *(f"{rel}\t{digest}" for rel, digest in sorted(pages))]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:32]


# --- the index (I/O) ----------------------------------------------------------------------------

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
    executable = _pagefind_executable()
    cache = Path(cache_dir) if cache_dir else site_dir.parent / CACHE
    cache.mkdir(parents=True, exist_ok=True)
    pages = _ReportPages(site_dir, cache, workers)
    if not pages.digests:
        raise SearchError(f"{site_dir}: no page has data-pagefind-body, so there is nothing to "
                          "search; check that report.html marks the article")
    members = shards_of(pages.digests, per_shard)
    output = site_dir / OUTPUT
    made = not output.is_dir()
    output.mkdir(exist_ok=True)
    there = files_of(output)               # a spare site's index (staging.py), updated in place
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


def shards_json(count: int) -> str:
    """Return the list of shards search.js merges into the code's bundle: folders under pagefind/."""
    return json.dumps({"merge": [shard_folder(n) for n in range(count)]}) + "\n"


def _pagefind_executable() -> Path:
    """Return the extended binary of the pinned Pagefind package, after checking its version."""
    fix = f"run  pip install 'pagefind[extended]=={PAGEFIND_VERSION}'"
    try:
        version = importlib.metadata.version("pagefind")
        importlib.metadata.version("pagefind_bin_extended")
        from pagefind_bin_extended import get_executable
        executable = get_executable()
    except (importlib.metadata.PackageNotFoundError, ImportError, FileNotFoundError):
        raise SearchError("Pagefind's extended build (the one that segments Chinese) is not "
                          f"installed; {fix}, or build with --no-search") from None
    if version != PAGEFIND_VERSION:
        raise SearchError(f"Pagefind {version} is installed but this site is built with "
                          f"{PAGEFIND_VERSION}; {fix}")
    return executable


class _ReportPages:
    """The pages of a site that have a search body, and the digest of each one's index copy.

    A digest is remembered (cache/DIGESTS) by the page's path, size, mtime and inode: the builder
    hard-links an unchanged page from the last site, so a rebuild reads only the pages it wrote
    anew (at 10,000 reports, 0.3 s for the walk). Which of the other pages have a body is found at
    once, by looking for the marker (~0.05 ms a page, where making a copy takes ~0.75 ms), so the
    shards are known before any copy is made; the copies are made as the shards come (read()).
    """

    def __init__(self, site_dir: Path, cache: Path, workers: int) -> None:
        self.site_dir, self.memo_file = site_dir, cache / DIGESTS
        memo = _remembered_digests(cache)
        self.seen: dict[str, str] = {}
        """Path and stat of each page → its digest ("": no body), as the memo will hold them."""
        self.digests: dict[str, str] = {}
        """Path → digest of each page with a body ("" while it is not read)."""
        self.unread: dict[str, str] = {}
        """Path → path and stat of the pages with a body whose copy is not made yet."""
        unseen = []
        root = str(site_dir)
        # Strings, not Path objects: ~13,000 pages at 10,000 reports, walked in every build.
        for folder, subfolders, names in os.walk(root):
            if folder == root and OUTPUT in subfolders:
                subfolders.remove(OUTPUT)                    # the index of the last build, if any
            prefix = folder[len(root) + 1:].replace(os.sep, "/")
            for name in names:
                if not name.endswith(".html"):
                    continue
                path = os.path.join(folder, name)
                stat = os.stat(path)
                relative = f"{prefix}/{name}" if prefix else name
                seen = _seen(relative, stat)
                if isinstance(digest := memo.get(seen), str):
                    self.seen[seen] = digest
                    if digest:
                        self.digests[relative] = digest
                else:
                    unseen.append((seen, path))
        for seen, body in forked_map(_has_body, unseen, workers, chunksize=256):
            relative = seen.split("\t", 1)[0]
            if body:
                self.digests[relative] = ""
                self.unread[relative] = seen
            else:
                self.seen[seen] = ""

    def read(self, relatives: Iterable[str], workers: int = 1) -> dict[str, bytes]:
        """Make the copies of the pages of *relatives* not read yet (in *workers* processes when
        there are many), note their digests, and return them by path."""
        items = [(self.unread.pop(relative), os.path.join(self.site_dir, relative))
                 for relative in relatives if relative in self.unread]
        copies = {}
        for seen, digest, copy in forked_map(_read_page, items, workers, chunksize=64):
            relative = seen.split("\t", 1)[0]
            self.seen[seen] = self.digests[relative] = digest
            copies[relative] = copy
        return copies

    def remember(self) -> None:
        """Save the digests known now for the next build (the pages never read are left out)."""
        self.memo_file.write_text(json.dumps({"code": _code_digest(), "pages": self.seen}, sort_keys=True),
                                  encoding="utf-8")


def _remembered_digests(cache: Path) -> dict[str, str]:
    """Return what cache/DIGESTS holds (see _ReportPages), or nothing if it is not this code's."""
    try:
        memo = json.loads((cache / DIGESTS).read_text(encoding="utf-8"))
        return memo["pages"] if memo.get("code") == _code_digest() else {}
    except (OSError, ValueError, AttributeError, KeyError):
        return {}


def _seen(relative: str, stat: os.stat_result) -> str:
    return f"{relative}\t{stat.st_size}\t{stat.st_mtime_ns}\t{stat.st_ino}"


def _has_body(item: tuple[str, str]) -> tuple[str, bool]:
    """Return (*seen*, whether the page at the path has a search body, as index_copy sees it)."""
    seen, path = item
    data = Path(path).read_bytes()
    return seen, b"data-pagefind-body" in data and _BODY_BYTES.search(data) is not None


_BODY_BYTES = re.compile(_BODY.pattern.encode("ascii"))
"""_BODY for UTF-8 bytes: it matches where _BODY matches the decoded text (both see ASCII space
only, and no UTF-8 sequence of another character holds an ASCII byte)."""


def _read_page(item: tuple[str, str]) -> tuple[str, str, bytes]:
    """Return (*seen*, digest of the index copy, the copy) of the page at the path; "" and b""
    when the page has no search body."""
    seen, path = item
    copy = index_copy(Path(path).read_bytes().decode("utf-8", errors="replace")).encode("utf-8")
    return seen, hashlib.sha256(copy).hexdigest() if copy else "", copy


@functools.cache
def _code_digest() -> str:
    """Return a digest of the search package's code, so a change to it invalidates the cache."""
    return hashlib.sha256(b"".join(path.read_bytes()
                                   for path in sorted(Path(__file__).parent.glob("*.py")))).hexdigest()


def _index_shards(executable: Path, site_dir: Path, cache: Path, members: list[list[str]],
                  pages: _ReportPages, place: Callable[[int, str], None], workers: int = 1,
                  head: HeadStart | None = None) -> tuple[list[str], int]:
    """Index each shard of *members* (its pages) that the cache lacks into cache/<key>/, up to RUNS
    Pagefind runs at once (one with a single worker), and place(number, key) every shard; return the
    shards' keys and how many were indexed.

    The shards are taken in order. A shard's key needs its pages' digests, so the pages not read
    yet are read as it comes: in *workers* processes before the first run, later here while
    Pagefind runs; the next shard to index has its copies written then too, and the cached shards
    found meanwhile are placed. A shard Pagefind is done with is finished here (_finish_shard)
    once the next run has started: in one process while a run goes on, the last one in *workers*.
    The *head* start's folders are used, and its run if it indexes a shard as it now is.
    """
    code = _code_digest()
    keys: list[str] = []
    shards: dict[int, _Shard] = {}               # those to index
    plans: dict[int, _MergePlan | None] = {}     # how each is made: merged, or in full (None)
    cached: list[int] = []                       # shards found in the cache, to place
    if head is None:
        work = Path(tempfile.mkdtemp(prefix="work-", dir=cache))
        read = Path(tempfile.mkdtemp(prefix="lawreport-pages-", dir=_memory_folder()))
    else:
        work, read = head.work, head.read
    running: collections.deque[tuple[int, _PagefindRun]] = collections.deque()
    taken: dict[int, _PagefindRun] = {}          # the head start's run, with its copies written
    indexed: list[int] = []

    def next_to_index(processes: int) -> int | None:
        """Key the next shards until one the cache lacks; write its copies and return its number
        (None after the last shard)."""
        while len(keys) < len(members):
            number = len(keys)
            copies = pages.read(members[number], processes)
            shard = [(relative, pages.digests[relative]) for relative in members[number]]
            keys.append(shard_key(shard, code))
            shards[number] = _Shard(number, keys[number], shard, len(members))
            if head is not None and (run := head.take(number, keys[number])) is not None:
                taken[number], plans[number] = run, head.plan
                return number
            if (cache / keys[number]).is_dir():
                cached.append(number)
            else:
                plans[number] = plan = _merge_plan(cache, shards[number])
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
            _finish_shard(shards[number], *folders, cache, processes)
            return
        try:
            _merge_shard(shards[number], plan, *(folders if plan.changed else (None, None)), cache, processes)
        except Unmergeable:
            shutil.rmtree(folders[1], ignore_errors=True)
            write_copies(site_dir, shards[number].pages, folders[0], None, processes)
            _PagefindRun(executable, *folders, site_dir).wait()
            _finish_shard(shards[number], *folders, cache, processes)

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
                running.append((upcoming, taken.pop(upcoming, None) or _PagefindRun(
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


class _Shard(NamedTuple):
    """A shard to index: its number, its key, its (path, digest) pages, and the site's shard count."""
    number: int
    key: str
    pages: list[tuple[str, str]]
    count: int


class _MergePlan(NamedTuple):
    """How a shard is made from the bundle last finished for its number (see _merge_plan)."""
    old_key: str
    old_pages: list[list]             # [path, digest, sorts] in the old bundle's page order
    changed: list[tuple[str, str]]    # the (path, digest) pages Pagefind indexes alone
    drop: set[str]                    # the URLs of the old pages that go


def _merge_plan(cache: Path, shard: _Shard) -> _MergePlan | None:
    """Return how to merge *shard*'s new and changed pages into its last bundle, or None when it
    is to be indexed in full: no record of a bundle still cached under this code and shard count,
    a page whose sorts the record could not read, or more than MERGE_PAGES changes."""
    record = _read_record(cache / RECORDS / f"{shard.number}")
    try:
        old_pages = record["pages"]
        old = {(relative, digest) for relative, digest, _ in old_pages}
        # The record must describe the bundle its key names: the key is a digest of those pages.
        if (record["code"] != _code_digest() or record["shards"] != shard.count
                or shard_key(old, record["code"]) != record["key"] or not (cache / record["key"]).is_dir()):
            return None
    except (TypeError, KeyError, ValueError):            # no record, or not one this code wrote
        return None
    now = set(shard.pages)
    changed = [page for page in shard.pages if page not in old]
    gone = {relative for relative, digest, _ in old_pages if (relative, digest) not in now}
    if (not (changed or gone) or len(gone | {relative for relative, _ in changed}) > MERGE_PAGES
            or any(sorts is None for _, _, sorts in old_pages)):
        return None
    return _MergePlan(record["key"], old_pages, changed, {url_of(relative) for relative in gone})


def _read_record(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_record(cache: Path, shard: _Shard, pages: list[list]) -> None:
    """Record the [path, digest, sorts] *pages* (in page order) of the bundle finished for *shard*."""
    record = {"code": _code_digest(), "key": shard.key, "shards": shard.count, "pages": pages}
    _replace_file(cache / RECORDS / f"{shard.number}", json.dumps(record, ensure_ascii=False).encode("utf-8"))


def _copies_sorts(scratch: Path, pages: Iterable[tuple[str, str]]) -> dict[str, dict[str, str] | None]:
    """Return the sort values of each page's copy in *scratch*, by path."""
    return {relative: sorts_of((scratch / relative).read_text(encoding="utf-8")) for relative, _ in pages}


def _in_page_order(bundle: Path, pages: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """Return *pages* in the order Pagefind numbered them in *bundle* (descending URL, see
    pagefind_merge.py), or None if its first and last pages say otherwise."""
    ordered = sorted(pages, key=lambda page: url_of(page[0]), reverse=True)
    meta = read_bundle(bundle)[2]
    if len(meta[1]) != len(ordered) or not ordered:
        return None
    for at in (0, -1):
        if read_fragment(bundle, meta[1][at][0])["url"] != url_of(ordered[at][0]):
            return None
    return ordered


class HeadStart:
    """A Pagefind run begun before the site is written (head_start), and the folders it works in:
    read/<shard> holds the copies it reads, work/<shard> gets its bundle. index_site takes them over."""

    def __init__(self, number: int, key: str, read: Path, work: Path, run: _PagefindRun,
                 plan: _MergePlan | None = None) -> None:
        self.number, self.key, self.read, self.work, self.plan = number, key, read, work, plan
        self.run: _PagefindRun | None = run

    def take(self, number: int, key: str) -> _PagefindRun | None:
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
    whose copies' digests the last index remembered (by path and stat, as _ReportPages). The
    prediction is checked when the next site is indexed (HeadStart.take): a page that differs
    only makes the run wasted. None when there is nothing to predict from or nothing to index, or
    when the run cannot begin (the index, later, meets the same problem and says so).
    """
    cache = Path(cache_dir) if cache_dir else current.parent / CACHE
    memo = _remembered_digests(cache)
    digests, copies = {}, {}
    for relative in pages:
        if relative in changed:
            copies[relative] = copy = index_copy(changed[relative]).encode("utf-8")
            if copy:
                digests[relative] = hashlib.sha256(copy).hexdigest()
            continue
        try:
            digest = memo.get(_seen(relative, os.stat(current / relative)))
        except OSError:
            digest = None
        if not digest:
            return None                      # a page the last index did not see
        digests[relative] = digest
    code = _code_digest()
    shards = shards_of(digests, per_shard)
    for number, members in enumerate(shards):
        shard = [(relative, digests[relative]) for relative in members]
        key = shard_key(shard, code)
        if not (cache / key).is_dir():
            break
    else:
        return None
    plan = _merge_plan(cache, _Shard(number, key, shard, len(shards)))
    if plan is not None and not plan.changed:
        return None                          # pages only gone: no run to begin
    folders: list[Path] = []
    try:
        folders.append(Path(tempfile.mkdtemp(prefix="lawreport-pages-", dir=_memory_folder())))
        folders.append(Path(tempfile.mkdtemp(prefix="work-", dir=cache)))
        read, work = folders
        if plan is None:
            write_copies(current, shard, read / f"{number}", copies)
        else:
            write_copies(current, plan.changed, read / f"{number}", copies)
        run = _PagefindRun(_pagefind_executable(), read / f"{number}", work / f"{number}", current)
    except (OSError, ValueError, SearchError):
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
        return None
    return HeadStart(number, key, read, work, run, plan)


def _memory_folder() -> str | None:
    """Return a folder in memory for the copies Pagefind reads, or None for the system's temporary
    folder. The copies live a few seconds, and a shard's ~700 of them cost ~1 s to create and
    delete on the benchmark machine's disk (a file ~1.1 ms, a folder ~0.4 ms)."""
    return SHARED_MEMORY if os.access(SHARED_MEMORY, os.W_OK | os.X_OK) else None


def _finish_shard(shard: _Shard, pages: Path, bundle: Path, cache: Path, workers: int = 1) -> None:
    """Add the sub-word terms to the bundle Pagefind made of *shard*'s copies in *pages* (found in
    *workers* processes), make it canonical, put it in the cache, record its pages, and drop the
    copies."""
    sorts = _copies_sorts(pages, shard.pages)
    shutil.rmtree(pages)
    # Decoding the words makes ~1 M small objects, none in a cycle: in a build's process, the
    # collector made 12 full passes over its heap meanwhile (1.84 s against 1.67 s paused).
    with paused_gc():
        canonicalize(bundle, functools.partial(_shard_terms, workers), workers)
    ordered = _in_page_order(bundle, shard.pages)
    bundle.rename(cache / shard.key)
    if ordered is None:
        (cache / RECORDS / f"{shard.number}").unlink(missing_ok=True)
    else:
        _write_record(cache, shard, [[relative, digest, sorts[relative]] for relative, digest in ordered])


def _merge_shard(shard: _Shard, plan: _MergePlan, pages: Path | None, bundle: Path | None, cache: Path,
                 workers: int = 1) -> None:
    """Merge the bundle Pagefind made of *plan*'s changed pages (copies in *pages*; None when pages
    only went) into the shard's last bundle (pagefind_merge.merge), put the result in the cache
    and record its pages. Raise Unmergeable if it cannot be merged; the caller then indexes the
    shard in full."""
    sorts = _copies_sorts(pages, plan.changed) if pages else {}
    if pages:
        shutil.rmtree(pages)
    if any(values is None for values in sorts.values()):
        raise Unmergeable("a changed page's sort values cannot be read for certain")
    merged = cache / f".merged-{shard.key}"
    shutil.rmtree(merged, ignore_errors=True)           # left by a build that was killed
    if bundle:
        canonicalize(bundle, functools.partial(_shard_terms, 1))
    try:
        order = merge(cache / plan.old_key, [(url_of(relative), values) for relative, _, values in plan.old_pages],
                      bundle, {url_of(relative): values for relative, values in sorts.items()},
                      plan.drop, merged, workers)
    except BaseException:
        shutil.rmtree(merged, ignore_errors=True)
        raise
    merged.rename(cache / shard.key)
    if bundle:
        shutil.rmtree(bundle)
    by_url = {url_of(relative): [relative, digest] for relative, digest, _ in plan.old_pages}
    by_url.update({url_of(relative): [relative, digest] for relative, digest in plan.changed})
    _write_record(cache, shard, [[*by_url[url], values] for url, values in order])


def _shard_terms(workers: int, contents: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return term_codes of each content, found in *workers* processes."""
    found = dict(forked_map(_numbered_terms, list(enumerate(contents)), workers, chunksize=16))
    return [found[number] for number in range(len(contents))]


def _numbered_terms(item: tuple[int, str]) -> tuple[int, tuple[np.ndarray, np.ndarray]]:
    return item[0], term_codes(item[1])


def _replace_file(path: Path, data: bytes) -> None:
    """Write *data* under another name, then rename it to *path*: a build stopped midway leaves no
    half file, and processes writing the same file at once leave one of their own."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}-{os.getpid()}")
    partial.write_bytes(data)
    partial.replace(path)


def write_copies(site_dir: Path, pages: list[tuple[str, str]], scratch: Path,
                 copies: Mapping[str, bytes] | None = None, workers: int = 1) -> None:
    """Write the index copy of each (path, digest) page of a shard into *scratch*, at the same path.

    A copy is taken from *copies* (made this build), else made from the page in *workers*
    processes. The files are written here, in the order given: an index made from copies created
    in the order the workers finished differed from a clean one.
    """
    copies = copies or {}
    missing = [relative for relative, _ in pages if relative not in copies]
    made = dict(forked_map(functools.partial(_copy_page, site_dir), missing, workers, chunksize=32))
    for relative, _ in pages:
        target = scratch / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(copies[relative] if relative in copies else made[relative])


def _copy_page(site_dir: Path, relative: str) -> tuple[str, bytes]:
    html = (site_dir / relative).read_text(encoding="utf-8", errors="replace")
    return relative, index_copy(html).encode("utf-8")


class _PagefindRun:
    """One Pagefind process indexing the copies in *pages* into *bundle*."""

    def __init__(self, executable: Path, pages: Path, bundle: Path, site_dir: Path) -> None:
        self.bundle, self.site_dir = bundle, site_dir
        command = [str(executable), "--site", str(pages), "--output-path", str(bundle),
                   "--force-language", LANGUAGE, "--silent"]
        # What it says goes to files, not pipes: a pipe nobody reads while another run is awaited
        # could fill and stop it.
        self.said = [tempfile.TemporaryFile(), tempfile.TemporaryFile()]
        try:
            self.process = subprocess.Popen(command, stdout=self.said[0], stderr=self.said[1])
        except OSError as error:
            self._close()
            raise SearchError(f"Pagefind could not index {site_dir}: {error}") from error

    def wait(self) -> None:
        """Wait for the run to end; raise SearchError, with its first line of complaint, if it failed."""
        status = self.process.wait()
        try:
            if status == 0 and (self.bundle / ENTRY).is_file():
                return
            said = self._said(1) or self._said(0) or f"exit status {status}"
        finally:
            self._close()
        raise SearchError(f"Pagefind could not index {self.site_dir}: {said.splitlines()[0]}")

    def stop(self) -> None:
        """End the run, if it has not ended."""
        self.process.kill()
        self.process.wait()
        self._close()

    def _said(self, stream: int) -> str:
        self.said[stream].seek(0)
        return self.said[stream].read().decode("utf-8", errors="replace").strip()

    def _close(self) -> None:
        for file in self.said:
            file.close()


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
