"""Time what a build does per report in its workers, stage by stage, on a sample of a corpus.

    python benchmarks/derive_bench.py [--content DIR] [--every 20] [--passes 5]

DIR is a content folder (default: the project's content/; `make_corpus.py` makes bigger ones).
Every --every-th report is taken. Prints, per step, the minimum over --passes passes of the mean
milliseconds per report: the minimum, because on a shared 2-core machine the noise only adds.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from lawreport_site.build.cache import Cache, file_key
from lawreport_site.archive.commonmark import parse
from lawreport_site.archive.completeness import covered_items
from lawreport_site.archive.content import report_from_bytes
from lawreport_site.pages.derive import PASSAGES_SHOWN, derive
from lawreport_site.pages.markup import body_of
from lawreport_site.archive.themes import all_passages, sections_of

PROJECT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=PROJECT / "content")
    parser.add_argument("--every", type=int, default=20)
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args()
    paths = sorted((args.content / "reports").glob("*.md"))[::args.every]
    data = [path.read_bytes() for path in paths]
    reports = [report_from_bytes(raw, str(path)) for raw, path in zip(data, paths)]
    trees = [parse(report.body) for report in reports]
    sections = [sections_of(tree) for tree in trees]
    bodies = [body_of(tree) for tree in trees]
    facts = [derive(report.body, report.year).facts for report in reports]
    with tempfile.TemporaryDirectory() as folder:
        cache = Cache(Path(folder), Path(folder) / "site")
        steps: dict[str, Callable[[int], object]] = {
            "read and key": lambda i: file_key(paths[i].read_bytes()),
            "front matter": lambda i: report_from_bytes(data[i], str(paths[i])),
            "parse": lambda i: parse(reports[i].body),
            "sections": lambda i: sections_of(trees[i]),
            "theme passages": lambda i: all_passages(sections[i], PASSAGES_SHOWN),
            "completeness": lambda i: covered_items(sections[i], reports[i].year),
            "body HTML": lambda i: body_of(trees[i]),
            "save report and body": lambda i: cache.save_derived({f"{i:064x}": ((reports[i], facts[i]), bodies[i])}),
            "derive (parse … body HTML)": lambda i: derive(reports[i].body, reports[i].year),
        }
        print(f"{len(paths)} reports of {args.content}, min of {args.passes} passes, ms a report:")
        for name, step in steps.items():
            best = min(_pass(step, len(paths)) for _ in range(args.passes))
            print(f"  {name:28s} {best * 1000 / len(paths):7.3f}")


def _pass(step: Callable[[int], object], count: int) -> float:
    start = time.perf_counter()
    for number in range(count):
        step(number)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
