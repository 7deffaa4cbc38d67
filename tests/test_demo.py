"""The demo store: deterministic, clearly labelled, and shaped like real data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.boundaries import load_boundaries
from ingest.demo import MONTHS, PROVINCE_NAME, build_boundaries, measurements
from metrics.engine import Filters, Settings, StatsEngine
from tests.helpers import stored


def test_demo_is_deterministic():
    a_bounds = build_boundaries(np.random.default_rng(1))
    b_bounds = build_boundaries(np.random.default_rng(1))
    assert a_bounds.geometry.equals(b_bounds.geometry)
    a = measurements(a_bounds, np.random.default_rng(2))
    b = measurements(b_bounds, np.random.default_rng(2))
    pd.testing.assert_frame_equal(a[MONTHS[-1]], b[MONTHS[-1]])


def test_demo_store_shape(demo_store):
    bounds = load_boundaries(demo_store.boundaries_path)
    assert "dữ liệu minh họa" in PROVINCE_NAME and set(bounds["province_name"]) == {PROVINCE_NAME}
    assert bounds["district_code"].nunique() == 8 and len(bounds) == 120
    assert bounds.geometry.is_valid.all()
    # A tessellation: neighbours touch without overlapping (areas in metres, VN-2000 / UTM 48N).
    metric = bounds.to_crs("EPSG:3405").geometry
    assert metric.union_all().area == pytest.approx(metric.area.sum(), rel=1e-9)
    assert len(demo_store.months()) >= 12


def test_demo_measurements_look_real(demo_store):
    data = stored(demo_store)
    first, last = demo_store.months()[0], demo_store.months()[-1]
    assert not (data.loc[data["month"] == first, "network_type"] == "5G").any()  # 5G only in later months
    assert (data.loc[data["month"] == last, "network_type"] == "5G").any()
    assert (data["access_type"] == "fixed").mean() > 0.05
    assert data["carrier"].nunique() >= 5
    speed = data[data["network_type"] == "4G"].groupby("carrier")["download_mbps"].mean()
    assert speed["Viettel"] > speed["Vietnamobile"]
    assert (
        data.loc[data["month"] == last, "download_mbps"].mean()
        > data.loc[data["month"] == first, "download_mbps"].mean()
    )
    batches = demo_store.batch_summaries()
    assert all(b["rejected"] >= 1 for b in batches) and all(b["duplicate"] >= 1 for b in batches)
    assert sum(b["assigned_by_referral"] for b in batches) > 0
    assert sum(b["unassigned"] for b in batches) > 0  # neither a point nor a code


def test_demo_has_communes_under_quota_and_with_insufficient_data(demo_store):
    engine = StatsEngine(demo_store, load_boundaries(demo_store.boundaries_path))
    table = engine.commune_table(Filters(demo_store.months()[-1]), Settings())
    assert (~table["meets_quota"]).sum() >= 10
    assert (table["speed_samples"] < 30).sum() >= 3
    assert table["meets_speed_target"].fillna(False).any() and (~table["meets_speed_target"].fillna(True)).any()
    urban = table[table["district_code"] == "990"]["mean_download_mbps"].mean()
    rural = table[table["district_code"] != "990"]["mean_download_mbps"].mean()
    assert urban > rural
