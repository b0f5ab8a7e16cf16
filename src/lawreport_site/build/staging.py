"""The folder a build writes the next site into, and the swap that makes it the site.

A build fills a staging folder beside --out and swaps the two with two renames (swap_in), so a
reader or a failed build never sees half a site. The replaced site is kept as the *spare*
(.<out>-spare) and becomes the next build's staging folder: most of a rebuild's pages are already
there as hard links, where a new folder needs every folder and link made again. With no spare, the
staging folder is the current site copied as hard links in the background (LinkCopy). Files are
shared with --out and the search cache, so nothing here writes into an existing file (put_bytes,
put_link), and a spare's file is kept only when it is the very file (same inode) the build asks for.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..errors import LawReportError


LINK_COPY = ("cp", "-al")
"""The command that copies a folder as hard links (GNU coreutils); where it fails, a build starts
from an empty folder."""


def spare_of(out: Path) -> Path:
    """Return where the site that *out* held before its last swap is kept."""
    return out.parent / f".{out.name}-spare"


class LinkCopy:
    """The site at *out* copied into a new folder as hard links (`cp -al`), in the background;
    begun only when there is a site and no spare. claim_staging takes the folder.

    Begun when the build starts, it runs while the build reads its content on one core; made in
    the build's own process as pages are written, the links and folders would take that process's
    time while Pagefind and the render's workers want the cores.
    """

    def __init__(self, out: Path) -> None:
        self.folder: Path | None = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
        try:
            self.process: subprocess.Popen | None = subprocess.Popen(
                [*LINK_COPY, "--", f"{out}/.", str(self.folder)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError:                           # no cp: claim_staging starts afresh
            self.process = None

    @staticmethod
    def begin(out: Path) -> LinkCopy | None:
        if not out.is_dir() or os.path.lexists(spare_of(out)):
            return None
        try:
            return LinkCopy(out)
        except OSError:
            return None

    def take(self) -> Path | None:
        """Return the folder once the copy is complete, now the caller's, or None (the folder
        removed) if the copy failed."""
        process, self.process = self.process, None
        if process is not None and process.wait() == 0:
            folder, self.folder = self.folder, None
            return folder
        self.discard()
        return None

    def discard(self) -> None:
        """Stop the copy and remove its folder, unless taken (a build that ends before its claim)."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def claim_staging(out: Path, copy: LinkCopy | None = None) -> tuple[Path, dict[str, int], bool]:
    """Return a staging folder for the next site of *out*, the files it holds (files_of), to be
    pruned of the ones the build does not make, and whether each of them is the very file of
    *out* at that path: the spare if there is one (whose files may be older), else the *copy* of
    *out* if it succeeded (whose files are), else a new empty folder. Anything but a folder or a
    file in the spare or the copy (a symbolic link someone put into the live site) is removed
    first: writing through it could leave the staging folder."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
    try:
        os.rename(spare_of(out), staging)         # replaces the empty folder: the spare is ours
    except OSError:                               # no spare (or not a folder)
        linked = copy.take() if copy is not None else None
        if linked is None:                        # start afresh
            return staging, {}, False
        os.rmdir(staging)
        return linked, files_of(linked), True
    if copy is not None:
        copy.discard()
    return staging, files_of(staging), False


def files_of(root: Path) -> dict[str, int]:
    """Return the relative path → inode of each regular file under *root* (the inode as the
    folder lists it: no stat() a file); remove every other kind of entry."""
    files: dict[str, int] = {}
    pending = [("", root)]
    while pending:
        prefix, folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((f"{prefix}{entry.name}/", Path(entry.path)))
                elif entry.is_file(follow_symlinks=False):
                    files[prefix + entry.name] = entry.inode()
                else:
                    os.unlink(entry.path)
    return files


def prune(root: Path, files: Iterable[str], keep: set[str], kept_folders: tuple[str, ...] = ()) -> None:
    """Delete each of *files* (relative to *root*) that is not in *keep* and not under one of
    *kept_folders* ("name/"), then the folders this leaves empty."""
    folders = set()
    for relative in set(files) - keep:
        if not relative.startswith(kept_folders):
            os.unlink(root / relative)
            folders.add(os.path.dirname(relative))
    # Deepest first, so a folder's emptied subfolders are gone before it is tried.
    for folder in sorted(folders, key=lambda name: name.count("/"), reverse=True):
        while folder:
            try:
                os.rmdir(root / folder)
            except OSError:                       # not empty (or already gone): its parents are not
                break
            folder = os.path.dirname(folder)


def put_bytes(target: Path, data: bytes) -> None:
    """Make *target* a file holding *data*, without writing into any file already there."""
    try:
        with open(target, "xb") as file:
            file.write(data)
    except FileExistsError:
        partial = _partial(target)
        with open(partial, "xb") as file:
            file.write(data)
        os.replace(partial, target)


def put_link(source: Path, target: Path) -> None:
    """Make *target* the file at *source* (a hard link; a copy where links fail)."""
    try:
        os.link(source, target)
        return
    except FileExistsError:
        if os.path.samefile(source, target):
            return
    except OSError:                               # a file system without hard links
        pass
    partial = _partial(target)
    try:
        os.link(source, partial)
    except OSError:
        shutil.copy2(source, partial)             # the mtime too, for deploy tools that sync by it
    os.replace(partial, target)


def _partial(target: Path) -> Path:
    """Return a free name beside *target* to make its new file under (a prune removes leftovers)."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    return partial


def swap_in(staging: Path, out: Path) -> None:
    """Replace *out* by *staging* with two renames, so readers never see a half-built site; keep
    the replaced site as the spare the next build reuses."""
    if out.exists() and not out.is_dir():
        raise LawReportError(f"{out} exists and is not a folder; move it away or choose another --out")
    spare = spare_of(out)
    had_site = out.exists()
    if had_site:
        _remove(spare)                            # only there if this build claimed none
        out.rename(spare)
    try:
        staging.rename(out)
    except BaseException:
        if had_site:
            spare.rename(out)                     # put the previous site back
        raise
    # mkdtemp makes the folder private (0700); a site is meant to be read by a web server.
    out.chmod(0o755)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
