"""subwords.page_terms: the terms a page needs, given Pagefind's segmentation of it."""
from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from lawreport_site.search.subwords import page_terms

B = "\u200b"      # what Pagefind puts between the words of a fragment's content


def test_a_term_starts_inside_every_word_where_no_word_starts():
    content = B.join(["依法", "办理", "行政复议", "。"])
    assert page_terms(content) == {"法办": 0, "理行": 1, "政复": 2, "复议": 2, "议": 2}


def test_what_a_word_of_the_page_starts_with_is_no_term():
    # 复议 is a word of the page, and 议 starts nothing: found there, and once.
    content = B.join(["复议", "，", "行政复议"])
    assert page_terms(content) == {"议": 0, "政复": 2}


def test_a_term_is_at_the_word_where_it_first_starts():
    content = B.join(["行政复议", "，", "提高", "复议", "质量"])
    # 议 alone is no term: the term 议质 starts with it (the piece 议 finds this page there).
    assert page_terms(content) == {"政复": 0, "高复": 2, "议质": 3, "量": 4}


def test_no_single_character_where_a_term_starts_with_it():
    content = B.join(["执", "法", "，", "执"])          # 执法 is a term: it serves the piece 执 too
    assert page_terms(content) == {"执法": 0}
    content = B.join(["依法", "执", "。", "严格", "执", "法"])   # … even where it starts after 执 alone
    assert page_terms(content) == {"法执": 0, "格执": 3, "执法": 4}


def test_words_of_one_character_get_the_two_character_term():
    # Segmented 复 | 议, the query piece 复议 is the prefix of no word: it needs the term.
    assert page_terms(B.join(["复", "议"])) == {"复议": 0}


def test_latin_digits_spaces_and_punctuation_end_a_run():
    content = B.join(["2019", "年 ", "ICP", "备案", "，", "行政 ", "复议"])
    assert page_terms(content) == {"案": 3, "政": 5, "议": 6}


_han = st.sampled_from("行政复议执法营商环境放管服")
_word = st.text(_han, min_size=1, max_size=4) | st.sampled_from(["，", "。", "2021", "ICP", "年 "])


@given(st.lists(_word, min_size=1, max_size=30))
def test_every_piece_of_the_text_starts_a_word_or_a_term(words):
    """The recall guarantee: every one- or two-character piece of a run of Han characters is the
    prefix of a word of the page or of a term, and each term starts in the word it is placed at."""
    terms = page_terms(B.join(words))
    starts = {word.strip()[:2] for word in words} | {word.strip()[:1] for word in words}
    text = "".join(words)
    for run in _runs(text):
        for start in range(len(run)):
            for piece in (run[start:start + 1], run[start:start + 2]):
                assert piece in starts or any(term.startswith(piece) for term in terms), piece
    for term, position in terms.items():
        before = len("".join(words[:position]))
        assert text.find(term, before) < before + len(words[position])   # it starts in that word
        assert text.find(term) >= before                                   # and not earlier


def _runs(text):
    return re.findall("[行政复议执法营商环境放管服]+", text)


def test_a_run_ends_before_an_empty_word_and_at_the_end():
    assert page_terms(B.join(["行政", "", "复议"])) == {"政": 0, "议": 2}
    assert page_terms(B.join(["", "行政", "复议", ""])) == {"政复": 1, "议": 2}
