"""The site model built from Reports in memory: outline, related reports, validation."""
from __future__ import annotations

import dataclasses
from textwrap import dedent

import pytest

from lawreport_site.pages import site as site_module
from lawreport_site.pages.site import build_site, lineage, validate
from tests.site.reports import report, sample_reports


@pytest.fixture(scope="module")
def model():
    return build_site(sample_reports())


def test_places_outline_nests_county_under_prefecture_and_department_under_government(model) -> None:
    places = model.outline().split("\nyears\n")[0]
    assert places == dedent("""\
        places
          湖北省 420000 (3)
            鄂州市 420700 (2): 420700-2019, 420700-2021
            孝感市 420900 (1)
              孝昌县 420921 (1): 420921-2019
          重庆市 500000 (1): 500000-2020
          贵州省 520000 (1)
            贵州省生态环境厅 520000-8fc84382 (1): 520000-2022-2
          司法部 x-cf9f94ca (1): sifabu-2022""")


def test_years_outline_spans_every_year_grouped_by_province(model) -> None:
    years = model.outline().split("\nyears\n")[1].split("\nthemes\n")[0]
    assert years.splitlines() == ["  2019: 湖北省 420700-2019 420921-2019",
                                  "  2020: 重庆市 500000-2020",
                                  "  2021: 湖北省 420700-2021",
                                  "  2022: 贵州省 520000-2022-2; 其他 sifabu-2022"]


def test_theme_page_lists_main_reports_first_then_reports_that_touch_it(model) -> None:
    page = next(p for p in model.themes if p.theme.slug == "dispute-resolution")
    mains = [e.report.slug for e in page.entries if e.main]
    assert mains == ["420700-2021", "420921-2019"]          # newest first
    assert all(not e.main for e in page.entries[len(mains):])
    assert all(p.anchor.startswith("s-") for e in page.entries for p in e.shown)


def test_theme_years_split_the_entries_newest_first(model) -> None:
    page = next(p for p in model.themes if p.theme.slug == "dispute-resolution")
    assert [y.year for y in page.by_year] == sorted({e.report.year for e in page.entries}, reverse=True)
    assert sorted(e.report.slug for y in page.by_year for e in y.entries) == sorted(
        e.report.slug for e in page.entries)
    assert all(e.report.year == y.year for y in page.by_year for e in y.entries)
    assert all(len(e.shown) <= 1 and len(e.shown) + e.more == e.count
               for e in page.entries)


def test_theme_without_reports_still_has_a_page(model) -> None:
    assert len(model.themes) == 11
    assert any(not page.entries for page in model.themes)


def test_related_reports_same_place_and_same_year_province(model) -> None:
    info = model.info["420700-2021"]
    assert [r.slug for r in info.other_years] == ["420700-2019"]
    assert [r.slug for r in model.info["420921-2019"].same_year] == ["420700-2019"]
    assert model.info["500000-2020"].same_year == ()


def test_previous_and_next_follow_year_then_code(model) -> None:
    order = [r.slug for r in model.reports]
    assert order == ["420700-2019", "420921-2019", "500000-2020", "420700-2021",
                     "520000-2022-2", "sifabu-2022"]
    assert model.info[order[0]].previous is None and model.info[order[-1]].next is None
    for before, after in zip(order, order[1:]):
        assert model.info[before].next.slug == after
        assert model.info[after].previous.slug == before


def test_place_years_show_gaps(model) -> None:
    years = model.place_years("420700")
    assert [(year, [r.slug for r in reports]) for year, reports in years] == [
        (2019, ["420700-2019"]), (2020, []), (2021, ["420700-2021"]), (2022, [])]


def test_trail_runs_from_province_to_place(model) -> None:
    assert [n.name for n in model.trail(model.reports[1])] == ["湖北省", "孝感市", "孝昌县"]


def test_completeness_is_computed_once_per_report(model) -> None:
    completeness = model.info["420700-2021"].completeness
    assert completeness.covered == ("measures", "shortcomings", "first_responsible", "next_year")
    assert completeness.on_time is True
    assert model.info["420700-2019"].completeness.on_time is False
    assert model.info["420921-2019"].completeness.on_time is None


def test_front_matter_places_the_report_when_the_gazetteer_has_no_answer(monkeypatch) -> None:
    monkeypatch.setattr(site_module, "_gazetteer_lineage", lambda code: None)
    county = report("420921-2019", place="孝昌县", place_level="county", parent="孝感市")
    assert lineage(county) == (("420000", "湖北省", "province"), ("420900", "孝感市", "prefecture_city"),
                               ("420921", "孝昌县", "county"))
    municipality = report("500000-2020", place="重庆市", place_level="municipality", province="重庆市")
    assert lineage(municipality) == (("500000", "重庆市", "municipality"),)


def test_report_keeps_the_name_of_its_year() -> None:
    # 海东地区 became 海东市 in 2013; a 2012 report keeps the name it was written under.
    old = report("630200-2012", place="海东地区", place_level="prefecture_city", province="青海省")
    assert lineage(old)[-1] == ("630200", "海东地区", "prefecture_city")


def test_validate_reports_duplicate_slug_bad_adcode_and_unknown_theme() -> None:
    good = report("420700-2021")
    problems = validate({
        "a.md": good,
        "b.md": good,
        "c.md": dataclasses.replace(good, slug="420700-2020", adcode="42070"),
        "d.md": dataclasses.replace(good, slug="420700-2018", themes=("no-such-theme",)),
        "e.md": dataclasses.replace(good, slug="../../etc"),
    })
    lines = [str(p) for p in problems]
    assert len(lines) == 4
    assert lines[0].startswith("b.md: slug '420700-2021' is already used by a.md")
    assert lines[1].startswith("c.md: adcode '42070' is not six digits")
    assert lines[2].startswith("d.md: themes: unknown no-such-theme; use slugs from data/themes.yaml")
    assert lines[3].startswith("e.md: slug '../../etc' is not allowed")


def test_empty_archive_builds_an_empty_model() -> None:
    empty = build_site([])
    assert empty.reports == () and empty.years == () and empty.roots == ()


def test_same_year_list_is_capped_and_nearest_first() -> None:
    counties = [report(f"4207{n:02d}-2021", place=f"县{n}", place_level="county", parent="鄂州市")
                for n in range(1, 21)]
    model = build_site([*counties, report("421001-2021", place="沙市区", place_level="district")])
    info = model.info["420705-2021"]
    assert info.same_year_total == 20
    assert len(info.same_year) == site_module.RELATED_LIMIT
    assert [r.slug[:6] for r in info.same_year[:4]] == ["420704", "420706", "420703", "420707"]
