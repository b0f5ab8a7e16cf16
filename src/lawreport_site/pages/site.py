"""The site model: every index the pages need, computed once from all reports.

Pure: Reports in, a SiteModel out. Listings (places, years, themes, related reports) are built
here in one pass each, so rendering a page only looks things up; taxonomy pages are where
static builds go quadratic when each page searches all reports again.
"""
from __future__ import annotations

import hashlib
import heapq
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..archive.completeness import Completeness, completeness_of
from ..archive.content import SLUG_PATTERN
from ..errors import ContentError
from ..archive.model import Report
from .derive import Facts, derive
from ..archive.themes import Passage, Theme, load_themes

ADCODE = re.compile(r"\d{6}")
OWN_NAME_LEVELS = ("department", "township", "other")
"""Levels whose adcode is that of the government above, not of the body itself (archive/model.py)."""
OTHER_PROVINCE = "其他"
"""Group name for reports with no province: national bodies."""
RELATED_LIMIT = 8
"""Most same-year reports a report page lists: a province has a hundred counties, and listing
them all on each of their pages would make the site grow with the square of its size."""


@dataclass(frozen=True, slots=True)
class PlaceNode:
    """A place of the province › prefecture › county tree, with or without reports of its own."""
    key: str
    """The URL segment: the adcode, or ``<adcode|x>-<hash>`` for a body that has no code of its own."""
    name: str
    level: str
    """A place level of archive.model.PLACE_LEVELS, or the gazetteer's level for places known only
    from it."""
    parent: str | None
    """Key of the node above; None at the top."""
    children: tuple[str, ...]
    """Keys of the nodes below, by key."""
    reports: tuple[Report, ...]
    """The place's own reports, oldest first."""
    total: int
    """Reports of this place and every place below it."""

    @property
    def url(self) -> str:
        return f"places/{self.key}/"


@dataclass(frozen=True, slots=True)
class ReportInfo:
    """What a report page shows beyond the report itself."""
    place: str
    """Key of the report's place node."""
    trail: tuple[str, ...]
    """Place keys from the top of the tree down to the report's place, inclusive."""
    themes: tuple[Theme, ...]
    """The report's themes, front matter order."""
    completeness: Completeness
    other_years: tuple[Report, ...]
    """The same place's other reports, oldest first."""
    same_year: tuple[Report, ...]
    """Other reports of the same year and province, nearest codes first, at most RELATED_LIMIT."""
    same_year_total: int
    """How many other reports of the same year and province there are in all."""
    previous: Report | None
    next: Report | None


@dataclass(frozen=True, slots=True)
class ThemeEntry:
    """One report on a theme page, with the passages of it that concern the theme."""
    report: Report
    main: bool
    """True when the theme is among the report's front-matter themes."""
    shown: tuple[Passage, ...]
    """The passages the theme page quotes: the first derive.PASSAGES_SHOWN."""
    count: int
    """How many passages of the report concern the theme; 0 when only its front matter says so."""

    @property
    def more(self) -> int:
        """How many passages the theme page leaves to the report page."""
        return self.count - len(self.shown)


@dataclass(frozen=True, slots=True)
class ThemeYear:
    """One year of a theme: its reports of that year, with their passages side by side."""
    theme: Theme
    year: int
    entries: tuple[ThemeEntry, ...]
    """As ThemePage.entries, this year's only."""

    @property
    def url(self) -> str:
        return f"themes/{self.theme.slug}/{self.year}/"

    @property
    def main_count(self) -> int:
        return sum(entry.main for entry in self.entries)


@dataclass(frozen=True, slots=True)
class ThemePage:
    """A theme's own page: what it covers and how many reports of each year take it up.

    The passages are on one page per year (ThemeYear): a national archive has thousands of
    reports on most themes, and one page of them all would be far too big to load.
    """
    theme: Theme
    entries: tuple[ThemeEntry, ...]
    """Main reports first, then reports that only touch the theme; newest first within each."""
    by_year: tuple[ThemeYear, ...]
    """The years with an entry, newest first."""

    @property
    def url(self) -> str:
        return f"themes/{self.theme.slug}/"

    @property
    def main_count(self) -> int:
        return sum(entry.main for entry in self.entries)

    @property
    def keywords(self) -> tuple[str, ...]:
        """The theme's keywords, without the masked phrases (weight 0)."""
        return tuple(k for k, w in zip(self.theme.keywords, self.theme.weights) if w > 0)


@dataclass(frozen=True, slots=True)
class YearGroup:
    """The reports of one year from one province."""
    province: str
    reports: tuple[Report, ...]


@dataclass(frozen=True)
class SiteModel:
    """Everything the pages show, indexed every way the pages look it up."""
    reports: tuple[Report, ...]
    """Canonical order: year, then adcode, then slug."""
    info: Mapping[str, ReportInfo]
    """Report slug → related data."""
    places: Mapping[str, PlaceNode]
    roots: tuple[str, ...]
    """Top-level place keys (provinces, national bodies), by key."""
    years: tuple[int, ...]
    """Every year from the first to the last report, gaps included."""
    by_year: Mapping[int, tuple[YearGroup, ...]]
    themes: tuple[ThemePage, ...]
    """Every theme of the taxonomy, in taxonomy order, with or without reports."""

    @property
    def latest(self) -> tuple[Report, ...]:
        """Reports newest first: by year, then publication date."""
        return tuple(sorted(self.reports, key=_recency, reverse=True))

    def trail(self, report: Report) -> tuple[PlaceNode, ...]:
        """Return the places from the top of the tree down to the report's place."""
        return tuple(self.places[key] for key in self.info[report.slug].trail)

    def trail_of(self, key: str) -> tuple[PlaceNode, ...]:
        """Return the places from the top of the tree down to *key*, inclusive."""
        nodes = [self.places[key]]
        while nodes[0].parent is not None:
            nodes.insert(0, self.places[nodes[0].parent])
        return tuple(nodes)

    def place_years(self, key: str) -> tuple[tuple[int, tuple[Report, ...]], ...]:
        """Return each year of the archive with the place's reports of it; () marks a gap."""
        own: dict[int, list[Report]] = defaultdict(list)
        for report in self.places[key].reports:
            own[report.year].append(report)
        return tuple((year, tuple(own.get(year, ()))) for year in self.years)

    def descendants(self, key: str) -> tuple[Report, ...]:
        """Return the reports of every place below *key*, newest first."""
        found: list[Report] = []
        stack = list(self.places[key].children)
        while stack:
            node = self.places[stack.pop()]
            found.extend(node.reports)
            stack.extend(node.children)
        return tuple(sorted(found, key=_recency, reverse=True))

    def outline(self) -> str:
        """Return places, years and themes as indented text, for golden tests and review."""
        lines = ["places"]

        def walk(key: str, depth: int) -> None:
            node = self.places[key]
            years = ", ".join(r.slug for r in node.reports)
            lines.append(f"{'  ' * depth}{node.name} {node.key} ({node.total})"
                         + (f": {years}" if years else ""))
            for child in node.children:
                walk(child, depth + 1)

        for root in self.roots:
            walk(root, 1)
        lines.append("years")
        for year in self.years:
            groups = "; ".join(f"{g.province} " + " ".join(r.slug for r in g.reports)
                               for g in self.by_year.get(year, ()))
            lines.append(f"  {year}: {groups or '-'}")
        lines.append("themes")
        for page in self.themes:
            entries = " ".join(f"{e.report.slug}{'' if e.main else '?'}({e.count})"
                               for e in page.entries)
            lines.append(f"  {page.theme.slug}: {entries or '-'}")
        return "\n".join(lines)


# --- validation ---------------------------------------------------------------------------------

def validate(reports: Mapping[str, Report]) -> list[ContentError]:
    """Return the problems that stop a site being built from these reports (path → report).

    archive.content.from_markdown checks each file alone; this checks what only the whole set
    shows, and what a Report built in code could get wrong.
    """
    problems: list[ContentError] = []
    known = {theme.slug for theme in load_themes()}
    first_path: dict[str, str] = {}
    for path, report in sorted(reports.items()):
        if not SLUG_PATTERN.fullmatch(report.slug):
            problems.append(ContentError(path, f"slug {report.slug!r} is not allowed",
                                         "use lower-case ASCII letters, digits and '-'"))
        elif report.slug in first_path:
            problems.append(ContentError(path, f"slug {report.slug!r} is already used by "
                                         f"{first_path[report.slug]}",
                                         "give one of them another slug, e.g. add -2"))
        else:
            first_path[report.slug] = path
        if report.adcode is not None and not ADCODE.fullmatch(report.adcode):
            problems.append(ContentError(path, f"adcode {report.adcode!r} is not six digits",
                                         'write the GB/T 2260 code in quotes, e.g. adcode: "420700", '
                                         "or remove it"))
        unknown = [slug for slug in report.themes if slug not in known]
        if unknown:
            problems.append(ContentError(path, f"themes: unknown {', '.join(unknown)}",
                                         "use slugs from data/themes.yaml: " + ", ".join(sorted(known))))
    return problems


# --- the model ----------------------------------------------------------------------------------

def build_site(reports: Iterable[Report], facts: Mapping[str, Facts] | None = None) -> SiteModel:
    """Return the site model of *reports*; they must pass validate().

    *facts* maps each slug to what its body gives (derive.py); the builder passes them from its
    cache and worker processes, and its reports carry no body. Without them they are derived here.
    """
    ordered = tuple(sorted(reports, key=_canonical))
    if facts is None:
        facts = {report.slug: derive(report.body, report.year).facts for report in ordered}
    tree = _place_tree(ordered)
    places, roots, report_place = tree
    years = _year_span(ordered)
    by_year = _by_year(ordered, places, report_place)
    info = _report_info(ordered, places, report_place, facts)
    return SiteModel(reports=ordered, info=info, places=places, roots=roots, years=years,
                     by_year=by_year, themes=_theme_pages(ordered, facts))


def _canonical(report: Report) -> tuple:
    return (report.year, report.adcode or "~", report.slug)


def _recency(report: Report) -> tuple:
    return (report.year, report.published.isoformat() if report.published else "", report.slug)


def _year_span(reports: Sequence[Report]) -> tuple[int, ...]:
    if not reports:
        return ()
    years = [r.year for r in reports]
    return tuple(range(min(years), max(years) + 1))


# --- places -------------------------------------------------------------------------------------

Step = tuple[str, str, str]
"""(key, name, level) of one place in a lineage."""


def lineage(report: Report, province_keys: Mapping[str, str] | None = None) -> tuple[Step, ...]:
    """Return the places from the top of the tree down to the report's own place.

    The gazetteer (archive/places.py) knows the tree for a code; a code it does not know, or a
    report without a code, is placed from its front matter (province, parent, place).
    """
    if report.adcode is None:
        top = ()
        if report.province and report.province != report.place and province_keys \
                and report.province in province_keys:
            top = ((province_keys[report.province], report.province, "province"),)
        return (*top, (f"x-{_short_hash(report.place)}", report.place, report.place_level))
    government = _gazetteer_lineage(report.adcode) or _front_matter_lineage(report)
    if report.place_level in OWN_NAME_LEVELS:
        # A department or township is filed under the government whose code it carries.
        own = (f"{report.adcode}-{_short_hash(report.place)}", report.place, report.place_level)
        return (*government, own)
    # The report's own spelling wins: a report uses the name valid in its year (海东地区 in 2012).
    return (*government[:-1], (government[-1][0], report.place, report.place_level))


def _gazetteer_lineage(adcode: str) -> tuple[Step, ...] | None:
    """Return the lineage the gazetteer gives for *adcode*, or None when it has no answer."""
    try:
        from ..archive import places  # without the gazetteer, the front matter places the report
    except ImportError:
        return None
    place = places.by_code(adcode)
    if place is None:
        return None
    return tuple((p.adcode, p.name, p.level) for p in (*places.ancestors(place), place))


def _front_matter_lineage(report: Report) -> tuple[Step, ...]:
    code = report.adcode
    assert code is not None
    steps: list[Step] = []
    province_code = code[:2] + "0000"
    if code != province_code and report.province:
        steps.append((province_code, report.province, "province"))
    prefecture_code = code[:4] + "00"
    if report.parent and code != prefecture_code and prefecture_code != province_code \
            and report.parent != report.province:
        steps.append((prefecture_code, report.parent, "prefecture_city"))
    if report.place_level in OWN_NAME_LEVELS:
        # The code is the government's; its name is the parent's (or the province's).
        steps.append((code, report.parent or report.province or report.place, "other"))
    else:
        steps.append((code, report.place, report.place_level))
    return tuple(steps)


def _short_hash(text: str) -> str:
    # A stable ASCII key for a body without a code: names are Chinese, URLs stay ASCII.
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def _place_tree(reports: Sequence[Report]) -> tuple[dict[str, PlaceNode], tuple[str, ...], dict[str, str]]:
    """Return nodes by key, the top-level keys, and each report's node key."""
    province_keys = {r.province: r.adcode[:2] + "0000" for r in reports
                     if r.province and r.adcode and ADCODE.fullmatch(r.adcode)}
    names: dict[str, str] = {}
    levels: dict[str, str] = {}
    parents: dict[str, str | None] = {}
    own: dict[str, list[Report]] = defaultdict(list)
    report_place: dict[str, str] = {}
    for report in reports:
        steps = lineage(report, province_keys)
        for depth, (key, name, level) in enumerate(steps):
            is_own = depth == len(steps) - 1
            # A report's own place names itself; an ancestor keeps the first name it was given.
            if is_own or key not in names:
                names[key] = name
                levels[key] = level
            parents.setdefault(key, steps[depth - 1][0] if depth else None)
        own[steps[-1][0]].append(report)
        report_place[report.slug] = steps[-1][0]
    children: dict[str, list[str]] = defaultdict(list)
    for key, parent in parents.items():
        if parent is not None:
            children[parent].append(key)
    totals: dict[str, int] = {}

    def total(key: str) -> int:
        if key not in totals:
            totals[key] = len(own[key]) + sum(total(child) for child in children[key])
        return totals[key]

    nodes = {key: PlaceNode(key=key, name=names[key], level=levels[key], parent=parents[key],
                            children=tuple(sorted(children[key])),
                            reports=tuple(sorted(own[key], key=_canonical)), total=total(key))
             for key in sorted(names)}
    roots = tuple(key for key in nodes if parents[key] is None)
    return nodes, roots, report_place


# --- years, related reports, themes ------------------------------------------------------------

def _province_name(report: Report, places: Mapping[str, PlaceNode], place_key: str) -> str:
    key = place_key
    while places[key].parent is not None:
        key = places[key].parent  # type: ignore[assignment]
    return report.province or (places[key].name if report.adcode else OTHER_PROVINCE)


def _by_year(reports: Sequence[Report], places: Mapping[str, PlaceNode],
             report_place: Mapping[str, str]) -> dict[int, tuple[YearGroup, ...]]:
    grouped: dict[int, dict[str, list[Report]]] = defaultdict(lambda: defaultdict(list))
    for report in reports:  # canonical order, so provinces come out by code
        grouped[report.year][_province_name(report, places, report_place[report.slug])].append(report)
    return {year: tuple(YearGroup(name, tuple(items)) for name, items in groups.items())
            for year, groups in sorted(grouped.items())}


def _report_info(reports: Sequence[Report], places: Mapping[str, PlaceNode],
                 report_place: Mapping[str, str], facts: Mapping[str, Facts]) -> dict[str, ReportInfo]:
    themes = {theme.slug: theme for theme in load_themes()}
    province = {r.slug: _province_name(r, places, report_place[r.slug]) for r in reports}
    same_year: dict[tuple[int, str], list[Report]] = defaultdict(list)
    for report in reports:
        same_year[(report.year, province[report.slug])].append(report)
    located = {group: [_Located.of(report) for report in members] for group, members in same_year.items()}
    info = {}
    for number, report in enumerate(reports):
        key = report_place[report.slug]
        trail = [key]
        while places[trail[0]].parent is not None:
            trail.insert(0, places[trail[0]].parent)  # type: ignore[arg-type]
        info[report.slug] = ReportInfo(
            place=key, trail=tuple(trail),
            themes=tuple(themes[slug] for slug in report.themes if slug in themes),
            completeness=completeness_of(facts[report.slug].covered, report.year, report.published),
            other_years=tuple(r for r in places[key].reports if r.slug != report.slug),
            same_year=_nearest(report, located[(report.year, province[report.slug])]),
            same_year_total=len(same_year[(report.year, province[report.slug])]) - 1,
            previous=reports[number - 1] if number else None,
            next=reports[number + 1] if number + 1 < len(reports) else None)
    return info


@dataclass(frozen=True, slots=True)
class _Located:
    """A report with its code read once: _nearest compares every pair of a province's year."""
    report: Report
    prefecture: str | None
    code: int | None

    @classmethod
    def of(cls, report: Report) -> _Located:
        code = report.adcode
        return cls(report, code[:4] if code else None, int(code) if code else None)


def _nearest(report: Report, group: Sequence[_Located]) -> tuple[Report, ...]:
    """Return up to RELATED_LIMIT others of *group*: same prefecture first, then nearest code."""
    me = _Located.of(report)
    # (distance, slug, report): slugs are unique, so tuples never compare two reports.
    ranked = [((2, 0) if me.code is None or other.code is None else
               (other.prefecture != me.prefecture, abs(other.code - me.code)), other.report.slug, other.report)
              for other in group if other.report.slug != report.slug]
    return tuple(entry[-1] for entry in heapq.nsmallest(RELATED_LIMIT, ranked))  # = sorted(…)[:LIMIT]


def _theme_pages(reports: Sequence[Report], facts: Mapping[str, Facts]) -> tuple[ThemePage, ...]:
    themes = load_themes()
    entries: dict[str, list[ThemeEntry]] = {theme.slug: [] for theme in themes}
    for report in sorted(reports, key=_recency, reverse=True):
        passages = {slug: (shown, count) for slug, shown, count in facts[report.slug].passages}
        for theme in themes:
            shown, count = passages.get(theme.slug, ((), 0))
            main = theme.slug in report.themes
            if main or count:
                entries[theme.slug].append(ThemeEntry(report, main, shown, count))
    pages = []
    for theme in themes:
        # Stable sort: main reports first, newest first within each group.
        ordered = tuple(sorted(entries[theme.slug], key=lambda e: not e.main))
        by_year: dict[int, list[ThemeEntry]] = defaultdict(list)
        for entry in ordered:
            by_year[entry.report.year].append(entry)
        pages.append(ThemePage(theme, ordered, tuple(
            ThemeYear(theme, year, tuple(by_year[year])) for year in sorted(by_year, reverse=True))))
    return tuple(pages)
