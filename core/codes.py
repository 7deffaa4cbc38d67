"""Referral codes (mã giới thiệu) as people write them (RULES §13).

Excel turns 0605801852 into the number 605801852, shows it as 6.05801852E+08, and writes it back as
'605801852.0'; people type '0605 801 852' or '0605-801-852'. Lists and measurement files alike are read through
:func:`normalize_referral_code` (a code of digits loses its separators; a campaign code of letters keeps its
dashes, 'CAMP-A'), and every comparison goes through :func:`referral_key`, so all those spellings are one code. A code in the GSO form (province, district and commune codes run together, 10 digits) is decoded by
:func:`gso_parts`.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

_SEPARATORS = re.compile(r"[\s\u00a0\-\u2010-\u2015_/]+")
_SPACES = re.compile(r"[\s\u00a0]+")
_SCIENTIFIC = re.compile(r"^[+]?\d+(\.\d+)?E[+]?\d+$")
_DECIMAL_ZERO = re.compile(r"^(\d+)\.0+$")
_DOTTED_DIGITS = re.compile(r"^\d+(\.\d+)+$")
GSO_LENGTH = 10  # province (2) + district (3) + commune (5)


def normalize_referral_code(value: object) -> str | None:
    """The code as text: numbers from a workbook as integers, scientific notation and '.0' undone, spaces,
    dashes and dots between digit groups removed, letters upper case; None for an empty cell."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return str(int(value)) if value.is_integer() else str(value)
    typed = str(value).strip().upper()
    text = _SEPARATORS.sub("", typed)
    if not text or text in ("NAN", "NONE", "<NA>"):
        return None
    if _SCIENTIFIC.match(text):
        try:
            number = Decimal(text)
        except InvalidOperation:
            return text
        if number == number.to_integral_value():
            return str(int(number))
    match = _DECIMAL_ZERO.match(text)
    if match:
        return match.group(1)
    if _DOTTED_DIGITS.match(text):  # '0605.801.852': dots between digit groups, as some people type them
        return text.replace(".", "")
    if text.isdigit():
        return text
    return _SPACES.sub(" ", typed)  # a campaign code of letters keeps its dashes ('CAMP-A')


def referral_key(code: str | None) -> str | None:
    """The key every spelling of one code shares: separators and case ignored, and a code of digits without its
    leading zeros (Excel drops them). None for no code (None, or a missing value of a table)."""
    if not isinstance(code, str):
        return None
    key = _SEPARATORS.sub("", code).upper()
    return (key.lstrip("0") or "0") if key.isdigit() else key


def gso_parts(code: str | None) -> tuple[str, str, str] | None:
    """(province, district, commune) of a code in the GSO form, its lost leading zeros restored; else None."""
    if code is None or not code.isdigit() or not (GSO_LENGTH - 2 <= len(code) <= GSO_LENGTH):
        return None
    full = code.zfill(GSO_LENGTH)
    return full[:2], full[2:5], full[5:]


def gso_form(code: str | None) -> str | None:
    """The code with its leading zeros restored when it is in the GSO form ('605801852' -> '0605801852')."""
    parts = gso_parts(code)
    return "".join(parts) if parts else code
