"""Measure one search on the built site: bytes transferred and time until the first result shows.

    python benchmarks/search.py [--site public] [--query 行政复议] [--runs 7]

Builds the project's content into a temporary folder when --site is not given. Each run opens
/search/?q=<query> in a fresh Chromium context (empty cache) on a local server and waits for the
first result link; prints the median and range over the runs. Timing is from navigation start.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import io
import statistics
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import sync_playwright

PROJECT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".js": "text/javascript"}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def build(out: Path) -> None:
    from lawreport_site.cli import main
    with contextlib.redirect_stdout(io.StringIO()):
        status = main(["build", "--content", str(PROJECT / "content"), "--out", str(out),
                       "--seeds", str(PROJECT / "seeds"), "--templates", str(PROJECT / "templates")])
    if status:
        sys.exit(f"the build failed (exit {status}); run `lawreport build` to see why")


def measure(browser, url: str) -> tuple[int, float, dict[str, int]]:
    """Return (bytes over the wire, ms to the first result, bytes per kind) for one page load."""
    context = browser.new_context()
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(url)
    page.wait_for_selector(".pagefind-ui__result-link", timeout=30000)
    first = page.evaluate("() => performance.now()")
    page.wait_for_load_state("networkidle")
    kinds: dict[str, int] = {}
    for request in finished:
        sizes = request.sizes()
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        kind = _kind(request.url)
        kinds[kind] = kinds.get(kind, 0) + size
    context.close()
    return sum(kinds.values()), first, kinds


def _kind(url: str) -> str:
    name = url.rsplit("/", 1)[-1].split("?")[0]
    for marker in ("pf_index", "pf_fragment", "pf_filter", "pf_meta", "wasm", "pagefind-ui",
                   "pagefind-worker", "pagefind.js"):
        if marker in name:
            return marker
    return "page and site files"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build content/ now)")
    parser.add_argument("--query", default="行政复议")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        site = args.site or Path(scratch) / "public"
        if not args.site:
            build(site)
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/search/?q={quote(args.query)}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            measure(browser, url)                                   # warm up the server and disk
            runs = [measure(browser, url) for _ in range(args.runs)]
            browser.close()
        server.shutdown()
        server.server_close()
    sizes, times = [r[0] for r in runs], [r[1] for r in runs]
    print(f"query {args.query!r}, {args.runs} runs, cold cache, local server")
    print(f"bytes transferred: median {statistics.median(sizes) / 1024:.1f} KiB "
          f"(min {min(sizes) / 1024:.1f}, max {max(sizes) / 1024:.1f})")
    print(f"time to first result: median {statistics.median(times):.0f} ms "
          f"(min {min(times):.0f}, max {max(times):.0f})")
    kinds = runs[len(runs) // 2][2]
    print("by kind (one run): " + ", ".join(f"{kind} {size / 1024:.1f} KiB"
                                            for kind, size in sorted(kinds.items(), key=lambda kv: -kv[1])))


if __name__ == "__main__":
    main()
