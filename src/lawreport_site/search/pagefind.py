"""Running Pagefind's extended binary: the pinned version, one process a shard, its copies in memory.

The binary, not Pagefind's Python API: it reads a scratch folder of index copies several times
faster than the API's stdio service.
"""
from __future__ import annotations

import importlib.metadata
import os
import subprocess
import tempfile
from pathlib import Path

from ..errors import LawReportError
from .bundle import ENTRY


PAGEFIND_VERSION = "1.5.2"
"""The version pinned in pyproject.toml; the index format and the UI files come with it."""
LANGUAGE = "zh-hans"
"""One index for the whole site: every page is <html lang="zh-Hans">."""
SHARED_MEMORY = "/dev/shm"
"""Linux's folder in memory (tmpfs), where there is one: for the copies Pagefind reads."""


class SearchError(LawReportError):
    """Pagefind is missing, of the wrong version, or failed to index the site."""


def pagefind_executable() -> Path:
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


def memory_folder() -> str | None:
    """Return a folder in memory for the copies Pagefind reads, or None for the system's temporary
    folder. The copies live only a few seconds; on disk, creating and deleting a shard's worth of
    them is slow."""
    return SHARED_MEMORY if os.access(SHARED_MEMORY, os.W_OK | os.X_OK) else None


class PagefindRun:
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
