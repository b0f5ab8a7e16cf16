"""Make a Pagefind bundle deterministic: the same pages give the same bytes, run after run.

Pagefind 1.5.2 writes each filter's values in the order of a Rust HashMap, which is seeded at
random per process: two runs over the same pages give different ``filter/*.pf_filter`` files
(values in another order), so different file names (a hash of the content), so a different
``pagefind.<lang>_<hash>.pf_meta`` (it lists the filter files) and ``pagefind-entry.json`` (it
names the meta). Everything else (fragments, index chunks) was byte-identical over repeated runs.
canonicalize() sorts the values, names the files after a digest of their new content and rewrites
the meta and the entry to match, so an index rebuilt in part equals one built from scratch.

Pagefind's browser code also loses words: it splits the word index into chunks by word ranges and
loads, for each query word, the *one* chunk whose range holds it (pagefind_web ``request_indexes``),
then matches the word as a prefix within that chunk. When a chunk boundary falls inside the words
that start with one character (``放`` | ``放宽 放管 …``), the query piece 放 never sees 放管, and
放管服 was found in 0 of the ~445 reports of one shard that hold it. whole_families() moves such words
into the chunk before, so that all words starting with one character are in one chunk, and starts
each chunk's range at that character.

The meta, filter and index files are gzip of ``pagefind_dcd`` + CBOR (RFC 8949); the small codec here
covers what they hold (integers, strings, arrays, maps) in the shortest form, as Pagefind's
serialiser writes it, so an untouched value re-encodes to the same bytes. Fragments are JSON and
are left alone.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import struct
from pathlib import Path

MAGIC = b"pagefind_dcd"
"""Prefix of every decompressed Pagefind data file."""
ENTRY = "pagefind-entry.json"
CHUNK_HASH_CHARS = FILTER_HASH_CHARS = 7
META_HASH_CHARS = 15
"""Lengths of the hex hashes Pagefind puts in file names; kept, so names look like its own."""


# --- CBOR, the subset Pagefind writes ------------------------------------------------------------

def decode(data: bytes) -> object:
    """Return the value CBOR-encoded in *data* (one item, nothing after it)."""
    value, end = _decode_at(data, 0)
    if end != len(data):
        raise ValueError(f"{len(data) - end} bytes after the CBOR item")
    return value


def _read_head(data: bytes, at: int) -> tuple[int, int, int]:
    """Return (major type, length or value, offset after the head) of the CBOR item at *at*."""
    major, info = data[at] >> 5, data[at] & 31
    if info < 24:
        return major, info, at + 1
    if info > 27:
        raise ValueError(f"CBOR item 0x{data[at]:02x} is not one Pagefind writes")
    size = 1 << (info - 24)
    return major, int.from_bytes(data[at + 1:at + 1 + size], "big"), at + 1 + size


def _decode_at(data: bytes, at: int) -> tuple[object, int]:
    major, length, at = _read_head(data, at)
    if major == 0:
        return length, at
    if major == 1:
        return -1 - length, at
    if major == 2:
        return bytes(data[at:at + length]), at + length
    if major == 3:
        return data[at:at + length].decode("utf-8"), at + length
    if major in (4, 5):
        items = []
        for _ in range(length * (1 if major == 4 else 2)):
            item, at = _decode_at(data, at)
            items.append(item)
        return (items if major == 4 else dict(zip(items[::2], items[1::2]))), at
    raise ValueError(f"CBOR major type {major} is not one Pagefind writes")


def encode(value: object) -> bytes:
    """Return the shortest CBOR encoding of *value* (int ≥ 0, bytes, str, list or dict)."""
    if isinstance(value, bool) or value is None:
        raise TypeError(f"cannot encode {value!r}")
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(encode(item) for item in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(encode(k) + encode(v) for k, v in value.items())
    raise TypeError(f"cannot encode {type(value).__name__}")


def _head(major: int, length: int) -> bytes:
    if length < 24:
        return bytes([major << 5 | length])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if length < 1 << (8 << (info - 24)):
            return bytes([major << 5 | info]) + struct.pack(fmt, length)
    raise ValueError(f"{length} does not fit in 64 bits")


# --- Pagefind's files ---------------------------------------------------------------------------

def read_data(path: Path) -> object:
    """Return the value stored in a Pagefind data file (.pf_meta, .pf_filter …)."""
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(MAGIC):
        raise ValueError(f"{path}: not a Pagefind data file")
    return decode(raw[len(MAGIC):])


def data_bytes(value: object) -> bytes:
    """Return the file content for *value*: gzip without a timestamp, so the same each time."""
    return gzip.compress(MAGIC + encode(value), compresslevel=9, mtime=0)


def digest_name(language: str, content: bytes, chars: int) -> str:
    """Return ``<language>_<hex>``, the hex taken from a digest of *content*."""
    return f"{language}_{hashlib.sha256(content).hexdigest()[:chars]}"


def canonicalize(bundle: Path) -> None:
    """Rewrite the filters, meta and entry of the Pagefind *bundle* folder in a fixed order."""
    entry_path = bundle / ENTRY
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        info["hash"] = _canonical_language(bundle, language, info["hash"])
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                          encoding="utf-8", newline="\n")


def _canonical_language(bundle: Path, language: str, meta_hash: str) -> str:
    """Canonicalize one language's filters and meta; return the meta's new hash."""
    meta_path = bundle / f"pagefind.{meta_hash}.pf_meta"
    meta = read_data(meta_path)
    # [version, pages, index chunks [[from, to, hash]], filters [[name, hash]], sorts, meta fields]
    meta[2] = whole_families(bundle / "index", language, meta[2])
    folder = bundle / "filter"
    contents = {}
    for name, filter_hash in meta[3]:
        path = folder / f"{filter_hash}.pf_filter"
        filter_name, values = read_data(path)
        contents[name] = data_bytes([filter_name, sorted(values, key=lambda value: value[0])])
        path.unlink()        # all read and removed before any is written: names cannot clash
    meta[3] = []
    for name, content in sorted(contents.items()):
        new_hash = digest_name(language, content, FILTER_HASH_CHARS)
        (folder / f"{new_hash}.pf_filter").write_bytes(content)
        meta[3].append([name, new_hash])
    meta[4] = sorted(meta[4], key=lambda sort: sort[0])
    content = data_bytes(meta)
    new_hash = digest_name(language, content, META_HASH_CHARS)
    meta_path.unlink()
    (bundle / f"pagefind.{new_hash}.pf_meta").write_bytes(content)
    return new_hash


# --- index chunks: whole families of words ------------------------------------------------------

def whole_families(folder: Path, language: str, chunks: list[list[str]]) -> list[list[str]]:
    """Move words so no two chunks hold words starting with one character; return the new list.

    *chunks* is the meta's ``[from, to, hash]`` list, in word order. Only the words at the start
    of a chunk that continue the previous chunk's last character are read and moved. Each range
    becomes [first character, last character + U+10FFFF], which holds every word of its families
    (Pagefind's own bounds are cut short: a chunk bounded by 二 held 二十).
    """
    if not chunks:
        return []
    result: list[list[str]] = []
    current = _Chunk.load(folder, *chunks[0])
    for entry in chunks[1:]:
        following = _Chunk.load(folder, *entry)
        current.take_family_from(following)
        if following.count:
            result.append(current.save(folder, language))
            current = following
        else:
            following.path.unlink()         # all its words moved to the chunk before
    result.append(current.save(folder, language))
    return result


_LAST_CHAR = "\U0010ffff"


class _Chunk:
    """One index chunk as raw CBOR, ``[[word, …]]``, held as the bytes of its words."""

    def __init__(self, path: Path, first: str, last: str, count: int, words: bytes) -> None:
        self.path, self.count, self.words = path, count, words
        self.first, self.last = first[:1], last[:1]        # first characters of its first and last words
        self.changed = False

    @classmethod
    def load(cls, folder: Path, first: str, last: str, chunk_hash: str) -> _Chunk:
        path = folder / f"{chunk_hash}.pf_index"
        raw = gzip.decompress(path.read_bytes())
        if not raw.startswith(MAGIC + b"\x81"):
            raise ValueError(f"{path}: not an index chunk of Pagefind 1.5")
        _, count, start = _read_head(raw, len(MAGIC) + 1)
        return cls(path, first, last, count, raw[start:])

    def take_family_from(self, following: _Chunk) -> None:
        """Move the words at the start of *following* that begin with this chunk's last character."""
        at = moved = 0
        while moved < following.count:
            word, _ = _decode_at(following.words, at + 1)      # a word is [text, pages, variants]
            if word[:1] != self.last:
                following.first = word[:1]
                break
            at, moved = _skip(following.words, at), moved + 1
        if moved:
            self.words += following.words[:at]
            self.count, self.changed = self.count + moved, True
            following.words, following.count = following.words[at:], following.count - moved
            following.changed = True

    def save(self, folder: Path, language: str) -> list[str]:
        """Write the chunk if it changed; return its ``[from, to, hash]``."""
        name = self.path.name.removesuffix(".pf_index")
        if self.changed:
            content = gzip.compress(MAGIC + b"\x81" + _head(4, self.count) + self.words,
                                    compresslevel=6, mtime=0)
            self.path.unlink(missing_ok=True)
            name = _free_name(folder, language, content)
            (folder / f"{name}.pf_index").write_bytes(content)
        return [self.first, self.last + _LAST_CHAR, name]


def _free_name(folder: Path, language: str, content: bytes) -> str:
    """Return a digest name for *content* that no other chunk in *folder* has."""
    chars = CHUNK_HASH_CHARS
    while True:
        name = digest_name(language, content, chars)
        path = folder / f"{name}.pf_index"
        if not path.exists() or path.read_bytes() == content:
            return name
        chars += 1


def _skip(data: bytes, at: int) -> int:
    """Return the offset just after the CBOR item at *at*, building nothing.

    The hot loop of canonicalize (posting lists are long runs of small integers), hence inlined.
    """
    pending = 1
    while pending:
        pending -= 1
        byte = data[at]
        major, info = byte >> 5, byte & 31
        at += 1
        if info < 24:
            length = info
        else:
            size = 1 << (info - 24)
            length = int.from_bytes(data[at:at + size], "big")
            at += size
        if major == 4:
            pending += length
        elif major in (2, 3):
            at += length
        elif major == 5:
            pending += 2 * length
    return at
