"""The store the app reads, and cached access to it.

Heavy work happens once per store version (boundaries, display geometry, the DuckDB engine) and is
kept with st.cache_resource (no copy on each rerun); per-filter results are small tables kept with
st.cache_data. The store version is a signature of its files, so data loaded through the Data page
shows up at once without stale figures.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import geopandas as gpd
import orjson
import pandas as pd
import streamlit as st

from core import config
from core.months import previous_month
from core.settings import Settings
from geo.boundaries import load_boundaries
from geo.mapgeom import MapGeometry, build_map_geometry
from metrics.engine import StatsEngine
from metrics.filters import Filters
from metrics.rules import month_over_month
from store.folder import Store
from store.transaction import open_store, read_consistently


@dataclass
class Context:
    """One version of one store, as the pages use it."""

    store: Store
    signature: str
    bounds: gpd.GeoDataFrame
    engine: StatsEngine
    months: list[str]
    carriers: list[str]
    is_demo: bool

    @property
    def areas(self) -> pd.DataFrame:
        return self.engine.areas

    @property
    def has_districts(self) -> bool:
        return bool(self.areas["district_code"].notna().any())

    @property
    def provinces(self) -> pd.DataFrame:
        return self.areas[["province_code", "province_name"]].drop_duplicates().sort_values("province_code")


def store_path() -> Path:
    """--store DIR after `streamlit run app.py --`, else ISPEED_STORE, else the demo store."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--store")
    known, _ = parser.parse_known_args(sys.argv[1:])
    if known.store:
        return Path(known.store)
    return config.default_store_path()


def is_default_demo(root: Path) -> bool:
    """The embedded demo store is the one to build on first start (never a store the operator named)."""
    return config.store_from_env() is None and root.resolve() == config.DEMO_STORE.resolve()


def signature(store: Store) -> str:
    """Changes with every commit (the store's version); a store older than versions falls back to its files."""
    version = store.version()
    if version.number > 0:
        return f"{store.root.resolve()}#v{version.number}"  # cached results are keyed by this: never shared by two stores
    parts = []
    for p in (store.boundaries_path, store.referral_path):
        parts.append(f"{p.name}:{p.stat().st_mtime_ns if p.exists() else 0}")
    parts.extend(str(p.relative_to(store.root)) for p in store.snapshot_files())
    return f"{store.root.resolve()}#{hash(tuple(parts))}"


@st.cache_resource(show_spinner=False, max_entries=4)
def _context(root: str, sig: str) -> Context:
    store = open_store(root)

    def read() -> Context:
        bounds = load_boundaries(store.boundaries_path)
        engine = StatsEngine(store, pd.DataFrame(bounds.drop(columns="geometry")), in_memory=True)
        return Context(
            store=store,
            signature=sig,
            bounds=bounds,
            engine=engine,
            months=store.months(),
            carriers=_carriers(store),
            is_demo=store.is_demo,
        )

    context, _ = read_consistently(store, read)
    return context


def load_context(root: Path) -> Context | None:
    """The current version of the store, or None when it has no boundaries yet."""
    store = open_store(root, create=True)
    if not store.has_boundaries():
        return None
    return _context(str(root), signature(store))


def _carriers(store: Store) -> list[str]:
    """Carriers by number of mobile measurements, most first."""
    files = [str(p) for p in store.snapshot_files()]
    if not files:
        return []
    rows = duckdb.sql(
        "SELECT carrier FROM read_parquet($f) WHERE access_type = 'mobile' GROUP BY carrier ORDER BY count(*) DESC",
        params={"f": files},
    ).fetchall()
    return [r[0] for r in rows]


# ---- cached figures per filter (small tables) ----------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=256)
def commune_table(_ctx: Context, sig: str, filters: Filters, settings: Settings) -> pd.DataFrame:
    return _ctx.engine.commune_table(filters, settings)


@st.cache_data(show_spinner=False, max_entries=256)
def commune_table_mom(_ctx: Context, sig: str, filters: Filters, settings: Settings) -> pd.DataFrame:
    now = commune_table(_ctx, sig, filters, settings)
    before = commune_table(_ctx, sig, filters.with_month(previous_month(filters.month)), settings)
    return month_over_month(now, before, "commune_code")


@st.cache_data(show_spinner=False, max_entries=256)
def area_table(_ctx: Context, sig: str, filters: Filters, settings: Settings, level: str) -> pd.DataFrame:
    return _ctx.engine.area_table(filters, settings, level)


@st.cache_data(show_spinner=False, max_entries=256)
def overall(_ctx: Context, sig: str, filters: Filters, settings: Settings, percentiles: bool = False) -> pd.Series:
    return _ctx.engine.overall(filters, settings, percentiles=percentiles)


def month_row(monthly: pd.DataFrame, month: str, settings: Settings) -> pd.Series:
    """One month's figures from a by-month table; empty figures (0 samples) for a month without data."""
    from metrics.engine import empty_result
    from metrics.rules import judge

    rows = monthly[monthly["month"] == month]
    return rows.iloc[0] if len(rows) else judge(empty_result([]), settings).iloc[0]


@st.cache_data(show_spinner=False, max_entries=256)
def unassigned(_ctx: Context, sig: str, filters: Filters) -> int:
    return _ctx.engine.unassigned(filters)


@st.cache_data(show_spinner=False, max_entries=256)
def grouped(
    _ctx: Context,
    sig: str,
    filters: Filters,
    settings: Settings,
    by: tuple[str, ...],
    months: tuple[str, ...] | None = None,
    percentiles: bool = False,
) -> pd.DataFrame:
    """Any grouping of the filtered measurements (month, carrier, district, hour...); means and intervals,
    and percentiles when asked."""
    from metrics.rules import judge

    result = _ctx.engine.aggregate(filters, list(by), list(months) if months else None, percentiles=percentiles)
    return judge(result, settings)


@st.cache_resource(show_spinner=False, max_entries=64)
def map_geometry(_ctx: Context, sig: str, area: tuple[tuple[str, ...], tuple[str, ...]]) -> MapGeometry:
    """Display geometry of the communes in the chosen provinces/districts (all when both are empty)."""
    provinces, districts = area
    bounds = _ctx.bounds
    if provinces:
        bounds = bounds[bounds["province_code"].isin(provinces)]
    if districts:
        bounds = bounds[bounds["district_code"].isin(districts)]
    geometry = build_map_geometry(bounds.reset_index(drop=True), revision=f"{sig}|{provinces}|{districts}")
    outline_url = _serve_geojson(geometry.outline) if geometry.outline else None
    return replace(geometry, geojson_url=_serve_geojson(geometry.geojson), outline_url=outline_url)


STATIC_GEO = Path(__file__).resolve().parent.parent / "static" / "geo"


@st.cache_resource(show_spinner=False)
def topojson_url() -> str:
    """Where the browser finds the maps' (empty) base-map topology: served from static/, never a CDN."""
    from viz.maps import EMPTY_TOPOLOGY, TOPOJSON_NAME

    folder = STATIC_GEO.parent / "topo"
    path = folder / f"{TOPOJSON_NAME}.json"
    text = orjson.dumps(EMPTY_TOPOLOGY)
    if not path.exists() or path.read_bytes() != text:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(text)
        os.replace(tmp, path)
    return "app/static/topo/"


def _serve_geojson(collection: dict) -> str:
    """Write the GeoJSON under static/ (served by Streamlit) once, named by its content; return its URL.

    The browser then fetches the geometry once instead of receiving it again with every rerun."""
    text = orjson.dumps(collection)
    name = hashlib.sha256(text).hexdigest()[:20] + ".json"
    path = STATIC_GEO / name
    if not path.exists():
        STATIC_GEO.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(text)
        os.replace(tmp, path)
    return f"app/static/geo/{name}"


@st.cache_data(show_spinner=False, max_entries=64)
def commune_labels(_ctx: Context, sig: str, provinces: tuple[str, ...], districts: tuple[str, ...]) -> dict[str, str]:
    """'Xã X · Huyện Y' for each commune of the area, for the search boxes."""
    areas = _ctx.areas
    if provinces:
        areas = areas[areas["province_code"].isin(provinces)]
    if districts:
        areas = areas[areas["district_code"].isin(districts)]
    labels = areas["commune_name"].astype(str)
    if areas["district_name"].notna().any():
        labels = labels + (" · " + areas["district_name"].astype(str)).where(areas["district_name"].notna(), "")
    if areas["province_code"].nunique() > 1:
        labels = labels + " · " + areas["province_name"].astype(str)
    return dict(zip(areas["commune_code"], labels, strict=True))


@st.cache_data(show_spinner=False, max_entries=128)
def histogram(_ctx: Context, sig: str, filters: Filters) -> pd.DataFrame:
    """Log-spaced speed bins per carrier (distribution charts)."""
    return _ctx.engine.speed_histogram(filters, "carrier")


@st.cache_data(show_spinner=False, max_entries=128)
def referral_counts(_ctx: Context, sig: str, filters: Filters) -> pd.DataFrame:
    return _ctx.engine.referral_counts(filters)


@st.cache_data(show_spinner=False, max_entries=8)
def referral_list(_ctx: Context, sig: str) -> pd.DataFrame | None:
    """The store's matched referral-code list, or None when none is loaded."""
    path = _ctx.store.referral_path
    return pd.read_parquet(path) if path.exists() else None


@st.cache_data(show_spinner=False, max_entries=8)
def stored_by_month(_ctx: Context, sig: str) -> pd.DataFrame:
    return _ctx.engine.stored_by_month()
