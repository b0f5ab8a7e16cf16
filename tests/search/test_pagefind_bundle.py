"""pagefind_bundle: bundles that differ only in Pagefind's random order, and the word index."""
from __future__ import annotations

import gzip
import json

import cbor2
import pytest
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from lawreport_site.search import bundle as pagefind_bundle
from lawreport_site.search.bundle import (MAGIC, add_postings, canonicalize, data_bytes, entries_cbor,
                                            postings_of, read_data, read_words, write_chunks)
from lawreport_site.search.subwords import term_codes


def make_bundle(folder, year_values):
    """Write a minimal bundle: an entry, a meta and a year filter whose values come in this order."""
    (folder / "filter").mkdir(parents=True)
    (folder / "filter" / "zh-hans_aaaaaaa.pf_filter").write_bytes(data_bytes(["year", year_values]))
    meta = ["1.5.2", [["zh-hans_0000001", 10]], [], [["year", "zh-hans_aaaaaaa"]], [], ["title"]]
    (folder / "pagefind.zh-hans_000000000000001.pf_meta").write_bytes(data_bytes(meta))
    entry = {"version": "1.5.2", "languages": {"zh-hans": {"hash": "zh-hans_000000000000001",
                                                          "wasm": None, "page_count": 1}}}
    (folder / "pagefind-entry.json").write_text(json.dumps(entry))


def files(folder):
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in folder.rglob("*") if path.is_file()}


def test_bundles_differing_in_filter_order_become_identical(tmp_path):
    make_bundle(tmp_path / "a", [["2020", [0]], ["2019", [1]]])
    make_bundle(tmp_path / "b", [["2019", [1]], ["2020", [0]]])
    canonicalize(tmp_path / "a")
    canonicalize(tmp_path / "b")
    assert files(tmp_path / "a") == files(tmp_path / "b")


def test_the_meta_and_entry_name_the_rewritten_files(tmp_path):
    make_bundle(tmp_path, [["2020", [0]], ["2019", [1]]])
    canonicalize(tmp_path)
    entry = json.loads((tmp_path / "pagefind-entry.json").read_text())
    meta = read_data(tmp_path / f"pagefind.{entry['languages']['zh-hans']['hash']}.pf_meta")
    (name, filter_hash), = meta[3]
    assert read_data(tmp_path / "filter" / f"{filter_hash}.pf_filter") == \
        ["year", [["2019", [1]], ["2020", [0]]]]


def word(text, page=0):
    """An index entry as Pagefind writes it: [word, [[page, locations, meta locations]], variants]."""
    return [text, [[page, [-25, 3, 7], [-1, 0]]], []]


def words_of(*texts):
    return [(text, cbor2.dumps(word(text))) for text in texts]


def chunk_words(folder, ranges):
    return [[w[0] for w in read_data(folder / f"{h}.pf_index")[0]] for _, _, h in ranges]


def test_read_words_gives_each_words_own_bytes(tmp_path):
    (tmp_path / "zh-hans_0000001.pf_index").write_bytes(data_bytes([[word("行政"), word("复议", 2)]]))
    assert read_words(tmp_path, [["复", "行", "zh-hans_0000001"]]) == \
        [("行政", cbor2.dumps(word("行政"))), ("复议", cbor2.dumps(word("复议", 2)))]


def test_chunks_are_cut_between_families_only(tmp_path, monkeypatch):
    monkeypatch.setattr(pagefind_bundle, "CHUNK_BYTES", 1)          # close a chunk at every chance
    ranges = write_chunks(tmp_path, "zh-hans", words_of("一", "七", "放", "放宽", "放管", "政", "政府", "整体"))
    assert chunk_words(tmp_path, ranges) == [["一"], ["七"], ["放", "放宽", "放管"], ["政", "政府"], ["整体"]]
    assert sorted(p.stem for p in tmp_path.iterdir()) == sorted(h for _, _, h in ranges)


def test_a_chunk_holds_words_up_to_its_size(tmp_path, monkeypatch):
    one = len(cbor2.dumps(word("一")))
    monkeypatch.setattr(pagefind_bundle, "CHUNK_BYTES", 2 * one)
    ranges = write_chunks(tmp_path, "zh-hans", words_of("一", "七", "三", "上"))
    assert chunk_words(tmp_path, ranges) == [["一", "七"], ["三", "上"]]


def test_every_word_is_inside_its_chunks_range_and_no_other(tmp_path, monkeypatch):
    monkeypatch.setattr(pagefind_bundle, "CHUNK_BYTES", 1)
    ranges = write_chunks(tmp_path, "zh-hans", words_of("三", "三十", "二", "二十", "二十一", "二百", "二百五"))
    for first, last, chunk_hash in ranges:
        words = [w[0] for w in read_data(tmp_path / f"{chunk_hash}.pf_index")[0]]
        # pagefind_web loads the first chunk with from <= term <= to: make that the right one
        for term in {w[:n] for w in words for n in range(1, len(w) + 1)}:
            assert next(h for f, t, h in ranges if f <= term <= t) == chunk_hash
    assert len(ranges) == 2


def test_postings_join_a_words_pages_in_order():
    entry = ["复议", [[1, [-25, 40], []], [4, [-169, 2], [-1, 2]]], []]    # pages 1 and 5 (deltas)
    words = [("复议", cbor2.dumps(entry))]
    (_, raw), = add_postings(words, postings_of({"复议": [(0, 9), (3, 12), (5, 30), (8, 1)]}))
    assert cbor2.loads(raw) == ["复议", [[0, [-25, 9], []], [1, [-25, 40], []], [2, [-25, 12], []],
                                        [2, [-169, 2], [-1, 2]], [3, [-25, 1], []]], []]


def test_added_pages_are_their_cbor_entries_in_the_shortest_form():
    added = postings_of({"复议": [(2, 30), (700, 70000), (5000, 2 ** 32 - 1)], "执法": [(23, 0), (24, 255)]})
    expected = [[[2, [-25, 30], []], [698, [-25, 70000], []], [4300, [-25, 2 ** 32 - 1], []]],   # 复 < 执
                [[23, [-25, 0], []], [1, [-25, 255], []]]]
    data, starts = entries_cbor(added)
    assert data == b"".join(cbor2.dumps(entry) for word in expected for entry in word)
    assert [cbor2.loads(data[starts[n]:starts[n + 1]]) for n in range(5)] == [e for w in expected for e in w]


def test_new_words_go_in_order_and_the_others_keep_their_bytes():
    words = words_of("依法", "行政")
    merged = add_postings(words, postings_of({"政复": [(0, 3), (2, 7)], "法办": [(1, 1)]}))
    assert [w for w, _ in merged] == ["依法", "政复", "法办", "行政"]
    assert merged[0] == words[0] and merged[3] == words[1]
    assert cbor2.loads(merged[1][1]) == ["政复", [[0, [-25, 3], []], [2, [-25, 7], []]], []]
    assert merged[1][1] == cbor2.dumps(cbor2.loads(merged[1][1]))        # the shortest form


def test_canonicalize_adds_the_terms_of_each_page_inside_its_words(tmp_path):
    make_bundle(tmp_path, [["2020", [0]]])
    (tmp_path / "fragment").mkdir()
    fragment = {"url": "/a/", "content": "行政复议\u200b。", "word_count": 10}
    (tmp_path / "fragment" / "zh-hans_0000001.pf_fragment").write_bytes(
        gzip.compress(MAGIC + json.dumps(fragment).encode()))
    canonicalize(tmp_path, lambda contents: [codes_of({"政复": 0, "议": 12}) if content.startswith("行政")
                                             else codes_of({}) for content in contents])
    entry = json.loads((tmp_path / "pagefind-entry.json").read_text())
    meta = read_data(tmp_path / f"pagefind.{entry['languages']['zh-hans']['hash']}.pf_meta")
    index = {w: cbor2.loads(raw)[1] for w, raw in read_words(tmp_path / "index", meta[2])}
    assert index == {"政复": [[0, [-25, 0], []]], "议": [[0, [-25, 9], []]]}   # the page has 10 words


def test_terms_reach_the_index_as_term_codes_gives_them(tmp_path):
    make_bundle(tmp_path, [["2020", [0]]])
    (tmp_path / "fragment").mkdir()
    fragment = {"url": "/a/", "content": "\u200b".join(["依法", "办理", "行政复议", "。"]), "word_count": 4}
    (tmp_path / "fragment" / "zh-hans_0000001.pf_fragment").write_bytes(
        gzip.compress(MAGIC + json.dumps(fragment).encode()))
    canonicalize(tmp_path, lambda contents: [term_codes(content) for content in contents])
    entry = json.loads((tmp_path / "pagefind-entry.json").read_text())
    meta = read_data(tmp_path / f"pagefind.{entry['languages']['zh-hans']['hash']}.pf_meta")
    index = {w: cbor2.loads(raw)[1][0][1][1] for w, raw in read_words(tmp_path / "index", meta[2])}
    assert index == {"法办": 0, "理行": 1, "政复": 2, "复议": 2, "议": 2}


def codes_of(terms):
    """term_codes' form of a dict of terms: first << 32 | second (0 for a single character)."""
    codes = [ord(term[0]) << 32 | (ord(term[1]) if len(term) > 1 else 0) for term in terms]
    return np.array(codes, np.uint64), np.array(list(terms.values()), np.uint32)


@given(st.dictionaries(st.sampled_from(["复议", "执法", "议", "政复"]),
                       st.lists(st.tuples(st.integers(0, 2 ** 32 - 1), st.integers(0, 2 ** 32 - 1)),
                                max_size=8, unique_by=lambda pair: pair[0]), max_size=4))
def test_entries_cbor_is_what_cbor2_writes(added):
    added = {word: sorted(pairs) for word, pairs in added.items()}
    data, starts = entries_cbor(postings_of(added))
    expected = []
    for word in sorted(added):
        previous = 0
        for page, location in added[word]:
            expected.append(cbor2.dumps([page - previous, [-25, location], []]))
            previous = page
    assert data == b"".join(expected)
    assert [data[starts[n]:starts[n + 1]] for n in range(len(expected))] == expected


def test_word_parts_split_between_first_characters_and_share_a_chunk_both_need():
    chunks = [["一", "七", "h1"], ["七", "三", "h2"], ["三", "二", "h3"], ["二", "五", "h4"]]   # 七… spans h1, h2
    assert pagefind_bundle.word_parts(chunks, ["三"]) == [("", "三", chunks[:2]), ("三", None, chunks[1:])]
    assert pagefind_bundle.word_parts(chunks, []) == [("", None, chunks)]
    assert pagefind_bundle.word_parts([], ["三"]) == [("", "三", []), ("三", None, [])]


def bundle_with_words(folder, chunks):
    """Write a bundle of one page whose index holds *chunks* (lists of words) as Pagefind's chunks."""
    make_bundle(folder, [["2020", [0]]])
    (folder / "index").mkdir()
    ranges = []
    for number, texts in enumerate(chunks):
        name = f"zh-hans_{number:07d}"
        (folder / "index" / f"{name}.pf_index").write_bytes(data_bytes([[word(text) for text in texts]]))
        ranges.append([texts[0], texts[-1], name])
    meta_path = folder / "pagefind.zh-hans_000000000000001.pf_meta"
    meta = read_data(meta_path)
    meta[2] = ranges
    meta_path.write_bytes(data_bytes(meta))
    (folder / "fragment").mkdir()
    fragment = {"url": "/a/", "content": "依法行政复议", "word_count": 10}
    (folder / "fragment" / "zh-hans_0000001.pf_fragment").write_bytes(gzip.compress(MAGIC + json.dumps(fragment).encode(), mtime=0))


def index_of(folder):
    entry = json.loads((folder / "pagefind-entry.json").read_text())
    meta = read_data(folder / f"pagefind.{entry['languages']['zh-hans']['hash']}.pf_meta")
    return read_words(folder / "index", meta[2])


def test_the_index_rewritten_in_parts_holds_every_word_and_term_once_whatever_the_workers(tmp_path, monkeypatch):
    chunks = [["一", "七", "七十"], ["七百", "三", "三十"], ["上", "政府", "政务"], ["政复", "行政"]]
    terms = {"依法": 0, "政复": 3, "复议": 4, "七十": 1}         # a term in each part, some words already
    made = {}
    for name, cuts, workers in (("whole", (), 1), ("parts", ("三",), 1), ("forked", ("三",), 2)):
        monkeypatch.setattr(pagefind_bundle, "PART_CUTS", cuts)
        bundle_with_words(tmp_path / name, chunks)
        canonicalize(tmp_path / name, lambda contents: [codes_of(terms)] * len(contents), workers)
        made[name] = index_of(tmp_path / name)
    assert [w for w, _ in made["whole"]] == sorted({*(w for chunk in chunks for w in chunk), *terms})
    assert made["parts"] == made["whole"]
    assert files(tmp_path / "forked") == files(tmp_path / "parts")     # and the same files, cut alike
    assert len(list((tmp_path / "parts" / "index").iterdir())) == 2 > len(list((tmp_path / "whole" / "index").iterdir()))


def test_a_chunk_holding_a_word_outside_its_range_is_refused(tmp_path):
    bundle_with_words(tmp_path, [["一", "七"], ["三", "二"]])
    (tmp_path / "index" / "zh-hans_0000001.pf_index").write_bytes(data_bytes([[word("三"), word("二"), word("五")]]))
    with pytest.raises(ValueError, match="outside its range"):
        canonicalize(tmp_path, None, 1)
