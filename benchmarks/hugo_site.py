"""Make a Hugo project of our content: the peer the benchmark compares us with.

Usage: python benchmarks/hugo_site.py --content DIR --project DIR

Copies benchmarks/hugo/ (config and layouts) into the project and converts each report of
DIR/reports/*.md into content/reports/<slug>.md with the front matter Hugo needs: taxonomies
places (the place's adcode and every unit above it), years and themes, and the fields the
templates show as params. Term pages get an _index.md so they are titled with the place's or
theme's Chinese name, as ours are. The body is copied unchanged.
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import yaml

from lawreport_site.archive.content import from_markdown
from lawreport_site.archive.model import Report
from lawreport_site.archive.places import ancestors, by_code
from lawreport_site.archive.themes import load_themes

TEMPLATES = Path(__file__).resolve().parent / "hugo"


def front_matter(report: Report) -> dict:
    """Return Hugo front matter for *report*."""
    place = by_code(report.adcode or "")
    trail = [*ancestors(place), place] if place else []
    names = {theme.slug: theme.name for theme in load_themes()}
    fields = {
        "title": report.title,
        "slug": report.slug,
        "date": (report.published.isoformat() if report.published else f"{report.year}-12-31"),
        "summary": report.summary,
        "places": [p.adcode for p in trail],
        "years": [str(report.year)],
        "themes": list(report.themes),
        "theme_names": [names[slug] for slug in report.themes if slug in names],
        "trail": [{"code": p.adcode, "name": p.name} for p in trail],
        "adcode": report.adcode,
        "place": report.place,
        "province": report.province,
        "parent": report.parent,
        "year": report.year,
        "publisher": report.publisher,
        "doc_type": report.doc_type,
        "source_file": report.source.file if report.source else "",
        "sha256": report.source.sha256 if report.source else "",
    }
    return fields


def hugo_file(report: Report) -> str:
    """Return the Hugo content file for *report*."""
    front = yaml.safe_dump(front_matter(report), allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n\n{report.body}\n"


def add_reports(paths: list[Path], project: Path) -> None:
    """Convert the content files *paths* into the project, with the term pages they need."""
    reports_dir = project / "content" / "reports"
    reports_dir.mkdir(parents=True, exist_ok=True)
    codes: set[str] = set()
    for path in paths:
        report = from_markdown(path.read_text(encoding="utf-8"), str(path))
        (reports_dir / f"{report.slug}.md").write_text(hugo_file(report), encoding="utf-8")
        codes.update(front_matter(report)["places"])
    for code in sorted(codes):
        place = by_code(code)
        _term_page(project / "content" / "places" / code, place.name, top=place.parent is None)


def _term_page(folder: Path, title: str, top: bool = False) -> None:
    index = folder / "_index.md"
    if not index.exists():
        folder.mkdir(parents=True, exist_ok=True)
        fields = {"title": title, "top": top} if top else {"title": title}
        index.write_text("---\n" + yaml.safe_dump(fields, allow_unicode=True) + "---\n", encoding="utf-8")


def make_project(content: Path, project: Path) -> None:
    """Write a fresh Hugo project for the reports in content/reports/ into *project*."""
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(TEMPLATES, project)
    _term_page(project / "content" / "reports", "全部报告")
    _term_page(project / "content" / "places", "地区")
    _term_page(project / "content" / "years", "年度")
    _term_page(project / "content" / "themes", "主题")
    for theme in load_themes():
        _term_page(project / "content" / "themes" / theme.slug, theme.name)
    add_reports(sorted((content / "reports").glob("*.md")), project)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--project", type=Path, required=True)
    args = parser.parse_args(argv)
    make_project(args.content, args.project)
    print(f"Hugo project in {args.project}/; build it with "
          f"`hugo --source {args.project} --destination SITE`", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
