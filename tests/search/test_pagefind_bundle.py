"""pagefind_bundle: the CBOR codec, and bundles that differ only in Pagefind's random order."""
from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from lawreport_site.pagefind_bundle import (canonicalize, data_bytes, decode, encode, read_data,
                                            whole_families)

values = st.recursive(st.integers(0, 2**64 - 1) | st.text() | st.binary(),
                      lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=4), inner, max_size=4), max_leaves=20)


@given(values)
def test_decode_reverses_encode(value):
    assert decode(encode(value)) == value


def test_encoding_is_the_shortest_form():
    assert encode(23) == b"\x17" and encode(24) == b"\x18\x18" and encode(256) == b"\x19\x01\x00"
    assert encode(["年"]) == b"\x81\x63\xe5\xb9\xb4"


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
    """An index entry as Pagefind writes it: [word, [[page, locations, weights]], variants]."""
    return [text, [[page, [-25, 3, 7], [-1, 0]]], []]


def write_chunks(folder, chunks):
    """Write index chunks of these words; return the meta's [from, to, hash] list, cut short as
    Pagefind cuts its bounds."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for n, words in enumerate(chunks):
        (folder / f"zh-hans_{n:07x}.pf_index").write_bytes(data_bytes([[word(w) for w in words]]))
        entries.append([words[0], words[-1][:1], f"zh-hans_{n:07x}"])
    return entries


def test_words_of_one_character_end_up_in_one_chunk(tmp_path):
    chunks = [["一", "七", "放"], ["放宽", "放管", "政"], ["政府", "政务"], ["整体"]]
    ranges = whole_families(tmp_path, "zh-hans", write_chunks(tmp_path, chunks))
    loaded = [[w[0] for w in read_data(tmp_path / f"{h}.pf_index")[0]] for _, _, h in ranges]
    assert loaded == [["一", "七", "放", "放宽", "放管"], ["政", "政府", "政务"], ["整体"]]
    assert [(first, last[0]) for first, last, _ in ranges] == [("一", "放"), ("政", "政"), ("整", "整")]
    assert sorted(p.stem for p in tmp_path.iterdir()) == sorted(h for _, _, h in ranges)


def test_every_word_is_inside_its_chunks_range_and_no_other(tmp_path):
    chunks = [["二", "二十"], ["二十一", "二百"], ["二百五"], ["三", "三十"]]
    ranges = whole_families(tmp_path, "zh-hans", write_chunks(tmp_path, chunks))
    for first, last, chunk_hash in ranges:
        words = [w[0] for w in read_data(tmp_path / f"{chunk_hash}.pf_index")[0]]
        # pagefind_web loads the first chunk with from <= term <= to: make that the right one
        for term in {w[:n] for w in words for n in range(1, len(w) + 1)}:
            assert next(h for f, t, h in ranges if f <= term <= t) == chunk_hash
    assert len(ranges) == 2


def test_postings_move_with_their_words(tmp_path):
    chunks = [["放"], ["放管", "政"]]
    ranges = whole_families(tmp_path, "zh-hans", write_chunks(tmp_path, chunks))
    assert read_data(tmp_path / f"{ranges[0][2]}.pf_index") == [[word("放"), word("放管")]]
