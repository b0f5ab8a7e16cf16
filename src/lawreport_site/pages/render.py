"""Site model → every file of the site, as text keyed by site-relative path.

Pure: nothing here touches the disk (builder.py writes the result), so tests can render with a
jinja2.DictLoader and look at the strings. Every page gets the same common context: ``root``
(the relative prefix back to the site root), ``site``, ``config``, ``page_path`` and ``csp``.
"""
from __future__ import annotations

import csv
import dataclasses
import functools
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from jinja2 import BaseLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from ..archive.completeness import ITEMS
from ..config import SiteConfig
from ..build.cache import page_key, paused_gc
from .markup import Body, render_body
from ..archive.model import Report, Source
from ..build.parallel import fork_pool, worth_forking
from .site import PlaceNode, SiteModel, ThemeEntry, ThemePage, ThemeYear, YearGroup

CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
       "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'")
"""No inline script anywhere; 'wasm-unsafe-eval' lets Pagefind run its WebAssembly."""
FEED_ENTRIES = 50
CHUNK = 32
"""Report pages a worker renders per task: large enough to amortise the round trip."""
ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"

DOC_TYPE_NAMES = {"annual_report": "年度报告", "feature": "专题报道", "news": "新闻报道",
                  "work_plan": "工作要点", "other": "其他"}
LEVEL_NAMES = {"province": "省级", "municipality": "直辖市", "prefecture_city": "地级市",
               "prefecture": "地级", "county": "县", "county_city": "县级市", "district": "市辖区",
               "township": "乡镇（街道）", "department": "部门", "other": "其他"}
FIELD_NAMES = {"title": "标题", "place": "地区", "place_level": "行政级别", "parent": "上级单位",
               "province": "省份", "adcode": "行政区划代码", "year": "年度", "published": "发布日期",
               "publisher": "发布机关", "byline": "作者", "doc_type": "类型", "themes": "主题",
               "summary": "摘要", "body": "正文"}
CSV_COLUMNS = ("slug", "url", "title", "place", "place_level", "parent", "province", "adcode",
               "year", "published", "publisher", "byline", "doc_type", "themes", "summary",
               "source_file", "source_sha256", "source_encoding", "source_script",
               "source_conversion", "review")


TEMPLATES = Path("templates")
"""The site's templates, beside content/ and seeds/: the site's look is the site's, not the library's."""


def make_env(loader: BaseLoader | None = None) -> Environment:
    """Return the Jinja2 environment: autoescape on for HTML and XML, typos fail loudly."""
    env = Environment(loader=loader or FileSystemLoader(TEMPLATES),
                      autoescape=select_autoescape(("html", "xml"), default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True,
                      # One environment per build: no template changes under it, so no stat()
                      # of three template files for every page.
                      auto_reload=False)
    env.filters.update(cn_date=cn_date, doc_type_name=lambda v: DOC_TYPE_NAMES.get(v, v),
                       level_name=lambda v: LEVEL_NAMES.get(v, ""),
                       field_name=lambda v: FIELD_NAMES.get(v, v))
    env.filters["passage_cards"] = passage_cards
    env.globals["place_steps"] = place_steps
    return env


def passage_cards(entries: Iterable[ThemeEntry], root: str) -> Markup:
    """Return the cards of theme-year.html: per report, a link to it and the passage quoted.

    Written here, not in the template: the busiest of these pages hold thousands of cards, and a
    template loop over them is several times slower.
    """
    cards = []
    for entry in entries:
        report = entry.report
        url = escape(root + report.url)
        card = [f'<li class="passage-card" id="r-{escape(report.slug)}">',
                f'  <h3><a href="{url}">{escape(report.place)} · {report.year}年度</a></h3>',
                f'  <p class="report-meta">{escape(report.title)}</p>']
        if entry.count:
            card.append('  <ul class="passages">')
            for passage in entry.shown:
                anchor = f"#{escape(passage.anchor)}" if passage.anchor else ""
                card += ['    <li>',
                         f'      <a class="passage-heading" href="{url}{anchor}">{escape(passage.heading or "开头部分")}</a>',
                         f'      <p>{escape(passage.excerpt)}</p>',
                         '    </li>']
            card.append('  </ul>')
            if entry.more:
                card.append(f'  <p class="panel-note"><a href="{url}">报告中另有 {entry.more} 处相关段落</a></p>')
        else:
            card.append('  <p class="panel-note">报告整体涉及此主题，没有单独的章节。</p>')
        card.append('</li>')
        cards.append("\n".join(card))
    return Markup("\n".join(cards))


def cn_date(value: date | None) -> str:
    """Return 2021年3月27日, or "" for no date."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def place_steps(nodes: Iterable[PlaceNode]) -> list[tuple[str, str]]:
    """Return breadcrumb steps (href, label) for the places index and then *nodes*."""
    return [("places/", "地区"), *((node.url, node.name) for node in nodes)]


def root_of(page_path: str) -> str:
    """Return the relative prefix from *page_path* (site-relative, "" for home) to the root."""
    return "../" * page_path.count("/")


@dataclass
class Reuse:
    """What an incremental build knows about the site it replaces, and records for the next one."""
    digests: Mapping[str, str]
    """Report slug → key of its content file (build.cache.file_key): the report's identity in
    page keys."""
    current: Mapping[str, str]
    """Page path → key of the page now at --out (build.cache.Cache.load_manifest)."""
    keys: dict[str, str] = field(default_factory=dict)
    """Filled while rendering: page path → key of each page that has one."""
    templates: str = ""
    """Digest of the templates folder (builder.templates_digest): a page's key changes with its look."""



def write_site(site: SiteModel, config: SiteConfig, write: Callable[[str, str | None], None],
               sources: Mapping[str, str] | None = None, env: Environment | None = None,
               bodies: Callable[[Report], Body] | None = None, reuse: Reuse | None = None,
               workers: int = 1) -> list[str]:
    """Make every generated file of the site, call write(site-relative path, text) for each,
    and return the paths.

    *sources* maps a report slug to the site-relative path of its original seed file (only
    those copied). Search's sub-word terms are added to the index's copy only
    (search.index.index_site), never to the pages readers download. *bodies* gives a report's
    rendered body (by default its Markdown is rendered now). With *reuse*, a report, place, year
    or theme-year page whose inputs have not changed since the build at --out is not rendered: its
    text is None, meaning "keep the current file". With *workers* > 1, the pages are rendered in forked
    processes, and each is written by the worker that made it: handing every page back to one
    process to write would keep that process busy. Nothing is held beyond a page at a time.
    """
    with paused_gc():          # planning makes many long-lived objects at once
        paths, job = _site_job(site, config, sources, env, bodies, reuse, write)

    def keep() -> None:
        for path, kept in paths:
            if kept:
                write(path, None)

    for _ in _run(job, workers, meanwhile=keep):
        pass
    return [path for path, _ in paths]


def _site_job(site: SiteModel, config: SiteConfig, sources: Mapping[str, str] | None,
              env: Environment | None, bodies: Callable[[Report], Body] | None,
              reuse: Reuse | None, write: Callable[[str, str | None], None]
              ) -> tuple[list[tuple[str, bool]], _PageJob]:
    """Return (path, kept from the current site) of every file, and the job that makes the others."""
    env = env or make_env()
    search_page = "search.html" if "search.html" in env.list_templates() else "search-pending.html"
    pages = _plan_pages(site, config, sources or {}, reuse, search_page)
    # The files not planned as pages come first: a worker makes them while the others start on
    # the pages, instead of one core making them at the end.
    others: list[tuple[str, Callable[[], str]]] = [
        ("404.html", functools.partial(_render_404, env, site, config)),
        ("feed.xml", functools.partial(atom_feed, site, config)),
        ("sitemap.xml", functools.partial(sitemap, [path.removesuffix("index.html") for path, _ in pages],
                                          config)),
        ("robots.txt", functools.partial(robots_txt, config)),
        ("data/reports.json", functools.partial(reports_json, site)),
        ("data/reports.csv", functools.partial(reports_csv, site))]
    # Then the listing pages, report pages last: with a big theme-year page in the last task,
    # one worker would still be busy while the others have nothing left.
    made = others + sorted(((path, page) for path, page in pages if page is not None),
                           key=lambda item: item[1].body_of is not None)
    job = _PageJob(site, config, env, bodies or (lambda report: render_body(report.body)),
                   write, [path for path, _ in made], [page for _, page in made], alone=len(others))
    return [(path, False) for path, _ in others] + [(path, page is None) for path, page in pages], job


@dataclass(frozen=True, slots=True)
class _Page:
    """A page to render: its template, where it goes and what it shows."""
    template: str
    page_path: str
    context: dict[str, Any]
    body_of: Report | None = None
    """A report page's report, whose body is loaded only when the page is rendered."""


def _plan_pages(site: SiteModel, config: SiteConfig, sources: Mapping[str, str],
                reuse: Reuse | None, search_page: str) -> list[tuple[str, _Page | None]]:
    """Return (path, page to render, or None to keep the current file) for each templated page,
    in sitemap order."""
    pages: list[tuple[str, _Page | None]] = []
    digest = reuse.digests.__getitem__ if reuse else None

    def page(template: str, page_path: str, inputs: Callable[[], object] | None = None,
             body_of: Report | None = None, **context: Any) -> None:
        path = page_file(page_path)
        if reuse is not None and inputs is not None:
            key = reuse.keys[path] = page_key((config, reuse.templates, inputs()))
            if reuse.current.get(path) == key:
                pages.append((path, None))
                return
        pages.append((path, _Page(template, page_path, context, body_of)))

    page("home.html", "")
    for report in site.reports:
        page("report.html", report.url, lambda: _report_inputs(site, report, sources, reuse.digests),
             body_of=report, **_report_context(site, report, sources))
    page("places.html", "places/")
    for node in site.places.values():
        below = site.descendants(node.key)
        page("place.html", node.url, lambda: _place_inputs(site, node, below, digest),
             node=node, years=site.place_years(node.key), below=below)
    page("years.html", "years/")
    for year, groups in site.by_year.items():
        page("year.html", f"years/{year}/", lambda: _year_inputs(site, year, groups, digest),
             year=year, groups=groups)
    page("themes.html", "themes/")
    for theme_page in site.themes:
        page("theme.html", theme_page.url, theme_page=theme_page)
        for theme_year in theme_page.by_year:
            page("theme-year.html", theme_year.url,
                 lambda: _theme_year_inputs(theme_page, theme_year, digest),
                 theme_page=theme_page, theme_year=theme_year)
    page("about.html", "about/", items=ITEMS)
    page(search_page, "search/")
    return pages


def page_file(page_path: str) -> str:
    """Return the file (site-relative) of the page at *page_path* ("" for home, "reports/x/" …)."""
    return page_path + "index.html"


def report_page(env: Environment, site: SiteModel, config: SiteConfig, report: Report,
                sources: Mapping[str, str], body: Body) -> str:
    """Return the page of *report* as write_site writes it (search.head_start reads it early)."""
    return render_page(env, site, config, "report.html", report.url, body=body,
                       **_report_context(site, report, sources))


def _report_context(site: SiteModel, report: Report, sources: Mapping[str, str]) -> dict[str, Any]:
    return {"report": report, "info": site.info[report.slug], "source_href": sources.get(report.slug),
            "items": _items(site, report)}


def render_page(env: Environment, site: SiteModel, config: SiteConfig, template: str,
                page_path: str, **context: Any) -> str:
    """Return one page rendered with the common context plus *context*."""
    return env.get_template(template).render(root=root_of(page_path), site=site, config=config,
                                             page_path=page_path, csp=CSP, **context)


# --- rendering, in parallel ---------------------------------------------------------------------

@dataclass(frozen=True)
class _PageJob:
    site: SiteModel
    config: SiteConfig
    env: Environment
    bodies: Callable[[Report], Body]
    write: Callable[[str, str | None], None]
    paths: Sequence[str]
    pages: Sequence[_Page | Callable[[], str]]
    """Pages to render from a template, or functions that make a file's text."""
    alone: int = 0
    """The first *alone* pages (404.html, the feed, the sitemap, the data files) get a task each:
    in one task they would hold a worker long after the others had rendered the few pages an added
    report changes."""

    def make(self, number: int) -> None:
        self.write(self.paths[number], self.render(number))

    def render(self, number: int) -> str:
        page = self.pages[number]
        if not isinstance(page, _Page):
            return page()
        context = page.context if page.body_of is None else {**page.context, "body": self.bodies(page.body_of)}
        return render_page(self.env, self.site, self.config, page.template, page.page_path, **context)


_JOB: _PageJob | None = None
"""The job of the forked workers, inherited from the parent: the model is never pickled."""


def _run(job: _PageJob, workers: int, meanwhile: Callable[[], None]) -> Iterable[None]:
    """Make every page of the job; iterate the result to run it (in workers: in no set order).
    Call *meanwhile* in this process, while the workers render when there are workers."""
    # A page costs more the more reports it lists, so a big site forks even for few pages.
    if len(job.pages) >= workers and worth_forking(max(len(job.pages), len(job.site.reports)), workers):
        return _in_workers(job, workers, meanwhile)     # forked: the model is too big to send
    meanwhile()
    return map(job.make, range(len(job.pages)))


def _make_chunk(numbers: range) -> list[None]:
    assert _JOB is not None
    return [_JOB.make(number) for number in numbers]


def _in_workers(job: _PageJob, workers: int, meanwhile: Callable[[], None]) -> Iterator[None]:
    """Make every page of the job in *workers* forked processes, and call *meanwhile* here as they do.

    All pages, not only the reports: the listing pages of a big site are large too, and rendered
    here they would keep one core busy while the workers wait. Meanwhile this process keeps the
    pages that need no rendering (a hard link each), so that work overlaps the rendering: an added
    report's build renders few pages and keeps nearly all the others.
    """
    global _JOB
    _JOB = job
    try:
        size = max(1, min(CHUNK, len(job.pages) // (4 * workers)))     # a few tasks each, at least
        chunks = [*(range(number, number + 1) for number in range(min(job.alone, len(job.pages)))),
                  *(range(start, min(start + size, len(job.pages)))
                    for start in range(job.alone, len(job.pages), size))]
        with fork_pool(workers) as pool:
            results = pool.imap_unordered(_make_chunk, chunks)
            meanwhile()
            for done in results:
                yield from done
    finally:
        _JOB = None


# --- page inputs, for incremental builds ---------------------------------------------------------
# Everything a template reads beyond the page's own path and the config, as plain values. A report
# stands for itself by the key of its file, which covers every field it shows. Leaving an input
# out here would let an incremental build keep a stale page: tests/site/test_incremental.py
# compares incremental builds with clean ones.

def _report_inputs(site: SiteModel, report: Report, sources: Mapping[str, str],
                   digests: Mapping[str, str]) -> tuple:
    info = site.info[report.slug]
    return ("report", digests[report.slug], _names(site.trail(report)),
            [digests[r.slug] for r in info.other_years], [digests[r.slug] for r in info.same_year],
            info.same_year_total, info.previous and digests[info.previous.slug],
            info.next and digests[info.next.slug], sources.get(report.slug))


def _place_inputs(site: SiteModel, node: PlaceNode, below: Sequence[Report],
                  digest: Callable[[str], str]) -> tuple:
    children = [(key, site.places[key].name, site.places[key].total) for key in node.children]
    return ("place", node.key, node.name, node.level, node.total, site.years,
            [digest(r.slug) for r in node.reports], [digest(r.slug) for r in below],
            _names(site.trail_of(node.key)), children)


def _year_inputs(site: SiteModel, year: int, groups: Sequence[YearGroup],
                 digest: Callable[[str], str]) -> tuple:
    return ("year", year, sorted(site.by_year),
            [(group.province, [digest(r.slug) for r in group.reports]) for group in groups])


def _theme_year_inputs(theme_page: ThemePage, theme_year: ThemeYear,
                       digest: Callable[[str], str]) -> tuple:
    # The page shows its reports (their passages come from their content) and links every year.
    return ("theme-year", theme_page.theme, [t.year for t in theme_page.by_year],
            [(entry.main, digest(entry.report.slug)) for entry in theme_year.entries])


def _names(nodes: Iterable[PlaceNode]) -> list[tuple[str, str]]:
    return [(node.key, node.name) for node in nodes]


def _render_404(env: Environment, site: SiteModel, config: SiteConfig) -> str:
    # A host serves 404.html at whatever path was missing, so links relative to the page would
    # point nowhere; this one page links from the path of the configured base URL instead.
    root = urlsplit(config.base_url).path or "/"
    return env.get_template("404.html").render(root=root, site=site, config=config,
                                               page_path="404.html", csp=CSP)


def _items(site: SiteModel, report: Report) -> tuple[tuple[str, bool], ...]:
    covered = site.info[report.slug].completeness.covered
    return tuple((item.label, item.key in covered) for item in ITEMS)


# --- feed, sitemap, data ------------------------------------------------------------------------

def _when(report: Report) -> str:
    # Atom needs a timestamp; without a publication date the end of the year reported on stands in.
    day = report.published or date(report.year, 12, 31)
    return f"{day.isoformat()}T00:00:00+08:00"


def atom_feed(site: SiteModel, config: SiteConfig) -> str:
    """Return an Atom feed of the newest reports, with absolute URLs."""
    ET.register_namespace("", ATOM)
    newest = sorted(site.reports, key=lambda r: (_when(r), r.slug), reverse=True)[:FEED_ENTRIES]
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "zh-Hans"})
    _sub(feed, "title", config.title)
    _sub(feed, "subtitle", config.description)
    _sub(feed, "id", config.base_url)
    _sub(feed, "link", href=config.base_url)
    _sub(feed, "link", rel="self", href=config.base_url + "feed.xml")
    _sub(feed, "updated", max((_when(r) for r in newest), default="1970-01-01T00:00:00Z"))
    author = _sub(feed, "author")
    _sub(author, "name", config.title)
    for report in newest:
        entry = _sub(feed, "entry")
        _sub(entry, "title", report.title)
        _sub(entry, "id", config.base_url + report.url)
        _sub(entry, "link", href=config.base_url + report.url)
        _sub(entry, "updated", _when(report))
        if report.publisher:
            _sub(_sub(entry, "author"), "name", report.publisher)
        _sub(entry, "summary", report.summary or f"{report.place}{report.year}年度报告")
        for theme in site.info[report.slug].themes:
            _sub(entry, "category", term=theme.slug, label=theme.name)
    return _xml(feed)


def sitemap(page_paths: Iterable[str], config: SiteConfig) -> str:
    """Return a sitemap of the pages at *page_paths* (site-relative, "" for home)."""
    ET.register_namespace("", SITEMAP)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    for path in sorted(page_paths):
        _sub(_sub(urlset, "url", ns=SITEMAP), "loc", config.base_url + path, ns=SITEMAP)
    return _xml(urlset)


def robots_txt(config: SiteConfig) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {config.base_url}sitemap.xml\n"


def _sub(parent: ET.Element, tag: str, text: str | None = None, ns: str = ATOM,
         **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ns}}}{tag}", attributes)
    element.text = text
    return element


def _xml(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


_SOURCE_FIELDS = tuple(field.name for field in dataclasses.fields(Source))
"""Read once, not for each report: dataclasses.asdict and fields() are slow when called that often."""


def report_record(report: Report) -> dict[str, Any]:
    """Return the front-matter fields of *report* as plain JSON values, plus its URL."""
    source = {name: getattr(report.source, name) for name in _SOURCE_FIELDS} if report.source else None
    return {"slug": report.slug, "url": report.url, "title": report.title, "place": report.place,
            "place_level": report.place_level, "parent": report.parent,
            "province": report.province, "adcode": report.adcode, "year": report.year,
            "published": report.published.isoformat() if report.published else None,
            "publisher": report.publisher, "byline": report.byline, "doc_type": report.doc_type,
            "themes": list(report.themes), "summary": report.summary, "source": source,
            "review": list(report.review)}


def reports_json(site: SiteModel) -> str:
    records = [report_record(r) for r in site.reports]
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"


def reports_csv(site: SiteModel) -> str:
    """Return one row per report; lists joined with ';'. A BOM lets spreadsheet programs see UTF-8."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for report in site.reports:
        record = report_record(report)
        source = record.pop("source") or {}
        record.update({f"source_{k}": source.get(k) for k in
                       ("file", "sha256", "encoding", "script", "conversion")})
        writer.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in record.items()})
    return "\ufeff" + out.getvalue()

