"""Search on the five seeds, in Chromium: through Pagefind's JS API and through the /search/ page.

The expected reports are computed from the content files (title and body as strings), never
written down, so the tests stay right when an editor corrects a report.
"""
from __future__ import annotations

import json
import random
import re
from urllib.parse import parse_qs, quote, urlsplit

import opencc
import pytest

from lawreport_site.builder import STATIC_FOLDER, copy_static, write_query_table
from lawreport_site.pages.render import TEMPLATES
from lawreport_site.ingest.convert import to_traditional
from lawreport_site.search.index import index_site
from tests.conftest import serve_directory

pytestmark = pytest.mark.browser

TERMS = ("行政执法", "执法", "调解", "复议", "放管服", "营商环境", "普法", "第一责任人", "重庆", "孝昌")
NO_MATCH_CANDIDATES = ("饕餮", "麒麟", "鳄鱼", "鸵鸟")

# Load Pagefind and merge the shards of the index into its code's bundle, and cut the query, as
# search.js does (static/search-query.js, with its table of traditional characters): what any user
# of Pagefind's JS API on this site does.
_PAGEFIND_JS = """async () => {
    const bundle = new URL("pagefind/", document.baseURI).href;
    for (const name of ["search-t2s.js", "search-query.js"]) {
        await new Promise((resolve, reject) => {
            const script = Object.assign(document.createElement("script"),
                                         {src: new URL("../static/" + name, bundle).href});
            script.onload = resolve;
            script.onerror = reject;
            document.head.append(script);
        });
    }
    const pagefind = await import(bundle + "pagefind.js");
    const shards = await (await fetch(bundle + "lawreport-shards.json")).json();
    // A path, not a URL: Pagefind takes a merged index's base URL from what precedes pagefind/.
    for (const shard of shards.merge) {
        await pagefind.mergeIndex(new URL(shard, bundle).pathname, LawreportSearch.mergeOptions);
    }
    return pagefind;
}"""
_SEARCH_JS = f"""async ([term, options]) => {{
    const pagefind = await ({_PAGEFIND_JS})();
    const search = await pagefind.search(term === null ? null : LawreportSearch.pieces(term), options);
    return Promise.all(search.results.map(result => result.data()));
}}"""


_SEARCH_MANY_JS = f"""async (terms) => {{
    const pagefind = await ({_PAGEFIND_JS})();
    const found = {{}};
    for (const term of terms) {{
        const search = await pagefind.search(LawreportSearch.pieces(term));
        found[term] = await Promise.all(search.results.map(result => result.data().then(d => d.url)));
    }}
    return found;
}}"""
HAN = re.compile("[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]+")
"""A run of the Han characters whose two-character pieces the index guarantees (subwords.HAN)."""


def api_search(page, base: str, term: str, **options) -> list[dict]:
    """Return the data of every result of Pagefind's JS API, best first."""
    page.goto(base)
    return page.evaluate(_SEARCH_JS, [term, options])


def page_results(page, base: str, query: str) -> list[str]:
    """Open /search/?<query>; return the URL of each result shown, best first."""
    page.goto(f"{base}search/?{query}")
    page.wait_for_selector(".pagefind-ui__message:not(:has-text('正在搜索'))", timeout=15000)
    # Predicates are functions: an expression string would be eval'd, which the page's CSP forbids.
    # Results appear as placeholders first and fill in as each one's data arrives.
    page.wait_for_function("""() => {
        const results = [...document.querySelectorAll('.pagefind-ui__result')];
        return results.length ? results.every(r => r.querySelector('.pagefind-ui__result-link'))
            : document.querySelector('.pagefind-ui__message').textContent.includes('没有');
    }""")
    links = page.eval_on_selector_all(".pagefind-ui__result-link",
                                      "links => links.map(a => a.getAttribute('href'))")
    return [urlsplit(link).path for link in links]


@pytest.mark.parametrize("term", TERMS)
def test_api_returns_every_report_holding_the_term(term, seed_search_site, search_base, page):
    expected = seed_search_site.containing(term)
    assert expected, f"no seed contains {term}: the test would prove nothing"
    results = api_search(page, search_base, term)
    urls = [result["url"] for result in results]
    assert expected <= set(urls), f"{term}: missing {expected - set(urls)}"
    assert urls[0] in expected, f"{term}: top result {urls[0]} does not contain it"


@pytest.mark.parametrize(("query", "pieces"), [
    ("放管服", "放管 管服"), ("行政复议", "行政 复议"), ("第一责任人", "第一 责任 任人"),
    ("执法", "执法"), ("法", "法"), (" 行政复议、执法2023年 ", "行政 复议 执法 2023 年"),
    ('"营商环境"', "营商 环境"), ("APP 12345热线", "APP 12345 热线"), ("执法 执法", "执法"),
    ("", ""), ("，。！", ""), ("行政復議", "行政 复议"), ("關於 營商環境", "关于 营商 环境"), ("覆蓋", "覆盖"),
    ("瞭解答覆", "了解 答复"), ("２０１９年 ＡＰＰ １２３４５", "2019 年 APP 12345"),
])
def test_a_query_is_cut_into_the_pieces_the_index_is_made_for(query, pieces, search_base, page):
    page.goto(search_base + "search/")
    assert page.evaluate("query => LawreportSearch.pieces(query)", query) == pieces


def test_any_string_of_a_report_finds_every_report_holding_it(seed_search_site, search_base, page):
    # Strings of one to seven Han characters drawn from the reports at random (fixed seed), where
    # the search page's cutting meets whatever Pagefind's dictionary made of the text.
    rng, strings = random.Random(5), set()
    runs = [run for text in seed_search_site.texts.values() for run in HAN.findall(text)]
    while len(strings) < 80:
        run = rng.choice(runs)
        length = rng.randint(1, min(7, len(run)))
        at = rng.randrange(len(run) - length + 1)
        strings.add(run[at:at + length])
    page.goto(search_base)
    found = page.evaluate(_SEARCH_MANY_JS, sorted(strings))
    missed = {string: seed_search_site.containing(string) - set(found[string]) for string in strings}
    assert not {string: urls for string, urls in missed.items() if urls}


@pytest.mark.parametrize("term", TERMS)
def test_search_page_shows_every_report_holding_the_term(term, seed_search_site, search_base, page):
    expected = seed_search_site.containing(term)
    shown = page_results(page, search_base, f"q={quote(term)}")
    assert expected <= set(shown), f"{term}: missing {expected - set(shown)}"
    assert shown[0] in expected
    assert not page.errors


def test_a_doubled_slash_in_the_address_still_finds_and_links_the_reports(seed_search_site, search_base, page):
    # http://host//search/ : the paths the page derives from its address begin with //, which a
    # browser reads as another host (http://pagefind/pagefind.js).
    expected = seed_search_site.containing("执法")
    shown = page_results(page, search_base + "/", f"q={quote('执法')}")
    assert expected <= set(shown)
    hrefs = page.eval_on_selector_all(".pagefind-ui__result-link", "links => links.map(a => a.href)")
    assert hrefs and all(href.startswith(search_base + "reports/") for href in hrefs), hrefs
    assert page.url == f"{search_base}search/?q={quote('执法')}"       # the address kept, made single
    assert not page.errors


def test_the_index_is_in_shards_merged_by_the_page(seed_search_site, search_base, page):
    merge = json.loads((seed_search_site.root / "pagefind" / "lawreport-shards.json").read_text())["merge"]
    assert merge, "the seed site should exercise merging shards"
    page_results(page, search_base, f"q={quote('执法')}")
    shard_requests = {url for url in page.requests if "/pagefind/shard-" in url}
    assert {f"{search_base}pagefind/{shard}pagefind-entry.json" for shard in merge} <= \
        {url.split("?")[0] for url in shard_requests}


def test_year_filter_narrows_to_that_year(seed_search_site, search_base, page):
    of_2020 = {url for url, year in seed_search_site.years.items() if year == 2020}
    expected = seed_search_site.containing("执法") & of_2020
    assert expected, "no 2020 seed mentions 执法"
    results = api_search(page, search_base, "执法", filters={"year": "2020"})
    assert {result["url"] for result in results} == expected
    shown = page_results(page, search_base, f"q={quote('执法')}&year=2020")
    assert set(shown) == expected


@pytest.mark.parametrize("term", ["行政复议", "第一责任人", "放管服"])
def test_sub_results_link_to_sections_that_exist_and_hold_the_term(term, seed_search_site,
                                                                  search_base, page):
    results = api_search(page, search_base, term)
    holding = 0
    for result in results:
        for sub in result["sub_results"]:
            path, _, anchor = sub["url"].partition("#")
            if not anchor:
                continue
            page.goto(search_base + path.lstrip("/"))
            section = page.evaluate(_SECTION_TEXT_JS, anchor)
            assert section is not None, f"{sub['url']}: no element with id {anchor}"
            holding += term in section
    assert holding, f"no sub-result of {term} links to a section holding it"


# Text from the heading with this id to the next heading that has an id (Pagefind's sub-result).
_SECTION_TEXT_JS = """(id) => {
    const heading = document.getElementById(id);
    if (!heading) return null;
    const headings = [...document.querySelectorAll("[data-pagefind-body] :is(h1,h2,h3,h4,h5,h6)[id]")];
    const next = headings[headings.indexOf(heading) + 1];
    const range = document.createRange();
    range.setStartBefore(heading);
    if (next) range.setEndBefore(next); else range.setEndAfter(heading.closest("[data-pagefind-body]").lastChild);
    const box = document.createElement("div");
    box.append(range.cloneContents());
    return box.textContent.replace(/\\s+/g, "");
}"""


def test_no_match_shows_a_clear_message(seed_search_site, search_base, page):
    term = next(t for t in NO_MATCH_CANDIDATES
                if not any(char in text for text in seed_search_site.texts.values() for char in t))
    assert page_results(page, search_base, f"q={quote(term)}") == []
    assert "没有找到包含“" + term + "”的报告" in page.inner_text(".pagefind-ui__message")


def test_search_page_has_no_errors_and_stays_on_its_host(search_base, page, artifacts):
    page_results(page, search_base, f"q={quote('调解')}")
    page.screenshot(path=str(artifacts / "search-调解.png"), full_page=True)
    hosts = {urlsplit(url).netloc for url in page.requests if not url.startswith("data:")}
    assert hosts == {urlsplit(search_base).netloc}
    assert page.errors == []


def test_excerpts_read_well_and_highlight_the_query(search_base, page):
    page_results(page, search_base, f"q={quote('复议')}")
    excerpts = page.eval_on_selector_all(".pagefind-ui__result-excerpt", "es => es.map(e => e.innerHTML)")
    assert excerpts and not any("\u200b" in e for e in excerpts)
    assert any("<mark>复议</mark>" in e for e in excerpts)


@pytest.mark.parametrize("term", ["行政复议", "营商环境", "放管服"])
def test_excerpts_show_the_query_where_it_is_searched_in_pieces(term, seed_search_site, search_base, page):
    # 行政复议 is searched as 行政 复议, and Pagefind matches each piece as the start of a word: its
    # own excerpt can show them apart. (When Chromium cut the query into 行政 复 议, its excerpt of
    # the Chongqing report showed 复工 and 会议, not 行政复议.)
    page_results(page, search_base, f"q={quote(term)}")
    shown = page.eval_on_selector_all(".pagefind-ui__result", """results => results.map(r => [
        r.querySelector('.pagefind-ui__result-link').getAttribute('href'),
        [...r.querySelectorAll('.pagefind-ui__result-excerpt')].map(e => e.innerHTML)])""")
    holding = seed_search_site.containing(term)
    checked = [(href, excerpt) for href, excerpts in shown if urlsplit(href).path in holding
               for excerpt in excerpts]
    assert len({href for href, _ in checked}) == len(holding)
    for href, excerpt in checked:
        assert f"<mark>{term}</mark>" in re.sub(r"\s", "", excerpt), (href, excerpt)


@pytest.mark.parametrize("term", ["行政复议", "营商环境", "执法"])
def test_a_query_in_traditional_characters_finds_what_the_simplified_one_does(term, seed_search_site,
                                                                               search_base, page):
    # The reports are stored simplified; 行政復議 is read as 行政复议 (t2s_table.py), highlighted
    # as the reports hold it, and kept as typed in the box.
    traditional = to_traditional(term)
    assert traditional != term
    simplified = page_results(page, search_base, f"q={quote(term)}")
    shown = page_results(page, search_base, f"q={quote(traditional)}")
    assert shown == simplified and set(shown) >= seed_search_site.containing(term)
    assert page.input_value(".pagefind-ui__search-input") == traditional
    excerpts = page.eval_on_selector_all(".pagefind-ui__result-excerpt", "es => es.map(e => e.innerHTML)")
    assert any(f"<mark>{term}</mark>" in re.sub(r"\s", "", excerpt) for excerpt in excerpts)
    assert "仅部分字词" not in page.inner_text("#search")
    assert not page.errors


def test_the_page_reads_traditional_text_as_ingest_does(seed_search_site, search_base, page):
    # The seeds written traditional by OpenCC, read back by the page: what ingest's t2s makes of
    # them, phrases included (瞭解 → 了解), which is the seeds again.
    text = "\n".join(seed_search_site.texts.values())
    traditional = to_traditional(text)
    page.goto(search_base + "search/")
    read = page.evaluate("text => LawreportSearch.normalized(text)", traditional)
    assert read == opencc.OpenCC("t2s").convert(traditional) == text


def test_a_report_written_full_width_is_found_by_the_digits_a_reader_types(tmp_path, page):
    # Two pages, one writing its year and hotline full-width (as some portals do), one in ASCII:
    # a query either way finds both (search.half_width, search-query.js).
    for name, text in (("a", "２０１９年度开通１２３４５热线"), ("b", "2019年度开通12345热线")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text(
            f'<!doctype html><html lang="zh-Hans"><head><title>{name}</title></head><body>'
            f'<article data-pagefind-body><h1>报告</h1><p>{text}。</p></article></body></html>', encoding="utf-8")
    (tmp_path / "index.html").write_text("<html><body>首页</body></html>", encoding="utf-8")
    index_site(tmp_path)
    copy_static(tmp_path, STATIC_FOLDER, TEMPLATES)
    write_query_table(tmp_path, STATIC_FOLDER)
    base, server = serve_directory(tmp_path)
    try:
        page.goto(base)
        found = page.evaluate(_SEARCH_MANY_JS, ["2019", "２０１９", "12345", "１２３４５年度", "ＡＰＰ"])
    finally:
        server.shutdown()
        server.server_close()
    both = ["/a/", "/b/"]
    assert {term: sorted(urls) for term, urls in found.items()} == {
        "2019": both, "２０１９": both, "12345": both, "１２３４５年度": both, "ＡＰＰ": []}


def test_url_follows_the_query_and_filters(search_base, page):
    page.goto(search_base + "search/")
    page.fill(".pagefind-ui__search-input", "普法")
    page.wait_for_function("() => location.search.includes('q=')")
    page.wait_for_selector(".pagefind-ui__result")
    page.click(".pagefind-ui__filter-name:has-text('年度')")
    page.check("input.pagefind-ui__filter-checkbox[name='year'] >> nth=0")
    page.wait_for_function("() => location.search.includes('year=')")
    query = parse_qs(urlsplit(page.url).query)
    assert query["q"] == ["普法"] and len(query["year"]) == 1


def test_header_box_leads_to_the_search_page(search_base, page):
    page.goto(search_base + "years/")
    page.fill("#site-search", "孝昌")
    page.press("#site-search", "Enter")
    page.wait_for_url("**/search/?q=*")
    page.wait_for_selector(".pagefind-ui__result")
    assert page.input_value(".pagefind-ui__search-input") == "孝昌"


def test_without_javascript_the_page_says_so_and_offers_browsing(browser, search_base):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(search_base + "search/")
    text = tab.inner_text("main")
    hrefs = tab.eval_on_selector_all("main a", "links => links.map(a => a.getAttribute('href'))")
    context.close()
    assert "需要启用 JavaScript" in text
    assert {"../places/", "../years/", "../themes/"} <= set(hrefs)


def test_every_report_has_the_filters_and_sort_keys(seed_search_site, search_base, page):
    page.goto(search_base)
    filters = page.evaluate(f"""async () => {{
        const pagefind = await ({_PAGEFIND_JS})();
        return pagefind.filters();
    }}""")
    assert {"province", "place", "year", "theme", "doc_type"} <= set(filters)
    assert sum(filters["year"].values()) == len(seed_search_site.texts)
    for key in ("year", "published"):
        results = api_search(page, search_base, None, sort={key: "asc"})
        assert len(results) == len(seed_search_site.texts), f"a report lacks sort key {key}"
    meta = [result["meta"] for result in api_search(page, search_base, None)]
    assert all({"title", "place", "year"} <= set(m) for m in meta)
