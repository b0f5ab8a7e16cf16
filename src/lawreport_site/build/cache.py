"""The build cache beside the output, so an unchanged report is neither re-parsed nor re-rendered.

``.lawreport-cache/`` next to ``--out`` holds ``files.pickle`` (load_file_keys), ``reports.sqlite``
(REPORTS: what deriving each report gave, and its rendered body) and ``sites/<id>.json`` (the
pages of the site now at ``--out``: manifest_path). Every key is made with code_version(), a
digest of the package's output code and of the libraries that shape the output, so a code change
never reuses stale results. The cache only ever saves work: deleting the folder gives the same
site, built from scratch.
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
import shutil
import sqlite3
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:                      # the cache stores these; it never needs their code
    from ..archive.model import Report
    from ..pages.derive import Facts
    from ..pages.markup import Body

CACHE_DIR = ".lawreport-cache"
PACKAGE = Path(__file__).resolve().parent.parent
LIBRARIES = ("markdown-it-py", "pyahocorasick", "jinja2", "markupsafe", "pyyaml")


OUTPUT_CODE = ("archive", "pages", "build/cache.py", "config.py", "data")
"""The package's files and folders that shape a page. Not search/ or the commands: they change
often and no cached value depends on them. The templates are outside the package; their digest
is part of each page's key instead (builder.templates_digest). A new module that shapes output
goes here."""


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
        """Return key → (bodiless Report, Facts) of each report derived before whose body the
        cache still holds (a report counts as cached only with its body)."""
        rows = self._db().execute("SELECT key, entry FROM reports WHERE key IN (SELECT key FROM bodies)")
        with paused_gc():
            return {key: pickle.loads(entry) for key, entry in rows}

    def load_file_keys(self) -> dict[str, tuple[Signature, str]]:
        """Return path → (Signature, file key) of the content files the last build read
        (``files.pickle``), so an unchanged file is known by one stat() instead of being read
        and hashed."""
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

    def save_derived(self, derived: Mapping[str, tuple[tuple[Report, Facts], Body]]) -> None:
        """Save each key's (bodiless Report, Facts) and body, all in one transaction."""
        with self._db() as db:
            db.executemany("INSERT OR REPLACE INTO reports VALUES (?, ?)",
                           [(key, pickle.dumps(entry, protocol=5)) for key, (entry, _) in derived.items()])
            db.executemany("INSERT OR REPLACE INTO bodies VALUES (?, ?)",
                           [(key, pickle.dumps(body, protocol=5)) for key, (_, body) in derived.items()])

    def load_body(self, key: str) -> Body:
        row = self._db().execute("SELECT body FROM bodies WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(f"{self.root / REPORTS}: no body for {key}")
        return pickle.loads(row[0])

    def prune_reports(self, keep: Iterable[str]) -> None:
        """Delete what the cache holds of reports that are no longer in the content."""
        with self._db() as db:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (key TEXT PRIMARY KEY)")
            db.execute("DELETE FROM keep")
            db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", ((key,) for key in keep))
            for table in ("reports", "bodies"):
                db.execute(f"DELETE FROM {table} WHERE key NOT IN (SELECT key FROM keep)")
        # Files an older cache layout held: a file per body, then the bodies alone in SQLite.
        shutil.rmtree(self.root / "bodies", ignore_errors=True)
        for legacy in ("reports.pickle", "bodies.sqlite", "bodies.sqlite-wal", "bodies.sqlite-shm"):
            (self.root / legacy).unlink(missing_ok=True)

    def _db(self) -> sqlite3.Connection:
        """Return this process's and thread's connection to reports.sqlite (a connection must
        not cross a fork), opened again if the file was deleted since (the cache may be)."""
        path = self.root / REPORTS
        slot = (os.getpid(), threading.get_ident(), str(path))
        known = _CONNECTIONS.get(slot)
        try:
            inode = path.stat().st_ino
        except OSError:
            inode = None
        if known is not None and known[0] == inode:
            return known[1]
        db = _open(path)
        _CONNECTIONS[slot] = (path.stat().st_ino, db)
        return db

    # --- pages --------------------------------------------------------------------------------

    @property
    def manifest_path(self) -> Path:
        """``sites/<digest of --out's path>.json``: page path → [key, size, mtime_ns] of each keyed
        page of the site now at --out, written after the swap. A page whose inputs have the same
        key is linked from that site instead of rendered."""
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


REPORTS = "reports.sqlite"
"""The reports' database. By file key, table ``reports`` holds (Report without its body, Facts),
all loaded at the start of a build, and ``bodies`` the rendered body (pages.markup.Body), read only
when its page is rendered, so the bodies of a national archive are never all in memory. The worker
that derives a report saves both. One SQLite file, not a file per body: creating files dominated a
clean build. Rows, not one pickle of the whole table: a build that adds a report saves one row
instead of writing every report again. SQLite's write-ahead log lets workers write and read at
once, and a row is never seen half written."""
_CONNECTIONS: dict[tuple[int, int, str], tuple[int, sqlite3.Connection]] = {}
"""(process, thread, file) → (the file's inode when opened, the connection)."""


def _open(path: Path) -> sqlite3.Connection:
    """Open the reports' database at *path*, made afresh when it is not one (the cache only saves
    work). WAL with synchronous=NORMAL: a crash may lose the last bodies written, never the file
    (synchronous=OFF would write faster, but a power loss could corrupt it). The log is copied into
    the file every 64 MB, not SQLite's default 4 MB: fewer checkpoints, faster writes of bodies."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return _connect(path)
    except sqlite3.DatabaseError:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return _connect(path)


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=60)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA wal_autocheckpoint=16384")
    db.execute("CREATE TABLE IF NOT EXISTS reports (key TEXT PRIMARY KEY, entry BLOB NOT NULL)")
    db.execute("CREATE TABLE IF NOT EXISTS bodies (key TEXT PRIMARY KEY, body BLOB NOT NULL)")
    return db


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while many long-lived objects are made at once.

    Otherwise it runs again and again, walking objects that all stay alive: as the cache's reports
    are unpickled, as the site model is built and as its pages are planned. Forked processes
    inherit the pause: a pool started inside should pass gc.enable as its initializer
    (parallel.fork_pool does, through start_worker).
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
