"""Traditional → simplified with OpenCC, only when the text is traditional.

Mainland pages republished in traditional characters need character-level ``t2s``. Pages
localised for Taiwan also swap words (程式 for 程序, 檔案 for 文件, 最佳化 for 优化); only the
phrase-level ``tw2sp`` undoes those. ``tw2sp`` is wrong for mainland text (文件 → 文档,
建立 → 创建), so it is used only when Taiwan-only wording is actually present.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import opencc

# A text is traditional when this share of its Han characters change under t2s.
TRADITIONAL_SHARE = 0.03
MIN_CHANGED = 3
# Words written this way only in Taiwan usage; two distinct ones select tw2sp.
TAIWAN_WORDS = ("程式", "最佳化", "計畫", "軟體", "網路", "資訊", "檔案", "資料庫", "專案",
                "數位", "品質", "伺服器", "網際網路", "韌體", "預設", "介面", "支援", "透過")
MIN_TAIWAN_WORDS = 2


@dataclass(frozen=True, slots=True)
class Converted:
    """Simplified text and the OpenCC config applied (None when it was already simplified)."""
    text: str
    conversion: str | None

    @property
    def script(self) -> str:
        return "simplified" if self.conversion is None else "traditional"


@functools.cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)  # loads dictionaries: once per config per process


def to_simplified(text: str) -> Converted:
    """Return *text* in simplified characters, converting only when it is traditional."""
    t2s = _converter("t2s").convert(text)
    if not is_traditional(text, t2s):
        return Converted(text, None)
    if sum(word in text for word in TAIWAN_WORDS) >= MIN_TAIWAN_WORDS:
        return Converted(_converter("tw2sp").convert(text), "tw2sp")
    return Converted(t2s, "t2s")


def is_traditional(text: str, simplified: str) -> bool:
    """Tell whether enough Han characters of *text* differ from its t2s form *simplified*."""
    han = sum("\u3400" <= ch <= "\u9fff" for ch in text)
    # t2s maps character for character, so positions line up.
    changed = sum(a != b for a, b in zip(text, simplified))
    return changed >= MIN_CHANGED and changed >= TRADITIONAL_SHARE * max(han, 1)


def to_traditional(text: str) -> str:
    """Return *text* in OpenCC's traditional form (used to widen character tables)."""
    return _converter("s2t").convert(text)
