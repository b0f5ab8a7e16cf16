"""`lawreport build`: content/reports/*.md → the static site, swapped into public/ atomically.

The I/O end of the pipeline: parse every content file and derive what its body gives (in worker
processes, or from the cache beside the output for unchanged files: build/cache.py), validate
them all, build the model, render page by page (in worker processes too) into a staging folder
beside the output (unchanged pages are hard-linked from the current site), index it for search,
and only then swap it in (build/staging.py). A bad content file or a failure midway therefore
leaves the previous site untouched.
"""
from __future__ import annotations

import argparse
import dataclasses
import functools
import gc
import hashlib
import os
import re
import shutil
import sys
import time
from collections.abc import Container, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader

from .archive.content import report_from_bytes
from .archive.model import Report
from .build.cache import Cache, Signature, file_key, paused_gc, signature
from .build.parallel import cores, forked_map, worth_forking
from .build.staging import LinkCopy, claim_staging, prune, put_bytes, put_link, swap_in
from .config import CONFIG_FILE, SiteConfig, load_config
from .errors import ContentError, LawReportError
from .pages.derive import Facts, derive
from .pages.markup import Body
from .pages.render import TEMPLATES, Reuse, make_env, page_file, report_page, write_site
from .pages.site import SiteModel, build_site, validate
from .search.t2s_table import SCRIPT_NAME, search_script

if TYPE_CHECKING:
    from .search.head_start import HeadStart

SETTLED_NS = 2_000_000_000
"""A content file's signature is trusted only once it has not changed for this long before it was
taken: a write in the same clock tick as the stat could otherwise leave the signature unchanged."""
SAFE_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,120}")
SOURCES_DIR = "sources"
"""Where the original seed files are copied inside the site."""
STATIC_FOLDER = "static"
"""Where the site's CSS, icons and scripts (templates/static/) go inside the site."""
SEARCH_FOLDER = "pagefind"
"""The search index's folder in the site (search.shards.OUTPUT), which index_site keeps up to date."""
HEAD_START_REPORTS = 10
"""Up to this many new or changed reports, their pages are rendered once more, before the site's
model is built, so that Pagefind can begin on their shard meanwhile (search/head_start.py)."""


def build_command(args: argparse.Namespace) -> int:
    """Build the site from args.content into args.out; return 0, or 1 when some input is bad."""
    # The next site's folder is begun at once, as links to the current site (build/staging.py).
    copy = LinkCopy.begin(Path(args.out))
    try:
        return _build(args, copy)
    finally:
        if copy is not None:
            copy.discard()      # nothing left to do once claim_staging took it
        gc.unfreeze()           # what _build froze is the collector's again (lawreport serve lives on)


def _build(args: argparse.Namespace, copy: LinkCopy | None = None) -> int:
    status = 0
    if args.ingest:
        from .ingest.run import ingest_command
        status = ingest_command(args.seeds, args.content)
        if status:
            # Bad seeds were reported one per line and produced no content; the good ones did,
            # so the site is still built from them, and the exit status still says "look above".
            print("Some seeds could not be ingested (see above); building from the content that exists.")
    config = load_config(Path(getattr(args, "config", None) or CONFIG_FILE))
    templates = Path(getattr(args, "templates", None) or TEMPLATES)
    if not (templates / "base.html").is_file():
        raise LawReportError(f"{templates}/: no templates here (base.html is missing); run lawreport "
                             "in the project's folder, beside content/ and templates/, or pass --templates")
    clock = StageClock()
    clock.begin("reading content", str(args.content / "reports"))
    out = Path(args.out)
    cache = Cache.beside(out)
    known = cache.load_reports()
    # The cached reports, and below the site model, live until the build ends: gc.freeze() keeps
    # the collector's full passes from walking them again and again.
    gc.freeze()
    recorded = cache.load_file_keys() if known else {}
    keys, settled = content_keys(args.content / "reports", cached=bool(known), recorded=recorded)
    workers = getattr(args, "workers", None) or cores()
    fresh = {key for key in keys.values() if key not in known}
    clock.begin("deriving reports", f"{len(keys)} report(s), {len(fresh)} new or changed")
    loaded, keys, problems = load_content(keys, known, cache, workers)
    records = {path: (settled[path], key) for path, key in keys.items() if path in settled}
    if records != recorded:
        cache.save_file_keys(records)
    problems += validate({path: report for path, (report, _) in loaded.items()})
    if problems:
        # The good files were derived (and saved, by the workers) before the bad ones were
        # known: the build after the fix derives only the files fixed.
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(problems)} problem(s) in {args.content}/; the site was not built, "
              f"{args.out}/ is unchanged.", file=sys.stderr)
        return 1
    if not loaded:
        raise LawReportError(f"{args.content}/reports/ holds no reports; run `lawreport ingest` "
                             "or add a Markdown file (see README)")
    entries = {keys[path]: loaded[path] for path in sorted(loaded)}
    del loaded, known
    env = make_env(FileSystemLoader(templates))
    head = staging = None
    try:
        clock.begin("rendering and writing pages")
        if not args.no_search:
            head = _head_start(out, entries, fresh, cache, config, env, args.seeds)
        # The collector would walk the growing model again and again; the few cycles can wait.
        with paused_gc():
            site = build_site((report for report, _ in entries.values()),
                              {report.slug: facts for report, facts in entries.values()})
        gc.freeze()                                     # see above
        # Claimed only now: the link copy (build/staging.py) has had the model's time to finish.
        staging, spared, current = claim_staging(out, copy)
        counts, files, page_keys = render_into(staging, site, entries, cache, config, args.seeds, out, workers,
                                               env, templates, frozenset(spared) if current else frozenset())
        # What the spare held and this build did not make goes; the search index keeps its own.
        prune(staging, spared, set(files), () if args.no_search else (f"{SEARCH_FOLDER}/",))
        # Without the model, Pagefind runs beside a smaller process: what it held in reference
        # cycles too, collected now, once they are not frozen.
        del entries, site
        gc.unfreeze()
        gc.collect()
        if not args.no_search:
            clock.begin("indexing for search")
        search = None if args.no_search else _index(staging, head)
        clock.begin("swapping the new site in")
        cache.forget_manifest()
        swap_in(staging, out)
    except BaseException:
        if head is not None:
            head.close()
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    cache.save_manifest(out, page_keys)
    cache.prune_reports(keys.values())
    _summary(counts, out, search, clock.summary())
    return status


def render_into(staging: Path, site: SiteModel, entries: Mapping[str, tuple[Report, Facts]], cache: Cache,
                config: SiteConfig, seeds: Path, out: Path, workers: int, env: Environment, templates: Path,
                in_place: frozenset[str] = frozenset()) -> tuple[dict[str, int], list[str], Mapping[str, str]]:
    """Render and write the *site* of *entries* into *staging* (whose files at the paths
    *in_place* are already those of the site at *out*); return the model's counts, the paths of
    the files it holds and the key of each page (for the next build's reuse)."""
    digests = {report.slug: key for key, (report, _) in entries.items()}
    copies = plan_source_copies(site.reports, seeds)
    reuse = Reuse(digests, cache.load_manifest() if out.is_dir() else {}, templates=templates_digest(templates))

    def bodies(report: Report) -> Body:
        return cache.load_body(digests[report.slug])

    written = write_site(site, config, functools.partial(write_file, staging, current=out, in_place=in_place),
                         sources={slug: rel for slug, (_, rel) in copies.items()}, env=env,
                         bodies=bodies, reuse=reuse, workers=workers)
    counts = {"reports": len(site.reports), "pages": sum(path.endswith(".html") for path in written),
              "places": len(site.places), "years": len(site.by_year), "themes": len(site.themes)}
    files = [*written, *copy_static(staging, STATIC_FOLDER, templates), write_query_table(staging, STATIC_FOLDER),
             *copy_sources(staging, copies, site.reports)]
    return counts, files, reuse.keys


def _head_start(out: Path, entries: Mapping[str, tuple[Report, Facts]], fresh: set[str], cache: Cache,
                config: SiteConfig, env: Environment, seeds: Path) -> HeadStart | None:
    """Begin indexing the shard that the pages of the reports keyed *fresh* (new or changed) fall
    in, when they are few (search/head_start.py), before the site model is built.

    A report page's index copy (search.copy.index_copy) holds only what comes from its report:
    its body, title, place, year, themes and type. So the changed pages are rendered from a model
    of the changed reports alone, far quicker to build than the whole model, and Pagefind starts
    that much sooner. A copy that came out otherwise would only make the run wasted: index_site
    checks the written pages against the prediction.
    """
    changed = [(key, report, facts) for key, (report, facts) in entries.items() if key in fresh]
    if not changed or len(changed) > HEAD_START_REPORTS or not out.is_dir():
        return None
    try:
        from .search.head_start import head_start
    except ImportError:
        return None
    site = build_site((report for _, report, _ in changed), {report.slug: facts for _, report, facts in changed})
    sources = {slug: rel for slug, (_, rel) in plan_source_copies(site.reports, seeds).items()}
    # A report's page is the only kind with a search body (report.html marks its article).
    return head_start(out, [page_file(report.url) for report, _ in entries.values()],
                      {page_file(report.url): report_page(env, site, config, report, sources, cache.load_body(key))
                       for key, report, _ in changed})


def read_reports(reports_dir: Path) -> tuple[dict[str, Report], list[ContentError]]:
    """Return path → Report (body included) for every *.md in *reports_dir*, and one problem
    per bad file. For `lawreport check` and tests; a build parses in its workers (load_content)."""
    reports: dict[str, Report] = {}
    problems: list[ContentError] = []
    for path in sorted(reports_dir.glob("*.md")):
        try:
            reports[str(path)] = report_from_bytes(path.read_bytes(), str(path))
        except ContentError as error:
            problems.append(error)
    return reports, problems


def content_keys(reports_dir: Path, cached: bool = True,
                 recorded: Mapping[str, tuple[Signature, str]] | None = None
                 ) -> tuple[dict[str, str], dict[str, Signature]]:
    """Return path → file key (build.cache.file_key) of every *.md in *reports_dir*, in path
    order, and path → Signature of the files that had settled (SETTLED_NS) when this looked at them.

    A file whose signature is as *recorded* has the recorded key, unread. A key only finds a
    file in the cache: when nothing is *cached*, the other keys are "" (not a key), and the
    workers that read the files compute the real ones, in parallel rather than here. A signature
    is taken before the file is read, so a write after it changes the signature, never the reverse.
    """
    recorded = recorded or {}
    keys, settled = {}, {}
    settled_before = time.time_ns() - SETTLED_NS
    for entry in sorted(os.scandir(reports_dir), key=lambda entry: entry.name):
        if not entry.name.endswith(".md") or not entry.is_file():
            continue
        path, stat = str(reports_dir / entry.name), entry.stat()
        now = signature(stat)
        if stat.st_ctime_ns < settled_before:
            settled[path] = now
        record = recorded.get(path)
        if record is not None and record[0] == now:
            keys[path] = record[1]
        else:
            keys[path] = file_key(Path(path).read_bytes()) if cached else ""
    return keys, settled


def load_content(keys: Mapping[str, str], known: Mapping[str, tuple[Report, Facts]], cache: Cache,
                 workers: int) -> tuple[dict[str, tuple[Report, Facts]], dict[str, str], list[ContentError]]:
    """Return path → (Report without body, Facts) and path → file key for every valid file of
    *keys*, and one problem per invalid one.

    A file whose key is in *known* (the cache) is taken from there. The others are parsed and
    derived (pages/derive.py) in *workers* processes when there are many (build/parallel.py); a
    worker reads its files itself, so no body crosses between processes, and saves what it derived
    to the cache: the rendered bodies for the page renderer to read, the rest for the next build.
    """
    loaded = {path: known[key] for path, key in keys.items() if key in known}
    fresh = [path for path, key in keys.items() if key not in known]
    # LOAD_BATCH files a task: smaller tasks cost the main process more time handling the pool's
    # messages, time taken from the workers. A task's bodies are saved in one transaction: workers
    # saving one body at a time wait on each other's locks.
    batches = [(cache, fresh[start:start + LOAD_BATCH]) for start in range(0, len(fresh), LOAD_BATCH)]
    results = forked_map(_load_batch, batches, workers, chunksize=1, fork=worth_forking(len(fresh), workers))
    keys = dict(keys)
    problems = []
    done = (result for batch in results for result in batch)
    for path, key, entry in sorted(done, key=lambda result: result[0]):
        keys[path] = key                        # as the worker read the file
        if isinstance(entry, ContentError):
            problems.append(entry)
        else:
            loaded[path] = entry
    return dict(sorted(loaded.items())), keys, problems


LOAD_BATCH = 32
"""Content files a worker reads, derives and saves the bodies of in one task."""


def _load_batch(batch: tuple[Cache, list[str]]) -> list[tuple[str, str, tuple[Report, Facts] | ContentError]]:
    """Return (path, file key, bodiless Report and Facts, or the problem) for each file of the
    batch, and save what the good ones gave to the cache."""
    cache, paths = batch
    results, derived_here = [], {}
    for path in paths:
        data = Path(path).read_bytes()
        key = file_key(data)
        try:
            report = report_from_bytes(data, path)
        except ContentError as error:
            results.append((path, key, error))
            continue
        derived = derive(report.body, report.year)
        # The model keeps front matter only: the body is in the cache, already rendered.
        entry = (dataclasses.replace(report, body=""), derived.facts)
        derived_here[key] = (entry, derived.body)
        results.append((path, key, entry))
    cache.save_derived(derived_here)
    return results


def plan_source_copies(reports: tuple[Report, ...], seeds: Path) -> dict[str, tuple[Path, str]]:
    """Return slug → (seed file, site-relative destination) for each original that exists.

    The seed is looked up by file name in *seeds*; a missing one is simply not linked. Any name
    other than a plain .txt gets .txt appended: a raw government page served as .html from our
    site would run its scripts and load its trackers; as text it is only read.
    """
    copies = {}
    for report in reports:
        if report.source is None:
            continue
        name = Path(report.source.file).name
        original = seeds / name
        if not name or not original.is_file():
            continue
        if not SAFE_FILE_NAME.fullmatch(name):
            name = report.slug + "".join(Path(name).suffixes[-1:]).lower()
        if not name.endswith(".txt"):
            name += ".txt"
        copies[report.slug] = (original, f"{SOURCES_DIR}/{name}")
    return copies


def site_path(site_dir: Path, relative: str) -> Path:
    """Return *relative* inside *site_dir*; raise ValueError for any path that would leave it."""
    parts = Path(relative).parts
    if Path(relative).is_absolute() or ".." in parts or not parts:
        raise ValueError(f"refusing to write {relative!r} outside the site")
    # No resolve() per file (a dozen system calls each): the staging folder holds only folders a
    # build wrote (claim_staging removes any link from a spare), so no link inside it can lead out.
    return site_dir / relative


def write_file(site_dir: Path, relative: str, text: str | None, current: Path | None = None,
               in_place: Container[str] = ()) -> None:
    """Write *text* to *relative* under *site_dir*; a text of None means "unchanged".

    An unchanged file is hard-linked from the site at *current*, unless it is *in_place* already
    (claim_staging's copy of that site). So is a text equal to the current file's, which keeps
    its mtime for deploy tools that sync by it. Nothing is ever written into an existing file
    (build/staging.py), so the site at *current* cannot change. Safe to call from several
    processes at once for different files.
    """
    if text is None and relative in in_place:
        return
    target = site_path(site_dir, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    old = current / relative if current is not None else None
    data = None if text is None else text.encode("utf-8")
    if old is not None and (data is None or _same_bytes(old, data)):
        put_link(old, target)
    elif data is None:
        raise ValueError(f"{relative}: told to keep the current file, but there is no current site")
    else:
        put_bytes(target, data)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def copy_static(site_dir: Path, relative: str, templates: Path = TEMPLATES) -> list[str]:
    """Copy the site's static files (templates/static/: CSS, icons, scripts) to *relative* in
    *site_dir*; return the paths written."""
    return _copy_tree(templates / STATIC_FOLDER, site_dir, relative)


def templates_digest(templates: Path) -> str:
    """Return a digest of every file under *templates*, names included: part of each page's key."""
    digest = hashlib.sha256()
    for path in sorted(templates.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(templates).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def write_query_table(site_dir: Path, relative: str) -> str:
    """Write the search page's table of traditional characters (search/t2s_table.py) to
    *relative* in *site_dir* (a folder copy_static made); return its path."""
    put_bytes(site_dir / relative / SCRIPT_NAME, search_script())
    return f"{relative}/{SCRIPT_NAME}"


def _copy_tree(source: Path, site_dir: Path, relative: str) -> list[str]:
    (site_dir / relative).mkdir(parents=True, exist_ok=True)
    written = []
    for item in source.iterdir():
        if item.name.startswith((".", "__")):
            continue
        if item.is_dir():
            written += _copy_tree(item, site_dir, f"{relative}/{item.name}")
        else:
            put_bytes(site_dir / relative / item.name, item.read_bytes())
            written.append(f"{relative}/{item.name}")
    return written


def copy_sources(site_dir: Path, copies: Mapping[str, tuple[Path, str]],
                 reports: tuple[Report, ...]) -> list[str]:
    """Copy each original seed into the site; warn when it no longer matches its recorded digest.
    Return the paths written."""
    digests = {r.slug: r.source.sha256 for r in reports if r.source}
    for slug, (original, relative) in sorted(copies.items()):
        data = original.read_bytes()
        if digests.get(slug) and hashlib.sha256(data).hexdigest() != digests[slug]:
            print(f"Warning: {original}: its sha256 differs from source.sha256 of report {slug}; "
                  "re-run `lawreport ingest` to record the current file")
        target = site_path(site_dir, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        put_bytes(target, data)
    return [relative for _, relative in copies.values()]


def _index(site_dir: Path, head: HeadStart | None = None) -> dict | None:
    try:
        from .search.index import index_site
    except ImportError:
        print("Search: lawreport_site.search is not available; the site has no search index.")
        shutil.rmtree(site_dir / SEARCH_FOLDER, ignore_errors=True)     # a spare's old one
        return None
    return index_site(site_dir, workers=cores(), head=head)


class StageClock:
    """Says which stage a long build is in, and at the end how long each one took."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.current: tuple[str, float] | None = None
        self.spent: dict[str, float] = {}

    def begin(self, stage: str, detail: str = "") -> None:
        self._close()
        self.current = (stage, time.perf_counter())
        print(f"… {stage}{': ' + detail if detail else ''}", flush=True)

    def summary(self) -> str:
        self._close()
        stages = ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in self.spent.items())
        return f"in {time.perf_counter() - self.started:.1f} s ({stages})"

    def _close(self) -> None:
        if self.current:
            stage, since = self.current
            self.spent[stage] = time.perf_counter() - since
            self.current = None


def _summary(counts: Mapping[str, int], out: Path, search: dict | None, timing: str) -> None:
    print(f"Built {counts['reports']} report(s) into {counts['pages']} pages ({counts['places']} places, "
          f"{counts['years']} years, {counts['themes']} themes) {timing}.")
    if search:
        figures = ", ".join(f"{key.replace('_', ' ')} {_figure(key, value)}" for key, value in search.items())
        print(f"Search index: {figures}.")
    print(f"The site is in {out}/. Preview it with `make serve`, "
          f"or `python -m http.server -d {out}` and open http://127.0.0.1:8000/")


def _figure(key: str, value: object) -> str:
    if key.endswith("bytes") and isinstance(value, int):
        return f"{value / 1024:,.0f} KB"
    return str(value)
