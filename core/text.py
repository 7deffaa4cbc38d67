"""Vietnamese text normalization for matching names and headers.

Matching ignores case, diacritics (including đ/Đ) and administrative prefixes, so
"Phường Huyền Tung", "phuong huyen tụng" and "Huyền Tụng" compare equal.
"""

from __future__ import annotations

import re
import unicodedata

# Longest first so "thành phố" wins over "thành".
ADMIN_PREFIXES = (
    "thanh pho",
    "thi tran",
    "thi xa",
    "dac khu",
    "phuong",
    "huyen",
    "quan",
    "tinh",
    "xa",
    "tp",
    "tt",
)
_PREFIX_RE = re.compile(r"^(?:" + "|".join(p.replace(" ", r"\s+") for p in ADMIN_PREFIXES) + r")[\s.]+")
_SPACE_RE = re.compile(r"\s+")
_NON_WORD_RE = re.compile(r"[^0-9a-z ]+")


def nfc(text: str) -> str:
    """Composed Unicode (CP1258 and some Excel exports use combining tone marks)."""
    return unicodedata.normalize("NFC", text)


def strip_accents(text: str) -> str:
    """Remove Vietnamese diacritics: 'Tụng' -> 'Tung', 'Đức' -> 'Duc'."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def fold(text: str) -> str:
    """Lower case, no accents, single spaces: the key for header and name matching."""
    return _SPACE_RE.sub(" ", strip_accents(nfc(str(text))).lower()).strip()


def header_key(text: str) -> str:
    """Key for a column header: folded, with units and punctuation reduced to single words."""
    folded = fold(text).replace("\ufeff", "")
    return _SPACE_RE.sub(" ", _NON_WORD_RE.sub(" ", folded)).strip()


def without_prefix(name: str) -> str:
    """The name as written, without its administrative prefix: 'Thị trấn Lạc Lộc' -> 'Lạc Lộc'."""
    text = _SPACE_RE.sub(" ", nfc(str(name))).strip()
    match = _PREFIX_RE.match(fold(text.lower()))
    return " ".join(text.split(" ")[len(match.group(0).split()) :]) if match else text


def name_key(name: str, keep_accents: bool = False) -> str:
    """Key for an administrative name: prefixes ('Xã', 'Phường', ...) removed.

    With keep_accents the diacritics stay, which tells an exact spelling from one
    that differs only in its tone marks.
    """
    base = _SPACE_RE.sub(" ", nfc(str(name)).lower()).strip()
    folded = fold(base)
    match = _PREFIX_RE.match(folded)
    if match:
        # Drop the same number of words from the accented form as the prefix had.
        n_words = len(match.group(0).split())
        base = " ".join(base.split(" ")[n_words:])
        folded = folded[match.end() :]
    return base.strip() if keep_accents else folded.strip()
