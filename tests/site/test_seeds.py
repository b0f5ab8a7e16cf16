"""Golden test of the site model built from the five seed reports in content/reports/.

Regenerate after a reviewed change of content or model with
``LAWREPORT_UPDATE_GOLDEN=1 python -m pytest tests/site/test_seeds.py`` and review the diff.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from lawreport_site.builder import read_reports
from lawreport_site.pages.site import build_site, validate

PROJECT = Path(__file__).parent.parent.parent
GOLDEN = Path(__file__).parent / "golden" / "seeds_outline.txt"


@pytest.fixture(scope="module")
def model():
    reports, problems = read_reports(PROJECT / "content" / "reports")
    assert problems == [] and validate(reports) == []
    assert len(reports) == 5
    return build_site(reports.values())


def test_seed_outline_matches_golden(model) -> None:
    actual = model.outline() + "\n"
    if os.environ.get("LAWREPORT_UPDATE_GOLDEN"):
        GOLDEN.write_text(actual, encoding="utf-8", newline="\n")
    assert actual == GOLDEN.read_text(encoding="utf-8")


def test_seed_county_sits_under_its_prefecture(model) -> None:
    assert [n.name for n in model.trail_of("420921")] == ["湖北省", "孝感市", "孝昌县"]


def test_seed_municipality_is_its_own_province(model) -> None:
    assert model.places["500000"].parent is None
    assert [g.province for g in model.by_year[2020]] == ["重庆市"]


def test_seed_years_include_the_gap_of_2022(model) -> None:
    assert model.years == (2019, 2020, 2021, 2022, 2023)
    assert 2022 not in model.by_year
