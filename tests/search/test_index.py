"""index_site in shards, through the Pagefind binary: merge list, cache, incremental = clean."""
from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lawreport_site.build import parallel
from lawreport_site.search import copy as search_copy
from lawreport_site.search import finish, head_start, pagefind, pages, shards
from lawreport_site.search import index as search
from lawreport_site.search.bundle import read_bundle
from lawreport_site.search.copy import half_width, index_copy
from lawreport_site.search.finish import RECORDS
from lawreport_site.search.index import index_site
from lawreport_site.search.pagefind import LANGUAGE, SearchError
from lawreport_site.search.pages import DIGESTS
from lawreport_site.search.shards import SHARDS_FILE, shard_count, shard_folder, shard_of, shards_json, split_shards
from lawreport_site.search.subwords import term_codes

PAGE = ('<!doctype html><html lang="zh-Hans"><head><title>{n}</title></head><body>'
        '<article data-pagefind-body><h1 data-pagefind-meta="title">报告{n}</h1>'
        '<span data-pagefind-filter="year:{year}"></span><span data-pagefind-filter="theme:{theme}">'
        '</span><span data-pagefind-sort="year:{year}"></span>'
        '<h2 id="s-1">一、总体情况</h2><p>推进行政复议，第{n}号{text}。</p></article></body></html>')


def write_site(root: Path, texts: dict[int, str], around: str = "") -> Path:
    """Write one report page per number into root/reports/<n>/index.html, with *around* after
    the article (as the related-report lists are), and a home page."""
    for n, text in texts.items():
        page = root / "reports" / f"r{n}" / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        html = PAGE.format(n=n, year=2015 + n % 4, theme="甲乙丙丁"[n % 4], text=text)
        page.write_text(html.replace("</body>", around + "</body>"), encoding="utf-8")
    (root / "index.html").write_text("<html><body>首页</body></html>", encoding="utf-8")
    return root


def tree_differences(left: Path, right: Path) -> list[str]:
    """Return the relative paths that are missing on one side or differ in content."""
    def walk(cmp: filecmp.dircmp, prefix: str) -> list[str]:
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        found = [prefix + name for name in cmp.left_only + cmp.right_only + mismatch + errors]
        for name, sub in cmp.subdirs.items():
            found += walk(sub, f"{prefix}{name}/")
        return found
    return walk(filecmp.dircmp(left, right), "")


def test_shard_count_keeps_shards_under_the_page_limit():
    assert [shard_count(n, 700) for n in (1, 700, 701, 10_000, 30_000)] == [1, 1, 2, 15, 43]


def test_shards_are_stable_and_balanced():
    pages = [f"reports/{n}-2020/index.html" for n in range(2000)]
    shards = [shard_of(page, 4) for page in pages]
    assert shards == [shard_of(page, 4) for page in pages]
    assert all(400 < shards.count(n) < 600 for n in range(4))


def test_no_shard_is_empty():
    pages = {f"reports/{n}/index.html": "digest" for n in range(3)}
    assert [len(shard) for shard in split_shards(pages, 3)] in ([1, 1, 1], [2, 1], [1, 2], [3])
    assert sum(map(len, split_shards(pages, 8))) == 3


def test_every_shard_is_a_folder_of_the_bundle_and_listed():
    assert shard_folder(0) == "shard-0/" and shard_folder(2) == "shard-2/"
    assert shards_json(3) == '{"merge": ["shard-0/", "shard-1/", "shard-2/"]}\n'
    assert shards_json(1) == '{"merge": ["shard-0/"]}\n'


def test_shards_are_bundles_inside_the_one_of_the_code(tmp_path):
    site = write_site(tmp_path / "site", {n: "办理案件" for n in range(9)})
    figures = index_site(site, cache_dir=tmp_path / "cache", per_shard=2)
    # 5 shards planned, one of them empty with these names
    assert figures["shards"] == 4 and figures["shards_indexed"] == 4 and figures["pages"] == 9
    bundle = site / "pagefind"
    assert (bundle / SHARDS_FILE).read_text() == shards_json(4)
    page_counts = []
    for shard in ("shard-0", "shard-1", "shard-2", "shard-3"):
        entry, language, meta = read_bundle(bundle / shard)
        page_counts.append(entry["languages"][language]["page_count"])
        assert len(meta[1]) == page_counts[-1] > 0
        assert not list((bundle / shard).glob("*.js")), "a shard uses the code in pagefind/"
    assert sum(page_counts) == 9
    # pagefind/ holds the code, and an index of no pages in the shards' language and version
    entry, language, meta = read_bundle(bundle)
    assert (entry["version"], language) == (read_bundle(bundle / "shard-0")[0]["version"], LANGUAGE)
    assert entry["languages"][language]["page_count"] == 0 and meta[1:] == [[], [], [], [], []]
    assert (bundle / "pagefind-ui.js").is_file() and (bundle / "pagefind.js").is_file()
    assert list(bundle.glob("wasm.*"))
    assert not (bundle / "index").exists() and not (bundle / "fragment").exists()


def test_an_incremental_index_equals_a_clean_one(tmp_path, monkeypatch):
    texts = {n: "办理案件" for n in range(6)}
    site = write_site(tmp_path / "site", texts)
    index_site(site, cache_dir=tmp_path / "cache", per_shard=2)
    write_site(site, {2: "规范性文件备案审查"})               # one report edited
    searched = []
    monkeypatch.setattr(finish, "term_codes", lambda content: searched.append(content) or term_codes(content))
    incremental = index_site(site, cache_dir=tmp_path / "cache", per_shard=2)
    assert incremental["shards_indexed"] == 1
    # Its shard is merged: the terms of the edited page alone are found.
    assert len(searched) == 1 and "规范性文件备案审查" in searched[0].replace("\u200b", "")
    monkeypatch.undo()
    clean_site = write_site(tmp_path / "clean", {**texts, 2: "规范性文件备案审查"})
    clean = index_site(clean_site, cache_dir=tmp_path / "clean-cache", per_shard=2)
    assert clean["shards_indexed"] == clean["shards"] == incremental["shards"] >= 2
    assert tree_differences(site / "pagefind", clean_site / "pagefind") == []


def test_work_in_worker_processes_gives_the_same_index(tmp_path, monkeypatch):
    texts = {n: "办理案件" * (n + 1) for n in range(6)}
    serial = write_site(tmp_path / "serial", texts)
    index_site(serial, cache_dir=tmp_path / "serial-cache", per_shard=2)
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)
    forked = write_site(tmp_path / "forked", texts)
    index_site(forked, cache_dir=tmp_path / "forked-cache", per_shard=2, workers=2)
    assert tree_differences(serial / "pagefind", forked / "pagefind") == []
    # (the pages are read and the shards finished in worker processes, not here and in a thread)
    # and a rebuild after an edit, which reads the edited page only, equals a clean build
    write_site(forked, {3: "规范性文件备案审查"})
    index_site(forked, cache_dir=tmp_path / "forked-cache", per_shard=2, workers=2)
    write_site(serial, {3: "规范性文件备案审查"})
    index_site(serial, cache_dir=tmp_path / "serial-cache-2", per_shard=2)
    assert tree_differences(serial / "pagefind", forked / "pagefind") == []


def test_the_index_copy_holds_the_body_and_the_filters_only():
    page = ('<html><head><title>t</title></head><body><nav>导航 <a href="/">首页</a></nav>'
            '<div hidden data-pagefind-ignore><span data-pagefind-filter="year:2020"></span></div>'
            '<span data-pagefind-meta="place">西城区</span>'
            '<main><article data-pagefind-body><h1>标题</h1>'
            '<aside data-pagefind-ignore>目录<span data-pagefind-sort="year:2020"></span></aside>'
            '<div data-pagefind-ignore="all">全略<span data-pagefind-filter="x:y"></span></div>'
            '<p>正文<br>第二行</p></article><section>同省其他报告</section></main></body></html>')
    copy = index_copy(page)
    for kept in ('<span data-pagefind-filter="year:2020"></span>',
                 '<span data-pagefind-meta="place">西城区</span>',
                 '<article data-pagefind-body><h1>标题</h1>', '<span data-pagefind-sort="year:2020"></span>',
                 '<p>正文<br>第二行</p></article>'):
        assert kept in copy
    for dropped in ("导航", "首页", "目录", "全略", "x:y", "同省其他报告", "<title>"):
        assert dropped not in copy
    assert index_copy("<html><body><p>没有搜索正文</p></body></html>") == ""


def test_the_index_copy_has_full_width_letters_and_digits_in_ascii():
    # As the search page reads a query: a year written ２０１９ is found by 2019 and the other way
    # round. Full-width punctuation is Chinese prose's and stays.
    page = ('<body><article data-pagefind-body><h1>２０１９年度报告</h1>'
            '<p>开通１２３４５热线（ＡＰＰ、ｗｅｂ），推进“放管服”。</p></article></body>')
    copy = index_copy(page)
    assert "<h1>2019年度报告</h1>" in copy and "<p>开通12345热线（APP、web），推进“放管服”。</p>" in copy
    assert half_width("无全角字母") == "无全角字母" and half_width("０９ＡＺａｚ") == "09AZaz"


def test_a_script_or_comment_in_the_body_is_copied_as_it_is():
    # Their content is not markup: a tag or attribute written in it opens and hides nothing.
    page = ('<body><article data-pagefind-body><p>前文</p>'
            '<script>var s = "<div data-pagefind-ignore>";</script><!-- <aside data-pagefind-ignore> -->'
            '<p>后文</p></article><p>页脚</p></body>')
    copy = index_copy(page)
    assert '<p>前文</p><script>var s = "<div data-pagefind-ignore>";</script>' in copy
    assert "<!-- <aside data-pagefind-ignore> --><p>后文</p></article>" in copy and "页脚" not in copy


def test_the_index_of_the_copies_is_the_index_of_the_pages(tmp_path):
    site = write_site(tmp_path / "site", {n: "办理案件" for n in range(3)},
                      around="<footer>页脚 执法</footer>")
    index_site(site, cache_dir=tmp_path / "cache")
    copies = tmp_path / "copies"
    for page in site.glob("reports/*/index.html"):
        target = copies / page.relative_to(site)
        target.parent.mkdir(parents=True)
        target.write_text(index_copy(page.read_text(encoding="utf-8")), encoding="utf-8")
    index_site(copies, cache_dir=tmp_path / "copies-cache")
    assert tree_differences(site / "pagefind", copies / "pagefind") == []


def test_an_added_report_re_indexes_its_shard_only(tmp_path):
    texts = {n: "办理案件" for n in range(8)}
    site = write_site(tmp_path / "site", texts, around="<ul><li>r0</li></ul>")
    first = index_site(site, cache_dir=tmp_path / "cache", per_shard=3)
    # The new report changes what every page lists around its article, but no article.
    texts[8] = "规范性文件备案审查"
    write_site(site, texts, around="<ul><li>r0</li><li>r8</li></ul>")
    added = index_site(site, cache_dir=tmp_path / "cache", per_shard=3)
    assert added["shards"] == first["shards"] >= 2 and added["shards_indexed"] == 1


def test_the_cache_keeps_only_the_shards_in_use(tmp_path):
    site = write_site(tmp_path / "site", {n: "办理案件" for n in range(4)})
    index_site(site, cache_dir=tmp_path / "cache", per_shard=2)
    write_site(site, {n: "规范性文件" for n in range(4)})
    index_site(site, cache_dir=tmp_path / "cache", per_shard=2)
    shards = [entry for entry in (tmp_path / "cache").iterdir() if entry.name not in (DIGESTS, RECORDS)]
    assert len(shards) == 2
    assert sorted(entry.name for entry in (tmp_path / "cache" / RECORDS).iterdir()) == ["0", "1"]
    index_site(site, cache_dir=tmp_path / "cache", per_shard=4)          # one shard now
    assert [entry.name for entry in (tmp_path / "cache" / RECORDS).iterdir()] == ["0"]


def test_a_shard_indexed_again_reads_its_changed_pages_only(tmp_path, monkeypatch):
    texts = {n: "办理案件" for n in range(6)}
    site = write_site(tmp_path / "site", texts)
    index_site(site, cache_dir=tmp_path / "cache", per_shard=3)
    read = []
    copy_page = pages.copy_page
    monkeypatch.setattr(pages, "copy_page", lambda root, relative: read.append(relative) or copy_page(root, relative))
    write_site(site, {2: "规范性文件备案审查"})
    index_site(site, cache_dir=tmp_path / "cache", per_shard=3)
    assert read == []            # the edited page was read to find its digest; the others remembered
    # Indexed in full, the shard's other pages are read again, to the same index.
    clean = write_site(tmp_path / "clean", {**texts, 2: "规范性文件备案审查"})
    index_site(clean, cache_dir=tmp_path / "clean-cache", per_shard=3)
    assert tree_differences(site / "pagefind", clean / "pagefind") == []
    monkeypatch.setattr(finish, "MERGE_PAGES", 0)
    write_site(site, {2: "规范性文件备案审查与清理"})
    index_site(site, cache_dir=tmp_path / "cache", per_shard=3)
    assert read and "reports/r2/index.html" not in read
    write_site(clean, {2: "规范性文件备案审查与清理"})
    index_site(clean, cache_dir=tmp_path / "clean-cache", per_shard=3)
    assert tree_differences(site / "pagefind", clean / "pagefind") == []


def test_a_pagefind_failure_is_one_line(tmp_path, monkeypatch):
    site = write_site(tmp_path / "site", {1: "办理案件"})
    monkeypatch.setattr("lawreport_site.search.pagefind.LANGUAGE", "--no-such-option")
    with pytest.raises(SearchError, match="Pagefind could not index") as caught:
        index_site(site, cache_dir=tmp_path / "cache")
    assert "\n" not in str(caught.value)


def test_a_failure_among_several_shards_stops_them_all_and_leaves_no_work(tmp_path, monkeypatch):
    site = write_site(tmp_path / "site", {n: "办理案件" for n in range(8)})
    monkeypatch.setattr("lawreport_site.search.pagefind.LANGUAGE", "--no-such-option")
    (memory := tmp_path / "memory").mkdir()                 # stands for /dev/shm
    monkeypatch.setattr("lawreport_site.search.pagefind.SHARED_MEMORY", str(memory))
    with pytest.raises(SearchError, match="Pagefind could not index"):
        index_site(site, cache_dir=tmp_path / "cache", per_shard=2, workers=2)
    # What the pages gave (their digests) stays for the next build; no shard's work does.
    assert [entry.name for entry in (tmp_path / "cache").iterdir() if entry.name != DIGESTS] == []
    assert not (site / "pagefind").exists()
    assert list(memory.iterdir()) == []


def test_the_cached_shards_are_placed_in_the_first_run_and_gone_if_it_fails(tmp_path, monkeypatch):
    site = write_site(tmp_path / "site", {n: "办理案件" for n in range(6)})
    index_site(site, cache_dir=tmp_path / "cache", per_shard=2)
    shutil.rmtree(site / "pagefind")
    write_site(site, {2: "规范性文件备案审查"})                # one shard to index again
    wait, placed = pagefind.PagefindRun.wait, []

    def look_then_fail(run):
        placed.extend(path for path in (site / "pagefind").rglob("*") if path.is_file())
        wait(run)
        raise SearchError("Pagefind could not index: stopped by the test")

    monkeypatch.setattr(pagefind.PagefindRun, "wait", look_then_fail)
    with pytest.raises(SearchError):
        index_site(site, cache_dir=tmp_path / "cache", per_shard=2)
    assert placed                                           # the other shards, during the run
    assert not (site / "pagefind").exists()                 # and no half index after it failed


def test_a_page_rewritten_to_the_same_size_is_read_again(tmp_path):
    # Page digests are remembered by path, size, mtime and inode: a new text of the same length
    # written in place (same inode, same size) is still seen by its mtime.
    site = write_site(tmp_path / "site", {n: "办理案件" for n in range(4)})
    index_site(site, cache_dir=tmp_path / "cache", per_shard=2)
    page = site / "reports" / "r1" / "index.html"
    before = page.stat()
    write_site(site, {1: "备案审查"})
    assert page.stat().st_size == before.st_size and page.stat().st_ino == before.st_ino
    again = index_site(site, cache_dir=tmp_path / "cache", per_shard=2)
    assert again["shards_indexed"] == 1


def test_an_index_made_over_an_older_one_equals_a_clean_one(tmp_path):
    # As in a spare site (staging.py): the folder holds the index of two builds ago, whose
    # files are hard links into the cache. Fewer shards now: the extra ones must go.
    texts = {n: "办理案件" for n in range(6)}
    site = write_site(tmp_path / "site", texts)
    index_site(site, cache_dir=tmp_path / "cache", per_shard=2)
    assert (site / "pagefind" / shard_folder(1)).is_dir()
    (site / "pagefind" / "stale.json").write_text("{}", encoding="utf-8")
    write_site(site, {2: "规范性文件备案审查"})
    index_site(site, cache_dir=tmp_path / "cache", per_shard=4)
    clean_site = write_site(tmp_path / "clean", {**texts, 2: "规范性文件备案审查"})
    index_site(clean_site, cache_dir=tmp_path / "clean-cache", per_shard=4)
    assert tree_differences(site / "pagefind", clean_site / "pagefind") == []
    assert not (site / "pagefind" / shard_folder(2)).exists()


def test_the_first_run_starts_once_its_shards_pages_are_read(tmp_path, monkeypatch):
    site = write_site(tmp_path / "site", {n: "办理案件" for n in range(9)})
    read, at_runs = [], []
    read_page, start = pages.read_page, pagefind.PagefindRun.__init__
    monkeypatch.setattr(pages, "read_page", lambda item: read.append(item[0]) or read_page(item))

    def counting_start(run, *args):
        at_runs.append(len(read))
        start(run, *args)

    monkeypatch.setattr(pagefind.PagefindRun, "__init__", counting_start)
    figures = index_site(site, cache_dir=tmp_path / "cache", per_shard=3)
    assert figures["shards_indexed"] == len(at_runs) == figures["shards"] >= 2
    # The first shard's copies were made before the first run, the next one's during it, and so on.
    assert 0 < at_runs[0] < at_runs[1] <= at_runs[-1] == len(read) == 9
    assert all("index.html\t" in seen and seen.startswith("reports/") for seen in read)   # not the home page


@pytest.mark.parametrize("workers", [1, 2])
def test_runs_at_once_give_the_index_of_one_at_a_time(tmp_path, monkeypatch, workers):
    texts = {n: ("办理案件", "规范性文件备案审查", "行政复议")[n % 3] for n in range(8)}
    site = write_site(tmp_path / "site", texts)
    start, wait, alive = pagefind.PagefindRun.__init__, pagefind.PagefindRun.wait, [0]
    at_starts = []

    def counting_start(run, *args):
        alive[0] += 1
        at_starts.append(alive[0])
        start(run, *args)

    def counting_wait(run):
        wait(run)
        alive[0] -= 1

    monkeypatch.setattr(pagefind.PagefindRun, "__init__", counting_start)
    monkeypatch.setattr(pagefind.PagefindRun, "wait", counting_wait)
    figures = index_site(site, cache_dir=tmp_path / "cache", per_shard=2, workers=workers)
    assert figures["shards_indexed"] == len(at_starts) >= 3
    assert max(at_starts) == (search.RUNS if workers > 1 else 1)
    monkeypatch.undo()
    alone = write_site(tmp_path / "alone", texts)
    index_site(alone, cache_dir=tmp_path / "alone-cache", per_shard=2, workers=1)
    assert tree_differences(site / "pagefind", alone / "pagefind") == []


@given(st.text(" \t\n\u3000\u00a0\u0085<>=/\"a", max_size=4), st.text(" \t\n\u3000\u00a0\u0085<>=/\"a", max_size=4))
def test_a_page_has_a_body_in_bytes_as_in_text(before, after):
    page = f"{before}data-pagefind-body{after}"             # what decides it is around the marker
    assert (search_copy.BODY_BYTES.search(page.encode("utf-8")) is None) == (search_copy.BODY.search(page) is None)


def test_a_head_start_that_cannot_begin_is_none_and_leaves_nothing(tmp_path, monkeypatch):
    site = write_site(tmp_path / "site", {n: "办理案件" for n in range(3)})
    index_site(site, cache_dir=tmp_path / "cache")
    pages = [f"reports/r{n}/index.html" for n in range(3)]
    edited = {pages[1]: (site / pages[1]).read_text(encoding="utf-8").replace("办理案件", "备案审查")}
    (memory := tmp_path / "memory").mkdir()                 # stands for /dev/shm
    monkeypatch.setattr(pagefind, "SHARED_MEMORY", str(memory))
    assert head_start.head_start(site, pages, {}, cache_dir=tmp_path / "cache") is None      # all cached
    assert head_start.head_start(site, pages, edited, cache_dir=tmp_path / "nowhere") is None  # nothing remembered
    assert head_start.head_start(site, pages, dict.fromkeys(pages, "<p>无正文</p>"), cache_dir=tmp_path / "nowhere") is None

    def missing():
        raise SearchError("Pagefind's extended build is not installed")

    monkeypatch.setattr(head_start, "pagefind_executable", missing)
    assert head_start.head_start(site, pages, edited, cache_dir=tmp_path / "cache") is None
    assert list(memory.iterdir()) == []
    assert not [entry for entry in (tmp_path / "cache").iterdir() if entry.name.startswith("work-")]
    monkeypatch.undo()
    head = head_start.head_start(site, pages, edited, cache_dir=tmp_path / "cache")
    assert head is not None and head.number == shards.shard_of(pages[1], 1)
    head.close()
    assert head.run is None and not head.read.exists() and not head.work.exists()
