"""`lawreport ingest`: every raw file in seeds/ becomes content/reports/<slug>.md.

The pure part is ``ingest_report`` (bytes → Report); reading seeds, merging with what editors
changed and writing files happen in ``ingest_command``. Seeds are only ever read.
"""
from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from ..archive import content
from ..errors import ContentError, LawReportError, SeedError
from ..archive.model import Report, Source
from .clean import clean_lines
from .convert import to_simplified
from .decode import decode
from .extract import extract_text
from .metadata import extract_metadata
from .markdown import BODY_KINDS, body_markdown
from .structure import structure

SEED_SUFFIXES = (".txt", ".text", ".html", ".htm")
# Report pages run to a few hundred KB, a saved page with inline images to a few MB; beyond
# this limit a file is something else, and reading it would only stall the run.
MAX_SEED_BYTES = 10 * 10**6
MIN_REPORT_HAN = 80          # fewer Han characters than this is not a report
REPORT_WORDS = ("法治", "依法行政", "法制", "执法", "司法")
NATIONAL_SLUG_CODE = "100000"
UNPLACED_SLUG_CODE = "000000"


@dataclass(frozen=True, slots=True)
class Ingested:
    """A report fresh from its seed, plus what duplicate detection needs."""
    report: Report
    text_digest: str
    """Digest of the cleaned simplified text: two saves of one report share it."""


def ingest_report(raw: bytes, seed: str) -> Ingested:
    """Turn the bytes of one raw file into a Report (slug not yet assigned); pure."""
    decoded = decode(raw, seed)
    converted = to_simplified(extract_text(decoded.text))
    lines = clean_lines(converted.text)
    blocks = structure(lines)
    body_text = "".join(b.text for b in blocks if b.kind in BODY_KINDS)
    han = sum("\u3400" <= ch <= "\u9fff" for ch in body_text)
    if han < MIN_REPORT_HAN or not any(word in body_text for word in REPORT_WORDS):
        raise SeedError(seed, "this does not look like a rule-of-law report "
                        f"({han} Chinese characters of running text)",
                        "check that the file holds the report's text, or remove it from seeds/")
    meta = extract_metadata(blocks)
    body = body_markdown(blocks)
    report = Report(
        slug="", title=meta.title, place=meta.place, place_level=meta.place_level, year=meta.year,
        body=body, parent=meta.parent, province=meta.province, adcode=meta.adcode,
        published=meta.published, publisher=meta.publisher, byline=meta.byline,
        doc_type=meta.doc_type, themes=_themes(body), summary=meta.summary,
        source=Source(file=seed, sha256=hashlib.sha256(raw).hexdigest(), encoding=decoded.encoding,
                      script=converted.script, conversion=converted.conversion),
        review=meta.review)
    text_digest = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    return Ingested(report, text_digest)


def _themes(body: str) -> tuple[str, ...]:
    try:
        from ..archive.themes import report_themes
    except ImportError:  # the taxonomy ships with the site; ingest works without it
        return ()
    return tuple(report_themes(body))


def slug_base(report: Report) -> str:
    """Return ``<adcode>-<year>``, with a suffix for a body below or beside a government."""
    code = report.adcode or (NATIONAL_SLUG_CODE if report.place_level == "department"
                             else UNPLACED_SLUG_CODE)
    suffix = {"department": "-dept", "township": "-town"}.get(report.place_level, "")
    return f"{code}-{report.year}{suffix}"


def unique_slug(base: str, taken: set[str]) -> str:
    """Return *base*, or *base*-2, -3 … whichever is free."""
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def seed_files(seeds_dir: Path) -> tuple[list[Path], list[str]]:
    """Return the raw files to ingest, sorted, and one problem line per file that is refused."""
    files, problems = [], []
    for path in sorted(seeds_dir.iterdir(), key=lambda p: p.name):
        if path.name.startswith(".") or path.name.lower() in ("readme.md", "encodings.yaml"):
            continue
        shown = _shown(seeds_dir, path)
        if path.is_symlink():
            problems.append(f"{shown}: is a symbolic link, which ingest never follows; "
                            "copy the file itself into seeds/")
        elif path.is_dir():
            continue
        elif path.suffix.lower() not in SEED_SUFFIXES:
            problems.append(f"{shown}: unsupported file type {path.suffix or '(none)'}; "
                            f"save the report as {' or '.join(SEED_SUFFIXES[::2])}")
        elif path.stat().st_size > MAX_SEED_BYTES:
            problems.append(f"{shown}: {path.stat().st_size / 1e6:.1f} MB is far more than any report page "
                            f"(limit {MAX_SEED_BYTES // 10**6} MB); save only the article, without embedded images")
        else:
            files.append(path)
    return files, problems


def read_content(content_dir: Path) -> tuple[dict[str, tuple[Path, Report]], list[str]]:
    """Return existing reports keyed by slug, and one problem line per unreadable file."""
    reports, problems = {}, []
    for path in sorted((content_dir / "reports").glob("*.md")):
        try:
            report = content.report_from_bytes(path.read_bytes(), str(path))
        except ContentError as error:
            problems.append(str(error))
            continue
        reports[report.slug] = (path, report)
    return reports, problems


def ingest_command(seeds_dir: Path, content_dir: Path, force: bool = False) -> int:
    """Ingest every seed; print one line per seed; return 1 if any input was bad, else 0."""
    if not seeds_dir.is_dir():
        raise LawReportError(f"{seeds_dir}: no such folder; create it and put raw reports in it")
    files, problems = seed_files(seeds_dir)
    existing, content_problems = read_content(content_dir)
    problems += content_problems
    by_source = {r.source.file: (p, r) for p, r in existing.values() if r.source}
    taken = set(existing)
    seen: dict[str, str] = {}          # sha256 or text digest → seed that had it first
    counts = {"new": 0, "updated": 0, "unchanged": 0, "duplicate": 0, "flagged": 0}
    _say(f"Ingesting {len(files)} file(s) from {seeds_dir}/ into {content_dir}/reports/")
    for number, path in enumerate(files, 1):
        seed = _shown(seeds_dir, path)
        try:
            ingested = ingest_report(path.read_bytes(), seed)
        except SeedError as error:
            problems.append(str(error))
            continue
        except Exception as error:  # a bug: keep the traceback, say which seed caused it
            error.add_note(f"while ingesting {seed}")
            raise
        fresh = ingested.report
        first = seen.get(fresh.source.sha256) or seen.get(ingested.text_digest)
        if first is None:
            first = next((r.source.file for _, r in existing.values() if r.source
                          and r.source.sha256 == fresh.source.sha256 and r.source.file != seed), None)
        if first is not None:
            _say(f"[{number}/{len(files)}] {seed}: duplicate of {first}; skipped")
            counts["duplicate"] += 1
            continue
        seen[fresh.source.sha256] = seen[ingested.text_digest] = seed
        path_and_report = by_source.get(seed)
        old = None if path_and_report is None or force else path_and_report[1]
        if path_and_report is not None:
            slug = path_and_report[1].slug
        else:
            slug = unique_slug(slug_base(fresh), taken)
            taken.add(slug)
        report, kept = content.merge(old, replace(fresh, slug=slug))
        target = content_dir / "reports" / f"{slug}.md"
        status = _write_if_changed(target, content.to_markdown(report))
        counts[status] += 1
        counts["flagged"] += bool(report.review)
        notes = "".join((f"; review: {', '.join(report.review)}" if report.review else "",
                         f"; kept hand edits: {', '.join(kept)}" if kept else ""))
        _say(f"[{number}/{len(files)}] {seed} → {target} ({status}){notes}")
    for problem in problems:
        print(f"Error: {problem}", file=sys.stderr)
    _say(f"Done: {counts['new']} new, {counts['updated']} updated, {counts['unchanged']} unchanged, "
         f"{counts['duplicate']} duplicate, {len(problems)} problem(s), "
         f"{counts['flagged']} flagged for review")
    return 1 if problems else 0


def _write_if_changed(target: Path, text: str) -> str:
    """Write *text* atomically (temporary file, then rename); return new/updated/unchanged."""
    if target.exists():
        if target.read_text(encoding="utf-8") == text:
            return "unchanged"
        status = "updated"
    else:
        status = "new"
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return status


def _shown(seeds_dir: Path, path: Path) -> str:
    """The name a seed goes by in messages and provenance: seeds/<file name>."""
    return f"{seeds_dir.name}/{path.name}"


def _say(line: str) -> None:
    print(line, flush=True)

