"""Incremental builds: a rebuild over a built site reuses what did not change and gives, byte for
byte, the site a clean build gives (issue 5)."""
from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from lawreport_site import builder
from lawreport_site.build import parallel
from lawreport_site.pages import render
from lawreport_site.build import staging
from lawreport_site.build.cache import CACHE_DIR
from lawreport_site.config import SiteConfig
from lawreport_site.archive.content import to_markdown
from lawreport_site.pages.markup import render_body
from lawreport_site.archive.model import Report
from lawreport_site.pages.site import build_site
from tests.site.conftest import build_args
from tests.site.reports import report, sample_reports, write_content, write_seeds


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def clean_build(content: Path, seeds: Path, where: Path, no_search: bool = True) -> dict[str, bytes]:
    """Build *content* into a folder of its own, without any cache, and return its files."""
    out = where / "public"
    assert builder.build_command(build_args(where, content=content, seeds=seeds, out=out,
                                            no_search=no_search)) == 0
    return tree(out)


def add_county(reports_dir: Path) -> None:
    # Same province and year as 420921-2019: its related list, place and year pages change.
    extra = report("420922-2019", place="大悟县", place_level="county", parent="孝感市")
    (reports_dir / "420922-2019.md").write_text(to_markdown(extra), encoding="utf-8")


def retitle(reports_dir: Path) -> None:
    path = reports_dir / "420700-2019.md"
    path.write_text(path.read_text(encoding="utf-8").replace("title: 鄂州市2019", "title: 鄂州市（修订）2019"),
                    encoding="utf-8")


def rewrite_body(reports_dir: Path) -> None:
    path = reports_dir / "500000-2020.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n## 五、其他需要报告的情况\n\n无。\n",
                    encoding="utf-8")


def remove(reports_dir: Path) -> None:
    (reports_dir / "420700-2021.md").unlink()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    write_content(root, sample_reports())
    write_seeds(root)
    assert builder.build_command(build_args(root)) == 0
    return root


@pytest.mark.parametrize("change", [add_county, retitle, rewrite_body, remove],
                         ids=lambda f: f.__name__)
def test_incremental_build_equals_clean_build(project: Path, tmp_path: Path,
                                              change: Callable[[Path], None]) -> None:
    change(project / "content" / "reports")
    assert builder.build_command(build_args(project)) == 0
    assert tree(project / "public") == clean_build(project / "content", project / "seeds",
                                                   tmp_path / "clean")


def test_unchanged_reports_are_not_derived_again(project: Path, monkeypatch) -> None:
    derived: list[int] = []
    original = builder.derive
    monkeypatch.setattr(builder, "derive", lambda body, year: derived.append(year) or original(body, year))
    add_county(project / "content" / "reports")
    assert builder.build_command(build_args(project)) == 0
    assert derived == [2019]                    # the new report only


def test_unaffected_pages_are_linked_not_rewritten(project: Path) -> None:
    # Neither a neighbour in site order nor in the same place or province-year as 420922-2019.
    page = project / "public" / "reports" / "520000-2022-2" / "index.html"
    before = page.stat()
    add_county(project / "content" / "reports")
    assert builder.build_command(build_args(project)) == 0
    after = page.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_page_edited_by_hand_is_rendered_again(project: Path) -> None:
    page = project / "public" / "reports" / "500000-2020" / "index.html"
    original = page.read_bytes()
    page.write_bytes(b"edited")
    assert builder.build_command(build_args(project)) == 0
    assert page.read_bytes() == original


def test_without_the_cache_the_build_is_the_same(project: Path) -> None:
    before = tree(project / "public")
    shutil.rmtree(project / CACHE_DIR)
    assert builder.build_command(build_args(project)) == 0
    assert tree(project / "public") == before


def test_worker_processes_give_the_same_site(project: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)
    monkeypatch.setattr(render, "CHUNK", 2)
    monkeypatch.setattr(builder, "cores", lambda: 2)
    add_county(project / "content" / "reports")
    shutil.rmtree(project / CACHE_DIR)
    assert builder.build_command(build_args(project)) == 0
    monkeypatch.undo()
    assert tree(project / "public") == clean_build(project / "content", project / "seeds",
                                                   tmp_path / "clean")


def test_worker_processes_keep_the_unchanged_pages_as_one_process_does(project: Path, tmp_path: Path,
                                                                      monkeypatch) -> None:
    # With workers, this process links the pages it keeps while they render the others.
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)
    monkeypatch.setattr(render, "CHUNK", 2)
    monkeypatch.setattr(builder, "cores", lambda: 2)
    kept_here, write_file = [], builder.write_file

    def recording(site_dir, relative, text, current=None, in_place=()):
        if text is None:                                    # kept; the workers' calls are not seen here
            kept_here.append(relative)
        write_file(site_dir, relative, text, current, in_place)

    monkeypatch.setattr(builder, "write_file", recording)
    add_county(project / "content" / "reports")
    assert builder.build_command(build_args(project)) == 0
    monkeypatch.undo()
    assert kept_here
    assert tree(project / "public") == clean_build(project / "content", project / "seeds",
                                                   tmp_path / "clean")


def test_model_reports_carry_no_body_after_derivation(project: Path) -> None:
    # The builder's model holds front matter only; bodies stay in the cache, already rendered.
    known = builder.Cache.beside(project / "public").load_reports()
    assert known and all(isinstance(r, Report) and r.body == "" for r, _ in known.values())
    assert {dataclasses.replace(r, body="").slug for r in sample_reports()} == \
        {r.slug for r, _ in known.values()}


def test_the_code_version_covers_every_module_that_renders() -> None:
    from lawreport_site.build.cache import OUTPUT_CODE, PACKAGE
    assert all((PACKAGE / name).exists() for name in OUTPUT_CODE)
    covered = [PACKAGE / name for name in OUTPUT_CODE]
    # Every module that the page-making modules import from the package is part of the version;
    # errors.py and parallel.py shape no output: messages, and where the work runs.
    for module in ("pages/render.py", "pages/site.py", "pages/derive.py", "pages/markup.py"):
        path = PACKAGE / module
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("from ."):
                continue
            dots = len(line.split()[1]) - len(line.split()[1].lstrip("."))
            target = path.parent.joinpath(*[".."] * (dots - 1), *line.split()[1][dots:].split("."))
            target = target.resolve() if target.is_dir() else target.resolve().with_suffix(".py")
            if target.name in ("errors.py", "parallel.py"):
                continue
            assert any(target == top or top in target.parents for top in covered), (module, line)


def test_a_lost_cached_body_is_derived_again(project: Path, tmp_path: Path) -> None:
    builder.Cache.beside(project / "public").prune_reports([])     # every report lost
    retitle(project / "content" / "reports")
    assert builder.build_command(build_args(project)) == 0
    assert tree(project / "public") == clean_build(project / "content", project / "seeds",
                                                   tmp_path / "clean")


def test_a_damaged_body_store_is_made_afresh(project: Path, tmp_path: Path) -> None:
    # As another process would find it after a disk fault: a new file that is no database.
    store = project / CACHE_DIR / "reports.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{store}{suffix}").unlink(missing_ok=True)
    store.write_bytes(b"not a database " * 1000)
    retitle(project / "content" / "reports")
    assert builder.build_command(build_args(project)) == 0
    assert tree(project / "public") == clean_build(project / "content", project / "seeds",
                                                   tmp_path / "clean")
    assert builder.Cache.beside(project / "public").load_reports()    # rows with their bodies


# --- the spare: the site before last, updated in place by the next build (staging.py) ---------

def test_builds_made_in_the_spare_equal_clean_builds(project: Path, tmp_path: Path) -> None:
    # The first rebuild makes a new folder; the others update the site before last.
    reports = project / "content" / "reports"
    for number, change in enumerate((add_county, retitle, remove, rewrite_body)):
        change(reports)
        assert builder.build_command(build_args(project, no_search=False)) == 0
        assert tree(project / "public") == clean_build(project / "content", project / "seeds",
                                                       tmp_path / f"clean-{number}", no_search=False), \
            change.__name__
        assert (project / ".public-spare").is_dir()


def test_updating_the_spare_never_changes_the_live_site(project: Path, monkeypatch) -> None:
    reports = project / "content" / "reports"
    add_county(reports)
    assert builder.build_command(build_args(project)) == 0
    live, spare = project / "public", project / ".public-spare"
    # The spare and the live site share most files (hard links): writing into one would show.
    page = Path("reports", "520000-2022-2", "index.html")
    assert (spare / page).samefile(live / page)
    before = tree(live)
    seen = []
    real_swap = builder.swap_in

    def swap_after_a_look(staging: Path, out: Path) -> None:
        seen.append(tree(out))                   # the staging folder is complete by now
        real_swap(staging, out)
    monkeypatch.setattr(builder, "swap_in", swap_after_a_look)
    retitle(reports)
    rewrite_body(reports)
    assert builder.build_command(build_args(project)) == 0
    assert seen == [before]


def test_a_link_left_in_the_site_cannot_lead_a_later_build_outside(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("not the archive's", encoding="utf-8")
    page_folder = project / "public" / "reports" / "500000-2020"
    shutil.rmtree(page_folder)
    page_folder.symlink_to(outside, target_is_directory=True)
    for change in (retitle, rewrite_body):       # the second build is made in the linked site
        change(project / "content" / "reports")
        assert builder.build_command(build_args(project)) == 0
    assert [p.name for p in outside.iterdir()] == ["index.html"]
    assert (outside / "index.html").read_text(encoding="utf-8") == "not the archive's"
    assert tree(project / "public") == clean_build(project / "content", project / "seeds",
                                                   tmp_path / "clean")


# --- the link copy a rebuild without a spare starts from (staging.LinkCopy) ---------------------

def test_a_rebuild_without_a_spare_starts_from_a_link_copy_of_the_site(project: Path, tmp_path: Path,
                                                                       monkeypatch) -> None:
    live = project / "public"
    assert not (project / ".public-spare").exists()          # the first build left none
    before = tree(live)
    taken, seen = [], []
    take, swap_in = staging.LinkCopy.take, builder.swap_in

    def noting_take(copy):
        taken.append(take(copy))
        return taken[-1]

    def swap_after_a_look(folder: Path, out: Path) -> None:
        seen.append(tree(out))
        swap_in(folder, out)

    monkeypatch.setattr(staging.LinkCopy, "take", noting_take)
    monkeypatch.setattr(builder, "swap_in", swap_after_a_look)
    retitle(project / "content" / "reports")
    add_county(project / "content" / "reports")
    assert builder.build_command(build_args(project)) == 0
    assert len(taken) == 1 and taken[0] is not None
    assert seen == [before]                                   # the live site never changed meanwhile
    page = Path("reports", "520000-2022-2", "index.html")     # kept: the very file, not a copy
    assert (live / page).samefile(project / ".public-spare" / page)
    assert tree(live) == clean_build(project / "content", project / "seeds", tmp_path / "clean")
    assert not list(project.glob(".public-new-*"))


@pytest.mark.parametrize("command", [("false",), ("lawreport-no-such-program",)], ids=["fails", "missing"])
def test_a_link_copy_that_fails_leaves_the_build_as_without_it(project: Path, tmp_path: Path, monkeypatch,
                                                               command: tuple[str, ...]) -> None:
    monkeypatch.setattr(staging, "LINK_COPY", command)
    add_county(project / "content" / "reports")
    assert builder.build_command(build_args(project)) == 0
    assert tree(project / "public") == clean_build(project / "content", project / "seeds", tmp_path / "clean")
    assert not list(project.glob(".public-new-*"))


def test_a_build_stopped_by_a_bad_file_leaves_no_link_copy(project: Path) -> None:
    before = tree(project / "public")
    (project / "content" / "reports" / "bad.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    assert builder.build_command(build_args(project)) == 1
    assert not list(project.glob(".public-new-*"))
    assert tree(project / "public") == before


# --- the head start of the search index (search/head_start.py) ---------------------------------

class Runs(list):
    """Each Pagefind run started since clear(), with whether the pages were written by then."""
    written = False

    def clear(self) -> None:
        super().clear()
        self.written = False


@pytest.fixture
def runs(monkeypatch) -> Runs:
    from lawreport_site.search import pagefind
    started = Runs()
    start, write_site = pagefind.PagefindRun.__init__, builder.write_site

    def noting_start(run, *args):
        start(run, *args)
        started.append({"after_pages": started.written, "run": run})

    def noting_write(*args, **kwargs):
        result = write_site(*args, **kwargs)
        started.written = True
        return result

    monkeypatch.setattr(pagefind.PagefindRun, "__init__", noting_start)
    monkeypatch.setattr(builder, "write_site", noting_write)
    return started


def test_a_report_pages_index_copy_comes_from_its_report_alone(project: Path) -> None:
    # The head start renders the changed reports' pages from a model of those reports alone.
    from lawreport_site.search.copy import index_copy
    env = render.make_env()
    reports, _ = builder.read_reports(project / "content" / "reports")
    assert len(reports) == 6
    for item in reports.values():
        alone = build_site([item])
        page = render.report_page(env, alone, SiteConfig(), alone.reports[0], {}, render_body(item.body))
        built = (project / "public" / render.page_file(item.url)).read_text(encoding="utf-8")
        assert page != built                      # the pages differ (lists of other reports) …
        assert index_copy(page) == index_copy(built) != ""        # … what Pagefind reads does not


def test_a_changed_reports_shard_is_indexed_from_a_head_start(project: Path, tmp_path: Path, runs) -> None:
    assert builder.build_command(build_args(project, no_search=False)) == 0
    runs.clear()
    add_county(project / "content" / "reports")
    assert builder.build_command(build_args(project, no_search=False)) == 0
    assert [run["after_pages"] for run in runs] == [False]      # one run, begun before the pages were written
    assert tree(project / "public") == clean_build(project / "content", project / "seeds",
                                                   tmp_path / "clean", no_search=False)


def test_a_head_start_on_a_wrong_guess_is_stopped_and_the_shard_indexed_anew(
        project: Path, tmp_path: Path, runs, monkeypatch) -> None:
    from lawreport_site.search import head_start
    assert builder.build_command(build_args(project, no_search=False)) == 0
    runs.clear()
    guess = head_start.head_start

    def wrong_guess(current, pages, changed, *args, **kwargs):
        changed = {path: html.replace("</article>", "<p>一句页面上没有的话。</p></article>")
                   for path, html in changed.items()}
        return guess(current, pages, changed, *args, **kwargs)

    monkeypatch.setattr(head_start, "head_start", wrong_guess)
    retitle(project / "content" / "reports")
    assert builder.build_command(build_args(project, no_search=False)) == 0
    assert [run["after_pages"] for run in runs] == [False, True]
    assert runs[0]["run"].process.returncode is not None                  # stopped
    assert tree(project / "public") == clean_build(project / "content", project / "seeds",
                                                   tmp_path / "clean", no_search=False)
    cache = project / CACHE_DIR / "search"
    assert not [entry for entry in cache.iterdir() if entry.name.startswith("work-")]


def test_a_build_that_fails_after_its_head_start_stops_it_and_leaves_no_work(
        project: Path, runs, monkeypatch) -> None:
    from lawreport_site.search import pagefind
    assert builder.build_command(build_args(project, no_search=False)) == 0
    (memory := project / "memory").mkdir()                 # stands for /dev/shm
    monkeypatch.setattr(pagefind, "SHARED_MEMORY", str(memory))
    runs.clear()

    def failing_write(*args, **kwargs):
        raise OSError("disk full (the test)")

    monkeypatch.setattr(builder, "write_site", failing_write)
    rewrite_body(project / "content" / "reports")
    with pytest.raises(OSError, match="the test"):
        builder.build_command(build_args(project, no_search=False))
    assert len(runs) == 1 and runs[0]["run"].process.returncode is not None
    assert list(memory.iterdir()) == []
    assert not [entry for entry in (project / CACHE_DIR / "search").iterdir() if entry.name.startswith("work-")]
