"""Who, where and when (RULES §20, §21): the campaign figures and verdicts against an independent computation from
the raw rows, the device cap, the salted hash that keeps no identifier, and the pages that show them."""

from __future__ import annotations

import hashlib
import hmac
import io
import itertools
import zipfile
from pathlib import Path

import h3
import numpy as np
import pandas as pd
import pytest
import shapely

from core.settings import Settings
from ingest.measurements import DEVICE_SALT, ingest_files
from metrics.filters import Filters
from metrics.rules import account_rows
from metrics.tables import month_account
from store.transaction import open_store
from tests.apptest_helpers import app_for, run_page
from tests.conftest import tiny_boundaries
from tests.helpers import make_report, stored

MONTH = "2026-09"
OFFICE_POINT = (21.0503, 105.0502)  # inside commune 00001, near its centre
RAW_ID_PREFIX = "IMEI-RAW-"


def _campaign_rows(seed: int = 11) -> pd.DataFrame:
    """A month in which commune 00001 reaches the quota from two phones at one desk in office hours, 00002 from many
    phones everywhere at every hour, 00003 from three phones everywhere, 00004 has a handful of samples; plus two
    rows nobody can place and a row without a device identifier."""
    rng = np.random.default_rng(seed)
    days = pd.date_range(f"{MONTH}-01", f"{MONTH}-30", freq="D")
    weekdays = days[days.day_of_week < 5]
    parts = []

    def block(code: int, n: int, devices: list[str], spread: bool, office: bool) -> pd.DataFrame:
        x0 = 105.0 + 0.1 * (code - 1)
        if spread:
            lat, lon = rng.uniform(21.0005, 21.0995, n), rng.uniform(x0 + 0.0005, x0 + 0.0995, n)
        else:
            lat = OFFICE_POINT[0] + rng.uniform(-0.0002, 0.0002, n)
            lon = OFFICE_POINT[1] + 0.1 * (code - 1) + rng.uniform(-0.0002, 0.0002, n)
        day = rng.choice(weekdays if office else days, n)
        seconds = rng.integers(8 * 3600, 16 * 3600, n) if office else rng.integers(0, 86400, n)
        return pd.DataFrame(
            {
                "measured_at": (pd.DatetimeIndex(day) + pd.to_timedelta(seconds, unit="s")).strftime(
                    "%Y-%m-%dT%H:%M:%S"
                ),
                "carrier": rng.choice(["Viettel", "VinaPhone", "MobiFone"], n),
                "network_type": rng.choice(["4G", "4G", "4G", "3G"], n),
                "download_mbps": rng.lognormal(3.5, 0.5, n).round(2),
                "upload_mbps": rng.lognormal(2.5, 0.5, n).round(2),
                "latency_ms": rng.uniform(15, 60, n).round(1),
                "lat": lat.round(6),
                "lon": lon.round(6),
                "device_id": rng.choice(devices, n, p=None if len(devices) != 2 else [0.7, 0.3]),
            }
        )

    parts.append(block(1, 330, [f"{RAW_ID_PREFIX}office-1", f"{RAW_ID_PREFIX}office-2"], spread=False, office=True))
    parts.append(block(2, 330, [f"{RAW_ID_PREFIX}{i:04d}" for i in range(110)], spread=True, office=False))
    parts.append(block(3, 330, [f"{RAW_ID_PREFIX}few-{i}" for i in range(3)], spread=True, office=False))
    parts.append(block(4, 12, [f"{RAW_ID_PREFIX}x-{i}" for i in range(6)], spread=True, office=False))
    table = pd.concat(parts, ignore_index=True)
    lost = table.iloc[:2].copy().assign(lat=np.nan, lon=np.nan)  # no place, no code: unassigned
    anonymous = table.iloc[[400]].copy().assign(device_id=None)  # a row without an identifier still counts
    table = pd.concat([table, lost, anonymous], ignore_index=True)
    table["measurement_id"] = [f"m{i:05d}" for i in range(len(table))]
    # two spellings of one identifier, as a spreadsheet writes them: one device
    table.loc[table["device_id"] == f"{RAW_ID_PREFIX}few-0", "device_id"] = f" {RAW_ID_PREFIX.lower()}few-0 "
    return table


@pytest.fixture(scope="module")
def campaign_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("campaign")
    bounds = folder / "b.gpkg"
    tiny_boundaries().to_file(bounds, driver="GPKG")
    from ingest.boundaries import import_boundaries

    store = open_store(folder / "store", create=True)
    import_boundaries(store, bounds)
    rows = _campaign_rows()
    bad = rows.iloc[[5]].assign(download_mbps=-1.0, measurement_id="bad", device_id=f"{RAW_ID_PREFIX}REJECTED")
    path = folder / "month.csv"
    pd.concat([rows, bad], ignore_index=True).to_csv(path, index=False)
    ingest_files(store, [path])
    return store, rows


def _independent(rows: pd.DataFrame, cap: int = 0) -> pd.DataFrame:
    """The figures of RULES §20-§21 straight from the raw rows with pandas, shapely and h3: no store, no DuckDB."""
    bounds = tiny_boundaries()
    rows = rows.copy()
    rows["key"] = rows["device_id"].map(lambda v: None if v is None or pd.isna(v) else str(v).strip().lower())
    rows["at"] = pd.to_datetime(rows["measured_at"])
    if cap:
        rows = rows.sort_values(["at", "measurement_id"])
        rank = rows.groupby([rows["key"], rows["at"].dt.date], dropna=False).cumcount() + 1
        rows = rows[rows["key"].isna() | (rank <= cap)]
    has_point = rows["lat"].notna()
    out = []
    for code, geom in zip(bounds["commune_code"], bounds.geometry, strict=True):
        inside = has_point & shapely.contains_xy(geom, rows["lon"].fillna(0), rows["lat"].fillna(0))
        mine = rows[inside]
        cells = {
            h3.str_to_int(c)
            for c in h3.h3shape_to_cells_experimental(
                h3.geo_to_h3shape(shapely.geometry.mapping(geom)), 8, contain="overlap"
            )
        }
        measured = {h3.str_to_int(h3.latlng_to_cell(a, b, 8)) for a, b in zip(mine["lat"], mine["lon"], strict=True)}
        per_device = mine["key"].value_counts()
        office = (mine["at"].dt.day_of_week < 5) & mine["at"].dt.hour.between(7, 16)
        out.append(
            {
                "commune_code": code,
                "samples": len(mine),
                "devices": len(per_device),
                "top_device_share": per_device.max() / per_device.sum() if len(per_device) else np.nan,
                "cells_with_samples": len(measured & cells),
                "cells_total": len(cells),
                "office_hours_share": office.mean() if len(mine) else np.nan,
            }
        )
    table = pd.DataFrame(out)
    s = Settings()
    verdicts = []
    for r in table.itertuples():
        if r.samples == 0:
            verdicts.append("no_samples")
            continue
        if r.samples < s.min_samples:
            verdicts.append("too_few")
            continue
        flags = []
        if r.devices < s.min_devices or r.top_device_share > s.max_top_device_pct / 100:
            flags.append("few_devices")
        if r.cells_with_samples / r.cells_total < s.min_cell_pct / 100:
            flags.append("narrow_area")
        if r.office_hours_share > s.max_office_pct / 100:
            flags.append("office_hours")
        verdicts.append("+".join(flags) or "spread")
    table["campaign_verdict"] = verdicts
    return table


COLUMNS = ["samples", "devices", "top_device_share", "cells_with_samples", "cells_total", "office_hours_share"]


def _report(store, tmp_path: Path, *extra: str) -> pd.DataFrame:
    out = tmp_path / "r.csv"
    assert make_report(store, "csv", out, *extra, month=MONTH) == 0
    return pd.read_csv(out, dtype={"commune_code": str}, encoding="utf-8-sig")


def test_report_columns_and_verdicts_match_an_independent_computation(campaign_store, tmp_path):
    store, rows = campaign_store
    report = _report(store, tmp_path).set_index("commune_code")
    expected = _independent(rows).set_index("commune_code")
    for col in COLUMNS:
        np.testing.assert_allclose(report[col].astype(float), expected[col].astype(float), rtol=1e-12, err_msg=col)
    assert report["campaign_verdict"].to_dict() == expected["campaign_verdict"].to_dict()
    assert report.loc["00001", "campaign_verdict"] == "few_devices+narrow_area+office_hours"
    assert report.loc["00002", "campaign_verdict"] == "spread"
    assert report.loc["00003", "campaign_verdict"] == "few_devices"
    assert report.loc["00004", "campaign_verdict"] == "too_few"
    header = list(report.reset_index().columns)
    appended = header[header.index("data_status") + 1 :]
    assert appended[:5] == ["devices", "top_device_share", "cells_with_samples", "cells_total", "office_hours_share"]


def test_the_device_cap_counts_each_devices_first_tests_of_a_day(campaign_store, tmp_path):
    store, rows = campaign_store
    report = _report(store, tmp_path, "--device-day-cap", "2").set_index("commune_code")
    expected = _independent(rows, cap=2).set_index("commune_code")
    for col in COLUMNS:
        np.testing.assert_allclose(report[col].astype(float), expected[col].astype(float), rtol=1e-12, err_msg=col)
    assert (
        report.loc["00001", "samples"]
        < 300
        <= _report(store, tmp_path).set_index("commune_code").loc["00001", "samples"]
    )
    # every measurement still accounted for: counted + unplaced + left out by the cap = every mobile measurement
    from geo.boundaries import load_areas
    from metrics.engine import StatsEngine

    engine = StatsEngine(store, load_areas(store.boundaries_path))
    capped = Filters(MONTH, device_day_cap=2)
    account = month_account(engine, capped, engine.commune_table(capped, Settings(device_day_cap=2)))
    mobile = int((stored(store)["access_type"] == "mobile").sum())
    assert account.total == mobile
    assert account.left_out_by_cap == mobile - len(_independent_capped_mobile(store))
    assert any(r.kind == "left_out" for r in account_rows(account))


def _independent_capped_mobile(store) -> pd.DataFrame:
    """Mobile rows kept by a cap of 2, counted from the stored measurements' times and device hashes."""
    table = stored(store)
    table = table[table["access_type"] == "mobile"].sort_values(["measured_at", "measurement_id"])
    day = table["measured_at"].dt.tz_convert("Asia/Ho_Chi_Minh").dt.date
    rank = table.groupby([table["device_hash"], day], dropna=False).cumcount() + 1
    return table[table["device_hash"].isna() | (rank <= 2)]


def test_no_raw_device_identifier_is_kept_and_no_export_holds_the_salt(campaign_store, tmp_path):
    store, rows = campaign_store
    salt = bytes.fromhex((store.root / DEVICE_SALT).read_text().strip())
    table = stored(store)
    assert "device_id" not in table
    hashes = set(table["device_hash"].dropna())
    assert not any(RAW_ID_PREFIX in h for h in hashes)
    expected = hmac.new(salt, f"{RAW_ID_PREFIX}office-1".lower().encode(), hashlib.sha256).hexdigest()[:32]
    assert expected in hashes
    # no identifier in any text the store keeps: rejects, batch summaries, audit log
    for path in store.root.rglob("*"):
        if path.is_file() and path.suffix in (".csv", ".json", ".jsonl", ".txt", ""):
            text = path.read_bytes()
            assert RAW_ID_PREFIX.encode() not in text and RAW_ID_PREFIX.lower().encode() not in text, path
    for fmt in ("csv", "xlsx", "pptx"):
        out = tmp_path / f"r.{fmt}"
        assert make_report(store, fmt, out, month=MONTH) == 0
        blobs = [out.read_bytes()]
        if fmt != "csv":
            with zipfile.ZipFile(io.BytesIO(blobs[0])) as z:
                blobs = [z.read(n) for n in z.namelist()]
        for blob in blobs:
            assert salt.hex().encode() not in blob and RAW_ID_PREFIX.encode() not in blob


def test_without_device_identifiers_the_figures_are_empty_not_zero(tiny_store, tmp_path, monkeypatch):
    path = tmp_path / "m.csv"
    rows = _campaign_rows().drop(columns="device_id")
    rows.to_csv(path, index=False)
    ingest_files(tiny_store, [path])
    report = _report(tiny_store, tmp_path).set_index("commune_code")
    measured = report[report["samples"] > 0]
    assert measured["devices"].isna().all() and measured["top_device_share"].isna().all()
    assert measured["cells_with_samples"].notna().all()  # where they were is still known
    assert report.loc["00001", "campaign_verdict"] == "narrow_area+office_hours"  # judged on what can be told
    at = app_for(tiny_store.root, monkeypatch)
    at.run()
    at = run_page(at, "pages/ban-do-do-phu-mau.py")
    assert not at.exception
    assert any("không có mã thiết bị" in c.value for c in at.caption)


def test_the_pages_show_the_verdicts(campaign_store, monkeypatch):
    store, _ = campaign_store
    at = app_for(store.root, monkeypatch)
    at.run()
    at = run_page(at, "pages/ban-do-do-phu-mau.py")
    assert not at.exception
    tables = [df.value for df in at.dataframe]
    listing = next(t for t in tables if "Việc cần làm" in t.columns)
    first = listing.iloc[0]
    assert first["Xã/phường"] == "Xã An Bình"  # the office campaign meeting the quota comes first
    assert "huy động thêm người dân" in first["Việc cần làm"]
    at.segmented_control(key="coverage_colour").set_value("campaign").run()
    assert not at.exception
    at.session_state["commune"] = "00001"
    at = run_page(at, "pages/xa-phuong.py")
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Thiết bị đã đo"] == "2"
    assert any("Đủ 330 mẫu nhưng" in w.value or "mẫu nhưng" in w.value for w in at.warning)


def _drawn_colour(trace, code: int) -> str:
    """The colour plotly gives a z value: its place between zmin and zmax read off the colour scale."""
    at = (code - trace.zmin) / (trace.zmax - trace.zmin)
    stops = [(float(pos), colour) for pos, colour in trace.colorscale]
    return next(c for (p, c), (q, d) in itertools.pairwise(stops) if p <= at <= q and c == d)


def test_every_class_is_drawn_in_its_own_colour_and_named_in_the_legend():
    from viz.maps import class_trace

    colours = ["#111111", "#222222", "#333333", "#444444"]
    labels = ["a", "b", "c", "d"]
    trace = class_trace(
        {"type": "FeatureCollection", "features": []},
        np.asarray(["1", "2", "3", "4"], dtype=object),
        np.arange(4),
        colours,
        labels,
        line_width=0.3,
        colorbar={"len": 0.8},
    )
    assert [_drawn_colour(trace, k) for k in range(4)] == colours
    assert list(trace.colorbar.tickvals) == [0, 1, 2, 3] and list(trace.colorbar.ticktext) == labels
