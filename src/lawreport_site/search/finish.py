"""A shard's bundle made final: its sub-word terms added, made canonical, cached and recorded.

When only a few of a shard's pages changed, Pagefind indexes those alone and merge.py puts them
into the shard's last bundle, which RECORDS describes; the result is the bytes a full run gives.
"""
from __future__ import annotations

import functools
import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ..build.cache import paused_gc
from .bundle import canonicalize, read_bundle, read_fragment
from .merge import Unmergeable, merge, sorts_of, url_of
from ..build.parallel import forked_map
from .shards import Shard, code_digest, shard_key
from .subwords import term_codes


RECORDS = "records"
"""The cache's folder recording, for each shard number, the pages of the bundle last finished for
it (path, digest, sort values, in Pagefind's order): what a merge starts from."""
MERGE_PAGES = 16
"""A shard with at most this many new, changed or removed pages has them merged into its last
bundle (merge.py); one with more is indexed again in full."""


class MergePlan(NamedTuple):
    """How a shard is made from the bundle last finished for its number (see merge_plan)."""
    old_key: str
    old_pages: list[list]             # [path, digest, sorts] in the old bundle's page order
    changed: list[tuple[str, str]]    # the (path, digest) pages Pagefind indexes alone
    drop: set[str]                    # the URLs of the old pages that go


def merge_plan(cache: Path, shard: Shard) -> MergePlan | None:
    """Return how to merge *shard*'s new and changed pages into its last bundle, or None when it
    is to be indexed in full: no record of a bundle still cached under this code and shard count,
    a page whose sorts the record could not read, or more than MERGE_PAGES changes."""
    record = _read_record(cache / RECORDS / f"{shard.number}")
    try:
        old_pages = record["pages"]
        old = {(relative, digest) for relative, digest, _ in old_pages}
        # The record must describe the bundle its key names: the key is a digest of those pages.
        if (record["code"] != code_digest() or record["shards"] != shard.count
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
    return MergePlan(record["key"], old_pages, changed, {url_of(relative) for relative in gone})


def _read_record(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_record(cache: Path, shard: Shard, pages: list[list]) -> None:
    """Record the [path, digest, sorts] *pages* (in page order) of the bundle finished for *shard*."""
    record = {"code": code_digest(), "key": shard.key, "shards": shard.count, "pages": pages}
    _replace_file(cache / RECORDS / f"{shard.number}", json.dumps(record, ensure_ascii=False).encode("utf-8"))


def _copies_sorts(scratch: Path, pages: Iterable[tuple[str, str]]) -> dict[str, dict[str, str] | None]:
    """Return the sort values of each page's copy in *scratch*, by path."""
    return {relative: sorts_of((scratch / relative).read_text(encoding="utf-8")) for relative, _ in pages}


def _in_page_order(bundle: Path, pages: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """Return *pages* in the order Pagefind numbered them in *bundle* (descending URL, see
    merge.py), or None if its first and last pages say otherwise."""
    ordered = sorted(pages, key=lambda page: url_of(page[0]), reverse=True)
    meta = read_bundle(bundle)[2]
    if len(meta[1]) != len(ordered) or not ordered:
        return None
    for at in (0, -1):
        if read_fragment(bundle, meta[1][at][0])["url"] != url_of(ordered[at][0]):
            return None
    return ordered


def finish_shard(shard: Shard, pages: Path, bundle: Path, cache: Path, workers: int = 1) -> None:
    """Add the sub-word terms to the bundle Pagefind made of *shard*'s copies in *pages* (found in
    *workers* processes), make it canonical, put it in the cache, record its pages, and drop the
    copies."""
    sorts = _copies_sorts(pages, shard.pages)
    shutil.rmtree(pages)
    # Decoding the words makes ~1 M small objects, none in a cycle: the collector would pass over
    # the build's whole heap again and again for nothing.
    with paused_gc():
        canonicalize(bundle, functools.partial(_shard_terms, workers), workers)
    ordered = _in_page_order(bundle, shard.pages)
    bundle.rename(cache / shard.key)
    if ordered is None:
        (cache / RECORDS / f"{shard.number}").unlink(missing_ok=True)
    else:
        _write_record(cache, shard, [[relative, digest, sorts[relative]] for relative, digest in ordered])


def merge_shard(shard: Shard, plan: MergePlan, pages: Path | None, bundle: Path | None, cache: Path,
                 workers: int = 1) -> None:
    """Merge the bundle Pagefind made of *plan*'s changed pages (copies in *pages*; None when pages
    only went) into the shard's last bundle (merge.merge), put the result in the cache
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
