"""The site's pages with a search body, the digest of each one's index copy, and the copies written.

A digest is remembered by the page's path and stat, so a rebuild reads only the pages it wrote
anew; which pages have a body is found by a quick look for the marker, so the shards are known
before any copy is made.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..build.parallel import forked_map
from .copy import BODY_BYTES, index_copy
from .shards import OUTPUT, code_digest


DIGESTS = "page-digests.json"
"""In the cache: each page's path and stat → its index_copy's sha256, so unchanged pages are not read."""


class ReportPages:
    """The pages of a site that have a search body, and the digest of each one's index copy.

    A digest is remembered (cache/DIGESTS) by the page's path, size, mtime and inode: the builder
    hard-links an unchanged page from the last site, so a rebuild reads only the pages it wrote
    anew. Which of the other pages have a body is found at once, by looking for the marker (far
    cheaper than making a copy), so the shards are known before any copy is made; the copies are
    made as the shards come (read()).
    """

    def __init__(self, site_dir: Path, cache: Path, workers: int) -> None:
        self.site_dir, self.memo_file = site_dir, cache / DIGESTS
        memo = remembered_digests(cache)
        self.seen: dict[str, str] = {}
        """Path and stat of each page → its digest ("": no body), as the memo will hold them."""
        self.digests: dict[str, str] = {}
        """Path → digest of each page with a body ("" while it is not read)."""
        self.unread: dict[str, str] = {}
        """Path → path and stat of the pages with a body whose copy is not made yet."""
        unseen = []
        root = str(site_dir)
        # Strings, not Path objects: every page of the site is walked in every build.
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
                seen = seen_key(relative, stat)
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
        for seen, digest, copy in forked_map(read_page, items, workers, chunksize=64):
            relative = seen.split("\t", 1)[0]
            self.seen[seen] = self.digests[relative] = digest
            copies[relative] = copy
        return copies

    def remember(self) -> None:
        """Save the digests known now for the next build (the pages never read are left out)."""
        self.memo_file.write_text(json.dumps({"code": code_digest(), "pages": self.seen}, sort_keys=True),
                                  encoding="utf-8")


def remembered_digests(cache: Path) -> dict[str, str]:
    """Return what cache/DIGESTS holds (see ReportPages), or nothing if it is not this code's."""
    try:
        memo = json.loads((cache / DIGESTS).read_text(encoding="utf-8"))
        return memo["pages"] if memo.get("code") == code_digest() else {}
    except (OSError, ValueError, AttributeError, KeyError):
        return {}


def seen_key(relative: str, stat: os.stat_result) -> str:
    return f"{relative}\t{stat.st_size}\t{stat.st_mtime_ns}\t{stat.st_ino}"


def _has_body(item: tuple[str, str]) -> tuple[str, bool]:
    """Return (*seen*, whether the page at the path has a search body, as index_copy sees it)."""
    seen, path = item
    data = Path(path).read_bytes()
    return seen, b"data-pagefind-body" in data and BODY_BYTES.search(data) is not None


def read_page(item: tuple[str, str]) -> tuple[str, str, bytes]:
    """Return (*seen*, digest of the index copy, the copy) of the page at the path; "" and b""
    when the page has no search body."""
    seen, path = item
    copy = index_copy(Path(path).read_bytes().decode("utf-8", errors="replace")).encode("utf-8")
    return seen, hashlib.sha256(copy).hexdigest() if copy else "", copy


def write_copies(site_dir: Path, pages: list[tuple[str, str]], scratch: Path,
                 copies: Mapping[str, bytes] | None = None, workers: int = 1) -> None:
    """Write the index copy of each (path, digest) page of a shard into *scratch*, at the same path.

    A copy is taken from *copies* (made this build), else made from the page in *workers*
    processes. The files are written here, in the order given: an index made from copies created
    in the order the workers finished differed from a clean one.
    """
    copies = copies or {}
    missing = [relative for relative, _ in pages if relative not in copies]
    made = dict(forked_map(functools.partial(copy_page, site_dir), missing, workers, chunksize=32))
    for relative, _ in pages:
        target = scratch / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(copies[relative] if relative in copies else made[relative])


def copy_page(site_dir: Path, relative: str) -> tuple[str, bytes]:
    html = (site_dir / relative).read_text(encoding="utf-8", errors="replace")
    return relative, index_copy(html).encode("utf-8")
