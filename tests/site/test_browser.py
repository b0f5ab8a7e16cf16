"""The built sites in Debian's Chromium: no overflow at 375 and 1280 px, no console errors,
no request beyond the local server; screenshots go to tests/artifacts/ for a person to look at."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import serve_directory

WIDTHS = (375, 1280)
PAGES = (  # (site fixture, path, screenshot name)
    ("seed_site", "", "home"),
    ("seed_site", "reports/420921-2019/", "report"),
    ("seed_site", "places/420000/", "place"),
    ("seed_site", "themes/dispute-resolution/", "theme"),
    ("seed_site", "themes/dispute-resolution/2023/", "theme-year"),
    ("built_site", "reports/420700-2021/", "report-sample"),
)


@pytest.fixture(scope="module")
def servers(built_site: Path, seed_site: Path) -> Iterator[dict[str, str]]:
    started = {name: serve_directory(site) for name, site in
               (("built_site", built_site), ("seed_site", seed_site))}
    yield {name: url for name, (url, _) in started.items()}
    for _, server in started.values():
        server.shutdown()
        server.server_close()


def visit(browser, url: str, width: int, color_scheme: str = "light", reduced_motion: str = "no-preference"):
    """Open *url*; return the page, console errors and the hosts of every request made."""
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=color_scheme,
                                  reduced_motion=reduced_motion)
    page = context.new_page()
    errors: list[str] = []
    hosts: set[str] = set()
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
    page.goto(url, wait_until="load")
    return context, page, errors, hosts


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("fixture", "path", "name"), PAGES, ids=[p[2] for p in PAGES])
def test_page_fits_loads_cleanly_and_stays_local(browser, servers, artifacts: Path,
                                                 fixture: str, path: str, name: str, width: int) -> None:
    base = servers[fixture]
    context, page, errors, hosts = visit(browser, base + path, width)
    try:
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        page.screenshot(path=str(artifacts / f"site-{name}-{width}.png"), full_page=True)
        stylesheet = page.evaluate("getComputedStyle(document.body).fontFamily")
    finally:
        context.close()
    assert overflow <= 0, f"{path} is {overflow}px wider than the {width}px viewport"
    assert errors == []
    assert hosts == {urlsplit(base).netloc}
    assert "PingFang SC" in stylesheet            # our stylesheet loaded (not blocked by CSP)


@pytest.mark.browser
def test_report_in_dark_mode(browser, servers, artifacts: Path) -> None:
    context, page, errors, _ = visit(browser, servers["seed_site"] + "reports/500000-2020/", 375, "dark")
    try:
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        page.screenshot(path=str(artifacts / "site-report-dark-375.png"), full_page=False)
    finally:
        context.close()
    assert background == "rgb(21, 23, 26)"
    assert errors == []


@pytest.mark.browser
def test_skip_link_is_first_and_visible_on_focus(browser, servers) -> None:
    context, page, _, _ = visit(browser, servers["seed_site"] + "places/", 1280)
    try:
        page.keyboard.press("Tab")
        focused = page.evaluate("[document.activeElement.getAttribute('href'), "
                                "document.activeElement.getBoundingClientRect().top >= 0, "
                                "getComputedStyle(document.activeElement).outlineStyle]")
        page.keyboard.press("Enter")
        target = page.evaluate("document.activeElement.id")
    finally:
        context.close()
    assert focused == ["#main", True, "solid"]
    assert target == "main"


@pytest.mark.browser
def test_table_of_contents_jumps_to_the_section(browser, servers) -> None:
    # Reduced motion: no smooth scrolling, so the position can be read at once.
    context, page, _, _ = visit(browser, servers["built_site"] + "reports/420700-2021/", 375,
                                reduced_motion="reduce")
    try:
        page.click("nav.toc a[href='#s-4']")
        page.wait_for_function("location.hash === '#s-4'")
        top = page.evaluate("document.getElementById('s-4').getBoundingClientRect().top")
    finally:
        context.close()
    assert 0 <= top < 100


@pytest.mark.browser
def test_print_hides_navigation_and_writes_out_link_targets(browser, servers) -> None:
    context, page, errors, _ = visit(browser, servers["built_site"] + "reports/420700-2021/", 1280)
    try:
        page.emulate_media(media="print")
        shown = page.evaluate("""[
            getComputedStyle(document.querySelector('.site-header')).display,
            getComputedStyle(document.querySelector('nav.toc')).display,
            getComputedStyle(document.querySelector('a.external'), '::after').content]""")
    finally:
        context.close()
    assert shown == ["none", "none", '" <https://www.ezhou.gov.cn/>"']
    assert errors == []
