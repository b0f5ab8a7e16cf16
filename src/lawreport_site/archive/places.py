"""The gazetteer: China's administrative divisions by GB/T 2260 code, and place names in text.

data/gazetteer.tsv is generated (scripts/make_gazetteer.py); data/aliases.tsv lists former
names by hand. Everyday short forms (湖北, 鄂州, 恩施州, 长阳县) are derived here by rule.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files

PROVINCE_LEVELS = ("province", "municipality")
PREFECTURE_LEVELS = ("prefecture_city", "prefecture")
COUNTY_LEVELS = ("county", "county_city", "district")

# The 55 recognised minority peoples; an autonomous unit's name is its place name followed by
# one or more of these (恩施 + 土家族苗族 + 自治州).
MINORITIES = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 "
    "东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 "
    "俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺").split()
AUTONOMOUS_SUFFIXES = ("自治区", "自治州", "自治县", "自治旗")
# Suffixes dropped to get the everyday short form of a province- or prefecture-level name.
SHORT_SUFFIXES = ("特别行政区", "自治区", "自治州", "地区", "省", "市", "盟")
# A two-character name such as 新县, 高县 or 城区 hides inside ordinary words (创新县域, 提高县级,
# 主城区); it counts only where a name can start: after a non-Han character or a division suffix.
SHORT_NAME_LENGTH = 2
NAME_MAY_FOLLOW = set("省市州盟区县旗")


@dataclass(frozen=True, slots=True)
class Place:
    adcode: str
    """Six-digit GB/T 2260 code: 420000 province, 420900 prefecture, 420921 county."""
    name: str
    """Official full name: 孝昌县."""
    level: str
    """A level of model.PLACE_LEVELS (plus ``prefecture`` for 自治州, 地区, 盟)."""
    parent: str | None
    """Code of the unit directly above, None for province-level units."""


@dataclass(frozen=True, slots=True)
class Mention:
    name: str
    """The words as they stand in the text: 孝昌县, 鄂州, 静海县."""
    start: int
    end: int
    candidates: tuple[Place, ...]
    """Every division the words can mean (鼓楼区 is four)."""


@dataclass(frozen=True, slots=True)
class _Gazetteer:
    by_code: dict[str, Place]
    by_name: dict[str, tuple[Place, ...]]
    lengths: tuple[int, ...]          # the distinct name lengths, longest first
    initials: frozenset[str]          # first characters of all names: most positions start none


def _read_tsv(name: str) -> Iterable[list[str]]:
    text = files("lawreport_site").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return (line.split("\t") for line in lines[1:])          # the first line names the columns


@functools.cache
def _gazetteer() -> _Gazetteer:
    by_code = {code: Place(code, name, level, parent or None)
               for code, name, level, parent in _read_tsv("gazetteer.tsv")}
    names: dict[str, list[Place]] = {}
    for place in by_code.values():
        for name in {place.name, *_short_forms(place)}:
            names.setdefault(name, []).append(place)
    for alias, code, _until, _note in _read_tsv("aliases.tsv"):
        names.setdefault(alias, []).append(by_code[code])
    by_name = {name: tuple(sorted(set(found), key=lambda p: p.adcode)) for name, found in names.items()}
    return _Gazetteer(by_code, by_name, tuple(sorted({len(n) for n in by_name}, reverse=True)),
                      frozenset(name[0] for name in by_name))


def place_part(name: str) -> str:
    """The place name inside an autonomous unit's name: 恩施土家族苗族自治州 → 恩施."""
    for suffix in AUTONOMOUS_SUFFIXES:
        if name.endswith(suffix):
            name = name[:-len(suffix)]
            break
    else:
        return name
    stripped = True
    while stripped:
        stripped = False
        for people in sorted(MINORITIES, key=len, reverse=True):
            for ending in (people + "族", people if people == "维吾尔" else None):
                if ending and name.endswith(ending) and len(name) > len(ending):
                    name, stripped = name[:-len(ending)], True
                    break
            if stripped:
                break
    return name


def _short_forms(place: Place) -> set[str]:
    """Everyday forms: 湖北省 → 湖北, 鄂州市 → 鄂州, 恩施…自治州 → 恩施州/恩施, 长阳…自治县 → 长阳县."""
    core = place_part(place.name)
    forms = set()
    if place.level in PROVINCE_LEVELS + PREFECTURE_LEVELS:
        short = core
        for suffix in SHORT_SUFFIXES:
            if short.endswith(suffix) and len(short) > len(suffix) + 1:
                short = short[:-len(suffix)]
                break
        forms.add(short)
        if place.name.endswith("自治州"):
            forms.add(core + "州")
    elif place.name.endswith(("自治县", "自治旗")):
        forms.add(core + place.name[-1])
    return {form for form in forms if len(form) >= 2 and form != place.name}


def by_code(code: str) -> Place | None:
    """The division with this code; 2- and 4-digit codes are padded (42 → 420000)."""
    if not code.isdigit() or len(code) not in (2, 4, 6):
        return None
    return _gazetteer().by_code.get(code.ljust(6, "0"))


def places_named(name: str) -> tuple[Place, ...]:
    """Every division a name can mean: official, former (aliases.tsv) or everyday short name."""
    return _gazetteer().by_name.get(name, ())


def ancestors(place: Place) -> tuple[Place, ...]:
    """The units above a place, province first."""
    chain = []
    code = place.parent
    while code:
        above = _gazetteer().by_code[code]
        chain.append(above)
        code = above.parent
    return tuple(reversed(chain))


def province_of(place: Place) -> Place:
    """The province-level unit a place lies in (itself for a province or municipality)."""
    return (ancestors(place) or (place,))[0]


def prefecture_of(place: Place) -> Place | None:
    """The prefecture-level unit above a county or district, None where there is none (仙桃市)."""
    return next((p for p in ancestors(place) if p.level in PREFECTURE_LEVELS), None)


def city_of(place: Place) -> Place | None:
    """The city a place lies in: its prefecture, or the municipality around a district (西青区 → 天津市)."""
    prefecture = prefecture_of(place)
    if prefecture is not None:
        return prefecture
    province = province_of(place)
    return province if province.level == "municipality" and province != place else None


def parent_of(place: Place) -> Place | None:
    """The unit directly above, None for a province-level unit."""
    return _gazetteer().by_code[place.parent] if place.parent else None


def find_mentions(text: str) -> list[Mention]:
    """Every place name in the text, longest match first, left to right, never overlapping."""
    gazetteer = _gazetteer()
    mentions = []
    position = 0
    while position < len(text):
        if text[position] not in gazetteer.initials:
            position += 1
            continue
        for length in gazetteer.lengths:
            words = text[position:position + length]
            candidates = gazetteer.by_name.get(words)
            if candidates and (length > SHORT_NAME_LENGTH or _may_start_name(text, position)):
                mentions.append(Mention(words, position, position + length, candidates))
                position += length
                break
        else:
            position += 1
    return mentions


def _may_start_name(text: str, position: int) -> bool:
    before = text[position - 1] if position else ""
    return not _is_han(before) or before in NAME_MAY_FOLLOW


def _is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff"


def resolve(name: str, context: Sequence[Place] = ()) -> Place | None:
    """The division a name means, using places known from the context to choose among namesakes.

    A candidate lying inside a context place wins (鼓楼区 after 福州市); an everyday short form
    that still has namesakes means the higher unit (吉林 → 吉林省); a full name that stays
    ambiguous resolves to nothing rather than to a guess.
    """
    candidates = places_named(name)
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    known = {place.adcode for place in context}
    inside = {c.adcode: sum(a.adcode in known for a in ancestors(c)) for c in candidates}
    best = max(inside.values())
    leading = [c for c in candidates if inside[c.adcode] == best]
    if len(leading) == 1:
        return leading[0]
    if all(c.name != name for c in leading):
        return min(leading, key=lambda c: (len(ancestors(c)), c.adcode))
    return None
