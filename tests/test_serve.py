"""`lawreport serve`: preview, rebuild on change, keep serving through a failed build, reload the page."""
import argparse
import json
import shutil
import socket
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from lawreport_site.serve import needs_ingest, serve_command, with_reload_script

PROJECT = Path(__file__).parent.parent


def test_reload_script_goes_before_the_end_of_body():
    assert with_reload_script(b"<html><body><p>x</p></body></html>") == \
        b'<html><body><p>x</p><script src="/__reload.js" defer></script></body></html>'


def test_only_seed_changes_call_for_ingest(tmp_path):
    seeds = tmp_path / "seeds"
    assert needs_ingest([(1, str(seeds / "a.txt"))], seeds)
    assert not needs_ingest([(1, str(tmp_path / "content" / "reports" / "a.md"))], seeds)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Preview:
    def __init__(self, root: Path):
        self.root = root
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.stop = threading.Event()
        args = argparse.Namespace(content=root / "content", out=root / "public", seeds=root / "seeds",
                                  port=self.port)
        self.thread = threading.Thread(target=serve_command, args=(args, self.stop), daemon=True)
        self.thread.start()

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            return response.read().decode("utf-8")

    def status(self) -> dict:
        return json.loads(self.get("__build"))

    def wait_for_build(self, generation: int, timeout: float = 120) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                status = self.status()
                if status["generation"] >= generation:
                    return status
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"no build {generation} within {timeout} s")


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(PROJECT / "seeds", root / "seeds")
    shutil.copytree(PROJECT / "content", root / "content")
    running = Preview(root)
    running.wait_for_build(1)
    yield running
    running.stop.set()
    running.thread.join(timeout=10)


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_serve_rebuilds_on_change_and_survives_a_bad_file(preview):
    assert preview.status()["error"] is None
    assert "/__reload.js" in preview.get("")
    assert "/__reload.js" not in (preview.root / "public" / "index.html").read_text(encoding="utf-8")

    report = preview.root / "content" / "reports" / "500000-2020.md"
    generation = preview.status()["generation"]
    edit(report, "title: 重庆市2020年法治政府建设情况报告", "title: 重庆市2020年法治政府建设情况报告（修订）")
    preview.wait_for_build(generation + 1)
    assert "（修订）" in preview.get("reports/500000-2020/")

    broken = preview.root / "content" / "reports" / "broken.md"
    broken.write_text("没有元数据\n", encoding="utf-8")
    status = preview.wait_for_build(generation + 2)
    assert "broken.md" in status["error"] and "no front matter" in status["error"]
    assert "（修订）" in preview.get("reports/500000-2020/")        # the previous site is still served
    broken.unlink()
    assert preview.wait_for_build(generation + 3)["error"] is None


@pytest.mark.browser
def test_the_open_page_reloads_after_a_rebuild_and_shows_errors(preview, browser, artifacts):
    page = browser.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(preview.url + "reports/420921-2019/")
    page.wait_for_timeout(1000)                                   # the poller has seen this build
    broken = preview.root / "content" / "reports" / "broken.md"
    broken.write_text("---\ntitle: x\n", encoding="utf-8")
    page.wait_for_selector("#lawreport-build-error", timeout=60_000)
    assert "front matter is not closed" in page.inner_text("#lawreport-build-error")
    page.screenshot(path=str(artifacts / "serve-build-error.png"))
    with page.expect_navigation(timeout=60_000):
        broken.unlink()
    page.wait_for_load_state()
    assert page.query_selector("#lawreport-build-error") is None
    assert not errors
    page.close()
