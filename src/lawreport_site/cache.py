"""The build cache beside the output, so an unchanged report is neither re-parsed nor re-rendered.

``.lawreport-cache/`` next to ``--out`` holds:

- ``reports.pickle``: file key → (Report without its body, Facts) for the last build's reports;
- ``files.pickle``: content file path → (its Signature, its file key), so an unchanged file is
  known by one stat() instead of being read and hashed (10,000 files: ~0.06 s against 0.7–3.6 s);
- ``bodies/<ab>/<key>``: the rendered body (markup.Body) of each report, read when its page
  is rendered, so the bodies of a national archive are never all in memory;
- ``sites/<id>.json``: page path → [key, size, mtime_ns] of the site now at ``--out``, written
  after the swap; a page whose inputs have the same key is linked from it instead of rendered.

Every key starts with CODE_VERSION, a digest of the package's own files and the versions of the
libraries that shape the output, so a code change never reuses stale results. The cache only
ever saves work: deleting the folder gives the same site, built from scratch.
"""
from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import json
import os
import pickle
import platform
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .derive import Facts
from .markup import Body
from .model import Report

CACHE_DIR = ".lawreport-cache"
PACKAGE = Path(__file__).resolve().parent
LIBRARIES = ("markdown-it-pyrs", "pyahocorasick", "jinja2", "markupsafe", "pyyaml")


OUTPUT_CODE = ("cache.py", "commonmark.py", "completeness.py", "config.py", "content.py", "derive.py",
               "frontmatter.py", "markup.py", "model.py", "places.py", "render.py", "site.py", "themes.py",
               "data", "templates")
"""The package's files and folders that shape a page. Not search.py, static/ or the commands:
they change often and no cached value depends on them. A new module that shapes output goes here."""


@functools.cache
def code_version() -> str:
    """Return a digest of the package's output code (OUTPUT_CODE) and the libraries it uses."""
    digest = hashlib.sha256(f"{sys.version} {platform.machine()}".encode())
    for library in LIBRARIES:
        digest.update(f"{library}={_version(library)}\n".encode())
    for name in OUTPUT_CODE:
        top = PACKAGE / name
        for path in sorted(top.rglob("*")) if top.is_dir() else [top]:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _version(library: str) -> str:
    try:
        return metadata.version(library)
    except metadata.PackageNotFoundError:
        return "?"


def file_key(data: bytes) -> str:
    """Return the cache key of a content file's bytes under the current code."""
    return hashlib.sha256(code_version().encode() + b"\0" + data).hexdigest()


def page_key(inputs: object) -> str:
    """Return the key of a page from the repr of its inputs (plain values, digests for reports)."""
    return hashlib.sha256(f"{code_version()}\0{inputs!r}".encode()).hexdigest()


Signature = tuple[int, int, int, int]
"""(inode, size, mtime_ns, ctime_ns) of a file: any write or replacement changes the ctime at least."""


def signature(stat: os.stat_result) -> Signature:
    return stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


@dataclass
class Cache:
    """The cache folder of one output folder."""
    root: Path
    out: Path

    @classmethod
    def beside(cls, out: Path) -> Cache:
        return cls(out.resolve().parent / CACHE_DIR, out.resolve())

    # --- reports ------------------------------------------------------------------------------

    def load_reports(self) -> dict[str, tuple[Report, Facts]]:
        """Return key → (bodiless Report, Facts) of the last build; {} when there is none."""
        return self._load("reports")

    def save_reports(self, entries: Mapping[str, tuple[Report, Facts]]) -> None:
        self._save("reports", entries)

    def load_file_keys(self) -> dict[str, tuple[Signature, str]]:
        """Return path → (Signature, file key) of the content files the last build read."""
        return self._load("files")

    def save_file_keys(self, records: Mapping[str, tuple[Signature, str]]) -> None:
        self._save("files", records)

    def _load(self, name: str) -> dict:
        stored = _read_pickle(self.root / f"{name}.pickle")
        if not isinstance(stored, dict) or stored.get("code") != code_version():
            return {}                   # none yet, or written by other code: start afresh
        return stored[name]

    def _save(self, name: str, table: Mapping) -> None:
        data = pickle.dumps({"code": code_version(), name: dict(table)}, protocol=5)
        _write_atomically(self.root / f"{name}.pickle", data)

    def body_path(self, key: str) -> Path:
        return self.root / "bodies" / key[:2] / key

    def save_body(self, key: str, body: Body) -> None:
        _write_atomically(self.body_path(key), pickle.dumps(body, protocol=5))

    def load_body(self, key: str) -> Body:
        return pickle.loads(self.body_path(key).read_bytes())

    def prune_bodies(self, keep: Iterable[str]) -> None:
        """Delete the cached bodies of reports that are no longer in the content."""
        wanted = set(keep)
        folder = self.root / "bodies"
        for path in folder.glob("*/*") if folder.is_dir() else ():
            if path.name not in wanted:
                path.unlink(missing_ok=True)

    # --- pages --------------------------------------------------------------------------------

    @property
    def manifest_path(self) -> Path:
        name = hashlib.sha256(str(self.out).encode()).hexdigest()[:16]
        return self.root / "sites" / f"{name}.json"

    def load_manifest(self) -> dict[str, str]:
        """Return page path → key for the pages of --out that are still as the last build left them.

        A page edited or replaced since (another size or mtime) is left out, so it is rendered again.
        """
        try:
            recorded = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        current = {}
        for path, (key, size, mtime) in recorded.items():
            try:
                stat = os.stat(self.out / path)
            except OSError:
                continue
            if stat.st_size == size and stat.st_mtime_ns == mtime:
                current[path] = key
        return current

    def forget_manifest(self) -> None:
        """Drop the manifest before --out changes, so a build stopped mid-swap reuses nothing."""
        self.manifest_path.unlink(missing_ok=True)

    def save_manifest(self, site_dir: Path, keys: Mapping[str, str]) -> None:
        """Record the key, size and mtime of each keyed page now in *site_dir*."""
        entries = {}
        for path, key in sorted(keys.items()):
            stat = os.stat(site_dir / path)
            entries[path] = [key, stat.st_size, stat.st_mtime_ns]
        _write_atomically(self.manifest_path, json.dumps(entries).encode("utf-8"))


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while many long-lived objects are made at once.

    It ran again and again as the 10,000 reports of the cache were unpickled (2.9 s; 0.8 s with
    it paused), as the site model was built (2.7 s; 1.3 s) and as its pages were planned (2.2 s;
    1.1 s). Forked processes inherit the pause: a pool started inside should pass gc.enable as
    its initializer.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_pickle(path: Path) -> object:
    try:
        with paused_gc():
            return pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None       # absent or from another version of the code: start afresh


def _write_atomically(path: Path, data: bytes) -> None:
    # A build running beside another (lawreport serve) must never read half a file.
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
