"""places: the gazetteer of GB/T 2260 divisions and place names found in running text."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lawreport_site.archive import places
from lawreport_site.archive.model import PLACE_LEVELS


def names(mentions):
    return [m.name for m in mentions]


def test_gazetteer_covers_every_province_level_unit():
    provinces = [places.by_code(f"{code}0000") for code in
                 (11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
                  50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82)]
    assert all(provinces)
    assert {p.level for p in provinces} == {"province", "municipality"}


def test_every_division_has_a_known_level_and_a_parent_that_exists():
    gazetteer = places._gazetteer()
    assert len(gazetteer.by_code) > 3000
    for place in gazetteer.by_code.values():
        assert place.level in PLACE_LEVELS
        assert len(place.adcode) == 6 and place.adcode.isdigit()
        assert place.parent is None or places.by_code(place.parent) is not None


@pytest.mark.parametrize("code, name, level, chain", [
    ("420921", "孝昌县", "county", ["湖北省", "孝感市"]),
    ("500103", "渝中区", "district", ["重庆市"]),
    ("429004", "仙桃市", "county_city", ["湖北省"]),            # 省直辖: no prefecture between
    ("441900", "东莞市", "prefecture_city", ["广东省"]),        # a city without districts
    ("422800", "恩施土家族苗族自治州", "prefecture", ["湖北省"]),
])
def test_codes_give_the_division_and_its_chain(code, name, level, chain):
    place = places.by_code(code)
    assert (place.name, place.level) == (name, level)
    assert [p.name for p in places.ancestors(place)] == chain
    assert places.province_of(place).name == chain[0]


def test_short_codes_are_padded_and_nonsense_is_nothing():
    assert places.by_code("42").name == "湖北省"
    assert places.by_code("4207").name == "鄂州市"
    assert places.by_code("4207x") is None and places.by_code("") is None and places.by_code("999999") is None


def test_prefecture_of_a_county():
    assert places.prefecture_of(places.by_code("420921")).name == "孝感市"
    assert places.prefecture_of(places.by_code("429004")) is None
    assert places.prefecture_of(places.by_code("420900")) is None


@pytest.mark.parametrize("name, code", [
    ("湖北", "420000"), ("鄂州", "420700"), ("恩施州", "422800"), ("新疆", "650000"),
    ("广西", "450000"), ("内蒙古", "150000"), ("长阳县", "420528"), ("海东", "630200"),
])
def test_everyday_short_forms(name, code):
    assert places.resolve(name).adcode == code


@pytest.mark.parametrize("former, code", [("静海县", "120118"), ("莱芜市", "370100"), ("海东地区", "630200"),
                                          ("襄樊市", "420600")])
def test_former_names_lead_to_todays_division(former, code):
    assert places.resolve(former).adcode == code


def test_autonomous_names_reduce_to_their_place_part():
    assert places.place_part("恩施土家族苗族自治州") == "恩施"
    assert places.place_part("新疆维吾尔自治区") == "新疆"
    assert places.place_part("双江拉祜族佤族布朗族傣族自治县") == "双江"
    assert places.place_part("孝昌县") == "孝昌县"


def test_namesakes_are_resolved_by_context_or_not_at_all():
    assert places.resolve("鼓楼区") is None                          # four of them: no guess
    assert places.resolve("鼓楼区", [places.by_code("350100")]).adcode == "350102"   # 福州市
    assert places.resolve("鼓楼区", [places.by_code("320000")]) is None   # 南京 and 徐州 both have one
    assert places.resolve("吉林").adcode == "220000"                 # a short form means the higher unit
    assert places.resolve("吉林", [places.by_code("220000")]).adcode == "220200"


def test_mentions_are_longest_first_and_in_order():
    text = "湖北省孝感市孝昌县人民政府与鄂州市、渝中区交流"
    mentions = places.find_mentions(text)
    assert names(mentions) == ["湖北省", "孝感市", "孝昌县", "鄂州市", "渝中区"]
    assert all(text[m.start:m.end] == m.name for m in mentions)


def test_two_character_names_inside_ordinary_words_are_not_places():
    assert names(places.find_mentions("提高县级执法水平，创新县域治理，主城区改造")) == []
    assert names(places.find_mentions("信阳市新县、河南省叶县")) == ["信阳市", "新县", "河南省", "叶县"]


@given(st.text(max_size=200))
def test_mentions_never_overlap_and_match_the_text(text):
    mentions = places.find_mentions(text)
    for before, after in zip(mentions, mentions[1:]):
        assert before.end <= after.start
    for mention in mentions:
        assert text[mention.start:mention.end] == mention.name and mention.candidates
