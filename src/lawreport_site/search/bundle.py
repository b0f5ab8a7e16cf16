"""Finish a Pagefind bundle: add the sub-word terms, keep word families whole, fix the order.

canonicalize() makes a bundle depend on its pages only (Pagefind writes filter values in a random
order); add_postings() merges the sub-word terms of subwords.py into the word index, here rather
than as hidden text for Pagefind, which would slow it and fill the excerpts; write_chunks() never
splits a family of words across chunks. The meta, filter and index files are gzip of
``pagefind_dcd`` + CBOR (RFC 8949), written with cbor2 in the shortest form Pagefind writes, so an
untouched value re-encodes to the same bytes. Fragments are JSON and are only read.
"""
from __future__ import annotations

import concurrent.futures
import functools
import hashlib
import io
import json
import operator
import struct
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

import cbor2
import numpy as np
from zlib_ng import gzip_ng

from ..build.parallel import forked_map
from .subwords import code_text


MAGIC = b"pagefind_dcd"
"""Prefix of every decompressed Pagefind data file."""
ENTRY = "pagefind-entry.json"
CHUNK_HASH_CHARS = FILTER_HASH_CHARS = 7
META_HASH_CHARS = 15
"""Lengths of the hex hashes Pagefind puts in file names; kept, so names look like its own."""
CHUNK_BYTES = 48 * 1024
"""A chunk closes at the first family boundary past this many bytes of CBOR. Smaller chunks load
less per query piece, but each one adds an entry to the meta every query loads."""
CHUNK_LEVEL = 5
"""gzip level of the index chunks, compressed with zlib-ng: much faster than Pagefind's level 6
for nearly the same size. A query loads a chunk per piece and shard, so the bytes count too."""
COMPRESSORS = 2
"""Threads that compress the index chunks: the benchmark machine's cores."""
PART_CUTS = ("性",)
"""The word index is rewritten in parts, cut before these first characters, in forked processes
when the caller has the cores: rewriting the words is most of a shard's finish. A part's last
chunk ends at its cut, so the cuts are fixed characters, not taken from Pagefind's chunks: then
an index merged from two (merge.py) is cut like one built at once. 性 (U+6027) cuts a shard's
word bytes about in half."""
DEFAULT_WEIGHT = -25
"""The location marker for words of weight 1 (Pagefind writes -(24 × weight + 1))."""



def _read_head(data: bytes, at: int) -> tuple[int, int, int]:
    """Return (major type, length or value, offset after the head) of the CBOR item at *at*."""
    major, info = data[at] >> 5, data[at] & 31
    if info < 24:
        return major, info, at + 1
    if info > 27:
        raise ValueError(f"CBOR item 0x{data[at]:02x} is not one Pagefind writes")
    size = 1 << (info - 24)
    return major, int.from_bytes(data[at + 1:at + 1 + size], "big"), at + 1 + size


def cbor_head(major: int, length: int) -> bytes:
    """Return the shortest CBOR head of *major* type for *length*."""
    if length < 24:
        return bytes([major << 5 | length])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if length < 1 << (8 << (info - 24)):
            return bytes([major << 5 | info]) + struct.pack(fmt, length)
    raise ValueError(f"{length} does not fit in 64 bits")


# --- Pagefind's files ---------------------------------------------------------------------------

def read_data(path: Path) -> object:
    """Return the value stored in a Pagefind data file (.pf_meta, .pf_filter …)."""
    raw = gzip_ng.decompress(path.read_bytes())
    if not raw.startswith(MAGIC):
        raise ValueError(f"{path}: not a Pagefind data file")
    return cbor2.loads(raw[len(MAGIC):])


def read_bundle(bundle: Path) -> tuple[dict, str, list]:
    """Return the entry, the language and the meta of a Pagefind *bundle* of one language."""
    entry = json.loads((bundle / ENTRY).read_text(encoding="utf-8"))
    if len(entry.get("languages", {})) != 1:
        raise ValueError(f"{bundle}: not a bundle of one language")
    language, info = next(iter(entry["languages"].items()))
    return entry, language, read_data(bundle / f"pagefind.{info['hash']}.pf_meta")


def read_fragment(bundle: Path, fragment_hash: str) -> dict:
    """Return what the *bundle* stores of one page (url, content, filters …), named *fragment_hash*."""
    raw = gzip_ng.decompress((bundle / "fragment" / f"{fragment_hash}.pf_fragment").read_bytes())
    return json.loads(raw[len(MAGIC):])


def data_bytes(value: object) -> bytes:
    """Return the file content for *value*: gzip without a timestamp, so the same each time."""
    return gzip_ng.compress(MAGIC + cbor2.dumps(value), compresslevel=9, mtime=0)


def digest_name(language: str, content: bytes, chars: int) -> str:
    """Return ``<language>_<hex>``, the hex taken from a digest of *content*."""
    return f"{language}_{hashlib.sha256(content).hexdigest()[:chars]}"


def entry_bytes(entry: Mapping) -> bytes:
    """Return pagefind-entry.json's content for *entry*: compact, as Pagefind writes it."""
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def empty_index(entry: Mapping) -> dict[str, bytes]:
    """Return the files (name → content) of an index of no pages, in the version and language of
    a bundle whose *entry* (pagefind-entry.json, parsed) is given: the entry and the meta.

    The site's search code sits in a bundle of its own, which Pagefind's UI loads first and which
    must hold an index; the pages are all in shards merged into it (index.py says why)."""
    (language, _), = entry["languages"].items()
    meta = data_bytes([entry["version"], [], [], [], [], []])     # no pages, chunks, filters, sorts, fields
    meta_hash = digest_name(language, meta, META_HASH_CHARS)
    empty = {**entry, "languages": {language: {"hash": meta_hash, "wasm": None, "page_count": 0}}}
    return {ENTRY: entry_bytes(empty), f"pagefind.{meta_hash}.pf_meta": meta}


Terms = Callable[[list[str]], list[tuple[np.ndarray, np.ndarray]]]
"""Pages' fragment contents → for each, the words it should also be found by and their positions,
as subwords.term_codes gives them."""


def canonicalize(bundle: Path, terms: Terms | None = None, workers: int = 1) -> None:
    """Rewrite the index, filters, meta and entry of the Pagefind *bundle* folder in a fixed order,
    with the *terms* of its pages added to the index; the index's PARTS in *workers* processes.
    The bundle is the same whatever the number of workers.

    Pagefind 1.5.2 writes each filter's values in the order of a Rust HashMap, seeded at random
    per process, so the filter files, their names (a hash of the content), the meta that lists
    them and the entry that names the meta differ from run to run; the rest of a bundle does not.
    Here the values are sorted and the files named after a digest of their new content, so an
    index rebuilt in part equals one built from scratch."""
    entry_path = bundle / ENTRY
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        info["hash"] = _canonical_language(bundle, language, info["hash"], terms, workers)
    entry_path.write_bytes(entry_bytes(entry))


def _canonical_language(bundle: Path, language: str, meta_hash: str, terms: Terms | None,
                        workers: int) -> str:
    """Canonicalize one language's index, filters and meta; return the meta's new hash."""
    meta_path = bundle / f"pagefind.{meta_hash}.pf_meta"
    meta = read_data(meta_path)
    # [version, pages [[fragment hash, word count]], index chunks [[from, to, hash]],
    #  filters [[name, hash]], sorts, meta fields]
    index = bundle / "index"
    added = None if terms is None else page_postings(bundle, meta[1], terms)
    parts = [(number, part, None if added is None else postings_within(added, *part[:2]))
             for number, part in enumerate(word_parts(meta[2], PART_CUTS))]
    rewritten = forked_map(functools.partial(_rewrite_part, index), parts, workers, chunksize=1,
                           fork=workers > 1 and len(parts) > 1)
    for _, _, chunk_hash in meta[2]:
        (index / f"{chunk_hash}.pf_index").unlink()      # written anew, in whole families
    index.mkdir(exist_ok=True)
    meta[2] = write_named(index, language, [chunk for _, chunks in sorted(rewritten) for chunk in chunks])
    meta[3] = _sorted_filters(bundle / "filter", language, meta[3])
    meta[4] = sorted(meta[4], key=lambda sort: sort[0])
    content = data_bytes(meta)
    new_hash = digest_name(language, content, META_HASH_CHARS)
    meta_path.unlink()
    (bundle / f"pagefind.{new_hash}.pf_meta").write_bytes(content)
    return new_hash


def _sorted_filters(folder: Path, language: str, filters: list[list[str]]) -> list[list[str]]:
    """Rewrite each filter file with its values sorted; return the meta's new ``[name, hash]`` list."""
    contents = {}
    for name, filter_hash in filters:
        path = folder / f"{filter_hash}.pf_filter"
        filter_name, values = read_data(path)
        contents[name] = data_bytes([filter_name, sorted(values, key=lambda value: value[0])])
        path.unlink()        # all read and removed before any is written: names cannot clash
    result = []
    for name, content in sorted(contents.items()):
        new_hash = digest_name(language, content, FILTER_HASH_CHARS)
        (folder / f"{new_hash}.pf_filter").write_bytes(content)
        result.append([name, new_hash])
    return result


# --- the word index ---------------------------------------------------------------------------

Word = tuple[str, bytes]
"""A word of the index and its entry's CBOR, ``[word, [[page, locations, meta locations]], variants]``;
page numbers and locations are deltas from the previous one (a weight marker restarts locations)."""


def read_words(folder: Path, chunks: list[list[str]]) -> list[Word]:
    """Return the words of the index chunks listed in *chunks* (``[from, to, hash]``), in order."""
    return [(entry[0], raw) for entry, raw in read_entries(folder, chunks)]


def read_entries(folder: Path, chunks: list[list[str]]) -> list[tuple[list, bytes]]:
    """Return the entries of the index chunks listed in *chunks*, in order: each decoded, and its CBOR."""
    entries = []
    for _, _, chunk_hash in chunks:
        path = folder / f"{chunk_hash}.pf_index"
        raw = gzip_ng.decompress(path.read_bytes())
        if not raw.startswith(MAGIC + b"\x81"):
            raise ValueError(f"{path}: not an index chunk of Pagefind 1.5")
        _, count, start = _read_head(raw, len(MAGIC) + 1)
        stream = io.BytesIO(raw)
        stream.seek(start)
        decoder = cbor2.CBORDecoder(stream)
        for _ in range(count):
            at = stream.tell()
            entry = decoder.decode()
            entries.append((entry, raw[at:stream.tell()]))
    return entries


WordPart = tuple[str, str | None, list[list[str]]]
"""The words of first character in [low, high) (high None: no end), and the index chunks
(``[from, to, hash]``) that may hold them."""


def word_parts(chunks: list[list[str]], cuts: Sequence[str]) -> list[WordPart]:
    """Split the words of Pagefind's index *chunks* (``[from, to, hash]``, in order) into parts cut
    before the first characters *cuts* (word families stay whole), each with the chunks it needs.

    A chunk's bounds are prefixes of its first and last words, so a chunk may hold a word of first
    character c only if from[:1] <= c <= to[:1]; part_words checks that it holds no other.
    """
    bounds: list[str | None] = ["", *sorted(set(cuts) - {""}), None]
    return [(low, high, [chunk for chunk in chunks
                         if (high is None or chunk[0][:1] < high) and chunk[1][:1] >= low])
            for low, high in zip(bounds, bounds[1:])]


def part_words(folder: Path, part: WordPart) -> list[Word]:
    """Return the words of *part* in its chunks, in order."""
    return [(entry[0], raw) for entry, raw in part_entries(folder, part)]


def part_entries(folder: Path, part: WordPart) -> list[tuple[list, bytes]]:
    """Return the entries of the words of *part* in its chunks, in order (see read_entries)."""
    low, high, chunks = part
    entries = []
    for chunk in chunks:
        for entry, raw in read_entries(folder, [chunk]):
            first = entry[0][:1]
            if not chunk[0][:1] <= first <= chunk[1][:1]:
                raise ValueError(f"{folder}: the index chunk {chunk[2]} holds {entry[0]!r}, "
                                 f"outside its range {chunk[0]!r}–{chunk[1]!r}")
            if within(first, low, high):
                entries.append((entry, raw))
    return entries


def within(first: str, low: str, high: str | None) -> bool:
    """Return whether the first character *first* is in [low, high) (high None: no end)."""
    return low <= first and (high is None or first < high)


def _rewrite_part(folder: Path, job: tuple[int, WordPart, Postings | None]
                  ) -> tuple[int, list[tuple[list[str], bytes]]]:
    """Return the number of a part and its new chunks, ``[from, to]`` and compressed content each:
    its words read from *folder*, with the postings given added, cut in whole families."""
    number, part, added = job
    words = part_words(folder, part)
    if added is not None:
        words = add_postings(words, added)
    return number, compressed_chunks(words)


def page_postings(bundle: Path, pages: list[list], terms: Terms) -> Postings:
    """Return the pages *terms* adds to each word, read from the bundle's fragments.

    A position is kept inside the page's word count: Pagefind's excerpts index its words by it.
    """
    contents = [read_fragment(bundle, fragment_hash)["content"] for fragment_hash, _ in pages]
    found = terms(contents)
    # Over a shard's ~1 M terms at once, as numbers: a Python step a page and a word, not a term.
    counts = np.array([len(codes) for codes, _ in found], dtype=np.int64)
    codes = np.concatenate([codes for codes, _ in found] + [np.zeros(0, np.uint64)])
    page = np.repeat(np.arange(len(found), dtype=np.uint32), counts)
    last = np.array([max(words - 1, 0) for _, words in pages], dtype=np.uint32)
    location = np.minimum(np.concatenate([at for _, at in found] + [np.zeros(0, np.uint32)]), last[page])
    order = np.argsort(codes, kind="stable")                 # by term, then page (a page has a term once)
    codes, starts = np.unique(codes[order], return_index=True)
    return Postings(code_text(codes), np.append(starts, len(order)), page[order], location[order])


class Postings(NamedTuple):
    """Pages added to words: words[i] gets pages[bounds[i]:bounds[i + 1]] (increasing), at one
    location each, the same slice of locations."""
    words: list[str]
    bounds: np.ndarray
    pages: np.ndarray
    locations: np.ndarray


def postings_within(postings: Postings, low: str, high: str | None) -> Postings:
    """Return the *postings* of the words whose first character is in [low, high)."""
    keep = np.array([within(word[:1], low, high) for word in postings.words], bool)
    counts = np.diff(postings.bounds)
    entries = np.repeat(keep, counts)
    bounds = np.concatenate(([0], np.cumsum(counts[keep]))).astype(postings.bounds.dtype)
    return Postings([word for word, kept in zip(postings.words, keep) if kept], bounds,
                    postings.pages[entries], postings.locations[entries])


def postings_of(added: Mapping[str, Sequence[tuple[int, int]]]) -> Postings:
    """Return Postings from word → (page, location) pairs in increasing page order."""
    words = sorted(added)
    pairs = [pair for word in words for pair in added[word]]
    bounds = np.cumsum([0] + [len(added[word]) for word in words])
    return Postings(words, bounds, np.array([page for page, _ in pairs], np.uint32),
                    np.array([at for _, at in pairs], np.uint32))


def entries_cbor(postings: Postings) -> tuple[bytes, np.ndarray]:
    """Return the CBOR of the entries of all *postings*, ``[page delta, [weight, location], []]``
    each, word after word, and where each entry starts in it (one more: the end)."""
    first = np.zeros(len(postings.pages), bool)
    first[postings.bounds[:-1][np.diff(postings.bounds) > 0]] = True
    previous = np.concatenate(([0], postings.pages[:-1])).astype(np.uint32)
    previous[first] = 0                                      # a word's first page counts from 0
    columns = [_fixed(_PAGE_HEAD), _uint_columns(postings.pages - previous),
               _fixed(_LOCATIONS_HEAD), _uint_columns(postings.locations), _fixed(_NO_META)]
    count = len(postings.pages)
    data = np.hstack([np.broadcast_to(values, (count, values.shape[1])) for values, _ in columns])
    used = np.hstack([np.broadcast_to(mask, (count, mask.shape[1])) for _, mask in columns])
    ends = np.cumsum(used.sum(1))
    return data[used].tobytes(), np.concatenate(([0], ends))


def _fixed(head: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Return the same bytes for every entry, as columns and what of them is used (all)."""
    values = np.frombuffer(head, np.uint8)[None, :]
    return values, np.ones_like(values, bool)


def _uint_columns(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the shortest CBOR heads of unsigned *values* (< 2**32) in 5 columns, and which of
    them each head uses: 1, 2, 3 or 5."""
    values = values.astype(np.uint32)
    columns = np.zeros((len(values), 5), np.uint8)
    size = np.select([values < 24, values < 256, values < 65536], [1, 2, 3], 5)
    columns[:, 0] = np.select([size == 1, size == 2, size == 3], [values.astype(np.int64), 24, 25], 26)
    big = np.stack([values >> 24, values >> 16, values >> 8, values], 1).astype(np.uint8)
    columns[size == 2, 1] = big[size == 2, 3]
    columns[size == 3, 1:3] = big[size == 3, 2:]
    columns[size == 5, 1:5] = big[size == 5]
    return columns, np.arange(5)[None, :] < size[:, None]


def add_postings(words: list[Word], postings: Postings) -> list[Word]:
    """Return *words* (sorted) with *postings* added: to the entries of words already there, or as
    new words in order. A page a word already has keeps its own locations. Words the postings
    leave alone keep their bytes, undecoded."""
    if not postings.words:
        return words
    data, starts = entries_cbor(postings)
    merged = list(words)
    place = {word: number for number, (word, _) in enumerate(words)}
    for number, word in enumerate(postings.words):
        low, high = postings.bounds[number], postings.bounds[number + 1]
        if word in place:
            at = place[word]
            merged[at] = (word, _with_pages(cbor2.loads(words[at][1]), postings.pages[low:high].tolist(),
                                            postings.locations[low:high].tolist()))
        else:
            merged.append((word, b"".join((_ENTRY_HEAD, cbor2.dumps(word), cbor_head(4, int(high - low)),
                                           data[starts[low]:starts[high]], _NO_VARIANTS))))
    merged.sort(key=operator.itemgetter(0))
    return merged


def _with_pages(entry: list, added: list[int], locations: list[int]) -> bytes:
    """Return the CBOR of the index *entry* with the *added* pages (at *locations*) it lacks."""
    pages, number = {}, 0
    for page in entry[1]:
        number += page[0]
        pages[number] = page[1:]
    for page, location in zip(added, locations):
        pages.setdefault(page, [[DEFAULT_WEIGHT, location], []])
    entry[1], previous = [], 0
    for number in sorted(pages):
        entry[1].append([number - previous, *pages[number]])
        previous = number
    return cbor2.dumps(entry)
_ENTRY_HEAD = _PAGE_HEAD = cbor_head(4, 3)             # [word, pages, variants], [page, locations, meta]
_LOCATIONS_HEAD = cbor_head(4, 2) + cbor_head(1, -1 - DEFAULT_WEIGHT)      # [weight marker, position]
_NO_META = _NO_VARIANTS = cbor_head(4, 0)


def write_chunks(folder: Path, language: str, words: list[Word]) -> list[list[str]]:
    """Write *words* (sorted) as index chunks of about CHUNK_BYTES, never splitting the words that
    start with one character; return the meta's ``[from, to, hash]`` list.

    Pagefind's browser code loads, for each query piece, the *one* chunk whose word range holds it
    (pagefind_web ``request_indexes``), then matches the piece as a prefix within that chunk, so a
    chunk boundary inside a family (``放`` | ``放宽 放管 …``) loses the words past it.

    A range is [first character, last character + U+10FFFF], which holds every word of its
    families and every prefix of them (Pagefind's own bounds are cut short: a chunk bounded by 二
    held 二十).
    """
    return write_named(folder, language, compressed_chunks(words))


def compressed_chunks(words: list[Word]) -> list[tuple[list[str], bytes]]:
    """Return the ``[from, to]`` range and the compressed content of each chunk of *words* (sorted),
    cut as write_chunks says."""
    return _compressed(_cut_chunks(words))


def _cut_chunks(words: list[Word]) -> list[tuple[list[str], bytes]]:
    """Return the ``[from, to]`` range and the CBOR of each chunk of *words* (see write_chunks)."""
    chunks = []
    chunk: list[Word] = []
    size = 0
    for number, (word, raw) in enumerate(words):
        chunk.append((word, raw))
        size += len(raw)
        following = words[number + 1][0] if number + 1 < len(words) else None
        if following is None or (size >= CHUNK_BYTES and following[:1] != word[:1]):
            chunks.append(([chunk[0][0][:1], chunk[-1][0][:1] + _LAST_CHAR],
                           b"".join((MAGIC, b"\x81", cbor_head(4, len(chunk)), *(raw for _, raw in chunk)))))
            chunk, size = [], 0
    return chunks


def _compressed(chunks: list[tuple[list[str], bytes]]) -> list[tuple[list[str], bytes]]:
    # zlib-ng lets go of the GIL while it compresses, so threads share the work.
    with concurrent.futures.ThreadPoolExecutor(COMPRESSORS) as pool:
        contents = pool.map(functools.partial(gzip_ng.compress, compresslevel=CHUNK_LEVEL, mtime=0),
                            [data for _, data in chunks])
        return [(bound, content) for (bound, _), content in zip(chunks, contents)]


def write_named(folder: Path, language: str, chunks: list[tuple[list[str], bytes]]) -> list[list[str]]:
    """Write each compressed chunk under a digest name; return the meta's ``[from, to, hash]`` list."""
    ranges = []
    for bound, content in chunks:
        name = _free_name(folder, language, content)
        (folder / f"{name}.pf_index").write_bytes(content)
        ranges.append([*bound, name])
    return ranges


_LAST_CHAR = "\U0010ffff"


def _free_name(folder: Path, language: str, content: bytes) -> str:
    """Return a digest name for *content* that no other chunk in *folder* has."""
    chars = CHUNK_HASH_CHARS
    while True:
        name = digest_name(language, content, chars)
        path = folder / f"{name}.pf_index"
        if not path.exists() or path.read_bytes() == content:
            return name
        chars += 1
