"""Every rule a reader sees, checked against values computed by hand (docs/RULES.md), and the Filters object's
query parameters and words in both languages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.settings import Settings
from metrics import rules
from metrics.filters import Filters

S = Settings(speed_target_mbps=40.0, quota=300, min_samples=30)


def _communes(rows: list[tuple]) -> pd.DataFrame:
    """(code, name, samples, speed_samples, mean) rows, judged."""
    table = pd.DataFrame(rows, columns=["commune_code", "commune_name", "samples", "speed_samples", "mean_download_mbps"])
    table["district_name"] = "Huyện Một"
    return rules.judge(table, S)


COMMUNES = _communes(
    [
        ("00001", "Xã A", 350, 300, 52.0),  # meets both
        ("00002", "Xã B", 120, 100, 31.0),  # below target by 9, below quota by 180
        ("00003", "Xã C", 40, 20, 10.0),  # insufficient: no speed verdict, below quota by 260
        ("00004", "Xã D", 300, 280, 35.0),  # below target by 5, meets the quota exactly
        ("00005", "Xã E", 0, 0, np.nan),  # no data at all
        ("00006", "Xã F", 120, 30, 31.0),  # below target by 9 (ties Xã B), exactly the minimum
    ]
)


def test_judge_the_verdicts_by_hand():
    j = COMMUNES.set_index("commune_code")
    assert list(j["meets_quota"]) == [True, False, False, True, False, False]
    assert list(j["sufficient"]) == [True, True, False, True, False, True]
    assert list(j["meets_speed_target"].astype(object)) == [True, False, pd.NA, False, pd.NA, False]
    assert j.loc["00002", "quota_pct"] == pytest.approx(40.0)


def test_verdict_counts_by_hand():
    c = rules.verdict_counts(COMMUNES)
    # Xã C has too few measurements (insufficient); Xã E has none at all (no data): told apart (RULES §18).
    assert (c.communes, c.meet_quota, c.judged, c.meet_target, c.insufficient, c.no_data) == (6, 2, 4, 1, 1, 1)
    assert c.below_target == 3
    status = COMMUNES.set_index("commune_name")["data_status"]
    assert status["Xã C"] == "insufficient" and status["Xã E"] == "no_data" and status["Xã A"] == "sufficient"


def test_below_target_lists_judged_communes_by_gap_then_code():
    table = rules.below_target(COMMUNES, S)
    assert list(table["commune_code"]) == ["00002", "00006", "00004"]  # gaps 9, 9, 5: ties by code
    assert list(table["gap"]) == pytest.approx([9.0, 9.0, 5.0])


def test_below_quota_lists_by_missing_with_the_referral_code():
    referral = pd.DataFrame(
        {"referral_code": ["R3", "R3b", "R2"], "commune_code": ["00003", "00003", "00002"]}  # 00003 listed twice
    )
    table = rules.below_quota(COMMUNES, S, referral)
    assert list(table["commune_code"]) == ["00005", "00003", "00002", "00006"]  # missing 300, 260, 180, 180
    assert list(table["missing"]) == [300, 260, 180, 180]
    assert list(table["referral_code"].fillna("")) == ["", "R3", "R2", ""]  # the first code of a commune


def test_carrier_comparisons_only_call_separated_intervals_significant():
    carriers = rules.judge(
        pd.DataFrame(
            {
                "carrier": ["Viettel", "VinaPhone", "MobiFone", "Gmobile"],
                "samples": [900, 500, 400, 20],
                "speed_samples": [800, 450, 350, 10],
                "mean_download_mbps": [50.0, 44.0, 42.0, 80.0],
                "ci95_low_mbps": [48.0, 41.0, 39.0, 60.0],
                "ci95_high_mbps": [52.0, 47.0, 45.0, 100.0],
            }
        ),
        S,
    )
    pairs = rules.carrier_comparisons(carriers)
    # Gmobile is fastest but has insufficient data: it is not compared. 48 > 47: significant; 41 <= 45: not.
    assert [(p.faster, p.slower, p.significant) for p in pairs] == [
        ("Viettel", "VinaPhone", True),
        ("VinaPhone", "MobiFone", False),
    ]
    assert list(rules.carriers_with_speed(carriers)["carrier"]) == ["Gmobile", "Viettel", "VinaPhone", "MobiFone"]


def test_headline_change_only_when_both_months_are_sufficient():
    now = rules.judge(pd.DataFrame([{"samples": 900, "speed_samples": 800, "mean_download_mbps": 38.5, "ci95_low_mbps": 37.0, "ci95_high_mbps": 40.0}]), S).iloc[0]
    before_ok = rules.judge(pd.DataFrame([{"samples": 700, "speed_samples": 600, "mean_download_mbps": 36.0, "ci95_low_mbps": 35.0, "ci95_high_mbps": 37.0}]), S).iloc[0]
    before_thin = rules.judge(pd.DataFrame([{"samples": 20, "speed_samples": 10, "mean_download_mbps": 20.0, "ci95_low_mbps": 5.0, "ci95_high_mbps": 35.0}]), S).iloc[0]
    account = rules.SampleAccount(888, (rules.UnassignedGroup("outside+unmatched", 12, ()),), area_filtered=False)
    h = rules.headline(now, before_ok, COMMUNES, account, S)
    assert h.mean_mbps == 38.5 and h.change_mbps == pytest.approx(2.5) and h.meets_target is False
    assert h.ci95 == (37.0, 40.0) and (h.samples, h.previous_samples, h.unassigned) == (900, 700, 12)
    assert h.account.total == 900
    assert rules.headline(now, before_thin, COMMUNES, account, S).change_mbps is None
    assert rules.headline(now, before_ok, COMMUNES, account, S, comparable=False).change_mbps is None


def test_referral_campaign_counts_every_code_of_the_list():
    referral = pd.DataFrame({"referral_code": ["R1", "R2", "R3"], "commune_code": ["00001", "00002", None]})
    counts = pd.DataFrame({"referral_code": ["R2", "R1", "ZZ"], "samples": [150, 300, 9]})
    table = rules.referral_campaign(referral, counts, S)
    assert list(table["referral_code"]) == ["R1", "R2", "R3"]  # most first; a code not on the list is not shown
    assert list(table["samples"]) == [300, 150, 0]
    assert list(table["quota_pct"]) == pytest.approx([100.0, 50.0, 0.0])


def test_month_over_month_change_needs_both_months():
    now = _communes([("00001", "A", 100, 100, 50.0), ("00002", "B", 100, 100, 40.0)])
    before = _communes([("00001", "A", 100, 100, 45.0), ("00002", "B", 10, 10, 20.0)])
    mom = rules.month_over_month(now, before, "commune_code").set_index("commune_code")
    assert mom.loc["00001", "change_mean_download_mbps"] == pytest.approx(5.0)
    assert np.isnan(mom.loc["00002", "change_mean_download_mbps"])


# ---- the Filters object: one selection, its query parameters and its words ------------------------------

AREAS = pd.DataFrame(
    {
        "province_code": ["01", "01", "01", "02"],
        "province_name": ["Tỉnh Một", "Tỉnh Một", "Tỉnh Một", "Tỉnh Hai"],
        "district_code": ["001", "001", "002", "010"],
        "district_name": ["Huyện Một", "Huyện Một", "Huyện Hai", "Huyện Mười"],
        "commune_code": ["00001", "00002", "00003", "00004"],
        "commune_name": ["Xã An", "Phường Bình", "Xã Cẩm", "Xã Đông"],
    }
)


@pytest.mark.parametrize(
    ("filters", "params", "vi", "en"),
    [
        (
            Filters("2025-10"),
            {"networks": ["4G"]},
            "Tháng 10/2025 · Tỉnh Hai, Tỉnh Một · tất cả nhà mạng · mạng 4G",
            "October 2025 · Tỉnh Hai, Tỉnh Một · all carriers · network 4G",
        ),
        (
            Filters("2025-01", networks=("4G", "5G"), carriers=("Viettel", "MobiFone"), provinces=("01",)),
            {"networks": ["4G", "5G"], "carriers": ["Viettel", "MobiFone"], "provinces": ["01"]},
            "Tháng 01/2025 · Tỉnh Một · Viettel, MobiFone · mạng 4G+5G",
            "January 2025 · Tỉnh Một · Viettel, MobiFone · network 4G+5G",
        ),
        (
            Filters("2024-12", networks=(), districts=("001", "002")),
            {"districts": ["001", "002"]},
            "Tháng 12/2024 · Huyện Hai, Huyện Một · tất cả nhà mạng · mạng mọi mạng di động",
            "December 2024 · Huyện Hai, Huyện Một · all carriers · network every mobile network",
        ),
        (
            Filters("2025-06", communes=("00003",)),
            {"networks": ["4G"], "communes": ["00003"]},
            "Tháng 06/2025 · Xã Cẩm · tất cả nhà mạng · mạng 4G",
            "June 2025 · Xã Cẩm · all carriers · network 4G",
        ),
    ],
)
def test_filters_turn_choices_into_parameters_and_words(filters, params, vi, en):
    clauses, where_params = filters.sql_where()
    scope, scope_params = filters.sql_speed_scope()
    assert {**where_params, **scope_params} == params
    assert len(clauses) == len(where_params)
    assert ("list_contains" in scope) == bool(filters.networks)
    assert filters.describe(AREAS, "vi") == vi
    assert filters.describe(AREAS, "en") == en


def test_many_provinces_are_the_whole_country():
    many = pd.concat([AREAS.assign(province_code=f"{i:02d}", province_name=f"Tỉnh {i}") for i in range(5)])
    assert Filters("2025-10").area_words(many, "vi") == "Toàn quốc"
    assert Filters("2025-10").area_words(many, "en") == "Whole country"
