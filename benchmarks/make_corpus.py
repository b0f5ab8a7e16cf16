"""Write a deterministic synthetic archive of N reports in our content schema.

Usage: python benchmarks/make_corpus.py --n 10000 --out /tmp/corpus [--seed 0] [--jobs 2]

Bodies are real report text: the lead paragraphs, sections, sub-sections, paragraphs and photo
captions of the committed content/reports/*.md, shuffled and recombined into 8–25 KB of
Markdown with Chinese ## / ### headings, renumbered 一、 / (一) in most reports. Places come
from the gazetteer (all 3212 divisions), years from 2015–2024, each (place, year) once until
all 32,120 are used, then again with a -2, -3 … slug. Themes are tagged by themes.report_themes.

Report i depends only on (seed, i), so `--n 1001` writes the same 1,000 reports as `--n 1000`
plus one: the benchmark uses that extra report as "the report added to a built archive".
Files are written with content.to_markdown, so they are always valid content.
"""
from __future__ import annotations

import argparse
import functools
import hashlib
import multiprocessing
import random
import re
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from lawreport_site.archive.content import from_markdown, to_markdown, with_digests
from lawreport_site.archive.model import Report, Source
from lawreport_site.archive.places import Place, _gazetteer, parent_of, province_of
from lawreport_site.archive.themes import report_themes

REPO = Path(__file__).resolve().parent.parent
SOURCE_DIR = REPO / "content" / "reports"
YEARS = range(2015, 2025)
MIN_BYTES, MAX_BYTES = 8_000, 25_000
NUMERALS = "一二三四五六七八九十"
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])\s*")


@dataclass(frozen=True)
class Pool:
    """Blocks of the source reports, by kind; each block remembers its report's place name."""
    leads: tuple[tuple[str, str], ...]
    h2: tuple[str, ...]
    h3: tuple[str, ...]
    paragraphs: tuple[tuple[str, str], ...]
    captions: tuple[tuple[str, str], ...]


@functools.cache
def load_pool() -> Pool:
    """Split the committed reports into blocks (separated by blank lines) and sort them by kind."""
    leads, h2, h3, paragraphs, captions = [], [], [], [], []
    for path in sorted(SOURCE_DIR.glob("*.md")):
        report = from_markdown(path.read_text(encoding="utf-8"), str(path))
        seen_heading = False
        for block in re.split(r"\n\s*\n", report.body):
            block = block.strip()
            if block.startswith("### "):
                h3.append(_NUMBERING.sub("", block[4:]))
                seen_heading = True
            elif block.startswith("## "):
                h2.append(_NUMBERING.sub("", block[3:]))
                seen_heading = True
            elif block.startswith("*") and block.endswith("*") and not block.startswith("**"):
                captions.append((report.place, block))
            elif block:
                (paragraphs if seen_heading else leads).append((report.place, block))
    return Pool(tuple(leads), tuple(h2), tuple(h3), tuple(paragraphs), tuple(captions))


@functools.cache
def place_years(seed: int) -> tuple[tuple[str, int], ...]:
    """Every (adcode, year) pair once, in an order fixed by *seed*."""
    pairs = [(code, year) for code in sorted(_gazetteer().by_code) for year in YEARS]
    random.Random(f"places-{seed}").shuffle(pairs)
    return tuple(pairs)


def numeral(n: int) -> str:
    """Return the Chinese numeral for 1–99: 一, 十, 十二, 二十三."""
    tens, units = divmod(n, 10)
    return ((NUMERALS[tens - 1] if tens > 1 else "") + ("十" if tens else "")
            + (NUMERALS[units - 1] if units else ""))


def make_body(rng: random.Random, place: str) -> str:
    """Recombine pooled blocks into one body of MIN_BYTES–MAX_BYTES of UTF-8."""
    pool = load_pool()
    target = rng.randint(MIN_BYTES, MAX_BYTES)
    numbered = rng.random() < 0.7
    blocks: list[str] = []
    size = 0

    def add(text: str, source_place: str | None = None) -> bool:
        nonlocal size
        if source_place:
            text = text.replace(source_place, place)
        grow = len(text.encode("utf-8")) + 2
        if size + grow > MAX_BYTES and size >= MIN_BYTES:
            return False
        blocks.append(text)
        size += grow
        return True

    if rng.random() < 0.3:
        add(*reversed(rng.choice(pool.captions)))
    for source_place, lead in rng.sample(pool.leads, rng.randint(1, 2)):
        add(lead, source_place)
    section = 0
    while size < target:
        section += 1
        number = f"{numeral(section)}、" if numbered else ""
        if not add(f"## {number}{rng.choice(pool.h2)}"):
            break
        subsections = rng.choice((0, 0, 2, 3, 4))
        for sub in range(1, subsections + 1) if subsections else [0]:
            if sub and not add(f"### {'(' + numeral(sub) + ')' if numbered else ''}{rng.choice(pool.h3)}"):
                break
            for source_place, paragraph in rng.sample(pool.paragraphs, rng.randint(1, 3)):
                add(paragraph, source_place)
            if rng.random() < 0.1:
                add(*reversed(rng.choice(pool.captions)))
    return "\n\n".join(blocks)


def make_report(seed: int, index: int) -> Report:
    """Return synthetic report number *index*; the same (seed, index) always gives the same report."""
    pairs = place_years(seed)
    adcode, year = pairs[index % len(pairs)]
    round_ = index // len(pairs)
    rng = random.Random(f"report-{seed}-{index}")
    place: Place = _gazetteer().by_code[adcode]
    body = make_body(rng, place.name)
    parent = parent_of(place)
    first_sentence = re.sub(r"^\*.*?\*\s*", "", body).split("。")[0][:120]
    return with_digests(Report(
        slug=f"{adcode}-{year}" + (f"-{round_ + 1}" if round_ else ""),
        title=f"{place.name}{year}年法治政府建设情况报告",
        place=place.name,
        place_level=place.level,
        year=year,
        body=body,
        parent=parent.name if parent else None,
        province=province_of(place).name,
        adcode=adcode,
        published=date(year + 1, rng.randint(1, 4), rng.randint(1, 28)),
        publisher=f"{place.name}人民政府",
        doc_type="annual_report",
        themes=report_themes(body),
        summary=first_sentence + "。",
        source=Source(file=f"seeds/synthetic/{adcode}-{year}.txt",
                      sha256=hashlib.sha256(body.encode("utf-8")).hexdigest()),
    ))


def _write_one(job: tuple[int, int, str]) -> int:
    seed, index, out = job
    report = make_report(seed, index)
    path = Path(out) / "reports" / f"{report.slug}.md"
    path.write_text(to_markdown(report), encoding="utf-8", newline="\n")
    return path.stat().st_size


def write_corpus(n: int, out: Path, seed: int = 0, jobs: int = 0) -> int:
    """Write reports 0…n-1 into out/reports/; return the total bytes written."""
    (out / "reports").mkdir(parents=True, exist_ok=True)
    work = [(seed, i, str(out)) for i in range(n)]
    make_report(seed, 0)          # load text pool, gazetteer and themes once, before forking
    with multiprocessing.Pool(jobs or None) as pool:
        return sum(pool.imap_unordered(_write_one, work, chunksize=64))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, required=True, help="number of reports")
    parser.add_argument("--out", type=Path, required=True, help="content folder (reports go in OUT/reports/)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (default: one per core)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    total = write_corpus(args.n, args.out, args.seed, args.jobs)
    print(f"Wrote {args.n} reports ({total / 1e6:.1f} MB) into {args.out}/reports/ "
          f"in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
