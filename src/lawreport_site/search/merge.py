"""Merge a few changed pages into a finished shard instead of indexing all its pages again.

merge() takes the shard's bundle as the last build finished it, drops the pages that went away or
changed, and puts in the pages of a small bundle that Pagefind made of the changed pages alone
(finished the same way, terms included). In Pagefind 1.5.2 a page's words, fragment and filters
depend on that page only; what depends on the others (page order and numbers, sorts, fragment
names) is rebuilt here by Pagefind's own rules, so the result is the bundle a clean build makes,
byte for byte. Where a rule may not hold, Unmergeable is raised.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

import cbor2
import numpy as np

from ..build.cache import paused_gc
from .bundle import (ENTRY, FILTER_HASH_CHARS, META_HASH_CHARS, PART_CUTS, WordPart, cbor_head,
                              compressed_chunks, data_bytes, digest_name, entry_bytes, part_entries, read_bundle,
                              read_data, read_fragment, within, word_parts, write_named)
from ..build.parallel import forked_map


class Unmergeable(Exception):
    """The inputs break a rule merge() relies on (another Pagefind layout, word variants, a sort
    value that Pagefind might read otherwise …); the shard must be indexed in full."""


Sorts = Mapping[str, str]
"""A page's sort values by name, as its data-pagefind-sort elements give them."""

FRAGMENT_HASH_CHARS = 7
"""Hex digits of a fragment's name (a hash of the fragment) when no other page of its run collides
with it; Pagefind makes colliding names longer, so a merge that would meet one is refused."""


# --- what a page's copy says (pure) --------------------------------------------------------------

_SORT = re.compile(r"""\sdata-pagefind-sort\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_SIMPLE_SORT = re.compile(r"([A-Za-z0-9_-]+):([A-Za-z0-9_.:-]+)")


def sorts_of(copy: str) -> dict[str, str] | None:
    """Return the sort values of a page's index copy, or None when one of its sort elements is not
    of the plain ``name:value`` form whose reading is certain."""
    sorts = {}
    for match in _SORT.finditer(copy):
        simple = _SIMPLE_SORT.fullmatch(match.group(1) if match.group(1) is not None else match.group(2))
        if simple is None or simple.group(1) in sorts:
            return None
        sorts[simple.group(1)] = simple.group(2)
    return sorts


def url_of(relative: str) -> str:
    """Return the URL Pagefind gives the page at *relative* in the folder it indexes."""
    folder, _, name = relative.rpartition("/")
    if name != "index.html":
        return f"/{relative}"
    return f"/{folder}/" if folder else "/"


_INTEGER = re.compile(r"-?[0-9]{1,9}")
_DECIMAL = re.compile(r"-?[0-9]{1,9}\.[0-9]{1,6}")
_MAYBE_A_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?(?:inf|infinity|nan)",
                             re.IGNORECASE)
"""What Rust's number parsers might read as one: a value it does not match is certainly a string."""


def sort_order(values: Sequence[tuple[int, str]]) -> list[int]:
    """Return the page numbers of (page, value) pairs (in page order) sorted as Pagefind sorts them:
    as 32-bit floats if every value is a number, else as strings; ties in page order (Pagefind
    sorts stably). Raise Unmergeable when a value's reading is not certain (1e5, +3, -0.0 …)."""
    numbers = [_plain_number(value) for _, value in values]
    if all(number is not None for number in numbers):
        keyed = [(number, page) for number, (page, _) in zip(numbers, values)]
    elif all(number is not None or not _MAYBE_A_NUMBER.fullmatch(value)
             for number, (_, value) in zip(numbers, values)):
        keyed = [(value.encode("utf-8"), page) for page, value in values]
    else:
        raise Unmergeable("a sort value Pagefind may read as a number in its own way")
    return [page for _, page in sorted(keyed)]


def _plain_number(value: str) -> float | None:
    """Return *value* as Pagefind compares it (a 32-bit float) if it is a plain integer or decimal."""
    if not (_INTEGER.fullmatch(value) or _DECIMAL.fullmatch(value)):
        return None
    number = float(np.float32(value))
    return None if number == 0 and value.startswith("-") else number


# --- the merge (I/O at the edges) ----------------------------------------------------------------

def merge(old: Path, old_pages: Sequence[tuple[str, Sorts]], new: Path | None, new_sorts: Mapping[str, Sorts],
          drop: Iterable[str], out: Path, workers: int = 1) -> list[tuple[str, Sorts]]:
    """Write into *out* the bundle of the finished *old* bundle's pages (*old_pages*: URL and sorts,
    in its page order) less those whose URL is in *drop*, and the pages of the finished *new*
    bundle (sorts by URL in *new_sorts*; None: no new page); the words in *workers* processes.
    Return the pages of the result, in its order.
    Raise Unmergeable if the result could differ from Pagefind's over the same pages.

    Pagefind numbers a run's pages in descending order of their URL; both inputs are checked for
    it. The sort lists come from the pages' sort values and are checked against both inputs' own."""
    try:
        old_entry, language, old_meta = read_bundle(old)
        if new is None:                          # pages only removed: an empty bundle's meta
            new_entry, new_language, new_meta = old_entry, language, [old_meta[0], [], [], [], [], old_meta[5]]
        else:
            new_entry, new_language, new_meta = read_bundle(new)
    except ValueError as error:
        raise Unmergeable(str(error)) from None
    if new_language != language or _plain(old_entry) != _plain(new_entry):
        raise Unmergeable("the bundles differ in language or Pagefind version")
    if old_meta[0] != new_meta[0] or old_meta[5] != new_meta[5] or len(old_meta) != 6:
        raise Unmergeable("the bundles' metas differ in version or meta fields")
    if len(old_meta[1]) != len(old_pages):
        raise Unmergeable("the old bundle holds other pages than its record says")
    new_urls = [read_fragment(new, fragment_hash)["url"] for fragment_hash, _ in new_meta[1]] if new else []
    old_urls = [url for url, _ in old_pages]
    for urls in (old_urls, new_urls):
        if any(a <= b for a, b in zip(urls, urls[1:])):
            raise Unmergeable("a bundle's pages are not in descending order of URL")
    dropped = set(drop)
    kept = [number for number, url in enumerate(old_urls) if url not in dropped]
    if {old_urls[number] for number in kept} & set(new_urls):
        raise Unmergeable("a new page has the URL of a kept one")
    # (URL, where from: 0 old / 1 new, its number there), in the merged order
    merged = sorted([(old_urls[n], 0, n) for n in kept] + [(url, 1, n) for n, url in enumerate(new_urls)],
                    reverse=True)
    if not merged:
        raise Unmergeable("no page is left")
    renumbering = _renumbering(merged, len(old_urls))
    new_numbers = [number for number, (_, side, _) in enumerate(merged) if side == 1]   # in their order
    renumber = (renumbering.numbers, new_numbers)
    metas = (old_meta, new_meta)
    pages = [metas[side][1][there] for _, side, there in merged]
    names = [fragment_hash for fragment_hash, _ in pages]
    if len(set(names)) != len(names) or any(len(name) != len(language) + 1 + FRAGMENT_HASH_CHARS
                                            for name in names):
        raise Unmergeable("two pages' fragment names collide")
    sorts = [(old_pages[there][1] if side == 0 else new_sorts[url]) for url, side, there in merged]
    _check_sorts(old_meta[4], [sort for _, sort in old_pages])
    _check_sorts(new_meta[4], [new_sorts[url] for url in new_urls])

    out.mkdir(parents=True)
    _link_fragments(old, new, out, [(side, name) for (_, side, _), name in zip(merged, names)])
    _link_the_rest(old, out)
    meta = [old_meta[0], pages,
            _merged_words(old, new, old_meta[2], new_meta[2], renumbering, new_numbers, out / "index", language,
                          workers),
            _merged_filters(old, new, old_meta[3], new_meta[3], renumber, out / "filter", language),
            [[name, sort_order([(page, values[name]) for page, values in enumerate(sorts) if name in values])]
             for name in sorted({name for values in sorts for name in values})],
            old_meta[5]]
    content = data_bytes(meta)
    meta_hash = digest_name(language, content, META_HASH_CHARS)
    (out / f"pagefind.{meta_hash}.pf_meta").write_bytes(content)
    old_entry["languages"][language].update(hash=meta_hash, page_count=len(pages))
    (out / ENTRY).write_bytes(entry_bytes(old_entry))
    return [(url, sort) for (url, _, _), sort in zip(merged, sorts)]


def _plain(entry: dict) -> dict:
    """Return the entry less what depends on the pages."""
    return {**entry, "languages": {language: {k: v for k, v in info.items() if k not in ("hash", "page_count")}
                                   for language, info in entry["languages"].items()}}


def _check_sorts(listed: list[list], sorts: Sequence[Sorts]) -> None:
    """Raise Unmergeable unless the values *sorts* (by page) give the sort lists Pagefind wrote."""
    names = sorted({name for values in sorts for name in values})
    if [name for name, _ in listed] != names:
        raise Unmergeable("a bundle's sorts are not those of its pages' copies")
    for name, order in listed:
        if order != sort_order([(page, values[name]) for page, values in enumerate(sorts) if name in values]):
            raise Unmergeable(f"the pages' {name} values do not give Pagefind's order")


def _link_fragments(old: Path, new: Path | None, out: Path, pages: list[tuple[int, str]]) -> None:
    (out / "fragment").mkdir()
    for side, name in pages:
        relative = f"fragment/{name}.pf_fragment"
        os.link((old, new)[side] / relative, out / relative)


def _link_the_rest(old: Path, out: Path) -> None:
    """Link the old bundle's files that do not depend on its pages: the UI's and the WebAssembly."""
    for path in old.iterdir():
        if path.is_file() and path.name != ENTRY and not path.name.endswith(".pf_meta"):
            os.link(path, out / path.name)


def _merged_filters(old: Path, new: Path | None, old_filters: list[list[str]], new_filters: list[list[str]],
                    renumber: tuple[list[int], list[int]], folder: Path, language: str) -> list[list[str]]:
    """Write the filters of the merged pages as canonicalize writes them; return the meta's list."""
    values: dict[str, dict[str, list[int]]] = {}
    for side, (bundle, filters) in enumerate(((old, old_filters), (new, new_filters))):
        for name, filter_hash in filters:
            filter_name, pairs = read_data(bundle / "filter" / f"{filter_hash}.pf_filter")
            for value, pages in pairs:
                numbers = [renumber[side][page] for page in pages]
                values.setdefault(filter_name, {}).setdefault(value, []).extend(n for n in numbers if n >= 0)
    result = []
    for name in sorted(values):
        pairs = [[value, sorted(pages)] for value, pages in sorted(values[name].items()) if pages]
        if not pairs:
            continue
        content = data_bytes([name, pairs])
        filter_hash = digest_name(language, content, FILTER_HASH_CHARS)
        folder.mkdir(exist_ok=True)              # as Pagefind, none for a shard without filters
        (folder / f"{filter_hash}.pf_filter").write_bytes(content)
        result.append([name, filter_hash])
    return result


# --- the words ------------------------------------------------------------------------------------

class _Renumbering(NamedTuple):
    """How the old bundle's page numbers change: *numbers* (old page → new number, -1 dropped);
    *points*, the old numbers at and after which an entry's delta may change (a dropped page, and
    the first kept page after each new one); *before*, for each new page's number, the old number of
    the first kept page after it (len(numbers) if none)."""
    numbers: list[int]
    points: list[int]
    before: dict[int, int]


def _renumbering(merged: list[tuple[str, int, int]], old_count: int) -> _Renumbering:
    """Return the _Renumbering of the *merged* pages ((URL, side, number there), in order)."""
    numbers = [-1] * old_count
    before, waiting = {}, []
    for number, (_, side, there) in enumerate(merged):
        if side == 0:
            numbers[there] = number
            before.update(dict.fromkeys(waiting, there))
            waiting = []
        else:
            waiting.append(number)
    before.update(dict.fromkeys(waiting, old_count))
    dropped = [page for page, number in enumerate(numbers) if number < 0]
    return _Renumbering(numbers, sorted({*dropped, *before.values()}), before)


def _merged_words(old: Path, new: Path | None, old_chunks: list[list[str]], new_chunks: list[list[str]],
                  renumbering: _Renumbering, new_numbers: list[int], folder: Path, language: str,
                  workers: int) -> list[list[str]]:
    """Write the merged words as index chunks cut like canonicalize's, its parts in *workers*
    processes; return the meta's list."""
    added: dict[str, list[list]] = {}
    for entry, _ in part_entries(new / "index", ("", None, new_chunks)) if new else ():
        if entry[2]:
            raise Unmergeable(f"the word {entry[0]!r} has variants")
        number = 0
        for page in entry[1]:
            number += page[0]
            added.setdefault(entry[0], []).append([new_numbers[number], *page[1:]])
    jobs = [(number, part, {word: pages for word, pages in added.items() if within(word[:1], *part[:2])})
            for number, part in enumerate(word_parts(old_chunks, PART_CUTS))]
    merged = forked_map(functools.partial(_merged_part, old / "index", renumbering), jobs, workers,
                        chunksize=1, fork=workers > 1 and len(jobs) > 1)
    folder.mkdir()
    return write_named(folder, language, [chunk for _, chunks in sorted(merged) for chunk in chunks])


def _merged_part(folder: Path, renumbering: _Renumbering, job: tuple[int, WordPart, dict[str, list[list]]]
                 ) -> tuple[int, list[tuple[list[str], bytes]]]:
    """Return the number of a part of the words and its merged chunks, compressed."""
    number, part, added = job
    with paused_gc():                        # ~0.5 M small objects decoded, none in a cycle
        words = [(entry[0], _merged_word(entry, raw, renumbering, added.pop(entry[0], [])))
                 for entry, raw in part_entries(folder, part)]
        words += [(word, _new_word(word, pages)) for word, pages in added.items()]
        return number, compressed_chunks(sorted(word for word in words if word[1]))
_ENTRY_HEAD, _NO_VARIANTS = cbor_head(4, 3), cbor_head(4, 0)       # [word, pages, variants], []


def _new_word(word: str, pages: list[list]) -> bytes:
    """Return the CBOR of a word only new pages have."""
    numbers = [0] + [number for number, *_ in pages]
    return cbor2.dumps([word, [[number - numbers[at], *rest] for at, (number, *rest) in enumerate(pages)], []])


def _merged_word(entry: list, raw: bytes, renumbering: _Renumbering, added: list[list]) -> bytes:
    """Return the CBOR of the word *entry* (its bytes *raw*) with its old pages renumbered, the
    dropped ones gone and the *added* pages ([new number, locations, meta]) put in; b"" when no
    page is left.

    Page numbers are deltas from the page before (bundle.Word), so an inserted page changes one
    delta in nearly every word. Entries whose delta stays keep their bytes: only those at the
    renumbering's points and the added ones are encoded, and spliced in."""
    word, pages, variants = entry
    if variants:
        raise Unmergeable(f"the word {word!r} has variants")
    count = len(pages)
    olds = list(itertools.accumulate([page[0] for page in pages]))
    marks = set()
    for point in renumbering.points:
        at = bisect.bisect_left(olds, point)
        marks.add(at)
        if at < count and olds[at] == point:
            marks.add(at + 1)                    # a dropped page: the delta of the next one changes
    inserts: dict[int, list[list]] = {}
    for page in added:
        at = bisect.bisect_left(olds, renumbering.before[page[0]])
        inserts.setdefault(at, []).append(page)
        marks.add(at)
    numbers = renumbering.numbers
    pieces: list[tuple[int, int] | bytes] = []   # runs of old entries kept as they are, or new CBOR

    def keep(first: int, end: int) -> None:
        if pieces and isinstance(pieces[-1], tuple) and pieces[-1][1] == first:
            pieces[-1] = (pieces[-1][0], end)
        else:
            pieces.append((first, end))

    last = following = 0                         # the number put last; the old entry to go next
    for at in sorted(mark for mark in marks if mark <= count):
        if following < at:
            keep(following, at)
            last, following = numbers[olds[at - 1]], at
        for number, *rest in inserts.get(at, ()):
            pieces.append(cbor2.dumps([number - last, *rest]))
            last = number
        if at < count:
            if (number := numbers[olds[at]]) >= 0:
                if number - last == pages[at][0]:
                    keep(at, at + 1)
                else:
                    pieces.append(cbor2.dumps([number - last, *pages[at][1:]]))
                last = number
            following = at + 1
    if following < count:
        keep(following, count)
    if pieces == [(0, count)]:
        return raw
    total = sum(1 if isinstance(piece, bytes) else piece[1] - piece[0] for piece in pieces)
    if not total:
        return b""
    offsets = _entry_offsets(word, raw, pages, {at for piece in pieces if isinstance(piece, tuple) for at in piece})
    body = [piece if isinstance(piece, bytes) else raw[offsets[piece[0]]:offsets[piece[1]]] for piece in pieces]
    return b"".join((_ENTRY_HEAD, cbor2.dumps(word), cbor_head(4, total), *body, _NO_VARIANTS))


def _entry_offsets(word: str, raw: bytes, pages: list, wanted: set[int]) -> dict[int, int]:
    """Return where entry i of the word *raw* (decoded: *pages*) starts, for each i in *wanted* (i =
    len(pages): where they end). Counted from the nearer end, by encoding the entries between."""
    count = len(pages)
    end = len(raw) - len(_NO_VARIANTS)
    if raw[end:] != _NO_VARIANTS:
        raise Unmergeable("a word's entry does not end as expected")
    offsets = {}
    at, offset = 0, len(_ENTRY_HEAD) + len(cbor2.dumps(word)) + len(cbor_head(4, count))
    for index in sorted(index for index in wanted if index <= count // 2):
        offset += _entries_bytes(pages[at:index])
        offsets[index], at = offset, index
    at, offset = count, end
    for index in sorted((index for index in wanted if index > count // 2), reverse=True):
        offset -= _entries_bytes(pages[index:at])
        offsets[index], at = offset, index
    return offsets


def _entries_bytes(entries: list) -> int:
    return len(cbor2.dumps(entries)) - len(cbor_head(4, len(entries))) if entries else 0
