"""Make a Pagefind bundle deterministic: the same pages give the same bytes, run after run.

Pagefind 1.5.2 writes each filter's values in the order of a Rust HashMap, which is seeded at
random per process: two runs over the same pages give different ``filter/*.pf_filter`` files
(values in another order), so different file names (a hash of the content), so a different
``pagefind.<lang>_<hash>.pf_meta`` (it lists the filter files) and ``pagefind-entry.json`` (it
names the meta). Everything else (fragments, index chunks) was byte-identical over repeated runs.
canonicalize() sorts the values, names the files after a digest of their new content and rewrites
the meta and the entry to match, so an index rebuilt in part equals one built from scratch.

The meta and filter files are gzip of ``pagefind_dcd`` + CBOR (RFC 8949); the small codec here
covers what those two hold (unsigned integers, strings, arrays, maps) in the shortest form, as
Pagefind's serialiser writes it, so an untouched value re-encodes to the same bytes. (Index chunks
also hold negative integers and fragments are JSON; neither is touched.)
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
FILTER_HASH_CHARS = 7
META_HASH_CHARS = 15
"""Lengths of the hex hashes Pagefind puts in file names; kept, so names look like its own."""


# --- CBOR, the subset Pagefind writes ------------------------------------------------------------

def decode(data: bytes) -> object:
    """Return the value CBOR-encoded in *data* (one item, nothing after it)."""
    value, end = _decode_at(data, 0)
    if end != len(data):
        raise ValueError(f"{len(data) - end} bytes after the CBOR item")
    return value


def _decode_at(data: bytes, at: int) -> tuple[object, int]:
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        length = info
    elif info <= 27:
        size = 1 << (info - 24)
        length = int.from_bytes(data[at:at + size], "big")
        at += size
    else:
        raise ValueError(f"CBOR item 0x{data[at - 1]:02x} is not one Pagefind writes")
    if major == 0:
        return length, at
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
        return _head(0, value)
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
    if length < 0:
        raise TypeError("negative integers are not used by Pagefind")
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
    # [version, pages, index chunks, filters [[name, hash]], sorts [[name, pages]], meta fields]
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
