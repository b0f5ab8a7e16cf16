"""What the built sample site's pages say and promise: safety, search markup, panels, exports."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from lawreport_site.pages.markup import render_body
from lawreport_site.pages.render import CSP
from lawreport_site.archive.themes import split_sections
from tests.site.linkcheck import parse_page
from tests.site.reports import BODY, sample_reports


def page(site: Path, path: str):
    return parse_page(site, site / path)


def html(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def attrs(site: Path, path: str, tag: str) -> list[dict]:
    return [a for t, a in page(site, path).tags if t == tag]


def test_every_page_has_lang_csp_skip_link_and_search_form(built_site: Path) -> None:
    for path in sorted(built_site.rglob("*.html")):
        relative = path.relative_to(built_site).as_posix()
        parsed = parse_page(built_site, path)
        tags = parsed.tags
        assert ("html", {"lang": "zh-Hans"}) in tags, relative
        assert {"http-equiv": "Content-Security-Policy", "content": CSP} in [a for t, a in tags if t == "meta"]
        assert any(t == "a" and a.get("href") == "#main" for t, a in tags), relative
        assert any(t == "main" and a.get("id") == "main" for t, a in tags), relative
        forms = [a for t, a in tags if t == "form" and a.get("role") == "search"]
        assert forms and all(f["action"].endswith("search/") for f in forms), relative
        assert not any(t == "script" and not a.get("src") for t, a in tags), relative


def test_only_report_pages_are_indexed_for_search(built_site: Path) -> None:
    for path in sorted(built_site.rglob("*.html")):
        relative = path.relative_to(built_site).as_posix()
        bodies = [a for _, a in parse_page(built_site, path).tags if "data-pagefind-body" in a]
        assert len(bodies) == (1 if relative.startswith("reports/") else 0), relative


def test_report_page_exposes_filters_sorts_and_meta(built_site: Path) -> None:
    tags = page(built_site, "reports/420921-2019/index.html").tags
    filters = sorted(a["data-pagefind-filter"] for _, a in tags if "data-pagefind-filter" in a)
    assert filters == ["doc_type:年度报告", "place:孝昌县", "province:湖北省", "theme:矛盾纠纷化解",
                       "theme:行政执法", "year:2019"]
    sorts = sorted(a["data-pagefind-sort"] for _, a in tags if "data-pagefind-sort" in a)
    assert sorts == ["published:0000-00-00", "year:2019"]          # undated still sorts
    metas = sorted(a["data-pagefind-meta"] for _, a in tags if "data-pagefind-meta" in a)
    assert metas == ["place:孝昌县", "title", "year:2019"]


def test_report_without_province_or_code_still_renders(built_site: Path) -> None:
    text = page(built_site, "reports/sifabu-2022/index.html").text
    assert "司法部" in text and "本篇由编辑手工录入" in text and "不是年度报告" in text


def test_heading_ids_are_the_section_anchors_theme_pages_link_to() -> None:
    body = BODY.format(year=2021, next=2022)
    ids = [h.anchor for h in render_body(body).headings if h.level in (2, 3)]
    assert ids == [s.anchor for s in split_sections(body) if s.anchor]


def test_body_is_safe_and_captions_are_captions(built_site: Path) -> None:
    source = html(built_site, "reports/420700-2021/index.html")
    assert "<script>alert" not in source and "&lt;script&gt;alert(1)&lt;/script&gt;" in source
    assert "javascript:" not in source.replace("[脚本](javascript:", "")
    assert '<figure class="caption"><figcaption>图为市政务服务中心窗口' in source
    assert 'rel="nofollow noopener noreferrer"' in source


def test_provenance_links_the_original_as_text_and_notes_conversion(built_site: Path) -> None:
    text = page(built_site, "reports/420921-2019/index.html").text
    assert "由繁体转换（OpenCC t2s）" in text and "big5" in text
    assert "尚待人工复核：年度" in text
    links = [a for a in attrs(built_site, "reports/420921-2019/index.html", "a") if "download" in a]
    assert links == [{"href": "../../sources/001_trad.html.txt", "download": "001_trad.html"}]
    assert (built_site / "sources/001_trad.html.txt").read_bytes().startswith(b"<html><script>")
    assert not (built_site / "sources/001_trad.html").exists()


def test_missing_original_is_named_but_not_linked(built_site: Path) -> None:
    text = page(built_site, "reports/420700-2019/index.html").text
    assert "missing.txt（未随本站提供）" in text
    assert not any("download" in a for a in attrs(built_site, "reports/420700-2019/index.html", "a"))


def test_completeness_panel_shows_items_and_deadline(built_site: Path) -> None:
    on_time = page(built_site, "reports/420700-2021/index.html").text
    assert "按时公开：是，2022年3月25日发布，早于2022年4月1日" in on_time
    late = page(built_site, "reports/420700-2019/index.html").text
    assert "按时公开：否，2020年5月6日发布，晚于2020年4月1日" in late
    assert "其他需要报告的情况：未发现" in late and "存在的不足和原因：已涉及" in late


def test_report_page_links_related_reports_and_neighbours(built_site: Path) -> None:
    hrefs = [a.get("href") for a in attrs(built_site, "reports/420700-2021/index.html", "a")]
    assert "../../reports/420700-2019/" in hrefs            # same place, other year
    assert "../../reports/500000-2020/" in hrefs            # previous
    assert "../../reports/520000-2022-2/" in hrefs          # next
    assert "../../places/420000/" in hrefs and "../../places/420700/" in hrefs


def test_place_page_shows_missing_years_as_gaps(built_site: Path) -> None:
    items = [a.get("class") for a in attrs(built_site, "places/420700/index.html", "li")
             if a.get("class") in ("have", "gap")]
    assert items == ["have", "gap", "have", "gap"]


def test_theme_page_leads_to_one_page_a_year(built_site: Path) -> None:
    hrefs = [a["href"] for a in attrs(built_site, "themes/dispute-resolution/index.html", "a")]
    years = [h.split("/")[-2] for h in hrefs if h.startswith("../../themes/dispute-resolution/2")]
    assert years == ["2022", "2021", "2020", "2019"]


def test_theme_year_page_quotes_one_passage_and_links_the_rest(built_site: Path) -> None:
    hrefs = [a["href"] for a in attrs(built_site, "themes/dispute-resolution/2021/index.html", "a")]
    assert "../../../reports/420700-2021/#s-4" in hrefs        # the first passage, at its section
    assert "报告中另有 1 处相关段落" in html(built_site, "themes/dispute-resolution/2021/index.html")


def test_report_themes_link_to_the_card_on_their_year_page(built_site: Path) -> None:
    hrefs = [a["href"] for a in attrs(built_site, "reports/420700-2021/index.html", "a")]
    assert "../../themes/dispute-resolution/2021/#r-420700-2021" in hrefs
    assert 'id="r-420700-2021"' in html(built_site, "themes/dispute-resolution/2021/index.html")


def test_404_links_from_the_base_path(built_site: Path) -> None:
    hrefs = [a["href"] for a in attrs(built_site, "404.html", "link") if a.get("rel") == "stylesheet"]
    assert hrefs[0] == "/lawreport/static/site.css"


def test_data_exports_hold_every_report_and_field(built_site: Path) -> None:
    records = json.loads(html(built_site, "data/reports.json"))
    assert [r["slug"] for r in records] == [r.slug for r in sorted(
        sample_reports(), key=lambda r: (r.year, r.adcode or "~", r.slug))]
    assert records[0]["source"]["file"] == "seeds/missing.txt"
    rows = list(csv.DictReader(html(built_site, "data/reports.csv").lstrip("\ufeff").splitlines()))
    assert len(rows) == 6 and rows[1]["source_script"] == "traditional"
    assert rows[1]["themes"] == "dispute-resolution;law-enforcement"


@pytest.mark.parametrize("path", ["index.html", "places/index.html", "years/index.html",
                                  "themes/index.html", "about/index.html", "search/index.html"])
def test_listing_pages_have_one_h1(built_site: Path, path: str) -> None:
    assert len(attrs(built_site, path, "h1")) == 1
