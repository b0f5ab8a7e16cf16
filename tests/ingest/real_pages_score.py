"""Score the ingester on the real pages: per field, right, flagged for review, or a silent error.

A field is *flagged* when ingest lists it in ``review`` (a flagged ``place`` also covers
place_level, parent and province, which an editor confirms with it). A *silent error* is a field
whose value differs from the label and is not flagged: published as fact, and wrong. A page that
ingest refuses (not a report) states nothing, so it has no silent error.

    python -m tests.ingest.real_pages_score            # every page
    python -m tests.ingest.real_pages_score --sealed   # the sealed third only
    python -m tests.ingest.real_pages_score --open     # the two thirds tuned on
    python -m tests.ingest.real_pages_score --heldout  # the second held-out set
    python -m tests.ingest.real_pages_score -v         # and every wrong field
"""
from __future__ import annotations

import argparse
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from lawreport_site.errors import SeedError
from lawreport_site.ingest.run import ingest_report

PAGES = Path(__file__).parent / "real_pages"
FIELDS = ("title", "place", "place_level", "parent", "province", "year", "published", "publisher",
          "doc_type")
COVERED_BY_PLACE = ("place_level", "parent", "province")
SPACE = re.compile(r"\s+")
UNPLACED = "未识别"      # ingest's placeholder for an author the page does not name: a flag, not a value


@dataclass(frozen=True)
class FieldScore:
    field: str
    expected: object
    actual: object
    right: bool
    flagged: bool

    @property
    def silent(self) -> bool:
        return not self.right and not self.flagged

    @property
    def review_load(self) -> bool:
        """A value stated and listed for review: what an editor must check (a flagged field left
        empty states nothing to check)."""
        return self.flagged and self.actual not in (None, UNPLACED)


def labels() -> list[dict]:
    """The labelled pages, in file order."""
    return yaml.safe_load((PAGES / "labels.yaml").read_text(encoding="utf-8"))


def sealed(name: str = "sealed.txt") -> set[str]:
    """The files of the sealed third (or of another list of held-out pages)."""
    lines = (PAGES / name).read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def score_page(label: dict) -> list[FieldScore] | None:
    """Score one page's fields; None when ingest refuses the page as no report."""
    report = ingested(label)
    if report is None:
        return None
    expected = dict(label, title=label.get("title_simplified") or label["title"])
    scores = []
    for field in FIELDS:
        actual = getattr(report, field)
        if field == "published" and actual is not None:
            actual = actual.isoformat()
        want = expected[field]
        flagged = field in report.review or (field in COVERED_BY_PLACE and "place" in report.review)
        scores.append(FieldScore(field, want, actual, _same(field, want, actual), flagged))
    return scores


def ingested(label: dict):  # noqa: ANN201 - a Report, or None when refused
    """The report ingest makes of a labelled page, or None when it refuses the page."""
    raw = (PAGES / "raw" / label["file"]).read_bytes()
    try:
        return ingest_report(raw, f"seeds/{label['file']}").report
    except SeedError:
        return None


def _same(field: str, want: object, actual: object) -> bool:
    if field in ("title", "publisher") and isinstance(want, str) and isinstance(actual, str):
        return SPACE.sub("", want) == SPACE.sub("", actual)
    if field == "place" and want is None:
        return actual == UNPLACED
    if field == "published" and want is not None:
        return str(want) == actual
    return want == actual


def summary(results: dict[str, list[FieldScore] | None], entries: int = 0) -> str:
    """A table of right / flagged / silent per field, and the issue's three figures."""
    counts = {field: Counter() for field in FIELDS}
    pages_ok = 0
    scored = [scores for scores in results.values() if scores is not None]
    for scores in scored:
        pages_ok += all(not s.silent for s in scores)
        for s in scores:
            counts[s.field]["right"] += s.right
            counts[s.field]["flagged"] += s.review_load
            counts[s.field]["wrong, flagged"] += (not s.right) and s.flagged
            counts[s.field]["silent"] += s.silent
    n = len(scored)
    lines = [f"{len(results)} pages, {len(results) - n} refused as no report, {n} scored",
             f"{'field':<12}{'right':>7}{'review':>9}{'wrong,flagged':>15}{'silent':>8}{'right or flagged':>18}"]
    total = Counter()
    for field in FIELDS:
        c = counts[field]
        total.update(c)
        ok = n - c["silent"]
        lines.append(f"{field:<12}{c['right']:>7}{c['flagged']:>9}{c['wrong, flagged']:>15}{c['silent']:>8}"
                     f"{ok:>10}/{n} {100 * ok / max(n, 1):5.1f}%")
    fields = n * len(FIELDS)
    lines.append(f"{'all':<12}{total['right']:>7}{total['flagged']:>9}{total['wrong, flagged']:>15}"
                 f"{total['silent']:>8}")
    if entries:
        lines.append(f"review entries (each field ingest lists for review): {entries} "
                     f"({100 * entries / max(fields, 1):.1f} % of fields)")
    lines.append(f"silent errors: {total['silent']} of {fields} fields ({100 * total['silent'] / max(fields, 1):.1f} %); "
                 f"stated values under review: {total['flagged']} ({100 * total['flagged'] / max(fields, 1):.1f} %); "
                 f"pages with no silent error: {pages_ok}/{n}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--sealed", action="store_true", help="the sealed third only")
    which.add_argument("--open", action="store_true", help="the pages tuned on only")
    which.add_argument("--heldout", action="store_true", help="the second held-out set only")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every wrong field")
    args = parser.parse_args()
    chosen = [label for label in labels()
              if not (args.sealed and label["file"] not in sealed())
              and not (args.heldout and label["file"] not in sealed("heldout.txt"))
              and not (args.open and label["file"] in sealed() | sealed("heldout.txt"))]
    results = {label["file"]: score_page(label) for label in chosen}
    entries = sum(len(report.review) for label in chosen if (report := ingested(label)) is not None)
    if args.verbose:
        for file, scores in results.items():
            for s in scores or ():
                if not s.right:
                    mark = "SILENT" if s.silent else "flagged"
                    print(f"{file} {mark:<8}{s.field}: want {s.expected!r}, got {s.actual!r}")
    print(summary(results, entries))


if __name__ == "__main__":
    main()
