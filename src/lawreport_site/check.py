"""`lawreport check`: what an editor must fix, what they should review, and how complete the reports are.

Errors (exit 1, so CI can gate on them) are what would stop or corrupt a build: unreadable files,
schema violations, unknown theme slugs, slugs used twice, the same report filed twice. Warnings
(exit 0) need a person's judgement: a code the gazetteer does not know (perhaps a former one).
"""
from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .archive import places
from .builder import read_reports
from .archive.completeness import ITEMS, assess
from .archive.content import field_digest
from .archive.model import Report
from .pages.site import validate

# What an editor should look at for each field ingest flagged (README: "Review").
REVIEW_HINTS = {
    "title": "the title was composed by ingest (the source shows none) or the page gives another — use the document's own",
    "place": "the page does not name its author plainly (title, signature, opening) — confirm place, place_level, parent, province and adcode",
    "year": "the year covered rests on weak evidence — look for 20XX年 in the title and the opening sentence",
    "published": "the publication date is uncertain — take it from the page's 发布日期 or the signature",
    "publisher": "the issuing body is uncertain or named only in part (来源：司法局) — take it from the signature, the title or 发布机构",
    "doc_type": "the document type is uncertain — annual_report, feature, news, work_plan or other",
    "parent": "the page names the township or department but not its government — confirm parent, province and adcode",
    "province": "the province follows from a parent the page does not name — confirm it with parent",
}


@dataclass(frozen=True)
class Findings:
    errors: tuple[str, ...]
    warnings: tuple[str, ...]
    review: tuple[str, ...]
    completeness: tuple[str, ...]


def check_reports(reports: Mapping[str, Report]) -> Findings:
    """Examine readable reports (path → Report); pure."""
    errors = [str(problem) for problem in validate(reports)]
    errors += _duplicates(reports)
    warnings = [f"{path}: adcode {report.adcode} is not in the gazetteer; if it is a former code, "
                "use today's (see data/aliases.tsv)"
                for path, report in sorted(reports.items())
                if report.adcode and len(report.adcode) == 6 and places.by_code(report.adcode) is None]
    review = [f"{path}: {field}: {REVIEW_HINTS.get(field, 'check this field against the source')}"
              for path, report in sorted(reports.items()) for field in report.review]
    return Findings(tuple(errors), tuple(warnings), tuple(review), _completeness(reports.values()))


def _duplicates(reports: Mapping[str, Report]) -> list[str]:
    """The same source file or the same body filed under two names."""
    first: dict[tuple[str, str], str] = {}
    found = []
    for path, report in sorted(reports.items()):
        keys = [("body", field_digest(report.body))]
        if report.source:
            keys.append(("source", report.source.sha256))
        for key in keys:
            if key in first:
                found.append(f"{path}: same {key[0]} as {first[key]}; delete one of the two files")
                break
            first[key] = path
    return found


def _completeness(reports) -> tuple[str, ...]:  # noqa: ANN001 - any iterable of Report
    annual = [r for r in reports if r.doc_type == "annual_report"]
    if not annual:
        return ()
    assessed = [assess(r.body, r.year, r.published) for r in annual]
    lines = [f"{item.label}: {sum(item.key in a.covered for a in assessed)}/{len(annual)}" for item in ITEMS]
    on_time = defaultdict(int)
    for result in assessed:
        on_time[{True: "on time", False: "late", None: "date unknown"}[result.on_time]] += 1
    lines.append("published before 1 April: " + ", ".join(f"{n} {k}" for k, n in sorted(on_time.items())))
    return tuple(lines)


def check_command(content_dir: Path) -> int:
    """Print the findings for content_dir/reports; exit 1 when there are errors."""
    reports_dir = content_dir / "reports"
    if not reports_dir.is_dir():
        print(f"Error: {reports_dir}: no such folder; run `lawreport ingest` first or pass --content",
              file=sys.stderr)
        return 1
    reports, unreadable = read_reports(reports_dir)
    findings = check_reports(reports)
    errors = [str(problem) for problem in unreadable] + list(findings.errors)
    print(f"Checked {len(reports) + len(unreadable)} file(s) in {reports_dir}: "
          f"{len(errors)} error(s), {len(findings.warnings)} warning(s), "
          f"{len(findings.review)} field(s) to review")
    _section("Errors (fix these; the site cannot be built with them)", errors)
    _section("Warnings", findings.warnings)
    _section("To review (delete a field from `review:` once checked)", findings.review)
    _section(f"Completeness of the {sum(r.doc_type == 'annual_report' for r in reports.values())} "
             "annual report(s): the five required items", findings.completeness)
    return 1 if errors else 0


def _section(heading: str, lines) -> None:  # noqa: ANN001 - any sequence of str
    if lines:
        print(f"\n{heading}:")
        for line in lines:
            print(f"  {line}")
