"""The ingester on 121 real pages (tests/ingest/real_pages/, sealed third included): every field it
states is the one the page gives, or it is listed for review. A wrong field without a review flag
would be published as fact; this test fails on the first one. Scores per field:
``python -m tests.ingest.real_pages_score``.
"""
import pytest

from tests.ingest.real_pages_score import labels, score_page


@pytest.mark.parametrize("label", labels(), ids=lambda label: label["file"])
def test_no_field_is_wrong_without_a_review_flag(label):
    scores = score_page(label) or []
    silent = [(s.field, s.actual, s.expected) for s in scores if s.silent]
    assert silent == []


def test_the_corpus_is_whole():
    files = [label["file"] for label in labels()]
    assert len(files) == len(set(files)) >= 120
