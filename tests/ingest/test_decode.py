"""decode: bytes → text in any encoding a government page is saved in."""
import codecs

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from lawreport_site.errors import SeedError
from lawreport_site.ingest.decode import COMMON_HAN, Decoded, decode

SAMPLE = "重庆市2020年法治政府建设情况报告\n全面推进依法行政，持续深化“放管服”改革。\n"


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"), ("gb18030", "gb18030"), ("gbk", "gb18030"), ("big5", "big5hkscs"),
])
def test_decode_recognises_common_encodings(encoding, expected):
    text = SAMPLE if encoding != "big5" else "孝昌縣2019年度法治政府建設工作情況的報告\n堅持嚴格規範公正文明執法。\n"
    assert decode(text.encode(encoding), "seeds/x.txt") == Decoded(text, expected)


@pytest.mark.parametrize("bom, encoding", [
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
])
def test_decode_honours_byte_order_marks(bom, encoding):
    assert decode(bom + SAMPLE.encode(encoding), "seeds/x.txt").text == SAMPLE


def test_decode_prefers_the_charset_an_html_page_declares():
    page = f'<html><head><meta charset="gb2312"></head><body><p>{SAMPLE}</p></body></html>'
    assert decode(page.encode("gb18030"), "seeds/x.html").encoding == "gb18030"


def test_decode_rejects_an_empty_file():
    with pytest.raises(SeedError, match=r"seeds/empty.txt: the file is empty"):
        decode(b" \n\t", "seeds/empty.txt")


def test_decode_rejects_a_png_renamed_txt():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    with pytest.raises(SeedError, match="binary"):
        decode(png, "seeds/picture.txt")


def test_decode_rejects_undecodable_bytes():
    with pytest.raises(SeedError, match="not valid UTF-8"):
        decode(bytes([0x81, 0x20, 0xff, 0xfe, 0x80, 0x7f]) * 50, "seeds/bad.txt")


def test_decode_forgives_a_last_character_cut_in_half():
    raw = SAMPLE.encode("utf-8")[:-2]      # the newline and half of the final 。 are gone
    assert decode(raw, "seeds/cut.txt") == Decoded(SAMPLE[:-2], "utf-8")


def test_decode_rejects_gibberish_in_every_encoding():
    raw = "法治政府建设".encode("utf-8") * 20
    raw = raw[:7] + b"\xff\xfe" + raw[7:]         # invalid in the middle: not a truncation
    with pytest.raises(SeedError, match="gibberish|not valid"):
        decode(raw, "seeds/mixed.txt")


# Text as pages have it: mostly everyday characters, with rare characters and symbols mixed in.
# (A string made only of rare characters is as plausible in Big5 as in GBK; nothing can judge it.)
_EVERYDAY = st.sampled_from(COMMON_HAN)
_ANY_GBK = st.characters(codec="gbk", categories=("Lo", "Po", "So", "Nd"))


@given(st.lists(st.one_of(_EVERYDAY, _EVERYDAY, _EVERYDAY, _ANY_GBK), min_size=1).map("".join))
def test_gbk_text_decodes_to_itself(text):
    raw = text.encode("gbk")
    try:
        utf8 = raw.decode("utf-8")
    except UnicodeDecodeError as error:   # decode forgives a last UTF-8 character cut in half
        utf8 = raw[:error.start].decode("utf-8", "replace") if error.reason == "unexpected end of data" else None
    # Some short GBK strings are also valid UTF-8 without C1 controls; nothing can tell them apart.
    assume(utf8 is None or any("\x80" <= ch <= "\x9f" for ch in utf8))
    assert decode(raw, "t.html") == Decoded(text, "gb18030")


@given(st.binary(max_size=2000))
def test_decode_never_raises_anything_but_seed_error(raw):
    try:
        decoded = decode(raw, "seeds/fuzz.txt")
    except SeedError as error:
        assert str(error).startswith("seeds/fuzz.txt: ")
    else:
        assert isinstance(decoded.text, str)
