"""Referral codes as people and spreadsheets write them (RULES §13), and names that differ only by their prefix."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.codes import gso_form, gso_parts, normalize_referral_code, referral_key
from ingest.referral import match_referral_codes

GSO = st.from_regex(r"0[1-9][0-9]{8}", fullmatch=True)  # province 01-09: the leading zero Excel drops


@given(GSO)
def test_every_way_excel_writes_a_code_is_one_code(code):
    number = int(code)
    spellings = [
        code,
        number,  # a cell stored as a number
        float(number),  # read back as a float
        f"{number}.0",  # written back as text
        f"{number:.8E}",  # as Excel shows it: 6.05801834E+08
        f"{code[:4]} {code[4:7]} {code[7:]}",  # typed with spaces
        f"{code[:4]}-{code[4:7]}-{code[7:]}",  # or dashes
    ]
    keys = {referral_key(normalize_referral_code(s)) for s in spellings}
    assert keys == {referral_key(code)}
    assert gso_form(normalize_referral_code(number)) == code  # shown again with its leading zero
    assert gso_parts(normalize_referral_code(number)) == (code[:2], code[2:5], code[5:])


@given(st.from_regex(r"[A-Z]{2,5}-[0-9]{1,4}", fullmatch=True))
def test_campaign_codes_of_letters_keep_their_dash(code):
    assert normalize_referral_code(f"  {code.lower()} ") == code
    assert referral_key(code) == referral_key(code.replace("-", ""))


@pytest.mark.parametrize("empty", [None, float("nan"), "", "  ", "nan", "None", True])
def test_empty_cells_are_no_code(empty):
    assert normalize_referral_code(empty) is None


def _communes() -> pd.DataFrame:
    """Two communes of one district whose names differ only by the prefix, as in Chi Lăng and Đình Lập."""
    return pd.DataFrame(
        {
            "province_code": ["20", "20", "20"],
            "province_name": ["Lạng Sơn"] * 3,
            "district_code": ["185", "185", "185"],
            "district_name": ["Huyện Chi Lăng"] * 3,
            "commune_code": ["06040", "06088", "06091"],
            "commune_name": ["Thị trấn Chi Lăng", "Xã Chi Lăng", "Xã Quan Sơn"],
        }
    )


def test_an_exact_name_with_its_prefix_wins_over_a_prefixless_match():
    listed = pd.DataFrame(
        {
            "referral_code": ["LS1", "LS2", "LS3"],
            "commune_name": ["Thị trấn Chi Lăng", "Xã Chi Lăng", "Chi Lăng"],
            "district_name": ["Huyện Chi Lăng"] * 3,
        }
    )
    listed = listed.assign(line=[2, 3, 4], source_file="ma_ls.csv")
    result = match_referral_codes(listed, _communes())
    assert len(result.problems) == 1 and "ma_ls.csv" in result.problems[0].render("vi")
    result = result.table.set_index("referral_code")
    assert result.loc["LS1", "commune_code"] == "06040"
    assert result.loc["LS2", "commune_code"] == "06088"
    # Without its prefix the name fits both: left unmatched and said so, never guessed.
    assert pd.isna(result.loc["LS3", "commune_code"]) and result.loc["LS3", "match_method"] == "ambiguous"
