"""Counting rules (docs/RULES.md) checked against hand-computed values, plus aggregation properties."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.months import previous_month
from core.settings import Settings
from geo.boundaries import load_boundaries
from ingest.boundaries import import_boundaries
from ingest.measurements import ingest_files
from metrics.engine import StatsEngine
from metrics.filters import Filters
from metrics.rules import month_over_month
from store.transaction import open_store
from tests.conftest import centre, tiny_boundaries
from tests.helpers import row, write_csv


def engine_for(store) -> StatsEngine:
    return StatsEngine(store, load_boundaries(store.boundaries_path))


def at(code: str, **kw) -> str:
    lat, lon = centre(code)
    return row(lat=lat, lon=lon, **kw)


@pytest.fixture
def hand_store(tiny_store, tmp_path):
    """October 2024, hand-made:
    00001: 4G downloads 10, 20, 30, 40 (Viettel) + one 3G at 5 + one WIFI (fixed) at 300
    00002: 4G 60 (VinaPhone)
    00003: nothing; 00004: 4G 100, 100 (MobiFone)
    plus one unassigned 4G measurement at 99 (no point, no referral).
    """
    rows = [
        at("00001", dl=d, ul=d / 2, latency=lat, time=f"2024-10-0{i + 1}T10:00:00")
        for i, (d, lat) in enumerate([(10, 20), (20, 30), (30, 40), (40, 50)])
    ]
    rows += [at("00001", dl=5, network="3G"), at("00001", dl=300, network="WIFI", carrier="VNPT")]
    rows += [at("00002", dl=60, carrier="VinaPhone")]
    rows += [
        at("00004", dl=100, carrier="MobiFone", time="2024-10-02T10:00:00"),
        at("00004", dl=100, carrier="MobiFone", time="2024-10-03T10:00:00"),
    ]
    rows += [row(dl=99, lat="", lon="")]
    rows += [at("00001", dl=1, time="2024-09-15T10:00:00"), at("00001", dl=3, time="2024-09-16T10:00:00")]
    ingest_files(tiny_store, [write_csv(tmp_path / "hand.csv", rows)])
    return tiny_store


def test_commune_figures_by_hand(hand_store):
    table = engine_for(hand_store).commune_table(Filters("2024-10"), Settings(min_samples=2)).set_index("commune_code")
    c1 = table.loc["00001"]
    assert c1["samples"] == 5  # quota scope: every mobile measurement (3G included, WIFI not)
    assert c1["speed_samples"] == 4  # speed scope: 4G only
    assert c1["mean_download_mbps"] == pytest.approx(25.0)
    assert c1["median_download_mbps"] == pytest.approx(25.0)
    assert c1["p10_download_mbps"] == pytest.approx(13.0)  # 10 + 0.3 * (20 - 10)
    assert c1["p90_download_mbps"] == pytest.approx(37.0)  # 30 + 0.7 * (40 - 30)
    assert c1["mean_upload_mbps"] == pytest.approx(12.5)
    assert c1["mean_latency_ms"] == pytest.approx(35.0)
    sd = np.std([10, 20, 30, 40], ddof=1)
    half = 3.182446305284263 * sd / 2  # t(0.975, 3) * s / sqrt(4)
    assert c1["ci95_low_mbps"] == pytest.approx(25 - half)
    assert c1["ci95_high_mbps"] == pytest.approx(25 + half)
    assert not c1["meets_speed_target"]  # 25 < 40
    assert table.loc["00004", "meets_speed_target"]  # 100 >= 40 with 2 >= min_samples
    assert pd.isna(table.loc["00002", "meets_speed_target"])  # 1 sample: insufficient, no verdict
    assert table.loc["00003", "samples"] == 0 and pd.isna(table.loc["00003", "mean_download_mbps"])


def test_insufficient_data_gives_no_verdict_and_default_min_samples_is_30(hand_store):
    table = engine_for(hand_store).commune_table(Filters("2024-10"), Settings())
    assert table["meets_speed_target"].isna().all()
    assert not table["sufficient"].any()


def test_quota_verdict(hand_store):
    table = engine_for(hand_store).commune_table(Filters("2024-10"), Settings(quota=5)).set_index("commune_code")
    assert table.loc["00001", "meets_quota"] and not table.loc["00002", "meets_quota"]
    assert table.loc["00001", "quota_pct"] == pytest.approx(100.0)


def test_district_mean_is_sample_weighted_not_mean_of_means(hand_store):
    districts = engine_for(hand_store).area_table(Filters("2024-10"), Settings(min_samples=1), "district")
    d1 = districts.set_index("district_code").loc["001"]
    # Measurements 10, 20, 30, 40, 60: mean 32; the mean of commune means would be (25 + 60) / 2 = 42.5.
    assert d1["mean_download_mbps"] == pytest.approx(32.0)
    assert d1["median_download_mbps"] == pytest.approx(30.0)
    assert d1["speed_samples"] == 5 and d1["samples"] == 6


def test_overall_includes_unassigned_unless_an_area_is_chosen(hand_store):
    engine = engine_for(hand_store)
    whole = engine.overall(Filters("2024-10"), Settings(min_samples=1))
    assert whole["speed_samples"] == 8  # 4 + 1 + 2 + the unassigned one
    assert whole["mean_download_mbps"] == pytest.approx((100 + 60 + 200 + 99) / 8)
    area = engine.overall(Filters("2024-10", districts=("001", "002")), Settings(min_samples=1))
    assert area["speed_samples"] == 7
    by_reason = engine.unassigned_by_reason(Filters("2024-10"))
    assert int(by_reason["samples"].sum()) == 1


def test_filters_network_carrier_district(hand_store):
    engine = engine_for(hand_store)
    s = Settings(min_samples=1)
    only_3g = engine.commune_table(Filters("2024-10", networks=("3G",)), s).set_index("commune_code")
    assert only_3g.loc["00001", "speed_samples"] == 1 and only_3g.loc["00001", "mean_download_mbps"] == 5
    assert only_3g.loc["00001", "samples"] == 5  # the quota scope ignores the network filter
    fixed = engine.commune_table(Filters("2024-10", networks=("WIFI",)), s).set_index("commune_code")
    assert fixed.loc["00001", "mean_download_mbps"] == 300
    vina = engine.commune_table(Filters("2024-10", carriers=("VinaPhone",)), s).set_index("commune_code")
    assert vina.loc["00001", "samples"] == 0 and vina.loc["00002", "samples"] == 1
    d2 = engine.commune_table(Filters("2024-10", districts=("002",)), s)
    assert d2["commune_code"].tolist() == ["00003", "00004"]


def test_month_is_pruned_and_month_over_month_change(hand_store):
    engine = engine_for(hand_store)
    s = Settings(min_samples=2)
    sep = engine.commune_table(Filters("2024-09"), s).set_index("commune_code")
    assert sep.loc["00001", "mean_download_mbps"] == 2.0
    assert previous_month("2025-01") == "2024-12" and previous_month("2024-10") == "2024-09"
    oct_ = engine.commune_table(Filters("2024-10"), s)
    mom = month_over_month(oct_, engine.commune_table(Filters("2024-09"), s), "commune_code").set_index("commune_code")
    assert mom.loc["00001", "change_mean_download_mbps"] == pytest.approx(23.0)
    assert pd.isna(mom.loc["00004", "change_mean_download_mbps"])  # no September data
    assert mom.loc["00004", "change_samples"] == 2


def test_month_without_data_gives_empty_figures(hand_store):
    engine = engine_for(hand_store)
    table = engine.commune_table(Filters("2023-01"), Settings())
    assert len(table) == 4 and (table["samples"] == 0).all()
    assert engine.overall(Filters("2023-01"), Settings())["samples"] == 0


# ---- property: commune -> district -> province equals computing from the measurements -----------

_measurement = st.tuples(
    st.sampled_from(["00001", "00002", "00003", "00004", None]),
    st.sampled_from(["4G", "3G", "5G", "WIFI"]),
    st.sampled_from(["Viettel", "VinaPhone"]),
    st.floats(min_value=0, max_value=500, allow_nan=False).map(lambda v: round(v, 2)),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(measurements=st.lists(_measurement, min_size=1, max_size=60))
def test_aggregation_levels_agree_with_direct_computation(tiny_gpkg, measurements):
    with tempfile.TemporaryDirectory() as tmp:
        _check_levels(Path(tmp), tiny_gpkg, measurements)


@pytest.fixture(scope="module")
def tiny_gpkg(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("b") / "tiny.parquet"
    tiny_boundaries().to_parquet(path)
    return path


def _check_levels(folder: Path, boundaries: Path, measurements: list) -> None:
    tiny_store = open_store(folder / "store", create=True)
    import_boundaries(tiny_store, boundaries)
    rows = []
    for i, (code, net, carrier, dl) in enumerate(measurements):
        lat, lon = centre(code) if code else ("", "")
        rows.append(
            row(time=f"2024-10-01T10:{i // 60:02d}:{i % 60:02d}", network=net, carrier=carrier, dl=dl, lat=lat, lon=lon)
        )
    month = "2024-10"
    ingest_files(tiny_store, [write_csv(folder / "p.csv", rows)])
    engine = engine_for(tiny_store)
    f, s = Filters(month), Settings(min_samples=1)
    communes = engine.commune_table(f, s)
    districts = engine.area_table(f, s, "district").set_index("district_code")
    province = engine.area_table(f, s, "province").iloc[0]
    frame = pd.DataFrame(measurements, columns=["code", "net", "carrier", "dl"])
    frame["district"] = frame["code"].map({"00001": "001", "00002": "001", "00003": "002", "00004": "002"})
    assigned = frame[frame["code"].notna()]
    for code, group in communes.groupby(communes["commune_code"].map(lambda c: "001" if c < "00003" else "002")):
        direct = assigned[assigned["district"] == code]
        speed = direct[direct["net"] == "4G"]
        assert group["samples"].sum() == (direct["net"] != "WIFI").sum() == districts.loc[code, "samples"]
        assert group["speed_samples"].sum() == len(speed) == districts.loc[code, "speed_samples"]
        assert group["sum_download_mbps"].fillna(0).sum() == pytest.approx(speed["dl"].sum(), abs=1e-6)
        if len(speed):
            weighted = (group["mean_download_mbps"] * group["speed_samples"]).sum() / group["speed_samples"].sum()
            assert districts.loc[code, "mean_download_mbps"] == pytest.approx(weighted)
            assert districts.loc[code, "mean_download_mbps"] == pytest.approx(speed["dl"].mean())
            assert districts.loc[code, "median_download_mbps"] == pytest.approx(np.percentile(speed["dl"], 50))
            assert districts.loc[code, "p10_download_mbps"] == pytest.approx(np.percentile(speed["dl"], 10))
    speed_all = assigned[assigned["net"] == "4G"]
    assert province["speed_samples"] == districts["speed_samples"].sum() == len(speed_all)
    if len(speed_all):
        assert province["mean_download_mbps"] == pytest.approx(speed_all["dl"].mean())
        assert province["p90_download_mbps"] == pytest.approx(np.percentile(speed_all["dl"], 90))
        if len(speed_all) > 1:
            sd = speed_all["dl"].std(ddof=1)
            from scipy import stats as sps

            half = sps.t.ppf(0.975, len(speed_all) - 1) * sd / math.sqrt(len(speed_all))
            assert province["ci95_high_mbps"] == pytest.approx(speed_all["dl"].mean() + half)
