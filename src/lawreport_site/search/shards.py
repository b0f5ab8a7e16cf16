"""The index in shards: which pages go together, and the key each shard is cached under.

Pagefind holds a whole index in memory (~1 MB a page), so a national archive is indexed in
shards of about PAGES_PER_SHARD pages, split by a hash of each page's path (shards of like size and
word statistics keep scores comparable when the browser merges them). Pure, but for code_digest.
"""
from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import NamedTuple

from ..build.cache import CACHE_DIR
from .pagefind import LANGUAGE, PAGEFIND_VERSION

OUTPUT = "pagefind"
"""Folder of the search bundle inside the site: Pagefind's code and UI, an index of no pages, the shards."""
CACHE = f"{CACHE_DIR}/search"
"""Default folder, beside the site, of the indexed shards kept for the next build: inside the
build's cache (build/cache.py), so deleting that folder gives a clean build of both."""

SHARD_PREFIX = "shard-"
"""The shards are pagefind/shard-<n>/, n from 0, index data only (they use the code in pagefind/)."""
SHARDS_FILE = "lawreport-shards.json"
"""pagefind/<this> lists the shards to merge: ``{"merge": ["shard-0/", …]}``."""
PAGES_PER_SHARD = 700
"""Most pages (on average) one Pagefind run indexes, which bounds the memory a run holds. Larger
shards would load less per query (a chunk per query piece per shard) but re-index more pages
after an edit."""


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
    what turns them into an index (*code*, the search package's code_digest; Pagefind's version and
    language)."""
    lines = [code, PAGEFIND_VERSION, LANGUAGE, *(f"{rel}\t{digest}" for rel, digest in sorted(pages))]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:32]


def shards_json(count: int) -> str:
    """Return the list of shards the search page (templates/static/search.js) merges into the
    code's bundle: folders under pagefind/."""
    return json.dumps({"merge": [shard_folder(n) for n in range(count)]}) + "\n"


class Shard(NamedTuple):
    """A shard to index: its number, its key, its (path, digest) pages, and the site's shard count."""
    number: int
    key: str
    pages: list[tuple[str, str]]
    count: int


@functools.cache
def code_digest() -> str:
    """Return a digest of the search package's code, so a change to it invalidates the cache."""
    return hashlib.sha256(b"".join(path.read_bytes()
                                   for path in sorted(Path(__file__).parent.glob("*.py")))).hexdigest()
