"""The benchmark scripts still run against the current code (their figures are not checked here)."""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import PROJECT


def test_derive_bench_times_every_step_on_the_project_content():
    result = subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "derive_bench.py"),
                             "--every", "1", "--passes", "1"], capture_output=True, text=True, check=True)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("5 reports of ")
    assert [line.split()[0] for line in lines[1:]] == ["read", "front", "parse", "sections", "theme",
                                                       "completeness", "body", "save", "derive"]
    assert all(float(line.split()[-1]) > 0 for line in lines[1:])
