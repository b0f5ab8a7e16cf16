"""benchmarks/search_anatomy.py still runs against the current index (its times are not checked here)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import PROJECT
from tests.search.conftest import SEED_SHARD_PAGES


def anatomy_rows(site, shards: str) -> list[list[str]]:
    result = subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "search_anatomy.py"), str(site),
                             "--shards", shards, "--runs", "1", "--terms", "执法", "行政复议"],
                            capture_output=True, text=True, check=True)
    table = [line for line in result.stdout.splitlines() if line.startswith("|")]
    assert table[0].split("|")[1:-1] == [" term ", " found ", " import ", " init ", " merge ", " preload ",
                                         " search 1 ", " search 2+ ", " data ", " results ", " KB "]
    return [[cell.strip() for cell in line.split("|")[1:-1]] for line in table[2:]]


@pytest.mark.parametrize("shards", ["all", "first"])
def test_search_anatomy_times_each_step_of_a_cold_query(shards, seed_search_site):
    rows = anatomy_rows(seed_search_site.root, shards)
    assert [row[0] for row in rows] == ["执法", "行政复议"]
    for term, found, *figures in rows:
        holding = len(seed_search_site.containing(term))
        # Merged, the shards find every report holding the term (and, for 行政复议, one that has its
        # characters apart); the first shard alone, some of its pages only.
        assert int(found) >= holding if shards == "all" else 0 < int(found) <= SEED_SHARD_PAGES < holding
        assert all(float(figure.replace(",", "")) >= 0 for figure in figures)
        assert float(figures[-1].replace(",", "")) > 0          # bytes moved


def test_search_anatomy_refuses_a_folder_without_an_index(tmp_path):
    result = subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "search_anatomy.py"), str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.strip() == f"{tmp_path}: no Pagefind bundle at pagefind/"
