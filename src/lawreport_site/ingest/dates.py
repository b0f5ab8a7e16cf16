"""Dates as government pages write them: 2021-03-27, 2021年3月27日, 二〇二三年三月二十日, ２０２２年,
and, on some re-posting sites, 04.04.2018 (day first)."""
from __future__ import annotations

import re
from datetime import date

DATE = re.compile(r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
# Day first, as some re-posting sites write it: 04.04.2018 22:42 (read only when it cannot be month first).
DAY_FIRST = re.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)(?!\d)")
# Official documents may sign with a date in Chinese numerals: 二〇二三年三月二十日.
HAN_DATE = re.compile(r"([〇○零Ｏ一二三四五六七八九]{4})\s*年\s*(十[一二]?|[一二三四五六七八九])\s*月"
                      r"\s*([二三]?十[一二三四五六七八九]?|[一二三四五六七八九])\s*日")
HAN_DIGITS = {**dict.fromkeys("〇○零Ｏ", 0), **{digit: value for value, digit in enumerate("一二三四五六七八九", 1)}}
FULL_WIDTH_DIGITS = {0xFF10 + digit: str(digit) for digit in range(10)}


def arabic_date(text: str) -> str:
    """Return *text* with its dates in ASCII digits: 二〇二三年三月二十日 → 2023年3月20日, ２０２２年 → 2022年."""
    def digits(match: re.Match[str]) -> str:
        year = "".join(str(HAN_DIGITS[ch]) for ch in match.group(1))
        return f"{year}年{_han_number(match.group(2))}月{_han_number(match.group(3))}日"
    return HAN_DATE.sub(digits, text.translate(FULL_WIDTH_DIGITS))


def _han_number(text: str) -> int:
    """十二 → 12, 二十 → 20, 三十一 → 31, 九 → 9."""
    tens, ten, ones = text.partition("十")
    if not ten:
        return HAN_DIGITS[text]
    return (HAN_DIGITS[tens] if tens else 1) * 10 + (HAN_DIGITS[ones] if ones else 0)


def parse_date(text: str) -> date | None:
    """Return the first plausible calendar date in *text* (2021-03-27, 2021年3月27日, 2021/3/27)."""
    for match in DATE.finditer(arabic_date(text)):
        year, month, day = (int(g) for g in match.groups())
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if 1990 <= year <= date.today().year + 1:
            return found
    for match in DAY_FIRST.finditer(text):
        day, month, year = (int(g) for g in match.groups())
        if day == month or day > 12 >= month:         # 04.04.2018, 25.03.2019: no other reading
            try:
                return date(year, month, day)
            except ValueError:
                continue
    return None
