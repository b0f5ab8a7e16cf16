"""Where a first query's time goes: each step of a cold search, in Chromium, on one built site.

Usage: python benchmarks/search_anatomy.py SITE [--shards all|first] [--runs 3] [--terms 执法 …]

SITE is a folder with a Pagefind bundle at pagefind/ (ours, or the peer's from benchmarks/run.py).
For each term, in a fresh browser context (empty cache), through Pagefind's JS API:

* import: pagefind.js loaded; init: pagefind/'s entry and meta (ours: an index of no pages) and
  the WebAssembly (pagefind.init() returns at once, so the step waits for an empty search, which
  needs them and fetches nothing more);
* merge: the shards listed in pagefind/lawreport-shards.json (--shards all) merged one after
  another, as Pagefind's UI does, with the options of our search page (static/search-query.js
  and its table of traditional characters, search-t2s.js, fetched in this step; it also cuts the
  query as the page does); with --shards first, the first shard alone; a site without that list
  (the peer's) has one index and merges nothing;
* preload: the index chunks of the query's pieces fetched;
* search 1: the first search(), every byte already in the browser; search 2+: the median of three
  more, the same query again (Chromium has optimised Pagefind's WebAssembly by then);
* data: the data of the first five results (what a results page shows), fetched;
* results: the time to the first results, the sum of the steps but search 2+;
* KB: every response of the query, bodies and headers.

Medians of --runs runs for each step. search_bench.py measures the same cold query as one span,
with recall; this script says which step to blame.
"""
from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_bench import BLANK, CHROMIUM, FIRST_RESULTS, MERGE_SHARDS, TERMS, response_bytes, serve  # noqa: E402

STEPS = ("import", "init", "merge", "preload", "search 1", "search 2+", "data")

STEPPED_QUERY = """async ([term, mergeAll, shown]) => {
  const marks = [performance.now()];
  const mark = () => marks.push(performance.now());
  const pagefind = await import("/pagefind/pagefind.js"); mark();
  await pagefind.init();
  await pagefind.search(""); mark();
  term = (await MERGE_SHARDS(pagefind, mergeAll ? Infinity : 1))(term); mark();
  await pagefind.preload(term); mark();
  let search = await pagefind.search(term); mark();
  const again = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    search = await pagefind.search(term);
    again.push(performance.now() - start);
  }
  again.sort((a, b) => a - b);
  const start = performance.now();
  await Promise.all(search.results.slice(0, shown).map(r => r.data()));
  const steps = marks.slice(1).map((at, i) => at - marks[i]);
  return {steps: [...steps, again[1], performance.now() - start], found: search.results.length};
}""".replace("MERGE_SHARDS", MERGE_SHARDS)


def stepped_query(browser, origin: str, term: str, merge_all: bool) -> dict:
    """Return the time of each of STEPS (ms), the results found and the bytes of a cold query for *term*."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(origin + BLANK)
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    figures = page.evaluate(STEPPED_QUERY, [term, merge_all, FIRST_RESULTS])
    figures["bytes"] = sum(response_bytes(request) for request in finished)
    context.close()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--shards", choices=("all", "first"), default="all")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--terms", nargs="+", default=list(TERMS))
    args = parser.parse_args(argv)
    if not (args.site / "pagefind" / "pagefind.js").exists():
        print(f"{args.site}: no Pagefind bundle at pagefind/", file=sys.stderr)
        return 1
    server = serve(args.site)
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    print(f"{args.site}, shards: {args.shards}; Chromium, localhost, cold cache, median of {args.runs} (ms)\n")
    print("| term | found | " + " | ".join(STEPS) + " | results | KB |")
    print("|---|---:|" + "---:|" * (len(STEPS) + 2))
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            stepped_query(browser, origin, args.terms[0], False)        # warm the server and the disk
            for term in args.terms:
                runs = [stepped_query(browser, origin, term, args.shards == "all") for _ in range(args.runs)]
                steps = [statistics.median(run["steps"][i] for run in runs) for i in range(len(STEPS))]
                steps.append(statistics.median(sum(run["steps"]) - run["steps"][STEPS.index("search 2+")]
                                               for run in runs))
                kb = statistics.median(run["bytes"] for run in runs) / 1024
                print(f"| {term} | {runs[0]['found']:,} | " + " | ".join(f"{ms:,.0f}" for ms in steps)
                      + f" | {kb:,.0f} |", flush=True)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
