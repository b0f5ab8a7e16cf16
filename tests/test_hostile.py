"""No input can put script into a reader's browser, and a build failing midway loses nothing."""
import argparse
import hashlib
import shutil
from pathlib import Path

import lxml.html
import pytest
from jinja2 import ChoiceLoader, DictLoader, FileSystemLoader

from lawreport_site import builder
from lawreport_site.pages import render
from lawreport_site.build.cache import CACHE_DIR
from lawreport_site.cli import main

PROJECT = Path(__file__).parent.parent
ATTACK = '<script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">x</a>'
HOSTILE_REPORT = f"""---
title: '恶意标题{ATTACK}'
slug: 110000-2022
place: '北京市<svg onload=alert(4)>'
place_level: municipality
province: 北京市
adcode: '110000'
year: 2022
publisher: '<iframe src="javascript:alert(5)"></iframe>'
summary: '"><script>alert(6)</script>'
themes: [law-enforcement]
---
## 一、行政执法<script>alert(7)</script>

严格规范公正文明执法。[点我](javascript:alert(8)) [也点我](JaVaScRiPt:alert(9)) [再点](&#106;avascript:alert(10))

<div onclick="alert(11)">原始 HTML 不被渲染</div>

![图](javascript:alert(12))

<a href="jav&#x09;ascript:alert(13)">编码的链接</a> <https://example.org/ok>
"""
OUR_SCRIPTS = ("static/", "pagefind/")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "poster", "xlink:href")


def build(root: Path, *extra: str) -> int:
    return main(["build", "--content", str(root / "content"), "--out", str(root / "public"),
                 "--seeds", str(root / "seeds"), *extra])


@pytest.fixture
def project(tmp_path):
    shutil.copytree(PROJECT / "content", tmp_path / "content")
    shutil.copytree(PROJECT / "seeds", tmp_path / "seeds")
    (tmp_path / "content" / "reports" / "110000-2022.md").write_text(HOSTILE_REPORT, encoding="utf-8")
    return tmp_path


def executable_parts(page: Path) -> list[str]:
    """Script that is not ours, event handlers and javascript: URLs anywhere in one page."""
    found = []
    tree = lxml.html.fromstring(page.read_bytes())
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in ("iframe", "object", "embed", "frame", "base"):
            found.append(f"<{element.tag}>")
        if element.tag == "script":
            src = element.get("src", "")
            if (element.text or "").strip() or not any(part in src for part in OUR_SCRIPTS):
                found.append(f"script src={src!r} text={element.text!r}")
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"{name}= on <{element.tag}>")
            squeezed = "".join(value.split()).lower()
            if name in URL_ATTRIBUTES and squeezed.startswith(("javascript:", "vbscript:", "data:text/html")):
                found.append(f"{name}={value!r}")
    return found


def test_hostile_report_renders_as_inert_text(project):
    assert build(project, "--no-search") == 0
    site = project / "public"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    problems = {str(page.relative_to(site)): parts for page in pages if (parts := executable_parts(page))}
    assert problems == {}
    report = (site / "reports" / "110000-2022" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report          # shown, as text
    assert "原始 HTML 不被渲染" in report
    card = (site / "themes" / "law-enforcement" / "2022" / "index.html").read_text(encoding="utf-8")
    assert 'id="r-110000-2022"' in card and "恶意标题&lt;script&gt;alert(1)" in card      # its passage card
    assert "北京市&lt;svg onload=alert(4)&gt;" in card and "行政执法&lt;script&gt;alert(7)" in card
    for feed in ("feed.xml", "sitemap.xml"):
        assert "<script" not in (site / feed).read_text(encoding="utf-8")


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_template_failing_midway_leaves_the_previous_site_byte_identical(project, monkeypatch):
    assert build(project, "--no-search") == 0
    before = tree_digest(project / "public")
    failing = render.make_env(ChoiceLoader([DictLoader({"theme.html": "{{ no_such_value.x }}"}),
                                            FileSystemLoader(render.TEMPLATES)]))
    original = builder.write_site
    monkeypatch.setattr(builder, "write_site", lambda *a, **k: original(*a, **{**k, "env": failing}))
    with pytest.raises(Exception):
        builder.build_command(argparse.Namespace(content=project / "content", out=project / "public",
                                                 seeds=project / "seeds", ingest=False, no_search=True))
    assert tree_digest(project / "public") == before
    assert sorted(p.name for p in project.iterdir()) == [CACHE_DIR, "content", "public", "seeds"]


def test_a_failure_while_writing_leaves_the_previous_site_and_no_leftovers(project, monkeypatch):
    assert build(project, "--no-search") == 0
    before = tree_digest(project / "public")

    def copy_then_fail(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(builder, "copy_sources", copy_then_fail)
    with pytest.raises(OSError):
        builder.build_command(argparse.Namespace(content=project / "content", out=project / "public",
                                                 seeds=project / "seeds", ingest=False, no_search=True))
    assert tree_digest(project / "public") == before
    assert sorted(p.name for p in project.iterdir()) == [CACHE_DIR, "content", "public", "seeds"]


def test_the_scanner_sees_what_it_looks_for(tmp_path):
    page = tmp_path / "p.html"
    page.write_text('<html><body><a href=" JavaScript:x()">a</a><img src=a.png onerror="x()">'
                    '<script>inline()</script><script src="https://cdn.example/x.js"></script>'
                    '<script src="../static/search.js"></script></body></html>', encoding="utf-8")
    assert len(executable_parts(page)) == 4
