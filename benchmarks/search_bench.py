"""Search at scale, ours against the peer: cold first query and recall of domain terms, in Chromium.

Usage: python benchmarks/search_bench.py [--n 10000] [--work /tmp/lawreport-bench] [--runs 3]

Uses the sites benchmarks/run.py left in --work (ours-N and peer-N, both indexed by Pagefind
extended); builds them first when they are missing. Both are served on 127.0.0.1 and queried
through Pagefind's own JS API (pagefind.js), the same calls on both sites, in Debian's Chromium
driven by Playwright. For each term:

* cold query: in a fresh browser context (empty cache), from a blank page of the same origin,
  time from `import("/pagefind/pagefind.js")` until search() resolved and the data of the first
  five results (what a results page shows) loaded, and the bytes of every response meanwhile;
  also when the last byte of code, metas and index chunks arrived (Playwright's request timing):
  the time after it is the search's own work in the browser; median of --runs runs.
* recall: of the reports whose title or body contains the term as a string, the share found.
  Precision is the share of found pages that contain it.
(benchmarks/search.py measures our own search page, UI included, on one site.)
"""
from __future__ import annotations

import argparse
import collections
import functools
import http.server
import re
import statistics
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from lawreport_site.archive.content import from_markdown

CHROMIUM = "/usr/bin/chromium"
TERMS = ("行政复议", "复议", "执法", "营商环境", "放管服", "规范性文件", "第一责任人")
BLANK = "/__bench_blank__.html"
"""Served by the benchmark's handler for both sites, so a query starts from an empty page."""
FIRST_RESULTS = 5

# Our index is split into shards listed in pagefind/lawreport-shards.json (search/shards.py), merged and
# queried as our search page does (static/search-query.js, after search-t2s.js, its table of
# traditional characters: the query cut into pieces, the shards merged with its options); a site
# without that file (the peer's) has one index, queried as its search page would, with Pagefind's
# defaults. Resolves to the function that makes a query of a term.
MERGE_SHARDS = """(async (pagefind, most = Infinity) => {
  const listed = await fetch("/pagefind/lawreport-shards.json");
  if (!listed.ok) return term => term;
  for (const src of ["/static/search-t2s.js", "/static/search-query.js"]) {
    await new Promise((resolve, reject) => {
      const script = Object.assign(document.createElement("script"), {src});
      script.onload = resolve;
      script.onerror = () => reject(new Error(`no ${src} beside the shards`));
      document.head.append(script);
    });
  }
  const shards = (await listed.json()).merge.slice(0, most);
  for (const shard of shards) await pagefind.mergeIndex("/pagefind/" + shard, LawreportSearch.mergeOptions);
  return LawreportSearch.pieces;
})"""
LOAD_PAGEFIND = """(async () => {
  const pagefind = await import("/pagefind/pagefind.js");
  const query = await MERGE_SHARDS(pagefind);
  return {pagefind, query};
})""".replace("MERGE_SHARDS", MERGE_SHARDS)

COLD_QUERY = """async ([term, shown]) => {
  const start = performance.now();
  const {pagefind, query} = await LOAD_PAGEFIND();
  const search = await pagefind.search(query(term));
  const searched = performance.now();
  await Promise.all(search.results.slice(0, shown).map(r => r.data()));
  return {search_ms: searched - start, shown_ms: performance.now() - start, found: search.results.length,
          start_epoch_ms: performance.timeOrigin + start};
}"""

# Every result's data, 100 at a time: thousands of fetches at once fail ("Failed to fetch").
ALL_URLS = """async (term) => {
  const {pagefind, query} = await LOAD_PAGEFIND();
  const search = await pagefind.search(query(term));
  const urls = [];
  for (let i = 0; i < search.results.length; i += 100) {
    const batch = search.results.slice(i, i + 100);
    urls.push(...await Promise.all(batch.map(r => r.data().then(d => d.url))));
  }
  return urls;
}"""
COLD_QUERY, ALL_URLS = (script.replace("LOAD_PAGEFIND()", LOAD_PAGEFIND + "()") for script in (COLD_QUERY, ALL_URLS))


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".js": "text/javascript", ".pf_meta": "application/octet-stream"}

    def do_GET(self) -> None:  # noqa: N802
        if self.path == BLANK:
            body = b"<!doctype html><html lang=zh-Hans><title>bench</title></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def serve(site: Path) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def cold_query(browser, origin: str, term: str) -> dict:
    """Return the timings and bytes of *term* as the first query in an empty browser context."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(origin + BLANK)
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    figures = page.evaluate(COLD_QUERY, [term, FIRST_RESULTS])
    figures["kinds"] = collections.Counter()
    figures["data_ms"] = 0.0
    for request in finished:
        kind = kind_of(request.url)
        figures["kinds"][kind] += response_bytes(request)
        if kind in ("code", "meta", "index") and request.timing["responseEnd"] >= 0:
            arrived = request.timing["startTime"] + request.timing["responseEnd"] - figures["start_epoch_ms"]
            figures["data_ms"] = max(figures["data_ms"], arrived)
    figures["bytes"] = sum(figures["kinds"].values())
    context.close()
    return figures


def response_bytes(request) -> int:
    """Return the bytes of a finished request's response, body and headers."""
    sizes = request.sizes()
    return sizes["responseBodySize"] + sizes["responseHeadersSize"]


def kind_of(url: str) -> str:
    """Return what a response of Pagefind's is: code, index, meta (and entries), fragment, filter."""
    for ending, kind in ((".pf_index", "index"), (".pf_fragment", "fragment"), (".pf_filter", "filter"),
                         (".pf_meta", "meta"), (".json", "meta"), (".js", "code"), (".pagefind", "code")):
        if url.split("?")[0].endswith(ending):
            return kind
    return "other"


def found_slugs(browser, origin: str, term: str) -> set[str]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(origin + BLANK)
    urls = page.evaluate(ALL_URLS, term)
    context.close()
    return {match.group(1) for url in urls if (match := re.search(r"reports/([^/]+)/", url))}


def truth(site: Path, corpus: Path, terms: tuple[str, ...]) -> dict[str, set[str]]:
    """Return term → slugs of the site's reports whose title or body holds the term."""
    slugs = [p.parent.name for p in (site / "reports").glob("*/index.html")]
    holding: dict[str, set[str]] = {term: set() for term in terms}
    for slug in slugs:
        path = corpus / "reports" / f"{slug}.md"
        report = from_markdown(path.read_text(encoding="utf-8"), str(path))
        text = report.title + "\n" + report.body
        for term in terms:
            if term in text:
                holding[term].add(slug)
    return holding


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/lawreport-bench"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--terms", nargs="+", default=list(TERMS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-build", action="store_true", help="measure only the sites that exist")
    args = parser.parse_args(argv)
    # Here, not at the top: run.py needs the bench extra (psutil), and search_anatomy.py, which
    # the test suite runs, takes this module's server and helpers.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from run import Bench
    bench = Bench(args.work, args.n, args.seed)
    sites = {"ours": bench.ours, "peer": bench.peer}
    missing = [who for who, site in sites.items() if not (site / "pagefind" / "pagefind.js").exists()]
    if missing and args.no_build:
        print(f"Not measured, no indexed site in {args.work}: {', '.join(missing)}")
        sites = {who: site for who, site in sites.items() if who not in missing}
    elif missing:
        print(f"Building {', '.join(missing)} for N = {args.n:,} first (as benchmarks/run.py does)", flush=True)
        if not bench.content.exists():
            bench.prepare()
        if "ours" in missing:
            bench.ours_build(bench.ours, search=True)
        if "peer" in missing:
            bench.peer_build(search=True)
    terms = tuple(args.terms)
    expected = {who: truth(site, bench.corpus, terms) for who, site in sites.items()}
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for who, site in sites.items():
            server = serve(site)
            origin = f"http://127.0.0.1:{server.server_address[1]}"
            cold_query(browser, origin, terms[0])                    # warm the server and the disk
            for term in terms:
                runs = [cold_query(browser, origin, term) for _ in range(args.runs)]
                found = found_slugs(browser, origin, term)
                holding = expected[who][term]
                rows.append((term, who, statistics.median(r["bytes"] for r in runs) / 1024,
                             statistics.median(r["data_ms"] for r in runs),
                             statistics.median(r["shown_ms"] for r in runs), len(holding), len(found),
                             len(found & holding) / len(holding) if holding else float("nan"),
                             len(found & holding) / len(found) if found else float("nan")))
                kinds = ", ".join(f"{kind} {size / 1024:.0f}" for kind, size in runs[0]["kinds"].most_common())
                print(f"  {who} {term}: {rows[-1][2]:.0f} KB ({kinds}), index in at {rows[-1][3]:.0f} ms, "
                      f"results at {rows[-1][4]:.0f} ms, recall {rows[-1][7]:.1%}", flush=True)
            server.shutdown()
            server.server_close()
        browser.close()
    print(f"\nSearch at N = {args.n:,} (sites in {args.work}), Chromium, localhost, cold cache, "
          f"median of {args.runs}; time = import pagefind.js → first {FIRST_RESULTS} results' data loaded; "
          "index in = the last byte of code, metas and index chunks arrived (the rest is the search's own work)\n")
    print("| term | site | first query KB | index in ms | time to first results ms | reports holding it | found "
          "| recall | precision |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for term, who, kb, data_ms, ms, holding, found, recall, precision in rows:
        print(f"| {term} | {who} | {kb:,.0f} | {data_ms:,.0f} | {ms:,.0f} | {holding:,} | {found:,} | {recall:.1%} "
              f"| {precision:.1%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
