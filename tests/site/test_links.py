"""Every page of a built site parses strictly, and every internal link resolves to a file."""
from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from lawreport_site.config import SiteConfig
from tests.site.linkcheck import check_site

SITES = ("built_site", "seed_site")
BASE = SiteConfig().base_url


@pytest.mark.parametrize("fixture", SITES)
def test_every_page_parses_and_every_internal_link_resolves(fixture: str, request) -> None:
    site: Path = request.getfixturevalue(fixture)
    pages, problems = check_site(site, base_path="/lawreport/")
    assert len(pages) > 20
    assert problems == []


def test_link_checker_notices_a_broken_link(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text('<!doctype html><html><body><a href="gone/">x</a>'
                                         '<a href="#nowhere">y</a><p><b></p></body></html>',
                                         encoding="utf-8")
    _, problems = check_site(tmp_path)
    assert any("missing file" in p for p in problems)
    assert any("no id 'nowhere'" in p for p in problems)
    assert any("does not close" in p for p in problems)


@pytest.mark.parametrize("fixture", SITES)
def test_feed_is_atom_with_absolute_urls(fixture: str, request) -> None:
    site: Path = request.getfixturevalue(fixture)
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{atom}feed"
    entries = feed.findall(f"{atom}entry")
    assert entries
    for entry in entries:
        assert entry.findtext(f"{atom}id").startswith(BASE)
        assert entry.find(f"{atom}link").get("href").startswith(BASE)
        assert entry.findtext(f"{atom}updated")[:4].isdigit()
    updated = [e.findtext(f"{atom}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)


@pytest.mark.parametrize("fixture", SITES)
def test_sitemap_lists_every_page_with_absolute_urls(fixture: str, request) -> None:
    site: Path = request.getfixturevalue(fixture)
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [e.text for e in ET.parse(site / "sitemap.xml").getroot().iter(f"{ns}loc")]
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html"))
    assert sorted(locs) == sorted(BASE + p.removesuffix("index.html") for p in pages)
    assert f"Sitemap: {BASE}sitemap.xml" in (site / "robots.txt").read_text(encoding="utf-8")
