"""Bytes → text: find the encoding a government page was saved in, or refuse it clearly."""
from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass

from ..errors import SeedError

# Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"))
# Tried in order after UTF-8; GB18030 is a superset of GB2312 and GBK.
LEGACY_ENCODINGS = ("gb18030", "big5hkscs")
# <meta charset="gbk"> or <meta http-equiv=… content="text/html; charset=gb2312">
META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_-]{2,20})""", re.I)
CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
                   "big5": "big5hkscs", "x-big5": "big5hkscs", "utf8": "utf-8"}

# The most frequent characters of Chinese prose (simplified); their traditional forms are
# added at run time. Real text is mostly made of them, mis-decoded bytes almost never are.
COMMON_HAN = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过"
    "子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体"
    "制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内"
    "数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提"
    "直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计"
    "别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海"
    "口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身"
    "车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石"
    "记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青"
    "省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型"
    "眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严推执督监依纠纷")


# Real prose is mostly made of COMMON_HAN, mis-decoded bytes hardly ever: the share sits between.
MIN_COMMON_SHARE = 0.3
MIN_HAN_TO_JUDGE = 20
CLEARLY_BETTER = 0.2


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text and the encoding it was read with."""
    text: str
    encoding: str


def decode(raw: bytes, seed: str) -> Decoded:
    """Return the text of *raw*; raise SeedError naming *seed* when it is empty, binary or undecodable."""
    if not raw.strip():
        raise SeedError(seed, "the file is empty", "save the report's text or HTML into it")
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            return _checked(Decoded(raw.decode(encoding, errors="replace"), encoding), seed)
    if _looks_binary(raw):
        raise SeedError(seed, "this is a binary file, not text or HTML",
                        "save the page as .txt or .html (`file` may tell what it is)")
    utf8 = _utf8(raw)
    # Short GBK strings can be valid UTF-8 too; those decode to C1 controls or rare characters.
    if utf8 is not None and not _has_c1_controls(utf8):
        return _checked(Decoded(utf8, "utf-8"), seed)
    declared = _declared_charset(raw)
    candidates = [declared] if declared else []
    candidates += [e for e in LEGACY_ENCODINGS if e not in candidates]
    decoded = [Decoded(text, enc) for enc in candidates if (text := _strict(raw, enc)) is not None]
    if not decoded:
        raise SeedError(seed, f"not valid UTF-8, {' / '.join(LEGACY_ENCODINGS)} or UTF-16",
                        "re-save it as UTF-8 (`file --mime-encoding` may tell its encoding)")
    # The declared charset, else GB18030 (mainland pages), stands unless another reads clearly
    # better; a string too short to judge keeps it.
    best = decoded[0]
    for other in decoded[1:]:
        if _han_count(other.text) >= MIN_HAN_TO_JUDGE and \
                _common_share(other.text) > _common_share(best.text) + CLEARLY_BETTER:
            best = other
    if _han_count(best.text) >= MIN_HAN_TO_JUDGE and _common_share(best.text) < MIN_COMMON_SHARE:
        raise SeedError(seed, "not UTF-8, and as GB18030 or Big5 it reads as gibberish",
                        "re-save it as UTF-8 (`file --mime-encoding` may tell its encoding)")
    return _checked(best, seed)


def _utf8(raw: bytes) -> str | None:
    """Strict UTF-8, forgiving only a last character cut in half by a truncated download."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data" and error.start >= len(raw) - 3:
            return _strict(raw[:error.start], "utf-8")
        return None


def _strict(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _looks_binary(raw: bytes) -> bool:
    # NUL bytes never occur in 8-bit text encodings; UTF-16 without a BOM is treated as binary.
    head = raw[:4096]
    return b"\x00" in head or head.startswith((b"\x89PNG", b"%PDF", b"PK\x03\x04", b"GIF8", b"\xff\xd8\xff"))


def _has_c1_controls(text: str) -> bool:
    return any("\x80" <= ch <= "\x9f" for ch in text)


def _declared_charset(raw: bytes) -> str | None:
    match = META_CHARSET.search(raw[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    try:
        return codecs.lookup(CHARSET_ALIASES.get(name, name)).name
    except LookupError:
        return None


@functools.cache
def _common_set() -> frozenset[str]:
    from .convert import to_traditional
    return frozenset(COMMON_HAN) | frozenset(to_traditional(COMMON_HAN))


def _han_count(text: str) -> int:
    return sum("\u3400" <= ch <= "\u9fff" for ch in text)


def _common_share(text: str) -> float:
    han = [ch for ch in text if "\u3400" <= ch <= "\u9fff"]
    if not han:
        return 0.0
    common = _common_set()
    return sum(ch in common for ch in han) / len(han)


def _checked(decoded: Decoded, seed: str) -> Decoded:
    text = decoded.text.lstrip("\ufeff")
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\n\r\f\v")
    if controls > max(8, len(text) // 100) or text.count("\ufffd") > max(8, len(text) // 100):
        raise SeedError(seed, f"decodes as {decoded.encoding} but the text is garbled",
                        "re-save it as UTF-8 text")
    return Decoded(text, decoded.encoding)
