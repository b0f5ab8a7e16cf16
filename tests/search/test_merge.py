"""A shard's changed pages merged into its last bundle (search/merge.py): the index of a clean build."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from lawreport_site.search import finish, shards
from lawreport_site.search.merge import Unmergeable, sort_order, sorts_of, url_of
from lawreport_site.search.index import index_site

from .test_index import tree_differences

SEEDS = Path(__file__).parents[2] / "seeds"
SENTENCES = [sentence for path in sorted(SEEDS.glob("*.txt"))
             for sentence in re.split(r"(?<=[。；])", path.read_text(encoding="utf-8")) if len(sentence) > 8]
PAGE = ('<!doctype html><html lang="zh-Hans"><head><title>{n}</title></head><body>'
        '<article data-pagefind-body><h1 data-pagefind-meta="title">报告{n}</h1>'
        '<span data-pagefind-filter="year:{year}"></span><span data-pagefind-filter="theme:{theme}"></span>'
        '<span data-pagefind-sort="year:{year}"></span><span data-pagefind-sort="published:{published}"></span>'
        '<h2 id="s-1">一、总体情况</h2><p>{text}</p><h2 id="s-2">二、存在问题</h2><p>{more}</p></article>'
        '</body></html>')
PER_SHARD = 12


def page(n: int, edit: int = 0) -> str:
    """A report page of real sentences; pages share years, themes and dates, so sorts have ties."""
    start = (n * 37 + edit * 11) % len(SENTENCES)
    text = "".join(SENTENCES[start:start + 25])
    return PAGE.format(n=n, year=2015 + n % 5, theme="甲乙丙"[n % 3], published=f"20{15 + n % 5}-0{1 + n % 3}-15",
                       text=text, more="".join(SENTENCES[start + 25:start + 35]) or "无")


def write_pages(root: Path, pages: dict[int, str]) -> Path:
    for n, html in pages.items():
        path = root / "reports" / f"{n:03d}" / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    return root


def merges(monkeypatch) -> list[int]:
    """Count the merges made from now on (each merge's new pages)."""
    made: list[int] = []
    real = finish.merge

    def counted(old, old_pages, new, new_sorts, drop, out, workers=1):
        merged = real(old, old_pages, new, new_sorts, drop, out, workers)
        made.append(len(new_sorts))
        return merged
    monkeypatch.setattr(finish, "merge", counted)
    return made


def assert_equals_a_clean_build(tmp_path: Path, site: Path, pages: dict[int, str]) -> None:
    clean = write_pages(tmp_path / f"clean-{len(list(tmp_path.iterdir()))}", pages)
    index_site(clean, cache_dir=clean.with_name(clean.name + "-cache"), per_shard=PER_SHARD)
    assert tree_differences(site / "pagefind", clean / "pagefind") == []


@pytest.mark.parametrize("change", ["add", "edit", "remove", "remove and add", "add several", "edit the first and last"])
def test_a_merged_shard_equals_a_clean_build(tmp_path, monkeypatch, change):
    pages = {n: page(n) for n in range(0, 80, 2)}            # 40 pages, in 4 shards
    site = write_pages(tmp_path / "site", pages)
    index_site(site, cache_dir=tmp_path / "cache", per_shard=PER_SHARD)
    made = merges(monkeypatch)
    shard_of = {n: shards.shard_of(f"reports/{n:03d}/index.html", 4) for n in range(81)}
    if change == "add":
        changed = {41: page(41)}
    elif change == "edit":
        changed = {40: page(40, edit=1)}
    elif change == "remove":
        (site / "reports" / "040" / "index.html").unlink()
        del pages[40]
        changed = {}
    elif change == "remove and add":
        gone = next(n for n in pages if shard_of[n] == shard_of[33])
        (site / "reports" / f"{gone:03d}" / "index.html").unlink()
        del pages[gone]
        changed = {33: page(33)}
    elif change == "add several":
        changed = {n: page(n) for n in (1, 3, 5, 7, 9, 11, 13)}
    else:
        members = sorted(n for n in pages if shard_of[n] == shard_of[0])
        changed = {members[0]: page(members[0], edit=2), members[-1]: page(members[-1], edit=3)}
    pages.update(changed)
    write_pages(site, changed)
    figures = index_site(site, cache_dir=tmp_path / "cache", per_shard=PER_SHARD)
    assert figures["shards"] == 4
    assert made and sum(made) == len(changed) and len(made) == figures["shards_indexed"]
    assert_equals_a_clean_build(tmp_path, site, pages)
    # and the next change merges into the merged bundle
    made.clear()
    write_pages(site, {81: page(81)})
    index_site(site, cache_dir=tmp_path / "cache", per_shard=PER_SHARD)
    assert made == [1]
    assert_equals_a_clean_build(tmp_path, site, {**pages, 81: page(81)})


def test_a_shard_that_cannot_be_merged_is_indexed_in_full(tmp_path, monkeypatch):
    pages = {n: page(n) for n in range(0, 40, 2)}
    site = write_pages(tmp_path / "site", pages)
    index_site(site, cache_dir=tmp_path / "cache", per_shard=PER_SHARD)
    made = merges(monkeypatch)
    # a sort value Pagefind may read as a number (1e5) where the others are dates
    odd = page(41).replace("published:2016-03-15", "published:1e5")
    assert "1e5" in odd
    write_pages(site, {41: odd})
    index_site(site, cache_dir=tmp_path / "cache", per_shard=PER_SHARD)
    assert made == []                                         # refused, indexed in full
    assert_equals_a_clean_build(tmp_path, site, {**pages, 41: odd})


def test_many_changes_are_indexed_in_full(tmp_path, monkeypatch):
    pages = {n: page(n) for n in range(30)}
    site = write_pages(tmp_path / "site", pages)
    index_site(site, cache_dir=tmp_path / "cache", per_shard=PER_SHARD)
    made = merges(monkeypatch)
    monkeypatch.setattr(finish, "MERGE_PAGES", 2)
    edited = {n: page(n, edit=1) for n in range(30)}
    write_pages(site, edited)
    index_site(site, cache_dir=tmp_path / "cache", per_shard=PER_SHARD)
    assert made == []
    assert_equals_a_clean_build(tmp_path, site, edited)


def test_sort_values_are_ordered_as_pagefind_orders_them():
    assert sort_order([(0, "2020"), (1, "300"), (2, "2020"), (3, "-1.5")]) == [3, 1, 0, 2]      # numbers, stable
    assert sort_order([(0, "2020-03-01"), (1, "300"), (2, "2019-12-31")]) == [2, 0, 1]           # strings
    for uncertain in ("1e5", "+3", "-0.0", ".5", "inf", "1234567890"):
        with pytest.raises(Unmergeable):
            sort_order([(0, uncertain), (1, "2020-01-01")])
    assert sort_order([]) == []


def test_only_plain_sort_elements_are_read():
    assert sorts_of('<span data-pagefind-sort="year:2020"></span><b data-pagefind-sort=\'published:2020-01-02\'>') \
        == {"year": "2020", "published": "2020-01-02"}
    assert sorts_of('<span data-pagefind-sort="date[content]" content="2020"></span>') is None
    assert sorts_of('<span data-pagefind-sort="a:1"></span><span data-pagefind-sort="a:2"></span>') is None
    assert sorts_of("<p>无</p>") == {}


def test_urls_are_those_pagefind_gives():
    assert url_of("reports/110101-2020/index.html") == "/reports/110101-2020/"
    assert url_of("index.html") == "/"
    assert url_of("a/b.html") == "/a/b.html"



def test_the_words_merged_in_worker_processes_are_those_merged_here(tmp_path, monkeypatch):
    pages = {n: page(n) for n in range(0, 60, 2)}
    site = write_pages(tmp_path / "site", pages)
    index_site(site, cache_dir=tmp_path / "cache", per_shard=PER_SHARD, workers=2)
    made = merges(monkeypatch)
    added = {n: page(n) for n in (5, 17)}
    write_pages(site, added)
    index_site(site, cache_dir=tmp_path / "cache", per_shard=PER_SHARD, workers=2)
    assert sum(made) == 2
    assert_equals_a_clean_build(tmp_path, site, {**pages, **added})


@pytest.mark.parametrize("record", ["{not json", '["a list"]', '{"pages": [["reports/000/index.html"]]}', "stale"])
def test_a_record_that_is_not_sound_means_a_full_run(tmp_path, monkeypatch, record):
    pages = {n: page(n) for n in range(0, 30, 2)}
    site = write_pages(tmp_path / "site", pages)
    index_site(site, cache_dir=tmp_path / "cache", per_shard=PER_SHARD)
    made = merges(monkeypatch)
    for path in (tmp_path / "cache" / finish.RECORDS).iterdir():
        if record == "stale":            # it lists a page the bundle it names does not hold
            text = path.read_text(encoding="utf-8").replace("reports/0", "reports/9", 1)
            assert "reports/9" in text
            path.write_text(text, encoding="utf-8")
        else:
            path.write_text(record, encoding="utf-8")
    added = {n: page(n) for n in (1, 3, 5)}
    write_pages(site, added)
    index_site(site, cache_dir=tmp_path / "cache", per_shard=PER_SHARD)
    assert made == []
    assert_equals_a_clean_build(tmp_path, site, {**pages, **added})


def test_pages_without_filters_or_sorts_merge_too(tmp_path, monkeypatch):
    def plain(n: int) -> str:
        return re.sub(r'<span data-pagefind-(?:filter|sort)="[^"]*"></span>', "", page(n))
    pages = {n: plain(n) for n in range(0, 30, 2)}
    assert "data-pagefind-sort" not in pages[0] and "data-pagefind-filter" not in pages[0]
    site = write_pages(tmp_path / "site", pages)
    index_site(site, cache_dir=tmp_path / "cache", per_shard=PER_SHARD)
    made = merges(monkeypatch)
    write_pages(site, {7: plain(7)})
    index_site(site, cache_dir=tmp_path / "cache", per_shard=PER_SHARD)
    assert made == [1]
    assert_equals_a_clean_build(tmp_path, site, {**pages, 7: plain(7)})
