"""Derived data (docs/DATA.md, RULES §19): the figures read from the rollups are those of the measurements themselves,
every commit keeps the rollups in step with the snapshots, and a store without them is derived, never misread."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest

from core.errors import UserError
from core.settings import Settings
from geo.boundaries import load_areas, load_boundaries
from geo.mapgeom import area_geometry, build_map_geometry
from ingest.derived import display_is_current, ensure_derived, read_display
from ingest.measurements import delete_batch, ingest_files
from ingest.reassign import rebuild
from metrics.engine import StatsEngine
from metrics.filters import Filters
from store import rollups
from store.folder import StoreChanged
from store.transaction import open_store
from tests.conftest import centre
from tests.helpers import row, stored, write_csv


def measurements(store) -> pd.DataFrame:
    """Every stored measurement with its month and today's area codes, read with pandas: the independent path."""
    areas = load_areas(store.boundaries_path)[["commune_code", "province_code", "district_code"]]
    table = stored(store).merge(areas, on="commune_code", how="left")
    table.loc[table["province_code"].isna(), "commune_code"] = None  # a former commune counts in none (RULES §13)
    table["hour"] = table["measured_at"].dt.hour
    return table


def expected(table: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """RULES §4–§5 by hand: quota scope = mobile; speed scope = 4G; sample-weighted means; linear percentiles."""
    speed = table[table["network_type"] == "4G"]
    keys = by or ["_all"]
    table, speed = table.assign(_all=0), speed.assign(_all=0)
    out = pd.DataFrame(
        {
            "samples": table[table["access_type"] == "mobile"].groupby(keys, dropna=False).size(),
            "speed_samples": speed.groupby(keys, dropna=False).size(),
            "mean_download_mbps": speed.groupby(keys, dropna=False)["download_mbps"].mean(),
            "sd_download_mbps": speed.groupby(keys, dropna=False)["download_mbps"].std(ddof=1),
            "median_download_mbps": speed.groupby(keys, dropna=False)["download_mbps"].median(),
            "p10_download_mbps": speed.groupby(keys, dropna=False)["download_mbps"].quantile(0.1),
            "mean_upload_mbps": speed.groupby(keys, dropna=False)["upload_mbps"].mean(),
            "mean_latency_ms": speed.groupby(keys, dropna=False)["latency_ms"].mean(),
            "all_samples": table.groupby(keys, dropna=False).size(),
        }
    )
    out[["samples", "speed_samples"]] = out[["samples", "speed_samples"]].fillna(0)
    return out


def compare(got: pd.DataFrame, want: pd.DataFrame, by: list[str], percentiles: bool) -> None:
    got = got.assign(**{k: got[k].astype(object).fillna("∅") for k in by})  # no commune: a key like any other
    got = got.set_index(by) if by else got.assign(_all=0).set_index("_all")
    if by:
        want = want.reset_index()
        want = want.assign(**{k: want[k].astype(object).fillna("∅") for k in by}).set_index(by)
    want = want[want["all_samples"] > 0]
    got = got[got["all_samples"] > 0]
    assert sorted(map(str, got.index)) == sorted(map(str, want.index))
    got = got.loc[want.index]
    for column in ("samples", "speed_samples", "all_samples"):
        assert (got[column].to_numpy() == want[column].to_numpy()).all(), column
    columns = ["mean_download_mbps", "sd_download_mbps", "mean_upload_mbps", "mean_latency_ms"]
    columns += ["median_download_mbps", "p10_download_mbps"] if percentiles else []
    for column in columns:  # sd from sums of squares: exact to ~1e-9 relative, 1e-6 Mbps absolute (RULES §19)
        np.testing.assert_allclose(
            got[column].astype(float), want[column].astype(float), rtol=1e-9, atol=1e-6, err_msg=column
        )


@pytest.mark.parametrize("percentiles", [False, True])
def test_figures_from_the_rollups_are_those_of_the_measurements(demo_store, percentiles):
    engine = StatsEngine(demo_store, load_areas(demo_store.boundaries_path))
    table = measurements(demo_store)
    months = demo_store.months()
    last = months[-1]
    carrier = table["carrier"].value_counts().index[1]
    province = engine.areas["province_code"].iloc[0]
    cases = [
        (Filters(last), ["commune_code"], None),
        (Filters(last), [], None),
        (Filters(last, carriers=(carrier,)), ["carrier", "network_type"], None),
        (Filters(last, provinces=(province,)), ["month"], months),
        (Filters(last), ["month", "carrier"], months),
        (Filters(months[0]), ["province_code", "access_type"], None),
    ]
    for filters, by, wanted in cases:
        got = engine.aggregate(filters, by, wanted, percentiles=percentiles)
        rows = table[table["month"].isin(wanted or [filters.month])]
        if filters.carriers:
            rows = rows[rows["carrier"].isin(filters.carriers)]
        if filters.provinces:
            rows = rows[rows["province_code"].isin(filters.provinces)]
        compare(got, expected(rows, by), by, percentiles)
    # Hours come from the values: the hour profile of the last month.
    compare(
        engine.aggregate(Filters(last), ["hour"], percentiles=False),
        expected(table[table["month"] == last], ["hour"]),
        ["hour"],
        False,
    )


def test_campaign_counts_and_the_account_come_from_the_rollups(demo_store):
    engine = StatsEngine(demo_store, load_areas(demo_store.boundaries_path))
    table = measurements(demo_store)
    month = demo_store.months()[-1]
    rows = table[(table["month"] == month) & (table["access_type"] == "mobile")]
    codes = engine.referral_counts(Filters(month)).set_index("referral_code")["samples"]
    want = rows.groupby("referral_code").size()  # as stored, placed or not (the campaign view)
    assert codes.sort_index().to_dict() == want.sort_index().to_dict()
    unassigned = engine.unassigned_by_reason(Filters(month))
    assert int(unassigned["samples"].sum()) == int(rows["commune_code"].isna().sum())
    stored = engine.stored_by_month().set_index("month")
    assert stored["rows"].to_dict() == table.groupby("month").size().to_dict()
    assert stored["unassigned"].to_dict() == table["commune_code"].isna().groupby(table["month"]).sum().to_dict()
    assert engine.carriers()[0] == table[table["access_type"] == "mobile"]["carrier"].value_counts().index[0]


def at(code: str, **kw) -> str:
    lat, lon = centre(code)
    return row(lat=lat, lon=lon, **kw)


def test_every_commit_keeps_the_rollups_in_step(tiny_store, tmp_path):
    first = write_csv(tmp_path / "a.csv", [at("00001", dl=10), at("00002", dl=20, time="2024-09-03T08:00:00")])
    second = write_csv(tmp_path / "b.csv", [at("00001", dl=30), at("00004", dl=50)])
    ingest_files(tiny_store, [first])
    ingest_files(tiny_store, [second])
    assert rollups.stale_months(tiny_store) == []
    engine = StatsEngine(tiny_store, load_areas(tiny_store.boundaries_path))
    overall = engine.overall(Filters("2024-10"), Settings(min_samples=1))
    assert overall["samples"] == 3 and overall["mean_download_mbps"] == pytest.approx(30)
    batch = next(b["batch"] for b in tiny_store.batch_summaries() if b["source"].endswith("a.csv"))
    delete_batch(tiny_store, batch)
    assert rollups.stale_months(tiny_store) == []
    assert tiny_store.months() == ["2024-10"]
    assert rollups.rollup_months(tiny_store.root) == ["2024-10"]  # September's rollups left with its snapshots
    engine = StatsEngine(tiny_store, load_areas(tiny_store.boundaries_path))
    assert engine.overall(Filters("2024-10"), Settings(min_samples=1))["mean_download_mbps"] == pytest.approx(40)


def test_a_store_without_derived_data_is_derived_when_opened_never_misread(tiny_store, tmp_path):
    ingest_files(tiny_store, [write_csv(tmp_path / "a.csv", [at("00001", dl=10), at("00002", dl=20)])])
    before = StatsEngine(tiny_store, load_areas(tiny_store.boundaries_path)).commune_table(
        Filters("2024-10"), Settings(min_samples=1)
    )
    shutil.rmtree(tiny_store.root / rollups.ROLLUPS)  # as a store written by the previous version
    with pytest.raises(UserError) as refused:
        StatsEngine(tiny_store, load_areas(tiny_store.boundaries_path))
    assert refused.value.key == "err_rollups_stale" and "2024-10" in refused.value.text("en")
    assert not display_is_current(tiny_store)
    fractions: list[float] = []
    assert ensure_derived(open_store(tiny_store.root), fractions.append) is True
    assert fractions[-1] == 1.0 and fractions == sorted(fractions)
    assert ensure_derived(tiny_store) is False  # up to date: nothing written
    after = StatsEngine(tiny_store, load_areas(tiny_store.boundaries_path)).commune_table(
        Filters("2024-10"), Settings(min_samples=1)
    )
    pd.testing.assert_frame_equal(before, after)
    record = json.loads(sorted((tiny_store.root / "audit").glob("*.json"))[-1].read_text(encoding="utf-8"))
    assert record["action"] == "derive" and record["months"] == ["2024-10"]


def test_rollups_built_from_other_snapshot_files_are_out_of_date(tiny_store, tmp_path):
    ingest_files(tiny_store, [write_csv(tmp_path / "a.csv", [at("00001", dl=10)])])
    snapshot = tiny_store.snapshot_files(["2024-10"])[0]
    shutil.copy(snapshot, snapshot.with_name("copied-by-hand.parquet"))  # a file put there outside a transaction
    assert rollups.stale_months(tiny_store) == ["2024-10"]
    ensure_derived(tiny_store)
    engine = StatsEngine(tiny_store, load_areas(tiny_store.boundaries_path))
    assert engine.overall(Filters("2024-10"), Settings(min_samples=1))["samples"] == 2


def test_rebuild_rewrites_every_derived_file_from_snapshots_and_boundaries(tiny_store, tmp_path):
    ingest_files(tiny_store, [write_csv(tmp_path / "a.csv", [at("00001", dl=10), at("00003", dl=70)])])
    values = tiny_store.root / rollups.target("2024-10", "values.parquet")
    cube = pd.read_parquet(tiny_store.root / rollups.target("2024-10", "cube.parquet"))
    values.unlink()
    shutil.rmtree(tiny_store.root / "rollups" / "display")
    fractions: list[float] = []
    rebuild(tiny_store, progress=fractions.append)
    assert fractions[-1] == 1.0
    assert values.exists() and display_is_current(tiny_store)
    pd.testing.assert_frame_equal(pd.read_parquet(tiny_store.root / rollups.target("2024-10", "cube.parquet")), cube)


def test_kept_display_geometry_is_the_maps_geometry(tiny_store):
    bounds = load_boundaries(tiny_store.boundaries_path)
    kept = area_geometry(read_display(tiny_store), (), (), "r")
    fresh = build_map_geometry(bounds, "r")
    assert kept == fresh
    one = area_geometry(read_display(tiny_store), (), ("002",), "r")
    assert one.codes == tuple(bounds.loc[bounds["district_code"] == "002", "commune_code"])
    assert one.outline is None  # one district: nothing above the communes to outline


def test_a_store_of_an_earlier_format_is_told_to_rebuild_never_half_derived(tiny_store, tmp_path):
    ingest_files(tiny_store, [write_csv(tmp_path / "a.csv", [at("00001", dl=10)])])
    shutil.rmtree(tiny_store.root / rollups.ROLLUPS)
    manifest = json.loads(tiny_store.manifest_path.read_text(encoding="utf-8"))
    tiny_store.manifest_path.write_text(json.dumps(manifest | {"format": 2}), encoding="utf-8")
    with pytest.raises(UserError) as refused:
        ensure_derived(tiny_store)
    assert refused.value.key == "err_store_needs_rebuild"
    assert not (tiny_store.root / rollups.ROLLUPS).exists()  # nothing written
    rebuild(tiny_store)
    assert ensure_derived(tiny_store) is False


def test_figures_are_read_from_one_version_of_the_store(tiny_store, tmp_path):
    ingest_files(tiny_store, [write_csv(tmp_path / "a.csv", [at("00001", dl=10)])])
    engine = StatsEngine(tiny_store, load_areas(tiny_store.boundaries_path))
    ingest_files(tiny_store, [write_csv(tmp_path / "b.csv", [at("00002", dl=20)])])  # lands while a page reads
    with pytest.raises(StoreChanged):
        engine.overall(Filters("2024-10"), Settings(min_samples=1))
    again = StatsEngine(tiny_store, load_areas(tiny_store.boundaries_path))
    assert again.overall(Filters("2024-10"), Settings(min_samples=1))["samples"] == 2


def test_a_stray_file_left_in_a_removed_months_folder_is_not_a_month(tiny_store, tmp_path):
    ingest_files(tiny_store, [write_csv(tmp_path / "a.csv", [at("00001", dl=10, time="2024-09-03T08:00:00")])])
    (rollups.month_dir(tiny_store.root, "2024-09") / ".DS_Store").write_bytes(b"x")
    delete_batch(tiny_store, tiny_store.batch_summaries()[0]["batch"])
    assert rollups.rollup_months(tiny_store.root) == [] and rollups.stale_months(tiny_store) == []


def test_a_month_changed_again_after_it_was_derived_is_derived_again_at_commit(tiny_store, tmp_path):
    from store.audit import SYSTEM
    from store.transaction import transaction

    ingest_files(tiny_store, [write_csv(tmp_path / "a.csv", [at("00001", dl=10)])])
    snapshot = tiny_store.snapshot_files(["2024-10"])[0]
    with transaction(tiny_store, "rebuild", SYSTEM) as tx:
        tx.derive(["2024-10"])  # derived first...
        shutil.copy(snapshot, tx.path_for("snapshots/month=2024-10/more.parquet"))  # ...then the month changes
    assert rollups.stale_months(tiny_store) == []
    engine = StatsEngine(tiny_store, load_areas(tiny_store.boundaries_path))
    assert engine.overall(Filters("2024-10"), Settings(min_samples=1))["samples"] == 2


def test_kept_geometry_of_an_earlier_layout_is_built_again(tiny_store, monkeypatch):
    import geo.mapgeom

    assert display_is_current(tiny_store)
    monkeypatch.setattr(geo.mapgeom, "LAYOUT", geo.mapgeom.LAYOUT + 1)  # as after an upgrade of display_layers
    assert not display_is_current(tiny_store)
    assert ensure_derived(tiny_store) is True and display_is_current(tiny_store)
