"""The search tests build the five seeds once per session, with the Pagefind index, and serve it."""
from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest

from lawreport_site.search import shards
from lawreport_site.cli import main
from lawreport_site.archive.content import from_markdown
from lawreport_site.archive.commonmark import inline_runs, parse, plain_text
from tests.conftest import PROJECT, serve_directory

@dataclass(frozen=True)
class SeedSite:
    root: Path
    """The built site."""
    output: str
    """What `lawreport build` printed."""
    texts: dict[str, str]
    """Report URL (``/reports/<slug>/``) → title and body as plain text, one block a line."""
    years: dict[str, int]
    """Report URL → year reported on."""

    def containing(self, term: str) -> set[str]:
        """Return the URLs of the reports whose title or body holds *term* as a string."""
        return {url for url, text in self.texts.items() if term in text}


def plain_body(body_md: str) -> str:
    """Return every block of a Markdown body as plain text (captions included: they are indexed)."""
    return "\n".join(plain_text(run.inline) for run in inline_runs(parse(body_md)))


SEED_SHARD_PAGES = 3
"""Pages per index shard for the seed site: 5 reports in 2 shards, so every browser test goes
through the merge of shards that a national archive needs (search.shards.PAGES_PER_SHARD)."""


@pytest.fixture(scope="session")
def seed_search_site(tmp_path_factory: pytest.TempPathFactory) -> SeedSite:
    """The five seeds of content/reports built with search as `lawreport build` does, in shards."""
    reports = [from_markdown(path.read_text(encoding="utf-8"), str(path))
               for path in sorted((PROJECT / "content" / "reports").glob("*.md"))]
    if not reports:
        pytest.fail("content/reports/ is empty: run `lawreport ingest` first")
    out = tmp_path_factory.mktemp("search-site") / "public"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), \
            mock.patch.object(shards, "PAGES_PER_SHARD", SEED_SHARD_PAGES):
        status = main(["build", "--content", str(PROJECT / "content"), "--out", str(out),
                       "--seeds", str(PROJECT / "seeds")])
    assert status == 0, printed.getvalue()
    texts = {f"/{r.url}": r.title + "\n" + plain_body(r.body) for r in reports}
    return SeedSite(out, printed.getvalue(), texts, {f"/{r.url}": r.year for r in reports})


@pytest.fixture(scope="session")
def search_base(seed_search_site: SeedSite) -> Iterator[str]:
    """Base URL of the served seed site, ending in /."""
    base_url, server = serve_directory(seed_search_site.root)
    yield base_url
    server.shutdown()
    server.server_close()     # else the listening socket is left to the garbage collector


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    """A fresh page that records console errors, page errors and every requested URL."""
    context = browser.new_context()
    tab = context.new_page()
    tab.errors, tab.requests = [], []
    tab.on("console", lambda message: message.type == "error" and tab.errors.append(message.text))
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.on("request", lambda request: tab.requests.append(request.url))
    yield tab
    context.close()
